//! Finds the source files under `content/`, in sorted order: Markdown entries in
//! `content/entries/` (any depth) and pages in `content/pages/`, and lists the files of
//! `templates/` and `static/`. Hidden files and folders and editors' temporary files are
//! ignored (the README says so); every other file that is not read is reported, never
//! skipped silently: a Markdown file elsewhere or with another extension (`x.MD`,
//! `x.markdown`), a name that is not UTF-8, a pipe or device, a symlink loop, an unreadable
//! folder (errors), and any other file in content/ (a warning: it is not published).

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

/// Whether [`walk`] hands the regular file at `content_path` (relative to `content/`,
/// `/`-separated, UTF-8) to the loader: a `.md` file below `entries/` or `pages/`, with no
/// hidden or editor's name on the way. The build's fingerprint leaves exactly these files
/// for the loader to hash (see `cache::Pending::read`).
pub fn is_loaded(content_path: &str) -> bool {
    matches!(content_path.split_once('/'), Some(("entries" | "pages", _)))
        && content_path.ends_with(".md")
        && !content_path.split('/').any(is_ignored_name)
}

/// A relative path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    // The path as it is, when it already is what joining its components gives (the
    // usual case, and a walk's 100,000 paths).
    // (An empty component is a leading, trailing or doubled `/`, or the empty path.)
    if let Some(s) = p.to_str()
        && std::path::MAIN_SEPARATOR == '/'
        && !s.split('/').any(|c| c.is_empty() || c == ".")
    {
        return s.to_string();
    }
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The items of a walk of `top`, in the order of the same walk sorted by file name in each
/// folder (walkdir's `sort_by_file_name`), sorted once by a key per item: walkdir's own
/// sorting names both files at every comparison, 0.25 s at 100,000 files. An error sorts
/// at the path it names (else at `top`), where the sorted walk meets it.
pub fn in_walk_order(
    top: &Path,
    walk: impl IntoIterator<Item = walkdir::Result<walkdir::DirEntry>>,
) -> Vec<walkdir::Result<walkdir::DirEntry>> {
    let mut keyed: Vec<(Vec<u8>, walkdir::Result<walkdir::DirEntry>)> = walk
        .into_iter()
        .map(|item| {
            let path = match &item {
                Ok(e) => e.path(),
                Err(e) => e.path().unwrap_or(top),
            };
            (walk_order(path), item)
        })
        .collect();
    // Stable: an error keeps its place after the folder it is about.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, item)| item).collect()
}

/// A path's sort key for the order of a walk that visits each folder's names sorted:
/// comparing paths component by component, which is comparing their bytes with every
/// separator made the smallest byte (no name holds a NUL).
fn walk_order(path: &Path) -> Vec<u8> {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .map(|&b| {
            if std::path::is_separator(char::from(b)) {
                0
            } else {
                b
            }
        })
        .collect()
}

/// Why a walk could not go on at some path (an unreadable folder, a symbolic link loop):
/// the one conversion of `walkdir::Error`, for the content walk and [`site_files`] alike.
#[derive(Debug)]
pub struct WalkError {
    /// On disk (the folder walked, when the walk names no path).
    pub path: PathBuf,
    /// Relative to the site root, `/`-separated, for messages.
    pub display: String,
    pub kind: WalkErrorKind,
}

/// What went wrong at [`WalkError::path`].
#[derive(Debug)]
pub enum WalkErrorKind {
    /// A symbolic link leads back to a folder above it (site-relative, as `display`).
    Loop {
        ancestor: String,
    },
    Io(std::io::Error),
}

impl WalkError {
    /// `err`, met while walking `dir` of the site at `root`.
    fn new(err: walkdir::Error, root: &Path, dir: &Path) -> WalkError {
        let shown = |p: &Path| {
            p.strip_prefix(root)
                .map(slash_path)
                .unwrap_or_else(|_| p.display().to_string())
        };
        let path = err.path().unwrap_or(dir).to_path_buf();
        let display = shown(&path);
        let kind = match err.loop_ancestor() {
            Some(ancestor) => WalkErrorKind::Loop {
                ancestor: shown(ancestor),
            },
            None => {
                let why = err.to_string();
                WalkErrorKind::Io(
                    err.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other(why)),
                )
            }
        };
        WalkError {
            path,
            display,
            kind,
        }
    }

    /// The error as the diagnostic of the file it is at.
    pub fn diagnostic(&self) -> Diagnostic {
        match &self.kind {
            WalkErrorKind::Loop { .. } => Diagnostic::error("symlink-loop", self.to_string())
                .in_file(self.display.clone())
                .help("remove or fix the link; annals follows links but cannot follow a loop"),
            WalkErrorKind::Io(_) => Diagnostic::error("io", format!("cannot read {self}"))
                .in_file(self.display.clone())
                .help("check that the file exists and that you may read it"),
        }
    }

    /// Where it happened, on disk.
    pub fn path(&self) -> Option<&Path> {
        Some(&self.path)
    }

    /// The error as an I/O error (a loop becomes one that says so).
    pub fn into_io_error(self) -> Option<std::io::Error> {
        let shown = self.to_string();
        Some(match self.kind {
            WalkErrorKind::Io(e) => e,
            WalkErrorKind::Loop { .. } => std::io::Error::other(shown),
        })
    }
}

/// `content/x: Permission denied (os error 13)`, or `symbolic link loop: static/a leads back
/// to static`.
impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            WalkErrorKind::Loop { ancestor } => write!(
                f,
                "symbolic link loop: {} leads back to {ancestor}",
                self.display
            ),
            WalkErrorKind::Io(e) => write!(f, "{}: {e}", self.display),
        }
    }
}

/// Why a file of templates/ or static/ cannot be used.
pub enum SiteFileError {
    /// The walk failed (unreadable folder, symlink loop).
    Walk(WalkError),
    /// A file or folder name that is not UTF-8 (see [`not_utf8_name`]).
    NotUtf8(Diagnostic),
}

/// A file or folder whose name is not UTF-8 text. annals never publishes such a name:
/// site paths, URLs, the sitemap and `serve` all hold text, and a lossy copy would publish
/// the file under a name the editor never gave it. `display` is the site-relative path.
pub fn not_utf8_name(display: &str) -> Diagnostic {
    Diagnostic::error(
        "not-utf8-name",
        format!("the name of {display} is not UTF-8 text (shown here with �)"),
    )
    .in_file(display.to_string())
    .help("rename it using UTF-8 (letters of any script, digits, dashes); its address on the site must be text")
}

/// The files under `dir` (templates/, static/), sorted, links followed, as
/// (`/`-separated path relative to `dir`, path on disk); editors' and hidden files are
/// left out, and so are hidden folders when `skip_hidden_dirs` (static/ keeps them, for
/// `.well-known/`). A name that is not UTF-8 is reported once, at the file or folder that
/// has it, and nothing below it is listed.
pub fn site_files(
    dir: &Path,
    skip_hidden_dirs: bool,
) -> impl Iterator<Item = Result<(String, PathBuf), SiteFileError>> + '_ {
    let folder = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let root = dir.parent().unwrap_or(dir);
    WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| {
            !skip_hidden_dirs
                || e.depth() == 0
                || !is_ignored_name(&e.file_name().to_string_lossy())
        })
        .filter_map(move |item| {
            let e = match item {
                Err(e) => return Some(Err(SiteFileError::Walk(WalkError::new(e, root, dir)))),
                Ok(e) => e,
            };
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            if e.depth() > 0 && e.file_name().to_str().is_none() {
                let shown = format!("{folder}/{}", slash_path(rel));
                return Some(Err(SiteFileError::NotUtf8(not_utf8_name(&shown))));
            }
            if !e.file_type().is_file()
                || is_ignored_name(&e.file_name().to_string_lossy())
                || rel.to_str().is_none()
            {
                // Folders, and files below a folder already reported.
                return None;
            }
            Some(Ok((slash_path(rel), e.into_path())))
        })
}

/// Extensions editors give Markdown files; only `.md` is read, and the others are
/// reported so that no entry is skipped without a word.
const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "mdwn"];

/// What the content walk does with a file that is not hidden or an editor's.
enum Found {
    Markdown,
    /// A Markdown extension other than `.md` (`x.MD`, `x.markdown`).
    OtherMarkdown(String),
    /// Not Markdown: never published.
    Other,
    /// A pipe, socket or device.
    Special,
}

fn classify(entry: &walkdir::DirEntry) -> Option<Found> {
    let ft = entry.file_type();
    if ft.is_dir() {
        return None;
    }
    if !ft.is_file() {
        return Some(Found::Special);
    }
    let name = entry.file_name().to_string_lossy();
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return Some(Found::Other);
    };
    if ext == "md" {
        Some(Found::Markdown)
    } else if MARKDOWN_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) {
        Some(Found::OtherMarkdown(format!("{stem}.md")))
    } else {
        Some(Found::Other)
    }
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
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for item in in_walk_order(&content, walker) {
        let entry = match item {
            Ok(e) => e,
            Err(err) => {
                diags.push(WalkError::new(err, root, &content).diagnostic());
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&content) else {
            continue;
        };
        let content_path = slash_path(rel);
        let display = format!("content/{content_path}");
        if entry.depth() > 0 && entry.file_name().to_str().is_none() {
            diags.push(not_utf8_name(&display));
            continue;
        }
        if rel.to_str().is_none() {
            // Below a folder whose name was reported.
            continue;
        }
        match classify(&entry) {
            None => continue,
            Some(Found::Markdown) => {}
            Some(Found::OtherMarkdown(fixed)) => {
                diags.push(
                    Diagnostic::error(
                        "markdown-extension",
                        format!("{display} is not read: entries and pages end in `.md`"),
                    )
                    .in_file(display.clone())
                    .help(format!("rename it to `{fixed}`")),
                );
                continue;
            }
            Some(Found::Other) => {
                diags.push(
                    Diagnostic::warning(
                        "not-markdown",
                        format!("{display} is not a Markdown file and is not published"),
                    )
                    .in_file(display.clone())
                    .help("files published as they are (images, PDFs) go in static/; entries and pages end in `.md`"),
                );
                continue;
            }
            Some(Found::Special) => {
                diags.push(
                    Diagnostic::error(
                        "special-file",
                        format!("{display} is not a regular file (a pipe, socket or device)"),
                    )
                    .in_file(display.clone())
                    .help("remove it from content/; only Markdown files belong there"),
                );
                continue;
            }
        }
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
        debug_assert!(is_loaded(&content_path), "{content_path}");
        files.push(SourceFile {
            kind,
            abs: entry.into_path(),
            display,
            content_path,
        });
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_path_is_the_components_joined() {
        let joined = |p: &Path| {
            p.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        };
        for p in [
            "entries/a.md",
            "a",
            "entries/deep/er/b.md",
            "./a/b",
            "a/./b",
            "a//b",
            "a/b/",
            "/a/b",
            "a/../b",
            "",
            "Закон/ü.md",
        ] {
            assert_eq!(slash_path(Path::new(p)), joined(Path::new(p)), "{p:?}");
        }
    }

    /// A walk put in order is walkdir's walk sorted by file name in each folder, where `a/`
    /// comes before `a-c` and `a.b` although `-` and `.` sort before `/`.
    #[test]
    fn in_walk_order_is_a_walk_sorted_by_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "a/b", "a/c/d", "a-c", "a.b", "ab", "a/b-c", "a/bb", "b", "A", "a/b2/x/y", "a/b.d/z",
        ];
        for f in names {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, f).unwrap();
        }
        let files = |items: Vec<walkdir::Result<walkdir::DirEntry>>| -> Vec<std::path::PathBuf> {
            items
                .into_iter()
                .map(|e| e.unwrap())
                .filter(|e| !e.file_type().is_dir())
                .map(|e| e.into_path())
                .collect()
        };
        let sorted = files(
            WalkDir::new(dir.path())
                .sort_by_file_name()
                .into_iter()
                .collect(),
        );
        let keyed = files(in_walk_order(dir.path(), WalkDir::new(dir.path())));
        assert_eq!(sorted.len(), names.len());
        assert_eq!(keyed, sorted);
    }

    /// Files and problems come in the order of a walk sorted by name in each folder, as
    /// walkdir's sorted walk gives them, whatever order the folder is read in.
    #[test]
    fn the_walk_is_in_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "entries/b.md",
            "entries/a-c.md",
            "entries/a/z.md",
            "entries/a/y.txt",
            "entries/a.b.md",
            "entries/ab.md",
            "entries/A.markdown",
            "pages/about.md",
            "NOTES",
            "entries/c.jpg",
        ];
        for f in names {
            let p = dir.path().join("content").join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        for f in [
            "index.md",
            "drafts/x.md",
            "entries/.hidden.md",
            "entries/#draft.md",
            "entries/x.md~",
            "entries/.git/y.md",
            "entries/old.tmp/z.md",
            "pages/x.MD",
        ] {
            let p = dir.path().join("content").join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let mut diags = Diagnostics::new();
        let files = walk(dir.path(), &mut diags);
        let found: Vec<&str> = files.iter().map(|f| f.content_path.as_str()).collect();
        // is_loaded names exactly the files the walk hands to the loader.
        let content = dir.path().join("content");
        let mut loaded: Vec<String> = walkdir::WalkDir::new(&content)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| slash_path(e.path().strip_prefix(&content).unwrap()))
            .filter(|p| is_loaded(p))
            .collect();
        loaded.sort();
        let mut walked: Vec<String> = found.iter().map(|s| s.to_string()).collect();
        walked.sort();
        assert_eq!(loaded, walked);
        assert_eq!(
            found,
            [
                "entries/a/z.md",
                "entries/a-c.md",
                "entries/a.b.md",
                "entries/ab.md",
                "entries/b.md",
                "pages/about.md"
            ]
        );
        let problems: Vec<String> = diags.iter().map(|d| d.path.clone().unwrap()).collect();
        assert_eq!(
            problems,
            [
                "content/NOTES",
                "content/drafts/x.md",
                "content/entries/A.markdown",
                "content/entries/a/y.txt",
                "content/entries/c.jpg",
                "content/index.md",
                "content/pages/x.MD"
            ]
        );
    }
}
