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
    // The translation is not an entry of its own: the count is the fixture's.
    let plain = Site::fixture("basic").annals(&["check"]);
    let counts = |s: &str| s.split(':').next().unwrap_or_default().to_string();
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
