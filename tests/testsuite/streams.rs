//! Output streams that go away: stdout to a closed pipe (`annals build | head -0`) or to a
//! full disk (`> /dev/full`), stderr likewise. No command may panic; the site is still
//! built, and the exit code is still the build's (0, 1 content errors, 2 I/O). Lost text on
//! a full stdout is named once on stderr; a pipe closed by its reader is not.

use crate::util::Site;
use std::fs::File;
use std::process::{Command, Stdio};

/// Where a stream of the child goes.
#[derive(Clone, Copy)]
enum To {
    /// A pipe whose reading end is closed before the child starts: every write is EPIPE.
    ClosedPipe,
    /// `/dev/full`: every write is ENOSPC.
    Full,
    /// Captured, to be read.
    Captured,
}

fn stdio(to: To) -> Stdio {
    match to {
        To::ClosedPipe => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            Stdio::from(writer)
        }
        To::Full => Stdio::from(File::options().write(true).open("/dev/full").unwrap()),
        To::Captured => Stdio::piped(),
    }
}

/// Runs `annals <args> --root <site>`; returns the exit code and what stderr got, if it was
/// captured.
fn run(site: &Site, args: &[&str], stdout: To, stderr: To) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .arg("--root")
        .arg(&site.root)
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(stdio(stdout))
        .stderr(stdio(stderr))
        .output()
        .expect("annals runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?} panicked:\n{stderr}");
    // A panic exits with 101 even when its message could not be written.
    let code = out.status.code().unwrap_or(-1);
    assert_ne!(code, 101, "{args:?} panicked");
    (code, stderr)
}

/// A site whose build fails with one content error.
fn broken() -> Site {
    let site = Site::fixture("basic");
    let path = site.path("content/entries/moratorium-2003.md");
    let text = std::fs::read_to_string(&path).unwrap();
    site.write(
        "content/entries/moratorium-2003.md",
        text.replace("date: 2003-12-17", "date: 2003-13-17"),
    );
    site
}

#[test]
fn build_to_a_closed_pipe_still_builds() {
    let site = Site::fixture("basic");
    let (code, stderr) = run(&site, &["build"], To::ClosedPipe, To::Captured);
    assert_eq!(code, 0);
    // The reader chose to stop reading: nothing to tell.
    assert_eq!(stderr, "");
    assert!(site.out("index.html").contains("<html"));
    assert!(site.out_exists("entries/moratorium-2003/index.html"));
}

#[test]
fn build_to_a_full_disk_still_builds_and_says_so() {
    let site = Site::fixture("basic");
    let (code, stderr) = run(&site, &["build"], To::Full, To::Captured);
    assert_eq!(code, 0);
    assert_eq!(
        stderr,
        "warning: standard output could not be written: No space left on device (os error 28)\n"
    );
    assert!(site.out_exists("entries/moratorium-2003/index.html"));
}

#[test]
fn exit_codes_survive_lost_streams() {
    for (stdout, stderr) in [
        (To::ClosedPipe, To::ClosedPipe),
        (To::Full, To::Full),
        (To::ClosedPipe, To::Full),
        (To::Full, To::ClosedPipe),
    ] {
        let site = Site::fixture("basic");
        assert_eq!(run(&site, &["check"], stdout, stderr).0, 0);
        assert_eq!(run(&site, &["build"], stdout, stderr).0, 0);
        assert!(site.out_exists("index.html"));
        let json = ["check", "--format", "json"];
        assert_eq!(run(&site, &json, stdout, stderr).0, 0);
        let bad = broken();
        assert_eq!(run(&bad, &["check"], stdout, stderr).0, 1);
        assert_eq!(run(&bad, &json, stdout, stderr).0, 1);
        assert_eq!(run(&bad, &["build"], stdout, stderr).0, 1);
        assert!(!bad.out_exists("index.html"));
        assert_eq!(run(&bad, &["build", "--quiet"], stdout, stderr).0, 1);
    }
}

#[test]
fn check_with_stderr_on_a_full_disk() {
    let bad = broken();
    let (code, _) = run(&bad, &["check"], To::Captured, To::Full);
    assert_eq!(code, 1);
}

#[test]
fn schema_is_the_product_so_losing_it_fails() {
    let site = Site::fixture("basic");
    let (code, stderr) = run(&site, &["schema"], To::Full, To::Captured);
    assert_eq!(code, 2);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    // A reader that stops early (`annals schema | head`) is not a failure.
    assert_eq!(
        run(&site, &["schema"], To::ClosedPipe, To::Captured),
        (0, String::new())
    );
}
