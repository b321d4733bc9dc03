//! Interface strings per language, in Project Fluent's format: "Skip to content", "Sources",
//! "1 запись / 2 записи / 5 записей". English, Russian and Kazakh are embedded
//! (`src/i18n/messages/*.ftl`); a site overrides any message, or adds a language, with
//! `i18n/<code>.ftl` in its root, message by message, as it overrides templates. A message
//! a language lacks falls back to English (and `check` says which). Plural forms are
//! Fluent's job (CLDR plural rules), never an `if n == 1` of ours.

use crate::diagnostic::{Diagnostic, Location};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::{BTreeMap, BTreeSet};
use unic_langid::LanguageIdentifier;

/// The embedded message files: (language code, text).
pub const EMBEDDED: &[(&str, &str)] = &[
    ("en", include_str!("messages/en.ftl")),
    ("ru", include_str!("messages/ru.ftl")),
    ("kk", include_str!("messages/kk.ftl")),
];

/// The language whose messages every other language falls back to.
pub const FALLBACK: &str = "en";

/// One language's messages, with English behind it.
pub struct Messages {
    code: String,
    bundle: FluentBundle<FluentResource>,
    fallback: Option<Box<Messages>>,
    /// The ids of this language's own messages (embedded and the site's).
    ids: BTreeSet<String>,
}

/// A site's override file, as read from disk.
pub struct Override<'a> {
    /// The path shown in diagnostics, relative to the root (`i18n/ru.ftl`).
    pub path: &'a str,
    pub text: &'a str,
}

impl Messages {
    /// The messages of `code`: the embedded file (if annals ships one), then the site's
    /// override on top. Syntax errors in the override are diagnostics at their line; the
    /// embedded files are tested to parse.
    pub fn new(code: &str, site: Option<Override<'_>>) -> Result<Messages, Vec<Diagnostic>> {
        let fallback = if code == FALLBACK {
            None
        } else {
            Some(Box::new(Messages::new(FALLBACK, None)?))
        };
        Messages::layered(code, site, fallback)
    }

    fn layered(
        code: &str,
        site: Option<Override<'_>>,
        fallback: Option<Box<Messages>>,
    ) -> Result<Messages, Vec<Diagnostic>> {
        let lang: LanguageIdentifier = code.parse().map_err(|_| {
            vec![
                Diagnostic::error("language-code", format!("`{code}` is not a language code"))
                    .help("write a BCP 47 language code such as `en`, `ru` or `kk`"),
            ]
        })?;
        let mut bundle = FluentBundle::new_concurrent(vec![lang]);
        let mut own_ids = BTreeSet::new();
        // Unicode isolation marks around arguments would end up in <title> and in feeds;
        // our arguments are numbers and dates, which need none.
        bundle.set_use_isolating(false);
        if let Some((_, text)) = EMBEDDED.iter().find(|(c, _)| *c == code) {
            own_ids.extend(ids(text));
            let res = FluentResource::try_new(text.to_string())
                .expect("embedded message files parse (tested)");
            bundle
                .add_resource(res)
                .expect("embedded message files have no duplicate ids (tested)");
        }
        if let Some(o) = site {
            let res = match FluentResource::try_new(o.text.to_string()) {
                Ok(res) => res,
                Err((_, errors)) => {
                    return Err(errors
                        .iter()
                        .map(|e| {
                            Diagnostic::error(
                                "messages-syntax",
                                format!("this is not a Fluent message ({:?})", e.kind),
                            )
                            .in_file(o.path)
                            .at(Location::of_offset(
                                o.text,
                                e.pos.start,
                                e.pos.end - e.pos.start,
                            ))
                            .help(
                                "write each message as `id = text`; continuation lines are \
                                 indented; see https://projectfluent.org/fluent/guide/",
                            )
                        })
                        .collect());
                }
            };
            own_ids.extend(ids(o.text));
            bundle.add_resource_overriding(res);
        }
        Ok(Messages {
            code: code.to_string(),
            bundle,
            fallback,
            ids: own_ids,
        })
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message `id` with `args`, in this language or else in English; the id itself
    /// when no language has it (tests keep the templates' ids and the files in step).
    pub fn get(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        if let Some(text) = self.own(id, args) {
            return text;
        }
        match &self.fallback {
            Some(f) => f.get(id, args),
            None => id.to_string(),
        }
    }

    fn own(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> Option<String> {
        let msg = self.bundle.get_message(id)?;
        let pattern = msg.value()?;
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = vec![];
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fargs), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }

    /// A count with its noun in the right plural form: `count("entries", 5)` → "5 записей".
    pub fn count(&self, id: &str, n: usize) -> String {
        self.get(id, &[("n", FluentValue::from(n))])
    }

    /// Every message that takes no arguments, in this language or else in English, by id
    /// (what templates get as `t`).
    pub fn plain(&self) -> BTreeMap<String, String> {
        let mut out = match &self.fallback {
            Some(f) => f.plain(),
            None => BTreeMap::new(),
        };
        for id in &self.ids {
            if let Some(text) = self.own(id, &[]) {
                out.insert(id.clone(), text);
            }
        }
        out
    }

    /// A message with a count `$n`, as the forms a script chooses from with
    /// `Intl.PluralRules`: for each CLDR plural category of the language (`one`, `few`,
    /// `many`, `other`…), the message formatted for a whole number of that category, with
    /// the number written `{n}` and each of `others` written `{name}`. Fluent keeps the
    /// plural rules; the script only picks a form.
    pub fn script_forms(&self, id: &str, others: &[&str]) -> BTreeMap<&'static str, String> {
        use icu::plurals::{PluralCategory, PluralRules};
        let mut out = BTreeMap::new();
        let Ok(locale) = self.code.parse::<icu::locale::Locale>() else {
            return out;
        };
        let Ok(rules) = PluralRules::try_new(locale.into(), Default::default()) else {
            return out;
        };
        let placeholders: Vec<String> = others.iter().map(|o| format!("{{{o}}}")).collect();
        for n in 0usize..=200 {
            let name = match rules.category_for(n) {
                PluralCategory::Zero => "zero",
                PluralCategory::One => "one",
                PluralCategory::Two => "two",
                PluralCategory::Few => "few",
                PluralCategory::Many => "many",
                PluralCategory::Other => "other",
            };
            if out.contains_key(name) {
                continue;
            }
            let mut args: Vec<(&str, FluentValue)> = vec![("n", FluentValue::from(n))];
            for (o, p) in others.iter().zip(&placeholders) {
                args.push((o, FluentValue::from(p.as_str())));
            }
            let text = self.get(id, &args);
            out.insert(name, text.replace(&n.to_string(), "{n}"));
        }
        out
    }

    /// Whether this language (not its fallback) has the message.
    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }
}

/// The message ids of a Fluent file, in order (for `check` and the tests that keep every
/// language complete).
pub fn ids(text: &str) -> BTreeSet<String> {
    let res = match FluentResource::try_new(text.to_string()) {
        Ok(r) => r,
        Err((r, _)) => r,
    };
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_parse_and_every_language_has_every_english_message() {
        let en = ids(EMBEDDED[0].1);
        assert!(en.len() > 10, "{en:?}");
        for (code, text) in EMBEDDED {
            FluentResource::try_new(text.to_string())
                .unwrap_or_else(|(_, e)| panic!("{code}.ftl: {e:?}"));
            let have = ids(text);
            let missing: Vec<_> = en.difference(&have).collect();
            let extra: Vec<_> = have.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{code}.ftl: missing {missing:?}, unknown {extra:?}"
            );
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let ru = Messages::new("ru", None).unwrap();
        let got: Vec<String> = [1, 2, 5, 11, 21, 22, 25, 0]
            .iter()
            .map(|n| ru.count("entries-count", *n))
            .collect();
        assert_eq!(
            got,
            [
                "1 запись",
                "2 записи",
                "5 записей",
                "11 записей",
                "21 запись",
                "22 записи",
                "25 записей",
                "0 записей"
            ]
        );
        let en = Messages::new("en", None).unwrap();
        assert_eq!(en.count("entries-count", 1), "1 entry");
        assert_eq!(en.count("entries-count", 2), "2 entries");
        let kk = Messages::new("kk", None).unwrap();
        assert_eq!(kk.count("entries-count", 1), "1 жазба");
        assert_eq!(kk.count("entries-count", 5), "5 жазба");
    }

    #[test]
    fn a_script_gets_one_form_per_plural_category() {
        let ru = Messages::new("ru", None).unwrap();
        let forms = ru.script_forms("js-filter-shown", &["shown"]);
        assert_eq!(forms["one"], "Показано {shown} из {n} записи");
        assert_eq!(forms["few"], "Показано {shown} из {n} записей");
        assert_eq!(forms["many"], "Показано {shown} из {n} записей");
        let en = Messages::new("en", None).unwrap();
        let forms = en.script_forms("js-matches-count", &[]);
        assert_eq!(forms["one"], "{n} entry matches");
        assert_eq!(forms["other"], "{n} entries match");
        assert_eq!(forms.len(), 2);
    }

    #[test]
    fn a_site_overrides_one_message_and_keeps_the_rest() {
        let o = Override {
            path: "i18n/ru.ftl",
            text: "skip-to-content = К тексту\n",
        };
        let ru = Messages::new("ru", Some(o)).unwrap();
        assert_eq!(ru.get("skip-to-content", &[]), "К тексту");
        assert_eq!(ru.get("sources", &[]), "Источники");
    }

    #[test]
    fn a_language_annals_does_not_ship_falls_back_to_english_per_message() {
        let o = Override {
            path: "i18n/de.ftl",
            text: "sources = Quellen\n",
        };
        let de = Messages::new("de", Some(o)).unwrap();
        assert_eq!(de.get("sources", &[]), "Quellen");
        assert_eq!(de.get("skip-to-content", &[]), "Skip to content");
        assert!(!de.has("skip-to-content"));
    }

    #[test]
    fn a_broken_override_is_an_error_at_its_line() {
        let o = Override {
            path: "i18n/ru.ftl",
            text: "sources = Источники\n\nthis line is not a message\n",
        };
        let errs = Messages::new("ru", Some(o)).err().expect("refused");
        let e = &errs[0];
        assert_eq!(e.code, "messages-syntax");
        assert_eq!(e.path.as_deref(), Some("i18n/ru.ftl"));
        assert_eq!(e.location.as_ref().map(|l| l.line), Some(3));
    }

    #[test]
    fn a_bad_language_code_is_refused_with_help() {
        let errs = Messages::new("not a code", None).err().expect("refused");
        assert_eq!(errs[0].code, "language-code");
    }
}
