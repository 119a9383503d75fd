//! The reconcile core: a pure function of what was observed on every side, what mcteams
//! last wrote (the record), the policy and the time, returning the actions to take and the
//! record to keep. No I/O and no clock in here, so every rule is a table test and the whole
//! is property-tested for convergence.
//!
//! Inferences the core makes, documented because Graph shows only the aggregate:
//! - mcteams' own app session comes back from Graph inside the aggregate presence (as
//!   `Busy/InACall` or `DoNotDisturb/Presenting`); it maps to the MiCollab status like any
//!   presence, which is how the phone shows in MiCollab, and nothing flows back to the phone.
//! - A presentity whose version moved since mcteams' last write, written by someone else, was
//!   changed by another writer. mcteams reports it and does not write over it until Teams
//!   itself changes (a new intent), so it never fights another writer. What the presentity
//!   shows while the user's Teams flag is seen off (MiCollab puts the user's own status back)
//!   is not another writer overwriting mcteams: mcteams forgets its write then, so after a
//!   disable and enable it takes the presentity back. (A disable and enable that no sync saw
//!   in between cannot be told from a person changing the status in MiCollab: that user is
//!   `foreign_writer` until Teams changes.)

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::presence::{
    MiCollabStatus, PhoneState, SessionIntent, micollab_status_for, session_intent_for,
};
use crate::wire::graph::{Activity, Availability};

pub use crate::presence::WRITER;

/// Whether someone other than mcteams wrote the presentity since mcteams' write `mine`.
pub fn written_by_another(mine: &PresentityRecord, shown: &Presentity) -> bool {
    mine.version.as_deref() != Some(shown.version.as_str())
        && shown.source.as_deref() != Some(WRITER)
}

/// Which directions a sync moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SyncDirection {
    Both,
    TeamsToMicollab,
    PbxToTeams,
}

impl SyncDirection {
    fn teams_to_micollab(self) -> bool {
        matches!(self, SyncDirection::Both | SyncDirection::TeamsToMicollab)
    }

    fn pbx_to_teams(self) -> bool {
        matches!(self, SyncDirection::Both | SyncDirection::PbxToTeams)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub session_ttl: Duration,
    pub direction: SyncDirection,
}

impl Policy {
    /// A session is refreshed when less than a fifth of its lifetime is left.
    pub fn refresh_margin(&self) -> Duration {
        self.session_ttl / 5
    }
}

/// Teams' aggregated presence for the user, as Graph returned it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TeamsPresence {
    pub availability: Availability,
    pub activity: Activity,
    pub sequence_number: Option<String>,
}

impl TeamsPresence {
    /// What identifies this observation: Graph's sequence number, else the values.
    pub fn key(&self) -> String {
        match &self.sequence_number {
            Some(seq) => format!("seq:{seq}"),
            None => format!("{}/{}", self.availability, self.activity),
        }
    }
}

/// The CloudLink presentity: the MiCollab dynamic status and the Teams activity shown on hover.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Presentity {
    pub status: Option<String>,
    pub activity: Option<String>,
    pub version: String,
    /// Who wrote it last.
    pub source: Option<String>,
}

/// Everything read about one user this cycle. `None`: that side could not be read; the core
/// then leaves what depends on it alone (an unread side never causes a change).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Observed {
    /// The mapping is removed (a tombstone): only clear what mcteams set.
    pub tombstone: bool,
    /// Teams presence is on for the user in MiCollab (profile or per-user flag).
    pub teams_enabled: Option<bool>,
    pub teams: Option<TeamsPresence>,
    pub phone: Option<PhoneState>,
    pub presentity: Option<Presentity>,
}

/// mcteams' app session in Teams, as last written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SessionRecord {
    pub intent: SessionIntent,
    pub written_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The presentity as mcteams last wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentityRecord {
    pub status: MiCollabStatus,
    pub activity: String,
    /// The version the write produced (filled in once confirmed).
    pub version: Option<String>,
    /// The Teams observation the write was made from ([`TeamsPresence::key`]).
    pub based_on: String,
    pub written_at: DateTime<Utc>,
}

/// What mcteams remembers of its own writes for one user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Record {
    pub session: Option<SessionRecord>,
    pub presentity: Option<PresentityRecord>,
    /// A write to mcteams' session is unconfirmed (a run was interrupted, or Graph did not
    /// answer it): what Teams holds is unknown, so the session is written whatever
    /// `session` says. Not stored: it comes from the open journal entries each cycle.
    pub session_unsettled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Set (or refresh) mcteams' app session in Teams.
    SetSession {
        intent: SessionIntent,
        #[serde(with = "secs")]
        ttl: Duration,
        refresh: bool,
    },
    /// Clear mcteams' app session in Teams.
    ClearSession,
    /// Write the MiCollab status and Teams activity to the presentity, only if it is still at
    /// `expected_version` (optimistic concurrency).
    WritePresentity {
        status: MiCollabStatus,
        activity: String,
        expected_version: String,
    },
}

impl Action {
    /// Which way the change goes, for counting.
    pub fn direction(&self) -> SyncDirection {
        match self {
            Action::SetSession { .. } | Action::ClearSession => SyncDirection::PbxToTeams,
            Action::WritePresentity { .. } => SyncDirection::TeamsToMicollab,
        }
    }
}

mod secs {
    pub fn serialize<S: serde::Serializer>(
        d: &std::time::Duration,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_secs())
    }
}

/// Things worth reporting that are not actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// The seed: the ACD hot-desk softphone is not synchronized to Teams.
    AcdHotdeskUnsynced,
    /// Teams said something rule 11 covers: MiCollab left as it is.
    TeamsUnknown {
        availability: String,
        activity: String,
    },
    /// Someone else wrote the presentity since mcteams did; not overwritten.
    ForeignWriter { source: String, version: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub actions: Vec<Action>,
    /// The record once every action has succeeded. For an action that fails, keep the old
    /// record's part for it ([`Record::session`] or [`Record::presentity`]).
    pub record: Record,
    pub notes: Vec<Note>,
    /// A tombstone with nothing left to clear: its record and mapping can go.
    pub forget: bool,
}

/// Decides one user. Pure: the same inputs always give the same decision.
pub fn reconcile(
    observed: &Observed,
    record: &Record,
    policy: &Policy,
    now: DateTime<Utc>,
) -> Decision {
    let mut deciding = Deciding {
        actions: Vec::new(),
        notes: Vec::new(),
        next: record.clone(),
        now,
    };
    let active = !observed.tombstone && observed.teams_enabled == Some(true);
    // A session past its expiry is gone from Teams whatever we do.
    if deciding.next.session.is_some_and(|s| s.expires_at <= now) {
        deciding.next.session = None;
    }
    // Phone -> Teams (the session is this direction's alone, cleared or set).
    if policy.direction.pbx_to_teams() {
        let wanted = wanted_session(observed, active, &mut deciding.notes);
        deciding.session(wanted, record.session_unsettled, policy);
    }
    // Teams -> MiCollab.
    if active
        && policy.direction.teams_to_micollab()
        && let (Some(teams), Some(presentity)) = (&observed.teams, &observed.presentity)
    {
        deciding.presentity(teams, presentity, record);
    }
    // Teams no longer manages the user's status: MiCollab shows the user's own again, so
    // mcteams' last write is history, and a later enable starts from what is shown then.
    let mut next = deciding.next;
    if observed.teams_enabled == Some(false) {
        next.presentity = None;
    }
    let forget = observed.tombstone && next.session.is_none() && !next.session_unsettled;
    Decision {
        actions: deciding.actions,
        record: next,
        notes: deciding.notes,
        forget,
    }
}

/// The session the phone asks for: `None` leaves it as it is, `Some(None)` clears it.
fn wanted_session(
    observed: &Observed,
    active: bool,
    notes: &mut Vec<Note>,
) -> Option<Option<SessionIntent>> {
    if !active {
        // Flag off or mapping removed: clear what mcteams set, set nothing new. When the flag
        // is unknown (MiCollab not read) leave the session to run out by itself.
        return (observed.tombstone || observed.teams_enabled == Some(false)).then_some(None);
    }
    match &observed.phone {
        None => None, // Unread phone: no change; a held session still expires by itself.
        Some(phone) if !phone.is_synchronized() => {
            notes.push(Note::AcdHotdeskUnsynced);
            Some(None)
        }
        Some(phone) => Some(session_intent_for(phone)),
    }
}

/// A decision being made: the actions and notes so far, and the record they lead to.
struct Deciding {
    actions: Vec<Action>,
    notes: Vec<Note>,
    next: Record,
    now: DateTime<Utc>,
}

impl Deciding {
    /// Clears or (re)sets the session as the phone asks; a session is refreshed once less
    /// than the policy's margin is left.
    fn session(&mut self, wanted: Option<Option<SessionIntent>>, unsettled: bool, policy: &Policy) {
        let now = self.now;
        match wanted {
            Some(None) if self.next.session.is_some() || unsettled => {
                self.actions.push(Action::ClearSession);
                self.next.session = None;
                self.next.session_unsettled = false;
            }
            Some(Some(intent)) => {
                let current = self
                    .next
                    .session
                    .filter(|s| s.intent == intent && !unsettled);
                let due = current.is_none_or(|s| {
                    (s.expires_at - now).to_std().unwrap_or_default() < policy.refresh_margin()
                });
                if due {
                    self.actions.push(Action::SetSession {
                        intent,
                        ttl: policy.session_ttl,
                        refresh: current.is_some(),
                    });
                    let ttl = chrono::Duration::from_std(policy.session_ttl).unwrap_or_default();
                    self.next.session = Some(SessionRecord {
                        intent,
                        written_at: now,
                        expires_at: now + ttl,
                    });
                    self.next.session_unsettled = false;
                }
            }
            _ => {}
        }
    }

    /// Writes the MiCollab status Teams maps to, unless it is shown already or another
    /// writer changed it since mcteams wrote for this same Teams presence.
    fn presentity(&mut self, teams: &TeamsPresence, presentity: &Presentity, record: &Record) {
        let Some(status) = micollab_status_for(&teams.availability, &teams.activity) else {
            self.notes.push(Note::TeamsUnknown {
                availability: teams.availability.to_string(),
                activity: teams.activity.to_string(),
            });
            return;
        };
        let activity = teams.activity.to_string();
        let shown = presentity.status.as_deref().and_then(MiCollabStatus::parse) == Some(status)
            && presentity.activity.as_deref() == Some(activity.as_str());
        let mine = record.presentity.as_ref();
        let foreign = mine.is_some_and(|mine| written_by_another(mine, presentity));
        let same_teams_intent = mine.is_some_and(|mine| mine.based_on == teams.key());
        if shown {
            // Already right (whoever wrote it): adopt it, so a later foreign write is
            // measured against what is there now.
            if let Some(mine) = &mut self.next.presentity
                && mine.status == status
            {
                mine.version = Some(presentity.version.clone());
                mine.based_on = teams.key();
            }
        } else if foreign && same_teams_intent {
            self.notes.push(Note::ForeignWriter {
                source: presentity
                    .source
                    .clone()
                    .unwrap_or_else(|| "unknown".to_string()),
                version: presentity.version.clone(),
            });
        } else {
            self.actions.push(Action::WritePresentity {
                status,
                activity: activity.clone(),
                expected_version: presentity.version.clone(),
            });
            self.next.presentity = Some(PresentityRecord {
                status,
                activity,
                version: None,
                based_on: teams.key(),
                written_at: self.now,
            });
        }
    }
}

/// What goes on of a decision whose changes the mass-change guard holds: session refreshes
/// only (a held call must not drop out of Teams); the record keeps the old parts of what waits.
pub fn hold_changes(mut decision: Decision, old: &Record) -> Decision {
    decision
        .actions
        .retain(|a| matches!(a, Action::SetSession { refresh: true, .. }));
    if decision.actions.is_empty() {
        decision.record.session = old.session;
        decision.record.session_unsettled = old.session_unsettled;
    }
    decision.record.presentity = old.presentity.clone();
    decision.forget = false;
    decision
}

/// Whether the mass-change guard counts this action as a change (a refresh is not).
pub fn is_change(action: &Action) -> bool {
    !matches!(action, Action::SetSession { refresh: true, .. })
}

/// Changes among these actions, as the mass-change guard counts them.
pub fn changes_in(actions: &[Action]) -> u64 {
    actions.iter().filter(|a| is_change(a)).count() as u64
}

#[cfg(test)]
mod tests;
