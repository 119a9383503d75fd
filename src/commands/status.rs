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
use crate::wire::micollab::{Profile, User};

use super::Context;
use super::profile::{micollab_error, read_profile, status_columns, status_row};

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
    Err(CliError::new(
        ExitStatus::Failure,
        format!(
            "{}: the status set is Microsoft Teams' own ({}); nothing changed",
            MicollabRefusal::StatusAdditionNotAllowed {
                allowed: allowed.clone()
            },
            allowed.join(", ")
        ),
    )
    .into())
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
    admin::check_status_values(args.call_routing.as_deref(), args.message.as_deref())
        .map_err(CliError::usage)?;
    let asks_nothing = args.call_routing.is_none()
        && args.message.is_none()
        && args.name.is_none()
        && args.dnd.is_none();
    if asks_nothing {
        return Err(CliError::usage(
            "nothing to set: give --call-routing and/or --message (see --help)",
        )
        .into());
    }
    // Do not disturb is never editable: refused before anything is read.
    if args.dnd.is_some() {
        return Err(refused(MicollabRefusal::DoNotDisturbNotEditable));
    }
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let mut store = ctx.open_store(&config)?;
    let rt = super::runtime()?;
    let (profile, current, members) = rt.block_on(async {
        let profile = read_profile(&client, &args.profile).await?;
        if profile.is_default {
            return Err(refused(MicollabRefusal::DefaultProfileNotEditable {
                profile: profile.name.clone(),
            }));
        }
        let list = read_statuses(&client, &profile).await?;
        let Some(current) = admin::find_status(&list.statuses, &args.status).cloned() else {
            let names: Vec<&str> = list.statuses.iter().map(|s| s.name.as_str()).collect();
            return Err(CliError::new(
                ExitStatus::Failure,
                format!(
                    "{:?} is not a Microsoft Teams status of profile {:?} (the set is fixed: {})",
                    args.status,
                    profile.name,
                    names.join(", ")
                ),
            )
            .into());
        };
        admin::check_status_edit(&current.name, args.name.as_deref(), None).map_err(refused)?;
        let members = client
            .users(Some(&profile.profile_id))
            .await
            .map_err(|e| micollab_error("reading the profile's users", e))?;
        anyhow::Ok((profile, current, members))
    })?;
    let changes = admin::status_changes(
        &current,
        args.call_routing.as_deref(),
        args.message.as_deref(),
    );
    let nothing_to_do = changes.is_empty() && !args.override_users;
    let (owners, unread) = if nothing_to_do {
        (Sample::default(), 0)
    } else {
        rt.block_on(own_settings(&client, &members, &current.name))
    };
    let report = |result: &'static str, answer: Option<(u64, u64)>| SetReport {
        profile: &profile.name,
        status: &current.name,
        changes: &changes,
        override_users: args.override_users,
        users_with_own_setting: &owners,
        users_not_read: unread,
        dry_run: args.write.dry_run,
        result,
        users_keeping_own_setting: answer.map(|a| a.0),
        users_overridden: answer.map(|a| a.1),
    };
    if nothing_to_do {
        print_report(ctx, &report("unchanged", None))?;
        ctx.printer.note(format!(
            "{:?} of profile {:?} already has these settings: nothing changed",
            current.name, profile.name
        ));
        return Ok(ExitStatus::Success);
    }
    let preview = preview_text(&report("planned", None));
    if args.write.dry_run {
        print_report(ctx, &report("planned", None))?;
        ctx.printer.note(preview);
        ctx.printer.note("dry run: nothing changed");
        return Ok(ExitStatus::Success);
    }
    ctx.printer.note(&preview);
    let question = format!("Change {:?} of profile {:?}?", current.name, profile.name);
    if !ctx.confirm(&args.write, &question)? {
        ctx.printer.note("cancelled; nothing changed");
        print_report(ctx, &report("cancelled", None))?;
        return Ok(ExitStatus::Success);
    }

    let run = store.begin_run("status set")?;
    let edit = StatusEdit {
        call_routing: args.call_routing.clone(),
        message: args.message.clone(),
        override_users: args.override_users,
    };
    let answer = match rt.block_on(client.edit_profile_status(
        &profile.profile_id,
        &current.name,
        &edit,
    )) {
        Ok(answer) => answer,
        Err(e) => {
            let error = micollab_error(
                &format!("changing {:?} of profile {:?}", current.name, profile.name),
                e,
            );
            store.finish_run(
                run,
                crate::exit::status_of(&error).code(),
                &serde_json::json!({"profile": profile.name, "status": current.name, "error": error.to_string()}),
            )?;
            return Err(error);
        }
    };
    let object = format!("{}/{}", profile.name, current.name);
    for change in &changes {
        store.record_change(
            Some(run),
            "profile_status",
            &object,
            change.field,
            change.old.as_deref(),
            Some(&change.new),
        )?;
    }
    if answer.users_overridden > 0 {
        store.record_change(
            Some(run),
            "profile_status",
            &object,
            "usersOverridden",
            None,
            Some(&answer.users_overridden.to_string()),
        )?;
    }
    store.finish_run(
        run,
        ExitStatus::Success.code(),
        &serde_json::json!({
            "profile": profile.name,
            "status": current.name,
            "changes": changes.len(),
            "usersKeepingOwnSetting": answer.users_keeping_own_setting,
            "usersOverridden": answer.users_overridden,
        }),
    )?;
    print_report(
        ctx,
        &report(
            "changed",
            Some((answer.users_keeping_own_setting, answer.users_overridden)),
        ),
    )?;
    ctx.printer.note(format!(
        "{:?} of profile {:?} changed: {} user(s) kept their own setting, {} overridden",
        current.name, profile.name, answer.users_keeping_own_setting, answer.users_overridden
    ));
    Ok(ExitStatus::Success)
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
            if own.is_empty() {
                String::new()
            } else {
                format!(": {}", own.shown())
            },
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
            if own.is_empty() {
                String::new()
            } else {
                format!(": {}", own.shown())
            },
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
            field: c.field,
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
