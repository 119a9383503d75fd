//! MiCollab (Client Service) wire types (`docs/contracts/micollab.md`). Lists, tokens,
//! bulk operations and errors follow the shared conventions in [`super::cloudlink`].

use serde::{Deserialize, Serialize};

/// `GET /2017-09-01/system`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    #[serde(default)]
    pub system_id: Option<String>,
    #[serde(default)]
    pub product_name: Option<String>,
    /// `major.minor.servicepack.build`; R9.8 SP1 is `9.8.1`.
    pub version: String,
    #[serde(default)]
    pub pbx_type: Option<String>,
    #[serde(default)]
    pub teams_presence: Option<TeamsSupport>,
    #[serde(default)]
    pub time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamsSupport {
    #[serde(default)]
    pub supported: Option<bool>,
    #[serde(default)]
    pub minimum_version: Option<String>,
    #[serde(default)]
    pub supported_pbx_types: Vec<String>,
}

/// A user profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub profile_id: String,
    pub name: String,
    /// A default (migrated) profile: MiCollab refuses every change to it.
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    pub editable: Option<bool>,
    #[serde(default)]
    pub teams_presence: bool,
    #[serde(default)]
    pub user_count: Option<u64>,
    #[serde(default)]
    pub admin_statuses: Vec<String>,
}

/// `PATCH /2017-09-01/profiles/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilePatch {
    pub teams_presence: bool,
}

/// A Teams-managed status with its settings (of a profile, or as a user sees it), or,
/// while Teams does not manage the user's statuses, an admin (`source: "profile"`) or own
/// (`source: "user"`) dynamic status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub do_not_disturb: Option<bool>,
    /// `voicemail`, `desk`, `mobile` or a number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_routing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The settings that may be edited (`["callRouting","message"]`); absent or `false` on
    /// statuses that cannot be edited at all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editable: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    /// The user changed this status's settings for themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own_setting: Option<bool>,
    /// `profile` or `user` (statuses shown while Teams does not manage them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// `PATCH /2017-09-01/profiles/{id}/statuses/{name}` (and the user's own edit, without
/// `overrideUsers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StatusPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_routing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_users: Option<bool>,
}

/// The answer of a profile status edit: the status, and what happened to users' own settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusEditAnswer {
    #[serde(flatten)]
    pub status: Status,
    #[serde(default)]
    pub users_keeping_own_setting: u64,
    #[serde(default)]
    pub users_overridden: u64,
}

/// `teamsPresence` of a user: the per-user checkbox, the profile's setting, and whether
/// Teams manages the user's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamsFlags {
    pub user: bool,
    pub profile: bool,
    pub effective: bool,
}

/// The current dynamic status (the CloudLink presentity, as MiCollab shows it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DynamicStatus {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub activity: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub updated_on: Option<String>,
}

/// A MiCollab user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub login: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub extension: Option<String>,
    #[serde(default)]
    pub profile_id: Option<String>,
    #[serde(default)]
    pub profile_name: Option<String>,
    /// Absent: unknown (never read as "off").
    #[serde(default)]
    pub teams_presence: Option<TeamsFlags>,
    /// `PC`, `Web` or `Mac`.
    #[serde(default)]
    pub client_type: Option<String>,
    #[serde(default)]
    pub telephony_only: Option<bool>,
    #[serde(default)]
    pub dynamic_status: Option<DynamicStatus>,
    #[serde(default)]
    pub calendar_integration_editable: Option<bool>,
    #[serde(default)]
    pub schedules_editable: Option<bool>,
}

/// The least of a user the sync needs: its login and whether Teams manages its status.
/// Paging 100,000 users through this keeps the rest of each user out of memory.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserTeamsFlag {
    pub login: String,
    #[serde(default)]
    pub teams_presence: Option<TeamsFlagEffective>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct TeamsFlagEffective {
    pub effective: Option<bool>,
}

/// `PATCH /2017-09-01/users/{login}` and one bulk operation's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct UserPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams_presence: Option<bool>,
    /// A profile id or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
}

/// A notification MiCollab sent to a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    pub login: String,
    /// `teamsStatusControl` or `restartRequired` (others may appear: kept as text).
    pub kind: String,
    #[serde(default)]
    pub teams_presence: Option<bool>,
    #[serde(default)]
    pub profile_id: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub created_on: Option<String>,
}

/// `data` of `409 VersionNotSupported` and `409 PbxNotSupported`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GateData {
    #[serde(default)]
    pub found: Option<String>,
    #[serde(default)]
    pub required: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lean_user_parses_and_its_flag_stays_unknown() {
        let user: User = serde_json::from_str(r#"{"login":"jdoe"}"#).unwrap();
        assert_eq!(user.teams_presence, None);
        let slim: UserTeamsFlag = serde_json::from_str(
            r#"{"login":"a","teamsPresence":{"user":false,"profile":true,"effective":true},"name":"A"}"#,
        )
        .unwrap();
        assert_eq!(slim.teams_presence.and_then(|t| t.effective), Some(true));
    }

    #[test]
    fn a_status_edit_answer_flattens_the_status() {
        let answer: StatusEditAnswer = serde_json::from_str(
            r#"{"name":"Busy","doNotDisturb":false,"callRouting":"desk","message":"m","editable":["callRouting","message"],"managedBy":"teams","usersKeepingOwnSetting":2,"usersOverridden":0}"#,
        )
        .unwrap();
        assert_eq!(answer.status.name, "Busy");
        assert_eq!(answer.users_keeping_own_setting, 2);
    }
}
