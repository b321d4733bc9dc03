//! Finds the source files under `content/`, in sorted order: Markdown entries in
//! `content/entries/` (any depth) and pages in `content/pages/`. Hidden files and editors'
//! temporary files are ignored; every other problem (a Markdown file elsewhere, a symlink
//! loop, an unreadable folder) is reported, never skipped silently.

use crate::diagnostic::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// What a source file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Entry,
    Page,
}

/// A Markdown source file found by the walk.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub kind: Kind,
    /// Where it is on disk.
    pub abs: PathBuf,
    /// Relative to the site root, `/`-separated, for messages (`content/entries/a.md`).
    pub display: String,
    /// Relative to `content/`, `/`-separated, for link resolution (`entries/a.md`).
    pub content_path: String,
}

/// Whether a file name is an editor's or the system's, never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files under `dir` (templates/, static/), sorted, links followed, as
/// (`/`-separated path relative to `dir`, path on disk); editors' and hidden files are
/// left out, and so are hidden folders when `skip_hidden_dirs` (static/ keeps them, for
/// `.well-known/`).
pub fn site_files(
    dir: &Path,
    skip_hidden_dirs: bool,
) -> impl Iterator<Item = Result<(String, PathBuf), walkdir::Error>> + '_ {
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            !skip_hidden_dirs
                || e.depth() == 0
                || !is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(move |item| match item {
            Err(e) => Some(Err(e)),
            Ok(e)
                if !e.file_type().is_file()
                    || is_ignored_name(&e.file_name().to_string_lossy()) =>
            {
                None
            }
            Ok(e) => {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .map(slash_path)
                    .unwrap_or_default();
                Some(Ok((rel, e.into_path())))
            }
        })
}

/// Walks `<root>/content`.
pub fn walk(root: &Path, diags: &mut Diagnostics) -> Vec<SourceFile> {
    let content = root.join("content");
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                "no-content",
                format!("no content/ folder in {}", root.display()),
            )
            .help("entries go in content/entries/*.md and pages in content/pages/*.md"),
        );
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for item in walker {
        let entry = match item {
            Ok(e) => e,
            Err(err) => {
                let at = err
                    .path()
                    .and_then(|p| p.strip_prefix(root).ok())
                    .map(slash_path)
                    .unwrap_or_else(|| "content".to_string());
                let d = if let Some(ancestor) = err.loop_ancestor() {
                    let anc = ancestor
                        .strip_prefix(root)
                        .map(slash_path)
                        .unwrap_or_else(|_| ancestor.display().to_string());
                    Diagnostic::error(
                        "symlink-loop",
                        format!("symbolic link loop: {at} leads back to {anc}"),
                    )
                    .in_file(at)
                    .help("remove or fix the link; annals follows links but cannot follow a loop")
                } else {
                    let why = err
                        .io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string());
                    Diagnostic::error("io", format!("cannot read {at}: {why}"))
                        .in_file(at)
                        .help("check that the file exists and that you may read it")
                };
                diags.push(d);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if !name.ends_with(".md") {
            continue;
        }
        let rel = match entry.path().strip_prefix(&content) {
            Ok(r) => r,
            Err(_) => continue,
        };
        let content_path = slash_path(rel);
        let display = format!("content/{content_path}");
        let kind = match content_path.split('/').next() {
            Some("entries") if content_path.contains('/') => Kind::Entry,
            Some("pages") if content_path.contains('/') => Kind::Page,
            _ => {
                diags.push(
                    Diagnostic::error(
                        "misplaced-file",
                        format!("{display} is neither an entry nor a page"),
                    )
                    .in_file(display.clone())
                    .help("move it into content/entries/ (a reform event) or content/pages/ (a page such as About)"),
                );
                continue;
            }
        };
        files.push(SourceFile {
            kind,
            abs: entry.path().to_path_buf(),
            display,
            content_path,
        });
    }
    files
}
