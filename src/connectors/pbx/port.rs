//! MiVoice Business as the sync engine's source of phone states ([`PbxPort`]).

use super::PbxClient;
use crate::connectors::ports::{OnMitelApi, PbxPort, SourceError};
use crate::ids::{IdMap, id_map};
use crate::presence::PhoneState;

/// MiVoice Business as the sync engine's source of phone states (read only).
impl PbxPort for PbxClient {
    async fn phone_states(
        &self,
        extensions: &[String],
    ) -> Result<IdMap<Option<PhoneState>>, SourceError> {
        // Each answer is turned into phone states as it is decoded (only the fields a
        // phone state needs): the extensions themselves are never all held at once.
        let found = PbxClient::phone_states(self, extensions)
            .await
            .map_err(|e| SourceError::of("pbx", &e))?;
        let mut states = id_map(found.len());
        for (number, state) in found {
            if state.is_none() {
                // Unknown, so the engine changes nothing for this phone.
                tracing::warn!(
                    extension = number.as_str(),
                    "pbx: extension state not understood (call state, DND or device type missing or new): left unknown"
                );
            }
            states.insert(number, state);
        }
        Ok(states)
    }
}

impl OnMitelApi for PbxClient {
    fn mitel_api(&self) -> &crate::connectors::mitel::MitelApi {
        &self.api
    }
}
