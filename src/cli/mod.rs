//! The command-line definition: every command, flag and help text lives here.
//!
//! Parsing ends in [`Cli`]; `commands::run` turns it into plain settings before any work
//! starts, so nothing below `commands` knows about clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod admin;

pub use admin::{ProfileCommand, StatusCommand, StatusSetArgs, UserArgs, UserCommand};

// A macro, so `concat!` can put the same examples above the exit codes in `--help`.
macro_rules! root_examples {
    () => {
        "Examples:\n  mcteams demo\n  mcteams profile enable Sales --dry-run\n  mcteams sync --watch --metrics-addr 127.0.0.1:9464\n  mcteams report -o csv > out-of-sync.csv"
    };
}

const ROOT_EXAMPLES: &str = root_examples!();

/// `--help` shows this instead of the examples alone: examples, then the exit codes.
const ROOT_LONG_AFTER_HELP: &str = concat!(
    root_examples!(),
    "\n\n",
    "Exit codes (when several apply, the first listed wins):
  78  configuration error (config file, secret, state file, a refused credential)
   2  usage error (bad flags; confirmation needed but no terminal)
 130  stopped by SIGINT (Ctrl-C) after finishing and recording the writes in flight
 143  stopped by SIGTERM after finishing and recording the writes in flight
   1  failure (could not do its job; internal error)
  75  temporarily unavailable (lock held by another run; a system down or throttled) - retry later
   5  stopped by a safety guard (--max-changes, --max-deletes); nothing applied
   3  partial: some users or rows failed
   4  report --detailed-exitcode found users out of sync
   0  success"
);

/// Bi-directional presence between Microsoft Teams and Mitel MiCollab (MiVoice Business).
#[derive(Debug, Parser)]
#[command(
    name = "mcteams",
    version,
    about = "Bi-directional presence between Microsoft Teams and Mitel MiCollab",
    long_about = "mcteams turns on and runs bi-directional presence between Microsoft Teams and \
Mitel MiCollab: Teams presence drives the MiCollab dynamic status, and the MiVoice Business \
phone's state (in a call, do not disturb) shows in Teams.",
    after_help = ROOT_EXAMPLES,
    after_long_help = ROOT_LONG_AFTER_HELP,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file [default: $XDG_CONFIG_HOME/mcteams/config.toml]
    #[arg(long, global = true, env = "MCTEAMS_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// State store: a SQLite file, or postgres://user@host/db (its password from [state]
    /// password_env or password_file) [default: config's [state] url or path, else
    /// $XDG_DATA_HOME/mcteams/state.db]
    #[arg(long, global = true, env = "MCTEAMS_STATE", value_name = "PATH|URL")]
    pub state: Option<PathBuf>,

    /// Output format for results on stdout
    #[arg(short, long, global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,

    /// More on stderr: -v a line per system call and per sync decision summary, and the causes of an error; -vv debug logs
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Errors only: no notes, warnings or progress, and no table on stdout (-o json|jsonl|csv results are still printed)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// No colors (also with NO_COLOR or CLICOLOR=0, or when stderr is not a terminal)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Write the results to this file instead of stdout (whole, once the command succeeded;
    /// a failed run leaves the file as it was)
    #[arg(long, global = true, value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Query a command's result (a JMESPath, as CLI for Microsoft 365 and az take it) before
    /// it is formatted: -o table|csv show the query's result too
    #[arg(long, global = true, value_name = "JMESPATH")]
    pub query: Option<String>,

    /// Format of every line on stderr: json makes notes, warnings and errors JSON objects too
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned table for people
    Table,
    /// One JSON document
    Json,
    /// One JSON object per line
    Jsonl,
    /// Comma-separated values with a header
    Csv,
    /// A table with every column, as wide as they need (no column left out, no wrapping)
    Wide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines
    Text,
    /// One JSON object per line (for services and log shippers)
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Turn Teams presence on or off for MiCollab user profiles
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams profile list\n  mcteams profile enable Sales --dry-run\n  mcteams profile enable Sales --yes"
    )]
    Profile(ProfileCommand),

    /// Turn the per-user "Microsoft Teams status" checkbox on or off
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams user enable alice bob\n  mcteams user enable --from-csv users.csv --dry-run"
    )]
    User(UserCommand),

    /// Settings of the Teams-managed statuses of a profile
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams status list Sales\n  mcteams status set Sales Away --call-routing voicemail"
    )]
    Status(StatusCommand),

    /// Import user mappings (MiCollab login <-> Teams user <-> extension) from CSV
    #[command(
        after_help = "Examples:\n  mcteams import users.csv --dry-run\n  mcteams import users.csv --results results.csv\n  mcteams import users.csv --prune --max-deletes 20"
    )]
    Import(ImportArgs),

    /// List, show, remove, export and discover user mappings
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams mappings list\n  mcteams mappings export > mappings.csv\n  mcteams mappings discover --out proposals.csv"
    )]
    Mappings(MappingsCommand),

    /// Synchronize presence: Teams -> MiCollab and phone -> Teams
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  mcteams sync\n  mcteams sync --dry-run\n  mcteams sync --watch --interval 15s --metrics-addr 127.0.0.1:9464\n  mcteams sync approve"
    )]
    Sync(SyncArgs),

    /// Clear everything mcteams set in Teams (its app sessions), with a preview
    #[command(
        after_help = "Examples:\n  mcteams release --dry-run\n  mcteams release --yes\n  mcteams release --directory --yes   # after a lost store"
    )]
    Release(ReleaseArgs),

    /// Who is out of sync, why, and what to do about it
    #[command(
        after_help = "Examples:\n  mcteams report\n  mcteams report --reason dnd_conflict -o csv\n  mcteams report --detailed-exitcode -q"
    )]
    Report(ReportArgs),

    /// Check reachability, TLS, credentials, versions, permissions and clock of every system
    #[command(
        after_help = "Examples:\n  mcteams doctor\n  mcteams doctor --write-check test.user@contoso.com -o json"
    )]
    Doctor(DoctorArgs),

    /// Create, show and check the configuration file
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams config init\n  mcteams config show\n  mcteams config check"
    )]
    Config(ConfigCommand),

    /// The local emulator of Graph, MiCollab, MiVoice Business and CloudLink
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams sim serve --users 1000 --write-config /tmp/sim/config.toml"
    )]
    Sim(SimCommand),

    /// The whole job against an in-process emulator, step by step
    #[command(
        after_help = "The walk-through is told as text; with -o json, jsonl or csv the demo prints only the commands it ran and each one's exit code.\n\nExamples:\n  mcteams demo\n  mcteams demo -o json"
    )]
    Demo(DemoArgs),

    /// Check, back up or rebind the state store
    #[command(
        subcommand,
        after_help = "Examples:\n  mcteams state check\n  mcteams state backup /var/backups/mcteams/state-$(date +%F).db\n  mcteams state rebind --dry-run"
    )]
    State(StateCommand),

    /// The audit trail: every admin change (old -> new) and every write a sync sent, newest first
    #[command(
        after_help = "Examples:\n  mcteams history --since 24h\n  mcteams history --user alice@contoso.com\n  mcteams history --run 42 -o json"
    )]
    History(HistoryArgs),

    /// Print a shell completion script (static: a tab press never calls a server)
    #[command(
        after_help = "Examples:\n  mcteams completion bash > /etc/bash_completion.d/mcteams\n  mcteams completion zsh > \"${fpath[1]}/_mcteams\"\n  mcteams completion fish > ~/.config/fish/completions/mcteams.fish\n  mcteams completion powershell >> $PROFILE"
    )]
    Completion(CompletionArgs),

    /// Write shell completions and man pages (for packaging)
    #[command(hide = true)]
    Generate(GenerateArgs),
}

/// Flags shared by every command that changes something.
#[derive(Debug, Args, Clone, Default)]
pub struct WriteArgs {
    /// Show what would change, change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Do not ask for confirmation (required without a terminal)
    #[arg(short, long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Mapping CSV (micollab_login,teams_upn,teams_id,extension,cloudlink_user_id), or - for stdin
    pub file: PathBuf,
    /// Write a result per row (input columns + row,action,status,error_code,message)
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
    /// Only failed rows in --results (fix them and import that file as is)
    #[arg(long, requires = "results")]
    pub only_failed: bool,
    /// Remove mappings that are not in the file
    #[arg(long)]
    pub prune: bool,
    /// Stop when --prune would remove more [default: 50 or 10% of mappings, the smaller]
    #[arg(long, value_name = "N", requires = "prune")]
    pub max_deletes: Option<u64>,
    /// Go on past the --max-deletes guard
    #[arg(long)]
    pub force: bool,
    /// Apply nothing when any row fails
    #[arg(long)]
    pub strict: bool,
    /// Do not check rows against the systems (mappings stored as unverified)
    #[arg(long)]
    pub offline: bool,
    /// Map other header names: their_name=our_name,...
    #[arg(long, value_name = "MAP")]
    pub columns: Option<String>,
    /// Field delimiter [default: detected, ',' or ';']
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<char>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Subcommand)]
pub enum MappingsCommand {
    /// List the stored mappings
    #[command(after_help = "Examples:\n  mcteams mappings list\n  mcteams mappings list -o csv")]
    List {
        /// Include removed mappings still waiting for the sync to clear them
        #[arg(long)]
        removed: bool,
    },
    /// One mapping, with its sync record
    #[command(after_help = "Examples:\n  mcteams mappings show alice")]
    Show {
        /// MiCollab login, Teams UPN or extension
        key: String,
    },
    /// Remove mappings (kept as tombstones until the sync has cleared what it set)
    #[command(after_help = "Examples:\n  mcteams mappings remove alice bob --dry-run")]
    Remove {
        /// MiCollab logins
        #[arg(required = true)]
        logins: Vec<String>,
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Write all mappings as a mapping CSV (the import format)
    #[command(
        after_help = "Examples:\n  mcteams mappings export > mappings.csv\n  mcteams mappings export --out mappings.csv"
    )]
    Export,
    /// Propose mappings for users not yet mapped, for review and import (with --out, the
    /// proposals are a mapping CSV plus confidence and notes, whatever -o says)
    #[command(after_help = "Examples:\n  mcteams mappings discover --out proposals.csv")]
    Discover,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Direction {
    /// Both directions
    Both,
    /// Teams presence -> MiCollab dynamic status
    TeamsToMicollab,
    /// Phone call/DND state -> Teams presence
    PbxToTeams,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Keep running, one cycle every --interval
    #[arg(long)]
    pub watch: bool,
    /// Time between cycles in --watch: "auto" (as fast as Graph's budget and each system's
    /// max_rps allow) or a duration [default: config's sync.interval, auto]
    #[arg(long, value_name = "auto|DURATION", value_parser = crate::config::Interval::parse)]
    pub interval: Option<crate::config::Interval>,
    /// Print the plan, write nothing (with --watch: a plan every interval)
    #[arg(long)]
    pub dry_run: bool,
    /// Stop when a cycle would make more changes [default: config's sync.max_changes]
    #[arg(long, value_name = "N")]
    pub max_changes: Option<u64>,
    /// Go on past the max_changes guard
    #[arg(long)]
    pub force: bool,
    /// Which way to synchronize
    #[arg(long, value_enum, default_value_t = Direction::Both)]
    pub direction: Direction,
    /// Serve Prometheus /metrics and /healthz on this address (with --watch)
    #[arg(long, value_name = "ADDR", requires = "watch")]
    pub metrics_addr: Option<std::net::SocketAddr>,
    #[command(subcommand)]
    pub command: Option<SyncCommand>,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Approve the plan the mass-change guard holds: the watch applies those users' changes
    #[command(
        after_help = "Examples:\n  mcteams sync approve --dry-run\n  mcteams sync approve 3 --yes\n\nThe watch applies the users' current changes on its next cycle; an approval unused for 10 minutes lapses."
    )]
    Approve(ApproveArgs),
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// The plan's id (as `report` and the watch's log name it) [default: the plan held now]
    pub id: Option<i64>,
    #[command(flatten)]
    pub write: WriteArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Exit 4 when any user is out of sync
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Use the last observations in the store; call no system
    #[arg(long)]
    pub from_state: bool,
    /// Only users with these reason codes (repeatable, or comma-separated)
    #[arg(long, value_name = "CODE", num_args = 1.., value_delimiter = ',', value_parser = reason_codes())]
    pub reason: Vec<String>,
    /// Only these users (MiCollab login or Teams UPN)
    #[arg(long, value_name = "USER", num_args = 1..)]
    pub user: Vec<String>,
    /// Also list users that are in sync
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Also set and clear an app session on this test user
    #[arg(long, value_name = "UPN")]
    pub write_check: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write a commented configuration template
    #[command(
        after_help = "Examples:\n  mcteams config init\n  mcteams --config /etc/mcteams/config.toml config init"
    )]
    Init {
        /// Overwrite an existing file
        #[arg(long)]
        force: bool,
    },
    /// The effective configuration, secrets redacted, and where each value came from
    #[command(after_help = "Examples:\n  mcteams config show -o json")]
    Show,
    /// Validate the configuration and read every secret it names
    #[command(after_help = "Examples:\n  mcteams config check")]
    Check,
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the emulator on loopback until SIGINT/SIGTERM
    #[command(
        after_help = "Examples:\n  mcteams sim serve --users 1000 --write-config /tmp/sim/config.toml\n  mcteams sim serve --listen 127.0.0.1:8080 --users 100000 --latency 20ms --churn 1"
    )]
    Serve(SimServeArgs),
}

#[derive(Debug, Args, Clone)]
pub struct SimServeArgs {
    /// Address to listen on (loopback only; port 0 picks a free one)
    #[arg(long, default_value = "127.0.0.1:0", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// Number of users in the directory
    #[arg(long, default_value_t = 50)]
    pub users: u32,
    /// Seed of the generated directory and of churn (same seed, same data)
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Latency added to every request
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub latency: Option<std::time::Duration>,
    /// Percentage of users whose Teams or phone state changes per minute
    #[arg(long, value_name = "PCT", default_value_t = 0.0)]
    pub churn: f64,
    /// Write a complete mcteams config (secrets in files beside it) pointing at the emulator
    #[arg(long, value_name = "FILE")]
    pub write_config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReleaseArgs {
    #[command(flatten)]
    pub write: WriteArgs,

    /// Also clear mcteams' session of every user of the Entra directory, not only of those
    /// the store records: the way back after a lost or emptied store (a user without one is
    /// left as is)
    #[arg(long)]
    pub directory: bool,
}

#[derive(Debug, Subcommand)]
pub enum StateCommand {
    /// Check the store: SQLite's full integrity check, its schema, estate, permissions, that
    /// it can be written, and its mappings (exit 78 when no command could use it)
    #[command(
        after_help = "Examples:\n  mcteams state check\n  mcteams --state /var/backups/mcteams/state-2026-12-01.db state check"
    )]
    Check,
    /// Copy the store to a new file, consistent while syncs run (readable by its owner only)
    #[command(
        after_help = "Examples:\n  mcteams state backup /var/backups/mcteams/state-$(date +%F).db"
    )]
    Backup {
        /// The copy (a new file: an existing one is never overwritten)
        file: PathBuf,
    },
    /// Bind the store to the MiCollab server the config names now (the server moved); the
    /// tenant stays: another tenant is another estate, with a store of its own
    #[command(
        after_help = "Examples:\n  mcteams state rebind --dry-run\n  mcteams state rebind --yes"
    )]
    Rebind {
        #[command(flatten)]
        write: WriteArgs,
    },
    /// Copy this (SQLite) store to a PostgreSQL database, for several `sync --watch`
    /// instances: every table in one transaction, each table's count checked
    #[command(
        after_help = "The password comes from [state] password_env or password_file, never the URL.\n\nExamples:\n  mcteams state migrate --to postgres://mcteams@db.example.com/mcteams --dry-run\n  mcteams state migrate --to postgres://mcteams@db.example.com/mcteams --yes"
    )]
    Migrate {
        /// The PostgreSQL database (postgres://user@host/db; TLS verified unless on this host)
        #[arg(long, value_name = "URL")]
        to: String,
        /// Replace a store already in the target (asks first on a terminal)
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        write: WriteArgs,
    },
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only entries since this time: RFC 3339 (2026-12-01T08:00:00Z) or an age (90m, 24h, 7d)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only this user (MiCollab login or Teams UPN), or object (a profile's name)
    #[arg(long, value_name = "USER")]
    pub user: Option<String>,
    /// Only the entries of this run
    #[arg(long, value_name = "ID")]
    pub run: Option<i64>,
    /// At most this many entries, the newest
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
}

/// The report's reason codes, offered by shell completion and checked by clap.
pub(crate) fn reason_codes() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::report::Reason::ALL.map(|r| r.code()))
}

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of users in the demo directory
    #[arg(long, default_value_t = 20)]
    pub users: u32,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory that receives completions/ and man/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out: PathBuf,
}

/// Durations as people write them: 15s, 2m, 1h30m, 250ms.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text.trim())
        .map_err(|e| format!("{e} (expected a duration like 15s, 2m, 250ms)"))
}

#[cfg(test)]
mod tests;
