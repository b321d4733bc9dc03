//! Data exports for people who re-use the chronicle: `timeline.json` (everything, versioned),
//! `timelinejs.json` (the TimelineJS3 format, to drop into an embed) and `timeline.csv`
//! (RFC 4180, one row per entry). Drafts are never exported.

use super::views::Item;
use super::{Recorder, Site};
use crate::date::PartialDate;
use crate::markdown::escape_html;
use crate::output::IoError;
use crate::routes::Route;
use serde::Serialize;
use serde_json::{Value, json};

#[derive(Serialize)]
struct SourceOut<'a> {
    title: &'a str,
    url: &'a str,
    publisher: Option<&'a str>,
    date: Option<String>,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    slug: &'a str,
    url: String,
    title: &'a str,
    date: String,
    date_precision: &'static str,
    end: Option<String>,
    end_precision: Option<&'static str>,
    status: &'a str,
    instrument: &'a str,
    jurisdiction: &'a str,
    themes: &'a [String],
    thread: Option<&'a str>,
    summary: &'a str,
    sources: Vec<SourceOut<'a>>,
    related: Vec<&'a str>,
    backlinks: Vec<&'a str>,
    updated: Option<String>,
}

/// Writes every export, of the published entries, oldest first.
pub(super) fn write_exports(site: &Site, out: &Recorder) -> Result<(), IoError> {
    out.write(Route::TimelineJson, timeline_json(site).as_bytes())?;
    out.write(Route::TimelineJs, timelinejs_json(site).as_bytes())?;
    out.write(Route::TimelineCsv, &timeline_csv(site))
}

/// The slugs of the published ones of `list` (related entries, backlinks).
fn slugs<'a>(site: &Site<'a>, list: &[usize]) -> Vec<&'a str> {
    list.iter()
        .map(|&j| site.items[j])
        .filter(Item::is_published)
        .map(|item| item.entry.doc.slug.as_str())
        .collect()
}

/// `/timeline.json`.
fn timeline_json(site: &Site) -> String {
    let (config, chronicle) = (site.config, site.chronicle);
    let entries: Vec<EntryOut> = site
        .published
        .iter()
        .map(|&Item { i, entry: e, card }| EntryOut {
            slug: &e.doc.slug,
            url: config.url(&card.url),
            title: &e.doc.title,
            date: e.date.to_string(),
            date_precision: e.date.precision().as_str(),
            end: e.end.map(|d| d.to_string()),
            end_precision: e.end.map(|d| d.precision().as_str()),
            status: &e.status,
            instrument: &e.instrument,
            jurisdiction: &e.jurisdiction,
            themes: &e.themes,
            thread: e.thread.as_deref(),
            summary: &e.summary,
            sources: e
                .sources
                .iter()
                .map(|s| SourceOut {
                    title: &s.title,
                    url: &s.url,
                    publisher: s.publisher.as_deref(),
                    date: s.date.map(|d| d.to_string()),
                })
                .collect(),
            related: slugs(site, &chronicle.related[i]),
            backlinks: slugs(site, &chronicle.backlinks[i]),
            updated: e.updated.map(|d| d.to_string()),
        })
        .collect();
    let doc = json!({
        "version": 1,
        "site": {
            "title": config.title,
            "description": config.description,
            "url": Route::Home.url(config),
            "language": config.language,
            "jurisdiction": config.jurisdiction,
            "themes": config.themes.iter().map(|t| json!({"id": t.id, "name": t.name, "description": t.description})).collect::<Vec<_>>(),
            "threads": config.threads.iter().map(|t| json!({"id": t.id, "name": t.name, "description": t.description})).collect::<Vec<_>>(),
            "statuses": config.statuses.iter().map(|l| json!({"id": l.id, "label": l.label})).collect::<Vec<_>>(),
            "instruments": config.instruments.iter().map(|l| json!({"id": l.id, "label": l.label})).collect::<Vec<_>>(),
        },
        "entries": entries,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}

fn tl_date(d: &PartialDate) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("year".into(), Value::String(d.year().to_string()));
    if let Some(month) = d.month() {
        m.insert("month".into(), Value::String(month.to_string()));
    }
    if let Some(day) = d.day() {
        m.insert("day".into(), Value::String(day.to_string()));
    }
    Value::Object(m)
}

/// `/timelinejs.json`: the TimelineJS3 JSON format.
fn timelinejs_json(site: &Site) -> String {
    let config = site.config;
    let events: Vec<Value> = site
        .published
        .iter()
        .map(|&Item { entry: e, card: c, .. }| {
            let mut ev = json!({
                "start_date": tl_date(&e.date),
                "text": {
                    "headline": format!("<a href=\"{}\">{}</a>", escape_html(&config.url(&c.url)), escape_html(&e.doc.title)),
                    "text": format!("<p>{}</p>", escape_html(&e.summary)),
                },
                "group": c.themes.first().map(|t| t.name.clone()).unwrap_or_default(),
                "unique_id": e.doc.slug,
                "display_date": c.when.text,
            });
            if let Some(end) = &e.end {
                ev["end_date"] = tl_date(end);
            }
            ev
        })
        .collect();
    let doc = json!({
        "title": {
            "text": {
                "headline": escape_html(&config.title),
                "text": format!("<p>{}</p>", escape_html(&config.description)),
            }
        },
        "events": events,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}

/// `/timeline.csv`: RFC 4180, UTF-8, a header row; lists joined with `;`.
fn timeline_csv(site: &Site) -> Vec<u8> {
    let list = &site.published;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(256 + list.len() * 512));
    let header = [
        "slug",
        "url",
        "title",
        "date",
        "date_precision",
        "end",
        "status",
        "instrument",
        "jurisdiction",
        "themes",
        "thread",
        "summary",
        "source_urls",
        "related",
    ];
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for &Item { i, entry: e, card } in list {
        let source_urls: Vec<&str> = e.sources.iter().map(|s| s.url.as_str()).collect();
        let record = [
            e.doc.slug.clone(),
            site.config.url(&card.url),
            e.doc.title.clone(),
            e.date.to_string(),
            e.date.precision().as_str().to_string(),
            e.end.map(|d| d.to_string()).unwrap_or_default(),
            e.status.clone(),
            e.instrument.clone(),
            e.jurisdiction.clone(),
            e.themes.join(";"),
            e.thread.clone().unwrap_or_default(),
            e.summary.clone(),
            source_urls.join(";"),
            slugs(site, &site.chronicle.related[i]).join(";"),
        ];
        w.write_record(&record)
            .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}
