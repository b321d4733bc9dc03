//! The words of `site.yaml` in another language: the site's title and description, theme
//! and thread names and descriptions, status and instrument labels. One file per language,
//! `i18n/site.<code>.yaml` beside the message overrides, holding only words:
//!
//! ```yaml
//! title: "Реформы в области прав человека в Казахстане"
//! themes:
//!   torture: {name: "Пытки", description: "…"}
//! threads:
//!   torture-law: {name: "…", description: "…"}
//! statuses:
//!   signed: "Подписано"
//! instruments:
//!   law: "Закон"
//! ```
//!
//! Every id must be one site.yaml declares (the ids, their order, instruments' schema.org
//! types and every other setting are facts, stated once in site.yaml); a label a language
//! lacks falls back to site.yaml's words ([`crate::config::Config::label`]). This module
//! parses and checks text it is given (through [`crate::yaml`]); `config::load` reads the
//! files.

use crate::config::{Config, Label, Theme};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::yaml::{self, Value};
use std::collections::BTreeMap;

/// The folder, in the site root, of the label files (and of the message overrides).
pub const DIR: &str = "i18n";

/// The path of a language's label file, relative to the root: `i18n/site.ru.yaml`.
pub fn file_of(code: &str) -> String {
    format!("{DIR}/site.{code}.yaml")
}

/// The language a file name in [`DIR`] holds labels for: `site.ru.yaml` → `ru`.
pub fn language_of_file(name: &str) -> Option<&str> {
    let code = name.strip_prefix("site.")?.strip_suffix(".yaml")?;
    (!code.is_empty() && !code.contains('.')).then_some(code)
}

/// The keys a label file may hold, in the order the README lists them.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "themes",
    "threads",
    "statuses",
    "instruments",
];

/// Keys of site.yaml that are not words: set once for every language.
const FACTS: &[&str] = &[
    "base_url",
    "language",
    "languages",
    "jurisdiction",
    "author",
    "license",
    "timeline",
    "feed",
    "markdown",
];

/// A theme's or thread's words in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    pub name: Option<String>,
    pub description: Option<String>,
}

/// One language's labels, as its file gives them (only what it translates).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteLabels {
    /// `i18n/site.<code>.yaml`.
    pub file: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub themes: BTreeMap<String, Named>,
    pub threads: BTreeMap<String, Named>,
    pub statuses: BTreeMap<String, String>,
    pub instruments: BTreeMap<String, String>,
}

/// One translatable word of site.yaml, as the renderer asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKey<'a> {
    Title,
    Description,
    ThemeName(&'a str),
    ThemeDescription(&'a str),
    ThreadName(&'a str),
    ThreadDescription(&'a str),
    Status(&'a str),
    Instrument(&'a str),
}

impl LabelKey<'_> {
    /// The key as written in a label file: `themes.torture.name`, `statuses.signed`.
    pub fn dotted(&self) -> String {
        match self {
            LabelKey::Title => "title".into(),
            LabelKey::Description => "description".into(),
            LabelKey::ThemeName(id) => format!("themes.{id}.name"),
            LabelKey::ThemeDescription(id) => format!("themes.{id}.description"),
            LabelKey::ThreadName(id) => format!("threads.{id}.name"),
            LabelKey::ThreadDescription(id) => format!("threads.{id}.description"),
            LabelKey::Status(id) => format!("statuses.{id}"),
            LabelKey::Instrument(id) => format!("instruments.{id}"),
        }
    }
}

impl SiteLabels {
    /// This language's words for `key`, if its file gives them.
    pub fn get(&self, key: LabelKey<'_>) -> Option<&str> {
        fn named<'m>(m: &'m BTreeMap<String, Named>, id: &str, desc: bool) -> Option<&'m str> {
            let n = m.get(id)?;
            if desc {
                n.description.as_deref()
            } else {
                n.name.as_deref()
            }
        }
        match key {
            LabelKey::Title => self.title.as_deref(),
            LabelKey::Description => self.description.as_deref(),
            LabelKey::ThemeName(id) => named(&self.themes, id, false),
            LabelKey::ThemeDescription(id) => named(&self.themes, id, true),
            LabelKey::ThreadName(id) => named(&self.threads, id, false),
            LabelKey::ThreadDescription(id) => named(&self.threads, id, true),
            LabelKey::Status(id) => self.statuses.get(id).map(String::as_str),
            LabelKey::Instrument(id) => self.instruments.get(id).map(String::as_str),
        }
    }
}

/// site.yaml's words for `key` (`None` for an id it does not declare).
pub fn original<'a>(config: &'a Config, key: LabelKey<'_>) -> Option<&'a str> {
    let named = |list: &'a [Theme], id: &str, desc: bool| {
        list.iter().find(|t| t.id == id).map(|t| {
            if desc {
                t.description.as_str()
            } else {
                t.name.as_str()
            }
        })
    };
    let label =
        |list: &'a [Label], id: &str| list.iter().find(|l| l.id == id).map(|l| l.label.as_str());
    match key {
        LabelKey::Title => Some(&config.title),
        LabelKey::Description => Some(&config.description),
        LabelKey::ThemeName(id) => named(&config.themes, id, false),
        LabelKey::ThemeDescription(id) => named(&config.themes, id, true),
        LabelKey::ThreadName(id) => named(&config.threads, id, false),
        LabelKey::ThreadDescription(id) => named(&config.threads, id, true),
        LabelKey::Status(id) => label(&config.statuses, id),
        LabelKey::Instrument(id) => label(&config.instruments, id),
    }
}

/// Every word of site.yaml a language can translate, in site.yaml's order; an empty
/// description has nothing to translate and is left out.
pub fn all_keys(config: &Config) -> Vec<LabelKey<'_>> {
    let mut keys = vec![LabelKey::Title];
    if !config.description.is_empty() {
        keys.push(LabelKey::Description);
    }
    for t in &config.themes {
        keys.push(LabelKey::ThemeName(&t.id));
        if !t.description.is_empty() {
            keys.push(LabelKey::ThemeDescription(&t.id));
        }
    }
    for t in &config.threads {
        keys.push(LabelKey::ThreadName(&t.id));
        if !t.description.is_empty() {
            keys.push(LabelKey::ThreadDescription(&t.id));
        }
    }
    keys.extend(config.statuses.iter().map(|l| LabelKey::Status(&l.id)));
    keys.extend(
        config
            .instruments
            .iter()
            .map(|l| LabelKey::Instrument(&l.id)),
    );
    keys
}

/// Reads one label file (`file`, e.g. `i18n/site.ru.yaml`, its bytes `bytes`) against the
/// validated site.yaml. Every problem is pushed, at its line; what is sound is kept.
pub fn parse(file: &str, bytes: &[u8], config: &Config, diags: &mut Diagnostics) -> SiteLabels {
    let mut out = SiteLabels {
        file: file.to_string(),
        ..Default::default()
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        diags.push(
            Diagnostic::error("not-utf8", format!("{file} is not valid UTF-8 text"))
                .in_file(file)
                .help("save the file as UTF-8"),
        );
        return out;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top = match yaml::parse_mapping(text) {
        Ok(yaml::Document::Mapping(m)) => m,
        Ok(yaml::Document::Empty) => return out,
        Ok(yaml::Document::NotAMapping(what)) => {
            diags.push(
                Diagnostic::error(
                    "labels-not-mapping",
                    format!("{file} holds {what}, not a mapping of keys to words"),
                )
                .in_file(file)
                .help(format!(
                    "write keys such as `title:` and `themes:` ({})",
                    KEYS.join(", ")
                )),
            );
            return out;
        }
        Err(e) => {
            let mut d =
                Diagnostic::error("yaml", format!("{file} is not valid YAML: {}", e.message))
                    .in_file(file)
                    .help(e.help.unwrap_or(crate::content::YAML_HELP));
            if let (Some(line), Some(col)) = (e.line, e.column) {
                d = d.at(Location::of_line_col(text, line, col, 1));
            }
            diags.push(d);
            return out;
        }
    };
    let r = Reader { file, text };
    for (key, value) in top {
        match key.as_str() {
            "title" => out.title = r.text(&[&key], &value, diags),
            "description" => out.description = r.text(&[&key], &value, diags),
            "themes" => out.themes = r.named("themes", "theme", &config.themes, &value, diags),
            "threads" => out.threads = r.named("threads", "thread", &config.threads, &value, diags),
            "statuses" => {
                out.statuses = r.labels("statuses", "status", &config.statuses, &value, diags)
            }
            "instruments" => {
                out.instruments = r.labels(
                    "instruments",
                    "instrument",
                    &config.instruments,
                    &value,
                    diags,
                )
            }
            k if FACTS.contains(&k) => diags.push(r.fact(&[k])),
            k => {
                let help = if k == "steps" {
                    "a step's name is a word of its entry: write `step:` in the entry's \
                     translation (content/entries/<slug>.<code>.md)"
                        .to_string()
                } else {
                    accepted(k, KEYS)
                };
                diags.push(
                    r.error(
                        "unknown-field",
                        format!("unknown key `{k}` in {file}"),
                        &[k],
                    )
                    .help(help),
                );
            }
        }
    }
    out
}

/// "did you mean …? (accepted here: …)".
fn accepted(key: &str, keys: &[&str]) -> String {
    match did_you_mean(key, keys.iter().copied()) {
        Some(h) => format!("{h} (accepted here: {})", keys.join(", ")),
        None => format!("accepted here: {}", keys.join(", ")),
    }
}

struct Reader<'a> {
    file: &'a str,
    text: &'a str,
}

impl Reader<'_> {
    /// The key at `path`, or the nearest enclosing key that can be found (flow style).
    fn at(&self, path: &[&str]) -> Option<Location> {
        (1..=path.len())
            .rev()
            .find_map(|n| yaml::find_key(self.text, &path[..n]))
            .map(|(off, len)| Location::of_offset(self.text, off, len))
    }

    fn error(&self, code: &'static str, msg: String, path: &[&str]) -> Diagnostic {
        Diagnostic::error(code, msg)
            .in_file(self.file)
            .at_opt(self.at(path))
    }

    fn fact(&self, path: &[&str]) -> Diagnostic {
        let key = path.join(".");
        self.error(
            "labels-fact",
            format!("`{key}` is not a word to translate: it is set once, in site.yaml, for every language"),
            path,
        )
        .help(format!(
            "remove `{}` from {}; a label file holds only words ({})",
            path[path.len() - 1],
            self.file,
            KEYS.join(", ")
        ))
    }

    /// A text value: a string, or a number or boolean as written.
    fn text(&self, path: &[&str], value: &Value, diags: &mut Diagnostics) -> Option<String> {
        let key = path.join(".");
        let Some(s) = yaml::scalar_text(value) else {
            diags.push(
                self.error(
                    "labels-wrong-type",
                    format!("`{key}` is {}, but must be text", yaml::kind_of(value)),
                    path,
                )
                .help(format!(
                    "write the words in quotes: `{}: \"…\"`",
                    path[path.len() - 1]
                )),
            );
            return None;
        };
        if s.trim().is_empty() {
            diags.push(
                self.error("labels-empty", format!("`{key}` is empty"), path)
                    .help("write the words, or remove the key to show site.yaml's words"),
            );
            return None;
        }
        if let Some(c) = crate::content::fields::forbidden_char(&s) {
            diags.push(
                crate::content::fields::control_character(&key, c)
                    .in_file(self.file)
                    .at_opt(self.at(path)),
            );
            return None;
        }
        Some(s)
    }

    /// A mapping's entries, keys as written; anything else is an error at `path`.
    fn mapping(
        &self,
        path: &[&str],
        value: &Value,
        diags: &mut Diagnostics,
    ) -> Vec<(String, Value)> {
        match value {
            Value::Null => Vec::new(),
            Value::Mapping(m) => m
                .iter()
                .filter_map(|(k, v)| yaml::scalar_text(k).map(|k| (k, v.clone())))
                .collect(),
            other => {
                diags.push(
                    self.error(
                        "labels-wrong-type",
                        format!(
                            "`{}` is {}, but must be a mapping of ids",
                            path.join("."),
                            yaml::kind_of(other)
                        ),
                        path,
                    )
                    .help("write one id a line under it, as in site.yaml"),
                );
                Vec::new()
            }
        }
    }

    /// An id the section does not declare, with the closest one site.yaml has.
    fn unknown_id(&self, section: &str, noun: &str, id: &str, ids: &[&str]) -> Diagnostic {
        let mut help = format!(
            "only what site.yaml declares is translated; to add a {noun}, add it to site.yaml's `{section}:` first"
        );
        if let Some(h) = did_you_mean(id, ids.iter().copied()) {
            help = format!("{h} ({help})");
        }
        self.error(
            "labels-unknown-id",
            format!("{section}.{id}: no {noun} `{id}` in site.yaml"),
            &[section, id],
        )
        .help(help)
    }

    /// `themes:` or `threads:`: id → {name, description}.
    fn named(
        &self,
        section: &str,
        noun: &str,
        declared: &[Theme],
        value: &Value,
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, Named> {
        let ids: Vec<&str> = declared.iter().map(|t| t.id.as_str()).collect();
        let mut out = BTreeMap::new();
        for (id, v) in self.mapping(&[section], value, diags) {
            if !ids.contains(&id.as_str()) {
                diags.push(self.unknown_id(section, noun, &id, &ids));
                continue;
            }
            let mut named = Named::default();
            for (k, v) in self.mapping(&[section, &id], &v, diags) {
                let path = [section, id.as_str(), k.as_str()];
                match k.as_str() {
                    "name" => named.name = self.text(&path, &v, diags),
                    "description" => named.description = self.text(&path, &v, diags),
                    _ => diags.push(
                        self.error(
                            "unknown-field",
                            format!("unknown key `{k}` in {section}.{id}"),
                            &path,
                        )
                        .help(accepted(&k, &["name", "description"])),
                    ),
                }
            }
            out.insert(id, named);
        }
        out
    }

    /// `statuses:` or `instruments:`: id → label (an instrument's `{label: …}` form is
    /// read too; its `type` is a fact).
    fn labels(
        &self,
        section: &str,
        noun: &str,
        declared: &[Label],
        value: &Value,
        diags: &mut Diagnostics,
    ) -> BTreeMap<String, String> {
        let ids: Vec<&str> = declared.iter().map(|l| l.id.as_str()).collect();
        let mut out = BTreeMap::new();
        for (id, v) in self.mapping(&[section], value, diags) {
            if !ids.contains(&id.as_str()) {
                diags.push(self.unknown_id(section, noun, &id, &ids));
                continue;
            }
            let label = match &v {
                Value::Mapping(_) => {
                    let mut label = None;
                    for (k, v) in self.mapping(&[section, &id], &v, diags) {
                        let path = [section, id.as_str(), k.as_str()];
                        match k.as_str() {
                            "label" => label = self.text(&path, &v, diags),
                            "type" if section == "instruments" => diags.push(self.fact(&path)),
                            _ => diags.push(
                                self.error(
                                    "unknown-field",
                                    format!("unknown key `{k}` in {section}.{id}"),
                                    &path,
                                )
                                .help(format!("write the label alone: `{id}: \"…\"`")),
                            ),
                        }
                    }
                    label
                }
                _ => self.text(&[section, &id], &v, diags),
            };
            if let Some(l) = label {
                out.insert(id, l);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: T\nbase_url: https://a.org/\nlanguages: [{code: en}, {code: ru}]\nthemes:\n  torture:\n    name: Torture\n    description: About torture.\n  ombudsman:\n    name: Ombudsman\nthreads:\n  torture-law:\n    name: The law\n",
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let c = crate::config::load(dir.path(), &Default::default(), &mut diags).unwrap();
        assert!(!diags.has_errors(), "{diags:?}");
        c
    }

    fn read(text: &str) -> (SiteLabels, Vec<String>) {
        let mut diags = Diagnostics::new();
        let l = parse("i18n/site.ru.yaml", text.as_bytes(), &config(), &mut diags);
        let msgs = diags
            .iter()
            .map(|d| {
                format!(
                    "{}:{}: {}",
                    d.code,
                    d.location.as_ref().map_or(0, |l| l.line),
                    d.message
                )
            })
            .collect();
        (l, msgs)
    }

    #[test]
    fn words_are_read_and_ids_checked() {
        let (l, errs) = read(
            "title: Т\nthemes:\n  torture:\n    name: Пытки\n  tortur:\n    name: x\nstatuses:\n  signed: Подписано\n  sined: x\ninstruments:\n  law: {label: Закон}\n",
        );
        assert_eq!(l.get(LabelKey::Title), Some("Т"));
        assert_eq!(l.get(LabelKey::ThemeName("torture")), Some("Пытки"));
        assert_eq!(l.get(LabelKey::ThemeDescription("torture")), None);
        assert_eq!(l.get(LabelKey::Status("signed")), Some("Подписано"));
        assert_eq!(l.get(LabelKey::Instrument("law")), Some("Закон"));
        assert_eq!(
            errs,
            [
                "labels-unknown-id:5: themes.tortur: no theme `tortur` in site.yaml",
                "labels-unknown-id:9: statuses.sined: no status `sined` in site.yaml",
            ]
        );
    }

    #[test]
    fn facts_unknown_keys_and_wrong_types_are_errors_at_their_line() {
        let (_, errs) = read(
            "base_url: https://b.org/\ntitel: x\ninstruments:\n  law:\n    label: Закон\n    type: Legislation\nthemes:\n  torture:\n    name: [a]\n    colour: red\n",
        );
        assert_eq!(
            errs,
            [
                "labels-fact:1: `base_url` is not a word to translate: it is set once, in site.yaml, for every language",
                "unknown-field:2: unknown key `titel` in i18n/site.ru.yaml",
                "labels-fact:6: `instruments.law.type` is not a word to translate: it is set once, in site.yaml, for every language",
                "labels-wrong-type:9: `themes.torture.name` is a list, but must be text",
                "unknown-field:10: unknown key `colour` in themes.torture",
            ]
        );
    }

    #[test]
    fn file_names_name_their_language() {
        assert_eq!(language_of_file("site.ru.yaml"), Some("ru"));
        assert_eq!(language_of_file("site.kk-KZ.yaml"), Some("kk-KZ"));
        assert_eq!(language_of_file("ru.ftl"), None);
        assert_eq!(language_of_file("site.yaml"), None);
        assert_eq!(language_of_file("site.ru.yml"), None);
        assert_eq!(file_of("kk"), "i18n/site.kk.yaml");
    }

    #[test]
    fn every_translatable_word_has_a_key() {
        let c = config();
        let keys: Vec<String> = all_keys(&c).iter().map(LabelKey::dotted).collect();
        assert_eq!(
            keys[..6],
            [
                "title",
                "themes.torture.name",
                "themes.torture.description",
                "themes.ombudsman.name",
                "threads.torture-law.name",
                "statuses.announced",
            ]
        );
        for k in all_keys(&c) {
            assert!(original(&c, k).is_some(), "{k:?}");
        }
    }
}
