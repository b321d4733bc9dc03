//! annals: a static site generator for reform chronicles.
//!
//! The pipeline (DESIGN.md) reads as the steps of [`build`]: load `site.yaml`
//! ([`config`]), walk and load `content/` ([`content`], with [`markdown`]), link the
//! chronicle ([`timeline`]), render it ([`render`]) and write it ([`output`]).
//! Diagnostics ([`diagnostic`]) flow alongside; the build stops before rendering if any
//! error exists, and never touches the previous output unless the whole build succeeds.

pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod slug;
pub mod timeline;
pub mod yaml;

use diagnostic::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What to build, from the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Warnings are errors.
    pub strict: bool,
    /// Show a progress line on long builds (the CLI sets it on a terminal without --quiet).
    pub progress: bool,
}

impl BuildOptions {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// A successful build.
#[derive(Debug)]
pub struct Report {
    pub entries: usize,
    pub pages: usize,
    pub static_files: usize,
    pub elapsed: Duration,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
}

/// Why a command failed, and so its exit code.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the site's files: exit 1. The diagnostics say what and where.
    Content(Diagnostics),
    /// Usage or I/O: exit 2.
    Fatal(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Content(_) => 1,
            Failure::Fatal(_) => 2,
        }
    }
}

/// Everything up to rendering: configuration, content, links, templates.
struct Prepared {
    config: config::Config,
    chronicle: timeline::Chronicle,
    templates: render::Templates,
    diags: Diagnostics,
}

fn fail_on_errors(mut diags: Diagnostics, strict: bool) -> Result<Diagnostics, Failure> {
    if strict {
        diags.make_strict();
    }
    diags.finish();
    if diags.has_errors() {
        Err(Failure::Content(diags))
    } else {
        Ok(diags)
    }
}

fn prepare(opts: &BuildOptions, progress: &progress::Progress) -> Result<Prepared, Failure> {
    if !opts.root.is_dir() {
        return Err(Failure::Fatal(format!(
            "the site root {} is not a directory",
            opts.root.display()
        )));
    }
    let mut diags = Diagnostics::new();
    let overrides = config::Overrides {
        base_url: opts.base_url.clone(),
    };
    let Some(config) = config::load(&opts.root, &overrides, &mut diags) else {
        return Err(fail_on_errors(diags, opts.strict)
            .err()
            .unwrap_or_else(|| Failure::Content(Diagnostics::new())));
    };
    let files = content::walk::walk(&opts.root, &mut diags);
    progress.stage("loading files");
    let loaded = content::load(&files, &config, &mut diags, progress);
    progress.stage("linking entries");
    let chronicle = timeline::link(loaded, &config, opts.drafts, &mut diags);
    let templates = render::load_templates(&opts.root, &mut diags);
    let diags = fail_on_errors(diags, opts.strict)?;
    let templates = templates.ok_or_else(|| Failure::Content(diags.clone()))?;
    Ok(Prepared {
        config,
        chronicle,
        templates,
        diags,
    })
}

fn render_into(
    p: &mut Prepared,
    root: &Path,
    sink: &dyn output::Sink,
    progress: &progress::Progress,
) -> Result<render::Stats, Failure> {
    progress.stage("rendering and writing files");
    let sink = progress::CountingSink {
        inner: sink,
        progress,
    };
    render::render_site(&p.chronicle, &p.config, &mut p.templates, root, &sink).map_err(|e| {
        let mut diags = p.diags.clone();
        match render::into_diagnostics(e, &mut diags) {
            Some(io) => Failure::Fatal(io.to_string()),
            None => {
                diags.finish();
                Failure::Content(diags)
            }
        }
    })
}

/// Builds the site into its output directory (see DESIGN.md "Output").
pub fn build(opts: &BuildOptions) -> Result<Report, Failure> {
    let start = Instant::now();
    let out = opts.output_dir();
    output::check_output_dir(&opts.root, &out).map_err(|r| Failure::Fatal(r.0))?;
    let progress = progress::Progress::new(opts.progress);
    let mut p = prepare(opts, &progress)?;
    let staging = output::Staging::create(&out).map_err(|e| Failure::Fatal(e.to_string()))?;
    let stats = render_into(&mut p, &opts.root, &staging, &progress)?;
    progress.stage("replacing the previous site");
    staging
        .commit()
        .map_err(|e| Failure::Fatal(e.to_string()))?;
    progress.finish();
    Ok(Report {
        entries: p.chronicle.entries.len(),
        pages: stats.pages,
        static_files: stats.static_files,
        elapsed: start.elapsed(),
        diagnostics: p.diags,
    })
}

/// Validates everything `build` does, rendering every page to nowhere.
pub fn check(opts: &BuildOptions) -> Result<Report, Failure> {
    let start = Instant::now();
    let progress = progress::Progress::new(opts.progress);
    let mut p = prepare(opts, &progress)?;
    let sink = output::Discard::default();
    let stats = render_into(&mut p, &opts.root, &sink, &progress)?;
    progress.finish();
    Ok(Report {
        entries: p.chronicle.entries.len(),
        pages: stats.pages,
        static_files: stats.static_files,
        elapsed: start.elapsed(),
        diagnostics: p.diags,
    })
}

/// Builds the site into any sink — the memory of `annals serve`, for one — with the same
/// steps and checks as [`build`], but without an output directory: nothing touches the disk.
pub fn build_to(opts: &BuildOptions, sink: &dyn output::Sink) -> Result<Report, Failure> {
    let start = Instant::now();
    let progress = progress::Progress::hidden();
    let mut p = prepare(opts, &progress)?;
    let stats = render_into(&mut p, &opts.root, sink, &progress)?;
    Ok(Report {
        entries: p.chronicle.entries.len(),
        pages: stats.pages,
        static_files: stats.static_files,
        elapsed: start.elapsed(),
        diagnostics: p.diags,
    })
}

/// A one-off diagnostic for errors outside any file.
pub fn usage_error(message: impl Into<String>) -> Diagnostic {
    Diagnostic::error("usage", message)
}
