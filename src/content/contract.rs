//! The front-matter contract: one table per kind of file ([`ENTRY`], [`SOURCE`], [`PAGE`])
//! saying, for each field, its name, its [`Type`], whether it is required ([`Need`]), how an
//! editor writes it and what it holds. Everything that knows the fields is derived from
//! these tables: the unknown-field check and the examples in messages (`fields.rs`,
//! `entry.rs`, `page.rs`), the JSON Schema (`annals schema`, `src/schema.rs`), the file
//! `annals new` writes (`src/scaffold.rs`) and the README's front-matter table
//! ([`readme_table`], kept in sync by a test). The value rules a schema can state as
//! patterns (text, dates, slugs, web addresses) are written here once too, as regular
//! expressions beside the Rust checks they mirror; a test holds the two to agreement.

use crate::config::{Config, DEFAULT_INSTRUMENTS, DEFAULT_STATUSES};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    /// Text; numbers and booleans are kept as written (`title: 2021` is the text "2021").
    Text,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a real date.
    Date,
    /// One id from a list in site.yaml.
    Id(Ids),
    /// One or more ids from a list in site.yaml, each once (a single id may be written
    /// without brackets).
    IdList(Ids),
    /// One slug.
    Slug,
    /// Slugs of other entries, each once (a single one may be written without brackets).
    SlugList,
    /// A list of sources, each a mapping with the fields of [`SOURCE`].
    Sources,
    /// An `http://` or `https://` address.
    Url,
    Bool,
    /// A whole number.
    Int,
    /// A free mapping.
    Mapping,
}

/// The lists of ids that site.yaml defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ids {
    Status,
    Instrument,
    Theme,
    Thread,
}

impl Ids {
    /// The singular noun in messages: "unknown theme `x`".
    pub fn noun(self) -> &'static str {
        match self {
            Ids::Status => "status",
            Ids::Instrument => "instrument",
            Ids::Theme => "theme",
            Ids::Thread => "thread",
        }
    }

    /// The diagnostic code for an id that is not in the list.
    pub fn unknown_code(self) -> &'static str {
        match self {
            Ids::Status => "unknown-status",
            Ids::Instrument => "unknown-instrument",
            Ids::Theme => "unknown-theme",
            Ids::Thread => "unknown-thread",
        }
    }

    /// Added to the help of an unknown id.
    pub fn extra_help(self) -> &'static str {
        match self {
            Ids::Theme => ", or add it to site.yaml under themes:",
            Ids::Thread => ", or add it to site.yaml under threads:",
            _ => "",
        }
    }

    /// The id used in a "missing field" example when site.yaml lists none.
    fn fallback(self) -> &'static str {
        match self {
            Ids::Status => "adopted",
            Ids::Instrument => "law",
            Ids::Theme => "a-theme",
            Ids::Thread => "a-thread",
        }
    }

    /// The ids and labels of this list in a site.
    pub fn values(self, config: &Config) -> Vec<(&str, &str)> {
        match self {
            Ids::Status => config
                .statuses
                .iter()
                .map(|l| (l.id.as_str(), l.label.as_str()))
                .collect(),
            Ids::Instrument => config
                .instruments
                .iter()
                .map(|l| (l.id.as_str(), l.label.as_str()))
                .collect(),
            Ids::Theme => config
                .themes
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str()))
                .collect(),
            Ids::Thread => config
                .threads
                .iter()
                .map(|t| (t.id.as_str(), t.name.as_str()))
                .collect(),
        }
    }

    /// The ids and labels a site has when its site.yaml does not list its own (themes have
    /// no defaults, nor do threads).
    pub fn defaults(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Ids::Status => DEFAULT_STATUSES,
            Ids::Instrument => DEFAULT_INSTRUMENTS,
            Ids::Theme | Ids::Thread => &[],
        }
    }
}

/// Whether a field must be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Missing or empty is an error.
    Required,
    /// Missing or empty is a warning (an error under `--strict`): `sources`.
    Warned,
    Optional,
}

/// One front-matter field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub need: Need,
    /// A line as an editor writes it ("write it like this: …").
    pub example: &'static str,
    /// The line to add when a required field is missing, when it differs from `example`
    /// (ids take the site's first id instead).
    pub when_missing: &'static str,
    /// How to fill in a required text field that is empty.
    pub when_empty: &'static str,
    /// What it holds, for the README and the schema (Markdown).
    pub about: &'static str,
    /// What `annals new` writes when the editor gave no value; `{TODO}` is replaced by
    /// [`crate::scaffold::PLACEHOLDER`].
    pub scaffold: &'static str,
}

impl Field {
    /// A field with no `when_missing`, `when_empty` or `scaffold`; the tables add those
    /// with `Field { when_empty: …, ..Field::new(…) }`.
    const fn new(
        name: &'static str,
        ty: Type,
        need: Need,
        example: &'static str,
        about: &'static str,
    ) -> Field {
        Field {
            name,
            ty,
            need,
            example,
            when_missing: "",
            when_empty: "",
            about,
            scaffold: "",
        }
    }

    /// The line to add when the field is missing (or written with no value); for ids, the
    /// site's first id.
    pub fn missing_example(&self, config: Option<&Config>) -> String {
        match self.ty {
            Type::Id(ids) | Type::IdList(ids) => {
                let values = config.map(|c| ids.values(c)).unwrap_or_default();
                let first = values.first().map_or(ids.fallback(), |(id, _)| id);
                match self.ty {
                    Type::Id(_) => format!("{}: {first}", self.name),
                    _ => format!("{}: [{first}]", self.name),
                }
            }
            _ if !self.when_missing.is_empty() => self.when_missing.to_string(),
            _ => self.example.to_string(),
        }
    }
}

/// A summary longer than this is flagged: it is meant to be one or two sentences.
pub const SUMMARY_MAX: usize = 300;

/// The fields of an entry (`content/entries/*.md`), in the order the README and the
/// scaffold show them.
pub const ENTRY: &[Field] = &[
    Field {
        when_empty: "write the entry's headline, e.g. title: \"The moratorium on executions\"",
        ..Field::new(
            "title",
            Type::Text,
            Need::Required,
            "title: \"The moratorium on executions\"",
            "The headline, plain text.",
        )
    },
    Field {
        when_missing: "date: 2003-12-17 (or 2003-12, or 2003)",
        ..Field::new(
            "date",
            Type::Date,
            Need::Required,
            "date: 2003-12-17",
            "When it happened, at the precision known: `2003` (a year), `2020-09` (a month) or `2021-06-09` (a day). Shown as \"2003\", \"September 2020\", \"9 June 2021\". Impossible dates (2021-02-29, month 13) are errors.",
        )
    },
    Field::new(
        "end",
        Type::Date,
        Need::Optional,
        "end: 2021-12-29",
        "For something that lasts: same forms, not before `date`. Shown as a range (\"September – December 2020\").",
    ),
    Field::new(
        "status",
        Type::Id(Ids::Status),
        Need::Required,
        "status: signed",
        "An id from `statuses` in site.yaml",
    ),
    Field::new(
        "instrument",
        Type::Id(Ids::Instrument),
        Need::Required,
        "instrument: decree",
        "An id from `instruments` in site.yaml",
    ),
    Field::new(
        "jurisdiction",
        Type::Text,
        Need::Optional,
        "jurisdiction: Kazakhstan",
        "Defaults to site.yaml's `jurisdiction`.",
    ),
    Field::new(
        "themes",
        Type::IdList(Ids::Theme),
        Need::Required,
        "themes: [death-penalty]",
        "One or more theme ids from site.yaml, each once: `[death-penalty, ombudsman]` (a single one may be written without brackets).",
    ),
    Field::new(
        "thread",
        Type::Id(Ids::Thread),
        Need::Optional,
        "thread: death-penalty-abolition",
        "The reform thread this entry is a step of: an id from `threads` in site.yaml. The thread's page shows its steps in order, with the time between them.",
    ),
    Field::new(
        "step",
        Type::Text,
        Need::Optional,
        "step: \"deposit\"",
        "The step's short name in its thread, written to follow \"the\" (`deposit`, `Senate vote`): shown in the thread's stepper and in \"3 months after the deposit\". Defaults to the entry's title; needs `thread`.",
    ),
    Field {
        when_missing: "summary: \"One or two sentences on what happened.\"",
        when_empty: "say in one or two sentences what happened",
        scaffold: "\"{TODO}: one or two sentences on what happened.\"",
        ..Field::new(
            "summary",
            Type::Text,
            Need::Required,
            "summary: \"One or two sentences.\"",
            "One or two sentences of plain text (a warning above 300 characters).",
        )
    },
    Field {
        scaffold: "\n  - title: \"{TODO}: title of the source\"\n    url: \"https://example.org/{TODO}\"",
        ..Field::new(
            "sources",
            Type::Sources,
            Need::Warned,
            "sources:\n  - title: \"Law No. 404-VI\"\n    url: \"https://…\"",
            "A list of sources, each with `title` and `url` (an `https://` address), and optionally `publisher` and `date`. *An entry without sources builds with a warning; `--strict` makes it an error.",
        )
    },
    Field::new(
        "related",
        Type::SlugList,
        Need::Optional,
        "related: [death-penalty-moratorium-2003]",
        "Slugs (file names without `.md`) of related entries, each once. Shown on both entries.",
    ),
    Field::new(
        "slug",
        Type::Slug,
        Need::Optional,
        "slug: death-penalty-moratorium-2003",
        "Overrides the file name as the entry's address. Lowercase a–z, digits, single dashes.",
    ),
    Field::new(
        "draft",
        Type::Bool,
        Need::Optional,
        "draft: true",
        "`true` keeps the entry out of the site unless you build with `--drafts`.",
    ),
    Field::new(
        "updated",
        Type::Date,
        Need::Optional,
        "updated: 2024-01-15",
        "When the entry was last revised (a date), for feeds and the sitemap.",
    ),
    Field::new(
        "extra",
        Type::Mapping,
        Need::Optional,
        "extra:\n  key: value",
        "A free mapping passed to templates as `entry.extra`.",
    ),
];

/// The fields of one source in an entry's `sources:`.
pub const SOURCE: &[Field] = &[
    Field::new(
        "title",
        Type::Text,
        Need::Required,
        "    title: \"…\"",
        "The document cited, e.g. \"Law No. 404-VI of 2 January 2021\".",
    ),
    Field::new(
        "url",
        Type::Url,
        Need::Required,
        "    url: \"https://…\"",
        "Where a reader can check it: an `https://` (or `http://`) address.",
    ),
    Field::new(
        "publisher",
        Type::Text,
        Need::Optional,
        "    publisher: \"…\"",
        "Who published it.",
    ),
    Field::new(
        "date",
        Type::Date,
        Need::Optional,
        "    date: 2021-01-02",
        "When the source was published.",
    ),
];

/// The fields of a page (`content/pages/*.md`).
pub const PAGE: &[Field] = &[
    Field {
        when_empty: "write the page's heading, e.g. title: \"About this chronicle\"",
        ..Field::new(
            "title",
            Type::Text,
            Need::Required,
            "title: \"About this chronicle\"",
            "The page's heading.",
        )
    },
    Field::new(
        "summary",
        Type::Text,
        Need::Optional,
        "summary: \"What this chronicle covers.\"",
        "One sentence for the page's description.",
    ),
    Field::new(
        "slug",
        Type::Slug,
        Need::Optional,
        "slug: about",
        "Overrides the file name as the page's address.",
    ),
    Field::new(
        "menu",
        Type::Int,
        Need::Optional,
        "menu: 1",
        "The page's position in the site navigation; leave it out to keep the page out of it.",
    ),
    Field::new(
        "draft",
        Type::Bool,
        Need::Optional,
        "draft: true",
        "`true` keeps the page out of the site unless you build with `--drafts`.",
    ),
];

/// The field `name` of `table`. Panics on a name that is not in it: callers name fields
/// the table defines, and the tests run every caller.
pub fn field(table: &'static [Field], name: &str) -> &'static Field {
    table
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no field `{name}` in the contract"))
}

/// The names of a table's fields.
pub fn names(table: &[Field]) -> Vec<&'static str> {
    table.iter().map(|f| f.name).collect()
}

/// What the README says a field holds: `about`, plus the default ids of a site.yaml list.
pub fn described(f: &Field) -> String {
    match f.ty {
        Type::Id(ids) | Type::IdList(ids) if !ids.defaults().is_empty() => {
            let ids: Vec<&str> = ids.defaults().iter().map(|(id, _)| *id).collect();
            format!("{} (defaults: {}).", f.about, ids.join(", "))
        }
        _ => f.about.to_string(),
    }
}

/// The README's table of entry fields (section "Entry front matter").
pub fn readme_table() -> String {
    let mut out = String::from("| field | required | what it holds |\n|---|---|---|\n");
    for f in ENTRY {
        let need = match f.need {
            Need::Required => "yes",
            Need::Warned => "yes*",
            Need::Optional => "no",
        };
        out.push_str(&format!("| `{}` | {need} | {} |\n", f.name, described(f)));
    }
    out
}

/// The value rules that a JSON Schema states as regular expressions, each mirroring one
/// Rust check (named on each). Written with `\xHH` and `\uHHHH` escapes only, which
/// ECMA-262 (ajv) and Rust's `regex` read alike.
pub mod patterns {
    /// Characters [`crate::content::fields::forbidden_char`] refuses: control characters
    /// but line breaks and tabs.
    const FORBIDDEN: &str = r"\x00-\x08\x0B-\x1F\x7F-\x9F";
    /// What `str::trim` removes (Unicode White_Space).
    const SPACE: &str = r"\x09-\x0D\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

    /// Text with no forbidden character.
    pub fn text() -> String {
        format!("^[^{FORBIDDEN}]*$")
    }

    /// Text with no forbidden character and something besides white space.
    pub fn non_blank_text() -> String {
        format!("^[^{FORBIDDEN}]*[^{FORBIDDEN}{SPACE}][^{FORBIDDEN}]*$")
    }

    /// [`crate::slug::is_valid`].
    pub const SLUG: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

    /// The form of [`crate::date::PartialDate::parse`] (surrounding white space allowed,
    /// no year 0, months 01–12, days 01–31); which days a month has is not a pattern.
    pub fn date() -> String {
        let year = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})";
        let month = "(0[1-9]|1[0-2])";
        let day = "(0[1-9]|[12][0-9]|3[01])";
        format!("^[{SPACE}]*{year}(-{month}(-{day})?)?[{SPACE}]*$")
    }

    /// [`crate::config::is_web_url`] after `trim`: `http(s)://`, a host with a dot (or
    /// `localhost`, or `[` for an IPv6 address) and none of `<>"'\``, no white space or
    /// control character anywhere.
    pub fn web_url() -> String {
        let bad = r"\x00-\x20\x7F-\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
        let host = format!(r#"[^/?#<>"'\\`{bad}]"#);
        format!(r"^[{SPACE}]*https?://(localhost|\[|{host}*\.){host}*([/?#][^{bad}]*)?[{SPACE}]*$")
    }
}

/// Writes the front matter of a new entry: every field that is not optional, in table
/// order, with the value in `given` or the field's placeholder.
pub fn scaffold(given: &[(&str, String)], placeholder: &str) -> String {
    let mut out = String::from("---\n");
    for f in ENTRY.iter().filter(|f| f.need != Need::Optional) {
        let value = match given.iter().find(|(name, _)| *name == f.name) {
            Some((_, v)) => v.clone(),
            None => f.scaffold.replace("{TODO}", placeholder),
        };
        let sep = if value.starts_with('\n') { ":" } else { ": " };
        out.push_str(&format!("{}{sep}{value}\n", f.name));
    }
    out.push_str("---\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_that_annals_new_writes_has_a_placeholder_or_a_value() {
        let given = ["title", "date", "status", "instrument", "themes"];
        for f in ENTRY.iter().filter(|f| f.need != Need::Optional) {
            assert!(
                given.contains(&f.name) || !f.scaffold.is_empty(),
                "`{}` is required but `annals new` has nothing to write for it",
                f.name
            );
        }
    }

    #[test]
    fn required_text_fields_say_how_to_fill_them_in() {
        for f in ENTRY.iter().chain(PAGE) {
            if f.need == Need::Required && f.ty == Type::Text {
                assert!(!f.when_empty.is_empty(), "{}", f.name);
            }
            assert!(!f.about.is_empty(), "{}", f.name);
        }
    }

    #[test]
    fn the_summary_limit_in_the_readme_is_the_one_checked() {
        assert!(
            field(ENTRY, "summary")
                .about
                .contains(&SUMMARY_MAX.to_string())
        );
    }

    /// Each reader takes every field of its table: none is accepted and then ignored.
    #[test]
    fn entry_and_page_readers_read_every_field_of_their_table() {
        use crate::content::fields::{Fields, FileCtx};
        type Reader = fn(&mut Fields);
        let readers: [(&[Field], Reader); 2] = [
            (ENTRY, |f| drop(crate::content::entry::read(f))),
            (PAGE, |f| drop(crate::content::page::read(f))),
        ];
        for (table, read) in readers {
            let yaml: String = table.iter().map(|f| format!("{}: x\n", f.name)).collect();
            let ctx = FileCtx {
                display: "a.md",
                text: &yaml,
                yaml: &yaml,
                yaml_offset: 0,
            };
            let crate::yaml::Document::Mapping(m) = crate::yaml::parse_mapping(&yaml).unwrap()
            else {
                panic!("a mapping")
            };
            let mut fields = Fields::new(&ctx, m);
            read(&mut fields);
            assert!(fields.unread().is_empty(), "{:?}", fields.unread());
        }
    }

    /// Matched by the JSON Schema validator the tests use, so the regex dialect is its.
    fn matches(pattern: &str, text: &str) -> bool {
        jsonschema::is_valid(&serde_json::json!({ "pattern": pattern }), &text.into())
    }

    const SAMPLES: &[&str] = &[
        "",
        " ",
        "\t",
        "a",
        "Закон № 5",
        "two\nlines",
        "bell\u{7}",
        "csi \u{9b}",
        "a\rb",
        "\u{a0}",
        "\u{3000}x",
        "2021",
        "2021-02",
        "2021-02-29",
        "2021-13",
        "2021-00",
        "0000",
        "0001",
        " 2021 ",
        "2021-1",
        "21",
        "2021-06-31",
        "2021-12-32",
        "20210",
        "https://example.org",
        "http://example.org/a b",
        "https://localhost:8080/x",
        "https://[::1]/",
        "https://example",
        "ftp://example.org",
        "https://ex<ample.org",
        "https://example.org/\"q\"",
        " https://example.org/ ",
        "https://президент.рф/",
        "https://example.org/\u{200b}",
        "https://example.org/\u{feff}",
        "https://a.b#f",
        "https://ab?x=1.2",
        "https://.",
        "https:///x.y",
        "a-b",
        "a--b",
        "-a",
        "A",
        "a1-2",
    ];

    #[test]
    fn patterns_agree_with_the_rust_checks() {
        use crate::content::fields::forbidden_char;
        for s in SAMPLES {
            assert_eq!(
                matches(&patterns::text(), s),
                forbidden_char(s).is_none(),
                "{s:?}"
            );
            let non_blank = forbidden_char(s).is_none() && !s.trim().is_empty();
            assert_eq!(matches(&patterns::non_blank_text(), s), non_blank, "{s:?}");
            assert_eq!(
                matches(patterns::SLUG, s),
                crate::slug::is_valid(s),
                "{s:?}"
            );
            assert_eq!(
                matches(&patterns::web_url(), s),
                crate::config::is_web_url(s.trim()),
                "{s:?}"
            );
            // The pattern checks the form; the calendar (29 February) is check's alone.
            let t = s.trim();
            let form_ok = match crate::date::PartialDate::parse(t) {
                Ok(_) => true,
                Err(crate::date::DateError::Form) => false,
                Err(crate::date::DateError::Impossible(_)) => {
                    t.len() == 10
                        && crate::date::PartialDate::parse(&t[..7]).is_ok()
                        && matches!(t[8..].parse::<u32>(), Ok(1..=31))
                }
            };
            assert_eq!(matches(&patterns::date(), s), form_ok, "{s:?}");
        }
    }
}
