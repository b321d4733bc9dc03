//! Entries: one reform event each. [`RawFrontMatter`] holds the fields as written (all
//! optional); [`validate`] turns it into an [`Entry`] or reports every problem.

use super::contract::{self, ENTRY, SOURCE};
use super::fields::Fields;
use super::{Document, doc_slug};
use crate::config::{Config, WEB_URL_HELP, is_web_url};
use crate::date::{ACCEPTED_FORMS, DateError, PartialDate};
use crate::diagnostic::{Location, did_you_mean};
use crate::yaml::{self, Value};

use contract::SUMMARY_MAX;

/// The entry field `name` of the contract.
fn field(name: &str) -> &'static contract::Field {
    contract::field(ENTRY, name)
}

/// An entry's front matter as written.
#[derive(Debug, Default)]
pub struct RawFrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub end: Option<String>,
    pub status: Option<String>,
    pub instrument: Option<String>,
    pub jurisdiction: Option<String>,
    pub themes: Option<Vec<String>>,
    pub thread: Option<String>,
    pub step: Option<String>,
    pub summary: Option<String>,
    pub sources: Option<Vec<RawSource>>,
    pub related: Option<Vec<String>>,
    pub slug: Option<(String, Location)>,
    pub draft: Option<bool>,
    pub updated: Option<String>,
    pub extra: Option<Value>,
}

/// Where a source is written: at its first value, else at `sources:`.
fn source_location(f: &Fields, anchor: &Option<String>) -> Location {
    match anchor {
        Some(v) => f.ctx.value_location(&["sources"], v),
        None => f.ctx.key_location(&["sources"]),
    }
}

/// A source as written.
#[derive(Debug, Default)]
pub struct RawSource {
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    /// The first value written in this source, to place its problems (found only when
    /// there is one: positions cost a scan of the file).
    pub anchor: Option<String>,
    /// Fields already reported (wrong type, control character): not "missing" too.
    pub reported: Vec<String>,
}

/// A cited source.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
    pub publisher: Option<String>,
    pub date: Option<PartialDate>,
}

/// A validated entry (stored as it is in the document cache, [`super::store`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub doc: Document,
    pub date: PartialDate,
    pub end: Option<PartialDate>,
    pub status: String,
    pub instrument: String,
    pub jurisdiction: String,
    pub themes: Vec<String>,
    /// The reform thread this entry is a step of (an id of `config.threads`).
    pub thread: Option<String>,
    /// The step's short name in its thread, if given (`deposit`).
    pub step: Option<String>,
    pub summary: String,
    pub sources: Vec<Source>,
    /// Slugs of related entries (positions are found again if one is wrong).
    pub related: Vec<String>,
    pub updated: Option<PartialDate>,
    #[serde(with = "super::store::json_text")]
    pub extra: serde_json::Value,
}

/// Reads the raw fields (type errors and unknown fields are reported in `f`).
pub fn read(f: &mut Fields) -> RawFrontMatter {
    f.reject_unknown(ENTRY, "an entry");
    RawFrontMatter {
        title: f.string(field("title")),
        date: f.string(field("date")),
        end: f.string(field("end")),
        status: f.string(field("status")),
        instrument: f.string(field("instrument")),
        jurisdiction: f.string(field("jurisdiction")),
        themes: f.list(field("themes")),
        thread: f.string(field("thread")),
        step: f.string(field("step")),
        summary: f.string(field("summary")),
        sources: read_sources(f),
        related: f.list(field("related")),
        slug: f.slug(field("slug")),
        draft: f.bool(field("draft")),
        updated: f.string(field("updated")),
        extra: f.take("extra"),
    }
}

fn read_sources(f: &mut Fields) -> Option<Vec<RawSource>> {
    let example = field("sources").example;
    let source_fields = contract::names(SOURCE);
    let v = f.take("sources")?;
    let items = match v {
        Value::Sequence(items) => items,
        other => {
            let d = f
                .ctx
                .error(
                    "wrong-type",
                    format!("`sources` must be a list, not {}", yaml::kind_of(&other)),
                )
                .at(f.ctx.key_location(&["sources"]))
                .help(format!("write it like this:\n{example}"));
            f.push(d);
            f.mark_reported("sources");
            return None;
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let map = match item {
            Value::Mapping(m) => m,
            other => {
                let text = yaml::scalar_text(&other).unwrap_or_default();
                let d = f
                    .ctx
                    .error(
                        "wrong-type",
                        format!(
                            "each source must have a title and a url, not be {}",
                            yaml::kind_of(&other)
                        ),
                    )
                    .at(f.ctx.value_location(&["sources"], &text))
                    .help(format!("write it like this:\n{example}"));
                f.push(d);
                f.mark_reported("sources");
                continue;
            }
        };
        let mut src = RawSource::default();
        let mut first_value: Option<String> = None;
        for (k, v) in map {
            let key = yaml::scalar_text(&k).unwrap_or_default();
            let text = yaml::scalar_text(&v);
            if first_value.is_none() {
                first_value = text.clone();
            }
            if !source_fields.contains(&key.as_str()) {
                let help = match did_you_mean(&key, source_fields.iter().copied()) {
                    Some(h) => format!("{h} (a source has: {})", source_fields.join(", ")),
                    None => format!("a source has: {}", source_fields.join(", ")),
                };
                let d = f
                    .ctx
                    .error(
                        "unknown-field",
                        format!("unknown field `{key}` in a source"),
                    )
                    .at(f.ctx.key_location(&["sources", &key]))
                    .help(help);
                f.push(d);
                continue;
            }
            let Some(text) = text else {
                if v.is_null() {
                    continue;
                }
                let d = f
                    .ctx
                    .error(
                        "wrong-type",
                        format!("a source's `{key}` must be text, not {}", yaml::kind_of(&v)),
                    )
                    .at(f.ctx.key_location(&["sources", &key]))
                    .help(format!(
                        "write it like this:\n{}",
                        contract::field(SOURCE, &key).example
                    ));
                f.push(d);
                src.reported.push(key);
                continue;
            };
            let Some(text) = f.checked_text(&["sources", &key], text) else {
                src.reported.push(key);
                continue;
            };
            match key.as_str() {
                "title" => src.title = Some(text),
                "url" => src.url = Some(text),
                "publisher" => src.publisher = Some(text),
                _ => src.date = Some(text),
            }
        }
        src.anchor = first_value;
        out.push(src);
    }
    Some(out)
}

fn parse_date(f: &mut Fields, key: &str, raw: &String) -> Option<PartialDate> {
    match PartialDate::parse(raw) {
        Ok(d) => Some(d),
        Err(e) => {
            let msg = match e {
                DateError::Form => format!("`{raw}` is not a date"),
                DateError::Impossible(why) => format!("`{raw}` is not a real date: {why}"),
            };
            let d = f
                .ctx
                .error("bad-date", format!("{key}: {msg}"))
                .at(f.ctx.value_location(&[key], raw))
                .help(ACCEPTED_FORMS);
            f.push(d);
            None
        }
    }
}

/// Checks an id against its list in site.yaml, with "did you mean" and the list itself as
/// help.
fn check_id(f: &mut Fields, key: &str, value: &str, ids: contract::Ids, config: &Config) -> bool {
    let values = ids.values(config);
    if values.iter().any(|(id, _)| *id == value) {
        return true;
    }
    // The list is made only for the message.
    let known: Vec<&str> = values.into_iter().map(|(id, _)| id).collect();
    let what = ids.noun();
    let what_plural = if what.ends_with('s') {
        format!("{what}es")
    } else {
        format!("{what}s")
    };
    let mut help = match did_you_mean(value, known.iter().copied()) {
        Some(h) => format!("{h} — known {what_plural}: {}", known.join(", ")),
        None if known.is_empty() => format!("site.yaml defines no {what_plural} yet"),
        None => format!("known {what_plural}: {}", known.join(", ")),
    };
    help.push_str(ids.extra_help());
    let d = f
        .ctx
        .error(ids.unknown_code(), format!("unknown {what} `{value}`"))
        .at(f.ctx.value_location(&[key], value))
        .help(help);
    f.push(d);
    false
}

/// A required field holding one id from site.yaml: the id, or `None` with the problem
/// reported.
fn required_id(
    f: &mut Fields,
    name: &str,
    raw: Option<&String>,
    config: &Config,
) -> Option<String> {
    let fd = field(name);
    let contract::Type::Id(ids) = fd.ty else {
        unreachable!("`{name}` is an id field in the contract")
    };
    match raw {
        Some(s) => check_id(f, name, s, ids, config).then(|| s.clone()),
        None => {
            f.missing(fd, Some(config));
            None
        }
    }
}

/// A list item written twice: an error, as in the schema (`uniqueItems`).
fn report_duplicate(f: &mut Fields, key: &str, value: &str) {
    let d = f
        .ctx
        .error("duplicate-item", format!("`{key}` lists `{value}` twice"))
        .at(f.ctx.value_location(&[key], value))
        .help(format!("remove the second `{value}`: each is listed once"));
    f.push(d);
}

/// The dates of an entry: `date` (required), `end` (not before `date`) and `updated`,
/// and whether `end` is usable.
fn validate_dates(
    f: &mut Fields,
    raw: &RawFrontMatter,
) -> (
    Option<PartialDate>,
    Option<PartialDate>,
    Option<PartialDate>,
    bool,
) {
    let date = match &raw.date {
        Some(r) => parse_date(f, "date", r),
        None => {
            f.missing(field("date"), None);
            None
        }
    };
    let end = raw.end.as_ref().and_then(|r| parse_date(f, "end", r));
    let mut ok = true;
    if let (Some(d), Some(e), Some(r)) = (date, end, raw.end.as_deref())
        && e.first_day() < d.first_day()
    {
        let err = f
            .ctx
            .error(
                "end-before-date",
                format!("`end` ({e}) is before `date` ({d})"),
            )
            .at(f.ctx.value_location(&["end"], r))
            .help(
                "`end` is when the reform stopped or was completed; it cannot come before `date`",
            );
        f.push(err);
        ok = false;
    }
    let updated = raw
        .updated
        .as_ref()
        .and_then(|r| parse_date(f, "updated", r));
    (date, end, updated, ok)
}

/// Validates an entry. Returns `None` when a required field is missing or wrong; every
/// problem is in `f.diags`.
pub fn validate(
    mut raw: RawFrontMatter,
    f: &mut Fields,
    config: &Config,
    mut doc: Document,
) -> Option<Entry> {
    let mut ok = true;
    doc.draft = raw.draft.unwrap_or(false);
    let doc = doc_slug(doc, raw.slug.as_ref(), f, raw.title.as_deref());
    ok &= f.require_text(field("title"), raw.title.as_deref());
    let (date, end, updated, dates_ok) = validate_dates(f, &raw);
    ok &= dates_ok;
    let status = required_id(f, "status", raw.status.as_ref(), config);
    let instrument = required_id(f, "instrument", raw.instrument.as_ref(), config);
    let (themes, themes_ok) = validate_themes(f, raw.themes.as_deref(), config);
    ok &= themes_ok;
    let (thread, step, thread_ok) = validate_thread(f, raw.thread.take(), raw.step.take(), config);
    ok &= thread_ok;
    let summary = validate_summary(f, raw.summary.take());
    let (sources, sources_ok) = validate_sources(f, raw.sources.take());
    ok &= sources_ok;
    let (extra, extra_ok) = validate_extra(f, raw.extra.take());
    ok &= extra_ok;
    let mut related: Vec<String> = Vec::new();
    for s in raw.related.take().unwrap_or_default() {
        if related.contains(&s) {
            report_duplicate(f, "related", &s);
            ok = false;
        } else {
            related.push(s);
        }
    }
    let doc = doc?;
    let (Some(date), Some(status), Some(instrument), Some(summary), true) =
        (date, status, instrument, summary, ok)
    else {
        return None;
    };
    Some(Entry {
        doc,
        date,
        end,
        status,
        instrument,
        jurisdiction: raw
            .jurisdiction
            .unwrap_or_else(|| config.jurisdiction.clone()),
        themes,
        thread,
        step,
        summary,
        sources,
        related,
        updated,
        extra,
    })
}

/// The entry's sources, and whether all of them are usable; no sources is a warning.
fn validate_sources(f: &mut Fields, raw: Option<Vec<RawSource>>) -> (Vec<Source>, bool) {
    let mut ok = true;
    let mut sources = Vec::new();
    match raw {
        Some(list) if !list.is_empty() => {
            for s in list {
                if let Some(src) = validate_source(f, s) {
                    sources.push(src);
                } else {
                    ok = false;
                }
            }
        }
        _ if f.was_reported("sources") => ok = false,
        _ => {
            let d = f
                .ctx
                .warning("no-sources", "the entry cites no sources")
                .at(f.ctx.front_matter_location())
                .label("in this front matter")
                .help("add the sources it is based on:\nsources:\n  - title: \"…\"\n    url: \"https://…\"");
            f.push(d);
        }
    }
    (sources, ok)
}

/// `extra:` as JSON for templates, and whether it is a mapping as it must be.
fn validate_extra(f: &mut Fields, raw: Option<Value>) -> (serde_json::Value, bool) {
    let mut ok = true;
    let extra = match raw {
        None => serde_json::Value::Object(Default::default()),
        Some(v @ Value::Mapping(_)) => yaml::to_json(&v),
        Some(other) => {
            let d = f
                .ctx
                .error(
                    "wrong-type",
                    format!("`extra` must be a mapping, not {}", yaml::kind_of(&other)),
                )
                .at(f.ctx.key_location(&["extra"]))
                .help("write it like this:\nextra:\n  key: value");
            f.push(d);
            ok = false;
            serde_json::Value::Null
        }
    };
    (extra, ok)
}

/// The entry's themes, each checked against site.yaml and written once, and whether all
/// of them are usable.
fn validate_themes(f: &mut Fields, raw: Option<&[String]>, config: &Config) -> (Vec<String>, bool) {
    let fd = field("themes");
    let contract::Type::IdList(ids) = fd.ty else {
        unreachable!("`themes` is an id list in the contract")
    };
    let mut ok = true;
    let mut themes = Vec::new();
    match raw {
        Some(list) if !list.is_empty() => {
            for t in list {
                if themes.contains(t) {
                    report_duplicate(f, "themes", t);
                    ok = false;
                } else if check_id(f, "themes", t, ids, config) {
                    themes.push(t.clone());
                } else {
                    ok = false;
                }
            }
        }
        Some(_) => {
            let theme_ids: Vec<&str> = ids.values(config).into_iter().map(|(id, _)| id).collect();
            let d = f
                .ctx
                .error("empty-field", "`themes` is empty")
                .at(f.ctx.key_location(&["themes"]))
                .help(format!(
                    "file the entry under at least one theme: {}",
                    theme_ids.join(", ")
                ));
            f.push(d);
            ok = false;
        }
        None => {
            f.missing(fd, Some(config));
            ok = false;
        }
    }
    (themes, ok)
}

/// The entry's thread (checked against site.yaml's `threads`, like a theme) and its
/// step name (text, and only with a thread), and whether both are usable.
fn validate_thread(
    f: &mut Fields,
    thread: Option<String>,
    step: Option<String>,
    config: &Config,
) -> (Option<String>, Option<String>, bool) {
    let contract::Type::Id(ids) = field("thread").ty else {
        unreachable!("`thread` is an id field in the contract")
    };
    let mut ok = true;
    let thread = match thread {
        Some(t) if t.trim().is_empty() => {
            let d = f
                .ctx
                .error("empty-field", "`thread` is empty")
                .at(f.ctx.key_location(&["thread"]))
                .help(format!(
                    "write it like this: {}, or remove the line",
                    field("thread").missing_example(Some(config))
                ));
            f.push(d);
            ok = false;
            None
        }
        Some(t) => {
            let t = t.trim().to_string();
            if check_id(f, "thread", &t, ids, config) {
                Some(t)
            } else {
                ok = false;
                None
            }
        }
        None => None,
    };
    let step = match step.map(|s| s.trim().to_string()) {
        Some(s) if s.is_empty() => {
            let d = f
                .ctx
                .error("empty-field", "`step` is empty")
                .at(f.ctx.key_location(&["step"]))
                .help(format!(
                    "write the step's short name, e.g. {}, or remove the line",
                    field("step").example
                ));
            f.push(d);
            ok = false;
            None
        }
        Some(_) if thread.is_none() && !f.was_reported("thread") && ok => {
            let d = f
                .ctx
                .error("step-without-thread", "`step` is given but `thread` is not")
                .at(f.ctx.key_location(&["step"]))
                .help(format!(
                    "a step belongs to a thread: add a line such as {}, or remove `step`",
                    field("thread").missing_example(Some(config))
                ));
            f.push(d);
            ok = false;
            None
        }
        other => other,
    };
    (thread, step, ok)
}

/// The summary, trimmed (a warning when it is long), or `None` with the problem reported.
fn validate_summary(f: &mut Fields, raw: Option<String>) -> Option<String> {
    if !f.require_text(field("summary"), raw.as_deref()) {
        return None;
    }
    let s = raw?;
    let n = s.chars().count();
    if n > SUMMARY_MAX {
        let d = f
            .ctx
            .warning("long-summary", format!("the summary is {n} characters long"))
            .at(f.ctx.key_location(&["summary"]))
            .help(format!("keep it to one or two sentences (under {SUMMARY_MAX} characters); the body has room for the rest"));
        f.push(d);
    }
    Some(s.trim().to_string())
}

fn validate_source(f: &mut Fields, s: RawSource) -> Option<Source> {
    let mut ok = true;
    let reported = |key: &str| s.reported.iter().any(|k| k == key);
    let title = match s.title {
        Some(t) if !t.trim().is_empty() => t,
        None if reported("title") => {
            ok = false;
            String::new()
        }
        _ => {
            let d = f
                .ctx
                .error("source-without-title", "a source has no `title`")
                .at(source_location(f, &s.anchor))
                .help("name the document cited, e.g. title: \"Law No. 404-VI of 2 January 2021\"");
            f.push(d);
            ok = false;
            String::new()
        }
    };
    let url = match s.url {
        Some(u) if is_web_url(u.trim()) => {
            // A citation keeps the address that was read, http: or not: "upgrading" it
            // could point at a page nobody checked. Body links do get an http: warning.
            u.trim().to_string()
        }
        Some(u) => {
            let d = f
                .ctx
                .error("bad-url", format!("source URL `{u}` is not a web address"))
                .at(f.ctx.value_location(&["sources"], &u))
                .help(WEB_URL_HELP);
            f.push(d);
            return None;
        }
        None if reported("url") => return None,
        None => {
            let d = f
                .ctx
                .error("source-without-url", format!("the source \"{title}\" has no `url`"))
                .at(source_location(f, &s.anchor))
                .help("every source needs the address where a reader can check it: url: \"https://…\"");
            f.push(d);
            return None;
        }
    };
    let date = match &s.date {
        Some(text) => match PartialDate::parse(text) {
            Ok(d) => Some(d),
            Err(_) => {
                let d = f
                    .ctx
                    .error(
                        "bad-date",
                        format!("the source's date `{text}` is not a date"),
                    )
                    .at(f.ctx.value_location(&["sources"], text))
                    .help(ACCEPTED_FORMS);
                f.push(d);
                ok = false;
                None
            }
        },
        None => None,
    };
    ok.then_some(Source {
        title,
        url,
        publisher: s.publisher.filter(|p| !p.trim().is_empty()),
        date,
    })
}
