//! The `annals` command: parse the command line, run it, exit with its code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = annals::cli::Cli::parse();
    ExitCode::from(annals::cli::run(cli))
}
