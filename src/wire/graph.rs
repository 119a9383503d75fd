//! Microsoft Graph and Microsoft identity platform wire types, as Microsoft documents them.
//!
//! Shared by the Graph client and the emulator; nothing else crosses between them.
//! Graph's enumerations are not stable (new values appear, casing varies): every enum here
//! parses any string and keeps what it did not recognise.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// `POST {authority}/{tenant}/oauth2/v2.0/token` success answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub token_type: String,
    pub expires_in: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_expires_in: Option<u64>,
    pub access_token: String,
}

/// The identity platform's error answer (`invalid_client`, `invalid_request`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

/// `{"error":{"code","message","innerError":{…}}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub error: GraphError,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphError {
    pub code: String,
    pub message: String,
    #[serde(
        rename = "innerError",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<InnerError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(
        rename = "request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    #[serde(
        rename = "client-request-id",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
}

/// A collection page: `{"value":[…],"@odata.nextLink":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub value: Vec<T>,
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    #[serde(
        rename = "@odata.context",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub context: Option<String>,
}

/// At most this many ids per `getPresencesByUserId` call.
pub const MAX_PRESENCE_IDS: usize = 650;
/// At most this many requests per `$batch`.
pub const MAX_BATCH_REQUESTS: usize = 20;
/// At most this many values in one `$filter … in (…)`.
pub const MAX_FILTER_IN_VALUES: usize = 15;
/// At most this many users per `GET /users` page.
pub const MAX_USERS_PAGE: usize = 999;

/// A presence with only what a sync cycle reads: the other fields are skipped while
/// decoding, so 100,000 presences cost a fraction of the memory of [`Presence`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PresenceBrief {
    pub id: String,
    pub availability: Availability,
    pub activity: Activity,
    #[serde(default)]
    pub sequence_number: Option<String>,
}

impl From<Presence> for PresenceBrief {
    fn from(p: Presence) -> PresenceBrief {
        PresenceBrief {
            id: p.id,
            availability: p.availability,
            activity: p.activity,
            sequence_number: p.sequence_number,
        }
    }
}

/// `POST /communications/getPresencesByUserId`. The client sends ids it borrows (`&str`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GetPresencesRequest<S = String> {
    pub ids: Vec<S>,
}

/// A user's aggregated presence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Presence {
    pub id: String,
    pub availability: Availability,
    pub activity: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_office_settings: Option<OutOfOfficeSettings>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutOfOfficeSettings {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub is_out_of_office: bool,
}

/// `POST /users/{id}/presence/setPresence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetPresenceRequest {
    pub session_id: String,
    pub availability: Availability,
    pub activity: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_duration: Option<String>,
}

/// `POST /users/{id}/presence/clearPresence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClearPresenceRequest {
    pub session_id: String,
}

/// `POST /users/{id}/presence/setUserPreferredPresence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetUserPreferredPresenceRequest {
    pub availability: Availability,
    pub activity: Activity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_duration: Option<String>,
}

/// The `user` fields mcteams selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub user_principal_name: String,
    #[serde(default)]
    pub mail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// `POST /$batch`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRequest {
    pub requests: Vec<BatchRequestItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchRequestItem {
    pub id: String,
    pub method: String,
    /// Relative to the version root, e.g. `/users/{id}/presence/clearPresence`.
    pub url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResponse {
    pub responses: Vec<BatchResponseItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchResponseItem {
    pub id: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant,)*
            /// A value this build does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Parses any value, ignoring case; unknown values are kept in `Other`.
            pub fn parse(text: &str) -> Self {
                $(if text.eq_ignore_ascii_case(stringify!($variant)) {
                    return $name::$variant;
                })*
                $name::Other(text.to_string())
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => stringify!($variant),)*
                    $name::Other(s) => s,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name::parse(&text))
            }
        }
    };
}

open_enum!(
    /// Graph's `availability`.
    Availability {
        Available,
        AvailableIdle,
        Away,
        BeRightBack,
        Busy,
        BusyIdle,
        DoNotDisturb,
        Offline,
        PresenceUnknown,
    }
);

open_enum!(
    /// Graph's `activity`.
    Activity {
        Available,
        Away,
        BeRightBack,
        Busy,
        DoNotDisturb,
        InACall,
        InAConferenceCall,
        Inactive,
        InAMeeting,
        Offline,
        OffWork,
        OutOfOffice,
        PresenceUnknown,
        Presenting,
        UrgentInterruptionsOnly,
    }
);

/// Parses an ISO 8601 duration of the form Graph uses (`PT5M`, `PT1H30M`, `P1D`, `PT90S`).
pub fn parse_iso_duration(text: &str) -> Option<Duration> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, t),
        None => (rest, ""),
    };
    if date.is_empty() && time.is_empty() {
        return None;
    }
    let mut seconds = 0f64;
    for (part, units) in [
        (date, &[('W', 604_800f64), ('D', 86_400f64)][..]),
        (time, &[('H', 3_600f64), ('M', 60f64), ('S', 1f64)][..]),
    ] {
        let mut number = String::new();
        let mut last = 0usize;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let position = units.iter().position(|(u, _)| *u == c)?;
            if number.is_empty() || position < last {
                return None;
            }
            seconds += number.parse::<f64>().ok()? * units[position].1;
            number.clear();
            last = position + 1;
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(Duration::from_secs_f64(seconds))
}

/// Formats a duration as Graph expects it (`PT15M`, `PT4H`, `PT90S`).
pub fn format_iso_duration(duration: Duration) -> String {
    let total = duration.as_secs();
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || total == 0 {
        out.push_str(&format!("{s}S"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_any_value_in_any_case() {
        assert_eq!(
            Availability::parse("doNotDisturb"),
            Availability::DoNotDisturb
        );
        assert_eq!(Activity::parse("InACall"), Activity::InACall);
        assert_eq!(
            Activity::parse("FocusMode"),
            Activity::Other("FocusMode".into())
        );
        let p: Presence = serde_json::from_str(
            r#"{"id":"x","availability":"BUSY","activity":"SomethingNew","sequenceNumber":"C1"}"#,
        )
        .unwrap();
        assert_eq!(p.availability, Availability::Busy);
        assert_eq!(p.activity.as_str(), "SomethingNew");
        assert_eq!(serde_json::to_string(&p.availability).unwrap(), "\"Busy\"");
    }

    #[test]
    fn iso_durations() {
        let cases = [
            ("PT5M", Some(300)),
            ("PT4H", Some(14_400)),
            ("PT1H30M", Some(5_400)),
            ("PT90S", Some(90)),
            ("P1D", Some(86_400)),
            ("P7D", Some(604_800)),
            ("P1DT1H", Some(90_000)),
            ("PT", None),
            ("P", None),
            ("5M", None),
            ("PTM", None),
            ("PT5X", None),
            ("PT5S3M", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                parse_iso_duration(text).map(|d| d.as_secs()),
                want,
                "{text}"
            );
        }
        assert_eq!(format_iso_duration(Duration::from_secs(900)), "PT15M");
        assert_eq!(format_iso_duration(Duration::from_secs(5_400)), "PT1H30M");
        assert_eq!(format_iso_duration(Duration::from_secs(14_400)), "PT4H");
    }

    #[test]
    fn error_shape_is_graphs() {
        let body = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired.","innerError":{"date":"2026-11-26T10:00:00","request-id":"r1","client-request-id":"c1"}}}"#;
        let e: ErrorResponse = serde_json::from_str(body).unwrap();
        assert_eq!(e.error.code, "InvalidAuthenticationToken");
        assert_eq!(
            e.error.inner_error.as_ref().unwrap().request_id.as_deref(),
            Some("r1")
        );
        assert_eq!(serde_json::to_string(&e).unwrap(), body);
    }
}
