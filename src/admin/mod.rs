//! The rules of the admin commands (`profile`, `user`, `status`) as pure functions: who a
//! change affects, what the preview warns about, what each user's result is, which status
//! edits are refused. No I/O and no clap here, so each rule is a table test
//! (DESIGN.md section 3 "Enabling" and "Teams-managed statuses"; the seed).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::connectors::micollab::{GateFailure, MicollabError, MicollabRefusal};
use crate::wire::micollab::{Profile, Status, User};

/// Logins a preview names before it says "… (N more)".
pub const SAMPLE_SIZE: usize = 5;
/// MiCollab's own limits on the editable settings of a Teams status (the contract).
pub const MAX_CALL_ROUTING_CHARS: usize = 64;
pub const MAX_MESSAGE_CHARS: usize = 256;

/// Turning Teams presence on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Switch {
    Enable,
    Disable,
}

impl Switch {
    pub fn on(self) -> bool {
        self == Switch::Enable
    }

    pub fn verb(self) -> &'static str {
        match self {
            Switch::Enable => "enable",
            Switch::Disable => "disable",
        }
    }
}

/// A user `user enable` switches whose profile has Teams presence on already.
pub const MANAGED_BY_PROFILE: &str =
    "already managed by Teams through their profile: only the checkbox changes";

/// Some logins, counted: every one in JSON (a script acts on them all), the first few in a
/// table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sample {
    pub count: usize,
    pub logins: Vec<String>,
}

impl Sample {
    pub fn of<'a>(logins: impl IntoIterator<Item = &'a str>) -> Sample {
        let logins: Vec<String> = logins.into_iter().map(str::to_string).collect();
        Sample {
            count: logins.len(),
            logins,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `: a, b, c, … (4 more)` to follow a count; nothing when there is nobody.
    pub fn listed(&self) -> String {
        if self.is_empty() {
            String::new()
        } else {
            format!(": {}", self.shown())
        }
    }

    /// `a, b, c, d, e and 4 more`.
    pub fn shown(&self) -> String {
        let first = &self.logins[..self.logins.len().min(SAMPLE_SIZE)];
        let more = self.count.saturating_sub(first.len());
        if more > 0 {
            format!("{} and {more} more", first.join(", "))
        } else {
            first.join(", ")
        }
    }
}

/// "default" (migrated: MiCollab refuses every change) or "custom".
pub fn profile_kind(profile: &Profile) -> &'static str {
    if profile.is_default {
        "default"
    } else {
        "custom"
    }
}

/// Why the seed says this user's presence may drift: it recommends the PC client in
/// telephony-only mode; the Web and Mac clients, or a PC client in full mode left in a
/// background tab, can fall out of sync. Unknown client facts are not guessed.
pub fn drift_risk(user: &User) -> Option<&'static str> {
    match user
        .client_type
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("web") => Some("Web client"),
        Some("mac") => Some("Mac client"),
        Some("pc") if user.telephony_only == Some(false) => {
            Some("PC client not in telephony-only mode")
        }
        _ => None,
    }
}

/// The set of logins mcteams holds a mapping for, compared without case.
pub fn mapped_set<'a>(logins: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    logins.into_iter().map(str::to_lowercase).collect()
}

fn is_mapped(mapped: &HashSet<String>, login: &str) -> bool {
    mapped.contains(&login.to_lowercase())
}

/// A refusal of the gates as one line: what was found, what is needed.
pub fn gate_message(failures: &[GateFailure]) -> String {
    let lines: Vec<String> = failures.iter().map(ToString::to_string).collect();
    format!(
        "cannot turn on Microsoft Teams presence: {}; nothing changed",
        lines.join("; ")
    )
}

/// What turning a profile's Teams presence on or off does, before it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfilePreview {
    pub action: Switch,
    pub profile: String,
    pub profile_id: String,
    pub teams_presence_before: bool,
    pub teams_presence_after: bool,
    /// The profile already has the asked value: nothing to do.
    pub already_set: bool,
    /// Every user of the profile: each gets MiCollab's restart message.
    pub users: Sample,
    /// Users for whom Teams takes over (enable) or lets go (disable).
    pub users_switching: Sample,
    /// Users whose own "Microsoft Teams status" checkbox keeps Teams on either way.
    pub users_by_own_checkbox: Sample,
    /// Users switching to Teams that mcteams has no mapping for (shown Unknown until mapped).
    pub users_without_mapping: Sample,
    /// Users switching to Teams whose client the seed warns can drift.
    pub users_drift_risk: Sample,
    /// What happens to the users, in the admin's words.
    pub effects: Vec<String>,
    /// Every user whose Teams flag the switch turns (enable: once it is done, the sync
    /// onboards them as an expected change).
    #[serde(skip)]
    pub switching: Vec<String>,
}

/// Plans a profile's Teams switch from its users (all of them) and the mapped logins.
pub fn plan_profile(
    profile: &Profile,
    members: &[User],
    mapped: &HashSet<String>,
    action: Switch,
) -> ProfilePreview {
    let already_set = profile.teams_presence == action.on();
    let by_own_checkbox = |u: &&User| u.teams_presence.is_some_and(|t| t.user);
    // Nobody switches when the profile already has the asked value.
    let switching: Vec<&User> = members
        .iter()
        .filter(|u| !already_set && !by_own_checkbox(u))
        .collect();
    let own: Vec<&User> = members.iter().filter(by_own_checkbox).collect();
    let enabling = action.on();
    let without_mapping = Sample::of(
        switching
            .iter()
            .filter(|u| enabling && !is_mapped(mapped, &u.login))
            .map(|u| u.login.as_str()),
    );
    let drift = Sample::of(
        switching
            .iter()
            .filter(|u| enabling && drift_risk(u).is_some())
            .map(|u| u.login.as_str()),
    );
    let mut effects = Vec::new();
    if already_set {
        // Nothing happens to anyone.
    } else if enabling {
        effects.push(
            "the Microsoft Teams statuses (Available, Busy, Do not disturb, Be right back, Away, \
             Appear offline, In a call, In a meeting, Presenting, Out of office) replace their \
             dynamic statuses; their status follows Teams"
                .to_string(),
        );
        effects.push(
            "their own and the profile's dynamic statuses are hidden, not deleted: disabling \
             brings them back unchanged"
                .to_string(),
        );
        effects.push(
            "MiCollab notifies each of them (status now managed by Microsoft Teams) and sends a \
             restart message"
                .to_string(),
        );
        effects
            .push("their Calendar Integration and Schedules controls become read-only".to_string());
    } else {
        effects.push(
            "their own and the profile's dynamic statuses come back unchanged, with the status \
             they had before Teams"
                .to_string(),
        );
        effects.push("MiCollab sends each of them a restart message".to_string());
        effects.push(
            "their Calendar Integration and Schedules controls become editable again".to_string(),
        );
    }
    ProfilePreview {
        action,
        profile: profile.name.clone(),
        profile_id: profile.profile_id.clone(),
        teams_presence_before: profile.teams_presence,
        teams_presence_after: enabling,
        already_set,
        users: Sample::of(members.iter().map(|u| u.login.as_str())),
        users_switching: Sample::of(switching.iter().map(|u| u.login.as_str())),
        users_by_own_checkbox: Sample::of(own.iter().map(|u| u.login.as_str())),
        users_without_mapping: without_mapping,
        users_drift_risk: drift,
        effects,
        switching: switching.iter().map(|u| u.login.clone()).collect(),
    }
}

/// The preview as people read it (a table-mode `--dry-run`, and before the prompt).
pub fn profile_preview_text(p: &ProfilePreview) -> String {
    let mut out = String::new();
    let verb = match p.action {
        Switch::Enable => "Turn ON",
        Switch::Disable => "Turn OFF",
    };
    let _ = writeln!(
        out,
        "{verb} Microsoft Teams presence for profile {:?} ({} user(s))",
        p.profile, p.users.count
    );
    if p.users.is_empty() {
        let _ = writeln!(out, "  the profile has no users: only its setting changes");
        return out;
    }
    let _ = writeln!(out, "  users:               {}", p.users.shown());
    let switching = match p.action {
        Switch::Enable => "switching to Teams:  ",
        Switch::Disable => "leaving Teams:       ",
    };
    let _ = writeln!(out, "  {switching}{}", p.users_switching.count);
    if !p.users_by_own_checkbox.is_empty() {
        let _ = writeln!(
            out,
            "  on by own checkbox:  {} ({}): {}",
            p.users_by_own_checkbox.count,
            match p.action {
                Switch::Enable => "already managed by Teams",
                Switch::Disable => "they stay managed by Teams; use `mcteams user disable`",
            },
            p.users_by_own_checkbox.shown()
        );
    }
    let _ = writeln!(out, "What happens to them:");
    for effect in &p.effects {
        let _ = writeln!(out, "  - {effect}");
    }
    let mut warnings = Vec::new();
    if !p.users_without_mapping.is_empty() {
        warnings.push(format!(
            "{} user(s) have no Teams mapping in mcteams: they show Unknown until mapped \
             (`mcteams import FILE.csv`): {}",
            p.users_without_mapping.count,
            p.users_without_mapping.shown()
        ));
    }
    if !p.users_drift_risk.is_empty() {
        warnings.push(format!(
            "{} user(s) use the Web or Mac client, or the PC client not in telephony-only mode: \
             their presence can drift (the PC client in telephony-only mode is recommended): {}",
            p.users_drift_risk.count,
            p.users_drift_risk.shown()
        ));
    }
    if !warnings.is_empty() {
        let _ = writeln!(out, "Check first:");
        for w in warnings {
            let _ = writeln!(out, "  ! {w}");
        }
    }
    out
}

/// The result of one user in `user enable|disable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserResult {
    /// MiCollab has no user with that login.
    NotFound,
    /// The checkbox already has the asked value.
    AlreadySet,
    /// Would change (`--dry-run`), or stopped before applying (guard, cancelled).
    Planned,
    Changed,
    Failed,
}

impl UserResult {
    pub fn is_problem(self) -> bool {
        matches!(self, UserResult::NotFound | UserResult::Failed)
    }
}

/// One user's line of `user enable|disable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRow {
    pub login: String,
    pub name: Option<String>,
    pub profile: Option<String>,
    /// The "Microsoft Teams status" checkbox before, and as asked.
    pub checkbox_before: Option<bool>,
    pub checkbox_after: Option<bool>,
    /// Whether Teams manages the user's status (their checkbox or their profile) afterwards.
    pub teams_managed_after: Option<bool>,
    pub mapped: bool,
    /// Why the seed warns their presence may drift (enable only).
    pub drift_risk: Option<&'static str>,
    pub result: UserResult,
    pub error_code: Option<String>,
    pub message: Option<String>,
}

/// Logins as asked, trimmed, empty ones dropped, each once (first spelling wins).
pub fn unique_logins<'a>(logins: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for login in logins {
        let login = login.trim();
        if !login.is_empty() && seen.insert(login.to_lowercase()) {
            out.push(login.to_string());
        }
    }
    out
}

/// A row per asked login: not found, already set, or planned.
pub fn plan_users(
    asked: &[String],
    found: &HashMap<String, User>,
    mapped: &HashSet<String>,
    action: Switch,
) -> Vec<UserRow> {
    let by_lower: HashMap<String, &User> = found
        .values()
        .map(|u| (u.login.to_lowercase(), u))
        .collect();
    asked
        .iter()
        .map(|login| match by_lower.get(&login.to_lowercase()) {
            None => UserRow {
                login: login.clone(),
                name: None,
                profile: None,
                checkbox_before: None,
                checkbox_after: None,
                teams_managed_after: None,
                mapped: is_mapped(mapped, login),
                drift_risk: None,
                result: UserResult::NotFound,
                error_code: Some("UserNotFound".to_string()),
                message: Some(format!("no MiCollab user with login {login:?}")),
            },
            Some(user) => {
                let flags = user.teams_presence;
                let before = flags.map(|t| t.user);
                let profile_on = flags.is_some_and(|t| t.profile);
                let already = before == Some(action.on());
                let message = match (action, already, profile_on) {
                    (Switch::Disable, _, true) => Some(
                        "their profile has Teams presence on: Teams keeps managing their status"
                            .to_string(),
                    ),
                    (Switch::Enable, false, true) => Some(MANAGED_BY_PROFILE.to_string()),
                    _ => None,
                };
                UserRow {
                    login: user.login.clone(),
                    name: user.name.clone(),
                    profile: user.profile_name.clone(),
                    checkbox_before: before,
                    checkbox_after: Some(action.on()),
                    teams_managed_after: Some(action.on() || profile_on),
                    mapped: is_mapped(mapped, &user.login),
                    drift_risk: if action.on() { drift_risk(user) } else { None },
                    result: if already {
                        UserResult::AlreadySet
                    } else {
                        UserResult::Planned
                    },
                    error_code: None,
                    message,
                }
            }
        })
        .collect()
}

/// Writes MiCollab's answer for one user into its row: changed (with the state MiCollab
/// reports back), not found (the user went away since the plan), or failed with MiCollab's
/// reason.
pub fn record_outcome(row: &mut UserRow, outcome: Result<&User, &MicollabError>) {
    match outcome {
        Ok(user) => {
            row.result = UserResult::Changed;
            if let Some(flags) = user.teams_presence {
                row.checkbox_after = Some(flags.user);
                row.teams_managed_after = Some(flags.effective);
            }
        }
        Err(e) => {
            row.result = if e.is_not_found() {
                UserResult::NotFound
            } else {
                UserResult::Failed
            };
            row.error_code = Some(
                e.http()
                    .code
                    .clone()
                    .unwrap_or_else(|| "MicollabError".to_string()),
            );
            row.message = Some(e.to_string());
        }
    }
}

/// The Teams status named `name` (any case), with the canonical spelling MiCollab uses.
pub fn find_status<'a>(statuses: &'a [Status], name: &str) -> Option<&'a Status> {
    let wanted = name.trim();
    statuses
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(wanted))
}

/// Refuses what Teams owns before anything is sent: a new name (the same name is no
/// rename) and any Do-not-disturb value. The reasons are the seed's.
pub fn check_status_edit(
    status: &str,
    new_name: Option<&str>,
    dnd: Option<bool>,
) -> Result<(), MicollabRefusal> {
    if new_name.is_some_and(|n| n.trim() != status) {
        return Err(MicollabRefusal::StatusNameNotEditable);
    }
    if dnd.is_some() {
        return Err(MicollabRefusal::DoNotDisturbNotEditable);
    }
    Ok(())
}

/// Refuses a call routing for the statuses whose routing the integration fixes: "Do not
/// disturb" and "Presenting" send calls to voicemail (DESIGN, the status table).
pub fn check_call_routing(status: &str, call_routing: Option<&str>) -> Result<(), MicollabRefusal> {
    let fixed = ["Do not disturb", "Presenting"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(status.trim()));
    match call_routing {
        Some(_) if fixed => Err(MicollabRefusal::CallRoutingFixed {
            status: status.to_string(),
        }),
        _ => Ok(()),
    }
}

/// Checks a value against MiCollab's limits, so a typo is a usage error before any call.
pub fn check_status_values(
    call_routing: Option<&str>,
    message: Option<&str>,
) -> Result<(), String> {
    if let Some(route) = call_routing {
        let n = route.trim().chars().count();
        if n == 0 || route.chars().count() > MAX_CALL_ROUTING_CHARS {
            return Err(format!(
                "--call-routing must be 1 to {MAX_CALL_ROUTING_CHARS} characters (voicemail, desk, \
                 mobile, or a number)"
            ));
        }
    }
    if let Some(message) = message
        && message.chars().count() > MAX_MESSAGE_CHARS
    {
        return Err(format!(
            "--message is at most {MAX_MESSAGE_CHARS} characters (it has {})",
            message.chars().count()
        ));
    }
    Ok(())
}

/// One setting a status edit changes (as previewed, printed and journaled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FieldChange {
    /// The contract's name: `callRouting`, `message`.
    pub field: String,
    pub old: Option<String>,
    pub new: String,
}

/// The settings that really change (asking for the current value changes nothing).
pub fn status_changes(
    current: &Status,
    call_routing: Option<&str>,
    message: Option<&str>,
) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    for (field, old, new) in [
        ("callRouting", &current.call_routing, call_routing),
        ("message", &current.message, message),
    ] {
        if let Some(new) = new
            && old.as_deref() != Some(new)
        {
            changes.push(FieldChange {
                field: field.to_string(),
                old: old.clone(),
                new: new.to_string(),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests;
