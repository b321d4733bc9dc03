//! Pages: About, Method and the like (`content/pages/*.md`), with a smaller front matter
//! than entries: `title`, `summary`, `slug`, `menu`, `draft`.

use super::fields::Fields;
use super::{Document, doc_slug};

pub const FIELDS: &[&str] = &["title", "summary", "slug", "menu", "draft"];

/// A page's front matter as written.
#[derive(Debug, Default)]
pub struct RawPage {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub slug: Option<(String, crate::diagnostic::Location)>,
    pub menu: Option<i64>,
}

/// A validated page.
#[derive(Debug, Clone)]
pub struct Page {
    pub doc: Document,
    pub summary: String,
    /// Position in the site navigation; `None` keeps the page out of it.
    pub menu: Option<i64>,
}

pub fn read(f: &mut Fields) -> RawPage {
    f.reject_unknown(FIELDS, "a page");
    RawPage {
        title: f.string("title", "title: \"About this chronicle\""),
        summary: f.string("summary", "summary: \"What this chronicle covers.\""),
        slug: f.string("slug", "slug: about").map(|s| {
            let loc = f.ctx.value_location(&["slug"], &s);
            (s, loc)
        }),
        menu: f.int("menu", "menu: 1"),
    }
}

pub fn validate(raw: RawPage, f: &mut Fields, doc: Document) -> Option<Page> {
    let doc = doc_slug(doc, raw.slug.as_ref(), f, raw.title.as_deref());
    if !f.require_text(
        "title",
        raw.title.as_deref(),
        "title: \"About this chronicle\"",
        "write the page's heading, e.g. title: \"About this chronicle\"",
    ) {
        return None;
    }
    Some(Page {
        doc: doc?,
        summary: raw.summary.unwrap_or_default().trim().to_string(),
        menu: raw.menu,
    })
}
