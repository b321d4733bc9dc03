//! Feedback on long builds: on a terminal, a build that runs longer than about a second
//! shows what it is doing (files loaded, pages rendered and written) with `indicatif`,
//! cleared before the one-line summary. Piped or CI output, and `--quiet`, get none.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Shown only after this long, so quick builds stay one line.
const DELAY: Duration = Duration::from_secs(1);

/// A progress line that appears only if the build takes a while.
pub struct Progress {
    enabled: bool,
    start: Instant,
    bar: OnceLock<ProgressBar>,
    done: AtomicU64,
    stage: std::sync::Mutex<&'static str>,
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
        }
    }

    /// A silent one (tests, `check --format json`, `serve`).
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    /// Starts a stage ("loading entries") and resets its count.
    pub fn stage(&self, name: &'static str) {
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

    /// Clears the line (before the summary is printed).
    pub fn finish(&self) {
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

    fn exists(&self, rel: &str) -> bool {
        self.inner.exists(rel)
    }
}
