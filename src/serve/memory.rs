//! The site in memory: a [`Sink`] that keeps every rendered file as `rel path → bytes`, so
//! that a preview never writes into `public/` and never clobbers a published build. A file
//! whose bytes did not change since the previous build shares that build's buffer, which
//! keeps memory flat over many rebuilds and tells the server whether anything changed.

use crate::output::{IoError, Sink};
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// A built site: `/`-separated paths inside the site (`entries/x/index.html`) → contents.
pub type Files = HashMap<String, Bytes>;

/// Collects a build in memory, next to the previous one it may share buffers with.
pub struct MemorySink {
    files: Mutex<Files>,
    previous: Option<Arc<Files>>,
    /// Paths written with bytes the previous build did not have there.
    fresh_paths: Mutex<Vec<String>>,
}

/// What a finished build holds.
pub struct Built {
    pub files: Files,
    /// Files added, changed or removed since the previous build (all of them for the first).
    pub changed: usize,
    /// Their paths, sorted.
    pub paths: Vec<String>,
}

impl MemorySink {
    pub fn new(previous: Option<Arc<Files>>) -> MemorySink {
        let capacity = previous.as_ref().map_or(0, |p| p.len());
        MemorySink {
            files: Mutex::new(HashMap::with_capacity(capacity)),
            previous,
            fresh_paths: Mutex::new(Vec::new()),
        }
    }

    pub fn finish(self) -> Built {
        let files = self
            .files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let mut paths = self
            .fresh_paths
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = &self.previous {
            paths.extend(p.keys().filter(|k| !files.contains_key(*k)).cloned());
        }
        paths.sort_unstable();
        Built {
            changed: paths.len(),
            paths,
            files,
        }
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), IoError> {
        let same = self
            .previous
            .as_ref()
            .and_then(|p| p.get(rel))
            .filter(|old| old.as_ref() == bytes)
            .cloned();
        let value = same.unwrap_or_else(|| {
            self.fresh_paths
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(rel.to_string());
            Bytes::copy_from_slice(bytes)
        });
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(rel.to_string(), value);
        Ok(())
    }

    fn exists(&self, rel: &str) -> bool {
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_changes_and_shares_unchanged_buffers() {
        let first = MemorySink::new(None);
        first.write("index.html", b"home").unwrap();
        first.write("a/index.html", b"a").unwrap();
        assert!(first.exists("a/index.html"));
        assert!(!first.exists("b/index.html"));
        let built = first.finish();
        assert_eq!(built.changed, 2);
        let previous = Arc::new(built.files);

        let second = MemorySink::new(Some(previous.clone()));
        second.write("index.html", b"home").unwrap();
        second.write("b/index.html", b"b").unwrap();
        let built = second.finish();
        // b added, a removed; index.html unchanged and shared.
        assert_eq!(built.changed, 2);
        assert_eq!(
            built.files["index.html"].as_ptr(),
            previous["index.html"].as_ptr()
        );

        let third = MemorySink::new(Some(Arc::new(built.files)));
        third.write("index.html", b"home").unwrap();
        third.write("b/index.html", b"b").unwrap();
        assert_eq!(third.finish().changed, 0);
    }
}
