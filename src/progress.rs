//! What annals prints to the terminal. Every line goes through [`write`] (or the `say!` and
//! `tell!` macros): a stream that went away (`annals build | head -0`, a closed terminal) or
//! cannot take more (`> /dev/full`) is never a panic and never stops `serve`; the first
//! failure other than a closed pipe is remembered, so a command can say so on the other
//! stream. And feedback on long builds: on a terminal, a build that runs longer than about a
//! second shows what it is doing (files loaded, pages rendered and written) with
//! `indicatif`, cleared before the one-line summary. Piped or CI output, and `--quiet`, get
//! none.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One of the two output streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// The summary lines, and the product of `schema` and `check --format json`.
    Out,
    /// Diagnostics, warnings and errors.
    Err,
}

/// The first failure to write to each stream that was not a closed pipe (a reader that
/// stopped reading chose to), as `No space left on device (os error 28)`.
static FAILED: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];

/// Writes `text` to `stream` at once (whole, under the stream's lock, flushed). A failure
/// is not an error of the command: it is ignored, and remembered for [`failure`].
pub fn write(stream: Stream, text: &str) {
    let result = match stream {
        Stream::Out => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes()).and_then(|()| out.flush())
        }
        Stream::Err => {
            let mut err = std::io::stderr().lock();
            err.write_all(text.as_bytes()).and_then(|()| err.flush())
        }
    };
    if let Err(e) = result
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let _ = FAILED[stream as usize].set(e.to_string());
    }
}

/// Why writing to `stream` failed, if it did for another reason than a closed pipe.
pub fn failure(stream: Stream) -> Option<&'static str> {
    FAILED[stream as usize].get().map(String::as_str)
}

/// Whether to colour diagnostics: only on a terminal, never with NO_COLOR.
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// `say!("...", args)`: one line on standard output, through [`write`].
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::progress::write($crate::progress::Stream::Out, &format!("{}\n", format_args!($($arg)*)))
    };
}

/// `tell!("...", args)`: one line on standard error, through [`write`].
#[macro_export]
macro_rules! tell {
    ($($arg:tt)*) => {
        $crate::progress::write($crate::progress::Stream::Err, &format!("{}\n", format_args!($($arg)*)))
    };
}

fn timings_on() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("ANNALS_TIMINGS").is_some())
}

/// With `ANNALS_TIMINGS` set, prints `timing: <text>` on stderr (counts that explain a
/// time, e.g. how many pages a rebuild rendered).
pub fn note(text: impl FnOnce() -> String) {
    if timings_on() {
        write(Stream::Err, &format!("timing: {}\n", text()));
    }
}

/// Runs `f`; with `ANNALS_TIMINGS` set, prints how long it took on stderr (the steps of a
/// render, for `scripts/bench.sh` and profiling).
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !timings_on() {
        return f();
    }
    let start = Instant::now();
    let value = f();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    write(
        Stream::Err,
        &format!("timing:   {name:<28} {ms:>9.1} ms{}\n", memory()),
    );
    value
}

/// The process's resident and peak resident memory, for timing lines: `  rss 212 MB, peak
/// 230 MB` (Linux; elsewhere nothing).
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!("  rss {} MB, peak {} MB", field("VmRSS:"), field("VmHWM:"))
}

/// Shown only after this long, so quick builds stay one line.
const DELAY: Duration = Duration::from_secs(1);

/// A progress line that appears only if the build takes a while.
pub struct Progress {
    enabled: bool,
    start: Instant,
    bar: OnceLock<ProgressBar>,
    done: AtomicU64,
    stage: std::sync::Mutex<&'static str>,
    /// With `ANNALS_TIMINGS` set, the stage running and when it began: each stage's time is
    /// printed on stderr when the next begins (for `scripts/bench.sh` and profiling).
    timings: Option<std::sync::Mutex<(&'static str, Instant)>>,
}

impl Progress {
    /// `enabled` only when stderr is a terminal and the user did not ask for quiet.
    pub fn new(enabled: bool) -> Progress {
        Progress {
            enabled,
            start: Instant::now(),
            bar: OnceLock::new(),
            done: AtomicU64::new(0),
            stage: std::sync::Mutex::new(""),
            timings: std::env::var_os("ANNALS_TIMINGS")
                .map(|_| std::sync::Mutex::new(("start", Instant::now()))),
        }
    }

    /// A silent one (tests, `check --format json`, `serve`).
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    /// Starts a stage ("loading entries") and resets its count.
    pub fn stage(&self, name: &'static str) {
        self.time(name);
        if !self.enabled {
            return;
        }
        if let Ok(mut s) = self.stage.lock() {
            *s = name;
        }
        self.done.store(0, Ordering::Relaxed);
        self.tick(0);
    }

    /// Counts `n` more items of the current stage.
    pub fn tick(&self, n: u64) {
        if !self.enabled {
            return;
        }
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        if self.start.elapsed() < DELAY {
            return;
        }
        let bar = self.bar.get_or_init(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let stage = self.stage.lock().map(|s| *s).unwrap_or("");
        let secs = self.start.elapsed().as_secs_f32();
        bar.set_message(format!("{secs:.1} s · {stage}: {done}"));
    }

    /// Prints the time of the stage that ends, with `ANNALS_TIMINGS` set.
    fn time(&self, next: &'static str) {
        if let Some(Ok(mut t)) = self.timings.as_ref().map(|t| t.lock()) {
            let ms = t.1.elapsed().as_secs_f64() * 1000.0;
            write(
                Stream::Err,
                &format!("timing: {:<30} {ms:>9.1} ms{}\n", t.0, memory()),
            );
            *t = (next, Instant::now());
        }
    }

    /// Clears the line (before the summary is printed).
    pub fn finish(&self) {
        self.time("end");
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A sink that counts what is written into the progress line.
pub struct CountingSink<'a> {
    pub inner: &'a dyn crate::output::Sink,
    pub progress: &'a Progress,
}

impl crate::output::Sink for CountingSink<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), crate::output::IoError> {
        self.inner.write(rel, bytes)?;
        self.progress.tick(1);
        Ok(())
    }

    fn write_hashed(
        &self,
        rel: &str,
        bytes: &[u8],
        hash: crate::output::Hash,
    ) -> Result<(), crate::output::IoError> {
        self.inner.write_hashed(rel, bytes, hash)?;
        self.progress.tick(1);
        Ok(())
    }

    fn exists(&self, rel: &str) -> bool {
        self.inner.exists(rel)
    }

    fn write_stream(
        &self,
        rel: &str,
        fill: crate::output::Fill,
    ) -> Result<(), crate::output::IoError> {
        self.inner.write_stream(rel, fill)?;
        self.progress.tick(1);
        Ok(())
    }

    fn keep(&self, rel: &str, hash: crate::output::Hash) -> bool {
        let kept = self.inner.keep(rel, hash);
        if kept {
            self.progress.tick(1);
        }
        kept
    }
}
