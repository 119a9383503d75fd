//! Who is out of sync, why, and what to do about it: a pure classification of what was
//! observed about a user, what mcteams last did for them, and the time.
//!
//! Inferences, documented because the systems show only part of the truth:
//! - "Chosen by hand in Teams" is inferred: Graph shows only the aggregate. A DoNotDisturb that
//!   mcteams' own live app session does not explain was chosen in Teams (`dnd_conflict`), and a
//!   Teams presence that differs from mcteams' live session is a status that rightly wins
//!   (user-preferred presence beats every session), not a mismatch.
//! - A difference counts as out of sync only once it has lasted: it was already there at the
//!   last sync, and that sync is older than `settle_window`. Until then it is `settling`.

pub mod gather;

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::mapping::Mapping;
use crate::presence::{MiCollabStatus, PhoneState, micollab_status_for, session_intent_for};
use crate::reconcile::{Observed, Record};
use crate::wire::graph::{Activity, Availability};

/// The reason codes. Stable: scripts and alerts depend on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    TeamsMicollabMismatch,
    PbxTeamsMismatch,
    DndConflict,
    UnmappedEnabledUser,
    MappingTargetMissing,
    UnverifiedMapping,
    IntegrationDisabled,
    UnsupportedSystem,
    ForeignWriter,
    HeldByGuard,
    Stale,
    SyncError,
    InSync,
    SourceUnavailable,
    TeamsUnknown,
    AcdHotdeskUnsynced,
    ClientDriftRisk,
    Settling,
}

impl Reason {
    pub const ALL: [Reason; 18] = [
        Reason::TeamsMicollabMismatch,
        Reason::PbxTeamsMismatch,
        Reason::DndConflict,
        Reason::UnmappedEnabledUser,
        Reason::MappingTargetMissing,
        Reason::UnverifiedMapping,
        Reason::IntegrationDisabled,
        Reason::UnsupportedSystem,
        Reason::ForeignWriter,
        Reason::HeldByGuard,
        Reason::Stale,
        Reason::SyncError,
        Reason::InSync,
        Reason::SourceUnavailable,
        Reason::TeamsUnknown,
        Reason::AcdHotdeskUnsynced,
        Reason::ClientDriftRisk,
        Reason::Settling,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::TeamsMicollabMismatch => "teams_micollab_mismatch",
            Reason::PbxTeamsMismatch => "pbx_teams_mismatch",
            Reason::DndConflict => "dnd_conflict",
            Reason::UnmappedEnabledUser => "unmapped_enabled_user",
            Reason::MappingTargetMissing => "mapping_target_missing",
            Reason::UnverifiedMapping => "unverified_mapping",
            Reason::IntegrationDisabled => "integration_disabled",
            Reason::UnsupportedSystem => "unsupported_system",
            Reason::ForeignWriter => "foreign_writer",
            Reason::HeldByGuard => "held_by_guard",
            Reason::Stale => "stale",
            Reason::SyncError => "sync_error",
            Reason::InSync => "in_sync",
            Reason::SourceUnavailable => "source_unavailable",
            Reason::TeamsUnknown => "teams_unknown",
            Reason::AcdHotdeskUnsynced => "acd_hotdesk_unsynced",
            Reason::ClientDriftRisk => "client_drift_risk",
            Reason::Settling => "settling",
        }
    }

    pub fn parse(code: &str) -> Option<Reason> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }

    /// Whether `report --detailed-exitcode` counts it (informational reasons do not). A user
    /// whose integration is off is where the admin put them (a staged rollout), not drift.
    pub fn counted(self) -> bool {
        !matches!(
            self,
            Reason::InSync
                | Reason::IntegrationDisabled
                | Reason::SourceUnavailable
                | Reason::TeamsUnknown
                | Reason::AcdHotdeskUnsynced
                | Reason::ClientDriftRisk
                | Reason::Settling
        )
    }
}

/// One reason for one user, with a one-line hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub reason: Reason,
    pub hint: String,
}

/// The MiCollab client a user runs; the seed warns presence can drift in background tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    Pc,
    Web,
    Mac,
}

/// Whether each mapped target still exists (`None`: not checked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Existence {
    pub teams_user: Option<bool>,
    /// The Teams user's current UPN when it differs from the mapping's (renamed).
    pub renamed_upn: Option<String>,
    /// The Entra object the mapping's UPN leads to, when it is not the mapping's object id:
    /// the UPN and the id disagree (a UPN reused, or an id imported against another person).
    pub upn_owner: Option<String>,
    pub micollab_login: Option<bool>,
    pub extension: Option<bool>,
    pub cloudlink_user: Option<bool>,
}

/// What mcteams knows of its last sync of the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncHistory {
    pub record: Record,
    pub last_success_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    /// The observation the last sync made, and when.
    pub last_observed: Option<Observed>,
    pub last_observed_at: Option<DateTime<Utc>>,
    /// Writes for the user still unconfirmed in the journal (a run was interrupted, or a
    /// write got no answer): until the next sync settles them, the record may not be true.
    pub unconfirmed_writes: usize,
    /// The plan whose changes for this user the mass-change guard holds (`--watch`).
    pub held_by_guard: Option<i64>,
}

/// Everything known about one user.
#[derive(Debug, Clone)]
pub struct UserFacts<'a> {
    pub mapping: Option<&'a Mapping>,
    pub observed: &'a Observed,
    pub history: &'a SyncHistory,
    pub existence: &'a Existence,
    pub client: Option<(ClientKind, bool)>,
    /// `Some(why)` when MiCollab is below R9.8 SP1 or the PBX is not MiVoice Business.
    pub unsupported: Option<&'a str>,
    /// Systems that could not be read: what depends on them was not checked.
    pub unavailable: &'a [&'static str],
}

#[derive(Debug, Clone, Copy)]
pub struct Windows {
    pub settle_window: Duration,
    pub stale_after: Duration,
}

/// Classifies one user. The findings are ordered as [`Reason`]; `in_sync` only when nothing
/// counted was found.
pub fn classify(facts: &UserFacts<'_>, windows: Windows, now: DateTime<Utc>) -> Vec<Finding> {
    let mut c = Classifier {
        facts,
        windows,
        now,
        found: Vec::new(),
        settling: false,
    };
    if let Some(why) = facts.unsupported {
        c.add(
            Reason::UnsupportedSystem,
            format!(
                "{why}: bi-directional presence needs MiCollab R9.8 SP1 or later on MiVoice Business"
            ),
        );
    }
    let Some(mapping) = facts.mapping else {
        if c.enabled() {
            c.add(
                Reason::UnmappedEnabledUser,
                "Teams presence is on in MiCollab but the user has no mapping: add one with \
                 `mcteams import` (see `mcteams mappings discover`)"
                    .into(),
            );
        }
        return finish(c.found);
    };
    c.mapping(mapping);
    let foreign = c.foreign_writer();
    c.settling = facts.history.unconfirmed_writes > 0;
    c.unavailable_and_unknown();
    if c.enabled() && !facts.observed.tombstone {
        c.teams_to_micollab(foreign);
        if let Some(phone) = &facts.observed.phone {
            c.phone_to_teams(phone);
        }
    }
    c.history();
    c.stale();
    c.client_drift();
    c.settling();
    finish(c.found)
}

/// One user's classification as it goes: the findings so far, and whether a difference is
/// still settling.
struct Classifier<'f, 'a> {
    facts: &'f UserFacts<'a>,
    windows: Windows,
    now: DateTime<Utc>,
    found: Vec<Finding>,
    settling: bool,
}

impl Classifier<'_, '_> {
    fn add(&mut self, reason: Reason, hint: String) {
        self.found.push(Finding { reason, hint });
    }

    fn enabled(&self) -> bool {
        self.facts.observed.teams_enabled == Some(true)
    }

    /// The Teams session mcteams holds for the user now (one that has not expired).
    fn held(&self) -> Option<crate::presence::SessionIntent> {
        let session = self.facts.history.record.session;
        session
            .filter(|s| s.expires_at > self.now)
            .map(|s| s.intent)
    }

    /// A difference counts once it has lasted: it was there at the last sync (`lasting`),
    /// and that sync is older than the settle window.
    fn settled(&self, lasting: bool) -> bool {
        let observed_at = self.facts.history.last_observed_at;
        lasting
            && observed_at.is_some_and(|at| {
                (self.now - at).to_std().unwrap_or_default() >= self.windows.settle_window
            })
    }

    /// What the mapping says: the integration off, never verified, or pointing at users,
    /// logins, extensions that no longer exist.
    fn mapping(&mut self, mapping: &Mapping) {
        let observed = self.facts.observed;
        if observed.teams_enabled == Some(false) && !observed.tombstone {
            self.add(
                Reason::IntegrationDisabled,
                "mapped, but neither the profile nor the user has Teams presence on: \
                 `mcteams user enable` or `mcteams profile enable`"
                    .into(),
            );
        }
        if !mapping.verified {
            self.add(
                Reason::UnverifiedMapping,
                "imported with --offline and never resolved: import the row again without \
                 --offline"
                    .into(),
            );
        }
        let missing = missing_targets(mapping, self.facts.existence);
        let disagreement = upn_and_id_disagree(mapping, self.facts.existence);
        let hint = match (disagreement, missing.is_empty()) {
            (None, true) => return,
            (None, false) => format!("{} no longer exists", missing.join(", ")),
            (Some(pair), true) => pair,
            (Some(pair), false) => {
                format!("{pair}; and {} no longer exists", missing.join(", "))
            }
        };
        self.add(
            Reason::MappingTargetMissing,
            format!("{hint}: fix the mapping and import it again"),
        );
    }

    /// The presentity was changed by someone else after mcteams wrote it.
    fn foreign_writer(&mut self) -> bool {
        let observed = self.facts.observed;
        let foreign = match (&observed.presentity, &self.facts.history.record.presentity) {
            (Some(shown), Some(mine)) => crate::reconcile::written_by_another(mine, shown),
            _ => false,
        };
        if foreign && self.enabled() {
            let source = observed
                .presentity
                .as_ref()
                .and_then(|p| p.source.clone())
                .unwrap_or_else(|| "another writer".into());
            self.add(
                Reason::ForeignWriter,
                format!(
                    "the MiCollab status was last changed by {source}, not mcteams: it is left \
                     alone until Teams changes"
                ),
            );
        }
        foreign
    }

    /// Systems that could not be read, and a Teams presence that maps to no status.
    fn unavailable_and_unknown(&mut self) {
        let (facts, observed) = (self.facts, self.facts.observed);
        if !facts.unavailable.is_empty() {
            self.add(
                Reason::SourceUnavailable,
                format!(
                    "not fully checked: {} could not be read; what depends on it is judged at \
                     the next report",
                    facts.unavailable.join(", ")
                ),
            );
        }
        if self.enabled()
            && !observed.tombstone
            && let Some(teams) = &observed.teams
            && micollab_status_for(&teams.availability, &teams.activity).is_none()
        {
            self.add(
                Reason::TeamsUnknown,
                format!(
                    "Teams shows {}/{}, which maps to no MiCollab status: MiCollab is left as it is",
                    teams.availability, teams.activity
                ),
            );
        }
    }

    /// Teams -> MiCollab: the status MiCollab shows is the one Teams' presence maps to.
    fn teams_to_micollab(&mut self, foreign: bool) {
        let observed = self.facts.observed;
        let (Some(teams), Some(shown)) = (&observed.teams, &observed.presentity) else {
            return;
        };
        let Some(status) = micollab_status_for(&teams.availability, &teams.activity) else {
            return;
        };
        let activity = teams.activity.to_string();
        let right = shown.status.as_deref().and_then(MiCollabStatus::parse) == Some(status)
            && shown.activity.as_deref() == Some(activity.as_str());
        if foreign || right {
            return;
        }
        let last = self.facts.history.last_observed.as_ref();
        let lasting = last
            .and_then(|l| l.teams.as_ref())
            .is_some_and(|t| t.key() == teams.key());
        if !self.settled(lasting) {
            self.settling = true;
            return;
        }
        self.add(
            Reason::TeamsMicollabMismatch,
            format!(
                "Teams shows {}/{}, so MiCollab should show \"{status}\" but shows {:?}: check \
                 `mcteams sync` runs and its errors",
                teams.availability,
                teams.activity,
                shown.status.as_deref().unwrap_or("nothing")
            ),
        );
    }

    /// Phone -> Teams: mcteams' session matches the phone; and the seed's DND conflict.
    fn phone_to_teams(&mut self, phone: &PhoneState) {
        if !phone.is_synchronized() {
            self.add(
                Reason::AcdHotdeskUnsynced,
                "ACD hot-desk softphone: its calls are not synchronized to Teams (as Mitel \
                 documents)"
                    .into(),
            );
            return;
        }
        let (wanted, held) = (session_intent_for(phone), self.held());
        if wanted != held {
            let last = self.facts.history.last_observed.as_ref();
            let lasting = last
                .and_then(|l| l.phone.as_ref())
                .is_some_and(|p| same_phone(p, phone));
            if self.settled(lasting) {
                let hint = match (wanted, held) {
                    (Some(w), _) => format!(
                        "the phone is {} but mcteams holds no matching Teams session: check \
                         `mcteams sync` runs and its errors",
                        describe(w)
                    ),
                    (None, Some(h)) => format!(
                        "the phone is idle but Teams still shows mcteams' {}: check `mcteams \
                         sync` runs",
                        h.label()
                    ),
                    (None, None) => String::new(), // wanted != held rules it out
                };
                self.add(Reason::PbxTeamsMismatch, hint);
            } else {
                self.settling = true;
            }
        }
        // DoNotDisturb/Presenting is what a session shows (mcteams' own for phone DND, just
        // cleared or not yet; or Teams presenting): not a DND chosen by hand.
        if let Some(teams) = &self.facts.observed.teams
            && !phone.dnd
            && teams.availability == Availability::DoNotDisturb
            && teams.activity != Activity::Presenting
            && held != Some(crate::presence::SessionIntent::DoNotDisturb)
        {
            self.add(
                Reason::DndConflict,
                "Do not disturb was chosen in Teams while the phone's DND is off: calls go to \
                 voicemail while the phone looks available. Clear Do not disturb in Teams"
                    .into(),
            );
        }
    }

    /// What the sync's history says: held by the guard, or its last sync failed.
    fn history(&mut self) {
        let history = self.facts.history;
        if let Some(plan) = history.held_by_guard {
            self.add(
                Reason::HeldByGuard,
                format!(
                    "the mass-change guard holds this user's changes (plan {plan}): check the \
                     systems, then `mcteams sync approve {plan}`"
                ),
            );
        }
        if history.last_error.is_some()
            && history.last_error_at >= history.last_success_at
            && let Some(error) = &history.last_error
        {
            self.add(
                Reason::SyncError,
                format!("the last sync of this user failed: {error}"),
            );
        }
    }

    /// No successful sync within `stale_after`. Stale also when the flag is unknown (never
    /// observed, or MiCollab sent no flag) for a login MiCollab still has: no sync has judged
    /// this user.
    fn stale(&mut self) {
        let (facts, observed) = (self.facts, self.facts.observed);
        let last_success = facts.history.last_success_at;
        let flag_unknown =
            observed.teams_enabled.is_none() && facts.existence.micollab_login != Some(false);
        let too_old = last_success.is_none_or(|at| {
            (self.now - at).to_std().unwrap_or_default() > self.windows.stale_after
        });
        if (self.enabled() || flag_unknown) && !observed.tombstone && too_old {
            let when = last_success
                .map(|at| format!("last at {}", at.format("%Y-%m-%d %H:%M:%S UTC")))
                .unwrap_or_else(|| "never".into());
            self.add(
                Reason::Stale,
                format!(
                    "no successful sync within stale_after ({when}): is `mcteams sync` scheduled?"
                ),
            );
        }
    }

    fn client_drift(&mut self) {
        if let Some((kind, telephony_only)) = self.facts.client
            && (kind != ClientKind::Pc || !telephony_only)
        {
            self.add(
                Reason::ClientDriftRisk,
                "MiCollab Web/Mac client, or PC client not in telephony-only mode: presence can \
                 drift in a background tab. Mitel recommends the PC client in telephony-only mode"
                    .into(),
            );
        }
    }

    /// Writes not yet confirmed, or a difference newer than the settle window.
    fn settling(&mut self) {
        let unconfirmed = self.facts.history.unconfirmed_writes;
        if unconfirmed > 0 {
            self.add(
                Reason::Settling,
                format!(
                    "{unconfirmed} write(s) not yet confirmed (a sync was interrupted or got no \
                     answer): the next sync settles them"
                ),
            );
        } else if self.settling {
            self.add(
                Reason::Settling,
                "a difference newer than settle_window: the next sync should resolve it".into(),
            );
        }
    }
}

/// The mapping's UPN and object id name two people in Entra: both values, and what became
/// of the mapping's object.
fn upn_and_id_disagree(mapping: &Mapping, e: &Existence) -> Option<String> {
    let owner = e.upn_owner.as_ref()?;
    let id = mapping.teams_id.as_deref().unwrap_or("?");
    let object = match (&e.renamed_upn, e.teams_user) {
        (Some(upn), _) => format!("is {upn}"),
        (None, Some(false)) => "no longer exists".to_string(),
        (None, _) => "was not found".to_string(),
    };
    Some(format!(
        "Teams UPN {} and object id {id} disagree: in Entra {} is object {owner}, and {id} {object}",
        mapping.teams_upn, mapping.teams_upn
    ))
}

/// The mapping's targets that no longer exist, named.
fn missing_targets(mapping: &Mapping, e: &Existence) -> Vec<String> {
    let mut missing = Vec::new();
    // The UPN and the id disagreeing is said whole by `upn_and_id_disagree`.
    if e.teams_user == Some(false) && e.upn_owner.is_none() {
        missing.push(format!("Teams user {}", mapping.teams_upn));
    }
    if let Some(upn) = e.renamed_upn.as_ref().filter(|_| e.upn_owner.is_none()) {
        missing.push(format!(
            "Teams UPN {} (renamed to {upn})",
            mapping.teams_upn
        ));
    }
    if e.micollab_login == Some(false) {
        missing.push(format!("MiCollab login {}", mapping.micollab_login));
    }
    if e.extension == Some(false) {
        missing.push(format!("extension {}", mapping.extension));
    }
    if e.cloudlink_user == Some(false) {
        let id = mapping.cloudlink_user_id.as_deref().unwrap_or("?");
        missing.push(format!("CloudLink user {id}"));
    }
    missing
}

fn same_phone(a: &PhoneState, b: &PhoneState) -> bool {
    session_intent_for(a) == session_intent_for(b) && a.is_synchronized() == b.is_synchronized()
}

fn describe(intent: crate::presence::SessionIntent) -> &'static str {
    match intent {
        crate::presence::SessionIntent::DoNotDisturb => "in do not disturb",
        crate::presence::SessionIntent::InACall => "in a call",
    }
}

fn finish(mut found: Vec<Finding>) -> Vec<Finding> {
    found.sort_by_key(|f| f.reason);
    found.dedup_by_key(|f| f.reason);
    // Not in sync either while a difference settles or Teams' presence is unknown: nobody
    // can tell yet. A user whose integration is off is not synchronized at all.
    let judged = !found.iter().any(|f| {
        f.reason.counted()
            || matches!(
                f.reason,
                Reason::Settling
                    | Reason::TeamsUnknown
                    | Reason::SourceUnavailable
                    | Reason::IntegrationDisabled
            )
    });
    if judged {
        found.insert(
            0,
            Finding {
                reason: Reason::InSync,
                hint: "nothing to do".into(),
            },
        );
    }
    found
}

#[cfg(test)]
mod tests;
