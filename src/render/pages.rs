//! The HTML pages, one function per kind: each makes its [`PageMeta`] and its variables,
//! renders its template and writes its [`Route`]. Lists of pages (entries, themes, years)
//! render in parallel through [`each`], which reports the first error in output order.

use super::views::*;
use super::{Recorder, RenderError, Site, each, svg};
use crate::diagnostic::Diagnostic;
use crate::routes::Route;
use tera::Context;

/// Renders template `name` for the page at `route` and writes it.
fn write(
    site: &Site,
    out: &Recorder,
    name: &str,
    route: Route,
    meta: &PageMeta,
    vars: impl FnOnce(&mut Context),
) -> Result<(), RenderError> {
    let html = site.render(name, route, meta, vars)?;
    Ok(out.write(route, html.as_bytes())?)
}

/// The page of entry `i`: its route and HTML.
pub(super) fn entry<'a>(site: &Site<'a>, i: usize) -> Result<(Route<'a>, String), Diagnostic> {
    let Item { entry: e, card, .. } = site.items[i];
    let route = Route::Entry(&e.doc.slug);
    let meta = PageMeta {
        jsonld: Some(entry_jsonld(site.config, e, card)),
        ..PageMeta::at(
            route,
            site.config,
            "entry",
            e.doc.title.clone(),
            e.summary.clone(),
        )
    };
    let view = entry_view(site.config, site.chronicle, &site.items, i);
    let thread = super::threads::entry_thread(site, i);
    let html = site.render("entry.html", route, &meta, |ctx| {
        ctx.insert("entry", &view);
        ctx.insert("thread", &thread);
    })?;
    Ok((route, html))
}

/// Every entry's page.
pub(super) fn entries(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    each(&site.items, |_, item| {
        let (route, html) = entry(site, item.i)?;
        Ok(out.write(route, html.as_bytes())?)
    })
}

/// The timeline: at most `home_limit` entries, the rest reached through the year pages.
pub(super) fn timeline(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let (config, chronicle) = (site.config, site.chronicle);
    let all: Vec<usize> = (0..chronicle.entries.len()).collect();
    let mut shown = site.in_order(&all);
    shown.truncate(config.home_limit);
    let mut shown_sorted = shown.clone();
    shown_sorted.sort_unstable();
    let mut years: Vec<YearGroup> = chronicle
        .years
        .iter()
        .filter_map(|(y, list)| {
            let l: Vec<usize> = list
                .iter()
                .copied()
                .filter(|i| shown_sorted.binary_search(i).is_ok())
                .collect();
            (!l.is_empty()).then(|| YearGroup {
                year: *y,
                url: Route::Year(*y).path(),
                entries: site.cards(&l),
            })
        })
        .collect();
    if config.order == crate::config::Order::Newest {
        years.reverse();
    }
    let shown_cards: Vec<&EntryCard> = years
        .iter()
        .flat_map(|y| y.entries.iter().copied())
        .collect();
    let route = Route::Home;
    let meta = PageMeta {
        jsonld: Some(home_jsonld(config, &shown_cards)),
        ..PageMeta::at(
            route,
            site.config,
            "timeline",
            config.title.clone(),
            config.description.clone(),
        )
    };
    let lanes: Vec<svg::Lane> = site
        .themes
        .iter()
        .zip(&chronicle.by_theme)
        .map(|(t, list)| svg::Lane {
            id: &t.id,
            name: &t.name,
            url: &t.url,
            entries: list,
        })
        .collect();
    let label = format!("Timeline of {} entries by theme", chronicle.entries.len());
    let overview = svg::timeline(site.config, &site.items, &lanes, &label, &route.root());
    write(site, out, "timeline.html", route, &meta, |ctx| {
        ctx.insert("years", &years);
        ctx.insert("total", &chronicle.entries.len());
        ctx.insert("shown", &shown.len());
        ctx.insert("all_years", &site.years);
        ctx.insert("overview", &overview);
    })
}

/// The search page (its index is written by `search::write_index`).
pub(super) fn search(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let route = Route::Search;
    let title = "Search".to_string();
    let description = format!("Search {}", site.config.title);
    let meta = PageMeta::at(route, site.config, "search", title, description);
    write(site, out, "search.html", route, &meta, |_| {})
}

/// The list of themes.
pub(super) fn themes(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let route = Route::Themes;
    let title = "Themes".to_string();
    let description = format!("The themes of {}", site.config.title);
    let meta = PageMeta::at(route, site.config, "themes", title, description);
    write(site, out, "themes.html", route, &meta, |ctx| {
        ctx.insert("themes", &site.themes);
    })
}

/// Every theme's page, with its own overview.
pub(super) fn theme_pages(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let config = site.config;
    each(&site.themes, |k, t| {
        let list = &site.chronicle.by_theme[k];
        let route = Route::Theme(&t.id);
        let description = if t.description.is_empty() {
            format!("{}: {}", config.title, t.name)
        } else {
            t.description.clone()
        };
        let meta = PageMeta {
            feed_url: Some(Route::ThemeFeed(&t.id).path()),
            ..PageMeta::at(route, site.config, "theme", t.name.clone(), description)
        };
        let lane = [svg::Lane {
            id: &t.id,
            name: &t.name,
            url: &t.url,
            entries: list,
        }];
        let label = format!("Timeline of {}", t.name);
        let overview = svg::timeline(site.config, &site.items, &lane, &label, &route.root());
        write(site, out, "theme.html", route, &meta, |ctx| {
            ctx.insert("theme", t);
            ctx.insert("entries", &site.cards(list));
            ctx.insert("overview", &overview);
        })
    })
}

/// Every year's page, linked to the years before and after it.
pub(super) fn years(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    each(&site.chronicle.years, |k, (y, list)| {
        let route = Route::Year(*y);
        let description = format!("{}: {}", site.config.title, y);
        let meta = PageMeta::at(route, site.config, "year", y.to_string(), description);
        write(site, out, "year.html", route, &meta, |ctx| {
            ctx.insert("year", &site.years[k]);
            ctx.insert("previous_year", &k.checked_sub(1).map(|p| &site.years[p]));
            ctx.insert("next_year", &site.years.get(k + 1));
            ctx.insert("entries", &site.cards(list));
        })
    })
}

/// The pages of `content/pages`, in menu order.
pub(super) fn content_pages(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    for p in &site.chronicle.pages {
        let route = Route::Page(&p.doc.slug);
        let description = if p.summary.is_empty() {
            site.config.description.clone()
        } else {
            p.summary.clone()
        };
        let meta = PageMeta::at(route, site.config, "page", p.doc.title.clone(), description);
        let content = ContentView {
            title: &p.doc.title,
            summary: &p.summary,
            body: &p.doc.html,
        };
        write(site, out, "page.html", route, &meta, |ctx| {
            ctx.insert("content", &content);
        })?;
    }
    Ok(())
}

/// The page served for a missing path.
pub(super) fn not_found(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let route = Route::NotFound;
    let title = "Page not found".to_string();
    let meta = PageMeta {
        // Served for a missing path at any depth: its links start from base_url's path.
        root: site.config.base_path().to_string(),
        ..PageMeta::at(
            route,
            site.config,
            "404",
            title,
            site.config.description.clone(),
        )
    };
    write(site, out, "404.html", route, &meta, |_| {})
}
