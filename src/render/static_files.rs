//! The site's own files: `static/` copied verbatim, and the default stylesheet and script
//! for a site that has none. A static file may not take the place of a generated file (or
//! of a generated folder, or sit inside a generated file): every such file is reported
//! together, against the paths the render actually wrote, and nothing is copied until none
//! is left.

use super::{Recorder, RenderError};
use crate::diagnostic::Diagnostic;
use crate::output::IoError;
use crate::routes::Route;
use std::collections::BTreeSet;
use std::path::Path;

/// The default static files (stylesheet and script), each written unless the site's
/// static/ has its own.
pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("style.css", include_str!("../../static/style.css")),
    ("annals.js", include_str!("../../static/annals.js")),
];

/// Why a static file at `rel` cannot sit beside the `generated` files: it has the same
/// path as one, it is where annals makes a folder (`entries`, `search/t`), or one of its
/// folders is a generated file (`atom.xml/x`).
fn collision(rel: &str, generated: &BTreeSet<String>) -> Option<String> {
    let below = format!("{rel}/");
    if generated.contains(rel) {
        Some(format!(
            "static/{rel} has the same path as a generated page"
        ))
    } else if generated
        .range(below.clone()..)
        .next()
        .is_some_and(|g| g.starts_with(&below))
    {
        Some(format!(
            "static/{rel} is a file where annals writes the folder /{below}"
        ))
    } else {
        rel.match_indices('/')
            .map(|(i, _)| &rel[..i])
            .find(|folder| generated.contains(*folder))
            .map(|file| format!("static/{rel} is inside /{file}, which annals writes as a file"))
    }
}

/// Copies `<root>/static` into the site, verbatim; adds the default stylesheet when the
/// site has none. Every static file that would replace a generated file, or whose name
/// cannot be published, is reported, and nothing is copied until none is left.
pub(super) fn copy(root: &Path, out: &Recorder) -> Result<usize, RenderError> {
    let mut generated = out.files();
    let dir = root.join("static");
    generated.extend(
        DEFAULT_STATIC
            .iter()
            .filter(|(name, _)| !dir.join(name).is_file())
            .map(|(name, _)| name.to_string()),
    );
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if dir.is_dir() {
        for item in crate::content::walk::site_files(&dir, false) {
            let (rel, path) = match item {
                Ok(file) => file,
                Err(crate::content::walk::SiteFileError::NotUtf8(d)) => {
                    problems.push(d);
                    continue;
                }
                Err(crate::content::walk::SiteFileError::Walk(e)) => {
                    let path = e
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| dir.clone());
                    return Err(RenderError::Io(IoError {
                        path,
                        action: "read",
                        source: e
                            .into_io_error()
                            .unwrap_or_else(|| std::io::Error::other("symbolic link loop")),
                    }));
                }
            };
            if let Some(why) = collision(&rel, &generated) {
                problems.push(
                    Diagnostic::error("static-collision", why)
                        .in_file(format!("static/{rel}"))
                        .help("rename or move the file; annals writes this path itself"),
                );
                continue;
            }
            files.push((rel, path));
        }
    }
    if !problems.is_empty() {
        return Err(RenderError::Many(problems));
    }
    for (rel, path) in &files {
        let bytes = std::fs::read(path).map_err(|source| IoError {
            path: path.clone(),
            action: "read",
            source,
        })?;
        out.write(Route::Static(rel), &bytes)?;
    }
    for (name, text) in DEFAULT_STATIC {
        if !dir.join(name).is_file() {
            out.write(Route::Static(name), text.as_bytes())?;
        }
    }
    Ok(files.len())
}
