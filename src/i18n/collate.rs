//! Alphabetical order per language, wherever a list is shown sorted by its words (titles,
//! facet values): ICU4X's collator with CLDR's compiled data, so that Kazakh's ә, ғ, қ, ң,
//! ө, ұ, ү, һ, і fall where a Kazakh reader looks for them, ё sorts with е in Russian, and
//! English ignores case and accents except to break a tie ("apple" < "Apple" < "Äpple" <
//! "banana"). Words the collator finds equal are ordered by their code points, so the
//! order never depends on the input's order.

use icu::collator::options::CollatorOptions;
use icu::collator::{CollatorBorrowed, CollatorPreferences};
use icu::locale::Locale;
use std::cmp::Ordering;

/// The order of one language, made once per build.
pub struct Collation {
    collator: CollatorBorrowed<'static>,
}

/// Why a locale can't collate: its tag does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLocale(pub String);

impl Collation {
    /// The order of `locale` (`en-GB`, `ru`, `kk`). A language CLDR has no rules for
    /// falls back to the root order (Unicode's), as ICU does.
    pub fn new(locale: &str) -> Result<Collation, BadLocale> {
        let loc: Locale = locale.parse().map_err(|_| BadLocale(locale.into()))?;
        let prefs: CollatorPreferences = loc.into();
        let collator = CollatorBorrowed::try_new(prefs, CollatorOptions::default())
            .map_err(|_| BadLocale(locale.into()))?;
        Ok(Collation { collator })
    }

    /// `a` against `b` in this language's order; a tie by the collator is broken by code
    /// points, so that the order is total.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b).then_with(|| a.cmp(b))
    }

    /// Sorts `items` by the words `key` gives, in this language's order (stable for equal
    /// words). Each item's key is computed once (a collation sort key), so a long list
    /// costs one pass of the collator per item, not one per comparison.
    pub fn sort_by_key<T, K: AsRef<str>>(&self, items: &mut [T], key: impl Fn(&T) -> K) {
        items.sort_by_cached_key(|item| {
            let words = key(item);
            let words = words.as_ref();
            let mut sort_key: Vec<u8> = Vec::new();
            let _ = self.collator.write_sort_key_to(words, &mut sort_key);
            (sort_key, words.to_string())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(locale: &str, words: &[&str]) -> Vec<String> {
        let mut w: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        Collation::new(locale)
            .unwrap()
            .sort_by_key(&mut w, |s| s.clone());
        w
    }

    #[test]
    fn kazakh_letters_follow_cldr() {
        // CLDR's Kazakh alphabet: а ә б в г ғ д е ё ж з и й к қ л м н ң о ө п р с т у ұ ү
        // ф х һ ц ч ш щ ъ ы і ь э ю я.
        let want = [
            "ара",
            "әке",
            "бала",
            "гүл",
            "ғалым",
            "дала",
            "ел",
            "ёж",
            "жер",
            "и",
            "кітап",
            "қала",
            "нан",
            "ңғ",
            "орын",
            "өзен",
            "сөз",
            "ту",
            "ұл",
            "үй",
            "хат",
            "һижра",
            "шаш",
            "ыдыс",
            "іні",
            "эра",
            "ям",
        ];
        let mut shuffled = want.to_vec();
        shuffled.reverse();
        shuffled.swap(3, 17);
        assert_eq!(sorted("kk", &shuffled), want);
    }

    #[test]
    fn russian_sorts_yo_with_ye_and_ignores_case_first() {
        let got = sorted(
            "ru",
            &["ёлка", "Ель", "ель", "еда", "жук", "Абай", "яблоко", "ёж"],
        );
        assert_eq!(
            got,
            ["Абай", "еда", "ёж", "ёлка", "ель", "Ель", "жук", "яблоко"]
        );
    }

    #[test]
    fn english_ignores_case_and_accents_but_to_break_ties() {
        let got = sorted(
            "en-GB",
            &[
                "banana", "Äpple", "Apple", "apple", "Zebra", "éclair", "eclair", "Ecuador",
            ],
        );
        assert_eq!(
            got,
            [
                "apple", "Apple", "Äpple", "banana", "eclair", "éclair", "Ecuador", "Zebra"
            ]
        );
    }

    #[test]
    fn equal_words_keep_a_total_order_and_compare_agrees_with_sort() {
        let c = Collation::new("ru").unwrap();
        assert_eq!(c.compare("е", "ё"), Ordering::Less);
        assert_eq!(c.compare("a", "a"), Ordering::Equal);
        let mut words = vec!["б", "а", "в", "а"];
        let mut by_compare = words.clone();
        c.sort_by_key(&mut words, |s| *s);
        by_compare.sort_by(|a, b| c.compare(a, b));
        assert_eq!(words, by_compare);
    }

    #[test]
    fn a_tag_that_does_not_parse_is_refused_and_collations_are_shareable() {
        assert!(Collation::new("not a tag!").is_err());
        fn shareable<T: Send + Sync>() {}
        shareable::<Collation>();
    }
}
