//! Loading content: walk `content/`, read each file, split off its front matter, check every
//! field and render its Markdown — in parallel, one file per task. The result is a list of
//! validated [`Entry`]s and [`Page`]s, plus diagnostics for everything that was wrong.

pub mod contract;
pub mod entry;
pub mod fields;
pub mod front_matter;
pub mod page;
pub mod store;
pub mod translation;
pub mod walk;

pub use entry::{Entry, Source};
pub use page::Page;
pub use walk::{Kind, SourceFile};

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Diagnostics, LineIndex, Location};
use crate::markdown;
use crate::slug;
use crate::yaml::{self, Document as YamlDoc};
use fields::{Fields, FileCtx};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A link in a body to another source file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourceLink {
    /// The path as written, percent-decoded.
    pub path: String,
    pub fragment: Option<String>,
    /// Byte range of the link in the file (see [`Document::locate`]).
    pub offset: usize,
    pub len: usize,
}

impl SourceLink {
    /// The `.md` links of a rendered body whose text starts at byte `body_offset` of its
    /// file, placed in the file.
    pub fn of_body(body: &markdown::Rendered, body_offset: usize) -> Vec<SourceLink> {
        body.links
            .iter()
            .map(|l| SourceLink {
                path: l.path.clone(),
                fragment: l.fragment.clone(),
                offset: body_offset + l.offset,
                len: l.len,
            })
            .collect()
    }
}

/// A document's text as loaded, for the diagnostics of later stages.
#[derive(Debug, Clone, Default)]
pub enum Text {
    /// Let go of: positions are not found any more.
    #[default]
    Released,
    /// The text as loaded (without a BOM), so that a later stage places its errors in the
    /// text that was checked, not in whatever the file holds by then (`annals serve`).
    Kept(Arc<str>),
    /// Not held in memory (`build` and `check`: at 100,000 entries the texts are 400 MB):
    /// the file is read again when a later stage needs a position, and used only if its
    /// bytes still hash to those loaded; a file changed since gives no position.
    OnDisk { abs: PathBuf, hash: u128 },
}

impl Text {
    /// The text as loaded, if it is still to be had.
    pub fn get(&self) -> Option<Arc<str>> {
        match self {
            Text::Released => None,
            Text::Kept(t) => Some(Arc::clone(t)),
            Text::OnDisk { abs, hash } => {
                let bytes = std::fs::read(abs).ok()?;
                if text_hash(&bytes) != *hash {
                    return None;
                }
                let text = String::from_utf8(bytes).ok()?;
                Some(Arc::from(text.strip_prefix('\u{feff}').unwrap_or(&text)))
            }
        }
    }
}

/// The xxh3-128 of a file's bytes, as they are on disk (a BOM included, though what a file
/// loads is its text without it): the key of the document cache and the check of a file
/// read again, and the hash the input fingerprint takes of it (`cache::Inputs`).
pub fn text_hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// What entries and pages share: where they come from, their identity and their body.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Document {
    /// `content/entries/a.md`, for messages.
    pub file: String,
    /// The loaded text, or how to find it again (not in the document cache: it is the
    /// file's own bytes).
    #[serde(skip)]
    pub source: Text,
    /// Where the YAML front matter sits in `source` (byte offset and length).
    pub yaml: (usize, usize),
    /// `entries/a.md`, for link resolution.
    pub content_path: String,
    pub slug: String,
    /// Where the slug comes from (the `slug:` value, or the front matter's first line).
    #[serde(with = "store::LocationDef")]
    pub slug_location: Location,
    pub title: String,
    /// From `draft:`, set when the front matter is validated.
    pub draft: bool,
    /// Rendered body, with link placeholders (see [`markdown::substitute_links`]).
    pub html: String,
    pub links: Vec<SourceLink>,
    pub heading_ids: Vec<String>,
}

impl Document {
    /// Turns a byte range of the loaded text into a line and column. Later stages report
    /// few errors, so positions are found when needed instead of being kept for every
    /// link of every entry.
    pub fn locate(&self, offset: usize, len: usize) -> Option<Location> {
        let text = self.source.get()?;
        (offset <= text.len()).then(|| Location::of_offset(&text, offset, len))
    }

    /// Lets go of the loaded text (or the way to it) once no diagnostic can need it any
    /// more (after the link stage, in `build` and `check`), and of what only the link stage
    /// reads: the body's links (resolved into `html` by then), its heading ids and the
    /// slug's position (at 100,000 entries, about 80 MB that rendering then reuses).
    /// Positions asked for afterwards are `None`.
    pub fn release_source(&mut self) {
        self.source = Text::Released;
        self.yaml = (0, 0);
        self.links = Vec::new();
        self.heading_ids = Vec::new();
        self.slug_location = Location::default();
    }

    /// Finds where `value` is written under the front-matter `key` in the loaded text.
    pub fn locate_value(&self, key: &str, value: &str) -> Option<Location> {
        let text = self.source.get()?;
        let text = &*text;
        let (offset, len) = self.yaml;
        let ctx = FileCtx {
            display: &self.file,
            text,
            yaml: text.get(offset..offset + len)?,
            yaml_offset: offset,
        };
        Some(ctx.value_location(&[key], value))
    }
}

/// The slug a file name gives (`entries/Закон о митингах.md` → zakon-o-mitingakh): the
/// stem when it is a slug, else the stem transliterated the way `annals new` makes slugs.
/// Empty when nothing is left.
pub fn file_slug(content_path: &str) -> String {
    let stem = content_path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    if slug::is_valid(stem) {
        stem.to_string()
    } else {
        slug::slugify(stem)
    }
}

/// Sets the slug from `slug:` or the file stem, reporting an invalid one.
fn doc_slug(
    mut doc: Document,
    explicit: Option<&(String, Location)>,
    f: &mut Fields,
    title: Option<&str>,
) -> Option<Document> {
    doc.title = title.unwrap_or_default().trim().to_string();
    match explicit {
        Some((s, loc)) => {
            doc.slug_location = loc.clone();
            if !slug::is_valid(s) {
                let d = f
                    .ctx
                    .error("bad-slug", format!("slug `{s}` is not valid"))
                    .at(loc.clone())
                    .help(format!(
                        "a slug uses lowercase letters a–z, digits and single dashes, e.g. `{}`",
                        slug::suggest(s)
                    ));
                f.push(d);
                return None;
            }
            doc.slug = s.clone();
        }
        None => {
            let slug = file_slug(&doc.content_path);
            if slug.is_empty() {
                let stem = doc.content_path.rsplit('/').next().unwrap_or("");
                let stem = stem.trim_end_matches(".md");
                let d = f
                    .ctx
                    .error("bad-slug", format!("the file name `{stem}.md` does not make a slug"))
                    .at(doc.slug_location.clone())
                    .help("rename the file with letters or digits (e.g. `torture-law-2023.md`), or add `slug: torture-law-2023` to the front matter");
                f.push(d);
                return None;
            }
            doc.slug = slug;
        }
    }
    Some(doc)
}

/// The validated content of a site.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub pages: Vec<Page>,
    /// Files that exist but could not be loaded (their errors are reported): links to
    /// them are not reported again as links to missing files.
    pub failed: Vec<SourceFile>,
    /// Translations (`<slug>.<code>.md`), read and checked against their originals;
    /// see [`translation`].
    pub translations: Vec<translation::RawTranslation>,
    /// When [`Options::hashes`] is given: the hash of the bytes of every file loaded whose
    /// hash those lack (deferred by the fingerprint) or differ from (changed since), by its
    /// display path (`content/entries/a.md`).
    pub hashes: std::collections::HashMap<String, u128>,
}

/// What one file loaded to (as the document cache stores it).
#[derive(serde::Serialize, serde::Deserialize)]
enum Item {
    Entry(Box<Entry>),
    Page(Box<Page>),
}

impl Item {
    fn doc(&self) -> &Document {
        match self {
            Item::Entry(e) => &e.doc,
            Item::Page(p) => &p.doc,
        }
    }

    fn doc_mut(&mut self) -> &mut Document {
        match self {
            Item::Entry(e) => &mut e.doc,
            Item::Page(p) => &mut p.doc,
        }
    }
}

/// How a command loads: whether documents keep their text, and the document cache.
#[derive(Debug, Clone)]
pub struct Options<'a> {
    /// The site's root (for the cache); `None`: no cache.
    pub root: Option<PathBuf>,
    /// Keep every document's text in memory (`serve`, whose files may change under it),
    /// instead of reading a file again in the rare case a later stage needs a position.
    pub keep_sources: bool,
    /// Write the document cache (it is read whenever `root` is given).
    pub write_cache: bool,
    /// The hashes of the files' bytes as the build's input fingerprint took them: a file
    /// whose hash the document cache has is taken from it without being read (so what is
    /// loaded is what was fingerprinted; a file read, because it is not there, is hashed
    /// as read). Given by a build, which then finds in [`Loaded::hashes`] the hash of every
    /// file loaded that these do not name as loaded (the fingerprint defers some to the
    /// loader: see `cache::Pending::read`).
    pub hashes: Option<&'a crate::cache::Hashes>,
}

impl Options<'_> {
    /// `build` and `check` read and write the cache and keep no texts; `serve` keeps its
    /// texts and reads the cache but never writes it (its rebuilds follow every save, and
    /// the next `build` records what changed).
    pub fn for_purpose(root: &Path, purpose: crate::config::Purpose) -> Options<'static> {
        let preview = purpose == crate::config::Purpose::Preview;
        Options {
            root: Some(root.to_path_buf()),
            keep_sources: preview,
            write_cache: !preview,
            hashes: None,
        }
    }
}

/// Loads every file, keeping every text and without the document cache (`annals
/// translations`); diagnostics are added to `diags`.
pub fn load(
    files: &[SourceFile],
    config: &Config,
    diags: &mut Diagnostics,
    progress: &crate::progress::Progress,
) -> Loaded {
    let opts = Options {
        root: None,
        keep_sources: true,
        write_cache: false,
        hashes: None,
    };
    load_with(files, config, &opts, diags, progress)
}

/// One original file loaded: what it gave, its problems, the hash of its bytes (`None`
/// when they could not be read) and where in the document cache it came from, if it did.
struct Outcome {
    item: Option<Item>,
    diags: Vec<Diagnostic>,
    hash: Option<u128>,
    cached: Option<store::Origin>,
}

impl Outcome {
    /// A document from the cache (which holds only documents without a diagnostic), with
    /// its text, or the way to it, and the hash of its bytes.
    fn cached(mut item: Item, text: Text, hash: u128, origin: store::Origin) -> Outcome {
        item.doc_mut().source = text;
        Outcome {
            item: Some(item),
            diags: Vec::new(),
            hash: Some(hash),
            cached: Some(origin),
        }
    }
}

/// Reads `file` once, and takes what it loads to from `store` when its bytes are those
/// recorded, else loads it. Its text is kept in the document when `keep`, else only the
/// way to read it again. When `known` (the input fingerprint's hash of its bytes) is one
/// the store has, and the text is not to be kept, the file is not read at all.
fn load_cached(
    file: &SourceFile,
    config: &Config,
    store: Option<&store::Store>,
    keep: bool,
    known: Option<u128>,
) -> Outcome {
    let on_disk = |hash| Text::OnDisk {
        abs: file.abs.clone(),
        hash,
    };
    if !keep
        && let (Some(store), Some(hash)) = (store, known)
        && let Some((item, origin)) = store.get(file, hash)
    {
        return Outcome::cached(item, on_disk(hash), hash, origin);
    }
    let bytes = match std::fs::read(&file.abs) {
        Ok(b) => b,
        Err(e) => {
            return Outcome {
                item: None,
                diags: vec![read_error(file, &e)],
                hash: None,
                cached: None,
            };
        }
    };
    let hash = text_hash(&bytes);
    if let Some((item, origin)) = store.and_then(|s| s.get(file, hash)) {
        // The bytes decoded when they were recorded; they are the same bytes.
        let text = if keep {
            decode(file, bytes.clone())
                .ok()
                .map(|t| Text::Kept(Arc::from(t)))
        } else {
            Some(on_disk(hash))
        };
        if let Some(t) = text {
            return Outcome::cached(item, t, hash, origin);
        }
    }
    let (item, diags) = load_bytes_as(file, bytes, config, (!keep).then(|| on_disk(hash)));
    Outcome {
        item,
        diags,
        hash: Some(hash),
        cached: None,
    }
}

/// Loads every file as `opts` say; diagnostics are added to `diags`.
pub fn load_with(
    files: &[SourceFile],
    config: &Config,
    opts: &Options,
    diags: &mut Diagnostics,
    progress: &crate::progress::Progress,
) -> Loaded {
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    // Translations (with their original's path and language) go apart, before parsing.
    let mut translations = vec![];
    let mut originals_files = vec![];
    for f in files {
        match translation::language_of(&f.display, &codes) {
            Some((original, lang)) => translations.push((f, original, lang)),
            None => originals_files.push(f),
        }
    }
    let files = originals_files;
    // An original with a translation keeps its text until the translation is compared
    // with it.
    let translated: std::collections::HashSet<&str> =
        translations.iter().map(|(_, o, _)| o.as_str()).collect();
    let mut store = opts
        .root
        .as_deref()
        .and_then(|root| store::Store::open(root, config, opts.write_cache));
    let results: Vec<Outcome> = files
        .par_iter()
        .map(|f| {
            let keep = opts.keep_sources || translated.contains(f.display.as_str());
            let known = opts.hashes.and_then(|h| h.get(&f.display));
            let r = load_cached(f, config, store.as_ref(), keep, known);
            progress.tick(1);
            r
        })
        .collect();
    if let Some(store) = &mut store {
        save_cache(store, &files, &results);
        if std::env::var_os("ANNALS_TIMINGS").is_some() {
            let cached = results.iter().filter(|r| r.cached.is_some()).count();
            crate::tell!(
                "timing:   document cache: {cached} files from the cache, {} parsed",
                results.len() - cached
            );
        }
    }
    drop(store);
    let mut loaded = Loaded::default();
    // What the build's fingerprint does not know as loaded (most files, taken from the
    // cache by the hash it gave, it does).
    let unknown = |f: &SourceFile, hash: Option<u128>| {
        let h = opts.hashes?;
        let hash = hash?;
        (h.get(&f.display) != Some(hash)).then(|| (f.display.clone(), hash))
    };
    loaded.hashes = files
        .iter()
        .zip(&results)
        .filter_map(|(f, r)| unknown(f, r.hash))
        .collect();
    for f in &files {
        if let Some(code) = translation::looks_like_translation(&f.display) {
            diags.push(translation::unlisted_language(&f.display, code));
        }
    }
    // Where translated originals are and the hash of the bytes they were loaded from:
    // their texts are dropped after the comparison, for the way to read them again.
    let translated_files: std::collections::HashMap<&str, (&Path, u128)> = files
        .iter()
        .zip(&results)
        .filter(|(f, _)| translated.contains(f.display.as_str()))
        .filter_map(|(f, r)| Some((f.display.as_str(), (f.abs.as_path(), r.hash?))))
        .collect();
    for (r, file) in results.into_iter().zip(files.iter().copied()) {
        diags.extend(r.diags);
        match r.item {
            Some(Item::Entry(e)) => loaded.entries.push(*e),
            Some(Item::Page(p)) => loaded.pages.push(*p),
            None => loaded.failed.push(file.clone()),
        }
    }
    if translations.is_empty() {
        return loaded;
    }

    // Translations are read after their originals, and compared with the originals' text
    // as loaded (never re-read); an original that failed to load is reported already.
    let originals: std::collections::BTreeMap<&str, Option<&str>> = files
        .iter()
        .map(|f| (f.display.as_str(), None))
        .chain(
            loaded
                .entries
                .iter()
                .map(|e| &e.doc)
                .chain(loaded.pages.iter().map(|p| &p.doc))
                .map(|d| match &d.source {
                    Text::Kept(text) => (d.file.as_str(), Some(&**text)),
                    _ => (d.file.as_str(), None),
                }),
        )
        .collect();
    let checked: Vec<Translated> = translations
        .par_iter()
        .map(|(f, original, lang)| {
            let r = load_translation(f, original, lang, &originals);
            progress.tick(1);
            r
        })
        .collect();
    drop(originals);
    let mut found = vec![];
    for ((f, _, _), (t, ds, hash)) in translations.iter().zip(checked) {
        diags.extend(ds);
        found.extend(t);
        loaded.hashes.extend(unknown(f, hash));
    }
    loaded.translations = found;
    if !opts.keep_sources {
        // The originals of translations kept their texts for the comparison: no longer.
        let docs = loaded.entries.iter_mut().map(|e| &mut e.doc);
        for doc in docs.chain(loaded.pages.iter_mut().map(|p| &mut p.doc)) {
            if let Text::Kept(_) = &doc.source
                && let Some(&(abs, hash)) = translated_files.get(doc.file.as_str())
            {
                doc.source = Text::OnDisk {
                    hash,
                    abs: abs.to_path_buf(),
                };
            }
        }
    }
    loaded
}

/// Records every file that loaded without a diagnostic in the document cache.
fn save_cache(store: &mut store::Store, files: &[&SourceFile], results: &[Outcome]) {
    let records: Vec<_> = results
        .iter()
        .zip(files)
        .filter_map(|(r, f)| match (&r.item, r.hash, r.diags.is_empty()) {
            (Some(item), Some(hash), true) => Some((*f, hash, item, r.cached)),
            _ => None,
        })
        .collect();
    store.save(&records);
}

/// A translation checked: what it gave, its problems, and the hash of its bytes (`None`
/// when it was not read).
type Translated = (
    Option<translation::RawTranslation>,
    Vec<Diagnostic>,
    Option<u128>,
);

/// Reads translation `file` and checks it against its original: its fields (words only),
/// and whether its stamp still matches the original's words.
fn load_translation(
    file: &SourceFile,
    original: &str,
    lang: &str,
    originals: &std::collections::BTreeMap<&str, Option<&str>>,
) -> Translated {
    let Some(orig) = originals.get(original) else {
        return (
            None,
            vec![translation::orphan(&file.display, original)],
            None,
        );
    };
    let (text, hash) = match std::fs::read(&file.abs).map_err(|e| {
        Diagnostic::error("io", format!("cannot read {}: {e}", file.display))
            .in_file(file.display.clone())
            .help("check that the file exists and that you may read it")
    }) {
        Ok(bytes) => {
            let hash = text_hash(&bytes);
            match decode(file, bytes) {
                Ok(t) => (t, hash),
                Err(d) => return (None, vec![d], Some(hash)),
            }
        }
        Err(d) => return (None, vec![d], None),
    };
    let mut t = match translation::read(&file.display, &text, original, lang) {
        Ok(t) => t,
        Err(ds) => return (None, ds, Some(hash)),
    };
    let mut diags = vec![];
    // An original that did not load has its own errors; there is nothing to compare with.
    if let Some(words) = orig.and_then(translation::original_words) {
        diags.extend(translation::source_problems(&t, &words));
        let standing = translation::standing(&t, &words);
        diags.extend(translation::standing_warning(&t, &standing));
        t.standing = Some(standing);
    }
    (Some(t), diags, Some(hash))
}

/// Reads a file as UTF-8 text without a BOM, or explains why it is not.
fn decode(file: &SourceFile, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.contains(&0) {
        return Err(Diagnostic::error(
            "binary-file",
            format!("{} is not a text file", file.display),
        )
        .in_file(file.display.clone())
        .help("a .md file must be Markdown text; move other files out of content/"));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let lossy = String::from_utf8_lossy(&bytes);
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            Err(Diagnostic::error("not-utf8", "the file is not valid UTF-8 text")
                .in_file(file.display.clone())
                .at(Location::of_offset(&lossy, prefix.len(), 1))
                .label("this byte is not UTF-8")
                .help("save the file as UTF-8 (most editors offer it under \"Save with encoding\")"))
        }
    }
}

/// Loads one entry file by itself (for `annals serve`'s fast path): the entry, or the
/// problems that stop it.
pub fn load_entry(
    file: &SourceFile,
    config: &Config,
) -> Result<(Entry, Vec<Diagnostic>), Vec<Diagnostic>> {
    match load_file(file, config) {
        (Some(Item::Entry(e)), ds) => Ok((*e, ds)),
        (_, ds) => Err(ds),
    }
}

fn load_file(file: &SourceFile, config: &Config) -> (Option<Item>, Vec<Diagnostic>) {
    match std::fs::read(&file.abs) {
        Ok(bytes) => load_bytes(file, bytes, config),
        Err(e) => (None, vec![read_error(file, &e)]),
    }
}

fn read_error(file: &SourceFile, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error("io", format!("cannot read {}: {e}", file.display))
        .in_file(file.display.clone())
        .help("check that the file exists and that you may read it")
}

/// How to fix a YAML syntax error the parser gives no better hint for.
pub const YAML_HELP: &str = "check the quoting and indentation on this line or the one before it; text containing `: ` or starting with a special character needs \"double quotes\"";

/// Loads one file from its bytes: decode, split, check every field, render the body.
/// Never panics, whatever the bytes (a property test holds it to that).
fn load_bytes(
    file: &SourceFile,
    bytes: Vec<u8>,
    config: &Config,
) -> (Option<Item>, Vec<Diagnostic>) {
    load_bytes_as(file, bytes, config, None)
}

/// [`load_bytes`], the document's text being `source` if given (else the text, kept).
fn load_bytes_as(
    file: &SourceFile,
    bytes: Vec<u8>,
    config: &Config,
    source: Option<Text>,
) -> (Option<Item>, Vec<Diagnostic>) {
    let text = match decode(file, bytes) {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let split = match front_matter::split(&text, &file.display) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    let ctx = FileCtx {
        display: &file.display,
        text: &text,
        yaml: split.yaml,
        yaml_offset: split.yaml_offset,
    };
    let mapping = match yaml::parse_mapping(split.yaml) {
        Ok(YamlDoc::Mapping(m)) => m,
        Ok(YamlDoc::Empty) => Vec::new(),
        Ok(YamlDoc::NotAMapping(kind)) => {
            let d = ctx
                .error(
                    "front-matter-not-mapping",
                    format!("the front matter is {kind}, not a set of fields"),
                )
                .at(Location::of_line(&text, split.yaml_line))
                .help("write one `field: value` per line, e.g. title: \"…\"");
            return (None, vec![d]);
        }
        Err(e) => {
            let line = split.yaml_line + e.line.unwrap_or(1) - 1;
            let col = e.column.unwrap_or(1);
            let d = ctx
                .error(
                    "yaml",
                    format!("the front matter is not valid YAML: {}", e.message),
                )
                .at(Location::of_line_col(&text, line, col, 1))
                .help(e.help.unwrap_or(YAML_HELP));
            return (None, vec![d]);
        }
    };
    let mut fields = Fields::new(&ctx, mapping);
    let lines = LineIndex::new(&text);
    for (offset, _) in text.match_indices(crate::scaffold::PLACEHOLDER) {
        fields.push(
            ctx.warning("placeholder", "a placeholder is still here")
                .at(lines.location(offset, crate::scaffold::PLACEHOLDER.len()))
                .help("replace the TODO text with the real content before publishing"),
        );
    }
    let body = markdown::render(split.body, !config.raw_html);
    for note in &body.notes {
        let d = if note.error {
            ctx.error(note.code, note.message.clone())
        } else {
            ctx.warning(note.code, note.message.clone())
        };
        fields.push(
            d.at(lines.location(split.body_offset + note.offset, note.len))
                .help(note.help.clone()),
        );
    }
    let links = SourceLink::of_body(&body, split.body_offset);
    let doc = Document {
        file: file.display.clone(),
        source: source.unwrap_or_else(|| Text::Kept(Arc::from(text.as_str()))),
        yaml: (split.yaml_offset, split.yaml.len()),
        content_path: file.content_path.clone(),
        slug: String::new(),
        slug_location: ctx.front_matter_location(),
        title: String::new(),
        draft: false,
        html: body.html,
        links,
        heading_ids: body.heading_ids,
    };
    let item = match file.kind {
        Kind::Entry => {
            let raw = entry::read(&mut fields);
            entry::validate(raw, &mut fields, config, doc).map(|e| Item::Entry(Box::new(e)))
        }
        Kind::Page => {
            let raw = page::read(&mut fields);
            page::validate(raw, &mut fields, doc).map(|p| Item::Page(Box::new(p)))
        }
    };
    (item, fields.diags)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn config() -> &'static Config {
        static C: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
        C.get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(
                dir.path().join("site.yaml"),
                "title: t\nthemes:\n  a:\n    name: A\n",
            )
            .unwrap();
            crate::config::load(dir.path(), &Default::default(), &mut Diagnostics::new()).unwrap()
        })
    }

    fn file(kind: Kind) -> SourceFile {
        SourceFile {
            kind,
            abs: "x.md".into(),
            display: "content/entries/x.md".into(),
            content_path: "entries/x.md".into(),
        }
    }

    fn cases() -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(2000)
    }

    #[test]
    fn positions_come_from_the_loaded_text_not_the_file_on_disk() {
        // `x.md` does not exist: a later stage must not need to read it again (under
        // `annals serve` it may have changed since it was loaded).
        let text = "---\ntitle: \"T\"\ndate: 2021\nstatus: adopted\ninstrument: law\nthemes: [a]\nsummary: \"S.\"\nrelated: [b, c]\n---\nSee [b](b.md).\n";
        let (item, diags) = load_bytes(&file(Kind::Entry), text.as_bytes().to_vec(), config());
        let Some(Item::Entry(e)) = item else {
            panic!("{diags:?}")
        };
        let loc = e.doc.locate_value("related", "c").unwrap();
        assert_eq!((loc.line, loc.column), (8, 14));
        let link = &e.doc.links[0];
        let loc = e.doc.locate(link.offset, link.len).unwrap();
        assert_eq!(loc.line, 10);
    }

    #[test]
    fn a_text_on_disk_is_read_again_only_while_its_bytes_are_those_loaded() {
        let dir = tempfile::tempdir().unwrap();
        let abs = dir.path().join("a.md");
        std::fs::write(&abs, "\u{feff}---\ntitle: x\n---\nBody.\n").unwrap();
        let bytes = std::fs::read(&abs).unwrap();
        let text = Text::OnDisk {
            abs: abs.clone(),
            hash: text_hash(&bytes),
        };
        // Without its BOM, as it was loaded.
        assert_eq!(text.get().as_deref(), Some("---\ntitle: x\n---\nBody.\n"));
        std::fs::write(&abs, "---\ntitle: y\n---\nBody.\n").unwrap();
        assert_eq!(text.get(), None, "a file changed since is not used");
        std::fs::remove_file(&abs).unwrap();
        assert_eq!(text.get(), None);
        assert_eq!(Text::Released.get(), None);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn loader_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let c = config();
            let _ = load_bytes(&file(Kind::Entry), bytes, c);
        }

        #[test]
        fn loader_never_panics_on_front_matter_like_text(
            yaml in "[a-z:\\[\\]{}\"' \n#-]{0,120}",
            body in "\\PC{0,80}",
            page in any::<bool>(),
        ) {
            let c = config();
            let text = format!("---\n{yaml}\n---\n{body}");
            let kind = if page { Kind::Page } else { Kind::Entry };
            let (_, diags) = load_bytes(&file(kind), text.into_bytes(), c);
            for d in diags {
                if let Some(loc) = d.location {
                    prop_assert!(loc.line >= 1 && loc.column >= 1);
                }
            }
        }

        #[test]
        fn splitter_never_panics(text in "\\PC{0,200}") {
            let _ = front_matter::split(&text, "x.md");
        }
    }
}
