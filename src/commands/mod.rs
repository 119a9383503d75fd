//! One module per command. Each is thin: it turns flags into plain settings and calls a
//! layer that knows nothing of clap. `run` maps every outcome to an exit status.

mod approve;
mod change;
mod config;
mod demo;
mod doctor;
mod generate;
mod history;
mod import;
mod mappings;
mod profile;
mod release;
mod report;
mod sim;
mod state;
mod status;
mod sync;
mod tenant;
mod user;
mod user_view;
mod watch;

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context as _;

use crate::cli::{Cli, Command, GlobalArgs, LogFormat, OutputFormat, WriteArgs};
use crate::config::Config;
use crate::exit::{CliError, ExitStatus, status_of};
use crate::output::{Format, Printer, PrinterSettings};
use crate::store::db::PgTarget;
use crate::store::{Location, Store};

/// What every command gets: the printer and where config and state live.
pub struct Context {
    pub printer: Printer,
    config_path: PathBuf,
    config_explicit: bool,
    state_flag: Option<PathBuf>,
}

impl Context {
    fn from_global(global: &GlobalArgs) -> Context {
        let format = match global.output {
            OutputFormat::Table | OutputFormat::Wide => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Jsonl => Format::Jsonl,
            OutputFormat::Csv => Format::Csv,
        };
        let printer = Printer::new(PrinterSettings {
            query: global.query.clone(),
            out: global.out.clone(),
            format,
            wide: global.output == OutputFormat::Wide,
            log_json: global.log_format == LogFormat::Json,
            quiet: global.quiet,
            verbose: global.verbose,
            color: colors_on_stderr(),
        });
        let (config_path, config_explicit) = match &global.config {
            Some(path) => (path.clone(), true),
            None => (default_config_path(), false),
        };
        Context {
            printer,
            config_path,
            config_explicit,
            state_flag: global.state.clone(),
        }
    }

    pub fn config_path(&self) -> &std::path::Path {
        &self.config_path
    }

    /// Loads and validates the configuration file.
    pub fn config(&self) -> anyhow::Result<Config> {
        Ok(Config::load(&self.config_path, self.config_explicit)?)
    }

    /// The state file: `--state`/`MCTEAMS_STATE`, else the config's `[state] path`,
    /// else the XDG data directory.
    pub fn state_path(&self, config: &Config) -> PathBuf {
        self.state_flag
            .clone()
            .or_else(|| config.file.state.url.clone().map(PathBuf::from))
            .or_else(|| config.file.state.path.clone())
            .unwrap_or_else(default_state_path)
    }

    /// Where the store is: `--state`/`MCTEAMS_STATE` (a file, or a `postgres://` URL), else
    /// the config's `[state] url` or `path`, else the default file. A PostgreSQL store's
    /// password comes from `[state] password_env` or `password_file`.
    pub fn state_location(&self, config: &Config) -> anyhow::Result<Location> {
        self.location_of(config, &self.state_path(config).to_string_lossy())
    }

    /// The store `text` names (a file, or a `postgres://` URL with the config's password).
    pub fn location_of(&self, config: &Config, text: &str) -> anyhow::Result<Location> {
        if !crate::store::db::postgres::is_url(text) {
            return Ok(Location::File(PathBuf::from(text)));
        }
        let state = &config.file.state;
        let password = match config.file.state_password() {
            Some((key, source)) => Some(source.read(key)?.expose().to_string()),
            None => None,
        };
        let target = PgTarget::parse(text, password, state.ca_file.as_deref()).map_err(|why| {
            crate::config::ConfigError::new(format!("the state store's URL {why}"))
        })?;
        Ok(Location::Postgres(Box::new(target)))
    }

    /// Opens the store bound to the config's estate.
    pub fn open_store(&self, config: &Config) -> anyhow::Result<Store> {
        let location = self.state_location(config)?;
        if let Location::File(path) = &location {
            self.state_directory_exists(config, path)?;
        }
        let estate = config.estate();
        match (Store::open_at(&location, estate.as_ref()), &estate) {
            (Err(refused @ crate::store::StoreError::ForeignEstate { .. }), Some(estate)) => {
                tenant::open_by_tenant_id(config, &location, estate, refused)
            }
            (opened, _) => Ok(opened?),
        }
    }

    /// Only the default (XDG) directory is created for the store: a `--state` or
    /// `[state] path` in a directory that is not there is more likely a typo, or a volume
    /// not mounted, than a wish for a new store.
    pub fn state_directory_exists(
        &self,
        config: &Config,
        path: &std::path::Path,
    ) -> Result<(), crate::store::StoreError> {
        if crate::store::db::postgres::is_url(&path.to_string_lossy()) {
            return Ok(());
        }
        let explicit = self.state_flag.is_some() || config.file.state.path.is_some();
        let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
            return Ok(());
        };
        if !explicit || dir.exists() {
            return Ok(());
        }
        let message = format!(
            "its directory {} does not exist (only the default directory is created): \
             create it (mkdir -m 700), or point --state at the store's file",
            dir.display()
        );
        Err(crate::store::StoreError::Io {
            path: path.to_path_buf(),
            cause: std::io::Error::new(std::io::ErrorKind::NotFound, message),
        })
    }

    /// Asks before a change. `Ok(false)`: the admin said no. Without a terminal and without
    /// `--yes` it refuses with a usage error: a script must say `--yes` explicitly.
    pub fn confirm(&self, write: &WriteArgs, question: &str) -> anyhow::Result<bool> {
        if write.yes {
            return Ok(true);
        }
        if !self.printer.can_prompt() {
            return Err(CliError::usage(format!(
                "{question} needs a confirmation, and there is no terminal to ask: \
                 re-run with --yes to apply, or --dry-run to preview"
            ))
            .into());
        }
        self.printer.prompt(question);
        std::io::stderr().flush().ok();
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .context("reading the answer")?;
        Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
    }
}

fn default_config_path() -> PathBuf {
    dirs::config_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mcteams")
        .join("config.toml")
}

fn default_state_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("mcteams")
        .join("state.db")
}

fn init_logging(global: &GlobalArgs) {
    let level = if global.quiet {
        "error"
    } else {
        match global.verbose {
            0 => "warn",
            1 => "info",
            2 => "debug",
            _ => "trace",
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("MCTEAMS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match global.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.with_ansi(colors_on_stderr()).try_init(),
    };
}

/// Decides colour once, for every writer: `--no-color` turns it off; otherwise anstream
/// follows the conventions (`NO_COLOR`, `CLICOLOR`, `CLICOLOR_FORCE`, `TERM=dumb`, a
/// terminal or not).
fn choose_colors(global: &GlobalArgs) {
    if global.no_color {
        anstream::ColorChoice::Never.write_global();
    }
}

/// Whether what goes to stderr is coloured.
fn colors_on_stderr() -> bool {
    anstream::AutoStream::choice(&std::io::stderr()) != anstream::ColorChoice::Never
}

/// The command line, parsed; a usage error ends the process as clap does (exit 2), but as
/// a JSON line when `--log-format json` was asked for (every stderr line is JSON then).
pub fn parse_args() -> Cli {
    use clap::Parser as _;
    let error = match Cli::try_parse() {
        Ok(cli) => return cli,
        Err(error) => error,
    };
    let args: Vec<String> = std::env::args().collect();
    let json_logs = args.iter().any(|a| a == "--log-format=json")
        || args
            .windows(2)
            .any(|w| w[0] == "--log-format" && w[1] == "json");
    if !json_logs || !error.use_stderr() {
        error.exit();
    }
    let text = error.render().to_string();
    crate::output::json_error_line(text.trim().trim_start_matches("error: "));
    std::process::exit(error.exit_code());
}

/// Runs a parsed command line and returns its exit status. Never panics on input:
/// every error becomes one line on stderr (and its causes with `-v`).
pub fn run(mut cli: Cli) -> ExitStatus {
    // `generate --out DIR` names the directory it writes into, not a file for its results.
    if matches!(cli.command, Command::Generate(_)) {
        cli.global.out = None;
    }
    choose_colors(&cli.global);
    init_logging(&cli.global);
    let ctx = Context::from_global(&cli.global);
    let checked = match &cli.global.query {
        Some(query) => crate::output::query::check(query),
        None => Ok(()),
    }
    .and_then(|()| ctx.printer.prepare_out())
    .map_err(|e| CliError::usage(e).into());
    let outcome = checked.and_then(|()| dispatch(&ctx, cli.command));
    // `--out`: the results in place once the command did its job (a partial run's and a
    // report's "out of sync" included: their results are whole).
    let succeeded = outcome.as_ref().is_ok_and(|s| {
        matches!(
            s,
            ExitStatus::Success | ExitStatus::Partial | ExitStatus::OutOfSync
        )
    });
    let outcome = match ctx.printer.finish(succeeded) {
        Err(e) if succeeded => Err(anyhow::Error::new(e).context(format!(
            "writing {}",
            ctx.printer
                .out_path()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        ))),
        _ => outcome,
    };
    match outcome {
        Ok(status) => status,
        Err(err) => {
            let status = status_of(&err);
            let err = first_run_hint(&ctx, err, status);
            if ctx.printer.verbose() > 0 {
                let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
                ctx.printer.error_with_causes(&err.to_string(), &causes);
            } else {
                ctx.printer.error(format!("{err:#}"));
            }
            status
        }
    }
}

/// A configuration error on a host without a config file (a first run): the file looked
/// for, and how to make one.
fn first_run_hint(ctx: &Context, err: anyhow::Error, status: ExitStatus) -> anyhow::Error {
    let looked_for = ctx.config_path.display().to_string();
    let said = format!("{err:#}");
    if status != ExitStatus::Config || ctx.config_path.exists() || said.contains(&looked_for) {
        return err;
    }
    err.context(format!(
        "no config file at {looked_for}: create one with `mcteams config init` (or name one with --config)"
    ))
}

fn dispatch(ctx: &Context, command: Command) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Profile(cmd) => profile::run(ctx, cmd),
        Command::User(cmd) => user::run(ctx, cmd),
        Command::Status(cmd) => status::run(ctx, cmd),
        Command::Import(args) => import::run(ctx, args),
        Command::Mappings(cmd) => mappings::run(ctx, cmd),
        Command::Sync(args) => sync::run(ctx, args),
        Command::Release(args) => release::run(ctx, args),
        Command::Report(args) => report::run(ctx, args),
        Command::Doctor(args) => doctor::run(ctx, args),
        Command::History(args) => history::run(ctx, args),
        Command::State(cmd) => state::run(ctx, cmd),
        Command::Completion(args) => {
            ctx.printer
                .stdout(&String::from_utf8_lossy(&generate::completion_script(
                    args.shell,
                )))?;
            Ok(ExitStatus::Success)
        }
        Command::Config(cmd) => config::run(ctx, cmd),
        Command::Sim(cmd) => sim::run(ctx, cmd),
        Command::Demo(args) => demo::run(ctx, args),
        Command::Generate(args) => generate::run(ctx, args),
    }
}

/// Graph counts its presence limit over a 30 s window, so no earlier run can have taken it
/// further ahead than that. A longer carried wait means the clock moved (a run with the host
/// clock ahead wrote it): waiting it out would hang every later run while holding the lease.
pub(crate) const GRAPH_LIMIT_WINDOW: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a run waits for the rate limit an earlier run left at `until`, judged `now`:
/// never more than Graph's window ([`GRAPH_LIMIT_WINDOW`]); the flag says it was capped.
pub(crate) fn carried_wait(
    until: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> (std::time::Duration, bool) {
    let ahead = (until - now).to_std().unwrap_or_default();
    if ahead > GRAPH_LIMIT_WINDOW {
        (GRAPH_LIMIT_WINDOW, true)
    } else {
        (ahead, false)
    }
}

/// Starts Graph's rate limit where the last run left it: Graph counts its presence limit per
/// app over a sliding window, so runs back to back must share it to never meet a 429.
pub(crate) fn resume_graph_limit<T: crate::engine::TeamsPort>(
    store: &crate::store::Store,
    teams: &T,
) -> Result<(), crate::store::StoreError> {
    if let Some(until) = store.graph_limit_until()? {
        let (ahead, capped) = carried_wait(until, chrono::Utc::now());
        if capped {
            tracing::warn!(
                carried_until = %until,
                wait_s = ahead.as_secs(),
                "the Graph rate limit carried over from an earlier run lies further ahead than \
                 Graph's 30 s window (the clock moved): waiting the window at most"
            );
        } else {
            tracing::debug!(
                ahead_ms = ahead.as_millis() as u64,
                "Graph rate limit carried over"
            );
        }
        teams.carry_over_rate_limit(ahead);
    }
    Ok(())
}

/// Records how far this run has taken Graph's rate limit, for the next run to start there.
pub(crate) fn keep_graph_limit<T: crate::engine::TeamsPort>(
    store: &mut crate::store::Store,
    teams: &T,
) -> Result<(), crate::store::StoreError> {
    let ahead = teams.rate_limit_ahead();
    if ahead.is_zero() {
        return Ok(());
    }
    let ahead = chrono::Duration::from_std(ahead).unwrap_or_default();
    store.set_graph_limit_until(chrono::Utc::now() + ahead)
}

/// A multi-threaded runtime for the commands that talk to systems.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carried_rate_limit_wait_is_capped_at_graphs_window() {
        let now = chrono::Utc::now();
        let secs = chrono::Duration::seconds;
        let cases = [
            (secs(-5), 0, false),
            (secs(0), 0, false),
            (secs(12), 12, false),
            (secs(30), 30, false),
            (secs(31), 30, true),
            (secs(3600), 30, true),
        ];
        for (ahead, wait_s, capped) in cases {
            let (wait, was_capped) = carried_wait(now + ahead, now);
            assert_eq!((wait.as_secs(), was_capped), (wait_s, capped), "{ahead}");
        }
    }
}
