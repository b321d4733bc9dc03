//! Markdown to HTML with pulldown-cmark, once per file. While rendering it gives every
//! heading a unique id and collects the links to other `.md` files; their `href`s are left
//! as numbered placeholders that [`substitute_links`] replaces with real URLs once the
//! whole chronicle is known (the link stage), so Markdown is parsed only once.

use crate::slug;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;
use std::sync::OnceLock;

/// The URL scheme of link placeholders: `annals-link-<random>:N`, random per process so
/// that no text an editor writes can pose as one (placeholders never reach the output).
fn placeholder_scheme() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        format!("annals-link-{:016x}", h.finish())
    })
}

/// A link to another source file, as written in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdLink {
    /// The path part, percent-decoded (`../pages/method.md`).
    pub path: String,
    /// The part after `#`, if any.
    pub fragment: Option<String>,
    /// Byte range of the link's source text in the body.
    pub offset: usize,
    pub len: usize,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with placeholders (`annals-link-<random>:N`) for the links in `links`.
    pub html: String,
    pub links: Vec<MdLink>,
    /// Every heading id in the body, in order (for fragment checks).
    pub heading_ids: Vec<String>,
    /// Things worth a warning (an image without alt text, an `http:` link).
    pub notes: Vec<Note>,
}

/// A warning found while rendering, positioned in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub code: &'static str,
    pub message: String,
    pub help: &'static str,
    pub offset: usize,
    pub len: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Whether a link destination points at another source file: relative (or content-root
/// absolute) with a path ending in `.md`.
pub fn is_source_link(dest: &str) -> bool {
    if dest.starts_with("//") || has_scheme(dest) {
        return false;
    }
    let path = dest.split('#').next().unwrap_or("");
    path.ends_with(".md")
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// The URL scheme of `dest`, lowercased, if it has one.
fn scheme(dest: &str) -> Option<String> {
    has_scheme(dest.trim_start()).then(|| {
        let d = dest.trim_start();
        d[..d.find(':').unwrap_or(0)].to_ascii_lowercase()
    })
}

/// Whether a Markdown link or image destination is safe to publish: `javascript:` and
/// `vbscript:` never are, `data:` only as an image.
fn safe_destination(dest: &str, image: bool) -> bool {
    let compact: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    match scheme(&compact).as_deref() {
        Some("javascript") | Some("vbscript") => false,
        Some("data") => image && compact[5..].to_ascii_lowercase().starts_with("image/"),
        _ => true,
    }
}

/// The allow-list for raw HTML in Markdown: what chronicles need (tables, figures,
/// `details`, abbreviations, ids for anchors), no scripts, no event handlers, no
/// `javascript:`; `data:` URLs only for images.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags([
            "figure",
            "figcaption",
            "details",
            "summary",
            "abbr",
            "mark",
            "section",
        ])
        .add_generic_attributes(["id", "class"])
        .url_schemes(HashSet::from([
            "http",
            "https",
            "mailto",
            "tel",
            "data",
            placeholder_scheme(),
        ]))
        .link_rel(None)
        .attribute_filter(|element, attribute, value| {
            if value
                .trim_start()
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
                && !(element == "img" && attribute == "src")
            {
                None
            } else {
                Some(value.into())
            }
        });
        b
    })
}

/// Renders `body` to HTML. With `sanitize`, raw HTML in the body is cleaned by the
/// allow-list of [`sanitizer`]; unsafe link destinations are always dropped.
pub fn render(body: &str, sanitize: bool) -> Rendered {
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut out: Vec<Event> = Vec::new();
    let mut links = Vec::new();
    let mut heading_ids: Vec<String> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    // A heading being buffered: its start index in `out` and its text so far.
    let mut heading: Option<(usize, String)> = None;
    // Every heading: its start event's index in `out` and its text.
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut notes = Vec::new();
    // An image being read: where it starts and whether it has alt text yet.
    let mut image: Option<(usize, usize, bool)> = None;
    // For each open link: whether it was dropped as unsafe (its text is kept).
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut has_raw_html = false;

    for (event, range) in parser {
        match event {
            Event::Start(Tag::Link { ref dest_url, .. }) if !safe_destination(dest_url, false) => {
                notes.push(Note {
                    code: "unsafe-link",
                    message: format!("the link to `{dest_url}` is never published"),
                    help: "links may point to web pages, other entries or e-mail addresses; scripts are removed",
                    offset: range.start,
                    len: range.len(),
                });
                dropped_links.push(true);
            }
            Event::End(TagEnd::Link) if dropped_links.last() == Some(&true) => {
                dropped_links.pop();
            }
            Event::Start(Tag::Image { ref dest_url, .. }) if !safe_destination(dest_url, true) => {
                notes.push(Note {
                    code: "unsafe-link",
                    message: format!("the image `{dest_url}` is never published"),
                    help: "images must be web addresses or files of the site",
                    offset: range.start,
                    len: range.len(),
                });
                image = Some((range.start, range.len(), true));
                dropped_links.push(true);
            }
            Event::End(TagEnd::Image) if dropped_links.last() == Some(&true) => {
                dropped_links.pop();
                image = None;
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                out.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if is_source_link(&dest_url) => {
                let (path, fragment) = match dest_url.split_once('#') {
                    Some((p, f)) => (p, Some(percent_decode(f))),
                    None => (dest_url.as_ref(), None),
                };
                let n = links.len();
                dropped_links.push(false);
                links.push(MdLink {
                    path: percent_decode(path),
                    fragment,
                    offset: range.start,
                    len: range.len(),
                });
                out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(format!("{}:{n}", placeholder_scheme())),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Heading { .. }) => {
                heading = Some((out.len(), String::new()));
                out.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, _, alt)) = image.as_mut() {
                    *alt |= !t.trim().is_empty();
                }
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(t);
                }
                out.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((start, text)) = heading.take() {
                    // Explicit ids are claimed now; automatic ones are made at the end,
                    // so that they never take an id written further down the page.
                    if let Event::Start(Tag::Heading {
                        id: Some(explicit), ..
                    }) = &out[start]
                        && !used.insert(explicit.to_string())
                    {
                        notes.push(Note {
                                code: "duplicate-heading-id",
                                message: format!("the heading id `{explicit}` is used twice on this page"),
                                help: "give each heading its own `{#id}`: a link can reach only the first",
                                offset: range.start,
                                len: range.len(),
                            });
                    }
                    headings.push((start, text));
                }
                out.push(event);
            }
            Event::Start(Tag::Image { .. }) => {
                image = Some((range.start, range.len(), false));
                dropped_links.push(false);
                out.push(event);
            }
            Event::End(TagEnd::Image) => {
                dropped_links.pop();
                if let Some((offset, len, false)) = image.take() {
                    notes.push(Note {
                        code: "image-without-alt",
                        message: "this image has no alt text".into(),
                        help: "describe the image for readers who cannot see it: ![what it shows](image.png)",
                        offset,
                        len,
                    });
                }
                out.push(event);
            }
            Event::End(TagEnd::Link) => {
                dropped_links.pop();
                out.push(event);
            }
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                dropped_links.push(false);
                if dest_url.starts_with("http://") {
                    notes.push(Note {
                        code: "insecure-link",
                        message: format!("the link to `{dest_url}` uses http:"),
                        help: "use the https: address if the site has one",
                        offset: range.start,
                        len: range.len(),
                    });
                }
                out.push(event);
            }
            other => out.push(other),
        }
    }
    for (start, text) in headings {
        if let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = std::mem::replace(&mut out[start], Event::SoftBreak)
        {
            let id = match id {
                Some(explicit) => explicit.to_string(),
                None => {
                    let id = unique(slug::heading_id(&text), &used);
                    used.insert(id.clone());
                    id
                }
            };
            heading_ids.push(id.clone());
            out[start] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes,
                attrs,
            });
        }
    }
    let mut html_out = String::with_capacity(body.len() + body.len() / 4);
    html::push_html(&mut html_out, out.into_iter());
    if has_raw_html && sanitize {
        html_out = sanitizer().clean(&html_out).to_string();
    }
    Rendered {
        html: html_out,
        links,
        heading_ids,
        notes,
    }
}

fn unique(base: String, used: &HashSet<String>) -> String {
    if !used.contains(&base) {
        return base;
    }
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|c| !used.contains(c))
        .expect("an unused suffix exists")
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Replaces the link placeholders of `html` with `urls[N]` (HTML-escaped).
/// Placeholders only occur as whole `href` values, which pulldown-cmark writes quoted.
pub fn substitute_links(html: &str, urls: &[String]) -> String {
    if urls.is_empty() {
        return html.to_string();
    }
    let needle = format!("href=\"{}:", placeholder_scheme());
    let mut out = String::with_capacity(html.len() + urls.len() * 32);
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let after = &rest[i + needle.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: Option<usize> = after[..digits].parse().ok();
        match n
            .and_then(|n| urls.get(n))
            .filter(|_| after[digits..].starts_with('"'))
        {
            Some(url) => {
                out.push_str(&rest[..i]);
                out.push_str("href=\"");
                escape_attr(&mut out, url);
                rest = &after[digits..];
            }
            None => {
                out.push_str(&rest[..i + needle.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text for HTML content or a quoted attribute.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_attr(&mut out, s);
    out
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_safe(body: &str) -> Rendered {
        render(body, true)
    }

    #[test]
    fn raw_html_is_sanitized() {
        let r = render_safe(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(1)\"> <a href=\"javascript:alert(1)\">x</a> <abbr title=\"UN\">UN</abbr>\n\n<details id=\"d\"><summary>More</summary>Text</details>\n\n[ok](other.md) <img src=\"data:image/png;base64,AA\" alt=\"a\"> <a href=\"data:text/html,x\">d</a>",
        );
        let h = &r.html;
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("data:text"), "{h}");
        assert!(h.contains("<abbr title=\"UN\">UN</abbr>"), "{h}");
        assert!(
            h.contains("<details id=\"d\"><summary>More</summary>"),
            "{h}"
        );
        assert!(h.contains("src=\"data:image/png;base64,AA\""), "{h}");
        assert!(
            h.contains(&format!("href=\"{}:0\"", placeholder_scheme())),
            "{h}"
        );
    }

    #[test]
    fn unsafe_markdown_links_are_dropped_keeping_their_text() {
        let r = render_safe(
            "[click](javascript:alert(1)) [x](  JaVaScRiPt:alert(1)) ![i](data:text/html,x) ![ok](data:image/png;base64,AA)",
        );
        assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
        assert!(r.html.contains("click"), "{}", r.html);
        assert!(!r.html.contains("data:text"), "{}", r.html);
        assert!(r.html.contains("data:image/png"), "{}", r.html);
        assert_eq!(
            r.notes.iter().filter(|n| n.code == "unsafe-link").count(),
            3
        );
    }

    #[test]
    fn raw_html_may_be_allowed() {
        let r = render("<b onclick=\"x()\">b</b>", false);
        assert!(r.html.contains("onclick"), "{}", r.html);
    }

    #[test]
    fn source_links_are_recognised() {
        assert!(is_source_link("a.md"));
        assert!(is_source_link("../pages/method.md#dates"));
        assert!(!is_source_link("https://x.org/a.md"));
        assert!(!is_source_link("mailto:a@b.md"));
        assert!(!is_source_link("a.html"));
        assert!(!is_source_link("#dates"));
    }

    #[test]
    fn automatic_ids_never_take_an_explicit_one() {
        let r = render_safe("## A {#a}\n\n## A\n\n## A-1 {#a-1}\n\n## B {#b}\n\n## C {#b}\n");
        assert_eq!(r.heading_ids, ["a", "a-2", "a-1", "b", "b"]);
        assert_eq!(
            r.notes
                .iter()
                .filter(|n| n.code == "duplicate-heading-id")
                .count(),
            1
        );
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_safe("## Scope\n\n## Scope\n\n## Dates {#dates}\n");
        assert_eq!(r.heading_ids, ["scope", "scope-1", "dates"]);
        assert!(r.html.contains("<h2 id=\"scope-1\">"), "{}", r.html);
    }

    #[test]
    fn links_become_placeholders_then_urls() {
        let r =
            render_safe("See [the moratorium](moratorium-2003.md#scope) and [x](https://e.org).");
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].path, "moratorium-2003.md");
        assert_eq!(r.links[0].fragment.as_deref(), Some("scope"));
        let html = substitute_links(&r.html, &["https://s.org/entries/m/#scope".into()]);
        assert!(
            html.contains("href=\"https://s.org/entries/m/#scope\""),
            "{html}"
        );
        assert!(html.contains("href=\"https://e.org\""), "{html}");
    }

    #[test]
    fn notes_for_missing_alt_text_and_http_links() {
        let r = render_safe("![](a.png) ![a chart](b.png) [x](http://e.org) [y](https://e.org)");
        let codes: Vec<&str> = r.notes.iter().map(|n| n.code).collect();
        assert_eq!(codes, ["image-without-alt", "insecure-link"]);
        assert_eq!(r.notes[0].offset, 0);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b.md"), "a b.md");
        assert_eq!(percent_decode("%D0%B0.md"), "а.md");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
