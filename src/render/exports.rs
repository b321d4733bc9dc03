//! Data exports for people who re-use the chronicle: `timeline.json` (everything, versioned,
//! with `$schema` naming `timeline.schema.json`, shipped beside it), `timelinejs.json` (the
//! TimelineJS3 format, to drop into an embed) and `timeline.csv` (RFC 4180, one row per
//! entry, sortable ISO `start`/`end` columns, labels beside ids). Each carries the site's
//! `license`. Drafts are never exported. [`CSV_COLUMNS`] and [`JSON_FIELDS`] document the
//! fields once, for the data page. Every other language has the same three files under
//! its folder (`ru/timeline.json`…): the same entries and facts, in its words (an entry
//! not translated keeps the original's, and its URL is the original's page).

use super::views::{Item, Lang};
use super::{Recorder, Site};
use crate::date::PartialDate;
use crate::markdown::escape_html;
use crate::output::IoError;
use crate::routes::Route;
use rayon::prelude::*;
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
struct TimelineOut {
    #[serde(rename = "$schema")]
    schema: String,
    entries: Spliced,
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
struct TimelineJsOut {
    events: Spliced,
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

/// Where [`pretty_spliced`] puts a document's list: serialised as a string that nothing
/// before it in the document can be (the list is the first field after `$schema`, a URL,
/// or the very first).
struct Spliced;

impl Serialize for Spliced {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("\0annals-list")
    }
}

/// How [`Spliced`] is written.
const SPLICE: &[u8] = b"\"\\u0000annals-list\"";

/// Entries serialised in parallel at a time; memory holds the file and one batch.
const SPLICE_BATCH: usize = 2048;

/// `doc` as [`pretty`] JSON, with its [`Spliced`] field (a field of the top object) the
/// list of `make` of each of `items`, exactly as `to_writer_pretty` writes a list there:
/// the items are serialised in parallel, each starting two levels in ([`Nested`]), and
/// joined in order.
fn pretty_spliced<I: Sync, T: Serialize>(
    out: &mut dyn std::io::Write,
    doc: &impl Serialize,
    items: &[I],
    make: impl Fn(&I) -> T + Sync,
    per_item: usize,
) -> std::io::Result<()> {
    let frame = pretty(doc, 4096);
    let at = frame
        .windows(SPLICE.len())
        .position(|w| w == SPLICE)
        .expect("the document has its list's place");
    out.write_all(&frame[..at])?;
    if items.is_empty() {
        out.write_all(b"[]")?;
    } else {
        out.write_all(b"[")?;
        for (b, batch) in items.chunks(SPLICE_BATCH).enumerate() {
            let parts: Vec<Vec<u8>> = batch
                .par_chunks(64)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut part = Vec::with_capacity(chunk.len() * per_item);
                    for (k, item) in chunk.iter().enumerate() {
                        let first = b == 0 && c == 0 && k == 0;
                        part.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        let mut ser = serde_json::Serializer::with_formatter(
                            &mut part,
                            Nested {
                                depth: 2,
                                has_value: false,
                            },
                        );
                        make(item)
                            .serialize(&mut ser)
                            .expect("JSON values serialise");
                    }
                    part
                })
                .collect();
            for part in parts {
                out.write_all(&part)?;
            }
        }
        out.write_all(b"\n  ]")?;
    }
    out.write_all(&frame[at + SPLICE.len()..])
}

/// serde_json's `PrettyFormatter` (two-space indent) for a value that starts `depth`
/// levels in: what it writes is byte for byte what the whole document's formatter would.
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn indent<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    /// `[` or `{`: one level in.
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b)
    }

    /// `]` or `}`: on a line of its own after any value.
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, b: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(b)
    }

    /// Before an element or a key: a new, indented line.
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// An ISO day, `YYYY-MM-DD`.
fn iso_day(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The JSON Schema of `timeline.json` (draft 2020-12), written beside it.
pub const TIMELINE_SCHEMA: &str = include_str!("timeline.schema.json");

/// One file of the data page's list: its site path, format and size in bytes.
pub struct Download {
    /// From the site root: `timeline.csv`, `ru/timeline.csv`.
    pub path: String,
    pub format: &'static str,
    pub what: String,
    pub bytes: usize,
}

/// Writes every export of the site's language (the schema once, with the default
/// language's), of the published entries, oldest first; returns what the data page lists.
pub(super) fn write_exports(site: &Site, out: &Recorder) -> Result<Vec<Download>, IoError> {
    let lang = &site.lang;
    // Each file is streamed to the sink as it is made (a batch of entries at a time), so
    // memory never holds a whole export (timeline.json is 1.5 KB an entry): timeline.json
    // alone, then the two smaller ones side by side.
    let written =
        |route: Route<'static>,
         fill: &(dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Sync)| {
            out.write_stream(lang.at(route), fill).map(|n| n as usize)
        };
    let json = written(Route::TimelineJson, &|w| timeline_json(site, w))?;
    let (tl, csv) = rayon::join(
        || written(Route::TimelineJs, &|w| timelinejs_json(site, w)),
        || written(Route::TimelineCsv, &|w| timeline_csv(site, w)),
    );
    let (tl, csv) = (tl?, csv?);
    if lang.prefix.is_none() {
        out.write(Route::TimelineSchema, TIMELINE_SCHEMA.as_bytes())?;
    }
    // Another language's files say what they are in: the same, in its words.
    let what = |text: &str| match lang.prefix {
        None => text.to_string(),
        Some(_) => format!(
            "{text} In {}: the same entries and facts, in its words (the original's where an entry is not translated).",
            lang.language.name
        ),
    };
    let mut list = vec![
        Download {
            path: lang.at(Route::TimelineCsv).path(),
            format: "CSV (RFC 4180, UTF-8)",
            what: what(
                "One row per entry, for spreadsheets: opens in LibreOffice, Excel or Google Sheets.",
            ),
            bytes: csv,
        },
        Download {
            path: lang.at(Route::TimelineJson).path(),
            format: "JSON",
            what: what(
                "Everything: the site, its themes, statuses and instruments, and every entry with its sources and links.",
            ),
            bytes: json,
        },
    ];
    if lang.prefix.is_none() {
        list.push(Download {
            path: Route::TimelineSchema.path(),
            format: "JSON Schema (2020-12)",
            what: "The structure of timeline.json (of every language's), to validate it or generate code from it.".to_string(),
            bytes: TIMELINE_SCHEMA.len(),
        });
    }
    list.push(Download {
        path: lang.at(Route::TimelineJs).path(),
        format: "JSON (TimelineJS3)",
        what: what("The entries in the format of TimelineJS, to embed an interactive timeline."),
        bytes: tl,
    });
    Ok(list)
}

/// An entry's words in the site's language: title, summary and source titles (each the
/// translation's when it gives one, else the original's).
struct Words<'a> {
    title: &'a str,
    summary: &'a str,
    sources: Vec<&'a str>,
}

fn words_of<'a>(lang: &Lang<'a>, item: &Item<'a>) -> Words<'a> {
    let e = item.entry;
    let originals = e.sources.iter().map(|s| s.title.as_str());
    match lang.entry_words(item.i) {
        Some(w) => Words {
            title: &w.title,
            summary: &w.summary,
            sources: originals
                .enumerate()
                .map(|(k, t)| w.sources.get(k).and_then(|s| s.as_deref()).unwrap_or(t))
                .collect(),
        },
        None => Words {
            title: &e.doc.title,
            summary: &e.summary,
            sources: originals.collect(),
        },
    }
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

/// One entry of `timeline.json`.
fn entry_out<'a>(site: &'a Site<'a>, item: &Item<'a>) -> EntryOut<'a> {
    let (config, chronicle) = (site.config, site.chronicle);
    let words = words_of(&site.lang, item);
    let &Item { i, entry: e, card } = item;
    EntryOut {
        slug: &e.doc.slug,
        url: config.url(&card.site_path),
        title: words.title,
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
        summary: words.summary,
        sources: e
            .sources
            .iter()
            .zip(&words.sources)
            .map(|(s, title)| SourceOut {
                title,
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
fn timeline_json(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (config, lang) = (site.config, &site.lang);
    let license = config
        .license
        .as_ref()
        .map(|l| json!({"name": l.name, "url": l.url}));
    let doc = TimelineOut {
        schema: Route::TimelineSchema.url(config),
        version: 1,
        license,
        site: json!({
            "title": lang.labels.site_title(),
            "description": lang.labels.site_description(),
            "url": lang.at(Route::Home).url(config),
            "language": lang.language.code,
            "jurisdiction": config.jurisdiction,
            "themes": config.themes.iter().map(|t| json!({"id": t.id, "name": lang.labels.theme_name(t), "description": lang.labels.theme_description(t)})).collect::<Vec<_>>(),
            "threads": config.threads.iter().map(|t| json!({"id": t.id, "name": lang.labels.thread_name(t), "description": lang.labels.thread_description(t)})).collect::<Vec<_>>(),
            "statuses": config.statuses.iter().map(|l| json!({"id": l.id, "label": lang.labels.status(&l.id)})).collect::<Vec<_>>(),
            "instruments": config.instruments.iter().map(|l| json!({"id": l.id, "label": lang.labels.instrument(&l.id)})).collect::<Vec<_>>(),
        }),
        entries: Spliced,
    };
    pretty_spliced(
        out,
        &doc,
        &site.published,
        |item| entry_out(site, item),
        1536,
    )
}

fn tl_date(d: &PartialDate) -> TlDate {
    TlDate {
        year: d.year().to_string(),
        month: d.month().map(|m| m.to_string()),
        day: d.day().map(|d| d.to_string()),
    }
}

/// One event of `timelinejs.json`.
fn event<'a>(site: &'a Site<'a>, item: &Item<'a>) -> TlEvent<'a> {
    let config = site.config;
    let words = words_of(&site.lang, item);
    let (e, c) = (item.entry, item.card);
    TlEvent {
        start_date: tl_date(&e.date),
        end_date: e.end.as_ref().map(tl_date),
        text: TlText {
            headline: format!(
                "<a href=\"{}\">{}</a>",
                escape_html(&config.url(&c.site_path)),
                escape_html(words.title)
            ),
            text: format!("<p>{}</p>", escape_html(words.summary)),
        },
        group: c.themes.first().map_or("", |t| t.name.as_str()),
        unique_id: &e.doc.slug,
        display_date: &c.when.text,
    }
}

/// `/timelinejs.json`: the TimelineJS3 JSON format.
fn timelinejs_json(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (config, lang) = (site.config, &site.lang);
    let doc = TimelineJsOut {
        title: json!({
            "text": {
                "headline": escape_html(lang.labels.site_title()),
                "text": format!("<p>{}</p>", escape_html(lang.labels.site_description())),
            }
        }),
        events: Spliced,
        // TimelineJS ignores what it does not know; a reader of the file sees the terms.
        license: config
            .license
            .as_ref()
            .map(|l| json!({"name": l.name, "url": l.url})),
    };
    pretty_spliced(out, &doc, &site.published, |item| event(site, item), 1024)
}

/// `/timeline.csv`: RFC 4180, UTF-8, CRLF, a header row ([`CSV_COLUMNS`]); lists joined
/// with `;`. Every value is text as written; `start` and `end` are ISO days, so that a
/// spreadsheet sorts by them.
fn timeline_csv(site: &Site, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::borrow::Cow;
    let list = &site.published;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(CSV_COLUMNS.iter().map(|c| c.0))?;
    let license = license_text(site);
    let owned = |s: String| Cow::Owned(s);
    for item in list {
        let &Item { i, entry: e, card } = item;
        let words = words_of(&site.lang, item);
        let join = |v: Vec<&str>| Cow::Owned(v.join(";"));
        let record: [Cow<str>; 23] = [
            Cow::Borrowed(&e.doc.slug),
            owned(site.config.url(&card.site_path)),
            Cow::Borrowed(words.title),
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
            Cow::Borrowed(words.summary),
            owned(words.sources.join(";")),
            join(e.sources.iter().map(|s| s.url.as_str()).collect()),
            join(slugs(site, &site.chronicle.related[i])),
            owned(e.updated.map(|d| d.to_string()).unwrap_or_default()),
            Cow::Borrowed(&license),
        ];
        debug_assert_eq!(record.len(), CSV_COLUMNS.len());
        w.write_record(record.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Doc {
        #[serde(rename = "$schema")]
        schema: &'static str,
        list: Spliced,
        z: Value,
    }

    #[test]
    fn a_spliced_list_is_what_pretty_printing_the_whole_writes() {
        let item = |k: &usize| json!({"k": k, "empty": [], "none": {}, "nested": [{"a": [1, 2]}, "\u{0}\"x\""], "s": "é\n"});
        for n in [0, 1, 2, 63, 64, 65, SPLICE_BATCH + 3] {
            let items: Vec<usize> = (0..n).collect();
            let doc = Doc {
                schema: "https://example.org/s.json",
                list: Spliced,
                z: json!({"after": [true]}),
            };
            let whole = json!({
                "$schema": "https://example.org/s.json",
                "list": items.iter().map(item).collect::<Vec<_>>(),
                "z": {"after": [true]},
            });
            assert_eq!(
                {
                    let mut spliced = Vec::new();
                    pretty_spliced(&mut spliced, &doc, &items, item, 64).unwrap();
                    String::from_utf8(spliced).unwrap()
                },
                String::from_utf8(pretty(&whole, 0)).unwrap(),
                "{n} items"
            );
        }
    }
}
