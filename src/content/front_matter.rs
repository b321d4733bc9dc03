//! Splits a source file into its YAML front matter and its Markdown body, keeping the
//! offsets needed to report YAML problems at their line in the file (not in the block).

use crate::diagnostic::{Diagnostic, Location};

/// A file split at its front matter.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML text between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_offset: usize,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    /// The Markdown body after the closing `---`.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

const HELP_SHAPE: &str = "a file starts with its front matter between two `---` lines:\n---\ntitle: \"…\"\ndate: 2021-06-09\n…\n---\nthen the Markdown text";

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "---"
}

/// Splits `text` (a BOM already removed). Errors name the file `display`.
pub fn split<'a>(text: &'a str, display: &str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error("empty-file", format!("{display} is empty"))
                .in_file(display)
                .help(HELP_SHAPE),
        );
    }
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if !is_fence(first) {
        return Err(Diagnostic::error(
            "no-front-matter",
            "the file does not start with front matter",
        )
        .in_file(display)
        .at(Location::of_line(text, 1))
        .label("expected `---` here")
        .help(HELP_SHAPE));
    }
    let yaml_offset = first.len();
    let mut offset = yaml_offset;
    for line in lines {
        if is_fence(line) {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &text[yaml_offset..offset],
                yaml_offset,
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("unclosed-front-matter", "the front matter is not closed")
            .in_file(display)
            .at(Location::of_line(text, 1))
            .label("front matter opened here")
            .help("add a line with only `---` after the last field, before the Markdown text"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_offsets() {
        let text = "---\ntitle: x\n---\nBody\n";
        let s = split(text, "a.md").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn crlf_works() {
        let s = split("---\r\ntitle: x\r\n---\r\nBody\r\n", "a.md").unwrap();
        assert_eq!(s.yaml, "title: x\r\n");
        assert_eq!(s.body, "Body\r\n");
    }

    #[test]
    fn errors() {
        assert_eq!(split("", "a.md").unwrap_err().code, "empty-file");
        assert_eq!(
            split("title: x\n", "a.md").unwrap_err().code,
            "no-front-matter"
        );
        assert_eq!(
            split("---\ntitle: x\n", "a.md").unwrap_err().code,
            "unclosed-front-matter"
        );
        assert!(split("---\n---\n", "a.md").is_ok());
    }
}
