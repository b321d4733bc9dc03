//! Search as a reader uses it: ranking (title over summary over text, term frequency,
//! rarity), sort orders, facet counts that list only the values that occur (threads
//! included), and the matching words marked in titles and snippets. The queries run
//! through annals.js's own search engine in node (`tests/search/run.mjs`) on the files a
//! real build wrote, so what is checked is what the search page does.

use crate::util::Site;
use serde_json::Value;
use std::process::Command;

/// An entry with this title, summary and body, on `date`, in `themes`.
fn entry(title: &str, date: &str, themes: &str, summary: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nstatus: signed\ninstrument: law\nthemes: [{themes}]\nsummary: \"{summary}\"\nsources:\n  - title: \"s\"\n    url: \"https://example.org/s\"\n---\n{body}\n"
    )
}

/// The basic fixture plus entries that mention "quorum" in different places.
fn site() -> Site {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!("{cfg}threads:\n  votes:\n    name: \"Votes\"\n  unused:\n    name: \"Unused\"\n"),
    );
    let files = [
        (
            "in-body-once",
            entry(
                "Body once",
                "2019",
                "ombudsman",
                "Nothing here.",
                "A quorum was met.",
            ),
        ),
        (
            "in-body-often",
            entry(
                "Body often",
                "2018",
                "ombudsman",
                "Nothing here.",
                "Quorum, quorum, quorum and quorum again: the quorum.",
            ),
        ),
        (
            "in-summary",
            entry(
                "Summary",
                "2017",
                "death-penalty",
                "The quorum rules changed.",
                "Nothing else.",
            ),
        ),
        (
            "in-title",
            entry(
                "Quorum law",
                "2016",
                "death-penalty",
                "A law.",
                "Nothing else.",
            ),
        ),
        (
            "markup",
            entry(
                "<img src=x onerror=alert(1)> quorum",
                "2015",
                "ombudsman",
                "<b>quorum</b> & co.",
                "Text.",
            ),
        ),
        (
            "deep",
            entry(
                "Deep text",
                "2014",
                "ombudsman",
                "Nothing.",
                &format!(
                    "{} The quorum is at the end.",
                    "Filler words here. ".repeat(40)
                ),
            ),
        ),
    ];
    for (slug, text) in files {
        site.write(&format!("content/entries/{slug}.md"), text);
    }
    let path = "content/entries/in-title.md";
    let text = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(path, text.replacen("themes:", "thread: votes\nthemes:", 1));
    site.build_ok(&[]);
    site
}

/// Runs `queries` (a JSON list) through annals.js in node; one result per query.
fn search(site: &Site, queries: Value) -> Vec<Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search/run.mjs");
    let out = Command::new("node")
        .arg(script)
        .arg(site.root.join("public"))
        .arg(queries.to_string())
        .output()
        .expect("node runs (the search tests need Node.js, as the browser tests do)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn titles(r: &Value) -> Vec<&str> {
    r["titles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect()
}

#[test]
fn results_rank_title_over_summary_over_text_and_by_term_frequency() {
    let site = site();
    let r = search(&site, serde_json::json!([{"q": "quorum"}]));
    assert_eq!(
        titles(&r[0]),
        [
            "<img src=x onerror=alert(1)> quorum",
            "Quorum law",
            "Summary",
            "Body often",
            "Body once",
            "Deep text"
        ],
        "title and summary beat the title alone, the summary beats any text, more uses of a word in the text rank higher, and ties go to the newer"
    );
}

#[test]
fn results_sort_by_relevance_newest_or_oldest() {
    let site = site();
    let r = search(
        &site,
        serde_json::json!([{"q": "quorum", "sort": "newest"}, {"q": "quorum", "sort": "oldest"}]),
    );
    let newest = titles(&r[0]);
    assert_eq!(newest.first(), Some(&"Body once"));
    let mut oldest = titles(&r[1]);
    oldest.reverse();
    assert_eq!(newest, oldest);
}

#[test]
fn facets_count_only_the_values_that_occur_threads_included() {
    let site = site();
    let r = search(
        &site,
        serde_json::json!([{"q": "quorum"}, {"q": "quorum", "theme": "death-penalty"}, {"q": "quorum", "thread": "votes"}]),
    );
    assert_eq!(
        r[0]["counts"],
        serde_json::json!({
            "theme": {"death-penalty": 2, "ombudsman": 4},
            "status": {"signed": 6},
            "thread": {"votes": 1}
        }),
        "no zero counts: the unused thread is not listed"
    );
    assert_eq!(titles(&r[1]), ["Quorum law", "Summary"]);
    // A facet's own counts ignore its choice, so the other values stay reachable.
    assert_eq!(
        r[1]["counts"]["theme"],
        serde_json::json!({"death-penalty": 2, "ombudsman": 4})
    );
    assert_eq!(r[1]["counts"]["thread"], serde_json::json!({"votes": 1}));
    assert_eq!(titles(&r[2]), ["Quorum law"]);
}

#[test]
fn matching_words_are_marked_as_text_in_titles_and_snippets() {
    let site = site();
    let r = &search(&site, serde_json::json!([{"q": "quor"}]))[0];
    let at = |title: &str| titles(r).iter().position(|t| *t == title).unwrap();
    assert_eq!(
        r["title_marks"][at("Quorum law")],
        serde_json::json!(["Quorum"])
    );
    // The snippet is the summary when it matches…
    assert_eq!(
        r["snippets"][at("Summary")],
        serde_json::json!([
            ["The ", false],
            ["quorum", true],
            [" rules changed.", false]
        ])
    );
    // …else the text around the match.
    assert_eq!(
        r["snippets"][at("Body once")],
        serde_json::json!([["A ", false], ["quorum", true], [" was met.", false]])
    );
    // Markup in the index stays text (the page makes text nodes and <mark> elements).
    assert_eq!(
        r["snippets"][at("<img src=x onerror=alert(1)> quorum")],
        serde_json::json!([["<b>", false], ["quorum", true], ["</b> & co.", false]])
    );
    let js =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/annals.js")).unwrap();
    assert!(!js.contains("innerHTML") && !js.contains("insertAdjacentHTML"));
    // A match past the start of a long text is not in the result data: the summary shows.
    assert_eq!(
        r["snippets"][at("Deep text")],
        serde_json::json!([["Nothing.", false]])
    );
}

#[test]
fn a_query_reads_only_its_shard_its_chunks_and_the_facets() {
    let site = site();
    let r = &search(&site, serde_json::json!([{"q": "quorum"}]))[0];
    let files: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(files.contains(&"index.json") && files.contains(&"meta.json"));
    assert_eq!(
        files.iter().filter(|f| f.starts_with("t/")).count(),
        1,
        "{files:?}"
    );
    let meta: Value = serde_json::from_str(&site.out("search/meta.json")).unwrap();
    assert_eq!(meta["threads"][0]["id"], "votes");
}

/// Words whose folding matters: Russian ё, every Kazakh letter in both cases, Latin
/// accents, letters without a decomposition, й (kept), Greek final sigma, digits.
const FOLD_WORDS: &[&str] = &[
    "Ёлка",
    "ёж",
    "Қазақстан",
    "ӘДІЛЕТ",
    "Ғалым",
    "Ңғ",
    "Өзен",
    "Ұлттық",
    "Үкімет",
    "Һижра",
    "Іс",
    "Құқықтары",
    "Café",
    "Ärzte",
    "Łódź",
    "Straße",
    "Øresund",
    "Ǆemal",
    "Ṣiddīq",
    "йод",
    "ΟΔΟΣ",
    "İstanbul",
    "1998",
    "2021ж",
    "abc",
];

#[test]
fn rust_and_js_fold_alike() {
    let rust: Vec<String> = FOLD_WORDS
        .iter()
        .map(|w| annals::render::search::fold(w).into_owned())
        .collect();
    let script = format!(
        "const {{ fold }} = require({:?}); console.log(JSON.stringify({}.map(fold)));",
        concat!(env!("CARGO_MANIFEST_DIR"), "/static/annals.js"),
        serde_json::to_string(FOLD_WORDS).unwrap()
    );
    let out = Command::new("node")
        .args(["-e", &script])
        .output()
        .expect("node runs (the search tests need Node.js, as the browser tests do)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rust, js);
    // What a reader without a Kazakh keyboard types finds the word.
    let want = [
        "елка",
        "еж",
        "казакстан",
        "адилет",
        "галым",
        "нг",
        "озен",
        "улттык",
        "укимет",
        "хижра",
        "ис",
        "кукыктары",
        "cafe",
        "arzte",
        "łodz",
        "straße",
        "øresund",
        "ǆemal",
        "siddiq",
        "йод",
        "οδος",
    ];
    assert_eq!(rust[..want.len()], want);
}

#[test]
fn kazakh_and_accented_words_are_found_as_typed_on_any_keyboard() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/kazakh-2022.md",
        entry(
            "Қазақстан халқына Жолдау",
            "2022",
            "ombudsman",
            "Әділетті Қазақстан, Ёлка and the Café.",
            "Text.",
        ),
    );
    site.build_ok(&[]);
    let results = search(
        &site,
        serde_json::json!([
            {"q": "казахстан"},
            {"q": "казакстан халкына"},
            {"q": "Қазақстан"},
            {"q": "адилетти"},
            {"q": "елка"},
            {"q": "cafe"},
        ]),
    );
    assert_eq!(titles(&results[0]), Vec::<&str>::new(), "х is not қ");
    for r in &results[1..] {
        assert_eq!(titles(r), ["Қазақстан халқына Жолдау"], "{}", r["q"]);
    }
    // The marked words are the page's own letters.
    assert_eq!(results[2]["title_marks"][0][0], "Қазақстан");
}
