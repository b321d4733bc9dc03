//! The build cache: what lets a rebuild whose inputs did not change skip all of its work.
//!
//! After a successful build with no diagnostic, `<root>/.annals-cache/build` records two
//! fingerprints: one of every input of the build ([`Inputs`]) and one of the output it left
//! (the xxh3 of the output's marker, which lists every file with its content hash). The
//! next build computes the input fingerprint first; when it equals the recorded one, and the
//! output still holds exactly the recorded marker and the files it lists, nothing is loaded,
//! parsed or rendered: a build of those inputs would write exactly that output. Anything
//! else (a record that is missing, damaged, of another format version, for other inputs or
//! another output) is ignored and the build runs in full; `--clean` never reads it. The
//! cache is a shortcut and never a source of bytes, so the worst a stale record can do is
//! not match (see ARCHITECTURE.md, "Cache").

use crate::BuildOptions;
use crate::content::walk::in_walk_order;
use crate::diagnostic::{Diagnostic, Location};
use crate::output::{self, Hash};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use xxhash_rust::xxh3::Xxh3;

/// The cache folder, in the site's root (never inside the published output).
pub const DIR: &str = ".annals-cache";
/// The record's first line: a record of any other format is ignored.
const HEAD: &str = "annals build cache 2";

/// What a build reads from the site's root: site.yaml and these folders, walked whole
/// (hidden files too). A new kind of input must be added here, or the cache would not see
/// it change.
pub const INPUTS: &[&str] = &[
    "site.yaml",
    "content",
    "templates",
    "static",
    "data",
    "i18n",
];

/// A file changed less than this long before it is looked at is identified by its bytes,
/// not by its metadata: a change within the same tick of the file system's clock could
/// leave size and times as they were ("racy" files, as git calls them).
const RACY: Duration = Duration::from_secs(2);

/// The fingerprint of everything a build's output depends on: the annals binary, the
/// options that change output, and every input file by its path and the hash of its bytes.
/// Reading every file would cost more than the rest of a no-op build, so the hash of a file
/// is taken from the [`Known`] table when the file's identity on disk (device, inode, size,
/// modification and change times in nanoseconds) is the one recorded with it: any write,
/// rename or replacement of a file changes its change time. A file changed too recently for
/// that to be sure ([`RACY`]) is read, and not put in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inputs(Hash);

/// Input files whose hash is known: path → (identity on disk, hash of the bytes).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Known(HashMap<String, (Vec<u8>, Hash)>);

/// The xxh3-128 of the bytes of every input file [`Pending::read`] took (from [`Known`] or
/// read: all but the deferred ones), by its path relative to the root
/// (`content/entries/a.md`): the loader takes a file from the document cache by this hash
/// without reading the file again, so that what is loaded is what was fingerprinted.
#[derive(Debug, Default)]
pub struct Hashes(HashMap<String, Hash>);

impl Hashes {
    /// The hash of the input at `rel` (`/`-separated, relative to the root).
    pub fn get(&self, rel: &str) -> Option<Hash> {
        self.0.get(rel).copied()
    }

    /// Whether every file the loader reports (`loaded`: path → hash of the bytes it loaded,
    /// for the files these hashes lack or name otherwise) had the bytes these hashes were
    /// taken of. One that did not was changed between the
    /// fingerprint and the load: the output is then made of bytes the fingerprint does not
    /// name, and a later build that finds the fingerprint's bytes again (the edit undone)
    /// must not take it for up to date.
    pub fn agree(&self, loaded: &HashMap<String, Hash>) -> bool {
        loaded
            .iter()
            .all(|(path, hash)| self.0.get(path).is_none_or(|h| h == hash))
    }
}

/// The fingerprint of a build before its deferred files are hashed (see [`Pending::read`]).
pub struct Pending {
    /// The binary and the options, folded already.
    head: Xxh3,
    /// Every input in the walk's order.
    parts: Vec<Part>,
}

impl Pending {
    /// Looks at every input, with the hashes of `known`; `None` when an input cannot be
    /// read (the build will say why). With `defer`, the files the content walk hands to
    /// the loader (`content::walk::is_loaded`) that `known` does not know, and that no
    /// symbolic link leads to, are not read here: the loader reads them anyway, and
    /// [`Pending::finish`] takes their hashes from it. A build defers when nothing could
    /// be up to date ([`may_skip`] says no): no fingerprint is compared before loading,
    /// and a first build of 100,000 entries is spared reading 550 MB twice.
    pub fn read(opts: &BuildOptions, out: &Path, known: &Known, defer: bool) -> Option<Pending> {
        Pending::read_at(opts, out, known, defer, SystemTime::now())
    }

    /// [`Pending::read`] at time `now` (which decides what is settled).
    fn read_at(
        opts: &BuildOptions,
        out: &Path,
        known: &Known,
        defer: bool,
        now: SystemTime,
    ) -> Option<Pending> {
        let mut head = Xxh3::new();
        field(&mut head, HEAD.as_bytes());
        field(&mut head, binary_identity()?.as_bytes());
        field(&mut head, &[u8::from(opts.drafts), u8::from(opts.strict)]);
        field(
            &mut head,
            opts.base_url.as_deref().unwrap_or("\0").as_bytes(),
        );
        field(
            &mut head,
            output::normalize(out).as_os_str().as_encoded_bytes(),
        );
        let root = output::normalize(&opts.root);
        // Every input in the order of a sorted walk; what each file costs (its metadata, and
        // its bytes when the table does not know it) is paid in parallel, and the results
        // are folded into the fingerprint in the walk's order.
        let mut walked: Vec<Walked> = Vec::new();
        for name in INPUTS {
            let top = root.join(name);
            if fs::symlink_metadata(&top).is_err() {
                walked.push(Walked::Absent(name));
                continue;
            }
            // Folders reached through a symbolic link: a link can be pointed elsewhere and
            // back with no file's identity changing, so what is below one is never
            // deferred (its identity, taken first, could then come back with other bytes).
            let mut linked: Vec<PathBuf> = Vec::new();
            for item in in_walk_order(&top, walkdir::WalkDir::new(&top).follow_links(true)) {
                let item = item.ok()?;
                let through_link =
                    item.path_is_symlink() || linked.iter().any(|l| item.path().starts_with(l));
                if item.file_type().is_dir() {
                    if through_link {
                        linked.push(item.path().to_path_buf());
                    }
                } else {
                    walked.push(Walked::File(item, defer && !through_link));
                }
            }
        }
        let parts = walked
            .par_iter()
            .map(|w| match w {
                Walked::Absent(name) => Some(Part::Absent(name)),
                Walked::File(item, defer) => look(item, &root, known, now, *defer),
            })
            .collect::<Option<Vec<Part>>>()?;
        Some(Pending { head, parts })
    }

    /// The hash of every file known so far (for the loader).
    pub fn hashes(&self) -> Hashes {
        // The loader asks by the `/`-separated path; where paths are written otherwise, it
        // finds none here and reads every file itself (and none is deferred).
        if std::path::MAIN_SEPARATOR != '/' {
            return Hashes::default();
        }
        Hashes(
            self.parts
                .iter()
                .filter_map(|p| match p {
                    Part::File {
                        rel,
                        content: Some(c),
                        ..
                    } => Some((rel.to_str()?.to_string(), *c)),
                    _ => None,
                })
                .collect(),
        )
    }

    /// The fingerprint and the table for the next build. A deferred file's hash is the one
    /// the loader reports in `loaded` (by `/`-separated path): the hash of the very bytes
    /// the build loaded, while its identity on disk was taken before, so a change made
    /// while the build ran makes the next fingerprint differ, as for any file. Only files
    /// the content walk hands to the loader are deferred, so one the loader did not report
    /// was removed or renamed while the build ran (or failed to load, and the build fails;
    /// it then finishes with nothing `loaded`, for the table): there is then no fingerprint
    /// (`None`), and nothing is recorded for the next build to skip by. The table leaves
    /// such a file out.
    pub fn finish(self, loaded: &HashMap<String, Hash>) -> (Option<Inputs>, Known) {
        let Pending { mut head, parts } = self;
        let mut whole = true;
        let mut next = Known(HashMap::with_capacity(parts.len()));
        for part in parts {
            match part {
                Part::Absent(name) => field(&mut head, format!("absent {name}").as_bytes()),
                // Read by no build (the content walk reports it): being there is all.
                Part::Other(rel) => {
                    field(&mut head, rel.as_os_str().as_encoded_bytes());
                    field(&mut head, b"other");
                }
                Part::File {
                    rel,
                    stat,
                    content,
                    settled,
                } => {
                    let key = rel.to_str();
                    let content = content.or_else(|| loaded.get(key?).copied());
                    let Some(content) = content else {
                        whole = false;
                        continue;
                    };
                    field(&mut head, rel.as_os_str().as_encoded_bytes());
                    field(&mut head, &content.to_le_bytes());
                    if let Some(k) = key
                        && settled
                    {
                        next.0.insert(k.to_string(), (stat, content));
                    }
                }
            }
        }
        (whole.then(|| Inputs(head.digest128())), next)
    }
}

/// One length-prefixed field of the fingerprint.
fn field(h: &mut Xxh3, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Whether a build into `out` could find its inputs up to date: only with a record of the
/// last build and an output marked by one. Otherwise no fingerprint is compared before
/// loading, and [`Pending::read`] may defer what the loader reads.
pub fn may_skip(root: &Path, out: &Path) -> bool {
    record_path(root).is_file() && output::normalize(out).join(output::MARKER).is_file()
}

/// An input as the walk found it.
enum Walked {
    /// A top-level input that is not there.
    Absent(&'static str),
    /// A file, and whether it may be deferred to the loader.
    File(walkdir::DirEntry, bool),
}

/// What [`Pending::read`] learns of one input.
enum Part {
    /// A top-level input that is not there.
    Absent(&'static str),
    /// Not a regular file, by its path relative to the root.
    Other(PathBuf),
    /// A regular file: its path relative to the root (as text, when it is text, how the
    /// table and the loader name it: `content/entries/a.md` where paths are written with
    /// `/`), its identity on disk, the hash of its bytes (`None`: deferred to the loader)
    /// and whether it changed long enough ago for its identity to be trusted next time.
    File {
        rel: PathBuf,
        stat: Vec<u8>,
        content: Option<Hash>,
        settled: bool,
    },
}

/// Looks at one walked file: its identity on disk, and the hash of its bytes from `known`
/// when the identity is the one recorded, else read (unless `defer` and the loader reads
/// it). `None` when it cannot be read.
fn look(
    item: &walkdir::DirEntry,
    root: &Path,
    known: &Known,
    now: SystemTime,
    defer: bool,
) -> Option<Part> {
    let rel = item.path().strip_prefix(root).ok()?.to_path_buf();
    let meta = item.metadata().ok()?;
    if !meta.is_file() {
        return Some(Part::Other(rel));
    }
    let key = rel.to_str();
    let stat = stat_bytes(&meta);
    let memo = key.and_then(|k| known.0.get(k)).filter(|(s, _)| *s == stat);
    let content = match memo {
        Some((_, hash)) => Some(*hash),
        None if defer && key.is_some_and(loaded_later) => None,
        None => Some(xxhash_rust::xxh3::xxh3_128(&fs::read(item.path()).ok()?)),
    };
    // A time in the future counts as recent too.
    let settled = now
        .duration_since(changed_time(&meta))
        .is_ok_and(|d| d >= RACY);
    Some(Part::File {
        rel,
        stat,
        content,
        settled,
    })
}

/// Whether the loader reads the input at `rel` (relative to the root, as the loader names
/// it) and reports the hash of its bytes: what the content walk hands to it, where paths
/// are written with `/`.
fn loaded_later(rel: &str) -> bool {
    std::path::MAIN_SEPARATOR == '/'
        && rel
            .strip_prefix("content/")
            .is_some_and(crate::content::walk::is_loaded)
}

/// `bytes` in lowercase hexadecimal.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn files_path(root: &Path) -> PathBuf {
    root.join(DIR).join("files")
}

impl Known {
    /// One line per file: `<identity in hex> <hash in hex> <path as a JSON string>`.
    fn text(&self) -> String {
        let mut lines: Vec<String> = self
            .0
            .iter()
            .map(|(path, (stat, hash))| {
                let mut line = hex(stat);
                let _ = write!(line, " {hash:032x} ");
                line.push_str(&serde_json::to_string(path).unwrap_or_default());
                line.push('\n');
                line
            })
            .collect();
        lines.sort_unstable();
        format!("{HEAD}\n{}", lines.concat())
    }

    fn parse(text: &str) -> Option<Known> {
        let mut lines = text.strip_suffix('\n')?.split('\n');
        if lines.next()? != HEAD {
            return None;
        }
        let mut map = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(3, ' ');
            let stat = parts.next()?;
            let hash = parts.next()?;
            let path: String = serde_json::from_str(parts.next()?).ok()?;
            if stat.len() % 2 != 0 || hash.len() != 32 {
                return None;
            }
            let stat = (0..stat.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(stat.get(i..i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            map.insert(path, (stat, Hash::from_str_radix(hash, 16).ok()?));
        }
        Some(Known(map))
    }

    /// The table of the site at `root`; empty when there is none or it is damaged.
    pub fn load(root: &Path) -> Known {
        fs::read_to_string(files_path(root))
            .ok()
            .and_then(|t| Known::parse(&t))
            .unwrap_or_default()
    }

    /// Saves the table (see [`Record::save`]).
    pub fn save(&self, root: &Path) {
        save(root, "files", &self.text());
    }
}

/// Writes `<root>/.annals-cache/<name>` (a file written beside it, then one rename). A
/// cache that cannot be written only costs the next build its shortcut: errors are ignored.
fn save(root: &Path, name: &str, text: &str) {
    let dir = root.join(DIR);
    if fs::create_dir_all(&dir).is_err() {
        return;
    }
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    if fs::write(&tmp, text).is_err() || fs::rename(&tmp, dir.join(name)).is_err() {
        let _ = fs::remove_file(&tmp);
    }
}

#[cfg(unix)]
fn changed_time(meta: &fs::Metadata) -> SystemTime {
    use std::os::unix::fs::MetadataExt;
    let ctime = Duration::new(meta.ctime().max(0) as u64, meta.ctime_nsec().max(0) as u32);
    let mtime = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
    (SystemTime::UNIX_EPOCH + ctime).max(mtime)
}

#[cfg(not(unix))]
fn changed_time(meta: &fs::Metadata) -> SystemTime {
    meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)
}

#[cfg(unix)]
fn stat_bytes(meta: &fs::Metadata) -> Vec<u8> {
    use std::os::unix::fs::MetadataExt;
    let mut v = b"stat".to_vec();
    for n in [
        meta.dev(),
        meta.ino(),
        meta.size(),
        meta.mtime() as u64,
        meta.mtime_nsec() as u64,
        meta.ctime() as u64,
        meta.ctime_nsec() as u64,
    ] {
        v.extend_from_slice(&n.to_le_bytes());
    }
    v
}

#[cfg(not(unix))]
fn stat_bytes(meta: &fs::Metadata) -> Vec<u8> {
    let mut v = b"stat".to_vec();
    v.extend_from_slice(&meta.len().to_le_bytes());
    let m = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    v.extend_from_slice(&m.to_le_bytes());
    v
}

/// Which annals this is: its version and the identity on disk of its executable (a new
/// build of annals is a new file). In debug builds, `ANNALS_TEST_BINARY_ID` replaces the
/// executable's identity, so that tests can act as another binary. (Also the identity of
/// the page keys, the document cache and the search index's cache of terms.)
pub fn binary_identity() -> Option<String> {
    let version = env!("CARGO_PKG_VERSION");
    if cfg!(debug_assertions)
        && let Ok(id) = std::env::var("ANNALS_TEST_BINARY_ID")
    {
        return Some(format!("{version} test {id}"));
    }
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(&exe).ok()?;
    Some(format!("{version} {}", hex(&stat_bytes(&meta))))
}

/// The render keys of the last build's pages: output path → (the page's render key, the
/// content hash of the HTML that key rendered to). A page's key is the hash of everything
/// its HTML is made from (the annals binary, every template's text, the page's template
/// name, path and variables, see `render::Site`), so a page whose key is recorded with the
/// hash its file still has in the output's trusted manifest would render to exactly those
/// bytes: it is kept as it is, and not rendered again. Like the record, the table only
/// ever lets work be skipped: a key that does not match, a hash the manifest does not
/// confirm, or a damaged table means the page is rendered.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pages(HashMap<String, (Hash, Hash)>);

/// The page table's first line.
const PAGES_HEAD: &str = "annals page keys 1";

fn pages_path(root: &Path) -> PathBuf {
    root.join(DIR).join("pages")
}

impl Pages {
    /// The recorded key and content hash of the page written at `file`.
    pub fn get(&self, file: &str) -> Option<(Hash, Hash)> {
        self.0.get(file).copied()
    }

    /// One line per page, by path: `<key in hex> <hash in hex> <path>` (output paths hold
    /// no line breaks: they are made of slugs and ids).
    fn text(&self) -> String {
        let mut rows: Vec<(&String, &(Hash, Hash))> = self.0.iter().collect();
        rows.sort_unstable();
        let mut text = String::with_capacity(PAGES_HEAD.len() + 1 + rows.len() * 100);
        text.push_str(PAGES_HEAD);
        text.push('\n');
        for (path, (key, hash)) in rows {
            use std::fmt::Write as _;
            let _ = writeln!(text, "{key:032x} {hash:032x} {path}");
        }
        text
    }

    fn parse(text: &str) -> Option<Pages> {
        let mut lines = text.strip_suffix('\n')?.split('\n');
        if lines.next()? != PAGES_HEAD {
            return None;
        }
        let hex = |s: &str| (s.len() == 32).then(|| Hash::from_str_radix(s, 16).ok())?;
        let mut map = HashMap::new();
        for line in lines {
            let (key, rest) = line.split_once(' ')?;
            let (hash, path) = rest.split_once(' ')?;
            if path.is_empty() || path.contains('\r') {
                return None;
            }
            map.insert(path.to_string(), (hex(key)?, hex(hash)?));
        }
        Some(Pages(map))
    }

    /// The table of the site at `root`; empty when there is none or it is damaged.
    pub fn load(root: &Path) -> Pages {
        fs::read_to_string(pages_path(root))
            .ok()
            .and_then(|t| Pages::parse(&t))
            .unwrap_or_default()
    }

    /// Saves the table (see [`save`]).
    pub fn save(&self, root: &Path) {
        save(root, "pages", &self.text());
    }

    /// Removes the table.
    pub fn forget(root: &Path) {
        let _ = fs::remove_file(pages_path(root));
    }
}

impl FromIterator<(String, Hash, Hash)> for Pages {
    fn from_iter<I: IntoIterator<Item = (String, Hash, Hash)>>(rows: I) -> Pages {
        Pages(rows.into_iter().map(|(p, k, h)| (p, (k, h))).collect())
    }
}

/// What the last successful build recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub inputs: Inputs,
    /// The xxh3 of the output's marker after that build.
    pub output: Hash,
    pub entries: usize,
    pub pages: usize,
    pub static_files: usize,
    /// The build's warnings (a successful build has no errors), printed again by a build
    /// that takes the shortcut: a build is a function of its inputs, its messages too.
    pub warnings: Vec<Diagnostic>,
}

/// A recorded warning: a [`Diagnostic`] with its code as text.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    code: String,
    message: String,
    path: Option<String>,
    location: Option<(usize, usize, usize, String)>,
    label: Option<String>,
    help: Option<String>,
}

impl Stored {
    fn of(d: &Diagnostic) -> Stored {
        Stored {
            code: d.code.to_string(),
            message: d.message.clone(),
            path: d.path.clone(),
            location: d
                .location
                .as_ref()
                .map(|l| (l.line, l.column, l.len, l.line_text.clone())),
            label: d.label.clone(),
            help: d.help.clone(),
        }
    }

    /// The warning again. Codes are `&'static str` (a fixed set, written where each problem
    /// is found); one read back is kept for the rest of the run, a few bytes per warning.
    fn into_diagnostic(self) -> Diagnostic {
        let code: &'static str = Box::leak(self.code.into_boxed_str());
        Diagnostic {
            location: self
                .location
                .map(|(line, column, len, line_text)| Location {
                    line,
                    column,
                    len,
                    line_text,
                }),
            path: self.path,
            label: self.label,
            help: self.help,
            ..Diagnostic::warning(code, self.message)
        }
    }
}

fn record_path(root: &Path) -> PathBuf {
    root.join(DIR).join("build")
}

impl Record {
    fn text(&self) -> String {
        let mut text = format!(
            "{HEAD}\ninputs {:032x}\noutput {:032x}\nentries {}\npages {}\nstatic {}\nwarnings {}\n",
            self.inputs.0,
            self.output,
            self.entries,
            self.pages,
            self.static_files,
            self.warnings.len()
        );
        for d in &self.warnings {
            // One line each: JSON escapes line breaks.
            text.push_str(&serde_json::to_string(&Stored::of(d)).unwrap_or_default());
            text.push('\n');
        }
        text
    }

    /// Parses a record; anything but exactly the shape [`Record::text`] writes is `None`.
    fn parse(text: &str) -> Option<Record> {
        let mut lines = text.strip_suffix('\n')?.split('\n');
        if lines.next()? != HEAD {
            return None;
        }
        let mut value = |key: &str| lines.next()?.strip_prefix(key)?.strip_prefix(' ');
        let hex = |s: &str| (s.len() == 32).then(|| Hash::from_str_radix(s, 16).ok())?;
        let inputs = Inputs(hex(value("inputs")?)?);
        let output = hex(value("output")?)?;
        let entries = value("entries")?.parse().ok()?;
        let pages = value("pages")?.parse().ok()?;
        let static_files = value("static")?.parse().ok()?;
        let count: usize = value("warnings")?.parse().ok()?;
        let warnings = (0..count)
            .map(|_| serde_json::from_str::<Stored>(lines.next()?).ok())
            .collect::<Option<Vec<Stored>>>()?;
        if lines.next().is_some() {
            return None;
        }
        Some(Record {
            inputs,
            output,
            entries,
            pages,
            static_files,
            warnings: warnings.into_iter().map(Stored::into_diagnostic).collect(),
        })
    }

    /// The record of the site at `root`, if there is a well-formed one.
    pub fn load(root: &Path) -> Option<Record> {
        Record::parse(&fs::read_to_string(record_path(root)).ok()?)
    }

    /// Saves the record (see [`save`]).
    pub fn save(&self, root: &Path) {
        save(root, "build", &self.text());
    }

    /// Removes the record: the next build will not take the shortcut.
    pub fn forget(root: &Path) {
        let _ = fs::remove_file(record_path(root));
    }
}

/// When the inputs are those of the recorded build and `out` still holds exactly what it
/// left, the number of files there; `None` means the build must run.
pub fn up_to_date(root: &Path, out: &Path, inputs: Option<Inputs>) -> Option<(Record, usize)> {
    let inputs = inputs?;
    let record = Record::load(root)?;
    if record.inputs != inputs {
        return None;
    }
    let files = output::intact(out, record.output)?;
    Some((record, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            inputs: Inputs(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            output: 42,
            entries: 3,
            pages: 9,
            static_files: 1,
            warnings: vec![
                Diagnostic::warning("placeholder", "a \"TODO\" is left\nhere")
                    .in_file("content/entries/a.md")
                    .help("write it"),
                Diagnostic::warning("no-sources", "no sources"),
            ],
        }
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let r = record();
        assert_eq!(Record::parse(&r.text()), Some(r));
    }

    #[test]
    fn a_table_of_known_files_reads_back_as_written_and_a_damaged_one_is_ignored() {
        let mut k = Known::default();
        k.0.insert("content/a \"b\".md".into(), (vec![1, 2, 255], 7));
        k.0.insert("site.yaml".into(), (vec![], u128::MAX));
        let text = k.text();
        assert_eq!(Known::parse(&text), Some(k));
        for bad in [
            &text[..text.len() - 2],
            "x\n",
            &text.replace(" 0000", " 000"),
        ] {
            assert_eq!(Known::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_page_table_reads_back_as_written_and_a_damaged_one_is_ignored() {
        let pages: Pages = [
            ("entries/a/index.html".to_string(), 1u128, u128::MAX),
            ("index.html".to_string(), 7, 0),
        ]
        .into_iter()
        .collect();
        let text = pages.text();
        assert_eq!(Pages::parse(&text), Some(pages));
        assert_eq!(
            Pages::parse(&text.replace(PAGES_HEAD, "annals page keys 0")),
            None
        );
        assert_eq!(Pages::parse(&text[..text.len() - 3]), None);
        assert_eq!(Pages::parse(&text.replacen(" index.html", " ", 1)), None);
        assert_eq!(Pages::parse(""), None);
    }

    #[test]
    fn a_damaged_or_foreign_record_is_ignored() {
        let text = record().text();
        let cut = &text[..text.len() - 3];
        let older = text.replace(HEAD, "annals build cache 0");
        let extra = format!("{text}more\n");
        let short_hash = text.replace("inputs 0123", "inputs 123");
        for bad in [cut, &older, &extra, &short_hash, "", "\n", "garbage"] {
            assert_eq!(Record::parse(bad), None, "{bad:?}");
        }
    }

    /// A root with two content files, a file the loader skips (`#notes.md`), and a
    /// template; options to build it.
    fn inputs_site() -> (tempfile::TempDir, BuildOptions) {
        let tmp = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("site.yaml", "title: x\n"),
            ("content/entries/a.md", "a"),
            ("content/entries/b.md", "b"),
            ("content/entries/#notes.md", "n"),
            ("templates/base.html", "t"),
        ] {
            let p = tmp.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(&p, text).unwrap();
        }
        let opts = BuildOptions {
            root: tmp.path().to_path_buf(),
            output: None,
            base_url: None,
            drafts: false,
            strict: false,
            progress: false,
            clean: false,
        };
        (tmp, opts)
    }

    fn text_hashes(root: &Path, files: &[&str]) -> HashMap<String, Hash> {
        files
            .iter()
            .map(|f| {
                let bytes = fs::read(root.join(f)).unwrap();
                (f.to_string(), xxhash_rust::xxh3::xxh3_128(&bytes))
            })
            .collect()
    }

    #[test]
    fn a_deferred_fingerprint_is_the_one_that_reads_every_file_first() {
        let (tmp, opts) = inputs_site();
        let out = opts.output_dir();
        let full = Pending::read(&opts, &out, &Known::default(), false).unwrap();
        assert_eq!(full.hashes().0.len(), 5);
        let want = full.finish(&HashMap::new()).0.unwrap();
        // Only what the content walk hands to the loader waits for it.
        let read = || Pending::read(&opts, &out, &Known::default(), true).unwrap();
        let mut known: Vec<String> = read().hashes().0.into_keys().collect();
        known.sort();
        assert_eq!(
            known,
            [
                "content/entries/#notes.md",
                "site.yaml",
                "templates/base.html"
            ]
        );
        let loaded = text_hashes(
            tmp.path(),
            &["content/entries/a.md", "content/entries/b.md"],
        );
        assert_eq!(read().finish(&loaded).0, Some(want));
        // A deferred file the loader did not report came or went during the build: no
        // fingerprint.
        let mut partial = loaded.clone();
        partial.remove("content/entries/b.md");
        assert_eq!(read().finish(&partial).0, None);
        // Files the table knows are not deferred: nothing is left to the loader (the files
        // were just written, so a table needs the clock to have moved past RACY).
        let later = SystemTime::now() + RACY + Duration::from_secs(1);
        let settled = Pending::read_at(&opts, &out, &Known::default(), false, later).unwrap();
        let (_, table) = settled.finish(&HashMap::new());
        assert_eq!(table.0.len(), 5);
        let known = Pending::read(&opts, &out, &table, true).unwrap();
        assert_eq!(known.hashes().0.len(), 5);
    }

    /// A link can be pointed elsewhere and back with no identity changing: nothing reached
    /// through one is left to the loader.
    #[cfg(unix)]
    #[test]
    fn nothing_reached_through_a_symbolic_link_is_deferred() {
        let (tmp, opts) = inputs_site();
        let out = opts.output_dir();
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir_all(elsewhere.join("dir")).unwrap();
        fs::write(elsewhere.join("c.md"), "c").unwrap();
        fs::write(elsewhere.join("dir/d.md"), "d").unwrap();
        let entries = tmp.path().join("content/entries");
        std::os::unix::fs::symlink(elsewhere.join("c.md"), entries.join("c.md")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("dir"), entries.join("linked")).unwrap();
        let pending = Pending::read(&opts, &out, &Known::default(), true).unwrap();
        let hashes = pending.hashes();
        for known in ["content/entries/c.md", "content/entries/linked/d.md"] {
            assert!(hashes.get(known).is_some(), "{known}");
        }
        assert!(hashes.get("content/entries/a.md").is_none());
    }

    #[test]
    fn a_file_changed_after_the_loader_read_it_changes_the_next_fingerprint() {
        let (tmp, opts) = inputs_site();
        let out = opts.output_dir();
        let later = SystemTime::now() + RACY + Duration::from_secs(1);
        let deferred = Pending::read_at(&opts, &out, &Known::default(), true, later).unwrap();
        let loaded = text_hashes(
            tmp.path(),
            &["content/entries/a.md", "content/entries/b.md"],
        );
        assert!(deferred.hashes().get("content/entries/a.md").is_none());
        // Edited after it was loaded (the build made its output from the old bytes).
        fs::write(tmp.path().join("content/entries/a.md"), "a, edited").unwrap();
        let (recorded, table) = deferred.finish(&loaded);
        assert!(table.0.contains_key("content/entries/a.md"));
        let next = || {
            let pending = Pending::read(&opts, &out, &table, false).unwrap();
            pending.finish(&HashMap::new()).0.unwrap()
        };
        assert_ne!(Some(next()), recorded, "the edit is seen");
        // Without the edit, the next fingerprint is the recorded one.
        fs::write(tmp.path().join("content/entries/a.md"), "a").unwrap();
        assert_eq!(Some(next()), recorded);
    }
}
