//! Raw HTML in a body, read the way a browser starts to: tags, their attributes, comments
//! skipped. The renderer walks these tags in order to say, before anything is published,
//! what the safety policy (`policy`) will remove, which element would swallow the rest of
//! the entry, which ids the raw HTML takes, and how deep it nests. Enforcement stays with
//! the sanitizer; this module only reads.

/// One tag of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTag {
    /// Lowercased element name.
    pub name: String,
    /// `</name>`.
    pub closing: bool,
    /// `<name/>`.
    pub self_closing: bool,
    /// Lowercased attribute names with their values, character references decoded as a
    /// browser decodes them (`&#106;avascript:` is `javascript:`).
    pub attributes: Vec<(String, String)>,
    /// Byte offset of `<` in the scanned text, and the tag's length.
    pub offset: usize,
    pub len: usize,
}

impl RawTag {
    /// The tag written anew without `attribute` (values re-quoted, entities as written).
    pub fn without(&self, attribute: &str) -> String {
        let mut s = format!("<{}", self.name);
        for (name, value) in self.attributes.iter().filter(|(n, _)| n != attribute) {
            s.push(' ');
            s.push_str(name);
            if !value.is_empty() {
                s.push_str("=\"");
                s.push_str(&value.replace('&', "&amp;").replace('"', "&quot;"));
                s.push('"');
            }
        }
        s.push_str(if self.self_closing { " />" } else { ">" });
        s
    }
}

/// The tags of `html`, in order. Comments, declarations, processing instructions and
/// CDATA are skipped; a `<` that starts no tag is text.
pub fn tags(html: &str) -> Vec<RawTag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr(b'<', &b[i..]) {
        let start = i + lt;
        let rest = &html[start..];
        let skip_to = |end: &str, from: usize| {
            rest[from..]
                .find(end)
                .map_or(html.len(), |e| start + from + e + end.len())
        };
        if rest.starts_with("<!--") {
            i = skip_to("-->", 4);
        } else if rest.starts_with("<![CDATA[") {
            i = skip_to("]]>", 9);
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            i = skip_to(">", 2);
        } else if let Some(tag) = tag_at(html, start) {
            i = start + tag.len;
            out.push(tag);
        } else {
            i = start + 1;
        }
    }
    out
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// Reads one tag starting at `start` (a `<`), if one starts there.
fn tag_at(html: &str, start: usize) -> Option<RawTag> {
    let b = html.as_bytes();
    let mut i = start + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    if !b.get(i)?.is_ascii_alphabetic() {
        return None;
    }
    let name_start = i;
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
    {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    let mut attributes = Vec::new();
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match b.get(i)? {
            b'>' => {
                return Some(RawTag {
                    name,
                    closing,
                    self_closing: false,
                    attributes,
                    offset: start,
                    len: i + 1 - start,
                });
            }
            b'/' if b.get(i + 1) == Some(&b'>') => {
                return Some(RawTag {
                    name,
                    closing,
                    self_closing: true,
                    attributes,
                    offset: start,
                    len: i + 2 - start,
                });
            }
            _ => {}
        }
        let attr_start = i;
        while b
            .get(i)
            .is_some_and(|c| !c.is_ascii_whitespace() && !b"\"'>/=".contains(c))
        {
            i += 1;
        }
        if i == attr_start {
            // A stray `/`, `=` or quote: browsers skip it.
            i += 1;
            continue;
        }
        let attr = html[attr_start..i].to_ascii_lowercase();
        let mut j = i;
        while b.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let mut value = String::new();
        if b.get(j) == Some(&b'=') {
            j += 1;
            while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            match b.get(j)? {
                q @ (b'"' | b'\'') => {
                    let end = j + 1 + memchr(*q, &b[j + 1..])?;
                    value = decode(&html[j + 1..end]);
                    j = end + 1;
                }
                _ => {
                    let v = j;
                    while b
                        .get(j)
                        .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                    {
                        j += 1;
                    }
                    value = decode(&html[v..j]);
                }
            }
            i = j;
        }
        attributes.push((attr, value));
    }
}

/// Decodes character references in an attribute value: numeric ones, and the named ones
/// that can hide a URL scheme or an id (`&colon;`, `&Tab;`, `&lowbar;`…). Others stay as
/// written, which is safe: the sanitizer decodes fully; this only sharpens diagnostics.
pub fn decode(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let c = if let Some(num) = name.strip_prefix('#') {
            match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            }
            .map(|n| char::from_u32(n).unwrap_or('\u{fffd}'))
        } else {
            named(name)
        };
        match c {
            Some(c) if end > 1 => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "Tab" => '\t',
        "NewLine" => '\n',
        "colon" => ':',
        "sol" => '/',
        "lowbar" | "UnderBar" => '_',
        "period" => '.',
        "comma" => ',',
        "lpar" => '(',
        "rpar" => ')',
        "num" => '#',
        "nbsp" => '\u{a0}',
        _ => return None,
    })
}

/// The position of the closing tag of raw-text element `name` in `lower` (HTML already
/// lowercased), if any: `</name` followed by whitespace, `/`, `>` or the end.
pub fn find_close(lower: &str, name: &str) -> Option<usize> {
    let needle = format!("</{name}");
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let at = from + i;
        match lower.as_bytes().get(at + needle.len()) {
            Some(c) if c.is_ascii_whitespace() || *c == b'/' || *c == b'>' => return Some(at),
            None => return Some(at),
            _ => from = at + needle.len(),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_and_attributes() {
        let t = tags("a <B Class=x id='y' data-z=1 hidden>b</b> <br/> <!-- <i> --> < x <?p?>");
        let names: Vec<_> = t.iter().map(|t| (t.name.as_str(), t.closing)).collect();
        assert_eq!(names, [("b", false), ("b", true), ("br", false)]);
        assert_eq!(
            t[0].attributes,
            [
                ("class".into(), "x".into()),
                ("id".into(), "y".into()),
                ("data-z".into(), "1".into()),
                ("hidden".into(), String::new())
            ]
        );
        assert!(t[2].self_closing);
        assert_eq!(t[0].offset, 2);
    }

    #[test]
    fn unterminated_input_never_panics() {
        for s in [
            "<", "<a", "<a b=", "<a b=\"", "<a b='x", "<!--", "</", "<a/", "<a =x>",
        ] {
            let _ = tags(s);
        }
        assert_eq!(tags("<a =x>").len(), 1);
    }

    #[test]
    fn decodes_references_that_can_hide_a_scheme() {
        assert_eq!(decode("&#106;ava&#x73;cript&colon;x"), "javascript:x");
        assert_eq!(decode("jav&Tab;ascript:"), "jav\tascript:");
        assert_eq!(decode("&lowbar;main"), "_main");
        assert_eq!(decode("a&b &unknown; &#xZZ; &"), "a&b &unknown; &#xZZ; &");
        assert_eq!(decode("&#1114112;"), "\u{fffd}");
        let t = tags("<a href=\"&#106;avascript:x\" id=a&amp;b>");
        assert_eq!(t[0].attributes[0].1, "javascript:x");
        assert_eq!(t[0].without("href"), "<a id=\"a&amp;b\">");
    }

    #[test]
    fn finds_closing_raw_text_tags() {
        assert_eq!(find_close("x </scriptx> </script >", "script"), Some(13));
        assert_eq!(find_close("x", "script"), None);
    }
}
