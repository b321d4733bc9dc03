//! Every use of the YAML crate lives here, so that `serde_yaml` (archived upstream) can be
//! swapped for an API-identical fork by changing this one file.
//!
//! The rest of annals sees three things: [`parse_mapping`] for front matter (a top-level
//! mapping whose fields are validated one by one, so that every problem of a file is
//! reported), [`from_str`] for `site.yaml` (deserialised straight into a raw struct), and
//! [`Value`] for field-by-field conversion. A [`Value`] scalar keeps the text as the editor
//! wrote it beside what YAML reads it as, so that `title: 12.10` stays `12.10` (YAML reads
//! a number, `12.1`) while `menu: 1` and `draft: true` keep their meaning. Errors come
//! back as [`YamlError`], with a 1-based line and column inside the YAML text, and the
//! message cleaned of the parser's own "at line N column M" suffix; a tab used for
//! indentation is explained and pointed at.

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// A parsed YAML value. Scalars that YAML reads as something other than text keep the
/// text as written (the `String` beside the number or boolean).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool, String),
    Number(serde_yaml::Number, String),
    String(String),
    Sequence(Vec<Value>),
    /// In the order written (YAML refuses duplicate keys).
    Mapping(Vec<(Value, Value)>),
    /// `!tag value`: the tag is dropped, the value kept.
    Tagged(Box<Value>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A whole number, when YAML reads the scalar as one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n, _) => n.as_i64(),
            _ => None,
        }
    }

    /// Pairs what YAML read (`typed`) with the text of each scalar (`text`, the same shape
    /// read a second time as text). Where the shapes disagree the typed value is written out.
    fn annotate(typed: serde_yaml::Value, text: Option<Text>) -> Value {
        match (typed, text) {
            (serde_yaml::Value::Null, _) => Value::Null,
            (serde_yaml::Value::Bool(b), t) => {
                Value::Bool(b, t.and_then(Text::scalar).unwrap_or_else(|| b.to_string()))
            }
            (serde_yaml::Value::Number(n), t) => {
                let text = t.and_then(Text::scalar).unwrap_or_else(|| n.to_string());
                Value::Number(n, text)
            }
            (serde_yaml::Value::String(s), _) => Value::String(s),
            (serde_yaml::Value::Sequence(items), t) => {
                let mut texts = match t {
                    Some(Text::Seq(v)) => v.into_iter().map(Some).collect(),
                    _ => Vec::new(),
                }
                .into_iter();
                Value::Sequence(
                    items
                        .into_iter()
                        .map(|v| Value::annotate(v, texts.next().flatten()))
                        .collect(),
                )
            }
            (serde_yaml::Value::Mapping(map), t) => {
                let mut texts = match t {
                    Some(Text::Map(v)) => v.into_iter().map(Some).collect(),
                    _ => Vec::new(),
                }
                .into_iter();
                Value::Mapping(
                    map.into_iter()
                        .map(|(k, v)| {
                            let (kt, vt) = texts.next().flatten().unzip();
                            (Value::annotate(k, kt), Value::annotate(v, vt))
                        })
                        .collect(),
                )
            }
            (serde_yaml::Value::Tagged(t), _) => {
                Value::Tagged(Box::new(Value::annotate(t.value, None)))
            }
        }
    }
}

/// The text of every scalar of a document, in the shape [`Guide`] read it in.
enum Text {
    Scalar(String),
    Seq(Vec<Text>),
    Map(Vec<(Text, Text)>),
    Skipped,
}

impl Text {
    fn scalar(self) -> Option<String> {
        match self {
            Text::Scalar(s) => Some(s),
            _ => None,
        }
    }
}

/// Reads a document a second time, guided by its first reading: scalars are asked for as
/// text, which the parser then gives as written (`12.10`, `0x1F`, `1e3`).
struct Guide<'v>(&'v serde_yaml::Value);

impl<'de> DeserializeSeed<'de> for Guide<'_> {
    type Value = Text;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Text, D::Error> {
        match self.0 {
            serde_yaml::Value::Sequence(items) => d.deserialize_seq(GuideSeq(items)),
            serde_yaml::Value::Mapping(map) => d.deserialize_map(GuideMap(map)),
            serde_yaml::Value::Tagged(_) => {
                d.deserialize_ignored_any(IgnoredAny).map(|_| Text::Skipped)
            }
            _ => d.deserialize_str(GuideStr),
        }
    }
}

struct GuideStr;

impl Visitor<'_> for GuideStr {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Scalar(v.to_string()))
    }
}

struct GuideSeq<'v>(&'v [serde_yaml::Value]);

impl<'de> Visitor<'de> for GuideSeq<'_> {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        let mut out = Vec::with_capacity(self.0.len());
        for item in self.0 {
            match seq.next_element_seed(Guide(item))? {
                Some(t) => out.push(t),
                None => break,
            }
        }
        Ok(Text::Seq(out))
    }
}

struct GuideMap<'v>(&'v serde_yaml::Mapping);

impl<'de> Visitor<'de> for GuideMap<'_> {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut out = Vec::with_capacity(self.0.len());
        for (k, v) in self.0 {
            let Some(kt) = map.next_key_seed(Guide(k))? else {
                break;
            };
            out.push((kt, map.next_value_seed(Guide(v))?));
        }
        Ok(Text::Map(out))
    }
}

/// Parses `text` into a [`Value`] whose scalars keep their written text.
fn parse_value(text: &str) -> Result<Value, YamlError> {
    let typed: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| YamlError::from_serde(&e, text))?;
    // The second read, for the text of numbers and booleans as written, is needed only
    // when there is one (most front matter has none: it halves the YAML work).
    let written = match &typed {
        serde_yaml::Value::Mapping(_) | serde_yaml::Value::Sequence(_)
            if has_typed_scalar(&typed) =>
        {
            let de = serde_yaml::Deserializer::from_str(text);
            Guide(&typed).deserialize(de).ok()
        }
        _ => None,
    };
    Ok(Value::annotate(typed, written))
}

/// Whether `value` holds a number or a boolean anywhere (keys included).
fn has_typed_scalar(value: &serde_yaml::Value) -> bool {
    use serde_yaml::Value as V;
    match value {
        V::Bool(_) | V::Number(_) => true,
        V::Sequence(items) => items.iter().any(has_typed_scalar),
        V::Mapping(map) => map
            .iter()
            .any(|(k, v)| has_typed_scalar(k) || has_typed_scalar(v)),
        V::Tagged(t) => has_typed_scalar(&t.value),
        V::Null | V::String(_) => false,
    }
}

/// A YAML problem, positioned in the YAML text (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// When the parser complained about an unknown field: the field and the accepted names.
    pub unknown_field: Option<(String, Vec<String>)>,
    /// How to fix it, when the problem is recognised (a tab used for indentation).
    pub help: Option<&'static str>,
}

impl YamlError {
    fn from_serde(err: &serde_yaml::Error, text: &str) -> Self {
        let (line, column) = match err.location() {
            Some(loc) => (Some(loc.line()), Some(loc.column())),
            None => (None, None),
        };
        let full = err.to_string();
        let about_tabs = full.contains("tab character");
        if let Some((line, column)) =
            line.and_then(|l| indentation_tab(text, l, column, about_tabs))
        {
            return YamlError {
                message: "YAML does not allow tabs for indentation".into(),
                line: Some(line),
                column: Some(column),
                unknown_field: None,
                help: Some("indent with spaces: replace the tab at this position with spaces"),
            };
        }
        let message = clean_message(&full);
        let unknown_field = parse_unknown_field(&message);
        // The parser's own limits, which quoting and indentation do not explain.
        let help = if full.contains("repetition limit exceeded") {
            Some(
                "aliases (`*name`) that repeat anchors (`&name`) which themselves repeat others \
                 grow too large to read: write the values out instead",
            )
        } else if full.contains("recursion limit exceeded") {
            Some(
                "lists and mappings are nested inside each other too deeply here \
                 (more than 128 levels): flatten them",
            )
        } else {
            None
        };
        YamlError {
            message,
            line,
            column,
            unknown_field,
            help,
        }
    }
}

/// The tab that made the parser fail at `line` (1-based): the one at `column` when it is in
/// the indentation (spaces, tabs and list dashes before the first other character); else,
/// when the parser's message is about a tab, the first tab in the indentation of that line
/// or of the nearest line above it. Returns its 1-based line and column (in characters).
fn indentation_tab(
    text: &str,
    line: usize,
    column: Option<usize>,
    about_tabs: bool,
) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.split('\n').take(line).collect();
    let at = lines.get(line.checked_sub(1)?)?;
    if let Some(col) = column
        && at.chars().nth(col.checked_sub(1)?) == Some('\t')
        && at
            .chars()
            .take(col - 1)
            .all(|c| matches!(c, ' ' | '\t' | '-'))
    {
        return Some((line, col));
    }
    if !about_tabs {
        return None;
    }
    lines.iter().enumerate().rev().find_map(|(i, l)| {
        l.chars()
            .take_while(|c| matches!(c, ' ' | '\t' | '-'))
            .position(|c| c == '\t')
            .map(|p| (i + 1, p + 1))
    })
}

/// Strips " at line N column M" from the parser's messages (we print positions ourselves),
/// keeping any "while parsing …" context.
fn clean_message(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut rest = full;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        // skip "N column M"
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Recognises serde's "unknown field `x`, expected one of `a`, `b`" message.
fn parse_unknown_field(message: &str) -> Option<(String, Vec<String>)> {
    let start = message.find("unknown field `")? + "unknown field `".len();
    let end = start + message[start..].find('`')?;
    let field = message[start..end].to_string();
    let tail = &message[end..];
    let expected = tail
        .split('`')
        .skip(2)
        .step_by(2)
        .map(str::to_string)
        .collect();
    Some((field, expected))
}

/// Deserialises a whole YAML document (used for `site.yaml`).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| YamlError::from_serde(&e, text))
}

/// What a front-matter block parsed into.
pub enum Document {
    /// The usual case: `key: value` pairs, in the order written.
    Mapping(Vec<(String, Value)>),
    /// An empty block (no keys at all).
    Empty,
    /// Valid YAML that is not a mapping (a list or a scalar); the string names what it is.
    NotAMapping(&'static str),
}

/// Parses a front-matter block. Keys that are not strings are reported as an error.
pub fn parse_mapping(text: &str) -> Result<Document, YamlError> {
    match parse_value(text)? {
        Value::Null => Ok(Document::Empty),
        Value::Mapping(map) => {
            let mut fields = Vec::with_capacity(map.len());
            for (k, v) in map {
                match k {
                    // `1: x` or `true: x` is a key as written, reported as an unknown field.
                    Value::String(s) | Value::Number(_, s) | Value::Bool(_, s) => {
                        fields.push((s, v));
                    }
                    other => {
                        return Err(YamlError {
                            message: format!(
                                "front matter keys must be names, found {}",
                                kind_of(&other)
                            ),
                            line: None,
                            column: None,
                            unknown_field: None,
                            help: None,
                        });
                    }
                }
            }
            Ok(Document::Mapping(fields))
        }
        Value::Tagged(_) => Ok(Document::NotAMapping("a tagged value")),
        other => Ok(Document::NotAMapping(kind_of(&other))),
    }
}

/// Names the kind of a value for messages ("a list", "a number"…).
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(..) => "true/false",
        Value::Number(..) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// Reads a scalar as text: strings as they are, numbers and booleans exactly as written
/// (`12.10`, not `12.1`). YAML reads `date: 2003` as a number and `date: 2003-12-17` as a
/// string; both are dates to us.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) | Value::Number(_, s) | Value::Bool(_, s) => Some(s.clone()),
        _ => None,
    }
}

/// Converts a YAML value into JSON for templates (`extra:`). Non-string keys become strings.
pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b, _) => serde_json::Value::Bool(*b),
        Value::Number(n, _) => {
            if let Some(i) = n.as_i64() {
                serde_json::Value::from(i)
            } else if let Some(u) = n.as_u64() {
                serde_json::Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(seq) => serde_json::Value::Array(seq.iter().map(to_json).collect()),
        Value::Mapping(map) => {
            // serde_json's map is sorted by key, so the output is deterministic.
            let obj = map
                .iter()
                .map(|(k, v)| {
                    let key = scalar_text(k).unwrap_or_else(|| kind_of(k).to_string());
                    (key, to_json(v))
                })
                .collect();
            serde_json::Value::Object(obj)
        }
        Value::Tagged(t) => to_json(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_keeps_position_and_drops_suffix() {
        let err = match parse_mapping("title: x\n  bad: [\n") {
            Err(e) => e,
            Ok(_) => panic!("expected an error"),
        };
        assert!(err.line.is_some());
        assert!(!err.message.contains(" at line "), "{}", err.message);
    }

    #[test]
    fn unknown_field_is_recognised() {
        let parsed =
            parse_unknown_field("unknown field `titel`, expected one of `title`, `description`");
        assert_eq!(
            parsed,
            Some((
                "titel".to_string(),
                vec!["title".to_string(), "description".to_string()]
            ))
        );
    }

    fn fields(text: &str) -> Vec<(String, Value)> {
        match parse_mapping(text) {
            Ok(Document::Mapping(m)) => m,
            _ => panic!("not a mapping: {text}"),
        }
    }

    #[test]
    fn scalars_keep_the_text_as_written() {
        let text = "a: 12.10\nb: 0x1F\nc: yes\nd: .5\ne: +1\nf: 0o17\ng: 1e3\nh: .inf\ni: True\nj: 1_000\nk: -0\n";
        let want = [
            "12.10", "0x1F", "yes", ".5", "+1", "0o17", "1e3", ".inf", "True", "1_000", "-0",
        ];
        let got: Vec<String> = fields(text)
            .iter()
            .map(|(_, v)| scalar_text(v).unwrap())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn nested_flow_aliased_and_folded_scalars_keep_their_text() {
        let text = "sources:\n  - title: 12.10\n    url: x\n  - {title: 0x1F, n: [1.50, true]}\nx: &a 2.0\ny: *a\nz: 3.10\n  more\n";
        let f = fields(text);
        let Value::Sequence(sources) = &f[0].1 else {
            panic!()
        };
        let title = |s: &Value| match s {
            Value::Mapping(m) => scalar_text(&m[0].1).unwrap(),
            _ => panic!(),
        };
        assert_eq!(title(&sources[0]), "12.10");
        assert_eq!(title(&sources[1]), "0x1F");
        let Value::Mapping(m) = &sources[1] else {
            panic!()
        };
        assert_eq!(
            m[1].1,
            Value::Sequence(vec![
                Value::Number(serde_yaml::Number::from(1.5), "1.50".into()),
                Value::Bool(true, "true".into()),
            ])
        );
        assert_eq!(scalar_text(&f[1].1).unwrap(), "2.0");
        assert_eq!(scalar_text(&f[2].1).unwrap(), "2.0");
        assert_eq!(scalar_text(&f[3].1).unwrap(), "3.10 more");
    }

    #[test]
    fn numbers_and_booleans_keep_their_meaning() {
        let f = fields("menu: 0x10\ndraft: true\nextra: {n: 1.50}\n");
        assert_eq!(f[0].1.as_i64(), Some(16));
        assert!(matches!(f[1].1, Value::Bool(true, _)));
        assert_eq!(to_json(&f[2].1), serde_json::json!({"n": 1.5}));
    }

    #[test]
    fn tabs_in_indentation_are_pointed_at() {
        let cases = [
            "title: x\n\tdate: y\n",
            "\ttitle: x\n",
            "sources:\n  - title: a\n\t  url: b\n",
            "sources:\n  -\ttitle: a\n    url: b\n",
            "sources:\n  - title: a\n  \t url: b\n",
            "sources:\n\t- title: a\n",
            "themes:\n  - a\n\t- b\n",
            "title: x\nsummary: |\n  a\n\tb\n",
            "a:\n  b: 1\n \t c: 2\n",
        ];
        for text in cases {
            let Err(e) = parse_mapping(text) else {
                continue;
            };
            assert_eq!(
                e.message, "YAML does not allow tabs for indentation",
                "{text:?}"
            );
            let line = text.split('\n').nth(e.line.unwrap() - 1).unwrap();
            assert_eq!(
                line.chars().nth(e.column.unwrap() - 1),
                Some('\t'),
                "{text:?}"
            );
            assert!(e.help.unwrap().contains("indent with spaces"));
        }
        // A tab inside a value is text, not indentation.
        assert!(parse_mapping("title: a\tb\n").is_ok());
        // Other errors keep the parser's message.
        let Err(e) = parse_mapping("summary: \"a\tb\"\nx: [\n") else {
            panic!()
        };
        assert!(!e.message.contains("tabs"), "{}", e.message);
    }

    #[test]
    fn keys_that_yaml_reads_as_numbers_are_names() {
        let f = fields("1.50: x\ntrue: y\n");
        assert_eq!(f[0].0, "1.50");
        assert_eq!(f[1].0, "true");
    }

    #[test]
    fn list_is_not_a_mapping() {
        assert!(matches!(
            parse_mapping("- a\n- b\n"),
            Ok(Document::NotAMapping("a list"))
        ));
    }
}

/// Where a key sits in YAML text: finds `path` (e.g. `["themes", "torture"]`) by
/// indentation, for block-style YAML as editors write it. Returns the byte offset and
/// length of the key. `None` for flow style or anything unusual; callers then fall back
/// to a coarser position.
pub fn find_key(text: &str, path: &[&str]) -> Option<(usize, usize)> {
    let mut parent_indent: Option<usize> = None;
    let mut offset = 0;
    let mut found = None;
    let mut lines = line_offsets(text).skip_while(|_| false).peekable();
    for key in path {
        found = None;
        for (start, line) in lines.by_ref() {
            if start < offset {
                continue;
            }
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if let Some(p) = parent_indent {
                if indent <= p {
                    return None;
                }
            } else if indent != 0 {
                continue;
            }
            let bare = trimmed.trim_start_matches("- ");
            let lead = trimmed.len() - bare.len();
            for quote in ["", "\"", "'"] {
                let candidate = format!("{quote}{key}{quote}:");
                if bare.starts_with(&candidate) {
                    let key_start = start + indent + lead + quote.len();
                    found = Some((key_start, key.len(), indent + lead));
                    break;
                }
            }
            if found.is_some() {
                offset = start + 1;
                break;
            }
        }
        let (_, _, indent) = found?;
        parent_indent = Some(indent);
    }
    found.map(|(start, len, _)| (start, len))
}

/// Where `value` is written inside the block of the key at `path` (on the key's line or
/// the more-indented lines below it), as a whole token. Returns its byte offset.
pub fn find_value(text: &str, path: &[&str], value: &str) -> Option<usize> {
    let (key_start, key_len) = find_key(text, path)?;
    let line_start = text[..key_start].rfind('\n').map_or(0, |i| i + 1);
    let key_indent = key_start - line_start;
    let mut search_from = key_start + key_len;
    let mut first = true;
    for (start, line) in line_offsets(text) {
        if start < line_start {
            continue;
        }
        if !first {
            let trimmed = line.trim_start();
            if !trimmed.is_empty()
                && line.len() - trimmed.len() <= key_indent
                && !trimmed.starts_with("- ")
            {
                return None;
            }
            if !trimmed.is_empty() && line.len() - trimmed.len() < key_indent {
                return None;
            }
        }
        first = false;
        let from = search_from.max(start);
        let line_end = start + line.len();
        let mut hay = &text[from..line_end];
        let mut base = from;
        while let Some(i) = hay.find(value) {
            let s = base + i;
            let e = s + value.len();
            let before_ok = text[..s]
                .chars()
                .next_back()
                .is_none_or(|c| !is_token_char(c));
            let after_ok = text[e..].chars().next().is_none_or(|c| !is_token_char(c));
            if before_ok && after_ok {
                return Some(s);
            }
            base = s + value.len();
            hay = &text[base..line_end];
        }
        search_from = line_end;
    }
    None
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '.'
}

fn line_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |line| {
        let s = start;
        start += line.len();
        (s, line.trim_end_matches(['\n', '\r']))
    })
}

#[cfg(test)]
mod locate_tests {
    use super::*;

    const SITE: &str = "title: x\nthemes:\n  torture:\n    name: Torture\n  death-penalty:\n    name: \"DP\"\nrelated: [a, b-c]\nlist:\n  - one\n  - two\n";

    #[test]
    fn finds_nested_keys() {
        let (off, len) = find_key(SITE, &["themes", "death-penalty"]).unwrap();
        assert_eq!(&SITE[off..off + len], "death-penalty");
        let (off, _) = find_key(SITE, &["themes", "death-penalty", "name"]).unwrap();
        assert!(SITE[off..].starts_with("name: \"DP\""));
        assert!(find_key(SITE, &["torture"]).is_none());
    }

    #[test]
    fn finds_values_as_tokens() {
        let off = find_value(SITE, &["related"], "b-c").unwrap();
        assert_eq!(&SITE[off..off + 3], "b-c");
        let off = find_value(SITE, &["list"], "two").unwrap();
        assert_eq!(&SITE[off..off + 3], "two");
        assert!(find_value(SITE, &["related"], "b").is_none());
    }
}
