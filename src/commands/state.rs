//! `mcteams state check | backup FILE | rebind | migrate --to URL`: the store looked after
//! by its admin, and moved from its SQLite file to PostgreSQL.

use std::path::Path;

use crate::cli::{StateCommand, WriteArgs};
use crate::config::Estate;
use crate::exit::{CliError, ExitStatus};
use crate::store::{Location, RunId, Store};

use super::Context;
use super::change::{Applied, Stage};
use crate::output::{Column, Records};

pub fn run(ctx: &Context, cmd: StateCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        StateCommand::Check => super::doctor::check_store(ctx),
        StateCommand::Backup { file } => backup(ctx, &file),
        StateCommand::Rebind { write } => rebind(ctx, &write),
        StateCommand::Migrate { to, force, write } => migrate(ctx, &to, force, &write),
    }
}

/// Copies the store to PostgreSQL while no sync writes it (the sync lease held meanwhile).
fn migrate(ctx: &Context, to: &str, force: bool, write: &WriteArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let Location::Postgres(target) = ctx.location_of(&config, to)? else {
        return Err(CliError::usage(format!("--to {to}: expected a postgres:// URL")).into());
    };
    let mut source = ctx.open_store(&config)?;
    if source.is_shared() {
        return Err(
            CliError::usage("the store is on PostgreSQL already (move it with pg_dump)").into(),
        );
    }
    let counts = source.table_counts()?;
    let rows: i64 = counts.iter().map(|(_, n)| n).sum();
    let shown = target.shown().to_string();
    if write.dry_run {
        ctx.printer.note(format!(
            "would copy {rows} rows in {} tables to {shown} (dry run: nothing written)",
            counts.len()
        ));
        return Ok(ExitStatus::Success);
    }
    if force
        && !ctx.confirm(
            write,
            &format!("replace any store at {shown} with this one?"),
        )?
    {
        return Ok(ExitStatus::Success);
    }
    let lease = source.acquire_lease("sync", std::time::Duration::from_secs(600))?;
    let started = std::time::Instant::now();
    let copied = Store::open_at(&Location::Postgres(target), None)
        .and_then(|mut into| source.copy_into(&mut into, force));
    source.release_lease(lease)?;
    let copied = copied?;
    let mut records = Records::new(vec![
        Column::exact("table", "Table"),
        Column::exact("source", "Source"),
        Column::exact("target", "Target"),
    ]);
    for count in &copied {
        records.push(count);
    }
    ctx.printer.results(&records)?;
    ctx.printer.note(format!(
        "copied {rows} rows to {shown} in {:.1} s, every table's count equal; point [state] url \
         at it (and password_env or password_file) and stop using {}",
        started.elapsed().as_secs_f64(),
        source.path().display()
    ));
    Ok(ExitStatus::Success)
}

/// A consistent copy of the store in a new file, checked whole before it is called good.
fn backup(ctx: &Context, file: &Path) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let store = ctx.open_store(&config)?;
    if store.is_shared() {
        return Err(CliError::usage(format!(
            "{} is a PostgreSQL store: back it up with PostgreSQL's own tools (pg_dump)",
            store.path().display()
        ))
        .into());
    }
    if file.exists() {
        return Err(CliError::usage(format!(
            "{} exists: a backup is written to a new file, never over one",
            file.display()
        ))
        .into());
    }
    let bytes = store.backup_to(file)?;
    let checked = Store::integrity(file).and_then(|()| Store::inspect(file));
    let mappings = match checked {
        Ok(found) => found.mappings,
        Err(e) => {
            // A copy that fails its check is no backup: it is not left to be trusted.
            let _ = std::fs::remove_file(file);
            return Err(e.into());
        }
    };
    ctx.printer.note(format!(
        "backed up {} to {} ({bytes} bytes, {mappings} mapped users, integrity checked); \
         restore by stopping mcteams and copying it over the state file",
        store.path().display(),
        file.display()
    ));
    Ok(ExitStatus::Success)
}

/// The store bound to the MiCollab server the config names now, when only that changed.
fn rebind(ctx: &Context, write: &WriteArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let Some(wanted) = config.estate() else {
        return Err(crate::config::ConfigError::new(
            "graph.tenant_id and micollab.base_url must be set to rebind the store to them",
        )
        .into());
    };
    let path = ctx.state_path(&config);
    let location = ctx.state_location(&config)?;
    if let Location::File(path) = &location {
        ctx.state_directory_exists(&config, path)?;
    }
    let mut store = Store::open_at(&location, None)?;
    let Some(bound) = store.estate()? else {
        ctx.printer.note(format!(
            "{} is bound to no estate yet: the next command binds it to this config's",
            path.display()
        ));
        return Ok(ExitStatus::Success);
    };
    let mut change = Rebind { bound, wanted };
    let rt = super::runtime()?;
    super::change::run(ctx, &rt, &mut store, write, false, &mut change)
}

/// `state rebind` as a change: the estate's MiCollab address, old -> new.
struct Rebind {
    bound: Estate,
    wanted: Estate,
}

impl super::change::Change for Rebind {
    fn command(&self) -> String {
        "state rebind".into()
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        if self.bound.same_as(&self.wanted) {
            let message = format!(
                "the store is bound to this config's estate already (MiCollab {})",
                self.bound.micollab
            );
            return Some((message, ExitStatus::Success));
        }
        None
    }

    fn stopped(&self, _force: bool) -> Option<super::change::Stop> {
        (!self.bound.same_tenant_name(&self.wanted)).then(|| super::change::Stop {
            status: ExitStatus::Config,
            message: format!(
                "the store belongs to tenant {}, this config to {}: another tenant is another \
                 estate, with a store of its own (--state); nothing changed",
                self.bound.tenant_id, self.wanted.tenant_id
            ),
            in_dry_run: true,
        })
    }

    fn preview(&self) -> String {
        format!(
            "the store's MiCollab server: {} -> {} (tenant {} stays); its mappings, records and \
             history are kept for the server at the new address",
            self.bound.micollab, self.wanted.micollab, self.bound.tenant_id
        )
    }

    fn question(&self) -> Option<String> {
        Some(format!(
            "Bind the store to MiCollab {}?",
            self.wanted.micollab
        ))
    }

    fn print(&self, _: &Context, _: Stage) -> anyhow::Result<()> {
        Ok(())
    }

    async fn apply(&mut self, store: &mut Store, run: RunId, _: &[i64]) -> anyhow::Result<Applied> {
        store.rebind_micollab(&self.wanted.micollab, Some(run))?;
        Ok(Applied {
            status: ExitStatus::Success,
            summary: serde_json::json!({"old": self.bound.micollab, "new": self.wanted.micollab}),
            note: format!(
                "the store is bound to MiCollab {} now",
                self.wanted.micollab
            ),
        })
    }
}
