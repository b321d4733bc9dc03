//! Which version of its original a translation translates. A translation's front matter
//! carries `translates:`, a stamp of the original's words: a short hash of its title, of
//! its summary and of each block of its body (blocks are separated by blank lines), e.g.
//! `"v1 9f3a 1c2d ab12.cd34.ef56"`. `annals translations --stamp` writes it; `check`
//! recomputes the original's stamp and, when they differ, says which parts changed —
//! the title, the summary, or the body at lines N–M of the original (the blocks that no
//! longer match, found by aligning the two block lists). Facts (dates, statuses, sources'
//! URLs…) are not stamped: translations inherit them, so they can never be out of date.
//!
//! Four hex digits a part keep the stamp short enough to read; a changed block goes
//! unnoticed with probability 1/65,536, which is fine for a reminder to re-translate.

use std::fmt;
use xxhash_rust::xxh3::xxh3_64;

const VERSION: &str = "v1";

/// The stamp of an original's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    title: u16,
    summary: u16,
    blocks: Vec<u16>,
}

/// A body block of the original: its hash and the lines (1-based, in the file) it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub hash: u16,
    pub first_line: usize,
    pub last_line: usize,
}

/// What changed in the original since its translation's stamp.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Drift {
    pub title: bool,
    pub summary: bool,
    /// Line ranges of the original (in the file) whose blocks are new or changed, merged
    /// when adjacent; a block removed from the original shows as the line it was before.
    pub lines: Vec<(usize, usize)>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        !self.title && !self.summary && self.lines.is_empty()
    }

    /// "the title, the summary and lines 12–14, 20" — for the warning.
    pub fn describe(&self) -> String {
        let mut parts = vec![];
        if self.title {
            parts.push("the title".to_string());
        }
        if self.summary {
            parts.push("the summary".to_string());
        }
        if !self.lines.is_empty() {
            let ranges: Vec<String> = self
                .lines
                .iter()
                .map(|&(a, b)| {
                    if a == b {
                        a.to_string()
                    } else {
                        format!("{a}–{b}")
                    }
                })
                .collect();
            let noun = if self.lines.len() == 1 && self.lines[0].0 == self.lines[0].1 {
                "line"
            } else {
                "lines"
            };
            parts.push(format!("{noun} {}", ranges.join(", ")));
        }
        match parts.len() {
            0 => String::new(),
            1 => parts.remove(0),
            _ => {
                let last = parts.pop().unwrap_or_default();
                format!("{} and {last}", parts.join(", "))
            }
        }
    }
}

fn short(text: &str) -> u16 {
    // Line endings and trailing spaces are not words.
    let mut norm = String::with_capacity(text.len());
    for line in text.trim().lines() {
        norm.push_str(line.trim_end());
        norm.push('\n');
    }
    (xxh3_64(norm.as_bytes()) & 0xffff) as u16
}

/// The body's blocks: runs of non-blank lines. `first_body_line` is the file line of the
/// body's first line, so that the lines reported are the file's.
pub fn blocks(body: &str, first_body_line: usize) -> Vec<Block> {
    let mut out = vec![];
    let mut start: Option<usize> = None;
    let mut text = String::new();
    let lines: Vec<&str> = body.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(Block {
                    hash: short(&text),
                    first_line: first_body_line + s,
                    last_line: first_body_line + i - 1,
                });
                text.clear();
            }
        } else {
            if start.is_none() {
                start = Some(i);
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some(s) = start {
        out.push(Block {
            hash: short(&text),
            first_line: first_body_line + s,
            last_line: first_body_line + lines.len() - 1,
        });
    }
    out
}

impl Stamp {
    /// The stamp of an original: its title, summary (empty when it has none) and body.
    pub fn of(title: &str, summary: &str, body: &str) -> Stamp {
        Stamp {
            title: short(title),
            summary: short(summary),
            blocks: blocks(body, 1).iter().map(|b| b.hash).collect(),
        }
    }

    /// Reads a stamp as written by [`Stamp`]'s `Display`.
    pub fn parse(text: &str) -> Result<Stamp, String> {
        let mut parts = text.split_whitespace();
        let bad = || {
            format!(
                "`{text}` is not a translation stamp; annals writes it — run `annals \
                 translations --stamp` after translating"
            )
        };
        if parts.next() != Some(VERSION) {
            return Err(bad());
        }
        let hex = |s: Option<&str>| -> Result<u16, String> {
            let s = s.ok_or_else(bad)?;
            if s.len() != 4 {
                return Err(bad());
            }
            u16::from_str_radix(s, 16).map_err(|_| bad())
        };
        let title = hex(parts.next())?;
        let summary = hex(parts.next())?;
        let blocks = match parts.next() {
            None | Some("-") => vec![],
            Some(b) => b
                .split('.')
                .map(|h| hex(Some(h)))
                .collect::<Result<_, _>>()?,
        };
        if parts.next().is_some() {
            return Err(bad());
        }
        Ok(Stamp {
            title,
            summary,
            blocks,
        })
    }

    /// What changed from `self` (the stamp a translation carries) to the original now:
    /// `current` is the original's title and summary stamp and its body blocks.
    pub fn drift(&self, current: &Stamp, current_blocks: &[Block]) -> Drift {
        let mut d = Drift {
            title: self.title != current.title,
            summary: self.summary != current.summary,
            lines: vec![],
        };
        // Longest common subsequence of the two block lists; blocks of the original
        // outside it are new or changed.
        let (a, b) = (&self.blocks, current_blocks);
        let (n, m) = (a.len(), b.len());
        let mut lcs = vec![vec![0u32; m + 1]; n + 1];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i][j] = if a[i] == b[j].hash {
                    lcs[i + 1][j + 1] + 1
                } else {
                    lcs[i + 1][j].max(lcs[i][j + 1])
                };
            }
        }
        // The edit script: Some(j) = block j of the original is new or changed, None(at)
        // = a block that was there is gone (shown at the line where it was).
        enum Op {
            Keep,
            New(usize),
            Gone(usize),
        }
        let (mut i, mut j) = (0, 0);
        let mut ops = vec![];
        while i < n || j < m {
            if i < n && j < m && a[i] == b[j].hash {
                ops.push(Op::Keep);
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
                ops.push(Op::New(j));
                j += 1;
            } else {
                let at = b
                    .get(j)
                    .map(|x| x.first_line)
                    .or_else(|| b.last().map(|x| x.last_line))
                    .unwrap_or(1);
                ops.push(Op::Gone(at));
                i += 1;
            }
        }
        let mut changed: Vec<(usize, usize)> = vec![];
        let mut push = |r: (usize, usize)| match changed.last_mut() {
            Some(last) if r.0 <= last.1 + 2 => last.1 = last.1.max(r.1),
            _ => changed.push(r),
        };
        for (k, op) in ops.iter().enumerate() {
            match op {
                Op::Keep => {}
                Op::New(j) => push((b[*j].first_line, b[*j].last_line)),
                Op::Gone(at) => {
                    // A block replaced by a new one is reported once, as the new one.
                    let beside_new = |o: Option<&Op>| matches!(o, Some(Op::New(_)));
                    if !beside_new(k.checked_sub(1).and_then(|p| ops.get(p)))
                        && !beside_new(ops.get(k + 1))
                    {
                        push((*at, *at));
                    }
                }
            }
        }
        d.lines = changed;
        d
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{VERSION} {:04x} {:04x} ", self.title, self.summary)?;
        if self.blocks.is_empty() {
            return f.write_str("-");
        }
        for (i, b) in self.blocks.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{b:04x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "First paragraph\nwraps here.\n\n## Heading\n\nSecond.\n\n- a\n- b\n";

    fn drift(old_body: &str, new_body: &str, first_line: usize) -> Drift {
        let old = Stamp::of("T", "S", old_body);
        let blocks = blocks(new_body, first_line);
        let now = Stamp::of("T", "S", new_body);
        old.drift(&now, &blocks)
    }

    #[test]
    fn a_stamp_round_trips_through_its_text() {
        let s = Stamp::of("Title", "Summary", BODY);
        let text = s.to_string();
        assert!(text.starts_with("v1 "), "{text}");
        assert_eq!(text.split('.').count(), 4, "{text}");
        assert_eq!(Stamp::parse(&text), Ok(s));
        let empty = Stamp::of("Title", "", "");
        assert_eq!(Stamp::parse(&empty.to_string()), Ok(empty));
    }

    #[test]
    fn bad_stamps_are_refused_with_the_fix() {
        for bad in [
            "",
            "v2 0000 0000 -",
            "v1 xyz1 0000 -",
            "v1 0000",
            "v1 0000 0000 - x",
        ] {
            let e = Stamp::parse(bad).unwrap_err();
            assert!(e.contains("annals translations --stamp"), "{bad}: {e}");
        }
    }

    #[test]
    fn unchanged_words_give_no_drift_whatever_the_line_endings() {
        let crlf = BODY.replace('\n', "  \r\n");
        assert!(drift(BODY, &crlf, 10).is_empty());
    }

    #[test]
    fn a_changed_block_is_reported_at_its_lines_in_the_file() {
        let new = BODY.replace("Second.", "Second, changed.");
        let d = drift(BODY, &new, 10);
        // Body line 6 ("Second.") is file line 15 when the body starts at line 10.
        assert_eq!(d.lines, vec![(15, 15)]);
        assert_eq!(d.describe(), "line 15");
        let new = BODY.replace("wraps here.", "wraps there.");
        assert_eq!(drift(BODY, &new, 1).lines, vec![(1, 2)]);
    }

    #[test]
    fn added_and_removed_blocks_are_reported_where_they_are() {
        let added = format!("{BODY}\nA new last paragraph.\n");
        assert_eq!(drift(BODY, &added, 1).lines, vec![(11, 11)]);
        let removed = BODY.replace("## Heading\n\n", "");
        // The heading is gone; the next block (now at line 4) marks the place.
        assert_eq!(drift(BODY, &removed, 1).lines, vec![(4, 4)]);
    }

    #[test]
    fn title_and_summary_changes_are_named() {
        let old = Stamp::of("T", "S", BODY);
        let now = Stamp::of("T2", "S2", BODY);
        let d = old.drift(&now, &blocks(BODY, 1));
        assert!(d.title && d.summary && d.lines.is_empty());
        assert_eq!(d.describe(), "the title and the summary");
    }
}
