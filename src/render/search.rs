//! The search index, built with the site and served as static files, sharded so that a
//! query downloads only what it needs: term shards (`search/t/<n>.json`, term → ascending
//! doc ids, delta-encoded) chosen by a hash of a term's first three letters, with a number
//! of shards (a power of two) sized to the index so each stays small; result data in small
//! chunks of documents (`search/d/<n>.json`); and facet data (`search/meta.json`) loaded
//! only when a facet is used. Every shard file exists (possibly `{}`), so the browser never
//! asks for a missing one. `static/annals.js` reads it; both sides fold text the same way
//! (lowercase, ё → е, split on anything that is not a letter or digit) and hash the same
//! way (FNV-1a over UTF-8).

use super::views::EntryCard;
use crate::config::Config;
use crate::timeline::Chronicle;
use std::collections::BTreeMap;

/// Documents per result chunk.
pub const CHUNK: usize = 16;
/// Letters in a shard key.
pub const KEY: usize = 3;

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is",
    "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "with",
    "и", "в", "на", "с", "по", "не", "что", "для",
];

/// Folds and splits text into terms, as the browser does.
pub fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ё' { 'е' } else { c })
                .collect::<String>()
        })
        .filter(|w| w.chars().count() >= 2 && !STOPWORDS.contains(&w.as_str()))
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

/// Strips tags from rendered HTML and decodes the entities pulldown-cmark writes.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).expect("strings serialise"));
}

/// The files of the index: (path under the site, contents).
pub fn index(
    config: &Config,
    chronicle: &Chronicle,
    cards: &[EntryCard],
    list: &[usize],
) -> Vec<(String, String)> {
    let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (doc, &i) in list.iter().enumerate() {
        let e = &chronicle.entries[i];
        let c = &cards[i];
        let body = html_text(&e.doc.html);
        let themes: Vec<&str> = c.themes.iter().map(|t| t.name.as_str()).collect();
        let texts = [
            e.doc.title.as_str(),
            e.summary.as_str(),
            body.as_str(),
            &themes.join(" "),
        ];
        for t in texts.iter().flat_map(|t| terms(t)) {
            let ids = postings.entry(t).or_default();
            if ids.last() != Some(&(doc as u32)) {
                ids.push(doc as u32);
            }
        }
    }
    // Size the shards: a power of two, so that each holds about SHARD_BYTES.
    let estimate: usize = postings
        .iter()
        .map(|(t, ids)| t.len() + 4 + ids.len() * 3)
        .sum();
    let shard_count = (estimate / SHARD_BYTES).clamp(1, 4096).next_power_of_two();
    let mut shards: Vec<String> = vec!["{".to_string(); shard_count];
    for (term, ids) in &postings {
        let shard = &mut shards[shard_hash(term) as usize & (shard_count - 1)];
        if shard.len() > 1 {
            shard.push(',');
        }
        json_str(shard, term);
        shard.push_str(":[");
        let mut prev = 0u32;
        for (k, id) in ids.iter().enumerate() {
            if k > 0 {
                shard.push(',');
            }
            shard.push_str(&(id - prev).to_string());
            prev = *id;
        }
        shard.push(']');
    }
    let mut files: Vec<(String, String)> = shards
        .into_iter()
        .enumerate()
        .map(|(k, mut v)| {
            v.push_str("}\n");
            (format!("search/t/{k}.json"), v)
        })
        .collect();
    // What the script needs before anything else: how to find shards and chunks.
    files.push((
        "search/index.json".to_string(),
        format!(
            "{{\"shards\":{shard_count},\"chunk\":{CHUNK},\"key\":{KEY},\"total\":{}}}\n",
            list.len()
        ),
    ));
    for (n, chunk) in list.chunks(CHUNK).enumerate() {
        let docs: Vec<serde_json::Value> = chunk
            .iter()
            .map(|&i| {
                let c = &cards[i];
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
        files.push((format!("search/d/{n}.json"), s));
    }
    // Facets: per document its start year, status index and theme bit set.
    let theme_ids: Vec<&str> = config.themes.iter().map(|t| t.id.as_str()).collect();
    let status_ids: Vec<&str> = config.statuses.iter().map(|s| s.id.as_str()).collect();
    let mut years = Vec::with_capacity(list.len());
    let mut statuses = Vec::with_capacity(list.len());
    let mut themes = Vec::with_capacity(list.len());
    for &i in list {
        let e = &chronicle.entries[i];
        years.push(e.date.year());
        statuses.push(status_ids.iter().position(|s| *s == e.status).unwrap_or(0));
        let mask: u64 = e
            .themes
            .iter()
            .filter_map(|t| theme_ids.iter().position(|id| id == t))
            .filter(|&p| p < 53)
            .fold(0, |m, p| m | (1u64 << p));
        themes.push(mask);
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
    files.push(("search/meta.json".to_string(), s));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_fold_case_and_cyrillic() {
        let t: Vec<String> = terms("Torture LAW, Закон о Пытках; ЁЛКА қазақ-тілі the").collect();
        assert_eq!(
            t,
            ["torture", "law", "закон", "пытках", "елка", "қазақ", "тілі"]
        );
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
    fn html_text_strips_tags() {
        assert_eq!(
            html_text("<p>a &amp; <em>b</em></p>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["a", "&", "b"]
        );
    }
}
