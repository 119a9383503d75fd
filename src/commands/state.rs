//! `mcteams state check | backup FILE | rebind`: the store looked after by its admin. (The
//! group is where moving the store to another backend will go.)

use std::path::Path;

use crate::cli::{StateCommand, WriteArgs};
use crate::config::Estate;
use crate::exit::{CliError, ExitStatus};
use crate::store::{RunId, Store};

use super::Context;
use super::change::{Applied, Stage};

pub fn run(ctx: &Context, cmd: StateCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        StateCommand::Check => super::doctor::check_store(ctx),
        StateCommand::Backup { file } => backup(ctx, &file),
        StateCommand::Rebind { write } => rebind(ctx, &write),
    }
}

/// A consistent copy of the store in a new file, checked whole before it is called good.
fn backup(ctx: &Context, file: &Path) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let store = ctx.open_store(&config)?;
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
    ctx.state_directory_exists(&config, &path)?;
    let mut store = Store::open(&path, None)?;
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
