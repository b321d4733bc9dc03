//! The walk over pulldown-cmark's events that makes a body's HTML. Each kind of event has
//! its own method, and each link destination is classified once ([`Destination`]), so the
//! order of match arms can never change what is sanitized.

use super::policy::{self, placeholder_scheme};
use super::raw::{self, RawTag};
use super::{MdLink, Note, Rendered, is_source_link, percent_decode, split_destination};
use crate::slug;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// How many notes of one kind one body reports before the rest are counted in one line.
const NOTES_PER_KIND: usize = 20;

const LINK_HELP: &str = "links may use https:, http:, mailto: or tel:, or point to other entries and files of the site (see \"Safety\" in the README)";

/// What a link or image destination is.
enum Destination {
    /// Never published: a scheme the policy refuses.
    Refused,
    /// Another source file (`other.md#scope`): rewritten in the link stage.
    Source,
    /// Anything else the policy allows, published as written.
    Other,
}

fn classify(dest: &str, image: bool) -> Destination {
    if policy::refused_destination(dest, image).is_some() {
        Destination::Refused
    } else if !image && is_source_link(dest) {
        Destination::Source
    } else {
        Destination::Other
    }
}

/// Renders `body` to HTML. With `sanitize`, everything the editor wrote goes through the
/// safety policy; without (`raw_html: allow`), raw HTML and heading attributes are kept as
/// written, but destinations are still checked and ids still made unique. When a note is
/// an error the HTML is left empty: the build fails, and no time is spent on it.
pub fn render(body: &str, sanitize: bool) -> Rendered {
    let mut walk = Walk::new(body, sanitize);
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        walk.event(event, range);
    }
    walk.finish()
}

struct Walk<'a> {
    body: &'a str,
    sanitize: bool,
    out: Vec<Event<'a>>,
    links: Vec<MdLink>,
    notes: Vec<Note>,
    /// Notes per code, to cap the flood a hostile body could cause (ordered, so that the
    /// summary lines come out the same on every run).
    noted: BTreeMap<&'static str, usize>,
    /// Every id the page's content has taken so far.
    used: HashSet<String>,
    /// Every heading: its start event's index in `out`, its text, and its id if it has
    /// one already (explicit and accepted).
    headings: Vec<(usize, String, Option<String>)>,
    /// The heading being read: its index in `headings`.
    heading: Option<usize>,
    /// An image being read: where it starts and whether it has alt text yet.
    image: Option<(usize, usize, bool)>,
    /// For each open link or image: whether it was dropped (its text is kept).
    dropped: Vec<bool>,
    /// Footnote label → (id, number).
    footnotes: HashMap<String, (String, usize)>,
    has_raw_html: bool,
    /// An HTML block being read: its text and, per piece, (offset in text, in body).
    html_block: Option<(String, Vec<(usize, usize)>)>,
    /// Open Markdown elements, and open raw HTML elements.
    depth: usize,
    raw_depth: usize,
    too_deep: bool,
    /// Inside a raw-text element opened by raw HTML: its name.
    raw_text: Option<String>,
    /// Positions of closing tags of raw-text elements in the body (made when first needed).
    closes: Option<HashMap<&'static str, Vec<usize>>>,
}

impl<'a> Walk<'a> {
    fn new(body: &'a str, sanitize: bool) -> Walk<'a> {
        Walk {
            body,
            sanitize,
            out: Vec::new(),
            links: Vec::new(),
            notes: Vec::new(),
            noted: BTreeMap::new(),
            used: HashSet::new(),
            headings: Vec::new(),
            heading: None,
            image: None,
            dropped: Vec::new(),
            footnotes: HashMap::new(),
            has_raw_html: false,
            html_block: None,
            depth: 0,
            raw_depth: 0,
            too_deep: false,
            raw_text: None,
            closes: None,
        }
    }

    fn note(
        &mut self,
        error: bool,
        code: &'static str,
        message: String,
        help: String,
        at: Range<usize>,
    ) {
        let n = self.noted.entry(code).or_insert(0);
        *n += 1;
        if *n <= NOTES_PER_KIND {
            self.notes.push(Note {
                error,
                code,
                message,
                help,
                offset: at.start,
                len: at.len(),
            });
        }
    }

    fn event(&mut self, event: Event<'a>, range: Range<usize>) {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                self.check_depth(&range);
                self.start(tag, range);
            }
            Event::End(end) => {
                self.depth = self.depth.saturating_sub(1);
                self.end(end);
            }
            Event::Html(text) => {
                self.has_raw_html = true;
                match self.html_block.as_mut() {
                    // A block is read whole at its end: a tag may span its lines.
                    Some((block, pieces)) => {
                        pieces.push((block.len(), range.start));
                        block.push_str(&text);
                    }
                    None => {
                        let text = self.scan_raw(text, &[(0, range.start)]);
                        self.out.push(Event::Html(text));
                    }
                }
            }
            Event::InlineHtml(text) => {
                self.has_raw_html = true;
                let text = self.scan_raw(text, &[(0, range.start)]);
                self.out.push(Event::InlineHtml(text));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, _, alt)) = self.image.as_mut() {
                    *alt |= !t.trim().is_empty();
                }
                if let Some(h) = self.heading {
                    self.headings[h].1.push_str(t);
                }
                self.out.push(event);
            }
            Event::FootnoteReference(label) => {
                let (id, n) = self.footnote(&label);
                self.out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-reference\"><a href=\"#{id}\">{n}</a></sup>"
                ))));
            }
            other => self.out.push(other),
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => match classify(&dest_url, false) {
                Destination::Refused => {
                    self.note(
                        false,
                        "unsafe-link",
                        format!("the link to `{dest_url}` is never published"),
                        LINK_HELP.into(),
                        range,
                    );
                    self.dropped.push(true);
                }
                kind @ (Destination::Source | Destination::Other) => {
                    let dest_url = if matches!(kind, Destination::Source) {
                        self.source_link(&dest_url, range)
                    } else {
                        if dest_url.starts_with("http://") {
                            self.note(
                                false,
                                "insecure-link",
                                format!("the link to `{dest_url}` uses http:"),
                                "use the https: address if the site has one".into(),
                                range,
                            );
                        }
                        dest_url
                    };
                    self.dropped.push(false);
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            },
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let refused = matches!(classify(&dest_url, true), Destination::Refused);
                if refused {
                    self.note(
                        false,
                        "unsafe-link",
                        format!("the image `{dest_url}` is never published"),
                        "images must be web addresses or files of the site".into(),
                        range.clone(),
                    );
                }
                self.image = Some((range.start, range.len(), refused));
                self.dropped.push(refused);
                if !refused {
                    self.out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => self.start_heading(level, id, classes, attrs, range),
            Tag::HtmlBlock => {
                self.html_block = Some((String::new(), Vec::new()));
                self.out.push(Event::Start(Tag::HtmlBlock));
            }
            Tag::FootnoteDefinition(label) => {
                let (id, n) = self.footnote(&label);
                self.out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{n}</sup>"
                ))));
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Link => {
                if self.dropped.pop() != Some(true) {
                    self.out.push(Event::End(end));
                }
            }
            TagEnd::Image => {
                let dropped = self.dropped.pop() == Some(true);
                if let Some((offset, len, false)) = self.image.take() {
                    self.note(
                        false,
                        "image-without-alt",
                        "this image has no alt text".into(),
                        "describe the image for readers who cannot see it: ![what it shows](image.png)".into(),
                        offset..offset + len,
                    );
                }
                if !dropped {
                    self.out.push(Event::End(end));
                }
            }
            TagEnd::Heading(_) => {
                self.heading = None;
                self.out.push(Event::End(end));
            }
            TagEnd::HtmlBlock => {
                if let Some((text, pieces)) = self.html_block.take() {
                    let text = self.scan_raw(CowStr::from(text), &pieces);
                    self.out.push(Event::Html(text));
                }
                self.out.push(Event::End(end));
            }
            TagEnd::FootnoteDefinition => {
                self.out.push(Event::Html(CowStr::from("</div>\n")));
            }
            _ => self.out.push(Event::End(end)),
        }
    }

    /// A link to another source file: recorded for the link stage, its `href` replaced by
    /// a numbered placeholder (keeping any `?query`).
    fn source_link(&mut self, dest: &str, range: Range<usize>) -> CowStr<'a> {
        let (path, query, fragment) = split_destination(dest);
        let n = self.links.len();
        self.links.push(MdLink {
            path: percent_decode(path),
            fragment: fragment.map(percent_decode),
            offset: range.start,
            len: range.len(),
        });
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        CowStr::from(format!("{}:{n}{query}", placeholder_scheme()))
    }

    fn start_heading(
        &mut self,
        level: HeadingLevel,
        id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        range: Range<usize>,
    ) {
        let tag = if attrs.is_empty() {
            String::new()
        } else {
            format!("{level}")
        };
        let mut kept = Vec::new();
        for (name, value) in attrs {
            let allowed = policy::is_allowed_attribute(&tag, &name.to_ascii_lowercase())
                && !policy::is_url_attribute(&name);
            if allowed || !self.sanitize {
                kept.push((name, value));
            } else {
                self.note(
                    false,
                    "heading-attribute",
                    format!("the heading attribute `{name}` is never published"),
                    "headings may carry an id `{#id}`, classes `{.class}`, and `lang`, `title` or `dir`; other attributes are removed".into(),
                    range.clone(),
                );
            }
        }
        let id = id.filter(|id| self.claim_id(id, range.clone()));
        self.heading = Some(self.headings.len());
        self.headings.push((
            self.out.len(),
            String::new(),
            id.as_ref().map(|i| i.to_string()),
        ));
        self.out.push(Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: kept,
        }));
    }

    /// Takes `id` for the page's content; false (with a note) if it is a template's or
    /// already taken.
    fn claim_id(&mut self, id: &str, at: Range<usize>) -> bool {
        if !policy::is_content_id(id) {
            self.note(
                false,
                "reserved-id",
                format!("the id `{id}` is not published"),
                format!(
                    "ids starting with `{}` belong to the templates, and ids cannot contain spaces; choose another id",
                    policy::TEMPLATE_ID_PREFIX
                ),
                at,
            );
            return false;
        }
        if !self.used.insert(id.to_string()) {
            self.note(
                false,
                "duplicate-id",
                format!("the id `{id}` is used twice on this page"),
                "give each heading or element its own id: a link can reach only one; this one gets an automatic id".into(),
                at,
            );
            return false;
        }
        true
    }

    /// The id and number of a footnote, made when it is first seen (reference or
    /// definition), never one the page already uses.
    fn footnote(&mut self, label: &str) -> (String, usize) {
        if let Some(f) = self.footnotes.get(label) {
            return f.clone();
        }
        let id = unique(format!("fn-{}", slug::heading_id(label)), &self.used);
        self.used.insert(id.clone());
        let f = (id, self.footnotes.len() + 1);
        self.footnotes.insert(label.to_string(), f.clone());
        f
    }

    /// Reports, once, nesting past the policy's bound (Markdown and raw HTML together).
    fn check_depth(&mut self, at: &Range<usize>) {
        if self.depth + self.raw_depth > policy::MAX_DEPTH && !self.too_deep {
            self.too_deep = true;
            self.note(
                true,
                "too-deeply-nested",
                format!("elements are nested more than {} deep here", policy::MAX_DEPTH),
                "close the elements that are opened (`</div>`, the end of a quote or list) or flatten the text; browsers cannot show deeper nesting".into(),
                at.clone(),
            );
        }
    }

    /// Reads the tags of a piece of raw HTML (`pieces` maps offsets in `text` to the body)
    /// and returns it with the ids it may not take removed, so that ids stay unique even
    /// where the sanitizer does not run.
    fn scan_raw(&mut self, text: CowStr<'a>, pieces: &[(usize, usize)]) -> CowStr<'a> {
        // Tags come in order, so the piece holding each is found by walking forward.
        let mut p = 0;
        let mut edited: Option<String> = None;
        let mut copied = 0;
        for tag in raw::tags(&text) {
            while p + 1 < pieces.len() && pieces[p + 1].0 <= tag.offset {
                p += 1;
            }
            let piece = pieces[p];
            let at = piece.1 + (tag.offset - piece.0);
            if !self.raw_tag(&tag, at..(at + tag.len).min(self.body.len())) {
                let out = edited.get_or_insert_with(String::new);
                out.push_str(&text[copied..tag.offset]);
                out.push_str(&tag.without("id"));
                copied = tag.offset + tag.len;
            }
        }
        match edited {
            Some(mut out) => {
                out.push_str(&text[copied..]);
                CowStr::from(out)
            }
            None => text,
        }
    }

    /// Checks one raw tag against the policy; false when its id must be removed.
    fn raw_tag(&mut self, tag: &RawTag, at: Range<usize>) -> bool {
        if let Some(open) = &self.raw_text {
            // Inside `<script>`, `<textarea>`… everything up to its end tag is text.
            if tag.closing && tag.name == *open {
                self.raw_text = None;
            }
            return true;
        }
        let nests = !policy::is_void(&tag.name) && !policy::closes_itself(&tag.name);
        if tag.closing {
            if nests {
                self.raw_depth = self.raw_depth.saturating_sub(1);
            }
            return true;
        }
        if policy::RAW_TEXT_ELEMENTS.contains(&tag.name.as_str()) && !tag.self_closing {
            self.raw_text_element(&tag.name, at);
            return true;
        }
        if nests && !tag.self_closing {
            self.raw_depth += 1;
            self.check_depth(&at);
        }
        let allowed = policy::is_allowed_tag(&tag.name);
        if self.sanitize && !allowed {
            self.note(
                false,
                "raw-html-removed",
                format!("the `<{}>` tag is never published; its text is kept", tag.name),
                format!(
                    "see \"Safety\" in the README for the tags that may be used; to show the tag as text, write `\\<{}>`",
                    tag.name
                ),
                at.clone(),
            );
        }
        let mut id_kept = true;
        let mut seen_id = false;
        for (name, value) in &tag.attributes {
            if name == "id" {
                // A browser takes the first `id`; a second one is ignored, and removed.
                id_kept &= !seen_id && self.claim_id(value, at.clone());
                seen_id = true;
            } else if policy::is_url_attribute(name)
                && policy::refused_destination(value, tag.name == "img" && name == "src").is_some()
            {
                self.note(
                    false,
                    "unsafe-link",
                    format!("the link to `{value}` is never published"),
                    LINK_HELP.into(),
                    at.clone(),
                );
            } else if self.sanitize && allowed && !policy::is_allowed_attribute(&tag.name, name) {
                self.note(
                    false,
                    "raw-html-attribute",
                    format!(
                        "the `{name}` attribute of `<{}>` is never published",
                        tag.name
                    ),
                    "see \"Safety\" in the README for the attributes that may be used".into(),
                    at.clone(),
                );
            }
        }
        id_kept
    }

    /// `<script>`, `<textarea>`, `<title>`…: from here to the end tag, or to the end of
    /// the page when there is none, a browser reads no HTML, and the sanitizer removes or
    /// flattens it all. Always an error when sanitizing; with `raw_html: allow`, only
    /// when it is never closed.
    fn raw_text_element(&mut self, name: &str, at: Range<usize>) {
        let closed = name != "plaintext" && self.closed_after(name, at.end);
        if closed {
            self.raw_text = Some(name.to_string());
        }
        if closed && !self.sanitize {
            return;
        }
        let until = if closed {
            format!("everything after it up to `</{name}>`")
        } else {
            "the rest of the entry".to_string()
        };
        let message = if policy::REMOVED_WITH_CONTENT.contains(&name) {
            format!("`<{name}>` is never published, and {until} would be removed with it")
        } else if self.sanitize {
            format!("`<{name}>` cannot be published: browsers show {until} as plain text")
        } else {
            format!(
                "`<{name}>` is never closed: browsers read the rest of the entry as its content"
            )
        };
        self.note(
            true,
            "raw-html-text-element",
            message,
            format!("to show the tag as text, write `\\<{name}>` or put it in backticks: `` `<{name}>` ``"),
            at,
        );
    }

    fn closed_after(&mut self, name: &str, from: usize) -> bool {
        let body = self.body;
        let closes = self.closes.get_or_insert_with(|| {
            let lower = body.to_ascii_lowercase();
            let mut map: HashMap<&'static str, Vec<usize>> = HashMap::new();
            for n in policy::RAW_TEXT_ELEMENTS {
                let mut at = 0;
                while let Some(i) = raw::find_close(&lower[at..], n) {
                    map.entry(n).or_default().push(at + i);
                    at += i + 2;
                }
            }
            map
        });
        closes
            .get(name)
            .is_some_and(|v| v.partition_point(|&p| p < from) < v.len())
    }

    fn finish(mut self) -> Rendered {
        for (&code, &n) in &self.noted {
            if n > NOTES_PER_KIND {
                let last = self.notes.iter().rev().find(|x| x.code == code).cloned();
                if let Some(last) = last {
                    self.notes.push(Note {
                        message: format!(
                            "… and {} more like this in this file",
                            n - NOTES_PER_KIND
                        ),
                        ..last
                    });
                }
            }
        }
        self.notes.sort_by_key(|n| n.offset);
        let mut heading_ids = Vec::with_capacity(self.headings.len());
        for (start, text, id) in std::mem::take(&mut self.headings) {
            let id = id.unwrap_or_else(|| {
                let id = unique(slug::heading_id(&text), &self.used);
                self.used.insert(id.clone());
                id
            });
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut self.out[start] {
                *slot = Some(CowStr::from(id.clone()));
            }
            heading_ids.push(id);
        }
        let mut html_out = String::new();
        if !self.notes.iter().any(|n| n.error) {
            html_out.reserve(self.body.len() + self.body.len() / 4);
            html::push_html(&mut html_out, self.out.into_iter());
            if self.has_raw_html && self.sanitize {
                html_out = policy::sanitizer().clean(&html_out).to_string();
            }
            // Kept until the site is written: no spare capacity (up to half of it).
            html_out.shrink_to_fit();
        }
        Rendered {
            html: html_out,
            links: self.links,
            heading_ids,
            notes: self.notes,
        }
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
