//! The visual overview: an SVG timeline drawn at build time (no JavaScript), one lane per
//! theme, a marker per entry (a bar for a span), each a link with an accessible name.
//! When markers would crowd (large chronicles), each lane shows per-year counts instead,
//! linking to the year pages, so it stays readable at 20 entries and at 10,000.

use super::views::Item;
use crate::markdown::escape_html as esc;
use crate::routes::Route;
use chrono::NaiveDate;
use std::fmt::{self, Write};

/// A coordinate with one decimal, without a trailing `.0` (`54` rather than `54.0`): the
/// overview repeats coordinates hundreds of times on a large chronicle.
struct N(f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // `+ 0.0` turns a rounded `-0.0` into `0`.
        let tenths = (self.0 * 10.0).round() + 0.0;
        if tenths % 10.0 == 0.0 {
            write!(f, "{}", tenths / 10.0)
        } else {
            write!(f, "{:.1}", tenths / 10.0)
        }
    }
}

/// Above this many entries, lanes show per-year counts.
pub const AGGREGATE_ABOVE: usize = 150;

// Close to the text column's width, so that the SVG's text shows at about its real size.
const WIDTH: f64 = 720.0;
const LABEL: f64 = 10.0;
const RIGHT: f64 = 14.0;
const AXIS: f64 = 26.0;
/// Each lane: its name on a line of its own, the markers below it.
const LANE: f64 = 40.0;
const LANE_TEXT: f64 = 13.0;
const LANE_MARKS: f64 = 28.0;

/// A lane: a theme's name and the entries (indices) drawn in it.
pub struct Lane<'a> {
    pub name: &'a str,
    pub url: &'a str,
    pub entries: &'a [usize],
}

/// Where dates fall on the drawing: years `first` to `last` across the plot.
struct Scale<'a> {
    first: i32,
    last: i32,
    start: NaiveDate,
    span_days: f64,
    height: f64,
    /// The page's way back to the site root (links are relative).
    root: &'a str,
}

impl Scale<'_> {
    /// The x coordinate of a day.
    fn x(&self, d: NaiveDate) -> f64 {
        LABEL + (d - self.start).num_days() as f64 / self.span_days * (WIDTH - LABEL - RIGHT)
    }
}

/// Draws `lanes`, whose entries are indices into `items`. `None` when there is nothing
/// to draw.
/// `root` is the drawing page's way back to the site root, written before every link.
pub fn timeline(items: &[Item], lanes: &[Lane], label: &str, root: &str) -> Option<String> {
    let all = lanes.iter().flat_map(|l| l.entries.iter().copied());
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    let mut total = 0usize;
    for i in all {
        let e = items[i].entry;
        first = first.min(e.date.year());
        last = last.max(e.end.unwrap_or(e.date).year());
        total += 1;
    }
    if total == 0 {
        return None;
    }
    let lanes: Vec<&Lane> = lanes.iter().filter(|l| !l.entries.is_empty()).collect();
    let start = NaiveDate::from_ymd_opt(first, 1, 1)?;
    let end = NaiveDate::from_ymd_opt(last + 1, 1, 1)?;
    let scale = Scale {
        first,
        last,
        start,
        span_days: (end - start).num_days().max(1) as f64,
        height: AXIS + LANE * lanes.len() as f64 + 6.0,
        root,
    };
    let mut out = String::with_capacity(4096 + total * 220);
    let _ = write!(
        out,
        "<svg class=\"timeline-svg\" viewBox=\"0 0 {WIDTH} {}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        scale.height,
        esc(label)
    );
    axis(&mut out, &scale);
    for (k, lane) in lanes.iter().enumerate() {
        let top = AXIS + LANE * k as f64;
        let cy = top + LANE_MARKS;
        let _ = write!(
            out,
            "<g class=\"lane\"><a href=\"{}{}\"><text class=\"lane-label\" x=\"{LABEL}\" y=\"{}\">{}</text></a><line class=\"lane-line\" aria-hidden=\"true\" x1=\"{LABEL}\" y1=\"{cy}\" x2=\"{}\" y2=\"{cy}\"/>",
            esc(scale.root),
            esc(lane.url),
            N(top + LANE_TEXT),
            esc(lane.name),
            N(WIDTH - RIGHT),
            cy = N(cy),
        );
        if total > AGGREGATE_ABOVE {
            year_counts(&mut out, items, lane, cy, &scale);
        } else {
            markers(&mut out, items, lane, cy, &scale);
        }
        out.push_str("</g>");
    }
    out.push_str("</svg>");
    Some(out)
}

/// The year ticks: at most about 12.
fn axis(out: &mut String, scale: &Scale) {
    let (first, last) = (scale.first, scale.last);
    let years = last - first + 1;
    let step = [1, 2, 5, 10, 20, 25, 50, 100]
        .into_iter()
        .find(|s| years / s <= 12)
        .unwrap_or(100);
    out.push_str("<g class=\"axis\" aria-hidden=\"true\">");
    let mut y = first;
    while y <= last + 1 {
        if (y % step == 0 || y == first)
            && let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1)
        {
            let tx = scale.x(d);
            let _ = write!(
                out,
                "<line x1=\"{tx}\" y1=\"{AXIS}\" x2=\"{tx}\" y2=\"{}\"/>",
                N(scale.height - 8.0),
                tx = N(tx),
            );
            // The first year is labelled only when the next tick leaves room for it.
            let crowded =
                y == first && y % step != 0 && step - y.rem_euclid(step) < (step + 1) / 2 + 1;
            if y <= last && !crowded {
                let _ = write!(out, "<text x=\"{}\" y=\"16\">{y}</text>", N(tx + 3.0));
            }
        }
        y += 1;
    }
    out.push_str("</g>");
}

/// A lane as per-year counts, each linking to its year's page.
fn year_counts(out: &mut String, items: &[Item], lane: &Lane, cy: f64, scale: &Scale) {
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for &i in lane.entries {
        let y = items[i].entry.date.year();
        match counts.last_mut() {
            Some((ly, n)) if *ly == y => *n += 1,
            _ => counts.push((y, 1)),
        }
    }
    counts.sort_unstable();
    let max = counts.iter().map(|c| c.1).max().unwrap_or(1) as f64;
    for (y, n) in counts {
        let Some(d1) = NaiveDate::from_ymd_opt(y, 7, 1) else {
            continue;
        };
        let r = 3.0 + 6.0 * (n as f64 / max).sqrt();
        let label = format!(
            "{n} {} in {y}: {}",
            if n == 1 { "entry" } else { "entries" },
            lane.name
        );
        let _ = write!(
            out,
            "<a href=\"{}{}\"><title>{}</title><circle class=\"count\" cx=\"{}\" cy=\"{}\" r=\"{}\"/></a>",
            esc(scale.root),
            esc(&Route::Year(y).path()),
            esc(&label),
            N(scale.x(d1)),
            N(cy),
            N(r),
        );
    }
}

/// A lane as a marker per entry (a bar for a span), each linking to the entry.
fn markers(out: &mut String, items: &[Item], lane: &Lane, cy: f64, scale: &Scale) {
    for &i in lane.entries {
        let (e, c) = (items[i].entry, items[i].card);
        let label = format!("{}, {}", c.title, c.when.text);
        let x0 = scale.x(e.date.first_day());
        let _ = write!(
            out,
            "<a href=\"{}{}\"><title>{}</title>",
            esc(scale.root),
            esc(&c.url),
            esc(&label)
        );
        match &e.end {
            Some(end) if end != &e.date => {
                let x1 = scale
                    .x(end.last_day().succ_opt().unwrap_or(end.last_day()))
                    .max(x0 + 6.0);
                let _ = write!(
                    out,
                    "<rect class=\"span\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"8\" rx=\"4\"/>",
                    N(x0),
                    N(cy - 4.0),
                    N(x1 - x0)
                );
            }
            _ => {
                // A year- or month-precision date sits in the middle of what it covers.
                let mid = e.date.first_day() + (e.date.last_day() - e.date.first_day()) / 2;
                let _ = write!(
                    out,
                    "<circle class=\"marker\" cx=\"{}\" cy=\"{}\" r=\"5\"/>",
                    N(scale.x(mid)),
                    N(cy)
                );
            }
        }
        out.push_str("</a>");
    }
}

#[cfg(test)]
mod tests {
    use super::N;

    #[test]
    fn coordinates_have_one_decimal_and_no_trailing_zero() {
        let shown: Vec<String> = [54.0, 54.04, 380.25, 7.96, -0.01, 720.0]
            .into_iter()
            .map(|x| N(x).to_string())
            .collect();
        assert_eq!(shown, ["54", "54", "380.3", "8", "0", "720"]);
    }
}
