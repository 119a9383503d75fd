//! Settling the journal: the writes a run left unconfirmed (it was killed, or a write got no
//! answer) are settled from the systems themselves, never assumed.
//!
//! - Graph cannot list a user's sessions, and its aggregate cannot tell mcteams'
//!   `Busy/InACall` from a real call, so a session write is settled by sending it again:
//!   `setPresence` is idempotent, and a `clearPresence` that finds no session is a success.
//!   Only then does the record claim the session. While it cannot be re-sent, the user's
//!   session counts as unsettled: the cycle writes whatever the phone now needs.
//! - A presentity write is settled by reading the presentity: it landed when it shows the
//!   status and activity written, by mcteams.
//!
//! Of several open entries for one user and system only the latest can describe the system;
//! the earlier ones are closed as superseded.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::intents::{Journaled, PresentityWritten};
use super::records::{record_from_store, record_to_store};
use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, SessionChange, Systems, TeamsPort,
};
use crate::presence::{MiCollabStatus, SessionIntent};
use crate::reconcile::{PresentityRecord, SessionRecord, SyncDirection, WRITER};
use crate::store::{JournalEntry, Lease, RecordPart, Store, StoreError, SyncRecord};

/// What settling found.
#[derive(Debug, Default)]
pub struct Settled {
    /// Entries closed: re-sent, read back, refused or superseded.
    pub closed: usize,
    /// Users whose session write could not be re-sent (Graph did not answer), with their
    /// open entries: what mcteams' session in Teams holds is unknown until a later write
    /// for them is confirmed, which closes these entries too.
    pub unsettled_sessions: HashMap<String, Vec<i64>>,
}

/// Settles the open journal entries of `scope` against the systems (see the module's
/// documentation): `Both`, every entry; a direction, only the entries of the system it
/// writes (Graph sessions, or the rest), as each direction's cycle of `sync --watch` does
/// while the other's writes may be in flight. Under a `lease` no longer held nothing is
/// sent: the run that took over settles them.
pub async fn settle_journal<T, M, P, C>(
    store: &mut Store,
    systems: &Systems<T, M, P, C>,
    lease: Option<&Lease>,
    scope: SyncDirection,
    now: DateTime<Utc>,
) -> Result<Settled, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    if let Some(lease) = lease.filter(|l| !l.held()) {
        return Err(lease.not_held());
    }
    // An admin's Teams switches are settled from the users' flags (see `switches`).
    let in_scope = |e: &JournalEntry| match scope {
        SyncDirection::Both => true,
        SyncDirection::PbxToTeams => e.system == "graph",
        SyncDirection::TeamsToMicollab => e.system != "graph",
    };
    // A status edit is settled by `status set`, which read status settings.
    let (switch_entries, open): (Vec<JournalEntry>, Vec<JournalEntry>) = store
        .journal_unconfirmed()?
        .into_iter()
        .filter(in_scope)
        .filter(|e| !super::status_edits::is_status_edit(e))
        .partition(super::switches::is_switch);
    let switches =
        super::switches::settle_entries(store, &systems.micollab, switch_entries).await?;
    if open.is_empty() {
        return Ok(Settled {
            closed: switches,
            ..Settled::default()
        });
    }
    let (teams, cloudlink) = (&systems.teams, &systems.cloudlink);
    let mut confirmations: Vec<(i64, String)> = Vec::new();
    let latest = latest_per_user_and_system(open, &mut confirmations);
    let (sessions, rest): (Vec<JournalEntry>, Vec<JournalEntry>) =
        latest.into_iter().partition(|e| e.system == "graph");
    let (presentities, rest): (Vec<JournalEntry>, Vec<JournalEntry>) = rest
        .into_iter()
        .partition(|e| e.system == "cloudlink" && e.action == "write_presentity");
    for entry in rest {
        confirmations.push((entry.id, "settled: nothing to check".into()));
    }
    let mut records: HashMap<String, SyncRecord> = HashMap::new();
    let mut settled = Settled::default();
    let unanswered = resend_sessions(
        store,
        teams,
        sessions,
        now,
        &mut records,
        &mut confirmations,
    );
    for (login, id) in unanswered.await? {
        settled
            .unsettled_sessions
            .entry(login)
            .or_default()
            .push(id);
    }
    read_back_presentities(
        store,
        cloudlink,
        presentities,
        &mut records,
        &mut confirmations,
    )
    .await?;
    settled.closed = confirmations.len() + switches;
    let records: Vec<SyncRecord> = records.into_values().collect();
    store.finish_cycle(lease, &records, &confirmations, &[], None)?;
    log_settled(&settled);
    Ok(settled)
}

fn log_settled(settled: &Settled) {
    let left_open: usize = settled.unsettled_sessions.values().map(Vec::len).sum();
    tracing::warn!(
        closed = settled.closed,
        left_open,
        "settled writes left unconfirmed by an earlier run"
    );
}

/// Of several open entries for one user and system only the latest counts: the others, and
/// those a later applied write superseded, are closed (their closing lines in
/// `confirmations`).
fn latest_per_user_and_system(
    open: Vec<JournalEntry>,
    confirmations: &mut Vec<(i64, String)>,
) -> Vec<JournalEntry> {
    let mut latest: BTreeMap<(String, String), JournalEntry> = BTreeMap::new();
    for entry in open {
        if let Some(later) = entry.superseded_by {
            confirmations.push((entry.id, format!("superseded by entry {later}")));
            continue;
        }
        let key = (entry.micollab_login.clone(), entry.system.clone());
        let newer = entry.id;
        if let Some(older) = latest.insert(key, entry) {
            confirmations.push((older.id, format!("superseded by entry {newer}")));
        }
    }
    latest.into_values().collect()
}

/// The stored record of `login`, loaded once per settle; a new one for a user whose first
/// write was interrupted. `None` for a login mcteams has forgotten (no mapping any more):
/// its entry is settled, but no record comes back for it.
fn record_of<'a>(
    store: &Store,
    records: &'a mut HashMap<String, SyncRecord>,
    login: &str,
) -> Result<Option<&'a mut SyncRecord>, StoreError> {
    if !records.contains_key(login) {
        let stored = match store.sync_record(login)? {
            Some(stored) => stored,
            None if mapped(store, login)? => SyncRecord {
                micollab_login: login.to_string(),
                ..Default::default()
            },
            None => return Ok(None),
        };
        records.insert(login.to_string(), stored);
    }
    Ok(records.get_mut(login))
}

/// Whether `login` still has a mapping (a tombstone counts: its session is still cleared).
fn mapped(store: &Store, login: &str) -> Result<bool, StoreError> {
    Ok(store
        .find_mapping(login)?
        .is_some_and(|m| m.micollab_login == login))
}

/// The session change an entry journaled, with the Entra id from the mapping when the entry
/// does not name it. `None`: nothing to send again (its user has no Entra id, or the session
/// it set has expired by `now`).
fn session_change(
    store: &Store,
    entry: &JournalEntry,
    now: DateTime<Utc>,
) -> Result<Option<SessionChange>, StoreError> {
    let (teams_id, set) = match Journaled::read(entry) {
        Some(Journaled::SetSession(s)) => (s.teams_id.clone(), Some(s)),
        Some(Journaled::ClearSession(c)) => (c.teams_id, None),
        _ => return Ok(None),
    };
    let teams_id = match teams_id.filter(|id| !id.is_empty()) {
        Some(id) => id,
        None => match store.find_mapping(&entry.micollab_login)? {
            Some(m) => match m.teams_id {
                Some(id) => id,
                None => return Ok(None),
            },
            None => return Ok(None),
        },
    };
    let set = match set {
        Some(s) => match s.session.as_deref().and_then(SessionIntent::from_label) {
            Some(intent) => {
                let ttl = Duration::from_secs(s.ttl_s.unwrap_or(900));
                // Whatever it set has expired in Teams by now: sending it again would show a
                // call that ended long ago for a whole new lifetime.
                let lapsed =
                    entry.intended_at + chrono::Duration::from_std(ttl).unwrap_or_default();
                if lapsed <= now {
                    return Ok(None);
                }
                Some((intent, ttl))
            }
            None => return Ok(None),
        },
        None => None,
    };
    Ok(Some(SessionChange { teams_id, set }))
}

/// Sends each open session entry again. Returns the entries Graph did not answer for (left
/// open), by login.
async fn resend_sessions<T: TeamsPort>(
    store: &Store,
    teams: &T,
    entries: Vec<JournalEntry>,
    now: DateTime<Utc>,
    records: &mut HashMap<String, SyncRecord>,
    confirmations: &mut Vec<(i64, String)>,
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut sendable = Vec::new();
    for entry in entries {
        // Forgotten only once its session was cleared: the entry is older than that clear.
        if !mapped(store, &entry.micollab_login)? {
            confirmations.push((entry.id, "settled: user forgotten, not sent again".into()));
            continue;
        }
        match session_change(store, &entry, now)? {
            Some(change) => sendable.push((entry, change)),
            None => {
                confirmations.push((entry.id, "settled: expired, or cannot be sent again".into()))
            }
        }
    }
    if sendable.is_empty() {
        return Ok(Vec::new());
    }
    let changes: Vec<SessionChange> = sendable.iter().map(|(_, c)| c.clone()).collect();
    let results = teams.apply_sessions(&changes).await;
    let mut unsettled = Vec::new();
    for (index, (entry, change)) in sendable.into_iter().enumerate() {
        match results.get(index) {
            Some(Ok(())) => {
                if let Some(stored) = record_of(store, records, &entry.micollab_login)? {
                    let mut record = record_from_store(stored);
                    record.session = change.set.map(|(intent, ttl)| SessionRecord {
                        intent,
                        written_at: now,
                        expires_at: now + chrono::Duration::from_std(ttl).unwrap_or_default(),
                    });
                    merge_record(stored, &record, RecordPart::SessionWritten);
                }
                confirmations.push((entry.id, "settled: sent again".into()));
            }
            Some(Err(e)) if !e.unavailable && !e.maybe_applied => {
                // Refused outright (the user is gone, no consent): neither send took effect.
                confirmations.push((entry.id, format!("settled: refused: {e}")));
            }
            _ => unsettled.push((entry.micollab_login, entry.id)),
        }
    }
    Ok(unsettled)
}

/// Reads back the presentities of the open presentity entries. An entry whose presentity
/// cannot be read stays open: the cycle reads presentities itself before deciding.
async fn read_back_presentities<C: CloudlinkPort>(
    store: &Store,
    cloudlink: &C,
    entries: Vec<JournalEntry>,
    records: &mut HashMap<String, SyncRecord>,
    confirmations: &mut Vec<(i64, String)>,
) -> Result<(), StoreError> {
    let mut written: Vec<(JournalEntry, PresentityWritten)> = Vec::new();
    for entry in entries {
        match Journaled::read(&entry) {
            Some(Journaled::WritePresentity(p)) if p.principal_id.is_some() => {
                written.push((entry, p))
            }
            _ => confirmations.push((entry.id, "settled: cannot be checked".into())),
        }
    }
    if written.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = written
        .iter()
        .filter_map(|(_, p)| p.principal_id.clone())
        .collect();
    let Ok(shown) = cloudlink.presentities(&ids).await else {
        return Ok(());
    };
    for (entry, p) in written {
        let status = p.status.as_deref().and_then(MiCollabStatus::parse);
        let now_shown = p.principal_id.as_ref().and_then(|id| shown.get(id));
        let landed = match (status, now_shown) {
            (Some(status), Some(shown)) => {
                shown.status.as_deref().and_then(MiCollabStatus::parse) == Some(status)
                    && shown.activity.as_deref().unwrap_or_default()
                        == p.activity.as_deref().unwrap_or_default()
                    && shown.source.as_deref() == Some(WRITER)
            }
            _ => false,
        };
        if !landed {
            confirmations.push((entry.id, "settled: not applied (read back)".into()));
            continue;
        }
        let (Some(status), Some(shown)) = (status, now_shown) else {
            continue;
        };
        let Some(stored) = record_of(store, records, &entry.micollab_login)? else {
            confirmations.push((
                entry.id,
                "settled: applied (read back); user forgotten".into(),
            ));
            continue;
        };
        let mut record = record_from_store(stored);
        let based_on = p
            .based_on
            .or_else(|| record.presentity.as_ref().map(|r| r.based_on.clone()))
            .unwrap_or_default();
        record.presentity = Some(PresentityRecord {
            status,
            activity: p.activity.unwrap_or_default(),
            version: Some(shown.version.clone()),
            based_on,
            written_at: entry.intended_at,
        });
        merge_record(stored, &record, RecordPart::PresentityWritten);
        confirmations.push((entry.id, "settled: applied (read back)".into()));
    }
    Ok(())
}

/// Puts the record's `part` into a stored row, keeping its observation and error fields.
/// Stored again, the row writes only the parts settling changed.
fn merge_record(stored: &mut SyncRecord, record: &crate::reconcile::Record, part: RecordPart) {
    stored.part = match stored.part {
        RecordPart::SessionWritten | RecordPart::PresentityWritten if stored.part != part => {
            RecordPart::Written
        }
        _ => part,
    };
    let fresh = record_to_store(&stored.micollab_login, record);
    stored.graph_session = fresh.graph_session;
    stored.graph_session_expires_at = fresh.graph_session_expires_at;
    stored.graph_written_at = fresh.graph_written_at;
    stored.cloudlink_status = fresh.cloudlink_status;
    stored.cloudlink_activity = fresh.cloudlink_activity;
    stored.cloudlink_version = fresh.cloudlink_version;
    stored.cloudlink_written_at = fresh.cloudlink_written_at;
    stored.cloudlink_based_on = fresh.cloudlink_based_on;
}
