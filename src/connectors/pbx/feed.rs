//! The PBX's change feed (`docs/contracts/pbx.md`, "Changes"): which extensions changed since
//! a cursor, by long poll. The long poll has a client of its own: its own connection, no
//! request permit the bulk reads need, no retries (the follower decides when to ask again),
//! and a timeout past the wait it asks for.

use std::time::Duration;

use super::PbxClient;
use crate::http::{Call, HttpError, HttpErrorKind, HttpSettings, RetryPolicy, System};
use crate::wire::cloudlink::List;
use crate::wire::pbx::ExtensionState;

use super::super::mitel::MitelSettings;

/// How long one long poll waits for a change before it answers a bookmark.
pub const LONG_POLL_WAIT: Duration = Duration::from_secs(25);

/// What one answer of the feed says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneChanges {
    /// The extensions whose phone changed, each once.
    pub extensions: Vec<String>,
    /// Where to watch from next.
    pub cursor: String,
}

/// Why the feed gave no changes.
#[derive(Debug)]
pub enum FeedError {
    /// The PBX no longer knows the cursor (too old, or it restarted): read every extension
    /// again and watch from a fresh cursor.
    Gone,
    Failed(HttpError),
}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedError::Gone => f.write_str("the PBX no longer knows the change cursor (410 Gone)"),
            FeedError::Failed(e) => write!(f, "{e}"),
        }
    }
}

/// The long poll's own client's settings, beside the one the bulk reads use.
pub(super) fn feed_http(settings: &MitelSettings) -> HttpSettings {
    HttpSettings {
        system: System::Pbx,
        connect_timeout: settings.connect_timeout,
        request_timeout: LONG_POLL_WAIT + settings.connect_timeout + Duration::from_secs(5),
        ca_file: settings.ca_file.clone(),
        max_concurrency: 2,
        rate: None,
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::service()
        },
    }
}

impl PbxClient {
    /// The cursor of now (a bookmark): watching from it gets every later change.
    pub async fn feed_cursor(&self) -> Result<String, FeedError> {
        self.ask_feed(&[]).await.map(|answer| answer.cursor)
    }

    /// The extensions changed since `cursor`, waiting up to `wait` for one.
    pub async fn changes(&self, cursor: &str, wait: Duration) -> Result<PhoneChanges, FeedError> {
        let wait = format!("{}s", wait.as_secs());
        self.ask_feed(&[("since", cursor), ("wait", &wait)]).await
    }

    async fn ask_feed(&self, query: &[(&str, &str)]) -> Result<PhoneChanges, FeedError> {
        let url = self
            .url(&["extension-changes"], query)
            .map_err(FeedError::Failed)?;
        let answer: List<ExtensionState> = match self.feed.send_json(Call::get(url)).await {
            Ok(answer) => answer,
            Err(failure) if failure.status() == Some(410) => return Err(FeedError::Gone),
            Err(failure) => return Err(FeedError::Failed(failure.error)),
        };
        let Some(cursor) = answer.cursor else {
            let kind = HttpErrorKind::Decode("the answer has no cursor".to_string());
            let path = "/2017-09-01/extension-changes";
            return Err(FeedError::Failed(HttpError::new(
                System::Pbx,
                "GET",
                path,
                kind,
            )));
        };
        Ok(PhoneChanges {
            extensions: answer
                .embedded
                .items
                .into_iter()
                .map(|e| e.extension)
                .collect(),
            cursor,
        })
    }
}
