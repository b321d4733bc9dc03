//! Reading the chronicle: the SVG overview, the home page limit, the filter data, and the
//! search index (checked here by following the same steps as `static/annals.js`).

use crate::util::{Site, card_slugs};

#[test]
fn overview_svg_has_a_lane_per_theme_and_a_named_link_per_entry() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("index.html");
    let svg =
        &html[html.find("<svg class=\"timeline-svg\"").unwrap()..html.find("</svg>").unwrap()];
    assert!(svg.contains("role=\"group\" aria-label=\"Timeline of 7 entries by theme\""));
    assert_eq!(svg.matches("class=\"lane-label\"").count(), 2);
    // address-2020 is in both themes: 8 marks for 7 entries.
    assert_eq!(svg.matches("<title>").count(), 8);
    // Each mark's name (and tooltip) is its link's <title>, given once.
    assert!(svg.contains("<a class=\"mark\" href=\"./entries/office-2020/\"><title>Regional offices open, September – December 2020, "));
    // Marks are laid out in cells of a grid: no two share a place.
    let mut cells: Vec<(String, String)> = svg
        .split("</title><rect class=\"hit\" x=\"")
        .skip(1)
        .map(|rest| {
            let x = rest[..rest.find('"').unwrap()].to_string();
            let rest = &rest[rest.find("y=\"").unwrap() + 3..];
            (x, rest[..rest.find('"').unwrap()].to_string())
        })
        .collect();
    assert_eq!(cells.len(), 8);
    cells.sort();
    cells.dedup();
    assert_eq!(cells.len(), 8, "two marks share a cell");
    assert_eq!(
        svg.matches("aria-label").count(),
        1,
        "only the group is labelled"
    );
    assert!(svg.contains("<rect class=\"span\""), "the span is a bar");
    assert!(svg.contains("href=\"./entries/moratorium-2003/\""));
    let theme = site.out("themes/ombudsman/index.html");
    assert_eq!(theme.matches("class=\"lane-label\"").count(), 1);
}

#[test]
fn large_chronicles_aggregate_per_year_and_cap_the_home_page() {
    let site = Site::fixture("basic");
    for i in 0..200 {
        site.write(
            &format!("content/entries/bulk/bulk-{i}.md"),
            format!(
                "---\ntitle: \"Bulk {i}\"\ndate: {}\nstatus: adopted\ninstrument: law\nthemes: [ombudsman]\nsummary: \"s\"\nsources:\n  - title: \"s\"\n    url: \"https://example.org/s\"\n---\nBody\n",
                2000 + i % 20
            ),
        );
    }
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{cfg}timeline:\n  home_limit: 50\n"));
    site.build_ok(&[]);
    let html = site.out("index.html");
    let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
    assert!(svg.contains("class=\"count\""), "per-year counts");
    assert!(svg.contains(
        "<a class=\"mark\" href=\"./years/2019/\"><title>10 entries in 2019: Ombudsman</title><rect class=\"count\""
    ));
    // The lane holding the 200 is all badges: no entry of it has a mark of its own.
    assert!(!svg.contains("entries/bulk-7/"));
    assert!(
        html.contains("Number: entries in a busy year"),
        "the legend explains the badges"
    );
    assert_eq!(card_slugs(&html).len(), 50);
    assert!(html.contains("This page shows the 50 latest of 207 entries."));
    // Every year stays reachable from the home page.
    assert!(html.contains("href=\"./years/2000/\""));
    assert!(html.contains("href=\"./years/2003/\""));
}

#[test]
fn cards_carry_filter_data_and_the_filter_form_starts_hidden() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("index.html");
    assert!(html.contains("<li class=\"entry-card\" data-themes=\"ombudsman death-penalty\" data-status=\"announced\" data-instrument=\"address\">"));
    assert!(html.contains("<details class=\"filters-box\" id=\"_filters-box\" hidden>"));
    assert!(html.contains("<input type=\"checkbox\" name=\"theme\" value=\"ombudsman\">"));
    assert!(html.contains("annals.js\" defer></script>"));
    assert!(site.out_exists("annals.js"));
}

/// FNV-1a of the first three letters, as annals.js computes it.
fn fnv1a(term: &str) -> u32 {
    let prefix: String = term.chars().take(3).collect();
    prefix.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// Runs a one-word query the way annals.js does; returns the result titles, newest first.
/// `word` must be one folded term (what annals.js looks up), or the query means nothing.
fn search(site: &Site, word: &str) -> Vec<String> {
    assert!(
        word.chars().count() >= 2
            && word
                .chars()
                .all(|c| c.is_alphanumeric() && !c.is_uppercase()),
        "`{word}` is not one folded search term"
    );
    let index: serde_json::Value = serde_json::from_str(&site.out("search/index.json")).unwrap();
    let shards = index["shards"].as_u64().unwrap() as u32;
    let chunk = index["chunk"].as_u64().unwrap() as usize;
    let shard: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&site.out(&format!("search/t/{}.json", fnv1a(word) & (shards - 1))))
            .unwrap();
    let pack = index["pack"].as_u64().unwrap();
    let mut ids = std::collections::BTreeSet::new();
    for (term, postings) in shard {
        if term == word || (word.chars().count() >= 3 && term.starts_with(word)) {
            let mut id = 0;
            for v in postings.as_array().unwrap() {
                // Each posting is the id's delta and the term's weight: delta * pack + weight.
                id += v.as_u64().unwrap() / pack;
                ids.insert(id as usize);
            }
        }
    }
    ids.iter()
        .rev()
        .map(|&id| {
            let docs: serde_json::Value =
                serde_json::from_str(&site.out(&format!("search/d/{}.json", id / chunk))).unwrap();
            docs[id % chunk][1].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn search_index_finds_by_prefix_body_and_theme_name() {
    let site = Site::fixture("basic");
    site.write(
        "content/entries/kz-2022.md",
        "---\ntitle: \"Закон о правах\"\ndate: 2022\nstatus: signed\ninstrument: law\nthemes: [ombudsman]\nsummary: \"Қазақстан ратифицировал протокол.\"\nsources:\n  - title: \"s\"\n    url: \"https://example.org/s\"\n---\nТекст о ПЫТКАХ.\n",
    );
    site.build_ok(&[]);
    assert_eq!(
        search(&site, "ratif"),
        ["Ratification law", "Moratorium on executions"]
    );
    assert_eq!(
        search(&site, "protocol"),
        ["Ratification law"],
        "body text is indexed"
    );
    // Theme names are indexed: every ombudsman entry, newest first.
    assert_eq!(
        search(&site, "ombudsman"),
        [
            "Закон о правах",
            "Human-rights decree",
            "State-of-the-Nation address",
            "Regional offices open",
            "A year of reform"
        ]
    );
    assert_eq!(search(&site, "закон"), ["Закон о правах"]);
    assert_eq!(
        search(&site, "пытк"),
        ["Закон о правах"],
        "Cyrillic folds case and matches prefixes"
    );
    // Kazakh letters are indexed folded to the Cyrillic letters typed for them.
    assert_eq!(search(&site, "казакстан"), ["Закон о правах"]);
    // "the" is in every body, but stopwords are not indexed.
    assert!(
        site.out("entries/ratification-2021/index.html")
            .contains("The protocol")
    );
    assert!(search(&site, "the").is_empty(), "stopwords are not indexed");
    let page = site.out("search/index.html");
    assert!(page.contains("<noscript>"));
    assert!(page.contains("role=\"search\""));
}

#[test]
fn drafts_built_with_drafts_are_shown_but_never_indexed() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    assert!(
        site.out("entries/draft-2022/index.html")
            .contains("Draft entry")
    );
    assert!(
        search(&site, "draft").is_empty(),
        "a draft's title is not indexed"
    );
    assert!(search(&site, "published").is_empty(), "nor its summary");
    let index: serde_json::Value = serde_json::from_str(&site.out("search/index.json")).unwrap();
    assert_eq!(index["total"], 7, "the published entries only");
    assert_eq!(
        search(&site, "moratorium"),
        ["Human-rights decree", "Moratorium on executions"]
    );
}

#[test]
fn overview_shows_status_by_shape_with_a_legend_and_theme_colours() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("index.html");
    // Each lane carries its theme's class; base.html maps it to a palette colour.
    assert!(html.contains("<g class=\"lane theme-death-penalty\">"));
    assert!(html.contains(
        ".theme-death-penalty{--tc:var(--theme-0)}.theme-ombudsman{--tc:var(--theme-1)}"
    ));
    // Shapes: outline (announced), half filled (adopted, signed), filled (in force).
    let legend = &html[html.find("<ul class=\"overview-legend\"").unwrap()..];
    let legend = &legend[..legend.find("</ul>").unwrap()];
    for text in [
        "outline: </span>Announced, Proposed",
        "half filled: </span>Adopted, Signed, Ratified",
        "filled: </span>In force, Implemented",
        "Bar: how long a reform lasted",
    ] {
        assert!(legend.contains(text), "{text}");
    }
    // No entry is repealed: its shape is not explained.
    assert!(!legend.contains("Repealed"));
    // Cards: the status as a badge (text and a shape class), chips in theme colours.
    assert!(html.contains("<span class=\"badge status-announced\"><span class=\"visually-hidden\">Status: </span>Announced</span>"));
    assert!(
        html.contains(
            "<a class=\"chip theme-ombudsman\" href=\"./themes/ombudsman/\">Ombudsman</a>"
        )
    );
}

#[test]
fn theme_pages_lead_with_the_first_sentence_and_keep_the_rest_one_click_away() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        cfg.replace(
            "description: \"From moratorium to abolition.\"",
            "description: \"Executions stopped under Decree No. 1 of 2003, a moratorium. The Constitution later limited the penalty.\"",
        ),
    );
    site.build_ok(&[]);
    let html = site.out("themes/death-penalty/index.html");
    assert!(html.contains("<p class=\"lede\">Executions stopped under Decree No. 1 of 2003, a moratorium.</p>\n<details class=\"more-about\">\n<summary>More about this theme</summary>\n<p>The Constitution later limited the penalty.</p>\n</details>"));
    // A one-sentence description has no "more".
    let other = site.out("themes/ombudsman/index.html");
    assert!(other.contains("<p class=\"lede\">The Commissioner for Human Rights.</p>"));
    assert!(!other.contains("more-about"));
}
