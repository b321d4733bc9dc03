//! `site.yaml`: read into [`RawConfig`] (straight from YAML, everything optional, unknown
//! keys refused), then validated into [`Config`], which the rest of the build uses.
//! Problems become diagnostics located in `site.yaml`. URL values follow the one web-address
//! rule ([`is_web_url`]) that entry sources follow, and text values the one character rule
//! of front matter.

use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::i18n::labels::{self, LabelKey, SiteLabels};
use crate::slug;
use crate::yaml;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

/// The file name of the site configuration, at the site root.
pub const FILE: &str = "site.yaml";

/// A YAML mapping that keeps the order it was written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of ids to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Ordered(Vec::new()))
            }
        }
        d.deserialize_any(V2(PhantomData))
    }
}

/// `site.yaml` exactly as written.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub languages: Option<Vec<RawLanguage>>,
    pub jurisdiction: Option<String>,
    pub author: Option<RawAuthor>,
    pub themes: Option<Ordered<RawTheme>>,
    /// Reform threads: the dated steps of one reform (`threads:`, written like themes).
    pub threads: Option<Ordered<RawTheme>>,
    pub statuses: Option<Ordered<String>>,
    pub instruments: Option<Ordered<RawInstrument>>,
    pub timeline: Option<RawTimeline>,
    pub feed: Option<RawFeed>,
    pub markdown: Option<RawMarkdown>,
    pub license: Option<RawLicense>,
}

/// `license:` as written: the licence the chronicle's data is published under.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLicense {
    pub name: Option<String>,
    pub url: Option<String>,
}

/// An instrument as written: its label (`law: "Law"`), or its label and the schema.org
/// type of its entries' JSON-LD (`plan: { label: "Plan", type: "CreativeWork" }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawInstrument {
    Label(String),
    Full(RawInstrumentFull),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawInstrumentFull {
    pub label: String,
    #[serde(rename = "type")]
    pub schema_type: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarkdown {
    /// `sanitize` (the default) or `allow`.
    pub raw_html: Option<String>,
}

/// One of `languages:`: `{code: ru, name: Русский}`, with an optional `locale` for how
/// dates are written (`en-GB`: "9 June 2021"; default: the code).
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    pub code: String,
    pub name: Option<String>,
    pub locale: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawAuthor {
    pub name: String,
    pub url: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTheme {
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTimeline {
    pub order: Option<String>,
    pub home_limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    pub limit: Option<usize>,
}

/// A theme: a track of reforms entries are filed under.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: String,
    pub name: String,
    pub description: String,
}

/// An id with its human label (statuses, instruments).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub id: String,
    pub label: String,
    /// The schema.org type an instrument's entries have in JSON-LD, when site.yaml sets
    /// one (else one fitting the id, see `render::views::schema_type`).
    pub schema_type: Option<String>,
}

/// The licence of the chronicle's data (footer, data page, exports, feeds, JSON-LD).
#[derive(Debug, Clone, PartialEq)]
pub struct License {
    pub name: String,
    pub url: String,
}

/// Which way the timeline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Newest,
    Oldest,
}

/// A language of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language {
    /// A BCP 47 tag: `en`, `ru`, `kk`.
    pub code: String,
    /// Its name in itself: "English", "Русский", "Қазақша".
    pub name: String,
    /// The locale dates are written in (`en-GB`); the code when not given.
    pub locale: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
    pub email: Option<String>,
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Always ends with `/`; may carry a path (`https://org.github.io/chronicle/`).
    pub base_url: String,
    /// The default language's code: `languages[0].code`.
    pub language: String,
    /// The site's languages, the default first (served at the root; the others under
    /// `/<code>/`). One entry when site.yaml names only `language:`.
    pub languages: Vec<Language>,
    pub jurisdiction: String,
    pub author: Option<Author>,
    pub themes: Vec<Theme>,
    /// Reform threads, in the order written (same shape as themes; none is fine).
    pub threads: Vec<Theme>,
    pub statuses: Vec<Label>,
    pub instruments: Vec<Label>,
    pub order: Order,
    pub feed_limit: usize,
    /// At most this many entries on the home timeline; the rest are on the year pages.
    pub home_limit: usize,
    /// Raw HTML in Markdown is published as written (`markdown.raw_html: allow`).
    pub raw_html: bool,
    pub license: Option<License>,
    /// The words of site.yaml in the other languages (`i18n/site.<code>.yaml`), by code;
    /// read them with [`Config::label`].
    pub labels: BTreeMap<String, SiteLabels>,
}

pub const DEFAULT_STATUSES: &[(&str, &str)] = &[
    ("announced", "Announced"),
    ("proposed", "Proposed"),
    ("adopted", "Adopted"),
    ("signed", "Signed"),
    ("ratified", "Ratified"),
    ("in-force", "In force"),
    ("implemented", "Implemented"),
    ("repealed", "Repealed"),
];

pub const DEFAULT_INSTRUMENTS: &[(&str, &str)] = &[
    ("address", "Address"),
    ("decree", "Decree"),
    ("law", "Law"),
    ("constitutional-law", "Constitutional law"),
    ("constitutional-amendment", "Constitutional amendment"),
    ("treaty", "Treaty"),
    ("plan", "Plan"),
    ("institution", "Institution"),
    ("referendum", "Referendum"),
    ("parliamentary-vote", "Parliamentary vote"),
];

impl Config {
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// The reform thread `id`, if site.yaml declares it.
    pub fn thread(&self, id: &str) -> Option<&Theme> {
        self.threads.iter().find(|t| t.id == id)
    }

    /// A word of site.yaml in language `lang`: its label file's words when it has them,
    /// else site.yaml's (so a page always has a label; [`Config::label_lang`] says which
    /// language it is in). An id site.yaml does not declare is returned as it is.
    pub fn label<'a>(&'a self, lang: &str, key: LabelKey<'a>) -> &'a str {
        self.label_lang(lang, key).0
    }

    /// [`Config::label`] and the code of the language the words are in: `lang`, or the
    /// default language when they fell back (a page then marks them with `lang`).
    pub fn label_lang<'a>(&'a self, lang: &str, key: LabelKey<'a>) -> (&'a str, &'a str) {
        if let Some((code, words)) = self
            .labels
            .get_key_value(lang)
            .and_then(|(code, l)| l.get(key).map(|w| (code, w)))
        {
            return (words, code);
        }
        let words = labels::original(self, key).unwrap_or(match key {
            LabelKey::ThemeName(id)
            | LabelKey::ThreadName(id)
            | LabelKey::Status(id)
            | LabelKey::Instrument(id) => id,
            _ => "",
        });
        (words, &self.language)
    }

    /// The words of site.yaml that language `lang` does not translate, as dotted keys
    /// (`themes.torture.description`), in site.yaml's order; none for the default language.
    pub fn missing_labels(&self, lang: &str) -> Vec<String> {
        if lang == self.language {
            return Vec::new();
        }
        let have = self.labels.get(lang);
        labels::all_keys(self)
            .into_iter()
            .filter(|k| have.and_then(|l| l.get(*k)).is_none())
            .map(|k| k.dotted())
            .collect()
    }

    pub fn status_label(&self, id: &str) -> Option<&str> {
        find_label(&self.statuses, id)
    }

    pub fn instrument_label(&self, id: &str) -> Option<&str> {
        find_label(&self.instruments, id)
    }

    /// The path part of `base_url` (`https://a.org/x/` → `/x/`): where the 404 page,
    /// served at any depth, finds the site.
    pub fn base_path(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => &self.base_url,
        }
    }

    /// The absolute URL of a site path (`entries/x/` → `https://…/entries/x/`).
    pub fn url(&self, path: &str) -> String {
        let mut s = String::with_capacity(self.base_url.len() + path.len());
        s.push_str(&self.base_url);
        s.push_str(path.trim_start_matches('/'));
        s
    }
}

fn find_label<'a>(labels: &'a [Label], id: &str) -> Option<&'a str> {
    labels.iter().find(|l| l.id == id).map(|l| l.label.as_str())
}

/// What the command line overrides.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
    /// What the configuration is read for, which decides how strict `base_url` is.
    pub purpose: Purpose,
}

/// Why a site is being read. `base_url` makes the absolute URLs (canonical, feeds, sitemap,
/// JSON-LD, exports), so it must be absolute, except for the local preview, which may be
/// built for `/` (it serves every interface and knows no host); and a production build
/// warns about a placeholder host (`example.org`), which `--strict` makes an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Purpose {
    /// `annals build`: the site people will read.
    Build,
    /// `annals check`, `new`, `schema`: nothing is published.
    #[default]
    Check,
    /// `annals serve`.
    Preview,
}

/// Whether `url` (absolute, normalised) is on a documentation placeholder host
/// (`example.org`, `example.com`, `example.net` or below them, RFC 2606).
pub fn is_placeholder_url(url: &str) -> bool {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let host = rest
        .split(['/', ':'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ["example.org", "example.com", "example.net"]
        .iter()
        .any(|p| host == *p || host.ends_with(&format!(".{p}")))
}

/// Reads and validates `<root>/site.yaml`. `None` when it cannot be used at all (the
/// diagnostics say why); otherwise a config, possibly with errors pushed for bad fields.
pub fn load(root: &Path, overrides: &Overrides, diags: &mut Diagnostics) -> Option<Config> {
    let path = root.join(FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                diags.push(
                    Diagnostic::error("not-utf8", "site.yaml is not valid UTF-8 text")
                        .in_file(FILE)
                        .help("save the file as UTF-8"),
                );
                return None;
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diags.push(
                Diagnostic::error("no-config", format!("no {FILE} in {}", root.display()))
                    .help("run annals in the site's folder, pass --root DIR, or create one with `annals init DIR`"),
            );
            return None;
        }
        Err(e) => {
            diags.push(
                Diagnostic::error("io", format!("cannot read {}: {e}", path.display()))
                    .in_file(FILE),
            );
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let raw: RawConfig = if text.trim().is_empty() {
        RawConfig::default()
    } else {
        match yaml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let mut d = Diagnostic::error(
                    "yaml",
                    format!("site.yaml is not valid YAML: {}", e.message),
                )
                .in_file(FILE)
                .help(e.help.unwrap_or(crate::content::YAML_HELP));
                if let (Some(line), Some(col)) = (e.line, e.column) {
                    d = d.at(Location::of_line_col(text, line, col, 1));
                }
                if let Some((field, expected)) = &e.unknown_field {
                    d.message = format!("unknown key `{field}` in site.yaml");
                    d.code = "unknown-field";
                    if let Some((off, len)) = locate_unknown(text, field, e.line) {
                        d = d.at(Location::of_offset(text, off, len));
                    }
                    let hint = did_you_mean(field, expected.iter().map(String::as_str));
                    d = d.help(match hint {
                        Some(h) => format!("{h} (accepted here: {})", expected.join(", ")),
                        None => format!("accepted here: {}", expected.join(", ")),
                    });
                }
                diags.push(d);
                return None;
            }
        }
    };
    let mut config = validate(raw, text, overrides, diags);
    check_texts(&config, text, diags);
    config.labels = load_labels(root, &config, diags);
    Some(config)
}

/// Reads `i18n/site.<code>.yaml` for each language but the default ([`labels`]). A label
/// file for a language `languages:` does not list, or for the default language (whose
/// words are site.yaml's), is an error.
fn load_labels(
    root: &Path,
    config: &Config,
    diags: &mut Diagnostics,
) -> BTreeMap<String, SiteLabels> {
    let mut out = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir(root.join(labels::DIR)) else {
        return out;
    };
    let mut names: Vec<String> = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| labels::language_of_file(n).is_some())
        .collect();
    names.sort();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    for name in names {
        let code = labels::language_of_file(&name).unwrap_or_default();
        let file = labels::file_of(code);
        if code == config.language {
            diags.push(
                Diagnostic::error(
                    "labels-default-language",
                    format!("{file} translates site.yaml into `{code}`, the default language, whose words are site.yaml's own"),
                )
                .in_file(&file)
                .help(format!("edit the words in site.yaml and remove {file}")),
            );
            continue;
        }
        if !codes.contains(&code) {
            let others: Vec<&str> = codes[1..].to_vec();
            let mut help = format!(
                "add `{{code: {code}, name: …}}` to `languages:` in site.yaml, or rename the file after one of the site's other languages"
            );
            if let Some(h) = did_you_mean(code, others.iter().copied()) {
                help = format!(
                    "{h} rename the file to {}, or add `{{code: {code}, name: …}}` to `languages:` in site.yaml",
                    labels::file_of(closest_code(code, &others))
                );
            }
            diags.push(
                Diagnostic::error(
                    "labels-language",
                    format!("{file} holds labels for `{code}`, which is not one of the site's languages ({})", codes.join(", ")),
                )
                .in_file(&file)
                .help(help),
            );
            continue;
        }
        match std::fs::read(root.join(&file)) {
            Ok(bytes) => {
                let l = labels::parse(&file, &bytes, config, diags);
                out.insert(code.to_string(), l);
            }
            Err(e) => diags
                .push(Diagnostic::error("io", format!("cannot read {file}: {e}")).in_file(&file)),
        }
    }
    out
}

fn closest_code<'a>(code: &str, codes: &[&'a str]) -> &'a str {
    crate::diagnostic::closest(code, codes.iter().copied()).unwrap_or_default()
}

/// Reports text values holding a control character (the rule front matter follows too:
/// [`crate::content::fields::forbidden_char`]); they would break pages and the feed.
fn check_texts(config: &Config, text: &str, diags: &mut Diagnostics) {
    let mut values: Vec<(Vec<&str>, &str)> = vec![
        (vec!["title"], &config.title),
        (vec!["description"], &config.description),
        (vec!["jurisdiction"], &config.jurisdiction),
    ];
    if let Some(a) = &config.author {
        values.push((vec!["author", "name"], &a.name));
        if let Some(e) = &a.email {
            values.push((vec!["author", "email"], e));
        }
    }
    for t in &config.themes {
        values.push((vec!["themes", &t.id, "name"], &t.name));
        values.push((vec!["themes", &t.id, "description"], &t.description));
    }
    for t in &config.threads {
        values.push((vec!["threads", &t.id, "name"], &t.name));
        values.push((vec!["threads", &t.id, "description"], &t.description));
    }
    for (key, labels) in [
        ("statuses", &config.statuses),
        ("instruments", &config.instruments),
    ] {
        for l in labels.iter() {
            values.push((vec![key, &l.id], &l.label));
        }
    }
    for (path, value) in values {
        if let Some(c) = crate::content::fields::forbidden_char(value) {
            diags.push(
                crate::content::fields::control_character(&path.join("."), c)
                    .in_file(FILE)
                    .at_opt(key_location(text, &path)),
            );
        }
    }
}

/// The position of an unknown key on the line the parser named.
fn locate_unknown(text: &str, field: &str, line: Option<usize>) -> Option<(usize, usize)> {
    let start = crate::diagnostic::line_start_offset(text, line?);
    let line_text = text[start..].lines().next()?;
    let i = line_text.find(field)?;
    Some((start + i, field.len()))
}

fn key_location(text: &str, path: &[&str]) -> Option<Location> {
    yaml::find_key(text, path).map(|(off, len)| Location::of_offset(text, off, len))
}

/// An error at the key `path` of site.yaml (or the file, when the key cannot be found).
fn error_at(text: &str, code: &'static str, msg: String, path: &[&str]) -> Diagnostic {
    Diagnostic::error(code, msg)
        .in_file(FILE)
        .at_opt(key_location(text, path))
}

/// `language:` (one language) or `languages:` (several, the default first), each code a
/// BCP 47 tag, once. Always at least one language: `en` when neither is written.
fn validate_languages(
    one: Option<String>,
    list: Option<Vec<RawLanguage>>,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<Language> {
    // `language:` is pointed at by its key; a tag in `languages:` by the tag itself (the
    // list's key when it cannot be found), since the list may hold several.
    let bad_tag = |code: &str, path: &[&str]| {
        let in_list = (path == ["languages"])
            .then(|| yaml::find_value(text, path, code))
            .flatten()
            .map(|off| Location::of_offset(text, off, code.len()));
        let at = in_list.or_else(|| key_location(text, path));
        Diagnostic::error(
            "bad-language",
            format!("language `{code}` is not a BCP 47 tag"),
        )
        .in_file(FILE)
        .at_opt(at)
        .help("write a tag such as `en`, `ru` or `kk-KZ`")
    };
    let fallback = || Language {
        code: "en".into(),
        name: "English".into(),
        locale: "en".into(),
    };
    let Some(list) = list else {
        let code = one.unwrap_or_else(|| "en".into());
        if !is_language_tag(&code) {
            diags.push(bad_tag(&code, &["language"]));
            return vec![fallback()];
        }
        return vec![Language {
            name: code.clone(),
            locale: code.clone(),
            code,
        }];
    };
    if one.is_some() {
        diags.push(
            error_at(
                text,
                "language-twice",
                "site.yaml has both `language` and `languages`".into(),
                &["language"],
            )
            .help("remove `language:`: the first of `languages:` is the default language"),
        );
    }
    let mut out: Vec<Language> = vec![];
    for l in list {
        if !is_language_tag(&l.code) {
            diags.push(bad_tag(&l.code, &["languages"]));
            continue;
        }
        if out.iter().any(|o| o.code == l.code) {
            diags.push(
                error_at(
                    text,
                    "duplicate-language",
                    format!("language `{}` is listed twice", l.code),
                    &["languages"],
                )
                .help("list each language once; the first is the default"),
            );
            continue;
        }
        if let Some(loc) = &l.locale
            && !is_language_tag(loc)
        {
            diags.push(bad_tag(loc, &["languages"]));
            continue;
        }
        out.push(Language {
            name: l.name.clone().unwrap_or_else(|| l.code.clone()),
            locale: l.locale.clone().unwrap_or_else(|| l.code.clone()),
            code: l.code,
        });
    }
    if out.is_empty() {
        if !diags.has_errors() {
            diags.push(
                error_at(
                    text,
                    "no-languages",
                    "`languages` lists no language".into(),
                    &["languages"],
                )
                .help("list the default language first: languages: [{code: en, name: English}]"),
            );
        }
        out.push(fallback());
    }
    out
}

/// Which of site.yaml's id → name sections [`validate_named`] reads.
struct Section {
    /// `themes`, `threads`.
    key: &'static str,
    /// `theme`, `thread`.
    noun: &'static str,
    bad_id: &'static str,
}

const THEMES: Section = Section {
    key: "themes",
    noun: "theme",
    bad_id: "bad-theme-id",
};

const THREADS: Section = Section {
    key: "threads",
    noun: "thread",
    bad_id: "bad-thread-id",
};

/// The themes, in the order written, each id and name checked; at least one is required.
fn validate_themes(
    raw: Option<Ordered<RawTheme>>,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<Theme> {
    let themes = validate_named(&THEMES, raw, text, diags);
    if themes.is_empty() {
        diags.push(
            Diagnostic::error("no-themes", "site.yaml defines no themes")
                .in_file(FILE)
                .help("add at least one, e.g.\nthemes:\n  death-penalty:\n    name: \"Death penalty\""),
        );
    }
    themes
}

/// The entries of an id → {name, description} section (themes, reform threads), in the
/// order written, each id and name checked the same way.
fn validate_named(
    section: &Section,
    raw: Option<Ordered<RawTheme>>,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<Theme> {
    let Section { key, noun, bad_id } = *section;
    let err = |code, msg: String, path: &[&str]| error_at(text, code, msg, path);
    let mut out = Vec::new();
    for (id, t) in raw.map(|o| o.0).unwrap_or_default() {
        if !slug::is_valid(&id) {
            diags.push(
                err(
                    bad_id,
                    format!("{noun} id `{id}` is not a valid id"),
                    &[key, &id],
                )
                .help(format!(
                    "ids use lowercase letters, digits and single dashes, e.g. `{}`",
                    slug::suggest(&id)
                )),
            );
        }
        let name = match t.name {
            Some(n) if !n.trim().is_empty() => n,
            _ => {
                diags.push(
                    err(
                        "missing-field",
                        format!("{noun} `{id}` has no `name`"),
                        &[key, &id],
                    )
                    .help(format!("add `name: \"…\"` under the {noun}")),
                );
                id.clone()
            }
        };
        out.push(Theme {
            id,
            name,
            description: t.description.unwrap_or_default(),
        });
    }
    out
}

/// Statuses or instruments (`key`): as written, or the defaults; each id checked.
fn validate_labels(
    raw: Option<Ordered<String>>,
    defaults: &[(&str, &str)],
    key: &str,
    text: &str,
    diags: &mut Diagnostics,
) -> Vec<Label> {
    let err = |code, msg: String, path: &[&str]| error_at(text, code, msg, path);
    let list: Vec<Label> = match raw {
        Some(o) => {
            o.0.into_iter()
                .map(|(id, label)| Label {
                    id,
                    label,
                    schema_type: None,
                })
                .collect()
        }
        None => defaults
            .iter()
            .map(|(id, label)| Label {
                id: id.to_string(),
                label: label.to_string(),
                schema_type: None,
            })
            .collect(),
    };
    for l in &list {
        if !slug::is_valid(&l.id) {
            diags.push(
                err(
                    "bad-id",
                    format!("{key} id `{}` is not a valid id", l.id),
                    &[key, &l.id],
                )
                .help("ids use lowercase letters, digits and single dashes"),
            );
        }
    }
    if list.is_empty() {
        diags.push(
            err("empty-list", format!("`{key}` is empty"), &[key]).help(format!(
                "list at least one id, or remove `{key}` to use the defaults"
            )),
        );
    }
    list
}

fn validate(raw: RawConfig, text: &str, overrides: &Overrides, diags: &mut Diagnostics) -> Config {
    let err = |code, msg: String, path: &[&str]| error_at(text, code, msg, path);
    let title = match raw.title {
        Some(t) if !t.trim().is_empty() => t,
        _ => {
            diags.push(
                Diagnostic::error("missing-field", "site.yaml has no `title`")
                    .in_file(FILE)
                    .help("add a line such as `title: \"Human-rights reforms\"`"),
            );
            String::new()
        }
    };
    if overrides.base_url.is_none()
        && raw.base_url.is_none()
        && overrides.purpose != Purpose::Preview
    {
        diags.push(
            Diagnostic::error("missing-field", "site.yaml has no `base_url`")
                .in_file(FILE)
                .help("add the address the site will be published at, such as `base_url: \"https://you.github.io/chronicle/\"` (feeds, the sitemap and canonical links need it)"),
        );
    }
    let missing = overrides.base_url.is_none() && raw.base_url.is_none();
    let base_url = overrides
        .base_url
        .clone()
        .or(raw.base_url)
        .unwrap_or_else(|| "/".into());
    let from_cli = overrides.base_url.is_some();
    let base_url = match normalize_base_url(&base_url) {
        Ok(u) => {
            if !missing {
                base_url_rules(&u, overrides.purpose, from_cli, text, diags);
            }
            u
        }
        Err(why) => {
            let msg = format!("base_url `{base_url}` {why}");
            let help = "give the site's full address, such as https://you.github.io/chronicle/";
            if from_cli {
                diags.push(
                    Diagnostic::error("bad-base-url", format!("--base-url: {msg}")).help(help),
                );
            } else {
                diags.push(err("bad-base-url", msg, &["base_url"]).help(help));
            }
            "/".into()
        }
    };
    let languages = validate_languages(raw.language, raw.languages, text, diags);
    let language = languages[0].code.clone();
    let themes = validate_themes(raw.themes, text, diags);
    let threads = validate_named(&THREADS, raw.threads, text, diags);
    let statuses = validate_labels(raw.statuses, DEFAULT_STATUSES, "statuses", text, diags);
    let (instruments, types) = match raw.instruments {
        Some(list) => {
            let (labels, types) = list
                .0
                .into_iter()
                .map(|(id, i)| match i {
                    RawInstrument::Label(l) => ((id.clone(), l), (id, None)),
                    RawInstrument::Full(f) => ((id.clone(), f.label), (id, f.schema_type)),
                })
                .unzip();
            (Some(Ordered(labels)), types)
        }
        None => (None, Vec::new()),
    };
    let mut instruments =
        validate_labels(instruments, DEFAULT_INSTRUMENTS, "instruments", text, diags);
    for ((id, t), label) in types.into_iter().zip(&mut instruments) {
        if let Some(t) = t {
            let ok = t.starts_with(|c: char| c.is_ascii_uppercase())
                && t.bytes().all(|b| b.is_ascii_alphanumeric());
            if ok {
                label.schema_type = Some(t);
            } else {
                diags.push(
                    err(
                        "bad-schema-type",
                        format!("instrument `{id}` has type `{t}`, which is not a schema.org type name"),
                        &["instruments", &id, "type"],
                    )
                    .help("write a schema.org type such as `Legislation`, `Event`, `CreativeWork` or `GovernmentOrganization`"),
                );
            }
        }
    }
    let license = raw.license.and_then(|l| {
        let name = l.name.filter(|n| !n.trim().is_empty());
        let url_given = l.url.is_some();
        let url = l.url.and_then(|u| checked_url(&u, &["license", "url"], text, diags));
        match (name, url) {
            (Some(name), Some(url)) => Some(License { name, url }),
            (None, _) => {
                diags.push(
                    err("missing-field", "`license` has no `name`".into(), &["license"])
                        .help("name the licence, such as `name: \"CC BY 4.0\"`, and give its `url`"),
                );
                None
            }
            (Some(_), None) => {
                // A bad one was reported where it is written.
                if !url_given {
                    diags.push(
                        err("missing-field", "`license` has no `url`".into(), &["license"])
                            .help("add the licence's address, such as `url: \"https://creativecommons.org/licenses/by/4.0/\"`"),
                    );
                }
                None
            }
        }
    });
    let home_limit = raw
        .timeline
        .as_ref()
        .and_then(|t| t.home_limit)
        .unwrap_or(300);
    let order = match raw.timeline.and_then(|t| t.order).as_deref() {
        None | Some("newest") => Order::Newest,
        Some("oldest") => Order::Oldest,
        Some(other) => {
            diags.push(
                err(
                    "bad-order",
                    format!("timeline order `{other}` is not known"),
                    &["timeline", "order"],
                )
                .help("write `order: newest` or `order: oldest`"),
            );
            Order::Newest
        }
    };
    let raw_html = match raw.markdown.and_then(|m| m.raw_html).as_deref() {
        None | Some("sanitize") => false,
        Some("allow") => {
            diags.push(
                Diagnostic::warning("raw-html-allowed", "raw HTML in entries is published without sanitizing")
                    .in_file(FILE)
                    .at_opt(key_location(text, &["markdown", "raw_html"]))
                    .help("anyone who can edit content/ can then put scripts on the site; remove `raw_html: allow` unless every editor is trusted"),
            );
            true
        }
        Some(other) => {
            diags.push(
                err(
                    "bad-raw-html",
                    format!("markdown.raw_html `{other}` is not known"),
                    &["markdown", "raw_html"],
                )
                .help("write `raw_html: sanitize` (the default) or `raw_html: allow`"),
            );
            false
        }
    };
    Config {
        title,
        description: raw.description.unwrap_or_default(),
        base_url,
        language,
        languages,
        jurisdiction: raw.jurisdiction.unwrap_or_default(),
        author: raw.author.map(|a| Author {
            name: a.name,
            url: a
                .url
                .and_then(|u| checked_url(&u, &["author", "url"], text, diags)),
            email: a.email,
        }),
        themes,
        threads,
        statuses,
        instruments,
        order,
        feed_limit: raw.feed.and_then(|f| f.limit).unwrap_or(50),
        home_limit,
        raw_html,
        license,
        labels: BTreeMap::new(),
    }
}

/// The one rule for a web address annals publishes as a link (source URLs, `author.url`,
/// an absolute `base_url`): `http://` or `https://`, a host, and no spaces, control
/// characters or markup characters in the host. Anything else (`javascript:`, `data:`,
/// `www.example.org`) is refused where it is written.
pub fn is_web_url(url: &str) -> bool {
    let rest = match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(r) => r,
        None => return false,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && (host.contains('.') || host.starts_with("localhost") || host.starts_with('['))
        && !url.contains(|c: char| c.is_whitespace() || c.is_control())
        && !host.contains(['<', '>', '"', '\'', '\\', '`'])
}

/// How to fix a URL that fails [`is_web_url`].
pub const WEB_URL_HELP: &str = "write the full address, starting with https://";

/// A URL-valued key (`path`, e.g. `["author", "url"]`) that passes [`is_web_url`], trimmed;
/// otherwise an error at the key and `None` (the link is left out, never published as is).
fn checked_url(url: &str, path: &[&str], text: &str, diags: &mut Diagnostics) -> Option<String> {
    let url = url.trim();
    if is_web_url(url) {
        return Some(url.to_string());
    }
    diags.push(
        Diagnostic::error(
            "bad-url",
            format!("{} `{url}` is not a web address", path.join(".")),
        )
        .in_file(FILE)
        .at_opt(key_location(text, path))
        .help(WEB_URL_HELP),
    );
    None
}

/// The rules for a well-formed `base_url` `url` (see [`Purpose`]): absolute unless for
/// the preview; not a placeholder host in a production build.
fn base_url_rules(
    url: &str,
    purpose: Purpose,
    from_cli: bool,
    text: &str,
    diags: &mut Diagnostics,
) {
    let place = |d: Diagnostic| {
        if from_cli {
            Diagnostic {
                message: format!("--base-url: {}", d.message),
                ..d
            }
        } else {
            d.in_file(FILE).at_opt(key_location(text, &["base_url"]))
        }
    };
    let absolute = url.starts_with("https://") || url.starts_with("http://");
    if !absolute && purpose != Purpose::Preview {
        diags.push(place(
            Diagnostic::error(
                "relative-base-url",
                format!("base_url `{url}` is a path, but feeds, the sitemap, robots.txt and canonical links need the site's full address"),
            )
            .help(format!(
                "write the scheme and host too, such as `base_url: \"https://you.github.io{url}\"`; pages link to each other relatively, so the built site still works from any folder"
            )),
        ));
    } else if absolute && purpose == Purpose::Build && is_placeholder_url(url) {
        diags.push(place(
            Diagnostic::warning(
                "placeholder-base-url",
                format!("base_url `{url}` is a placeholder: feeds, the sitemap and canonical links would point to a site that is not yours"),
            )
            .help("set `base_url` in site.yaml to where the site will be published, or build with `--base-url https://…/`"),
        ));
    }
}

/// Checks a base URL and makes it end with `/`.
pub fn normalize_base_url(url: &str) -> Result<String, &'static str> {
    let url = url.trim();
    let ok = if url.starts_with("https://") || url.starts_with("http://") {
        is_web_url(url)
    } else {
        url.starts_with('/') && !url.starts_with("//")
    };
    if !ok {
        return Err("is not an http(s) URL or an absolute path");
    }
    if url.contains(|c: char| c.is_whitespace() || c.is_control() || "?#\"'<>\\`".contains(c)) {
        return Err("must not contain a query, a fragment, spaces, quotes or backslashes");
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// A loose BCP 47 check: alphanumeric subtags of 1–8 characters, the first alphabetic.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            normalize_base_url("https://a.org/x").unwrap(),
            "https://a.org/x/"
        );
        assert_eq!(normalize_base_url("/").unwrap(), "/");
        assert!(normalize_base_url("a.org").is_err());
        assert!(normalize_base_url("https://").is_err());
        assert!(normalize_base_url("//a.org/").is_err());
        // A backslash makes browsers read `/\\evil.org/` as another host.
        assert!(normalize_base_url("/\\evil.org/").is_err());
        assert!(normalize_base_url("/chron\u{7}icle/").is_err());
        assert!(normalize_base_url("javascript:alert(1)").is_err());
    }

    #[test]
    fn text_values_keep_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "title: 12.10\nbase_url: https://a.org/\ndescription: 0x1F\nthemes:\n  a:\n    name: 1.50\nstatuses:\n  s: 1e3\n",
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let c = load(dir.path(), &Overrides::default(), &mut diags).unwrap();
        assert!(!diags.has_errors(), "{diags:?}");
        assert_eq!(c.title, "12.10");
        assert_eq!(c.description, "0x1F");
        assert_eq!(c.themes[0].name, "1.50");
        assert_eq!(c.statuses[0].label, "1e3");
    }

    #[test]
    fn labels_fall_back_to_site_yaml_and_say_which_language_they_are_in() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "title: Reforms\nbase_url: https://a.org/\nlanguages: [{code: en}, {code: ru}, {code: kk}]\nthemes:\n  torture:\n    name: Torture\n    description: About it.\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("i18n")).unwrap();
        std::fs::write(
            dir.path().join("i18n/site.ru.yaml"),
            "themes:\n  torture:\n    name: Пытки\nstatuses:\n  signed: Подписано\n",
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let c = load(dir.path(), &Overrides::default(), &mut diags).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        use LabelKey::*;
        assert_eq!(c.label_lang("ru", ThemeName("torture")), ("Пытки", "ru"));
        assert_eq!(
            c.label_lang("ru", ThemeDescription("torture")),
            ("About it.", "en")
        );
        assert_eq!(c.label_lang("kk", Status("signed")), ("Signed", "en"));
        assert_eq!(c.label("ru", Status("signed")), "Подписано");
        assert_eq!(c.label("en", Status("signed")), "Signed");
        assert_eq!(c.label("ru", Title), "Reforms");
        assert_eq!(c.label("ru", Instrument("no-such")), "no-such");
        assert_eq!(c.missing_labels("en"), Vec::<String>::new());
        let missing = c.missing_labels("ru");
        assert_eq!(missing[..2], ["title", "themes.torture.description"]);
        assert!(!missing.contains(&"statuses.signed".to_string()));
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://www.un.org/x"));
        assert!(is_web_url("http://example.org"));
        assert!(is_web_url("http://127.0.0.1:8791/"));
        assert!(is_web_url("http://[::1]:8080/"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("JavaScript:alert(1)"));
        assert!(!is_web_url("data:text/html,x"));
        assert!(!is_web_url("www.un.org"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("https://a b.org"));
        assert!(!is_web_url("https://a.org/\u{1b}[31m"));
        assert!(!is_web_url("https://a.org\"onmouseover=x"));
        assert!(!is_web_url("//a.org/"));
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("kk-KZ"));
        assert!(!is_language_tag("english language"));
        assert!(!is_language_tag("e"));
    }
}
