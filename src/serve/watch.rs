//! Watching the site's sources — `content/`, `templates/`, `static/`, `i18n/` and `site.yaml` — and
//! passing on what changed, debounced, with editors' temporary and swap files left out (the
//! same names the build ignores). `public/` and anything else in the root are not watched.
//!
//! The root is watched by itself (not recursively) and each source folder recursively.
//! A folder's watch follows the folder, not its name: when `content/` is renamed away,
//! deleted, or replaced by another (`mv new content`, `rm -rf content; cp -r backup
//! content`), the root's watch reports its name, and [`Watcher::refresh`] drops the old
//! watch and watches whatever folder has the name now, before the rebuild reads it. A
//! `site.yaml` replaced by rename (an editor's atomic save) is seen by the root's watch.

use crate::content::walk::is_ignored_name;
use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// How long a source must be quiet before its change is passed on: an editor's save (write a
/// temporary file, rename it over the old one, within a millisecond or two) arrives as one
/// change. Short, because it is most of the time from a save to its page being served
/// (`scripts/serve_bench.sh`: p90 under 100 ms at 10,000 entries).
pub const DEBOUNCE: Duration = Duration::from_millis(30);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(5);
/// After a first change, how long more changes are awaited before a rebuild starts: the
/// debouncer passes each path on by itself, so the files of one save can straddle two of its
/// ticks and would otherwise cost two rebuilds.
pub const SETTLE: Duration = Duration::from_millis(10);

/// The folders whose every file goes into the site.
pub const DIRS: [&str; 4] = ["content", "templates", "static", "i18n"];

/// What the watcher reports.
pub enum Batch {
    /// Source paths that changed (absolute).
    Changed(Vec<PathBuf>),
    /// The watcher could not follow something.
    Error(String),
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: [bool; DIRS.len()],
}

/// Whether a path (absolute, under `root`) is one of the site's sources.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str().unwrap_or("\0"),
            _ => "\0",
        })
        .collect();
    match parts.as_slice() {
        [one] => *one == crate::config::FILE || DIRS.contains(one),
        // The content walk skips hidden and temporary folders as well as files.
        ["content", rest @ ..] => !rest.iter().any(|p| is_ignored_name(p)),
        // Templates and static files are skipped by their file name alone.
        [dir, .., name] if DIRS.contains(dir) => !is_ignored_name(name),
        _ => false,
    }
}

/// The root's sources themselves: the folders and `site.yaml`.
fn all_sources(root: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    DIRS.iter()
        .copied()
        .chain([crate::config::FILE])
        .map(|name| root.join(name))
}

/// Whether an event can change a file: opening or reading one cannot (and the build itself
/// reads every file, so counting reads would rebuild for ever).
fn changes_files(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute, canonical path); batches of changes
    /// go to `tx`.
    pub fn start(root: &Path, tx: Sender<Batch>) -> Result<Watcher, String> {
        let filter_root = root.to_path_buf();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                let mut paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| changes_files(&e.kind))
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| is_source(&filter_root, p))
                    .cloned()
                    .collect();
                // Events were lost (the kernel's queue overflowed): anything may have changed,
                // and every folder is watched again.
                if events.iter().any(|e| e.need_rescan()) {
                    paths.extend(all_sources(&filter_root));
                }
                paths.sort();
                paths.dedup();
                if !paths.is_empty() {
                    let _ = tx.send(Batch::Changed(paths));
                }
            }
            Err(errors) => {
                let text = errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                let _ = tx.send(Batch::Error(text));
            }
        };
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        let mut w = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watched: [false; DIRS.len()],
        };
        // The root itself, not recursively: site.yaml, and the folders appearing or going.
        w.debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
        if let Some(e) = w.refresh(&[]) {
            return Err(e);
        }
        Ok(w)
    }

    /// Brings the watches up to date with a batch of `changed` paths: a source folder the
    /// batch names itself (created, deleted, renamed or replaced) is watched afresh, one that
    /// is gone is no longer watched, and one that exists unwatched (it appeared) is watched.
    /// Called before each rebuild, so a file saved after it is seen by the next one. Returns
    /// what could not be watched.
    pub fn refresh(&mut self, changed: &[PathBuf]) -> Option<String> {
        let mut problems = Vec::new();
        for (i, dir) in DIRS.iter().enumerate() {
            let path = self.root.join(dir);
            let exists = path.is_dir();
            if self.watched[i] && (!exists || changed.contains(&path)) {
                // The watch may be gone already (the folder was deleted or moved away).
                let _ = self.debouncer.unwatch(&path);
                self.watched[i] = false;
            }
            if exists && !self.watched[i] {
                match self.debouncer.watch(&path, RecursiveMode::Recursive) {
                    Ok(()) => self.watched[i] = true,
                    Err(e) => problems.push(format!("cannot watch {}: {e}", path.display())),
                }
            }
        }
        if problems.is_empty() {
            None
        } else {
            Some(problems.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_sources() {
        let root = Path::new("/site");
        let yes = |p: &str| is_source(root, &root.join(p));
        assert!(yes("site.yaml"));
        assert!(yes("content"));
        assert!(yes("content/entries/a.md"));
        assert!(yes("content/entries/sub/a.md"));
        assert!(yes("templates/entry.html"));
        assert!(yes("templates/partials/when.html"));
        assert!(yes("static/img/logo.png"));
        assert!(yes("i18n/site.ru.yaml"));
        assert!(!yes("public/index.html"));
        assert!(!yes(".site.yaml.swp"));
        assert!(!yes("site.yaml~"));
        assert!(!yes("README.md"));
        assert!(!yes("target/debug/annals"));
        assert!(!yes("content/entries/.a.md.swp"));
        assert!(!yes("content/entries/a.md~"));
        assert!(!yes("content/entries/.#a.md"));
        assert!(!yes("content/entries/#a.md#"));
        assert!(!yes("content/.git/index"));
        assert!(!yes("templates/.entry.html.swp"));
        assert!(!yes("static/x.tmp"));
        assert!(!is_source(root, Path::new("/elsewhere/site.yaml")));
    }

    #[test]
    fn reads_are_not_changes() {
        use notify_debouncer_full::notify::event::{CreateKind, ModifyKind};
        assert!(!changes_files(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_files(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Any)));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
    }
}
