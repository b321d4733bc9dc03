//! The output layout, defined once: every file annals writes and every URL it links is a
//! [`Route`], and this is the only place that spells their paths. Rendering writes routes,
//! links are made from routes, the sitemap lists routes, and the page slugs that would land
//! on a generated folder ([`RESERVED`]) are derived from the same names. A route's *path*
//! is what a URL ends with (`entries/x/`, `atom.xml`); its *file* is what is written
//! (`entries/x/index.html`, `atom.xml`).
//!
//! Pages link to each other with *relative* URLs, as mdBook does with its `path_to_root`:
//! a page's [`Route::root`] (`./`, `../`, `../../`) followed by the target's path, so the
//! built site works from `file://`, from any sub-path and behind any host. Only what a
//! standard wants absolute (canonical and `og:url`, feeds, sitemap, robots, JSON-LD, the
//! exports) uses [`Route::url`], made from `base_url`.

use crate::config::Config;

/// The section folders annals generates; a page slug may not take their names.
const ENTRIES: &str = "entries";
const THEMES: &str = "themes";
const YEARS: &str = "years";
const THREADS: &str = "threads";
const SEARCH: &str = "search";
/// The page about the data exports.
const DATA: &str = "data";
/// The site's own folder of files (copied to the top of the output, never to `/static/`);
/// kept free so that `/static/` cannot mean a page to some and the folder to others.
const STATIC: &str = "static";
/// The name of every feed (the site's, and each theme's inside its folder).
const FEED: &str = "atom.xml";
/// The file a folder's URL is served from.
const INDEX: &str = "index.html";

/// Top-level names a page slug may not take: a page at `<slug>/` would share its folder
/// with generated files. Every generated top-level file has a `.` in its name, which no
/// slug has, so the folders are all there is to reserve (the test below holds that).
pub const RESERVED: &[&str] = &[ENTRIES, THEMES, YEARS, THREADS, STATIC, SEARCH, DATA];

/// Whether a page may not have `slug` (see [`RESERVED`]).
pub fn is_reserved(slug: &str) -> bool {
    RESERVED.contains(&slug)
}

/// One place in the built site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// The timeline: the site's home page.
    Home,
    /// An entry's page, by slug.
    Entry(&'a str),
    /// A page of `content/pages`, by slug.
    Page(&'a str),
    /// The list of themes.
    Themes,
    /// A theme's page, by theme id.
    Theme(&'a str),
    /// A theme's Atom feed, by theme id.
    ThemeFeed(&'a str),
    /// A year's page.
    Year(i32),
    /// The list of reform threads.
    Threads,
    /// A reform thread's page, by thread id.
    Thread(&'a str),
    /// The search page.
    Search,
    /// What the search script loads first: how to find shards and chunks.
    SearchIndex,
    /// A term shard of the search index.
    SearchShard(usize),
    /// A chunk of result data of the search index.
    SearchChunk(usize),
    /// The facet data of the search index.
    SearchMeta,
    /// The site's Atom feed.
    Feed,
    Sitemap,
    Robots,
    /// The page that lists the data exports and documents their fields.
    Data,
    /// The data exports.
    TimelineJson,
    /// The JSON Schema of `timeline.json` (its `$schema`).
    TimelineSchema,
    TimelineJs,
    TimelineCsv,
    /// The page served for a missing path.
    NotFound,
    /// A file of the site's `static/` (or a default one), at the same path in the output.
    Static(&'a str),
}

impl Route<'_> {
    /// The site path, as URLs end: a folder ends with `/`, the home page is empty.
    pub fn path(&self) -> String {
        match *self {
            Route::Home => String::new(),
            Route::Entry(slug) => format!("{ENTRIES}/{slug}/"),
            Route::Page(slug) => format!("{slug}/"),
            Route::Themes => format!("{THEMES}/"),
            Route::Theme(id) => format!("{THEMES}/{id}/"),
            Route::ThemeFeed(id) => format!("{THEMES}/{id}/{FEED}"),
            Route::Year(year) => format!("{YEARS}/{year:04}/"),
            Route::Threads => format!("{THREADS}/"),
            Route::Thread(id) => format!("{THREADS}/{id}/"),
            Route::Search => format!("{SEARCH}/"),
            Route::SearchIndex => format!("{SEARCH}/index.json"),
            Route::SearchShard(k) => format!("{SEARCH}/t/{k}.json"),
            Route::SearchChunk(n) => format!("{SEARCH}/d/{n}.json"),
            Route::SearchMeta => format!("{SEARCH}/meta.json"),
            Route::Feed => FEED.to_string(),
            Route::Sitemap => "sitemap.xml".to_string(),
            Route::Robots => "robots.txt".to_string(),
            Route::Data => format!("{DATA}/"),
            Route::TimelineJson => "timeline.json".to_string(),
            Route::TimelineSchema => "timeline.schema.json".to_string(),
            Route::TimelineJs => "timelinejs.json".to_string(),
            Route::TimelineCsv => "timeline.csv".to_string(),
            Route::NotFound => "404.html".to_string(),
            Route::Static(rel) => rel.to_string(),
        }
    }

    /// The file written for this route, relative to the output: a folder's `index.html`.
    pub fn file(&self) -> String {
        let mut path = self.path();
        if path.is_empty() || path.ends_with('/') {
            path.push_str(INDEX);
        }
        path
    }

    /// The absolute URL of this route (for canonical links, feeds, sitemap, JSON-LD and
    /// exports; pages link with [`Route::href`]).
    pub fn url(&self, config: &Config) -> String {
        config.url(&self.path())
    }

    /// The relative way from this route's file back to the site root: `./` at the top,
    /// `../` one folder down, `../../` two (what mdBook calls `path_to_root`).
    pub fn root(&self) -> String {
        let depth = self.path().matches('/').count();
        if depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(depth)
        }
    }

    /// The relative URL of this route from the page at `from`.
    pub fn href(&self, from: &Route) -> String {
        let mut url = from.root();
        url.push_str(&self.path());
        url
    }

    /// Whether this is an HTML page rendered from a template (what the build report
    /// counts as a page).
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Route::Home
                | Route::Entry(_)
                | Route::Page(_)
                | Route::Themes
                | Route::Theme(_)
                | Route::Year(_)
                | Route::Threads
                | Route::Thread(_)
                | Route::Search
                | Route::Data
                | Route::NotFound
        )
    }
}

/// A route in one language's tree: the default language's pages at the site root, every
/// other language's under `/<code>/` with the same layout (`ru/entries/x/`). [`Route`]'s
/// paths and [`Route::root`] stay relative to the language's root, so that a page's links
/// within its language are made exactly as in a one-language site; [`Localized::up`] is the
/// way from a language's root to the site root (static files, the other languages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Localized<'a> {
    /// The language folder (`ru`), `None` for the default language.
    pub prefix: Option<&'a str>,
    pub route: Route<'a>,
}

impl<'a> Localized<'a> {
    /// `route` in the language whose folder is `prefix` (`None`: the default language).
    pub fn new(prefix: Option<&'a str>, route: Route<'a>) -> Localized<'a> {
        Localized { prefix, route }
    }

    /// The site path, from the site root: `ru/entries/x/`.
    pub fn path(&self) -> String {
        match self.prefix {
            Some(p) => format!("{p}/{}", self.route.path()),
            None => self.route.path(),
        }
    }

    /// The file written, relative to the output: `ru/entries/x/index.html`.
    pub fn file(&self) -> String {
        match self.prefix {
            Some(p) => format!("{p}/{}", self.route.file()),
            None => self.route.file(),
        }
    }

    /// The absolute URL (hreflang alternates, the sitemap, canonical links).
    pub fn url(&self, config: &Config) -> String {
        config.url(&self.path())
    }

    /// The way from a language's root back to the site root: `../` under `/<code>/`.
    pub fn up(&self) -> &'static str {
        if self.prefix.is_some() { "../" } else { "" }
    }

    /// The relative URL of `self` from the page at `from` (in any language).
    pub fn href(&self, from: &Localized) -> String {
        format!("{}{}{}", from.route.root(), from.up(), self.path())
    }

    /// The language folder of `code` in a site whose default language is `default`.
    pub fn prefix_of<'c>(code: &'c str, default: &str) -> Option<&'c str> {
        (code != default).then_some(code)
    }
}

impl<'a> From<Route<'a>> for Localized<'a> {
    fn from(route: Route<'a>) -> Localized<'a> {
        Localized::new(None, route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One route of every kind a page slug could meet (all but `Page` and `Static`).
    const GENERATED: &[Route] = &[
        Route::Home,
        Route::Entry("a"),
        Route::Themes,
        Route::Theme("t"),
        Route::ThemeFeed("t"),
        Route::Year(2020),
        Route::Threads,
        Route::Thread("t"),
        Route::Search,
        Route::SearchIndex,
        Route::SearchShard(0),
        Route::SearchChunk(0),
        Route::SearchMeta,
        Route::Feed,
        Route::Sitemap,
        Route::Robots,
        Route::Data,
        Route::TimelineJson,
        Route::TimelineSchema,
        Route::TimelineJs,
        Route::TimelineCsv,
        Route::NotFound,
    ];

    #[test]
    fn no_page_slug_can_land_on_a_generated_file() {
        for route in GENERATED {
            let file = route.file();
            let top = file.split('/').next().unwrap();
            assert!(
                is_reserved(top) || !crate::slug::is_valid(top),
                "{route:?} writes {file}, whose folder `{top}` a page slug could take"
            );
        }
    }

    #[test]
    fn folders_are_written_as_their_index() {
        assert_eq!(Route::Home.file(), "index.html");
        assert_eq!(Route::Entry("x").path(), "entries/x/");
        assert_eq!(Route::Entry("x").file(), "entries/x/index.html");
        assert_eq!(Route::Year(33).path(), "years/0033/");
        assert_eq!(Route::ThemeFeed("t").file(), "themes/t/atom.xml");
        assert_eq!(Route::NotFound.file(), "404.html");
    }

    #[test]
    fn links_between_pages_are_relative() {
        assert_eq!(Route::Home.root(), "./");
        assert_eq!(Route::NotFound.root(), "./");
        assert_eq!(Route::Themes.root(), "../");
        assert_eq!(Route::Page("about").root(), "../");
        assert_eq!(Route::Entry("x").root(), "../../");
        assert_eq!(Route::ThemeFeed("t").root(), "../../");
        assert_eq!(Route::Home.href(&Route::Entry("x")), "../../");
        assert_eq!(Route::Entry("y").href(&Route::Home), "./entries/y/");
        assert_eq!(
            Route::Static("style.css").href(&Route::Year(2020)),
            "../../style.css"
        );
        assert_eq!(
            Route::Theme("t").href(&Route::Theme("u")),
            "../../themes/t/"
        );
    }

    #[test]
    fn other_languages_have_the_same_layout_under_their_folder() {
        let ru = Localized::new(Some("ru"), Route::Entry("x"));
        assert_eq!(ru.path(), "ru/entries/x/");
        assert_eq!(ru.file(), "ru/entries/x/index.html");
        assert_eq!(ru.route.root(), "../../");
        let home = Localized::new(Some("ru"), Route::Home);
        assert_eq!(home.file(), "ru/index.html");
        let en = Localized::from(Route::Entry("y"));
        assert_eq!(en.file(), Route::Entry("y").file());
        // From a Russian entry to the English original and back.
        assert_eq!(en.href(&ru), "../../../entries/y/");
        assert_eq!(ru.href(&en), "../../ru/entries/x/");
        assert_eq!(Localized::prefix_of("en", "en"), None);
        assert_eq!(Localized::prefix_of("kk", "en"), Some("kk"));
    }

    #[test]
    fn only_html_files_are_pages() {
        for route in GENERATED {
            assert_eq!(
                route.is_page(),
                route.file().ends_with(".html"),
                "{route:?}"
            );
        }
    }
}
