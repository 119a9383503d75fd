//! The connectors, seen through the engine's ports.

use std::collections::HashMap;

use crate::connectors::{PresenceDirectory, SessionWrite};
use crate::exit::ExitStatus;
use crate::http::HttpError;
use crate::reconcile::TeamsPresence;

use super::ports::{SessionChange, SourceError, TeamsPort};

/// A connector error as the engine reports it: one line, and whether to try again later.
pub fn source_error(system: &'static str, error: &HttpError) -> SourceError {
    SourceError {
        system,
        unavailable: error.exit_status() == ExitStatus::Unavailable,
        message: error.to_string(),
    }
}

/// Microsoft Graph as the engine's Teams side.
pub struct GraphTeams<G>(pub G);

impl<G: PresenceDirectory> TeamsPort for GraphTeams<G> {
    async fn read_presences(
        &self,
        teams_ids: &[String],
    ) -> Result<HashMap<String, TeamsPresence>, SourceError> {
        let presences = self
            .0
            .read_presences(teams_ids)
            .await
            .map_err(|e| source_error("graph", &e))?;
        Ok(presences
            .into_iter()
            .map(|(id, p)| {
                (
                    id,
                    TeamsPresence {
                        availability: p.availability,
                        activity: p.activity,
                        sequence_number: p.sequence_number,
                    },
                )
            })
            .collect())
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
