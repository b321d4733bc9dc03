//! View structs: what templates receive. Strings are already formatted; templates never
//! see the internal model. Every `url` is a site path (`entries/x/`, `` for the home
//! page) that a template writes after the page's root, `{{ page.root }}{{ e.url }}`, so
//! that links are relative (see `routes`); only `page.url` (canonical, `og:url`) and
//! `site.base_url` are absolute. Every context has a size bounded by
//! what the page shows (an entry page gets its own entry and its neighbours, never the
//! whole chronicle).

use crate::config::{Config, Language, Theme};
use crate::content::{Document, Entry, Page};
use crate::date::{PartialDate, display_span_parts};
use crate::i18n::dates::DateFormats;
use crate::i18n::labels::LabelKey;
use crate::i18n::messages::Messages;
use crate::routes::{Localized, Route};
use crate::timeline::{Chronicle, Translated, Translations};
use serde::Serialize;
use std::collections::BTreeMap;

/// How a language writes dates: the forms annals has always written for English (`en`,
/// `en-GB`: "9 June 2021", "September – December 2020"), CLDR's through ICU4X for every
/// other locale ("9 июня 2021 г."; spans in full on both ends).
/// ICU4X's formatters are not shared between threads: each rendering thread makes its
/// own, once per locale.
pub enum Dates {
    English,
    /// A locale ICU4X accepts.
    Icu(String),
}

thread_local! {
    static FORMATS: std::cell::RefCell<BTreeMap<String, DateFormats>> =
        const { std::cell::RefCell::new(BTreeMap::new()) };
}

impl Dates {
    pub fn of(language: &Language) -> Dates {
        match language.locale.as_str() {
            "en" | "en-GB" => Dates::English,
            locale if DateFormats::new(locale).is_ok() => Dates::Icu(locale.to_string()),
            _ => Dates::English,
        }
    }

    pub fn display(&self, d: &PartialDate) -> String {
        match self {
            Dates::English => d.display(),
            Dates::Icu(locale) => FORMATS.with(|f| {
                let mut f = f.borrow_mut();
                if !f.contains_key(locale) {
                    let made = DateFormats::new(locale).expect("checked in Dates::of");
                    f.insert(locale.clone(), made);
                }
                f[locale].format(d)
            }),
        }
    }

    pub fn date(&self, d: &PartialDate) -> DateView {
        DateView {
            datetime: d.datetime(),
            display: self.display(d),
            precision: d.precision().as_str(),
        }
    }

    pub fn when(&self, date: &PartialDate, end: Option<&PartialDate>) -> WhenView {
        match self {
            Dates::English => WhenView::new(date, end),
            Dates::Icu(_) => {
                let start = self.date(date);
                match end {
                    Some(e) if e != date => {
                        let end = self.date(e);
                        WhenView {
                            text: format!("{} – {}", start.display, end.display),
                            start_text: start.display.clone(),
                            end_text: Some(end.display.clone()),
                            start,
                            end: Some(end),
                        }
                    }
                    _ => WhenView {
                        start_text: start.display.clone(),
                        text: start.display.clone(),
                        end_text: None,
                        start,
                        end: None,
                    },
                }
            }
        }
    }
}

/// The words site.yaml gives to ids — status and instrument labels, theme and thread names
/// and descriptions, the site's title and description — in one language: the language's
/// `i18n/site.<code>.yaml` (read into `Config`, see `Config::label`), else site.yaml's.
/// This is the one place the renderer asks for them.
#[derive(Clone, Copy)]
pub struct Labels<'a> {
    config: &'a Config,
    /// The language asked for.
    pub lang: &'a str,
}

impl<'a> Labels<'a> {
    pub fn new(config: &'a Config, lang: &'a str) -> Labels<'a> {
        Labels { config, lang }
    }

    fn get(&self, key: LabelKey<'a>) -> &'a str {
        self.config.label(self.lang, key)
    }

    pub fn status(&self, id: &'a str) -> &'a str {
        self.get(LabelKey::Status(id))
    }

    pub fn instrument(&self, id: &'a str) -> &'a str {
        self.get(LabelKey::Instrument(id))
    }

    pub fn theme_name(&self, t: &'a Theme) -> &'a str {
        self.get(LabelKey::ThemeName(&t.id))
    }

    pub fn theme_description(&self, t: &'a Theme) -> &'a str {
        self.get(LabelKey::ThemeDescription(&t.id))
    }

    pub fn thread_name(&self, t: &'a Theme) -> &'a str {
        self.get(LabelKey::ThreadName(&t.id))
    }

    pub fn thread_description(&self, t: &'a Theme) -> &'a str {
        self.get(LabelKey::ThreadDescription(&t.id))
    }

    pub fn site_title(&self) -> &'a str {
        self.get(LabelKey::Title)
    }

    pub fn site_description(&self) -> &'a str {
        self.get(LabelKey::Description)
    }
}

/// A message as templates receive it: HTML-escaped (`&`, `<`, `>`, `"`), to be written
/// with `| safe`. An apostrophe stays as it is: every attribute of the default templates
/// is double-quoted, and English text keeps the bytes it had before it came from a file.
pub fn message_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// One language of the site, as a page in it is made: where its pages are, how it writes
/// dates, its messages and labels, and which entries and pages it has in its own words.
pub struct Lang<'a> {
    pub config: &'a Config,
    /// Index in `config.languages` (0: the default).
    pub index: usize,
    pub language: &'a Language,
    /// Its folder (`ru`), `None` for the default language.
    pub prefix: Option<&'a str>,
    pub messages: Messages,
    pub dates: Dates,
    pub labels: Labels<'a>,
    /// Its translations (`None` for the default language).
    pub translations: Option<&'a Translations>,
}

impl<'a> Lang<'a> {
    /// Language `index` of `config.languages`, with `messages` (see `Templates::messages`).
    pub fn new(
        config: &'a Config,
        chronicle: &'a Chronicle,
        index: usize,
        messages: Messages,
    ) -> Lang<'a> {
        let language = &config.languages[index];
        Lang {
            config,
            index,
            language,
            prefix: Localized::prefix_of(&language.code, &config.language),
            messages,
            dates: Dates::of(language),
            labels: Labels::new(config, &language.code),
            translations: index
                .checked_sub(1)
                .and_then(|k| chronicle.languages.get(k)),
        }
    }

    /// The way from this language's root to the site root.
    pub fn up(&self) -> &'static str {
        if self.prefix.is_some() { "../" } else { "" }
    }

    /// `route` in this language's tree.
    pub fn at<'r>(&self, route: Route<'r>) -> Localized<'r>
    where
        'a: 'r,
    {
        Localized::new(self.prefix, route)
    }

    /// The site path (from this language's root) of a page of the default language.
    pub fn original(&self, route: Route) -> String {
        format!("{}{}", self.up(), route.path())
    }

    /// Entry `i`'s words in this language, if it has them.
    pub fn entry_words(&self, i: usize) -> Option<&'a Translated> {
        self.translations?.entries.get(i)?.as_ref()
    }

    /// Page `k`'s words in this language, if it has them.
    pub fn page_words(&self, k: usize) -> Option<&'a Translated> {
        self.translations?.pages.get(k)?.as_ref()
    }

    /// A plain message, escaped for HTML (see [`message_html`]).
    pub fn text(&self, id: &str) -> String {
        self.messages.get(id, &[])
    }

    /// The `t` map of every page: each message without arguments, by its id with `_` for
    /// `-`, escaped for HTML — but for an id ending in `-html`, whose text is markup (as a
    /// template's is, from the same trusted site files).
    pub fn t(&self) -> BTreeMap<String, String> {
        self.messages
            .plain()
            .into_iter()
            .map(|(id, text)| {
                let text = if id.ends_with("-html") {
                    text
                } else {
                    message_html(&text)
                };
                (id.replace('-', "_"), text)
            })
            .collect()
    }

    /// What `annals.js` writes on this language's pages, as the JSON of a `<script
    /// type="application/json">`: each message by id, a count as its plural forms (see
    /// `Messages::script_forms`); `None` for English, whose words the script has.
    pub fn script_messages(&self) -> Option<String> {
        if self.language.code == "en" || self.language.code.starts_with("en-") {
            return None;
        }
        let m = &self.messages;
        let mut v = serde_json::Map::new();
        for (id, others) in [
            ("js-filter-shown", &["shown"][..]),
            ("js-matches-count", &[][..]),
        ] {
            v.insert(id.into(), serde_json::json!(m.script_forms(id, others)));
        }
        for (id, args) in [
            ("js-type-more", &[][..]),
            ("js-searching", &[][..]),
            ("js-order-relevance", &[][..]),
            ("js-order-newest", &[][..]),
            ("js-order-oldest", &[][..]),
            ("js-no-match", &["q"][..]),
            ("js-matches", &["count", "q", "order"][..]),
            ("js-index-error", &["error"][..]),
        ] {
            let placeholders: Vec<String> = args.iter().map(|a| format!("{{{a}}}")).collect();
            let fargs: Vec<(&str, fluent_bundle::FluentValue)> = args
                .iter()
                .zip(&placeholders)
                .map(|(a, p)| (*a, p.as_str().into()))
                .collect();
            v.insert(id.into(), m.get(id, &fargs).into());
        }
        Some(script_json(&serde_json::Value::Object(v)))
    }

    /// "(English)": the marker of words shown in the default language on this language's
    /// pages.
    pub fn fallback_marker(&self) -> String {
        let name = &self.config.languages[0].name;
        self.messages
            .get("fallback-marker", &[("language", name.as_str().into())])
    }

    /// The code of the default language, when words of it are shown on this language's
    /// pages (the `lang` of their element).
    pub fn fallback_lang(&self) -> Option<String> {
        self.prefix.map(|_| self.config.language.clone())
    }
}

/// An entry with its list view. The two always travel together: a list of entries is a
/// list of items, and `i` is the entry's index in the chronicle (for its related entries,
/// backlinks and neighbours).
#[derive(Clone, Copy)]
pub struct Item<'a> {
    pub i: usize,
    pub entry: &'a Entry,
    pub card: &'a EntryCard,
}

/// Whether an entry or page is published data: a draft (whose page is shown only with
/// `--drafts`) is never in a feed, the sitemap, an export or the search index.
pub fn is_published(doc: &Document) -> bool {
    !doc.draft
}

impl Item<'_> {
    /// Whether the entry is published data (see [`is_published`]).
    pub fn is_published(&self) -> bool {
        is_published(&self.entry.doc)
    }

    /// When the entry last changed: its `updated` date, else its date.
    pub fn updated(&self) -> PartialDate {
        self.entry.updated.unwrap_or(self.entry.date)
    }
}

/// Every entry of the chronicle with its card (`cards` are the chronicle's, in its order).
pub fn items<'a>(chronicle: &'a Chronicle, cards: &'a [EntryCard]) -> Vec<Item<'a>> {
    debug_assert_eq!(chronicle.entries.len(), cards.len());
    chronicle
        .entries
        .iter()
        .zip(cards)
        .enumerate()
        .map(|(i, (entry, card))| Item { i, entry, card })
        .collect()
}

/// The site, in every template's global context as `site`.
#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub url: String,
    pub base_url: String,
    pub language: String,
    pub author: Option<String>,
    pub feed_url: String,
    pub themes_url: String,
    /// The list of reform threads; `None` when site.yaml declares none.
    pub threads_url: Option<String>,
    pub menu: Vec<LinkView>,
    pub themes: Vec<ThemeLinkView>,
    pub statuses: Vec<LabelView>,
    pub instruments: Vec<LabelView>,
    pub search_url: String,
    pub static_url: String,
    /// The page about the data exports.
    pub data_url: String,
    /// The licence of the chronicle's data (`title` its name, `url` its absolute address).
    pub license: Option<LinkView>,
    /// `newest` or `oldest`: the timeline's order.
    pub order: &'static str,
    /// The words of `annals.js` in this language (JSON; none in English).
    pub script_messages: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct LinkView {
    pub title: String,
    pub url: String,
    /// The language of `title` when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// What every page says about itself (`page` in the context).
#[derive(Serialize, Default)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    /// The canonical URL of this page (absolute, from `base_url`).
    pub url: String,
    /// The site path of this page (`entries/x/`), to compare with other `url`s.
    pub path: String,
    /// The relative way back to the site root (`./`, `../`, `../../`), written before
    /// every site path; the 404 page, served at any depth, gets `base_url`'s path.
    pub root: String,
    /// `timeline`, `entry`, `themes`, `theme`, `year`, `page` or `404`.
    pub kind: &'static str,
    /// schema.org JSON-LD, already escaped for a `<script>` element.
    pub jsonld: Option<String>,
    /// A feed of this page's entries (theme pages), besides the site's (a site path).
    pub feed_url: Option<String>,
    /// This page in every language it exists in, with `x-default` last (absolute URLs;
    /// empty on a site of one language).
    pub alternates: Vec<AlternateView>,
    /// The language switcher: every language, in site.yaml's order (empty on a site of
    /// one language).
    pub languages: Vec<SwitchView>,
}

/// A `<link rel="alternate" hreflang>`.
#[derive(Serialize)]
pub struct AlternateView {
    pub hreflang: String,
    pub url: String,
}

/// A language in the switcher: its name in itself, and where it goes.
#[derive(Serialize)]
pub struct SwitchView {
    pub code: String,
    pub name: String,
    /// The same page in that language, else that language's home (relative).
    pub url: String,
    /// Whether it is the page's own language.
    pub current: bool,
    /// When the page has no version in that language: what the link says, in it.
    pub title: Option<String>,
}

impl PageMeta {
    /// What the page at `route` says about itself: its addresses come from the route.
    pub fn at(
        route: Route,
        config: &Config,
        kind: &'static str,
        title: String,
        description: String,
    ) -> PageMeta {
        PageMeta {
            title,
            description,
            url: route.url(config),
            path: route.path(),
            root: route.root(),
            kind,
            ..Default::default()
        }
    }
}

/// Serialises JSON for a `<script>` element: `<`, `>` and `&` become `\u` escapes, so
/// that no string (a title with `</script>`) can close the element.
pub fn script_json(value: &serde_json::Value) -> String {
    script_json_of(value)
}

/// [`script_json`] of any serialisable value.
pub fn script_json_of<T: Serialize + ?Sized>(value: &T) -> String {
    let s = serde_json::to_string(value).expect("JSON values serialise");
    // As `markdown::escape_attr` does: a byte search (`<`, `>` and `&` are ASCII, U+2028
    // and U+2029 are E2 80 A8 and E2 80 A9), each run between them copied whole, and the
    // JSON returned as it is when it has none (most have none).
    let b = s.as_bytes();
    let mut out = String::new();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let with = match c {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            b'&' => "\\u0026",
            0xE2 => match b.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => "\\u2028",
                Some([0x80, 0xA9]) => "\\u2029",
                _ => continue,
            },
            _ => continue,
        };
        if out.is_empty() {
            out.reserve(s.len() + 16);
        }
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + if c == 0xE2 { 3 } else { 1 };
    }
    if from == 0 {
        return s;
    }
    out.push_str(&s[from..]);
    out
}

/// schema.org's legal force for a status id (the default statuses; others: unknown).
pub fn legal_force(status: &str) -> Option<&'static str> {
    match status {
        "in-force" | "implemented" => Some("https://schema.org/InForce"),
        "announced" | "proposed" | "adopted" | "signed" | "ratified" | "repealed" => {
            Some("https://schema.org/NotInForce")
        }
        _ => None,
    }
}

/// The schema.org type of an entry of `instrument`: site.yaml's `type` for it, else one
/// fitting the default instrument ids. Only legal acts are `Legislation`.
pub fn schema_type<'a>(config: &'a Config, instrument: &str) -> &'a str {
    if let Some(t) = config
        .instruments
        .iter()
        .find(|l| l.id == instrument)
        .and_then(|l| l.schema_type.as_deref())
    {
        return t;
    }
    match instrument {
        "law" | "decree" | "constitutional-law" | "constitutional-amendment" | "treaty" => {
            "Legislation"
        }
        "event" | "referendum" | "parliamentary-vote" => "Event",
        "institution" => "GovernmentOrganization",
        // Addresses, plans and anything else: a work (a speech, a document).
        _ => "CreativeWork",
    }
}

/// The JSON-LD of an entry page: the entry as the schema.org thing it is (see
/// [`schema_type`]), with only the properties that type has. A legal act gets its
/// `legislation*` properties; an event its `startDate`/`endDate`; an institution its
/// `foundingDate`; a span (`end`) is the `temporalCoverage` of a work, never `expires`.
/// Things that are not works carry the page's own facts in `mainEntityOfPage`.
pub fn entry_jsonld(config: &Config, e: &Entry, card: &EntryCard) -> String {
    let kind = schema_type(config, &e.instrument);
    let url = config.url(&card.site_path);
    // The language folder of the card's page (`ru/`), before each theme's path.
    let prefix = card.site_path.strip_suffix(&card.url).unwrap_or("");
    let citations: Vec<LdCitation> = e
        .sources
        .iter()
        .map(|s| LdCitation {
            kind: "CreativeWork",
            date_published: s.date.map(|d| d.to_string()),
            name: &s.title,
            publisher: s.publisher.as_deref().map(|name| LdNamed {
                kind: "Organization",
                name,
            }),
            url: &s.url,
        })
        .collect();
    let about: Vec<LdThing> = card
        .themes
        .iter()
        .map(|t| LdThing {
            kind: "Thing",
            name: &t.name,
            url: config.url(&format!("{prefix}{}", t.url)),
        })
        .collect();
    let is_part_of = LdThing {
        kind: "WebSite",
        name: &config.title,
        url: Route::Home.url(config),
    };
    let (updated, license) = (
        e.updated.map(|u| u.to_string()),
        config.license.as_ref().map(|l| l.url.as_str()),
    );
    let place = || {
        (!e.jurisdiction.is_empty()).then_some(LdNamed {
            kind: "Place",
            name: &e.jurisdiction,
        })
    };
    let mut v = EntryLd {
        context: "https://schema.org",
        kind,
        name: &card.title,
        url: url.clone(),
        description: &card.summary,
        ..EntryLd::default()
    };
    let is_event = kind.ends_with("Event");
    let is_org = kind.ends_with("Organization");
    if is_event || is_org {
        if is_event {
            v.about = Some(about);
            v.start_date = Some(e.date.to_string());
            v.end_date = e.end.map(|d| d.to_string());
            v.location = place();
        } else {
            v.founding_date = Some(e.date.to_string());
            v.area_served = (!e.jurisdiction.is_empty()).then_some(&e.jurisdiction);
        }
        v.subject_of = Some(citations);
        // What the page says of itself: on a work, its own properties; else on its page.
        v.main_entity_of_page = Some(LdPage {
            kind: "WebPage",
            date_modified: updated,
            is_part_of,
            license,
            url,
        });
    } else {
        v.about = Some(about);
        v.citation = Some(citations);
        v.is_part_of = Some(is_part_of);
        v.date_modified = updated;
        v.license = license;
        v.temporal_coverage = e.end.map(|end| format!("{}/{end}", e.date));
        if kind == "Legislation" {
            v.legislation_date = Some(e.date.to_string());
            v.legislation_type = Some(&card.instrument.label);
            v.legislation_jurisdiction = (!e.jurisdiction.is_empty()).then_some(&e.jurisdiction);
            v.legislation_legal_force = legal_force(&e.status);
        } else {
            v.date_created = Some(e.date.to_string());
            v.genre = Some(&card.instrument.label);
            v.spatial_coverage = place();
        }
    }
    script_json_of(&v)
}

// The JSON-LD of an entry page, serialised from structs rather than a `serde_json::Value`
// tree (a quarter of an entry page's time). Fields are declared in byte order of their
// names, the order a `Value` map gave them, so that the bytes stay as they were.

#[derive(Serialize, Default)]
struct EntryLd<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    about: Option<Vec<LdThing<'a>>>,
    #[serde(rename = "areaServed", skip_serializing_if = "Option::is_none")]
    area_served: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<Vec<LdCitation<'a>>>,
    #[serde(rename = "dateCreated", skip_serializing_if = "Option::is_none")]
    date_created: Option<String>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    description: &'a str,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    end_date: Option<String>,
    #[serde(rename = "foundingDate", skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'a str>,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<LdThing<'a>>,
    #[serde(rename = "legislationDate", skip_serializing_if = "Option::is_none")]
    legislation_date: Option<String>,
    #[serde(
        rename = "legislationJurisdiction",
        skip_serializing_if = "Option::is_none"
    )]
    legislation_jurisdiction: Option<&'a str>,
    #[serde(
        rename = "legislationLegalForce",
        skip_serializing_if = "Option::is_none"
    )]
    legislation_legal_force: Option<&'static str>,
    #[serde(rename = "legislationType", skip_serializing_if = "Option::is_none")]
    legislation_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<LdNamed<'a>>,
    #[serde(rename = "mainEntityOfPage", skip_serializing_if = "Option::is_none")]
    main_entity_of_page: Option<LdPage<'a>>,
    name: &'a str,
    #[serde(rename = "spatialCoverage", skip_serializing_if = "Option::is_none")]
    spatial_coverage: Option<LdNamed<'a>>,
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    start_date: Option<String>,
    #[serde(rename = "subjectOf", skip_serializing_if = "Option::is_none")]
    subject_of: Option<Vec<LdCitation<'a>>>,
    #[serde(rename = "temporalCoverage", skip_serializing_if = "Option::is_none")]
    temporal_coverage: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct LdThing<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct LdNamed<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct LdCitation<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<LdNamed<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct LdPage<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "isPartOf")]
    is_part_of: LdThing<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    url: String,
}

/// The JSON-LD of the home page: the `WebSite` and an `ItemList` of the entries shown, in
/// schema.org's summary form (position and URL: each entry's page carries its own name).
pub fn home_jsonld(lang: &Lang, shown: &[&EntryCard]) -> String {
    let config = lang.config;
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": lang.labels.site_title(), "description": lang.labels.site_description(), "url": lang.at(Route::Home).url(config), "inLanguage": lang.language.code},
            {"@type": "ItemList", "numberOfItems": shown.len(), "itemListElement": shown.iter().enumerate().map(|(i, c)| serde_json::json!({
                "@type": "ListItem", "position": i + 1, "url": config.url(&c.site_path)
            })).collect::<Vec<_>>()}
        ]
    });
    if let Some(l) = &config.license {
        v["@graph"][0]["license"] = l.url.clone().into();
    }
    script_json(&v)
}

#[derive(Serialize, Clone)]
pub struct DateView {
    /// The `datetime` attribute: `2020`, `2020-09` or `2020-09-01`.
    pub datetime: String,
    /// "2020", "September 2020", "1 September 2020".
    pub display: String,
    /// `year`, `month` or `day`.
    pub precision: &'static str,
}

impl DateView {
    pub fn new(d: &PartialDate) -> DateView {
        DateView {
            datetime: d.datetime(),
            display: d.display(),
            precision: d.precision().as_str(),
        }
    }
}

/// When something happened, ready to print: `start` alone, or `start` – `end` where the two
/// texts share what they share ("September" – "December 2020").
#[derive(Serialize, Clone)]
pub struct WhenView {
    pub start: DateView,
    pub end: Option<DateView>,
    /// The text to show for the start (shortened when the end carries the year).
    pub start_text: String,
    pub end_text: Option<String>,
    /// The whole thing as one string: "September – December 2020".
    pub text: String,
}

impl WhenView {
    pub fn new(date: &PartialDate, end: Option<&PartialDate>) -> WhenView {
        match end {
            Some(e) if e != date => {
                let (s, t) = display_span_parts(date, e);
                WhenView {
                    start: DateView::new(date),
                    end: Some(DateView::new(e)),
                    text: format!("{s} – {t}"),
                    start_text: s,
                    end_text: Some(t),
                }
            }
            _ => WhenView {
                start: DateView::new(date),
                end: None,
                start_text: date.display(),
                end_text: None,
                text: date.display(),
            },
        }
    }
}

#[derive(Serialize, Clone)]
pub struct LabelView {
    pub id: String,
    pub label: String,
}

#[derive(Serialize, Clone)]
pub struct ThemeLinkView {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// An entry as a list item (timeline, theme and year pages).
#[derive(Serialize, Clone)]
pub struct EntryCard {
    pub slug: String,
    /// Theme ids separated by spaces (for `data-` attributes and filters).
    pub theme_ids: String,
    pub url: String,
    pub title: String,
    pub when: WhenView,
    pub status: LabelView,
    pub instrument: LabelView,
    pub themes: Vec<ThemeLinkView>,
    pub summary: String,
    pub draft: bool,
    /// The language of its title and summary when it is not the page's (an entry not yet
    /// translated, listed in the original's words and linked to the original page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// "(English)", beside such a title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// Its page's path from the site root (`ru/entries/x/`), for absolute URLs.
    #[serde(skip)]
    pub site_path: String,
}

/// A link to another entry, with its date.
#[derive(Serialize, Clone)]
pub struct EntryLinkView<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub when: &'a WhenView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_language: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SourceView {
    pub title: String,
    pub url: String,
    pub publisher: Option<String>,
    pub date: Option<DateView>,
}

/// The entry of an entry page.
#[derive(Serialize)]
pub struct EntryView<'a> {
    #[serde(flatten)]
    pub card: &'a EntryCard,
    pub jurisdiction: &'a str,
    /// Rendered Markdown (mark it `| safe`).
    pub body: &'a str,
    pub sources: Vec<SourceView>,
    pub related: Vec<EntryLinkView<'a>>,
    pub backlinks: Vec<EntryLinkView<'a>>,
    /// Related entries and backlinks in one list, each entry once (see [`connected`]).
    pub connected: Vec<ConnectedView<'a>>,
    pub previous: Option<EntryLinkView<'a>>,
    pub next: Option<EntryLinkView<'a>>,
    /// For each of the entry's themes: the previous and next entry in that theme.
    pub in_themes: Vec<ThemeNeighbours<'a>>,
    pub updated: Option<DateView>,
    pub extra: &'a serde_json::Value,
}

/// How a connected entry is connected to the entry of the page.
#[derive(Serialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[serde(rename_all = "kebab-case")]
pub enum Connection {
    /// Declared in `related:`, by either entry.
    Related,
    /// Its text links to this entry.
    ReferencedBy,
    // Threads add `SameThread` here, with its label, and pass their list to `connected`.
}

impl Connection {
    /// The id of its label in the message files ("Related", "Links to this entry").
    pub fn message(self) -> &'static str {
        match self {
            Connection::Related => "connection-related",
            Connection::ReferencedBy => "connection-referenced-by",
        }
    }
}

/// An entry connected to the page's entry, once, with every way it is connected.
#[derive(Serialize)]
pub struct ConnectedView<'a> {
    #[serde(flatten)]
    pub link: EntryLinkView<'a>,
    /// Each connection's id (`related`, `referenced-by`) …
    pub how: Vec<Connection>,
    /// … and its text ("Related · Links to this entry").
    pub how_text: String,
}

/// Merges lists of connected entries (each in time order, by chronicle index) into one
/// list in time order where each entry appears once with all its connections.
/// `labels` are the connections' labels in the page's language, by [`Connection`] order.
pub fn connected<'a>(
    items: &[Item<'a>],
    lists: &[(Connection, &[usize])],
    labels: &[String; 2],
) -> Vec<ConnectedView<'a>> {
    let mut all: Vec<(usize, Connection)> = lists
        .iter()
        .flat_map(|(how, list)| list.iter().map(move |&j| (j, *how)))
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut out: Vec<(usize, Vec<Connection>)> = Vec::new();
    for (j, how) in all {
        match out.last_mut() {
            Some((last, hows)) if *last == j => hows.push(how),
            _ => out.push((j, vec![how])),
        }
    }
    out.into_iter()
        .map(|(j, how)| ConnectedView {
            link: entry_link(items[j].card),
            how_text: how
                .iter()
                .map(|h| labels[*h as usize].as_str())
                .collect::<Vec<_>>()
                .join(" · "),
            how,
        })
        .collect()
}

/// An entry's neighbours within one theme.
#[derive(Serialize)]
pub struct ThemeNeighbours<'a> {
    pub theme: ThemeLinkView,
    pub previous: Option<EntryLinkView<'a>>,
    pub next: Option<EntryLinkView<'a>>,
}

/// A year of entries in a list.
#[derive(Serialize)]
pub struct YearGroup<'a> {
    pub year: i32,
    pub url: String,
    /// "The year 2021 on its own page".
    pub page_text: String,
    pub entries: Vec<&'a EntryCard>,
}

#[derive(Serialize, Clone)]
pub struct YearLinkView {
    pub year: i32,
    pub url: String,
}

#[derive(Serialize)]
pub struct ThemeView {
    pub id: String,
    pub name: String,
    pub description: String,
    /// The description's first sentence (theme pages show it first, the rest on request).
    pub lede: String,
    /// The description after its lede (empty when the lede is all of it).
    pub more: String,
    pub url: String,
    pub count: usize,
    /// "5 entries", "5 записей".
    pub count_text: String,
}

/// Splits a description after its first sentence: the first `. `, `! ` or `? ` followed by
/// a capital letter, not after an abbreviation such as "No." or a one-letter initial, and
/// at least 40 characters in. Returns (lede, rest), both trimmed; the rest may be empty.
pub fn lede(text: &str) -> (&str, &str) {
    const ABBREVIATIONS: &[&str] = &[
        "No", "Nos", "Art", "Arts", "Mr", "Mrs", "Ms", "Dr", "St", "cf", "vs",
    ];
    let text = text.trim();
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?') || i < 40 || bytes.get(i + 1) != Some(&b' ') {
            continue;
        }
        let next = text[i + 2..].chars().next();
        if !next.is_some_and(|n| n.is_uppercase() || n == '"' || n == '\u{201c}') {
            continue;
        }
        let word = text[..i]
            .rsplit(|w: char| !w.is_alphanumeric())
            .next()
            .unwrap_or("");
        if c == '.' && (ABBREVIATIONS.contains(&word) || word.chars().count() == 1) {
            continue;
        }
        return (&text[..=i], text[i + 2..].trim());
    }
    (text, "")
}

/// A page of `content/pages`.
#[derive(Serialize)]
pub struct ContentView<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
}

/// The `site` of `lang`'s pages. Its urls are site paths from the language's root: the
/// default language's own pages (static files, the feed, the data page) are `../` away
/// from another language's root.
pub fn site_view(lang: &Lang, chronicle: &Chronicle) -> SiteView {
    let config = lang.config;
    SiteView {
        title: lang.labels.site_title().to_string(),
        description: lang.labels.site_description().to_string(),
        url: Route::Home.path(),
        base_url: config.base_url.clone(),
        language: lang.language.code.clone(),
        author: config.author.as_ref().map(|a| a.name.clone()),
        feed_url: Route::Feed.path(),
        themes_url: Route::Themes.path(),
        threads_url: (!config.threads.is_empty()).then(|| Route::Threads.path()),
        menu: chronicle
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.menu.is_some())
            .map(|(k, p)| page_link_in(lang, k, p))
            .collect(),
        themes: config
            .themes
            .iter()
            .map(|t| ThemeLinkView {
                id: t.id.clone(),
                name: lang.labels.theme_name(t).to_string(),
                url: Route::Theme(&t.id).path(),
            })
            .collect(),
        statuses: config
            .statuses
            .iter()
            .map(|l| LabelView {
                id: l.id.clone(),
                label: lang.labels.status(&l.id).to_string(),
            })
            .collect(),
        instruments: config
            .instruments
            .iter()
            .map(|l| LabelView {
                id: l.id.clone(),
                label: lang.labels.instrument(&l.id).to_string(),
            })
            .collect(),
        search_url: Route::Search.path(),
        static_url: lang.original(Route::Static("")),
        data_url: lang.original(Route::Data),
        license: config.license.as_ref().map(|l| LinkView {
            title: l.name.clone(),
            url: l.url.clone(),
            lang: None,
        }),
        order: match config.order {
            crate::config::Order::Newest => "newest",
            crate::config::Order::Oldest => "oldest",
        },
        script_messages: lang.script_messages(),
    }
}

pub fn page_link(p: &Page) -> LinkView {
    LinkView {
        title: p.doc.title.clone(),
        url: Route::Page(&p.doc.slug).path(),
        lang: None,
    }
}

/// Page `k`'s link in `lang`: to its translation, else to the original, marked.
pub fn page_link_in(lang: &Lang, k: usize, p: &Page) -> LinkView {
    match (lang.prefix, lang.page_words(k)) {
        (None, _) => page_link(p),
        (Some(_), Some(w)) => LinkView {
            title: w.title.clone(),
            url: Route::Page(&w.slug).path(),
            lang: None,
        },
        (Some(_), None) => LinkView {
            title: p.doc.title.clone(),
            url: lang.original(Route::Page(&p.doc.slug)),
            lang: lang.fallback_lang(),
        },
    }
}

/// Entry `e`'s card in the default language.
pub fn card(config: &Config, e: &Entry) -> EntryCard {
    let labels = Labels::new(config, &config.language);
    let dates = Dates::of(&config.languages[0]);
    card_with(config, &labels, &dates, e, None, None)
}

/// Entry `i`'s card in `lang`: in its words there when it has them, else in the
/// original's, marked with their language and linked to the original page.
pub fn card_in(lang: &Lang, i: usize, e: &Entry) -> EntryCard {
    match lang.prefix {
        None => card_with(lang.config, &lang.labels, &lang.dates, e, None, None),
        Some(prefix) => match lang.entry_words(i) {
            Some(w) => card_with(
                lang.config,
                &lang.labels,
                &lang.dates,
                e,
                Some(w),
                Some(prefix),
            ),
            None => EntryCard {
                url: lang.original(Route::Entry(&e.doc.slug)),
                lang: lang.fallback_lang(),
                in_language: Some(lang.fallback_marker()),
                ..card_with(lang.config, &lang.labels, &lang.dates, e, None, None)
            },
        },
    }
}

/// Entry `e`'s card with `labels` and `dates`, in `words` (a translation, whose page is
/// under `prefix`) or the original's.
pub fn card_with(
    config: &Config,
    labels: &Labels,
    dates: &Dates,
    e: &Entry,
    words: Option<&Translated>,
    prefix: Option<&str>,
) -> EntryCard {
    let slug = words.map_or(e.doc.slug.as_str(), |w| w.slug.as_str());
    let route = Route::Entry(slug);
    EntryCard {
        slug: e.doc.slug.clone(),
        theme_ids: e.themes.join(" "),
        url: route.path(),
        site_path: Localized::new(prefix, route).path(),
        title: words.map_or(&e.doc.title, |w| &w.title).clone(),
        when: dates.when(&e.date, e.end.as_ref()),
        status: LabelView {
            id: e.status.clone(),
            label: labels.status(&e.status).to_string(),
        },
        instrument: LabelView {
            id: e.instrument.clone(),
            label: labels.instrument(&e.instrument).to_string(),
        },
        themes: e
            .themes
            .iter()
            .filter_map(|id| config.theme(id))
            .map(|t| ThemeLinkView {
                id: t.id.clone(),
                name: labels.theme_name(t).to_string(),
                url: Route::Theme(&t.id).path(),
            })
            .collect(),
        summary: words.map_or(&e.summary, |w| &w.summary).clone(),
        draft: e.doc.draft,
        lang: None,
        in_language: None,
    }
}

/// A link to the entry of `card`, borrowing its words.
pub fn entry_link(card: &EntryCard) -> EntryLinkView<'_> {
    EntryLinkView {
        url: &card.url,
        title: &card.title,
        when: &card.when,
        lang: card.lang.as_deref(),
        in_language: card.in_language.as_deref(),
    }
}

pub fn entry_view<'a>(
    lang: &Lang<'a>,
    chronicle: &'a Chronicle,
    items: &[Item<'a>],
    i: usize,
) -> EntryView<'a> {
    let config = lang.config;
    let Item { entry: e, card, .. } = items[i];
    let words = lang.entry_words(i);
    let link = |j: usize| entry_link(items[j].card);
    let in_themes = card
        .themes
        .iter()
        .filter_map(|t| {
            let ti = config.themes.iter().position(|c| c.id == t.id)?;
            let list = &chronicle.by_theme[ti];
            let pos = list.binary_search(&i).ok()?;
            Some(ThemeNeighbours {
                theme: t.clone(),
                previous: pos.checked_sub(1).map(|p| link(list[p])),
                next: list.get(pos + 1).map(|&n| link(n)),
            })
        })
        .collect();
    let links = |list: &[usize]| list.iter().map(|&j| link(j)).collect();
    let labels = [
        lang.text(Connection::Related.message()),
        lang.text(Connection::ReferencedBy.message()),
    ];
    EntryView {
        card,
        jurisdiction: &e.jurisdiction,
        body: words.map_or(&e.doc.html, |w| &w.html),
        sources: e
            .sources
            .iter()
            .enumerate()
            .map(|(k, s)| SourceView {
                title: words
                    .and_then(|w| w.sources.get(k).cloned().flatten())
                    .unwrap_or_else(|| s.title.clone()),
                url: s.url.clone(),
                publisher: s.publisher.clone(),
                date: s.date.as_ref().map(|d| lang.dates.date(d)),
            })
            .collect(),
        connected: connected(
            items,
            &[
                (Connection::Related, &chronicle.related[i]),
                (Connection::ReferencedBy, &chronicle.backlinks[i]),
            ],
            &labels,
        ),
        related: links(&chronicle.related[i]),
        backlinks: links(&chronicle.backlinks[i]),
        previous: chronicle.previous(i).map(link),
        next: chronicle.next(i).map(link),
        in_themes,
        updated: e.updated.as_ref().map(|d| lang.dates.date(d)),
        extra: &e.extra,
    }
}

#[cfg(test)]
mod lede_tests {
    use super::lede;

    #[test]
    fn the_lede_is_the_first_sentence_not_an_abbreviation() {
        let d = "On 9 June 2021 President Tokayev signed Decree No. 597 on further measures. It told the Government to act.";
        assert_eq!(
            lede(d),
            (
                "On 9 June 2021 President Tokayev signed Decree No. 597 on further measures.",
                "It told the Government to act."
            )
        );
        // Too short to stand alone, or one sentence: all of it.
        assert_eq!(
            lede("Short. Then more text here."),
            ("Short. Then more text here.", "")
        );
        assert_eq!(
            lede("  One sentence only, nothing after it at all.  "),
            ("One sentence only, nothing after it at all.", "")
        );
        assert_eq!(lede(""), ("", ""));
    }
}

#[cfg(test)]
mod script_json_tests {
    use super::script_json_of;

    /// What the escaping must give: the characters it replaces, each written out, and every
    /// other character (other ones beginning with the byte E2 too) as it was.
    fn expected(s: &str) -> String {
        let json = serde_json::to_string(s).unwrap();
        let mut out = String::new();
        for c in json.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn script_json_escapes_what_closes_a_script_and_keeps_the_rest() {
        for s in [
            "",
            "plain text",
            "</script><script>alert(1)</script>",
            "a & b",
            "line\u{2028}separator\u{2029}paragraph",
            "dash – and ellipsis … and quotes “ ” begin with E2",
            "Закон «О правах» & <b>",
            "<",
            "\u{2028}",
        ] {
            let got = script_json_of(s);
            assert_eq!(got, expected(s), "{s:?}");
            assert!(
                !got.contains(['<', '>', '&', '\u{2028}', '\u{2029}']),
                "{got}"
            );
            assert_eq!(serde_json::from_str::<String>(&got).unwrap(), s);
        }
    }
}
