//! The connectors, seen through the engine's ports.

use std::collections::HashMap;

use crate::config::{Config, ConfigError};
use crate::connectors::cloudlink::{
    CloudlinkClient, CloudlinkDirectory, PresentityUpdate, PresentityWriteError,
};
use crate::connectors::graph::GraphClient;
use crate::connectors::micollab::{MicollabAdmin, MicollabClient};
use crate::connectors::pbx::{PbxClient, PbxDirectory};
use crate::connectors::{PresenceDirectory, SessionWrite};
use crate::exit::ExitStatus;
use crate::http::HttpError;
use crate::ids::{IdMap, id_map};
use crate::presence::PhoneState;
use crate::reconcile::{Presentity, TeamsPresence};

use super::ports::{
    CloudlinkPort, MicollabPort, PbxPort, PresentityWrite, SessionChange, SourceError, Systems,
    TeamsPort, WriteFailure,
};

/// A connector error as the engine reports it: one line, and whether to try again later.
pub fn source_error(system: &'static str, error: &HttpError) -> SourceError {
    SourceError {
        system,
        unavailable: error.exit_status() == ExitStatus::Unavailable,
        maybe_applied: error.maybe_applied(),
        gave_up: false,
        message: error.to_string(),
    }
}

/// Microsoft Graph as the engine's Teams side.
pub struct GraphTeams<G>(pub G);

impl<G: PresenceDirectory> TeamsPort for GraphTeams<G> {
    async fn warm_up(&self) {
        self.0.warm_up().await;
    }

    fn requests_sent(&self) -> u64 {
        self.0.requests_sent()
    }

    fn throttled_seen(&self) -> u64 {
        self.0.throttled_seen()
    }

    fn rate_limit_ahead(&self) -> std::time::Duration {
        self.0.rate_limit_ahead()
    }

    fn carry_over_rate_limit(&self, ahead: std::time::Duration) {
        self.0.carry_over_rate_limit(ahead);
    }

    async fn read_presences(
        &self,
        teams_ids: &[String],
    ) -> Result<IdMap<TeamsPresence>, SourceError> {
        // Only the fields the engine reads are decoded, and each is moved, not copied.
        let presences = self
            .0
            .read_presence_briefs(teams_ids)
            .await
            .map_err(|e| source_error("graph", &e))?;
        Ok(presences
            .into_iter()
            .map(|p| {
                (
                    p.id,
                    TeamsPresence {
                        availability: p.availability,
                        activity: p.activity,
                        sequence_number: p.sequence_number,
                    },
                )
            })
            .collect())
    }

    fn clock_skew(&self) -> Option<chrono::Duration> {
        let reading = self.0.server_clock()?;
        chrono::Duration::from_std(std::time::Duration::from_secs_f64(
            reading.skew_seconds().abs(),
        ))
        .ok()
        .map(|d| if reading.skew_seconds() < 0.0 { -d } else { d })
    }

    async fn apply_sessions(&self, changes: &[SessionChange]) -> Vec<Result<(), SourceError>> {
        let writes: Vec<SessionWrite> = changes
            .iter()
            .map(|c| match c.set {
                Some((intent, ttl)) => SessionWrite::Set {
                    user_id: c.teams_id.clone(),
                    availability: intent.availability(),
                    activity: intent.activity(),
                    ttl,
                },
                None => SessionWrite::Clear {
                    user_id: c.teams_id.clone(),
                },
            })
            .collect();
        self.0
            .write_sessions(&writes)
            .await
            .into_iter()
            .map(|o| o.result.map_err(|e| source_error("graph", &e)))
            .collect()
    }
}

/// MiCollab as the engine's source of Teams flags.
pub struct MitelMicollab<M>(pub M);

impl MicollabPort for MitelMicollab<MicollabClient> {
    async fn warm_up(&self) {
        self.0.api().http().warm_up().await;
    }

    fn requests_sent(&self) -> u64 {
        self.0.api().http().stats().attempts
    }

    fn throttled_seen(&self) -> u64 {
        self.0.api().http().stats().throttled
    }

    async fn teams_flags(&self, logins: &[String]) -> Result<IdMap<bool>, SourceError> {
        self.0
            .teams_flags(logins)
            .await
            .map_err(|e| source_error("micollab", e.http()))
    }
}

/// MiVoice Business as the engine's source of phone states (read only).
pub struct MitelPbx<P>(pub P);

impl PbxPort for MitelPbx<PbxClient> {
    async fn warm_up(&self) {
        self.0.api().http().warm_up().await;
    }

    fn requests_sent(&self) -> u64 {
        self.0.api().http().stats().attempts
    }

    fn throttled_seen(&self) -> u64 {
        self.0.api().http().stats().throttled
    }

    async fn phone_states(&self, extensions: &[String]) -> Result<IdMap<PhoneState>, SourceError> {
        // Each answer is turned into phone states as it is decoded (only the fields a
        // phone state needs): the extensions themselves are never all held at once.
        let found = self
            .0
            .phone_states(extensions)
            .await
            .map_err(|e| source_error("pbx", &e))?;
        let mut states = id_map(found.len());
        for (number, state) in found {
            match state {
                Some(state) => {
                    states.insert(number, state);
                }
                // Left out: unknown, so the engine changes nothing for this phone.
                None => {
                    states.remove(&number);
                    tracing::warn!(
                        extension = number.as_str(),
                        "pbx: extension state not understood (call state, DND or device type missing or new): left unknown"
                    )
                }
            }
        }
        Ok(states)
    }
}

/// CloudLink as the engine's presentity store.
pub struct MitelCloudlink<C>(pub C);

impl CloudlinkPort for MitelCloudlink<CloudlinkClient> {
    async fn warm_up(&self) {
        self.0.api().http().warm_up().await;
    }

    fn requests_sent(&self) -> u64 {
        self.0.api().http().stats().attempts
    }

    fn throttled_seen(&self) -> u64 {
        self.0.api().http().stats().throttled
    }

    async fn principal_ids(&self, user_ids: &[String]) -> Result<IdMap<String>, SourceError> {
        self.0
            .principal_ids(user_ids)
            .await
            .map_err(|e| source_error("cloudlink", &e))
    }

    async fn principal_directory(&self) -> Result<IdMap<String>, SourceError> {
        self.0
            .principal_directory()
            .await
            .map_err(|e| source_error("cloudlink", &e))
    }

    async fn presentities(
        &self,
        principal_ids: &[String],
    ) -> Result<IdMap<Presentity>, SourceError> {
        let found = self
            .0
            .presentity_briefs(principal_ids)
            .await
            .map_err(|e| source_error("cloudlink", &e))?;
        Ok(found
            .into_iter()
            .map(|p| {
                (
                    p.principal_id,
                    Presentity {
                        status: p.status,
                        activity: p.activity,
                        version: p.version.to_string(),
                        source: p.source,
                    },
                )
            })
            .collect())
    }

    async fn write_presentities(
        &self,
        writes: &[PresentityWrite],
    ) -> Vec<Result<String, WriteFailure>> {
        // A version mcteams did not read from CloudLink cannot guard a write: such a write
        // is refused here rather than sent unconditionally.
        let mut results: Vec<Option<Result<String, WriteFailure>>> = vec![None; writes.len()];
        let mut updates = Vec::with_capacity(writes.len());
        let mut positions = Vec::with_capacity(writes.len());
        for (i, w) in writes.iter().enumerate() {
            match w.expected_version.trim().parse::<u64>() {
                Ok(version) => {
                    updates.push(PresentityUpdate {
                        principal_id: w.principal_id.clone(),
                        status: w.status.name().to_string(),
                        activity: (!w.activity.is_empty()).then(|| w.activity.clone()),
                        expected_version: version,
                    });
                    positions.push(i);
                }
                Err(_) => {
                    results[i] = Some(Err(WriteFailure::Failed(SourceError {
                        system: "cloudlink",
                        unavailable: false,
                        maybe_applied: false,
                        gave_up: false,
                        message: format!(
                            "cloudlink: presentity {}: expected version {:?} is not a CloudLink version; not written",
                            w.principal_id, w.expected_version
                        ),
                    })));
                }
            }
        }
        let outcomes = self.0.write_presentities(&updates).await;
        for (position, outcome) in positions.into_iter().zip(outcomes) {
            results[position] = Some(match outcome {
                Ok(p) => Ok(p.version.to_string()),
                Err(PresentityWriteError::Conflict { .. }) => Err(WriteFailure::Conflict),
                Err(PresentityWriteError::Failed(e)) => {
                    Err(WriteFailure::Failed(source_error("cloudlink", &e)))
                }
            });
        }
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(WriteFailure::Failed(SourceError {
                        system: "cloudlink",
                        unavailable: false,
                        maybe_applied: false,
                        gave_up: false,
                        message: "cloudlink: no answer for this write".to_string(),
                    }))
                })
            })
            .collect()
    }
}

/// The four real systems as the engine sees them.
pub type ConnectedSystems = Systems<
    GraphTeams<GraphClient>,
    MitelMicollab<MicollabClient>,
    MitelPbx<PbxClient>,
    MitelCloudlink<CloudlinkClient>,
>;

/// Builds the four clients from the configuration. Only configuration problems fail here
/// (a missing key, an unreadable secret or `ca_file`: exit 78); nothing is contacted yet.
pub fn connect(config: &Config) -> Result<ConnectedSystems, ConfigError> {
    Ok(Systems {
        teams: GraphTeams(GraphClient::from_config(config)?),
        micollab: MitelMicollab(MicollabClient::from_config(config)?),
        pbx: MitelPbx(PbxClient::from_config(config)?),
        cloudlink: MitelCloudlink(CloudlinkClient::from_config(config)?),
    })
}

/// Sets every system's retry policy (the HTTP layer's patience with one request).
pub fn set_retry_policy(systems: &ConnectedSystems, policy: crate::http::RetryPolicy) {
    systems.teams.0.http().set_retry_policy(policy);
    systems.micollab.0.api().http().set_retry_policy(policy);
    systems.pbx.0.api().http().set_retry_policy(policy);
    systems.cloudlink.0.api().http().set_retry_policy(policy);
}

/// A MiCollab error as the engine and import report it.
pub fn micollab_error(error: &crate::connectors::micollab::MicollabError) -> SourceError {
    SourceError {
        system: "micollab",
        unavailable: error.exit_status() == ExitStatus::Unavailable,
        maybe_applied: false,
        gave_up: false,
        message: error.to_string(),
    }
}

impl crate::import::resolve::Directory for ConnectedSystems {
    async fn teams_users(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, crate::import::resolve::TeamsUser>, SourceError> {
        let resolution = self
            .teams
            .0
            .resolve_users(names)
            .await
            .map_err(|e| source_error("graph", &e))?;
        Ok(resolution
            .found
            .into_iter()
            .map(|(name, found)| {
                (
                    name.to_ascii_lowercase(),
                    crate::import::resolve::TeamsUser {
                        id: found.user.id,
                        user_principal_name: found.user.user_principal_name,
                        mail: found.user.mail,
                    },
                )
            })
            .collect())
    }

    async fn micollab_logins(
        &self,
        logins: &[String],
    ) -> Result<std::collections::HashSet<String>, SourceError> {
        let found = self
            .micollab
            .0
            .users_by_login(logins)
            .await
            .map_err(|e| micollab_error(&e))?;
        Ok(found.into_keys().collect())
    }

    async fn extensions(
        &self,
        extensions: &[String],
    ) -> Result<std::collections::HashSet<String>, SourceError> {
        let batch = self
            .pbx
            .0
            .extensions(extensions)
            .await
            .map_err(|e| source_error("pbx", &e))?;
        Ok(batch.found.into_keys().collect())
    }

    async fn cloudlink_users(
        &self,
    ) -> Result<Vec<crate::import::resolve::CloudlinkUser>, SourceError> {
        let users = self
            .cloudlink
            .0
            .users()
            .await
            .map_err(|e| source_error("cloudlink", &e))?;
        Ok(users
            .into_iter()
            .map(|u| crate::import::resolve::CloudlinkUser {
                user_id: u.user_id,
                email: u.email,
            })
            .collect())
    }
}
