//! annals: a static site generator for reform chronicles.
//!
//! The pipeline (see ARCHITECTURE.md) reads as the steps of [`build`]: load `site.yaml`
//! ([`config`]), walk and load `content/` ([`content`], with [`markdown`]), link the
//! chronicle ([`timeline`]), render it ([`render`]) and write it ([`output`]).
//! Diagnostics ([`diagnostic`]) flow alongside; the build stops before rendering if any
//! error exists, and never touches the previous output unless the whole site rendered.

pub mod cache;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostic;
pub mod failure;
pub mod i18n;
pub mod markdown;
pub mod output;
pub mod progress;
pub mod render;
pub mod routes;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod slug;
pub mod timeline;
pub mod yaml;

use diagnostic::Diagnostics;
pub use failure::{Failure, Fatal};
use progress::timed;
use std::collections::HashMap;
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
    /// Rewrite the whole output (a complete staging tree swapped in) instead of updating
    /// only the files whose bytes changed.
    pub clean: bool,
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
    /// How `build` changed the output directory (`None` for `check` and `serve`).
    pub files: Option<output::Changes>,
}

impl Report {
    fn new(p: &Prepared, stats: render::Stats, start: Instant) -> Report {
        Report {
            entries: p.chronicle.entries.len(),
            pages: stats.pages,
            static_files: stats.static_files,
            elapsed: start.elapsed(),
            diagnostics: p.diags.clone(),
            files: None,
        }
    }

    /// "3 entries and 2 pages", for the summary lines of `build`, `check` and `serve`.
    pub fn counts(&self) -> String {
        use diagnostic::plural;
        format!(
            "{} and {}",
            plural(self.entries, "entry", "entries"),
            plural(self.pages, "page", "pages")
        )
    }
}

/// Everything up to rendering: configuration, content, links, templates.
struct Prepared {
    config: config::Config,
    chronicle: timeline::Chronicle,
    templates: render::Templates,
    diags: Diagnostics,
    /// Every entry's list view, made once per build (and kept for `serve`'s fast path).
    cards: Vec<render::views::EntryCard>,
    /// Link targets, made when `serve`'s fast path first needs them.
    targets: Option<timeline::LinkTargets>,
    /// The hashes the loader took that the fingerprint lacked or had otherwise, by path
    /// (a build's: see `content::Loaded::hashes`).
    loaded: HashMap<String, u128>,
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

/// Loads, links and checks the site. `hashes` are the input fingerprint's hashes of the
/// files (a build's): a file whose hash the document cache has is not read again.
fn prepare(
    opts: &BuildOptions,
    purpose: config::Purpose,
    progress: &progress::Progress,
    hashes: Option<&cache::Hashes>,
) -> Result<Prepared, Failure> {
    failure::check_root(&opts.root)?;
    let mut diags = Diagnostics::new();
    let overrides = config::Overrides {
        base_url: opts.base_url.clone(),
        purpose,
    };
    let Some(config) = config::load(&opts.root, &overrides, &mut diags) else {
        return Err(fail_on_errors(diags, opts.strict)
            .err()
            .unwrap_or_else(|| Failure::Content(Diagnostics::new())));
    };
    if diags.has_errors() {
        // Entries are checked against site.yaml's themes, statuses and instruments: with
        // site.yaml broken, every entry would be reported too, for nothing.
        return Err(fail_on_errors(diags, opts.strict)
            .err()
            .unwrap_or_else(|| Failure::Content(Diagnostics::new())));
    }
    let files = timed("content walk", || {
        content::walk::walk(&opts.root, &mut diags)
    });
    progress.stage("loading files");
    let load = content::Options {
        hashes,
        ..content::Options::for_purpose(&opts.root, purpose)
    };
    let mut loaded = content::load_with(&files, &config, &load, &mut diags, progress);
    let hashes = std::mem::take(&mut loaded.hashes);
    progress.stage("linking entries");
    let chronicle = timed("link", || {
        timeline::link(loaded, &config, opts.drafts, &mut diags)
    });
    timed("output names", || {
        output::check_names(&chronicle, &config, &opts.root, &mut diags)
    });
    let templates = timed("templates", || {
        render::load_templates(&opts.root, &mut diags)
    });
    let diags = timed("diagnostics", || fail_on_errors(diags, opts.strict))?;
    let templates = templates.ok_or_else(|| Failure::Content(diags.clone()))?;
    Ok(Prepared {
        config,
        chronicle,
        templates,
        diags,
        cards: Vec::new(),
        targets: None,
        loaded: hashes,
    })
}

fn render_into(
    p: &mut Prepared,
    root: &Path,
    sink: &dyn output::Sink,
    progress: &progress::Progress,
    keys: Option<render::KeyCache>,
) -> Result<(render::Stats, Option<cache::Pages>), Failure> {
    progress.stage("rendering and writing files");
    let sink = progress::CountingSink {
        inner: sink,
        progress,
    };
    p.cards = render::cards(&p.chronicle, &p.config);
    render::render_site(
        &p.chronicle,
        &p.config,
        &p.templates,
        &p.cards,
        root,
        &sink,
        keys,
    )
    .map_err(|e| {
        let mut diags = p.diags.clone();
        match render::into_diagnostics(e, &mut diags) {
            Some(io) => Failure::from(io),
            None => {
                diags.finish();
                Failure::Content(diags)
            }
        }
    })
}

/// Builds the site into its output directory (see ARCHITECTURE.md, "Output").
pub fn build(opts: &BuildOptions) -> Result<Report, Failure> {
    let start = Instant::now();
    let out = opts.output_dir();
    output::check_output_dir(&opts.root, &out)?;
    let known = timed("input table: read", || cache::Known::load(&opts.root));
    // With nothing to compare with (`--clean`, no record of a last build or no marked
    // output), the content files the loader reads are hashed as it reads them, not read
    // twice (see cache::Pending::read).
    let defer = opts.clean || !cache::may_skip(&opts.root, &out);
    // Every input's identity is taken before anything reads it, so that a file changed
    // while the build runs makes the next build's fingerprint differ (see cache.rs).
    let pending = timed("fingerprint", || {
        cache::Pending::read(opts, &out, &known, defer)
    });
    test_write_after_fingerprint(&opts.root);
    // The table is written beside the build (0.1 s at 100,000 files), and waited for
    // before `build` returns, whatever it returns.
    let mut saving = Joined(None);
    let save_table = |saving: &mut Joined, next: cache::Known, known: &cache::Known| {
        if next != *known {
            let root = opts.root.clone();
            saving.0 = Some(std::thread::spawn(move || {
                timed("input table: write", || next.save(&root))
            }));
        }
    };
    let hashes = pending.as_ref().map(cache::Pending::hashes);
    // A fingerprint with nothing deferred is complete now, and compared with the last
    // build's; a deferred one is finished after loading, with the table.
    let (mut inputs, pending) = match pending {
        Some(p) if !defer => {
            let (inputs, next) = p.finish(&HashMap::new());
            save_table(&mut saving, next, &known);
            (inputs, None)
        }
        p => (None, p),
    };
    // Else not needed any more (20 MB at 100,000 files).
    let known = pending.is_some().then_some(known);
    if !defer && let Some((record, files)) = cache::up_to_date(&opts.root, &out, inputs) {
        return Ok(Report {
            entries: record.entries,
            pages: record.pages,
            static_files: record.static_files,
            elapsed: start.elapsed(),
            diagnostics: {
                // The recorded build's warnings, as it printed them.
                let mut d = Diagnostics::new();
                d.extend(record.warnings);
                d
            },
            files: Some(output::Changes {
                written: 0,
                removed: 0,
                unchanged: files,
                up_to_date: true,
            }),
        });
    }
    let progress = progress::Progress::new(opts.progress);
    // Opening the output reads its marker and walks it whole (every folder: 10,000 at
    // 10,000 entries), which needs nothing of the sources: it runs beside loading and
    // linking. It writes nothing but its staging folder beside the output, which a failed
    // build's writer removes when it is dropped (joined first, so never left behind).
    // Only into a folder that exists, for a site that exists: a build that fails creates
    // no folder.
    failure::check_root(&opts.root)?;
    let parent_exists = output::normalize(&out).parent().is_some_and(Path::is_dir);
    let opening = parent_exists.then(|| {
        let (out, clean) = (out.clone(), opts.clean);
        std::thread::spawn(move || {
            timed("opening the output", || output::Writer::open(&out, clean))
        })
    });
    let mut prepared = prepare(opts, config::Purpose::Build, &progress, hashes.as_ref());
    let loaded = match &mut prepared {
        Ok(p) => std::mem::take(&mut p.loaded),
        Err(_) => HashMap::new(),
    };
    // A file the loader read with other bytes than the fingerprint took changed during the
    // build: the output is not that fingerprint's, and is not recorded as such.
    let agrees = hashes.as_ref().is_none_or(|h| h.agree(&loaded));
    // The hashes (10 MB at 100,000 files) are not kept while rendering.
    drop(hashes);
    if let (Some(pending), Some(known)) = (pending, known) {
        timed("fingerprint: deferred files", || {
            // A failed build saves the table too, without the deferred files.
            let (finished, next) = pending.finish(&loaded);
            save_table(&mut saving, next, &known);
            inputs = finished;
        });
    }
    drop(loaded);
    let inputs = inputs.filter(|_| agrees);
    let writer = opening.map(|o| {
        o.join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let mut p = prepared?;
    let writer = match writer {
        Some(w) => w?,
        None => output::Writer::open(&out, opts.clean)?,
    };
    release_sources(&mut p);
    // The last build's render keys (see cache::Pages): a page whose key is unchanged and
    // whose file is intact is kept without rendering. A clean build renders every page,
    // and records the keys for the next one.
    let previous = if opts.clean {
        cache::Pages::default()
    } else {
        timed("page keys", || cache::Pages::load(&opts.root))
    };
    let binary = cache::binary_identity();
    let keys = binary.as_deref().map(|binary| render::KeyCache {
        binary,
        previous: &previous,
    });
    let (stats, next_keys) = render_into(&mut p, &opts.root, &writer, &progress, keys)?;
    progress.stage(if writer.is_full() {
        "replacing the previous site"
    } else {
        "updating the changed files"
    });
    let files = writer.commit()?;
    if let Some(keys) = next_keys {
        timed("saving page keys", || keys.save(&opts.root));
    }
    std::thread::spawn(move || drop(previous));
    progress.finish();
    let report = Report {
        files: Some(files),
        ..Report::new(&p, stats, start)
    };
    // A successful build is recorded with its warnings, which the shortcut prints again.
    match (inputs, output::marker_hash(&out)) {
        (Some(inputs), Some(marker)) if !p.diags.has_errors() => cache::Record {
            inputs,
            output: marker,
            entries: report.entries,
            pages: report.pages,
            static_files: report.static_files,
            warnings: p.diags.iter().cloned().collect(),
        }
        .save(&opts.root),
        _ => cache::Record::forget(&opts.root),
    }
    // Freeing the chronicle, its pages' texts and the templates takes 0.1 s at 10,000
    // entries and grows with them; nothing waits for it (the command exits after a build,
    // which ends this thread with the process), so it happens beside the summary.
    std::thread::spawn(move || drop(p));
    Ok(report)
}

/// In debug builds only, `ANNALS_TEST_WRITE_AFTER_FINGERPRINT=<path>=<text>` writes `text`
/// to `<root>/<path>` right after the input fingerprint is taken, as an editor's save while
/// a build runs would, so that tests can change a file at that moment.
fn test_write_after_fingerprint(root: &Path) {
    if cfg!(debug_assertions)
        && let Ok(v) = std::env::var("ANNALS_TEST_WRITE_AFTER_FINGERPRINT")
        && let Some((path, text)) = v.split_once('=')
    {
        let _ = std::fs::write(root.join(path), text);
    }
}

/// A thread joined when this is dropped.
struct Joined(Option<std::thread::JoinHandle<()>>);

impl Drop for Joined {
    fn drop(&mut self) {
        if let Some(thread) = self.0.take() {
            // A panic there only cost a cache file: the build's own result stands.
            let _ = thread.join();
        }
    }
}

/// After `prepare`, no diagnostic is placed in a source file any more: rendering's only
/// errors are in templates and static files. (`serve` keeps them for its fast path.)
fn release_sources(p: &mut Prepared) {
    let docs = p.chronicle.entries.iter_mut().map(|e| &mut e.doc);
    for doc in docs.chain(p.chronicle.pages.iter_mut().map(|p| &mut p.doc)) {
        doc.release_source();
    }
}

/// Validates everything `build` does, rendering every page to nowhere.
pub fn check(opts: &BuildOptions) -> Result<Report, Failure> {
    let start = Instant::now();
    let progress = progress::Progress::new(opts.progress);
    let mut p = prepare(opts, config::Purpose::Check, &progress, None)?;
    release_sources(&mut p);
    let sink = output::Discard;
    let (stats, _) = render_into(&mut p, &opts.root, &sink, &progress, None)?;
    progress.finish();
    let report = Report::new(&p, stats, start);
    // As in `build`: freed beside the summary, not before it.
    std::thread::spawn(move || drop(p));
    Ok(report)
}

/// A build that keeps its last good state, so that `annals serve` can show an edited entry
/// at once — re-loading that one file and re-rendering its page — before rebuilding the
/// rest of the site.
pub struct Session {
    pub opts: BuildOptions,
    last: Option<Prepared>,
}

impl Session {
    pub fn new(opts: BuildOptions) -> Session {
        Session { opts, last: None }
    }

    /// A full build into any sink (the memory of `annals serve`), with the same steps and
    /// checks as [`build`] but no output directory; a good one is kept for the fast path.
    pub fn build_to(&mut self, sink: &dyn output::Sink) -> Result<Report, Failure> {
        let start = Instant::now();
        let progress = progress::Progress::hidden();
        self.last = None;
        let mut p = prepare(&self.opts, config::Purpose::Preview, &progress, None)?;
        let (stats, _) = render_into(&mut p, &self.opts.root, sink, &progress, None)?;
        let report = Report::new(&p, stats, start);
        // Ready for the fast path of the next save.
        p.targets = Some(timeline::LinkTargets::of(&p.chronicle, &p.config));
        self.last = Some(p);
        Ok(report)
    }

    /// The fast path for one saved entry file: when the edit leaves the chronicle's shape
    /// as it was (same slug, dates, themes, related entries, headings and outgoing links)
    /// and has no error, the entry's page is re-rendered alone and returned as (site path,
    /// HTML). Anything else gives `None`, and the caller rebuilds everything as usual.
    pub fn quick_entry(&mut self, abs: &Path) -> Option<(String, String)> {
        let p = self.last.as_mut()?;
        let content_dir = self.opts.root.join("content");
        let rel = content::walk::slash_path(abs.strip_prefix(&content_dir).ok()?);
        if !rel.starts_with("entries/") || !rel.ends_with(".md") {
            return None;
        }
        let i = p
            .chronicle
            .entries
            .iter()
            .position(|e| e.doc.content_path == rel)?;
        let file = content::SourceFile {
            kind: content::Kind::Entry,
            abs: abs.to_path_buf(),
            display: format!("content/{rel}"),
            content_path: rel,
        };
        let (mut entry, diags) = content::load_entry(&file, &p.config).ok()?;
        if diags
            .iter()
            .any(|d| d.severity == diagnostic::Severity::Error)
        {
            return None;
        }
        let old = &p.chronicle.entries[i];
        let same_shape = entry.doc.slug == old.doc.slug
            && entry.date == old.date
            && entry.end == old.end
            && entry.themes == old.themes
            && entry.related == old.related
            && entry.doc.heading_ids == old.doc.heading_ids
            && entry.doc.draft == old.doc.draft;
        if !same_shape {
            return None;
        }
        let targets = p
            .targets
            .get_or_insert_with(|| timeline::LinkTargets::of(&p.chronicle, &p.config));
        let (link_diags, mut linked) = targets.resolve(&mut entry.doc);
        if !link_diags.is_empty() {
            return None;
        }
        linked.retain(|&j| j != i);
        linked.sort_unstable();
        linked.dedup();
        let before: Vec<usize> = (0..p.chronicle.entries.len())
            .filter(|&j| p.chronicle.backlinks[j].contains(&i))
            .collect();
        if linked != before {
            return None;
        }
        p.cards[i] = render::views::card(&p.config, &entry);
        p.chronicle.entries[i] = entry;
        render::render_entry_page(&p.chronicle, &p.config, &p.templates, &p.cards, i).ok()
    }
}
