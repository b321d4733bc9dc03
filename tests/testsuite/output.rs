//! Output safety: a failed build leaves the previous site byte-identical and untouched, a
//! rebuild writes only the files whose bytes changed (and a build cut short is repaired by
//! the next), annals refuses output directories it must not replace, and no page can take
//! a generated path.

use crate::util::{Site, run, run_env, snapshot};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir` (the marker too) with its inode and modification time: what
/// tells a sync tool, or a reader, that a file was written.
#[cfg(unix)]
fn stamps(dir: &Path) -> Stamps {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            (rel, (m.ino(), m.modified().unwrap()))
        })
        .collect()
}

/// The paths whose inode or modification time differ between two [`stamps`].
#[cfg(unix)]
fn touched(before: &Stamps, after: &Stamps) -> Vec<String> {
    let mut paths: Vec<String> = after
        .iter()
        .filter(|(rel, stamp)| before.get(*rel) != Some(stamp))
        .map(|(rel, _)| rel.clone())
        .collect();
    paths.extend(before.keys().filter(|k| !after.contains_key(*k)).cloned());
    paths.sort();
    paths
}

type Stamps = BTreeMap<String, (u64, std::time::SystemTime)>;

/// The basic fixture built, with the [`stamps`] and bytes of its output.
#[cfg(unix)]
fn built_basic() -> (Site, Stamps, BTreeMap<String, Vec<u8>>) {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let out = site.path("public");
    (site, stamps(&out), snapshot(&out))
}

/// What a clean build of the site as it is now writes (into a folder beside the site).
fn clean_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    let out = site.root.parent().unwrap().join("clean-reference");
    let r = site.annals(&["build", "--clean", "--output", &out.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = snapshot(&out);
    std::fs::remove_dir_all(&out).unwrap();
    files
}

/// The state line of the output's marker.
fn marker_state(site: &Site) -> String {
    let text = std::fs::read_to_string(site.path("public/.annals-output")).unwrap();
    text.lines().nth(1).unwrap_or("").to_string()
}

fn assert_failed_build_keeps(site: &Site, break_it: impl Fn(&Site), expected_code: i32) {
    site.build_ok(&[]);
    let out = site.root.join("public");
    let before = snapshot(&out);
    #[cfg(unix)]
    let stamped = stamps(&out);
    let parent_before: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    break_it(site);
    let r = site.annals(&["build"]);
    assert_eq!(r.code, expected_code, "{}", r.stderr);
    assert_eq!(snapshot(&out), before, "the previous output changed");
    #[cfg(unix)]
    assert_eq!(touched(&stamped, &stamps(&out)), Vec::<String>::new());
    let parent_after: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let mut a = parent_before.clone();
    a.push("templates".into());
    let leftovers: Vec<_> = parent_after.iter().filter(|n| !a.contains(n)).collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn content_error_leaves_previous_output() {
    let site = Site::fixture("basic");
    assert_failed_build_keeps(
        &site,
        |s| {
            s.write("content/entries/moratorium-2003.md", "---\ntitle: broken\n");
        },
        1,
    );
}

#[test]
fn a_failed_build_creates_no_folder() {
    let site = Site::fixture("basic");
    site.write("content/entries/moratorium-2003.md", "---\ntitle: broken\n");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("new/deeper/public");
    let r = site.annals(&["build", "--output", &out.display().to_string()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!tmp.path().join("new").exists(), "a folder was made");
    // Nor for a site root that does not exist (and it is still a usage error).
    let missing = tmp.path().join("no/site");
    let r = run(&["build", "--root", &missing.display().to_string()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!tmp.path().join("no").exists(), "a folder was made");
}

#[test]
fn render_error_leaves_previous_output() {
    // A template error only shows while rendering, after staging has begun.
    let site = Site::fixture("basic");
    assert_failed_build_keeps(
        &site,
        |s| {
            s.write(
                "templates/entry.html",
                "{% extends \"base.html\" %}{% block main %}{{ entry.missing.field }}{% endblock main %}",
            );
        },
        1,
    );
}

#[test]
fn stale_files_do_not_survive_a_rebuild() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(site.out_exists("entries/reform-2020/index.html"));
    site.remove("content/entries/reform-2020.md");
    let r = site.build_ok(&[]);
    assert!(
        r.stdout.contains(", 1 removed, "),
        "the entry's page is removed: {}",
        r.stdout
    );
    assert!(!site.out_exists("entries/reform-2020/index.html"));
    assert!(
        !site.out_exists("entries/reform-2020"),
        "the folder it leaves empty goes too"
    );
    assert_eq!(snapshot(&site.path("public")), clean_build(&site));
}

#[cfg(unix)]
#[test]
fn a_rebuild_without_changes_touches_no_file() {
    let (site, before, bytes) = built_basic();
    let r = site.build_ok(&[]);
    assert_eq!(
        r.redacted_stdout(&site),
        "Built 7 entries and 19 pages into <root>/public (0 files written, 0 removed, 34 unchanged; nothing changed since the last build) in <t>\n"
    );
    // Without the build cache (tests/testsuite/incremental.rs), every page is rendered and
    // compared with the manifest, and still nothing is written.
    std::fs::remove_dir_all(site.path(".annals-cache")).unwrap();
    let r = site.build_ok(&[]);
    assert_eq!(
        r.redacted_stdout(&site),
        "Built 7 entries and 19 pages into <root>/public (0 files written, 0 removed, 34 unchanged) in <t>\n"
    );
    assert_eq!(
        touched(&before, &stamps(&site.path("public"))),
        Vec::<String>::new()
    );
    assert_eq!(snapshot(&site.path("public")), bytes);
}

#[cfg(unix)]
#[test]
fn an_edited_entry_rewrites_only_the_files_whose_bytes_changed() {
    let (site, before, _) = built_basic();
    let path = "content/entries/reform-2020.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(path, format!("{text}\nOne more paragraph, about zebras.\n"));
    let r = site.build_ok(&[]);
    let changed = touched(&before, &stamps(&site.path("public")));
    assert_eq!(
        changed,
        [
            ".annals-output",
            "atom.xml",
            "entries/reform-2020/index.html",
            // The result data holds the start of each text, for snippets.
            "search/d/0.json",
            "search/t/0.json",
            "themes/ombudsman/atom.xml"
        ],
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("(5 files written, 0 removed, 29 unchanged)"),
        "{}",
        r.stdout
    );
    assert_eq!(snapshot(&site.path("public")), clean_build(&site));
    assert_eq!(marker_state(&site), "state: complete");
}

#[cfg(unix)]
#[test]
fn clean_rewrites_every_file() {
    let (site, before, bytes) = built_basic();
    let r = site.build_ok(&["--clean"]);
    assert!(
        r.stdout
            .contains("(34 files written, 0 removed, 0 unchanged)"),
        "{}",
        r.stdout
    );
    let after = stamps(&site.path("public"));
    assert!(
        before.iter().all(|(rel, (ino, _))| after[rel].0 != *ino),
        "every file is new"
    );
    assert_eq!(snapshot(&site.path("public")), bytes);
}

/// Files that change kind between builds (a static file that becomes a folder and back),
/// and whatever was added to or removed from the output by hand, end as a clean build.
#[test]
fn a_rebuild_ends_as_a_clean_build_whatever_the_output_held() {
    let site = Site::fixture("basic");
    site.write("static/notes", "a file");
    site.build_ok(&[]);
    site.remove("static/notes");
    site.write("static/notes/index.txt", "now a folder");
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("public")), clean_build(&site));
    std::fs::remove_dir_all(site.path("static/notes")).unwrap();
    site.write("static/notes", "a file again");
    site.build_ok(&[]);
    assert_eq!(snapshot(&site.path("public")), clean_build(&site));
    // By hand: a page deleted, a file and an empty folder added.
    std::fs::remove_file(site.path("public/entries/reform-2020/index.html")).unwrap();
    site.write("public/entries/mine.txt", "added by hand");
    std::fs::create_dir_all(site.path("public/empty/deeper")).unwrap();
    let r = site.build_ok(&[]);
    assert!(
        r.stdout.contains("(1 file written, 1 removed, "),
        "{}",
        r.stdout
    );
    assert!(!site.out_exists("empty"));
    assert_eq!(snapshot(&site.path("public")), clean_build(&site));
}

/// A marker that cannot be trusted (damaged, or written by an older annals) makes the next
/// build compare every file on disk: what is already right stays untouched.
#[cfg(unix)]
#[test]
fn a_damaged_marker_is_repaired_by_comparing_the_files() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let bytes = snapshot(&site.path("public"));
    let marker = site.path("public/.annals-output");
    for damaged in [
        "This directory is generated by annals and replaced on every build.\n".to_string(),
        std::fs::read_to_string(&marker)
            .unwrap()
            .replacen("files: 34", "files: 33", 1),
        String::new(),
    ] {
        std::fs::write(&marker, &damaged).unwrap();
        site.write("public/about/index.html", "edited by hand");
        let before = stamps(&site.path("public"));
        let r = site.build_ok(&[]);
        assert!(
            r.stdout
                .contains("(1 file written, 0 removed, 33 unchanged)"),
            "{}",
            r.stdout
        );
        assert_eq!(
            touched(&before, &stamps(&site.path("public"))),
            [".annals-output", "about/index.html"]
        );
        assert_eq!(snapshot(&site.path("public")), bytes);
    }
}

#[test]
fn refuses_the_site_root_and_its_folders() {
    let site = Site::fixture("basic");
    let root = site.root.display().to_string();
    let content = site.root.join("content").display().to_string();
    let inside = site.root.join("content/out").display().to_string();
    let parent = site.root.parent().unwrap().display().to_string();
    for out in [&root, &content, &inside, &parent, &"/".to_string()] {
        let r = run(&["build", "--root", &root, "--output", out]);
        assert_eq!(r.code, 2, "{out}: {}", r.stderr);
        assert!(
            r.stderr
                .starts_with("error: refusing to write the site into"),
            "{}",
            r.stderr
        );
    }
    assert!(
        site.root
            .join("content/entries/moratorium-2003.md")
            .exists()
    );
}

#[test]
fn refuses_a_foreign_non_empty_directory_and_keeps_its_files() {
    let site = Site::fixture("basic");
    site.write("elsewhere/notes.txt", "mine");
    let out = site.root.join("elsewhere").display().to_string();
    let root = site.root.display().to_string();
    let r = run(&["build", "--root", &root, "--output", &out]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("was not made by annals"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(site.root.join("elsewhere/notes.txt")).unwrap(),
        "mine"
    );
    // An empty directory is fine, and is then annals' own.
    let empty = site.root.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = run(&[
        "build",
        "--root",
        &root,
        "--output",
        &empty.display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(empty.join(".annals-output").exists());
}

#[test]
fn usage_errors_exit_2() {
    let r = run(&["build", "--root", "/definitely/not/here"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not a directory"), "{}", r.stderr);
    let r = run(&["build", "--bogus"]);
    assert_eq!(r.code, 2);
}

#[test]
fn bad_base_url_flag_is_reported() {
    let site = Site::fixture("basic");
    let r = site.annals(&["build", "--base-url", "example.org"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--base-url: base_url `example.org` is not an http(s) URL"),
        "{}",
        r.stderr
    );
}

#[test]
fn refuses_the_home_directory() {
    let site = Site::fixture("basic");
    let home = site.root.parent().unwrap().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let h = home.display().to_string();
    let root = site.root.display().to_string();
    let r = run_env(&["build", "--root", &root, "--output", &h], &[("HOME", &h)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("it is your home directory"),
        "{}",
        r.stderr
    );
}

/// A tiny deterministic generator (xorshift), so that the kill moments repeat run to run.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Puts the site in one of two states whose builds differ in files and in content.
fn set_state(site: &Site, b: bool) {
    site.write("static/state.txt", if b { "B" } else { "A" });
    let extra = site.path("content/entries/extra-state-b.md");
    if b {
        site.write(
            "content/entries/extra-state-b.md",
            "---\ntitle: \"Only in B\"\ndate: 2001\nstatus: adopted\ninstrument: law\nthemes: [ombudsman]\nsummary: \"B.\"\nsources:\n  - title: \"S\"\n    url: \"https://example.org/b\"\n---\nB.\n",
        );
    } else if extra.exists() {
        std::fs::remove_file(extra).unwrap();
    }
}

fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(&site.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect()
}

/// Builds the site in state A and in state B, each clean, and returns both outputs.
fn both_states(site: &Site) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, Vec<u8>>) {
    set_state(site, true);
    let built_b = clean_build(site);
    set_state(site, false);
    let built_a = clean_build(site);
    assert_ne!(built_a.keys().len(), built_b.keys().len());
    (built_a, built_b)
}

/// Kills builds at random moments (SIGKILL). A killed build may leave the output a mix of
/// two builds only while applying, and then its marker says so; the next build repairs it
/// to exactly what a clean build writes, and marks it complete.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next() {
    let site = Site::fixture("basic");
    crate::robust::corpus(&site, 120);
    let public = site.root.join("public");
    let (built_a, built_b) = both_states(&site);
    let started = std::time::Instant::now();
    site.build_ok(&["--clean"]);
    let build_time = started.elapsed();
    assert!(snapshot(&public) == built_a);

    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut state = false;
    let root = site.root.display().to_string();
    for kill in 0..30 {
        state = !state;
        set_state(&site, state);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["build", "--quiet", "--root", &root])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Half the kills anywhere in a build, half near its end, where the apply is.
        let at = if kill % 2 == 0 {
            rng.unit() * 1.1
        } else {
            0.6 + rng.unit() * 0.5
        };
        std::thread::sleep(build_time.mul_f64(at));
        let _ = child.kill();
        child.wait().unwrap();
        assert!(public.is_dir(), "kill {kill}: no output directory");
        let now = snapshot(&public);
        if now != built_a && now != built_b {
            assert_eq!(
                marker_state(&site),
                "state: applying",
                "kill {kill}: a mixed output ({} files) not marked so",
                now.len()
            );
        }
        site.build_ok(&["--quiet"]);
        let expected = if state { &built_b } else { &built_a };
        assert!(
            snapshot(&public) == *expected,
            "kill {kill}: the repairing build differs from a clean build"
        );
        assert_eq!(marker_state(&site), "state: complete");
        assert_eq!(leftovers(&site), Vec::<String>::new());
    }
}

/// Stops builds at every step of applying (the debug-only `ANNALS_TEST_STOP_APPLY` ends the
/// process there as a kill would), in both directions (files added and changed; files
/// removed and changed): the next build repairs each to what a clean build writes.
#[test]
fn a_build_stopped_half_way_through_applying_is_repaired_by_the_next() {
    let site = Site::fixture("basic");
    let (built_a, built_b) = both_states(&site);
    let mut stops = 0;
    for to_b in [true, false] {
        for step in 0.. {
            set_state(&site, !to_b);
            site.build_ok(&["--quiet"]);
            set_state(&site, to_b);
            let root = site.root.display().to_string();
            let r = run_env(
                &["build", "--quiet", "--root", &root],
                &[("ANNALS_TEST_STOP_APPLY", &step.to_string())],
            );
            if r.code == 0 {
                assert!(step > 2, "an apply has steps");
                break;
            }
            stops += 1;
            assert_eq!(r.code, 86, "step {step}: {}", r.stderr);
            assert_eq!(marker_state(&site), "state: applying", "step {step}");
            assert!(
                !leftovers(&site).is_empty(),
                "a stopped build cleans nothing up"
            );
            let r = site.build_ok(&[]);
            let expected = if to_b { &built_b } else { &built_a };
            assert!(
                snapshot(&site.path("public")) == *expected,
                "step {step}: the repairing build differs from a clean build: {}",
                r.stdout
            );
            assert_eq!(marker_state(&site), "state: complete");
            assert_eq!(leftovers(&site), Vec::<String>::new());
        }
    }
    assert!(stops > 4, "{stops}");
}

/// Builds into `out` (a path as the user typed it) and expects the refusal naming `why`.
fn assert_refused(site: &Site, out: &str, env: &[(&str, &str)], why: &str) {
    let root = site.root.display().to_string();
    let r = run_env(&["build", "--root", &root, "--output", out], env);
    assert_eq!(r.code, 2, "{out}: {}", r.stderr);
    assert!(
        r.stderr
            .starts_with("error: refusing to write the site into")
            && r.stderr.contains(why),
        "{out}: {}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn refusals_hold_through_symlinked_parents_and_dot_dot() {
    use std::os::unix::fs::symlink;
    let site = Site::fixture("basic");
    site.write("templates/.keep", "");
    site.write("static/sub/.keep", "");
    let home = site.root.parent().unwrap().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let links = site.root.parent().unwrap().join("links");
    std::fs::create_dir_all(&links).unwrap();
    for (name, to) in [
        ("root", site.root.clone()),
        ("content", site.path("content")),
        ("templates", site.path("templates")),
        ("static", site.path("static")),
        ("sub", site.path("static/sub")),
        ("home", home.clone()),
        ("slash", "/".into()),
    ] {
        symlink(&to, links.join(name)).unwrap();
    }
    let l = |rel: &str| links.join(rel).display().to_string();
    let s = |rel: &str| site.path(rel).display().to_string();
    let h = home.display().to_string();
    let env = [("HOME", h.as_str())];
    let cases = [
        (l("root"), "site's root"),
        (l("root/missing/.."), "site's root"),
        (l("content/.."), "site's root"),
        (l("content/../.."), "site's root"),
        (l("static/out"), "static/ folder"),
        (l("static/missing/deeper/out"), "static/ folder"),
        (l("static/missing/../out"), "static/ folder"),
        (l("sub/../out"), "static/ folder"),
        (l("sub/.."), "static/ folder"),
        (l("content"), "content/ folder"),
        (l("static"), "static/ folder"),
        (l("content/entries/new"), "content/ folder"),
        (l("templates/out"), "templates/ folder"),
        (l("root/public/../static/out"), "static/ folder"),
        (s("public/../content/x"), "content/ folder"),
        (s("missing/../templates"), "templates/ folder"),
        (s("static/sub/../../content"), "content/ folder"),
        (l("home"), "home directory"),
        (l("home/missing/.."), "home directory"),
        (l("slash"), "file system root"),
        (l("slash/missing/.."), "file system root"),
        (
            s("../../../../../../../../../../../../.."),
            "file system root",
        ),
    ];
    for (out, why) in &cases {
        assert_refused(&site, out, &env, why);
    }
    assert!(!site.path("static/out").exists());
    assert!(!site.path("static/missing").exists());
    assert!(!site.path("content/entries/new").exists());
    assert!(!site.path("templates/out").exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_source_folder_is_judged_where_it_leads() {
    let site = Site::fixture("basic");
    let real = site.root.parent().unwrap().join("real-static");
    std::fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, site.path("static")).unwrap();
    let out = real.join("out").display().to_string();
    assert_refused(&site, &out, &[], "static/ folder");
    assert!(!real.join("out").exists());
}

/// Every folder at the top of a built site is refused as a page slug (a page there would
/// share it with generated files), and every top-level file has a name no slug can have.
#[test]
fn no_page_slug_can_take_a_generated_top_level_name() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let mut folders = Vec::new();
    for item in std::fs::read_dir(site.path("public")).unwrap() {
        let item = item.unwrap();
        let name = item.file_name().to_string_lossy().into_owned();
        if item.file_type().unwrap().is_dir() {
            if name != "about" {
                folders.push(name);
            }
        } else {
            assert!(name.contains('.'), "{name}: a page slug could take it");
        }
    }
    folders.sort();
    assert_eq!(folders, ["data", "entries", "search", "themes", "years"]);
    for name in folders.iter().map(String::as_str).chain(["static"]) {
        site.write(
            &format!("content/pages/{name}.md"),
            "---\ntitle: \"A page\"\n---\nText\n",
        );
        let run = site.annals(&["check"]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("the page slug `{name}` is reserved")),
            "{name}: {}",
            run.stderr
        );
        site.remove(&format!("content/pages/{name}.md"));
    }
    // A name that is not a section is free.
    site.write(
        "content/pages/feed.md",
        "---\ntitle: \"Feeds\"\n---\nText\n",
    );
    site.build_ok(&[]);
    assert!(site.out_exists("feed/index.html"));
}
