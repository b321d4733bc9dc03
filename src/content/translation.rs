//! Translations: `content/entries/<slug>.<code>.md` beside its original `<slug>.md` (pages
//! alike). A translation carries only words — `title`, `summary`, an optional `slug` for
//! its URL, the translated titles of the original's `sources` (matched by URL) — and the
//! stamp of the original it translates (`translates:`, see [`crate::i18n::stamp`]). Every
//! fact (date, end, status, instrument, themes, thread, related, source URLs, draft…) is
//! the original's: a translation that sets one is an error that says where the fact lives,
//! so that two languages can never disagree on a date.
//!
//! This module reads one translation file against its original's path; pairing files,
//! checking the stamp against the original and rendering are the loader's and renderer's.

use super::contract::{ENTRY, PAGE};
use super::fields::{FileCtx, forbidden_char};
use super::front_matter;
use crate::diagnostic::{Diagnostic, Location, did_you_mean};
use crate::i18n::stamp::Stamp;
use crate::yaml::{self, Document, Value};

/// The fields a translation may set: its words.
pub const WORDS: &[&str] = &["title", "summary", "step", "slug", "sources", "translates"];

/// What a translated source carries: the URL that names which of the original's sources
/// it is, and the title in this language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTitle {
    pub url: String,
    pub title: String,
    /// Where its `url` is written in the translation.
    pub location: Location,
}

/// A translation as read, before it is paired with its original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTranslation {
    /// `content/entries/a.ru.md`.
    pub file: String,
    /// `content/entries/a.md`.
    pub original: String,
    /// `ru`.
    pub language: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    /// The entry's step label in its thread (`step:`), translated.
    pub step: Option<String>,
    pub slug: Option<String>,
    pub sources: Vec<SourceTitle>,
    pub stamp: Option<Stamp>,
    /// The `translates:` line, or the front matter's first line when there is none: where
    /// `check` points when the stamp is missing or old.
    pub stamp_location: Location,
    /// How it stands against its original, once compared with it (`None` when the
    /// original did not load).
    pub standing: Option<Standing>,
    pub body: String,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    /// The whole file as read, so that the link stage places the problems of the body
    /// (broken links, fragments) at their line without reading the file again.
    pub text: std::sync::Arc<str>,
}

/// Whether `file` (a path under `content/`, `/`-separated) names a translation:
/// `<name>.<code>.md` where `<code>` is one of `languages` other than the default (the
/// first). Returns the original's path and the code.
pub fn language_of<'a>(file: &str, languages: &'a [String]) -> Option<(String, &'a str)> {
    let stem = file.strip_suffix(".md")?;
    let (name, code) = stem.rsplit_once('.')?;
    if name.ends_with('/') || name.is_empty() {
        return None;
    }
    let lang = languages.iter().skip(1).find(|l| l.as_str() == code)?;
    Some((format!("{name}.md"), lang.as_str()))
}

/// A file named like a translation into a language the site does not list
/// (`a.de.md` without `de` in `languages:`): a warning, so that it is not silently read as
/// an entry named `a.de`.
pub fn looks_like_translation(file: &str) -> Option<&str> {
    let stem = file.strip_suffix(".md")?;
    let (name, code) = stem.rsplit_once('.')?;
    let is_code = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    (is_code && !name.ends_with('/') && !name.is_empty()).then_some(code)
}

/// The warning for a file [`looks_like_translation`] into `code`, a language site.yaml
/// does not list.
pub fn unlisted_language(file: &str, code: &str) -> Diagnostic {
    Diagnostic::warning(
        "unlisted-language",
        format!(
            "{file} is named like a translation into `{code}`, which site.yaml's languages do \
             not list; it is read as an entry or page of its own"
        ),
    )
    .in_file(file)
    .help(format!(
        "add `{code}` to `languages:` in site.yaml to publish it as a translation, or rename \
         the file without `.{code}`"
    ))
}

/// Reads the translation `file` of `original` into `language`.
pub fn read(
    file: &str,
    text: &str,
    original: &str,
    language: &str,
) -> Result<RawTranslation, Vec<Diagnostic>> {
    let split = front_matter::split(text, file).map_err(|d| vec![d])?;
    let ctx = FileCtx {
        display: file,
        text,
        yaml: split.yaml,
        yaml_offset: split.yaml_offset,
    };
    let fields = match yaml::parse_mapping(split.yaml) {
        Ok(Document::Mapping(m)) => m,
        Ok(Document::Empty) => vec![],
        Ok(Document::NotAMapping(what)) => {
            return Err(vec![
                ctx.error(
                    "front-matter-shape",
                    format!("the front matter is {what}, not `key: value` lines"),
                )
                .at(ctx.front_matter_location())
                .help("a translation's front matter holds `title:` and `summary:` lines"),
            ]);
        }
        Err(e) => {
            let d = ctx
                .error("yaml", e.message.clone())
                .at(match (e.line, e.column) {
                    (Some(l), Some(c)) => crate::diagnostic::Location::of_line_col(
                        text,
                        split.yaml_line + l - 1,
                        c,
                        1,
                    ),
                    _ => ctx.front_matter_location(),
                })
                .help(
                    e.help
                        .unwrap_or("check the quotes and the indentation of the front matter"),
                );
            return Err(vec![d]);
        }
    };
    let mut diags = vec![];
    let mut t = RawTranslation {
        file: file.to_string(),
        original: original.to_string(),
        language: language.to_string(),
        title: None,
        summary: None,
        step: None,
        slug: None,
        sources: vec![],
        stamp: None,
        stamp_location: ctx.key_location(&["translates"]),
        standing: None,
        body: split.body.to_string(),
        body_offset: split.body_offset,
        text: std::sync::Arc::from(text),
    };
    for (key, value) in fields {
        let at = ctx.key_location(&[&key]);
        let text_value = |diags: &mut Vec<Diagnostic>| -> Option<String> {
            match &value {
                Value::Null => None,
                v => match yaml::scalar_text(v) {
                    Some(s) => match forbidden_char(&s) {
                        None => Some(s),
                        Some(c) => {
                            diags.push(
                                super::fields::control_character(&key, c)
                                    .in_file(file)
                                    .at(at.clone()),
                            );
                            None
                        }
                    },
                    None => {
                        diags.push(
                            ctx.error(
                                "field-type",
                                format!("`{key}` is {}, not text", yaml::kind_of(v)),
                            )
                            .at(at.clone())
                            .help(format!("write it like this: {key}: \"…\"")),
                        );
                        None
                    }
                },
            }
        };
        match key.as_str() {
            "title" => t.title = text_value(&mut diags),
            "summary" => t.summary = text_value(&mut diags),
            "step" => t.step = text_value(&mut diags),
            "slug" => t.slug = text_value(&mut diags),
            "translates" => {
                if let Some(s) = text_value(&mut diags) {
                    match Stamp::parse(&s) {
                        Ok(stamp) => t.stamp = Some(stamp),
                        Err(why) => diags.push(
                            ctx.error("translation-stamp", "this is not a translation stamp")
                                .at(ctx.value_location(&[&key], &s))
                                .help(why),
                        ),
                    }
                }
            }
            "sources" => t.sources = source_titles(&ctx, &value, &mut diags),
            _ if is_fact(&key) => diags.push(
                ctx.error(
                    "translation-fact",
                    format!("`{key}` is a fact, and facts are stated once, in {original}"),
                )
                .at(at)
                .label("a translation inherits this from its original")
                .help(format!(
                    "remove this line; to change `{key}`, edit {original} (every language \
                     follows). A translation holds only {}",
                    words_list()
                )),
            ),
            _ => {
                let help = match did_you_mean(&key, WORDS.iter().copied()) {
                    Some(h) => format!("{h} (a translation holds only {})", words_list()),
                    None => format!("a translation holds only {}", words_list()),
                };
                diags.push(
                    ctx.error("unknown-field", format!("unknown field `{key}`"))
                        .at(at)
                        .help(help),
                );
            }
        }
    }
    if diags.is_empty() { Ok(t) } else { Err(diags) }
}

fn words_list() -> String {
    WORDS
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `key` is a field of an entry or a page that is not a word.
pub fn is_fact(key: &str) -> bool {
    !WORDS.contains(&key) && ENTRY.iter().chain(PAGE).any(|f| f.name == key)
}

fn source_titles(ctx: &FileCtx, value: &Value, diags: &mut Vec<Diagnostic>) -> Vec<SourceTitle> {
    let help = "list the original's sources you translate, each with its `url` (as in the \
                original, which it names) and the translated `title`:\nsources:\n  - url: \
                \"https://…\"\n    title: \"…\"";
    let at = ctx.key_location(&["sources"]);
    let Value::Sequence(items) = value else {
        diags.push(
            ctx.error("field-type", "`sources` must be a list")
                .at(at)
                .help(help),
        );
        return vec![];
    };
    let mut out = vec![];
    for item in items {
        let Value::Mapping(pairs) = item else {
            diags.push(
                ctx.error("field-type", "each of `sources` is a `url` and a `title`")
                    .at(at.clone())
                    .help(help),
            );
            continue;
        };
        let get = |k: &str| {
            pairs.iter().find_map(|(key, v)| match key {
                Value::String(s) if s == k => yaml::scalar_text(v),
                _ => None,
            })
        };
        for (key, _) in pairs {
            let name = yaml::scalar_text(key).unwrap_or_default();
            if name != "url" && name != "title" {
                let what = if is_source_fact(&name) {
                    format!(
                        "`{name}` of a source is a fact, stated once in the original's `sources`"
                    )
                } else {
                    format!("unknown field `{name}` in a translated source")
                };
                diags.push(
                    ctx.error("translation-fact", what)
                        .at(ctx.key_location(&["sources", &name]))
                        .help(help),
                );
            }
        }
        match (get("url"), get("title")) {
            (Some(url), Some(title)) => out.push(SourceTitle {
                location: ctx.value_location(&["sources"], &url),
                url,
                title,
            }),
            _ => diags.push(
                ctx.error(
                    "translation-source",
                    "a translated source needs its `url` and `title`",
                )
                .at(at.clone())
                .help(help),
            ),
        }
    }
    out
}

fn is_source_fact(key: &str) -> bool {
    super::contract::SOURCE.iter().any(|f| f.name == key)
}

/// The words of an original that its translations translate, with its body's blocks.
pub struct OriginalWords {
    /// The URLs of its `sources`, which name the sources a translation retitles.
    pub source_urls: Vec<String>,
    pub stamp: Stamp,
    pub blocks: Vec<crate::i18n::stamp::Block>,
}

/// Reads the title, summary and body of an original (`None` when its front matter does
/// not parse: the original's own diagnostics say why).
pub fn original_words(text: &str) -> Option<OriginalWords> {
    let split = front_matter::split(text, "").ok()?;
    let Ok(Document::Mapping(fields)) = yaml::parse_mapping(split.yaml) else {
        return None;
    };
    let get = |k: &str| {
        fields
            .iter()
            .find(|(key, _)| key == k)
            .and_then(|(_, v)| yaml::scalar_text(v))
            .unwrap_or_default()
    };
    let body_line = text[..split.body_offset].matches('\n').count() + 1;
    let source_urls = fields
        .iter()
        .find(|(key, _)| key == "sources")
        .and_then(|(_, v)| match v {
            Value::Sequence(items) => Some(
                items
                    .iter()
                    .filter_map(|item| match item {
                        Value::Mapping(pairs) => pairs.iter().find_map(|(k, v)| match k {
                            Value::String(k) if k == "url" => yaml::scalar_text(v),
                            _ => None,
                        }),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default();
    Some(OriginalWords {
        source_urls,
        stamp: Stamp::of(&get("title"), &get("summary"), split.body),
        blocks: crate::i18n::stamp::blocks(split.body, body_line),
    })
}

/// A translated source whose `url` names none of the original's sources: an error, since
/// the title would be shown for nothing (or a source URL was edited in one place only).
pub fn source_problems(t: &RawTranslation, original: &OriginalWords) -> Vec<Diagnostic> {
    t.sources
        .iter()
        .filter(|s| !original.source_urls.contains(&s.url))
        .map(|s| {
            let known = if original.source_urls.is_empty() {
                format!("{} lists no sources", t.original)
            } else {
                format!(
                    "the sources of {} are: {}",
                    t.original,
                    original.source_urls.join(", ")
                )
            };
            Diagnostic::error(
                "translation-source",
                format!("`{}` is not a source of {}", s.url, t.original),
            )
            .in_file(&t.file)
            .at(s.location.clone())
            .label("a translated source names the original's source by its URL")
            .help(format!(
                "copy the URL exactly as the original has it ({known}); to change a source, \
                 edit {}",
                t.original
            ))
        })
        .collect()
}

/// Where a translation stands against its original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Its stamp matches the original's words.
    Current,
    /// The original changed since: what changed.
    Outdated(crate::i18n::stamp::Drift),
    /// It carries no stamp.
    Unstamped,
}

/// Compares a translation's stamp with its original's words.
pub fn standing(t: &RawTranslation, original: &OriginalWords) -> Standing {
    match &t.stamp {
        None => Standing::Unstamped,
        Some(s) => {
            let d = s.drift(&original.stamp, &original.blocks);
            if d.is_empty() {
                Standing::Current
            } else {
                Standing::Outdated(d)
            }
        }
    }
}

/// The codes of [`standing_warning`]'s warnings.
pub const STANDING_CODES: &[&str] = &["translation-unstamped", "translation-outdated"];

/// The warning `check` gives for a translation that is not [`Standing::Current`].
pub fn standing_warning(t: &RawTranslation, standing: &Standing) -> Option<Diagnostic> {
    let stamp_cmd = format!("annals translations --stamp {}", t.file);
    match standing {
        Standing::Current => None,
        Standing::Unstamped => Some(
            Diagnostic::warning(
                "translation-unstamped",
                format!(
                    "the {} translation of {} does not say which version of it it translates",
                    t.language, t.original
                ),
            )
            .in_file(&t.file)
            .at(t.stamp_location.clone())
            .help(format!(
                "when the translation matches the original, run `{stamp_cmd}`: annals then \
                 tells you whenever the original changes"
            )),
        ),
        Standing::Outdated(d) => Some(
            Diagnostic::warning(
                "translation-outdated",
                format!(
                    "the {} translation of {} is out of date: {} of the original changed \
                     since it was translated",
                    t.language,
                    t.original,
                    d.describe()
                ),
            )
            .in_file(&t.file)
            .at(t.stamp_location.clone())
            .help(format!(
                "update {} to match {}, then run `{stamp_cmd}`",
                t.file, t.original
            )),
        ),
    }
}

/// `annals translations --stamp`: writes into translation `rel` (a path under `root`) the
/// stamp of its original as it is now, replacing the file in one rename. Returns the
/// original's path, or the message to print.
pub fn stamp_file(
    root: &std::path::Path,
    rel: &str,
    languages: &[String],
) -> Result<String, String> {
    let shown = crate::diagnostic::printable(rel, false).into_owned();
    let Some((original, _)) = language_of(rel, languages) else {
        return Err(format!(
            "{shown} is not a translation: translations are named `<original>.<code>.md` with a \
             code of site.yaml's `languages:` other than the first"
        ));
    };
    let (Ok(text), Ok(orig)) = (
        std::fs::read_to_string(root.join(rel)),
        std::fs::read_to_string(root.join(&original)),
    ) else {
        return Err(format!("cannot read {shown} or its original {original}"));
    };
    let Some(stamped) = original_words(&orig).and_then(|w| with_stamp(&text, &w.stamp)) else {
        return Err(format!(
            "{shown} or {original} has no readable front matter; `annals check` says why"
        ));
    };
    if stamped != text {
        let path = root.join(rel);
        let tmp = path.with_extension("md.annals-tmp");
        if let Err(e) = std::fs::write(&tmp, &stamped).and_then(|_| std::fs::rename(&tmp, &path)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write {shown}: {e}"));
        }
    }
    Ok(original)
}

/// `text` with its front matter's `translates:` line set to `stamp` (replaced, or added as
/// the front matter's last line), everything else byte for byte as it was.
pub fn with_stamp(text: &str, stamp: &Stamp) -> Option<String> {
    let split = front_matter::split(text, "").ok()?;
    let yaml = split.yaml;
    let line = format!("translates: \"{stamp}\"");
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut out = String::with_capacity(text.len() + line.len() + 2);
    out.push_str(&text[..split.yaml_offset]);
    let mut replaced = false;
    for l in yaml.split_inclusive('\n') {
        if !replaced && l.starts_with("translates:") {
            out.push_str(&line);
            out.push_str(eol);
            replaced = true;
        } else {
            out.push_str(l);
        }
    }
    if !replaced {
        if !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(&line);
        out.push_str(eol);
    }
    out.push_str(&text[split.yaml_offset + yaml.len()..]);
    Some(out)
}

/// A translation whose original does not exist.
pub fn orphan(file: &str, original: &str) -> Diagnostic {
    Diagnostic::error(
        "translation-orphan",
        format!("{file} is a translation of {original}, which does not exist"),
    )
    .in_file(file)
    .help(
        "name a translation after its original: `<original's file name without .md>.<language \
         code>.md`, in the same folder; if the original was renamed, rename the translation too",
    )
}

/// Where every translation of a site stands: what `annals translations` prints.
#[derive(Debug, Default)]
pub struct Survey {
    /// The originals (entries and pages), by path.
    pub originals: Vec<String>,
    /// Per language other than the default, in `languages:` order.
    pub languages: Vec<LanguageSurvey>,
}

#[derive(Debug, Default)]
pub struct LanguageSurvey {
    pub code: String,
    pub current: Vec<String>,
    pub outdated: Vec<(String, crate::i18n::stamp::Drift)>,
    pub unstamped: Vec<String>,
    /// Originals with no translation into this language.
    pub missing: Vec<String>,
    /// The words of site.yaml this language's label file (`i18n/site.<code>.yaml`) lacks,
    /// as dotted keys, and how many there are to translate ([`Survey::with_labels`]).
    pub labels_missing: Vec<String>,
    pub labels_total: usize,
}

impl Survey {
    /// Sorts what the loader found: `originals` are the paths of every entry and page
    /// (loaded or not), `translations` the translations it read and compared with them.
    pub fn new(
        mut originals: Vec<String>,
        translations: &[RawTranslation],
        languages: &[String],
    ) -> Survey {
        originals.sort();
        let languages = languages
            .iter()
            .skip(1)
            .map(|code| {
                let mut ls = LanguageSurvey {
                    code: code.clone(),
                    ..Default::default()
                };
                let mut have = std::collections::BTreeSet::new();
                for t in translations.iter().filter(|t| &t.language == code) {
                    have.insert(t.original.as_str());
                    match &t.standing {
                        Some(Standing::Current) => ls.current.push(t.file.clone()),
                        Some(Standing::Unstamped) => ls.unstamped.push(t.file.clone()),
                        Some(Standing::Outdated(d)) => {
                            ls.outdated.push((t.file.clone(), d.clone()))
                        }
                        None => {}
                    }
                }
                for list in [&mut ls.current, &mut ls.unstamped] {
                    list.sort();
                }
                ls.outdated.sort_by(|a, b| a.0.cmp(&b.0));
                ls.missing = originals
                    .iter()
                    .filter(|o| !have.contains(o.as_str()))
                    .cloned()
                    .collect();
                ls
            })
            .collect();
        Survey {
            originals,
            languages,
        }
    }

    /// Adds what each language's label file lacks of site.yaml's words.
    pub fn with_labels(mut self, config: &crate::config::Config) -> Survey {
        let total = crate::i18n::labels::all_keys(config).len();
        for l in &mut self.languages {
            l.labels_missing = config.missing_labels(&l.code);
            l.labels_total = total;
        }
        self
    }

    /// The table `annals translations` prints, then the site's labels per language, then
    /// the files to look at.
    pub fn table(&self) -> String {
        let total = self.originals.len();
        let mut s = format!(
            "{:<10} {:>10} {:>8} {:>9} {:>10} {:>8}\n",
            "language", "translated", "current", "outdated", "unstamped", "missing"
        );
        for l in &self.languages {
            let translated = l.current.len() + l.outdated.len() + l.unstamped.len();
            s.push_str(&format!(
                "{:<10} {:>10} {:>8} {:>9} {:>10} {:>8}\n",
                l.code,
                format!("{translated}/{total}"),
                l.current.len(),
                l.outdated.len(),
                l.unstamped.len(),
                l.missing.len()
            ));
        }
        if self.languages.iter().any(|l| l.labels_total > 0) {
            s.push('\n');
            for l in &self.languages {
                let file = crate::i18n::labels::file_of(&l.code);
                let done = l.labels_total - l.labels_missing.len();
                s.push_str(&format!(
                    "{}: {done}/{} site labels translated ({file})",
                    l.code, l.labels_total
                ));
                if !l.labels_missing.is_empty() {
                    s.push_str(&format!("; missing: {}", l.labels_missing.join(", ")));
                }
                s.push('\n');
            }
        }
        for l in &self.languages {
            for (f, d) in &l.outdated {
                s.push_str(&format!(
                    "\n{f}: out of date — {} of the original changed",
                    d.describe()
                ));
            }
            for f in &l.unstamped {
                s.push_str(&format!("\n{f}: not stamped"));
            }
        }
        if self
            .languages
            .iter()
            .any(|l| !l.outdated.is_empty() || !l.unstamped.is_empty())
        {
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` as the Russian translation of `content/entries/a.md`.
    fn read_ru(text: &str) -> Result<RawTranslation, Vec<Diagnostic>> {
        read(
            "content/entries/a.ru.md",
            text,
            "content/entries/a.md",
            "ru",
        )
    }

    fn langs() -> Vec<String> {
        vec!["en".into(), "ru".into(), "kk".into()]
    }

    #[test]
    fn translations_are_named_after_their_original() {
        let l = langs();
        assert_eq!(
            language_of("content/entries/a-b.ru.md", &l),
            Some(("content/entries/a-b.md".to_string(), "ru"))
        );
        assert_eq!(
            language_of("content/pages/about.kk.md", &l),
            Some(("content/pages/about.md".to_string(), "kk"))
        );
        // The default language has no translation files; unknown codes are not ones.
        assert_eq!(language_of("content/entries/a.en.md", &l), None);
        assert_eq!(language_of("content/entries/a.de.md", &l), None);
        assert_eq!(language_of("content/entries/a.md", &l), None);
        assert_eq!(language_of("content/entries/.ru.md", &l), None);
        assert_eq!(
            looks_like_translation("content/entries/a.de.md"),
            Some("de")
        );
        assert_eq!(looks_like_translation("content/entries/a.md"), None);
        assert_eq!(looks_like_translation("content/entries/v1.2.md"), None);
    }

    const GOOD: &str = "---\ntitle: \"Мораторий\"\nsummary: \"Кратко.\"\ntranslates: \"v1 0a0b 0c0d 1234.5678\"\nsources:\n  - url: \"https://example.org/a\"\n    title: \"Заголовок\"\n---\nТекст.\n";

    #[test]
    fn a_translation_reads_its_words_and_stamp() {
        let t = read_ru(GOOD).unwrap();
        assert_eq!(t.title.as_deref(), Some("Мораторий"));
        assert_eq!(t.summary.as_deref(), Some("Кратко."));
        assert_eq!(
            t.stamp.map(|s| s.to_string()).as_deref(),
            Some("v1 0a0b 0c0d 1234.5678")
        );
        let sources: Vec<(&str, &str, usize)> = t
            .sources
            .iter()
            .map(|s| (s.url.as_str(), s.title.as_str(), s.location.line))
            .collect();
        assert_eq!(sources, [("https://example.org/a", "Заголовок", 6)]);
        assert_eq!(t.stamp_location.line, 4);
        assert_eq!(t.body, "Текст.\n");
    }

    #[test]
    fn a_fact_in_a_translation_is_an_error_that_says_where_the_fact_lives() {
        let text = "---\ntitle: \"Т\"\ndate: 2021-06-09\nthemes: [a]\n---\nТекст.\n";
        let errs = read_ru(text).unwrap_err();
        let got: Vec<(&str, usize, bool)> = errs
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.location.as_ref().map_or(0, |l| l.line),
                    d.message.contains("content/entries/a.md"),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![("translation-fact", 3, true), ("translation-fact", 4, true)]
        );
        assert!(
            errs[0]
                .help
                .as_deref()
                .unwrap()
                .contains("remove this line")
        );
    }

    #[test]
    fn a_source_fact_in_a_translation_is_refused() {
        let text = "---\nsources:\n  - url: \"https://e.org/\"\n    title: \"Т\"\n    publisher: \"X\"\n---\n";
        let errs = read_ru(text).unwrap_err();
        assert_eq!(errs[0].code, "translation-fact");
        assert!(
            errs[0].message.contains("`publisher`"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn unknown_fields_get_a_suggestion_and_bad_stamps_the_fix() {
        let text = "---\ntitel: \"Т\"\ntranslates: \"nonsense\"\n---\n";
        let errs = read_ru(text).unwrap_err();
        assert_eq!(errs[0].code, "unknown-field");
        assert!(errs[0].help.as_deref().unwrap().contains("`title`"));
        assert_eq!(errs[1].code, "translation-stamp");
        assert_eq!(errs[1].location.as_ref().map(|l| l.line), Some(3));
        assert!(
            errs[1]
                .help
                .as_deref()
                .unwrap()
                .contains("annals translations --stamp")
        );
    }

    #[test]
    fn facts_are_the_contract_fields_that_are_not_words() {
        assert!(is_fact("date") && is_fact("status") && is_fact("related"));
        assert!(!is_fact("title") && !is_fact("summary") && !is_fact("translates"));
        // Not a field of entries or pages at all: unknown, not a fact.
        assert!(!is_fact("titel"));
    }

    #[test]
    fn a_stamp_is_written_into_the_front_matter_and_read_back_as_current() {
        let original = "---\ntitle: \"A\"\nsummary: \"S\"\n---\nOne.\n\nTwo.\n";
        let words = original_words(original).unwrap();
        let tr = "---\ntitle: \"А\"\n---\nОдин.\n\nДва.\n";
        let stamped = with_stamp(tr, &words.stamp).unwrap();
        assert!(
            stamped.starts_with("---\ntitle: \"А\"\ntranslates: \"v1 "),
            "{stamped}"
        );
        assert!(stamped.ends_with("---\nОдин.\n\nДва.\n"), "{stamped}");
        let t = read_ru(&stamped).unwrap();
        assert_eq!(standing(&t, &words), Standing::Current);
        // Stamping again replaces the line instead of adding a second one.
        let again = with_stamp(&stamped, &words.stamp).unwrap();
        assert_eq!(again, stamped);
    }

    #[test]
    fn an_edited_original_makes_its_translation_outdated_at_the_edited_lines() {
        let original = "---\ntitle: \"A\"\nsummary: \"S\"\n---\nOne.\n\nTwo.\n";
        let tr = with_stamp(
            "---\ntitle: \"А\"\n---\nОдин.\n\nДва.\n",
            &original_words(original).unwrap().stamp,
        )
        .unwrap();
        let t = read_ru(&tr).unwrap();
        let edited = original.replace("Two.", "Two, and more.");
        let st = standing(&t, &original_words(&edited).unwrap());
        let w = standing_warning(&t, &st).unwrap();
        assert_eq!(w.code, "translation-outdated");
        // "Two." is line 7 of the original file.
        assert!(
            w.message.contains("line 7 of the original changed"),
            "{}",
            w.message
        );
        assert!(
            w.help
                .as_deref()
                .unwrap()
                .contains("annals translations --stamp content/entries/a.ru.md")
        );
        let unstamped = read_ru("---\ntitle: \"А\"\n---\n").unwrap();
        let st = standing(&unstamped, &original_words(original).unwrap());
        assert_eq!(st, Standing::Unstamped);
        assert_eq!(
            standing_warning(&unstamped, &st).unwrap().code,
            "translation-unstamped"
        );
    }
}
