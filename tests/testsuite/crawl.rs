//! The crawl: every link, stylesheet, script, image, form and search-data reference in
//! every page of a built site resolves to a file it wrote, and every `#fragment` to an id
//! of its target, wherever the output is put: served at `/`, served at a sub-path, and
//! opened from disk (`file://`, where a folder's link opens its `index.html`). Pages link
//! relatively, so one build works in all three; the absolute URLs (canonical, feeds,
//! sitemap) are checked against `base_url`.

use crate::util::{Site, snapshot};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, HashSet};

const BASE: &str = "https://org.github.io/kz/";

/// Where the output is put: the URL of its root folder.
#[derive(Clone, Copy)]
struct Place {
    name: &'static str,
    root: &'static str,
    /// Whether a page is reached at its folder's URL (a server) or at its file (disk).
    served: bool,
}

const PLACES: [Place; 3] = [
    Place {
        name: "served at /",
        root: "http://localhost:8000/",
        served: true,
    },
    Place {
        name: "served at /sub/",
        root: "http://localhost:8000/sub/",
        served: true,
    },
    Place {
        name: "opened from disk",
        root: "file:///home/reader/saved%20site/",
        served: false,
    },
];

/// `rel` resolved against the absolute `base` (RFC 3986, section 5.2, for the forms a
/// page can hold: absolute, scheme-relative, root-relative, relative, fragment-only).
fn resolve(base: &str, rel: &str) -> String {
    if rel.contains("://") || rel.starts_with("mailto:") || rel.starts_with("data:") {
        return rel.to_string();
    }
    let base = base.split('#').next().unwrap();
    if rel.is_empty() {
        return base.to_string();
    }
    if rel.starts_with('#') {
        return format!("{base}{rel}");
    }
    let (scheme, rest) = base.split_once("://").unwrap();
    let slash = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(slash);
    if let Some(r) = rel.strip_prefix("//") {
        return format!("{scheme}://{r}");
    }
    let (rel_path, tail) = match rel.find(['?', '#']) {
        Some(i) => rel.split_at(i),
        None => (rel, ""),
    };
    let joined = if rel_path.starts_with('/') {
        rel_path.to_string()
    } else {
        let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{rel_path}")
    };
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = joined.split('/').skip(1).collect();
    for (k, seg) in segments.iter().enumerate() {
        let last = k + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{scheme}://{host}/{}{tail}", out.join("/"))
}

#[test]
fn resolving_follows_rfc_3986() {
    let b = "http://a/b/c/d;p?q";
    for (rel, want) in [
        ("g", "http://a/b/c/g"),
        ("./g", "http://a/b/c/g"),
        ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"),
        ("//g", "http://g"),
        ("#s", "http://a/b/c/d;p?q#s"),
        ("g#s", "http://a/b/c/g#s"),
        (".", "http://a/b/c/"),
        ("./", "http://a/b/c/"),
        ("..", "http://a/b/"),
        ("../", "http://a/b/"),
        ("../g", "http://a/b/g"),
        ("../..", "http://a/"),
        ("../../g", "http://a/g"),
        ("../../../g", "http://a/g"),
    ] {
        assert_eq!(resolve(b, rel), want, "{rel}");
    }
}

/// The URL a reader has in the address bar for output file `file` at `place`.
fn page_url(place: Place, file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) if place.served => format!("{}{dir}", place.root),
        _ => format!("{}{file}", place.root),
    }
}

/// The output file an absolute URL reaches at `place`, and its fragment; `None` when the
/// URL is outside the site.
fn target(place_root: &str, url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix(place_root)?;
    let (path, frag) = rest.split_once('#').unwrap_or((rest, ""));
    let path = path.split('?').next().unwrap();
    let path = path.replace("%20", " ");
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path
    };
    Some((file, frag.to_string()))
}

struct Built {
    files: BTreeMap<String, Vec<u8>>,
    ids: BTreeMap<String, HashSet<String>>,
}

impl Built {
    fn html(&self, file: &str) -> Html {
        Html::parse_document(&String::from_utf8_lossy(&self.files[file]))
    }

    /// Checks that `url`, met in `from`, reaches a file and its fragment; `what` for the
    /// message.
    fn reaches(&self, place_root: &str, from: &str, what: &str, url: &str) -> bool {
        let Some((file, frag)) = target(place_root, url) else {
            return false;
        };
        assert!(
            self.files.contains_key(&file),
            "{from}: {what} {url} → {file}, which the build did not write"
        );
        if !frag.is_empty() {
            let ids = self.ids.get(&file);
            assert!(
                ids.is_some_and(|ids| ids.contains(&frag)),
                "{from}: {what} {url}: {file} has no id `{frag}`"
            );
        }
        true
    }
}

fn build() -> (Site, Built) {
    build_site(Site::fixture("basic"))
}

fn build_site(site: Site) -> (Site, Built) {
    site.build_ok(&["--base-url", BASE]);
    let files = snapshot(&site.root.join("public"));
    let any_id = Selector::parse("[id]").unwrap();
    let ids = files
        .iter()
        .filter(|(name, _)| name.ends_with(".html"))
        .map(|(name, bytes)| {
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            let ids = doc
                .select(&any_id)
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            (name.clone(), ids)
        })
        .collect();
    (site, Built { files, ids })
}

#[test]
fn every_link_resolves_served_at_the_root_at_a_sub_path_and_from_disk() {
    let (_site, built) = build();
    crawl(&built, 300);
}

/// The same crawl over every language's tree: pages of other languages link to their own
/// language's pages, to the original of an untranslated entry, to the static files at the
/// root and, in the switcher, to the other languages; alternates are absolute.
#[test]
fn every_link_of_every_language_resolves() {
    let (_site, built) = build_site(crate::languages::multilingual());
    assert!(built.files.contains_key("ru/index.html"));
    assert!(
        built
            .files
            .contains_key("kk/entries/moratorium-2003/index.html")
    );
    crawl(&built, 800);
}

fn crawl(built: &Built, at_least: usize) {
    let refs = Selector::parse("[href], [src], form[action], [data-base]").unwrap();
    let pages: Vec<&String> = built
        .files
        .keys()
        .filter(|f| f.ends_with(".html") && *f != "404.html")
        .collect();
    assert!(pages.len() > 15, "{pages:?}");
    for place in PLACES {
        let mut checked = 0;
        for file in &pages {
            let here = page_url(place, file);
            let doc = built.html(file);
            for el in doc.select(&refs) {
                let v = el.value();
                for attr in ["href", "src", "action", "data-base"] {
                    let Some(raw) = v.attr(attr) else { continue };
                    let canonical = v.name() == "link" && v.attr("rel") == Some("canonical");
                    if v.name() == "link"
                        && v.attr("hreflang").is_some()
                        && v.attr("type").is_none()
                    {
                        // Absolute, as hreflang wants: a page of the site at base_url.
                        assert!(
                            built.reaches(BASE, file, "an alternate", raw),
                            "{file}: {raw}"
                        );
                        continue;
                    }
                    if canonical {
                        assert_eq!(
                            raw,
                            format!(
                                "{BASE}{}",
                                target(place.root, &here)
                                    .unwrap()
                                    .0
                                    .trim_end_matches("index.html")
                            ),
                            "{file}: canonical"
                        );
                        continue;
                    }
                    assert!(
                        !raw.starts_with(BASE) && !raw.starts_with('/'),
                        "{file}: `{attr}=\"{raw}\"` is not relative, so it breaks {}",
                        place.name
                    );
                    let url = resolve(&here, raw);
                    if attr == "data-base" {
                        // The root of the page's language, which holds its search index.
                        let lang = file.strip_suffix("search/index.html").unwrap_or("");
                        assert_eq!(
                            url,
                            format!("{}{lang}", place.root),
                            "{file}: the search script's root"
                        );
                        assert!(
                            built
                                .files
                                .contains_key(&format!("{lang}search/index.json")),
                            "{file}: no {lang}search/index.json"
                        );
                        continue;
                    }
                    if raw.starts_with("data:") {
                        continue;
                    }
                    let what = format!("<{} {attr}> ({})", v.name(), place.name);
                    if built.reaches(place.root, file, &what, &url) {
                        checked += 1;
                    } else {
                        assert!(
                            url.starts_with("https://example.org/sources")
                                || url.starts_with("https://creativecommons.org/"),
                            "{file}: {raw} leaves the site ({})",
                            place.name
                        );
                    }
                }
            }
        }
        assert!(
            checked > at_least,
            "{}: only {checked} links checked",
            place.name
        );
    }
}

/// What the search script fetches and links, from the root it reads off `data-base`.
#[test]
fn search_data_resolves_from_the_site_root() {
    let (_site, built) = build();
    let index: serde_json::Value =
        serde_json::from_slice(&built.files["search/index.json"]).unwrap();
    assert!(index["shards"].as_u64().unwrap() >= 1);
    for place in PLACES {
        let root = place.root;
        // The script fetches `search/` + index.json, t/<k>.json and d/<n>.json.
        for k in 0..index["shards"].as_u64().unwrap() {
            let url = resolve(root, &format!("search/t/{k}.json"));
            assert!(built.reaches(root, "annals.js", "a shard", &url));
        }
        let chunks = built.files.keys().filter(|f| f.starts_with("search/d/"));
        let mut links = 0;
        for chunk in chunks {
            let docs: Vec<Vec<serde_json::Value>> =
                serde_json::from_slice(&built.files[chunk]).unwrap();
            for d in docs {
                let url = format!("{root}{}", d[0].as_str().unwrap());
                assert!(built.reaches(root, chunk, "a search result", &url));
                links += 1;
            }
        }
        assert_eq!(links, 7, "{}", place.name);
    }
}

/// The 404 page is served for a missing path at any depth, so its links start from
/// `base_url`'s path.
#[test]
fn the_404_page_links_from_the_base_path() {
    let (_site, built) = build();
    let doc = built.html("404.html");
    let refs = Selector::parse("[href], [src]").unwrap();
    let mut checked = 0;
    for el in doc.select(&refs) {
        let v = el.value();
        let raw = v.attr("href").or(v.attr("src")).unwrap();
        if raw.starts_with("data:")
            || raw.starts_with('#')
            || raw.starts_with(BASE)
            || raw.starts_with("https://creativecommons.org/")
        {
            continue;
        }
        assert!(raw.starts_with("/kz/"), "404.html: {raw}");
        let url = resolve("https://org.github.io/kz/no/such/page/", raw);
        assert!(built.reaches(BASE, "404.html", "a link", &url), "{raw}");
        checked += 1;
    }
    assert!(checked > 5, "{checked}");
}

/// What standards want absolute (feeds, sitemap, robots) is made from `base_url` and
/// reaches a file of the site served there.
#[test]
fn absolute_urls_of_feeds_sitemap_and_robots_resolve_under_base_url() {
    let (_site, built) = build();
    absolute_urls(&built, 30);
}

/// The same over every language: each language's feeds, and the sitemap's alternates.
#[test]
fn absolute_urls_of_every_language_resolve_under_base_url() {
    let (_site, built) = build_site(crate::languages::multilingual());
    assert!(built.files.contains_key("ru/atom.xml"));
    assert!(built.files.contains_key("kk/themes/death-penalty/atom.xml"));
    absolute_urls(&built, 150);
}

fn absolute_urls(built: &Built, at_least: usize) {
    let mut checked = 0;
    for (name, bytes) in &built.files {
        if !name.ends_with(".xml") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let doc = roxmltree::Document::parse(&text).unwrap();
        for n in doc.descendants() {
            let mut urls: Vec<&str> = Vec::new();
            if n.has_tag_name("loc") || n.has_tag_name("id") {
                urls.extend(n.text());
            }
            urls.extend(n.attribute("href"));
            for url in urls {
                if url.starts_with("https://example.org/sources")
                    || url.starts_with("https://crates.io")
                    || url.starts_with("https://creativecommons.org/")
                {
                    continue;
                }
                assert!(url.starts_with(BASE), "{name}: {url} is not under base_url");
                assert!(built.reaches(BASE, name, "a URL", url));
                checked += 1;
            }
        }
    }
    let robots = String::from_utf8_lossy(&built.files["robots.txt"]).to_string();
    assert!(
        robots.contains(&format!("Sitemap: {BASE}sitemap.xml")),
        "{robots}"
    );
    assert!(checked > at_least, "{checked}");
}
