//! Mitel CloudLink (`docs/contracts/cloudlink.md`): the account's admin users (to find a
//! user by email and its principal id) and presentities (read in batches, written in bulk
//! with optimistic concurrency: a presentity another writer changed is reported as a
//! conflict, never overwritten).

mod port;

use std::collections::{HashMap, HashSet};

use crate::ids::IdMap;
use std::future::Future;

use futures_util::future::join_all;

use crate::config::{Config, ConfigError};
use crate::http::{Call, HttpError, HttpErrorKind, System};
use crate::presence::WRITER;
use crate::wire::cloudlink::{
    List, MAX_PAGE, MAX_QUERY_IDS, Operation, Presentity, PresentityQuery, PresentityWrite, User,
    VersionMismatch,
};

use super::MatchedOn;
use super::mitel::{
    MitelApi, MitelFailure, MitelGrant, MitelSettings, PAGE_LIMIT, read_secret, required, unique,
};

/// Up to this many user ids are resolved with one `GET …/users/{id}` each; more, and the
/// account's user list is paged instead (stopping once every id is found).
///
/// Why: k ids cost k requests run `max_concurrency` (8) at a time, so about k / 8 round
/// trips; paging costs ceil(N / 1000) sequential round trips for an account of N users,
/// and N is not known before paging. 32 ids are 4 round trips, the cost of paging an
/// account of 4,000 users: below that, per-user reads win for any account worth syncing;
/// above it, paging (one request per 1,000 users, and usually stopping early) wins.
pub const PER_USER_LOOKUP_MAX: usize = 32;

/// One presentity write: the status and activity mcteams computed, against the version it
/// read. The writer is always `mcteams` ([`WRITER`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentityUpdate {
    pub principal_id: String,
    pub status: String,
    pub activity: Option<String>,
    /// The version read: if the presentity is no longer at it, the write is refused (412).
    pub expected_version: u64,
}

/// Why a presentity write was not applied.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PresentityWriteError {
    /// Someone else wrote it since it was read (`412 VersionMismatch`): read again, do not
    /// fight.
    #[error("cloudlink: presentity changed by {} since it was read (now version {}){}",
        .source_name.as_deref().unwrap_or("another writer"),
        .current_version.map_or("?".to_string(), |v| v.to_string()),
        .error.request_id.as_ref().map(|id| format!(" [correlation id {id}]")).unwrap_or_default())]
    Conflict {
        current_version: Option<u64>,
        /// The last writer, as the answer names it.
        source_name: Option<String>,
        error: HttpError,
    },
    #[error(transparent)]
    Failed(HttpError),
}

/// A batch read of presentities: found ones, and the ids CloudLink does not know.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PresentityBatch {
    pub found: HashMap<String, Presentity>,
    pub not_found: Vec<String>,
}

/// The account's users by email, to find the CloudLink user of an Entra user: by UPN first,
/// then by `mail` (the email is usually, not always, the UPN). Case-insensitive.
#[derive(Debug, Clone, Default)]
pub struct CloudlinkUserIndex {
    users: Vec<User>,
    by_email: HashMap<String, Vec<usize>>,
}

/// A lookup's answer: one user, none, or several with that email (the admin must choose).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailMatch<'a> {
    Found(&'a User, MatchedOn),
    Ambiguous(Vec<&'a User>, MatchedOn),
    NotFound,
}

impl CloudlinkUserIndex {
    pub fn new(users: Vec<User>) -> CloudlinkUserIndex {
        let mut by_email: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, user) in users.iter().enumerate() {
            if let Some(email) = &user.email {
                by_email
                    .entry(email.trim().to_lowercase())
                    .or_default()
                    .push(i);
            }
        }
        CloudlinkUserIndex { users, by_email }
    }

    pub fn len(&self) -> usize {
        self.users.len()
    }

    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The user whose email is `upn`, else the one whose email is `mail`.
    pub fn find(&self, upn: &str, mail: Option<&str>) -> EmailMatch<'_> {
        let candidates = [
            Some((upn, MatchedOn::UserPrincipalName)),
            mail.map(|m| (m, MatchedOn::Mail)),
        ];
        for (email, on) in candidates.into_iter().flatten() {
            match self
                .by_email
                .get(&email.trim().to_lowercase())
                .map(Vec::as_slice)
            {
                Some([one]) => return EmailMatch::Found(&self.users[*one], on),
                Some(many) if !many.is_empty() => {
                    return EmailMatch::Ambiguous(
                        many.iter().map(|i| &self.users[*i]).collect(),
                        on,
                    );
                }
                _ => {}
            }
        }
        EmailMatch::NotFound
    }
}

/// What the sync, `import`, `mappings discover`, `report` and `doctor` need from CloudLink.
pub trait CloudlinkDirectory: Send + Sync {
    /// Every user of the account, paged to the end.
    fn users(&self) -> impl Future<Output = Result<Vec<User>, HttpError>> + Send;

    /// The first `limit` users, one request (`doctor`).
    fn first_users(
        &self,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<User>, HttpError>> + Send;

    /// One user; `None` when the account has no such user.
    fn user(&self, user_id: &str) -> impl Future<Output = Result<Option<User>, HttpError>> + Send;

    /// Every user, indexed by email (one paging pass, for resolving many rows).
    fn user_index(&self) -> impl Future<Output = Result<CloudlinkUserIndex, HttpError>> + Send;

    /// User id → principal id; unknown users are absent. Per-user reads or one paging
    /// pass, whichever is cheaper ([`PER_USER_LOOKUP_MAX`]).
    fn principal_ids(
        &self,
        user_ids: &[String],
    ) -> impl Future<Output = Result<IdMap<String>, HttpError>> + Send;

    /// Presentities by principal id, ≤ 1000 per query, queries concurrent.
    fn presentities(
        &self,
        principal_ids: &[String],
    ) -> impl Future<Output = Result<PresentityBatch, HttpError>> + Send;

    /// One presentity; `None` when there is none.
    fn presentity(
        &self,
        principal_id: &str,
    ) -> impl Future<Output = Result<Option<Presentity>, HttpError>> + Send;

    /// Bulk writes (≤ 1000 per `PATCH`), each against its expected version; one result per
    /// write, in order: the new presentity, a conflict, or a failure.
    fn write_presentities(
        &self,
        writes: &[PresentityUpdate],
    ) -> impl Future<Output = Vec<Result<Presentity, PresentityWriteError>>> + Send;
}

/// The CloudLink client. Cheap to clone; one per run.
#[derive(Debug, Clone)]
pub struct CloudlinkClient {
    api: MitelApi,
    admin_url: url::Url,
    presence_url: url::Url,
    account_id: String,
}

impl CloudlinkClient {
    /// Reads `[cloudlink]`: `auth_url`, `admin_url`, `presence_url`, `account_id`,
    /// `client_id`, `client_secret_env|client_secret_file`, `ca_file`.
    pub fn from_config(config: &Config) -> Result<CloudlinkClient, ConfigError> {
        let c = &config.file.cloudlink;
        let auth_url = required(&c.auth_url, "cloudlink.auth_url")?.0;
        let admin_url = required(&c.admin_url, "cloudlink.admin_url")?.0;
        let presence_url = required(&c.presence_url, "cloudlink.presence_url")?.0;
        let account_id = required(&c.account_id, "cloudlink.account_id")?;
        let client_id = required(&c.client_id, "cloudlink.client_id")?;
        let client_secret = read_secret(
            &c.client_secret_env,
            &c.client_secret_file,
            "cloudlink",
            "client_secret",
        )?;
        let token_url = super::mitel::endpoint(System::Cloudlink, &auth_url, &["token"], &[])
            .map_err(|e| ConfigError::new(format!("cloudlink.auth_url: {e}")))?;
        let mut settings = MitelSettings::new(
            System::Cloudlink,
            token_url,
            MitelGrant::ClientCredentials {
                account_id: account_id.clone(),
                client_id,
                client_secret,
            },
        );
        settings.ca_file = c.ca_file.clone();
        CloudlinkClient::new(settings, admin_url, presence_url, account_id)
    }

    pub fn new(
        settings: MitelSettings,
        admin_url: url::Url,
        presence_url: url::Url,
        account_id: String,
    ) -> Result<CloudlinkClient, ConfigError> {
        for (key, url) in [
            ("cloudlink.admin_url", &admin_url),
            ("cloudlink.presence_url", &presence_url),
        ] {
            crate::http::check_url(url).map_err(|why| ConfigError::new(format!("{key}: {why}")))?;
        }
        Ok(CloudlinkClient {
            api: MitelApi::new(settings)?,
            admin_url,
            presence_url,
            account_id,
        })
    }

    pub fn api(&self) -> &MitelApi {
        &self.api
    }

    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    fn users_url(&self, rest: &[&str], query: &[(&str, &str)]) -> Result<url::Url, HttpError> {
        let mut segments = vec!["accounts", self.account_id.as_str(), "users"];
        segments.extend_from_slice(rest);
        self.api.endpoint(&self.admin_url, &segments, query)
    }

    fn presentities_url(&self, rest: &[&str]) -> Result<url::Url, HttpError> {
        let mut segments = vec!["presentities"];
        segments.extend_from_slice(rest);
        self.api.endpoint(&self.presence_url, &segments, &[])
    }

    /// Presentities as [`CloudlinkDirectory::presentities`] reads them (same requests, same
    /// failure rule), decoding only what a sync cycle needs.
    pub async fn presentity_briefs(
        &self,
        principal_ids: &[String],
    ) -> Result<Vec<crate::wire::cloudlink::PresentityBrief>, HttpError> {
        let ids = unique(principal_ids);
        let answers = join_all(
            ids.chunks(MAX_QUERY_IDS)
                .map(|c| self.query_chunk::<crate::wire::cloudlink::PresentityBrief>(c)),
        )
        .await;
        let mut found = Vec::with_capacity(ids.len());
        for answer in answers {
            let answer: List<crate::wire::cloudlink::PresentityBrief> = answer?;
            found.extend(answer.embedded.items);
        }
        Ok(found)
    }

    async fn query_chunk<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        chunk: &[&str],
    ) -> Result<List<T>, HttpError> {
        // A read sent as POST: safe to repeat.
        let call = Call::post(self.presentities_url(&["query"])?)
            .json(&PresentityQuery::<&str> {
                ids: chunk.to_vec(),
            })
            .idempotent();
        self.api
            .send_json_on_worker(call)
            .await
            .map_err(|f| f.error)
    }

    async fn principal_ids_by_user(&self, user_ids: &[&str]) -> Result<IdMap<String>, HttpError> {
        let users = join_all(user_ids.iter().map(|id| self.user(id))).await;
        let mut found = IdMap::default();
        for user in users {
            if let Some(user) = user?
                && let Some(principal) = user.principal_id
            {
                found.insert(user.user_id, principal);
            }
        }
        Ok(found)
    }

    /// Every user's principal id, by user id (users without one are left out): one pass
    /// over the account's directory.
    pub async fn principal_directory(&self) -> Result<IdMap<String>, HttpError> {
        let mut found = IdMap::default();
        let url = self.users_url(&[], &[("limit", PAGE_LIMIT)])?;
        self.api
            .for_each_page(url, |page: Vec<User>| {
                found.extend(
                    page.into_iter()
                        .filter_map(|u| Some((u.user_id, u.principal_id?))),
                );
                true
            })
            .await
            .map_err(|f| f.error)?;
        Ok(found)
    }

    async fn principal_ids_by_paging(&self, user_ids: &[&str]) -> Result<IdMap<String>, HttpError> {
        let mut wanted: HashSet<&str> = user_ids.iter().copied().collect();
        let mut found = IdMap::default();
        let url = self.users_url(&[], &[("limit", PAGE_LIMIT)])?;
        self.api
            .for_each_page(url, |page: Vec<User>| {
                for user in page {
                    if wanted.remove(user.user_id.as_str())
                        && let Some(principal) = user.principal_id
                    {
                        found.insert(user.user_id, principal);
                    }
                }
                // Every id found: the rest of the account need not be read.
                !wanted.is_empty()
            })
            .await
            .map_err(|f| f.error)?;
        Ok(found)
    }
}

fn write_failure(failure: MitelFailure) -> PresentityWriteError {
    if failure.status() == Some(412) {
        let data: VersionMismatch = failure
            .data
            .clone()
            .and_then(|d| serde_json::from_value(d).ok())
            .unwrap_or_default();
        return PresentityWriteError::Conflict {
            current_version: data.current_version,
            source_name: data.source,
            error: failure.error,
        };
    }
    PresentityWriteError::Failed(failure.error)
}

impl CloudlinkDirectory for CloudlinkClient {
    async fn users(&self) -> Result<Vec<User>, HttpError> {
        let url = self.users_url(&[], &[("limit", PAGE_LIMIT)])?;
        self.api.list_all(url).await.map_err(|f| f.error)
    }

    async fn first_users(&self, limit: usize) -> Result<Vec<User>, HttpError> {
        let limit = limit.clamp(1, MAX_PAGE).to_string();
        let url = self.users_url(&[], &[("limit", &limit)])?;
        let (users, _) = self.api.first_page(url).await.map_err(|f| f.error)?;
        Ok(users)
    }

    async fn user(&self, user_id: &str) -> Result<Option<User>, HttpError> {
        let url = self.users_url(&[user_id], &[])?;
        match self.api.get_json(url).await {
            Ok(user) => Ok(Some(user)),
            Err(f) if f.reason() == Some("UserNotFound") => Ok(None),
            Err(f) => Err(f.error),
        }
    }

    async fn user_index(&self) -> Result<CloudlinkUserIndex, HttpError> {
        Ok(CloudlinkUserIndex::new(self.users().await?))
    }

    async fn principal_ids(&self, user_ids: &[String]) -> Result<IdMap<String>, HttpError> {
        let ids = unique(user_ids);
        if ids.is_empty() {
            return Ok(IdMap::default());
        }
        if ids.len() <= PER_USER_LOOKUP_MAX {
            self.principal_ids_by_user(&ids).await
        } else {
            self.principal_ids_by_paging(&ids).await
        }
    }

    async fn presentities(&self, principal_ids: &[String]) -> Result<PresentityBatch, HttpError> {
        let ids = unique(principal_ids);
        let answers = join_all(
            ids.chunks(MAX_QUERY_IDS)
                .map(|c| self.query_chunk::<Presentity>(c)),
        )
        .await;
        let mut batch = PresentityBatch {
            found: HashMap::with_capacity(ids.len()),
            not_found: Vec::new(),
        };
        for answer in answers {
            let answer = answer?;
            for presentity in answer.embedded.items {
                batch
                    .found
                    .insert(presentity.principal_id.clone(), presentity);
            }
            batch.not_found.extend(answer.not_found.unwrap_or_default());
        }
        Ok(batch)
    }

    async fn presentity(&self, principal_id: &str) -> Result<Option<Presentity>, HttpError> {
        let url = self.presentities_url(&[principal_id])?;
        match self.api.get_json(url).await {
            Ok(p) => Ok(Some(p)),
            Err(f) if f.error.is_not_found() => Ok(None),
            Err(f) => Err(f.error),
        }
    }

    async fn write_presentities(
        &self,
        writes: &[PresentityUpdate],
    ) -> Vec<Result<Presentity, PresentityWriteError>> {
        let url = match self.presentities_url(&[]) {
            Ok(url) => url,
            Err(e) => {
                return writes
                    .iter()
                    .map(|_| Err(PresentityWriteError::Failed(e.clone())))
                    .collect();
            }
        };
        let operations: Vec<Operation<PresentityWrite>> = writes
            .iter()
            .map(|w| {
                Operation::replace(
                    w.principal_id.clone(),
                    PresentityWrite {
                        status: w.status.clone(),
                        activity: w.activity.clone(),
                        source: Some(WRITER.to_string()),
                        version: Some(w.expected_version),
                    },
                )
            })
            .collect();
        self.api
            .bulk_patch(&url, &operations)
            .await
            .into_iter()
            .map(|outcome| match outcome {
                Ok(body) => serde_json::from_value(body).map_err(|e| {
                    PresentityWriteError::Failed(HttpError::new(
                        System::Cloudlink,
                        "PATCH",
                        url.path(),
                        HttpErrorKind::Decode(format!(
                            "an operation's body is not a presentity: {e}"
                        )),
                    ))
                }),
                Err(failure) => Err(write_failure(failure)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, email: Option<&str>) -> User {
        User {
            user_id: id.into(),
            account_id: None,
            principal_id: Some(format!("p-{id}")),
            name: None,
            first_name: None,
            last_name: None,
            email: email.map(str::to_string),
            extension: None,
            role: None,
        }
    }

    #[test]
    fn users_are_found_by_upn_then_mail() {
        let index = CloudlinkUserIndex::new(vec![
            user("1", Some("Ann.Lee@contoso.com")),
            user("2", Some("bob@contoso-sales.com")),
            user("3", Some("dup@contoso.com")),
            user("4", Some("DUP@contoso.com")),
            user("5", None),
        ]);
        assert!(matches!(
            index.find("ann.lee@contoso.com", None),
            EmailMatch::Found(u, MatchedOn::UserPrincipalName) if u.user_id == "1"
        ));
        assert!(matches!(
            index.find("bob@contoso.com", Some("Bob@Contoso-Sales.com")),
            EmailMatch::Found(u, MatchedOn::Mail) if u.user_id == "2"
        ));
        assert!(matches!(
            index.find("dup@contoso.com", None),
            EmailMatch::Ambiguous(users, _) if users.len() == 2
        ));
        assert_eq!(index.find("nobody@contoso.com", None), EmailMatch::NotFound);
    }
}
