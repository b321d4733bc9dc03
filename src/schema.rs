//! A JSON Schema (draft 2020-12) of entry front matter, so that editors get completion and
//! validation in their editor. Run inside a site, the theme, status and instrument ids of
//! its `site.yaml` become enums.

use crate::config::{Config, DEFAULT_INSTRUMENTS, DEFAULT_STATUSES};
use crate::content::entry::SUMMARY_MAX;
use serde_json::{Value, json};

const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
const DATE: &str = "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$";

fn date(description: &str) -> Value {
    json!({
        "description": description,
        "anyOf": [
            { "type": "string", "pattern": DATE },
            { "type": "integer", "minimum": 1, "maximum": 9999 }
        ]
    })
}

fn ids(description: &str, ids: Option<Vec<(String, String)>>) -> Value {
    match ids {
        Some(list) => json!({
            "description": description,
            "enum": list.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
            "x-labels": list.iter().map(|(id, l)| (id.clone(), Value::String(l.clone()))).collect::<serde_json::Map<_, _>>(),
        }),
        None => json!({ "description": description, "type": "string", "pattern": SLUG }),
    }
}

/// The schema; `config` (when run in a site) supplies the enums.
pub fn front_matter(config: Option<&Config>) -> Value {
    let statuses = match config {
        Some(c) => c
            .statuses
            .iter()
            .map(|l| (l.id.clone(), l.label.clone()))
            .collect(),
        None => DEFAULT_STATUSES
            .iter()
            .map(|(i, l)| (i.to_string(), l.to_string()))
            .collect(),
    };
    let instruments = match config {
        Some(c) => c
            .instruments
            .iter()
            .map(|l| (l.id.clone(), l.label.clone()))
            .collect(),
        None => DEFAULT_INSTRUMENTS
            .iter()
            .map(|(i, l)| (i.to_string(), l.to_string()))
            .collect(),
    };
    let themes = config.map(|c| {
        c.themes
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect()
    });
    let title = config.map_or_else(
        || "annals entry".to_string(),
        |c| format!("annals entry: {}", c.title),
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "The YAML front matter of one entry (content/entries/*.md).",
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "date", "status", "instrument", "themes", "summary", "sources"],
        "properties": {
            "title": { "type": "string", "minLength": 1, "description": "The headline, plain text." },
            "date": date("When it happened: YYYY, YYYY-MM or YYYY-MM-DD; the precision is kept."),
            "end": date("For something that lasts: same forms, not before `date`."),
            "status": ids("An id from site.yaml `statuses`.", Some(statuses)),
            "instrument": ids("An id from site.yaml `instruments`.", Some(instruments)),
            "jurisdiction": { "type": "string", "description": "Defaults to site.yaml `jurisdiction`." },
            "themes": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": true,
                "description": "One or more theme ids from site.yaml `themes`.",
                "items": ids("A theme id.", themes)
            },
            "summary": {
                "type": "string",
                "minLength": 1,
                "description": format!("One or two sentences, plain text (a warning above {SUMMARY_MAX} characters).")
            },
            "sources": {
                "type": "array",
                "minItems": 1,
                "description": "What the entry is based on.",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["title", "url"],
                    "properties": {
                        "title": { "type": "string", "minLength": 1 },
                        "url": { "type": "string", "format": "uri", "pattern": "^https?://[^\\s/]+\\.[^\\s]*$|^https?://localhost" },
                        "publisher": { "type": "string" },
                        "date": date("When the source was published.")
                    }
                }
            },
            "related": {
                "type": "array",
                "uniqueItems": true,
                "description": "Slugs (file names without .md) of related entries.",
                "items": { "type": "string", "pattern": SLUG }
            },
            "slug": { "type": "string", "pattern": SLUG, "description": "Overrides the file name as the address." },
            "draft": { "type": "boolean", "description": "true keeps the entry out of the site unless built with --drafts." },
            "updated": date("When the entry was last revised."),
            "extra": { "type": "object", "description": "Free data for custom templates." }
        }
    })
}

/// The schema as pretty JSON with a final newline.
pub fn to_string(config: Option<&Config>) -> String {
    let mut s = serde_json::to_string_pretty(&front_matter(config)).expect("JSON values serialise");
    s.push('\n');
    s
}
