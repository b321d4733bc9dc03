//! Partial dates: a year, a month or a day, validated with chrono and kept at the precision
//! the editor wrote; the order and the display forms: see ARCHITECTURE.md, "Dates".

use chrono::{Datelike, NaiveDate};
use std::cmp::Ordering;
use std::fmt;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

/// A date known to a year, a month or a day. Always valid (checked by chrono).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not one of the accepted forms.
    Form,
    /// Right form, but no such date (month 13, 29 February in a common year…).
    Impossible(String),
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Form => f.write_str("is not a date"),
            DateError::Impossible(why) => f.write_str(why),
        }
    }
}

/// The forms the editor may write, for help messages.
pub const ACCEPTED_FORMS: &str =
    "write a year (2003), a year and month (2020-09) or a full date (2021-06-09)";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn digits(s: &str, n: usize) -> Option<u32> {
    if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (years 1–9999).
    pub fn parse(text: &str) -> Result<PartialDate, DateError> {
        let text = text.trim();
        let mut parts = text.split('-');
        let year = parts
            .next()
            .and_then(|y| digits(y, 4))
            .ok_or(DateError::Form)?;
        let month = parts
            .next()
            .map(|m| digits(m, 2).ok_or(DateError::Form))
            .transpose()?;
        let day = parts
            .next()
            .map(|d| digits(d, 2).ok_or(DateError::Form))
            .transpose()?;
        if parts.next().is_some() {
            return Err(DateError::Form);
        }
        if year == 0 {
            return Err(DateError::Impossible("there is no year 0".into()));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError::Impossible(format!("there is no month {m}")));
        }
        let year = year as i32;
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            return Err(DateError::Impossible(format!(
                "{} has no day {d}",
                month_year(year, m)
            )));
        }
        Ok(PartialDate { year, month, day })
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    pub fn month(&self) -> Option<u32> {
        self.month
    }

    pub fn day(&self) -> Option<u32> {
        self.day
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first day the date covers.
    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .expect("validated on construction")
    }

    /// The last day the date covers.
    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d),
            (Some(m), None) => {
                let (y, next) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(y, next, 1).and_then(|d| d.pred_opt())
            }
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .expect("validated on construction")
    }

    /// The value of a `datetime` attribute: `2020`, `2020-09` or `2020-09-01`.
    pub fn datetime(&self) -> String {
        self.to_string()
    }

    /// English display: "2020", "September 2020", "1 September 2020".
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {}", month_year(self.year, m)),
            (Some(m), None) => month_year(self.year, m),
            _ => self.year.to_string(),
        }
    }

    /// RFC 3339 timestamp at the first day, midnight UTC (for feeds and sitemaps).
    pub fn rfc3339(&self) -> String {
        format!("{}T00:00:00Z", self.first_day().format("%Y-%m-%d"))
    }

    /// The order of dates (see ARCHITECTURE.md, "Dates"): first day covered, then coarser
    /// precision first.
    /// Callers break the remaining ties by slug.
    pub fn chronological(&self, other: &PartialDate) -> Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then(self.precision().cmp(&other.precision()))
    }
}

fn month_year(year: i32, month: u32) -> String {
    format!("{} {year}", MONTHS[(month - 1) as usize])
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// English display of a span, sharing what both ends share:
/// "2003 – 2021", "September – December 2020", "1 – 15 September 2020".
pub fn display_span(start: &PartialDate, end: &PartialDate) -> String {
    if start == end {
        return start.display();
    }
    let (s, e) = display_span_parts(start, end);
    format!("{s} – {e}")
}

/// The two halves of [`display_span`]: ("September", "December 2020").
pub fn display_span_parts(start: &PartialDate, end: &PartialDate) -> (String, String) {
    let same_year = start.year == end.year;
    let month_name = |d: &PartialDate| MONTHS[(d.month.unwrap_or(1) - 1) as usize];
    let first = match (start.precision(), end.precision()) {
        (Precision::Month, Precision::Month) if same_year => month_name(start).to_string(),
        (Precision::Day, Precision::Day) if same_year && start.month == end.month => {
            start.day.unwrap_or(1).to_string()
        }
        (Precision::Day, Precision::Day) if same_year => {
            format!("{} {}", start.day.unwrap_or(1), month_name(start))
        }
        _ => start.display(),
    };
    (first, end.display())
}

/// Today's date, for `annals new`. Only commands that create files read the clock.
pub fn today() -> PartialDate {
    let now = chrono::Local::now().date_naive();
    PartialDate {
        year: now.year(),
        month: Some(now.month()),
        day: Some(now.day()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn parses_three_precisions() {
        assert_eq!(d("2003").precision(), Precision::Year);
        assert_eq!(d("2020-09").precision(), Precision::Month);
        assert_eq!(d("2021-06-09").precision(), Precision::Day);
        assert_eq!(d("2020-09").to_string(), "2020-09");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(matches!(
            PartialDate::parse("2021-02-29"),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            PartialDate::parse("2021-13"),
            Err(DateError::Impossible(_))
        ));
        assert!(matches!(
            PartialDate::parse("0000"),
            Err(DateError::Impossible(_))
        ));
        assert_eq!(PartialDate::parse("21-01-02"), Err(DateError::Form));
        assert_eq!(PartialDate::parse("2021-1-2"), Err(DateError::Form));
        assert_eq!(PartialDate::parse("2021-01-02-03"), Err(DateError::Form));
        assert_eq!(PartialDate::parse("June 2021"), Err(DateError::Form));
        assert!(PartialDate::parse("2024-02-29").is_ok());
    }

    #[test]
    fn displays_in_english() {
        assert_eq!(d("2003").display(), "2003");
        assert_eq!(d("2020-09").display(), "September 2020");
        assert_eq!(d("2021-06-09").display(), "9 June 2021");
    }

    #[test]
    fn spans() {
        assert_eq!(display_span(&d("2003"), &d("2021")), "2003 – 2021");
        assert_eq!(
            display_span(&d("2020-09"), &d("2020-12")),
            "September – December 2020"
        );
        assert_eq!(
            display_span(&d("2020-09-01"), &d("2020-09-15")),
            "1 – 15 September 2020"
        );
        assert_eq!(
            display_span(&d("2020-09-01"), &d("2020-12-03")),
            "1 September – 3 December 2020"
        );
        assert_eq!(display_span(&d("2019"), &d("2020-03")), "2019 – March 2020");
    }

    #[test]
    fn order_is_first_day_then_coarser() {
        let mut v = [d("2020-09-01"), d("2020-09"), d("2020"), d("2019-12-31")];
        v.sort_by(|a, b| a.chronological(b));
        let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
        assert_eq!(s, ["2019-12-31", "2020", "2020-09", "2020-09-01"]);
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trips_through_parse_and_format(y in 1i32..=9999, m in 1u32..=12, d in 1u32..=31, p in 0u8..3) {
            let text = match p {
                0 => format!("{y:04}"),
                1 => format!("{y:04}-{m:02}"),
                _ => format!("{y:04}-{m:02}-{d:02}"),
            };
            match PartialDate::parse(&text) {
                Ok(date) => {
                    prop_assert_eq!(date.to_string(), text.clone());
                    prop_assert!(date.first_day() <= date.last_day());
                    prop_assert!(!date.display().is_empty());
                }
                Err(_) => prop_assert!(p == 2 && NaiveDate::from_ymd_opt(y, m, d).is_none()),
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = PartialDate::parse(&s);
        }
    }

    #[test]
    fn last_day() {
        assert_eq!(d("2020-02").last_day().to_string(), "2020-02-29");
        assert_eq!(d("2020-12").last_day().to_string(), "2020-12-31");
        assert_eq!(d("2020").last_day().to_string(), "2020-12-31");
    }
}
