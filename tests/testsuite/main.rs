//! The integration tests: one binary, one module per behaviour, each building small fixture
//! sites (`tests/fixtures/`) with the real `annals` executable and checking the files it
//! writes or the messages a user sees. Expected messages live in `tests/expected/`;
//! `ANNALS_BLESS=1 cargo test` rewrites them after a deliberate change.

mod build;
mod chronicle;
mod commonmark;
mod crawl;
mod editor;
mod errors;
mod incremental;
mod languages;
mod load_cache;
mod output;
mod publishing;
mod reading;
mod robust;
mod schema;
mod search;
mod search_cache;
mod serve;
#[cfg(target_os = "linux")] // /dev/full
mod streams;
mod templates;
mod threads;
mod util;
