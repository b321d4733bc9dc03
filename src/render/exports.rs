//! Data exports for people who re-use the chronicle: `timeline.json` (everything, versioned,
//! with `$schema` naming `timeline.schema.json`, shipped beside it), `timelinejs.json` (the
//! TimelineJS3 format, to drop into an embed) and `timeline.csv` (RFC 4180, one row per
//! entry, sortable ISO `start`/`end` columns, labels beside ids). Each carries the site's
//! `license`. Drafts are never exported. [`CSV_COLUMNS`] and [`JSON_FIELDS`] document the
//! fields once, for the data page.

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
    start_day: String,
    end_day: String,
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

/// The JSON Schema of `timeline.json` (draft 2020-12), written beside it.
pub const TIMELINE_SCHEMA: &str = include_str!("timeline.schema.json");

/// One file of the data page's list: its route, format and size in bytes.
pub struct Download {
    pub route: Route<'static>,
    pub format: &'static str,
    pub what: &'static str,
    pub bytes: usize,
}

/// Writes every export, of the published entries, oldest first; returns what the data
/// page lists.
pub(super) fn write_exports(site: &Site, out: &Recorder) -> Result<Vec<Download>, IoError> {
    let json = timeline_json(site);
    let tl = timelinejs_json(site);
    let csv = timeline_csv(site);
    out.write(Route::TimelineJson, json.as_bytes())?;
    out.write(Route::TimelineSchema, TIMELINE_SCHEMA.as_bytes())?;
    out.write(Route::TimelineJs, tl.as_bytes())?;
    out.write(Route::TimelineCsv, &csv)?;
    Ok(vec![
        Download {
            route: Route::TimelineCsv,
            format: "CSV (RFC 4180, UTF-8)",
            what: "One row per entry, for spreadsheets: opens in LibreOffice, Excel or Google Sheets.",
            bytes: csv.len(),
        },
        Download {
            route: Route::TimelineJson,
            format: "JSON",
            what: "Everything: the site, its themes, statuses and instruments, and every entry with its sources and links.",
            bytes: json.len(),
        },
        Download {
            route: Route::TimelineSchema,
            format: "JSON Schema (2020-12)",
            what: "The structure of timeline.json, to validate it or generate code from it.",
            bytes: TIMELINE_SCHEMA.len(),
        },
        Download {
            route: Route::TimelineJs,
            format: "JSON (TimelineJS3)",
            what: "The entries in the format of TimelineJS, to embed an interactive timeline.",
            bytes: tl.len(),
        },
    ])
}

/// The columns of `timeline.csv`, in order, with what each holds.
pub const CSV_COLUMNS: &[(&str, &str)] = &[
    ("slug", "The entry's id, also the last part of its URL."),
    ("url", "The entry's page."),
    ("title", "What happened."),
    (
        "start",
        "The first day the date covers, as YYYY-MM-DD (2020 → 2020-01-01): sort by it.",
    ),
    (
        "end",
        "The last day covered, as YYYY-MM-DD: the end of the span, or of the date itself (2020 → 2020-12-31).",
    ),
    ("date", "The date as written: YYYY, YYYY-MM or YYYY-MM-DD."),
    ("date_precision", "year, month or day."),
    ("end_date", "The end of a span as written, or empty."),
    ("end_precision", "year, month or day, or empty."),
    ("status", "The status id."),
    ("status_label", "The status, as the site shows it."),
    ("instrument", "The instrument id (law, decree…)."),
    ("instrument_label", "The instrument, as the site shows it."),
    ("jurisdiction", "Where it applies."),
    ("themes", "Theme ids, separated by `;`."),
    (
        "theme_labels",
        "Theme names, separated by `;`, in the same order.",
    ),
    (
        "thread",
        "The id of the reform thread the entry is a step of, or empty.",
    ),
    ("summary", "One or two sentences on what happened."),
    (
        "source_titles",
        "The titles of the sources, separated by `;`.",
    ),
    (
        "source_urls",
        "Their addresses, separated by `;`, in the same order.",
    ),
    ("related", "Slugs of related entries, separated by `;`."),
    (
        "updated",
        "When the entry was last revised, as written, or empty.",
    ),
    ("license", "The licence of the data: its name and address."),
];

/// The fields of each entry of `timeline.json`, with what each holds.
pub const JSON_FIELDS: &[(&str, &str)] = &[
    ("slug", "The entry's id, also the last part of its URL."),
    ("url", "The entry's page."),
    ("title", "What happened."),
    (
        "date, date_precision",
        "The date as written (YYYY, YYYY-MM or YYYY-MM-DD) and its precision.",
    ),
    ("end, end_precision", "The end of a span, or null."),
    (
        "start_day, end_day",
        "The first and last day covered, as YYYY-MM-DD.",
    ),
    (
        "status, instrument",
        "Ids, labelled in `site.statuses` and `site.instruments`.",
    ),
    ("jurisdiction", "Where it applies."),
    ("themes", "Theme ids, described in `site.themes`."),
    (
        "thread",
        "The id of the reform thread it is a step of, described in `site.threads`, or null.",
    ),
    ("summary", "One or two sentences on what happened."),
    ("sources", "Each source's title, url, publisher and date."),
    (
        "related, backlinks",
        "Slugs of the entries it is related to and of those that link to it.",
    ),
    ("updated", "When the entry was last revised, or null."),
];

/// The licence as one CSV or text value: "CC BY 4.0 (https://…)".
fn license_text(site: &Site) -> String {
    site.config
        .license
        .as_ref()
        .map(|l| format!("{} ({})", l.name, l.url))
        .unwrap_or_default()
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
            start_day: e.date.first_day().format("%Y-%m-%d").to_string(),
            end_day: e
                .end
                .unwrap_or(e.date)
                .last_day()
                .format("%Y-%m-%d")
                .to_string(),
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
    let license = config
        .license
        .as_ref()
        .map(|l| json!({"name": l.name, "url": l.url}));
    let doc = json!({
        "$schema": Route::TimelineSchema.url(config),
        "version": 1,
        "license": license,
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
    let mut doc = json!({
        "title": {
            "text": {
                "headline": escape_html(&config.title),
                "text": format!("<p>{}</p>", escape_html(&config.description)),
            }
        },
        "events": events,
    });
    if let Some(l) = &config.license {
        // TimelineJS ignores what it does not know; a reader of the file sees the terms.
        doc["license"] = json!({"name": l.name, "url": l.url});
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    s.push('\n');
    s
}

/// `/timeline.csv`: RFC 4180, UTF-8, CRLF, a header row ([`CSV_COLUMNS`]); lists joined
/// with `;`. Every value is text as written; `start` and `end` are ISO days, so that a
/// spreadsheet sorts by them.
fn timeline_csv(site: &Site) -> Vec<u8> {
    let list = &site.published;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(256 + list.len() * 768));
    w.write_record(CSV_COLUMNS.iter().map(|c| c.0))
        .expect("writing to memory cannot fail");
    let license = license_text(site);
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    for &Item { i, entry: e, card } in list {
        let join = |v: Vec<&str>| v.join(";");
        let record = [
            e.doc.slug.clone(),
            site.config.url(&card.url),
            e.doc.title.clone(),
            day(e.date.first_day()),
            day(e.end.unwrap_or(e.date).last_day()),
            e.date.to_string(),
            e.date.precision().as_str().to_string(),
            e.end.map(|d| d.to_string()).unwrap_or_default(),
            e.end
                .map(|d| d.precision().as_str().to_string())
                .unwrap_or_default(),
            e.status.clone(),
            card.status.label.clone(),
            e.instrument.clone(),
            card.instrument.label.clone(),
            e.jurisdiction.clone(),
            e.themes.join(";"),
            join(card.themes.iter().map(|t| t.name.as_str()).collect()),
            e.thread.clone().unwrap_or_default(),
            e.summary.clone(),
            join(e.sources.iter().map(|s| s.title.as_str()).collect()),
            join(e.sources.iter().map(|s| s.url.as_str()).collect()),
            slugs(site, &site.chronicle.related[i]).join(";"),
            e.updated.map(|d| d.to_string()).unwrap_or_default(),
            license.clone(),
        ];
        debug_assert_eq!(record.len(), CSV_COLUMNS.len());
        w.write_record(&record)
            .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}
