//! The command line's shape: clap definitions of the workbench's flags and every
//! subcommand, each flag with its help.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "tokentrail", version, about = "Trace AWS credential lineage through CloudTrail logs")]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Logs to open in the workbench (files or directories); the bundled sample when none.
    pub paths: Vec<PathBuf>,
    /// Case file for checklist notes (default: beside the logs).
    #[arg(long)]
    pub case: Option<PathBuf>,
    /// Open focused on this access key id.
    #[arg(long)]
    pub key: Option<String>,
    /// A folder of Sigma rules (.yml, .yaml, recursive) to evaluate besides the project's
    /// own once the logs are loaded; more than one may be given.
    #[arg(long)]
    pub rules: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// What was loaded: files, events, time range, and every problem.
    Stats(Common),
    /// A key's credential sessions: chain up to the root and all they minted.
    Lineage {
        /// Access key id (AKIA…/ASIA…).
        key: String,
        #[command(flatten)]
        common: Common,
    },
    /// What a credential and everything below it did that can outlive the remediation
    /// (persistence, open or undone), and the data it touched.
    BlastRadius {
        /// Access key id (AKIA…/ASIA…): the credential whose lineage is looked at.
        key: String,
        #[command(flatten)]
        common: Common,
        /// A folder of Sigma rules (.yml, .yaml, recursive) to evaluate besides the project's
        /// own; more than one may be given.
        #[arg(long)]
        rules: Vec<PathBuf>,
    },
    /// Sigma rules over the loaded events: the project's own, and those of --rules folders.
    Detections {
        #[command(flatten)]
        common: Common,
        /// A folder of Sigma rules (.yml, .yaml, recursive); more than one may be given.
        #[arg(long)]
        rules: Vec<PathBuf>,
    },
    /// Normalised events, filtered; JSON Lines with --json.
    Events {
        #[command(flatten)]
        common: Common,
        /// Only the events signed by this access key id.
        #[arg(long)]
        key: Option<String>,
        /// Only the events of this principal ARN.
        #[arg(long)]
        principal: Option<String>,
        /// Only the events of this name, in any case (e.g. AssumeRole).
        #[arg(long)]
        name: Option<String>,
        /// Only the events from this source address, as written, or from a block of them
        /// (203.0.113.0/24, 2001:db8::/32).
        #[arg(long)]
        ip: Option<String>,
        /// With --json: each event's request parameters, response elements and error
        /// message too (read again from the logs, secrets redacted).
        #[arg(long)]
        full: bool,
    },
    /// Temporary credentials ranked by suspicion, with reasons.
    Suspects {
        #[command(flatten)]
        common: Common,
        /// Only suspects scoring at least this much.
        #[arg(long)]
        min_score: Option<u32>,
        /// At most this many suspects, highest score first.
        #[arg(long)]
        limit: Option<usize>,
        /// A folder of Sigma rules (.yml, .yaml, recursive) to evaluate besides the project's
        /// own; more than one may be given.
        #[arg(long)]
        rules: Vec<PathBuf>,
    },
    /// The six response steps, checked against the logs, with notes and next commands.
    Checklist {
        #[command(flatten)]
        common: Common,
        /// The compromised permanent key (default: the root of the top suspect).
        #[arg(long)]
        root: Option<String>,
        /// Case file holding notes and manual statuses (default: beside the logs).
        #[arg(long)]
        case: Option<PathBuf>,
        /// Output format: text, json or md (Markdown report). `--json` is `--format json`.
        #[arg(long, value_parser = ["text", "json", "md"])]
        format: Option<String>,
        /// The moment "still live" is judged at (step 6's follow-up, the report's last
        /// section), RFC 3339; the end of the logs when not given.
        #[arg(long)]
        at: Option<String>,
    },
    /// SQL that pulls one incident out of a CloudTrail lake (Athena/Trino or DuckDB).
    Sql {
        /// The compromised permanent key.
        #[arg(long)]
        root: String,
        /// More keys to follow (e.g. a token whose issuer is outside the window).
        #[arg(long)]
        key: Vec<String>,
        /// The SQL dialect: athena (Athena/Trino) or duckdb.
        #[arg(long, value_parser = ["athena", "duckdb"])]
        engine: String,
        /// The table (or view) holding CloudTrail records.
        #[arg(long, default_value = "cloudtrail_logs")]
        table: String,
        /// Only events from this time (inclusive): RFC 3339, YYYY-MM-DD or YYYY-MM-DD HH:MM.
        #[arg(long)]
        since: Option<String>,
        /// Only events before this time (exclusive).
        #[arg(long)]
        until: Option<String>,
    },
    /// Frame and keystroke timings on a loaded corpus (for `cargo bench --bench load`).
    #[command(hide = true)]
    BenchRender {
        /// The corpus to load and draw.
        paths: Vec<PathBuf>,
    },
    /// Which credentials descended from the root still work at a given time.
    Whatif {
        #[command(flatten)]
        common: Common,
        /// The compromised permanent key (an ASIA key resolves to its root); default: the
        /// root of the top suspect.
        #[arg(long)]
        root: Option<String>,
        /// The moment to evaluate: RFC 3339, YYYY-MM-DD or YYYY-MM-DD HH:MM.
        #[arg(long)]
        at: String,
    },
}

#[derive(Args, Debug, Clone)]
pub struct Common {
    /// Files or directories (recursive); the bundled sample when none.
    pub paths: Vec<PathBuf>,
    /// Machine-readable output (documented in README).
    #[arg(long)]
    pub json: bool,
    /// Count only the loaded events from this time (inclusive): RFC 3339, YYYY-MM-DD or
    /// YYYY-MM-DD HH:MM, UTC.
    #[arg(long)]
    pub since: Option<String>,
    /// Count only the loaded events before this time (exclusive).
    #[arg(long)]
    pub until: Option<String>,
}
