//! Reads front-matter fields one at a time from a parsed mapping, so that every problem in
//! a file is reported (an unknown key, a wrong type, a bad value), each at its line and
//! column in the file, with a hint where one helps. Each problem is reported once: a field
//! of the wrong type is not reported as missing too. Which fields exist and how they are
//! written comes from the contract ([`super::contract`]); the rule for which characters
//! text may hold ([`forbidden_char`]) lives here, shared with `annals new` and site.yaml.

use super::contract::Field;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::yaml::{self, Value};

/// A source file's text and where its YAML block sits in it.
pub struct FileCtx<'a> {
    pub display: &'a str,
    pub text: &'a str,
    pub yaml: &'a str,
    pub yaml_offset: usize,
}

/// The error for a text value `name` holding [`forbidden_char`] `c` (front matter and
/// site.yaml alike); the caller adds the file and position.
pub fn control_character(name: &str, c: char) -> Diagnostic {
    Diagnostic::error(
        "control-character",
        format!(
            "`{name}` holds an invisible control character (U+{:04X})",
            c as u32
        ),
    )
    .help("remove it: in \"double quotes\", escapes such as \\a, \\e or \\u0007 write invisible characters that break pages and feeds")
}

impl FileCtx<'_> {
    /// The key `path` in the front matter, or the opening `---` when it cannot be found.
    pub fn key_location(&self, path: &[&str]) -> Location {
        match yaml::find_key(self.yaml, path) {
            Some((off, len)) => Location::of_offset(self.text, self.yaml_offset + off, len),
            None => self.front_matter_location(),
        }
    }

    /// Where `value` is written under `key`, else the key itself.
    pub fn value_location(&self, path: &[&str], value: &str) -> Location {
        match yaml::find_value(self.yaml, path, value) {
            Some(off) => Location::of_offset(self.text, self.yaml_offset + off, value.len()),
            None => self.key_location(path),
        }
    }

    pub fn front_matter_location(&self) -> Location {
        Location::of_line(self.text, 1)
    }

    pub fn error(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, message).in_file(self.display)
    }

    pub fn warning(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::warning(code, message).in_file(self.display)
    }
}

/// The fields of one front matter, taken out one by one.
pub struct Fields<'a> {
    pub ctx: &'a FileCtx<'a>,
    fields: Vec<(String, Value)>,
    pub diags: Vec<Diagnostic>,
    /// Keys already reported as unusable (wrong type, bad characters): not "missing" too.
    reported: Vec<String>,
    /// Keys written with no value (`title:`, `title: ~`): empty, not missing.
    nulls: Vec<String>,
}

/// The first character that text written by an editor may not hold: a control character
/// other than a line break or a tab (YAML escapes such as `\a`, `\e` or `\u0007` make
/// them; they are invisible on the page and make the Atom feed invalid XML).
pub fn forbidden_char(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\t')
}

impl<'a> Fields<'a> {
    pub fn new(ctx: &'a FileCtx<'a>, fields: Vec<(String, Value)>) -> Fields<'a> {
        Fields {
            ctx,
            fields,
            diags: Vec::new(),
            reported: Vec::new(),
            nulls: Vec::new(),
        }
    }

    /// Reports (and drops) every key not in `table`, suggesting the closest known one.
    pub fn reject_unknown(&mut self, table: &[Field], what: &str) {
        let known = super::contract::names(table);
        let known = known.as_slice();
        let ctx = self.ctx;
        let mut diags = Vec::new();
        self.fields.retain(|(k, _)| {
            if known.contains(&k.as_str()) {
                return true;
            }
            let help = match did_you_mean(k, known.iter().copied()) {
                Some(h) => format!("{h} (the fields of {what} are: {})", known.join(", ")),
                None => format!("the fields of {what} are: {}", known.join(", ")),
            };
            diags.push(
                ctx.error("unknown-field", format!("unknown field `{k}`"))
                    .at(ctx.key_location(&[k]))
                    .help(help),
            );
            false
        });
        self.diags.extend(diags);
    }

    /// Removes and returns a field's value (`null` counts as absent).
    pub fn take(&mut self, key: &str) -> Option<Value> {
        let i = self.fields.iter().position(|(k, _)| k == key)?;
        let (k, v) = self.fields.remove(i);
        if v.is_null() {
            self.nulls.push(k);
            None
        } else {
            Some(v)
        }
    }

    /// The keys not taken yet: after a `read`, none (tests hold every reader to its table).
    pub fn unread(&self) -> Vec<&str> {
        self.fields.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// Whether `key` was already reported as unusable (so it is not reported as missing).
    pub fn was_reported(&self, key: &str) -> bool {
        self.reported.iter().any(|k| k == key)
    }

    /// Remembers that `key` has been reported as unusable.
    pub fn mark_reported(&mut self, key: &str) {
        if !self.was_reported(key) {
            self.reported.push(key.to_string());
        }
    }

    /// `text` when it holds no [`forbidden_char`]; otherwise an error at the key `path`.
    pub fn checked_text(&mut self, path: &[&str], text: String) -> Option<String> {
        let Some(c) = forbidden_char(&text) else {
            return Some(text);
        };
        let name = path.join(".");
        let d = control_character(&name, c)
            .in_file(self.ctx.display)
            .at(self.ctx.key_location(path));
        self.diags.push(d);
        self.mark_reported(path[0]);
        None
    }

    fn type_error(&mut self, key: &str, expected: &str, found: &Value, example: &str) {
        self.mark_reported(key);
        let d = self
            .ctx
            .error(
                "wrong-type",
                format!("`{key}` must be {expected}, not {}", yaml::kind_of(found)),
            )
            .at(self.ctx.key_location(&[key]))
            .help(format!("write it like this: {example}"));
        self.diags.push(d);
    }

    /// A text field (text, dates, ids, slugs). Numbers and booleans are accepted as written.
    pub fn string(&mut self, field: &Field) -> Option<String> {
        let (key, example) = (field.name, field.example);
        let v = self.take(key)?;
        match yaml::scalar_text(&v) {
            Some(s) => self.checked_text(&[key], s),
            None => {
                self.type_error(key, "text", &v, example);
                None
            }
        }
    }

    /// A slug field, with where its value is written (a bad slug is reported there, once
    /// the file name is known not to be used instead).
    pub fn slug(&mut self, field: &Field) -> Option<(String, Location)> {
        let s = self.string(field)?;
        let loc = self.ctx.value_location(&[field.name], &s);
        Some((s, loc))
    }

    /// A list of text items (a single item is accepted as a list of one). Where an item is
    /// written is looked up only when it turns out to be wrong (`ctx.value_location`).
    pub fn list(&mut self, field: &Field) -> Option<Vec<String>> {
        let (key, example) = (field.name, field.example);
        let v = self.take(key)?;
        let items: Vec<Value> = match v {
            Value::Sequence(items) => items,
            ref scalar if yaml::scalar_text(scalar).is_some() => vec![scalar.clone()],
            other => {
                self.type_error(key, "a list", &other, example);
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match yaml::scalar_text(&item) {
                Some(s) => out.extend(self.checked_text(&[key], s)),
                None => {
                    self.type_error(key, "a list of names", &item, example);
                }
            }
        }
        // A list with a bad item is reported once, not again as empty or missing.
        (!self.was_reported(key)).then_some(out)
    }

    pub fn bool(&mut self, field: &Field) -> Option<bool> {
        let v = self.take(field.name)?;
        match v {
            Value::Bool(b, _) => Some(b),
            other => {
                self.type_error(field.name, "true or false", &other, field.example);
                None
            }
        }
    }

    pub fn int(&mut self, field: &Field) -> Option<i64> {
        let (key, example) = (field.name, field.example);
        let v = self.take(key)?;
        match v.as_i64() {
            Some(i) => Some(i),
            None => {
                self.type_error(key, "a whole number", &v, example);
                None
            }
        }
    }

    /// A required field that is missing: an error pointing at the front matter. Nothing when
    /// the field is there but was already reported (a wrong type, a control character).
    /// `config` supplies the first id for an id field's example.
    pub fn missing(&mut self, field: &Field, config: Option<&Config>) {
        let key = field.name;
        let example = field.missing_example(config);
        if self.was_reported(key) {
            return;
        }
        if self.nulls.iter().any(|k| k == key) {
            let d = self
                .ctx
                .error("empty-field", format!("`{key}` has no value"))
                .at(self.ctx.key_location(&[key]))
                .help(format!("write it like this: {example}"));
            self.diags.push(d);
            return;
        }
        let d = self
            .ctx
            .error("missing-field", format!("missing required field `{key}`"))
            .at(self.ctx.front_matter_location())
            .label("in this front matter")
            .help(format!("add a line such as: {example}"));
        self.diags.push(d);
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A required text field: `true` when it has text; otherwise reports it as empty (with
    /// the field's `when_empty`) or missing, once.
    pub fn require_text(&mut self, field: &Field, value: Option<&str>) -> bool {
        let key = field.name;
        match value {
            Some(t) if !t.trim().is_empty() => true,
            Some(_) => {
                let d = self
                    .ctx
                    .error("empty-field", format!("`{key}` is empty"))
                    .at(self.ctx.key_location(&[key]))
                    .help(field.when_empty);
                self.push(d);
                false
            }
            None => {
                self.missing(field, None);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_forbidden_but_line_breaks_and_tabs_are_not() {
        assert_eq!(forbidden_char("A\u{7}title"), Some('\u{7}'));
        assert_eq!(forbidden_char("esc \u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(forbidden_char("csi \u{9b}"), Some('\u{9b}'));
        assert_eq!(forbidden_char("a\rb"), Some('\r'));
        assert_eq!(forbidden_char("two\nlines\tand a tab"), None);
        assert_eq!(forbidden_char("Закон № 5"), None);
    }
}
