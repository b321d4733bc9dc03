//! The CommonMark spec 0.31.2 (`tests/commonmark/spec.json`, the examples of the
//! `commonmark-spec` npm package, tabs restored; CC-BY-SA, see the LICENSE beside it) run
//! through the whole pipeline: every example becomes an entry of one site, which the real
//! `annals` checks and builds; each entry page is parsed as a browser parses it (html5ever)
//! and its body is compared, as a DOM, with the spec's HTML parsed the same way.
//!
//! What annals changes on purpose is applied before comparing, each rule named here:
//! - automatic heading ids: `id` on `h1`–`h6` is ignored;
//! - smart punctuation: curly quotes, dashes and ellipses are compared as the ASCII they
//!   were typed as;
//! - the safety policy: the spec's HTML is cleaned by the same policy as raw HTML
//!   (`annals::markdown::sanitize`), so a tag the policy removes counts as removed, its
//!   text kept.
//!
//! The examples that still differ are listed in `DIFFERENT` with the reason, and those
//! annals refuses with an error in `REFUSED`; the test fails when any other example
//! differs or is refused, and when a listed one no longer does, so the lists stay true.

use crate::util::Site;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::{BTreeMap, BTreeSet};

/// Examples whose DOM differs from the spec's after the rules above, and why.
/// A link whose scheme the policy refuses is dropped with its text kept (the sanitizer,
/// given the spec's HTML, keeps an `<a>` without `href`: the same text, not a link).
const DIFFERENT: &[(u64, &str)] = &[
    (596, "autolink with the refused scheme irc:"),
    (598, "autolink with the unknown scheme a+b+c:"),
    (599, "autolink with the unknown scheme made-up-scheme:"),
    (601, "autolink with the unknown scheme localhost:"),
];

/// Examples annals refuses with an error: raw HTML that would swallow text
/// (`<script>`, `<style>`, `<textarea>`; see README "Safety"), and a link to a `.md` file
/// that does not exist (484: `[link](./target.md)`).
const REFUSED: &[u64] = &[170, 171, 172, 173, 176, 178, 484];

struct Example {
    n: u64,
    markdown: String,
    html: String,
}

fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/commonmark/spec.json"),
    )
    .unwrap();
    let json: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    json.iter()
        .map(|e| Example {
            n: e["example"].as_u64().unwrap(),
            markdown: e["markdown"].as_str().unwrap().to_string(),
            html: e["html"].as_str().unwrap().to_string(),
        })
        .collect()
}

fn entry(n: u64, body: &str) -> String {
    format!(
        "---\ntitle: \"Example {n}\"\ndate: 2021-01-01\nstatus: signed\ninstrument: law\nthemes: [death-penalty]\nsummary: \"CommonMark example {n}.\"\nsources:\n  - title: \"CommonMark Spec 0.31.2\"\n    url: \"https://spec.commonmark.org/0.31.2/\"\n---\n{body}"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "section"
            | "details"
            | "figure"
    )
}

fn unsmart(text: &str) -> String {
    text.replace(['‘', '’'], "'")
        .replace(['“', '”'], "\"")
        .replace('—', "---")
        .replace('–', "--")
        .replace('…', "...")
}

/// A canonical text of a node's children: elements with sorted attributes, whitespace
/// folded except in `pre`, whitespace-only text between blocks dropped.
fn canon(parent: ElementRef, actual: bool, pre: bool, out: &mut String) {
    for child in parent.children() {
        match child.value() {
            Node::Text(t) => {
                let mut text = if actual { unsmart(t) } else { t.to_string() };
                if !pre {
                    text = text.split_whitespace().collect::<Vec<_>>().join(" ")
                        + if text.ends_with(char::is_whitespace) && !text.trim().is_empty() {
                            " "
                        } else {
                            ""
                        };
                    if text.trim().is_empty() {
                        continue;
                    }
                    if t.starts_with(char::is_whitespace) {
                        text.insert(0, ' ');
                    }
                }
                out.push_str(&text);
            }
            Node::Element(e) => {
                let name = e.name();
                let mut attrs: Vec<(String, String)> = e
                    .attrs()
                    .filter(|(k, _)| {
                        !(actual && *k == "id" && name.len() == 2 && name.starts_with('h'))
                    })
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                attrs.sort();
                let block = is_block(name);
                if block {
                    out.push('\n');
                }
                out.push('<');
                out.push_str(name);
                for (k, v) in attrs {
                    out.push_str(&format!(" {k}={v:?}"));
                }
                out.push('>');
                let el = ElementRef::wrap(child).unwrap();
                canon(el, actual, pre || name == "pre", out);
                out.push_str(&format!("</{name}>"));
                if block {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
}

fn normalise(s: String) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn expected_dom(html: &str) -> String {
    let doc = Html::parse_fragment(&annals::markdown::sanitize(html));
    let mut out = String::new();
    canon(doc.root_element(), false, false, &mut out);
    normalise(out)
}

fn actual_dom(page: &str) -> String {
    let doc = Html::parse_document(page);
    let body = Selector::parse("article.entry > div.body").unwrap();
    let el = doc.select(&body).next().expect("the entry body");
    let mut out = String::new();
    canon(el, true, false, &mut out);
    normalise(out)
}

#[test]
#[allow(clippy::print_stderr)] // the figures, shown with --nocapture
fn commonmark_spec_through_the_whole_pipeline() {
    let examples = examples();
    assert_eq!(examples.len(), 652);
    let site = Site::fixture("basic");
    for e in &examples {
        site.write(
            &format!("content/entries/cm-{:03}.md", e.n),
            entry(e.n, &e.markdown),
        );
    }
    // Refused examples: errors from `check`, one file each.
    let r = site.annals(&["check", "--format", "json"]);
    let mut refused = BTreeSet::new();
    for line in r.stdout.lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        if d["severity"] == "error" {
            let file = d["file"].as_str().unwrap();
            let n: u64 = file
                .strip_prefix("content/entries/cm-")
                .and_then(|f| f.strip_suffix(".md"))
                .unwrap_or_else(|| panic!("an error outside the examples: {d}"))
                .parse()
                .unwrap();
            refused.insert(n);
        }
    }
    let listed: BTreeSet<u64> = REFUSED.iter().copied().collect();
    assert_eq!(refused, listed, "refused examples changed:\n{}", r.stdout);
    for n in &refused {
        site.remove(&format!("content/entries/cm-{n:03}.md"));
    }
    site.build_ok(&[]);

    let mut different = BTreeMap::new();
    for e in examples.iter().filter(|e| !refused.contains(&e.n)) {
        let page = site.out(&format!("entries/cm-{:03}/index.html", e.n));
        let (want, got) = (expected_dom(&e.html), actual_dom(&page));
        if want != got {
            different.insert(e.n, (e, want, got));
        }
    }
    let listed: BTreeMap<u64, &str> = DIFFERENT.iter().copied().collect();
    let mut report = String::new();
    for (n, (e, want, got)) in &different {
        if !listed.contains_key(n) {
            report.push_str(&format!(
                "--- example {n} differs:\n{}\n--- spec:\n{want}\n--- annals:\n{got}\n\n",
                e.markdown
            ));
        }
    }
    for n in listed.keys() {
        if !different.contains_key(n) {
            report.push_str(&format!(
                "--- example {n} is listed in DIFFERENT but matches now\n"
            ));
        }
    }
    eprintln!(
        "CommonMark 0.31.2: {} of {} examples give the spec's DOM, {} differ as listed, {} refused",
        examples.len() - different.len() - refused.len(),
        examples.len(),
        different.len(),
        refused.len()
    );
    assert!(report.is_empty(), "{report}");
}
