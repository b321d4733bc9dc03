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

// The export structs are serialised straight to text (no `serde_json::Value` tree of every
// entry in between). Their fields are declared in the order of their JSON keys, sorted by
// byte as `serde_json::Map` sorts them: the files keep the key order they always had.

#[derive(Serialize)]
struct SourceOut<'a> {
    date: Option<String>,
    publisher: Option<&'a str>,
    title: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct EntryOut<'a> {
    backlinks: Vec<&'a str>,
    date: String,
    date_precision: &'static str,
    end: Option<String>,
    end_day: String,
    end_precision: Option<&'static str>,
    instrument: &'a str,
    jurisdiction: &'a str,
    related: Vec<&'a str>,
    slug: &'a str,
    sources: Vec<SourceOut<'a>>,
    start_day: String,
    status: &'a str,
    summary: &'a str,
    themes: &'a [String],
    thread: Option<&'a str>,
    title: &'a str,
    updated: Option<String>,
    url: String,
}

/// `timeline.json` as a whole: the small parts as values, the entries as structs made one
/// at a time while they are written.
#[derive(Serialize)]
struct TimelineOut<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    entries: Entries<'a>,
    license: Option<Value>,
    site: Value,
    version: u32,
}

/// A TimelineJS date: strings, as TimelineJS writes them.
#[derive(Serialize)]
struct TlDate {
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<String>,
    year: String,
}

#[derive(Serialize)]
struct TlText {
    headline: String,
    text: String,
}

#[derive(Serialize)]
struct TlEvent<'a> {
    display_date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<TlDate>,
    group: &'a str,
    start_date: TlDate,
    text: TlText,
    unique_id: &'a str,
}

#[derive(Serialize)]
struct TimelineJsOut<'a> {
    events: Events<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<Value>,
    title: Value,
}

/// Pretty JSON (two-space indent, as `serde_json::to_string_pretty`) with a final newline.
fn pretty(value: &impl Serialize, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    serde_json::to_writer_pretty(&mut out, value).expect("JSON values serialise");
    out.push(b'\n');
    out
}

/// An ISO day, `YYYY-MM-DD`.
fn iso_day(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
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
    // Three independent files, built side by side; each is written and let go as soon as
    // it is made (at 100,000 entries they are hundreds of megabytes together).
    let written =
        |route: Route<'static>, bytes: Vec<u8>| out.write(route, &bytes).map(|()| bytes.len());
    let (json, (tl, csv)) = rayon::join(
        || written(Route::TimelineJson, timeline_json(site)),
        || {
            rayon::join(
                || written(Route::TimelineJs, timelinejs_json(site)),
                || written(Route::TimelineCsv, timeline_csv(site)),
            )
        },
    );
    let (json, tl, csv) = (json?, tl?, csv?);
    out.write(Route::TimelineSchema, TIMELINE_SCHEMA.as_bytes())?;
    Ok(vec![
        Download {
            route: Route::TimelineCsv,
            format: "CSV (RFC 4180, UTF-8)",
            what: "One row per entry, for spreadsheets: opens in LibreOffice, Excel or Google Sheets.",
            bytes: csv,
        },
        Download {
            route: Route::TimelineJson,
            format: "JSON",
            what: "Everything: the site, its themes, statuses and instruments, and every entry with its sources and links.",
            bytes: json,
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
            bytes: tl,
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

/// The entries of `timeline.json`, serialised as a list without being collected into one.
struct Entries<'a>(&'a Site<'a>);

impl Serialize for Entries<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let site = self.0;
        serializer.collect_seq(site.published.iter().map(|item| entry_out(site, item)))
    }
}

/// One entry of `timeline.json`.
fn entry_out<'a>(site: &Site<'a>, &Item { i, entry: e, card }: &Item<'a>) -> EntryOut<'a> {
    let (config, chronicle) = (site.config, site.chronicle);
    EntryOut {
        slug: &e.doc.slug,
        url: config.url(&card.url),
        title: &e.doc.title,
        date: e.date.to_string(),
        date_precision: e.date.precision().as_str(),
        end: e.end.map(|d| d.to_string()),
        end_precision: e.end.map(|d| d.precision().as_str()),
        start_day: iso_day(e.date.first_day()),
        end_day: iso_day(e.end.unwrap_or(e.date).last_day()),
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
    }
}

/// `/timeline.json`.
fn timeline_json(site: &Site) -> Vec<u8> {
    let config = site.config;
    let license = config
        .license
        .as_ref()
        .map(|l| json!({"name": l.name, "url": l.url}));
    let doc = TimelineOut {
        schema: Route::TimelineSchema.url(config),
        version: 1,
        license,
        site: json!({
            "title": config.title,
            "description": config.description,
            "url": Route::Home.url(config),
            "language": config.language,
            "jurisdiction": config.jurisdiction,
            "themes": config.themes.iter().map(|t| json!({"id": t.id, "name": t.name, "description": t.description})).collect::<Vec<_>>(),
            "threads": config.threads.iter().map(|t| json!({"id": t.id, "name": t.name, "description": t.description})).collect::<Vec<_>>(),
            "statuses": config.statuses.iter().map(|l| json!({"id": l.id, "label": l.label})).collect::<Vec<_>>(),
            "instruments": config.instruments.iter().map(|l| json!({"id": l.id, "label": l.label})).collect::<Vec<_>>(),
        }),
        entries: Entries(site),
    };
    pretty(&doc, 4096 + site.published.len() * 1536)
}

fn tl_date(d: &PartialDate) -> TlDate {
    TlDate {
        year: d.year().to_string(),
        month: d.month().map(|m| m.to_string()),
        day: d.day().map(|d| d.to_string()),
    }
}

/// The events of `timelinejs.json`, made one at a time while they are written.
struct Events<'a>(&'a Site<'a>);

impl Serialize for Events<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let site = self.0;
        serializer.collect_seq(site.published.iter().map(|item| event(site, item)))
    }
}

/// One event of `timelinejs.json`.
fn event<'a>(
    site: &Site<'a>,
    &Item {
        entry: e, card: c, ..
    }: &Item<'a>,
) -> TlEvent<'a> {
    let config = site.config;
    TlEvent {
        start_date: tl_date(&e.date),
        end_date: e.end.as_ref().map(tl_date),
        text: TlText {
            headline: format!(
                "<a href=\"{}\">{}</a>",
                escape_html(&config.url(&c.url)),
                escape_html(&e.doc.title)
            ),
            text: format!("<p>{}</p>", escape_html(&e.summary)),
        },
        group: c.themes.first().map_or("", |t| t.name.as_str()),
        unique_id: &e.doc.slug,
        display_date: &c.when.text,
    }
}

/// `/timelinejs.json`: the TimelineJS3 JSON format.
fn timelinejs_json(site: &Site) -> Vec<u8> {
    let config = site.config;
    let doc = TimelineJsOut {
        title: json!({
            "text": {
                "headline": escape_html(&config.title),
                "text": format!("<p>{}</p>", escape_html(&config.description)),
            }
        }),
        events: Events(site),
        // TimelineJS ignores what it does not know; a reader of the file sees the terms.
        license: config
            .license
            .as_ref()
            .map(|l| json!({"name": l.name, "url": l.url})),
    };
    pretty(&doc, 1024 + site.published.len() * 1024)
}

/// `/timeline.csv`: RFC 4180, UTF-8, CRLF, a header row ([`CSV_COLUMNS`]); lists joined
/// with `;`. Every value is text as written; `start` and `end` are ISO days, so that a
/// spreadsheet sorts by them.
fn timeline_csv(site: &Site) -> Vec<u8> {
    use std::borrow::Cow;
    let list = &site.published;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(256 + list.len() * 768));
    w.write_record(CSV_COLUMNS.iter().map(|c| c.0))
        .expect("writing to memory cannot fail");
    let license = license_text(site);
    let owned = |s: String| Cow::Owned(s);
    for &Item { i, entry: e, card } in list {
        let join = |v: Vec<&str>| Cow::Owned(v.join(";"));
        let record: [Cow<str>; 23] = [
            Cow::Borrowed(&e.doc.slug),
            owned(site.config.url(&card.url)),
            Cow::Borrowed(&e.doc.title),
            owned(iso_day(e.date.first_day())),
            owned(iso_day(e.end.unwrap_or(e.date).last_day())),
            owned(e.date.to_string()),
            Cow::Borrowed(e.date.precision().as_str()),
            owned(e.end.map(|d| d.to_string()).unwrap_or_default()),
            Cow::Borrowed(e.end.map_or("", |d| d.precision().as_str())),
            Cow::Borrowed(&e.status),
            Cow::Borrowed(&card.status.label),
            Cow::Borrowed(&e.instrument),
            Cow::Borrowed(&card.instrument.label),
            Cow::Borrowed(&e.jurisdiction),
            owned(e.themes.join(";")),
            join(card.themes.iter().map(|t| t.name.as_str()).collect()),
            Cow::Borrowed(e.thread.as_deref().unwrap_or_default()),
            Cow::Borrowed(&e.summary),
            join(e.sources.iter().map(|s| s.title.as_str()).collect()),
            join(e.sources.iter().map(|s| s.url.as_str()).collect()),
            join(slugs(site, &site.chronicle.related[i])),
            owned(e.updated.map(|d| d.to_string()).unwrap_or_default()),
            Cow::Borrowed(&license),
        ];
        debug_assert_eq!(record.len(), CSV_COLUMNS.len());
        w.write_record(record.iter().map(|c| c.as_bytes()))
            .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}
