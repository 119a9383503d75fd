//! Clients of the systems mcteams syncs, each implementing its system's port
//! ([`ports`]), so the sync engine runs against in-memory fakes as well as the real services
//! (or the emulator).

pub mod cloudlink;
pub mod graph;
pub mod micollab;
pub mod mitel;
pub mod pbx;
pub mod ports;

pub use ports::ConnectedSystems;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::Duration;

use crate::http::HttpError;
use crate::wire::graph::{Activity, Availability, Presence, PresenceBrief, User};

/// One change to mcteams' own app session of a user (DESIGN.md section 3, PBX → Teams).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionWrite {
    /// `setPresence` with `sessionId` = the app's client id, expiring after `ttl`.
    Set {
        user_id: String,
        availability: Availability,
        activity: Activity,
        ttl: Duration,
    },
    /// `clearPresence`: the session ends (already gone counts as done).
    Clear { user_id: String },
}

impl SessionWrite {
    pub fn user_id(&self) -> &str {
        match self {
            SessionWrite::Set { user_id, .. } | SessionWrite::Clear { user_id } => user_id,
        }
    }
}

/// The result of one [`SessionWrite`]: each is applied (or fails) on its own.
#[derive(Debug)]
pub struct WriteOutcome {
    pub user_id: String,
    pub result: Result<(), HttpError>,
}

/// Which property a user was found by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchedOn {
    UserPrincipalName,
    Mail,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedUser {
    pub user: User,
    pub matched_on: MatchedOn,
}

/// Users looked up by UPN (then mail), keyed by the name as the caller gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserResolution {
    pub found: BTreeMap<String, ResolvedUser>,
    pub not_found: Vec<String>,
}

/// What the sync engine, `report`, `release` and `doctor` need from Microsoft Graph.
///
/// Every method is all-or-error except [`PresenceDirectory::write_sessions`], whose writes
/// succeed or fail one by one (a partial result is the caller's to report).
pub trait PresenceDirectory: Send + Sync {
    /// Presence of the given Entra object ids, read in bulk. Ids Graph does not know are
    /// absent from the map; a failed chunk fails the whole read (a partial view must never
    /// look like users going offline).
    fn read_presences(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<HashMap<String, Presence>, HttpError>> + Send;

    /// [`read_presences`](Self::read_presences) with only what a sync cycle reads, as a
    /// list (same requests, same failure rule): a client can skip the other fields while
    /// decoding.
    fn read_presence_briefs(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<Vec<PresenceBrief>, HttpError>> + Send {
        async move {
            Ok(self
                .read_presences(ids)
                .await?
                .into_values()
                .map(PresenceBrief::from)
                .collect())
        }
    }

    /// Applies the writes, packed into as few round trips as possible; one outcome per
    /// write, in the same order.
    fn write_sessions(
        &self,
        writes: &[SessionWrite],
    ) -> impl Future<Output = Vec<WriteOutcome>> + Send;

    /// Finds users by UPN, then by `mail` for the names no UPN matched (case-insensitive).
    fn resolve_users(
        &self,
        names: &[String],
    ) -> impl Future<Output = Result<UserResolution, HttpError>> + Send;

    /// The application permissions in the app's access token (`roles` claim).
    fn token_roles(&self) -> impl Future<Output = Result<Vec<String>, HttpError>> + Send;

    /// Requests sent so far (every attempt; a `$batch` as the requests inside it, as Graph
    /// counts them), for summaries.
    fn requests_sent(&self) -> u64 {
        0
    }

    /// Throttling answers seen so far (429s, and 503s with `Retry-After`; `$batch` inner
    /// answers included), for the metrics.
    fn throttled_seen(&self) -> u64 {
        0
    }

    /// Gets what the first request needs (an access token) ahead of it.
    fn warm_up(&self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// How far ahead of now this run has taken Graph's rate limit, for the next run.
    fn rate_limit_ahead(&self) -> std::time::Duration {
        std::time::Duration::ZERO
    }

    /// Starts the rate limit where an earlier run left it. Call before the first request.
    fn carry_over_rate_limit(&self, _ahead: std::time::Duration) {}

    /// Graph's clock at its latest answer: session expiry runs on it.
    fn server_clock(&self) -> Option<crate::http::ClockReading> {
        None
    }

    /// Sets mcteams' app session of one user.
    fn set_presence(
        &self,
        user_id: &str,
        availability: Availability,
        activity: Activity,
        ttl: Duration,
    ) -> impl Future<Output = Result<(), HttpError>> + Send {
        let write = SessionWrite::Set {
            user_id: user_id.to_string(),
            availability,
            activity,
            ttl,
        };
        async move { single(self.write_sessions(std::slice::from_ref(&write)).await) }
    }

    /// Ends mcteams' app session of one user; a session already gone is success.
    fn clear_presence(&self, user_id: &str) -> impl Future<Output = Result<(), HttpError>> + Send {
        let write = SessionWrite::Clear {
            user_id: user_id.to_string(),
        };
        async move { single(self.write_sessions(std::slice::from_ref(&write)).await) }
    }
}

/// Builds the four clients from the configuration. Only configuration problems fail here
/// (a missing key, an unreadable secret or `ca_file`: exit 78); nothing is contacted yet.
pub fn connect(
    config: &crate::config::Config,
) -> Result<ConnectedSystems, crate::config::ConfigError> {
    Ok(ports::Systems {
        teams: graph::GraphClient::from_config(config)?,
        micollab: micollab::MicollabClient::from_config(config)?,
        pbx: pbx::PbxClient::from_config(config)?,
        cloudlink: cloudlink::CloudlinkClient::from_config(config)?,
    })
}

/// Sets every system's retry policy (the HTTP layer's patience with one request).
pub fn set_retry_policy(systems: &ConnectedSystems, policy: crate::http::RetryPolicy) {
    systems.teams.http().set_retry_policy(policy);
    systems.micollab.api().http().set_retry_policy(policy);
    systems.pbx.api().http().set_retry_policy(policy);
    systems.cloudlink.api().http().set_retry_policy(policy);
}

fn single(outcomes: Vec<WriteOutcome>) -> Result<(), HttpError> {
    outcomes
        .into_iter()
        .next()
        .map(|o| o.result)
        .unwrap_or(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// The shape of the fakes the sync engine's tests will use: state in memory, no I/O.
    #[derive(Default)]
    struct InMemoryGraph {
        presences: HashMap<String, Presence>,
        sessions: Mutex<HashMap<String, (Availability, Activity)>>,
    }

    impl PresenceDirectory for InMemoryGraph {
        async fn read_presences(
            &self,
            ids: &[String],
        ) -> Result<HashMap<String, Presence>, HttpError> {
            Ok(ids
                .iter()
                .filter_map(|id| self.presences.get(id).map(|p| (id.clone(), p.clone())))
                .collect())
        }

        async fn write_sessions(&self, writes: &[SessionWrite]) -> Vec<WriteOutcome> {
            let mut sessions = self.sessions.lock().unwrap();
            writes
                .iter()
                .map(|write| {
                    match write {
                        SessionWrite::Set {
                            user_id,
                            availability,
                            activity,
                            ..
                        } => {
                            sessions
                                .insert(user_id.clone(), (availability.clone(), activity.clone()));
                        }
                        SessionWrite::Clear { user_id } => {
                            sessions.remove(user_id);
                        }
                    }
                    WriteOutcome {
                        user_id: write.user_id().to_string(),
                        result: Ok(()),
                    }
                })
                .collect()
        }

        async fn resolve_users(&self, names: &[String]) -> Result<UserResolution, HttpError> {
            Ok(UserResolution {
                found: BTreeMap::new(),
                not_found: names.to_vec(),
            })
        }

        async fn token_roles(&self) -> Result<Vec<String>, HttpError> {
            Ok(vec!["Presence.ReadWrite.All".into()])
        }
    }

    #[tokio::test]
    async fn an_in_memory_fake_gets_the_single_write_helpers() {
        let fake = InMemoryGraph::default();
        fake.set_presence(
            "u1",
            Availability::Busy,
            Activity::InACall,
            Duration::from_secs(900),
        )
        .await
        .unwrap();
        assert_eq!(fake.sessions.lock().unwrap().len(), 1);
        fake.clear_presence("u1").await.unwrap();
        assert!(fake.sessions.lock().unwrap().is_empty());
        assert!(fake.read_presences(&["x".into()]).await.unwrap().is_empty());
    }
}
