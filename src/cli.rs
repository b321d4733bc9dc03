//! The command line: clap definitions and the dispatch from a command to the library.
//! Each command prints what the user needs (diagnostics to stderr, one summary line) and
//! returns its exit code (see ARCHITECTURE.md, "Exit codes"): 0 success, 1 content errors,
//! 2 usage or I/O. A [`Fatal`] error is turned into text here, where it is printed.

use crate::diagnostic::Diagnostics;
use crate::progress::{Stream, use_color, write};
use crate::{BuildOptions, Failure, Fatal, Report};
use clap::{Args, Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "annals",
    version,
    about = "Build a dated, linked HTML timeline from Markdown reform entries"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output directory (default: <root>/public).
    Build(BuildArgs),
    /// Check the site (content, links, templates) without writing anything.
    Check(CheckArgs),
    /// Create a new entry with complete front matter in content/entries/.
    New(NewArgs),
    /// Create a new, empty chronicle in DIR.
    Init(InitArgs),
    /// Print a JSON Schema of entry front matter (with the site's ids when run in a site).
    Schema(SchemaArgs),
    /// Serve a live preview from memory, rebuilding and reloading pages on every save.
    Serve(ServeArgs),
    /// Show, per language, which translations are current, out of date or missing.
    Translations(TranslationsArgs),
}

#[derive(Args, Debug)]
pub struct TranslationsArgs {
    /// The site's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Record that these translations match their originals as they are now (writes the
    /// `translates:` line of each); paths as shown, relative to the root.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub stamp: Vec<PathBuf>,
    /// Also list the originals each language has no translation of.
    #[arg(long)]
    pub missing: bool,
}

#[derive(Args, Debug)]
pub struct NewArgs {
    /// The entry's title; its file name is made from it.
    pub title: String,
    /// The date: YYYY, YYYY-MM or YYYY-MM-DD (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Comma-separated theme ids (default: the first theme of site.yaml).
    #[arg(long, value_delimiter = ',')]
    pub themes: Vec<String>,
    /// A status id (default: the first of site.yaml).
    #[arg(long)]
    pub status: Option<String>,
    /// An instrument id (default: the first of site.yaml).
    #[arg(long)]
    pub instrument: Option<String>,
    /// The site's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The folder to create the chronicle in (new or empty).
    pub dir: PathBuf,
}

#[derive(Args, Debug)]
pub struct SchemaArgs {
    /// The site's folder; without a site.yaml there, the schema has no theme list.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; the default, loopback, keeps the preview on this machine.
    #[arg(long, default_value = "127.0.0.1", value_parser = crate::serve::parse_bind)]
    pub bind: std::net::IpAddr,
    /// Also answer requests for this host name (repeatable); others get 403.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = crate::serve::parse_allow_host)]
    pub allow_hosts: Vec<String>,
    /// The port; if it is taken, the next free one is used. 0 lets the system choose.
    #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
    pub port: u16,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Args, Debug, Clone)]
pub struct SiteArgs {
    /// The site's folder (the one with site.yaml).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include entries and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: <root>/public).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override site.yaml's base_url (e.g. https://org.github.io/chronicle/).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but problems: no progress line, no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Rewrite every file of the output instead of only those whose bytes changed.
    #[arg(long)]
    pub clean: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// GitHub Actions workflow commands on stdout (each problem shown on the pull
    /// request's diff), the human form on stderr.
    Github,
    /// Problems only (`build --quiet`).
    #[value(skip)]
    Quiet,
}

/// The site root as GitHub names files: relative to the repository, `/`-separated, empty
/// when it is the repository itself (`--root .`).
fn github_prefix(root: &std::path::Path) -> String {
    // An absolute root inside the working directory (the checkout) is named from there.
    let cwd = std::env::current_dir().ok();
    let root = cwd
        .as_deref()
        .and_then(|cwd| root.strip_prefix(cwd).ok())
        .unwrap_or(root);
    let text = root.to_string_lossy().replace('\\', "/");
    let text = text.trim_start_matches("./").trim_end_matches('/');
    if text == "." || text.is_empty() {
        String::new()
    } else {
        text.to_string()
    }
}

fn print_diagnostics(diags: &Diagnostics, format: Format, root: &std::path::Path) {
    if diags.is_empty() {
        return;
    }
    match format {
        Format::Human | Format::Quiet => write(Stream::Err, &diags.render_human(use_color())),
        Format::Json => write(Stream::Out, &diags.render_json()),
        Format::Github => {
            write(Stream::Out, &diags.render_github(&github_prefix(root)));
            write(Stream::Err, &diags.render_human(false));
        }
    }
}

/// A fatal or usage error (paths in it shown printable, like in diagnostics).
pub(crate) fn print_error(msg: &str) {
    crate::tell!("error: {}", crate::diagnostic::printable(msg, false));
}

/// A [`Fatal`] error, as `error: …` on stderr (also `serve`'s, for a rebuild that fails so).
pub(crate) fn print_fatal(fatal: &Fatal) {
    print_error(&fatal.to_string());
}

fn finish(
    result: Result<Report, Failure>,
    format: Format,
    root: &std::path::Path,
    done: impl Fn(&Report) -> String,
) -> u8 {
    let summary = matches!(format, Format::Human | Format::Github);
    match result {
        Ok(report) => {
            print_diagnostics(&report.diagnostics, format, root);
            if summary {
                crate::say!("{}", crate::diagnostic::printable(&done(&report), false));
            }
            0
        }
        Err(failure) => {
            match &failure {
                Failure::Content(diags) => {
                    print_diagnostics(diags, format, root);
                    if summary {
                        crate::tell!("{}; nothing was written", diags.summary());
                    }
                }
                Failure::Fatal(fatal) => print_fatal(fatal),
            }
            failure.exit_code()
        }
    }
}

/// Runs a parsed command line and returns the exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                root: args.site.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.site.drafts,
                strict: args.strict,
                progress: !args.quiet && std::io::stderr().is_terminal(),
                clean: args.clean,
            };
            let out = opts.output_dir();
            let root = opts.root.clone();
            let format = if args.quiet {
                Format::Quiet
            } else {
                Format::Human
            };
            finish(crate::build(&opts), format, &root, |r| {
                format!(
                    "Built {} into {}{} in {} ms{}{}",
                    r.counts(),
                    out.display(),
                    r.files.map(files_suffix).unwrap_or_default(),
                    r.elapsed.as_millis(),
                    r.diagnostics.warnings_suffix(),
                    placeholders_note(&r.diagnostics)
                )
            })
        }
        Command::New(args) => new_entry(args),
        Command::Init(args) => match crate::scaffold::init(&args.dir) {
            Ok(files) => {
                let dir = args.dir.display().to_string();
                let dir = crate::diagnostic::printable(&dir, false);
                crate::say!("Created a new chronicle in {dir}:");
                for f in files {
                    crate::say!("  {}", f.strip_prefix(&args.dir).unwrap_or(&f).display());
                }
                crate::say!("Build it with `annals build --root {dir}`.");
                0
            }
            Err(msg) => {
                print_error(&msg);
                2
            }
        },
        Command::Schema(args) => {
            let config = if args.root.join(crate::config::FILE).is_file() {
                match load_config(&args.root) {
                    Ok(c) => Some(c),
                    Err(code) => return code,
                }
            } else {
                None
            };
            write(Stream::Out, &crate::schema::to_string(config.as_ref()));
            // The schema is the product: unlike a summary line, losing it is a failure.
            if crate::progress::failure(Stream::Out).is_some() {
                2
            } else {
                0
            }
        }
        Command::Serve(args) => crate::serve::run(crate::serve::Options {
            root: args.site.root,
            bind: args.bind,
            allow_hosts: args.allow_hosts,
            port: args.port,
            drafts: args.site.drafts,
            open: args.open,
        }),
        Command::Translations(args) => translations(args),
        Command::Check(args) => {
            let opts = BuildOptions {
                root: args.site.root,
                drafts: args.site.drafts,
                strict: args.strict,
                progress: args.format == Format::Human && std::io::stderr().is_terminal(),
                ..BuildOptions::default()
            };
            let root = opts.root.clone();
            finish(crate::check(&opts), args.format, &root, |r| {
                format!(
                    "Checked {}: no errors{}",
                    r.counts(),
                    r.diagnostics.warnings_suffix()
                )
            })
        }
    }
}

/// `annals translations`: the table, or `--stamp` for the files given.
fn translations(args: TranslationsArgs) -> u8 {
    use crate::content::translation;
    let config = match load_config(&args.root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    if codes.len() < 2 {
        print_error(
            "site.yaml lists one language, so there is nothing to translate; list the others \
             under `languages:` (the default first)",
        );
        return 1;
    }
    if !args.stamp.is_empty() {
        let mut failed = false;
        for file in &args.stamp {
            let rel = file.to_string_lossy().replace('\\', "/");
            match translation::stamp_file(&args.root, &rel, &codes) {
                Ok(original) => crate::say!(
                    "Stamped {} as translating {original} as it is now",
                    crate::diagnostic::printable(&rel, false)
                ),
                Err(msg) => {
                    print_error(&msg);
                    failed = true;
                }
            }
        }
        return u8::from(failed);
    }
    // The loader pairs and checks translations exactly as `check` does.
    let mut diags = Diagnostics::new();
    let files = crate::content::walk::walk(&args.root, &mut diags);
    let loaded = crate::content::load(
        &files,
        &config,
        &mut diags,
        &crate::progress::Progress::hidden(),
    );
    let originals = loaded
        .entries
        .iter()
        .map(|e| e.doc.file.clone())
        .chain(loaded.pages.iter().map(|p| p.doc.file.clone()))
        .chain(loaded.failed.iter().map(|f| f.display.clone()))
        .collect();
    let survey =
        translation::Survey::new(originals, &loaded.translations, &codes).with_labels(&config);
    // The translations' own problems; the table lists the unstamped and outdated ones, and
    // the originals' problems are `check`'s to show.
    let mut problems = Diagnostics::new();
    problems.extend(
        diags
            .iter()
            .filter(|d| {
                d.path
                    .as_deref()
                    .is_some_and(|p| translation::language_of(p, &codes).is_some())
                    && !translation::STANDING_CODES.contains(&d.code)
            })
            .cloned(),
    );
    problems.finish();
    print_diagnostics(&problems, Format::Human, &args.root);
    write(Stream::Out, &survey.table());
    if args.missing {
        for l in &survey.languages {
            for m in &l.missing {
                crate::say!("{}: no {} translation", m, l.code);
            }
        }
    }
    u8::from(problems.has_errors())
}

/// What `build`'s summary says of `TODO` placeholders left in the content (each is also a
/// `placeholder` warning, which `--strict` makes an error), so that none is published
/// unnoticed.
fn placeholders_note(diags: &Diagnostics) -> String {
    let marker = crate::scaffold::PLACEHOLDER;
    let files: std::collections::BTreeSet<&str> = diags
        .iter()
        .filter(|d| d.code == "placeholder")
        .filter_map(|d| d.path.as_deref())
        .collect();
    match files.len() {
        0 => String::new(),
        n => format!(
            "; {} still {} {marker} placeholders: fill them in before publishing (`--strict` refuses them)",
            crate::diagnostic::plural(n, "file", "files"),
            if n == 1 { "has" } else { "have" }
        ),
    }
}

/// " (3 files written, 0 removed, 211 unchanged)", for `build`'s summary line.
fn files_suffix(c: crate::output::Changes) -> String {
    format!(
        " ({} written, {} removed, {} unchanged{})",
        crate::diagnostic::plural(c.written, "file", "files"),
        c.removed,
        c.unchanged,
        if c.up_to_date {
            "; nothing changed since the last build"
        } else {
            ""
        }
    )
}

/// Loads site.yaml for commands that need it; prints its problems.
fn load_config(root: &std::path::Path) -> Result<crate::config::Config, u8> {
    let mut diags = Diagnostics::new();
    let config = crate::config::load(root, &Default::default(), &mut diags);
    diags.finish();
    match config {
        Some(c) if !diags.has_errors() => Ok(c),
        _ => {
            print_diagnostics(&diags, Format::Human, root);
            Err(1)
        }
    }
}

fn new_entry(args: NewArgs) -> u8 {
    let config = match load_config(&args.root) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let req = crate::scaffold::NewEntry {
        title: args.title,
        date: args.date,
        themes: args.themes,
        status: args.status,
        instrument: args.instrument,
    };
    match crate::scaffold::new_entry(&args.root, &config, &req) {
        Ok(path) => {
            let shown = path.strip_prefix(&args.root).unwrap_or(&path);
            crate::say!("Created {}", shown.display());
            crate::say!("Fill in the TODO placeholders, then run `annals check --strict`.");
            0
        }
        Err(msg) => {
            print_error(&msg);
            2
        }
    }
}
