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
//! before it, so that a damaged or truncated file is noticed before any record is decoded.
//! Records are decoded in parallel, each when its file is loaded; they are encoded in
//! parallel, a chunk at a time, and streamed to a file beside the cache that one rename
//! puts in place.

use super::{Item, Kind, SourceFile};
use crate::config::Config;
use crate::diagnostic::Location;
use crate::markdown::placeholder_scheme;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

/// The cache's file name in [`crate::cache::DIR`].
pub const NAME: &str = "documents";
/// The file's first bytes: a file of another format (or an older one) is ignored.
const MAGIC: &[u8] = b"annals documents 1\n";
/// Records encoded at a time when the cache is written (bounds the memory it needs).
const CHUNK: usize = 1024;

/// The documents of the last load, and where to write those of this one.
pub struct Store {
    dir: PathBuf,
    key: u128,
    write: bool,
    /// The cache file as read (empty when there is none usable).
    bytes: Vec<u8>,
    /// The link placeholder scheme of the process that wrote it.
    scheme: String,
    index: Index,
}

/// Content path → (kind, hash of the file's bytes, where its item is in the file).
type Index = HashMap<String, (u8, u128, usize, usize)>;

fn kind_byte(kind: Kind) -> u8 {
    match kind {
        Kind::Entry => 0,
        Kind::Page => 1,
    }
}

impl Store {
    /// The cache of the site at `root` for this binary and `config`; `None` when the
    /// binary cannot be identified (then nothing is read or written). `write` says whether
    /// [`Store::save`] writes.
    pub fn open(root: &Path, config: &Config, write: bool) -> Option<Store> {
        let key = key(config)?;
        let dir = root.join(crate::cache::DIR);
        let mut store = Store {
            dir,
            key,
            write,
            bytes: Vec::new(),
            scheme: String::new(),
            index: HashMap::new(),
        };
        crate::progress::timed("document cache: read", || {
            if let Ok(bytes) = std::fs::read(store.dir.join(NAME))
                && let Some((scheme, index)) = parse(&bytes, key)
            {
                store.bytes = bytes;
                store.scheme = scheme;
                store.index = index;
            }
        });
        Some(store)
    }

    /// How many files the cache holds.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the cache holds no file.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// What `file`, whose bytes hash to `hash`, loaded to, if that is recorded.
    pub(super) fn get(&self, file: &SourceFile, hash: u128) -> Option<Item> {
        let &(kind, recorded, start, end) = self.index.get(&file.content_path)?;
        if kind != kind_byte(file.kind) || recorded != hash {
            return None;
        }
        let mut item: Item = postcard::from_bytes(self.bytes.get(start..end)?).ok()?;
        // The record is checked whole, but a path is the key: never trust one that differs.
        if item.doc().content_path != file.content_path {
            return None;
        }
        let doc = item.doc_mut();
        if doc.html.contains(&self.scheme) {
            doc.html = doc.html.replace(&self.scheme, placeholder_scheme());
        }
        Some(item)
    }

    /// Lets go of the cache as read (it is not needed once every file is loaded).
    pub fn release(&mut self) {
        self.bytes = Vec::new();
        self.index = HashMap::new();
    }

    /// Writes the cache: `items` are the files to record, with the hashes of their bytes.
    /// Any failure leaves the previous cache (or none) and is not reported.
    pub(super) fn save(&self, items: &[(&SourceFile, u128, &Item)]) {
        if !self.write {
            return;
        }
        crate::progress::timed("document cache: write", || {
            let _ = self.try_save(items);
        });
    }

    fn try_save(&self, items: &[(&SourceFile, u128, &Item)]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let tmp = self.dir.join(format!("{NAME}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
            let mut h = Xxh3::new();
            let mut put = |out: &mut std::io::BufWriter<std::fs::File>, b: &[u8]| {
                h.update(b);
                out.write_all(b)
            };
            put(&mut out, MAGIC)?;
            put(&mut out, &self.key.to_le_bytes())?;
            let scheme = placeholder_scheme().as_bytes();
            put(&mut out, &(scheme.len() as u32).to_le_bytes())?;
            put(&mut out, scheme)?;
            for chunk in items.chunks(CHUNK) {
                let records: Vec<Option<Vec<u8>>> =
                    chunk.par_iter().map(|r| record(r.0, r.1, r.2)).collect();
                for r in records.iter().flatten() {
                    put(&mut out, r)?;
                }
            }
            out.write_all(&h.digest128().to_le_bytes())?;
            // Not synced to disk: a file cut short by a crash fails its digest and is
            // ignored, which costs one full load and nothing else.
            out.flush()
        })();
        let done = written.and_then(|()| std::fs::rename(&tmp, self.dir.join(NAME)));
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

/// The records of a cache file written for `key`, or `None` for anything else.
fn parse(bytes: &[u8], key: u128) -> Option<(String, Index)> {
    let body_len = bytes.len().checked_sub(16)?;
    let (body, digest) = bytes.split_at(body_len);
    if xxhash_rust::xxh3::xxh3_128(body).to_le_bytes() != digest {
        return None;
    }
    let rest = body.strip_prefix(MAGIC)?;
    let (recorded, _) = rest.split_first_chunk::<16>()?;
    if u128::from_le_bytes(*recorded) != key {
        return None;
    }
    let mut at = MAGIC.len() + 16;
    let mut index = HashMap::new();
    let u32_at = |at: usize| -> Option<usize> {
        let b = body.get(at..at + 4)?;
        Some(u32::from_le_bytes(b.try_into().ok()?) as usize)
    };
    let scheme_len = u32_at(at)?;
    let scheme = std::str::from_utf8(body.get(at + 4..at + 4 + scheme_len)?).ok()?;
    if !scheme.starts_with("annals-link-") {
        return None;
    }
    at += 4 + scheme_len;
    while at < body.len() {
        let path_len = u32_at(at)?;
        let path = std::str::from_utf8(body.get(at + 4..at + 4 + path_len)?).ok()?;
        at += 4 + path_len;
        let kind = *body.get(at)?;
        let hash = u128::from_le_bytes(body.get(at + 1..at + 17)?.try_into().ok()?);
        at += 17;
        let item_len = u32_at(at)?;
        let start = at + 4;
        let end = start.checked_add(item_len)?;
        body.get(start..end)?;
        index.insert(path.to_string(), (kind, hash, start, end));
        at = end;
    }
    Some((scheme.to_string(), index))
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
