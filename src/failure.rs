//! Why a command failed, and so its exit code (see ARCHITECTURE.md, "Exit codes"): problems
//! in the site's files ([`Failure::Content`], exit 1) or something that stops the run
//! before or beside them ([`Fatal`], exit 2). A [`Fatal`] stays typed — the path and the
//! operation of an I/O error, the reason an output directory is refused — until it is
//! printed (`cli` for the commands, `serve` for its terminal and overlay); nothing turns it
//! into a string on the way.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::{IoError, Refusal};
use std::path::{Path, PathBuf};

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the site's files: exit 1. The diagnostics say what and where.
    Content(Diagnostics),
    /// Usage or I/O: exit 2.
    Fatal(Fatal),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Content(_) => 1,
            Failure::Fatal(_) => 2,
        }
    }
}

/// What stops a run that is not a problem of one of the site's files.
#[derive(Debug)]
pub enum Fatal {
    /// Usage: the site root given (`--root`) is not a directory.
    NoSiteRoot(PathBuf),
    /// A file operation failed; says which, and on which path.
    Io(IoError),
    /// The output directory may not be replaced (see ARCHITECTURE.md, "Output").
    OutputDir(Refusal),
}

impl Fatal {
    /// A short stable name, as diagnostics have (`serve`'s overlay shows it).
    pub fn code(&self) -> &'static str {
        match self {
            Fatal::NoSiteRoot(_) => "usage",
            Fatal::Io(_) => "io",
            Fatal::OutputDir(_) => "output-dir",
        }
    }

    /// The failure as a diagnostic without a file, for `serve`'s overlay.
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.code(), self.to_string())
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fatal::NoSiteRoot(root) => {
                write!(f, "the site root {} is not a directory", root.display())
            }
            Fatal::Io(e) => e.fmt(f),
            Fatal::OutputDir(r) => r.fmt(f),
        }
    }
}

impl std::error::Error for Fatal {}

impl From<Fatal> for Failure {
    fn from(f: Fatal) -> Failure {
        Failure::Fatal(f)
    }
}

impl From<IoError> for Failure {
    fn from(e: IoError) -> Failure {
        Failure::Fatal(Fatal::Io(e))
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        Failure::Fatal(Fatal::OutputDir(r))
    }
}

/// Checks the site root named on the command line (`build`, `check` and `serve`).
pub fn check_root(root: &Path) -> Result<(), Fatal> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Fatal::NoSiteRoot(root.to_path_buf()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fatal_errors_keep_their_kind_until_shown() {
        let io = Fatal::Io(IoError {
            path: PathBuf::from("/site/public"),
            action: "create",
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        });
        assert_eq!(io.code(), "io");
        assert!(io.to_string().starts_with("cannot create /site/public: "));
        let usage = check_root(Path::new("/no/such/annals/site")).unwrap_err();
        assert_eq!(usage.code(), "usage");
        assert_eq!(
            usage.diagnostic().message,
            "the site root /no/such/annals/site is not a directory"
        );
        assert_eq!(Failure::from(usage).exit_code(), 2);
    }
}
