//! `release`: clear every app session mcteams holds in Teams (before retiring the tool, or
//! a tenant move). Journaled like any write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::intents::{Journaled, SessionCleared};
use crate::store::{RunId, Store, StoreError};

use crate::connectors::ports::{SessionChange, SourceError, TeamsPort};

/// A session mcteams set and has not cleared.
#[derive(Debug, Clone, Serialize)]
pub struct HeldSession {
    pub micollab_login: String,
    pub teams_upn: Option<String>,
    pub teams_id: Option<String>,
    pub session: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Every session the store says mcteams holds (expired ones too: clearing them is harmless).
pub fn held_sessions(store: &Store) -> Result<Vec<HeldSession>, StoreError> {
    let mappings: HashMap<String, crate::mapping::Mapping> = store
        .list_mappings(true)?
        .into_iter()
        .map(|m| (m.micollab_login.clone(), m))
        .collect();
    Ok(store
        .sync_records()?
        .into_iter()
        .filter_map(|r| {
            let session = r.graph_session.clone()?;
            let mapping = mappings.get(&r.micollab_login);
            Some(HeldSession {
                micollab_login: r.micollab_login,
                teams_upn: mapping.map(|m| m.teams_upn.clone()),
                teams_id: mapping.and_then(|m| m.teams_id.clone()),
                session,
                expires_at: r.graph_session_expires_at,
            })
        })
        .collect())
}

/// Clears mcteams' session of these Entra users, an outcome each, in order: a user without
/// one is a success (`release --directory` clears blindly).
pub async fn clear_sessions<T: TeamsPort>(
    teams: &T,
    ids: &[String],
) -> Vec<Result<(), SourceError>> {
    if ids.is_empty() {
        return Vec::new();
    }
    let changes: Vec<SessionChange> = ids
        .iter()
        .map(|id| SessionChange {
            teams_id: id.clone(),
            set: None,
        })
        .collect();
    let mut results = teams.apply_sessions(&changes).await;
    results.resize_with(changes.len(), || {
        Err(SourceError::new("graph", "no answer for this write"))
    });
    results
}

/// Clears the sessions; each outcome on its own. Cleared ones leave the store's records.
pub async fn release_sessions<T: TeamsPort>(
    store: &mut Store,
    teams: &T,
    sessions: &[HeldSession],
    run: Option<RunId>,
) -> Result<Vec<Result<(), SourceError>>, StoreError> {
    let clearable: Vec<&HeldSession> = sessions.iter().filter(|s| s.teams_id.is_some()).collect();
    let entries: Vec<_> = clearable
        .iter()
        .map(|s| {
            let cleared = SessionCleared {
                teams_id: s.teams_id.clone(),
                reason: Some("release".into()),
            };
            Journaled::ClearSession(cleared).intent(s.micollab_login.clone())
        })
        .collect();
    let ids = if entries.is_empty() {
        Vec::new()
    } else {
        store.journal_intend_many(run, &entries)?
    };
    let teams_ids: Vec<String> = clearable
        .iter()
        .map(|s| s.teams_id.clone().unwrap_or_default())
        .collect();
    let results = clear_sessions(teams, &teams_ids).await;
    let mut records = Vec::new();
    let mut confirmations = Vec::new();
    for ((session, result), id) in clearable.iter().zip(&results).zip(ids) {
        match result {
            Ok(()) => {
                if let Some(mut record) = store.sync_record(&session.micollab_login)? {
                    record.graph_session = None;
                    record.graph_session_expires_at = None;
                    records.push(record);
                }
                confirmations.push((id, "applied".to_string()));
            }
            Err(e) => confirmations.push((id, format!("failed: {e}"))),
        }
    }
    store.finish_cycle(None, &records, &confirmations, &[], None)?;
    // A session without an Entra object id cannot be cleared from here.
    let mut outcomes = Vec::with_capacity(sessions.len());
    let mut cleared = results.into_iter();
    for s in sessions {
        outcomes.push(if s.teams_id.is_some() {
            cleared.next().unwrap_or(Ok(()))
        } else {
            Err(SourceError::new(
                "graph",
                "the mapping has no Entra object id",
            ))
        });
    }
    Ok(outcomes)
}
