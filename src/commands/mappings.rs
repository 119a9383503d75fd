//! `mcteams mappings list|show|remove|export|discover`.

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::{MappingsCommand, WriteArgs};
use crate::exit::{CliError, ExitStatus};
use crate::mapping::{Mapping, write_mapping_csv};

use crate::output::{Column, Detail, Records};
use crate::store::{RemoveOutcome, SyncRecord};

use std::collections::HashSet;

use crate::connectors::PresenceDirectory;
use crate::connectors::cloudlink::CloudlinkDirectory;
use crate::connectors::micollab::MicollabAdmin;
use crate::import::discover::{self as discovery, Discovery, MicollabUser, Unmatched};
use crate::import::resolve::{CloudlinkUser, TeamsUser};

use super::Context;
use super::change::{Applied, Stage};
use crate::store::{RunId, Store};

pub fn run(ctx: &Context, cmd: MappingsCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        MappingsCommand::List { removed } => list(ctx, removed),
        MappingsCommand::Show { key } => show(ctx, &key),
        MappingsCommand::Remove { logins, write } => remove(ctx, &logins, &write),
        MappingsCommand::Export => export(ctx),
        MappingsCommand::Discover => discover(ctx),
    }
}

fn mapping_columns(with_removed: bool) -> Vec<Column> {
    let mut columns = vec![
        Column::exact("micollab_login", "MiCollab login"),
        Column::exact("teams_upn", "Teams UPN"),
        Column::exact("teams_id", "Entra object id"),
        Column::exact("extension", "Extension"),
        Column::exact("cloudlink_user_id", "CloudLink user"),
        Column::exact("verified", "Verified"),
        Column::exact("updated_at", "Updated"),
    ];
    if with_removed {
        columns.push(Column::exact("removed_at", "Removed"));
    }
    columns
}

fn list(ctx: &Context, removed: bool) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let store = ctx.open_store(&config)?;
    let mappings = store.list_mappings(removed)?;
    let mut records = Records::new(mapping_columns(removed));
    for m in &mappings {
        records.push(m);
    }
    ctx.printer.results(&records)?;
    if mappings.is_empty() {
        ctx.printer
            .note("no mappings yet: add them with `mcteams import FILE.csv`");
    }
    Ok(ExitStatus::Success)
}

/// A mapping and what the sync last did for it.
#[derive(Serialize)]
struct MappingDetail<'a> {
    #[serde(flatten)]
    mapping: &'a Mapping,
    sync: Option<SyncRecord>,
}

fn show(ctx: &Context, key: &str) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let store = ctx.open_store(&config)?;
    let Some(mapping) = store.find_mapping(key)? else {
        return Err(CliError::new(
            ExitStatus::Failure,
            format!("no mapping for {key:?} (looked up by MiCollab login, Teams UPN, Entra object id and extension)"),
        )
        .into());
    };
    let sync = store.sync_record(&mapping.micollab_login)?;
    ctx.printer.detail(&Detail::new(&MappingDetail {
        mapping: &mapping,
        sync,
    }))?;
    Ok(ExitStatus::Success)
}

#[derive(Serialize)]
struct RemoveRow<'a> {
    micollab_login: &'a str,
    teams_upn: Option<&'a str>,
    extension: Option<&'a str>,
    result: &'static str,
}

fn remove(ctx: &Context, logins: &[String], write: &WriteArgs) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let mut store = ctx.open_store(&config)?;
    let mut change = Removal::default();
    for login in logins {
        match store.find_mapping(login)? {
            Some(m) if m.micollab_login == *login && m.removed_at.is_none() => change.found.push(m),
            _ => change.missing.push(login.clone()),
        }
    }
    let rt = super::runtime()?;
    super::change::run(ctx, &rt, &mut store, write, false, &mut change)
}

/// `mappings remove` as a change: the mappings found, removed (or tombstoned while mcteams
/// holds a Teams session of the user).
#[derive(Default)]
struct Removal {
    found: Vec<Mapping>,
    /// Logins asked for that have no live mapping.
    missing: Vec<String>,
    outcomes: Vec<RemoveOutcome>,
}

impl super::change::Change for Removal {
    fn command(&self) -> String {
        "mappings remove".into()
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        let status = partial_if(!self.missing.is_empty());
        self.found
            .is_empty()
            .then(|| ("nothing to remove".to_string(), status))
    }

    fn preview(&self) -> String {
        format!(
            "{} mapping(s) will be removed; a user for whom mcteams holds a Teams session keeps \
             a tombstone until the next sync clears it",
            self.found.len()
        )
    }

    fn question(&self) -> Option<String> {
        Some(format!("Remove {} mapping(s)?", self.found.len()))
    }

    fn print(&self, ctx: &Context, stage: Stage) -> anyhow::Result<()> {
        if matches!(stage, Stage::Stopped | Stage::Cancelled) {
            return Ok(());
        }
        let result = |i: usize| match (stage, self.outcomes.get(i)) {
            (Stage::Changed, Some(RemoveOutcome::Removed)) => "removed",
            (Stage::Changed, Some(RemoveOutcome::Tombstoned)) => "tombstoned",
            (Stage::Changed, _) => "not_found",
            _ => "would_remove",
        };
        let mut records = Records::new(vec![
            Column::exact("micollab_login", "MiCollab login"),
            Column::exact("teams_upn", "Teams UPN"),
            Column::exact("extension", "Extension"),
            Column::exact("result", "Result"),
        ]);
        for (i, m) in self.found.iter().enumerate() {
            records.push(&mapping_row(m, result(i)));
        }
        for login in &self.missing {
            records.push(&not_found_row(login));
        }
        ctx.printer.results(&records)?;
        Ok(())
    }

    async fn apply(&mut self, store: &mut Store, run: RunId, _: &[i64]) -> anyhow::Result<Applied> {
        let targets: Vec<String> = self
            .found
            .iter()
            .map(|m| m.micollab_login.clone())
            .collect();
        self.outcomes = store
            .remove_mappings(&targets, Some(run))
            .context("removing mappings")?;
        let (removed, not_found) = (self.found.len(), self.missing.len());
        Ok(Applied {
            status: partial_if(not_found > 0),
            summary: serde_json::json!({"removed": removed, "not_found": not_found}),
            note: String::new(),
        })
    }
}

fn mapping_row<'a>(m: &'a Mapping, result: &'static str) -> RemoveRow<'a> {
    RemoveRow {
        micollab_login: &m.micollab_login,
        teams_upn: Some(&m.teams_upn),
        extension: Some(&m.extension),
        result,
    }
}

fn not_found_row(login: &str) -> RemoveRow<'_> {
    RemoveRow {
        micollab_login: login,
        teams_upn: None,
        extension: None,
        result: "not_found",
    }
}

fn partial_if(some_failed: bool) -> ExitStatus {
    if some_failed {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    }
}

/// The mapping CSV on stdout, or whole in the `--out` file.
fn export(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let store = ctx.open_store(&config)?;
    let mappings = store.list_mappings(false)?;
    let mut buffer = Vec::new();
    write_mapping_csv(&mut buffer, &mappings)?;
    ctx.printer.stdout(&String::from_utf8_lossy(&buffer))?;
    if let Some(path) = ctx.printer.out_path() {
        let (n, shown) = (mappings.len(), path.display());
        ctx.printer
            .note(format!("exported {n} mapping(s) to {shown}"));
    }
    Ok(ExitStatus::Success)
}

/// `mappings discover`: proposals for MiCollab users not mapped yet.
fn discover(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    super::sync::require_systems(&config)?;
    let store = ctx.open_store(&config)?;
    let mapped: HashSet<String> = store
        .list_mappings(true)?
        .into_iter()
        .map(|m| m.micollab_login)
        .collect();
    let systems = crate::connectors::connect(&config)?;
    let found = super::runtime()?.block_on(discover_unmapped(&systems, &mapped))?;
    let mut proposals = Records::new(vec![
        Column::exact("micollab_login", "MiCollab login"),
        Column::exact("teams_upn", "Teams UPN"),
        Column::exact("teams_id", "Entra object id"),
        Column::exact("extension", "Extension"),
        Column::exact("cloudlink_user_id", "CloudLink user"),
        Column::exact("confidence", "Confidence"),
        Column::text("notes", "Notes"),
    ]);
    for p in &found.proposals {
        proposals.push(p);
    }
    match ctx.printer.out_path() {
        Some(path) => {
            let text = proposals.render(crate::output::Format::Csv, None);
            ctx.printer.stdout(&text)?;
            let (n, shown) = (found.proposals.len(), path.display());
            ctx.printer.note(format!(
                "wrote {n} proposal(s) to {shown}: review them, then `mcteams import {shown}`"
            ));
        }
        None => ctx.printer.results(&proposals)?,
    }
    note_unmatched(ctx, &found.unmatched);
    Ok(ExitStatus::Success)
}

/// Proposals for the MiCollab users not in `mapped`: each matched by email in Entra and
/// CloudLink.
async fn discover_unmapped(
    systems: &crate::connectors::ConnectedSystems,
    mapped: &HashSet<String>,
) -> anyhow::Result<Discovery> {
    let micollab: Vec<MicollabUser> = systems
        .micollab
        .users(None)
        .await
        .context("reading MiCollab's users")?
        .into_iter()
        .map(|u| MicollabUser {
            login: u.login,
            email: u.email,
            extension: u.extension,
        })
        .collect();
    let emails: Vec<String> = micollab
        .iter()
        .filter(|u| !mapped.contains(&u.login))
        .filter_map(|u| u.email.clone())
        .collect();
    let (resolution, cloudlink) = tokio::join!(
        systems.teams.resolve_users(&emails),
        systems.cloudlink.users()
    );
    let found = resolution.context("looking the users up in Entra")?.found;
    let mut seen = HashSet::new();
    let teams: Vec<TeamsUser> = found
        .into_values()
        .filter(|r| seen.insert(r.user.id.clone()))
        .map(|r| TeamsUser {
            id: r.user.id,
            user_principal_name: r.user.user_principal_name,
            mail: r.user.mail,
        })
        .collect();
    let cloudlink: Vec<CloudlinkUser> = cloudlink
        .context("reading CloudLink's users")?
        .into_iter()
        .map(|u| CloudlinkUser {
            user_id: u.user_id,
            email: u.email,
        })
        .collect();
    Ok(discovery::discover(&micollab, &teams, &cloudlink, mapped))
}

/// The users no proposal could be made for, with why (the first 50).
fn note_unmatched(ctx: &Context, unmatched: &[Unmatched]) {
    if unmatched.is_empty() {
        return;
    }
    let n = unmatched.len();
    ctx.printer
        .note(format!("{n} MiCollab user(s) could not be matched:"));
    for u in unmatched.iter().take(50) {
        ctx.printer.note(format!(
            "  {} ({}): {}",
            u.micollab_login, u.reason, u.notes
        ));
    }
    if n > 50 {
        ctx.printer.note(format!("  … and {} more", n - 50));
    }
}
