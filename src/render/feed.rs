//! The Atom feeds (the site's and each theme's), the sitemap and `robots.txt`, written
//! directly as XML: fixed formats that templates would only make easier to break. Only
//! published entries are in them, never drafts. Timestamps come from entry dates (never
//! the clock), so that two builds of the same input are byte-identical.

use super::views::{Item, is_published};
use super::{PageId, Recorder, Site};
use crate::markdown::escape_html;
use crate::output::IoError;
use crate::routes::Route;
use std::fmt::Write;

/// `atom.xml`: the site's feed; in another language, `/<code>/atom.xml`, of the entries
/// translated into it.
pub(super) fn write_feed(site: &Site, out: &Recorder) -> Result<(), IoError> {
    let config = site.config;
    let lang = &site.lang;
    let entries = in_language(site, &site.published);
    let atom = atom(
        site,
        lang.labels.site_title(),
        &lang.at(Route::Feed).url(config),
        &lang.at(Route::Home).url(config),
        &entries,
    );
    out.write(lang.at(Route::Feed), atom.as_bytes())
}

/// `themes/<id>/atom.xml`: each theme's feed (in each language's tree).
pub(super) fn write_theme_feeds(site: &Site, out: &Recorder) -> Result<(), IoError> {
    let config = site.config;
    let lang = &site.lang;
    for (t, list) in site.themes.iter().zip(&site.chronicle.by_theme) {
        let published: Vec<Item> = list
            .iter()
            .map(|&i| site.items[i])
            .filter(Item::is_published)
            .collect();
        let published = in_language(site, &published);
        let route = lang.at(Route::ThemeFeed(&t.id));
        let title = format!("{} — {}", lang.labels.site_title(), t.name);
        let home = lang.at(Route::Theme(&t.id)).url(config);
        let atom = atom(site, &title, &route.url(config), &home, &published);
        out.write(route, atom.as_bytes())?;
    }
    Ok(())
}

/// The entries of `items` that have their words in the site's language (all of them in
/// the default language): a feed is in one language.
fn in_language<'a>(site: &Site<'a>, items: &[Item<'a>]) -> Vec<Item<'a>> {
    items
        .iter()
        .copied()
        .filter(|item| site.lang.prefix.is_none() || site.lang.entry_words(item.i).is_some())
        .collect()
}

/// Text for XML content and attribute values: HTML's escaping (the same five characters),
/// after dropping the control characters XML 1.0 forbids (no escape can write them).
pub fn esc(s: &str) -> String {
    // Those characters are ASCII: a byte scan finds them.
    let forbidden = |b: u8| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    if s.bytes().any(forbidden) {
        escape_html(&s.replace(|c: char| c.is_ascii() && forbidden(c as u8), ""))
    } else {
        escape_html(s)
    }
}

/// The newest-first Atom 1.0 feed of `entries` (published, in time order), at most
/// `config.feed_limit` of them.
pub fn atom(
    site: &Site,
    title: &str,
    self_url: &str,
    alternate_url: &str,
    entries: &[Item],
) -> String {
    let config = site.config;
    let lang = &site.lang;
    let newest: Vec<&Item> = entries.iter().rev().take(config.feed_limit).collect();
    let feed_updated = newest
        .iter()
        .map(|item| item.updated())
        .max_by(|a, b| a.first_day().cmp(&b.first_day()))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut out = String::with_capacity(2048 + newest.len() * 4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        esc(&lang.language.code)
    );
    let _ = writeln!(out, "  <title>{}</title>", esc(title));
    let description = lang.labels.site_description();
    if !description.is_empty() {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", esc(description));
    }
    let _ = writeln!(out, "  <id>{}</id>", esc(self_url));
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        esc(self_url)
    );
    let _ = writeln!(
        out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        esc(alternate_url)
    );
    let _ = writeln!(out, "  <updated>{feed_updated}</updated>");
    let author = config
        .author
        .as_ref()
        .map_or(lang.labels.site_title(), |a| a.name.as_str());
    out.push_str("  <author>\n");
    let _ = writeln!(out, "    <name>{}</name>", esc(author));
    if let Some(a) = &config.author {
        if let Some(u) = &a.url {
            let _ = writeln!(out, "    <uri>{}</uri>", esc(u));
        }
        if let Some(e) = &a.email {
            let _ = writeln!(out, "    <email>{}</email>", esc(e));
        }
    }
    out.push_str("  </author>\n");
    out.push_str("  <generator uri=\"https://crates.io/crates/annals\">annals</generator>\n");
    if let Some(l) = &config.license {
        // RFC 4287's <rights>, and RFC 4946's licence link for software that reads it.
        let _ = writeln!(out, "  <rights>{}: {}</rights>", esc(&l.name), esc(&l.url));
        let _ = writeln!(
            out,
            "  <link rel=\"license\" type=\"text/html\" href=\"{}\"/>",
            esc(&l.url)
        );
    }
    for item in newest {
        let (e, c) = (item.entry, item.card);
        let url = config.url(&c.site_path);
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", esc(&c.title));
        let _ = writeln!(out, "    <id>{}</id>", esc(&url));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            esc(&url)
        );
        let _ = writeln!(out, "    <published>{}</published>", e.date.rfc3339());
        let _ = writeln!(out, "    <updated>{}</updated>", item.updated().rfc3339());
        let _ = writeln!(out, "    <summary>{}</summary>", esc(&c.summary));
        for t in &c.themes {
            let _ = writeln!(
                out,
                "    <category term=\"{}\" label=\"{}\"/>",
                esc(&t.id),
                esc(&t.name)
            );
        }
        // The body's links are relative to the entry's page: `xml:base` says so, and the
        // links to the rest of the site (which start at the page's root) are made absolute
        // for readers that ignore `xml:base`.
        // In another language, the original pages are one folder further up.
        let words = lang.entry_words(item.i);
        let body = words.map_or(&e.doc.html, |w| &w.html);
        let slug = words.map_or(&e.doc.slug, |w| &w.slug);
        let root = Route::Entry(slug).root();
        let html = match lang.prefix {
            None => body.replace(
                &format!("href=\"{root}"),
                &format!("href=\"{}", config.base_url),
            ),
            Some(prefix) => body
                .replace(
                    &format!("href=\"{root}../"),
                    &format!("href=\"{}", config.base_url),
                )
                .replace(
                    &format!("href=\"{root}"),
                    &format!("href=\"{}{prefix}/", config.base_url),
                ),
        };
        let _ = writeln!(
            out,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            esc(&url),
            esc(&html)
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// One URL of the sitemap.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
    /// (hreflang, absolute URL) of every version of the page, itself and `x-default`
    /// included; empty on a site of one language.
    pub alternates: Vec<(String, String)>,
}

/// `sitemap.xml`: the home page, every published entry, the themes, every theme, every
/// year with a published entry, every published content page and the data page, each
/// with when its newest published entry was last `updated` (see [`lastmod`]) — in every
/// language it exists in, each version listing all versions as `xhtml:link` alternates
/// (Google's form of hreflang in a sitemap).
pub(super) fn write_sitemap(site: &Site, out: &Recorder) -> Result<(), IoError> {
    let (config, chronicle) = (site.config, site.chronicle);
    let of = |list: &[usize]| -> Vec<Item> { list.iter().map(|&i| site.items[i]).collect() };
    let mut pages: Vec<(PageId, Vec<Item>)> = vec![(PageId::Home, site.published.clone())];
    pages.extend(
        site.published
            .iter()
            .map(|item| (PageId::Entry(item.i), vec![*item])),
    );
    pages.push((PageId::Themes, site.published.clone()));
    for (k, list) in chronicle.by_theme.iter().enumerate() {
        pages.push((PageId::Theme(k), of(list)));
    }
    if !config.threads.is_empty() {
        pages.push((PageId::Threads, site.published.clone()));
    }
    for (k, list) in chronicle.by_thread.iter().enumerate() {
        pages.push((PageId::Thread(k), of(list)));
    }
    for (y, list) in &chronicle.years {
        let entries = of(list);
        if entries.iter().any(Item::is_published) {
            pages.push((PageId::Year(*y), entries));
        }
    }
    pages.extend(
        chronicle
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| is_published(&p.doc))
            .map(|(k, _)| (PageId::Page(k), Vec::new())),
    );
    pages.push((PageId::Data, site.published.clone()));
    let several = config.languages.len() > 1;
    let mut urls = Vec::with_capacity(pages.len() * config.languages.len());
    for l in 0..config.languages.len() {
        for (id, entries) in &pages {
            let Some(here) = site.version(l, *id) else {
                continue;
            };
            let alternates = if several {
                let mut all: Vec<(String, String)> = config
                    .languages
                    .iter()
                    .enumerate()
                    .filter_map(|(m, lang)| {
                        Some((lang.code.clone(), site.version(m, *id)?.url(config)))
                    })
                    .collect();
                if let Some(default) = site.version(0, *id) {
                    all.push(("x-default".to_string(), default.url(config)));
                }
                all
            } else {
                Vec::new()
            };
            urls.push(SitemapUrl {
                loc: here.url(config),
                lastmod: lastmod(entries),
                alternates,
            });
        }
    }
    out.write(Route::Sitemap, sitemap(&urls).as_bytes())
}

/// When the newest published one of `entries` last changed: the latest `updated` date, as
/// precise as it was written (W3C Datetime allows `2021` and `2021-06`); `None` when no
/// entry says, rather than a day invented from an entry's date.
fn lastmod(entries: &[Item]) -> Option<String> {
    entries
        .iter()
        .filter(|item| item.is_published())
        .filter_map(|item| item.entry.updated)
        .max_by(|a, b| {
            a.last_day()
                .cmp(&b.last_day())
                .then(a.precision().cmp(&b.precision()))
        })
        .map(|d| d.to_string())
}

/// `robots.txt`: everything allowed, and where the sitemap is.
pub(super) fn write_robots(site: &Site, out: &Recorder) -> Result<(), IoError> {
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        Route::Sitemap.url(site.config)
    );
    out.write(Route::Robots, robots.as_bytes())
}

/// A sitemaps.org 0.9 sitemap.
pub fn sitemap(urls: &[SitemapUrl]) -> String {
    let mut out = String::with_capacity(128 + urls.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    if urls.iter().any(|u| !u.alternates.is_empty()) {
        out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    } else {
        out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    }
    for u in urls {
        let _ = write!(out, "  <url><loc>{}</loc>", esc(&u.loc));
        if let Some(m) = &u.lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", esc(m));
        }
        // After `lastmod`: the schema allows elements of other namespaces last.
        for (hreflang, href) in &u.alternates {
            let _ = write!(
                out,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                esc(hreflang),
                esc(href)
            );
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_as_html_is_without_what_xml_forbids() {
        assert_eq!(
            esc("O'Brien & <Co> \"x\""),
            escape_html("O'Brien & <Co> \"x\"")
        );
        assert_eq!(esc("a\u{1}b\tc\n"), "ab\tc\n");
    }
}
