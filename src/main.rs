//! tokentrail: thin entry point. Subcommands answer headless; no subcommand opens the workbench.

mod cli;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match args.command {
        Some(cmd) => cli::run(cmd),
        None => cli::run(cli::Command::Stats(cli::Common { paths: args.paths, json: false })),
    };
    std::process::exit(code);
}
