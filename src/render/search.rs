//! The search index, built with the site and served as static files, sharded so that a
//! query downloads only what it needs: term shards (`search/t/<n>.json`, term → ascending
//! doc ids, delta-encoded) chosen by a hash of a term's first three letters, with a number
//! of shards (a power of two) sized to the index so each stays small; result data in small
//! chunks of documents (`search/d/<n>.json`); and facet data (`search/meta.json`) loaded
//! only when a facet is used. Every shard file exists (possibly `{}`), so the browser never
//! asks for a missing one. `static/annals.js` reads it; both sides fold text the same way
//! (lowercase, ё → е, split on anything that is not a letter or digit) and hash the same
//! way (FNV-1a over UTF-8).

use super::views::Item;
use super::{Recorder, Site};
use crate::config::Config;
use crate::output::IoError;
use crate::routes::Route;
use rayon::prelude::*;
use std::collections::HashMap;
use std::fmt::Write;

/// Documents per result chunk.
pub const CHUNK: usize = 16;
/// Letters in a shard key.
pub const KEY: usize = 3;

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with",
    "и", "в", "на", "с", "по", "не", "что", "для",
];

/// Splits text into words and folds each, as the browser does: split on anything that is
/// not alphabetic or numeric (JS `[^\p{Alphabetic}\p{N}]`), then lowercase the whole word
/// (so a final Σ becomes ς on both sides) and fold ё to е.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    words(text).map(std::borrow::Cow::into_owned)
}

/// The folded, kept words of `text`, borrowed where folding changes nothing.
fn words(text: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
        .filter(|w| keep(w))
}

/// Lowercases a word (borrowing it when it already is) and folds ё to е.
fn fold(w: &str) -> std::borrow::Cow<'_, str> {
    if w.chars().all(|c| c.is_lowercase() || !c.is_alphabetic()) && !w.contains('ё') {
        return std::borrow::Cow::Borrowed(w);
    }
    let lower = w.to_lowercase();
    std::borrow::Cow::Owned(if lower.contains('ё') {
        lower.replace('ё', "е")
    } else {
        lower
    })
}

/// The longest stopword, in bytes: longer words skip the list.
const STOPWORD_MAX: usize = 6;

fn keep(w: &str) -> bool {
    w.chars().nth(1).is_some() && !(w.len() <= STOPWORD_MAX && STOPWORDS.contains(&w))
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
    while let Some(i) = rest.find(['<', '&']) {
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

/// The unique terms of one document, sorted and joined by `\n` (one allocation per
/// document instead of one per word).
fn doc_terms(item: &Item) -> String {
    let (e, card) = (item.entry, item.card);
    let mut text = String::with_capacity(e.doc.html.len() + e.summary.len() + 256);
    text.push_str(&e.doc.title);
    text.push(' ');
    text.push_str(&e.summary);
    text.push(' ');
    push_html_text(&mut text, &e.doc.html);
    for t in &card.themes {
        text.push(' ');
        text.push_str(&t.name);
    }
    let mut unique: Vec<std::borrow::Cow<str>> = words(&text).collect();
    unique.sort_unstable();
    unique.dedup();
    unique.join("\n")
}

fn json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).expect("strings serialise"));
}

/// Writes the index files (under `search/`) of the published entries, oldest first:
/// drafts are never indexed, even when their pages are built (`--drafts`).
pub(super) fn write_index(site: &Site, sink: &Recorder) -> Result<(), IoError> {
    let list = &site.published;
    let shard_count = write_shards(&postings(list), sink)?;
    // What the script needs before anything else: how to find shards and chunks.
    sink.write(
        Route::SearchIndex,
        format!(
            "{{\"shards\":{shard_count},\"chunk\":{CHUNK},\"key\":{KEY},\"total\":{}}}\n",
            list.len()
        )
        .as_bytes(),
    )?;
    write_chunks(list, sink)?;
    write_meta(site.config, list, sink)
}

/// Term → ascending ids (positions in `list`) of the documents that hold it.
fn postings(list: &[Item]) -> HashMap<String, Vec<u32>> {
    // Tokenise a batch of documents in parallel, merge it in document order (postings come
    // out sorted), drop it, go on: memory holds the postings, not every document's terms.
    const BATCH: usize = 1024;
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    for (b, batch) in list.chunks(BATCH).enumerate() {
        let blobs: Vec<String> = batch.par_iter().map(doc_terms).collect();
        for (k, blob) in blobs.iter().enumerate() {
            let doc = (b * BATCH + k) as u32;
            for term in blob.split('\n').filter(|t| !t.is_empty()) {
                match postings.get_mut(term) {
                    Some(ids) => ids.push(doc),
                    None => {
                        postings.insert(term.to_string(), vec![doc]);
                    }
                }
            }
        }
    }
    postings
}

/// Writes the term shards; returns how many there are.
fn write_shards(postings: &HashMap<String, Vec<u32>>, sink: &Recorder) -> Result<usize, IoError> {
    // Size the shards: a power of two, so that each holds about SHARD_BYTES.
    let estimate: usize = postings
        .iter()
        .map(|(t, ids)| t.len() + 4 + ids.len() * 3)
        .sum();
    let shard_count = (estimate / SHARD_BYTES).clamp(1, 4096).next_power_of_two();
    let mut shards: Vec<Vec<(&str, &Vec<u32>)>> = vec![Vec::new(); shard_count];
    for (term, ids) in postings {
        shards[shard_hash(term) as usize & (shard_count - 1)].push((term.as_str(), ids));
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
                let mut prev = 0u32;
                for (j, id) in ids.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{}", id - prev);
                    prev = *id;
                }
                out.push(']');
            }
            out.push_str("}\n");
            sink.write(Route::SearchShard(k), out.as_bytes())
        })?;
    Ok(shard_count)
}

/// Writes the result data, `CHUNK` documents a file.
fn write_chunks(list: &[Item], sink: &Recorder) -> Result<(), IoError> {
    list.par_chunks(CHUNK)
        .enumerate()
        .try_for_each(|(n, chunk)| {
            let docs: Vec<serde_json::Value> = chunk
                .iter()
                .map(|item| {
                    let c = item.card;
                    serde_json::json!([
                        c.url,
                        c.title,
                        c.when.text,
                        c.themes
                            .iter()
                            .map(|t| t.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        c.summary,
                        c.status.label,
                    ])
                })
                .collect();
            let mut s = serde_json::to_string(&docs).expect("JSON values serialise");
            s.push('\n');
            sink.write(Route::SearchChunk(n), s.as_bytes())
        })
}

/// Writes the facets: per document its start year, status index and theme indices.
fn write_meta(config: &Config, list: &[Item], sink: &Recorder) -> Result<(), IoError> {
    let theme_ids: Vec<&str> = config.themes.iter().map(|t| t.id.as_str()).collect();
    let status_ids: Vec<&str> = config.statuses.iter().map(|s| s.id.as_str()).collect();
    let mut years = Vec::with_capacity(list.len());
    let mut statuses = Vec::with_capacity(list.len());
    let mut themes = Vec::with_capacity(list.len());
    for item in list {
        let e = item.entry;
        years.push(e.date.year());
        statuses.push(status_ids.iter().position(|s| *s == e.status).unwrap_or(0));
        let positions: Vec<usize> = e
            .themes
            .iter()
            .filter_map(|t| theme_ids.iter().position(|id| id == t))
            .collect();
        themes.push(positions);
    }
    let meta = serde_json::json!({
        "total": list.len(),
        "chunk": CHUNK,
        "key": KEY,
        "themes": config.themes.iter().map(|t| serde_json::json!({"id": t.id, "name": t.name})).collect::<Vec<_>>(),
        "statuses": config.statuses.iter().map(|s| serde_json::json!({"id": s.id, "label": s.label})).collect::<Vec<_>>(),
        "year": years,
        "status": statuses,
        "theme": themes,
    });
    let mut s = serde_json::to_string(&meta).expect("JSON values serialise");
    s.push('\n');
    sink.write(Route::SearchMeta, s.as_bytes())
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
            ["torture", "law", "закон", "пытках", "елка", "қазақ", "тілі"]
        );
    }

    #[test]
    fn every_stopword_fits_the_length_check() {
        assert_eq!(STOPWORDS.iter().map(|w| w.len()).max(), Some(STOPWORD_MAX));
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
    fn html_text_strips_tags() {
        assert_eq!(
            html_text("<p>a &amp; <em>b</em></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["a", "&", "b"]
        );
    }
}
