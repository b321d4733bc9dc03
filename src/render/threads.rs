//! Reform threads: a reform told as its dated steps (instruction, signature, vote, law,
//! deposit, entry into force). Each thread declared in site.yaml gets a page at
//! `threads/<id>/` with its steps as a stepper (an ordered list: the status each step
//! reached and the time since the step before, in words), the threads are listed at
//! `threads/`, and each entry of a thread shows the thread compactly with its own step
//! marked (`aria-current="step"`, the `thread` variable of `entry.html`). The time between
//! two steps is said only as precisely as the coarser of their two dates allows
//! ([`interval`]).

use super::views::{EntryCard, WhenView};
use super::{PageId, Recorder, RenderError, Site, each};
use crate::date::{PartialDate, Precision};
use crate::i18n::messages::Messages;
use crate::routes::Route;
use chrono::{Datelike, Months};
use serde::Serialize;

/// One step of a thread, as the stepper shows it.
#[derive(Serialize)]
pub struct StepView<'a> {
    pub url: &'a str,
    pub title: &'a str,
    /// The step's short name (`step:`), if the entry gives one.
    pub name: Option<&'a str>,
    pub when: &'a WhenView,
    pub status: &'a super::views::LabelView,
    pub summary: &'a str,
    /// The time since the step before, in words ("3 months after the deposit"); none
    /// for the first step.
    pub gap: Option<String>,
    /// Whether this is the entry of the page showing the thread.
    pub current: bool,
    pub draft: bool,
    /// The language of its title and summary, when it is not the page's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<&'a str>,
}

/// A thread with its steps.
#[derive(Serialize)]
pub struct ThreadView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub url: String,
    pub count: usize,
    /// "5 steps", "5 шагов".
    pub count_text: String,
    /// "Step 2 of 5", on an entry's page.
    pub current_text: Option<String>,
    /// "December 2019 – June 2022": from the first step to the last.
    pub span: Option<String>,
    /// The position of the current step (from 1), on an entry's page.
    pub current: Option<usize>,
    pub steps: Vec<StepView<'a>>,
}

/// How long after one step the next came, as precisely as the coarser of their dates
/// allows (see [`interval`]); said in words by [`Gap::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    SameYear,
    YearAfter,
    /// About this many months (whole years when a year is the coarser precision).
    About {
        months: i64,
    },
    SameMonth,
    MonthAfter,
    SameDay,
    Days(i64),
    /// Whole months, `over` when days are left over.
    Months {
        months: i64,
        over: bool,
    },
}

impl Gap {
    /// The gap in words, followed (or preceded, as the language says it) by `step`, what
    /// the step before is called: "about 9 months after the deposit".
    pub fn text(self, m: &Messages, step: &str) -> String {
        let time = |months: i64| -> String {
            let (y, mo) = (months / 12, months % 12);
            let count = |id: &str, n: i64| m.get(id, &[("n", n.into())]);
            match (y, mo) {
                (0, mo) => count("months-count", mo),
                (y, 0) => count("years-count", y),
                (y, mo) => m.get(
                    "years-months",
                    &[
                        ("years", count("years-count", y).into()),
                        ("months", count("months-count", mo).into()),
                    ],
                ),
            }
        };
        let (id, time) = match self {
            Gap::SameYear => ("gap-same-year", String::new()),
            Gap::YearAfter => ("gap-year-after", String::new()),
            Gap::About { months } => ("gap-about", time(months)),
            Gap::SameMonth => ("gap-same-month", String::new()),
            Gap::MonthAfter => ("gap-month-after", String::new()),
            Gap::SameDay => ("gap-same-day", String::new()),
            Gap::Days(n) => ("gap-after", m.get("days-count", &[("n", n.into())])),
            Gap::Months { months, over } => (
                if over { "gap-over-after" } else { "gap-after" },
                time(months),
            ),
        };
        m.get(id, &[("time", time.into()), ("step", step.into())])
    }
}

/// How long after `a` the date `b` came: said only as precisely as the coarser date
/// allows.
///
/// - Both dates to the day: calendar days below a month ("4 days after"), else whole
///   months, and years and months from twelve months on ("3 months after", "1 year and
///   2 months after"), with "over" when days are left over ("over 3 months after"); the
///   same day is "the same day as".
/// - One date to the month (neither to the year only): the difference of the months
///   can be off by one either way, so "in the same month as", "in the month after",
///   else "about 9 months after".
/// - One date to the year only: "in the same year as", "in the year after", else "about
///   25 years after": never months or days.
///
/// `b` is not before `a` (steps are in time order); if it is, by the order of coarser
/// dates, the same-period wording is used.
pub fn interval(a: &PartialDate, b: &PartialDate) -> Gap {
    let precision = a.precision().min(b.precision());
    match precision {
        Precision::Year => match b.year() - a.year() {
            n if n <= 0 => Gap::SameYear,
            1 => Gap::YearAfter,
            n => Gap::About {
                months: i64::from(n) * 12,
            },
        },
        Precision::Month => {
            let month =
                |d: &PartialDate| i64::from(d.year()) * 12 + i64::from(d.month().unwrap_or(1));
            match month(b) - month(a) {
                n if n <= 0 => Gap::SameMonth,
                1 => Gap::MonthAfter,
                n => Gap::About { months: n },
            }
        }
        Precision::Day => {
            let (da, db) = (a.first_day(), b.first_day());
            let mut months = i64::from(db.year() - da.year()) * 12 + i64::from(db.month())
                - i64::from(da.month());
            if db.day() < da.day() {
                months -= 1;
            }
            if months <= 0 {
                return match (db - da).num_days() {
                    n if n <= 0 => Gap::SameDay,
                    n => Gap::Days(n),
                };
            }
            let whole = u32::try_from(months)
                .ok()
                .and_then(|m| da.checked_add_months(Months::new(m)));
            Gap::Months {
                months,
                over: whole.is_none_or(|w| w != db),
            }
        }
    }
}

/// `text` with its first letter in capitals ("In the same month as …").
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// What a step is called after "after": "the deposit", or the entry's title in quotes.
fn step_name(m: &Messages, card: &EntryCard, name: Option<&str>) -> String {
    match name {
        Some(n) => m.get("step-named", &[("name", n.into())]),
        None => m.get("step-titled", &[("title", card.title.as_str().into())]),
    }
}

/// The view of thread `k`, with the entry `current` (an index of the chronicle) marked.
fn thread_view<'a>(site: &Site<'a>, k: usize, current: Option<usize>) -> ThreadView<'a> {
    let t = &site.config.threads[k];
    let labels = site.lang.labels;
    let list = &site.chronicle.by_thread[k];
    let mut steps: Vec<StepView<'a>> = Vec::with_capacity(list.len());
    let mut previous: Option<usize> = None;
    for &i in list {
        let item = site.items[i];
        let (e, card) = (item.entry, item.card);
        let gap = previous.map(|p| {
            let prev = site.items[p];
            let m = &site.lang.messages;
            // In another language, a step's name only when its translation gives one:
            // else its title, which is in the page's language when it is translated.
            let name = match site.lang.prefix {
                None => prev.entry.step.as_deref(),
                Some(_) => site.lang.entry_words(p).and_then(|w| w.step.as_deref()),
            };
            let step = step_name(m, prev.card, name);
            capitalized(&interval(&prev.entry.date, &e.date).text(m, &step))
        });
        steps.push(StepView {
            url: &card.url,
            title: &card.title,
            name: site
                .lang
                .entry_words(i)
                .and_then(|w| w.step.as_deref())
                .or(e.step.as_deref()),
            when: &card.when,
            status: &card.status,
            summary: &card.summary,
            gap,
            current: current == Some(i),
            draft: card.draft,
            lang: card.lang.as_deref(),
        });
        previous = Some(i);
    }
    let span = match (list.first(), list.last()) {
        (Some(&f), Some(&l)) if f != l => Some(format!(
            "{} – {}",
            site.items[f].card.when.start.display, site.items[l].card.when.start.display
        )),
        (Some(&f), _) => Some(site.items[f].card.when.start.display.clone()),
        _ => None,
    };
    ThreadView {
        id: &t.id,
        name: labels.thread_name(t),
        description: labels.thread_description(t),
        url: Route::Thread(&t.id).path(),
        count: list.len(),
        count_text: site.lang.messages.count("steps-count", list.len()),
        current_text: current
            .and_then(|c| list.iter().position(|&i| i == c))
            .map(|p| {
                site.lang.messages.get(
                    "thread-step-of",
                    &[("n", (p + 1).into()), ("count", list.len().into())],
                )
            }),
        span,
        current: current.and_then(|c| list.iter().position(|&i| i == c).map(|p| p + 1)),
        steps,
    }
}

/// The thread of entry `i`, for its page (`None` when it belongs to none).
pub(super) fn entry_thread<'a>(site: &Site<'a>, i: usize) -> Option<ThreadView<'a>> {
    let id = site.items[i].entry.thread.as_deref()?;
    let k = site.config.threads.iter().position(|t| t.id == id)?;
    Some(thread_view(site, k, Some(i)))
}

/// The list of threads and every thread's page (nothing when site.yaml declares none).
pub(super) fn write(site: &Site, out: &Recorder) -> Result<(), RenderError> {
    let config = site.config;
    if config.threads.is_empty() {
        return Ok(());
    }
    let threads: Vec<ThreadView> = (0..config.threads.len())
        .map(|k| thread_view(site, k, None))
        .collect();
    let route = Route::Threads;
    let site_title = site.lang.labels.site_title();
    let meta = site.meta(
        PageId::Threads,
        route,
        "threads",
        site.lang.text("threads-title"),
        site.lang
            .messages
            .get("threads-description", &[("site", site_title.into())]),
    );
    site.page(out, "threads.html", route, &meta, |ctx| {
        ctx.insert("threads", &threads);
    })?;
    each(&threads, |k, t| {
        let route = Route::Thread(t.id);
        let description = if t.description.is_empty() {
            site.lang.messages.get(
                "thread-description",
                &[("site", site_title.into()), ("thread", t.name.into())],
            )
        } else {
            t.description.to_string()
        };
        let meta = site.meta(
            PageId::Thread(k),
            route,
            "thread",
            t.name.to_string(),
            description,
        );
        site.page(out, "thread.html", route, &meta, |ctx| {
            ctx.insert("thread", t);
            ctx.insert("threads_url", &Route::Threads.path());
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(a: &str, b: &str) -> String {
        let en = Messages::new("en", None).unwrap();
        interval(
            &PartialDate::parse(a).unwrap(),
            &PartialDate::parse(b).unwrap(),
        )
        .text(&en, "X")
        .strip_suffix(" X")
        .unwrap()
        .to_string()
    }

    #[test]
    fn gaps_are_said_in_each_language_with_its_plurals() {
        let (a, b) = (
            PartialDate::parse("2022-03-24").unwrap(),
            PartialDate::parse("2027-04-25").unwrap(),
        );
        let ru = Messages::new("ru", None).unwrap();
        let step = ru.get("step-named", &[("name", "сдача на хранение".into())]);
        assert_eq!(
            interval(&a, &b).text(&ru, &step),
            "более чем через 5 лет и 1 месяц после шага «сдача на хранение»"
        );
        let kk = Messages::new("kk", None).unwrap();
        let step = kk.get("step-titled", &[("title", "Заң".into())]);
        assert_eq!(
            interval(
                &PartialDate::parse("2020").unwrap(),
                &PartialDate::parse("2023").unwrap()
            )
            .text(&kk, &step),
            "«Заң» жазбасы болғаннан кейін шамамен 3 жыл өткен соң"
        );
    }

    #[test]
    fn days_are_counted_only_between_two_full_dates() {
        assert_eq!(gap("2022-03-24", "2022-06-24"), "3 months after");
        assert_eq!(gap("2020-09-23", "2020-12-29"), "over 3 months after");
        assert_eq!(gap("2020-12-29", "2021-01-02"), "4 days after");
        assert_eq!(gap("2021-12-29", "2021-12-29"), "the same day as");
        assert_eq!(
            gap("2021-01-02", "2022-03-24"),
            "over 1 year and 2 months after"
        );
        assert_eq!(gap("2020-01-15", "2022-01-15"), "2 years after");
        assert_eq!(gap("2021-01-31", "2021-02-28"), "28 days after");
        assert_eq!(gap("2021-01-31", "2021-03-01"), "over 1 month after");
    }

    #[test]
    fn a_month_date_gives_months_and_never_days() {
        assert_eq!(gap("2019-12-20", "2020-09"), "about 9 months after");
        assert_eq!(gap("2020-09", "2020-09-23"), "in the same month as");
        assert_eq!(gap("2021-11", "2021-12-29"), "in the month after");
        assert_eq!(
            gap("2007-05", "2021-12-29"),
            "about 14 years and 7 months after"
        );
    }

    #[test]
    fn a_year_date_gives_years_only() {
        assert_eq!(gap("2022", "2022-06-24"), "in the same year as");
        assert_eq!(gap("2021-12-29", "2022"), "in the year after");
        assert_eq!(gap("1998", "2023-03-17"), "about 25 years after");
        assert_eq!(
            gap("2003-12-17", "2007-05"),
            "about 3 years and 5 months after"
        );
    }
}
