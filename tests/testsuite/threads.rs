//! Reform threads: declared in site.yaml, an entry's `thread:` and `step:`, every way to get
//! them wrong (the exact message, tests/expected/errors/thread_*.txt), and what a reader
//! gets: a page per thread with its steps in order and the time between them, an index,
//! a compact stepper on each step's entry page, the sitemap and the exports.

use crate::util::{Site, golden, json_entry};

const THREADS: &str = "threads:
  abolition:
    name: \"Abolition\"
    description: \"From moratorium to abolition.\"
  office:
    name: \"The office\"
";

/// The basic fixture with two threads declared and three entries (plus the draft) in
/// `abolition`.
fn threaded() -> Site {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{cfg}{THREADS}"));
    for (file, step) in [
        ("moratorium-2003.md", Some("moratorium")),
        ("constitution-2007.md", None),
        ("ratification-2021.md", Some("ratification law")),
        ("address-2020.md", Some("address")),
        ("draft-2022.md", Some("draft")),
    ] {
        let path = format!("content/entries/{file}");
        let text = std::fs::read_to_string(site.path(&path)).unwrap();
        let step = step.map_or(String::new(), |s| format!("step: \"{s}\"\n"));
        let text = text.replacen("themes:", &format!("thread: abolition\n{step}themes:"), 1);
        site.write(&path, text);
    }
    site
}

/// Builds `site`, expecting exit 1, each of `wants` and the golden message `name`.
fn fails(site: &Site, name: &str, wants: &[&str]) {
    let run = site.annals(&["build"]);
    let stderr = run.redacted_stderr(site);
    assert_eq!(run.code, 1, "{name}: exit code\n{stderr}");
    for w in wants {
        assert!(stderr.contains(w), "{name}: wanted {w:?} in:\n{stderr}");
    }
    assert!(!site.root.join("public").exists(), "{name}: output written");
    golden(&format!("errors/{name}"), &stderr);
}

/// `threaded()` with the moratorium's `thread: abolition` line replaced by `to`.
fn moratorium_thread(to: &str) -> Site {
    let site = threaded();
    let path = "content/entries/moratorium-2003.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(path, text.replacen("thread: abolition\n", to, 1));
    site
}

#[test]
fn unknown_thread_with_hint() {
    let site = moratorium_thread("thread: abolitoin\n");
    fails(
        &site,
        "thread_unknown",
        &[
            "moratorium-2003.md:6:9",
            "unknown thread `abolitoin`",
            "did you mean `abolition`?",
            "known threads: abolition, office",
            "or add it to site.yaml under threads:",
        ],
    );
}

#[test]
fn thread_in_a_site_without_threads() {
    let site = Site::fixture("basic");
    let path = "content/entries/moratorium-2003.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(
        path,
        text.replacen("themes:", "thread: abolition\nthemes:", 1),
    );
    fails(
        &site,
        "thread_none_declared",
        &[
            "unknown thread `abolition`",
            "site.yaml defines no threads yet",
        ],
    );
}

#[test]
fn empty_thread() {
    fails(
        &moratorium_thread("thread: \"\"\n"),
        "thread_empty",
        &["`thread` is empty", "thread: abolition, or remove the line"],
    );
}

#[test]
fn thread_of_the_wrong_type() {
    fails(
        &moratorium_thread("thread: [abolition]\n"),
        "thread_wrong_type",
        &["`thread` must be text, not a list"],
    );
}

#[test]
fn step_without_thread() {
    fails(
        &moratorium_thread(""),
        "thread_step_without_thread",
        &[
            "moratorium-2003.md:6:1",
            "`step` is given but `thread` is not",
            "add a line such as thread: abolition",
        ],
    );
}

#[test]
fn empty_step() {
    let site = threaded();
    let path = "content/entries/moratorium-2003.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(
        path,
        text.replacen("step: \"moratorium\"", "step: \" \"", 1),
    );
    fails(&site, "thread_step_empty", &["`step` is empty"]);
}

#[test]
fn bad_thread_declarations() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{cfg}threads:\n  Bad_Id:\n    name: \"A\"\n  nameless:\n    description: \"x\"\n"),
    );
    fails(
        &site,
        "thread_declarations",
        &[
            "thread id `Bad_Id` is not a valid id",
            "e.g. `bad-id`",
            "thread `nameless` has no `name`",
        ],
    );
}

#[test]
fn a_thread_page_shows_its_steps_in_order_with_the_time_between_them() {
    let site = threaded();
    site.build_ok(&[]);
    let html = site.out("threads/abolition/index.html");
    // Drafts are not built, so not shown; the steps are in time order.
    let order: Vec<usize> = [
        "entries/moratorium-2003/",
        "entries/constitution-2007/",
        "entries/address-2020/",
        "entries/ratification-2021/",
    ]
    .iter()
    .map(|u| html.find(u).unwrap_or_else(|| panic!("{u} in\n{html}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(!html.contains("draft-2022"));
    assert!(html.contains("<p class=\"count\">4 steps · 17 December 2003 – 2 January 2021"));
    // Month precision: months only, "about"; a named step; an unnamed one by its title.
    assert!(
        html.contains("<p class=\"step-gap\">About 3 years and 5 months after the moratorium</p>"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"step-gap\">About 13 years and 4 months after “"),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"step-gap\">Over 4 months after the address</p>"),
        "{html}"
    );
    assert!(!html.contains("aria-current=\"step\""));
    // The status reached at each step.
    assert!(html.contains("data-status=\"in-force\">In force</span>"));
    // A thread with no steps says so.
    assert!(
        site.out("threads/office/index.html")
            .contains("No entry is a step of this thread yet.")
    );
    let index = site.out("threads/index.html");
    assert!(index.contains("href=\"../threads/abolition/\""));
    assert!(index.contains("4 steps"));
    assert!(
        site.out("sitemap.xml")
            .contains("<loc>https://reforms.test/chronicle/threads/abolition/</loc>")
    );
}

#[test]
fn an_entry_page_shows_its_thread_with_its_own_step_marked() {
    let site = threaded();
    site.build_ok(&[]);
    let html = site.out("entries/constitution-2007/index.html");
    assert!(html.contains("Reform thread: <a href=\"../../threads/abolition/\">Abolition</a>"));
    assert!(html.contains("<p class=\"count\">Step 2 of 4"), "{html}");
    let current: Vec<&str> = html.matches("aria-current=\"step\"").collect();
    assert_eq!(current.len(), 1);
    let li = &html[html.find("aria-current=\"step\"").unwrap()..];
    let li = &li[..li.find("</li>").unwrap()];
    assert!(li.contains("<strong>"), "{li}");
    // An entry outside every thread has no stepper.
    let other = site.out("entries/office-2020/index.html");
    assert!(!other.contains("class=\"stepper"));
}

#[test]
fn a_site_without_threads_writes_no_thread_pages() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.out_exists("threads/index.html"));
    assert!(!site.out("sitemap.xml").contains("/threads/"));
}

#[test]
fn exports_carry_each_entry_s_thread() {
    let site = threaded();
    site.build_ok(&[]);
    let json: serde_json::Value = serde_json::from_str(&site.out("timeline.json")).unwrap();
    let entry = |slug: &str| json_entry(&json, slug);
    assert_eq!(entry("moratorium-2003")["thread"], "abolition");
    assert_eq!(entry("office-2020")["thread"], serde_json::Value::Null);
    assert_eq!(json["site"]["threads"][0]["id"], "abolition");
    let csv = site.out("timeline.csv");
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    let col = header
        .iter()
        .position(|h| h == "thread")
        .expect("a thread column");
    let threads: Vec<(String, String)> = rows
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[col].to_string())
        })
        .collect();
    assert!(threads.contains(&("moratorium-2003".into(), "abolition".into())));
    assert!(threads.contains(&("office-2020".into(), String::new())));
}

#[test]
fn a_control_character_in_a_thread_name() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{cfg}threads:\n  abolition:\n    name: \"Abo\\alition\"\n"),
    );
    fails(
        &site,
        "thread_control_character",
        &[
            "site.yaml:18:5",
            "`threads.abolition.name` holds an invisible control character (U+0007)",
        ],
    );
}

#[test]
fn the_site_navigation_links_to_the_threads_only_when_there_are_some() {
    let site = threaded();
    site.build_ok(&[]);
    let entry = site.out("entries/ratification-2021/index.html");
    assert!(
        entry.contains("<li><a href=\"../../threads/\">Threads</a></li>"),
        "{entry}"
    );
    let index = site.out("threads/index.html");
    assert!(index.contains("<a href=\"../threads/\" aria-current=\"page\">Threads</a>"));
    let plain = Site::fixture("basic");
    plain.build_ok(&[]);
    assert!(!plain.out("index.html").contains(">Threads</a>"));
}

#[test]
fn the_overview_joins_each_threads_steps_with_a_line_under_the_marks() {
    let site = threaded();
    site.build_ok(&[]);
    let html = site.out("index.html");
    let svg = &html
        [html.find("<svg class=\"timeline-svg\"").unwrap()..html.find("</svg></div>").unwrap()];
    let line = &svg[svg
        .find("<polyline class=\"thread-line\"")
        .expect("a thread line")..];
    let line = &line[..line.find("/>").unwrap()];
    assert!(line.contains("data-thread=\"abolition\""), "{line}");
    // One point per step drawn, in time order (x never goes back).
    let points: Vec<f64> = line[line.find("points=\"").unwrap() + 8..]
        .trim_end_matches('"')
        .split(' ')
        .map(|p| p.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert!(points.len() >= 2, "{line}");
    assert!(points.windows(2).all(|w| w[0] <= w[1]), "{line}");
    // Drawn before the first mark, so marks stay on top; the legend explains it.
    assert!(svg.find("thread-line").unwrap() < svg.find("class=\"mark\"").unwrap());
    assert!(html.contains("Line: the steps of one reform thread"));
    // A site without threads draws none.
    let plain = Site::fixture("basic");
    plain.build_ok(&[]);
    assert!(!plain.out("index.html").contains("thread-line"));
}
