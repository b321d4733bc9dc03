//! The visual overview: an SVG timeline drawn at build time (no JavaScript), one lane per
//! theme, followed by its legend in HTML.
//!
//! The axis gives space where the entries are: each year that has entries is a column
//! whose width follows its busiest lane (one to four marks across, within a width budget),
//! a single empty year is a narrow column, and a longer empty stretch is folded into a
//! drawn break labelled with the years it hides. In a lane, a year's entries stack in a
//! grid of 24-pixel cells (a mark each, in time order) so marks never overlap; a year with
//! more entries than its cells becomes one badge with the count, linking to the year's page,
//! so the drawing stays readable at 20 entries and at 10,000. A mark's colour is its
//! theme's (`--tc`, set per theme by the templates) and its shape says its status, so
//! colour is never the only cue. Spans are thin bars under their lane. `annals.js` makes
//! the marks one tab stop (arrow keys move between them); the SVG is complete without it.

use super::views::Item;
use super::views::Lang;
use crate::markdown::escape_html as esc;
use crate::routes::Route;
use chrono::{Datelike, NaiveDate};
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

/// One cell of a lane: a mark and its tap target (WCAG 2.5.8 asks for 24 px).
const CELL: f64 = 24.0;
/// At most this many marks across a year, and down a lane.
const MAX_ACROSS: usize = 4;
const MAX_DOWN: usize = 2;
/// Padding inside a year column, on each side.
const PAD: f64 = 3.0;
/// The narrowest column: room for its mark cell and most of a year's label.
const MIN_COLUMN: f64 = CELL + 2.0 * PAD;
/// The width a column needs for its year label not to crowd the next one.
const LABELLED_COLUMN: f64 = 40.0;
/// A folded stretch of two or more empty years.
const BREAK: f64 = 40.0;
/// The plot is kept under this width by narrowing the widest columns first; the drawing
/// is shown at its real size (one unit a CSS pixel), and scrolls when wider than the page.
const BUDGET: f64 = 1120.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 8.0;
/// The axis: year labels above the lanes.
const AXIS: f64 = 34.0;
/// A lane: its name on a line of its own, then its cells, then its span bars.
const LANE_TEXT: f64 = 24.0;
const SPAN_ROW: f64 = 6.0;
const MAX_SPAN_ROWS: usize = 2;
const LANE_GAP: f64 = 10.0;
const R: f64 = 7.0;

/// A lane: a theme's id (for its colour), name and page, and the entries (indices into the
/// items, in time order) drawn in it.
pub struct Lane<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub entries: &'a [usize],
}

/// How a status is drawn: the shape is the non-colour cue (WCAG 1.4.1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    /// Announced or proposed: an outline.
    Ring,
    /// Adopted, signed or ratified: half filled.
    Half,
    /// In force or implemented: filled.
    Full,
    /// Repealed: an outline struck through.
    Struck,
    /// A status the site defines itself: a filled square.
    Square,
}

impl Shape {
    fn of(status: &str) -> Shape {
        match status {
            "announced" | "proposed" => Shape::Ring,
            "adopted" | "signed" | "ratified" => Shape::Half,
            "in-force" | "implemented" => Shape::Full,
            "repealed" => Shape::Struck,
            _ => Shape::Square,
        }
    }

    /// The shape centred on (`cx`, `cy`).
    fn draw(self, out: &mut String, cx: f64, cy: f64, r: f64) {
        let (x, y) = (N(cx), N(cy));
        match self {
            Shape::Full => {
                let _ = write!(
                    out,
                    "<circle class=\"m-full\" cx=\"{x}\" cy=\"{y}\" r=\"{}\"/>",
                    N(r)
                );
            }
            Shape::Ring => {
                let _ = write!(
                    out,
                    "<circle class=\"m-ring\" cx=\"{x}\" cy=\"{y}\" r=\"{}\"/>",
                    N(r - 1.0)
                );
            }
            Shape::Half => {
                let _ = write!(
                    out,
                    "<circle class=\"m-ring\" cx=\"{x}\" cy=\"{y}\" r=\"{}\"/><path class=\"m-full\" d=\"M{x} {}A{} {} 0 0 0 {x} {}Z\"/>",
                    N(r - 1.0),
                    N(cy - r + 1.0),
                    N(r - 1.0),
                    N(r - 1.0),
                    N(cy + r - 1.0),
                );
            }
            Shape::Struck => {
                let d = (r - 1.0) * 0.7;
                let _ = write!(
                    out,
                    "<circle class=\"m-ring\" cx=\"{x}\" cy=\"{y}\" r=\"{}\"/><path class=\"m-strike\" d=\"M{} {}L{} {}\"/>",
                    N(r - 1.0),
                    N(cx - d),
                    N(cy + d),
                    N(cx + d),
                    N(cy - d),
                );
            }
            Shape::Square => {
                let s = r * 1.7;
                let _ = write!(
                    out,
                    "<rect class=\"m-full\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    N(cx - s / 2.0),
                    N(cy - s / 2.0),
                    N(s),
                    N(s)
                );
            }
        }
    }

    /// What the legend says a shape means.
    /// The id of its name in the message files ("outline", "half filled"…).
    fn meaning(self) -> &'static str {
        match self {
            Shape::Ring => "shape-outline",
            Shape::Half => "shape-half",
            Shape::Full => "shape-filled",
            Shape::Struck => "shape-struck",
            Shape::Square => "shape-square",
        }
    }
}

/// A column of the axis: one year with entries or without, or a folded stretch of years.
struct Column {
    first: i32,
    last: i32,
    x: f64,
    width: f64,
    /// Marks across (0 for a column without entries).
    across: usize,
}

/// Where years fall on the drawing.
struct Axis {
    columns: Vec<Column>,
    /// For each year from the first: its column.
    of_year: Vec<usize>,
    first: i32,
    width: f64,
}

impl Axis {
    /// `busiest[k]`: the most entries any lane has in year `first + k`.
    fn new(first: i32, busiest: &[usize]) -> Axis {
        let mut columns: Vec<Column> = Vec::new();
        let mut k = 0;
        while k < busiest.len() {
            let year = first + k as i32;
            if busiest[k] > 0 {
                let across = busiest[k].min(MAX_ACROSS);
                columns.push(Column {
                    first: year,
                    last: year,
                    x: 0.0,
                    width: 0.0,
                    across,
                });
                k += 1;
                continue;
            }
            let run = busiest[k..].iter().take_while(|&&n| n == 0).count();
            columns.push(Column {
                first: year,
                last: year + run as i32 - 1,
                x: 0.0,
                width: if run == 1 { MIN_COLUMN } else { BREAK },
                across: 0,
            });
            k += run;
        }
        let width_of = |c: &Column| {
            if c.across == 0 {
                c.width
            } else {
                (c.across as f64 * CELL + 2.0 * PAD).max(if c.across > 1 {
                    LABELLED_COLUMN
                } else {
                    MIN_COLUMN
                })
            }
        };
        // Narrow the widest columns until the plot fits the budget (or cannot narrow).
        loop {
            let total: f64 = columns.iter().map(width_of).sum();
            if total <= BUDGET - LEFT - RIGHT {
                break;
            }
            let Some(widest) = columns
                .iter_mut()
                .filter(|c| c.across > 1)
                .max_by_key(|c| (c.across, std::cmp::Reverse(c.first)))
            else {
                break;
            };
            widest.across -= 1;
        }
        let mut x = LEFT;
        let mut of_year = Vec::with_capacity(busiest.len());
        for (n, c) in columns.iter_mut().enumerate() {
            c.width = width_of(c);
            c.x = x;
            x += c.width;
            for _ in c.first..=c.last {
                of_year.push(n);
            }
        }
        Axis {
            columns,
            of_year,
            first,
            width: x + RIGHT,
        }
    }

    fn column(&self, year: i32) -> &Column {
        &self.columns[self.of_year[(year - self.first) as usize]]
    }

    /// The x coordinate of a day: its place in its year's share of its column.
    fn x(&self, d: NaiveDate) -> f64 {
        let c = self.column(d.year());
        let years = (c.last - c.first + 1) as f64;
        let into = (d.year() - c.first) as f64 + f64::from(d.ordinal0()) / 366.0;
        c.x + c.width * into / years
    }
}

/// Draws `lanes` (entries are indices into `items`) and its legend: a scrolling `<div>` with
/// the `<svg>`, then a `<ul>`. `None` when there is nothing to draw.
/// `root` is the drawing page's way back to the site root, written before every link.
pub fn timeline(
    lang: &Lang,
    items: &[Item],
    lanes: &[Lane],
    label: &str,
    root: &str,
) -> Option<String> {
    let lanes: Vec<&Lane> = lanes.iter().filter(|l| !l.entries.is_empty()).collect();
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    for &i in lanes.iter().flat_map(|l| l.entries.iter()) {
        let e = items[i].entry;
        first = first.min(e.date.year());
        last = last.max(e.end.unwrap_or(e.date).year());
    }
    if lanes.is_empty() {
        return None;
    }
    // Each lane's entries per year (counts), and the busiest lane of each year.
    let years = (last - first + 1) as usize;
    let per_year: Vec<Vec<Vec<usize>>> = lanes
        .iter()
        .map(|l| {
            let mut by = vec![Vec::new(); years];
            for &i in l.entries {
                by[(items[i].entry.date.year() - first) as usize].push(i);
            }
            by
        })
        .collect();
    let busiest: Vec<usize> = (0..years)
        .map(|k| per_year.iter().map(|l| l[k].len()).max().unwrap_or(0))
        .collect();
    let axis = Axis::new(first, &busiest);

    // Lane heights: rows of cells, then rows of span bars.
    let mut layout = Vec::with_capacity(lanes.len());
    let mut top = AXIS;
    for (k, lane) in lanes.iter().enumerate() {
        let down = per_year[k]
            .iter()
            .enumerate()
            .filter(|(_, list)| !list.is_empty())
            .map(|(y, list)| {
                let across = axis.column(first + y as i32).across.max(1);
                list.len().div_ceil(across).min(MAX_DOWN)
            })
            .max()
            .unwrap_or(1);
        let spans = span_rows(items, lane, &axis);
        let rows = spans.iter().map(|s| s.2).max().map_or(0, |r| r + 1);
        let height = LANE_TEXT + down as f64 * CELL + rows as f64 * SPAN_ROW + LANE_GAP;
        layout.push((top, down, spans, rows));
        top += height;
    }
    let height = top + 4.0;
    let width = axis.width;
    let mut out = String::with_capacity(4096 + items.len().min(20_000) * 160);
    let _ = write!(
        out,
        "<div class=\"overview-scroll\"><svg class=\"timeline-svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        esc(label),
        w = N(width),
        h = N(height),
    );
    draw_axis(&mut out, &axis, height);
    // Reform threads join their steps with a line drawn under the marks, in the lane that
    // holds most of the thread's steps (lines across lanes would cross everything between);
    // every mark of a step is noted as lanes are drawn: (thread, lane, entry, x, y).
    let threads_at = out.len();
    let mut steps: Vec<(&str, usize, usize, f64, f64)> = Vec::new();
    let mut shapes = Vec::new();
    let mut aggregated = false;
    for (k, lane) in lanes.iter().enumerate() {
        let (top, down, spans, rows) = &layout[k];
        let cells_top = top + LANE_TEXT;
        let _ = write!(
            out,
            "<g class=\"lane theme-{}\"><a href=\"{}{}\"><rect class=\"hit\" x=\"{LEFT}\" y=\"{}\" width=\"{}\" height=\"{LANE_TEXT}\"/><text class=\"lane-label\" x=\"{LEFT}\" y=\"{}\">{}</text></a><text class=\"lane-label lane-label-end\" aria-hidden=\"true\" x=\"{}\" y=\"{}\">{}</text>",
            esc(lane.id),
            esc(root),
            esc(lane.url),
            N(*top),
            // About the label's width at 14 px (its target; the text draws over it).
            N(lane.name.chars().count() as f64 * 8.6 + 4.0),
            N(top + 17.0),
            esc(lane.name),
            N(width - RIGHT),
            N(top + 17.0),
            esc(lane.name),
        );
        for (y, list) in per_year[k].iter().enumerate() {
            if list.is_empty() {
                continue;
            }
            let year = first + y as i32;
            let c = axis.column(year);
            let across = c.across.max(1);
            if list.len() > across * down {
                aggregated = true;
                badge(
                    &mut out,
                    lang,
                    root,
                    lane,
                    year,
                    list.len(),
                    c,
                    cells_top,
                    *down,
                );
                continue;
            }
            for (n, &i) in list.iter().enumerate() {
                let (col, row) = (n % across, n / across);
                let x = c.x + PAD + col as f64 * CELL;
                let y = cells_top + row as f64 * CELL;
                let shape = Shape::of(&items[i].entry.status);
                shapes.push(shape);
                mark(&mut out, root, &items[i], shape, x, y);
                if let Some(t) = items[i].entry.thread.as_deref() {
                    steps.push((t, k, i, x + CELL / 2.0, y + CELL / 2.0));
                }
            }
        }
        if *rows > 0 {
            out.push_str("<g class=\"spans\" aria-hidden=\"true\">");
            let spans_top = cells_top + *down as f64 * CELL + 2.0;
            for &(x0, x1, row) in spans {
                let _ = write!(
                    out,
                    "<rect class=\"span\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"4\" rx=\"2\"/>",
                    N(x0),
                    N(spans_top + row as f64 * SPAN_ROW),
                    N(x1 - x0)
                );
            }
            out.push_str("</g>");
        }
        out.push_str("</g>");
    }
    let lines = thread_lines(&mut steps);
    out.insert_str(threads_at, &lines);
    out.push_str("</svg></div>");
    let any_span = layout.iter().any(|l| l.3 > 0);
    legend(
        &mut out,
        lang,
        &shapes,
        any_span,
        aggregated,
        !lines.is_empty(),
    );
    Some(out)
}

/// One line per reform thread through its steps' marks in its home lane (the lane with
/// most of its steps; the first of them on a tie), in time order (entries are indexed in
/// time order). A thread with fewer than two steps there has no line.
fn thread_lines(steps: &mut [(&str, usize, usize, f64, f64)]) -> String {
    steps.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out = String::new();
    for thread in steps.chunk_by(|a, b| a.0 == b.0) {
        let Some(home) = thread
            .chunk_by(|a, b| a.1 == b.1)
            .fold(None::<&[_]>, |best, lane| match best {
                Some(b) if b.len() >= lane.len() => Some(b),
                _ => Some(lane),
            })
        else {
            continue;
        };
        if home.len() < 2 {
            continue;
        }
        let points: Vec<String> = home
            .iter()
            .map(|&(_, _, _, x, y)| format!("{},{}", N(x), N(y)))
            .collect();
        let _ = write!(
            out,
            "<polyline class=\"thread-line\" aria-hidden=\"true\" data-thread=\"{}\" points=\"{}\"/>",
            esc(thread[0].0),
            points.join(" ")
        );
    }
    out
}

/// The spans of a lane as bars (x0, x1, row), packed into at most `MAX_SPAN_ROWS` rows; a
/// span that finds no free row is left to its mark (whose name says both dates).
fn span_rows(items: &[Item], lane: &Lane, axis: &Axis) -> Vec<(f64, f64, usize)> {
    let mut ends = [f64::MIN; MAX_SPAN_ROWS];
    let mut bars = Vec::new();
    for &i in lane.entries {
        let e = items[i].entry;
        let Some(end) = e.end.filter(|end| end != &e.date) else {
            continue;
        };
        let x0 = axis.x(e.date.first_day());
        let x1 = axis.x(end.last_day()).max(x0 + 6.0);
        if let Some(row) = ends.iter().position(|&r| r + 3.0 <= x0) {
            ends[row] = x1;
            bars.push((x0, x1, row));
        }
    }
    bars
}

/// The year labels and column rules, and each folded stretch as a labelled zig-zag break.
fn draw_axis(out: &mut String, axis: &Axis, height: f64) {
    out.push_str("<g class=\"axis\" aria-hidden=\"true\">");
    let mut free = f64::MIN;
    for c in &axis.columns {
        let mid = c.x + c.width / 2.0;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\"/>",
            N(AXIS - 14.0),
            N(height - 2.0),
            x = N(c.x)
        );
        if c.last - c.first >= 1 {
            // A break: a zig-zag down the plot, labelled with the years it folds.
            let mut d = format!("M{} {}", N(mid), N(AXIS));
            let mut y = AXIS;
            let mut left = true;
            while y < height - 6.0 {
                y += 6.0;
                let _ = write!(d, "L{} {}", N(mid + if left { -4.0 } else { 4.0 }), N(y));
                left = !left;
            }
            let _ = write!(out, "<path class=\"break\" d=\"{d}\"/>");
            let _ = write!(
                out,
                "<text class=\"break-label\" x=\"{m}\" y=\"12\">{}–</text><text class=\"break-label\" x=\"{m}\" y=\"25\">{}</text>",
                c.first,
                c.last,
                m = N(mid)
            );
            free = c.x + c.width;
        } else if c.x >= free {
            // A year's label, unless the previous one still takes its place.
            let _ = write!(out, "<text x=\"{}\" y=\"22\">{}</text>", N(mid), c.first);
            free = mid + 17.0;
        }
    }
    out.push_str("</g>");
}

/// One entry's mark: a 24-pixel target holding its status shape.
fn mark(out: &mut String, root: &str, item: &Item, shape: Shape, x: f64, y: f64) {
    let c = item.card;
    let label = format!("{}, {}, {}", c.title, c.when.text, c.status.label);
    let _ = write!(
        out,
        "<a class=\"mark\" href=\"{}{}\"><title>{}</title><rect class=\"hit\" x=\"{}\" y=\"{}\" width=\"{CELL}\" height=\"{CELL}\"/>",
        esc(root),
        esc(&c.url),
        esc(&label),
        N(x),
        N(y),
    );
    shape.draw(out, x + CELL / 2.0, y + CELL / 2.0, R);
    out.push_str("</a>");
}

/// A lane's year with more entries than its cells: one badge with the count.
#[allow(clippy::too_many_arguments)]
fn badge(
    out: &mut String,
    lang: &Lang,
    root: &str,
    lane: &Lane,
    year: i32,
    n: usize,
    c: &Column,
    top: f64,
    down: usize,
) {
    let label = lang.messages.get(
        "overview-badge",
        &[
            ("n", n.into()),
            ("entries", lang.messages.count("entries-count", n).into()),
            ("year", year.to_string().into()),
            ("lane", lane.name.into()),
        ],
    );
    let (w, h) = (c.width - 2.0, down as f64 * CELL - 2.0);
    let _ = write!(
        out,
        "<a class=\"mark\" href=\"{}{}\"><title>{}</title><rect class=\"count\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"/><text class=\"count-label\" x=\"{}\" y=\"{}\">{n}</text></a>",
        esc(root),
        esc(&Route::Year(year).path()),
        esc(&label),
        N(c.x + 1.0),
        N(top + 1.0),
        N(w),
        N(h),
        N(c.x + c.width / 2.0),
        N(top + h / 2.0 + 5.0),
    );
}

/// The legend: what each shape drawn means (with the statuses it stands for, in the
/// site's order), the span bars and the count badges when there are any.
fn legend(
    out: &mut String,
    lang: &Lang,
    shapes: &[Shape],
    span: bool,
    aggregated: bool,
    threads: bool,
) {
    let config = lang.config;
    let _ = write!(
        out,
        "<ul class=\"overview-legend\" aria-label=\"{}\">",
        esc(&lang.text("overview-key"))
    );
    let mut seen: Vec<Shape> = Vec::new();
    for s in &config.statuses {
        let shape = Shape::of(&s.id);
        if !seen.contains(&shape) && shapes.contains(&shape) {
            seen.push(shape);
        }
    }
    for shape in seen {
        let labels: Vec<&str> = config
            .statuses
            .iter()
            .filter(|s| Shape::of(&s.id) == shape)
            .map(|s| lang.labels.status(&s.id))
            .collect();
        out.push_str("<li><svg class=\"key\" width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\">");
        shape.draw(out, 9.0, 9.0, R);
        let _ = write!(
            out,
            "</svg><span class=\"visually-hidden\">{}: </span>{}</li>",
            esc(&lang.text(shape.meaning())),
            esc(&labels.join(", "))
        );
    }
    if span {
        let _ = write!(
            out,
            "<li><svg class=\"key\" width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><rect class=\"span\" x=\"1\" y=\"7\" width=\"16\" height=\"4\" rx=\"2\"/></svg>{}</li>",
            esc(&lang.text("legend-span"))
        );
    }
    if threads {
        let _ = write!(
            out,
            "<li><svg class=\"key\" width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><polyline class=\"thread-line\" points=\"1,13 9,5 17,11\"/></svg>{}</li>",
            esc(&lang.text("legend-thread"))
        );
    }
    if aggregated {
        let _ = write!(
            out,
            "<li><svg class=\"key\" width=\"18\" height=\"18\" viewBox=\"0 0 18 18\" aria-hidden=\"true\"><rect class=\"count\" x=\"1\" y=\"2\" width=\"16\" height=\"14\" rx=\"3\"/></svg>{}</li>",
            esc(&lang.text("legend-count"))
        );
    }
    out.push_str("</ul>");
}

#[cfg(test)]
mod tests {
    use super::{Axis, CELL, N};

    #[test]
    fn coordinates_have_one_decimal_and_no_trailing_zero() {
        let shown: Vec<String> = [54.0, 54.04, 380.25, 7.96, -0.01, 720.0]
            .into_iter()
            .map(|x| N(x).to_string())
            .collect();
        assert_eq!(shown, ["54", "54", "380.3", "8", "0", "720"]);
    }

    #[test]
    fn empty_years_fold_and_busy_years_widen() {
        // 2000: 1 entry, 2001–2003: none, 2004: 6 entries, 2005: none, 2006: 2.
        let axis = Axis::new(2000, &[1, 0, 0, 0, 6, 0, 2]);
        let spans: Vec<(i32, i32, usize)> = axis
            .columns
            .iter()
            .map(|c| (c.first, c.last, c.across))
            .collect();
        assert_eq!(
            spans,
            [
                (2000, 2000, 1),
                (2001, 2003, 0),
                (2004, 2004, 4),
                (2005, 2005, 0),
                (2006, 2006, 2)
            ]
        );
        assert_eq!(axis.column(2004).width, 4.0 * CELL + 6.0);
        // Columns follow one another without gaps.
        for w in axis.columns.windows(2) {
            assert_eq!(w[0].x + w[0].width, w[1].x);
        }
    }

    #[test]
    fn a_long_chronicle_narrows_to_the_budget() {
        let axis = Axis::new(1900, &[9; 30]);
        assert!(axis.width <= super::BUDGET, "{}", axis.width);
        assert!(axis.columns.iter().all(|c| c.across >= 1));
        // Longer than the budget allows: every column at its narrowest, and the page scrolls.
        let axis = Axis::new(1900, &[9; 60]);
        assert!(axis.columns.iter().all(|c| c.across == 1));
    }
}
