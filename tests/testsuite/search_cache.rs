//! The search index's cache of terms (`<root>/.annals-cache/search-<language>`): a rebuild
//! tokenises only the entries whose words changed, its output is always byte-identical to
//! a clean build in a fresh directory, and a cache that is damaged, foreign, older or
//! cannot be written is ignored, never an error.

use crate::util::{Run, Site, run_env, snapshot};
use std::collections::BTreeMap;

const CACHE: &str = ".annals-cache/search-en";
/// The cache file's first line (see `render::search`).
const HEAD: &[u8] = b"annals search cache 1\n";

fn build(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let root = site.root.display().to_string();
    let mut args = vec!["build", "--root", &root];
    args.extend_from_slice(extra);
    let r = run_env(&args, env);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

/// What a clean build of the site's sources writes in a fresh directory, without a cache.
fn fresh(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let (_tmp, root) = crate::util::fresh_site(site, &[], &[]);
    assert!(!root.join(".annals-cache/search-en.tmp").exists());
    snapshot(&root.join("public"))
}

fn output(site: &Site) -> BTreeMap<String, Vec<u8>> {
    snapshot(&site.path("public"))
}

fn site() -> Site {
    let site = Site::fixture("basic");
    let _ = std::fs::remove_dir_all(site.path(".annals-cache"));
    site
}

fn append(site: &Site, rel: &str, text: &str) {
    let mut s = std::fs::read_to_string(site.path(rel)).unwrap();
    s.push_str(text);
    site.write(rel, s);
}

/// The cache with every occurrence of `from` replaced by `to` (of the same length) and its
/// checksum made right again: a cache this annals would take as its own.
fn forged(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let text = replace_bytes(bytes, from.as_bytes(), to.as_bytes());
    let body = &text[HEAD.len() + 16..];
    let sum = xxhash_rust::xxh3::xxh3_128(body).to_le_bytes();
    let mut out = HEAD.to_vec();
    out.extend_from_slice(&sum);
    out.extend_from_slice(body);
    out
}

fn replace_bytes(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The index's terms (the keys of every term shard).
fn indexed_terms(site: &Site) -> Vec<String> {
    let mut terms = Vec::new();
    for (rel, bytes) in output(site) {
        if rel.starts_with("search/t/") {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            terms.extend(v.as_object().unwrap().keys().cloned());
        }
    }
    terms.sort();
    terms
}

#[test]
fn a_rebuild_after_an_edit_equals_a_clean_build_and_keeps_the_cache_current() {
    let site = site();
    build(&site, &[], &[]);
    let first = std::fs::read(site.path(CACHE)).expect("the first build writes the cache");
    assert!(first.starts_with(HEAD));
    append(
        &site,
        "content/entries/office-2020.md",
        "\nA sentence about zygomorphic parliaments.\n",
    );
    build(&site, &[], &[]);
    assert_eq!(output(&site), fresh(&site));
    assert!(indexed_terms(&site).contains(&"zygomorphic".to_string()));
    let second = std::fs::read(site.path(CACHE)).unwrap();
    assert_ne!(first, second, "the edited entry's terms were cached");
    // A full render of unchanged entries finds every one in the cache and leaves it be.
    build(&site, &["--clean"], &[]);
    assert_eq!(std::fs::read(site.path(CACHE)).unwrap(), second);
    assert_eq!(output(&site), fresh(&site));
    // Deleting an entry: it leaves the index, and the cache with it.
    site.remove("content/entries/office-2020.md");
    build(&site, &[], &[]);
    assert_eq!(output(&site), fresh(&site));
    assert!(!indexed_terms(&site).contains(&"zygomorphic".to_string()));
}

#[test]
fn an_unchanged_entry_is_read_from_the_cache_of_the_same_annals_only() {
    let site = site();
    let me = [("ANNALS_TEST_BINARY_ID", "one")];
    build(&site, &[], &me);
    let terms = indexed_terms(&site);
    assert!(terms.contains(&"ombudsman".to_string()), "{terms:?}");
    // A cache that says "ombudsman" is "zzzzzzzzz": if it is read, the index says so.
    let bytes = std::fs::read(site.path(CACHE)).unwrap();
    site.write(CACHE, forged(&bytes, "ombudsman", "zzzzzzzzz"));
    build(&site, &["--clean"], &me);
    assert!(
        indexed_terms(&site).contains(&"zzzzzzzzz".to_string()),
        "the cache was used"
    );
    // Another annals ignores it and indexes the words themselves.
    site.write(CACHE, forged(&bytes, "ombudsman", "zzzzzzzzz"));
    build(&site, &["--clean"], &[("ANNALS_TEST_BINARY_ID", "two")]);
    assert_eq!(output(&site), fresh(&site));
}

#[test]
fn a_damaged_foreign_or_older_cache_is_ignored() {
    let site = site();
    build(&site, &[], &[]);
    let good = std::fs::read(site.path(CACHE)).unwrap();
    let mut flipped = good.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let older = replace_bytes(&good, b"search cache 1", b"search cache 0");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"not a cache at all".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("head only", HEAD.to_vec()),
        ("flipped bit", flipped),
        ("older format", older),
        ("longer", [good.as_slice(), b"more"].concat()),
    ];
    for (what, bytes) in cases {
        site.write(CACHE, &bytes);
        build(&site, &["--clean"], &[]);
        assert_eq!(output(&site), fresh(&site), "{what}");
        assert_eq!(
            std::fs::read(site.path(CACHE)).unwrap(),
            good,
            "{what}: replaced by a good cache"
        );
    }
}

#[test]
fn a_cache_that_cannot_be_written_fails_nothing() {
    let site = site();
    // A folder where the cache file goes: reading and renaming over it both fail.
    std::fs::create_dir_all(site.path(CACHE).join("inside")).unwrap();
    build(&site, &[], &[]);
    assert_eq!(output(&site), fresh(&site));
    let left: Vec<_> = std::fs::read_dir(site.path(".annals-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
