//! The parsed-document cache, `<root>/.annals-cache/documents`: what each content file
//! loaded to the last time, so that a rebuild parses only the files that changed.
//!
//! A file is taken from the cache only when everything its loaded result depends on is
//! what was recorded: the xxh3-128 of its bytes, its content path and kind (per record),
//! and, for the whole cache, the annals binary (version and executable identity, as
//! [`crate::cache::Inputs`] has it) and the parts of `Config` the loader reads ([`key`]).
//! Only files that loaded without a single diagnostic are recorded, so every message a
//! file gives is given again by the next build (it is parsed again). The cache is never
//! trusted beyond its own checks: a file that is missing, damaged, truncated, of another
//! format or for another key is ignored whole, never an error and never a panic, and a
//! cache that cannot be written is skipped without a word (the next build parses again).
//!
//! A body's HTML holds link placeholders in a scheme that is random per process (so that no
//! text an editor writes can pose as one, see [`crate::markdown::placeholder_scheme`]):
//! the file records the scheme of the process that wrote it, and a document read back has
//! it replaced by this process's. Every such string in a recorded body is a placeholder,
//! since the body was rendered in a process whose scheme nobody could know.
//!
//! The file: [`MAGIC`] (with the format's version), the key (16 bytes), the `u32` length and
//! the placeholder scheme, then one record per file — `u32` length and the path, the kind (one byte), the hash of the bytes (16 bytes),
//! `u32` length and the loaded [`Item`] in postcard — and last the xxh3-128 of everything
//! before it, so that a damaged or truncated file is noticed before any record is used.
//! The file is read a chunk at a time, never whole (460 MB at 100,000 entries, which a
//! rebuild held beside the documents it decoded): each chunk's records are decoded in
//! parallel while the next chunk is read, and a load takes its document from them; the
//! records are returned only once the digest of the whole file is checked. They are
//! encoded in parallel, a chunk at a time, and streamed to a file beside the cache that one
//! rename puts in place. A rebuild that changed a few files writes only those, to
//! `documents.new` (same format, its key also naming the digest of the `documents` it
//! adds to, so that it is never read with another); see [`Store::save`].

use super::{Item, Kind, SourceFile};
use crate::config::Config;
use crate::diagnostic::Location;
use crate::markdown::placeholder_scheme;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use xxhash_rust::xxh3::Xxh3;

/// The cache's file names in [`crate::cache::DIR`]: every recorded file, and the files
/// recorded since (see [`Store::save`]).
pub const NAME: &str = "documents";
pub const DELTA: &str = "documents.new";
/// The file's first bytes: a file of another format (or an older one) is ignored.
const MAGIC: &[u8] = b"annals documents 2\n";
/// Records encoded at a time when the cache is written (bounds the memory it needs).
const CHUNK: usize = 1024;

/// The documents of the last load, and where to write those of this one.
pub struct Store {
    dir: PathBuf,
    key: u128,
    write: bool,
    /// `documents`: every file recorded when it was last written whole.
    base: Part,
    /// `documents.new`: the files recorded since, valid only with that `base`.
    delta: Part,
}

/// One cache file as read (empty when there is none usable): its records, decoded.
#[derive(Default)]
struct Part {
    records: HashMap<String, Record>,
    /// Its digest (its last 16 bytes).
    digest: u128,
}

/// One file's record: its kind, the hash of the bytes it was loaded from, and what it
/// loaded to (taken by the load that asks for it; `None` if it did not decode).
struct Record {
    kind: u8,
    hash: u128,
    item: Mutex<Option<Item>>,
}

/// Which file of the cache a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Base,
    Delta,
}

fn kind_byte(kind: Kind) -> u8 {
    match kind {
        Kind::Entry => 0,
        Kind::Page => 1,
    }
}

/// The key of a delta file: the cache's key and the digest of the base it adds to.
fn delta_key(key: u128, base: u128) -> u128 {
    let mut h = Xxh3::new();
    h.update(&key.to_le_bytes());
    h.update(&base.to_le_bytes());
    h.digest128()
}

impl Part {
    fn read(path: &Path, key: u128) -> Part {
        read_part(path, key).unwrap_or_default()
    }

    fn get(&self, file: &SourceFile, hash: u128) -> Option<Item> {
        let r = self.records.get(&file.content_path)?;
        if r.kind != kind_byte(file.kind) || r.hash != hash {
            return None;
        }
        let item = r.item.lock().unwrap_or_else(|e| e.into_inner()).take()?;
        // The record is checked whole, but a path is the key: never trust one that differs.
        (item.doc().content_path == file.content_path).then_some(item)
    }
}

/// Bytes of a cache file read at a time: records are decoded (in parallel) while the next
/// chunk is read, so the file is never held whole (460 MB at 100,000 entries). In debug
/// builds only, `ANNALS_TEST_READ_CHUNK` sets it, so that tests can cut records anywhere.
fn read_chunk() -> usize {
    const READ_CHUNK: usize = 8 << 20;
    if cfg!(debug_assertions)
        && let Some(n) = std::env::var("ANNALS_TEST_READ_CHUNK")
            .ok()
            .and_then(|v| v.parse().ok())
    {
        return n;
    }
    READ_CHUNK
}

/// Reads the cache file at `path`, written for `key`: every record decoded, or `None` for
/// anything else (no file, another format or key, a damaged or truncated file: the digest
/// of everything before the last 16 bytes is checked before the records are returned).
fn read_part(path: &Path, key: u128) -> Option<Part> {
    let file = std::fs::File::open(path).ok()?;
    let len = usize::try_from(file.metadata().ok()?.len()).ok()?;
    let mut body = Body {
        left: len.checked_sub(16)?,
        file,
        hash: Xxh3::new(),
    };
    let chunk = read_chunk().max(1);
    let fixed = MAGIC.len() + 16 + 4;
    let mut buf = Vec::with_capacity(chunk.max(fixed).min(len));
    body.fill(&mut buf, chunk.max(fixed))?;
    let header = buf.strip_prefix(MAGIC)?;
    let (recorded, header) = header.split_first_chunk::<16>()?;
    if u128::from_le_bytes(*recorded) != key {
        return None;
    }
    // Schemes all have one short length: anything longer is not one.
    let scheme_len = u32_at(header, 0).filter(|&n| n <= 256)?;
    let short = (fixed + scheme_len).saturating_sub(buf.len());
    body.fill(&mut buf, short)?;
    let scheme = std::str::from_utf8(buf.get(fixed..fixed + scheme_len)?).ok()?;
    if !scheme.starts_with("annals-link-") {
        return None;
    }
    let scheme = scheme.to_string();
    let mut at = fixed + scheme_len;
    let mut records = HashMap::new();
    loop {
        // The records wholly in `buf`; the rest moves to the next buffer, which is filled
        // while these decode.
        let mut found = Vec::new();
        while let Some(r) = record_at(&buf, at, buf.len() + body.left).ok()? {
            at = r.end;
            found.push(r);
        }
        let done = body.left == 0;
        if done && at != buf.len() {
            return None;
        }
        let tail = &buf[at..];
        let want = chunk.max(tail.len() + 1);
        let mut next = Vec::with_capacity(tail.len() + want);
        next.extend_from_slice(tail);
        // The read first: it starts at once on this thread, and the decoding is taken up
        // by the other threads (and this one, once it has read).
        let (filled, decoded) = rayon::join(
            || {
                if done {
                    Some(())
                } else {
                    body.fill(&mut next, want)
                }
            },
            || {
                found
                    .par_iter()
                    .map(|r| decode(buf.get(r.start..r.end)?, &scheme))
                    .collect::<Vec<Option<Item>>>()
            },
        );
        filled?;
        for (r, item) in found.into_iter().zip(decoded) {
            let record = Record {
                kind: r.kind,
                hash: r.hash,
                item: Mutex::new(item),
            };
            records.insert(r.path, record);
        }
        if done {
            break;
        }
        (buf, at) = (next, 0);
    }
    let mut digest = [0u8; 16];
    body.file.read_exact(&mut digest).ok()?;
    let digest = u128::from_le_bytes(digest);
    (body.hash.digest128() == digest).then_some(Part { records, digest })
}

/// A cache file's body (all but its digest) as it is read.
struct Body {
    file: std::fs::File,
    /// Bytes not read yet.
    left: usize,
    /// Of the bytes read so far.
    hash: Xxh3,
}

impl Body {
    /// Appends up to `want` more bytes to `buf`.
    fn fill(&mut self, buf: &mut Vec<u8>, want: usize) -> Option<()> {
        let n = want.min(self.left);
        let start = buf.len();
        let read = (&mut self.file).take(n as u64).read_to_end(buf).ok()?;
        if read != n {
            return None;
        }
        self.hash.update(&buf[start..]);
        self.left -= n;
        Some(())
    }
}

/// A record found in a buffer: its path, kind and hash, and where its item is.
struct Found {
    path: String,
    kind: u8,
    hash: u128,
    start: usize,
    end: usize,
}

/// The `u32` (little-endian) at `at` in `bytes`, as a length.
fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
}

/// The record that starts at `at` in `buf`: `Ok(None)` when it runs past the end of `buf`
/// (or `at` is `limit`), an error when it cannot be a record — a length that runs past
/// `limit` (the bytes from `buf`'s start to the digest), or a path that is not UTF-8 — so
/// that a damaged file is refused at once, not read on to its end in search of the rest.
fn record_at(buf: &[u8], at: usize, limit: usize) -> Result<Option<Found>, Damaged> {
    if at == limit {
        return Ok(None);
    }
    let within = |end: Option<usize>| end.filter(|&e| e <= limit).ok_or(Damaged);
    let path_start = within(at.checked_add(4))?;
    let Some(path_len) = u32_at(buf, at) else {
        return Ok(None);
    };
    let path_end = within(path_start.checked_add(path_len))?;
    let start = within(path_end.checked_add(21))?;
    let Some(head) = buf.get(path_end..start) else {
        return Ok(None);
    };
    let item_len = u32_at(head, 17).ok_or(Damaged)?;
    let end = within(start.checked_add(item_len))?;
    if end > buf.len() {
        return Ok(None);
    }
    let path = std::str::from_utf8(&buf[path_start..path_end]).map_err(|_| Damaged)?;
    let hash = u128::from_le_bytes(head[1..17].try_into().map_err(|_| Damaged)?);
    Ok(Some(Found {
        path: path.to_string(),
        kind: head[0],
        hash,
        start,
        end,
    }))
}

/// A cache file that cannot be what it claims.
struct Damaged;

/// One record's item, its link placeholders given this process's scheme (they were
/// written in `scheme`).
fn decode(bytes: &[u8], scheme: &str) -> Option<Item> {
    let mut item: Item = postcard::from_bytes(bytes).ok()?;
    // Schemes all have one length: replaced in place.
    let doc = item.doc_mut();
    let new = placeholder_scheme();
    if scheme.len() == new.len() {
        let at: Vec<usize> =
            memchr::memmem::find_iter(doc.html.as_bytes(), scheme.as_bytes()).collect();
        for i in at {
            doc.html.replace_range(i..i + new.len(), new);
        }
    } else if doc.html.contains(scheme) {
        doc.html = doc.html.replace(scheme, new);
    }
    Some(item)
}

impl Store {
    /// The cache of the site at `root` for this binary and `config`; `None` when the
    /// binary cannot be identified (then nothing is read or written). `write` says whether
    /// [`Store::save`] writes.
    pub fn open(root: &Path, config: &Config, write: bool) -> Option<Store> {
        let key = key(config)?;
        let dir = root.join(crate::cache::DIR);
        let (base, delta) = crate::progress::timed("document cache: read", || {
            let base = Part::read(&dir.join(NAME), key);
            let delta = if base.records.is_empty() {
                Part::default()
            } else {
                Part::read(&dir.join(DELTA), delta_key(key, base.digest))
            };
            (base, delta)
        });
        Some(Store {
            dir,
            key,
            write,
            base,
            delta,
        })
    }

    /// What `file`, whose bytes hash to `hash`, loaded to, if that is recorded.
    pub(super) fn get(&self, file: &SourceFile, hash: u128) -> Option<(Item, Origin)> {
        if let Some(item) = self.delta.get(file, hash) {
            return Some((item, Origin::Delta));
        }
        // A path recorded again since holds a newer load: never the base's.
        if self.delta.records.contains_key(&file.content_path) {
            return None;
        }
        self.base.get(file, hash).map(|item| (item, Origin::Base))
    }

    /// Records this load. `items` are the files to record, with the hashes of their bytes
    /// and where in the cache each came from (`None`: loaded now). Most rebuilds change a
    /// few files: those are written to the small `documents.new` (valid only with the
    /// `documents` it adds to); the whole cache is written again when there is none, or
    /// when a quarter of `documents` is out of date (changed or deleted files) or
    /// `documents.new` grew past a quarter of its records. Nothing is written when nothing
    /// changed. Each file is written beside its place and renamed into it; any failure
    /// leaves the previous cache (or none) and is not reported.
    pub(super) fn save(&mut self, items: &[(&SourceFile, u128, &Item, Option<Origin>)]) {
        let from = |o| items.iter().filter(|r| r.3 == Some(o)).count();
        let (base_live, delta_live) = (from(Origin::Base), from(Origin::Delta));
        let fresh = items.iter().filter(|r| r.3.is_none()).count();
        let base_total = self.base.records.len();
        let delta_total = self.delta.records.len();
        let whole = base_total == 0
            || (base_total - base_live) * 4 > base_total
            || (delta_live + fresh) * 4 > base_total;
        let base_digest = self.base.digest;
        // Only what it needs from now on.
        self.base = Part::default();
        self.delta = Part::default();
        if !self.write {
            return;
        }
        crate::progress::timed("document cache: write", || {
            if whole {
                if self.write_file(NAME, self.key, items.iter()).is_ok() {
                    let _ = std::fs::remove_file(self.dir.join(DELTA));
                }
            } else if fresh > 0 || delta_live != delta_total {
                let since = items.iter().filter(|r| r.3 != Some(Origin::Base));
                let _ = self.write_file(DELTA, delta_key(self.key, base_digest), since);
            }
        });
    }

    /// Writes cache file `name` for `key` with `items`, returning its digest.
    fn write_file<'a>(
        &self,
        name: &str,
        key: u128,
        items: impl Iterator<Item = &'a (&'a SourceFile, u128, &'a Item, Option<Origin>)>,
    ) -> std::io::Result<u128> {
        let items: Vec<_> = items.collect();
        std::fs::create_dir_all(&self.dir)?;
        let tmp = self.dir.join(format!("{name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
            let mut h = Xxh3::new();
            let mut put = |out: &mut std::io::BufWriter<std::fs::File>, b: &[u8]| {
                h.update(b);
                out.write_all(b)
            };
            put(&mut out, MAGIC)?;
            put(&mut out, &key.to_le_bytes())?;
            let scheme = placeholder_scheme().as_bytes();
            put(&mut out, &(scheme.len() as u32).to_le_bytes())?;
            put(&mut out, scheme)?;
            // Each chunk is written while the next is encoded (in parallel): writing and
            // hashing are one thread's work, which left the other idle.
            let encode = |chunk: &[&(&SourceFile, u128, &Item, Option<Origin>)]| {
                chunk
                    .par_iter()
                    .map(|r| record(r.0, r.1, r.2))
                    .collect::<Vec<Option<Vec<u8>>>>()
            };
            let mut chunks = items.chunks(CHUNK);
            let mut records = chunks.next().map(encode).unwrap_or_default();
            loop {
                let next = chunks.next();
                let (written, encoded) = rayon::join(
                    || -> std::io::Result<()> {
                        for r in records.iter().flatten() {
                            put(&mut out, r)?;
                        }
                        Ok(())
                    },
                    || next.map(encode),
                );
                written?;
                match encoded {
                    Some(e) => records = e,
                    None => break,
                }
            }
            let digest = h.digest128();
            out.write_all(&digest.to_le_bytes())?;
            // Not synced to disk: a file cut short by a crash fails its digest and is
            // ignored, which costs one full load and nothing else.
            out.flush()?;
            Ok(digest)
        })();
        let done = written.and_then(|d| std::fs::rename(&tmp, self.dir.join(name)).map(|()| d));
        if done.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        done
    }
}

/// One file's record (see the module's documentation); `None` if it cannot be encoded.
fn record(file: &SourceFile, hash: u128, item: &Item) -> Option<Vec<u8>> {
    let encoded = postcard::to_stdvec(item).ok()?;
    let path = file.content_path.as_bytes();
    let mut r = Vec::with_capacity(4 + path.len() + 1 + 16 + 4 + encoded.len());
    r.extend_from_slice(&u32::try_from(path.len()).ok()?.to_le_bytes());
    r.extend_from_slice(path);
    r.push(kind_byte(file.kind));
    r.extend_from_slice(&hash.to_le_bytes());
    r.extend_from_slice(&u32::try_from(encoded.len()).ok()?.to_le_bytes());
    r.extend_from_slice(&encoded);
    Some(r)
}

/// What the whole cache is valid for: its format, the annals binary, and every part of the
/// configuration that loading a file reads — raw HTML allowed or not (Markdown), the
/// default jurisdiction, the ids with their names of statuses, instruments, themes and
/// threads (validation and its messages), and the language codes (which files are
/// translations). A change to any of them makes every file load again.
fn key(config: &Config) -> Option<u128> {
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(MAGIC);
    field(crate::cache::binary_identity()?.as_bytes());
    field(&[u8::from(config.raw_html)]);
    field(config.jurisdiction.as_bytes());
    for (name, list) in [
        ("statuses", &config.statuses),
        ("instruments", &config.instruments),
    ] {
        field(name.as_bytes());
        field(&(list.len() as u64).to_le_bytes());
        for l in list {
            field(l.id.as_bytes());
            field(l.label.as_bytes());
        }
    }
    for (name, list) in [("themes", &config.themes), ("threads", &config.threads)] {
        field(name.as_bytes());
        field(&(list.len() as u64).to_le_bytes());
        for t in list {
            field(t.id.as_bytes());
            field(t.name.as_bytes());
        }
    }
    field(b"languages");
    for l in &config.languages {
        field(l.code.as_bytes());
    }
    Some(h.digest128())
}

/// [`Location`] (in `diagnostic.rs`) as the cache stores it.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Location")]
pub(super) struct LocationDef {
    line: usize,
    column: usize,
    len: usize,
    line_text: String,
}

/// An entry's `extra` (a JSON value) stored as its JSON text: the binary format cannot
/// carry a self-describing value, and the text reads back to the same value.
pub mod json_text {
    use serde::de::Error as _;
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &serde_json::Value, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(v).map_err(S::Error::custom)?)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<serde_json::Value, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}
