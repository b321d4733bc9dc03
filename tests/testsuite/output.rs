//! Output safety: a failed build leaves the previous site byte-identical, annals refuses
//! output directories it must not replace, and no page can take a generated path.

use crate::util::{Site, run, run_env, snapshot};

fn assert_failed_build_keeps(site: &Site, break_it: impl Fn(&Site), expected_code: i32) {
    site.build_ok(&[]);
    let out = site.root.join("public");
    let before = snapshot(&out);
    let parent_before: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    break_it(site);
    let r = site.annals(&["build"]);
    assert_eq!(r.code, expected_code, "{}", r.stderr);
    assert_eq!(snapshot(&out), before, "the previous output changed");
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
    site.build_ok(&[]);
    assert!(!site.out_exists("entries/reform-2020/index.html"));
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

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_complete_site() {
    let site = Site::fixture("basic");
    crate::robust::corpus(&site, 120);
    let public = site.root.join("public");
    set_state(&site, true);
    site.build_ok(&[]);
    let built_b = snapshot(&public);
    set_state(&site, false);
    let started = std::time::Instant::now();
    site.build_ok(&[]);
    let build_time = started.elapsed();
    let built_a = snapshot(&public);
    assert_ne!(built_a.keys().len(), built_b.keys().len());

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
        // Half the kills anywhere in a build, half near its end, where the swap is.
        let at = if kill % 2 == 0 {
            rng.unit() * 1.1
        } else {
            0.85 + rng.unit() * 0.2
        };
        std::thread::sleep(build_time.mul_f64(at));
        let _ = child.kill();
        child.wait().unwrap();
        assert!(public.is_dir(), "kill {kill}: no output directory");
        let now = snapshot(&public);
        assert!(
            now == built_a || now == built_b,
            "kill {kill}: the output is neither build ({} files)",
            now.len()
        );
    }
    site.build_ok(&[]);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    let expected = if state { &built_b } else { &built_a };
    assert!(
        snapshot(&public) == *expected,
        "the repairing build differs"
    );
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
    assert_eq!(folders, ["entries", "search", "themes", "years"]);
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
