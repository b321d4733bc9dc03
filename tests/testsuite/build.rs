//! What a successful build writes: the timeline's order and grouping, dates at their
//! precision, rewritten links, drafts, feed and sitemap, and byte-identical rebuilds.

use crate::util::{Site, attr_values, card_slugs, golden, snapshot};

const OLDEST_FIRST: [&str; 7] = [
    "moratorium-2003",
    "constitution-2007",
    "reform-2020",
    "office-2020",
    "address-2020",
    "ratification-2021",
    "decree-2021",
];

#[test]
fn summary_line_and_pages() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&[]);
    assert_eq!(
        run.redacted_stdout(&site),
        "Built 7 entries and 19 pages into <root>/public (34 files written, 0 removed, 0 unchanged) in <t>\n"
    );
    for page in [
        "index.html",
        "entries/moratorium-2003/index.html",
        "entries/decree-2021/index.html",
        "themes/index.html",
        "themes/ombudsman/index.html",
        "years/2007/index.html",
        "about/index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "style.css",
        ".annals-output",
    ] {
        assert!(site.out_exists(page), "{page} missing");
    }
}

#[test]
fn timeline_is_newest_first_and_grouped_by_year() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("index.html");
    let mut newest: Vec<&str> = OLDEST_FIRST.to_vec();
    newest.reverse();
    assert_eq!(card_slugs(&html), newest);
    let years: Vec<&str> = html
        .match_indices("<h2 id=\"_y")
        .map(|(i, _)| &html[i + 10..i + 14])
        .collect();
    assert_eq!(years, ["2021", "2020", "2007", "2003"]);
    // 2020 holds its three entries, in order, between the 2021 and 2007 headings.
    let y2020 = &html[html.find("id=\"_y2020\"").unwrap()..html.find("id=\"_y2007\"").unwrap()];
    assert_eq!(
        card_slugs(y2020),
        ["address-2020", "office-2020", "reform-2020"]
    );
}

#[test]
fn timeline_order_oldest_from_site_yaml() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{cfg}timeline:\n  order: oldest\n"));
    site.build_ok(&[]);
    assert_eq!(card_slugs(&site.out("index.html")), OLDEST_FIRST);
    assert_eq!(
        card_slugs(&site.out("themes/ombudsman/index.html")),
        ["reform-2020", "office-2020", "address-2020", "decree-2021"]
    );
}

#[test]
fn dates_keep_their_precision_and_spans_show_as_ranges() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("years/2020/index.html");
    assert_eq!(
        attr_values(&html, "time", "datetime"),
        ["2020-09-01", "2020-09", "2020-12", "2020"]
    );
    assert!(html.contains("<time datetime=\"2020-09-01\">1 September 2020</time>"));
    assert!(html.contains(
        "<time datetime=\"2020-09\">September</time> – <time datetime=\"2020-12\">December 2020</time>"
    ));
    assert!(html.contains("<time datetime=\"2020\">2020</time>"));
    let html = site.out("entries/constitution-2007/index.html");
    assert!(html.contains("<time datetime=\"2007-05\">May 2007</time>"));
}

#[test]
fn links_between_files_are_rewritten_to_urls() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("entries/moratorium-2003/index.html");
    assert!(
        html.contains("<a href=\"../../entries/ratification-2021/#scope\">the ratification</a>")
    );
    assert!(html.contains("<a href=\"../../about/#dates\">how dates work</a>"));
    let nested = site.out("entries/decree-2021/index.html");
    assert!(nested.contains("<a href=\"../../entries/moratorium-2003/\">the moratorium</a>"));
    let about = site.out("about/index.html");
    assert!(about.contains("href=\"../entries/moratorium-2003/\""));
    assert!(about.contains("<h2 id=\"dates\">Dates</h2>"));
    assert!(!html.contains(".md\""), "a .md link survived");
}

#[test]
fn entry_page_has_neighbours_related_and_backlinks() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("entries/ratification-2021/index.html");
    assert!(html.contains("rel=\"prev\" href=\"../../entries/address-2020/\""));
    assert!(html.contains("rel=\"next\" href=\"../../entries/decree-2021/\""));
    // moratorium lists ratification as related (shown both ways) and links to it in its
    // body (a backlink): one connected entry, saying both.
    let connected = &html[html.find("_entry-connected").unwrap()..];
    let connected = &connected[..connected.find("</section>").unwrap()];
    assert_eq!(connected.matches("entries/moratorium-2003/").count(), 1);
    assert!(connected.contains("<li><span class=\"connection\">Related · Links to this entry</span> <a href=\"../../entries/moratorium-2003/\">"));
    let first = site.out("entries/moratorium-2003/index.html");
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.contains("Government, <time datetime=\"2003-12-17\">17 December 2003</time>"));
}

#[test]
fn year_pages_link_neighbouring_years() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("years/2007/index.html");
    assert!(html.contains("rel=\"prev\" href=\"../../years/2003/\""));
    assert!(html.contains("rel=\"next\" href=\"../../years/2020/\""));
}

#[test]
fn drafts_only_with_the_flag() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.out_exists("entries/draft-2022/index.html"));
    assert!(!site.out("atom.xml").contains("draft-2022"));
    assert!(!site.out("sitemap.xml").contains("draft-2022"));
    site.build_ok(&["--drafts"]);
    assert!(site.out_exists("entries/draft-2022/index.html"));
    assert!(site.out("index.html").contains("entries/draft-2022/"));
}

#[test]
fn base_url_override_with_a_path() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://org.github.io/kz"]);
    let html = site.out("index.html");
    // Pages link relatively; only what a standard wants absolute uses base_url.
    assert!(html.contains("href=\"./style.css\""));
    assert!(html.contains("href=\"./entries/moratorium-2003/\""));
    assert!(html.contains("<link rel=\"canonical\" href=\"https://org.github.io/kz/\">"));
    assert!(
        site.out("sitemap.xml")
            .contains("<loc>https://org.github.io/kz/entries/moratorium-2003/</loc>")
    );
    assert!(!html.contains("reforms.test/chronicle"));
    // The 404 page is served at any depth: it starts from base_url's path.
    let missing = site.out("404.html");
    assert!(missing.contains("href=\"/kz/style.css\""), "{missing}");
}

#[test]
fn feed_and_sitemap() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let atom = site.out("atom.xml");
    assert!(atom.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    assert_eq!(atom.matches("<entry>").count(), 7);
    // Newest first, dated from the entries, never the clock.
    let first = atom.find("decree-2021").unwrap();
    assert!(first < atom.find("moratorium-2003").unwrap());
    assert!(atom.contains("<updated>2021-06-09T00:00:00Z</updated>"));
    let sitemap = site.out("sitemap.xml");
    // Home, 7 entries, themes index, 2 themes, 4 years, 1 page, the data page.
    assert_eq!(sitemap.matches("<url>").count(), 17);
    // No entry says when it was `updated`: no lastmod is invented from its date.
    assert!(
        sitemap.contains(
            "<url><loc>https://reforms.test/chronicle/entries/moratorium-2003/</loc></url>"
        )
    );
    assert!(!sitemap.contains("<lastmod>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = Site::fixture("basic");
    let b = Site::fixture("basic");
    a.build_ok(&[]);
    b.build_ok(&[]);
    let sa = snapshot(&a.root.join("public"));
    let sb = snapshot(&b.root.join("public"));
    assert!(!sa.is_empty());
    assert_eq!(sa, sb);
    // Rebuilding in place gives the same bytes too.
    a.build_ok(&[]);
    assert_eq!(snapshot(&a.root.join("public")), sb);
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("basic");
    let run = site.annals(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "Checked 7 entries and 19 pages: no errors\n");
    assert!(!site.root.join("public").exists());
}

#[test]
fn static_files_are_copied_verbatim() {
    let site = Site::fixture("basic");
    site.write("static/img/logo.svg", "<svg/>");
    site.write("static/.hidden", "x");
    site.build_ok(&[]);
    assert_eq!(site.out("img/logo.svg"), "<svg/>");
    assert!(!site.out_exists(".hidden"));
}

#[test]
fn quiet_prints_nothing_and_piped_builds_show_no_progress() {
    let site = Site::fixture("basic");
    let r = site.annals(&["build", "--quiet"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert_eq!(r.stderr, "");
    let r = site.annals(&["build"]);
    assert_eq!(
        r.stderr, "",
        "no progress line when stderr is not a terminal"
    );
    assert_eq!(r.stdout.lines().count(), 1);
}

const LONG_ENTRY: &str = "---
title: \"A long address\"
date: 2021
status: signed
instrument: law
themes: [ombudsman]
summary: \"Long.\"
SLUG
sources:
  - title: \"Source\"
    url: \"https://example.org/s\"
---
Body.
";

/// `check` and `build` of the basic site plus `files` both fail (exit 1) with each of
/// `wants`, the same problems, and the messages in tests/expected/check/<name>.*.txt;
/// nothing is written.
pub(crate) fn check_and_build_fail(name: &str, files: &[(&[u8], &[u8])], wants: &[&str]) {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::fixture("basic");
    for (rel, bytes) in files {
        let p = site.root.join(std::ffi::OsStr::from_bytes(rel));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let mut problems = Vec::new();
    for cmd in ["check", "build"] {
        let run = site.annals(&[cmd]);
        let stderr = run.redacted_stderr(&site);
        assert_eq!(run.code, 1, "{name} {cmd}: exit code\n{stderr}");
        for w in wants {
            assert!(
                stderr.contains(w),
                "{name} {cmd}: wanted {w:?} in:\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{name} {cmd}: {stderr}");
        assert!(!site.root.join("public").exists(), "{name} {cmd}: written");
        golden(&format!("check/{name}.{cmd}"), &stderr);
        problems.push(
            stderr
                .rsplit_once("\n\nerror: ")
                .map(|(p, _)| p.to_string()),
        );
    }
    assert_eq!(problems[0], problems[1], "{name}: check and build differ");
}

#[cfg(unix)]
#[test]
fn check_rejects_a_slug_too_long_for_a_file_name() {
    let slug = format!("slug: {}", "a".repeat(256));
    check_and_build_fail(
        "long_slug",
        &[(
            b"content/entries/long.md",
            LONG_ENTRY.replace("SLUG", &slug).as_bytes(),
        )],
        &[
            "content/entries/long.md:8:7",
            "it has 256 bytes, at most 255 fit",
            "shorten the file name or set a shorter `slug:`",
        ],
    );
    // 255 bytes still fit.
    let site = Site::fixture("basic");
    let fits = format!("slug: {}", "a".repeat(255));
    site.write("content/entries/long.md", LONG_ENTRY.replace("SLUG", &fits));
    site.build_ok(&[]);
}

#[cfg(unix)]
#[test]
fn check_rejects_a_file_name_whose_slug_is_too_long() {
    // 250 bytes of Cyrillic make a 500-byte transliterated slug.
    let name = format!("content/entries/{}.md", "щ".repeat(125));
    check_and_build_fail(
        "long_file_name",
        &[(name.as_bytes(), LONG_ENTRY.replace("SLUG\n", "").as_bytes())],
        &["it has 500 bytes", "shorten the file name"],
    );
}

/// A slug or theme id that Windows keeps for a device (`con`, `nul`, `com1`…) builds here,
/// but its folder cannot be made or copied on Windows: a warning at the name's source, from
/// `check` and `build` alike; `--strict` makes it an error.
#[test]
fn slugs_and_theme_ids_that_are_windows_device_names_are_warned_about() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        cfg.replacen(
            "themes:\n",
            "themes:\n  aux:\n    name: \"Aux\"\n    description: \"x\"\n",
            1,
        ),
    );
    site.write("content/entries/con.md", LONG_ENTRY.replace("SLUG\n", ""));
    // Names that only start like a device's are fine (three warnings, not four).
    site.write("content/entries/com10.md", LONG_ENTRY.replace("SLUG\n", ""));
    site.write(
        "content/entries/printer.md",
        LONG_ENTRY
            .replace("SLUG", "slug: lpt1")
            .replace("[ombudsman]", "[aux]"),
    );
    let mut seen = Vec::new();
    for cmd in ["check", "build"] {
        let run = site.annals(&[cmd]);
        let stderr = run.redacted_stderr(&site);
        assert_eq!(run.code, 0, "{cmd}:\n{stderr}");
        for want in [
            "warning[reserved-name]: the slug `con` is a device name on Windows",
            "--> content/entries/con.md:1:1",
            "the slug `lpt1` is a device name",
            "--> content/entries/printer.md:8:7",
            "the theme id `aux` is a device name",
            "--> site.yaml:7:3",
            "set another `slug:` (e.g. `con-1`)",
        ] {
            assert!(
                stderr.contains(want),
                "{cmd}: wanted {want:?} in:\n{stderr}"
            );
        }
        seen.push(stderr.lines().filter(|l| l.starts_with("warning[")).count());
    }
    assert_eq!(seen, [3, 3]);
    assert!(
        site.out("entries/con/index.html")
            .contains("A long address")
    );
    let strict = site.annals(&["check", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[cfg(unix)]
#[test]
fn check_rejects_a_theme_id_too_long_for_a_folder_name() {
    let cfg = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/site.yaml"),
    )
    .unwrap();
    let id = "t".repeat(300);
    let cfg = cfg.replacen(
        "themes:\n",
        &format!("themes:\n  {id}:\n    name: \"Long\"\n    description: \"x\"\n"),
        1,
    );
    check_and_build_fail(
        "long_theme_id",
        &[(b"site.yaml", cfg.as_bytes())],
        &["site.yaml:7:3", "the theme id `tttt"],
    );
}

#[cfg(unix)]
#[test]
fn check_rejects_static_files_that_collide_with_generated_ones() {
    check_and_build_fail(
        "static_collisions",
        &[
            (b"static/atom.xml", b"<feed/>"),
            (b"static/entries", b"a file where a folder goes"),
            (b"static/robots.txt/inside", b"below a generated file"),
            (b"static/search/t", b"where the index shards go"),
            (b"static/img/fine.svg", b"<svg/>"),
        ],
        &[
            "static/atom.xml has the same path as a generated page",
            "static/entries is a file where annals writes the folder /entries/",
            "static/robots.txt/inside is inside /robots.txt",
            "static/search/t is a file where annals writes the folder /search/t/",
            "4 problems found",
        ],
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_in_static_and_templates_are_reported() {
    check_and_build_fail(
        "non_utf8_static",
        &[
            (b"static/logo-\xff.svg", b"<svg/>"),
            (b"static/dir-\xfe/inside.txt", b"x"),
        ],
        &[
            "the name of static/logo-\u{fffd}.svg is not UTF-8 text",
            "the name of static/dir-\u{fffd} is not UTF-8 text",
            "rename it using UTF-8",
            "2 problems found",
        ],
    );
    check_and_build_fail(
        "non_utf8_template",
        &[(b"templates/partials/\xff.html", b"x")],
        &["the name of templates/partials/\u{fffd}.html is not UTF-8 text"],
    );
}

#[test]
fn pages_parse_cleanly_and_carry_no_template_indentation() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    let files = snapshot(&site.path("public"));
    let pages: Vec<_> = files.iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() > 10);
    for (path, bytes) in pages {
        let html = std::str::from_utf8(bytes).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n"),
            "{path}"
        );
        for tag in [
            "html", "head", "body", "header", "nav", "main", "footer", "article", "section", "div",
            "ul", "ol", "li", "dl", "p", "a", "span", "time", "h1", "h2", "h3", "form", "details",
            "fieldset", "figure", "svg", "g", "script", "label",
        ] {
            let opened = html.matches(&format!("<{tag} ")).count()
                + html.matches(&format!("<{tag}>")).count();
            let closed = html.matches(&format!("</{tag}>")).count();
            assert_eq!(
                opened, closed,
                "{path}: <{tag}> opened {opened}, closed {closed}"
            );
        }
        // Whitespace inside <pre> is content; everywhere else a template's indentation and
        // blank lines are bytes that carry nothing.
        let mut in_pre = false;
        for line in html.lines() {
            if !in_pre {
                assert!(!line.is_empty(), "{path}: a blank line");
                assert!(!line.starts_with([' ', '\t']), "{path}: indented: {line}");
            }
            in_pre = (in_pre || line.contains("<pre")) && !line.contains("</pre>");
        }
    }
}
