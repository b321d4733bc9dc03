//! The editor's loop: `check` (human and JSON), warnings and `--strict`, `new`, `init`,
//! `schema`, and the cross-links editors rely on (backlinks, theme neighbours).

use crate::util::{Site, golden, json_entry, run};

const WARNED: &str = "---
title: \"Warned\"
date: 2021-03
status: signed
instrument: law
themes: [ombudsman]
summary: \"A summary.\"
---
An image ![](chart.png) and [an old link](http://example.org/old).
";

#[test]
fn warnings_are_printed_and_strict_makes_them_errors() {
    let site = Site::fixture("basic");
    site.write("content/entries/warned.md", WARNED);
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("no errors (3 warnings)"), "{}", r.stdout);
    golden("editor/warnings", &r.redacted_stderr(&site));
    let r = site.annals(&["check", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[no-sources]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("error[image-without-alt]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("error[insecure-link]"), "{}", r.stderr);
    assert!(!r.stderr.contains('\u{1b}'), "colour in piped output");
}

/// `check --format github`: one workflow command a problem, which GitHub shows on the
/// pull request's diff at the file and line; the human form stays on stderr for the log.
#[test]
fn check_github_prints_workflow_commands() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/warned.md",
        WARNED.replace("status: signed", "status: sined"),
    );
    // As the workflow runs it: in the checkout, which is the site's root.
    let check = |dir: &std::path::Path, args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
            .args(["check", "--format", "github"])
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code(), text(&out.stdout), text(&out.stderr))
    };
    let (code, stdout, stderr) = check(&site.root, &["--strict"]);
    assert_eq!(code, Some(1), "{stderr}");
    golden("editor/github", &stdout);
    for line in stdout.lines() {
        assert!(
            line.starts_with("::error file=content/entries/warned.md,line="),
            "{line}"
        );
        assert!(line.contains(",title=annals%3A "), "{line}");
    }
    assert!(stderr.contains("error[unknown-status]"), "{stderr}");
    // Without --strict the warnings stay warnings.
    let (_, stdout, _) = check(&site.root, &[]);
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("::warning "))
            .count(),
        3,
        "{stdout}"
    );
    // A site in a folder of the repository: files are named from the repository's root.
    let repo = site.root.parent().unwrap();
    for root in ["site", "./site/", &site.root.display().to_string()] {
        let (_, stdout, _) = check(repo, &["--root", root]);
        assert!(
            stdout.contains("::error file=site/content/entries/warned.md,line=4,col=9,title=annals%3A unknown-status::"),
            "{root}: {stdout}"
        );
    }
}

#[test]
fn check_json_prints_one_object_per_diagnostic() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/warned.md",
        WARNED.replace("status: signed", "status: sined"),
    );
    let r = site.annals(&["check", "--format", "json"]);
    assert_eq!(r.code, 1);
    let items: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(items.len(), 4, "{}", r.stdout);
    let status = items
        .iter()
        .find(|d| d["code"] == "unknown-status")
        .unwrap();
    assert_eq!(status["file"], "content/entries/warned.md");
    assert_eq!(status["line"], 4);
    assert_eq!(status["column"], 9);
    assert_eq!(status["severity"], "error");
    assert!(
        status["help"]
            .as_str()
            .unwrap()
            .starts_with("did you mean `signed`?")
    );
    assert!(
        items
            .iter()
            .any(|d| d["severity"] == "warning" && d["code"] == "image-without-alt")
    );
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    // Each object carries the diagnostic as `check` prints it (what serve's overlay shows).
    let human = site.annals(&["check"]);
    for d in &items {
        let rendered = d["rendered"].as_str().unwrap();
        assert!(
            rendered.starts_with(&format!(
                "{}[{}]: ",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )),
            "{rendered}"
        );
        assert!(
            human.stderr.contains(rendered),
            "{rendered}\nnot in\n{}",
            human.stderr
        );
    }
    assert!(
        status["rendered"]
            .as_str()
            .unwrap()
            .contains("--> content/entries/warned.md:4:9")
    );
}

#[test]
fn new_entry_from_a_cyrillic_title_passes_check() {
    let site = Site::fixture("basic");
    let r = site.annals(&[
        "new",
        "Закон о правах человека",
        "--date",
        "2024-05",
        "--themes",
        "ombudsman,death-penalty",
        "--status",
        "signed",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        "Created content/entries/zakon-o-pravakh-cheloveka-2024.md"
    );
    let text =
        std::fs::read_to_string(site.path("content/entries/zakon-o-pravakh-cheloveka-2024.md"))
            .unwrap();
    assert!(
        text.ends_with(".\n"),
        "the file ends with a newline: {text:?}"
    );
    assert!(text.contains("title: \"Закон о правах человека\"\ndate: 2024-05\nstatus: signed\ninstrument: address\nthemes: [ombudsman, death-penalty]\n"), "{text}");
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("warning[placeholder]"));
    let r = site.annals(&["check", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[placeholder]"));
}

#[test]
fn new_refuses_to_overwrite() {
    let site = Site::fixture("basic");
    let before = std::fs::read(site.path("content/entries/reform-2020.md")).unwrap();
    let r = site.annals(&["new", "Reform", "--date", "2020"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("reform-2020.md already exists; annals never overwrites a file"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read(site.path("content/entries/reform-2020.md")).unwrap(),
        before
    );
}

#[test]
fn new_rejects_unknown_ids_with_a_hint() {
    let site = Site::fixture("basic");
    let r = site.annals(&["new", "Something", "--themes", "ombudsmen"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("unknown theme `ombudsmen` (did you mean `ombudsman`?)"),
        "{}",
        r.stderr
    );
    let r = site.annals(&["new", "Something", "--date", "2021-02-30"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("--date 2021-02-30: February 2021 has no day 30"),
        "{}",
        r.stderr
    );
    assert!(!site.path("content/entries/something.md").exists());
}

#[test]
fn init_then_build() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chronicle");
    let d = dir.display().to_string();
    let r = run(&["init", &d]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["build", "--root", &d]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Its base_url is a placeholder until the Pages workflow (or the editor) gives one.
    assert!(
        r.stderr.contains("warning[placeholder-base-url]"),
        "{}",
        r.stderr
    );
    assert!(dir.join("public/entries/example-entry/index.html").exists());
    assert!(dir.join("public/about/index.html").exists());
    let r = run(&["check", "--strict", "--root", &d]);
    assert_eq!(r.code, 0, "the scaffold is clean: {}", r.stderr);
    let r = run(&[
        "build",
        "--strict",
        "--root",
        &d,
        "--base-url",
        "https://me.github.io/c/",
    ]);
    assert_eq!(r.code, 0, "as the Pages workflow builds it: {}", r.stderr);
    // A second init into the same (now non-empty) folder is refused.
    let r = run(&["init", &d]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not empty"), "{}", r.stderr);
}

/// The workflows `init` writes do what the repository's own do (`.ci/run` validates both
/// against GitHub's workflow schema with check-jsonschema).
#[test]
fn init_writes_the_check_and_pages_workflows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("chronicle");
    let r = run(&["init", &dir.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["check.yml", "pages.yml"] {
        let written = std::fs::read_to_string(dir.join(".github/workflows").join(name)).unwrap();
        let ours = std::fs::read_to_string(repo.join(".github/workflows").join(name)).unwrap();
        assert!(
            written.contains("cargo install annals --locked --version"),
            "{written}"
        );
        // The same steps, but annals comes from crates.io instead of this checkout.
        let steps = |text: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| {
                    l.trim()
                        .strip_prefix("- uses: ")
                        .or(l.trim().strip_prefix("uses: "))
                })
                .map(str::to_string)
                .filter(|u| !u.starts_with("actions/cache"))
                .collect()
        };
        assert_eq!(steps(&written), steps(&ours), "{name}");
        let commands = |text: &str| -> Vec<String> {
            text.lines()
                .filter_map(|l| l.split_once("annals ").map(|(_, c)| c.to_string()))
                .filter(|c| c.starts_with("check ") || c.starts_with("build "))
                .collect()
        };
        assert_eq!(commands(&written), commands(&ours), "{name}");
    }
    let pages = std::fs::read_to_string(dir.join(".github/workflows/pages.yml")).unwrap();
    assert!(
        pages.contains("needs: build"),
        "deploy only after a good build"
    );
    assert!(pages.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""));
    let check = std::fs::read_to_string(dir.join(".github/workflows/check.yml")).unwrap();
    assert!(check.contains("pull_request:"));
    assert!(check.contains("annals check --strict --format github"));
}

#[test]
fn schema_uses_the_site_ids() {
    let site = Site::fixture("basic");
    let r = site.annals(&["schema"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let theme = &schema["$defs"]["theme"];
    assert_eq!(
        theme["enum"],
        serde_json::json!(["death-penalty", "ombudsman"])
    );
    assert_eq!(theme["oneOf"][0]["title"], "Death penalty");
    // One theme, or a list of them.
    let themes = &schema["properties"]["themes"]["anyOf"];
    assert_eq!(themes[0]["$ref"], "#/$defs/theme");
    assert_eq!(themes[1]["items"]["$ref"], "#/$defs/theme");
    assert_eq!(schema["additionalProperties"], false);
    assert!(
        schema["required"]
            .as_array()
            .unwrap()
            .contains(&"date".into())
    );
}

#[test]
fn shipped_schema_is_in_sync() {
    let root = env!("CARGO_MANIFEST_DIR");
    let r = run(&["schema", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let shipped = std::fs::read_to_string(format!("{root}/static/schema.json")).unwrap();
    assert_eq!(
        r.stdout, shipped,
        "static/schema.json is stale: run `cargo run -- schema > static/schema.json`"
    );
}

/// The README's table of entry fields is the contract's (`ANNALS_BLESS=1` rewrites it).
#[test]
fn readme_front_matter_table_is_in_sync() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let heading = "### Entry front matter\n\n";
    let start = readme
        .find(heading)
        .expect("README has an entry front matter section")
        + heading.len();
    let end = start
        + readme[start..]
            .find("\n\n")
            .expect("a blank line ends the table")
        + 1;
    let table = annals::content::contract::readme_table();
    if std::env::var_os("ANNALS_BLESS").is_some() {
        let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "README.md's front-matter table is stale: run ANNALS_BLESS=1 cargo test readme"
    );
}

#[test]
fn entry_page_links_neighbours_in_each_theme() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("entries/address-2020/index.html");
    let part = &html[html.find("entry-in-themes").unwrap()..];
    // In ombudsman: office-2020 before, decree-2021 after; in death penalty:
    // constitution-2007 before, ratification-2021 after.
    for slug in [
        "office-2020",
        "decree-2021",
        "constitution-2007",
        "ratification-2021",
    ] {
        assert!(part.contains(&format!("entries/{slug}/")), "{slug}");
    }
}

#[test]
fn related_and_backlinks_show_both_ways() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    // moratorium declares ratification related; ratification shows it too.
    let m = site.out("entries/moratorium-2003/index.html");
    let connected = &m[m.find("_entry-connected").unwrap()..];
    assert!(connected.contains(
        "<span class=\"connection\">Related</span> <a href=\"../../entries/ratification-2021/\">"
    ));
    // decree-2021 links to moratorium in its body: moratorium is "referenced by" decree.
    assert!(connected.contains("<span class=\"connection\">Links to this entry</span> <a href=\"../../entries/decree-2021/\">"));
}

/// An entry whose text fields are all things YAML would read as numbers or booleans.
fn numeric_entry(title: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: 2021-04\nstatus: signed\ninstrument: law\nthemes: [ombudsman]\nsummary: 1e3\njurisdiction: 0o17\nsources:\n  - title: .5\n    url: \"https://example.org/s\"\n    publisher: +1\n---\nBody.\n"
    )
}

#[test]
fn text_that_yaml_reads_as_a_number_is_published_as_written() {
    let site = Site::fixture("basic");
    site.write("content/entries/decimal.md", numeric_entry("12.10"));
    site.write("content/entries/hex.md", numeric_entry("0x1F"));
    site.write(
        "content/pages/numbers.md",
        "---\ntitle: 2.50\nsummary: true\nmenu: 2\n---\nText.\n",
    );
    site.build_ok(&[]);
    assert!(
        site.out("entries/decimal/index.html")
            .contains("<h1>12.10</h1>")
    );
    assert!(site.out("entries/hex/index.html").contains("<h1>0x1F</h1>"));
    let numbers = site.out("numbers/index.html");
    assert!(numbers.contains("2.50"), "{numbers}");
    let v: serde_json::Value = serde_json::from_str(&site.out("timeline.json")).unwrap();
    let find = |slug: &str| json_entry(&v, slug);
    let (decimal, hex) = (find("decimal"), find("hex"));
    assert_eq!(decimal["title"], "12.10");
    assert_eq!(hex["title"], "0x1F");
    assert_eq!(decimal["summary"], "1e3");
    assert_eq!(decimal["jurisdiction"], "0o17");
    assert_eq!(decimal["sources"][0]["title"], ".5");
    assert_eq!(decimal["sources"][0]["publisher"], "+1");
    let csv = site.out("timeline.csv");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let titles: Vec<String> = r.records().map(|r| r.unwrap()[2].to_string()).collect();
    assert!(titles.contains(&"12.10".to_string()), "{titles:?}");
    assert!(titles.contains(&"0x1F".to_string()), "{titles:?}");
    // A number that is a number keeps its meaning: the page is second in the menu.
    let home = site.out("index.html");
    let about = home.find("/about/").unwrap();
    let numbers_link = home.find("/numbers/").unwrap();
    assert!(about < numbers_link);
}

#[test]
fn new_makes_a_one_line_title_that_check_accepts() {
    let site = Site::fixture("basic");
    let r = site.annals(&["new", "Line\nbreak\tand\r\ntab", "--date", "2021"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text =
        std::fs::read_to_string(site.path("content/entries/line-break-and-tab-2021.md")).unwrap();
    assert!(text.contains("title: \"Line break and tab\"\n"), "{text}");
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn new_refuses_a_title_with_a_control_character() {
    let site = Site::fixture("basic");
    for title in ["A\u{7}title", "Red \u{1b}[31mtitle"] {
        let r = site.annals(&["new", title]);
        assert_eq!(r.code, 2, "{title:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("the title holds an invisible control character (U+00"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains(['\u{7}', '\u{1b}']), "{:?}", r.stderr);
    }
    assert!(!site.path("content/entries/a-title.md").exists());
    assert!(!site.path("content/entries/red-31mtitle.md").exists());
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `TODO` placeholders (what `annals new` leaves) never reach a production build
/// silently: the summary says so, and `--strict` refuses them.
#[test]
fn placeholders_are_named_in_the_build_summary_and_refused_under_strict() {
    let site = Site::fixture("basic");
    let r = site.annals(&[
        "new",
        "Parliament adopts the anti-torture law",
        "--date",
        "2023-03-17",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("; 1 file still has TODO placeholders: fill them in before publishing (`--strict` refuses them)"),
        "{}",
        r.stdout
    );
    assert!(r.stderr.contains("warning[placeholder]"), "{}", r.stderr);
    let r = site.annals(&["build", "--strict", "--output", "strict-out"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[placeholder]"), "{}", r.stderr);
    assert!(!site.path("strict-out").exists());
}

/// The README's examples work as written in this repository: `annals new` makes the file
/// the README names (title and year, ending with a newline), and neither example takes the
/// name of an entry the chronicle ships.
#[test]
fn the_readme_examples_do_not_collide_with_the_chronicle() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let section = &readme[readme.find("## Adding an entry").unwrap()..];
    let section = &section[..section.find("\n## ").unwrap()];
    let shipped: Vec<String> = std::fs::read_dir(repo.join("content/entries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let named: Vec<&str> = section
        .match_indices("`content/entries/")
        .map(|(i, m)| {
            let rest = &section[i + m.len()..];
            &rest[..rest.find('`').unwrap()]
        })
        .filter(|name| !name.is_empty())
        .collect();
    assert_eq!(named.len(), 2, "{named:?}");
    for name in &named {
        assert!(
            !shipped.iter().any(|s| s == name),
            "{name} is a shipped entry"
        );
    }
    // Run the README's `annals new` on a copy of the shipped chronicle.
    let start = section.find("`annals new ").unwrap() + 1;
    let command = &section[start..start + section[start..].find('`').unwrap()];
    let command = command.replace('\n', " ");
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::copy(repo.join("site.yaml"), site.join("site.yaml")).unwrap();
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to.join(e.file_name()));
            } else {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    copy(&repo.join("content"), &site.join("content"));
    let mut args: Vec<String> = Vec::new();
    let mut rest = command.strip_prefix("annals ").unwrap();
    while !rest.is_empty() {
        rest = rest.trim_start();
        if let Some(q) = rest.strip_prefix('"') {
            let end = q.find('"').unwrap();
            args.push(q[..end].to_string());
            rest = &q[end + 1..];
        } else {
            let end = rest.find(' ').unwrap_or(rest.len());
            args.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    args.push("--root".into());
    args.push(site.display().to_string());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&argv);
    assert_eq!(r.code, 0, "{command}: {}", r.stderr);
    let created = format!("content/entries/{}", named[0]);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        format!("Created {created}")
    );
    let text = std::fs::read_to_string(site.join(&created)).unwrap();
    assert!(text.ends_with('\n'));
    let r = run(&["check", "--root", &site.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn version_is_printed() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, format!("annals {}\n", env!("CARGO_PKG_VERSION")));
}
