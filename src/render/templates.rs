//! The templates: the defaults embedded in the binary, any of them replaced by the site's
//! `templates/NAME`, compiled once; and Tera's errors turned into diagnostics at the
//! template's file, line and column. Templates get no global context: every page's context
//! is whole in itself (see `Site::context`), so one page renders without the others.

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use std::collections::BTreeMap;
use std::path::Path;
use tera::{Context, Tera};

/// The default templates, embedded so that a site without `templates/` builds.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/when.html",
        include_str!("../../templates/partials/when.html"),
    ),
    (
        "partials/entry_card.html",
        include_str!("../../templates/partials/entry_card.html"),
    ),
    (
        "partials/stepper.html",
        include_str!("../../templates/partials/stepper.html"),
    ),
    ("thread.html", include_str!("../../templates/thread.html")),
    ("threads.html", include_str!("../../templates/threads.html")),
    (
        "timeline.html",
        include_str!("../../templates/timeline.html"),
    ),
    ("entry.html", include_str!("../../templates/entry.html")),
    ("themes.html", include_str!("../../templates/themes.html")),
    ("theme.html", include_str!("../../templates/theme.html")),
    ("year.html", include_str!("../../templates/year.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("data.html", include_str!("../../templates/data.html")),
];

/// The compiled templates and where each came from (for messages), with the site's
/// message files (`i18n/<code>.ftl`), which override the embedded messages as templates do.
pub struct Templates {
    tera: Tera,
    /// Template name → (path shown in messages, source text).
    sources: BTreeMap<String, (String, String)>,
    /// Language code → (path shown in messages, text) of `i18n/<code>.ftl`.
    messages: BTreeMap<String, (String, String)>,
}

/// Loads the templates: defaults, then every file of `<root>/templates` over them.
pub fn load_templates(root: &Path, diags: &mut Diagnostics) -> Option<Templates> {
    let mut sources: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (format!("(built-in template) {n}"), t.to_string()),
            )
        })
        .collect();
    let dir = root.join("templates");
    if dir.is_dir() {
        for item in crate::content::walk::site_files(&dir, true) {
            let (rel, path) = match item {
                Ok(file) => file,
                Err(crate::content::walk::SiteFileError::NotUtf8(d)) => {
                    diags.push(d);
                    continue;
                }
                Err(crate::content::walk::SiteFileError::Walk(e)) => {
                    diags.push(
                        Diagnostic::error("io", format!("cannot read templates/: {e}"))
                            .in_file("templates"),
                    );
                    continue;
                }
            };
            let display = format!("templates/{rel}");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(rel, (display, text));
                }
                Err(e) => diags.push(
                    Diagnostic::error("io", format!("cannot read {display}: {e}"))
                        .in_file(display)
                        .help("templates must be UTF-8 text"),
                ),
            }
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    let result = tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())));
    let messages = load_messages(root, diags);
    let templates = Templates {
        tera,
        sources,
        messages,
    };
    match result {
        Ok(()) => Some(templates),
        Err(e) => {
            diags.push(templates.diagnostic(&e, None));
            None
        }
    }
}

/// The site's message files, `i18n/<code>.ftl`, each checked (a syntax error is reported
/// at its line, and the embedded messages are used).
fn load_messages(root: &Path, diags: &mut Diagnostics) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir(root.join("i18n")) else {
        return out;
    };
    let mut files: Vec<std::path::PathBuf> = dir.flatten().map(|e| e.path()).collect();
    files.sort();
    for path in files {
        let Some(code) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".ftl"))
        else {
            continue;
        };
        let display = format!("i18n/{code}.ftl");
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let o = crate::i18n::messages::Override {
                    path: &display,
                    text: &text,
                };
                match crate::i18n::messages::Messages::new(code, Some(o)) {
                    Ok(_) => {
                        out.insert(code.to_string(), (display, text));
                    }
                    Err(ds) => diags.extend(ds),
                }
            }
            Err(e) => diags.push(
                Diagnostic::error("io", format!("cannot read {display}: {e}"))
                    .in_file(display)
                    .help("message files must be UTF-8 text"),
            ),
        }
    }
    out
}

impl Templates {
    /// Every template's name and text, by name (the built-in ones and the site's).
    pub fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()))
    }

    /// The messages of language `code`: the embedded ones with the site's file over them.
    pub fn messages(&self, code: &str) -> crate::i18n::messages::Messages {
        use crate::i18n::messages::{Messages, Override};
        let site = self
            .messages
            .get(code)
            .map(|(path, text)| Override { path, text });
        Messages::new(code, site)
            .or_else(|_| Messages::new(code, None))
            .or_else(|_| Messages::new(crate::i18n::messages::FALLBACK, None))
            .expect("the embedded English messages parse (tested)")
    }

    /// Turns a Tera error into a diagnostic at the template's file, line and column.
    fn diagnostic(&self, err: &tera::Error, page: Option<&str>) -> Diagnostic {
        let while_ = page
            .map(|p| format!(" (while rendering /{p})"))
            .unwrap_or_default();
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
        while let Some(e) = current {
            if let Some(te) = e.downcast_ref::<tera::Error>()
                && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) =
                    te.kind()
            {
                let (display, text) = self
                    .sources
                    .get(r.filename())
                    .map(|(d, t)| (d.clone(), t.as_str()))
                    .unwrap_or_else(|| (r.filename().to_string(), ""));
                let span = r.span();
                let len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                let kind = if matches!(te.kind(), tera::ErrorKind::SyntaxError(_)) {
                    "template syntax error"
                } else {
                    "template error"
                };
                return Diagnostic::error("template", format!("{kind}: {}{while_}", r.message()))
                        .in_file(display)
                        .at(Location::of_line_col(text, span.start_line, span.start_col + 1, len))
                        .help("fix the template; the variables each template receives are listed in the README");
            }
            current = e.source();
        }
        Diagnostic::error("template", format!("template error: {err}{while_}"))
            .help("fix the template; the variables each template receives are listed in the README")
    }

    /// Renders template `name`; `page` is the site path named in an error.
    pub(super) fn render(
        &self,
        name: &str,
        ctx: &Context,
        page: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.diagnostic(&e, Some(page)))
    }
}
