//! Golden tables of what a reader sees of dates and counts in every shipped language,
//! through the public API (`dates::DateFormats`, `Messages::count`): every precision
//! (year, month, day) and spans, and every plural message of the English file at the
//! counts where languages' plural rules differ. `tests/expected/i18n/*.txt` holds them;
//! `ANNALS_BLESS=1 cargo test --lib` rewrites them after a deliberate change (ICU data
//! or a message file), and the diff shows what changed for readers.

use super::dates::DateFormats;
use super::messages::{EMBEDDED, Messages};
use crate::date::PartialDate;

/// The shipped chronicle's languages with the locales its site.yaml gives them.
const LOCALES: &[(&str, &str)] = &[("en", "en-GB"), ("ru", "ru"), ("kk", "kk")];

fn golden(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected/i18n")
        .join(format!("{name}.txt"));
    if std::env::var_os("ANNALS_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no {}; ANNALS_BLESS=1 creates it:\n{actual}",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs (ANNALS_BLESS=1 to accept)",
        path.display()
    );
}

/// Shows U+202F (narrow no-break space, CLDR's between "2021" and "г.") visibly.
fn visible(s: &str) -> String {
    s.replace('\u{202f}', "⍽").replace('\u{a0}', "⎵")
}

#[test]
fn dates_at_every_precision_in_every_language() {
    let d = |s: &str| PartialDate::parse(s).unwrap();
    let mut out = String::from("# ⍽ = U+202F narrow no-break space, ⎵ = U+00A0 no-break space\n");
    for (code, locale) in LOCALES {
        let f = DateFormats::new(locale).unwrap();
        out.push_str(&format!("\n[{code} ({locale})]\n"));
        for date in ["2003", "2021-06-09", "2020-09", "2022-01-01", "2024-12-31"] {
            out.push_str(&format!("{date:<24} {}\n", visible(&f.format(&d(date)))));
        }
        // Every month at month precision (the standalone form) and on a day (the form a
        // day takes).
        for m in 1..=12 {
            let month = format!("2020-{m:02}");
            let day = format!("2020-{m:02}-09");
            out.push_str(&format!("{month:<24} {}\n", visible(&f.format(&d(&month)))));
            out.push_str(&format!("{day:<24} {}\n", visible(&f.format(&d(&day)))));
        }
        for (a, b) in [
            ("2003", "2021"),
            ("2003", "2021-12"),
            ("2022-06-05", "2022-06-08"),
            ("2020-09", "2020-09"),
        ] {
            let span = format!("{a}..{b}");
            out.push_str(&format!("{span:<24} {}\n", visible(&f.span(&d(a), &d(b)))));
        }
    }
    golden("dates", &out);
}

#[test]
fn plural_forms_of_every_count_message_in_every_language() {
    let english = EMBEDDED.iter().find(|(c, _)| *c == "en").unwrap().1;
    // The messages that select on `$n`: the ones `Messages::count` is for.
    let ids: Vec<&str> = english
        .lines()
        .filter(|l| l.contains("{ $n ->"))
        .filter_map(|l| l.split(" = ").next())
        .collect();
    assert!(ids.contains(&"entries-count"), "{ids:?}");
    let mut out = String::new();
    for (code, _) in LOCALES {
        let m = Messages::new(code, None).unwrap();
        out.push_str(&format!("[{code}]\n"));
        for id in &ids {
            for n in [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111] {
                out.push_str(&format!("{id} {n:>3}: {}\n", m.count(id, n)));
            }
        }
        out.push('\n');
    }
    golden("plurals", &out);
}

#[test]
fn the_forms_the_issue_names() {
    let d = |s: &str| PartialDate::parse(s).unwrap();
    let ru = DateFormats::new("ru").unwrap();
    let kk = DateFormats::new("kk").unwrap();
    // "9 июня 2021 г.", "сентябрь 2020 г." (month alone: the standalone nominative),
    // "2021 ж. 9 маусым", with CLDR's narrow no-break space before the abbreviation.
    assert_eq!(ru.format(&d("2021-06-09")), "9 июня 2021\u{202f}г.");
    assert_eq!(ru.format(&d("2020-09")), "сентябрь 2020\u{202f}г.");
    assert_eq!(kk.format(&d("2021-06-09")), "2021\u{202f}ж. 9 маусым");
    let ru = Messages::new("ru", None).unwrap();
    let counts: Vec<String> = [1, 2, 5]
        .iter()
        .map(|n| ru.count("entries-count", *n))
        .collect();
    assert_eq!(counts, ["1 запись", "2 записи", "5 записей"]);
}
