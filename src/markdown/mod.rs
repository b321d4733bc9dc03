//! Markdown to HTML with pulldown-cmark, once per file. While rendering it applies the
//! safety policy (`policy`) to everything the editor wrote — link and image destinations,
//! heading attributes, footnote labels, and raw HTML (read by `raw`, cleaned by the
//! policy's sanitizer) — gives every id on a page a unique value that no template id can
//! take, and collects the links to other `.md` files; their `href`s are left as numbered
//! placeholders that [`substitute_links`] replaces with real URLs once the whole chronicle is
//! known (the link stage), so Markdown is parsed only once.

mod policy;
mod raw;
mod render;

pub use policy::{MAX_DEPTH, TEMPLATE_ID_PREFIX, placeholder_scheme};
pub use render::render;

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

/// Something found while rendering, positioned in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// An error stops the build (the page would lose text); a warning says what the
    /// policy changed.
    pub error: bool,
    pub code: &'static str,
    pub message: String,
    pub help: String,
    pub offset: usize,
    pub len: usize,
}

/// Whether a link destination points at another source file: relative (or content-root
/// absolute) with a path ending in `.md` (any case, so that `a.MD` is checked, not
/// published broken), optionally followed by `?query` and `#fragment`.
pub fn is_source_link(dest: &str) -> bool {
    if dest.starts_with("//") || policy::scheme(dest).is_some() {
        return false;
    }
    let (path, _, _) = split_destination(dest);
    let b = path.as_bytes();
    b.len() >= 3 && b[b.len() - 3..].eq_ignore_ascii_case(b".md")
}

/// Splits a destination into its path, query and fragment.
pub fn split_destination(dest: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, fragment) = match dest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (dest, None),
    };
    match rest.split_once('?') {
        Some((p, q)) => (p, Some(q), fragment),
        None => (rest, None, fragment),
    }
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

/// Replaces the link placeholders of `html` with `urls[N]` (HTML-escaped). A placeholder
/// is a whole `href` value, quoted: `scheme:N` or `scheme:N?query`, the query as written
/// in the source link; it goes before the fragment of `urls[N]`.
pub fn substitute_links(html: &str, urls: &[String]) -> String {
    if urls.is_empty() {
        return html.to_string();
    }
    let needle = format!("href=\"{}:", placeholder_scheme());
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut out = String::with_capacity(html.len() + urls.len() * 32);
    let mut rest = html;
    while let Some(i) = finder.find(rest.as_bytes()) {
        let after = &rest[i + needle.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let n: Option<usize> = after[..digits].parse().ok();
        let query_len = if after[digits..].starts_with('?') {
            after[digits..].find('"').unwrap_or(0)
        } else {
            0
        };
        let end = digits + query_len;
        match n
            .and_then(|n| urls.get(n))
            .filter(|_| after[end..].starts_with('"'))
        {
            Some(url) => {
                out.push_str(&rest[..i]);
                out.push_str("href=\"");
                // The query is already escaped: it was written into the attribute.
                let (base, fragment) = match url.split_once('#') {
                    Some((b, f)) => (b, Some(f)),
                    None => (url.as_str(), None),
                };
                escape_attr(&mut out, base);
                out.push_str(&after[digits..end]);
                if let Some(f) = fragment {
                    out.push('#');
                    escape_attr(&mut out, f);
                }
                rest = &after[end..];
            }
            None => {
                out.push_str(&rest[..i + needle.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // Kept until the site is written: no spare capacity.
    out.shrink_to_fit();
    out
}

/// Cleans `html` with the safety policy, as raw HTML in a body is cleaned (for tests that
/// hold other HTML to the same policy, such as the CommonMark conformance test).
pub fn sanitize(html: &str) -> String {
    policy::sanitizer().clean(html).to_string()
}

/// Escapes text for HTML content or a quoted attribute.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_attr(&mut out, s);
    out
}

fn escape_attr(out: &mut String, s: &str) {
    // The five characters are ASCII, so a byte search finds them (never inside another
    // character's UTF-8), and each run between them is copied whole.
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(with);
        from = i + 1;
    }
    out.push_str(&s[from..]);
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
            "<img src=x onerror=\"alert(1)\"> <a href=\"javascript:alert(1)\">x</a> <abbr title=\"UN\">UN</abbr>\n\n<details id=\"d\"><summary>More</summary>Text</details>\n\n[ok](other.md) <img src=\"data:image/png;base64,AA\" alt=\"a\"> <a href=\"data:text/html,x\">d</a>",
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

    fn codes(r: &Rendered) -> Vec<&'static str> {
        r.notes.iter().map(|n| n.code).collect()
    }

    #[test]
    fn heading_attributes_follow_the_policy() {
        let r = render_safe(
            "## Scope {#s .wide onmouseover=alert(1) style=\"position:fixed;inset:0\" lang=kk}\n",
        );
        assert!(
            r.html
                .starts_with("<h2 id=\"s\" class=\"wide\" lang=\"kk\">Scope</h2>"),
            "{}",
            r.html
        );
        assert_eq!(codes(&r), ["heading-attribute", "heading-attribute"]);
        let trusted = render("## Scope {onclick=x}\n", false);
        assert!(trusted.html.contains("onclick"), "{}", trusted.html);
    }

    #[test]
    fn elements_that_swallow_text_are_errors() {
        for tag in [
            "title",
            "textarea",
            "xmp",
            "style",
            "script",
            "plaintext",
            "iframe",
        ] {
            let r = render_safe(&format!("Before <{tag}> after *this*.\n\nMore text.\n"));
            assert_eq!(codes(&r), ["raw-html-text-element"], "{tag}");
            assert!(r.notes[0].error && r.notes[0].offset == 7, "{tag}");
            assert!(r.notes[0].help.contains(&format!("`\\<{tag}>`")), "{tag}");
            // Closed, a trusted site may use them; unclosed, never.
            let closed = render(&format!("a <{tag}>x</{tag}> b\n"), false);
            assert_eq!(closed.notes.len(), usize::from(tag == "plaintext"), "{tag}");
            let open = render(&format!("a <{tag}> b\n"), false);
            assert_eq!(codes(&open), ["raw-html-text-element"], "{tag}");
        }
        // Escaped or in code, it is text.
        let r = render_safe("\\<title> and `<title>`\n");
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        assert!(
            r.html
                .contains("&lt;title&gt; and <code>&lt;title&gt;</code>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn alignment_and_datetime_survive_raw_html() {
        let r = render_safe(
            "<abbr title=\"United Nations\">UN</abbr> <time datetime=\"2021-06-09\">9 June</time>\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n",
        );
        assert!(
            r.html.contains("<time datetime=\"2021-06-09\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("text-align:left") || r.html.contains("text-align: left"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("text-align:right") || r.html.contains("text-align: right"),
            "{}",
            r.html
        );
        assert!(r.notes.is_empty(), "{:?}", r.notes);
    }

    #[test]
    fn removed_tags_and_attributes_are_reported() {
        let r = render_safe(
            "<marquee onclick=\"x\">m</marquee> <b onclick=\"x\" class=\"k\">b</b> <a href=\"file:///etc\">f</a>\n",
        );
        assert_eq!(
            codes(&r),
            ["raw-html-removed", "raw-html-attribute", "unsafe-link"]
        );
        assert!(
            !r.html.contains("onclick") && !r.html.contains("file:"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<b class=\"k\">b</b>"), "{}", r.html);
    }

    #[test]
    fn references_cannot_hide_a_scheme_or_an_id() {
        let r = render_safe(
            "<a href=\"&#106;ava&#x73;cript&colon;alert(1)\">a</a> <a href=\"jav&Tab;ascript:x\">b</a> <i id=\"&lowbar;main\">c</i> <i id=\"k\">d</i> <i id=\"&#107;\">e</i>\n",
        );
        assert_eq!(
            codes(&r),
            ["unsafe-link", "unsafe-link", "reserved-id", "duplicate-id"]
        );
        assert!(
            !r.html.contains("javascript") && !r.html.contains("_main"),
            "{}",
            r.html
        );
        assert_eq!(r.html.matches("id=\"k\"").count(), 1, "{}", r.html);
    }

    #[test]
    fn ids_are_unique_and_never_the_templates() {
        let r = render_safe(
            "## 1\n\nText[^1] and[^note].\n\n## Fn 1\n\n<span id=\"_main\">x</span> <span id=\"scope\">y</span>\n\n## Scope\n\n[^1]: One.\n[^note]: Two.\n",
        );
        assert_eq!(r.heading_ids, ["1", "fn-1-1", "scope-1"]);
        assert!(r.html.contains("<a href=\"#fn-1\">1</a>"), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-note\""), "{}", r.html);
        assert!(!r.html.contains("_main"), "{}", r.html);
        assert_eq!(codes(&r), ["reserved-id"]);
        // Raw HTML ids are unique too, sanitized or trusted, and never a template's.
        for sanitize in [true, false] {
            let r = render(
                "<p id=\"a\">1</p>\n\n<span id=a title='q\"'>2</span> <b id=\"_main\" id=\"z\">3</b>\n\n## A\n",
                sanitize,
            );
            assert_eq!(r.html.matches("id=\"a\"").count(), 1, "{}", r.html);
            assert!(
                !r.html.contains("_main") && !r.html.contains("\"z\""),
                "{}",
                r.html
            );
            assert!(r.html.contains("<h2 id=\"a-1\">"), "{}", r.html);
            assert!(
                r.html.contains("2</span>") && r.html.contains("3</b>"),
                "{}",
                r.html
            );
            assert_eq!(codes(&r), ["duplicate-id", "reserved-id"], "{sanitize}");
        }
        let mut ids: Vec<&str> = r
            .html
            .match_indices("id=\"")
            .map(|(i, _)| {
                let rest = &r.html[i + 4..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "{}", r.html);
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = "<div>".repeat(100_000) + "x";
        let t = std::time::Instant::now();
        let r = render_safe(&deep);
        assert_eq!(codes(&r)[0], "too-deeply-nested");
        assert!(t.elapsed().as_secs() < 20);
        let quotes = ">".repeat(MAX_DEPTH + 10) + " x\n";
        assert!(codes(&render_safe(&quotes)).contains(&"too-deeply-nested"));
        // Paragraphs left open do not nest.
        let ps = "<p>x ".repeat(2 * MAX_DEPTH);
        assert!(!codes(&render_safe(&ps)).contains(&"too-deeply-nested"));
    }

    #[test]
    fn many_notes_are_capped() {
        let r = render_safe(&"<marquee>x</marquee> ".repeat(100));
        assert_eq!(r.notes.len(), 21);
        assert!(
            r.notes[20].message.contains("80 more"),
            "{}",
            r.notes[20].message
        );
    }

    #[test]
    fn source_links_keep_their_query() {
        let r = render_safe("[q](a.md?lang=en#x) [Q](b.MD)\n");
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].path, "a.md");
        assert_eq!(r.links[1].path, "b.MD");
        let html = substitute_links(&r.html, &["/e/a/#x".into(), "/e/b/".into()]);
        assert!(html.contains("href=\"/e/a/?lang=en#x\""), "{html}");
        assert!(html.contains("href=\"/e/b/\""), "{html}");
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
        assert!(!is_source_link("/föö") && !is_source_link("/φου") && is_source_link("ф.md"));
        assert!(is_source_link("a.MD?x=1#y"));
    }

    #[test]
    fn automatic_ids_never_take_an_explicit_one() {
        let r = render_safe("## A {#a}\n\n## A\n\n## A-1 {#a-1}\n\n## B {#b}\n\n## C {#b}\n");
        assert_eq!(r.heading_ids, ["a", "a-2", "a-1", "b", "c"]);
        assert_eq!(
            r.notes.iter().filter(|n| n.code == "duplicate-id").count(),
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

    proptest::proptest! {
        /// The run-copying escape writes what escaping character by character writes.
        #[test]
        fn escape_html_is_the_five_entities_and_nothing_else(s in "[a-z&\"<>'é\u{1F600} \n]{0,40}") {
            let mut reference = String::new();
            for c in s.chars() {
                match c {
                    '&' => reference.push_str("&amp;"),
                    '"' => reference.push_str("&quot;"),
                    '<' => reference.push_str("&lt;"),
                    '>' => reference.push_str("&gt;"),
                    '\'' => reference.push_str("&#39;"),
                    c => reference.push(c),
                }
            }
            proptest::prop_assert_eq!(escape_html(&s), reference);
        }
    }
}
