//! Rendering: Tera templates (the defaults embedded in the binary, any of them replaced by
//! the site's `templates/NAME`) filled with view structs, written to a [`Sink`] — pages in
//! parallel, then the feed, the sitemap and the static files.

pub mod exports;
pub mod feed;
pub mod search;
pub mod svg;
pub mod views;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::output::{IoError, Sink};
use crate::timeline::Chronicle;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;
use tera::{Context, Tera};
use views::*;

/// The default templates, embedded so that a site without `templates/` builds.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/when.html",
        include_str!("../../templates/partials/when.html"),
    ),
    (
        "partials/entry_card.html",
        include_str!("../../templates/partials/entry_card.html"),
    ),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("entry.html", include_str!("../../templates/entry.html")),
    ("themes.html", include_str!("../../templates/themes.html")),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
];

/// The default static files (stylesheet and script), each written unless the site's
/// static/ has its own.
pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../../static/style.css")),
    ("annals.js", include_str!("../../static/annals.js")),
];

/// The compiled templates and where each came from (for messages).
pub struct Templates {
    tera: Tera,
    /// Template name → (path shown in messages, source text).
    sources: BTreeMap<String, (String, String)>,
}

/// Loads the templates: defaults, then every file of `<root>/templates` over them.
pub fn load_templates(root: &Path, diags: &mut Diagnostics) -> Option<Templates> {
    let mut sources: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (format!("(built-in template) {n}"), t.to_string()),
            )
        })
        .collect();
    let dir = root.join("templates");
    if dir.is_dir() {
        for item in crate::content::walk::site_files(&dir, true) {
            let (rel, path) = match item {
                Ok(file) => file,
                Err(crate::content::walk::SiteFileError::NotUtf8(d)) => {
                    diags.push(d);
                    continue;
                }
                Err(crate::content::walk::SiteFileError::Walk(e)) => {
                    diags.push(
                        Diagnostic::error("io", format!("cannot read templates/: {e}"))
                            .in_file("templates"),
                    );
                    continue;
                }
            };
            let display = format!("templates/{rel}");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(rel, (display, text));
                }
                Err(e) => diags.push(
                    Diagnostic::error("io", format!("cannot read {display}: {e}"))
                        .in_file(display)
                        .help("templates must be UTF-8 text"),
                ),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let result = tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())));
    let templates = Templates { tera, sources };
    match result {
        Ok(()) => Some(templates),
        Err(e) => {
            diags.push(templates.diagnostic(&e, None));
            None
        }
    }
}

impl Templates {
    /// Turns a Tera error into a diagnostic at the template's file, line and column.
    fn diagnostic(&self, err: &tera::Error, page: Option<&str>) -> Diagnostic {
        let while_ = page
            .map(|p| format!(" (while rendering /{p})"))
            .unwrap_or_default();
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = current {
            if let Some(te) = e.downcast_ref::<tera::Error>()
                && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) =
                    te.kind()
            {
                let (display, text) = self
                    .sources
                    .get(r.filename())
                    .map(|(d, t)| (d.clone(), t.as_str()))
                    .unwrap_or_else(|| (r.filename().to_string(), ""));
                let span = r.span();
                let len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                let kind = if matches!(te.kind(), tera::ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                return Diagnostic::error("template", format!("{kind}: {}{while_}", r.message()))
                        .in_file(display)
                        .at(Location::of_line_col(text, span.start_line, span.start_col + 1, len))
                        .help("fix the template; the variables each template receives are listed in the README");
            }
            current = e.source();
        }
        Diagnostic::error("template", format!("template error: {err}{while_}"))
            .help("fix the template; the variables each template receives are listed in the README")
    }

    fn render(&self, name: &str, ctx: &Context, page: &str) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.diagnostic(&e, Some(page)))
    }
}

/// Renders the page of entry `i`: its site path and HTML. `render_site` calls it for every
/// entry; `annals serve`'s fast path for one edited entry (the templates' globals are set
/// by the full render before it).
pub fn render_entry_page(
    chronicle: &Chronicle,
    config: &Config,
    templates: &Templates,
    cards: &[EntryCard],
    i: usize,
) -> Result<(String, String), Diagnostic> {
    let e = &chronicle.entries[i];
    let path = Chronicle::entry_path(&e.doc.slug);
    let meta = PageMeta {
        title: e.doc.title.clone(),
        description: e.summary.clone(),
        url: config.url(&path),
        kind: "entry",
        jsonld: Some(entry_jsonld(config, e, &cards[i])),
        ..Default::default()
    };
    let mut ctx = ctx_with(&meta);
    insert(&mut ctx, "entry", &entry_view(config, chronicle, cards, i));
    let html = templates.render("entry.html", &ctx, &path)?;
    Ok((index(&path), html))
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

fn ctx_with(page: &PageMeta) -> Context {
    let mut ctx = Context::new();
    ctx.insert("page", page);
    ctx
}

fn insert<T: Serialize + ?Sized>(ctx: &mut Context, key: &'static str, value: &T) {
    ctx.insert(key, value);
}

fn index(path: &str) -> String {
    format!("{path}index.html")
}

/// The list views of every entry, in the chronicle's order.
pub fn cards(chronicle: &Chronicle, config: &Config) -> Vec<EntryCard> {
    chronicle
        .entries
        .par_iter()
        .map(|e| card(config, e))
        .collect()
}

/// Renders the whole site into `sink`; `cards` are [`cards`] of the chronicle.
pub fn render_site(
    chronicle: &Chronicle,
    config: &Config,
    templates: &mut Templates,
    cards: &[EntryCard],
    root: &Path,
    sink: &dyn Sink,
) -> Result<Stats, RenderError> {
    // Every generated path is remembered, whatever `sink` keeps (`check` keeps nothing),
    // so that static files are checked against them in `build` and `check` alike.
    let recorder = Recorder {
        inner: sink,
        paths: Mutex::new(BTreeSet::new()),
    };
    let sink: &dyn Sink = &recorder;
    let site = site_view(config, chronicle);
    templates.tera.global_context().insert("site", &site);
    let templates: &Templates = templates;
    let newest_first = config.order == crate::config::Order::Newest;
    let in_order = |list: &[usize]| -> Vec<usize> {
        if newest_first {
            list.iter().rev().copied().collect()
        } else {
            list.to_vec()
        }
    };
    let group = |years: &[(i32, Vec<usize>)]| -> Vec<YearGroup> {
        let mut groups: Vec<YearGroup> = years
            .iter()
            .map(|(y, list)| YearGroup {
                year: *y,
                url: config.url(&Chronicle::year_path(*y)),
                entries: in_order(list).into_iter().map(|i| &cards[i]).collect(),
            })
            .collect();
        if newest_first {
            groups.reverse();
        }
        groups
    };
    let mut pages = 0;

    // Entry pages, in parallel.
    (0..chronicle.entries.len())
        .into_par_iter()
        .try_for_each(|i| -> Result<(), RenderError> {
            let (path, html) = render_entry_page(chronicle, config, templates, cards, i)?;
            sink.write(&path, html.as_bytes())?;
            Ok(())
        })?;
    pages += chronicle.entries.len();

    let year_links: Vec<YearLinkView> = chronicle
        .years
        .iter()
        .map(|(y, _)| YearLinkView {
            year: *y,
            url: config.url(&Chronicle::year_path(*y)),
        })
        .collect();

    // Timeline: at most `home_limit` entries, the rest reached through the year pages.
    {
        let meta = PageMeta {
            title: config.title.clone(),
            description: config.description.clone(),
            url: config.url(""),
            kind: "timeline",
            ..Default::default()
        };
        let all: Vec<usize> = (0..chronicle.entries.len()).collect();
        let shown: Vec<usize> = in_order(&all).into_iter().take(config.home_limit).collect();
        let mut shown_sorted = shown.clone();
        shown_sorted.sort_unstable();
        let shown_years: Vec<(i32, Vec<usize>)> = chronicle
            .years
            .iter()
            .map(|(y, list)| {
                let l: Vec<usize> = list
                    .iter()
                    .copied()
                    .filter(|i| shown_sorted.binary_search(i).is_ok())
                    .collect();
                (*y, l)
            })
            .filter(|(_, l)| !l.is_empty())
            .collect();
        let years = group(&shown_years);
        let shown_cards: Vec<&EntryCard> = years
            .iter()
            .flat_map(|y| y.entries.iter().copied())
            .collect();
        let meta = PageMeta {
            jsonld: Some(home_jsonld(config, &shown_cards)),
            ..meta
        };
        let lanes: Vec<svg::Lane> = config
            .themes
            .iter()
            .zip(&chronicle.by_theme)
            .zip(&site.themes)
            .map(|((t, list), link)| svg::Lane {
                name: &t.name,
                url: &link.url,
                entries: list,
            })
            .collect();
        let overview = svg::timeline(
            config,
            chronicle,
            cards,
            &lanes,
            &format!("Timeline of {} entries by theme", chronicle.entries.len()),
        );
        let mut ctx = ctx_with(&meta);
        insert(&mut ctx, "years", &years);
        insert(&mut ctx, "total", &chronicle.entries.len());
        insert(&mut ctx, "shown", &shown.len());
        insert(&mut ctx, "all_years", &year_links);
        insert(&mut ctx, "overview", &overview);
        let html = templates.render("timeline.html", &ctx, "")?;
        sink.write("index.html", html.as_bytes())?;
        pages += 1;
    }

    // Search page and index.
    {
        let meta = PageMeta {
            title: "Search".into(),
            description: format!("Search {}", config.title),
            url: config.url("search/"),
            kind: "search",
            ..Default::default()
        };
        let ctx = ctx_with(&meta);
        let html = templates.render("search.html", &ctx, "search/")?;
        sink.write("search/index.html", html.as_bytes())?;
        pages += 1;
        let listed: Vec<usize> = (0..chronicle.entries.len()).collect();
        search::write_index(config, chronicle, cards, &listed, sink)?;
    }

    // Themes.
    let theme_views: Vec<ThemeView> = config
        .themes
        .iter()
        .zip(&chronicle.by_theme)
        .map(|(t, list)| ThemeView {
            id: t.id.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            url: config.url(&Chronicle::theme_path(&t.id)),
            count: list.len(),
        })
        .collect();
    {
        let meta = PageMeta {
            title: "Themes".into(),
            description: format!("The themes of {}", config.title),
            url: config.url("themes/"),
            kind: "themes",
            ..Default::default()
        };
        let mut ctx = ctx_with(&meta);
        insert(&mut ctx, "themes", &theme_views);
        let html = templates.render("themes.html", &ctx, "themes/")?;
        sink.write("themes/index.html", html.as_bytes())?;
        pages += 1;
    }
    theme_views
        .par_iter()
        .zip(chronicle.by_theme.par_iter())
        .try_for_each(|(t, list)| -> Result<(), RenderError> {
            let path = Chronicle::theme_path(&t.id);
            let meta = PageMeta {
                title: t.name.clone(),
                description: if t.description.is_empty() {
                    format!("{}: {}", config.title, t.name)
                } else {
                    t.description.clone()
                },
                url: t.url.clone(),
                kind: "theme",
                feed_url: Some(format!("{}atom.xml", t.url)),
                ..Default::default()
            };
            let mut ctx = ctx_with(&meta);
            insert(&mut ctx, "theme", t);
            let entries: Vec<&EntryCard> = in_order(list).into_iter().map(|i| &cards[i]).collect();
            insert(&mut ctx, "entries", &entries);
            let lane = [svg::Lane {
                name: &t.name,
                url: &t.url,
                entries: list,
            }];
            let overview = svg::timeline(
                config,
                chronicle,
                cards,
                &lane,
                &format!("Timeline of {}", t.name),
            );
            insert(&mut ctx, "overview", &overview);
            let html = templates.render("theme.html", &ctx, &path)?;
            sink.write(&index(&path), html.as_bytes())?;
            let published: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| !chronicle.entries[i].doc.draft)
                .collect();
            let feed_title = format!("{} — {}", config.title, t.name);
            let atom = feed::atom(
                config,
                chronicle,
                cards,
                &feed_title,
                &format!("{}atom.xml", t.url),
                &t.url,
                &published,
            );
            sink.write(&format!("{path}atom.xml"), atom.as_bytes())?;
            Ok(())
        })?;
    pages += theme_views.len();

    // Years.
    chronicle.years.par_iter().enumerate().try_for_each(
        |(k, (y, list))| -> Result<(), RenderError> {
            let path = Chronicle::year_path(*y);
            let meta = PageMeta {
                title: y.to_string(),
                description: format!("{}: {}", config.title, y),
                url: config.url(&path),
                kind: "year",
                ..Default::default()
            };
            let mut ctx = ctx_with(&meta);
            insert(&mut ctx, "year", &year_links[k]);
            insert(
                &mut ctx,
                "previous_year",
                &k.checked_sub(1).map(|p| &year_links[p]),
            );
            insert(&mut ctx, "next_year", &year_links.get(k + 1));
            let entries: Vec<&EntryCard> = in_order(list).into_iter().map(|i| &cards[i]).collect();
            insert(&mut ctx, "entries", &entries);
            let html = templates.render("year.html", &ctx, &path)?;
            sink.write(&index(&path), html.as_bytes())?;
            Ok(())
        },
    )?;
    pages += chronicle.years.len();

    // Pages.
    for p in &chronicle.pages {
        let path = Chronicle::page_path(&p.doc.slug);
        let meta = PageMeta {
            title: p.doc.title.clone(),
            description: if p.summary.is_empty() {
                config.description.clone()
            } else {
                p.summary.clone()
            },
            url: config.url(&path),
            kind: "page",
            ..Default::default()
        };
        let mut ctx = ctx_with(&meta);
        insert(
            &mut ctx,
            "content",
            &ContentView {
                title: &p.doc.title,
                summary: &p.summary,
                body: &p.doc.html,
            },
        );
        let html = templates.render("page.html", &ctx, &path)?;
        sink.write(&index(&path), html.as_bytes())?;
        pages += 1;
    }

    // 404.
    {
        let meta = PageMeta {
            title: "Page not found".into(),
            description: config.description.clone(),
            url: config.url("404.html"),
            kind: "404",
            ..Default::default()
        };
        let html = templates.render("404.html", &ctx_with(&meta), "404.html")?;
        sink.write("404.html", html.as_bytes())?;
        pages += 1;
    }

    // Feed, sitemap, robots.txt and data exports: published entries only, never drafts.
    let published = exports::published(chronicle);
    let atom = feed::atom(
        config,
        chronicle,
        cards,
        &config.title,
        &config.url("atom.xml"),
        &config.url(""),
        &published,
    );
    sink.write("atom.xml", atom.as_bytes())?;
    let lastmod = |list: &[usize]| {
        list.iter()
            .filter(|&&i| !chronicle.entries[i].doc.draft)
            .map(|&i| {
                let e = &chronicle.entries[i];
                e.updated.unwrap_or(e.date).first_day()
            })
            .max()
            .map(|d| d.format("%Y-%m-%d").to_string())
    };
    let mut urls = vec![feed::SitemapUrl {
        loc: config.url(""),
        lastmod: lastmod(&published),
    }];
    for &i in &published {
        urls.push(feed::SitemapUrl {
            loc: cards[i].url.clone(),
            lastmod: lastmod(&[i]),
        });
    }
    urls.push(feed::SitemapUrl {
        loc: config.url("themes/"),
        lastmod: lastmod(&published),
    });
    for (t, list) in theme_views.iter().zip(&chronicle.by_theme) {
        urls.push(feed::SitemapUrl {
            loc: t.url.clone(),
            lastmod: lastmod(list),
        });
    }
    for (y, (_, list)) in year_links.iter().zip(&chronicle.years) {
        if list.iter().any(|&i| !chronicle.entries[i].doc.draft) {
            urls.push(feed::SitemapUrl {
                loc: y.url.clone(),
                lastmod: lastmod(list),
            });
        }
    }
    urls.extend(
        chronicle
            .pages
            .iter()
            .filter(|p| !p.doc.draft)
            .map(|p| feed::SitemapUrl {
                loc: config.url(&Chronicle::page_path(&p.doc.slug)),
                lastmod: None,
            }),
    );
    sink.write("sitemap.xml", feed::sitemap(&urls).as_bytes())?;
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        config.url("sitemap.xml")
    );
    sink.write("robots.txt", robots.as_bytes())?;
    sink.write(
        "timeline.json",
        exports::timeline_json(config, chronicle, cards, &published).as_bytes(),
    )?;
    sink.write(
        "timelinejs.json",
        exports::timelinejs_json(config, chronicle, cards, &published).as_bytes(),
    )?;
    sink.write(
        "timeline.csv",
        &exports::timeline_csv(chronicle, cards, &published),
    )?;

    let generated = std::mem::take(&mut *recorder.paths.lock().unwrap_or_else(|e| e.into_inner()));
    let static_files = copy_static(root, sink, generated)?;
    Ok(Stats {
        pages,
        static_files,
    })
}

/// A sink that remembers the paths written through it.
struct Recorder<'a> {
    inner: &'a dyn Sink,
    paths: Mutex<BTreeSet<String>>,
}

impl Sink for Recorder<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), IoError> {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        self.inner.write(rel, bytes)
    }
    fn exists(&self, rel: &str) -> bool {
        self.inner.exists(rel)
    }
}

/// Why a static file at `rel` cannot sit beside the `generated` files: it has the same
/// path as one, it is where annals makes a folder (`entries`, `search/t`), or one of its
/// folders is a generated file (`atom.xml/x`).
fn collision(rel: &str, generated: &BTreeSet<String>) -> Option<String> {
    let below = format!("{rel}/");
    if generated.contains(rel) {
        Some(format!(
            "static/{rel} has the same path as a generated page"
        ))
    } else if generated
        .range(below.clone()..)
        .next()
        .is_some_and(|g| g.starts_with(&below))
    {
        Some(format!(
            "static/{rel} is a file where annals writes the folder /{below}"
        ))
    } else {
        rel.match_indices('/')
            .map(|(i, _)| &rel[..i])
            .find(|folder| generated.contains(*folder))
            .map(|file| format!("static/{rel} is inside /{file}, which annals writes as a file"))
    }
}

/// Copies `<root>/static` into the site, verbatim; adds the default stylesheet when the
/// site has none. Every static file that would replace a generated file, or whose name
/// cannot be published, is reported, and nothing is copied until none is left.
fn copy_static(
    root: &Path,
    sink: &dyn Sink,
    mut generated: BTreeSet<String>,
) -> Result<usize, RenderError> {
    let dir = root.join("static");
    generated.extend(
        DEFAULT_STATIC
            .iter()
            .filter(|(name, _)| !dir.join(name).is_file())
            .map(|(name, _)| name.to_string()),
    );
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if dir.is_dir() {
        for item in crate::content::walk::site_files(&dir, false) {
            let (rel, path) = match item {
                Ok(file) => file,
                Err(crate::content::walk::SiteFileError::NotUtf8(d)) => {
                    problems.push(d);
                    continue;
                }
                Err(crate::content::walk::SiteFileError::Walk(e)) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.clone());
                    return Err(RenderError::Io(IoError {
                        path,
                        action: "read",
                        source: e
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("symbolic link loop")),
                    }));
                }
            };
            if let Some(why) = collision(&rel, &generated) {
                problems.push(
                    Diagnostic::error("static-collision", why)
                        .in_file(format!("static/{rel}"))
                        .help("rename or move the file; annals writes this path itself"),
                );
                continue;
            }
            files.push((rel, path));
        }
    }
    if !problems.is_empty() {
        return Err(RenderError::Many(problems));
    }
    for (rel, path) in &files {
        let bytes = std::fs::read(path).map_err(|source| IoError {
            path: path.clone(),
            action: "read",
            source,
        })?;
        sink.write(rel, &bytes)?;
    }
    for (name, text) in DEFAULT_STATIC {
        if !dir.join(name).is_file() {
            sink.write(name, text.as_bytes())?;
        }
    }
    Ok(files.len())
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
