//! Creating files for editors: `annals new` (an entry with complete front matter: every
//! field the contract does not mark optional, see [`crate::content::contract::scaffold`])
//! and `annals init` (a new, empty chronicle). Neither ever overwrites a file.

use crate::config::Config;
use crate::date::PartialDate;
use crate::diagnostic::did_you_mean;
use crate::slug;
use std::path::{Path, PathBuf};

/// The marker left in placeholders; `check` warns about it so `--strict` reminds editors.
pub const PLACEHOLDER: &str = "TODO";

/// What `annals new` was asked for.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub title: String,
    pub date: Option<String>,
    pub themes: Vec<String>,
    pub status: Option<String>,
    pub instrument: Option<String>,
}

/// A YAML double-quoted string (JSON strings are valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

fn pick(kind: &str, given: Option<&str>, known: &[&str]) -> Result<String, String> {
    match given {
        Some(v) if known.contains(&v) => Ok(v.to_string()),
        Some(v) => Err(format!(
            "unknown {kind} `{v}`{}; known: {}",
            did_you_mean(v, known.iter().copied())
                .map(|h| format!(" ({h})"))
                .unwrap_or_default(),
            known.join(", ")
        )),
        None => known
            .first()
            .map(|s| s.to_string())
            .ok_or_else(|| format!("site.yaml defines no {kind}")),
    }
}

/// Writes `content/entries/<slug>.md` and returns its path. Errors are usage errors.
pub fn new_entry(root: &Path, config: &Config, req: &NewEntry) -> Result<PathBuf, String> {
    // A title is one line: line breaks and tabs become single spaces. Other control
    // characters are refused by the same rule `check` applies to every text field.
    let title = req.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = title.as_str();
    if title.is_empty() {
        return Err("the title is empty: annals new \"What happened\"".into());
    }
    if let Some(c) = crate::content::fields::forbidden_char(title) {
        return Err(format!(
            "the title holds an invisible control character (U+{:04X}); type the title again without it",
            c as u32
        ));
    }
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(format!(
            "cannot make a file name from the title {title:?}; use letters or digits"
        ));
    }
    let date = match &req.date {
        Some(d) => PartialDate::parse(d)
            .map_err(|e| format!("--date {d}: {e}; {}", crate::date::ACCEPTED_FORMS))?,
        None => crate::date::today(),
    };
    let slug = with_year(slug, date.year());
    let statuses: Vec<&str> = config.statuses.iter().map(|s| s.id.as_str()).collect();
    let instruments: Vec<&str> = config.instruments.iter().map(|s| s.id.as_str()).collect();
    let theme_ids: Vec<&str> = config.themes.iter().map(|t| t.id.as_str()).collect();
    let status = pick("status", req.status.as_deref(), &statuses)?;
    let instrument = pick("instrument", req.instrument.as_deref(), &instruments)?;
    let themes = if req.themes.is_empty() {
        vec![pick("theme", None, &theme_ids)?]
    } else {
        req.themes
            .iter()
            .map(|t| pick("theme", Some(t.trim()), &theme_ids))
            .collect::<Result<Vec<_>, _>>()?
    };
    let dir = root.join("content").join("entries");
    let path = dir.join(format!("{slug}.md"));
    let given = [
        ("title", quoted(title)),
        ("date", date.to_string()),
        ("status", status),
        ("instrument", instrument),
        ("themes", format!("[{}]", themes.join(", "))),
    ];
    let text = format!(
        "{}{PLACEHOLDER}: what happened, why it matters, what it changed.\n",
        crate::content::contract::scaffold(&given, PLACEHOLDER)
    );
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    write_new(&path, &text)?;
    Ok(path)
}

/// A file name after the event with its year, as the README recommends
/// (`torture-law` → `torture-law-2023`); a title that already ends with it keeps it.
fn with_year(slug: String, year: i32) -> String {
    let suffix = format!("-{year:04}");
    if slug.ends_with(&suffix) || slug == suffix[1..] {
        slug
    } else {
        format!("{slug}{suffix}")
    }
}

/// Creates `path` with `text`, refusing to replace an existing file.
fn write_new(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!("{} already exists; annals never overwrites a file (choose another title or edit that file)", path.display())
            } else {
                format!("cannot create {}: {e}", path.display())
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

const INIT_SITE: &str = r#"title: "My reform chronicle"
description: "A dated, sourced chronicle of reforms."
# The address the site is published at (feeds, the sitemap and canonical links need it;
# pages link to each other relatively). The GitHub Pages workflow in .github/workflows/
# builds with the real address; for another host, write it here or pass --base-url.
base_url: "https://example.org/"
language: en
jurisdiction: ""
author:
  name: "The editors"
timeline:
  order: newest
themes:
  example-theme:
    name: "Example theme"
    description: "Rename this theme and describe the track of reforms it follows."
"#;

const INIT_ENTRY: &str = r#"---
title: "An example entry"
date: 2024-01
status: announced
instrument: law
themes: [example-theme]
summary: "Replace this entry with the first reform of your chronicle."
sources:
  - title: "The annals README"
    url: "https://crates.io/crates/annals"
---
Each entry is one Markdown file in `content/entries/`. Its front matter says when it
happened, what kind of act it was and where it stands; the text says what it changed.
See [the about page](../pages/about.md).
"#;

const INIT_ABOUT: &str = r#"---
title: "About"
summary: "What this chronicle covers and how it is made."
menu: 1
---
Say here what the chronicle covers, who writes it, and how dates and sources are handled.
"#;

/// The install step of the workflows `init` writes: this version of annals from crates.io,
/// kept in the cache between runs (a first install compiles it, a few minutes).
macro_rules! install_annals {
    () => {
        concat!(
            "      - uses: actions/cache@v4\n",
            "        with:\n",
            "          path: ~/.cargo/bin/annals\n",
            "          key: annals-${{ runner.os }}-",
            env!("CARGO_PKG_VERSION"),
            "\n",
            "      - run: command -v annals || cargo install annals --locked --version ",
            env!("CARGO_PKG_VERSION"),
            "\n",
        )
    };
}

/// `.github/workflows/check.yml`: every pull request checked, each problem shown on its
/// diff at the line that has it.
pub const INIT_CHECK_WORKFLOW: &str = concat!(
    "# Checks every pull request: each problem in an entry is shown on the pull request's\n",
    "# diff, at the line that has it (annals check --format github).\n",
    "name: Check\n",
    "on:\n",
    "  pull_request:\n",
    "permissions:\n",
    "  contents: read\n",
    "jobs:\n",
    "  check:\n",
    "    runs-on: ubuntu-latest\n",
    "    steps:\n",
    "      - uses: actions/checkout@v4\n",
    install_annals!(),
    "      - run: annals check --strict --format github\n",
);

/// `.github/workflows/pages.yml`: built and deployed to GitHub Pages on every push to
/// `main`, with the address Pages gives; deployed only if the build succeeded.
pub const INIT_PAGES_WORKFLOW: &str = concat!(
    "# Builds the chronicle on every push to main and publishes it on GitHub Pages.\n",
    "# Turn Pages on once: Settings → Pages → Build and deployment → Source: GitHub Actions.\n",
    "name: Pages\n",
    "on:\n",
    "  push:\n",
    "    branches: [main]\n",
    "  workflow_dispatch:\n",
    "permissions:\n",
    "  contents: read\n",
    "  pages: write\n",
    "  id-token: write\n",
    "concurrency:\n",
    "  group: pages\n",
    "  cancel-in-progress: false\n",
    "jobs:\n",
    "  build:\n",
    "    runs-on: ubuntu-latest\n",
    "    steps:\n",
    "      - uses: actions/checkout@v4\n",
    "      - id: pages\n",
    "        uses: actions/configure-pages@v5\n",
    install_annals!(),
    "      # The address Pages serves the site at; --strict stops on any warning, such as a\n",
    "      # TODO left in an entry.\n",
    "      - run: annals build --strict --base-url \"${{ steps.pages.outputs.base_url }}/\"\n",
    "      - uses: actions/upload-pages-artifact@v3\n",
    "        with:\n",
    "          path: public\n",
    "  # Runs only when the build succeeded.\n",
    "  deploy:\n",
    "    needs: build\n",
    "    runs-on: ubuntu-latest\n",
    "    environment:\n",
    "      name: github-pages\n",
    "      url: ${{ steps.deployment.outputs.page_url }}\n",
    "    steps:\n",
    "      - id: deployment\n",
    "        uses: actions/deploy-pages@v4\n",
);

/// Scaffolds a new chronicle in `dir`, which must be absent or empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "{} is not empty; annals init only creates a chronicle in a new or empty folder",
                dir.display()
            ));
        }
    }
    let files = [
        ("site.yaml", INIT_SITE),
        ("content/entries/example-entry.md", INIT_ENTRY),
        ("content/pages/about.md", INIT_ABOUT),
        (".github/workflows/check.yml", INIT_CHECK_WORKFLOW),
        (".github/workflows/pages.yml", INIT_PAGES_WORKFLOW),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        write_new(&path, text)?;
        written.push(path);
    }
    let gitignore = dir.join(".gitignore");
    write_new(&gitignore, "/public/\n/.annals-cache/\n")?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_entries_are_named_after_the_event_with_its_year() {
        assert_eq!(with_year("torture-law".into(), 2023), "torture-law-2023");
        assert_eq!(
            with_year("torture-law-2023".into(), 2023),
            "torture-law-2023"
        );
        assert_eq!(with_year("2023".into(), 2023), "2023");
        assert_eq!(with_year("law-2022".into(), 2023), "law-2022-2023");
    }
}
