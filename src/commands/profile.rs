//! `mcteams profile list|show|enable|disable`: a profile's Teams presence, turned on or off
//! with the gates first, a preview of who is affected, a confirmation, and an audit record.

use serde::Serialize;

use crate::admin::{self, ProfilePreview, Switch, profile_kind};
use crate::cli::{ProfileCommand, WriteArgs};
use crate::connectors::micollab::{
    MicollabAdmin, MicollabClient, MicollabError, MicollabRefusal, StatusList, teams_gates,
};
use crate::engine::switches;
use crate::exit::{CliError, ExitCode, ExitStatus};
use crate::output::{Column, Detail, Format, Records};
use crate::wire::micollab::{Profile, Status, User};

use super::Context;
use super::change::{Applied, Stage, Stop};
use crate::store::{RunId, Store};

pub fn run(ctx: &Context, cmd: ProfileCommand) -> anyhow::Result<ExitStatus> {
    match cmd {
        ProfileCommand::List => list(ctx),
        ProfileCommand::Show { name, all, limit } => show(ctx, &name, (!all).then_some(limit)),
        ProfileCommand::Enable { name, force, write } => {
            switch(ctx, &name, Switch::Enable, force, &write)
        }
        ProfileCommand::Disable { name, force, write } => {
            switch(ctx, &name, Switch::Disable, force, &write)
        }
    }
}

/// A MiCollab failure as the command reports it: refusals say why (exit 1), outages keep
/// their own status (75), so cron knows to retry.
pub(super) fn micollab_error(doing: &str, e: MicollabError) -> anyhow::Error {
    CliError::new(e.exit_status(), format!("{doing}: {e}")).into()
}

/// The gates of DESIGN.md section 3, checked before anything is asked or sent.
pub(super) async fn check_gates(client: &MicollabClient) -> anyhow::Result<()> {
    let system = client
        .system()
        .await
        .map_err(|e| micollab_error("reading the MiCollab version", e))?;
    let failures = teams_gates(&system);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(CliError::new(ExitStatus::Failure, admin::gate_message(&failures)).into())
    }
}

/// Reads a profile; a name MiCollab does not know is a failure that names it.
pub(super) async fn read_profile(client: &MicollabClient, name: &str) -> anyhow::Result<Profile> {
    client.profile(name).await.map_err(|e| {
        if matches!(e.refusal(), Some(MicollabRefusal::ProfileNotFound { .. })) {
            CliError::new(
                ExitStatus::Failure,
                format!("no user profile {name:?} (see `mcteams profile list`)"),
            )
            .into()
        } else {
            micollab_error(&format!("reading profile {name:?}"), e)
        }
    })
}

#[derive(Serialize)]
struct ProfileRow<'a> {
    name: &'a str,
    profile_id: &'a str,
    teams_presence: bool,
    kind: &'static str,
    user_count: Option<u64>,
}

fn list(ctx: &Context) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let profiles = super::runtime()?
        .block_on(client.profiles())
        .map_err(|e| micollab_error("listing profiles", e))?;
    let mut records = Records::new(vec![
        Column::text("name", "Profile"),
        Column::exact("profile_id", "Id"),
        Column::exact("teams_presence", "Teams presence"),
        Column::exact("kind", "Kind"),
        Column::exact("user_count", "Users"),
    ]);
    for p in &profiles {
        records.push(&ProfileRow {
            name: &p.name,
            profile_id: &p.profile_id,
            teams_presence: p.teams_presence,
            kind: profile_kind(p),
            user_count: p.user_count,
        });
    }
    ctx.printer.results(&records)?;
    if profiles.iter().any(|p| p.is_default) {
        ctx.printer.note(
            "default (migrated) profiles cannot be changed: assign their users to a custom profile",
        );
    }
    Ok(ExitStatus::Success)
}

#[derive(Serialize)]
pub(super) struct StatusRow<'a> {
    name: &'a str,
    call_routing: Option<&'a str>,
    message: Option<&'a str>,
    do_not_disturb: Option<bool>,
    editable: String,
}

pub(super) fn status_row(s: &Status) -> StatusRow<'_> {
    let editable = match &s.editable {
        Some(serde_json::Value::Array(fields)) => fields
            .iter()
            .filter_map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    };
    StatusRow {
        name: &s.name,
        call_routing: s.call_routing.as_deref(),
        message: s.message.as_deref(),
        do_not_disturb: s.do_not_disturb,
        editable,
    }
}

pub(super) fn status_columns() -> Vec<Column> {
    vec![
        Column::exact("name", "Status"),
        Column::text("call_routing", "Call routing"),
        Column::text("message", "Message"),
        Column::exact("do_not_disturb", "Do not disturb"),
        Column::exact("editable", "Editable"),
    ]
}

#[derive(Serialize)]
struct MemberRow<'a> {
    login: &'a str,
    name: Option<&'a str>,
    extension: Option<&'a str>,
    client_type: Option<&'a str>,
    telephony_only: Option<bool>,
    own_checkbox: Option<bool>,
    teams_managed: Option<bool>,
    mapped: bool,
}

fn member_row<'a>(u: &'a User, mapped: &std::collections::HashSet<String>) -> MemberRow<'a> {
    MemberRow {
        login: &u.login,
        name: u.name.as_deref(),
        extension: u.extension.as_deref(),
        client_type: u.client_type.as_deref(),
        telephony_only: u.telephony_only,
        own_checkbox: u.teams_presence.map(|t| t.user),
        teams_managed: u.teams_presence.map(|t| t.effective),
        mapped: mapped.contains(&u.login.to_lowercase()),
    }
}

#[derive(Serialize)]
struct ProfileDetail<'a> {
    name: &'a str,
    profile_id: &'a str,
    kind: &'static str,
    teams_presence: bool,
    user_count: Option<u64>,
    admin_statuses: &'a [String],
    statuses: Vec<StatusRow<'a>>,
    users: Vec<MemberRow<'a>>,
    /// More users exist than `users` lists (use `--all`).
    more_users: bool,
}

fn show(ctx: &Context, name: &str, limit: Option<usize>) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let store = ctx.open_store(&config)?;
    let mappings = store.list_mappings(false)?;
    let mapped = admin::mapped_set(mappings.iter().map(|m| m.micollab_login.as_str()));
    let (profile, statuses, users, more) =
        super::runtime()?.block_on(read_detail(&client, name, limit))?;
    let detail = ProfileDetail {
        name: &profile.name,
        profile_id: &profile.profile_id,
        kind: profile_kind(&profile),
        teams_presence: profile.teams_presence,
        user_count: profile.user_count,
        admin_statuses: &profile.admin_statuses,
        statuses: statuses.statuses.iter().map(status_row).collect(),
        users: users.iter().map(|u| member_row(u, &mapped)).collect(),
        more_users: more,
    };
    print_detail(ctx, &detail)?;
    if !statuses.teams_managed {
        ctx.printer.note(
            "Teams presence is off for this profile: these settings apply once it is on \
             (`mcteams profile enable`)",
        );
    }
    if more {
        let of = profile
            .user_count
            .map_or("more".to_string(), |n| n.to_string());
        let shown = detail.users.len();
        ctx.printer.note(format!(
            "showing the first {shown} of {of} user(s): use --all or --limit N"
        ));
    }
    Ok(ExitStatus::Success)
}

/// The profile, its statuses, and its first `limit` users (all: `None`), with whether
/// there are more.
async fn read_detail(
    client: &MicollabClient,
    name: &str,
    limit: Option<usize>,
) -> anyhow::Result<(Profile, StatusList, Vec<User>, bool)> {
    let profile = read_profile(client, name).await?;
    let key = profile.profile_id.as_str();
    let statuses = client
        .profile_statuses(key)
        .await
        .map_err(|e| micollab_error("reading the profile's statuses", e))?;
    let (users, more) = match limit {
        None => (client.users(Some(key)).await, false),
        Some(0) => (Ok(Vec::new()), profile.user_count.unwrap_or(0) > 0),
        Some(n) => match client.first_users(Some(key), n).await {
            Ok(page) => {
                let more = page.more || page.users.len() > n;
                (Ok(page.users.into_iter().take(n).collect()), more)
            }
            Err(e) => (Err(e), false),
        },
    };
    let users = users.map_err(|e| micollab_error("reading the profile's users", e))?;
    Ok((profile, statuses, users, more))
}

/// JSON gets the whole document, CSV the users, a table the settings, statuses and users.
fn print_detail(ctx: &Context, detail: &ProfileDetail) -> anyhow::Result<()> {
    let mut status_records = Records::new(status_columns());
    for s in &detail.statuses {
        status_records.push(s);
    }
    let mut user_records = Records::new(vec![
        Column::exact("login", "Login"),
        Column::text("name", "Name"),
        Column::exact("extension", "Extension"),
        Column::exact("client_type", "Client"),
        Column::exact("telephony_only", "Telephony only"),
        Column::exact("own_checkbox", "Own checkbox"),
        Column::exact("teams_managed", "Teams managed"),
        Column::exact("mapped", "Mapped"),
    ]);
    for u in &detail.users {
        user_records.push(u);
    }
    match ctx.printer.format() {
        Format::Json | Format::Jsonl => ctx.printer.detail(&Detail::new(detail))?,
        Format::Csv => ctx.printer.results(&user_records)?,
        Format::Table => {
            #[derive(Serialize)]
            struct Settings<'a> {
                name: &'a str,
                profile_id: &'a str,
                kind: &'static str,
                teams_presence: bool,
                user_count: Option<u64>,
                admin_statuses: &'a [String],
            }
            ctx.printer.detail(&Detail::new(&Settings {
                name: detail.name,
                profile_id: detail.profile_id,
                kind: detail.kind,
                teams_presence: detail.teams_presence,
                user_count: detail.user_count,
                admin_statuses: detail.admin_statuses,
            }))?;
            ctx.printer.stdout("\nMicrosoft Teams statuses:\n")?;
            ctx.printer.results(&status_records)?;
            ctx.printer.stdout("\nUsers:\n")?;
            ctx.printer.results(&user_records)?;
        }
    }
    Ok(())
}

/// The document `profile enable|disable` prints: the preview, and what became of it.
#[derive(Serialize)]
struct SwitchReport<'a> {
    #[serde(flatten)]
    preview: &'a ProfilePreview,
    dry_run: bool,
    /// `planned` (dry run), `unchanged` (already so), `changed`, `cancelled`, `stopped` (guard).
    result: &'static str,
    /// Users MiCollab notified (each member gets the restart message once).
    users_notified: usize,
}

fn switch(
    ctx: &Context,
    name: &str,
    action: Switch,
    force: bool,
    write: &WriteArgs,
) -> anyhow::Result<ExitStatus> {
    let config = ctx.config()?;
    let client = MicollabClient::from_config(&config)?;
    let mut store = ctx.open_store(&config)?;
    let rt = super::runtime()?;
    // A switch an interrupted run left unrecorded is recorded first (an admin's re-run
    // after a kill would otherwise find it "already on" and record nothing).
    rt.block_on(switches::settle(&mut store, &client))?;
    let mappings = store.list_mappings(false)?;
    let mapped = admin::mapped_set(mappings.iter().map(|m| m.micollab_login.as_str()));
    let (profile, members) = rt.block_on(read_switchable(&client, name, action))?;
    let preview = admin::plan_profile(&profile, &members, &mapped, action);
    let mut change = ProfileSwitch {
        client: &client,
        switch: switches::Switch {
            object_type: "profile".into(),
            object_id: profile.name.clone(),
            before: Some(profile.teams_presence),
            after: action.on(),
            users: preview.switching.clone(),
            reason: format!("profile {} {}", action.verb(), profile.name),
        },
        profile,
        preview,
        limit: config.sync().max_changes.limit_for(mappings.len() as u64),
        dry_run: write.dry_run,
    };
    super::change::run(ctx, &rt, &mut store, write, force, &mut change)
}

/// The profile and its members, once the gates (for turning on) and the profile's own
/// refusal (a default profile) let it be switched.
async fn read_switchable(
    client: &MicollabClient,
    name: &str,
    action: Switch,
) -> anyhow::Result<(Profile, Vec<User>)> {
    if action.on() {
        check_gates(client).await?;
    }
    let profile = read_profile(client, name).await?;
    if profile.is_default {
        let refusal = MicollabRefusal::DefaultProfileNotEditable {
            profile: profile.name.clone(),
        };
        return Err(
            CliError::new(ExitStatus::Failure, format!("{refusal}; nothing changed")).into(),
        );
    }
    let members = client
        .users(Some(&profile.profile_id))
        .await
        .map_err(|e| micollab_error("reading the profile's users", e))?;
    Ok((profile, members))
}

/// `profile enable|disable` as a change: one switch of the profile's Teams presence.
struct ProfileSwitch<'c> {
    client: &'c MicollabClient,
    profile: Profile,
    preview: ProfilePreview,
    switch: switches::Switch,
    limit: u64,
    dry_run: bool,
}

impl ProfileSwitch<'_> {
    fn on_off(on: bool) -> &'static str {
        if on { "on" } else { "off" }
    }
}

impl super::change::Change for ProfileSwitch<'_> {
    fn command(&self) -> String {
        format!("profile {}", self.preview.action.verb())
    }

    fn unchanged(&self) -> Option<(String, ExitStatus)> {
        self.preview.already_set.then(|| {
            let state = Self::on_off(self.preview.action.on());
            let name = &self.profile.name;
            let message =
                format!("Teams presence is already {state} for profile {name:?}: nothing changed");
            (message, ExitStatus::Success)
        })
    }

    fn stopped(&self, force: bool) -> Option<Stop> {
        let users = self.preview.users_switching.count as u64;
        super::change::mass_change_guard(users, self.limit, force, "the profile")
    }

    fn preview(&self) -> String {
        admin::profile_preview_text(&self.preview)
            .trim_end()
            .to_string()
    }

    fn preview_in_dry_run_document(&self, ctx: &Context) -> bool {
        ctx.printer.format() == Format::Table
    }

    fn question(&self) -> Option<String> {
        let verb = if self.preview.action.on() {
            "Turn on"
        } else {
            "Turn off"
        };
        let (name, users) = (&self.profile.name, self.preview.users.count);
        Some(format!(
            "{verb} Microsoft Teams presence for profile {name:?} ({users} user(s))?"
        ))
    }

    fn print(&self, ctx: &Context, stage: Stage) -> anyhow::Result<()> {
        let report = SwitchReport {
            preview: &self.preview,
            dry_run: self.dry_run,
            result: stage.result(),
            users_notified: if stage == Stage::Changed {
                self.preview.users.count
            } else {
                0
            },
        };
        print_report(ctx, &report, stage == Stage::Planned)
    }

    fn intend(&self, store: &mut Store, run: RunId) -> anyhow::Result<Vec<i64>> {
        Ok(switches::intend(
            store,
            run,
            std::slice::from_ref(&self.switch),
        )?)
    }

    async fn apply(
        &mut self,
        store: &mut Store,
        run: RunId,
        entries: &[i64],
    ) -> anyhow::Result<Applied> {
        let (profile, entry) = (&self.profile, entries[0]);
        let sent = self
            .client
            .set_profile_teams(&profile.profile_id, self.switch.after);
        let after = match sent.await {
            Ok(after) => after,
            Err(e) => {
                let doing = format!("changing profile {:?}", profile.name);
                return Err(super::change::not_applied(store, entry, e, &doing));
            }
        };
        switches::applied(store, run, entry, &self.switch, &self.preview.switching)?;
        let users = self.preview.users.count;
        Ok(Applied {
            status: ExitStatus::Success,
            summary: serde_json::json!({
                "profile": profile.name,
                "teamsPresence": after.teams_presence,
                "users": users,
                "switching": self.preview.users_switching.count,
            }),
            note: format!(
                "Teams presence is now {} for profile {:?}: MiCollab notified {users} user(s)",
                Self::on_off(after.teams_presence),
                profile.name,
            ),
        })
    }
}

/// Tables get the preview in words (a dry run) or a one-line result; JSON gets the document.
fn print_report(ctx: &Context, report: &SwitchReport, preview_text: bool) -> anyhow::Result<()> {
    match ctx.printer.format() {
        Format::Table if preview_text => {
            ctx.printer
                .stdout(&admin::profile_preview_text(report.preview))?;
        }
        Format::Table => {
            let mut records = Records::new(vec![
                Column::text("profile", "Profile"),
                Column::exact("action", "Action"),
                Column::exact("teams_presence_after", "Teams presence"),
                Column::exact("users", "Users"),
                Column::exact("users_notified", "Notified"),
                Column::exact("result", "Result"),
            ]);
            #[derive(Serialize)]
            struct Line<'a> {
                profile: &'a str,
                action: Switch,
                teams_presence_after: bool,
                users: usize,
                users_notified: usize,
                result: &'static str,
            }
            records.push(&Line {
                profile: &report.preview.profile,
                action: report.preview.action,
                teams_presence_after: report.preview.teams_presence_after,
                users: report.preview.users.count,
                users_notified: report.users_notified,
                result: report.result,
            });
            ctx.printer.results(&records)?;
        }
        _ => ctx.printer.detail(&Detail::new(report))?,
    }
    Ok(())
}
