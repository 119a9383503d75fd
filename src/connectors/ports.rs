//! What the sync engine needs of each system: the one port layer. Each connector implements
//! its system's port itself (no adapters between); the engine's tests use in-memory fakes.
//! Every read is in bulk; a user missing from an answer is "unknown", never "off", so a
//! system that answers empty or partial causes no removals.

use crate::ids::IdMap;
use std::future::Future;
use std::time::Duration;

use crate::http::{HttpError, Remedy};
use crate::presence::{MiCollabStatus, PhoneState, SessionIntent};
use crate::reconcile::{Presentity, TeamsPresence};

/// A system that could not be read or written. `unavailable`: down or throttled beyond the
/// retry budget (cron should simply try again).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{system}: {message}")]
pub struct SourceError {
    pub system: &'static str,
    pub unavailable: bool,
    /// A failed write that the system may have applied all the same (no answer after it
    /// was sent): its journal entry stays open, to be settled by the next run.
    #[serde(skip)]
    pub maybe_applied: bool,
    /// Not a failure seen from the system: the cycle stopped waiting for it (it was down at
    /// the last cycle, and answered too late again). It is waited for as usual next cycle,
    /// so a system that is back but slower than the others is not cut off for good.
    #[serde(skip)]
    pub gave_up: bool,
    /// The system refused mcteams' configuration (a credential, a certificate, a URL): no
    /// wait fixes it, so a run ends as a configuration error (exit 78).
    #[serde(skip)]
    pub configuration: bool,
    pub message: String,
}

impl SourceError {
    /// A failure of `system` that is none of the kinds below: not down, nothing maybe
    /// applied, not given up, not the configuration.
    pub fn new(system: &'static str, message: impl Into<String>) -> SourceError {
        SourceError {
            system,
            unavailable: false,
            maybe_applied: false,
            gave_up: false,
            configuration: false,
            message: message.into(),
        }
    }

    /// `system` could not be reached (or did not answer).
    pub fn down(system: &'static str, message: impl Into<String>) -> SourceError {
        SourceError {
            unavailable: true,
            ..SourceError::new(system, message)
        }
    }

    /// A connector's HTTP error as the engine reports it: one line, and whether to try
    /// again later.
    pub fn of(system: &'static str, error: &HttpError) -> SourceError {
        SourceError {
            system,
            unavailable: error.remedy() == Remedy::TryLater,
            maybe_applied: error.maybe_applied(),
            gave_up: false,
            configuration: error.remedy() == Remedy::FixConfiguration,
            message: error.to_string(),
        }
    }

    /// A MiCollab error as the engine and import report it.
    pub fn of_micollab(error: &super::micollab::MicollabError) -> SourceError {
        SourceError {
            system: "micollab",
            unavailable: error.remedy() == Remedy::TryLater,
            maybe_applied: false,
            gave_up: false,
            configuration: error.remedy() == Remedy::FixConfiguration,
            message: error.to_string(),
        }
    }

    /// What to fix, for an error of [`Self::configuration`].
    pub fn configuration_hint(&self) -> String {
        format!(
            "fix the [{}] section of the configuration (its credential, URL or ca_file), then run again",
            self.system
        )
    }

    /// What fixes it (the edge maps it to the run's exit code).
    pub fn remedy(&self) -> Remedy {
        if self.configuration {
            Remedy::FixConfiguration
        } else if self.unavailable {
            Remedy::TryLater
        } else {
            Remedy::Investigate
        }
    }
}

/// What every system's port has: a warm-up, and its traffic counted for the cycle's
/// summary and the metrics.
pub trait Port {
    /// Gets what the first read needs (an access token) ahead of it, while the cycle is
    /// still reading the store. A failure is left for the reads to report.
    fn warm_up(&self) -> impl Future<Output = ()> {
        async {}
    }

    /// Requests sent so far (every attempt; a Graph `$batch` as the requests inside it, as
    /// Graph counts them).
    fn requests_sent(&self) -> u64 {
        0
    }

    /// Throttling answers seen so far (429s, and 503s with `Retry-After`, `$batch` inner
    /// answers included).
    fn throttled_seen(&self) -> u64 {
        0
    }
}

/// A client on the Mitel API layer: its traffic is its HTTP client's.
pub trait OnMitelApi {
    fn mitel_api(&self) -> &super::mitel::MitelApi;
}

impl<T: OnMitelApi> Port for T {
    async fn warm_up(&self) {
        self.mitel_api().http().warm_up().await;
    }

    fn requests_sent(&self) -> u64 {
        self.mitel_api().http().stats().attempts
    }

    fn throttled_seen(&self) -> u64 {
        self.mitel_api().http().stats().throttled
    }
}

/// Set (with its lifetime) or clear mcteams' app session for one Entra user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionChange {
    pub teams_id: String,
    pub set: Option<(SessionIntent, Duration)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentityWrite {
    pub principal_id: String,
    pub status: MiCollabStatus,
    pub activity: String,
    pub expected_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteFailure {
    /// Someone wrote the presentity since it was read (optimistic concurrency).
    Conflict,
    Failed(SourceError),
}

pub trait TeamsPort: Port {
    /// Aggregated presence by Entra object id.
    fn read_presences(
        &self,
        teams_ids: &[String],
    ) -> impl Future<Output = Result<IdMap<TeamsPresence>, SourceError>>;

    /// One result per change, in order. Clearing a session that is not there is a success.
    fn apply_sessions(
        &self,
        changes: &[SessionChange],
    ) -> impl Future<Output = Vec<Result<(), SourceError>>>;

    /// How far Graph's clock is ahead of ours (negative: behind), from its latest answer.
    /// Sessions expire on Graph's clock, so the cycle judges expiry on it.
    fn clock_skew(&self) -> Option<chrono::Duration> {
        None
    }

    /// How far ahead of now this run has taken Graph's rate limit: Graph counts its limit
    /// over a sliding window, so the next run must start there ([`Self::carry_over_rate_limit`]).
    fn rate_limit_ahead(&self) -> Duration {
        Duration::ZERO
    }

    /// Starts the rate limit where an earlier run left it. Call before the first request.
    fn carry_over_rate_limit(&self, _ahead: Duration) {}
}

pub trait MicollabPort: Port {
    /// Whether Teams presence is on (by profile or per-user flag) for these MiCollab logins.
    fn teams_flags(
        &self,
        logins: &[String],
    ) -> impl Future<Output = Result<IdMap<bool>, SourceError>>;
}

pub trait PbxPort: Port {
    /// Phone state by extension, for every extension the PBX answered for (`None`: a state
    /// it did not make sense of, left unknown). Read only: mcteams never writes to the phone.
    fn phone_states(
        &self,
        extensions: &[String],
    ) -> impl Future<Output = Result<IdMap<Option<PhoneState>>, SourceError>>;
}

pub trait CloudlinkPort: Port {
    /// Up to how many unresolved users are looked up one at a time; more are resolved by one
    /// pass over the directory ([`Self::principal_directory`]).
    const PER_USER_LOOKUP_MAX: usize;

    /// Principal ids (what presentities are keyed by) of CloudLink user ids; unknown users
    /// are absent. The engine keeps them in the store, so each is resolved once.
    fn principal_ids(
        &self,
        user_ids: &[String],
    ) -> impl Future<Output = Result<IdMap<String>, SourceError>>;

    /// Every principal id of the account by user id, in one pass over its directory: for a
    /// cycle with more users to resolve than are worth looking up one at a time.
    fn principal_directory(&self) -> impl Future<Output = Result<IdMap<String>, SourceError>>;

    /// Presentities by principal id.
    fn presentities(
        &self,
        principal_ids: &[String],
    ) -> impl Future<Output = Result<IdMap<Presentity>, SourceError>>;

    /// One result per write, in order: the new version, or why not.
    fn write_presentities(
        &self,
        writes: &[PresentityWrite],
    ) -> impl Future<Output = Vec<Result<String, WriteFailure>>>;
}

/// The four systems, as the engine sees them.
pub struct Systems<T, M, P, C> {
    pub teams: T,
    pub micollab: M,
    pub pbx: P,
    pub cloudlink: C,
}

/// The four real systems.
pub type ConnectedSystems = Systems<
    super::graph::GraphClient,
    super::micollab::MicollabClient,
    super::pbx::PbxClient,
    super::cloudlink::CloudlinkClient,
>;
