//! Microsoft Graph as the sync engine's Teams side ([`TeamsPort`]).

use crate::connectors::ports::{Port, SessionChange, SourceError, TeamsPort};
use crate::connectors::{PresenceDirectory, SessionWrite};
use crate::ids::IdMap;
use crate::reconcile::TeamsPresence;

use super::GraphClient;

impl Port for GraphClient {
    async fn warm_up(&self) {
        PresenceDirectory::warm_up(self).await;
    }

    fn requests_sent(&self) -> u64 {
        PresenceDirectory::requests_sent(self)
    }

    fn throttled_seen(&self) -> u64 {
        PresenceDirectory::throttled_seen(self)
    }
}

impl TeamsPort for GraphClient {
    fn rate_limit_ahead(&self) -> std::time::Duration {
        PresenceDirectory::rate_limit_ahead(self)
    }

    fn carry_over_rate_limit(&self, ahead: std::time::Duration) {
        PresenceDirectory::carry_over_rate_limit(self, ahead);
    }

    async fn read_presences(
        &self,
        teams_ids: &[String],
    ) -> Result<IdMap<TeamsPresence>, SourceError> {
        // Only the fields the engine reads are decoded, and each is moved, not copied.
        let presences = self
            .read_presence_briefs(teams_ids)
            .await
            .map_err(|e| SourceError::of("graph", &e))?;
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
        let reading = self.server_clock()?;
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
        self.write_sessions(&writes)
            .await
            .into_iter()
            .map(|o| o.result.map_err(|e| SourceError::of("graph", &e)))
            .collect()
    }
}
