//! `mcteams user enable|disable LOGIN… | --from-csv FILE`: the per-user "Microsoft Teams
//! status" checkbox, with the gates, a preview, the mass-change guard, a confirmation, one
//! bulk change, a result per user and an audit record per change.

use crate::admin::{self, Sample, Switch, UserResult, UserRow};
use crate::cli::{UserArgs, UserCommand};
use crate::connectors::micollab::{MicollabAdmin, MicollabClient};
use crate::exit::{CliError, ExitStatus};
use crate::import::csv_input;
use crate::output::{Column, Records};

use super::Context;
use super::change::{Applied, Stage, Stop};
use super::profile::{check_gates, micollab_error};
use crate::engine::switches;
use crate::store::{RunId, Store};

pub fn run(ctx: &Context, cmd: UserCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        UserCommand::Enable(args) => switch(ctx, args, Switch::Enable),
        UserCommand::Disable(args) => switch(ctx, args, Switch::Disable),
        UserCommand::Show { user, from_state } => super::user_view::show(ctx, &user, from_state),
        UserCommand::List {
            profile,
            reason,
            from_state,
        } => super::user_view::list(ctx, profile.as_deref(), &reason, from_state),
    }
}

/// The logins asked for: on the command line, or a CSV's `micollab_login` column, or its
/// `teams_upn` column for users mapped in the store (read like `import` reads it, so a list
/// of logins, a mapping CSV or an import results file works as is).
fn asked_logins(ctx: &Context, args: &UserArgs, store: &Store) -> anyhow::Result<Vec<String>> {
    let Some(path) = &args.from_csv else {
        return Ok(admin::unique_logins(args.logins.iter().map(String::as_str)));
    };
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::new(ExitStatus::Failure, format!("cannot read {name}: {e}")))?;
    let options = csv_input::ReadOptions {
        any_of: Some(&["micollab_login", "teams_upn"]),
        ..Default::default()
    };
    let file = csv_input::read(&name, &bytes, &options)
        .map_err(|e| CliError::new(ExitStatus::Failure, e.to_string()))?;
    for warning in &file.warnings {
        ctx.printer.warn(format!("{name}: {warning}"));
    }
    let mut logins = Vec::with_capacity(file.rows.len());
    for row in &file.rows {
        let by_upn = || {
            let upn = row.value("teams_upn")?.trim();
            store
                .find_mapping(upn)
                .ok()
                .flatten()
                .map(|m| m.micollab_login)
        };
        match row.value("micollab_login").map(str::trim) {
            Some(login) if !login.is_empty() => logins.push(login.to_string()),
            _ => match by_upn() {
                Some(login) => logins.push(login),
                None => ctx.printer.warn(format!(
                    "{name} line {}: no micollab_login, and no mapping of its teams_upn: skipped",
                    row.line
                )),
            },
        }
    }
    Ok(admin::unique_logins(logins.iter().map(String::as_str)))
}

fn user_columns() -> Vec<Column> {
    vec![
        Column::exact("login", "Login"),
        Column::text("name", "Name"),
        Column::text("profile", "Profile"),
        Column::exact("checkbox_before", "Checkbox before"),
        Column::exact("checkbox_after", "Checkbox after"),
        Column::exact("teams_managed_after", "Teams managed"),
        Column::exact("mapped", "Mapped"),
        Column::exact("result", "Result"),
        Column::exact("error_code", "Error"),
        Column::text("message", "Message"),
    ]
}

fn print_rows(ctx: &Context, rows: &[UserRow]) -> anyhow::Result<()> {
    let mut records = Records::new(user_columns());
    for row in rows {
        records.push(row);
    }
    ctx.printer.results(&records)?;
    Ok(())
}

fn count(rows: &[UserRow], result: UserResult) -> usize {
    rows.iter().filter(|r| r.result == result).count()
}

/// `changed 3, already_set 1, not_found 1, failed 0`.
fn summary(rows: &[UserRow]) -> String {
    [
        ("planned", UserResult::Planned),
        ("changed", UserResult::Changed),
        ("already_set", UserResult::AlreadySet),
        ("not_found", UserResult::NotFound),
        ("failed", UserResult::Failed),
    ]
    .iter()
    .map(|(name, result)| (name, count(rows, *result)))
    .filter(|(_, n)| *n > 0)
    .map(|(name, n)| format!("{n} {name}"))
    .collect::<Vec<_>>()
    .join(", ")
}

fn status_of_rows(rows: &[UserRow]) -> ExitStatus {
    if rows.iter().any(|r| r.result.is_problem()) {
        ExitStatus::Partial
    } else {
        ExitStatus::Success
    }
}

/// What the admin reads before answering: who changes and what that means for them.
/// What to look out for when Teams takes over these users' status.
fn enable_warnings(planned: &[&UserRow]) -> Vec<String> {
    let mut lines = Vec::new();
    let unmapped = Sample::of(
        planned
            .iter()
            .filter(|r| !r.mapped)
            .map(|r| r.login.as_str()),
    );
    if !unmapped.is_empty() {
        lines.push(format!(
            "  ! {} user(s) have no Teams mapping in mcteams: they show Unknown until mapped \
             (`mcteams import FILE.csv`): {}",
            unmapped.count,
            unmapped.shown()
        ));
    }
    let drift = Sample::of(
        planned
            .iter()
            .filter(|r| r.drift_risk.is_some())
            .map(|r| r.login.as_str()),
    );
    if !drift.is_empty() {
        lines.push(format!(
            "  ! {} user(s) use the Web or Mac client, or the PC client not in telephony-only \
             mode: their presence can drift (the PC client in telephony-only mode is \
             recommended): {}",
            drift.count,
            drift.shown()
        ));
    }
    lines
}

fn preview_text(rows: &[UserRow], action: Switch) -> String {
    let planned: Vec<&UserRow> = rows
        .iter()
        .filter(|r| r.result == UserResult::Planned)
        .collect();
    let mut lines = vec![format!(
        "{} the \"Microsoft Teams status\" checkbox for {} user(s): {}",
        if action.on() { "Check" } else { "Uncheck" },
        planned.len(),
        Sample::of(planned.iter().map(|r| r.login.as_str())).shown()
    )];
    let switching: Vec<&&UserRow> = planned
        .iter()
        .filter(|r| r.teams_managed_after == Some(action.on()))
        .collect();
    if action.on() {
        // Only what will happen: users whose profile has Teams on already are managed by it.
        let through_profile = planned
            .iter()
            .filter(|r| r.message.as_deref() == Some(admin::MANAGED_BY_PROFILE))
            .count();
        let taken_over = planned.len() - through_profile;
        if taken_over > 0 {
            lines.push(format!(
                "  for {taken_over} of them Teams takes over: the Teams statuses replace their \
                 dynamic statuses, their own statuses are hidden (not deleted), MiCollab \
                 notifies them, and their Calendar Integration and Schedules controls become \
                 read-only"
            ));
        }
        if through_profile > 0 {
            lines.push(format!(
                "  {through_profile} user(s) are already managed by Teams through their profile: \
                 only the checkbox changes (it keeps Teams on for them if the profile's is \
                 turned off)"
            ));
        }
        lines.extend(enable_warnings(&planned));
    } else {
        lines.push(format!(
            "  for {} of them Teams lets go: their own and the profile's dynamic statuses come \
             back unchanged and MiCollab notifies them",
            switching.len()
        ));
        let kept = planned.len() - switching.len();
        if kept > 0 {
            lines.push(format!(
                "  {kept} user(s) stay managed by Teams through their profile (`mcteams profile \
                 disable`)"
            ));
        }
    }
    lines.join("\n")
}

fn switch(ctx: &Context, args: UserArgs, action: Switch) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let mut store = ctx.open_store(&config)?;
    let asked = asked_logins(ctx, &args, &store)?;
    if asked.is_empty() {
        return Err(CliError::usage("no MiCollab logins given: nothing to do").into());
    }
    let rt = super::runtime()?;
    // A switch an interrupted run left unrecorded is recorded first.
    rt.block_on(switches::settle(&mut store, &client))?;
    let mappings = store.list_mappings(false)?;
    let mapped = admin::mapped_set(mappings.iter().map(|m| m.micollab_login.as_str()));
    let found = rt.block_on(async {
        if action.on() {
            check_gates(&client).await?;
        }
        client
            .users_by_login(&asked)
            .await
            .map_err(|e| micollab_error("reading the users", e))
    })?;
    let rows = admin::plan_users(&asked, &found, &mapped, action);
    let planned = (0..rows.len())
        .filter(|&i| rows[i].result == UserResult::Planned)
        .collect();
    let mut change = UserSwitch {
        client: &client,
        action,
        rows,
        planned,
        limit: config.sync().max_changes.limit_for(mappings.len() as u64),
    };
    super::change::run(ctx, &rt, &mut store, &args.write, args.force, &mut change)
}

/// `user enable|disable` as a change: each planned user's checkbox, in one bulk change.
struct UserSwitch<'c> {
    client: &'c MicollabClient,
    action: Switch,
    rows: Vec<UserRow>,
    /// The rows to change.
    planned: Vec<usize>,
    limit: u64,
}

impl UserSwitch<'_> {
    fn intents(&self) -> Vec<switches::Switch> {
        let verb = self.action.verb();
        let intent = |row: &UserRow| switches::Switch {
            object_type: "user".into(),
            object_id: row.login.clone(),
            before: row.checkbox_before,
            after: self.action.on(),
            users: vec![row.login.clone()],
            reason: format!("user {verb}"),
        };
        self.planned
            .iter()
            .map(|&i| intent(&self.rows[i]))
            .collect()
    }
}

impl super::change::Change for UserSwitch<'_> {
    fn command(&self) -> String {
        format!("user {}", self.action.verb())
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        let message = format!("{}: nothing to change", summary(&self.rows));
        self.planned
            .is_empty()
            .then(|| (message, status_of_rows(&self.rows)))
    }

    fn stopped(&self, force: bool) -> Option<Stop> {
        let users = self.planned.len() as u64;
        super::change::mass_change_guard(users, self.limit, force, "the list")
    }

    fn preview(&self) -> String {
        preview_text(&self.rows, self.action)
    }

    fn planned_status(&self) -> ExitStatus {
        status_of_rows(&self.rows)
    }

    fn question(&self) -> Option<String> {
        let verb = if self.action.on() { "Check" } else { "Uncheck" };
        let users = self.planned.len();
        Some(format!(
            "{verb} \"Microsoft Teams status\" for {users} user(s)?"
        ))
    }

    fn print(&self, ctx: &Context, _stage: Stage) -> anyhow::Result<()> {
        print_rows(ctx, &self.rows)
    }

    fn intend(&self, store: &mut Store, run: RunId) -> anyhow::Result<Vec<i64>> {
        Ok(switches::intend(store, run, &self.intents())?)
    }

    async fn apply(
        &mut self,
        store: &mut Store,
        run: RunId,
        entries: &[i64],
    ) -> anyhow::Result<Applied> {
        let intents = self.intents();
        let on = self.action.on();
        let changes: Vec<(String, bool)> =
            intents.iter().map(|s| (s.object_id.clone(), on)).collect();
        // One bulk change; MiCollab applies or refuses each user on its own.
        let outcomes = self.client.set_users_teams(&changes).await;
        for ((&i, outcome), (intent, &entry)) in self
            .planned
            .iter()
            .zip(&outcomes)
            .zip(intents.iter().zip(entries))
        {
            let row = &mut self.rows[i];
            admin::record_outcome(row, outcome.result.as_ref());
            match &outcome.result {
                _ if row.result == UserResult::Changed => {
                    switches::applied(store, run, entry, intent, &intent.users)?
                }
                // An answer lost after MiCollab acted stays open, for the next run to settle.
                Err(e) if e.http().maybe_applied() => {}
                Err(e) => switches::refused(store, entry, &e.to_string())?,
                Ok(_) => switches::refused(store, entry, "not changed")?,
            }
        }
        let rows = &self.rows;
        Ok(Applied {
            status: status_of_rows(rows),
            summary: serde_json::json!({
                "action": self.action.verb(),
                "asked": rows.len(),
                "changed": count(rows, UserResult::Changed),
                "already_set": count(rows, UserResult::AlreadySet),
                "not_found": count(rows, UserResult::NotFound),
                "failed": count(rows, UserResult::Failed),
            }),
            note: summary(rows),
        })
    }
}
