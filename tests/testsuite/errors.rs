//! Every error an editor can make: a fixture each (the basic site plus one bad file), the
//! exact text they see (tests/expected/errors/), exit code 1, and nothing written.

use crate::util::{Site, golden, run_env};

const ENTRY: &str = "---
title: \"A case\"
date: 2021-03-01
status: signed
instrument: law
themes: [death-penalty]
summary: \"A case.\"
sources:
  - title: \"Source\"
    url: \"https://example.org/s\"
---
Body.
";

/// The base entry with `from` replaced by `to`.
fn entry(from: &str, to: &str) -> String {
    assert!(ENTRY.contains(from), "{from}");
    ENTRY.replacen(from, to, 1)
}

/// Builds the basic site plus `files`; expects exit `code`, each of `wants` in stderr,
/// no output directory, and stderr equal to tests/expected/errors/<name>.txt.
fn case(name: &str, files: &[(&str, Vec<u8>)], code: i32, wants: &[&str]) {
    let site = Site::fixture("basic");
    for (path, content) in files {
        site.write(path, content);
    }
    let run = site.annals(&["build"]);
    let stderr = run.redacted_stderr(&site);
    assert_eq!(run.code, code, "{name}: exit code\n{stderr}");
    for w in wants {
        assert!(stderr.contains(w), "{name}: wanted {w:?} in:\n{stderr}");
    }
    assert!(!site.root.join("public").exists(), "{name}: output written");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    golden(&format!("errors/{name}"), &stderr);
}

fn one(name: &str, content: String, wants: &[&str]) {
    case(
        name,
        &[("content/entries/case.md", content.into_bytes())],
        1,
        wants,
    );
}

#[test]
fn unknown_field_with_hint() {
    one(
        "unknown_field",
        entry("summary:", "summry:"),
        &[
            "content/entries/case.md:7:1",
            "unknown field `summry`",
            "did you mean `summary`?",
        ],
    );
}

#[test]
fn impossible_date() {
    one(
        "impossible_date",
        entry("2021-03-01", "2021-02-29"),
        &["content/entries/case.md:3:7", "February 2021 has no day 29"],
    );
}

#[test]
fn month_thirteen() {
    one(
        "month_13",
        entry("2021-03-01", "2021-13"),
        &["case.md:3:7", "there is no month 13"],
    );
}

#[test]
fn date_in_words() {
    one(
        "date_in_words",
        entry("2021-03-01", "March 2021"),
        &["case.md:3:7", "is not a date", "2020-09"],
    );
}

#[test]
fn end_before_date() {
    one(
        "end_before_date",
        entry("date: 2021-03-01", "date: 2021-03-01\nend: 2021-02"),
        &[
            "case.md:4:6",
            "`end` (2021-02) is before `date` (2021-03-01)",
        ],
    );
}

#[test]
fn unknown_theme_status_instrument_all_reported() {
    one(
        "unknown_ids",
        entry("status: signed", "status: signd")
            .replace("instrument: law", "instrument: lw")
            .replace("[death-penalty]", "[death-penalty, ombudsmen]"),
        &[
            "case.md:4:9",
            "did you mean `signed`?",
            "case.md:5:13",
            "did you mean `law`?",
            "case.md:6:25",
            "did you mean `ombudsman`?",
            "or add it to site.yaml under themes:",
        ],
    );
}

#[test]
fn missing_required_fields() {
    one(
        "missing_fields",
        entry("summary: \"A case.\"\n", "").replace("status: signed\n", ""),
        &[
            "missing required field `summary`",
            "missing required field `status`",
            "case.md:1:1",
        ],
    );
}

#[test]
fn yaml_syntax_error_counts_lines_from_the_top_of_the_file() {
    one(
        "yaml_syntax",
        entry("summary: \"A case.\"", "summary: \"A case.\n  oops: ["),
        &["content/entries/case.md:", "not valid YAML"],
    );
}

/// The YAML parser's limits (an alias bomb, a nesting bomb) are reported with what to do
/// about them, not with the quoting advice of a syntax error.
#[test]
fn yaml_alias_and_nesting_bombs() {
    let mut bomb = String::from("summary: &a \"A case.\"\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g"])
    {
        bomb.push_str(&format!(
            "x{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    one(
        "yaml_alias_bomb",
        entry("summary: \"A case.\"\n", &bomb),
        &[
            "content/entries/case.md:",
            "repetition limit exceeded",
            "write the values out",
        ],
    );
    let deep = format!("summary: {}{}\n", "[".repeat(400), "]".repeat(400));
    one(
        "yaml_nesting_bomb",
        entry("summary: \"A case.\"\n", &deep),
        &[
            "content/entries/case.md:7:",
            "recursion limit exceeded",
            "flatten them",
        ],
    );
}

#[test]
fn yaml_wrong_indentation() {
    one(
        "yaml_indentation",
        entry(
            "sources:\n  - title",
            "sources:\n - title: x\n   bad: y\n  - title",
        ),
        &["content/entries/case.md:", "not valid YAML"],
    );
}

#[test]
fn unclosed_front_matter() {
    one(
        "unclosed_front_matter",
        entry("---\nBody.", "Body."),
        &["case.md:1:1", "the front matter is not closed"],
    );
}

#[test]
fn no_front_matter() {
    one(
        "no_front_matter",
        "Just text.\n".into(),
        &["case.md:1:1", "does not start with front matter"],
    );
}

#[test]
fn empty_file() {
    one(
        "empty_file",
        String::new(),
        &["content/entries/case.md is empty"],
    );
}

#[test]
fn front_matter_that_is_a_list() {
    one(
        "front_matter_list",
        "---\n- title\n- date\n---\nBody\n".into(),
        &["case.md:2:1", "the front matter is a list"],
    );
}

#[test]
fn wrong_type() {
    one(
        "wrong_type",
        entry("themes: [death-penalty]", "themes:\n  a: b"),
        &["case.md:6:1", "`themes` must be a list, not a mapping"],
    );
}

#[test]
fn slug_that_would_leave_the_output() {
    one(
        "slug_escape",
        entry("title:", "slug: ../../etc\ntitle:"),
        &["case.md:2:7", "slug `../../etc` is not valid"],
    );
}

#[test]
fn file_name_that_is_not_a_slug() {
    case(
        "file_name_slug",
        &[("content/entries/___.md", ENTRY.as_bytes().to_vec())],
        1,
        &["content/entries/___.md:1:1", "does not make a slug"],
    );
}

#[test]
fn duplicate_slug_names_both_files() {
    case(
        "duplicate_slug",
        &[(
            "content/entries/nested/moratorium-2003.md",
            ENTRY.as_bytes().to_vec(),
        )],
        1,
        &[
            "content/entries/moratorium-2003.md and content/entries/nested/moratorium-2003.md have the same slug",
        ],
    );
}

#[test]
fn broken_link_at_its_line_and_column() {
    one(
        "broken_link",
        entry("Body.", "Body.\n\nSee [the law](ratificaton-2021.md) here."),
        &[
            "case.md:14:5",
            "link to `ratificaton-2021.md`, which does not exist",
            "did you mean `ratification-2021.md`?",
        ],
    );
}

#[test]
fn broken_fragment() {
    one(
        "broken_fragment",
        entry("Body.", "See [scope](ratification-2021.md#scop)."),
        &[
            "case.md:12:5",
            "has no heading `#scop`",
            "did you mean `ratification-2021.md#scope`?",
        ],
    );
}

#[test]
fn link_to_a_draft() {
    one(
        "link_to_draft",
        entry("Body.", "See [the draft](draft-2022.md)."),
        &["case.md:12:5", "is a draft", "--drafts"],
    );
}

#[test]
fn unknown_related_slug() {
    one(
        "unknown_related",
        entry("---\nBody.", "related: [moratorium-2004]\n---\nBody."),
        &[
            "case.md:11:11",
            "no entry has the slug `moratorium-2004`",
            "did you mean `moratorium-2003`?",
        ],
    );
}

#[test]
fn theme_and_related_written_twice() {
    // The schema says `uniqueItems`; check agrees instead of dropping the copy silently.
    one(
        "written_twice",
        entry(
            "themes: [death-penalty]\n",
            "themes: [death-penalty, ombudsman, death-penalty]\nrelated: [moratorium-2003, moratorium-2003]\n",
        ),
        &[
            "error[duplicate-item]: `themes` lists `death-penalty` twice",
            "error[duplicate-item]: `related` lists `moratorium-2003` twice",
        ],
    );
}

#[test]
fn source_without_url() {
    one(
        "source_without_url",
        entry(
            "    url: \"https://example.org/s\"\n",
            "    publisher: \"Somebody\"\n",
        ),
        &["case.md:9:13", "has no `url`"],
    );
}

#[test]
fn source_with_a_bad_url() {
    one(
        "source_bad_url",
        entry("https://example.org/s", "javascript:alert(1)"),
        &["case.md:10:11", "is not a web address"],
    );
}

#[test]
fn not_utf8() {
    let mut bytes = ENTRY.replace("A case.", "A caf").into_bytes();
    let at = bytes.windows(5).position(|w| w == b"A caf").unwrap() + 5;
    bytes.insert(at, 0xe9);
    case(
        "not_utf8",
        &[("content/entries/case.md", bytes)],
        1,
        &["case.md:7:16", "not valid UTF-8"],
    );
}

#[test]
fn binary_md_file() {
    case(
        "binary",
        &[(
            "content/entries/case.md",
            vec![0x89, b'P', b'N', b'G', 0, 0, 1],
        )],
        1,
        &["content/entries/case.md is not a text file"],
    );
}

#[test]
fn markdown_outside_entries_and_pages() {
    case(
        "misplaced",
        &[("content/notes.md", ENTRY.as_bytes().to_vec())],
        1,
        &["content/notes.md is neither an entry nor a page"],
    );
}

#[test]
fn site_yaml_unknown_key() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    case(
        "site_unknown_key",
        &[(
            "site.yaml",
            cfg.replace("description:", "descripton:").into_bytes(),
        )],
        1,
        &[
            "site.yaml:2:1",
            "unknown key `descripton`",
            "did you mean `description`?",
        ],
    );
}

#[test]
fn site_yaml_syntax() {
    case(
        "site_syntax",
        &[("site.yaml", b"title: \"x\nthemes: [\n".to_vec())],
        1,
        &["site.yaml:3:1", "site.yaml is not valid YAML"],
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    case(
        "template_syntax",
        &[(
            "templates/entry.html",
            b"{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n"
                .to_vec(),
        )],
        1,
        &["templates/entry.html:3:"],
    );
}

#[test]
fn template_unknown_variable() {
    case(
        "template_unknown_variable",
        &[(
            "templates/year.html",
            b"{% extends \"base.html\" %}\n{% block main %}\n<p>{{ year.nmae }}</p>\n{% endblock main %}\n".to_vec(),
        )],
        1,
        &["templates/year.html:3:"],
    );
}

/// A template error on every year page is reported at the first year, on every run: pages
/// render in parallel, but the error kept is the first in output order, not whichever
/// thread failed first. The first year is made the slowest to fail (many entries, looped
/// over before the error) and many later years fail fast, so that keeping the first
/// error to arrive would report a later year.
#[test]
fn template_errors_are_reported_at_the_first_page_whatever_the_threads() {
    let site = Site::fixture("basic");
    site.write(
        "templates/year.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% for e in entries %}{% for f in entries %}{{ f.title }}{% endfor %}{% endfor %}\n<p>{{ year.nmae }}</p>\n{% endblock main %}\n",
    );
    for i in 0..200 {
        site.write(
            &format!("content/entries/busy/busy-{i}.md"),
            entry("2021-03-01", "2003").replace("A case", &format!("Busy {i}")),
        );
    }
    for year in 2030..2070 {
        site.write(
            &format!("content/entries/later/later-{year}.md"),
            entry("2021-03-01", &year.to_string()),
        );
    }
    let root = site.root.display().to_string();
    for _ in 0..6 {
        let run = run_env(&["build", "--root", &root], &[("RAYON_NUM_THREADS", "8")]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or_default();
        assert!(
            first.ends_with("(while rendering /years/2003/)"),
            "the first year's error, every time: {first}"
        );
    }
}

#[test]
fn every_error_of_a_build_is_reported() {
    case(
        "many",
        &[
            (
                "content/entries/case.md",
                entry("2021-03-01", "2021-02-30").into_bytes(),
            ),
            (
                "content/entries/other.md",
                entry("status: signed", "status: nope").into_bytes(),
            ),
            (
                "content/pages/bad.md",
                b"---\ntitle: x\nmenu: first\n---\n".to_vec(),
            ),
        ],
        1,
        &[
            "case.md:3:7",
            "other.md:4:9",
            "content/pages/bad.md:3:1",
            "3 problems found",
        ],
    );
}

#[test]
fn links_to_a_broken_entry_are_not_reported_again() {
    case(
        "links_to_broken_entry",
        &[
            (
                "content/entries/case.md",
                entry("2021-03-01", "2021-02-30").into_bytes(),
            ),
            (
                "content/entries/other.md",
                entry(
                    "---\nBody.",
                    "related: [case]\n---\nSee [the case](case.md).",
                )
                .into_bytes(),
            ),
        ],
        1,
        &["case.md:3:7", "1 problem found"],
    );
}

#[test]
fn empty_title() {
    one(
        "empty_title",
        entry("title: \"A case\"", "title: \"\""),
        &["case.md:2:1", "`title` is empty"],
    );
}

#[test]
fn source_without_title() {
    one(
        "source_without_title",
        entry("  - title: \"Source\"\n    url:", "  - url:"),
        &["case.md:9:", "a source has no `title`"],
    );
}

#[test]
fn extra_must_be_a_mapping() {
    one(
        "extra_not_mapping",
        entry("---\nBody.", "extra: [1, 2]\n---\nBody."),
        &["case.md:11:1", "`extra` must be a mapping, not a list"],
    );
}

#[test]
fn self_related() {
    one(
        "self_related",
        entry("---\nBody.", "related: [case]\n---\nBody."),
        &["case.md:11:11", "lists itself"],
    );
}

#[test]
fn reserved_page_slug() {
    case(
        "reserved_page_slug",
        &[(
            "content/pages/search.md",
            b"---\ntitle: \"Search help\"\n---\nText\n".to_vec(),
        )],
        1,
        &[
            "content/pages/search.md:1:1",
            "the page slug `search` is reserved",
        ],
    );
}

#[test]
fn static_file_colliding_with_a_page() {
    case(
        "static_collision",
        &[("static/atom.xml", b"<feed/>".to_vec())],
        1,
        &["static/atom.xml has the same path as a generated page"],
    );
}

fn site_case(name: &str, replace: (&str, &str), wants: &[&str]) {
    let cfg = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/site.yaml"),
    )
    .unwrap();
    assert!(cfg.contains(replace.0), "{}", replace.0);
    case(
        name,
        &[(
            "site.yaml",
            cfg.replacen(replace.0, replace.1, 1).into_bytes(),
        )],
        1,
        wants,
    );
}

#[test]
fn site_yaml_bad_values() {
    site_case(
        "site_bad_language",
        ("language: en", "language: english please"),
        &["site.yaml:4:1", "is not a BCP 47 tag"],
    );
    site_case(
        "site_bad_theme_id",
        ("  ombudsman:", "  Ombudsman_Office:"),
        &[
            "site.yaml:10:3",
            "theme id `Ombudsman_Office` is not a valid id",
        ],
    );
    site_case(
        "site_bad_order",
        (
            "jurisdiction: Kazakhstan",
            "jurisdiction: Kazakhstan\ntimeline:\n  order: random",
        ),
        &["site.yaml:7:3", "timeline order `random` is not known"],
    );
    site_case(
        "site_bad_raw_html",
        (
            "jurisdiction: Kazakhstan",
            "jurisdiction: Kazakhstan\nmarkdown:\n  raw_html: maybe",
        ),
        &["site.yaml:7:3", "markdown.raw_html `maybe` is not known"],
    );
}

#[test]
fn site_yaml_without_themes_or_title() {
    case(
        "site_no_themes",
        &[("site.yaml", b"base_url: \"/\"\n".to_vec())],
        1,
        &["site.yaml has no `title`", "site.yaml defines no themes"],
    );
}

#[test]
fn no_site_yaml() {
    let site = Site::fixture("basic");
    site.remove("site.yaml");
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[no-config]: no site.yaml in"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("annals init"), "{}", r.stderr);
}

#[test]
fn related_to_a_draft_by_its_own_slug() {
    case(
        "related_to_draft",
        &[
            (
                "content/entries/bar.md",
                entry("title:", "slug: foo\ndraft: true\ntitle:").into_bytes(),
            ),
            (
                "content/entries/case.md",
                entry("---\nBody.", "related: [foo]\n---\nBody.").into_bytes(),
            ),
        ],
        1,
        &["case.md:11:11", "related entry `foo` is a draft"],
    );
}

#[test]
fn wrong_typed_fields_are_reported_once_as_the_wrong_type() {
    one(
        "wrong_type_required",
        entry("title: \"A case\"", "title: [A, case]")
            .replace("date: 2021-03-01", "date: {year: 2021}")
            .replace("status: signed", "status: [signed]")
            .replace("[death-penalty]", "[[death-penalty]]")
            .replace("  - title: \"Source\"", "  - title: [Source]"),
        &[
            "`title` must be text, not a list",
            "`date` must be text, not a mapping",
            "`status` must be text, not a list",
            "`themes` must be a list of names, not a list",
            "a source's `title` must be text, not a list",
        ],
    );
}

#[test]
fn required_fields_without_a_value_are_empty_not_missing() {
    one(
        "null_fields",
        entry("title: \"A case\"", "title: null")
            .replace("date: 2021-03-01", "date:")
            .replace("status: signed", "status: ~"),
        &[
            "case.md:2:1",
            "`title` has no value",
            "case.md:3:1",
            "`date` has no value",
            "case.md:4:1",
            "`status` has no value",
        ],
    );
}

#[test]
fn page_title_of_the_wrong_type_is_reported_once() {
    case(
        "page_wrong_type",
        &[(
            "content/pages/method.md",
            b"---\ntitle: {a: b}\n---\nText.\n".to_vec(),
        )],
        1,
        &[
            "content/pages/method.md:2:1",
            "`title` must be text, not a mapping",
        ],
    );
}

#[test]
fn control_characters_in_text_fields() {
    one(
        "control_character",
        entry("title: \"A case\"", "title: \"A\\u0007case\"").replace(
            "    url: \"https://example.org/s\"",
            "    url: \"https://example.org/s\"\n    publisher: \"\\e[31mRed\"",
        ),
        &[
            "case.md:2:1",
            "`title` holds an invisible control character (U+0007)",
            "`sources.publisher` holds an invisible control character (U+001B)",
        ],
    );
}

#[test]
fn tab_before_a_key() {
    one(
        "tab_indentation",
        entry("status: signed", "\tstatus: signed"),
        &[
            "case.md:4:1",
            "YAML does not allow tabs for indentation",
            "indent with spaces",
        ],
    );
}

#[test]
fn tab_in_a_list_item_indentation() {
    one(
        "tab_in_list",
        entry("    url: \"https", "  \t url: \"https"),
        &[
            "case.md:10:3",
            "YAML does not allow tabs for indentation",
            "indent with spaces",
        ],
    );
    one(
        "tab_after_dash",
        entry("  - title: \"Source\"", "  -\ttitle: \"Source\""),
        &["case.md:9:4", "YAML does not allow tabs for indentation"],
    );
}

#[test]
fn tab_in_site_yaml() {
    site_case(
        "site_tab",
        ("    name: \"Ombudsman\"", "\t name: \"Ombudsman\""),
        &["site.yaml:11:1", "YAML does not allow tabs for indentation"],
    );
}

#[test]
fn site_yaml_urls_follow_the_source_url_rule() {
    site_case(
        "site_bad_author_url",
        (
            "jurisdiction: Kazakhstan",
            "jurisdiction: Kazakhstan\nauthor:\n  name: \"Editors\"\n  url: \"javascript:alert(1)\"",
        ),
        &[
            "site.yaml:8:3",
            "author.url `javascript:alert(1)` is not a web address",
            "starting with https://",
        ],
    );
    site_case(
        "site_bad_base_url",
        (
            "base_url: \"https://reforms.test/chronicle/\"",
            "base_url: \"https://example.org\\a/\"",
        ),
        &["site.yaml:3:1", "base_url `https://example.org␇/`"],
    );
}

#[test]
fn site_yaml_text_with_a_control_character() {
    site_case(
        "site_control_character",
        ("    name: \"Ombudsman\"", "    name: \"Ombuds\\e[5mman\""),
        &[
            "site.yaml:11:5",
            "`themes.ombudsman.name` holds an invisible control character (U+001B)",
        ],
    );
}

/// Whether `text` holds a control character a terminal could act on (line breaks aside).
fn has_raw_controls(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && c != '\n')
}

#[test]
fn control_characters_in_file_names_are_shown_not_sent_to_the_terminal() {
    let site = Site::fixture("basic");
    let untitled = entry("title: \"A case\"\n", "");
    for name in ["\u{1b}[31mred", "bell\u{7}\rname", "new\nline"] {
        site.write(&format!("content/entries/{name}.md"), &untitled);
    }
    for cmd in ["build", "check"] {
        let r = site.annals(&[cmd]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(!has_raw_controls(&r.stderr), "{cmd}: {:?}", r.stderr);
        for shown in ["␛[31mred.md:1:1", "bell␇␍name.md:1:1", "new␊line.md:1:1"] {
            assert!(
                r.stderr.contains(&format!(" --> content/entries/{shown}")),
                "{cmd}: {shown} in {}",
                r.stderr
            );
        }
    }
    let r = site.annals(&["check", "--format", "json"]);
    assert!(!has_raw_controls(&r.stdout), "{:?}", r.stdout);
    assert!(
        r.stdout
            .contains(r#""file":"content/entries/\u001b[31mred.md""#)
    );
    golden(
        "errors/control_file_names",
        &site.annals(&["check"]).redacted_stderr(&site),
    );
}

#[test]
fn control_characters_in_paths_of_io_errors_are_shown() {
    let site = Site::fixture("basic");
    let out = site.root.join("out\u{1b}[2J\r");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "not annals output").unwrap();
    let r = site.annals(&["build", "--output", out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!has_raw_controls(&r.stderr), "{:?}", r.stderr);
    assert!(r.stderr.contains("out␛[2J␍"), "{}", r.stderr);
    let fresh = site.root.join("fresh\u{1b}[0m");
    let r = site.annals(&["build", "--output", fresh.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!has_raw_controls(&r.stdout), "{:?}", r.stdout);
    assert!(r.stdout.contains("fresh␛[0m"), "{}", r.stdout);
}

/// The text in the first "did you mean `…`?" of `stderr`.
fn suggestion(stderr: &str) -> String {
    let start = stderr
        .find("did you mean `")
        .unwrap_or_else(|| panic!("no suggestion in:\n{stderr}"))
        + "did you mean `".len();
    let len = stderr[start..].find('`').unwrap();
    stderr[start..start + len].to_string()
}

/// Writes `text` at `path`, checks (an error with a suggestion), pastes the suggestion in
/// place of `wrong`, and checks again: it must now pass.
fn pasting_the_suggestion_fixes_it(path: &str, text: &str, wrong: &str) {
    let site = Site::fixture("basic");
    site.write(path, text);
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{path}: {}", r.stderr);
    let fix = suggestion(&r.stderr);
    assert!(text.contains(wrong), "{wrong}");
    site.write(path, text.replacen(wrong, &fix, 1));
    let r = site.annals(&["check"]);
    assert_eq!(
        r.code, 0,
        "pasting `{fix}` for `{wrong}` in {path}:\n{}",
        r.stderr
    );
}

#[test]
fn link_suggestions_are_written_relative_to_the_linking_file() {
    let body = |link: &str| entry("Body.", &format!("See [it]({link})."));
    let cases = [
        (
            "content/entries/case.md",
            body("ratificaton-2021.md"),
            "ratificaton-2021.md",
        ),
        (
            "content/entries/case.md",
            body("../pages/abot.md"),
            "../pages/abot.md",
        ),
        (
            "content/entries/case.md",
            body("pages/about.md"),
            "pages/about.md",
        ),
        (
            "content/entries/nested/case.md",
            body("../moratorim-2003.md"),
            "../moratorim-2003.md",
        ),
        (
            "content/entries/nested/case.md",
            body("decre-2021.md"),
            "decre-2021.md",
        ),
        (
            "content/pages/method.md",
            "---\ntitle: Method\n---\nSee [it](../entries/moratorim-2003.md).\n".to_string(),
            "../entries/moratorim-2003.md",
        ),
        (
            "content/entries/case.md",
            body("ratification-2021.md#scop"),
            "ratification-2021.md#scop",
        ),
        (
            "content/entries/case.md",
            body("../pages/abut.md#dates"),
            "../pages/abut.md#dates",
        ),
        (
            "content/entries/nested/case.md",
            body("../../pages/about.md#date"),
            "../../pages/about.md#date",
        ),
    ];
    for (path, text, wrong) in &cases {
        pasting_the_suggestion_fixes_it(path, text, wrong);
    }
}

#[test]
fn related_suggestions_can_be_pasted_and_never_name_the_entry_itself() {
    pasting_the_suggestion_fixes_it(
        "content/entries/case.md",
        &entry("---\nBody.", "related: [moratorium-2004]\n---\nBody."),
        "moratorium-2004",
    );
    let site = Site::fixture("basic");
    site.write(
        "content/entries/reform-2021.md",
        entry("---\nBody.", "related: [reform-2021x]\n---\nBody."),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stderr.contains("`reform-2021`?"), "{}", r.stderr);
}

#[test]
fn a_suggested_link_to_a_file_name_with_spaces_can_be_pasted() {
    let site = Site::fixture("basic");
    site.write(
        "content/pages/о нас (2024).md",
        "---\ntitle: \"О нас\"\n---\n## Кто мы\n",
    );
    let wrong = "../pages/о нас 2024.md#кто-м";
    let text = entry("Body.", &format!("See [it](<{wrong}>)."));
    site.write("content/entries/case.md", &text);
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let fix = suggestion(&r.stderr);
    assert_eq!(fix, "../pages/о%20нас%20%282024%29.md#кто-м");
    site.write(
        "content/entries/case.md",
        text.replace(&format!("<{wrong}>"), &fix),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "the fragment is still wrong: {}", r.stderr);
    let fix2 = suggestion(&r.stderr);
    site.write(
        "content/entries/case.md",
        text.replace(&format!("<{wrong}>"), &fix2),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "pasting `{fix2}`: {}", r.stderr);
}

/// Many broken links, fragments and related slugs, of every kind a suggestion is found for
/// (a misspelt file, a renamed folder, a file nearest by path or only by name, a misspelt
/// heading, a path from `content/`, a misspelt slug, never the entry's own) and one with
/// none: each is reported at its place with its own help, however many there are (the
/// suggestions come from an index made once per run). The helps are those annals gave when
/// it compared every file in full.
#[test]
fn many_broken_links_each_get_their_suggestion() {
    let site = Site::fixture("basic");
    let links = [
        (
            "ratificaton-2021.md",
            "did you mean `ratification-2021.md`?",
        ),
        ("../entry/reform-2020.md", "did you mean `reform-2020.md`?"),
        ("decree-2021.md", "did you mean `address-2020.md`?"),
        (
            "old/decree-2021.md",
            "did you mean `nested/decree-2021.md`?",
        ),
        (
            "../../old/decree-2021.md",
            "did you mean `nested/decree-2021.md`?",
        ),
        (
            "ratification-2021.md#scop",
            "did you mean `ratification-2021.md#scope`?",
        ),
        ("pages/about.md", "did you mean `../pages/about.md`?"),
        ("../pages/abut.md#x", "did you mean `../pages/about.md#x`?"),
        (
            "missing-xyzzy-qwerty.md",
            "link to a file that exists, relative to",
        ),
    ];
    let body: String = links
        .iter()
        .map(|(to, _)| format!("See [it]({to}).\n"))
        .collect();
    let related = "related: [moratorium-2004, reform-202, many-1]";
    let files = 30;
    for i in 0..files {
        let text = entry("---\nBody.", &format!("{related}\n---\n{body}"));
        site.write(&format!("content/entries/many-{i:02}.md"), text);
    }
    let r = site.annals(&["check", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    for i in 0..files {
        let file = format!("content/entries/many-{i:02}.md");
        let at = |line: usize, column: usize| {
            let d = found
                .iter()
                .find(|d| d["file"] == file && d["line"] == line && d["column"] == column);
            let d = d.unwrap_or_else(|| panic!("{file}:{line}:{column}: nothing in {found:#?}"));
            d["help"].as_str().unwrap_or_default()
        };
        assert_eq!(at(11, 11), "did you mean `moratorium-2003`?");
        assert_eq!(at(11, 28), "did you mean `reform-2020`?");
        let near = if i == 1 { "many-10" } else { "many-01" };
        assert_eq!(at(11, 40), format!("did you mean `{near}`?"), "{file}");
        for (k, (to, help)) in links.iter().enumerate() {
            let got = at(13 + k, 5);
            assert!(got.starts_with(help), "{file} {to}: {got}");
        }
    }
    let per_file = links.len() + 3;
    assert_eq!(found.len(), files * per_file, "{found:#?}");
}

/// `base_url` makes the absolute URLs (canonical, feeds, sitemap, robots): a path alone
/// cannot, wherever it is written.
#[test]
fn base_url_must_be_absolute() {
    site_case(
        "site_path_base_url",
        (
            "base_url: \"https://reforms.test/chronicle/\"",
            "base_url: \"/kz-reforms/\"",
        ),
        &[
            "error[relative-base-url]: base_url `/kz-reforms/` is a path",
            "site.yaml:3:1",
            "base_url: \"https://you.github.io/kz-reforms/\"",
        ],
    );
    site_case(
        "site_no_base_url",
        ("base_url: \"https://reforms.test/chronicle/\"\n", ""),
        &["site.yaml has no `base_url`"],
    );
    let site = Site::fixture("basic");
    let r = site.annals(&["build", "--base-url", "/kz/"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("--base-url: base_url `/kz/` is a path"),
        "{}",
        r.stderr
    );
    // `check` needs it too: it is what `build` would publish.
    let r = site.annals(&["check", "--base-url", "/kz/"]);
    assert_eq!(r.code, 2, "check takes no --base-url: {}", r.stderr);
}

/// The placeholder host of the shipped and scaffolded site.yaml: a production build says
/// so and `--strict` refuses it; `check` (nothing is published) does not mind.
#[test]
fn placeholder_base_url_warns_in_a_build_and_fails_it_under_strict() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        cfg.replace("https://reforms.test/chronicle/", "https://example.org/"),
    );
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let stderr = r.redacted_stderr(&site);
    assert!(
        stderr.contains(
            "warning[placeholder-base-url]: base_url `https://example.org/` is a placeholder"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("site.yaml:3:1"), "{stderr}");
    golden("errors/placeholder_base_url", &stderr);
    let r = site.annals(&["build", "--strict", "--output", "strict-out"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[placeholder-base-url]"),
        "{}",
        r.stderr
    );
    assert!(!site.path("strict-out").exists());
    let r = site.annals(&["check", "--strict"]);
    assert_eq!(r.code, 0, "check publishes nothing: {}", r.stderr);
    // The real address on the command line is what the Pages workflow does.
    let r = site.annals(&[
        "build",
        "--strict",
        "--base-url",
        "https://org.github.io/kz/",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn site_yaml_license_and_instrument_types() {
    site_case(
        "site_license_without_url",
        (
            "  url: \"https://creativecommons.org/licenses/by/4.0/\"\n",
            "",
        ),
        &["`license` has no `url`", "site.yaml:13:1"],
    );
    site_case(
        "site_license_bad_url",
        (
            "  url: \"https://creativecommons.org/licenses/by/4.0/\"",
            "  url: \"cc-by\"",
        ),
        &["license.url `cc-by` is not a web address", "site.yaml:15:3"],
    );
    site_case(
        "site_license_without_name",
        ("  name: \"CC BY 4.0\"\n", ""),
        &["`license` has no `name`"],
    );
    site_case(
        "site_bad_schema_type",
        (
            "license:",
            "instruments:\n  address: Address\n  decree: Decree\n  law: Law\n  plan: Plan\n  institution: Institution\n  constitutional-amendment:\n    label: Amendment\n    type: \"legal act\"\nlicense:",
        ),
        &[
            "instrument `constitutional-amendment` has type `legal act`, which is not a schema.org type name",
            "site.yaml:21:5",
        ],
    );
}
