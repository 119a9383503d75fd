//! Mitel CloudLink wire types, and the conventions MiCollab and MiVoice Business share with
//! it (`docs/contracts/conventions.md`): the JSON token exchange, the `_links`/`_embedded`
//! list envelope, the bulk `PATCH` envelope and the error shape. The project's MiCollab and
//! MiVB contracts adopt CloudLink's public conventions, so these types live here.
//!
//! Every field a server might leave out is optional or defaulted: a lean or newer answer
//! must parse, and mcteams decides what a missing value means.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The largest `limit` of a paged list, and of a batch read or bulk `PATCH`.
pub const MAX_PAGE: usize = 1000;
/// At most this many operations per bulk `PATCH`.
pub const MAX_OPERATIONS: usize = 1000;
/// At most this many principal ids per `POST …/presentities/query`.
pub const MAX_QUERY_IDS: usize = 1000;

/// `POST …/token` body. Fields not used by a grant are left out of the JSON.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TokenRequest {
    pub grant_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

// The request carries a password, a client secret or a refresh token: never in Debug.
impl std::fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("username", &self.username)
            .field("client_id", &self.client_id)
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// `{"token_type":"bearer","expires_in":3600,"access_token":…,"refresh_token":…}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub token_type: String,
    pub expires_in: u64,
    pub access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// `{"name","code","reason","message","correlationId","data"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default)]
    pub name: Option<String>,
    /// The HTTP status, repeated.
    #[serde(default)]
    pub code: Option<u16>,
    /// The machine-readable cause to branch on.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub href: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Links {
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_link: Option<Link>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embedded<T> {
    pub items: Vec<T>,
}

impl<T> Default for Embedded<T> {
    fn default() -> Self {
        Embedded { items: Vec::new() }
    }
}

/// `{"count":N,"_links":{…},"_embedded":{"items":[…]}}`, plus the extras some lists carry
/// (`notFound` of batch reads, `teamsManaged` and `hiddenStatuses` of status lists, the
/// PBX's change-feed `cursor`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct List<T> {
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(rename = "_links", default)]
    pub links: Links,
    /// Required: a list answer without its items is malformed, not empty (an empty-looking
    /// answer must never read as "no users").
    #[serde(rename = "_embedded")]
    pub embedded: Embedded<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_found: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams_managed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden_statuses: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl<T> List<T> {
    pub fn next_href(&self) -> Option<&str> {
        self.links.next.as_ref().map(|l| l.href.as_str())
    }
}

/// One operation of a bulk `PATCH`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation<B> {
    pub op: String,
    pub id: String,
    pub body: B,
}

impl<B> Operation<B> {
    pub fn replace(id: impl Into<String>, body: B) -> Operation<B> {
        Operation {
            op: "replace".to_string(),
            id: id.into(),
            body,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operations<B> {
    pub operations: Vec<Operation<B>>,
}

/// One operation's result: its own HTTP status, and the resource or the error as body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationResult {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub op: Option<String>,
    pub status: u16,
    #[serde(default)]
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationResults {
    pub operations: Vec<OperationResult>,
}

/// An admin user of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub user_id: String,
    #[serde(default)]
    pub account_id: Option<String>,
    /// What presentities are keyed by.
    #[serde(default)]
    pub principal_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    /// Usually, not always, the Entra UPN.
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub extension: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

/// The presentity: the MiCollab dynamic status and the Teams activity shown on hover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Presentity {
    pub principal_id: String,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub activity: Option<String>,
    #[serde(default)]
    pub teams_managed: Option<bool>,
    /// Grows by one on every write.
    pub version: u64,
    /// The last writer.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub updated_on: Option<String>,
}

/// A presentity with only what a sync cycle reads (the other fields are skipped while
/// decoding).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PresentityBrief {
    pub principal_id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub activity: Option<String>,
    pub version: u64,
    #[serde(default)]
    pub source: Option<String>,
}

/// `POST …/presentities/query`. The client sends ids it borrows (`&str`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentityQuery<S = String> {
    pub ids: Vec<S>,
}

/// The body of a presentity write (`PUT` or one bulk operation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentityWrite {
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The version the writer read: a different current version answers 412.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

/// `data` of `412 VersionMismatch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct VersionMismatch {
    #[serde(default)]
    pub current_version: Option<u64>,
    #[serde(default)]
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_parses_with_and_without_next() {
        let text = r#"{"count":1,"_links":{"self":{"href":"h"},"next":{"href":"n"}},"_embedded":{"items":[1]},"notFound":["x"]}"#;
        let list: List<u32> = serde_json::from_str(text).unwrap();
        assert_eq!(list.next_href(), Some("n"));
        assert_eq!(list.not_found.as_deref(), Some(&["x".to_string()][..]));
        let bare: List<u32> = serde_json::from_str(r#"{"_embedded":{"items":[]}}"#).unwrap();
        assert_eq!(bare.next_href(), None);
        assert!(serde_json::from_str::<List<u32>>(r#"{"count":0}"#).is_err());
    }

    #[test]
    fn token_types_hide_secrets_in_debug() {
        let request = TokenRequest {
            grant_type: "password".into(),
            password: Some("pw-very-secret".into()),
            refresh_token: Some("rt-very-secret".into()),
            ..TokenRequest::default()
        };
        let answer = TokenResponse {
            token_type: "bearer".into(),
            expires_in: 3600,
            access_token: "at-very-secret".into(),
            refresh_token: Some("rt2-very-secret".into()),
        };
        let shown = format!("{request:?} {answer:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
    }
}
