//! Publishing: feeds, sitemap, robots.txt, structured data and data exports, each parsed
//! with a real parser and checked against the fixture; sub-path deployment; drafts.

use crate::util::{Site, json_entry};
use std::collections::BTreeSet;

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> roxmltree::Node<'a, 'a> {
    node.children()
        .find(|n| n.has_tag_name((ATOM, name)))
        .unwrap_or_else(|| panic!("no <{name}>"))
}

#[test]
fn atom_feed_is_valid_and_complete() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    let text = site.out("atom.xml");
    let doc = roxmltree::Document::parse(&text).expect("atom.xml is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")));
    assert_eq!(
        child(feed, "id").text(),
        Some("https://reforms.test/chronicle/atom.xml")
    );
    assert_eq!(child(feed, "title").text(), Some("Fixture chronicle"));
    assert_eq!(child(feed, "updated").text(), Some("2021-06-09T00:00:00Z"));
    let rels: BTreeSet<&str> = feed
        .children()
        .filter(|n| n.has_tag_name((ATOM, "link")))
        .filter_map(|n| n.attribute("rel"))
        .collect();
    assert_eq!(rels, BTreeSet::from(["alternate", "license", "self"]));
    assert!(child(child(feed, "author"), "name").text().is_some());
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .collect();
    assert_eq!(
        entries.len(),
        7,
        "drafts never reach the feed, even with --drafts"
    );
    let first = entries[0];
    assert_eq!(
        child(first, "id").text(),
        Some("https://reforms.test/chronicle/entries/decree-2021/")
    );
    assert_eq!(
        child(first, "published").text(),
        Some("2021-06-09T00:00:00Z")
    );
    assert_eq!(child(first, "content").attribute("type"), Some("html"));
    assert!(
        child(first, "content")
            .text()
            .unwrap()
            .contains("<a href=\"https://reforms.test/chronicle/entries/moratorium-2003/\">"),
        "links of a feed's content are absolute"
    );
    let address = entries
        .iter()
        .find(|e| child(**e, "title").text() == Some("State-of-the-Nation address"))
        .unwrap();
    let cats: Vec<&str> = address
        .children()
        .filter(|n| n.has_tag_name((ATOM, "category")))
        .filter_map(|n| n.attribute("term"))
        .collect();
    assert_eq!(cats, ["ombudsman", "death-penalty"]);
}

#[test]
fn theme_feeds_exist_and_are_linked() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let text = site.out("themes/ombudsman/atom.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let n = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((ATOM, "entry")))
        .count();
    assert_eq!(n, 4);
    let page = site.out("themes/ombudsman/index.html");
    assert!(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Ombudsman · Fixture chronicle\" href=\"../../themes/ombudsman/atom.xml\">"));
}

#[test]
fn sitemap_and_robots() {
    let site = Site::fixture("basic");
    // A year-only entry revised in a month: its lastmod is that month, as written.
    let reform = std::fs::read_to_string(site.path("content/entries/reform-2020.md")).unwrap();
    site.write(
        "content/entries/reform-2020.md",
        reform.replace("date: 2020\n", "date: 2020\nupdated: 2021-07\n"),
    );
    site.build_ok(&["--drafts"]);
    let text = site.out("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs.len(), 17);
    assert!(!locs.iter().any(|l| l.contains("draft-2022")));
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://reforms.test/chronicle/"))
    );
    let lastmods: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "lastmod")))
        .filter_map(|n| n.text())
        .collect();
    // Only from `updated`: the entry, its theme, its year, the themes index, home, data.
    assert_eq!(lastmods, ["2021-07"; 6], "{text}");
    assert!(text.contains(
        "<loc>https://reforms.test/chronicle/entries/reform-2020/</loc><lastmod>2021-07</lastmod>"
    ));
    assert!(text.contains(
        "<loc>https://reforms.test/chronicle/themes/ombudsman/</loc><lastmod>2021-07</lastmod>"
    ));
    // Never invented from a date: an entry without `updated` has none.
    assert!(
        text.contains(
            "<url><loc>https://reforms.test/chronicle/entries/moratorium-2003/</loc></url>"
        )
    );
    assert_eq!(
        site.out("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://reforms.test/chronicle/sitemap.xml\n"
    );
}

fn jsonld(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("JSON-LD present") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("JSON-LD parses")
}

#[test]
fn entry_pages_carry_legislation_json_ld_and_sharing_meta() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = site.out("entries/moratorium-2003/index.html");
    let ld = jsonld(&html);
    assert_eq!(ld["@type"], "Legislation");
    assert_eq!(ld["name"], "Moratorium on executions");
    assert_eq!(
        ld["url"],
        "https://reforms.test/chronicle/entries/moratorium-2003/"
    );
    assert_eq!(ld["legislationDate"], "2003-12-17");
    assert_eq!(ld["legislationType"], "Decree");
    assert_eq!(ld["legislationJurisdiction"], "Kazakhstan");
    assert_eq!(ld["legislationLegalForce"], "https://schema.org/InForce");
    assert_eq!(ld["about"][0]["name"], "Death penalty");
    assert_eq!(ld["citation"][0]["@type"], "CreativeWork");
    assert_eq!(
        ld["citation"][0]["url"],
        "https://example.org/sources/decree"
    );
    assert_eq!(ld["isPartOf"]["url"], "https://reforms.test/chronicle/");
    assert_eq!(
        ld["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    // Only legal acts are Legislation; each other kind has the properties of its type.
    let office = jsonld(&site.out("entries/office-2020/index.html"));
    assert_eq!(office["@type"], "GovernmentOrganization");
    assert_eq!(office["foundingDate"], "2020-09");
    assert!(office.get("legislationDate").is_none() && office.get("citation").is_none());
    assert_eq!(office["subjectOf"][0]["@type"], "CreativeWork");
    assert_eq!(office["mainEntityOfPage"]["@type"], "WebPage");
    assert_eq!(
        office["mainEntityOfPage"]["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    let address = jsonld(&site.out("entries/address-2020/index.html"));
    assert_eq!(address["@type"], "CreativeWork");
    assert_eq!(address["genre"], "Address");
    assert!(address.get("legislationLegalForce").is_none());
    let plan = jsonld(&site.out("entries/reform-2020/index.html"));
    assert_eq!(plan["@type"], "CreativeWork");
    let law = jsonld(&site.out("entries/ratification-2021/index.html"));
    assert_eq!(law["@type"], "Legislation");
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(html.contains("<meta property=\"og:title\" content=\"Moratorium on executions\">"));
    assert!(
        html.contains("<meta property=\"og:description\" content=\"Executions are suspended.\">")
    );
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    // Twitter falls back to og:title and og:description: the page says each once.
    assert!(!html.contains("twitter:title") && !html.contains("twitter:description"));
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://reforms.test/chronicle/entries/moratorium-2003/\">"
    ));
    assert!(html.contains("<meta name=\"description\" content=\"Executions are suspended.\">"));
    let home = jsonld(&site.out("index.html"));
    assert_eq!(home["@graph"][0]["@type"], "WebSite");
    assert_eq!(
        home["@graph"][0]["license"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(home["@graph"][1]["numberOfItems"], 7);
    let first = &home["@graph"][1]["itemListElement"][0];
    assert_eq!(first["@type"], "ListItem");
    assert_eq!(first["position"], 1);
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with("https://reforms.test/chronicle/entries/")
    );
}

#[test]
fn json_ld_survives_a_hostile_title() {
    let site = Site::fixture("basic");
    let title = "</script><script>alert(1)</script> & \"quotes\"";
    site.write(
        "content/entries/hostile-2021.md",
        format!(
            "---\ntitle: {}\ndate: 2021\nstatus: signed\ninstrument: law\nthemes: [ombudsman]\nsummary: \"x\"\nsources:\n  - title: \"</script>\"\n    url: \"https://example.org/s\"\n---\nBody\n",
            serde_json::to_string(title).unwrap()
        ),
    );
    site.build_ok(&[]);
    for page in ["entries/hostile-2021/index.html", "index.html"] {
        let html = site.out(page);
        assert_eq!(
            html.matches("</script>").count(),
            html.matches("<script").count(),
            "{page}: a </script> that closes nothing the page opened"
        );
        assert!(!html.contains("<script>alert"), "{page}");
    }
    assert_eq!(
        jsonld(&site.out("entries/hostile-2021/index.html"))["name"],
        title
    );
    let atom = site.out("atom.xml");
    assert!(roxmltree::Document::parse(&atom).is_ok());
    assert!(!atom.contains("<script>"));
}

#[test]
fn timeline_json_export() {
    let site = Site::fixture("basic");
    site.build_ok(&["--drafts"]);
    let v: serde_json::Value = serde_json::from_str(&site.out("timeline.json")).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["site"]["title"], "Fixture chronicle");
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 7, "no drafts in exports");
    let office = json_entry(&v, "office-2020");
    assert_eq!(office["date"], "2020-09");
    assert_eq!(office["date_precision"], "month");
    assert_eq!(office["end"], "2020-12");
    assert_eq!(
        office["url"],
        "https://reforms.test/chronicle/entries/office-2020/"
    );
    assert_eq!(office["status"], "implemented");
    assert_eq!(office["themes"], serde_json::json!(["ombudsman"]));
    let m = json_entry(&v, "moratorium-2003");
    assert_eq!(m["sources"][0]["publisher"], "Government");
    assert_eq!(m["sources"][0]["date"], "2003-12-17");
    assert_eq!(m["related"], serde_json::json!(["ratification-2021"]));
    assert_eq!(m["backlinks"], serde_json::json!(["decree-2021"]));
    // Oldest first.
    assert_eq!(entries[0]["slug"], "moratorium-2003");
}

/// The JSON exports are written from structs, not from sorted maps: their keys must still
/// come in byte order at every level, exactly as a sorted map prints them (so a field
/// declared out of place fails here), with and without the licence.
#[test]
fn json_exports_keep_sorted_keys() {
    for licensed in [true, false] {
        let site = Site::fixture("basic");
        if !licensed {
            let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
            let start = yaml.find("license:").unwrap();
            let end = start + yaml[start..].find("/4.0/\"\n").unwrap() + 7;
            site.write("site.yaml", format!("{}{}", &yaml[..start], &yaml[end..]));
        }
        site.build_ok(&["--drafts"]);
        for file in ["timeline.json", "timelinejs.json"] {
            let text = site.out(file);
            assert_eq!(text.contains("creativecommons"), licensed, "{file}");
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let sorted = serde_json::to_string_pretty(&v).unwrap() + "\n";
            assert_eq!(text, sorted, "{file}, licensed: {licensed}");
        }
    }
}

#[test]
fn timelinejs_export() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let v: serde_json::Value = serde_json::from_str(&site.out("timelinejs.json")).unwrap();
    assert_eq!(v["title"]["text"]["headline"], "Fixture chronicle");
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 7);
    let year = events
        .iter()
        .find(|e| e["unique_id"] == "reform-2020")
        .unwrap();
    assert_eq!(year["start_date"], serde_json::json!({"year": "2020"}));
    assert_eq!(year["display_date"], "2020");
    let office = events
        .iter()
        .find(|e| e["unique_id"] == "office-2020")
        .unwrap();
    assert_eq!(
        office["start_date"],
        serde_json::json!({"year": "2020", "month": "9"})
    );
    assert_eq!(
        office["end_date"],
        serde_json::json!({"year": "2020", "month": "12"})
    );
    assert_eq!(office["group"], "Ombudsman");
    assert_eq!(office["display_date"], "September – December 2020");
    let day = events
        .iter()
        .find(|e| e["unique_id"] == "address-2020")
        .unwrap();
    assert_eq!(
        day["start_date"],
        serde_json::json!({"year": "2020", "month": "9", "day": "1"})
    );
    assert!(
        day["text"]["headline"]
            .as_str()
            .unwrap()
            .contains("href=\"https://reforms.test/chronicle/entries/address-2020/\"")
    );
}

#[test]
fn csv_export() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let bytes = std::fs::read(site.path("public/timeline.csv")).unwrap();
    assert!(
        !bytes.starts_with(b"\xEF\xBB\xBF"),
        "no BOM: the first header is `slug`"
    );
    let text = String::from_utf8(bytes).expect("UTF-8");
    // Strict: every record has the header's number of fields, quotes are balanced.
    let mut r = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "slug",
            "url",
            "title",
            "start",
            "end",
            "date",
            "date_precision",
            "end_date",
            "end_precision",
            "status",
            "status_label",
            "instrument",
            "instrument_label",
            "jurisdiction",
            "themes",
            "theme_labels",
            "thread",
            "summary",
            "source_titles",
            "source_urls",
            "related",
            "updated",
            "license"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 7);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |slug: &str| rows.iter().find(|r| &r[0] == slug).unwrap();
    let address = row("address-2020");
    assert_eq!(&address[col("themes")], "ombudsman;death-penalty");
    assert_eq!(&address[col("theme_labels")], "Ombudsman;Death penalty");
    assert_eq!(
        &address[col("source_urls")],
        "https://example.org/sources/address"
    );
    assert!(!address[col("source_titles")].is_empty());
    assert_eq!(&address[col("date_precision")], "day");
    assert_eq!(&address[col("instrument")], "address");
    assert_eq!(&address[col("instrument_label")], "Address");
    assert_eq!(
        &address[col("license")],
        "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
    );
    // A span: the first and last day it covers, beside the dates as written.
    let office = row("office-2020");
    assert_eq!(
        [
            &office[col("start")],
            &office[col("end")],
            &office[col("date")],
            &office[col("end_date")]
        ],
        ["2020-09-01", "2020-12-31", "2020-09", "2020-12"]
    );
    let year = row("reform-2020");
    assert_eq!(
        [&year[col("start")], &year[col("end")]],
        ["2020-01-01", "2020-12-31"]
    );
    assert_eq!(&year[col("date_precision")], "year");
    // Sorting by `start` as text is the chronicle's time order.
    let starts: Vec<&str> = rows.iter().map(|r| &r[col("start")]).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    assert!(
        starts
            .iter()
            .all(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
    );
    let status = row("moratorium-2003");
    assert_eq!(
        [&status[col("status")], &status[col("status_label")]],
        ["in-force", "In force"]
    );
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
}

/// An instrument's schema.org type can be set in site.yaml; a span is never `expires`
/// (a law that ends is not a law that expires): an event gets `endDate`, a work its
/// `temporalCoverage`.
#[test]
fn json_ld_types_come_from_the_instrument_and_spans_are_not_expiry() {
    let site = Site::fixture("basic");
    let cfg = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        format!(
            "{cfg}instruments:\n  law: \"Law\"\n  referendum: \"Referendum\"\n  plan:\n    label: \"Plan\"\n    type: \"Event\"\n  address: \"Address\"\n  decree: \"Decree\"\n  institution: \"Institution\"\n  constitutional-amendment: \"Amendment\"\n"
        ),
    );
    let entry = |slug: &str, instrument: &str, end: &str| {
        format!(
            "---\ntitle: \"{slug}\"\ndate: 2022-06-05\n{end}status: adopted\ninstrument: {instrument}\nthemes: [ombudsman]\nsummary: \"s\"\nsources:\n  - title: \"S\"\n    url: \"https://example.org/s\"\n---\nBody.\n"
        )
    };
    site.write("content/entries/vote.md", entry("vote", "referendum", ""));
    site.write(
        "content/entries/span-law.md",
        entry("span-law", "law", "end: 2023\n"),
    );
    site.write(
        "content/entries/span-plan.md",
        entry("span-plan", "plan", "end: 2022-09\n"),
    );
    site.build_ok(&[]);
    let vote = jsonld(&site.out("entries/vote/index.html"));
    assert_eq!(vote["@type"], "Event");
    assert_eq!(vote["startDate"], "2022-06-05");
    assert_eq!(vote["location"]["name"], "Kazakhstan");
    let law = jsonld(&site.out("entries/span-law/index.html"));
    assert_eq!(law["@type"], "Legislation");
    assert_eq!(law["temporalCoverage"], "2022-06-05/2023");
    // The type set in site.yaml wins over the default for `plan`.
    let plan = jsonld(&site.out("entries/span-plan/index.html"));
    assert_eq!(plan["@type"], "Event");
    assert_eq!(plan["endDate"], "2022-09");
    for page in ["vote", "span-law", "span-plan", "reform-2020"] {
        let html = site.out(&format!("entries/{page}/index.html"));
        assert!(!html.contains("expires"), "{page}");
    }
}

/// The licence, wherever the data goes: footer, data page, feeds, every export.
#[test]
fn the_license_travels_with_the_data() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let cc = "https://creativecommons.org/licenses/by/4.0/";
    let footer = site.out("entries/moratorium-2003/index.html");
    assert!(footer.contains(&format!(
        "under <a rel=\"license\" href=\"{cc}\">CC BY 4.0</a>"
    )));
    assert!(
        site.out("data/index.html")
            .contains(&format!("<a rel=\"license\" href=\"{cc}\">CC BY 4.0</a>"))
    );
    for feed in ["atom.xml", "themes/ombudsman/atom.xml"] {
        let text = site.out(feed);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let rights = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name((ATOM, "rights")))
            .unwrap();
        assert_eq!(rights.text(), Some(&*format!("CC BY 4.0: {cc}")), "{feed}");
        assert!(text.contains(&format!(
            "<link rel=\"license\" type=\"text/html\" href=\"{cc}\"/>"
        )));
    }
    let json: serde_json::Value = serde_json::from_str(&site.out("timeline.json")).unwrap();
    assert_eq!(
        json["license"],
        serde_json::json!({"name": "CC BY 4.0", "url": cc})
    );
    let tl: serde_json::Value = serde_json::from_str(&site.out("timelinejs.json")).unwrap();
    assert_eq!(tl["license"]["url"], cc);
    assert!(
        site.out("timeline.csv")
            .lines()
            .skip(1)
            .all(|l| l.ends_with(&format!("CC BY 4.0 ({cc})")))
    );
}

/// `/data/` lists every download with its real size and documents every field.
#[test]
fn the_data_page_lists_downloads_with_sizes_and_documents_the_fields() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let html = scraper::Html::parse_document(&site.out("data/index.html"));
    let rows = scraper::Selector::parse("table.downloads tbody tr").unwrap();
    let cell = scraper::Selector::parse("td").unwrap();
    let size = scraper::Selector::parse("data").unwrap();
    let mut files = Vec::new();
    for row in html.select(&rows) {
        let cells: Vec<_> = row.select(&cell).collect();
        let name = cells[0].text().collect::<String>();
        let bytes: usize = row
            .select(&size)
            .next()
            .unwrap()
            .value()
            .attr("value")
            .unwrap()
            .parse()
            .unwrap();
        let real = std::fs::metadata(site.path(&format!("public/{name}")))
            .unwrap()
            .len() as usize;
        assert_eq!(bytes, real, "{name}");
        files.push(name);
    }
    assert_eq!(
        files,
        [
            "timeline.csv",
            "timeline.json",
            "timeline.schema.json",
            "timelinejs.json"
        ]
    );
    let text = html.root_element().text().collect::<String>();
    let csv = site.out("timeline.csv");
    for column in csv.lines().next().unwrap().split(',') {
        assert!(text.contains(column), "the column `{column}` is documented");
    }
    let page = site.out("data/index.html");
    assert!(
        page.contains("href=\"../timeline.csv\" download"),
        "relative links"
    );
    // Every page's footer leads there.
    assert!(
        site.out("index.html")
            .contains("href=\"./data/\">Data (JSON, CSV)</a>")
    );
}

/// Entry pages' JSON-LD is written from structs: its keys must stay in byte order at every
/// level (what a `serde_json::Value` gives), so that the bytes are those of a sorted
/// re-print — for each kind of entry (legal act, institution, address, plan, event).
#[test]
fn entry_json_ld_keeps_sorted_keys_for_every_kind() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    for slug in [
        "moratorium-2003",
        "office-2020",
        "address-2020",
        "reform-2020",
        "ratification-2021",
        "constitution-2007",
    ] {
        let html = site.out(&format!("entries/{slug}/index.html"));
        let open = "<script type=\"application/ld+json\">";
        let start = html.find(open).expect("JSON-LD present") + open.len();
        let end = start + html[start..].find("</script>").unwrap();
        let text = html[start..end]
            .replace("\\u003c", "<")
            .replace("\\u003e", ">")
            .replace("\\u0026", "&");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&value).unwrap(), text, "{slug}");
    }
}
