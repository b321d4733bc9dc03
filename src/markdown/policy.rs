//! The one safety policy for HTML that comes from Markdown: which elements, attributes and
//! URL schemes may reach a page, which ids content may take, and how deep elements may
//! nest. Everything an editor writes goes through it — raw HTML (enforced by ammonia, built
//! here from these tables), heading attributes, link and image destinations and footnote
//! labels (enforced while rendering, in `markdown`), and the diagnostics that say what was
//! not published (`markdown::raw`). Change a rule here and every path follows.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Elements raw HTML may use. Everything pulldown-cmark writes is among them.
pub const TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes any allowed element may carry.
pub const GENERIC_ATTRIBUTES: &[&str] = &["id", "class", "title", "lang", "dir"];

/// Attributes particular elements may carry, beyond the generic ones. `style` is kept only
/// for table cells, and only its `text-align` (how Markdown tables say alignment).
pub const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("blockquote", &["cite"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("details", &["open"]),
    ("img", &["alt", "height", "src", "width"]),
    ("ins", &["cite", "datetime"]),
    ("ol", &["start", "reversed", "type"]),
    ("q", &["cite"]),
    ("td", &["colspan", "headers", "rowspan", "style"]),
    ("th", &["colspan", "headers", "rowspan", "scope", "style"]),
    ("time", &["datetime"]),
];

/// CSS properties a `style` attribute may keep.
pub const STYLE_PROPERTIES: &[&str] = &["text-align"];

/// URL schemes a link may use; `data:` only for images. Relative URLs are always allowed.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Elements whose content is removed with them (never shown, never run).
pub const REMOVED_WITH_CONTENT: &[&str] = &["script", "style"];

/// Elements whose content a browser does not read as HTML: from such a tag to its closing
/// tag (or, unclosed, to the end of the page) everything is script, style or plain text.
/// Raw HTML in an entry may not open one (with `raw_html: allow`, only a closed one).
pub const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "title",
    "textarea",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Ids that start with this are the templates'; content never takes one.
pub const TEMPLATE_ID_PREFIX: &str = "_";

/// How deep elements may nest in one body (raw HTML and Markdown together). Browsers stop
/// nesting at 512; the sanitizer's work grows with depth, so the bound keeps it linear.
pub const MAX_DEPTH: usize = 256;

pub fn is_allowed_tag(tag: &str) -> bool {
    TAGS.contains(&tag)
}

pub fn is_allowed_attribute(tag: &str, attribute: &str) -> bool {
    GENERIC_ATTRIBUTES.contains(&attribute)
        || TAG_ATTRIBUTES
            .iter()
            .any(|(t, attrs)| *t == tag && attrs.contains(&attribute))
}

/// Whether `attribute` of `tag` holds a URL (checked against [`URL_SCHEMES`]).
pub fn is_url_attribute(attribute: &str) -> bool {
    matches!(attribute, "href" | "src" | "cite")
}

/// Whether an id may be taken by content (the template's prefix is refused).
pub fn is_content_id(id: &str) -> bool {
    !id.starts_with(TEMPLATE_ID_PREFIX) && !id.is_empty() && !id.contains(char::is_whitespace)
}

/// Elements with no content and no end tag.
pub fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

/// Elements a browser closes by itself when the next one starts (`<p>`, `<li>`…): they
/// do not nest when left open.
pub fn closes_itself(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rp"
            | "rtc"
            | "colgroup"
            | "caption"
    )
}

/// Why a destination may not be published, if it may not: its scheme is not allowed
/// (`javascript:`, `file:`…), or it is `data:` outside an image. Whitespace and control
/// characters are ignored, as browsers ignore them.
pub fn refused_destination(dest: &str, image: bool) -> Option<String> {
    let compact: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    let scheme = scheme(&compact)?;
    if scheme == "data" {
        let is_image = compact[5..].to_ascii_lowercase().starts_with("image/");
        return (!(image && is_image)).then(|| "data".to_string());
    }
    (!URL_SCHEMES.contains(&scheme.as_str()) && scheme != placeholder_scheme()).then_some(scheme)
}

/// The scheme of `dest`, lowercased, if it has one (`https:`, not `a/b:c` or `:x`).
pub fn scheme(dest: &str) -> Option<String> {
    let i = dest.find(':')?;
    let s = &dest[..i];
    let valid = !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| s.to_ascii_lowercase())
}

/// The URL scheme of link placeholders: `annals-link-<random>:N`, random per process so
/// that no text an editor writes can pose as one (placeholders never reach the output).
pub fn placeholder_scheme() -> &'static str {
    static S: OnceLock<String> = OnceLock::new();
    S.get_or_init(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        format!("annals-link-{:016x}", h.finish())
    })
}

/// The sanitizer for raw HTML, built from the tables above.
pub fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
            .iter()
            .map(|(t, a)| (*t, a.iter().copied().collect()))
            .collect();
        let mut schemes: HashSet<&str> = URL_SCHEMES.iter().copied().collect();
        schemes.insert("data");
        schemes.insert(placeholder_scheme());
        b.tags(TAGS.iter().copied().collect())
            .clean_content_tags(REMOVED_WITH_CONTENT.iter().copied().collect())
            .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
            .tag_attributes(tag_attributes)
            .filter_style_properties(STYLE_PROPERTIES.iter().copied().collect())
            .url_schemes(schemes)
            .url_relative(ammonia::UrlRelative::PassThrough)
            .strip_comments(true)
            .link_rel(None)
            .attribute_filter(|element, attribute, value| {
                if attribute == "id" && !is_content_id(value) {
                    return None;
                }
                if is_url_attribute(attribute)
                    && refused_destination(value, element == "img" && attribute == "src").is_some()
                {
                    return None;
                }
                Some(value.into())
            });
        b
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations() {
        assert_eq!(
            refused_destination("javascript:x", false).as_deref(),
            Some("javascript")
        );
        assert_eq!(
            refused_destination(" Java\tScript:x", false).as_deref(),
            Some("javascript")
        );
        assert_eq!(
            refused_destination("file:///etc/passwd", false).as_deref(),
            Some("file")
        );
        assert_eq!(
            refused_destination("data:text/html,x", true).as_deref(),
            Some("data")
        );
        assert_eq!(
            refused_destination("data:image/png;base64,AA", false).as_deref(),
            Some("data")
        );
        assert_eq!(refused_destination("data:image/png;base64,AA", true), None);
        for ok in [
            "https://e.org",
            "mailto:a@b.org",
            "/x",
            "a/b:c",
            "#f",
            "x.md",
            "",
        ] {
            assert_eq!(refused_destination(ok, false), None, "{ok}");
        }
    }

    /// The README's "Safety" section is the policy as users read it: it must list these
    /// tables exactly.
    #[test]
    fn the_readme_states_this_policy() {
        let readme = include_str!("../../README.md");
        let section = &readme[readme.find("\n## Safety").unwrap()..];
        let start = section.find("elements: `").unwrap() + "elements: `".len();
        let listed: Vec<&str> = section[start..start + section[start..].find('`').unwrap()]
            .split_whitespace()
            .collect();
        assert_eq!(listed, TAGS);
        for (tag, attrs) in TAG_ATTRIBUTES {
            for a in *attrs {
                assert!(section.contains(a), "{tag} {a}");
            }
        }
        for list in [
            GENERIC_ATTRIBUTES,
            URL_SCHEMES,
            RAW_TEXT_ELEMENTS,
            STYLE_PROPERTIES,
        ] {
            for item in list {
                assert!(section.contains(&format!("`{item}")), "{item}");
            }
        }
        assert!(section.contains(&format!("more than {MAX_DEPTH} deep")));
    }

    #[test]
    fn every_tag_attribute_belongs_to_an_allowed_tag() {
        for (tag, _) in TAG_ATTRIBUTES {
            assert!(is_allowed_tag(tag), "{tag}");
        }
        assert!(!TAGS.iter().any(|t| RAW_TEXT_ELEMENTS.contains(t)));
    }
}
