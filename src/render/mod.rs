//! Rendering: the chronicle and the site's templates in, every output file out, written to
//! a [`Sink`] through a [`Recorder`] that remembers what was written. [`render_site`] is
//! the list of steps, one per kind of output; each step is a function of the [`Site`]
//! (what every step reads) and writes only [`Route`]s, so that paths and URLs come from
//! `routes` alone. Pages render in parallel, but the first error reported is always the
//! first in output order. Drafts (built with `--drafts`) get their pages, but never reach
//! published data: feeds, the sitemap, the exports or the search index.

mod data_page;
pub mod exports;
pub mod feed;
mod key;
mod pages;
pub mod search;
mod static_files;
pub mod svg;
mod templates;
mod threads;
pub mod views;

pub use static_files::DEFAULT_STATIC;
pub use templates::{DEFAULT_TEMPLATES, Templates, load_templates};

use crate::cache::Pages;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{Hash, IoError, Sink};
use crate::progress::timed;
use crate::routes::{Localized, Route};
use crate::timeline::Chronicle;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::Context;
use views::*;

/// What every step of a render reads: the configuration, the chronicle, the language
/// rendered (its messages, dates, labels and words), its entries with their cards, and the
/// context every page starts from (`site` and `t`). A site of several languages is
/// rendered as one `Site` per language; each writes its own tree.
pub struct Site<'a> {
    pub config: &'a Config,
    pub chronicle: &'a Chronicle,
    templates: &'a Templates,
    /// The language of this tree.
    pub lang: Lang<'a>,
    /// Every entry with its card in this language, in the chronicle's order.
    pub items: Vec<Item<'a>>,
    /// The entries that are published data (no drafts), in time order.
    pub published: Vec<Item<'a>>,
    /// Each theme of `config.themes` (same index), with its entry count.
    pub themes: Vec<ThemeView>,
    /// Each year of `chronicle.years` (same index).
    pub years: Vec<YearLinkView>,
    /// For each language: its name, and what its link says when this page has no version
    /// in it (in that language).
    others: Vec<(String, String)>,
    /// `site` and `t`, the part of the context every template receives.
    globals: Context,
    /// The hash of what every page of this tree is rendered with besides its own
    /// variables: every template's name and text, and `globals` (see [`Site::key`]).
    key_base: Option<Hash>,
}

/// A page's own variables, given to a page's template — or written into its render key.
/// A page's `vars` closure inserts them the same way in both cases, so that the key is made
/// of exactly what the template receives.
pub enum Vars {
    Key(Result<key::Bytes, key::Unkeyable>),
    Context(Context),
}

impl Vars {
    pub fn insert<T: serde::Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        match self {
            Vars::Key(Ok(b)) => {
                b.field(name.as_bytes());
                if let Err(e) = b.value(value) {
                    *self = Vars::Key(Err(e));
                }
            }
            Vars::Key(Err(_)) => {}
            Vars::Context(ctx) => ctx.insert(name, value),
        }
    }
}

/// A page, whatever its language: what hreflang alternates and the language switcher
/// compare across languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageId {
    Home,
    Entry(usize),
    Page(usize),
    Themes,
    Theme(usize),
    Year(i32),
    Threads,
    Thread(usize),
    Search,
    /// Only in the default language.
    Data,
    /// Once, at the root, without alternates.
    NotFound,
}

impl<'a> Site<'a> {
    /// The site in its default language; `cards` are [`cards`] of the chronicle.
    pub fn new(
        config: &'a Config,
        chronicle: &'a Chronicle,
        templates: &'a Templates,
        cards: &'a [EntryCard],
    ) -> Site<'a> {
        let lang = Lang::new(
            config,
            chronicle,
            0,
            templates.messages(&config.languages[0].code),
        );
        Site::in_language(config, chronicle, templates, cards, lang)
    }

    /// The site in language `lang`; `cards` are [`cards_in_language`] of it.
    pub fn in_language(
        config: &'a Config,
        chronicle: &'a Chronicle,
        templates: &'a Templates,
        cards: &'a [EntryCard],
        lang: Lang<'a>,
    ) -> Site<'a> {
        let items = views::items(chronicle, cards);
        let published = items.iter().copied().filter(Item::is_published).collect();
        let themes = config
            .themes
            .iter()
            .zip(&chronicle.by_theme)
            .map(|(t, list)| {
                let name = lang.labels.theme_name(t);
                let description = lang.labels.theme_description(t);
                let (lede, more) = views::lede(description);
                ThemeView {
                    id: t.id.clone(),
                    name: name.to_string(),
                    description: description.to_string(),
                    lede: lede.to_string(),
                    more: more.to_string(),
                    url: Route::Theme(&t.id).path(),
                    count: list.len(),
                    count_text: lang.messages.count("entries-count", list.len()),
                }
            })
            .collect();
        let years = chronicle
            .years
            .iter()
            .map(|(y, _)| YearLinkView {
                year: *y,
                url: Route::Year(*y).path(),
            })
            .collect();
        let others = if config.languages.len() > 1 {
            config
                .languages
                .iter()
                .map(|l| {
                    let m = if l.code == lang.language.code {
                        None
                    } else {
                        Some(templates.messages(&l.code))
                    };
                    let m = m.as_ref().unwrap_or(&lang.messages);
                    (l.name.clone(), m.get("language-home", &[]))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut globals = Context::new();
        let site_view = site_view(&lang, chronicle);
        let t = lang.t();
        let mut b = key::Bytes::default();
        for (name, text) in templates.texts() {
            b.field(name.as_bytes());
            b.field(text.as_bytes());
        }
        // Globals that cannot be keyed (never the case) make a key no page matches.
        let keyed = b.value(&site_view).and_then(|()| b.value(&t)).is_ok();
        let key_base = if keyed {
            Some(xxhash_rust::xxh3::xxh3_128(&b.0))
        } else {
            None
        };
        globals.insert("site", &site_view);
        globals.insert("t", &t);
        Site {
            config,
            chronicle,
            templates,
            lang,
            items,
            published,
            themes,
            years,
            others,
            globals,
            key_base,
        }
    }

    /// The entries of `list` (indices, in time order) in the order lists show them.
    fn in_order(&self, list: &[usize]) -> Vec<usize> {
        if self.config.order == crate::config::Order::Newest {
            list.iter().rev().copied().collect()
        } else {
            list.to_vec()
        }
    }

    /// The cards of `list`, in the order lists show them.
    fn cards(&self, list: &[usize]) -> Vec<&'a EntryCard> {
        self.in_order(list)
            .into_iter()
            .map(|i| self.items[i].card)
            .collect()
    }

    /// Page `id` in language `l` of `config.languages`, if it has a version there.
    pub fn version(&self, l: usize, id: PageId) -> Option<Localized<'a>> {
        let (config, chronicle) = (self.config, self.chronicle);
        let code = &config.languages.get(l)?.code;
        let prefix = Localized::prefix_of(code, &config.language);
        let words = l.checked_sub(1).and_then(|k| chronicle.languages.get(k));
        let route = match id {
            PageId::Home => Route::Home,
            PageId::Entry(i) => match words {
                None => Route::Entry(&chronicle.entries[i].doc.slug),
                Some(w) => Route::Entry(&w.entries[i].as_ref()?.slug),
            },
            PageId::Page(k) => match words {
                None => Route::Page(&chronicle.pages[k].doc.slug),
                Some(w) => Route::Page(&w.pages[k].as_ref()?.slug),
            },
            PageId::Themes => Route::Themes,
            PageId::Theme(k) => Route::Theme(&config.themes[k].id),
            PageId::Year(y) => Route::Year(y),
            PageId::Threads => Route::Threads,
            PageId::Thread(k) => Route::Thread(&config.threads[k].id),
            PageId::Search => Route::Search,
            PageId::Data if l == 0 => Route::Data,
            PageId::NotFound if l == 0 => Route::NotFound,
            PageId::Data | PageId::NotFound => return None,
        };
        Some(Localized::new(prefix, route))
    }

    /// What page `id` (at `route` in this language) says about itself: its addresses,
    /// its versions in every language (hreflang) and the language switcher.
    fn meta(
        &self,
        id: PageId,
        route: Route,
        kind: &'static str,
        title: String,
        description: String,
    ) -> PageMeta {
        let here = self.lang.at(route);
        let mut meta = PageMeta {
            url: here.url(self.config),
            ..PageMeta::at(route, self.config, kind, title, description)
        };
        if self.others.is_empty() || id == PageId::NotFound {
            return meta;
        }
        for (l, language) in self.config.languages.iter().enumerate() {
            let version = self.version(l, id);
            if let Some(v) = version {
                meta.alternates.push(AlternateView {
                    hreflang: language.code.clone(),
                    url: v.url(self.config),
                });
            }
            let current = l == self.lang.index;
            let (name, home) = &self.others[l];
            let (target, missing) = match version {
                Some(v) => (v, false),
                None => (
                    self.version(l, PageId::Home)
                        .expect("every language has a home"),
                    true,
                ),
            };
            meta.languages.push(SwitchView {
                code: language.code.clone(),
                name: name.clone(),
                url: target.href(&here),
                current,
                title: missing.then(|| home.clone()),
            });
        }
        if let Some(v) = self.version(0, id) {
            meta.alternates.push(AlternateView {
                hreflang: "x-default".to_string(),
                url: v.url(self.config),
            });
        }
        meta
    }

    /// Renders template `name` for the page at `route`: `page` is `meta`, `site` the
    /// site's, and `vars` adds the page's own variables.
    fn render(
        &self,
        name: &str,
        route: Route,
        meta: &PageMeta,
        vars: impl FnOnce(&mut Vars),
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.globals.clone();
        ctx.insert("page", meta);
        let mut vars_ctx = Vars::Context(ctx);
        vars(&mut vars_ctx);
        let Vars::Context(ctx) = vars_ctx else {
            unreachable!("made as a context above")
        };
        self.templates
            .render(name, &ctx, &self.lang.at(route).path())
    }

    /// The render key of the page at `file` made with template `name`: the hash of
    /// everything its HTML is made from — the annals binary (`salt`), the templates, the
    /// globals, the template's name, the page's path, `page` and its own variables. Two
    /// renders with equal keys give equal bytes (a template sees nothing else: there is no
    /// Tera global state and no custom function), which is what lets [`Site::page`] keep
    /// an unchanged page without rendering it. `None` for a page that has a value no key
    /// can hold: it is always rendered.
    fn key(
        &self,
        salt: Hash,
        name: &str,
        file: &str,
        meta: &PageMeta,
        vars: &impl Fn(&mut Vars),
    ) -> Option<Hash> {
        let mut b = key::Bytes(Vec::with_capacity(16 * 1024));
        b.0.extend_from_slice(&salt.to_le_bytes());
        b.0.extend_from_slice(&self.key_base?.to_le_bytes());
        b.field(name.as_bytes());
        b.field(file.as_bytes());
        b.value(meta).ok()?;
        let mut v = Vars::Key(Ok(b));
        vars(&mut v);
        match v {
            Vars::Key(Ok(b)) => Some(xxhash_rust::xxh3::xxh3_128(&b.0)),
            _ => None,
        }
    }

    /// Renders template `name` for the page at `route` and writes it — unless the output
    /// already holds what it would render: when the recorder has the last build's render
    /// keys and this page's key is the one recorded with the hash its file still has
    /// (see `cache::Pages`), the file is kept as it is and nothing is rendered.
    fn page(
        &self,
        out: &Recorder,
        name: &str,
        route: Route,
        meta: &PageMeta,
        vars: impl Fn(&mut Vars),
    ) -> Result<(), RenderError> {
        let at = self.lang.at(route);
        let Some(keys) = &out.keys else {
            let html = self.render(name, route, meta, vars)?;
            return Ok(out.write(at, html.as_bytes())?);
        };
        let file = at.file();
        let key = self.key(keys.salt, name, &file, meta, &vars);
        if let Some(key) = key
            && out.keep(at, &file, key)
        {
            return Ok(());
        }
        let html = self.render(name, route, meta, vars)?;
        let hash = crate::output::hash(html.as_bytes());
        if let Some(key) = key {
            keys.add(file.clone(), key, hash);
        }
        out.write_file(at, file, html.as_bytes(), Some(hash))?;
        keys.rendered.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Renders the page of entry `i`: the file it is written to and its HTML. `render_site`
/// renders every entry so; `annals serve`'s fast path renders one edited entry alone,
/// which needs nothing of a previous render.
pub fn render_entry_page(
    chronicle: &Chronicle,
    config: &Config,
    templates: &Templates,
    cards: &[EntryCard],
    i: usize,
) -> Result<(String, String), Diagnostic> {
    let site = timed("site", || Site::new(config, chronicle, templates, cards));
    let (route, html) = pages::entry(&site, i)?;
    Ok((route.file(), html))
}

/// What went wrong while rendering.
pub enum RenderError {
    Template(Diagnostic),
    /// Problems found together (every static file that cannot be published).
    Many(Vec<Diagnostic>),
    Io(IoError),
}

impl From<IoError> for RenderError {
    fn from(e: IoError) -> Self {
        RenderError::Io(e)
    }
}

impl From<Diagnostic> for RenderError {
    fn from(d: Diagnostic) -> Self {
        RenderError::Template(d)
    }
}

/// Counts of what was rendered.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub pages: usize,
    pub static_files: usize,
}

/// The list views of every entry, in the chronicle's order.
pub fn cards(chronicle: &Chronicle, config: &Config) -> Vec<EntryCard> {
    let labels = Labels::new(config, &config.language);
    let dates = Dates::of(&config.languages[0]);
    chronicle
        .entries
        .par_iter()
        .map(|e| card_with(config, &labels, &dates, e, None, None))
        .collect()
}

/// The list views of every entry in `lang`, in the chronicle's order.
pub fn cards_in_language(chronicle: &Chronicle, lang: &Lang) -> Vec<EntryCard> {
    chronicle
        .entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| card_in(lang, i, e))
        .collect()
}

/// Renders the whole site into `sink`; `cards` are [`cards`] of the chronicle. With
/// `keys` (the last build's render keys), a page whose key is unchanged and whose file the
/// output still holds is kept, not rendered; this build's table is returned then.
pub fn render_site(
    chronicle: &Chronicle,
    config: &Config,
    templates: &Templates,
    cards: &[EntryCard],
    root: &Path,
    sink: &dyn Sink,
    keys: Option<KeyCache>,
) -> Result<(Stats, Option<Pages>), RenderError> {
    let site = timed("site", || Site::new(config, chronicle, templates, cards));
    let out = Recorder::new(sink, keys);
    // Every other language's tree: its pages, search index, feeds and exports (the
    // sitemap, robots.txt, the data page, the 404 page and static files are the root's).
    let mut other_downloads = Vec::new();
    for index in 1..config.languages.len() {
        let lang = Lang::new(
            config,
            chronicle,
            index,
            templates.messages(&config.languages[index].code),
        );
        let cards = timed("cards", || cards_in_language(chronicle, &lang));
        let site = Site::in_language(config, chronicle, templates, &cards, lang);
        other_downloads.extend(language_tree(&site, &out, root)?);
    }
    let mut downloads = language_tree(&site, &out, root)?;
    timed("pages::not_found", || pages::not_found(&site, &out))?;
    timed("feed::write_sitemap", || feed::write_sitemap(&site, &out))?;
    timed("feed::write_robots", || feed::write_robots(&site, &out))?;
    downloads.extend(other_downloads);
    timed("data_page::write", || {
        data_page::write(&site, &out, &downloads)
    })?;
    let pages = out.pages();
    let static_files = timed("static", || static_files::copy(root, &out))?;
    let keys = out.keys.map(|k| {
        crate::progress::note(|| {
            format!(
                "pages kept {}, rendered {} (render keys)",
                k.kept.load(Ordering::Relaxed),
                k.rendered.load(Ordering::Relaxed)
            )
        });
        k.next
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .collect()
    });
    Ok((
        Stats {
            pages,
            static_files,
        },
        keys,
    ))
}

/// Everything one language writes under its folder (the default language's at the root):
/// its pages, search index, feeds and exports; returns the exports for the data page.
fn language_tree(
    site: &Site,
    out: &Recorder,
    root: &Path,
) -> Result<Vec<exports::Download>, RenderError> {
    // Side by side: the search index merges its postings on one thread, which would leave
    // the other idle; entry pages (thousands of small jobs) fill it. Entry pages' errors
    // still come first, as in output order.
    let (entries, index) = rayon::join(
        || timed("pages::entries", || pages::entries(site, out)),
        || {
            timed("search::write_index", || {
                search::write_index(site, out, root)
            })
        },
    );
    entries?;
    index?;
    timed("pages::timeline", || pages::timeline(site, out))?;
    timed("pages::search", || pages::search(site, out))?;
    timed("pages::themes", || pages::themes(site, out))?;
    // Side by side: a theme page of more than `ALONE` entries renders on one thread (see
    // `each_sized`) while the exports, streamed in small batches, and then the year pages
    // take the other. Errors are still returned in this order.
    let (themes, (downloads, years)) = rayon::join(
        || timed("pages::theme_pages", || pages::theme_pages(site, out)),
        || {
            (
                timed("exports", || exports::write_exports(site, out)),
                timed("pages::years", || pages::years(site, out)),
            )
        },
    );
    themes?;
    let downloads = downloads?;
    years?;
    timed("feed::write_theme_feeds", || {
        feed::write_theme_feeds(site, out)
    })?;
    timed("threads::write", || threads::write(site, out))?;
    timed("pages::content_pages", || pages::content_pages(site, out))?;
    timed("feed::write_feed", || feed::write_feed(site, out))?;
    Ok(downloads)
}

/// Where the steps write: a sink that remembers every file written through it, whatever
/// the sink keeps (`check` keeps nothing), so that static files are checked against them
/// in `build` and `check` alike, and counts the pages.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    files: Mutex<BTreeSet<String>>,
    pages: AtomicUsize,
    /// Render keys, in a build that keeps them (see [`Site::page`]).
    keys: Option<Keys<'a>>,
}

/// The render keys of a build: the last build's table, and this build's, filled as pages
/// are rendered or kept.
pub struct Keys<'a> {
    /// The annals binary's identity, hashed: a new binary renders every page anew.
    salt: Hash,
    previous: &'a Pages,
    next: Mutex<Vec<(String, Hash, Hash)>>,
    /// Pages kept as they were, and pages rendered.
    kept: AtomicUsize,
    rendered: AtomicUsize,
}

impl Keys<'_> {
    fn add(&self, file: String, key: Hash, hash: Hash) {
        self.next
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file, key, hash));
    }
}

/// What [`render_site`] keeps of the last build, when it renders for one that keeps render
/// keys (`build`): the binary's identity and the last build's table.
pub struct KeyCache<'a> {
    pub binary: &'a str,
    pub previous: &'a Pages,
}

impl<'a> Recorder<'a> {
    fn new(inner: &'a dyn Sink, cache: Option<KeyCache<'a>>) -> Recorder<'a> {
        Recorder {
            inner,
            files: Mutex::new(BTreeSet::new()),
            pages: AtomicUsize::new(0),
            keys: cache.map(|c| Keys {
                salt: xxhash_rust::xxh3::xxh3_128(c.binary.as_bytes()),
                previous: c.previous,
                next: Mutex::new(Vec::new()),
                kept: AtomicUsize::new(0),
                rendered: AtomicUsize::new(0),
            }),
        }
    }

    /// Keeps the output's file of the page at `file` (of `route`) if the last build
    /// recorded `key` for it and the output still holds what that key rendered to.
    fn keep(&self, route: Localized, file: &str, key: Hash) -> bool {
        let Some(keys) = &self.keys else {
            return false;
        };
        let Some((old, hash)) = keys.previous.get(file) else {
            return false;
        };
        if old != key || !self.inner.keep(file, hash) {
            return false;
        }
        self.record(route, file.to_string());
        keys.add(file.to_string(), key, hash);
        keys.kept.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// Writes the file of `route` (a [`Route`] of the default language, or a
    /// [`Localized`] one).
    pub fn write<'r>(&self, route: impl Into<Localized<'r>>, bytes: &[u8]) -> Result<(), IoError> {
        let route: Localized = route.into();
        self.write_file(route, route.file(), bytes, None)
    }

    /// [`Recorder::write`] for a route whose file the caller has already spelled, and
    /// whose content hash it may have taken.
    fn write_file(
        &self,
        route: Localized,
        file: String,
        bytes: &[u8],
        hash: Option<Hash>,
    ) -> Result<(), IoError> {
        match hash {
            Some(hash) => self.inner.write_hashed(&file, bytes, hash)?,
            None => self.inner.write(&file, bytes)?,
        }
        self.record(route, file);
        Ok(())
    }

    /// Remembers that `file` (of `route`) is in the output, written or kept.
    fn record(&self, route: Localized, file: String) {
        if route.route.is_page() {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file);
    }

    /// Writes the file of `route` as `fill` writes it, streamed where the sink can (see
    /// [`Sink::write_stream`]); returns how many bytes it has.
    pub fn write_stream<'r>(
        &self,
        route: impl Into<Localized<'r>>,
        fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<u64, IoError> {
        /// Counts what goes through it.
        struct Counting<'w>(&'w mut dyn std::io::Write, u64);
        impl std::io::Write for Counting<'_> {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                let n = self.0.write(buf)?;
                self.1 += n as u64;
                Ok(n)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                self.0.flush()
            }
        }
        let route: Localized = route.into();
        let file = route.file();
        let mut size = 0;
        let mut fill = Some(fill);
        self.inner.write_stream(&file, &mut |w| {
            let mut counting = Counting(w, 0);
            // Called once by every sink.
            let result = fill.take().map_or(Ok(()), |f| f(&mut counting));
            size = counting.1;
            result
        })?;
        self.record(route, file);
        Ok(size)
    }

    /// Every file written so far.
    fn files(&self) -> BTreeSet<String> {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// How many pages were written so far.
    fn pages(&self) -> usize {
        self.pages.load(Ordering::Relaxed)
    }
}

/// Runs `step` on every one of `list` in parallel, and returns the first error in the
/// list's order rather than whichever thread failed first, so that a broken template is
/// reported at the same page on every run.
fn each<T: Sync>(
    list: &[T],
    step: impl Fn(usize, &T) -> Result<(), RenderError> + Sync,
) -> Result<(), RenderError> {
    each_sized(list, |_, _| 0, step)
}

/// A list page (theme, year) of more entries than this is rendered alone, after the
/// others: each holds its template value of every card and its HTML (at 100,000 entries a
/// theme page lists 7,000 cards in 10 MB, about 50 MB while it renders), and two at once
/// made the build's peak memory.
const ALONE: usize = 4096;

/// [`each`], but the ones whose `size` (by index and item) is over [`ALONE`] run one at
/// a time (in the list's order, after the others); errors are still returned in the
/// list's order.
fn each_sized<T: Sync>(
    list: &[T],
    size: impl Fn(usize, &T) -> usize + Sync,
    step: impl Fn(usize, &T) -> Result<(), RenderError> + Sync,
) -> Result<(), RenderError> {
    let alone = |k: usize, t: &T| size(k, t) > ALONE;
    let mut results: Vec<Option<Result<(), RenderError>>> = list
        .par_iter()
        .enumerate()
        .map(|(k, t)| (!alone(k, t)).then(|| step(k, t)))
        .collect();
    for (k, t) in list.iter().enumerate() {
        if alone(k, t) {
            results[k] = Some(step(k, t));
        }
    }
    results.into_iter().flatten().collect()
}

/// Collects a render error into diagnostics (template) or passes it on (I/O).
pub fn into_diagnostics(err: RenderError, diags: &mut Diagnostics) -> Option<IoError> {
    match err {
        RenderError::Template(d) => {
            diags.push(d);
            None
        }
        RenderError::Many(list) => {
            diags.extend(list);
            None
        }
        RenderError::Io(e) => Some(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parallel_step_reports_the_first_error_in_order() {
        let list: Vec<usize> = (0..64).collect();
        let result = each(&list, |k, _| {
            if k < 5 {
                return Ok(());
            }
            if k == 5 {
                // The first error is the slowest to arrive.
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
            Err(Diagnostic::error("template", k.to_string()).into())
        });
        match result {
            Err(RenderError::Template(d)) => assert_eq!(d.message, "5"),
            _ => panic!("the error of item 5"),
        }
    }
}
