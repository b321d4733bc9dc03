//! Several languages: `languages:` in site.yaml, translations beside their originals
//! (`<slug>.<code>.md`), the facts they may not set, and `annals translations` (the table
//! and `--stamp`), on fixture sites through the real binary.

use crate::util::Site;

const LANGUAGES: &str = "languages:\n  - {code: en, name: English, locale: en-GB}\n  - {code: ru, name: Русский}\n  - {code: kk, name: Қазақша}\n";

/// The basic fixture with three languages.
fn site() -> Site {
    let site = Site::fixture("basic");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("language: en\n", LANGUAGES));
    site
}

const RU: &str = "---\ntitle: \"Мораторий\"\nsummary: \"Кратко.\"\n---\nТекст.\n";

/// The moratorium in Russian: links to an entry translated under its own slug (with a
/// fragment of the translation's headings), to the about page (translated) and to an
/// entry that is not translated.
const MORATORIUM_RU: &str = "---\ntitle: \"Мораторий на казни\"\nsummary: \"Казни приостановлены.\"\nsources:\n  - url: \"https://example.org/sources/decree\"\n    title: \"Указ о моратории\"\n---\nСначала был мораторий; см. [ратификацию](ratification-2021.md#oblast)\nи [о датах](../pages/about.md#daty), а также [конституцию](constitution-2007.md).\n";
const RATIFICATION_RU: &str = "---\ntitle: \"Закон о ратификации\"\nslug: ratifikatsiya-2021\nsummary: \"Протокол ратифицирован.\"\n---\n## Область {#oblast}\n\nЗакон ратифицирует протокол.\n";
const ABOUT_RU: &str = "---\ntitle: \"О хронике\"\nsummary: \"Что это.\"\n---\nПрочитайте [о моратории](../entries/moratorium-2003.md).\n\n## Даты {#daty}\n\nУ дат есть точность.\n";
const MORATORIUM_KK: &str = "---\ntitle: \"Өлім жазасына мораторий\"\nsummary: \"Өлім жазасы тоқтатылды.\"\n---\nАлдымен мораторий болды; [ратификация](ratification-2021.md#scope).\n";

/// The basic fixture in English, Russian and Kazakh: three Russian translations (one
/// under its own slug), one Kazakh; the rest falls back to the originals.
pub fn multilingual() -> Site {
    let site = site();
    site.write("content/entries/moratorium-2003.ru.md", MORATORIUM_RU);
    site.write("content/entries/ratification-2021.ru.md", RATIFICATION_RU);
    site.write("content/pages/about.ru.md", ABOUT_RU);
    site.write("content/entries/moratorium-2003.kk.md", MORATORIUM_KK);
    site
}

#[test]
fn the_table_counts_translations_per_language_and_stamping_makes_them_current() {
    let site = site();
    site.write("content/entries/moratorium-2003.ru.md", RU);
    let r = site.annals(&["translations"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let originals = r.stdout.lines().nth(1).unwrap().to_string();
    assert!(originals.starts_with("ru "), "{}", r.stdout);
    let cols: Vec<&str> = originals.split_whitespace().collect();
    // language, translated, current, outdated, unstamped, missing
    assert_eq!(
        cols[2..],
        [
            "0",
            "0",
            "1",
            &(cols[1].split('/').nth(1).unwrap().parse::<usize>().unwrap() - 1).to_string()
        ][..]
    );
    assert!(
        r.stdout.contains("moratorium-2003.ru.md: not stamped"),
        "{}",
        r.stdout
    );

    let r = site.annals(&[
        "translations",
        "--stamp",
        "content/entries/moratorium-2003.ru.md",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(site.path("content/entries/moratorium-2003.ru.md")).unwrap();
    assert!(text.contains("\ntranslates: \"v1 "), "{text}");
    assert!(text.ends_with("---\nТекст.\n"), "{text}");
    let r = site.annals(&["translations"]);
    let row: Vec<&str> = r
        .stdout
        .lines()
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(row[2], "1", "{}", r.stdout);
    assert!(!r.stdout.contains("not stamped"), "{}", r.stdout);
}

#[test]
fn an_edited_original_is_reported_at_the_lines_that_changed() {
    let site = site();
    site.write("content/entries/moratorium-2003.ru.md", RU);
    site.annals(&[
        "translations",
        "--stamp",
        "content/entries/moratorium-2003.ru.md",
    ]);
    let path = "content/entries/moratorium-2003.md";
    let original = std::fs::read_to_string(site.path(path)).unwrap();
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    let last = lines.len();
    lines[last - 1].push_str(" One more sentence.");
    site.write(path, lines.join("\n") + "\n");
    // The last paragraph (two lines) changed: both are named, nothing else.
    let r = site.annals(&["translations"]);
    assert!(
        r.stdout.contains(&format!(
            "moratorium-2003.ru.md: out of date — lines {}–{last} of the original changed",
            last - 1
        )),
        "{}",
        r.stdout
    );
}

#[test]
fn a_translation_that_sets_a_fact_is_an_error_naming_the_original() {
    let site = site();
    site.write(
        "content/entries/moratorium-2003.ru.md",
        "---\ntitle: \"Мораторий\"\ndate: 2004\n---\nТекст.\n",
    );
    let r = site.annals(&["translations"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("error[translation-fact]"), "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "`date` is a fact, and facts are stated once, in content/entries/moratorium-2003.md"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("moratorium-2003.ru.md:3:1"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_translation_without_its_original_is_an_error() {
    let site = site();
    site.write("content/entries/gone-2001.ru.md", RU);
    let r = site.annals(&["translations"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error[translation-orphan]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("content/entries/gone-2001.md, which does not exist"),
        "{}",
        r.stderr
    );
}

#[test]
fn stamping_a_file_that_is_not_a_translation_is_refused() {
    let site = site();
    let r = site.annals(&[
        "translations",
        "--stamp",
        "content/entries/moratorium-2003.md",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is not a translation"), "{}", r.stderr);
}

#[test]
fn language_errors_in_site_yaml_are_reported_at_their_key() {
    let site = Site::fixture("basic");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        yaml.replace(
            "language: en\n",
            "language: en\nlanguages:\n  - {code: en}\n  - {code: en}\n  - {code: \"not a tag\"}\n",
        ),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1);
    for code in ["language-twice", "duplicate-language", "bad-language"] {
        assert!(
            r.stderr.contains(&format!("error[{code}]")),
            "{code}: {}",
            r.stderr
        );
    }
    let r = Site::fixture("basic").annals(&["translations"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("nothing to translate"), "{}", r.stderr);
}

#[test]
fn check_reports_translations_and_never_reads_them_as_entries() {
    let site = site();
    site.write("content/entries/moratorium-2003.ru.md", RU);
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The translation is not an entry of its own: the count is the fixture's (its page
    // is one of the Russian tree's pages).
    let plain = Site::fixture("basic").annals(&["check"]);
    let counts = |s: &str| s.split(" and ").next().unwrap_or_default().to_string();
    assert_eq!(counts(&r.stdout), counts(&plain.stdout), "{}", r.stdout);
    assert!(
        r.stderr.contains("warning[translation-unstamped]"),
        "{}",
        r.stderr
    );
    site.annals(&[
        "translations",
        "--stamp",
        "content/entries/moratorium-2003.ru.md",
    ]);
    let r = site.annals(&["check", "--strict"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The original changes: check says so, and --strict refuses it.
    let path = "content/entries/moratorium-2003.md";
    let original = std::fs::read_to_string(site.path(path)).unwrap();
    site.write(
        path,
        original.replace("Executions are suspended.", "Executions stop."),
    );
    let r = site.annals(&["check", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error[translation-outdated]: the ru translation of content/entries/moratorium-2003.md is out of date: the summary of the original changed"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_refuses_a_fact_in_a_translation_and_an_orphan() {
    let site = site();
    site.write(
        "content/entries/moratorium-2003.kk.md",
        "---\ntitle: \"Мораторий\"\nstatus: repealed\n---\nМәтін.\n",
    );
    site.write("content/entries/nowhere-1999.ru.md", RU);
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error[translation-fact]: `status` is a fact"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("error[translation-orphan]"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_named_for_an_unlisted_language_is_read_as_its_own_entry_with_a_warning() {
    let site = Site::fixture("basic");
    let original =
        std::fs::read_to_string(site.path("content/entries/moratorium-2003.md")).unwrap();
    site.write("content/entries/moratorium-2003.de.md", original);
    let r = site.annals(&["check"]);
    assert!(
        r.stderr.contains("warning[unlisted-language]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("add `de` to `languages:`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_translated_source_must_name_a_source_of_the_original_and_warnings_point_at_the_stamp() {
    let site = site();
    site.write(
        "content/entries/moratorium-2003.ru.md",
        "---\ntitle: \"Мораторий\"\nsources:\n  - url: \"https://example.org/sources/decree\"\n    title: \"Указ о моратории\"\n  - url: \"https://example.org/sources/other\"\n    title: \"Другое\"\n---\nТекст.\n",
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error[translation-source]: `https://example.org/sources/other` is not a source of content/entries/moratorium-2003.md"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("moratorium-2003.ru.md:6:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("the sources of content/entries/moratorium-2003.md are: https://example.org/sources/decree"),
        "{}",
        r.stderr
    );
    // The first source is the original's: no error for it; the missing stamp is pointed at
    // the front matter (there is no `translates:` line yet).
    assert_eq!(r.stderr.matches("error[translation-source]").count(), 1);
    assert!(
        r.stderr.contains("warning[translation-unstamped]"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("moratorium-2003.ru.md:1:1"),
        "{}",
        r.stderr
    );
}

// Rendering per language: the multilingual fixture, built.

/// Every HTML page of a built site (but the 404 page, served anywhere), parsed.
fn pages(site: &Site) -> std::collections::BTreeMap<String, scraper::Html> {
    crate::util::snapshot(&site.root.join("public"))
        .into_iter()
        .filter(|(f, _)| f.ends_with(".html") && f != "404.html")
        .map(|(f, b)| {
            (
                f,
                scraper::Html::parse_document(&String::from_utf8_lossy(&b)),
            )
        })
        .collect()
}

/// The hreflang alternates of a page: (hreflang, absolute URL).
fn alternates(doc: &scraper::Html) -> std::collections::BTreeSet<(String, String)> {
    let sel = scraper::Selector::parse("link[rel=alternate][hreflang]:not([type])").unwrap();
    doc.select(&sel)
        .map(|e| {
            let v = e.value();
            (
                v.attr("hreflang").unwrap().to_string(),
                v.attr("href").unwrap().to_string(),
            )
        })
        .collect()
}

const BASE: &str = "https://reforms.test/chronicle/";

/// The output file an absolute URL of the site names.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix(BASE)
        .unwrap_or_else(|| panic!("{url} is outside the site"));
    format!("{path}index.html")
}

#[test]
fn a_translated_entry_shows_its_words_and_the_original_facts() {
    let site = multilingual();
    site.build_ok(&[]);
    let ru = site.out("ru/entries/moratorium-2003/index.html");
    assert!(
        ru.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"),
        "{ru}"
    );
    assert!(ru.contains("<h1>Мораторий на казни</h1>"), "{ru}");
    assert!(
        ru.contains("<p class=\"lede\">Казни приостановлены.</p>"),
        "{ru}"
    );
    // The date, status and sources' URLs are the original's; the source title is the
    // translation's; the interface is Russian.
    assert!(
        ru.contains(
            "<dt>Дата</dt><dd><time datetime=\"2003-12-17\">17 декабря 2003\u{202f}г.</time>"
        ),
        "{ru}"
    );
    assert!(
        ru.contains("<h2 id=\"_entry-sources\">Источники</h2>"),
        "{ru}"
    );
    assert!(
        ru.contains(
            "<a href=\"https://example.org/sources/decree\">Указ о моратории</a>, Government"
        ),
        "{ru}"
    );
    assert!(ru.contains(">Перейти к содержанию</a>"), "{ru}");
    // A translation with its own slug is served there, and only there.
    assert!(site.out_exists("ru/entries/ratifikatsiya-2021/index.html"));
    assert!(!site.out_exists("ru/entries/ratification-2021/index.html"));
    // Static files, the data page and the 404 page stay once, at the root (feeds, search
    // and exports are per language: see each_language_has_its_own_exports…).
    for f in ["ru/style.css", "ru/data/index.html", "ru/404.html"] {
        assert!(!site.out_exists(f), "{f}");
    }
    assert!(
        ru.contains("<link rel=\"stylesheet\" href=\"../../../style.css\">"),
        "{ru}"
    );
}

#[test]
fn an_untranslated_entry_is_listed_in_the_original_words_and_links_to_the_original() {
    let site = multilingual();
    site.build_ok(&[]);
    assert!(!site.out_exists("ru/entries/constitution-2007/index.html"));
    let home = site.out("ru/index.html");
    assert!(
        home.contains("<a href=\"./../entries/constitution-2007/\" lang=\"en\" hreflang=\"en\">Constitution narrows the death penalty <span class=\"in-language\">(English)</span></a>"),
        "{home}"
    );
    assert!(home.contains("<p class=\"summary\" lang=\"en\">"), "{home}");
    // Translated entries are listed in Russian, without a marker.
    assert!(
        home.contains("<a href=\"./entries/moratorium-2003/\">Мораторий на казни</a>"),
        "{home}"
    );
    // The same on a theme page, where the untranslated page is two folders up.
    let theme = site.out("ru/themes/death-penalty/index.html");
    assert!(
        theme.contains("href=\"../../../entries/constitution-2007/\" lang=\"en\""),
        "{theme}"
    );
    // A content page without a translation is in the menu in English, marked.
    let kk = site.out("kk/index.html");
    assert!(
        kk.contains("<a href=\"./../about/\" lang=\"en\" hreflang=\"en\">About</a>"),
        "{kk}"
    );
    assert!(!site.out_exists("kk/about/index.html"));
}

#[test]
fn links_in_a_translation_go_to_the_same_language_when_the_target_is_translated() {
    let site = multilingual();
    site.build_ok(&[]);
    let ru = site.out("ru/entries/moratorium-2003/index.html");
    // Translated targets: their Russian pages (own slug, the translation's heading ids).
    assert!(
        ru.contains("<a href=\"../../entries/ratifikatsiya-2021/#oblast\">ратификацию</a>"),
        "{ru}"
    );
    assert!(
        ru.contains("<a href=\"../../about/#daty\">о датах</a>"),
        "{ru}"
    );
    // An untranslated target: the original page.
    assert!(
        ru.contains("<a href=\"../../../entries/constitution-2007/\">конституцию</a>"),
        "{ru}"
    );
    // Kazakh has no ratification: the original, its fragment checked against it.
    let kk = site.out("kk/entries/moratorium-2003/index.html");
    assert!(
        kk.contains("<a href=\"../../../entries/ratification-2021/#scope\">ратификация</a>"),
        "{kk}"
    );
    // Related entries and neighbours follow the same rule.
    assert!(
        ru.contains("<a href=\"../../entries/ratifikatsiya-2021/\">Закон о ратификации</a>"),
        "{ru}"
    );
    assert!(
        ru.contains(
            "<a rel=\"next\" href=\"../../../entries/constitution-2007/\" hreflang=\"en\">"
        ),
        "{ru}"
    );
}

#[test]
fn a_broken_link_in_a_translation_is_an_error_at_its_line() {
    let site = multilingual();
    site.write(
        "content/entries/moratorium-2003.ru.md",
        MORATORIUM_RU
            .replace("#oblast", "#scope")
            .replace("constitution-2007.md", "constitution-2070.md"),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // `#scope` is a heading of the original, not of the Russian page the link goes to.
    assert!(r.stderr.contains("error[broken-fragment]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("its headings are: oblast"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("error[broken-link]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `constitution-2007.md`?"),
        "{}",
        r.stderr
    );
    for at in ["moratorium-2003.ru.md:8:28", "moratorium-2003.ru.md:9:46"] {
        assert!(r.stderr.contains(at), "{at}: {}", r.stderr);
    }
}

#[test]
fn hreflang_alternates_are_reciprocal_over_the_whole_output() {
    let site = multilingual();
    site.build_ok(&[]);
    let pages = pages(&site);
    assert!(pages.len() >= 40, "{}", pages.len());
    let mut checked = 0;
    for (file, doc) in &pages {
        let alts = alternates(doc);
        let canonical = scraper::Selector::parse("link[rel=canonical]").unwrap();
        let own = doc
            .select(&canonical)
            .next()
            .unwrap()
            .value()
            .attr("href")
            .unwrap();
        let langs: Vec<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
        let lang = doc.root_element().value().attr("lang").unwrap().to_string();
        // The page is among its own alternates, in its own language, and x-default is
        // the English version.
        assert!(
            alts.contains(&(lang.clone(), own.to_string())),
            "{file}: {alts:?}"
        );
        let default = alts
            .iter()
            .find(|(l, _)| l == "en")
            .expect("an English version");
        assert!(
            alts.contains(&("x-default".to_string(), default.1.clone())),
            "{file}"
        );
        assert!(langs.len() >= 2, "{file}: {langs:?}");
        for (_, url) in &alts {
            let target = file_of(url);
            let other = pages
                .get(&target)
                .unwrap_or_else(|| panic!("{file}: alternate {url} was not written"));
            assert_eq!(alternates(other), alts, "{file} and {target} disagree");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn the_switcher_goes_to_the_same_page_or_says_it_goes_home() {
    let site = multilingual();
    site.build_ok(&[]);
    let ru = site.out("ru/entries/ratifikatsiya-2021/index.html");
    assert!(
        ru.contains("<nav class=\"language-switcher\" aria-label=\"Языки\">"),
        "{ru}"
    );
    assert!(
        ru.contains("<li><a href=\"../../../entries/ratification-2021/\" lang=\"en\" hreflang=\"en\">English</a></li>"),
        "{ru}"
    );
    assert!(
        ru.contains("<a href=\"../../../ru/entries/ratifikatsiya-2021/\" lang=\"ru\" hreflang=\"ru\" aria-current=\"true\">Русский</a>"),
        "{ru}"
    );
    // No Kazakh version: the Kazakh home page, and the link says so in Kazakh.
    assert!(
        ru.contains("<a href=\"../../../kk/\" lang=\"kk\" hreflang=\"kk\" title=\"Бұл бет қазақ тіліне аударылмаған: қазақша басты бетке өту\">Қазақша</a>"),
        "{ru}"
    );
    let en = site.out("entries/ratification-2021/index.html");
    assert!(
        en.contains("<a href=\"../../ru/entries/ratifikatsiya-2021/\" lang=\"ru\" hreflang=\"ru\">Русский</a>"),
        "{en}"
    );
    // Every switcher link of every page reaches a page that was written.
    let sel = scraper::Selector::parse("nav.language-switcher a").unwrap();
    for (file, doc) in pages(&site) {
        let links: Vec<_> = doc.select(&sel).collect();
        assert_eq!(links.len(), 3, "{file}");
        for a in links {
            let href = a.value().attr("href").unwrap();
            let dir = std::path::Path::new(&file).parent().unwrap();
            let target = site
                .root
                .join("public")
                .join(dir)
                .join(href)
                .join("index.html");
            assert!(target.exists(), "{file}: {href}");
        }
    }
}

#[test]
fn the_sitemap_lists_every_page_of_every_language_with_its_alternates() {
    let site = multilingual();
    site.build_ok(&[]);
    let text = site.out("sitemap.xml");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let xhtml = "http://www.w3.org/1999/xhtml";
    let pages = pages(&site);
    let mut listed = std::collections::BTreeSet::new();
    for url in doc.descendants().filter(|n| n.has_tag_name("url")) {
        let loc = url
            .children()
            .find(|n| n.has_tag_name("loc"))
            .and_then(|n| n.text())
            .unwrap();
        let alts: std::collections::BTreeSet<(String, String)> = url
            .children()
            .filter(|n| n.has_tag_name((xhtml, "link")))
            .map(|n| {
                assert_eq!(n.attribute("rel"), Some("alternate"));
                (
                    n.attribute("hreflang").unwrap().to_string(),
                    n.attribute("href").unwrap().to_string(),
                )
            })
            .collect();
        let file = file_of(loc);
        // The data page is the default language's only; every other page has versions.
        if file != "data/index.html" {
            assert_eq!(alts, alternates(&pages[&file]), "{loc}");
        }
        // The schema wants loc first and lastmod before elements of other namespaces.
        let names: Vec<&str> = url
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(names[0], "loc", "{loc}");
        listed.insert(file);
    }
    // Every page but the search pages (as in a site of one language).
    let written: std::collections::BTreeSet<String> = pages
        .keys()
        .filter(|f| !f.ends_with("search/index.html"))
        .cloned()
        .collect();
    assert_eq!(listed, written);
    assert!(text.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
}

#[test]
fn counts_take_each_language_plural_and_dates_their_forms_at_three_precisions() {
    let site = multilingual();
    site.build_ok(&[]);
    let ru = site.out("ru/index.html");
    let kk = site.out("kk/index.html");
    for (page, want) in [
        (
            &ru,
            "<time datetime=\"2003-12-17\">17 декабря 2003\u{202f}г.</time>",
        ),
        (&ru, "<time datetime=\"2007-05\">май 2007\u{202f}г.</time>"),
        (&ru, "<time datetime=\"2020\">2020</time>"),
        (
            &kk,
            "<time datetime=\"2003-12-17\">2003\u{202f}ж. 17 желтоқсан</time>",
        ),
        (
            &kk,
            "<time datetime=\"2007-05\">2007\u{202f}ж. мамыр</time>",
        ),
        (&kk, "<time datetime=\"2020\">2020</time>"),
    ] {
        assert!(page.contains(want), "{want}");
    }
    // 7 entries on the timeline, 4 in a theme, 1 and 3 in a year: four Russian forms.
    assert!(
        ru.contains("<p class=\"count\">7 записей, 2003–2021.</p>"),
        "{ru}"
    );
    assert!(
        site.out("ru/themes/death-penalty/index.html")
            .contains("<p class=\"count\">4 записи · ")
    );
    assert!(
        site.out("ru/years/2003/index.html")
            .contains("<p class=\"count\">2003: 1 запись.</p>")
    );
    assert!(
        site.out("kk/years/2020/index.html")
            .contains("<p class=\"count\">2020: 3 жазба.</p>")
    );
    // The script's words: plural forms it picks with Intl.PluralRules.
    let json = ru
        .split("<script type=\"application/json\" id=\"_annals-messages\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the script's messages on the Russian timeline");
    let m: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(m["js-matches-count"]["few"], "найдено {n} записи");
    assert_eq!(m["js-matches"], "По запросу «{q}» {count}, {order}.");
    assert_eq!(m["js-searching"], "Ищем…");
    assert!(!site.out("index.html").contains("_annals-messages"));
    // Interface words in both languages.
    assert!(ru.contains("<legend>Статус</legend>"), "{ru}");
    assert!(
        kk.contains("<button type=\"reset\">Сүзгілерді тазарту</button>"),
        "{kk}"
    );
    assert!(kk.contains(">Мазмұнға өту</a>"), "{kk}");
}

#[test]
fn a_page_slug_that_is_a_language_folder_is_refused() {
    let site = multilingual();
    site.write(
        "content/pages/ru.md",
        "---\ntitle: \"Russian\"\nsummary: \"x\"\n---\nText.\n",
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[reserved-slug]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("the folder of the Русский pages"),
        "{}",
        r.stderr
    );
}

#[test]
fn each_language_has_its_feeds_of_the_entries_in_its_words() {
    let site = multilingual();
    site.build_ok(&[]);
    let feed = site.out("ru/atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    assert_eq!(
        doc.root_element()
            .attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("ru")
    );
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .filter_map(|e| e.children().find(|n| n.has_tag_name("title")))
        .filter_map(|n| n.text())
        .collect();
    // Only the translated entries, in Russian, linked to their Russian pages; the body's
    // links made absolute (a translated target in ru/, an untranslated one at the root).
    assert_eq!(titles, ["Закон о ратификации", "Мораторий на казни"]);
    assert!(
        feed.contains("<id>https://reforms.test/chronicle/ru/entries/ratifikatsiya-2021/</id>")
    );
    assert!(
        feed.contains(
            "href=&quot;https://reforms.test/chronicle/ru/entries/ratifikatsiya-2021/#oblast&quot;"
        ),
        "{feed}"
    );
    assert!(
        feed.contains("href=&quot;https://reforms.test/chronicle/entries/constitution-2007/&quot;"),
        "{feed}"
    );
    let kk = site.out("kk/themes/death-penalty/atom.xml");
    assert!(
        kk.contains("<title>Өлім жазасына мораторий</title>"),
        "{kk}"
    );
    // The pages name their language's feed, with its language.
    let home = site.out("ru/index.html");
    assert!(
        home.contains("type=\"application/atom+xml\" title=\"Fixture chronicle\" href=\"./atom.xml\" hreflang=\"ru\">"),
        "{home}"
    );
}

#[test]
fn a_site_in_one_other_language_gets_its_interface_and_dates_without_a_switcher() {
    let site = Site::fixture("basic");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        yaml.replace("language: en\n", "language: ru\n"),
    );
    site.build_ok(&[]);
    let home = site.out("index.html");
    assert!(
        home.starts_with("<!DOCTYPE html>\n<html lang=\"ru\">"),
        "{home}"
    );
    assert!(home.contains(">Перейти к содержанию</a>"), "{home}");
    assert!(
        home.contains("<time datetime=\"2003-12-17\">17 декабря 2003\u{202f}г.</time>"),
        "{home}"
    );
    // One language: no alternates, no switcher, no language folders.
    assert!(!home.contains("hreflang"), "{home}");
    assert!(!home.contains("language-switcher"), "{home}");
    assert!(!site.out_exists("ru/index.html"));
    let entry = site.out("entries/moratorium-2003/index.html");
    assert!(
        entry.contains("<h2 id=\"_entry-sources\">Источники</h2>"),
        "{entry}"
    );
}

#[test]
fn a_site_message_file_overrides_a_message_and_a_broken_one_is_reported_at_its_line() {
    let site = multilingual();
    site.write("i18n/ru.ftl", "sources = Литература\n");
    site.build_ok(&[]);
    let ru = site.out("ru/entries/moratorium-2003/index.html");
    assert!(
        ru.contains("<h2 id=\"_entry-sources\">Литература</h2>"),
        "{ru}"
    );
    // The other messages stay the embedded ones.
    assert!(ru.contains("<dt>Дата</dt>"), "{ru}");
    site.write("i18n/ru.ftl", "sources = Литература\n\nnot a message\n");
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[messages-syntax]"), "{}", r.stderr);
    assert!(r.stderr.contains("i18n/ru.ftl:3:"), "{}", r.stderr);
}

#[test]
fn every_language_page_is_balanced_and_in_its_language() {
    let site = multilingual();
    site.build_ok(&[]);
    let files = crate::util::snapshot(&site.root.join("public"));
    let mut n = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        let top = path.split('/').next().unwrap_or_default();
        let lang = if ["ru", "kk"].contains(&top) {
            top
        } else {
            "en"
        };
        assert!(
            html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">\n")),
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
        assert!(
            !html
                .lines()
                .any(|l| l.is_empty() || l.starts_with([' ', '\t'])),
            "{path}: a blank or indented line"
        );
        n += 1;
    }
    assert!(n > 40, "{n}");
}

#[test]
fn a_site_of_several_languages_builds_byte_identically() {
    let site = multilingual();
    site.build_ok(&[]);
    let first = crate::util::snapshot(&site.root.join("public"));
    site.build_ok(&["--clean"]);
    let second = crate::util::snapshot(&site.root.join("public"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "two builds differ");
}

/// Russian labels for the basic fixture's site.yaml (two themes, default statuses and
/// instruments), complete but for the description of `ombudsman`.
const RU_LABELS: &str = "title: \"Хроника\"\ndescription: \"Небольшая хроника для тестов.\"\nthemes:\n  death-penalty:\n    name: \"Смертная казнь\"\n    description: \"От моратория до отмены.\"\n  ombudsman:\n    name: \"Омбудсмен\"\nstatuses:\n  signed: \"Подписано\"\n";

#[test]
fn label_files_are_checked_and_the_table_counts_what_each_language_lacks() {
    let site = site();
    site.write("i18n/site.ru.yaml", RU_LABELS);
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let r = site.annals(&["translations"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 24 words: title, description, two themes' names and descriptions, 8 statuses and
    // 10 instruments (the defaults); the file gives 6.
    let ru = r.stdout.lines().find(|l| l.starts_with("ru: ")).unwrap();
    assert!(
        ru.starts_with("ru: 6/24 site labels translated (i18n/site.ru.yaml); missing: themes.ombudsman.description, statuses.announced, "),
        "{}",
        r.stdout
    );
    let kk = r.stdout.lines().find(|l| l.starts_with("kk: ")).unwrap();
    assert!(kk.starts_with("kk: 0/24 site labels translated (i18n/site.kk.yaml); missing: title, description, themes.death-penalty.name"), "{kk}");
}

#[test]
fn a_label_file_may_hold_only_words_for_ids_site_yaml_declares() {
    let site = site();
    site.write(
        "i18n/site.ru.yaml",
        "title: \"Хроника\"\nbase_url: \"https://reforms.test/ru/\"\nthemes:\n  death-penalti:\n    name: \"Смертная казнь\"\n  ombudsman:\n    nmae: \"Омбудсмен\"\ninstruments:\n  law:\n    label: \"Закон\"\n    type: Legislation\nstatuses:\n  signed: [\"Подписано\"]\nsteps:\n  moratorium-2003: \"мораторий\"\n",
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let err = r.redacted_stderr(&site);
    for want in [
        "i18n/site.ru.yaml:2:1",
        "`base_url` is not a word to translate",
        "themes.death-penalti: no theme `death-penalti` in site.yaml",
        "did you mean `death-penalty`?",
        "unknown key `nmae` in themes.ombudsman",
        "i18n/site.ru.yaml:11:5",
        "`statuses.signed` is a list, but must be text",
        "write `step:` in the entry's translation",
    ] {
        assert!(err.contains(want), "{want}: {err}");
    }
    crate::util::golden("languages/label_file_errors", &err);
}

#[test]
fn a_label_file_for_a_language_the_site_does_not_have_is_an_error() {
    let site = site();
    site.write("i18n/site.rus.yaml", "title: \"Хроника\"\n");
    site.write("i18n/site.en.yaml", "title: \"Chronicle\"\n");
    // Message overrides and other files in i18n/ are not label files.
    site.write("i18n/notes.txt", "not a label file\n");
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let err = r.redacted_stderr(&site);
    assert!(err.contains("error[labels-language]"), "{err}");
    assert!(err.contains("did you mean `ru`?"), "{err}");
    assert!(err.contains("error[labels-default-language]"), "{err}");
    assert!(!err.contains("notes.txt"), "{err}");
    assert!(!site.root.join("public").exists());
    crate::util::golden("languages/label_file_language", &err);
}

#[test]
fn an_edited_label_file_is_read_again_by_the_next_build() {
    // i18n/ is an input of the build cache: an edit there is never "nothing changed".
    let site = site();
    site.write("i18n/site.ru.yaml", RU_LABELS);
    site.build_ok(&[]);
    site.write("i18n/site.ru.yaml", "title: [\"Хроника\"]\n");
    let r = site.annals(&["build"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("`title` is a list, but must be text"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_label_file_that_cannot_be_read_is_an_error_at_its_line() {
    let mut all = String::new();
    for (name, ru, kk) in [
        (
            "syntax and not a mapping",
            "title: \"Хроника\nthemes: x\n".as_bytes().to_vec(),
            b"- title\n".to_vec(),
        ),
        (
            "not UTF-8, empty and control characters",
            b"title: \"\xff\"\n".to_vec(),
            b"title: \"  \"\nthemes:\n  ombudsman:\n    name: \"a\\u0007b\"\n".to_vec(),
        ),
    ] {
        let site = site();
        site.write("i18n/site.ru.yaml", ru);
        site.write("i18n/site.kk.yaml", kk);
        let r = site.annals(&["check"]);
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        all.push_str(&format!("## {name}\n{}\n", r.redacted_stderr(&site)));
    }
    for code in [
        "error[yaml]",
        "error[labels-not-mapping]",
        "error[not-utf8]",
        "error[labels-empty]",
        "error[control-character]",
    ] {
        assert!(all.contains(code), "{code}: {all}");
    }
    crate::util::golden("languages/label_file_unreadable", &all);
}

#[test]
fn each_language_has_its_own_search_index_in_its_own_words() {
    let site = multilingual();
    site.build_ok(&[]);
    let titles = |dir: &str, q: &str| -> Vec<String> {
        let r = crate::search::search_in(&site, dir, serde_json::json!([{ "q": q }]));
        r[0]["titles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    };
    // A translated entry is found by its translation's words, in its language only.
    assert_eq!(titles("public/ru", "мораторий"), ["Мораторий на казни"]);
    assert_eq!(titles("public/ru", "ратифицирует"), ["Закон о ратификации"]);
    assert_eq!(
        titles("public/kk", "мораторий"),
        ["Өлім жазасына мораторий"]
    );
    assert!(titles("public", "мораторий").is_empty());
    assert!(titles("public/kk", "ратифицирует").is_empty());
    assert!(titles("public/ru", "executions").is_empty());
    // An untranslated one is in every language's index in the original's words.
    let untranslated = ["Constitution narrows the death penalty"];
    for dir in ["public", "public/ru", "public/kk"] {
        assert_eq!(titles(dir, "narrows"), untranslated, "{dir}");
    }
    // Results link to the language's page, or to the original's when it has none.
    let chunk = |dir: &str| -> Vec<serde_json::Value> {
        let mut all = vec![];
        for n in 0.. {
            let path = format!("{dir}search/d/{n}.json");
            if !site.out_exists(&path) {
                break;
            }
            let docs: serde_json::Value = serde_json::from_str(&site.out(&path)).unwrap();
            all.extend(docs.as_array().unwrap().iter().cloned());
        }
        all
    };
    let ru = chunk("ru/");
    let url_of = |docs: &[serde_json::Value], title: &str| {
        docs.iter()
            .find(|d| d[1] == title)
            .map(|d| d[0].as_str().unwrap().to_string())
    };
    assert_eq!(
        url_of(&ru, "Закон о ратификации").as_deref(),
        Some("entries/ratifikatsiya-2021/")
    );
    assert_eq!(
        url_of(&ru, untranslated[0]).as_deref(),
        Some("../entries/constitution-2007/")
    );
    assert_eq!(ru.len(), chunk("").len(), "the same published entries");
    // The Russian search page reads the Russian index (its root is the language's root).
    let page = site.out("ru/search/index.html");
    assert!(page.contains("data-base=\"../\""), "{page}");
}

#[test]
fn each_language_has_its_own_exports_with_the_same_facts() {
    let site = multilingual();
    site.build_ok(&[]);
    let json = |p: &str| -> serde_json::Value { serde_json::from_str(&site.out(p)).unwrap() };
    let (en, ru) = (json("timeline.json"), json("ru/timeline.json"));
    assert_eq!(ru["site"]["language"], "ru");
    assert_eq!(
        ru["$schema"], en["$schema"],
        "one schema for every language"
    );
    assert!(!site.out_exists("ru/timeline.schema.json"));
    let schema = json("timeline.schema.json");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    for (name, doc) in [("ru", &ru), ("kk", &json("kk/timeline.json"))] {
        let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    // The same entries in the same order, every fact identical; only words and URLs differ.
    let (en_entries, ru_entries) = (
        en["entries"].as_array().unwrap(),
        ru["entries"].as_array().unwrap(),
    );
    assert_eq!(en_entries.len(), ru_entries.len());
    for (a, b) in en_entries.iter().zip(ru_entries) {
        for fact in [
            "slug",
            "date",
            "date_precision",
            "end",
            "end_precision",
            "start_day",
            "end_day",
            "status",
            "instrument",
            "jurisdiction",
            "themes",
            "thread",
            "related",
            "backlinks",
            "updated",
        ] {
            assert_eq!(a[fact], b[fact], "{fact} of {}", a["slug"]);
        }
        let urls = |e: &serde_json::Value| -> Vec<serde_json::Value> {
            e["sources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["url"].clone())
                .collect()
        };
        assert_eq!(urls(a), urls(b));
    }
    let m = crate::util::json_entry(&ru, "moratorium-2003");
    assert_eq!(m["title"], "Мораторий на казни");
    assert_eq!(m["summary"], "Казни приостановлены.");
    assert_eq!(m["url"], format!("{BASE}ru/entries/moratorium-2003/"));
    assert_eq!(m["sources"][0]["title"], "Указ о моратории");
    let c = crate::util::json_entry(&ru, "constitution-2007");
    assert_eq!(
        c["title"],
        crate::util::json_entry(&en, "constitution-2007")["title"]
    );
    assert_eq!(c["url"], format!("{BASE}entries/constitution-2007/"));
    // The CSV: the same columns and rows, in Russian words.
    let (en_csv, ru_csv) = (site.out("timeline.csv"), site.out("ru/timeline.csv"));
    assert_eq!(en_csv.lines().next(), ru_csv.lines().next());
    assert_eq!(en_csv.lines().count(), ru_csv.lines().count());
    assert!(ru_csv.contains("Мораторий на казни"), "{ru_csv}");
    assert!(
        site.out("ru/timelinejs.json")
            .contains("Мораторий на казни")
    );
    // The data page at the root lists every language's files.
    let data = site.out("data/index.html");
    for f in ["ru/timeline.csv", "ru/timeline.json", "kk/timelinejs.json"] {
        assert!(data.contains(&format!("href=\"../{f}\"")), "{f}: {data}");
    }
}

#[test]
fn every_language_tree_is_byte_identical_across_builds_and_thread_counts() {
    // The per-language search shards, chunks, feeds and exports are made in parallel; the
    // bytes must not depend on scheduling (one thread against the default).
    let (a, b) = (multilingual(), multilingual());
    a.write("i18n/site.ru.yaml", RU_LABELS);
    b.write("i18n/site.ru.yaml", RU_LABELS);
    a.build_ok(&[]);
    let r = crate::util::run_env(
        &["build", "--root", &b.root.display().to_string()],
        &[("RAYON_NUM_THREADS", "1")],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (sa, sb) = (
        crate::util::snapshot(&a.root.join("public")),
        crate::util::snapshot(&b.root.join("public")),
    );
    for f in [
        "ru/search/index.json",
        "kk/search/meta.json",
        "ru/timeline.csv",
        "kk/atom.xml",
    ] {
        assert!(sa.contains_key(f), "{f}");
    }
    assert_eq!(sa, sb);
}

#[test]
fn translated_labels_reach_the_pages_of_their_language_and_others_fall_back() {
    let site = multilingual();
    site.write("i18n/site.ru.yaml", RU_LABELS);
    site.build_ok(&[]);
    // Theme name and description, site title, status label: the label file's words.
    let theme = site.out("ru/themes/death-penalty/index.html");
    assert!(theme.contains("<h1>Смертная казнь"), "{theme}");
    assert!(theme.contains("От моратория до отмены."), "{theme}");
    let home = site.out("ru/index.html");
    assert!(home.contains("<title>Хроника"), "{home}");
    // A word the file does not give (the ombudsman theme's description) is site.yaml's.
    let ombudsman = site.out("ru/themes/ombudsman/index.html");
    assert!(ombudsman.contains("<h1>Омбудсмен"), "{ombudsman}");
    // Kazakh has no label file: site.yaml's words; English pages never change.
    let en = site.out("themes/death-penalty/index.html");
    assert!(!en.contains("Смертная казнь"), "{en}");
    let kk = site.out("kk/themes/death-penalty/index.html");
    assert!(!kk.contains("Смертная казнь"), "{kk}");
}

#[test]
fn a_bad_or_taken_translated_slug_is_an_error_at_the_translation() {
    let site = multilingual();
    site.write(
        "content/entries/moratorium-2003.ru.md",
        MORATORIUM_RU.replace("summary:", "slug: \"Мораторий 2003\"\nsummary:"),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("error[bad-slug]: slug `Мораторий 2003` is not valid"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("moratorium-2003.ru.md:3:1"),
        "{}",
        r.stderr
    );
    // Two Russian entries under one slug.
    site.write(
        "content/entries/moratorium-2003.ru.md",
        MORATORIUM_RU.replace("summary:", "slug: ratifikatsiya-2021\nsummary:"),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[duplicate-slug]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("have the same slug `ratifikatsiya-2021`"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_translated_page_slug_that_is_reserved_is_refused_at_its_line() {
    let site = multilingual();
    site.write(
        "content/pages/about.ru.md",
        ABOUT_RU.replace("summary:", "slug: themes\nsummary:"),
    );
    let r = site.annals(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error[reserved-slug]"), "{}", r.stderr);
    assert!(r.stderr.contains("about.ru.md:3:1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("annals uses /ru/themes/ itself"),
        "{}",
        r.stderr
    );
}
