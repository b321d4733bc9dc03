//! The `annals` command: parse the command line, run it, exit with its code.

use annals::progress::{Stream, failure};
use clap::Parser;
use std::process::ExitCode;

/// jemalloc: see Cargo.toml for why, `.cargo/config.toml` for its settings.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = annals::cli::Cli::parse();
    let code = annals::cli::run(cli);
    // Lost output does not change the exit code (that is the command's result), but a full
    // disk should not go unnoticed; a closed pipe is the reader's choice and is not told.
    if let Some(why) = failure(Stream::Out) {
        annals::tell!("warning: standard output could not be written: {why}");
    }
    ExitCode::from(code)
}
