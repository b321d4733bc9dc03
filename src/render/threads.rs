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

/// "1 month", "3 months".
fn count(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// "2 years", "1 year and 3 months": whole years and months, from a number of months.
fn years_months(months: i64) -> String {
    let (y, m) = (months / 12, months % 12);
    match (y, m) {
        (0, m) => count(m, "month"),
        (y, 0) => count(y, "year"),
        (y, m) => format!("{} and {}", count(y, "year"), count(m, "month")),
    }
}

/// How long after `a` the date `b` came, in words, to be followed by what `a` was ("the
/// deposit"): said only as precisely as the coarser date allows.
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
pub fn interval(a: &PartialDate, b: &PartialDate) -> String {
    let precision = a.precision().min(b.precision());
    match precision {
        Precision::Year => match b.year() - a.year() {
            n if n <= 0 => "in the same year as".to_string(),
            1 => "in the year after".to_string(),
            n => format!("about {} after", count(i64::from(n), "year")),
        },
        Precision::Month => {
            let month =
                |d: &PartialDate| i64::from(d.year()) * 12 + i64::from(d.month().unwrap_or(1));
            match month(b) - month(a) {
                n if n <= 0 => "in the same month as".to_string(),
                1 => "in the month after".to_string(),
                n => format!("about {} after", years_months(n)),
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
                    n if n <= 0 => "the same day as".to_string(),
                    n => format!("{} after", count(n, "day")),
                };
            }
            let whole = u32::try_from(months)
                .ok()
                .and_then(|m| da.checked_add_months(Months::new(m)));
            let over = if whole.is_some_and(|w| w == db) {
                ""
            } else {
                "over "
            };
            format!("{over}{} after", years_months(months))
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
fn step_name(card: &EntryCard, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("the {n}"),
        None => format!("“{}”", card.title),
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
            let text = format!(
                "{} {}",
                interval(&prev.entry.date, &e.date),
                step_name(prev.card, prev.entry.step.as_deref())
            );
            capitalized(&text)
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
    let html = site.render("threads.html", route, &meta, |ctx| {
        ctx.insert("threads", &threads);
    })?;
    out.write(site.lang.at(route), html.as_bytes())?;
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
        let html = site.render("thread.html", route, &meta, |ctx| {
            ctx.insert("thread", t);
            ctx.insert("threads_url", &Route::Threads.path());
        })?;
        Ok(out.write(site.lang.at(route), html.as_bytes())?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(a: &str, b: &str) -> String {
        interval(
            &PartialDate::parse(a).unwrap(),
            &PartialDate::parse(b).unwrap(),
        )
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
