//! The HTML pages, one function per kind: each makes its [`PageMeta`] and its variables,
//! renders its template and writes its [`Route`]. Lists of pages (entries, themes, years)
//! render in parallel through [`each`], which reports the first error in output order.

use super::views::*;
use super::{PageId, Recorder, RenderError, Site, Vars, each, each_sized, svg};
use crate::diagnostic::Diagnostic;
use crate::routes::Route;

/// The page of entry `i`: its route and HTML (in the site's language: call it only for an
/// entry that has its words in it, see [`entries`]).
pub(super) fn entry<'a>(site: &Site<'a>, i: usize) -> Result<(Route<'a>, String), Diagnostic> {
    with_entry(site, i, |route, meta, vars| {
        Ok((route, site.render("entry.html", route, meta, vars)?))
    })
}

/// Makes the page of entry `i` — its route, `page` and variables — and hands them to
/// `then`, which renders or keeps it.
fn with_entry<'a, R>(
    site: &Site<'a>,
    i: usize,
    then: impl FnOnce(Route<'a>, &PageMeta, &dyn Fn(&mut Vars)) -> R,
) -> R {
    let Item { entry: e, card, .. } = site.items[i];
    let slug = site.lang.entry_words(i).map_or(&e.doc.slug, |w| &w.slug);
    let route = Route::Entry(slug);
    let meta = PageMeta {
        jsonld: Some(entry_jsonld(site.config, e, card)),
        ..site.meta(
            PageId::Entry(i),
            route,
            "entry",
            card.title.clone(),
            card.summary.clone(),
        )
    };
    let view = entry_view(&site.lang, site.chronicle, &site.items, i);
    let thread = super::threads::entry_thread(site, i);
    let in_themes_text = site
        .lang
        .messages
        .count("in-its-themes", view.in_themes.len());
    then(route, &meta, &|ctx| {
        ctx.insert("entry", &view);
        ctx.insert("in_themes_text", &in_themes_text);
        ctx.insert("thread", &thread);
    })
}

/// Every entry's page: in another language than the default, only the translated ones
/// (the others are listed there in the original's words and link to its page).
pub(super) fn entries(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    each(&site.items, |_, item| {
        if site.lang.prefix.is_some() && site.lang.entry_words(item.i).is_none() {
            return Ok(());
        }
        with_entry(site, item.i, |route, meta, vars| {
            site.page(out, "entry.html", route, meta, vars)
        })
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
                page_text: site
                    .lang
                    .messages
                    .get("year-page", &[("year", y.to_string().into())]),
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
    let labels = site.lang.labels;
    let meta = PageMeta {
        jsonld: Some(home_jsonld(&site.lang, &shown_cards)),
        ..site.meta(
            PageId::Home,
            route,
            "timeline",
            labels.site_title().to_string(),
            labels.site_description().to_string(),
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
    let n = chronicle.entries.len();
    let label = site.lang.messages.get(
        "overview-label",
        &[
            ("n", n.into()),
            (
                "entries",
                site.lang.messages.count("entries-count", n).into(),
            ),
        ],
    );
    let overview = svg::timeline(&site.lang, &site.items, &lanes, &label, &route.root());
    site.page(out, "timeline.html", route, &meta, |ctx| {
        ctx.insert("years", &years);
        ctx.insert("total", &chronicle.entries.len());
        ctx.insert("total_text", &site.lang.messages.count("entries-count", n));
        ctx.insert(
            "more_text",
            &site.lang.messages.get(
                if config.order == crate::config::Order::Oldest {
                    "timeline-more-earliest"
                } else {
                    "timeline-more-latest"
                },
                &[("shown", shown.len().into()), ("total", n.into())],
            ),
        );
        ctx.insert("shown", &shown.len());
        ctx.insert("all_years", &site.years);
        ctx.insert("overview", &overview);
    })
}

/// The search page (its index is written by `search::write_index`).
pub(super) fn search(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let route = Route::Search;
    let title = site.lang.text("search-heading");
    let description = site.lang.messages.get(
        "search-description",
        &[("site", site.lang.labels.site_title().into())],
    );
    let meta = site.meta(PageId::Search, route, "search", title, description);
    site.page(out, "search.html", route, &meta, |_| {})
}

/// The list of themes.
pub(super) fn themes(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let route = Route::Themes;
    let title = site.lang.text("nav-themes");
    let description = site.lang.messages.get(
        "themes-description",
        &[("site", site.lang.labels.site_title().into())],
    );
    let meta = site.meta(PageId::Themes, route, "themes", title, description);
    site.page(out, "themes.html", route, &meta, |ctx| {
        ctx.insert("themes", &site.themes);
    })
}

/// Every theme's page, with its own overview.
pub(super) fn theme_pages(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let size = |k: usize, _: &ThemeView| site.chronicle.by_theme[k].len();
    each_sized(&site.themes, size, |k, t| {
        let list = &site.chronicle.by_theme[k];
        let route = Route::Theme(&t.id);
        let description = if t.description.is_empty() {
            format!("{}: {}", site.lang.labels.site_title(), t.name)
        } else {
            t.description.clone()
        };
        let meta = PageMeta {
            feed_url: Some(Route::ThemeFeed(&t.id).path()),
            ..site.meta(
                PageId::Theme(k),
                route,
                "theme",
                t.name.clone(),
                description,
            )
        };
        let lane = [svg::Lane {
            id: &t.id,
            name: &t.name,
            url: &t.url,
            entries: list,
        }];
        let label = site
            .lang
            .messages
            .get("overview-theme-label", &[("theme", t.name.as_str().into())]);
        let overview = svg::timeline(&site.lang, &site.items, &lane, &label, &route.root());
        site.page(out, "theme.html", route, &meta, |ctx| {
            ctx.insert("theme", t);
            ctx.insert(
                "overview_label",
                &site
                    .lang
                    .messages
                    .get("theme-over-time", &[("theme", t.name.as_str().into())]),
            );
            ctx.insert("entries", &site.cards(list));
            ctx.insert("overview", &overview);
        })
    })
}

/// Every year's page, linked to the years before and after it.
pub(super) fn years(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    each_sized(
        &site.chronicle.years,
        |_, (_, list)| list.len(),
        |k, (y, list)| {
            let route = Route::Year(*y);
            let description = format!("{}: {}", site.lang.labels.site_title(), y);
            let meta = site.meta(PageId::Year(*y), route, "year", y.to_string(), description);
            let count_text = site.lang.messages.get(
                "year-count",
                &[
                    (
                        "entries",
                        site.lang.messages.count("entries-count", list.len()).into(),
                    ),
                    ("year", y.to_string().into()),
                ],
            );
            site.page(out, "year.html", route, &meta, |ctx| {
                ctx.insert("count_text", &count_text);
                ctx.insert("year", &site.years[k]);
                ctx.insert("previous_year", &k.checked_sub(1).map(|p| &site.years[p]));
                ctx.insert("next_year", &site.years.get(k + 1));
                ctx.insert("entries", &site.cards(list));
            })
        },
    )
}

/// The pages of `content/pages`, in menu order (in another language, the translated
/// ones).
pub(super) fn content_pages(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    for (k, p) in site.chronicle.pages.iter().enumerate() {
        let words = site.lang.page_words(k);
        if site.lang.prefix.is_some() && words.is_none() {
            continue;
        }
        let (slug, title, summary, body) = match words {
            Some(w) => (&w.slug, &w.title, &w.summary, &w.html),
            None => (&p.doc.slug, &p.doc.title, &p.summary, &p.doc.html),
        };
        let route = Route::Page(slug);
        let description = if summary.is_empty() {
            site.lang.labels.site_description().to_string()
        } else {
            summary.clone()
        };
        let meta = site.meta(PageId::Page(k), route, "page", title.clone(), description);
        let content = ContentView {
            title,
            summary,
            body,
        };
        site.page(out, "page.html", route, &meta, |ctx| {
            ctx.insert("content", &content);
        })?;
    }
    Ok(())
}

/// The page served for a missing path.
pub(super) fn not_found(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let route = Route::NotFound;
    let title = site.lang.text("not-found-title");
    let meta = PageMeta {
        // Served for a missing path at any depth: its links start from base_url's path.
        root: site.config.base_path().to_string(),
        ..site.meta(
            PageId::NotFound,
            route,
            "404",
            title,
            site.config.description.clone(),
        )
    };
    site.page(out, "404.html", route, &meta, |_| {})
}
