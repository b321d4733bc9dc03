//! The build cache: a rebuild whose inputs did not change loads and renders nothing, and
//! any change of an input (content, templates, static files, site.yaml, options, the
//! annals binary) makes the next build run in full, so that its output is always
//! byte-identical to a clean build of the same site in a fresh directory.

use crate::util::{Run, Site, run_env, snapshot};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

const SITE_YAML: &str = "title: \"Cache\"\ndescription: \"A site for the cache tests.\"\nbase_url: \"https://reforms.test/c/\"\nlanguage: en\nthemes:\n  courts:\n    name: \"Courts\"\n  media:\n    name: \"Media\"\n";

/// An entry file; `body` is its Markdown.
fn entry(title: &str, date: &str, theme: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nstatus: adopted\ninstrument: law\nthemes: [{theme}]\nsummary: \"About {title}.\"\nsources:\n  - title: \"Source\"\n    url: \"https://example.org/s/{date}\"\n---\n{body}\n"
    )
}

/// A small site without a single warning.
fn small_site() -> Site {
    let site = Site::fixture("basic");
    for f in ["content", "site.yaml"] {
        let p = site.path(f);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }
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
                "See [the hub](hub.md) and [B](law-b.md).",
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

/// `annals build` with extra arguments and environment variables, asserting success.
fn build(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let root = site.root.display().to_string();
    let mut args = vec!["build", "--root", &root];
    args.extend_from_slice(extra);
    let r = run_env(&args, env);
    assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
    r
}

fn up_to_date(r: &Run) -> bool {
    r.stdout.contains("nothing changed since the last build")
}

/// What a clean build of the site's sources writes in a fresh directory.
fn fresh(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    crate::util::fresh_build(site, extra, env)
}

fn output(site: &Site) -> BTreeMap<String, Vec<u8>> {
    snapshot(&site.path("public"))
}

/// Builds until the cache holds, then applies `change` and checks that the next build runs
/// in full, matches a clean build, and that the one after it is up to date again.
fn invalidated_by(change: impl FnOnce(&Site), extra: &[&str], env: &[(&str, &str)]) -> Site {
    let site = small_site();
    build(&site, &[], &[]);
    assert!(up_to_date(&build(&site, &[], &[])), "the cache holds");
    change(&site);
    let r = build(&site, extra, env);
    assert!(!up_to_date(&r), "the change was seen:\n{}", r.stdout);
    assert_eq!(output(&site), fresh(&site, extra, env));
    assert!(up_to_date(&build(&site, extra, env)));
    site
}

#[test]
fn a_rebuild_with_nothing_changed_loads_nothing_and_touches_nothing() {
    let site = small_site();
    let first = build(&site, &[], &[]);
    assert!(!up_to_date(&first));
    let before = output(&site);
    let marker = std::fs::metadata(site.path("public/.annals-output"))
        .unwrap()
        .modified()
        .unwrap();
    let again = build(&site, &[], &[]);
    assert!(up_to_date(&again), "{}", again.stdout);
    let (a, b) = (first.redacted_stdout(&site), again.redacted_stdout(&site));
    // The same counts as the build that did the work.
    assert_eq!(a.split(" (").next(), b.split(" (").next(), "{a}\n{b}");
    assert!(b.contains("(0 files written, 0 removed, "), "{b}");
    assert_eq!(output(&site), before);
    let after = std::fs::metadata(site.path("public/.annals-output"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(marker, after);
}

#[test]
fn a_template_change_invalidates_the_cache() {
    let site = invalidated_by(
        |s| {
            s.write(
                "templates/404.html",
                "{% extends \"base.html\" %}{% block main %}<p>Gone away.</p>{% endblock %}",
            );
        },
        &[],
        &[],
    );
    assert!(site.out("404.html").contains("Gone away."));
}

#[test]
fn a_site_yaml_change_invalidates_the_cache() {
    let site = invalidated_by(
        |s| {
            s.write("site.yaml", SITE_YAML.replace("\"Cache\"", "\"Cache two\""));
        },
        &[],
        &[],
    );
    assert!(site.out("index.html").contains("Cache two"));
}

#[test]
fn a_static_change_invalidates_the_cache() {
    let site = invalidated_by(
        |s| {
            s.write("static/robots-note.txt", "one");
        },
        &[],
        &[],
    );
    assert_eq!(site.out("robots-note.txt"), "one");
    // Same size, new bytes.
    site.write("static/robots-note.txt", "two");
    assert!(!up_to_date(&build(&site, &[], &[])));
    assert_eq!(site.out("robots-note.txt"), "two");
}

#[test]
fn another_annals_binary_invalidates_the_cache() {
    let site = small_site();
    build(&site, &[], &[("ANNALS_TEST_BINARY_ID", "one")]);
    assert!(up_to_date(&build(
        &site,
        &[],
        &[("ANNALS_TEST_BINARY_ID", "one")]
    )));
    assert!(!up_to_date(&build(
        &site,
        &[],
        &[("ANNALS_TEST_BINARY_ID", "two")]
    )));
    // The real executable is yet another binary.
    assert!(!up_to_date(&build(&site, &[], &[])));
}

#[test]
fn options_that_change_the_output_invalidate_the_cache() {
    let site = invalidated_by(|_| {}, &["--base-url", "https://other.example/x/"], &[]);
    assert!(site.out("index.html").contains("https://other.example/x/"));
    let r = build(&site, &[], &[]);
    assert!(!up_to_date(&r));
    assert_eq!(output(&site), fresh(&site, &[], &[]));
    site.write(
        "content/entries/draft.md",
        entry("Draft", "2022", "media", "Not yet.").replacen("title:", "draft: true\ntitle:", 1),
    );
    let r = build(&site, &[], &[]);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let r = build(&site, &[], &[]);
    assert!(up_to_date(&r), "{}", r.stdout);
    assert!(!up_to_date(&build(&site, &["--drafts"], &[])));
    assert!(site.out_exists("entries/draft/index.html"));
    assert!(!up_to_date(&build(&site, &[], &[])));
    assert!(!site.out_exists("entries/draft/index.html"));
}

#[test]
fn content_edits_additions_deletions_and_renames_invalidate_the_cache() {
    invalidated_by(
        |s| {
            s.write(
                "content/entries/law-b.md",
                entry("Law B", "2021-03", "media", "Plain bodY."),
            );
        },
        &[],
        &[],
    );
    invalidated_by(
        |s| {
            s.write(
                "content/entries/law-c.md",
                entry("Law C", "2022", "media", "New."),
            );
        },
        &[],
        &[],
    );
    let site = invalidated_by(
        |s| {
            s.remove("content/entries/law-b.md");
            let a = std::fs::read_to_string(s.path("content/entries/law-a.md")).unwrap();
            s.write(
                "content/entries/law-a.md",
                a.replace(" and [B](law-b.md)", ""),
            );
        },
        &[],
        &[],
    );
    assert!(site.out_exists("entries/law-a/index.html"));
    assert!(!site.out_exists("entries/law-b/index.html"));
    let site = invalidated_by(
        |s| {
            std::fs::rename(
                s.path("content/entries/hub.md"),
                s.path("content/entries/centre.md"),
            )
            .unwrap();
            let a = std::fs::read_to_string(s.path("content/entries/law-a.md")).unwrap();
            s.write("content/entries/law-a.md", a.replace("hub.md", "centre.md"));
            let p = std::fs::read_to_string(s.path("content/pages/about.md")).unwrap();
            s.write("content/pages/about.md", p.replace("hub.md", "centre.md"));
        },
        &[],
        &[],
    );
    assert!(site.out_exists("entries/centre/index.html"));
    assert!(!site.out_exists("entries/hub/index.html"));
}

#[test]
fn pages_that_link_to_a_renamed_target_change() {
    let site = invalidated_by(
        |s| {
            // The slug of law-b changes; law-a's link to law-b.md must follow.
            let b = entry("Law B", "2021-03", "media", "Plain body.").replacen(
                "title:",
                "slug: media-law\ntitle:",
                1,
            );
            s.write("content/entries/law-b.md", b);
        },
        &[],
        &[],
    );
    let a = site.out("entries/law-a/index.html");
    assert!(a.contains("entries/media-law/"), "{a}");
    assert!(!a.contains("entries/law-b/"), "{a}");
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored() {
    let site = small_site();
    build(&site, &[], &[]);
    let record = site.path(".annals-cache/build");
    let good = std::fs::read_to_string(&record).unwrap();
    let bad = [
        String::new(),
        "garbage\n".to_string(),
        good.replace("annals build cache 2", "annals build cache 1"),
        // A warning it says it has but does not hold.
        good.replace("warnings 0", "warnings 1"),
        good[..good.len() - 5].to_string(),
        // A record that claims another output.
        good.lines()
            .map(|l| {
                if l.starts_with("output ") {
                    format!("output {}", "0".repeat(32))
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n",
    ];
    for text in bad {
        std::fs::write(&record, &text).unwrap();
        let r = build(&site, &[], &[]);
        assert!(!up_to_date(&r), "{text:?} was trusted");
        assert_eq!(output(&site), fresh(&site, &[], &[]));
    }
    assert!(up_to_date(&build(&site, &[], &[])));
}

#[test]
fn an_output_changed_since_the_last_build_is_rebuilt() {
    let site = small_site();
    build(&site, &[], &[]);
    let want = output(&site);
    std::fs::remove_file(site.path("public/entries/law-a/index.html")).unwrap();
    assert!(!up_to_date(&build(&site, &[], &[])));
    assert_eq!(output(&site), want);
    site.write("public/stray.html", "x");
    assert!(!up_to_date(&build(&site, &[], &[])));
    assert_eq!(output(&site), want);
    assert!(up_to_date(&build(&site, &[], &[])));
}

/// A build with nothing to compare its fingerprint with (no record, or `--clean`) hashes
/// the content files as it loads them instead of reading them twice; the record it leaves
/// is still the fingerprint of every input: the next build is up to date, and an edit of
/// any of those files (an entry, a translation, a `.md` file the loader skips) is seen.
#[test]
fn a_first_build_fingerprints_the_files_it_loaded() {
    let site = crate::languages::multilingual();
    site.write(
        "content/entries/#scratch.md",
        "Notes kept beside the entries.\n",
    );
    for first in [&[][..], &["--clean"][..]] {
        std::fs::remove_dir_all(site.path(".annals-cache")).ok();
        let r = build(&site, first, &[]);
        assert!(!up_to_date(&r), "{}", r.stdout);
        let r = build(&site, &[], &[]);
        assert!(up_to_date(&r), "{}", r.stdout);
    }
    let ru = "content/entries/moratorium-2003.ru.md";
    let translation = std::fs::read_to_string(site.path(ru)).unwrap();
    for (file, text) in [
        ("content/entries/#scratch.md", "Other notes.\n".to_string()),
        (ru, translation.replace("Мораторий на казни", "Мораторий")),
    ] {
        std::fs::remove_dir_all(site.path(".annals-cache")).ok();
        build(&site, &[], &[]);
        site.write(file, &text);
        let r = build(&site, &[], &[]);
        assert!(!up_to_date(&r), "{file}: {}", r.stdout);
        assert_eq!(output(&site), fresh(&site, &[], &[]), "{file}");
        assert!(up_to_date(&build(&site, &[], &[])), "{file}");
    }
    assert!(
        site.out("ru/entries/moratorium-2003/index.html")
            .contains("<h1>Мораторий</h1>")
    );
}

/// A file saved while a build runs, after the fingerprint took it and before the loader
/// read it: the output is made of the saved bytes, which the fingerprint does not name, so
/// no fingerprint is recorded; undoing the save must not find the build up to date. With
/// and without a record to compare with (a deferred fingerprint takes the loaded bytes).
#[test]
fn a_file_saved_during_the_build_is_never_mistaken_for_up_to_date() {
    let file = "content/entries/law-b.md";
    for first in [false, true] {
        let site = small_site();
        build(&site, &[], &[]);
        let before = std::fs::read_to_string(site.path(file)).unwrap();
        let saved = before.replace("Plain body.", "Saved during the build.");
        let edited = before.replace("Plain body.", "Edited.");
        if first {
            std::fs::remove_dir_all(site.path(".annals-cache")).unwrap();
        } else {
            // An edit, so that the build runs and the fingerprint reads the file.
            site.write(file, &edited);
        }
        let hook = format!("{file}={saved}");
        let r = build(
            &site,
            &[],
            &[("ANNALS_TEST_WRITE_AFTER_FINGERPRINT", &hook)],
        );
        assert!(!up_to_date(&r), "{}", r.stdout);
        assert!(
            site.out("entries/law-b/index.html")
                .contains("Saved during the build."),
            "first: {first}"
        );
        // The save undone (or, with a deferred fingerprint, kept): never up to date with
        // an output made of other bytes.
        site.write(file, if first { &before } else { &edited });
        let r = build(&site, &[], &[]);
        assert!(!up_to_date(&r), "first: {first}: {}", r.stdout);
        assert_eq!(output(&site), fresh(&site, &[], &[]), "first: {first}");
        assert!(up_to_date(&build(&site, &[], &[])), "first: {first}");
    }
}

#[test]
fn clean_ignores_the_cache() {
    let site = small_site();
    build(&site, &[], &[]);
    let r = build(&site, &["--clean"], &[]);
    assert!(!up_to_date(&r));
    assert!(!r.stdout.contains("(0 files written"), "{}", r.stdout);
}

#[test]
fn a_build_with_warnings_is_recorded_and_its_warnings_are_printed_again() {
    let site = small_site();
    site.write(
        "content/entries/law-b.md",
        entry("Law B", "2021-03", "media", "TODO: write this."),
    );
    let r = build(&site, &[], &[]);
    assert!(r.stderr.contains("warning"), "{}", r.stderr);
    let again = build(&site, &[], &[]);
    assert!(up_to_date(&again), "{}", again.stdout);
    // The same warnings, word for word, and the same summary's warning count and TODO note.
    assert_eq!(again.stderr, r.stderr);
    let tail = |r: &Run| {
        r.stdout
            .split(" ms ")
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        tail(&r).starts_with("(1 warning); 1 file still has TODO"),
        "{}",
        r.stdout
    );
    assert_eq!(tail(&again), tail(&r));
    // Under --strict the warning is an error: that build fails, and is not taken for the
    // recorded one.
    let root = site.root.display().to_string();
    let strict = crate::util::run(&["build", "--root", &root, "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
    assert!(up_to_date(&build(&site, &[], &[])));
    // Fixing the warning is a change like any other: the next build has none to print.
    site.write(
        "content/entries/law-b.md",
        entry("Law B", "2021-03", "media", "Written."),
    );
    let fixed = build(&site, &[], &[]);
    assert!(!up_to_date(&fixed));
    assert!(!fixed.stderr.contains("warning"), "{}", fixed.stderr);
    let last = build(&site, &[], &[]);
    assert!(up_to_date(&last));
    assert!(last.stderr.is_empty(), "{}", last.stderr);
}

/// How many pages a build kept without rendering them and how many it rendered (from the
/// `ANNALS_TIMINGS` note of the render keys).
fn kept_and_rendered(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> (usize, usize) {
    let mut env = env.to_vec();
    env.push(("ANNALS_TIMINGS", "1"));
    let r = build(site, extra, &env);
    let line = r
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: pages kept "))
        .unwrap_or_else(|| panic!("no render-key note:\n{}", r.stderr));
    let (kept, rest) = line.split_once(", rendered ").unwrap();
    let rendered = rest.split(' ').next().unwrap();
    (kept.parse().unwrap(), rendered.parse().unwrap())
}

#[test]
fn an_edit_renders_only_the_pages_whose_inputs_changed() {
    let site = small_site();
    let (kept, all) = kept_and_rendered(&site, &[], &[]);
    assert_eq!(kept, 0, "a first build has nothing to keep");
    // Law B's body is on its own page only (its card shows its title and summary).
    site.write(
        "content/entries/law-b.md",
        entry("Law B", "2021-03", "media", "A new body."),
    );
    assert_eq!(kept_and_rendered(&site, &[], &[]), (all - 1, 1));
    assert!(site.out("entries/law-b/index.html").contains("A new body."));
    assert_eq!(output(&site), fresh(&site, &[], &[]));
    // Its title is also on the pages that list or link it: those are rendered too.
    site.write(
        "content/entries/law-b.md",
        entry("Law Bee", "2021-03", "media", "A new body."),
    );
    let (kept, rendered) = kept_and_rendered(&site, &[], &[]);
    assert_eq!(kept + rendered, all);
    assert!(rendered > 3 && kept > 0, "kept {kept}, rendered {rendered}");
    assert!(site.out("entries/law-a/index.html").contains("Law Bee"));
    assert_eq!(output(&site), fresh(&site, &[], &[]));
}

#[test]
fn a_template_a_binary_or_an_option_change_renders_every_page_again() {
    let site = small_site();
    let (_, all) = kept_and_rendered(&site, &[], &[("ANNALS_TEST_BINARY_ID", "one")]);
    let unchanged = |s: &Site| {
        // Touch an input, so that the whole-build shortcut does not apply.
        s.write(
            "static/note.txt",
            format!("{:?}", std::time::Instant::now()),
        );
    };
    unchanged(&site);
    assert_eq!(
        kept_and_rendered(&site, &[], &[("ANNALS_TEST_BINARY_ID", "one")]),
        (all, 0),
        "nothing a page is made of changed"
    );
    unchanged(&site);
    assert_eq!(
        kept_and_rendered(&site, &[], &[("ANNALS_TEST_BINARY_ID", "two")]),
        (0, all),
        "another binary renders every page"
    );
    // Any template, even one a page does not use, is part of every key.
    site.write("templates/partials/unused.html", "<p>unused</p>");
    assert_eq!(
        kept_and_rendered(&site, &[], &[("ANNALS_TEST_BINARY_ID", "two")]),
        (0, all)
    );
    assert_eq!(
        output(&site),
        fresh(&site, &[], &[("ANNALS_TEST_BINARY_ID", "two")])
    );
    let args = ["--base-url", "https://other.example/"];
    assert_eq!(
        kept_and_rendered(&site, &args, &[("ANNALS_TEST_BINARY_ID", "two")]),
        (0, all)
    );
    assert_eq!(
        output(&site),
        fresh(&site, &args, &[("ANNALS_TEST_BINARY_ID", "two")])
    );
}

#[test]
fn clean_renders_everything_and_records_the_keys_for_the_next_build() {
    let site = small_site();
    let (_, all) = kept_and_rendered(&site, &[], &[]);
    assert_eq!(kept_and_rendered(&site, &["--clean"], &[]), (0, all));
    site.write("static/note.txt", "x");
    assert_eq!(kept_and_rendered(&site, &[], &[]), (all, 0));
}

#[test]
fn a_damaged_page_table_or_a_changed_output_file_means_rendering_again() {
    let site = small_site();
    let (_, all) = kept_and_rendered(&site, &[], &[]);
    let table = site.path(".annals-cache/pages");
    let good = std::fs::read_to_string(&table).unwrap();
    let bad = [
        String::new(),
        "garbage\n".to_string(),
        good.replace("annals page keys 1", "annals page keys 0"),
        good[..good.len() - 5].to_string(),
    ];
    for (n, text) in bad.iter().enumerate() {
        std::fs::write(&table, text).unwrap();
        site.write("static/note.txt", n.to_string());
        assert_eq!(kept_and_rendered(&site, &[], &[]), (0, all), "{text:?}");
        assert_eq!(output(&site), fresh(&site, &[], &[]));
    }
    // A recorded key whose page file is gone from the output: that page is rendered.
    std::fs::remove_file(site.path("public/entries/law-a/index.html")).unwrap();
    assert_eq!(kept_and_rendered(&site, &[], &[]), (all - 1, 1));
    assert_eq!(output(&site), fresh(&site, &[], &[]));
    // A table that claims other bytes for a page than the output's manifest holds.
    let text = std::fs::read_to_string(&table).unwrap();
    let swapped: String = text
        .lines()
        .map(|l| match l.strip_suffix(" index.html") {
            Some(head) => format!("{} {} index.html", &head[..32], "0".repeat(32)),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    assert_ne!(swapped, text);
    std::fs::write(&table, swapped).unwrap();
    site.write("static/note.txt", "last");
    assert_eq!(kept_and_rendered(&site, &[], &[]), (all - 1, 1));
    assert_eq!(output(&site), fresh(&site, &[], &[]));
}

/// One edit of the property test's site.
#[derive(Debug, Clone)]
enum Edit {
    Body(usize, String),
    Title(usize, String),
    Add(usize),
    Delete(usize),
    Rename(usize),
    Slug(usize),
    Template(String),
    SiteTitle(String),
    /// A theme's name: read by the loader, so every cached document is loaded again.
    ThemeName(String),
    Static(String),
    Nothing,
}

fn edit() -> impl Strategy<Value = Edit> {
    let word = "[a-z]{1,6}";
    prop_oneof![
        (0..4usize, word).prop_map(|(i, w)| Edit::Body(i, w)),
        (0..4usize, word).prop_map(|(i, w)| Edit::Title(i, w)),
        (0..4usize).prop_map(Edit::Add),
        (0..4usize).prop_map(Edit::Delete),
        (0..4usize).prop_map(Edit::Rename),
        (0..4usize).prop_map(Edit::Slug),
        word.prop_map(Edit::Template),
        word.prop_map(Edit::SiteTitle),
        word.prop_map(Edit::ThemeName),
        word.prop_map(Edit::Static),
        Just(Edit::Nothing),
    ]
}

/// The entry files `law-*.md` there are now (the hub is never edited away).
fn laws(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root.join("content/entries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("law-"))
        .collect();
    v.sort();
    v
}

fn apply(site: &Site, e: &Edit, n: usize) {
    let laws = laws(&site.root);
    let pick = |i: usize| laws.get(i % laws.len().max(1)).cloned();
    let path = |name: &str| format!("content/entries/{name}");
    let read = |name: &str| std::fs::read_to_string(site.path(&path(name))).unwrap();
    match e {
        Edit::Body(i, w) => {
            if let Some(f) = pick(*i) {
                let text = read(&f);
                // Sometimes a link to the hub, sometimes plain words.
                let add = if w.len() % 2 == 0 {
                    format!("\nMore {w} in [the hub](hub.md).\n")
                } else {
                    format!("\n{w}\n")
                };
                site.write(&path(&f), text + &add);
            }
        }
        Edit::Title(i, w) => {
            if let Some(f) = pick(*i) {
                let text = read(&f);
                let start = text.find("title: \"").unwrap() + 8;
                let end = start + text[start..].find('"').unwrap();
                let mut t = text.clone();
                t.replace_range(start..end, &format!("Law {w}"));
                site.write(&path(&f), t);
            }
        }
        Edit::Add(i) => {
            let date = format!("{}-0{}", 2010 + n, 1 + i % 9);
            site.write(
                &path(&format!("law-n{n}.md")),
                entry(&format!("Law n{n}"), &date, "media", "Added."),
            );
        }
        Edit::Delete(i) => {
            if laws.len() > 1
                && let Some(f) = pick(*i)
            {
                site.remove(&path(&f));
            }
        }
        Edit::Rename(i) => {
            if let Some(f) = pick(*i) {
                std::fs::rename(
                    site.path(&path(&f)),
                    site.path(&path(&format!("law-r{n}.md"))),
                )
                .unwrap();
            }
        }
        Edit::Slug(i) => {
            if let Some(f) = pick(*i) {
                let text = read(&f);
                let text = match text.find("slug: ") {
                    Some(_) => text
                        .lines()
                        .filter(|l| !l.starts_with("slug: "))
                        .map(|l| format!("{l}\n"))
                        .collect(),
                    None => text.replacen("title:", &format!("slug: s{n}\ntitle:"), 1),
                };
                site.write(&path(&f), text);
            }
        }
        Edit::Template(w) => {
            site.write(
                "templates/404.html",
                format!(
                    "{{% extends \"base.html\" %}}{{% block main %}}<p>{w}</p>{{% endblock %}}"
                ),
            );
        }
        Edit::SiteTitle(w) => {
            site.write(
                "site.yaml",
                SITE_YAML.replace("\"Cache\"", &format!("\"{w}\"")),
            );
        }
        Edit::ThemeName(w) => {
            site.write(
                "site.yaml",
                SITE_YAML.replace("\"Media\"", &format!("\"Media {w}\"")),
            );
        }
        Edit::Static(w) => {
            site.write("static/note.txt", w);
        }
        Edit::Nothing => {}
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), max_shrink_iters: 20, ..ProptestConfig::default() })]

    /// After every edit of a random sequence, the build into the existing output (with its
    /// caches: the build record and the documents of `.annals-cache/documents`, warmed by
    /// the builds before it) leaves exactly what a clean build in a fresh directory writes.
    #[test]
    fn after_any_edits_a_rebuild_equals_a_clean_build(edits in proptest::collection::vec(edit(), 1..6)) {
        let site = small_site();
        // Entries link only to the hub, so that any of them may be deleted or renamed.
        site.write(
            "content/entries/law-a.md",
            entry("Law A", "2020-01-01", "courts", "See [the hub](hub.md)."),
        );
        build(&site, &[], &[]);
        for (n, e) in edits.iter().enumerate() {
            apply(&site, e, n);
            build(&site, &[], &[]);
            prop_assert!(site.path(".annals-cache/documents").is_file());
            prop_assert_eq!(output(&site), fresh(&site, &[], &[]), "after {:?}", e);
        }
    }
}
