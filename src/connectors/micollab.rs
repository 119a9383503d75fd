//! MiCollab (Client Service): system and the Teams gates, profiles and their Teams flag,
//! Teams-managed statuses, users and their per-user Teams flag, notifications
//! (`docs/contracts/micollab.md`).
//!
//! Refusals the admin commands must explain (a default profile, the version and PBX gates,
//! the Teams-owned status name and DND, status additions) come back as typed
//! [`MicollabRefusal`]s carrying what MiCollab said was found and required.

mod errors;
mod port;

pub use errors::{
    GateFailure, MIN_TEAMS_VERSION, MIN_TEAMS_VERSION_TEXT, MicollabError, MicollabRefusal,
    SUPPORTED_PBX, parse_version, teams_gates,
};

use std::collections::HashMap;

use crate::ids::IdMap;
use std::future::Future;

use crate::config::{Config, ConfigError};
use crate::http::{Call, HttpError, System};
use crate::wire::cloudlink::{MAX_PAGE, Operation};
use crate::wire::micollab::{
    Notification, Profile, ProfilePatch, Status, StatusEditAnswer, StatusPatch, SystemInfo, User,
    UserPatch, UserTeamsFlag,
};

use super::mitel::{MitelApi, MitelSettings, PAGE_LIMIT, unique};

/// An edit of a Teams-managed status's settings. The name and DND are not editable (Teams
/// owns them), so they are not here: see [`MicollabAdmin::edit_profile_status_raw`] to
/// let MiCollab itself refuse a rename.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatusEdit {
    pub call_routing: Option<String>,
    pub message: Option<String>,
    /// Also replace the settings users changed for themselves (default: they keep theirs).
    pub override_users: bool,
}

/// The Teams-managed statuses of a profile (or of a user) and whether Teams manages them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    pub teams_managed: bool,
    pub statuses: Vec<Status>,
    /// Own and admin statuses hidden (never deleted) while Teams manages the user's status.
    pub hidden_statuses: Option<u64>,
}

/// A page of users, and whether more follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPage {
    pub users: Vec<User>,
    pub more: bool,
}

/// The outcome of one user's change in a bulk update.
#[derive(Debug, Clone)]
pub struct UserChange {
    pub login: String,
    pub result: Result<User, MicollabError>,
}

/// What the admin commands (`profile`, `user`, `status`), `import`, `report`, `doctor` and
/// the sync need from MiCollab. Reads of many users are batched and paged to the end.
pub trait MicollabAdmin: Send + Sync {
    /// Version, PBX type, system id. Check the gates with [`teams_gates`].
    fn system(&self) -> impl Future<Output = Result<SystemInfo, MicollabError>> + Send;

    fn profiles(&self) -> impl Future<Output = Result<Vec<Profile>, MicollabError>> + Send;

    /// A profile by id or name.
    fn profile(&self, key: &str) -> impl Future<Output = Result<Profile, MicollabError>> + Send;

    /// Turns the profile's Teams presence on or off. Refusals: default profile, and (only
    /// when enabling) the version and PBX gates.
    fn set_profile_teams(
        &self,
        key: &str,
        enabled: bool,
    ) -> impl Future<Output = Result<Profile, MicollabError>> + Send;

    fn profile_statuses(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<StatusList, MicollabError>> + Send;

    /// Edits the settings of one Teams-managed status of a profile; users' own settings
    /// are kept unless `override_users`, and the answer says how many kept theirs.
    fn edit_profile_status(
        &self,
        key: &str,
        status: &str,
        edit: &StatusEdit,
    ) -> impl Future<Output = Result<StatusEditAnswer, MicollabError>> + Send;

    /// Sends any status patch as given (a rename or a DND change included), so MiCollab's own
    /// refusal can be shown; `status set --name …` uses this.
    fn edit_profile_status_raw(
        &self,
        key: &str,
        status: &str,
        body: &serde_json::Value,
    ) -> impl Future<Output = Result<StatusEditAnswer, MicollabError>> + Send;

    /// Asks MiCollab to add a status to the profile: always refused while Teams manages the
    /// statuses (`StatusAdditionNotAllowed`, with the allowed set).
    fn add_profile_status(
        &self,
        key: &str,
        name: &str,
    ) -> impl Future<Output = Result<Status, MicollabError>> + Send;

    /// Every user (of one profile, when given), paged to the end.
    fn users(
        &self,
        profile: Option<&str>,
    ) -> impl Future<Output = Result<Vec<User>, MicollabError>> + Send;

    /// The first `limit` users (of one profile), one request: previews and `doctor`.
    fn first_users(
        &self,
        profile: Option<&str>,
        limit: usize,
    ) -> impl Future<Output = Result<UserPage, MicollabError>> + Send;

    /// Users by login, batched (≤ 1000 per call); logins MiCollab does not know are absent.
    fn users_by_login(
        &self,
        logins: &[String],
    ) -> impl Future<Output = Result<HashMap<String, User>, MicollabError>> + Send;

    fn user(&self, login: &str) -> impl Future<Output = Result<User, MicollabError>> + Send;

    /// The per-user "Microsoft Teams status" checkbox. Gates apply when this enables Teams.
    fn set_user_teams(
        &self,
        login: &str,
        enabled: bool,
    ) -> impl Future<Output = Result<User, MicollabError>> + Send;

    /// The checkbox for many users: bulk `PATCH`es of ≤ 1000, one result per user (each
    /// applied or refused on its own), in order.
    fn set_users_teams(
        &self,
        changes: &[(String, bool)],
    ) -> impl Future<Output = Vec<UserChange>> + Send;

    /// The statuses a user sees (Teams ones while Teams manages, else admin and own ones).
    fn user_statuses(
        &self,
        login: &str,
    ) -> impl Future<Output = Result<StatusList, MicollabError>> + Send;

    /// Every notification MiCollab sent, oldest first.
    fn notifications(
        &self,
    ) -> impl Future<Output = Result<Vec<Notification>, MicollabError>> + Send;

    fn user_notifications(
        &self,
        login: &str,
    ) -> impl Future<Output = Result<Vec<Notification>, MicollabError>> + Send;

    /// Login → whether Teams manages the user's status (`teamsPresence.effective`), for
    /// the given logins, read in concurrent batches (≤ 1000 per call), so a sync over
    /// 100,000 users costs a few parallel round trips rather than a long paging chain.
    /// A user unknown to MiCollab, or without the field, is absent (unknown), never `false`.
    fn teams_flags(
        &self,
        logins: &[String],
    ) -> impl Future<Output = Result<IdMap<bool>, MicollabError>> + Send;
}

/// The MiCollab client. Cheap to clone; one per run.
#[derive(Debug, Clone)]
pub struct MicollabClient {
    api: MitelApi,
    base_url: url::Url,
}

impl MicollabClient {
    /// Reads `[micollab]`: `base_url`, `username`, `password_env|password_file`, `ca_file`.
    pub fn from_config(config: &Config) -> Result<MicollabClient, ConfigError> {
        let (settings, base_url) =
            super::mitel::password_login(System::Micollab, "micollab", &config.file.micollab)?;
        MicollabClient::new(settings, base_url)
    }

    pub fn new(settings: MitelSettings, base_url: url::Url) -> Result<MicollabClient, ConfigError> {
        let (api, base_url) = super::mitel::versioned_api("micollab", settings, base_url)?;
        Ok(MicollabClient { api, base_url })
    }

    /// The shared Mitel layer (HTTP counters, token fetches, the server's clock).
    pub fn api(&self) -> &MitelApi {
        &self.api
    }

    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<url::Url, HttpError> {
        self.api.versioned_endpoint(&self.base_url, segments, query)
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        subject: &str,
    ) -> Result<T, MicollabError> {
        let url = self.url(segments, &[])?;
        self.api
            .get_json(url)
            .await
            .map_err(|f| MicollabError::from_failure(f, subject))
    }

    async fn patch<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        body: &B,
        subject: &str,
    ) -> Result<T, MicollabError> {
        let url = self.url(segments, &[])?;
        // Setting a flag or a setting to a value twice leaves the same state (MiCollab
        // notifies users only when the value changes): safe to repeat.
        let call = Call::new(reqwest::Method::PATCH, url)
            .json(body)
            .idempotent();
        self.api
            .send_json(call)
            .await
            .map_err(|f| MicollabError::from_failure(f, subject))
    }

    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
        subject: &str,
    ) -> Result<Vec<T>, MicollabError> {
        let url = self.url(segments, query)?;
        self.api
            .list_all(url)
            .await
            .map_err(|f| MicollabError::from_failure(f, subject))
    }

    /// Users by login, 1000 per `POST users/query`, the chunks concurrent.
    async fn query_users<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        logins: &[String],
        fields: Option<&[&str]>,
    ) -> Result<Vec<T>, MicollabError> {
        let logins = unique(logins);
        let reads = logins.chunks(MAX_PAGE).map(|chunk| async move {
            #[derive(serde::Serialize)]
            struct Query<'a> {
                logins: &'a [&'a str],
                #[serde(skip_serializing_if = "Option::is_none")]
                fields: Option<&'a [&'a str]>,
            }
            let url = self.url(&["users", "query"], &[])?;
            // A read sent as POST: safe to repeat.
            let call = Call::post(url)
                .json(&Query {
                    logins: chunk,
                    fields,
                })
                .idempotent();
            let list: crate::wire::cloudlink::List<T> = self
                .api
                .send_json_on_worker(call)
                .await
                .map_err(|f| MicollabError::from_failure(f, "users"))?;
            Ok::<_, MicollabError>(list.embedded.items)
        });
        let mut users = Vec::with_capacity(logins.len());
        for chunk in futures_util::future::join_all(reads).await {
            users.extend(chunk?);
        }
        Ok(users)
    }

    async fn status_list(
        &self,
        segments: &[&str],
        subject: &str,
    ) -> Result<StatusList, MicollabError> {
        let list: crate::wire::cloudlink::List<Status> = self.get(segments, subject).await?;
        Ok(StatusList {
            teams_managed: list.teams_managed.unwrap_or(false),
            statuses: list.embedded.items,
            hidden_statuses: list.hidden_statuses,
        })
    }
}

impl MicollabAdmin for MicollabClient {
    async fn system(&self) -> Result<SystemInfo, MicollabError> {
        self.get(&["system"], "system").await
    }

    async fn profiles(&self) -> Result<Vec<Profile>, MicollabError> {
        self.list(&["profiles"], &[], "profiles").await
    }

    async fn profile(&self, key: &str) -> Result<Profile, MicollabError> {
        self.get(&["profiles", key], key).await
    }

    async fn set_profile_teams(&self, key: &str, enabled: bool) -> Result<Profile, MicollabError> {
        let body = ProfilePatch {
            teams_presence: enabled,
        };
        self.patch(&["profiles", key], &body, key).await
    }

    async fn profile_statuses(&self, key: &str) -> Result<StatusList, MicollabError> {
        self.status_list(&["profiles", key, "statuses"], key).await
    }

    async fn edit_profile_status(
        &self,
        key: &str,
        status: &str,
        edit: &StatusEdit,
    ) -> Result<StatusEditAnswer, MicollabError> {
        let body = StatusPatch {
            call_routing: edit.call_routing.clone(),
            message: edit.message.clone(),
            override_users: Some(edit.override_users),
        };
        self.patch(&["profiles", key, "statuses", status], &body, status)
            .await
    }

    async fn edit_profile_status_raw(
        &self,
        key: &str,
        status: &str,
        body: &serde_json::Value,
    ) -> Result<StatusEditAnswer, MicollabError> {
        self.patch(&["profiles", key, "statuses", status], body, status)
            .await
    }

    async fn add_profile_status(&self, key: &str, name: &str) -> Result<Status, MicollabError> {
        let url = self.url(&["profiles", key, "statuses"], &[])?;
        let call = Call::post(url).json(&serde_json::json!({ "name": name }));
        self.api
            .send_json(call)
            .await
            .map_err(|f| MicollabError::from_failure(f, key))
    }

    async fn users(&self, profile: Option<&str>) -> Result<Vec<User>, MicollabError> {
        let mut query = vec![("limit", PAGE_LIMIT)];
        if let Some(profile) = profile {
            query.push(("profileId", profile));
        }
        self.list(&["users"], &query, profile.unwrap_or("users"))
            .await
    }

    async fn first_users(
        &self,
        profile: Option<&str>,
        limit: usize,
    ) -> Result<UserPage, MicollabError> {
        let limit = limit.clamp(1, MAX_PAGE).to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(profile) = profile {
            query.push(("profileId", profile));
        }
        let url = self.url(&["users"], &query)?;
        let (users, more) = self
            .api
            .first_page(url)
            .await
            .map_err(|f| MicollabError::from_failure(f, profile.unwrap_or("users")))?;
        Ok(UserPage { users, more })
    }

    async fn users_by_login(
        &self,
        logins: &[String],
    ) -> Result<HashMap<String, User>, MicollabError> {
        let users: Vec<User> = self.query_users(logins, None).await?;
        Ok(users.into_iter().map(|u| (u.login.clone(), u)).collect())
    }

    async fn user(&self, login: &str) -> Result<User, MicollabError> {
        self.get(&["users", login], login).await
    }

    async fn set_user_teams(&self, login: &str, enabled: bool) -> Result<User, MicollabError> {
        let body = UserPatch {
            teams_presence: Some(enabled),
            profile_id: None,
        };
        self.patch(&["users", login], &body, login).await
    }

    async fn set_users_teams(&self, changes: &[(String, bool)]) -> Vec<UserChange> {
        let url = match self.url(&["users"], &[]) {
            Ok(url) => url,
            Err(e) => {
                return changes
                    .iter()
                    .map(|(login, _)| UserChange {
                        login: login.clone(),
                        result: Err(MicollabError::Http(e.clone())),
                    })
                    .collect();
            }
        };
        let operations: Vec<Operation<UserPatch>> = changes
            .iter()
            .map(|(login, enabled)| {
                Operation::replace(
                    login.clone(),
                    UserPatch {
                        teams_presence: Some(*enabled),
                        profile_id: None,
                    },
                )
            })
            .collect();
        let outcomes = self.api.bulk_patch(&url, &operations).await;
        changes
            .iter()
            .zip(outcomes)
            .map(|((login, _), outcome)| UserChange {
                login: login.clone(),
                result: match outcome {
                    Ok(body) => serde_json::from_value(body).map_err(|e| {
                        MicollabError::Http(HttpError::new(
                            System::Micollab,
                            "PATCH",
                            url.path(),
                            crate::http::HttpErrorKind::Decode(format!(
                                "an operation's body is not a user: {e}"
                            )),
                        ))
                    }),
                    Err(failure) => Err(MicollabError::from_failure(failure, login)),
                },
            })
            .collect()
    }

    async fn user_statuses(&self, login: &str) -> Result<StatusList, MicollabError> {
        self.status_list(&["users", login, "statuses"], login).await
    }

    async fn notifications(&self) -> Result<Vec<Notification>, MicollabError> {
        self.list(
            &["notifications"],
            &[("limit", PAGE_LIMIT)],
            "notifications",
        )
        .await
    }

    async fn user_notifications(&self, login: &str) -> Result<Vec<Notification>, MicollabError> {
        self.list(&["users", login, "notifications"], &[], login)
            .await
    }

    async fn teams_flags(&self, logins: &[String]) -> Result<IdMap<bool>, MicollabError> {
        // Only the flag: a tenth of the answer a whole user is, at 100,000 users a cycle.
        let users: Vec<UserTeamsFlag> = self.query_users(logins, Some(&["teamsPresence"])).await?;
        Ok(users
            .into_iter()
            .filter_map(|u| Some((u.login, u.teams_presence?.effective?)))
            .collect())
    }
}
