//! Helpers: copy a fixture into a temporary directory, run annals on it, read what it wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Site {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stderr with the temporary root replaced by `<root>` and timings by `<t>`.
    pub fn redacted_stderr(&self, site: &Site) -> String {
        redact(&self.stderr, site)
    }

    pub fn redacted_stdout(&self, site: &Site) -> String {
        redact(&self.stdout, site)
    }
}

fn redact(text: &str, site: &Site) -> String {
    let mut out = text.replace(&site.root.display().to_string(), "<root>");
    while let Some(i) = out.find(" ms") {
        let start = out[..i].rfind(' ').map_or(0, |s| s + 1);
        if start < i && out[start..i].bytes().all(|b| b.is_ascii_digit()) {
            out.replace_range(start..i + 3, "<t>");
        } else {
            break;
        }
    }
    out
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Site {
    /// A fresh copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&fixtures().join(name), &root);
        Site { _tmp: tmp, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> &Site {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    /// Runs `annals <args> --root <root>`.
    pub fn annals(&self, args: &[&str]) -> Run {
        let mut all: Vec<&str> = args.to_vec();
        let root = self.root.display().to_string();
        all.push("--root");
        all.push(&root);
        run(&all)
    }

    /// Runs `annals build`, asserting success.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let r = self.annals(&args);
        assert_eq!(r.code, 0, "build failed:\n{}", r.stderr);
        r
    }

    /// A file of the built site.
    pub fn out(&self, rel: &str) -> String {
        let p = self.root.join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn out_exists(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).exists()
    }
}

/// Runs the annals binary with `args`, without colour.
pub fn run(args: &[&str]) -> Run {
    run_env(args, &[])
}

/// Runs the annals binary with `args` and extra environment variables.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("annals runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What a clean build of `site`'s sources (its output and cache left behind) writes in a
/// fresh directory, with extra arguments and environment variables; the build must succeed.
pub fn fresh_build(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let (_tmp, root) = fresh_site(site, extra, env);
    snapshot(&root.join("public"))
}

/// [`fresh_build`]'s directory (removed when the `TempDir` is dropped) and the site's root
/// in it, for a test that looks at more than the output.
pub fn fresh_site(
    site: &Site,
    extra: &[&str],
    env: &[(&str, &str)],
) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for (rel, bytes) in snapshot(&site.root) {
        if rel.starts_with("public/") || rel.starts_with(".annals-cache/") {
            continue;
        }
        let p = root.join(&rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let r = root.display().to_string();
    let mut args = vec!["build", "--root", &r];
    args.extend_from_slice(extra);
    let run = run_env(&args, env);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (tmp, root)
}

/// Every file under `dir` with its bytes (hidden staging dirs included, so leftovers show).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walk(dir) {
        let rel = e.strip_prefix(dir).unwrap().display().to_string();
        out.insert(rel, std::fs::read(&e).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}

/// Compares `actual` with `tests/expected/<name>.txt`; `ANNALS_BLESS=1` rewrites it.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(format!("{name}.txt"));
    if std::env::var_os("ANNALS_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no expected output at {}; run with ANNALS_BLESS=1 to create it. Actual:\n{actual}",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "output differs from {} (ANNALS_BLESS=1 to accept)",
        path.display()
    );
}

/// The slugs of the entry cards on a list page, in order.
pub fn card_slugs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let marker = "class=\"entry-card-title\"><a href=\"";
    let mut rest = html;
    while let Some(i) = rest.find(marker) {
        rest = &rest[i + marker.len()..];
        let end = rest.find('"').unwrap();
        let url = &rest[..end];
        let slug = url.trim_end_matches('/').rsplit('/').next().unwrap();
        out.push(slug.to_string());
    }
    out
}

/// The values of attribute `attr` on elements of `tag`, in order (e.g. `time`, `datetime`).
pub fn attr_values(html: &str, tag: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    let needle = format!("{attr}=\"");
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        rest = &rest[i + open.len()..];
        let tag_end = rest.find('>').unwrap_or(rest.len());
        if let Some(j) = rest[..tag_end].find(&needle) {
            let v = &rest[j + needle.len()..];
            out.push(v[..v.find('"').unwrap()].to_string());
        }
    }
    out
}

/// The entry `slug` of a parsed `timeline.json`.
pub fn json_entry<'a>(timeline: &'a serde_json::Value, slug: &str) -> &'a serde_json::Value {
    timeline["entries"]
        .as_array()
        .expect("timeline.json has entries")
        .iter()
        .find(|e| e["slug"] == slug)
        .unwrap_or_else(|| panic!("no entry {slug} in timeline.json"))
}
