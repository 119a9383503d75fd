//! MiVoice Business, read-only (`docs/contracts/pbx.md`): the system, and per extension the
//! call state, DND, device type and ACD hot-desk login. mcteams never writes to the phone,
//! so this client has no method that could: read-only by construction.

mod feed;
mod port;

pub use feed::{FeedError, LONG_POLL_WAIT, PhoneChanges};

use std::collections::HashMap;
use std::future::Future;

use futures_util::future::join_all;

use crate::config::{Config, ConfigError};
use crate::http::{Call, HttpError, System};
use crate::presence::{CallState, DeviceType, PhoneState};
use crate::wire::cloudlink::{List, MAX_PAGE};
use crate::wire::pbx::{
    Extension, ExtensionQuery, ExtensionState, MAX_BATCH_EXTENSIONS, SystemInfo,
};

use super::mitel::{MitelApi, MitelFailure, MitelSettings, PAGE_LIMIT, unique};

/// The PBX type Teams presence works with.
pub const MIVOICE_BUSINESS: &str = "MiVoice Business";

/// The phone state of an extension, when every field mcteams needs is there and known.
/// `None`: a value this version does not understand (the phone is then "unknown", which
/// changes nothing, rather than "idle", which could clear a session).
pub fn phone_state(extension: &Extension) -> Option<PhoneState> {
    let call = match extension
        .call_state
        .as_deref()?
        .to_ascii_lowercase()
        .as_str()
    {
        "idle" => CallState::Idle,
        "busy" => CallState::Busy,
        "ringing" => CallState::Ringing,
        _ => return None,
    };
    let device = match extension
        .device_type
        .as_deref()?
        .to_ascii_lowercase()
        .as_str()
    {
        "deskphone" => DeviceType::DeskPhone,
        "softphone" => DeviceType::Softphone,
        _ => return None,
    };
    Some(PhoneState {
        call,
        dnd: extension.dnd?,
        device,
        acd_hotdesk: extension.acd_hot_desk.as_ref().is_some_and(|a| a.logged_in),
    })
}

/// The answer of a batch read: the extensions found, and the ones the PBX does not have
/// (what `import` and `report` check mappings against).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtensionBatch {
    pub found: HashMap<String, Extension>,
    pub not_found: Vec<String>,
}

/// What the sync, `import`, `report` and `doctor` read from MiVoice Business.
pub trait PbxDirectory: Send + Sync {
    fn system(&self) -> impl Future<Output = Result<SystemInfo, HttpError>> + Send;

    /// Extensions by number, in batches of ≤ 1000 read concurrently (within the limits).
    fn extensions(
        &self,
        extensions: &[String],
    ) -> impl Future<Output = Result<ExtensionBatch, HttpError>> + Send;

    /// One extension; `None` when the PBX has no such extension.
    fn extension(
        &self,
        extension: &str,
    ) -> impl Future<Output = Result<Option<Extension>, HttpError>> + Send;

    /// Every extension, paged to the end.
    fn all_extensions(&self) -> impl Future<Output = Result<Vec<Extension>, HttpError>> + Send;

    /// The first `limit` extensions, one request (`doctor`'s real read).
    fn first_extensions(
        &self,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Extension>, HttpError>> + Send;
}

/// The MiVoice Business client. Cheap to clone; one per run.
#[derive(Debug, Clone)]
pub struct PbxClient {
    api: MitelApi,
    /// The change feed's long poll, on a client of its own ([`feed`]).
    feed: MitelApi,
    base_url: url::Url,
}

impl PbxClient {
    /// Reads `[pbx]`: `base_url`, `username`, `password_env|password_file`, `ca_file`.
    pub fn from_config(config: &Config) -> Result<PbxClient, ConfigError> {
        let (settings, base_url) =
            super::mitel::password_login(System::Pbx, "pbx", &config.file.pbx)?;
        PbxClient::new(settings, base_url)
    }

    pub fn new(settings: MitelSettings, base_url: url::Url) -> Result<PbxClient, ConfigError> {
        let feed_http = feed::feed_http(&settings);
        let (api, base_url) = super::mitel::versioned_api("pbx", settings, base_url)?;
        let feed = api.beside(feed_http)?;
        Ok(PbxClient {
            api,
            feed,
            base_url,
        })
    }

    pub fn api(&self) -> &MitelApi {
        &self.api
    }

    fn url(&self, segments: &[&str], query: &[(&str, &str)]) -> Result<url::Url, HttpError> {
        self.api.versioned_endpoint(&self.base_url, segments, query)
    }

    /// Every extension's phone state, as [`PbxDirectory::extensions`] reads them (same
    /// requests, same failure rule), decoding only the fields a phone state needs. `None`:
    /// the state is not understood.
    pub async fn phone_states(
        &self,
        extensions: &[String],
    ) -> Result<Vec<(String, Option<PhoneState>)>, HttpError> {
        let wanted = unique(extensions);
        let answers = join_all(wanted.chunks(MAX_BATCH_EXTENSIONS).map(|chunk| async move {
            let answer: List<ExtensionState> = self.query_chunk(chunk).await?;
            Ok::<_, HttpError>(
                answer
                    .embedded
                    .items
                    .into_iter()
                    .map(|e| {
                        let extension = e.into_extension();
                        let state = phone_state(&extension);
                        (extension.extension, state)
                    })
                    .collect::<Vec<_>>(),
            )
        }))
        .await;
        let mut states = Vec::with_capacity(wanted.len());
        for answer in answers {
            states.extend(answer?);
        }
        Ok(states)
    }

    async fn query_chunk<T: serde::de::DeserializeOwned + Send + 'static>(
        &self,
        chunk: &[&str],
    ) -> Result<List<T>, HttpError> {
        // A read sent as POST: safe to repeat.
        let call = Call::post(self.url(&["extensions", "query"], &[])?)
            .json(&ExtensionQuery::<&str> {
                extensions: chunk.to_vec(),
            })
            .idempotent();
        self.api
            .send_json_on_worker(call)
            .await
            .map_err(|f| f.error)
    }
}

impl PbxDirectory for PbxClient {
    async fn system(&self) -> Result<SystemInfo, HttpError> {
        let url = self.url(&["system"], &[])?;
        self.api.get_json(url).await.map_err(|f| f.error)
    }

    async fn extensions(&self, extensions: &[String]) -> Result<ExtensionBatch, HttpError> {
        let wanted = unique(extensions);
        let answers = join_all(
            wanted
                .chunks(MAX_BATCH_EXTENSIONS)
                .map(|chunk| self.query_chunk::<Extension>(chunk)),
        )
        .await;
        let mut batch = ExtensionBatch {
            found: HashMap::with_capacity(wanted.len()),
            not_found: Vec::new(),
        };
        // A failed chunk fails the whole read: a partial view must not look like phones
        // going idle.
        for answer in answers {
            let answer = answer?;
            for extension in answer.embedded.items {
                batch.found.insert(extension.extension.clone(), extension);
            }
            batch.not_found.extend(answer.not_found.unwrap_or_default());
        }
        Ok(batch)
    }

    async fn extension(&self, extension: &str) -> Result<Option<Extension>, HttpError> {
        let url = self.url(&["extensions", extension], &[])?;
        match self.api.get_json(url).await {
            Ok(found) => Ok(Some(found)),
            Err(MitelFailure { error, .. }) if error.is_not_found() => Ok(None),
            Err(f) => Err(f.error),
        }
    }

    async fn all_extensions(&self) -> Result<Vec<Extension>, HttpError> {
        let url = self.url(&["extensions"], &[("limit", PAGE_LIMIT)])?;
        self.api.list_all(url).await.map_err(|f| f.error)
    }

    async fn first_extensions(&self, limit: usize) -> Result<Vec<Extension>, HttpError> {
        let limit = limit.clamp(1, MAX_PAGE).to_string();
        let url = self.url(&["extensions"], &[("limit", &limit)])?;
        let (items, _) = self.api.first_page(url).await.map_err(|f| f.error)?;
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::pbx::AcdHotDesk;

    fn extension(call: &str, device: &str, hotdesk: bool) -> Extension {
        Extension {
            extension: "20003".into(),
            name: None,
            call_state: Some(call.into()),
            dnd: Some(false),
            device_type: Some(device.into()),
            acd_hot_desk: hotdesk.then(|| AcdHotDesk {
                logged_in: true,
                agent_id: Some("5003".into()),
            }),
            state_changed_on: None,
        }
    }

    #[test]
    fn phone_states_from_the_wire() {
        let state = phone_state(&extension("busy", "softphone", true)).unwrap();
        assert_eq!(state.call, CallState::Busy);
        assert!(state.acd_hotdesk && !state.is_synchronized());
        let desk = phone_state(&extension("Ringing", "deskPhone", true)).unwrap();
        assert!(desk.is_synchronized());
        // Unknown values make the phone unknown, never idle.
        assert_eq!(phone_state(&extension("onHold", "deskPhone", false)), None);
        assert_eq!(phone_state(&extension("idle", "faxMachine", false)), None);
        let mut no_dnd = extension("idle", "deskPhone", false);
        no_dnd.dnd = None;
        assert_eq!(phone_state(&no_dnd), None);
    }
}
