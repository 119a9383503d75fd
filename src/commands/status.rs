//! `mcteams status list|set|add`: the settings of a profile's Teams-managed statuses.
//!
//! Teams owns the names and Do not disturb, and no status can be added while Teams
//! manages them (the seed): those asks are refused here, with the seed's reason, before
//! anything is sent (exit 1, like every refusal of a domain rule). Users' own settings are
//! kept unless `--override-users`, and the preview says how many users keep theirs.

use futures_util::StreamExt as _;
use serde::Serialize;

use crate::admin::{self, FieldChange, Sample};
use crate::cli::{StatusCommand, StatusSetArgs};
use crate::connectors::micollab::{
    MicollabAdmin, MicollabClient, MicollabRefusal, StatusEdit, StatusList,
};
use crate::exit::{CliError, ExitStatus};
use crate::output::{Column, Detail, Format, Records};
use crate::wire::micollab::{Profile, Status, User};

use super::Context;
use super::change::{Applied, Stage};
use super::profile::{micollab_error, read_profile, status_columns, status_row};
use crate::engine::status_edits;
use crate::store::{RunId, Store};

/// Beyond this many Teams-managed users the preview does not read each user's statuses
/// (one request each); MiCollab's answer still gives the exact count once applied.
const MAX_PREVIEW_READS: usize = 2000;
/// Users' statuses read at once for the preview.
const PREVIEW_CONCURRENCY: usize = 8;

pub fn run(ctx: &Context, cmd: StatusCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        StatusCommand::List { profile } => list(ctx, &profile),
        StatusCommand::Set(args) => set(ctx, args),
        StatusCommand::Add { profile, name } => add(ctx, &profile, &name),
    }
}

fn refused(refusal: MicollabRefusal) -> anyhow::Error {
    CliError::new(ExitStatus::Failure, format!("{refusal}; nothing changed")).into()
}

async fn read_statuses(client: &MicollabClient, profile: &Profile) -> anyhow::Result<StatusList> {
    client
        .profile_statuses(&profile.profile_id)
        .await
        .map_err(|e| micollab_error("reading the profile's statuses", e))
}

fn list(ctx: &Context, name: &str) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let list = super::runtime()?.block_on(async {
        let profile = read_profile(&client, name).await?;
        read_statuses(&client, &profile).await
    })?;
    let mut records = Records::new(status_columns());
    for s in &list.statuses {
        records.push(&status_row(s));
    }
    ctx.printer.results(&records)?;
    ctx.printer.note(if list.teams_managed {
        "Microsoft Teams manages these statuses: their names and Do not disturb cannot be \
         edited, and no status can be added"
    } else {
        "Teams presence is off for this profile: these settings apply once it is on"
    });
    Ok(ExitStatus::Success)
}

fn add(ctx: &Context, profile: &str, _name: &str) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    // Only reads: a profile that does not exist is named as such; nothing is sent.
    let list = super::runtime()?.block_on(async {
        let profile = read_profile(&client, profile).await?;
        read_statuses(&client, &profile).await
    })?;
    let allowed: Vec<String> = list.statuses.iter().map(|s| s.name.clone()).collect();
    let message = if list.teams_managed {
        format!(
            "{}: the status set is Microsoft Teams' own ({}); nothing changed",
            MicollabRefusal::StatusAdditionNotAllowed {
                allowed: allowed.clone()
            },
            allowed.join(", ")
        )
    } else {
        // Teams is off: nothing forbids the status; mcteams just does not manage that set.
        format!(
            "Teams presence is off for profile {profile:?}: its dynamic statuses are MiCollab's \
             own; add one in MiCollab's console (mcteams edits only the fixed Microsoft Teams \
             set: {}); nothing changed",
            allowed.join(", ")
        )
    };
    Err(CliError::new(ExitStatus::Failure, message).into())
}

/// What `status set` prints: the change, who keeps their own setting, and the outcome.
#[derive(Debug, Serialize)]
struct SetReport<'a> {
    profile: &'a str,
    status: &'a str,
    changes: &'a [FieldChange],
    override_users: bool,
    /// Users of the profile whose own setting of this status MiCollab shows (only while
    /// Teams manages their status): they keep it unless `--override-users`.
    users_with_own_setting: &'a Sample,
    /// Users whose own settings could not be read (Teams does not manage them now, or
    /// too many to read): MiCollab keeps theirs too unless `--override-users`.
    users_not_read: usize,
    dry_run: bool,
    /// `planned`, `unchanged`, `cancelled`, `changed`.
    result: &'static str,
    /// MiCollab's own counts, once applied.
    users_keeping_own_setting: Option<u64>,
    users_overridden: Option<u64>,
}

/// Reads each Teams-managed member's statuses to count who set this status for themselves.
async fn own_settings(client: &MicollabClient, members: &[User], status: &str) -> (Sample, usize) {
    let managed: Vec<&User> = members
        .iter()
        .filter(|u| u.teams_presence.is_some_and(|t| t.effective))
        .collect();
    if managed.len() > MAX_PREVIEW_READS {
        return (Sample::default(), members.len());
    }
    let reads = futures_util::stream::iter(managed.iter().map(|u| async move {
        let own = client.user_statuses(&u.login).await.ok().map(|list| {
            list.statuses
                .iter()
                .any(|s| s.name == status && s.own_setting == Some(true))
        });
        (u.login.as_str(), own)
    }))
    .buffered(PREVIEW_CONCURRENCY)
    .collect::<Vec<_>>()
    .await;
    let unread = members.len() - managed.len() + reads.iter().filter(|(_, o)| o.is_none()).count();
    let owners = Sample::of(
        reads
            .iter()
            .filter(|(_, own)| *own == Some(true))
            .map(|(login, _)| *login),
    );
    (owners, unread)
}

fn set(ctx: &Context, args: StatusSetArgs) -> anyhow::Result<ExitStatus> {
    check_asks(&args)?;
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let mut store = ctx.open_store(&config)?;
    let rt = super::runtime()?;
    // An edit an interrupted run left unrecorded is recorded first, from what MiCollab shows.
    let statuses = |id: String| {
        let client = &client;
        async move { client.profile_statuses(&id).await.ok().map(|l| l.statuses) }
    };
    rt.block_on(status_edits::settle(&mut store, statuses))?;
    let (profile, current, members) = rt.block_on(read_editable(&client, &args))?;
    let changes = admin::status_changes(
        &current,
        args.call_routing.as_deref(),
        args.message.as_deref(),
    );
    let (owners, unread) = if changes.is_empty() && !args.override_users {
        (Sample::default(), 0)
    } else {
        rt.block_on(own_settings(&client, &members, &current.name))
    };
    let mut change = StatusSet {
        client: &client,
        edit: StatusEdit {
            call_routing: args.call_routing.clone(),
            message: args.message.clone(),
            override_users: args.override_users,
        },
        journaled: status_edits::StatusEdit {
            profile_id: profile.profile_id.clone(),
            profile: profile.name.clone(),
            status: current.name.clone(),
            changes,
        },
        owners,
        unread,
        dry_run: args.write.dry_run,
        answer: None,
    };
    super::change::run(ctx, &rt, &mut store, &args.write, false, &mut change)
}

/// Refuses, before anything is read, what can never be asked.
fn check_asks(args: &StatusSetArgs) -> anyhow::Result<()> {
    admin::check_status_values(args.call_routing.as_deref(), args.message.as_deref())
        .map_err(CliError::usage)?;
    let asks_nothing = args.call_routing.is_none()
        && args.message.is_none()
        && args.name.is_none()
        && args.dnd.is_none();
    if asks_nothing {
        let message = "nothing to set: give --call-routing and/or --message (see --help)";
        return Err(CliError::usage(message).into());
    }
    // Do not disturb is never editable: refused before anything is read.
    if args.dnd.is_some() {
        return Err(refused(MicollabRefusal::DoNotDisturbNotEditable));
    }
    Ok(())
}

/// The profile, the status to edit and the profile's members, once MiCollab's rules let
/// the edit be asked (not a default profile, a Teams status, not its name).
async fn read_editable(
    client: &MicollabClient,
    args: &StatusSetArgs,
) -> anyhow::Result<(Profile, Status, Vec<User>)> {
    let profile = read_profile(client, &args.profile).await?;
    if profile.is_default {
        return Err(refused(MicollabRefusal::DefaultProfileNotEditable {
            profile: profile.name.clone(),
        }));
    }
    let list = read_statuses(client, &profile).await?;
    let Some(current) = admin::find_status(&list.statuses, &args.status).cloned() else {
        let names: Vec<&str> = list.statuses.iter().map(|s| s.name.as_str()).collect();
        let message = format!(
            "{:?} is not a Microsoft Teams status of profile {:?} (the set is fixed: {})",
            args.status,
            profile.name,
            names.join(", ")
        );
        return Err(CliError::new(ExitStatus::Failure, message).into());
    };
    admin::check_status_edit(&current.name, args.name.as_deref(), None).map_err(refused)?;
    admin::check_call_routing(&current.name, args.call_routing.as_deref()).map_err(refused)?;
    let members = client
        .users(Some(&profile.profile_id))
        .await
        .map_err(|e| micollab_error("reading the profile's users", e))?;
    Ok((profile, current, members))
}

/// `status set` as a change: one edit of a profile's Teams-managed status.
struct StatusSet<'c> {
    client: &'c MicollabClient,
    edit: StatusEdit,
    /// The edit as journaled: the profile, the status, the settings that change.
    journaled: status_edits::StatusEdit,
    owners: Sample,
    unread: usize,
    dry_run: bool,
    /// MiCollab's counts once applied: users keeping their own setting, users overridden.
    answer: Option<(u64, u64)>,
}

impl StatusSet<'_> {
    fn report(&self, result: &'static str) -> SetReport<'_> {
        SetReport {
            profile: &self.journaled.profile,
            status: &self.journaled.status,
            changes: &self.journaled.changes,
            override_users: self.edit.override_users,
            users_with_own_setting: &self.owners,
            users_not_read: self.unread,
            dry_run: self.dry_run,
            result,
            users_keeping_own_setting: self.answer.map(|a| a.0),
            users_overridden: self.answer.map(|a| a.1),
        }
    }

    fn what(&self) -> String {
        let (status, profile) = (&self.journaled.status, &self.journaled.profile);
        format!("{status:?} of profile {profile:?}")
    }
}

impl super::change::Change for StatusSet<'_> {
    fn command(&self) -> String {
        "status set".into()
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        let message = format!(
            "{} already has these settings: nothing changed",
            self.what()
        );
        (self.journaled.changes.is_empty() && !self.edit.override_users)
            .then_some((message, ExitStatus::Success))
    }

    fn preview(&self) -> String {
        preview_text(&self.report(Stage::Planned.result()))
    }

    fn question(&self) -> Option<String> {
        Some(format!("Change {}?", self.what()))
    }

    fn print(&self, ctx: &Context, stage: Stage) -> anyhow::Result<()> {
        print_report(ctx, &self.report(stage.result()))
    }

    fn intend(&self, store: &mut Store, run: RunId) -> anyhow::Result<Vec<i64>> {
        Ok(vec![status_edits::intend(store, run, &self.journaled)?])
    }

    async fn apply(
        &mut self,
        store: &mut Store,
        run: RunId,
        entries: &[i64],
    ) -> anyhow::Result<Applied> {
        let entry = entries[0];
        let (id, status) = (&self.journaled.profile_id, &self.journaled.status);
        let answer = match self
            .client
            .edit_profile_status(id, status, &self.edit)
            .await
        {
            Ok(answer) => answer,
            Err(e) => {
                let doing = format!("changing {}", self.what());
                return Err(super::change::not_applied(store, entry, e, &doing));
            }
        };
        let overridden = answer.users_overridden;
        status_edits::applied(store, run, entry, &self.journaled, overridden)?;
        let kept = answer.users_keeping_own_setting;
        self.answer = Some((kept, overridden));
        Ok(Applied {
            status: ExitStatus::Success,
            summary: serde_json::json!({
                "profile": self.journaled.profile,
                "status": self.journaled.status,
                "changes": self.journaled.changes.len(),
                "usersKeepingOwnSetting": kept,
                "usersOverridden": overridden,
            }),
            note: format!(
                "{} changed: {kept} user(s) kept their own setting, {overridden} overridden",
                self.what()
            ),
        })
    }
}

fn preview_text(report: &SetReport) -> String {
    let mut lines = vec![format!(
        "Change {:?} of profile {:?}:",
        report.status, report.profile
    )];
    for c in report.changes {
        lines.push(format!(
            "  {}: {} -> {:?}",
            c.field,
            c.old
                .as_deref()
                .map_or("(none)".to_string(), |o| format!("{o:?}")),
            c.new
        ));
    }
    let own = &report.users_with_own_setting;
    if report.override_users {
        lines.push(format!(
            "  --override-users: {} user(s) who set this status for themselves lose their own \
             setting{}{}",
            own.count,
            own.listed(),
            if report.users_not_read > 0 {
                format!(" (and any of {} user(s) not read)", report.users_not_read)
            } else {
                String::new()
            }
        ));
    } else {
        lines.push(format!(
            "  {} user(s) keep their own setting of this status{}{}",
            own.count,
            own.listed(),
            if report.users_not_read > 0 {
                format!(
                    " (plus any of {} user(s) whose own settings MiCollab shows only while Teams \
                     manages them)",
                    report.users_not_read
                )
            } else {
                String::new()
            }
        ));
    }
    lines.join("\n")
}

fn print_report(ctx: &Context, report: &SetReport) -> anyhow::Result<()> {
    if ctx.printer.format() != Format::Table {
        ctx.printer.detail(&Detail::new(report))?;
        return Ok(());
    }
    #[derive(Serialize)]
    struct Line<'a> {
        status: &'a str,
        field: &'a str,
        old: Option<&'a str>,
        new: Option<&'a str>,
        result: &'static str,
    }
    let mut records = Records::new(vec![
        Column::exact("status", "Status"),
        Column::exact("field", "Setting"),
        Column::text("old", "Old"),
        Column::text("new", "New"),
        Column::exact("result", "Result"),
    ]);
    for c in report.changes {
        records.push(&Line {
            status: report.status,
            field: &c.field,
            old: c.old.as_deref(),
            new: Some(&c.new),
            result: report.result,
        });
    }
    if report.changes.is_empty() {
        records.push(&Line {
            status: report.status,
            field: if report.override_users {
                "overrideUsers"
            } else {
                "-"
            },
            old: None,
            new: None,
            result: report.result,
        });
    }
    ctx.printer.results(&records)?;
    Ok(())
}
