//! MiCollab as the sync engine's source of Teams flags ([`MicollabPort`]).

use super::{MicollabAdmin, MicollabClient};
use crate::connectors::ports::{MicollabPort, SourceError};
use crate::ids::IdMap;

/// MiCollab as the sync engine's source of Teams flags.
impl MicollabPort for MicollabClient {
    async fn warm_up(&self) {
        self.api.http().warm_up().await;
    }

    fn requests_sent(&self) -> u64 {
        self.api.http().stats().attempts
    }

    fn throttled_seen(&self) -> u64 {
        self.api.http().stats().throttled
    }

    async fn teams_flags(&self, logins: &[String]) -> Result<IdMap<bool>, SourceError> {
        MicollabAdmin::teams_flags(self, logins)
            .await
            .map_err(|e| SourceError::of("micollab", e.http()))
    }
}
