//! A JSON Schema (draft 2020-12) of entry front matter, so that editors get completion and
//! validation in their editor. It is derived from the front-matter contract
//! ([`crate::content::contract`]) and uses standard keywords only (it compiles in ajv's
//! strict mode). Run inside a site, the theme, status and instrument ids of its `site.yaml`
//! become enums, each labelled (`oneOf` of `const` + `title`). Whatever the schema rejects,
//! `annals check` rejects too; `check` is stricter where a schema cannot see:
//! [`CANNOT_EXPRESS`].

use crate::config::Config;
use crate::content::contract::{self, ENTRY, Field, Ids, Need, SOURCE, Type, patterns};
use serde_json::{Value, json};

/// What `annals check` checks that the schema cannot express.
pub const CANNOT_EXPRESS: &str = "Not expressed here, checked by `annals check`: calendar validity (2021-02-29), a year's four digits where YAML reads a number (999), `end` not before `date`, `related` naming existing entries, `step` only with `thread`, unique slugs, placeholders and warnings.";

/// The ids and labels of a list: the site's, or the defaults outside a site (`None` for
/// themes, which have none).
fn id_values(ids: Ids, config: Option<&Config>) -> Option<Vec<(String, String)>> {
    let owned = |list: Vec<(&str, &str)>| {
        list.into_iter()
            .map(|(i, l)| (i.to_string(), l.to_string()))
            .collect()
    };
    match config {
        Some(c) => Some(owned(ids.values(c))),
        None if ids.defaults().is_empty() => None,
        None => Some(owned(ids.defaults().to_vec())),
    }
}

fn one_id(ids: Ids, config: Option<&Config>) -> Value {
    match id_values(ids, config) {
        // A site that declares no threads: only an absent (null) `thread` is valid.
        Some(list) if list.is_empty() => json!(false),
        Some(list) => json!({
            "type": "string",
            "enum": list.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
            "oneOf": list.iter().map(|(id, label)| json!({ "const": id, "title": label })).collect::<Vec<_>>(),
        }),
        None => json!({ "type": "string", "pattern": patterns::SLUG }),
    }
}

/// `item`, or a list of distinct `item`s (`min` items at least): a single item may be
/// written without brackets.
fn one_or_list(item: Value, min: usize) -> Value {
    json!({ "anyOf": [
        item,
        { "type": "array", "minItems": min, "uniqueItems": true, "items": item }
    ] })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

/// The value schemas shared by several fields, under `$defs`.
fn definitions(config: Option<&Config>) -> Value {
    // YAML reads `2021` and `true` as a number and a boolean; `check` takes them as written.
    let text = |pattern: String| json!({ "anyOf": [{ "type": "string", "pattern": pattern }, { "type": "number" }, { "type": "boolean" }] });
    json!({
        "text": text(patterns::text()),
        "required-text": text(patterns::non_blank_text()),
        "date": { "anyOf": [
            { "type": "string", "pattern": patterns::date() },
            // A year YAML reads as a number: `0999` is the number 999, so the four digits
            // as written are check's to see.
            { "type": "integer", "minimum": 1, "maximum": 9999 }
        ] },
        "slug": { "anyOf": [
            { "type": "string", "pattern": patterns::SLUG },
            { "type": "integer", "minimum": 0 },
            { "type": "boolean" }
        ] },
        "web-url": { "type": "string", "pattern": patterns::web_url() },
        "status": one_id(Ids::Status, config),
        "instrument": one_id(Ids::Instrument, config),
        "theme": one_id(Ids::Theme, config),
        "thread": one_id(Ids::Thread, config),
        "source": object(SOURCE),
    })
}

/// The schema of a value of type `ty`.
fn value(ty: Type, required: bool) -> Value {
    match ty {
        Type::Text if required => reference("required-text"),
        Type::Text => reference("text"),
        Type::Date => reference("date"),
        Type::Id(ids) => reference(ids.noun()),
        Type::IdList(ids) => one_or_list(reference(ids.noun()), 1),
        Type::Slug => reference("slug"),
        Type::SlugList => one_or_list(reference("slug"), 0),
        Type::Sources => json!({ "type": "array", "items": reference("source") }),
        Type::Url => reference("web-url"),
        Type::Bool => json!({ "type": "boolean" }),
        Type::Int => json!({ "type": "integer" }),
        Type::Mapping => json!({ "type": "object" }),
    }
}

/// A field's schema: its value, or nothing (`null`) when it is not required, with its
/// description.
fn property(f: &Field) -> Value {
    let required = f.need == Need::Required;
    let mut schema = value(f.ty, required);
    if !required {
        schema = match schema {
            Value::Object(mut map) if map.contains_key("anyOf") => {
                if let Some(Value::Array(alts)) = map.get_mut("anyOf") {
                    alts.push(json!({ "type": "null" }));
                }
                Value::Object(map)
            }
            other => json!({ "anyOf": [other, { "type": "null" }] }),
        };
    }
    schema["description"] = Value::String(contract::described(f));
    schema
}

/// A mapping with the fields of `table`, and no others.
fn object(table: &[Field]) -> Value {
    let required: Vec<&str> = table
        .iter()
        .filter(|f| f.need == Need::Required)
        .map(|f| f.name)
        .collect();
    let properties: serde_json::Map<String, Value> = table
        .iter()
        .map(|f| (f.name.to_string(), property(f)))
        .collect();
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties,
    })
}

/// The schema; `config` (when run in a site) supplies the enums.
pub fn front_matter(config: Option<&Config>) -> Value {
    let title = config.map_or_else(
        || "annals entry".to_string(),
        |c| format!("annals entry: {}", c.title),
    );
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": "The YAML front matter of one entry (content/entries/*.md).",
        "$comment": format!("Written by `annals schema` from the front-matter contract. {CANNOT_EXPRESS}"),
    });
    if let (Value::Object(out), Value::Object(body)) = (&mut schema, object(ENTRY)) {
        out.extend(body);
    }
    schema["$defs"] = definitions(config);
    schema
}

/// The schema as pretty JSON with a final newline.
pub fn to_string(config: Option<&Config>) -> String {
    let mut s = serde_json::to_string_pretty(&front_matter(config)).expect("JSON values serialise");
    s.push('\n');
    s
}
