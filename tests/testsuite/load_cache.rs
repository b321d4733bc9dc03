//! The parsed-document cache (`.annals-cache/documents`): a rebuild parses only the files
//! whose bytes (or whose other inputs: the site's themes and ids, the annals binary)
//! changed, every diagnostic appears again on every build, a damaged cache is ignored and
//! an unwritable one is skipped, and every result equals a clean build in a fresh
//! directory. `ANNALS_TIMINGS` makes the loader say how many files came from the cache.

use crate::util::{Run, Site, run_env, snapshot};
use std::collections::BTreeMap;

const SITE_YAML: &str = "title: \"Loads\"\ndescription: \"A site for the document cache tests.\"\nbase_url: \"https://reforms.test/l/\"\nlanguage: en\nthemes:\n  courts:\n    name: \"Courts\"\n  media:\n    name: \"Media\"\n";

fn entry(title: &str, date: &str, theme: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nstatus: adopted\ninstrument: law\nthemes: [{theme}]\nsummary: \"About {title}.\"\nsources:\n  - title: \"Source\"\n    url: \"https://example.org/s/{date}\"\n---\n{body}\n"
    )
}

/// Three entries and a page, without a single warning.
fn site() -> Site {
    let site = Site::fixture("basic");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    site.write("site.yaml", SITE_YAML)
        .write(
            "content/entries/hub.md",
            entry("Hub", "2019-05-01", "courts", "The hub."),
        )
        .write(
            "content/entries/law-a.md",
            entry(
                "Law A",
                "2020-01-01",
                "courts",
                "Intro.\n\nSee [the hub](hub.md) and [B](law-b.md).",
            ),
        )
        .write(
            "content/entries/law-b.md",
            entry("Law B", "2021-03", "media", "Plain body."),
        )
        .write(
            "content/pages/about.md",
            "---\ntitle: \"About\"\nsummary: \"The about page.\"\n---\nRead [the hub](../entries/hub.md).\n",
        );
    site
}

/// `annals build --clean` (which never takes the whole-build shortcut, so the loader always
/// runs) with timings on.
fn build_env(site: &Site, env: &[(&str, &str)]) -> Run {
    let root = site.root.display().to_string();
    let mut all = vec![("ANNALS_TIMINGS", "1")];
    all.extend_from_slice(env);
    run_env(&["build", "--clean", "--root", &root], &all)
}

fn build(site: &Site) -> Run {
    let r = build_env(site, &[]);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}

/// (files from the cache, files parsed), as the loader reports them.
fn loads(r: &Run) -> (usize, usize) {
    let line = r
        .stderr
        .lines()
        .find_map(|l| {
            l.split("document cache: ")
                .nth(1)
                .filter(|l| l.contains("parsed"))
        })
        .unwrap_or_else(|| panic!("no cache line in:\n{}", r.stderr));
    let n: Vec<usize> = line
        .split(' ')
        .filter_map(|w| w.trim_end_matches(',').parse().ok())
        .collect();
    (n[0], n[1])
}

/// What a clean build of the site's sources writes in a fresh directory.
fn fresh(site: &Site) -> BTreeMap<String, Vec<u8>> {
    crate::util::fresh_build(site, &[], &[])
}

fn output(site: &Site) -> BTreeMap<String, Vec<u8>> {
    snapshot(&site.path("public"))
}

/// Edits law-b's body ("Plain body." becomes "An edited body.").
fn edit_law_b(site: &Site) {
    let text = std::fs::read_to_string(site.path("content/entries/law-b.md")).unwrap();
    site.write(
        "content/entries/law-b.md",
        text.replace("Plain body.", "An edited body."),
    );
}

fn cache_file(site: &Site) -> std::path::PathBuf {
    site.path(".annals-cache/documents")
}

fn delta_file(site: &Site) -> std::path::PathBuf {
    site.path(".annals-cache/documents.new")
}

#[test]
fn an_edit_parses_only_the_edited_file_and_the_site_equals_a_clean_build() {
    let site = site();
    assert_eq!(loads(&build(&site)), (0, 4));
    assert!(cache_file(&site).is_file());
    assert_eq!(loads(&build(&site)), (4, 0), "nothing changed");
    assert_eq!(output(&site), fresh(&site));
    let whole = std::fs::read(cache_file(&site)).unwrap();
    edit_law_b(&site);
    assert_eq!(loads(&build(&site)), (3, 1));
    // The edited file is recorded beside the cache, which is not written again.
    assert!(delta_file(&site).is_file());
    assert_eq!(std::fs::read(cache_file(&site)).unwrap(), whole);
    assert!(
        site.out("entries/law-b/index.html")
            .contains("An edited body.")
    );
    // The links of a document from the cache are resolved in this build.
    assert!(
        site.out("entries/law-a/index.html")
            .contains("href=\"../../entries/law-b/\""),
        "{}",
        site.out("entries/law-a/index.html")
    );
    assert_eq!(output(&site), fresh(&site));
    assert_eq!(loads(&build(&site)), (4, 0));
}

#[test]
fn a_site_yaml_change_the_loader_reads_makes_every_file_load_again() {
    let site = site();
    build(&site);
    // The site's title is not read by the loader: every file stays cached.
    site.write("site.yaml", SITE_YAML.replace("\"Loads\"", "\"Other\""));
    assert_eq!(loads(&build(&site)), (4, 0));
    assert_eq!(output(&site), fresh(&site));
    // A theme's name is: every file is loaded again.
    site.write("site.yaml", SITE_YAML.replace("\"Media\"", "\"Press\""));
    assert_eq!(loads(&build(&site)), (0, 4));
    assert_eq!(output(&site), fresh(&site));
    // Without the theme law-b uses, the cached entry is invalid, and says so.
    site.write(
        "site.yaml",
        SITE_YAML.replace("  media:\n    name: \"Media\"\n", ""),
    );
    let r = build_env(&site, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("unknown theme `media`")
            && r.stderr.contains("content/entries/law-b.md:6:"),
        "{}",
        r.stderr
    );
}

#[test]
fn another_annals_binary_loads_every_file_again() {
    let site = site();
    let one = [("ANNALS_TEST_BINARY_ID", "one")];
    assert_eq!(loads(&build_env(&site, &one)), (0, 4));
    assert_eq!(loads(&build_env(&site, &one)), (4, 0));
    let two = [("ANNALS_TEST_BINARY_ID", "two")];
    assert_eq!(loads(&build_env(&site, &two)), (0, 4));
    assert_eq!(output(&site), fresh(&site));
}

#[test]
fn a_file_with_a_warning_shows_it_on_every_build() {
    let site = site();
    site.write(
        "content/entries/law-c.md",
        "---\ntitle: \"Law C\"\ndate: 2022\nstatus: adopted\ninstrument: law\nthemes: [media]\nsummary: \"About C.\"\n---\nNo sources.\n",
    );
    let first = build(&site);
    assert!(
        first.stderr.contains("warning[no-sources]"),
        "{}",
        first.stderr
    );
    let second = build(&site);
    assert_eq!(
        loads(&second),
        (4, 1),
        "the file with a warning is parsed again"
    );
    let warning = |r: &Run| {
        r.redacted_stderr(&site)
            .lines()
            .skip_while(|l| !l.starts_with("warning[no-sources]"))
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(warning(&first), warning(&second));
    assert!(warning(&second).contains("content/entries/law-c.md:1:1"));
}

#[test]
fn a_link_stage_error_in_a_cached_document_is_placed_in_its_file() {
    let site = site();
    build(&site);
    // law-a comes from the cache; its link to law-b is now broken, and shown at its line
    // (the file is read again for it, its bytes being those that were loaded).
    site.remove("content/entries/law-b.md");
    let r = build_env(&site, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(loads(&r), (3, 0));
    let err = r.redacted_stderr(&site);
    assert!(
        err.contains("content/entries/law-a.md:14:")
            && err.contains("See [the hub](hub.md) and [B](law-b.md)."),
        "{err}"
    );
}

#[test]
fn a_file_with_a_bom_is_cached_by_its_bytes_and_read_again_for_a_position() {
    let site = site();
    let text = std::fs::read_to_string(site.path("content/entries/law-a.md")).unwrap();
    site.write("content/entries/law-a.md", format!("\u{feff}{text}"));
    assert_eq!(loads(&build(&site)), (0, 4));
    assert_eq!(loads(&build(&site)), (4, 0));
    assert_eq!(output(&site), fresh(&site));
    // The same text without its BOM is other bytes: parsed again, the same site.
    site.write("content/entries/law-a.md", &text);
    assert_eq!(loads(&build(&site)), (3, 1));
    assert_eq!(output(&site), fresh(&site));
    site.write("content/entries/law-a.md", format!("\u{feff}{text}"));
    build(&site);
    assert_eq!(loads(&build(&site)), (4, 0));
    assert_eq!(output(&site), fresh(&site));
    // A broken link in the cached BOM file is placed at its line: the file read again is
    // checked against the hash of the bytes it was loaded from, BOM and all.
    site.remove("content/entries/law-b.md");
    let r = build_env(&site, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(loads(&r), (3, 0));
    let err = r.redacted_stderr(&site);
    assert!(err.contains("content/entries/law-a.md:14:"), "{err}");
}

#[test]
fn a_translation_is_compared_with_an_original_from_the_cache() {
    let site = site();
    site.write(
        "site.yaml",
        format!(
            "{}languages:\n  - code: en\n  - code: ru\n",
            SITE_YAML.replace("language: en\n", "")
        ),
    )
    .write(
        "content/entries/law-b.ru.md",
        "---\ntitle: \"Закон Б\"\n---\nПростой текст.\n",
    );
    let r = site.annals(&["translations", "--stamp", "content/entries/law-b.ru.md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!build(&site).stderr.contains("translation-"));
    // The original changes: its translation is outdated, on this build (the original
    // parsed) and on the next (the original from the cache, compared as loaded).
    let text = std::fs::read_to_string(site.path("content/entries/law-b.md")).unwrap();
    site.write(
        "content/entries/law-b.md",
        text.replace("Plain body.", "A new body."),
    );
    let outdated = |r: &Run| {
        r.redacted_stderr(&site)
            .lines()
            .skip_while(|l| !l.starts_with("warning[translation-outdated]"))
            .take(3)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let first = build(&site);
    assert_eq!(loads(&first), (3, 1));
    assert!(outdated(&first).contains("law-b.ru.md"), "{}", first.stderr);
    let second = build(&site);
    assert_eq!(loads(&second), (4, 0));
    assert_eq!(outdated(&first), outdated(&second));
    assert_eq!(output(&site), fresh(&site));
}

#[test]
fn a_damaged_truncated_or_foreign_cache_is_ignored() {
    let site = site();
    build(&site);
    let good = std::fs::read(cache_file(&site)).unwrap();
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let mut older = good.clone();
    older[17] = b'0'; // "annals documents 0"
    let damaged: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() / 3].to_vec()),
        ("one byte changed", flipped),
        ("an older format", older),
        ("empty", Vec::new()),
        ("foreign", b"PK\x03\x04 not a cache at all".to_vec()),
        ("only the digest's length", vec![0; 16]),
    ];
    for (what, bytes) in damaged {
        std::fs::write(cache_file(&site), &bytes).unwrap();
        let r = build(&site);
        assert_eq!(loads(&r), (0, 4), "{what}");
        assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
        assert_eq!(output(&site), fresh(&site), "{what}");
        // Written anew, and good again.
        assert_eq!(loads(&build(&site)), (4, 0), "{what}");
    }
}

/// The cache is read a chunk at a time, each chunk's records decoded while the next is
/// read: wherever chunks end (in the header, a path, an item), every document comes back,
/// from `documents` and from `documents.new`, and a damaged file is refused whole — a
/// length or a path that cannot be at once, without reading on.
#[test]
fn the_cache_reads_the_same_wherever_its_chunks_end() {
    let site = site();
    build(&site);
    edit_law_b(&site);
    build(&site);
    let (good, delta) = (
        std::fs::read(cache_file(&site)).unwrap(),
        std::fs::read(delta_file(&site)).unwrap(),
    );
    let want = output(&site);
    // The first record: its path's length, after the format line, key and scheme.
    let scheme_len = u32::from_le_bytes(good[35..39].try_into().unwrap()) as usize;
    let first = 39 + scheme_len;
    let path_len = u32::from_le_bytes(good[first..first + 4].try_into().unwrap()) as usize;
    let item_len_at = first + 4 + path_len + 17;
    let changed = |at: usize, byte: u8| {
        let mut b = good.clone();
        b[at] = byte;
        b
    };
    let damaged = [
        ("cut short", good[..good.len() - 1].to_vec()),
        (
            "a byte changed near the end",
            changed(good.len() - 20, good[good.len() - 20] ^ 1),
        ),
        (
            "a first item longer than the file",
            changed(item_len_at + 3, 0x7f),
        ),
        ("a first path that is not UTF-8", changed(first + 4, 0xff)),
    ];
    let whole = good.len().to_string();
    for chunk in ["1", "3", "17", "64", "500", whole.as_str()] {
        let env = [("ANNALS_TEST_READ_CHUNK", chunk)];
        std::fs::write(cache_file(&site), &good).unwrap();
        std::fs::write(delta_file(&site), &delta).unwrap();
        let r = build_env(&site, &env);
        assert_eq!(loads(&r), (4, 0), "chunk {chunk}:\n{}", r.stderr);
        assert_eq!(output(&site), want, "chunk {chunk}");
        for (what, bytes) in &damaged {
            std::fs::write(cache_file(&site), bytes).unwrap();
            let r = build_env(&site, &env);
            assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
            assert_eq!(loads(&r), (0, 4), "{what}, chunk {chunk}");
            assert_eq!(output(&site), want, "{what}, chunk {chunk}");
        }
    }
}

#[test]
fn a_damaged_record_of_recent_changes_is_ignored() {
    let site = site();
    build(&site);
    edit_law_b(&site);
    build(&site);
    assert_eq!(loads(&build(&site)), (4, 0), "from both files");
    let delta = std::fs::read(delta_file(&site)).unwrap();
    std::fs::write(delta_file(&site), &delta[..delta.len() - 1]).unwrap();
    // The cache without it: law-b's record there is of its old bytes.
    assert_eq!(loads(&build(&site)), (3, 1));
    assert_eq!(output(&site), fresh(&site));
    // A new whole cache makes the old record of recent changes meaningless.
    std::fs::write(delta_file(&site), &delta).unwrap();
    std::fs::remove_file(cache_file(&site)).unwrap();
    assert_eq!(loads(&build(&site)), (0, 4));
    assert!(
        !delta_file(&site).exists(),
        "removed with the whole cache written"
    );
    std::fs::write(delta_file(&site), &delta).unwrap();
    assert_eq!(loads(&build(&site)), (4, 0));
    assert_eq!(output(&site), fresh(&site));
}

#[test]
fn an_unwritable_cache_is_skipped_without_a_word() {
    let site = site();
    // A folder where the cache file would go: the rename fails.
    std::fs::create_dir_all(cache_file(&site)).unwrap();
    let r = build(&site);
    assert_eq!(loads(&r), (0, 4));
    assert!(
        !r.stderr.contains("warning") && !r.stderr.contains("error"),
        "{}",
        r.stderr
    );
    assert_eq!(loads(&build(&site)), (0, 4));
    assert!(
        std::fs::read_dir(site.path(".annals-cache"))
            .unwrap()
            .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")),
        "no temporary file is left"
    );
    assert_eq!(output(&site), fresh(&site));
    // A file where the cache folder would be: nothing can be written at all.
    std::fs::remove_dir_all(site.path(".annals-cache")).unwrap();
    site.write(".annals-cache", "not a folder");
    let r = build(&site);
    assert_eq!(loads(&r), (0, 4));
    assert_eq!(output(&site), fresh(&site));
}

#[test]
fn check_writes_the_cache_too() {
    let site = site();
    let root = site.root.display().to_string();
    let r = run_env(&["check", "--root", &root], &[("ANNALS_TIMINGS", "1")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(loads(&r), (0, 4));
    assert_eq!(loads(&build(&site)), (4, 0), "check recorded the files");
}
