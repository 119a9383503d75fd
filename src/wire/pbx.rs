//! MiVoice Business read-only REST facade wire types (`docs/contracts/pbx.md`). Lists,
//! tokens and errors follow the shared conventions in [`super::cloudlink`].

use serde::{Deserialize, Serialize};

/// At most this many extensions per batch read.
pub const MAX_BATCH_EXTENSIONS: usize = 1000;

/// `GET /2017-09-01/system`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemInfo {
    #[serde(default)]
    pub pbx_type: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub extension_count: Option<u64>,
    #[serde(default)]
    pub time: Option<String>,
}

/// One extension's state. The enumerations are kept as text: a value this version does
/// not know must not fail a whole batch (it makes that one phone "unknown").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Extension {
    pub extension: String,
    #[serde(default)]
    pub name: Option<String>,
    /// `idle`, `busy` or `ringing`.
    #[serde(default)]
    pub call_state: Option<String>,
    #[serde(default)]
    pub dnd: Option<bool>,
    /// `deskPhone` or `softphone`.
    #[serde(default)]
    pub device_type: Option<String>,
    /// `null` unless an ACD agent is logged in by hot-desking.
    #[serde(default)]
    pub acd_hot_desk: Option<AcdHotDesk>,
    #[serde(default)]
    pub state_changed_on: Option<String>,
}

/// An extension with only what a sync cycle reads (name and timestamps are skipped while
/// decoding).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionState {
    pub extension: String,
    #[serde(default)]
    pub call_state: Option<String>,
    #[serde(default)]
    pub dnd: Option<bool>,
    #[serde(default)]
    pub device_type: Option<String>,
    #[serde(default)]
    pub acd_hot_desk: Option<AcdHotDesk>,
}

impl ExtensionState {
    /// As an [`Extension`] without the fields a sync does not read.
    pub fn into_extension(self) -> Extension {
        Extension {
            extension: self.extension,
            name: None,
            call_state: self.call_state,
            dnd: self.dnd,
            device_type: self.device_type,
            acd_hot_desk: self.acd_hot_desk,
            state_changed_on: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcdHotDesk {
    #[serde(default)]
    pub logged_in: bool,
    #[serde(default)]
    pub agent_id: Option<String>,
}

/// `POST /2017-09-01/extensions/query`. The client sends extensions it borrows (`&str`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtensionQuery<S = String> {
    pub extensions: Vec<S>,
}
