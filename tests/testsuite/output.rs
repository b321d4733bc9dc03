//! Output safety: a failed build leaves the previous site byte-identical, and annals
//! refuses output directories it must not replace.

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
