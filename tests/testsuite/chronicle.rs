//! The shipped chronicle: it builds and checks clean, it is complete enough to follow each
//! track, and its key dates are pinned so that a careless edit is caught (each date is in
//! ../shared/sources/facts.md, section 0).

use crate::util::run;
use std::collections::HashMap;

fn built() -> (tempfile::TempDir, serde_json::Value) {
    let root = env!("CARGO_MANIFEST_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let r = run(&[
        "build",
        "--root",
        root,
        "--output",
        &out.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "the shipped chronicle must build:\n{}", r.stderr);
    let json = std::fs::read_to_string(out.join("timeline.json")).unwrap();
    (tmp, serde_json::from_str(&json).unwrap())
}

#[test]
fn key_dates_are_right() {
    let (_tmp, v) = built();
    let by_slug: HashMap<&str, &serde_json::Value> = v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["slug"].as_str().unwrap(), e))
        .collect();
    for (slug, date, precision) in [
        ("ombudsman-post-created-2002", "2002-09-19", "day"),
        ("death-penalty-moratorium-2003", "2003-12-17", "day"),
        (
            "death-penalty-constitution-narrowed-2007",
            "2007-05",
            "month",
        ),
        ("state-of-the-nation-address-2020", "2020-09-01", "day"),
        ("iccpr-op2-signature-2020", "2020-09-23", "day"),
        ("iccpr-op2-ratification-law-2021", "2021-01-02", "day"),
        ("human-rights-decree-2021", "2021-06-09", "day"),
        (
            "death-penalty-criminal-code-abolition-2021",
            "2021-12-29",
            "day",
        ),
        ("constitutional-referendum-2022", "2022-06-05", "day"),
        ("ombudsman-constitutional-law-2022", "2022-11-05", "day"),
        ("torture-law-2023", "2023-03-17", "day"),
        ("uncat-accession-1998", "1998", "year"),
    ] {
        let e = by_slug
            .get(slug)
            .unwrap_or_else(|| panic!("no entry {slug}"));
        assert_eq!(e["date"], date, "{slug}");
        assert_eq!(e["date_precision"], precision, "{slug}");
    }
}

#[test]
fn every_entry_is_sourced_and_linked_into_its_track() {
    let (_tmp, v) = built();
    let entries = v["entries"].as_array().unwrap();
    assert!(entries.len() >= 30, "{} entries", entries.len());
    for e in entries {
        let slug = e["slug"].as_str().unwrap();
        let sources = e["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "{slug} cites no source");
        for s in sources {
            assert!(s["url"].as_str().unwrap().starts_with("http"), "{slug}");
        }
        assert!(
            !e["related"].as_array().unwrap().is_empty(),
            "{slug} has no related entries"
        );
    }
}

#[test]
fn the_chronicle_checks_clean_in_strict_mode() {
    let root = env!("CARGO_MANIFEST_DIR");
    let r = run(&["check", "--strict", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn every_word_of_site_yaml_is_translated_into_russian_and_kazakh() {
    let root = env!("CARGO_MANIFEST_DIR");
    let r = run(&["translations", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for code in ["ru", "kk"] {
        let line = r
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{code}: ")))
            .unwrap_or_else(|| panic!("no {code} labels line:\n{}", r.stdout));
        let (done, total) = line
            .split_whitespace()
            .nth(1)
            .and_then(|n| n.split_once('/'))
            .unwrap();
        assert_eq!(done, total, "{line}");
        assert!(!line.contains("missing"), "{line}");
    }
}

#[test]
fn every_translated_step_of_a_thread_names_its_step_in_that_language() {
    // A step's name shows in its thread's stepper; an untranslated one would be English
    // inside a Russian or Kazakh page.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/entries");
    let front = |p: &std::path::Path| {
        let text = std::fs::read_to_string(p).unwrap();
        text.split("\n---\n").next().unwrap().to_string()
    };
    let mut checked = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let Some(slug) = name.strip_suffix(".md").filter(|s| !s.contains('.')) else {
            continue;
        };
        if !front(&path).contains("\nstep:") {
            continue;
        }
        for code in ["ru", "kk"] {
            let t = dir.join(format!("{slug}.{code}.md"));
            if t.exists() {
                assert!(
                    front(&t).contains("\nstep:"),
                    "{} has no step:",
                    t.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "{checked}");
}
