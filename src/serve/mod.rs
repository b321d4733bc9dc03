//! `annals serve`, the live preview for editors: build the site into memory ([`memory`]),
//! serve it over HTTP ([`http`]), watch the sources ([`watch`]) and rebuild after each save.
//! Open pages reload by themselves; a build that fails keeps the last good site online, prints
//! its problems as `annals build` does and shows them over the page until a save fixes them.
//! Nothing is written to disk, so a preview never touches a published `public/`.
//!
//! Threads: the HTTP server runs on a one-thread tokio runtime; builds run on their own
//! thread (and rayon's); the watcher has its own. A build publishes a [`Snapshot`] through a
//! `watch` channel, which both the request handlers and the event streams read.

pub mod http;
pub mod memory;
pub mod watch;

use crate::content::walk::slash_path;
use crate::diagnostic::{Diagnostics, JsonDiagnostic, plural, printable};
use crate::progress::{Stream, use_color, write};
use crate::{BuildOptions, Failure, Fatal};
use memory::{Files, MemorySink};
use serde::Serialize;
use std::future::IntoFuture;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::watch as channel;

/// The port `annals serve` tries first.
pub const DEFAULT_PORT: u16 = 1111;
/// How many ports after a taken one are tried.
const PORT_TRIES: u16 = 100;
/// After the fast path served an edited entry, how long the full rebuild waits, so that the
/// reload of the page is not queued behind it (`scripts/serve_bench.sh`).
const QUICK_GRACE: Duration = Duration::from_millis(40);
/// How long open connections get to finish once the server is told to stop.
const DRAIN: Duration = Duration::from_secs(2);

/// What to serve, from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// More names the preview answers to (`--allow-host`), besides localhost and its
    /// addresses ([`http::Hosts`]).
    pub allow_hosts: Vec<String>,
    /// 0 lets the system choose.
    pub port: u16,
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// The state as the browser gets it; `problems` in the shape of `check --format json`.
#[derive(Serialize)]
struct StateJson<'a> {
    site: &'a str,
    ok: bool,
    problems: Vec<JsonDiagnostic<'a>>,
    /// "2 problems found and 1 warning" when the last build failed.
    summary: Option<String>,
    /// The site this one replaces, and which of its paths changed: a page open on
    /// `previous` whose own path is not in `changed` need not reload.
    previous: Option<&'a str>,
    changed: Option<&'a [String]>,
}

/// What the server shows: the last site that built, and the problems of the last build if
/// it failed.
pub struct Snapshot {
    /// `None` until a build succeeds.
    pub files: Option<Arc<Files>>,
    /// Names `files`: it changes whenever they do, and differs between runs of the server. A
    /// page carries the id it was served with and reloads when the server's differs.
    pub site_id: String,
    /// The state as the browser gets it (`/__annals/errors` and the event stream).
    pub json: String,
    pub ok: bool,
}

impl Snapshot {
    fn new(files: Option<Arc<Files>>, site_id: String, problems: &Diagnostics) -> Snapshot {
        Snapshot::changed(files, site_id, problems, None)
    }

    /// A snapshot that says which paths changed since `previous` (a site id).
    fn changed(
        files: Option<Arc<Files>>,
        site_id: String,
        problems: &Diagnostics,
        changes: Option<(&str, &[String])>,
    ) -> Snapshot {
        // Warnings do not stop a build: `ok` with its warnings listed in `problems`.
        let ok = !problems.has_errors() && files.is_some();
        let summary = if problems.has_errors() {
            Some(problems.counts())
        } else {
            (!problems.is_empty()).then(|| plural(problems.warnings(), "warning", "warnings"))
        };
        let json = serde_json::to_string(&StateJson {
            site: &site_id,
            ok,
            problems: problems.to_json(),
            summary,
            previous: changes.map(|c| c.0),
            changed: changes.map(|c| c.1),
        })
        .expect("plain data serialises");
        Snapshot {
            files,
            site_id,
            json,
            ok,
        }
    }
}

/// What the request handlers share with the build thread.
pub struct Shared {
    state: channel::Sender<Arc<Snapshot>>,
    /// Becomes true when the server stops; event streams end then.
    stop: channel::Receiver<bool>,
    /// The names requests may be addressed to.
    hosts: http::Hosts,
}

impl Shared {
    pub fn current(&self) -> Arc<Snapshot> {
        self.state.borrow().clone()
    }

    pub fn subscribe(&self) -> channel::Receiver<Arc<Snapshot>> {
        self.state.subscribe()
    }

    fn publish(&self, s: Arc<Snapshot>) {
        self.state.send_replace(s);
    }
}

/// Builds the site into memory, again and again, and says what happened.
struct Builder {
    /// Builds, keeping the last good state for the fast path of an edited entry.
    session: crate::Session,
    /// Differs between runs of the server, so that pages from an earlier run reload.
    run: String,
    generation: u64,
    current: Arc<Snapshot>,
    /// The warnings last printed: a save that leaves them as they were only counts them.
    warnings_shown: String,
}

/// How a build went, for the first one.
enum Outcome {
    Built,
    Failed,
    Fatal,
}

impl Builder {
    fn new(opts: BuildOptions) -> Builder {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let run = format!("{:x}", nanos ^ u128::from(std::process::id()));
        let site_id = format!("{run}-0");
        Builder {
            session: crate::Session::new(opts),
            current: Arc::new(Snapshot::new(None, site_id, &Diagnostics::new())),
            run,
            generation: 0,
            warnings_shown: String::new(),
        }
    }

    /// The fast path for one saved entry: when only that entry's page needs to change
    /// first, it is re-rendered alone and served at once (the full rebuild follows and
    /// brings the lists, feeds and index up to date). Says whether it did.
    fn quick(&mut self, path: &Path) -> bool {
        let start = Instant::now();
        let Some(previous) = self.current.files.clone().filter(|_| self.current.ok) else {
            return false;
        };
        let Some((rel, html)) = self.session.quick_entry(path) else {
            return false;
        };
        let mut files: Files = (*previous).clone();
        files.insert(rel.clone(), bytes::Bytes::from(html));
        self.generation += 1;
        let id = format!("{}-{}", self.run, self.generation);
        let before = self.current.site_id.clone();
        self.current = Arc::new(Snapshot::changed(
            Some(Arc::new(files)),
            id,
            &Diagnostics::new(),
            Some((&before, std::slice::from_ref(&rel))),
        ));
        crate::say!(
            "Updated /{} in {} ms; rebuilding the rest",
            rel.trim_end_matches("index.html"),
            start.elapsed().as_millis()
        );
        true
    }

    /// Builds once and makes the result [`Builder::current`]; says whether the browser has
    /// anything new to hear (a new site, new problems, or problems gone).
    fn build(&mut self) -> (Outcome, bool) {
        let previous = self.current.files.clone();
        let sink = MemorySink::new(previous.clone());
        let result = self.session.build_to(&sink);
        match result {
            Ok(report) => {
                let built = sink.finish();
                let warnings = report.diagnostics.render_human(use_color());
                let warnings_changed = warnings != self.warnings_shown;
                if warnings_changed {
                    write(Stream::Err, &warnings);
                    self.warnings_shown = warnings;
                }
                let changed = if previous.is_some() {
                    format!(": {} changed", plural(built.changed, "file", "files"))
                } else {
                    String::new()
                };
                crate::say!(
                    "Built {} in {} ms{changed}{}",
                    report.counts(),
                    report.elapsed.as_millis(),
                    report.diagnostics.warnings_suffix()
                );
                if built.changed == 0 && self.current.ok && !warnings_changed {
                    return (Outcome::Built, false);
                }
                let was_ok = self.current.ok;
                let before = self.current.site_id.clone();
                let files = if built.changed == 0 {
                    previous
                } else {
                    self.generation += 1;
                    Some(Arc::new(built.files))
                };
                let id = format!("{}-{}", self.run, self.generation);
                // Pages that did not change need not reload (after a good build only).
                let changes = (was_ok && files.is_some())
                    .then_some((before.as_str(), built.paths.as_slice()));
                self.current = Arc::new(Snapshot::changed(files, id, &report.diagnostics, changes));
                (Outcome::Built, true)
            }
            Err(Failure::Content(diags)) => {
                write(Stream::Err, &diags.render_human(use_color()));
                // Once fixed, the warnings are worth seeing again.
                self.warnings_shown.clear();
                let serving = if previous.is_some() {
                    "still serving the last good build"
                } else {
                    "serving an error page until they are fixed"
                };
                crate::tell!("{}; {serving}", diags.summary());
                let id = self.current.site_id.clone();
                self.current = Arc::new(Snapshot::new(previous, id, &diags));
                (Outcome::Failed, true)
            }
            Err(Failure::Fatal(fatal)) => {
                crate::cli::print_fatal(&fatal);
                let mut problem = Diagnostics::new();
                problem.push(fatal.diagnostic());
                let id = self.current.site_id.clone();
                self.current = Arc::new(Snapshot::new(previous, id, &problem));
                (Outcome::Fatal, true)
            }
        }
    }
}

/// Reads `--bind`: an IP address, or `localhost`.
pub fn parse_bind(s: &str) -> Result<IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    s.parse()
        .map_err(|_| format!("`{s}` is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0)"))
}

/// Reads `--allow-host`: a host name as a browser sends it (letters, digits, `-`, `_` and
/// dots), without a port.
pub fn parse_allow_host(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{s}` is not a host name (e.g. preview.example or my-laptop.local, without a port)"
        ))
    }
}

/// Binds `ip:port`, or the next free port when it is taken (unless the port is 0).
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES - 1)
    };
    let mut p = port;
    loop {
        match TcpListener::bind((ip, p)) {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && p < last => p += 1,
            Err(e) => {
                return Err(format!("cannot listen on {}: {e}", SocketAddr::new(ip, p)));
            }
        }
    }
}

/// The base URL the pages are built with: the serving address, or `/` when listening on
/// every interface (the host a reader uses is not known then).
pub fn base_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        "/".to_string()
    } else {
        format!("http://{addr}/")
    }
}

/// Where to browse the site from this machine.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        crate::tell!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

/// The files a batch of changes names, relative to the root, for the terminal.
fn describe(root: &Path, paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| slash_path(p.strip_prefix(root).unwrap_or(p)))
        .collect();
    match names.as_slice() {
        [one] => format!("{one} changed"),
        [first, rest @ ..] => format!(
            "{first} and {} changed",
            plural(rest.len(), "other", "others")
        ),
        [] => "changed".to_string(),
    }
}

/// Rebuilds after each batch of changes until the watcher goes away.
fn rebuild_loop(
    rx: mpsc::Receiver<watch::Batch>,
    mut watcher: watch::Watcher,
    mut builder: Builder,
    shared: Arc<Shared>,
    root: PathBuf,
) {
    while let Ok(first) = rx.recv() {
        let mut changed = Vec::new();
        let mut absorb = |b: watch::Batch| match b {
            watch::Batch::Changed(paths) => changed.extend(paths),
            watch::Batch::Error(e) => crate::tell!("warning: watching the sources: {e}"),
        };
        absorb(first);
        // Changes that arrived during the last build, or that belong to the same save, go
        // into this build.
        let settle = Instant::now() + watch::SETTLE;
        loop {
            let wait = settle.saturating_duration_since(Instant::now());
            match rx.recv_timeout(wait) {
                Ok(b) => absorb(b),
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        if let Some(e) = watcher.refresh(&changed) {
            crate::tell!("warning: {}", printable(&e, false));
        }
        let what = describe(&root, &changed);
        crate::say!("{}; rebuilding", printable(&what, false));
        if let [one] = changed.as_slice()
            && builder.quick(one)
        {
            shared.publish(builder.current.clone());
            // The full rebuild takes every core: give the browser a moment to fetch the page
            // it was just told about before it starts.
            std::thread::sleep(QUICK_GRACE);
        }
        if let (_, true) = builder.build() {
            shared.publish(builder.current.clone());
        }
    }
}

/// Waits for Ctrl-C (or, on Unix, SIGTERM).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop_tx: channel::Sender<bool>,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let mut stopped = stop_tx.subscribe();
    let app = http::router(shared);
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            stop_signal().await;
            // Ends the event streams, so that open pages do not hold the shutdown up.
            stop_tx.send_replace(true);
        })
        .into_future();
    tokio::select! {
        r = server => r,
        // A connection that does not finish in time is dropped.
        _ = async {
            let _ = stopped.wait_for(|s| *s).await;
            tokio::time::sleep(DRAIN).await;
        } => Ok(()),
    }
}

/// Runs `annals serve`; returns the exit code.
pub fn run(opts: Options) -> u8 {
    let root = crate::failure::check_root(&opts.root).and_then(|()| {
        std::fs::canonicalize(&opts.root).map_err(|source| {
            Fatal::Io(crate::output::IoError {
                path: opts.root.clone(),
                action: "read",
                source,
            })
        })
    });
    let root = match root {
        Ok(r) => r,
        Err(fatal) => {
            crate::cli::print_fatal(&fatal);
            return 2;
        }
    };
    let listener = match bind(opts.bind, opts.port) {
        Ok(l) => l,
        Err(msg) => {
            crate::cli::print_error(&msg);
            return 2;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            crate::tell!("error: cannot listen: {e}");
            return 2;
        }
    };
    if opts.port != 0 && addr.port() != opts.port {
        crate::tell!(
            "note: port {} is taken; serving on port {} instead",
            opts.port,
            addr.port()
        );
    }
    let url = local_url(addr);
    let build_opts = BuildOptions {
        root: root.clone(),
        base_url: Some(base_url(addr)),
        drafts: opts.drafts,
        ..BuildOptions::default()
    };
    let mut builder = Builder::new(build_opts);
    if let (Outcome::Fatal, _) = builder.build() {
        return 2;
    }
    let (state_tx, _) = channel::channel(builder.current.clone());
    let (stop_tx, stop_rx) = channel::channel(false);
    let shared = Arc::new(Shared {
        state: state_tx,
        stop: stop_rx,
        hosts: http::Hosts::new(opts.bind, &opts.allow_hosts),
    });

    let (tx, rx) = mpsc::channel();
    let watcher = match watch::Watcher::start(&root, tx) {
        Ok(w) => w,
        Err(msg) => {
            crate::cli::print_error(&msg);
            return 2;
        }
    };
    let for_builds = shared.clone();
    let shown_root = root.clone();
    let spawned = std::thread::Builder::new()
        .name("annals-rebuild".into())
        .spawn(move || rebuild_loop(rx, watcher, builder, for_builds, shown_root));
    if let Err(e) = spawned {
        crate::tell!("error: cannot start the rebuild thread: {e}");
        return 2;
    }

    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            crate::tell!("error: cannot start the server: {e}");
            return 2;
        }
    };
    let shown = opts.root.display().to_string();
    crate::say!(
        "Serving {} at {url} (Ctrl-C to stop)",
        printable(&shown, false)
    );
    if addr.ip().is_unspecified() {
        crate::say!(
            "Listening on every interface, port {}; pages link with the base URL /",
            addr.port()
        );
    }
    crate::say!(
        "Watching content/, templates/, static/, i18n/ and site.yaml; drafts are {}",
        if opts.drafts { "shown" } else { "hidden" }
    );
    if opts.open {
        open_browser(&url);
    }
    let result = runtime.block_on(serve(listener, shared, stop_tx));
    match result {
        Ok(()) => {
            crate::say!("Stopped.");
            0
        }
        Err(e) => {
            crate::tell!("error: the server stopped: {e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let a: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        assert_eq!(base_url(a), "http://127.0.0.1:1111/");
        let v6: SocketAddr = "[::1]:8080".parse().unwrap();
        assert_eq!(base_url(v6), "http://[::1]:8080/");
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(base_url(any), "/");
        assert_eq!(local_url(any), "http://127.0.0.1:1111/");
    }

    #[test]
    fn takes_the_next_free_port() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        if port > u16::MAX - PORT_TRIES {
            return;
        }
        let l = bind(IpAddr::V4(Ipv4Addr::LOCALHOST), port).unwrap();
        assert!(l.local_addr().unwrap().port() > port);
    }

    #[test]
    fn describes_changes() {
        let root = Path::new("/s");
        assert_eq!(
            describe(root, &[root.join("content/entries/a.md")]),
            "content/entries/a.md changed"
        );
        assert_eq!(
            describe(root, &[root.join("site.yaml"), root.join("static/a.css")]),
            "site.yaml and 1 other changed"
        );
    }
}
