//! The one flow of every admin write (`profile enable|disable`, `user enable|disable`,
//! `status set`): the command builds a [`Change`] (what changes, who is notified, what the
//! mass-change guard counts); [`run`] previews it, applies the guard, honours `--dry-run`,
//! asks for confirmation (or `--yes`), opens the run, journals the intent before anything is
//! sent, applies, and closes the run with its summary, then prints the result. A run killed
//! after the system acted leaves its journal entry for the next run to settle from what the
//! system shows.

use crate::cli::WriteArgs;
use crate::connectors::micollab::MicollabError;
use crate::engine::switches;
use crate::exit::{CliError, ExitStatus, status_of};
use crate::store::{RunId, Store};

use super::Context;
use super::profile::micollab_error;

/// Where a change got to; each command's document says it as `result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    /// Already so: nothing to send.
    Unchanged,
    /// A dry run's preview.
    Planned,
    /// The mass-change guard stopped it.
    Stopped,
    /// The admin said no.
    Cancelled,
    /// Sent and answered.
    Changed,
}

impl Stage {
    pub fn result(self) -> &'static str {
        match self {
            Stage::Unchanged => "unchanged",
            Stage::Planned => "planned",
            Stage::Stopped => "stopped",
            Stage::Cancelled => "cancelled",
            Stage::Changed => "changed",
        }
    }
}

/// A safety guard that stops a change before anything is sent.
pub(super) struct Stop {
    /// The exit status it ends the run with (5 for a guard, 3 for `--strict`).
    pub status: ExitStatus,
    pub message: String,
    /// A dry run ends with it too (`import --dry-run --strict` validates a file for a
    /// script); else a dry run only warns that the real run would stop.
    pub in_dry_run: bool,
}

/// The mass-change guard (`sync.max_changes`): more `users` than `limit` turned at once
/// stops the change unless forced; `check` is what to look at first ("the profile").
pub(super) fn mass_change_guard(users: u64, limit: u64, force: bool, check: &str) -> Option<Stop> {
    (users > limit && !force).then(|| Stop {
        status: ExitStatus::Guard,
        message: format!(
            "{users} user(s) would change, more than max_changes ({limit}): nothing changed; \
             check {check}, then re-run with --force"
        ),
        in_dry_run: false,
    })
}

/// What applying a change came to.
pub(super) struct Applied {
    pub status: ExitStatus,
    /// The run's summary in the history.
    pub summary: serde_json::Value,
    /// The closing line for people.
    pub note: String,
}

/// One admin change, planned: each command says only what is its own.
pub(super) trait Change {
    /// The run's command in the history (`profile enable`).
    fn command(&self) -> String;
    /// Why nothing would change, and the run's status then; `None`: something would.
    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        None
    }
    /// The safety guard that stops it, if one does (`force`: the admin overrode the
    /// mass-change guard).
    fn stopped(&self, _force: bool) -> Option<Stop> {
        None
    }
    /// The preview in words: who changes, who is notified, what to check first (empty:
    /// nothing to say).
    fn preview(&self) -> String;
    /// The dry run's document already shows the preview (a table of `profile`).
    fn preview_in_dry_run_document(&self, _ctx: &Context) -> bool {
        false
    }
    /// The status of a dry run (rows that failed to plan make it partial).
    fn planned_status(&self) -> ExitStatus {
        ExitStatus::Success
    }
    /// The confirmation question; `None`: nothing destructive, no question.
    fn question(&self) -> Option<String>;
    /// Prints the document at `stage`.
    fn print(&self, ctx: &Context, stage: Stage) -> anyhow::Result<()>;
    /// Journals what is about to be sent, before it is sent; returns the entries. Nothing by
    /// default: a change only the store holds (import, mappings remove, approve) is applied
    /// in one transaction or not at all, and release journals each session as it clears it.
    fn intend(&self, _store: &mut Store, _run: RunId) -> anyhow::Result<Vec<i64>> {
        Ok(Vec::new())
    }
    /// Sends it and records each outcome against its journal entry.
    fn apply(
        &mut self,
        store: &mut Store,
        run: RunId,
        entries: &[i64],
    ) -> impl std::future::Future<Output = anyhow::Result<Applied>>;
}

/// A MiCollab error met while sending a change journaled as `entry`: the entry stays open
/// when MiCollab may have acted (its answer was lost: the next run settles it from what
/// MiCollab shows), else it is closed as failed. Returns the error to end the run with.
pub(super) fn not_applied(
    store: &mut Store,
    entry: i64,
    error: MicollabError,
    doing: &str,
) -> anyhow::Error {
    if !error.http().maybe_applied()
        && let Err(e) = switches::refused(store, entry, &error.to_string())
    {
        return e.into();
    }
    micollab_error(doing, error)
}

/// `--dry-run`: what would change, and whether the real run would stop.
fn dry_run<C: Change>(
    ctx: &Context,
    change: &mut C,
    preview: &str,
    stop: Option<Stop>,
) -> anyhow::Result<ExitStatus> {
    change.print(ctx, Stage::Planned)?;
    if !preview.is_empty() && !change.preview_in_dry_run_document(ctx) {
        ctx.printer.note(preview);
    }
    ctx.printer.note("dry run: nothing changed");
    match stop {
        Some(stop) if stop.in_dry_run => Err(CliError::new(stop.status, stop.message).into()),
        Some(stop) => {
            ctx.printer
                .warn(format!("the real run would stop: {}", stop.message));
            Ok(change.planned_status())
        }
        None => Ok(change.planned_status()),
    }
}

/// Runs `change` through preview, guard, dry run, confirmation, journal and apply.
pub(super) fn run<C: Change>(
    ctx: &Context,
    rt: &tokio::runtime::Runtime,
    store: &mut Store,
    write: &WriteArgs,
    force: bool,
    change: &mut C,
) -> anyhow::Result<ExitStatus> {
    if let Some((message, status)) = change.unchanged() {
        change.print(ctx, Stage::Unchanged)?;
        ctx.printer.note(message);
        return Ok(status);
    }
    let stop = change.stopped(force);
    let preview = change.preview();
    if write.dry_run {
        return dry_run(ctx, change, &preview, stop);
    }
    if !preview.is_empty() {
        ctx.printer.note(&preview);
    }
    if let Some(stop) = stop {
        change.print(ctx, Stage::Stopped)?;
        return Err(CliError::new(stop.status, stop.message).into());
    }
    if let Some(question) = change.question()
        && !ctx.confirm(write, &question)?
    {
        ctx.printer.note("cancelled; nothing changed");
        change.print(ctx, Stage::Cancelled)?;
        return Ok(ExitStatus::Success);
    }
    let run = store.begin_run(&change.command())?;
    let applied = match change.intend(store, run) {
        Ok(entries) => rt.block_on(change.apply(store, run, &entries)),
        Err(e) => Err(e),
    };
    match applied {
        Ok(applied) => {
            store.finish_run(run, applied.status.code(), &applied.summary)?;
            change.print(ctx, Stage::Changed)?;
            if !applied.note.is_empty() {
                ctx.printer.note(applied.note);
            }
            Ok(applied.status)
        }
        Err(error) => {
            let summary = serde_json::json!({"error": format!("{error:#}")});
            store.finish_run(run, status_of(&error).code(), &summary)?;
            Err(error)
        }
    }
}
