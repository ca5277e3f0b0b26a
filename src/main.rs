//! `factdiff` binary: parse the command line, run, map errors to exit codes.

use clap::Parser;

fn main() {
    let cli = factdiff::cli::Cli::parse();
    if let Err(e) = factdiff::cli::main_with(cli) {
        if e.error.to_string() != "invalid config" {
            eprintln!("factdiff: {:#}", e.error);
        }
        std::process::exit(e.code);
    }
}
