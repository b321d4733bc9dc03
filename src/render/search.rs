//! The search index, built with the site and served as static files, sharded so that a
//! query downloads only what it needs: term shards (`search/t/<n>.json`, term → ascending
//! doc ids, delta-encoded, each packed with the term's weight in that document: `delta *
//! 64 + weight`, see [`weight`]) chosen by a hash of a term's first three letters, with a
//! number of shards (a power of two) sized to the index so each stays small; result data in
//! small chunks of documents (`search/d/<n>.json`, with the start of each text for
//! snippets); and facet data (`search/meta.json`: per document its year, status, themes and
//! thread, as fixed-width base-32 strings), which the script loads with the first query to
//! count facet values. Every shard file exists (possibly `{}`), so the browser never asks
//! for a missing one. `static/annals.js` reads it; both sides fold text the same way
//! (lowercase, ё → е, split on anything that is not a letter or digit) and hash the same
//! way (FNV-1a over UTF-8).

use super::views::{Item, Lang};
use super::{Recorder, Site};
use crate::output::IoError;
use crate::progress::timed;
use crate::routes::Route;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// Documents per result chunk: small, because ranked results are scattered over the index.
pub const CHUNK: usize = 8;
/// A posting is `delta * PACK + weight`.
pub const PACK: u32 = 64;
/// Characters of an entry's text kept in its result data for snippets (cut at a word).
pub const EXCERPT: usize = 240;
/// Letters in a shard key.
pub const KEY: usize = 3;

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with",
    "и", "в", "на", "с", "по", "не", "что", "для",
];

/// Splits text into words and folds each, as the browser does: split on anything that is
/// not alphabetic or numeric (JS `[^\p{Alphabetic}\p{N}]`), then lowercase the whole word
/// (so a final Σ becomes ς on both sides) and fold it ([`fold`]).
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(std::borrow::Cow::into_owned)
}

/// The folded, kept words of `text`, borrowed where folding changes nothing.
fn words(text: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    runs(text).map(fold).filter(|w| keep(w))
}

/// The maximal runs of alphabetic or numeric characters of `text`: what splitting on every
/// other character and dropping the empty pieces gives, with ASCII judged byte by byte.
fn runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    // Whether the character at `i` belongs to a word, and its length in bytes.
    let at = move |i: usize| -> (bool, usize) {
        let b = bytes[i];
        if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().expect("i is a character boundary");
            (c.is_alphanumeric(), c.len_utf8())
        }
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            if i >= bytes.len() {
                return None;
            }
            let (word, n) = at(i);
            if word {
                break;
            }
            i += n;
        }
        let start = i;
        while i < bytes.len() {
            let (word, n) = at(i);
            if !word {
                break;
            }
            i += n;
        }
        Some(&text[start..i])
    })
}

/// Lowercases a word and folds what a reader may type without: ё to е, the Kazakh letters
/// to the Cyrillic letters written for them on a Russian keyboard (ә→а, ғ→г, қ→к, ң→н, ө→о,
/// ұ→у, ү→у, һ→х, і→и), and a Latin letter's accents (é→e, ü→u; canonical decomposition,
/// combining marks U+0300–U+036F dropped; ß, ł, ø have none and stay). й keeps its breve:
/// it is a letter of its own. Borrows the word when nothing changes. `fold` in
/// static/annals.js is the same function (`search::rust_and_js_fold_alike` runs both).
pub fn fold(w: &str) -> std::borrow::Cow<'_, str> {
    if w.is_ascii() {
        return if w.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(w.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(w)
        };
    }
    let plain = |c: char| {
        (c.is_lowercase() || !c.is_alphabetic()) && fold_letter(c).is_none() && !is_latin(c)
    };
    if w.chars().all(plain) {
        return std::borrow::Cow::Borrowed(w);
    }
    let lower = w.to_lowercase();
    if !lower
        .chars()
        .any(|c| fold_letter(c).is_some() || is_latin(c))
    {
        return std::borrow::Cow::Owned(lower);
    }
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if let Some(base) = fold_letter(c) {
            out.push(base);
        } else if is_latin(c) {
            let mut buf = [0u8; 4];
            let nfd = icu::normalizer::DecomposingNormalizerBorrowed::new_nfd();
            out.extend(
                nfd.normalize(c.encode_utf8(&mut buf))
                    .chars()
                    .filter(|m| !('\u{300}'..='\u{36f}').contains(m)),
            );
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The Cyrillic letters folded to another (after lowercasing).
fn fold_letter(c: char) -> Option<char> {
    Some(match c {
        'ё' => 'е',
        'ә' => 'а',
        'ғ' => 'г',
        'қ' => 'к',
        'ң' => 'н',
        'ө' => 'о',
        'ұ' | 'ү' => 'у',
        'һ' => 'х',
        'і' => 'и',
        _ => return None,
    })
}

/// Latin letters beyond ASCII (Latin-1, Extended-A and -B, Extended Additional): the
/// ones that may carry accents.
fn is_latin(c: char) -> bool {
    matches!(c, '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}')
}

/// The longest stopword, in bytes: longer words skip the list.
const STOPWORD_MAX: usize = 6;

/// A word of at most 8 bytes as one number: its bytes, then zeros. Words hold no zero byte,
/// so two words are equal exactly when their numbers are.
const fn packed(w: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < w.len() {
        key |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// The stopwords, packed: checking a word is a few integer comparisons, not a string
/// comparison with every stopword of its length.
const STOP_KEYS: [u64; STOPWORDS.len()] = {
    let mut keys = [0u64; STOPWORDS.len()];
    let mut i = 0;
    while i < STOPWORDS.len() {
        keys[i] = packed(STOPWORDS[i].as_bytes());
        i += 1;
    }
    keys
};

fn keep(w: &str) -> bool {
    w.chars().nth(1).is_some()
        && !(w.len() <= STOPWORD_MAX && STOP_KEYS.contains(&packed(w.as_bytes())))
}

/// Aim for shards of about this many bytes.
const SHARD_BYTES: usize = 24 * 1024;

/// FNV-1a (32 bits) of a term's first `KEY` characters: which shard it lives in, modulo
/// the number of shards.
pub fn shard_hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars().take(KEY) {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// Strips tags from rendered HTML and decodes the entities pulldown-cmark writes, in one
/// pass, appending to `out`.
pub fn push_html_text(out: &mut String, html: &str) {
    let mut rest = html;
    // Both are ASCII, so a byte search finds them (no character decoding).
    while let Some(i) = rest.bytes().position(|b| b == b'<' || b == b'&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(j) => {
                    out.push(' ');
                    rest = &rest[j + 1..];
                }
                None => return,
            }
        } else {
            let (c, n) = [
                ("&amp;", '&'),
                ("&lt;", '<'),
                ("&gt;", '>'),
                ("&quot;", '"'),
                ("&#39;", '\''),
            ]
            .iter()
            .find(|(e, _)| rest.starts_with(e))
            .map_or(('&', 1), |(e, c)| (*c, e.len()));
            out.push(c);
            rest = &rest[n..];
        }
    }
    out.push_str(rest);
}

/// Strips tags from rendered HTML (see [`push_html_text`]).
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    push_html_text(&mut out, html);
    out
}

/// How often a term occurs in each part of a document.
#[derive(Default, Clone, Copy)]
struct Counts {
    title: u32,
    summary: u32,
    body: u32,
    theme: bool,
}

impl Counts {
    fn is_empty(&self) -> bool {
        self.title == 0 && self.summary == 0 && self.body == 0 && !self.theme
    }
}

/// A term's weight in a document, 1–60: the title counts most, then the summary, then the
/// text, then a theme's name. The title gives 32, more than a summary and a text can give
/// together; the summary 13, one more for each further use up to 15, more than any text;
/// the text one for each use up to 12 (term frequency, saturating); a theme's name 1.
/// annals.js multiplies it by the term's rarity (`ln(1 + N / df)`) and adds up the words.
fn weight(c: Counts) -> u32 {
    let title = if c.title > 0 { 32 } else { 0 };
    let summary = if c.summary > 0 {
        12 + c.summary.min(3)
    } else {
        0
    };
    (title + summary + c.body.min(12) + u32::from(c.theme)).clamp(1, PACK - 1)
}

/// An entry's words in the language of the index: its translation's, or the original's
/// when it has none (as the language's timeline lists it).
struct Text<'a> {
    title: &'a str,
    summary: &'a str,
    html: &'a str,
}

fn text_of<'a>(lang: &Lang<'a>, item: &Item<'a>) -> Text<'a> {
    let e = item.entry;
    match lang.entry_words(item.i) {
        Some(w) => Text {
            title: &w.title,
            summary: &w.summary,
            html: &w.html,
        },
        None => Text {
            title: &e.doc.title,
            summary: &e.summary,
            html: &e.doc.html,
        },
    }
}

/// Calls `f` with every maximal run of alphanumeric characters of `text` (what [`runs`]
/// gives), or with `HTML`, of the text of `text` as HTML (what `runs(&html_text(text))`
/// gives, without making that text): a tag separates words as the space it becomes does,
/// and the five entities [`push_html_text`] decodes all stand for characters that are not
/// letters or digits, so a run never crosses one and is a slice of `text` itself. ASCII is
/// judged byte by byte; the second argument says whether the run is all ASCII.
fn scan<const HTML: bool>(text: &str, mut f: impl FnMut(&str, bool)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // The character at `i` (not ASCII): whether it belongs to a word, and its length.
    let wide = |i: usize| -> (bool, usize) {
        let c = text[i..].chars().next().expect("i is a character boundary");
        (c.is_alphanumeric(), c.len_utf8())
    };
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                i += match b {
                    b'<' if HTML => match bytes[i..].iter().position(|&c| c == b'>') {
                        Some(j) => j + 1,
                        // An unclosed tag: html_text stops there.
                        None => return,
                    },
                    b'&' if HTML => ENTITIES
                        .iter()
                        .find(|e| bytes[i..].starts_with(e.as_bytes()))
                        .map_or(1, |e| e.len()),
                    _ => 1,
                };
                continue;
            }
        } else {
            let (word, len) = wide(i);
            if !word {
                i += len;
                continue;
            }
        }
        let start = i;
        let mut ascii = true;
        while i < n {
            let b = bytes[i];
            if b.is_ascii() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                i += 1;
            } else {
                let (word, len) = wide(i);
                if !word {
                    break;
                }
                ascii = false;
                i += len;
            }
        }
        f(&text[start..i], ascii);
    }
}

/// The entities [`push_html_text`] decodes.
const ENTITIES: [&str; 5] = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];

/// A term's place in a [`Vocab`]; [`SKIP`] for a word that is not indexed.
type TermId = u32;
const SKIP: TermId = TermId::MAX;

/// The folded words met so far, each with its id (in order of first appearance), and the
/// words that are not indexed (stopwords, single letters) with [`SKIP`]: after the first
/// few documents nearly every word is found here, so a word costs one lookup, not a fold, a
/// stopword check and an entry in a map of its own document. A word of at most 16 bytes
/// (nearly all) is looked up as one number ([`short_key`]), with no string compared.
#[derive(Default)]
struct Vocab {
    short: HashMap<u128, TermId>,
    long: HashMap<Box<str>, TermId>,
    terms: Vec<Box<str>>,
}

/// A word of at most 16 bytes as one number: its bytes, then zeros (words hold no zero
/// byte, so two words are equal exactly when their numbers are); ASCII capitals lowercased
/// when `lower`.
fn short_key(word: &[u8], lower: bool) -> Option<u128> {
    let mut buf = [0u8; 16];
    buf.get_mut(..word.len())?.copy_from_slice(word);
    if lower {
        buf.make_ascii_lowercase();
    }
    Some(u128::from_le_bytes(buf))
}

impl Vocab {
    /// The id of a folded word, added if new.
    fn id(&mut self, word: &str) -> TermId {
        match short_key(word.as_bytes(), false) {
            Some(key) => self.short_id(key, word),
            None => {
                if let Some(&id) = self.long.get(word) {
                    return id;
                }
                let id = self.add(word);
                self.long.insert(word.into(), id);
                id
            }
        }
    }

    /// The id of the word of `key` (of a word that is `word` once folded).
    fn short_id(&mut self, key: u128, word: &str) -> TermId {
        if let Some(&id) = self.short.get(&key) {
            return id;
        }
        let id = self.add(word);
        self.short.insert(key, id);
        id
    }

    fn add(&mut self, word: &str) -> TermId {
        if !keep(word) {
            return SKIP;
        }
        self.terms.push(word.into());
        TermId::try_from(self.terms.len() - 1).expect("fewer than 4 G terms")
    }
}

/// Tokenises documents into one [`Vocab`]: per document its distinct terms with their
/// weights. Counts are kept per term id and reset after each document.
#[derive(Default)]
struct Tokeniser {
    vocab: Vocab,
    counts: Vec<Counts>,
    /// The ids counted in the current document, in order of first use.
    used: Vec<TermId>,
    /// Where an ASCII word with capitals is lowercased.
    buf: String,
}

/// Which part of a document a word is in.
#[derive(Clone, Copy)]
enum Part {
    Title,
    Summary,
    Body,
    Theme,
}

impl Tokeniser {
    /// Counts one run of [`scan`]: folded (an ASCII word only lowercased, which is all
    /// [`fold`] does to it), looked up, counted unless it is not indexed.
    fn add(&mut self, run: &str, ascii: bool, part: Part) {
        let id = if !ascii {
            self.vocab.id(&fold(run))
        } else if let Some(key) = short_key(run.as_bytes(), true) {
            match self.vocab.short.get(&key) {
                Some(&id) => id,
                None => {
                    let lower = run.to_ascii_lowercase();
                    self.vocab.short_id(key, &lower)
                }
            }
        } else {
            self.buf.clear();
            self.buf.push_str(run);
            self.buf.make_ascii_lowercase();
            self.vocab.id(&self.buf)
        };
        if id == SKIP {
            return;
        }
        let k = id as usize;
        if k >= self.counts.len() {
            self.counts.resize(k + 1, Counts::default());
        }
        let c = &mut self.counts[k];
        if c.is_empty() {
            self.used.push(id);
        }
        match part {
            Part::Title => c.title += 1,
            Part::Summary => c.summary += 1,
            Part::Body => c.body += 1,
            Part::Theme => c.theme = true,
        }
    }

    /// Appends the terms of one document with their weights to `out`, as `(id, weight)`
    /// in order of first use.
    fn document(&mut self, text: &Text, themes: &[&str], out: &mut Vec<(TermId, u8)>) {
        scan::<false>(text.title, |w, a| self.add(w, a, Part::Title));
        scan::<false>(text.summary, |w, a| self.add(w, a, Part::Summary));
        scan::<true>(text.html, |w, a| self.add(w, a, Part::Body));
        for t in themes {
            scan::<false>(t, |w, a| self.add(w, a, Part::Theme));
        }
        for id in self.used.drain(..) {
            let c = std::mem::take(&mut self.counts[id as usize]);
            out.push((id, weight(c) as u8));
        }
    }
}

/// The start of an entry's text, for the snippet of a match in it: white space collapsed,
/// at most [`EXCERPT`] characters, cut at a word with `…`.
fn excerpt(html: &str) -> String {
    // The text of the first couple of kilobytes of HTML nearly always holds the excerpt: only
    // its last word may differ from the whole text's (cut in a word, an entity or a tag), so
    // an excerpt that ends before that word is the whole text's excerpt.
    for size in EXCERPT_HTML {
        let mut cut = html.len().min(size);
        while !html.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut == html.len() {
            break;
        }
        if let Some(e) = excerpt_of(&html_text(&html[..cut]), true) {
            return e;
        }
    }
    excerpt_of(&html_text(html), false).unwrap_or_default()
}

/// Bytes of HTML whose text is tried first for an excerpt, in turn: the first usually
/// holds it (240 characters of text and a few tags), the second nearly always.
const EXCERPT_HTML: [usize; 2] = [640, 2048];

/// The excerpt of `text`; of a `partial` text (the start of the whole), only an excerpt
/// that is cut before its last word, which may be incomplete.
fn excerpt_of(text: &str, partial: bool) -> Option<String> {
    let mut out = String::with_capacity(EXCERPT + 4);
    let mut chars = 0;
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let n = word.chars().count();
        if chars + n + 1 > EXCERPT {
            if partial && words.peek().is_none() {
                return None;
            }
            out.push('…');
            return Some(out);
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += n;
    }
    (!partial).then_some(out)
}

/// A term as a JSON string: terms hold only letters and digits (see [`words`]), so nothing
/// in them needs escaping.
fn json_str(out: &mut String, s: &str) {
    debug_assert!(s.chars().all(char::is_alphanumeric), "{s:?}");
    out.push('"');
    out.push_str(s);
    out.push('"');
}

/// Appends `n` in decimal.
fn push_u32(out: &mut String, mut n: u32) {
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("digits are ASCII"));
}

/// Writes the index files (under `search/` of the site's language: `ru/search/`) of the
/// published entries, oldest first, in that language's words (an untranslated entry in
/// the original's, linked to the original page, as the language's timeline lists it):
/// drafts are never indexed, even when their pages are built (`--drafts`).
pub(super) fn write_index(
    site: &Site,
    sink: &Recorder,
    root: &std::path::Path,
) -> Result<(), IoError> {
    let list = &site.published;
    let lang = &site.lang;
    let code = &lang.language.code;
    let cache = timed("search: term cache read", || TermCache::load(root, code));
    let (mut postings, next) = timed("search: postings", || postings(lang, list, cache.as_ref()));
    postings.ids = HashMap::default();
    drop(cache);
    // A cache that held exactly these documents would be written again as it is.
    if next.write {
        timed("search: term cache write", || {
            next.save(root, code, &postings.terms)
        });
    }
    drop(next);
    let shard_count = timed("search: shards", || write_shards(lang, &postings, sink))?;
    // What the script needs before anything else: how to find shards and chunks.
    sink.write(
        lang.at(Route::SearchIndex),
        format!(
            "{{\"shards\":{shard_count},\"chunk\":{CHUNK},\"key\":{KEY},\"pack\":{PACK},\"total\":{}}}\n",
            list.len()
        )
        .as_bytes(),
    )?;
    timed("search: chunks", || write_chunks(lang, list, sink))?;
    timed("search: meta", || write_meta(lang, list, sink))
}

/// Every term with the documents that hold it, ascending, each posting as it is written
/// in its shard: `(id - previous id) * PACK + weight` (ids are positions in the list
/// indexed; the first posting's previous id is 0), kept as LEB128 bytes — at 100,000
/// entries 18 million postings in about 40 MB instead of 72 MB of `u32`s and the spare
/// capacity of their vectors.
struct Postings {
    terms: Vec<Box<str>>,
    lists: Vec<PostingList>,
    /// Term → its id, while the postings are made.
    ids: HashMap<Box<str>, TermId>,
}

/// One term's postings (see [`Postings`]).
#[derive(Default)]
struct PostingList {
    bytes: Vec<u8>,
    /// How many postings `bytes` holds.
    count: u32,
    /// The id of the last document added (0 before the first).
    last: u32,
}

impl PostingList {
    /// Adds document `doc` (after every document added so far) with weight `w`.
    fn push(&mut self, doc: u32, w: u8) {
        // Grown by a quarter, not doubled: thousands of lists of megabytes each would
        // otherwise hold a third more than they use.
        if self.bytes.len() + 5 > self.bytes.capacity() {
            self.bytes.reserve_exact((self.bytes.len() / 4).max(16));
        }
        put_varint(
            &mut self.bytes,
            u64::from((doc - self.last) * PACK + u32::from(w)),
        );
        self.last = doc;
        self.count += 1;
    }

    /// The postings as written in a shard, in order.
    fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        let mut r = Reader {
            bytes: &self.bytes,
            at: 0,
        };
        std::iter::from_fn(move || {
            let n = r.varint()?;
            Some(u32::try_from(n).expect("postings are written from u32s"))
        })
    }
}

impl Postings {
    /// The id of `term`, added (with no documents yet) if new.
    fn intern(&mut self, term: &str) -> TermId {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = TermId::try_from(self.terms.len()).expect("fewer than 4 G terms");
        self.terms.push(term.into());
        self.lists.push(PostingList::default());
        self.ids.insert(term.into(), id);
        id
    }
}

/// One document of a [`Tokenised`] run: its key, and where its pairs are: in the cache
/// (found there), or in the run's pairs, up to `end`.
struct Doc {
    key: u128,
    cached: Option<(usize, usize)>,
    end: usize,
}

/// A run of consecutive documents tokenised together: its vocabulary, and each document's
/// terms as ids into it (or into the cache's, for a document found there).
struct Tokenised {
    terms: Vec<Box<str>>,
    /// The tokenised documents' `(id, weight)` pairs, one document after another.
    pairs: Vec<(TermId, u8)>,
    docs: Vec<Doc>,
}

fn tokenise(lang: &Lang, items: &[Item], cache: Option<&TermCache>) -> Tokenised {
    let mut t = Tokeniser::default();
    let mut pairs = Vec::new();
    let mut docs = Vec::with_capacity(items.len());
    for item in items {
        let themes: Vec<&str> = item.card.themes.iter().map(|t| t.name.as_str()).collect();
        let text = text_of(lang, item);
        let key = doc_key(&text, &themes);
        let cached = cache.and_then(|c| c.docs.get(&key).copied());
        if cached.is_none() {
            t.document(&text, &themes, &mut pairs);
        }
        docs.push(Doc {
            key,
            cached,
            end: pairs.len(),
        });
    }
    Tokenised {
        terms: t.vocab.terms,
        pairs,
        docs,
    }
}

/// The postings of `list`, and the next cache of terms.
fn postings(lang: &Lang, list: &[Item], cache: Option<&TermCache>) -> (Postings, CacheOut) {
    // Runs of RUN documents are tokenised in parallel, each into a vocabulary of its own,
    // BATCH documents at a time; then each run's terms are mapped to the index's (one
    // lookup per distinct term of a run, not one per posting) and its postings appended
    // in document order, so they come out sorted. Memory holds the postings and one
    // batch of tokenised documents.
    const RUN: usize = 128;
    const BATCH: usize = 2048;
    let mut out = Postings {
        terms: Vec::new(),
        lists: Vec::new(),
        ids: HashMap::default(),
    };
    let mut next = CacheOut::default();
    // The index's id of each term of the cache, once a document used it.
    let mut cached_ids: Vec<TermId> = vec![SKIP; cache.map_or(0, |c| c.terms.len())];
    let mut doc = 0u32;
    for batch in list.chunks(BATCH) {
        let runs: Vec<Tokenised> = batch
            .par_chunks(RUN)
            .map(|items| tokenise(lang, items, cache))
            .collect();
        for run in runs {
            let global: Vec<TermId> = run.terms.iter().map(|t| out.intern(t)).collect();
            let mut start = 0;
            for d in &run.docs {
                next.docs.extend_from_slice(&d.key.to_le_bytes());
                next.count += 1;
                let cached = d.cached.zip(cache);
                let count = cached.map_or(d.end - start, |(at, _)| at.1);
                put_varint(&mut next.docs, count as u64);
                let bytes = &mut next.docs;
                let mut add = |out: &mut Postings, id: TermId, w: u8| {
                    out.lists[id as usize].push(doc, w);
                    put_varint(bytes, u64::from(id));
                    bytes.push(w);
                };
                match cached {
                    Some((at, cache)) => cache.pairs(at, |id, w| {
                        let k = id as usize;
                        if cached_ids[k] == SKIP {
                            cached_ids[k] = out.intern(&cache.terms[k]);
                        }
                        add(&mut out, cached_ids[k], w);
                    }),
                    None => {
                        for &(id, w) in &run.pairs[start..d.end] {
                            add(&mut out, global[id as usize], w);
                        }
                        next.fresh += 1;
                    }
                }
                start = d.end;
                doc += 1;
            }
        }
    }
    next.write = next.fresh > 0 || cache.is_none_or(|c| c.docs.len() != next.count);
    (out, next)
}

/// The cache of terms: every indexed document's terms with their weights, from the last
/// build, in `<root>/.annals-cache/search-<language>`, so that a rebuild tokenises only the
/// documents whose words changed. A document is found by the xxh3-128 of exactly what its
/// terms are made from ([`doc_key`]: title, summary, body HTML, theme names, in the
/// index's language), and the file holds the identity of the annals that wrote it
/// (`cache::binary_identity`): any other annals ignores it. The file is checked whole (its
/// own xxh3) and read with bounds checks; anything damaged, foreign or older is ignored,
/// and the index is made as if there were no cache. It is written beside its place and
/// renamed over it; a failure to write it costs only the next build's time.
struct TermCache {
    /// The vocabulary: term ids of the documents' pairs index it.
    terms: Vec<Box<str>>,
    /// The file's bytes; each document's pairs are decoded from them when used.
    bytes: Vec<u8>,
    /// Document key → where its pairs are in `bytes`, and how many there are.
    docs: HashMap<u128, (usize, usize)>,
}

/// The first line of the cache file: a file of another format is ignored.
const CACHE_HEAD: &[u8] = b"annals search cache 1\n";

/// The cache file of the index of language `code`.
fn cache_path(root: &std::path::Path, code: &str) -> std::path::PathBuf {
    root.join(crate::cache::DIR).join(format!("search-{code}"))
}

/// What a document's terms are made from, as one number.
fn doc_key(text: &Text, themes: &[&str]) -> u128 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [text.title, text.summary, text.html].iter().chain(themes) {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.digest128()
}

/// Appends `n` as LEB128.
fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads the cache file's bytes; every read is checked, so a damaged file is `None`.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1)?.first()?;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn size(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    /// One document's pairs: `(id, weight)`, each id below `terms` and each weight one
    /// [`weight`] can give.
    fn pairs(&mut self, n: usize, terms: usize, mut f: impl FnMut(TermId, u8)) -> Option<()> {
        for _ in 0..n {
            let id = self.size().filter(|&id| id < terms)?;
            let w = *self.take(1)?.first()?;
            if !(1..PACK as u8).contains(&w) {
                return None;
            }
            f(id as TermId, w);
        }
        Some(())
    }
}

impl TermCache {
    /// The cache of language `code`'s index at `root`, if there is one that this annals
    /// wrote and that is whole.
    fn load(root: &std::path::Path, code: &str) -> Option<TermCache> {
        let bytes = std::fs::read(cache_path(root, code)).ok()?;
        TermCache::parse(bytes, crate::cache::binary_identity()?.as_bytes())
    }

    fn parse(bytes: Vec<u8>, binary: &[u8]) -> Option<TermCache> {
        let mut r = Reader {
            bytes: &bytes,
            at: 0,
        };
        if r.take(CACHE_HEAD.len())? != CACHE_HEAD {
            return None;
        }
        let sum = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
        if xxhash_rust::xxh3::xxh3_128(&bytes[r.at..]) != sum {
            return None;
        }
        let n = r.size()?;
        if r.take(n)? != binary {
            return None;
        }
        let n = r.size()?;
        let mut terms = Vec::with_capacity(n.min(bytes.len()));
        for _ in 0..n {
            let len = r.size()?;
            let term = std::str::from_utf8(r.take(len)?).ok()?;
            if !keep(term) || !term.chars().all(char::is_alphanumeric) {
                return None;
            }
            terms.push(term.into());
        }
        let n = r.size()?;
        let mut docs = HashMap::with_capacity_and_hasher(n.min(bytes.len()), Default::default());
        for _ in 0..n {
            let key = u128::from_le_bytes(r.take(16)?.try_into().ok()?);
            let count = r.size()?;
            let start = r.at;
            r.pairs(count, terms.len(), |_, _| ())?;
            docs.insert(key, (start, count));
        }
        if r.at != bytes.len() {
            return None;
        }
        Some(TermCache { terms, bytes, docs })
    }

    /// Calls `f` with each `(id, weight)` of the document at `at`, checked when loaded.
    fn pairs(&self, (start, count): (usize, usize), f: impl FnMut(TermId, u8)) {
        let mut r = Reader {
            bytes: &self.bytes,
            at: start,
        };
        let read = r.pairs(count, self.terms.len(), f);
        debug_assert!(read.is_some(), "checked when loaded");
    }
}

/// The next cache, written while the postings are merged: each document's key and pairs,
/// with ids into the index's terms (which become its vocabulary).
#[derive(Default)]
struct CacheOut {
    docs: Vec<u8>,
    count: usize,
    /// How many documents were tokenised (not found in the cache).
    fresh: usize,
    /// Whether the file is to be written: not when it would hold what it holds.
    write: bool,
}

impl CacheOut {
    /// Writes the whole file, with `terms` as its vocabulary, to `out`: its digest is
    /// found first, part by part, so that the file is never made whole in memory (at
    /// 100,000 entries it is 49 MB).
    fn write_to(
        &self,
        out: &mut impl std::io::Write,
        terms: &[Box<str>],
        binary: &[u8],
    ) -> std::io::Result<()> {
        let mut head = Vec::with_capacity(binary.len() + 20);
        put_varint(&mut head, binary.len() as u64);
        head.extend_from_slice(binary);
        put_varint(&mut head, terms.len() as u64);
        let mut vocab = Vec::with_capacity(terms.iter().map(|t| t.len() + 2).sum());
        for t in terms {
            put_varint(&mut vocab, t.len() as u64);
            vocab.extend_from_slice(t.as_bytes());
        }
        put_varint(&mut vocab, self.count as u64);
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for part in [&head, &vocab, &self.docs] {
            h.update(part);
        }
        out.write_all(CACHE_HEAD)?;
        out.write_all(&h.digest128().to_le_bytes())?;
        for part in [&head, &vocab, &self.docs] {
            out.write_all(part)?;
        }
        out.flush()
    }

    /// Writes the cache of language `code`'s index (beside it, then one rename); errors
    /// are ignored: the next build only tokenises more.
    fn save(&self, root: &std::path::Path, code: &str, terms: &[Box<str>]) {
        let Some(binary) = crate::cache::binary_identity() else {
            return;
        };
        let path = cache_path(root, code);
        let Some(dir) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        let tmp = dir.join(format!("search-{code}.{}.tmp", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|f| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, f);
            self.write_to(&mut out, terms, binary.as_bytes())
        });
        if written.is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Writes the term shards; returns how many there are.
fn write_shards(lang: &Lang, postings: &Postings, sink: &Recorder) -> Result<usize, IoError> {
    // Size the shards: a power of two, so that each holds about SHARD_BYTES.
    let pairs = || postings.terms.iter().zip(&postings.lists);
    let estimate: usize = pairs()
        .map(|(t, ids)| t.len() + 4 + ids.count as usize * 4)
        .sum();
    let shard_count = (estimate / SHARD_BYTES).clamp(1, 4096).next_power_of_two();
    let mut shards: Vec<Vec<(&str, &PostingList)>> = vec![Vec::new(); shard_count];
    for (term, ids) in pairs() {
        shards[shard_hash(term) as usize & (shard_count - 1)].push((term, ids));
    }
    shards
        .par_iter_mut()
        .enumerate()
        .try_for_each(|(k, terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let mut out = String::with_capacity(SHARD_BYTES + SHARD_BYTES / 2);
            out.push('{');
            for (n, (term, ids)) in terms.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                json_str(&mut out, term);
                out.push_str(":[");
                for (j, n) in ids.numbers().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    push_u32(&mut out, n);
                }
                out.push(']');
            }
            out.push_str("}\n");
            sink.write(lang.at(Route::SearchShard(k)), out.as_bytes())
        })?;
    Ok(shard_count)
}

/// Writes the result data, `CHUNK` documents a file.
fn write_chunks(lang: &Lang, list: &[Item], sink: &Recorder) -> Result<(), IoError> {
    list.par_chunks(CHUNK)
        .enumerate()
        .try_for_each(|(n, chunk)| {
            // Each document is a JSON array (a tuple), serialised with no value tree.
            let docs: Vec<_> = chunk
                .iter()
                .map(|item| {
                    let c = item.card;
                    (
                        c.url.as_str(),
                        c.title.as_str(),
                        c.when.text.as_str(),
                        c.themes
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        c.summary.as_str(),
                        c.status.label.as_str(),
                        excerpt(text_of(lang, item).html),
                    )
                })
                .collect();
            let mut s = Vec::with_capacity(CHUNK * 768);
            serde_json::to_writer(&mut s, &docs).expect("JSON values serialise");
            s.push(b'\n');
            sink.write(lang.at(Route::SearchChunk(n)), &s)
        })
}

/// The ids of themes or threads, in their order.
fn ids(list: &[crate::config::Theme]) -> Vec<&str> {
    list.iter().map(|t| t.id.as_str()).collect()
}

/// The digits of the facet strings (base 32).
const DIGITS: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// How many base-32 digits it takes to write every number up to `max`.
fn width(max: u64) -> usize {
    let mut w = 1;
    while max >> (5 * w) > 0 {
        w += 1;
    }
    w
}

/// `values` as one string of fixed-width base-32 numbers, and that width: the smallest
/// form a browser reads with no parsing but `parseInt(s.substr(i * w, w), 32)`. All zeros
/// (a site without threads) is the empty string of width 0.
fn fixed(values: &[u64]) -> (String, usize) {
    let max = values.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return (String::new(), 0);
    }
    let w = width(max);
    let mut out = String::with_capacity(values.len() * w);
    for &v in values {
        for k in (0..w).rev() {
            out.push(char::from(DIGITS[((v >> (5 * k)) & 31) as usize]));
        }
    }
    (out, w)
}

/// Writes the facets: per document (in index order) its start year (from `year0`), its
/// status (an index of `statuses`), its thread (an index of `threads` plus one, 0 for
/// none), each a fixed-width base-32 number, and its themes as a bit set of `themes`
/// written five themes a digit (digit `k` holds themes `5k`–`5k+4`), so any number of
/// themes fits.
fn write_meta(lang: &Lang, list: &[Item], sink: &Recorder) -> Result<(), IoError> {
    let config = lang.config;
    let theme_ids = ids(&config.themes);
    let thread_ids = ids(&config.threads);
    let status_ids: Vec<&str> = config.statuses.iter().map(|s| s.id.as_str()).collect();
    let year0 = list.iter().map(|i| i.entry.date.year()).min().unwrap_or(0);
    let mut years = Vec::with_capacity(list.len());
    let mut statuses = Vec::with_capacity(list.len());
    let mut threads = Vec::with_capacity(list.len());
    let theme_width = theme_ids.len().div_ceil(5).max(1);
    let mut themes = String::with_capacity(list.len() * theme_width);
    for item in list {
        let e = item.entry;
        years.push(u64::try_from(e.date.year() - year0).unwrap_or(0));
        let status = status_ids.iter().position(|s| *s == e.status);
        statuses.push(status.unwrap_or(0) as u64);
        let thread = e
            .thread
            .as_deref()
            .and_then(|t| thread_ids.iter().position(|id| *id == t));
        threads.push(thread.map_or(0, |k| k as u64 + 1));
        let mut bits = vec![0u8; theme_width];
        for t in &e.themes {
            if let Some(k) = theme_ids.iter().position(|id| id == t) {
                bits[k / 5] |= 1 << (k % 5);
            }
        }
        themes.extend(bits.iter().map(|&b| char::from(DIGITS[usize::from(b)])));
    }
    let (year, year_width) = fixed(&years);
    let (status, status_width) = fixed(&statuses);
    let (thread, thread_width) = fixed(&threads);
    let labelled = |id: &str, name: &str| serde_json::json!({"id": id, "name": name});
    let meta = serde_json::json!({
        "total": list.len(),
        "themes": config.themes.iter().map(|t| labelled(&t.id, lang.labels.theme_name(t))).collect::<Vec<_>>(),
        "statuses": config.statuses.iter().map(|s| labelled(&s.id, lang.labels.status(&s.id))).collect::<Vec<_>>(),
        "threads": config.threads.iter().map(|t| labelled(&t.id, lang.labels.thread_name(t))).collect::<Vec<_>>(),
        "year0": year0,
        "year": {"w": year_width, "s": year},
        "status": {"w": status_width, "s": status},
        "thread": {"w": thread_width, "s": thread},
        "theme": {"w": theme_width, "s": themes},
    });
    let mut s = serde_json::to_string(&meta).expect("JSON values serialise");
    s.push('\n');
    sink.write(lang.at(Route::SearchMeta), s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_before_they_are_lowercased() {
        // What annals.js's terms() gives for the same text (checked in node).
        let t: Vec<String> = terms("ΝΟΜΟΣ İstanbul كَتَبَ हिन्दी").collect();
        assert_eq!(t, ["νομος", "i\u{307}stanbul", "كَتَبَ", "हिन", "दी"]);
    }

    #[test]
    fn terms_fold_case_and_cyrillic() {
        let t: Vec<String> = terms("Torture LAW, Закон о Пытках; ЁЛКА қазақ-тілі the").collect();
        assert_eq!(
            t,
            ["torture", "law", "закон", "пытках", "елка", "казак", "тили"]
        );
    }

    #[test]
    fn every_stopword_fits_the_length_check() {
        assert_eq!(STOPWORDS.iter().map(|w| w.len()).max(), Some(STOPWORD_MAX));
    }

    #[test]
    fn stopwords_are_dropped_and_nothing_else() {
        for w in STOPWORDS {
            assert!(!keep(w), "{w}");
        }
        for w in [
            "ab", "ann", "thee", "th", "withs", "из", "дляя", "что1", "ее",
        ] {
            assert!(keep(w), "{w}");
        }
        assert!(!keep("x"), "one letter");
    }

    #[test]
    fn shard_hash_uses_the_first_three_letters() {
        // FNV-1a of "tor"; annals.js computes the same.
        assert_eq!(shard_hash("torture"), shard_hash("tor"));
        // Values computed by annals.js's fnv1a() in node.
        assert_eq!(shard_hash("tor"), 0xa910_df62);
        assert_eq!(shard_hash("закон"), 0xc843_43b6);
    }

    #[test]
    fn html_text_decodes_entities_once() {
        assert_eq!(
            html_text("a &amp;lt; b &lt;c&gt; &#39;d&#39; &quot;e&quot; & f"),
            "a &lt; b <c> 'd' \"e\" & f"
        );
    }

    #[test]
    fn weights_put_the_title_over_the_summary_over_the_text() {
        let w = |title, summary, body| {
            weight(Counts {
                title,
                summary,
                body,
                theme: false,
            })
        };
        assert!(w(1, 0, 0) > w(0, 3, 100));
        assert!(w(0, 1, 0) > w(0, 0, 100));
        assert!(w(0, 2, 0) > w(0, 1, 0));
        assert!(w(0, 0, 5) > w(0, 0, 1), "term frequency counts");
        assert_eq!(w(0, 0, 1), 1);
        assert!(w(100, 100, 100) < PACK);
    }

    #[test]
    fn facet_strings_are_fixed_width_base_32() {
        assert_eq!(fixed(&[0, 5, 31]), ("05v".to_string(), 1));
        assert_eq!(fixed(&[32, 1]), ("1001".to_string(), 2));
        assert_eq!(fixed(&[]), (String::new(), 0));
        assert_eq!(fixed(&[0, 0]), (String::new(), 0));
    }

    #[test]
    fn excerpts_are_cut_at_a_word() {
        let long = format!("<p>{}</p>", "word ".repeat(200));
        let e = excerpt(&long);
        assert!(
            e.ends_with("word…") && e.chars().count() <= EXCERPT + 1,
            "{e}"
        );
        assert_eq!(excerpt("<p>a &amp; b</p>\n<p>c</p>"), "a & b c");
    }

    #[test]
    fn an_excerpt_from_the_start_of_the_html_is_the_whole_texts() {
        // Long words, entities and tags around the cut: the fast path must agree with the
        // excerpt of the whole text, or leave it to it.
        for pad in 0..40 {
            for unit in [
                "w ",
                "word &amp; ",
                "<em>wörd</em> ",
                "Ёлка&lt;b&gt; ",
                "x<br>",
            ] {
                let html = format!("<p>{}{}</p>", "a".repeat(pad), unit.repeat(400));
                let whole = excerpt_of(&html_text(&html), false).unwrap();
                assert_eq!(excerpt(&html), whole, "{pad} {unit}");
            }
        }
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn runs_are_what_splitting_gives() {
        let texts = [
            "",
            " ",
            "a",
            "Torture LAW, Закон о Пытках; ЁЛКА қазақ-тілі the",
            "ΝΟΜΟΣ İstanbul كَتَبَ हिन्दी ½ ² ٣ 12.10 x\u{301}y",
            "--a--b--",
            "\u{a0}word\u{2003}next\u{feff}",
        ];
        for t in texts {
            let split: Vec<&str> = t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            assert_eq!(runs(t).collect::<Vec<_>>(), split, "{t:?}");
        }
    }

    /// What the index held for a document before [`Tokeniser`]: [`words`] of each part,
    /// counted in a map of strings.
    fn reference_terms(
        title: &str,
        summary: &str,
        html: &str,
        themes: &[&str],
    ) -> Vec<(String, u32)> {
        let mut counts: std::collections::BTreeMap<String, Counts> = Default::default();
        for w in words(title) {
            counts.entry(w.into_owned()).or_default().title += 1;
        }
        for w in words(summary) {
            counts.entry(w.into_owned()).or_default().summary += 1;
        }
        for w in words(&html_text(html)) {
            counts.entry(w.into_owned()).or_default().body += 1;
        }
        for t in themes {
            for w in words(t) {
                counts.entry(w.into_owned()).or_default().theme = true;
            }
        }
        counts.into_iter().map(|(t, c)| (t, weight(c))).collect()
    }

    fn tokenised_terms(
        title: &str,
        summary: &str,
        html: &str,
        themes: &[&str],
    ) -> Vec<(String, u32)> {
        let mut t = Tokeniser::default();
        let mut out = Vec::new();
        // A first document fills the vocabulary, so the second is looked up, not added.
        for _ in 0..2 {
            out.clear();
            t.document(
                &Text {
                    title,
                    summary,
                    html,
                },
                themes,
                &mut out,
            );
        }
        let mut terms: Vec<(String, u32)> = out
            .iter()
            .map(|&(id, w)| (t.vocab.terms[id as usize].to_string(), u32::from(w)))
            .collect();
        terms.sort();
        terms
    }

    /// Text with what the tokeniser treats apart: capitals, long words, non-ASCII letters
    /// and marks, entities known and not, tags, stopwords, digits.
    fn texts() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("The".to_string()),
            Just("and ".to_string()),
            Just("Ёлка".to_string()),
            Just("ҚАЗАҚ".to_string()),
            Just("Éléphant".to_string()),
            Just("ΣΊΣΥΦΟΣ".to_string()),
            Just("İstanbul".to_string()),
            Just("x\u{301}y".to_string()),
            Just("&amp;".to_string()),
            Just("&lt;b&gt;".to_string()),
            Just("&eacute;".to_string()),
            Just("&#39;".to_string()),
            Just("&".to_string()),
            Just("<em>".to_string()),
            Just("<a href=\"x\">".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("Supercalifragilisticexpialidocious".to_string()),
            Just("ABCDEFGHIJKLMNOPQ".to_string()),
            Just("abcdefghijklmnop".to_string()),
            Just("12.10".to_string()),
            Just("\u{2019}s".to_string()),
            "[a-zA-Z0-9 ,.;-]{0,12}",
            "\\PC{0,4}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|v| v.join(""))
    }

    proptest::proptest! {
        #[test]
        fn scanning_html_gives_the_words_of_its_text(html in texts()) {
            let mut got = Vec::new();
            scan::<true>(&html, |w, ascii| {
                assert_eq!(ascii, w.is_ascii());
                got.push(w.to_string());
            });
            let text = html_text(&html);
            let want: Vec<&str> = runs(&text).collect();
            proptest::prop_assert_eq!(got, want);
            let mut plain = Vec::new();
            scan::<false>(&html, |w, _| plain.push(w.to_string()));
            proptest::prop_assert_eq!(plain, runs(&html).collect::<Vec<_>>());
        }

        #[test]
        fn the_tokeniser_counts_what_the_words_give(
            title in texts(), summary in texts(), html in texts(), theme in texts()
        ) {
            let themes = [theme.as_str(), "Death penalty"];
            proptest::prop_assert_eq!(
                tokenised_terms(&title, &summary, &html, &themes),
                reference_terms(&title, &summary, &html, &themes)
            );
        }
    }

    #[test]
    fn a_term_cache_reads_back_as_written_and_a_damaged_one_is_ignored() {
        let terms: Vec<Box<str>> = vec!["law".into(), "закон".into()];
        let mut out = CacheOut::default();
        for (key, pairs) in [
            (7u128, vec![(0u32, 33u8), (1, 1)]),
            (u128::MAX, vec![(1, 63)]),
        ] {
            out.docs.extend_from_slice(&key.to_le_bytes());
            put_varint(&mut out.docs, pairs.len() as u64);
            for (id, w) in pairs {
                put_varint(&mut out.docs, u64::from(id));
                out.docs.push(w);
            }
            out.count += 1;
        }
        let mut bytes = Vec::new();
        out.write_to(&mut bytes, &terms, b"me").unwrap();
        let cache = TermCache::parse(bytes.clone(), b"me").expect("reads back");
        assert_eq!(cache.terms, terms);
        let mut got = Vec::new();
        cache.pairs(cache.docs[&7], |id, w| got.push((id, w)));
        assert_eq!(got, [(0, 33), (1, 1)]);
        assert!(TermCache::parse(bytes.clone(), b"another").is_none());
        for cut in 0..bytes.len() {
            assert!(
                TermCache::parse(bytes[..cut].to_vec(), b"me").is_none(),
                "{cut}"
            );
        }
        for at in 0..bytes.len() {
            let mut b = bytes.clone();
            b[at] ^= 0x40;
            assert!(TermCache::parse(b, b"me").is_none(), "{at}");
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 64, 99_999, u32::MAX] {
            let mut s = String::new();
            push_u32(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn html_text_strips_tags() {
        assert_eq!(
            html_text("<p>a &amp; <em>b</em></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["a", "&", "b"]
        );
    }
}
