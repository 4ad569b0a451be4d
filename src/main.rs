//! tokentrail: thin entry point. Subcommands answer headless; no subcommand opens the workbench.

mod cli;
mod tui;

use clap::Parser;

fn main() {
    let args = cli::Cli::parse();
    let code = match args.command {
        Some(cli::Command::BenchRender { paths }) => tui::bench::run(paths),
        Some(cmd) => cli::run(cmd),
        None if !terminal() => {
            eprintln!(
                "tokentrail: the workbench needs a terminal; for scripts use a subcommand: {} (tokentrail help SUBCOMMAND)",
                cli::subcommand_names().join(", ")
            );
            1
        }
        None => {
            if let Err(e) = color_eyre::install() {
                eprintln!("tokentrail: {e}");
            }
            match tui::run(args.paths, args.case, args.key, args.rules) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("tokentrail: {e}");
                    1
                }
            }
        }
    };
    std::process::exit(code);
}

/// Whether the workbench has a terminal to draw on and read keys from.
fn terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}
