//! The Atom feed and the sitemap, written directly as XML: both are fixed formats that
//! templates would only make easier to break. Timestamps come from entry dates (never the
//! clock), so that two builds of the same input are byte-identical.

use super::views::EntryCard;
use crate::config::Config;
use crate::timeline::Chronicle;
use std::fmt::Write;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_escape(&mut out, s);
    out
}

/// The newest-first Atom 1.0 feed of `entries` (indices into the chronicle), at most `limit`.
pub fn atom(
    config: &Config,
    chronicle: &Chronicle,
    cards: &[EntryCard],
    title: &str,
    self_url: &str,
    alternate_url: &str,
    entries: &[usize],
) -> String {
    let newest: Vec<usize> = entries
        .iter()
        .rev()
        .take(config.feed_limit)
        .copied()
        .collect();
    let updated_of = |i: usize| {
        let e = &chronicle.entries[i];
        e.updated.unwrap_or(e.date)
    };
    let feed_updated = newest
        .iter()
        .map(|&i| updated_of(i))
        .max_by(|a, b| a.first_day().cmp(&b.first_day()))
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut out = String::with_capacity(2048 + newest.len() * 4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        esc(&config.language)
    );
    let _ = writeln!(out, "  <title>{}</title>", esc(title));
    if !config.description.is_empty() {
        let _ = writeln!(out, "  <subtitle>{}</subtitle>", esc(&config.description));
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
        .map_or(config.title.as_str(), |a| a.name.as_str());
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
    for &i in &newest {
        let e = &chronicle.entries[i];
        let c = &cards[i];
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <title>{}</title>", esc(&c.title));
        let _ = writeln!(out, "    <id>{}</id>", esc(&c.url));
        let _ = writeln!(
            out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            esc(&c.url)
        );
        let _ = writeln!(out, "    <published>{}</published>", e.date.rfc3339());
        let _ = writeln!(out, "    <updated>{}</updated>", updated_of(i).rfc3339());
        let _ = writeln!(out, "    <summary>{}</summary>", esc(&c.summary));
        for t in &c.themes {
            let _ = writeln!(
                out,
                "    <category term=\"{}\" label=\"{}\"/>",
                esc(&t.id),
                esc(&t.name)
            );
        }
        let _ = writeln!(
            out,
            "    <content type=\"html\">{}</content>",
            esc(&e.doc.html)
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
}

/// A sitemaps.org 0.9 sitemap.
pub fn sitemap(urls: &[SitemapUrl]) -> String {
    let mut out = String::with_capacity(128 + urls.len() * 120);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        out.push_str("  <url><loc>");
        xml_escape(&mut out, &u.loc);
        out.push_str("</loc>");
        if let Some(m) = &u.lastmod {
            out.push_str("<lastmod>");
            xml_escape(&mut out, m);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}
