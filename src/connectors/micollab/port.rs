//! MiCollab as the sync engine's source of Teams flags ([`MicollabPort`]).

use super::{MicollabAdmin, MicollabClient};
use crate::connectors::ports::{MicollabPort, OnMitelApi, SourceError};
use crate::ids::IdMap;

/// MiCollab as the sync engine's source of Teams flags.
impl MicollabPort for MicollabClient {
    async fn teams_flags(&self, logins: &[String]) -> Result<IdMap<bool>, SourceError> {
        MicollabAdmin::teams_flags(self, logins)
            .await
            .map_err(|e| SourceError::of("micollab", e.http()))
    }
}

impl OnMitelApi for MicollabClient {
    fn mitel_api(&self) -> &crate::connectors::mitel::MitelApi {
        &self.api
    }
}
