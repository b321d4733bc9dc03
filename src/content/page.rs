//! Pages: About, Method and the like (`content/pages/*.md`), with a smaller front matter
//! than entries (the fields are [`contract::PAGE`]).

use super::contract::{self, PAGE};
use super::fields::Fields;
use super::{Document, doc_slug};

/// The page field `name` of the contract.
fn field(name: &str) -> &'static contract::Field {
    contract::field(PAGE, name)
}

/// A page's front matter as written.
#[derive(Debug, Default)]
pub struct RawPage {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub slug: Option<(String, crate::diagnostic::Location)>,
    pub menu: Option<i64>,
    pub draft: Option<bool>,
}

/// A validated page (stored as it is in the document cache, [`super::store`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub doc: Document,
    pub summary: String,
    /// Position in the site navigation; `None` keeps the page out of it.
    pub menu: Option<i64>,
}

pub fn read(f: &mut Fields) -> RawPage {
    f.reject_unknown(PAGE, "a page");
    RawPage {
        title: f.string(field("title")),
        summary: f.string(field("summary")),
        slug: f.slug(field("slug")),
        menu: f.int(field("menu")),
        draft: f.bool(field("draft")),
    }
}

pub fn validate(raw: RawPage, f: &mut Fields, mut doc: Document) -> Option<Page> {
    doc.draft = raw.draft.unwrap_or(false);
    let doc = doc_slug(doc, raw.slug.as_ref(), f, raw.title.as_deref());
    if !f.require_text(field("title"), raw.title.as_deref()) {
        return None;
    }
    Some(Page {
        doc: doc?,
        summary: raw.summary.unwrap_or_default().trim().to_string(),
        menu: raw.menu,
    })
}
