//! Dates in a language, at the precision the editor wrote: a year, a month or a day. The
//! forms come from CLDR through ICU4X's compiled data ("9 June 2021", "9 июня 2021 г.",
//! "2021 ж. 9 маусым"; "June 2021", "июнь 2021 г."), never from month tables of our own.
//! Spans ("2003 – 2021") join two such forms with an en dash.

use crate::date::{PartialDate, Precision};
use icu::calendar::Gregorian;
use icu::datetime::FixedCalendarDateTimeFormatter;
use icu::datetime::fieldsets::{Y, YM, YMD};
use icu::datetime::input::Date;
use icu::locale::Locale;

/// The three formatters of one locale, made once per build.
pub struct DateFormats {
    day: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    month: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    year: FixedCalendarDateTimeFormatter<Gregorian, Y>,
}

/// Why a locale can't format dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLocale(pub String);

impl DateFormats {
    /// The formats of `locale` (a BCP 47 tag such as `en-GB`, `ru`, `kk`). A locale that
    /// CLDR does not know falls back along its parents to the root, as ICU does; a tag
    /// that does not parse is refused.
    pub fn new(locale: &str) -> Result<DateFormats, UnknownLocale> {
        let loc: Locale = locale
            .parse()
            .map_err(|_| UnknownLocale(locale.to_string()))?;
        let prefs = || loc.clone().into();
        let err = |_| UnknownLocale(locale.to_string());
        Ok(DateFormats {
            day: FixedCalendarDateTimeFormatter::try_new(prefs(), YMD::long()).map_err(err)?,
            month: FixedCalendarDateTimeFormatter::try_new(prefs(), YM::long()).map_err(err)?,
            year: FixedCalendarDateTimeFormatter::try_new(prefs(), Y::long()).map_err(err)?,
        })
    }

    /// The date as a reader of this language writes it, at its precision.
    pub fn format(&self, d: &PartialDate) -> String {
        let day = Date::try_new_gregorian(d.year(), month(d), d.day().unwrap_or(1) as u8)
            .expect("a PartialDate is a valid Gregorian date");
        match d.precision() {
            Precision::Day => self.day.format(&day).to_string(),
            Precision::Month => self.month.format(&day).to_string(),
            Precision::Year => self.year.format(&day).to_string(),
        }
    }

    /// A span: both ends in full, joined by an en dash ("2003 – 2021"); one date when the
    /// ends are equal.
    pub fn span(&self, start: &PartialDate, end: &PartialDate) -> String {
        if start == end {
            return self.format(start);
        }
        format!("{} – {}", self.format(start), self.format(end))
    }
}

fn month(d: &PartialDate) -> u8 {
    d.month().unwrap_or(1) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(locale: &str, date: &str) -> String {
        DateFormats::new(locale)
            .unwrap()
            .format(&PartialDate::parse(date).unwrap())
    }

    // CLDR's forms, as ICU4X gives them: a narrow no-break space (U+202F) keeps "2021 г."
    // together; a year alone is the bare number in all three languages.
    #[test]
    fn three_precisions_in_three_languages() {
        let cases = [
            ("en-GB", "2021-06-09", "9 June 2021"),
            ("en-GB", "2020-09", "September 2020"),
            ("en-GB", "2003", "2003"),
            ("ru", "2021-06-09", "9 июня 2021\u{202f}г."),
            ("ru", "2020-09", "сентябрь 2020\u{202f}г."),
            ("ru", "2003", "2003"),
            ("kk", "2021-06-09", "2021\u{202f}ж. 9 маусым"),
            ("kk", "2020-09", "2020\u{202f}ж. қыркүйек"),
            ("kk", "2003", "2003"),
        ];
        let got: Vec<(&str, &str, String)> =
            cases.iter().map(|(l, d, _)| (*l, *d, fmt(l, d))).collect();
        let want: Vec<(&str, &str, String)> = cases
            .iter()
            .map(|(l, d, w)| (*l, *d, w.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_english_forms_match_the_english_display() {
        // The default language keeps the forms the site has always used.
        let f = DateFormats::new("en-GB").unwrap();
        for d in ["2021-06-09", "2020-09", "2003", "1998-01-01", "2024-12"] {
            let d = PartialDate::parse(d).unwrap();
            assert_eq!(f.format(&d), d.display());
        }
    }

    #[test]
    fn a_tag_that_does_not_parse_is_refused() {
        assert!(DateFormats::new("not a tag!").is_err());
    }

    #[test]
    fn spans_join_full_forms() {
        let f = DateFormats::new("ru").unwrap();
        let a = PartialDate::parse("2003").unwrap();
        let b = PartialDate::parse("2021-12").unwrap();
        assert_eq!(f.span(&a, &b), "2003 – декабрь 2021\u{202f}г.");
        assert_eq!(f.span(&a, &a), "2003");
    }
}
