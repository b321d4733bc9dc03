//! Awkward and hostile input: it must end in a built site or a clear error, never a crash,
//! a hang, a half-written site, or a script reaching readers' browsers.

use crate::util::{Site, golden, snapshot};

fn entry(title: &str, body: &str) -> String {
    format!(
        "---\ntitle: {}\ndate: 2021-04\nstatus: signed\ninstrument: law\nthemes: [ombudsman]\nsummary: \"A summary.\"\nsources:\n  - title: \"S\"\n    url: \"https://example.org/s\"\n---\n{body}\n",
        serde_json::to_string(title).unwrap()
    )
}

#[test]
fn bom_and_crlf() {
    let site = Site::fixture("basic");
    let text = format!(
        "\u{feff}{}",
        entry("Windows entry", "Line one.\r\n\r\n## Part two\r\n\r\nText.")
    )
    .replace('\n', "\r\n");
    site.write("content/entries/windows-2021.md", text);
    site.build_ok(&[]);
    let html = site.out("entries/windows-2021/index.html");
    assert!(html.contains("<h1>Windows entry</h1>"));
    assert!(html.contains("<h2 id=\"part-two\">Part two</h2>"));
}

#[test]
fn a_body_of_several_megabytes() {
    let site = Site::fixture("basic");
    let para = "The reform is described here at length, with *emphasis* and a [link](moratorium-2003.md).\n\n";
    let body = para.repeat(3 * 1024 * 1024 / para.len());
    site.write("content/entries/long-2021.md", entry("Long", &body));
    site.build_ok(&[]);
    let html = site.out("entries/long-2021/index.html");
    assert!(html.len() > 3_000_000);
    assert!(html.contains("entries/moratorium-2003/\">link</a>"));
}

#[test]
fn cyrillic_file_names_and_links_to_them() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/закон-о-митингах.md",
        entry(
            "Закон о мирных собраниях",
            "Текст на русском и қазақ тілінде.",
        ),
    );
    site.write(
        "content/entries/links-2021.md",
        entry("Links", "[raw](закон-о-митингах.md) and [encoded](%D0%B7%D0%B0%D0%BA%D0%BE%D0%BD-%D0%BE-%D0%BC%D0%B8%D1%82%D0%B8%D0%BD%D0%B3%D0%B0%D1%85.md)"),
    );
    site.build_ok(&[]);
    let html = site.out("entries/zakon-o-mitingakh/index.html");
    assert!(html.contains("<h1>Закон о мирных собраниях</h1>"));
    assert!(html.contains("қазақ тілінде"));
    let links = site.out("entries/links-2021/index.html");
    let body =
        &links[links.find("<div class=\"body\">").unwrap()..links.find("entry-sources").unwrap()];
    assert_eq!(
        body.matches("href=\"../../entries/zakon-o-mitingakh/\"")
            .count(),
        2
    );
}

#[test]
fn editor_and_hidden_files_are_ignored() {
    let site = Site::fixture("basic");
    for name in [
        ".#moratorium-2003.md",
        "moratorium-2003.md~",
        ".moratorium-2003.md.swp",
        "#moratorium-2003.md#",
        ".hidden.md",
    ] {
        site.write(
            &format!("content/entries/{name}"),
            "garbage \u{0} not markdown",
        );
    }
    site.write("content/entries/.git/notes.md", "garbage");
    let r = site.build_ok(&[]);
    assert!(r.stdout.starts_with("Built 7 entries"), "{}", r.stdout);
}

#[cfg(unix)]
#[test]
fn symlinks_are_followed_and_loops_reported() {
    let site = Site::fixture("basic");
    let outside = site.root.parent().unwrap().join("shared-entries");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("linked-2021.md"), entry("Linked", "Body.")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/entries/shared")).unwrap();
    site.build_ok(&[]);
    assert!(site.out_exists("entries/linked-2021/index.html"));

    std::os::unix::fs::symlink(
        site.path("content/entries"),
        site.path("content/entries/shared/loop"),
    )
    .unwrap();
    let before = snapshot(&site.root.join("public"));
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[symlink-loop]: symbolic link loop"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(&site.root.join("public")), before);
}

#[cfg(unix)]
#[test]
fn io_error_while_writing_keeps_the_previous_output() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.root.join("public"));
    // A static file that cannot be read (a dangling link) fails the build mid-way.
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/annals-test", site.path("static/broken.css")).unwrap();
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.starts_with("error: cannot read"), "{}", r.stderr);
    assert_eq!(snapshot(&site.root.join("public")), before);
    let leftovers: Vec<_> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn hostile_content_never_reaches_readers_unescaped() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/xss-2021.md",
        entry(
            "</script><script>alert('title')</script>",
            "<img src=x onerror=\"alert('img')\">\n\n[click](javascript:alert('link'))\n\n<a href=\"javascript:alert('raw')\">raw</a> <object data=\"https://evil.example\"></object>\n\n## Scope {#s onmouseover=alert(1) style=\"position:fixed;inset:0\"}\n\n<svg onload=alert(1)><a xlink:href=\"javascript:alert(2)\">s</a></svg>",
        )
        .replace("summary: \"A summary.\"", "summary: \"<b onmouseover=alert('s')>x</b>\""),
    );
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for code in [
        "unsafe-link",
        "raw-html-attribute",
        "raw-html-removed",
        "heading-attribute",
    ] {
        assert!(
            r.stderr.contains(&format!("warning[{code}]")),
            "{code}: {}",
            r.stderr
        );
    }
    for page in [
        "entries/xss-2021/index.html",
        "index.html",
        "years/2021/index.html",
        "atom.xml",
    ] {
        let html = site.out(page);
        assert!(!html.contains("<script>alert"), "{page}");
        assert!(!html.contains("</script><script>"), "{page}");
        assert!(!html.contains("onerror"), "{page}");
        assert!(!html.contains("<b onmouseover"), "{page}");
        assert!(!html.to_lowercase().contains("javascript:"), "{page}");
        assert!(!html.contains("<iframe"), "{page}");
        assert!(
            !html.contains("<object") && !html.contains("<svg onload"),
            "{page}"
        );
        assert!(!html.contains("position:fixed"), "{page}");
        // As a browser reads the page: no element carries an event handler.
        let doc = scraper::Html::parse_document(&html);
        for el in doc.root_element().descendent_elements() {
            for (name, _) in el.value().attrs() {
                assert!(
                    !name.starts_with("on"),
                    "{page}: <{} {name}>",
                    el.value().name()
                );
            }
        }
    }
}

/// Script, style and the elements whose content a browser reads as plain text are refused
/// with an error at their line: published, they would delete or garble the rest of the
/// entry. Nothing is written.
#[test]
fn elements_that_would_swallow_the_entry_are_errors() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.root.join("public"));
    site.write(
        "content/entries/xss-2021.md",
        entry(
            "Raw",
            "First paragraph.\n\nA stray <title> in a sentence.\n\n<script>alert('body')</script>\n\nThe rest <textarea> of the entry.",
        ),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for want in [
        "error[raw-html-text-element]: `<title>` cannot be published: browsers show the rest of the entry as plain text",
        "xss-2021.md:14:9",
        "error[raw-html-text-element]: `<script>` is never published, and everything after it up to `</script>` would be removed with it",
        "xss-2021.md:16:1",
        "xss-2021.md:18:10",
        "write `\\<title>` or put it in backticks",
    ] {
        assert!(r.stderr.contains(want), "{want}\n{}", r.stderr);
    }
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(snapshot(&site.root.join("public")), before);
}

#[test]
fn raw_html_can_be_allowed_with_a_warning() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{cfg}markdown:\n  raw_html: allow\n"));
    site.write(
        "content/entries/raw-2021.md",
        entry("Raw", "<div class=\"chart\" data-x=\"1\">chart</div>"),
    );
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning[raw-html-allowed]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("site.yaml:"), "{}", r.stderr);
    assert!(
        site.out("entries/raw-2021/index.html")
            .contains("<div class=\"chart\" data-x=\"1\">chart</div>")
    );
}

/// A deterministic corpus of `n` entries with links, spans and all precisions.
pub(crate) fn corpus(site: &Site, n: usize) {
    for i in 0..n {
        let year = 1990 + (i * 7) % 35;
        let date = match i % 3 {
            0 => format!("{year}"),
            1 => format!("{year}-{:02}", 1 + i % 12),
            _ => format!("{year}-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
        };
        let end = if i % 10 == 0 {
            format!("end: {}\n", year + 1)
        } else {
            String::new()
        };
        let theme = if i % 2 == 0 {
            "ombudsman"
        } else {
            "death-penalty"
        };
        let related = if i > 0 {
            format!("related: [gen-{}]\n", i - 1)
        } else {
            String::new()
        };
        let body = format!(
            "Paragraph about reform {i} with *emphasis*.\n\n## Details\n\n- one\n- two\n\nSee [the previous](gen-{}.md#details) and Қазақстан.\n",
            i.saturating_sub(1).max(if i == 0 { 1 } else { 0 })
        );
        site.write(
            &format!("content/entries/gen/gen-{i}.md"),
            format!(
                "---\ntitle: \"Generated reform {i}\"\ndate: {date}\n{end}status: adopted\ninstrument: law\nthemes: [{theme}]\nsummary: \"Summary {i}.\"\nsources:\n  - title: \"Source {i}\"\n    url: \"https://example.org/{i}\"\n{related}---\n{body}"
            ),
        );
    }
}

#[test]
fn a_generated_corpus_builds_byte_identically_twice() {
    let a = Site::fixture("basic");
    let b = Site::fixture("basic");
    corpus(&a, 1000);
    corpus(&b, 1000);
    let r = a.build_ok(&[]);
    assert!(r.stdout.starts_with("Built 1007 entries"), "{}", r.stdout);
    b.build_ok(&[]);
    let (sa, sb) = (
        snapshot(&a.root.join("public")),
        snapshot(&b.root.join("public")),
    );
    assert!(sa.len() > 1000);
    assert!(sa == sb, "two builds of the same corpus differ");
}

#[test]
fn text_cannot_pose_as_an_internal_link() {
    // Placeholders are `annals-link-<16 hex digits>:N`, the digits random per process: the
    // spoofs have that shape (and the old, fixed `annals-link:N`), so that a build taking
    // any such text for a placeholder would turn it into the link to reform-2020.
    let spoofs = [
        "annals-link:0",
        "annals-link-0000000000000000:0",
        "annals-link-0123456789abcdef:0",
        "annals-link-ffffffffffffffff:0",
    ];
    let body: String = spoofs
        .iter()
        .map(|s| {
            format!(
                "[raw]({s}) <a href=\"{s}\">x</a> <a href=\"{}\">y</a>\n\n",
                s.to_uppercase()
            )
        })
        .collect();
    let site = Site::fixture("basic");
    site.write(
        "content/entries/spoof-2021.md",
        entry("Spoof", &format!("{body}and [real](reform-2020.md).")),
    );
    site.build_ok(&[]);
    let html = site.out("entries/spoof-2021/index.html");
    let body =
        &html[html.find("<div class=\"body\">").unwrap()..html.find("entry-sources").unwrap()];
    assert_eq!(body.matches("entries/reform-2020/").count(), 1, "{body}");
    // And no placeholder, spoofed or real, reaches a reader.
    assert!(!html.to_ascii_lowercase().contains("annals-link"), "{body}");
}

#[cfg(unix)]
#[test]
fn markdown_files_with_another_extension_are_reported() {
    let body = b"---\ntitle: \"x\"\n---\nText\n";
    crate::build::check_and_build_fail(
        "markdown_extensions",
        &[
            (b"content/entries/upper.MD", body),
            (b"content/entries/mixed.Md", body),
            (b"content/pages/long.markdown", body),
            (b"content/pages/shout.MARKDOWN", body),
        ],
        &[
            "content/entries/upper.MD is not read: entries and pages end in `.md`",
            "rename it to `upper.md`",
            "rename it to `mixed.md`",
            "rename it to `long.md`",
            "rename it to `shout.md`",
            "4 problems found",
        ],
    );
}

#[cfg(unix)]
#[test]
fn content_names_that_are_not_utf8_are_reported() {
    crate::build::check_and_build_fail(
        "non_utf8_content",
        &[
            (b"content/entries/\xff.md", b"---\ntitle: \"x\"\n---\n"),
            (
                b"content/entries/dir-\xfe/a.md",
                b"---\ntitle: \"x\"\n---\n",
            ),
        ],
        &[
            "the name of content/entries/\u{fffd}.md is not UTF-8 text",
            "the name of content/entries/dir-\u{fffd} is not UTF-8 text",
            "2 problems found",
        ],
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_in_content_is_reported_not_read() {
    let site = Site::fixture("basic");
    let pipe = site.path("content/entries/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    for cmd in ["check", "build"] {
        let r = site.annals(&[cmd]);
        assert_eq!(r.code, 1, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains(
                "error[special-file]: content/entries/pipe.md is not a regular file (a pipe, socket or device)"
            ),
            "{cmd}: {}",
            r.stderr
        );
    }
}

#[test]
fn other_files_in_content_are_reported_as_unpublished() {
    let site = Site::fixture("basic");
    site.write("content/entries/photo.jpg", [0xffu8, 0xd8, 0xff]);
    site.write("content/NOTES", "to do");
    let r = site.build_ok(&[]);
    let stderr = r.redacted_stderr(&site);
    assert!(
        stderr.contains(
            "warning[not-markdown]: content/entries/photo.jpg is not a Markdown file and is not published"
        ) && stderr.contains("warning[not-markdown]: content/NOTES is not"),
        "{stderr}"
    );
    golden("content/not_markdown", &stderr);
    let r = site.annals(&["check", "--strict"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

/// What the safety policy removes is said at its line, in the words an editor sees; nesting
/// that would make the sanitizer slow is an error, found at once.
#[test]
fn what_the_policy_removes_is_reported() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/policy-2021.md",
        entry(
            "Policy",
            "## Scope {#scope onclick=\"x()\"}\n\n<marquee>Moving</marquee> <b style=\"color:red\">bold</b>\n\n[file](file:///etc/passwd) <span id=\"_main\">x</span>\n\n| a | b |\n|:--|--:|\n| <abbr title=\"UN\">UN</abbr> | <time datetime=\"2021-06-09\">9 June</time> |",
        ),
    );
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    crate::util::golden("robust/policy_warnings", &r.redacted_stderr(&site));
    let html = site.out("entries/policy-2021/index.html");
    assert!(html.contains("<h2 id=\"scope\">Scope</h2>"), "{html}");
    assert!(
        html.contains("Moving") && !html.contains("<marquee"),
        "{html}"
    );
    assert!(html.contains("<time datetime=\"2021-06-09\">"), "{html}");
    assert!(
        html.contains("text-align:right") || html.contains("text-align: right"),
        "{html}"
    );
    assert_eq!(html.matches("id=\"_main\"").count(), 1, "{html}");

    site.write(
        "content/entries/policy-2021.md",
        entry("Deep", &format!("{}x", "<div>".repeat(50_000))),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error[too-deeply-nested]: elements are nested more than 256 deep here"),
        "{}",
        r.stderr
    );
}

/// A link to another `.md` file may carry a query: it is checked like any other and keeps
/// the query; `.MD` in capitals is checked too, never published as a dead link.
#[test]
fn source_links_with_a_query_or_capitals_are_checked() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/query-2021.md",
        entry(
            "Query",
            "[q](office-2020.md?lang=en) and [r](reform-2020.md?x=1&y=2)",
        ),
    );
    site.build_ok(&[]);
    let html = site.out("entries/query-2021/index.html");
    assert!(html.contains("/entries/office-2020/?lang=en\""), "{html}");
    assert!(
        html.contains("/entries/reform-2020/?x=1&amp;y=2\""),
        "{html}"
    );

    site.write(
        "content/entries/query-2021.md",
        entry("Query", "[q](office-2020.MD) [m](missing.md?lang=en)"),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("office-2020.MD"), "{}", r.stderr);
    assert!(r.stderr.contains("missing.md"), "{}", r.stderr);
    assert_eq!(
        r.stderr.matches("error[broken-link]").count(),
        2,
        "{}",
        r.stderr
    );
}
