//! What the engine journals before it sends a write, typed: `apply` writes it, `settle`
//! reads it back. The journal keeps it as JSON beside the entry's login, system and action;
//! reading is lenient, so an entry an older mcteams wrote still settles.

use serde::{Deserialize, Serialize};

use crate::store::{Intent, JournalEntry};

/// A Graph app session set (`setPresence`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionSet {
    pub teams_id: Option<String>,
    /// The session's label ([`crate::presence::SessionIntent::label`]).
    pub session: Option<String>,
    pub ttl_s: Option<u64>,
}

/// A Graph app session cleared (`clearPresence`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionCleared {
    pub teams_id: Option<String>,
    /// Why, when not the sync's own decision (`release`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A CloudLink presentity written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PresentityWritten {
    pub principal_id: Option<String>,
    pub status: Option<String>,
    pub activity: Option<String>,
    pub expected_version: Option<String>,
    pub based_on: Option<String>,
}

/// One write the engine journals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Journaled {
    SetSession(SessionSet),
    ClearSession(SessionCleared),
    WritePresentity(PresentityWritten),
}

impl Journaled {
    fn system_and_action(&self) -> (&'static str, &'static str) {
        match self {
            Journaled::SetSession(_) => ("graph", "set_session"),
            Journaled::ClearSession(_) => ("graph", "clear_session"),
            Journaled::WritePresentity(_) => ("cloudlink", "write_presentity"),
        }
    }

    /// The journal entry to record for `login` before the write is sent.
    pub fn intent(&self, login: String) -> Intent {
        let (system, action) = self.system_and_action();
        let payload = match self {
            Journaled::SetSession(s) => serde_json::to_value(s),
            Journaled::ClearSession(c) => serde_json::to_value(c),
            Journaled::WritePresentity(p) => serde_json::to_value(p),
        };
        Intent {
            login,
            system,
            action,
            payload: payload.unwrap_or_default(),
        }
    }

    /// What `entry` journaled; `None` for an entry of another kind (an admin's change).
    /// An unreadable payload reads as an empty one of its kind.
    pub fn read(entry: &JournalEntry) -> Option<Journaled> {
        fn lenient<T: Default + serde::de::DeserializeOwned>(payload: &str) -> T {
            serde_json::from_str(payload).unwrap_or_default()
        }
        let payload = entry.payload.as_str();
        Some(match (entry.system.as_str(), entry.action.as_str()) {
            ("graph", "set_session") => Journaled::SetSession(lenient(payload)),
            ("graph", "clear_session") => Journaled::ClearSession(lenient(payload)),
            ("cloudlink", "write_presentity") => Journaled::WritePresentity(lenient(payload)),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(system: &str, action: &str, payload: &str) -> JournalEntry {
        JournalEntry {
            id: 1,
            run_id: None,
            micollab_login: "ann".into(),
            system: system.into(),
            action: action.into(),
            payload: payload.into(),
            intended_at: chrono::Utc::now(),
            confirmed_at: None,
            outcome: None,
            superseded_by: None,
        }
    }

    #[test]
    fn each_write_reads_back_as_it_was_journaled() {
        let writes = [
            Journaled::SetSession(SessionSet {
                teams_id: Some("id-1".into()),
                session: Some("Busy/InACall".into()),
                ttl_s: Some(900),
            }),
            Journaled::ClearSession(SessionCleared {
                teams_id: Some("id-1".into()),
                reason: Some("release".into()),
            }),
            Journaled::WritePresentity(PresentityWritten {
                principal_id: Some("p-1".into()),
                status: Some("In a call".into()),
                activity: Some("InACall".into()),
                expected_version: Some("3".into()),
                based_on: Some("Busy/InACall".into()),
            }),
        ];
        for write in writes {
            let intent = write.intent("ann".into());
            let stored = entry(intent.system, intent.action, &intent.payload.to_string());
            assert_eq!(Journaled::read(&stored), Some(write));
        }
    }

    #[test]
    fn older_or_unreadable_payloads_read_leniently_and_other_kinds_not_at_all() {
        let cases = [
            (("graph", "set_session", r#"{"teams_id":"x"}"#), true),
            (("graph", "clear_session", "not json"), true),
            (("cloudlink", "write_presentity", "{}"), true),
            (("micollab", "switch_teams", "{}"), false),
            (("micollab", "edit_status", "{}"), false),
        ];
        for ((system, action, payload), known) in cases {
            let read = Journaled::read(&entry(system, action, payload));
            assert_eq!(read.is_some(), known, "{system} {action}");
        }
    }
}
