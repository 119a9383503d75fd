//! The presence rules of the seed and DESIGN.md section 3, as pure functions.
//!
//! - Teams → MiCollab: a Graph availability/activity becomes a MiCollab (Teams-managed) status.
//! - Phone → Teams: the MiVoice Business phone's state becomes mcteams' app session in Teams.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::graph::{Activity, Availability};

/// The name mcteams writes as the presentity's source (how it knows its own writes).
pub const WRITER: &str = "mcteams";

/// The Teams-managed statuses MiCollab shows while Teams manages presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MiCollabStatus {
    Available,
    Busy,
    DoNotDisturb,
    BeRightBack,
    Away,
    AppearOffline,
    InACall,
    InAMeeting,
    Presenting,
    OutOfOffice,
    Unknown,
}

impl MiCollabStatus {
    pub const ALL: [MiCollabStatus; 11] = [
        MiCollabStatus::Available,
        MiCollabStatus::Busy,
        MiCollabStatus::DoNotDisturb,
        MiCollabStatus::BeRightBack,
        MiCollabStatus::Away,
        MiCollabStatus::AppearOffline,
        MiCollabStatus::InACall,
        MiCollabStatus::InAMeeting,
        MiCollabStatus::Presenting,
        MiCollabStatus::OutOfOffice,
        MiCollabStatus::Unknown,
    ];

    /// The name MiCollab shows (and its API uses).
    pub fn name(self) -> &'static str {
        match self {
            MiCollabStatus::Available => "Available",
            MiCollabStatus::Busy => "Busy",
            MiCollabStatus::DoNotDisturb => "Do not disturb",
            MiCollabStatus::BeRightBack => "Be right back",
            MiCollabStatus::Away => "Away",
            MiCollabStatus::AppearOffline => "Appear offline",
            MiCollabStatus::InACall => "In a call",
            MiCollabStatus::InAMeeting => "In a meeting",
            MiCollabStatus::Presenting => "Presenting",
            MiCollabStatus::OutOfOffice => "Out of office",
            MiCollabStatus::Unknown => "Unknown",
        }
    }

    /// Parses a status name, ignoring case and surrounding space.
    pub fn parse(text: &str) -> Option<MiCollabStatus> {
        let text = text.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(text))
    }

    /// Where calls go in this status. Applied by MiCollab, never by mcteams.
    pub fn call_routing(self) -> CallRouting {
        match self {
            MiCollabStatus::DoNotDisturb | MiCollabStatus::Presenting => {
                CallRouting::DoNotDisturbVoicemail
            }
            _ => CallRouting::AsConfigured,
        }
    }
}

impl fmt::Display for MiCollabStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for MiCollabStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for MiCollabStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(MiCollabStatus::parse(&text).unwrap_or(MiCollabStatus::Unknown))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallRouting {
    /// The status's own call-routing setting.
    AsConfigured,
    /// Calls go to voicemail.
    DoNotDisturbVoicemail,
}

/// Teams → MiCollab, DESIGN.md section 3: the first matching rule wins. `None` is rule 11:
/// PresenceUnknown or a value not listed — leave MiCollab as it is, and report it.
pub fn micollab_status_for(
    availability: &Availability,
    activity: &Activity,
) -> Option<MiCollabStatus> {
    use Activity as Ac;
    use Availability as Av;
    let status = match (availability, activity) {
        (_, Ac::InACall | Ac::InAConferenceCall) => MiCollabStatus::InACall,
        (_, Ac::InAMeeting) => MiCollabStatus::InAMeeting,
        (_, Ac::Presenting) => MiCollabStatus::Presenting,
        (Av::DoNotDisturb, _) => MiCollabStatus::DoNotDisturb,
        (_, Ac::OutOfOffice) => MiCollabStatus::OutOfOffice,
        (Av::Busy | Av::BusyIdle, _) => MiCollabStatus::Busy,
        (Av::BeRightBack, _) => MiCollabStatus::BeRightBack,
        (Av::Away, _) => MiCollabStatus::Away,
        (Av::Available | Av::AvailableIdle, _) => MiCollabStatus::Available,
        (Av::Offline, _) => MiCollabStatus::AppearOffline,
        (Av::PresenceUnknown | Av::Other(_), _) => return None,
    };
    Some(status)
}

/// The phone's call state as MiVoice Business reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallState {
    Idle,
    Busy,
    Ringing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceType {
    DeskPhone,
    Softphone,
}

/// What mcteams reads of a user's phone. mcteams never writes to the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneState {
    pub call: CallState,
    pub dnd: bool,
    pub device: DeviceType,
    /// Logged in as an ACD hot-desk agent.
    pub acd_hotdesk: bool,
}

impl PhoneState {
    /// The seed: only the ACD hot-desk *softphone* is not synchronized to Teams; ACD agents on
    /// desk phones are.
    pub fn is_synchronized(&self) -> bool {
        !(self.acd_hotdesk && self.device == DeviceType::Softphone)
    }
}

/// What mcteams' app session in Teams says for a phone state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionIntent {
    /// Phone DND: `DoNotDisturb / Presenting`, as Mitel's own integration shows it.
    DoNotDisturb,
    /// In a call: `Busy / InACall`.
    InACall,
}

impl SessionIntent {
    pub fn availability(self) -> Availability {
        match self {
            SessionIntent::DoNotDisturb => Availability::DoNotDisturb,
            SessionIntent::InACall => Availability::Busy,
        }
    }

    pub fn activity(self) -> Activity {
        match self {
            SessionIntent::DoNotDisturb => Activity::Presenting,
            SessionIntent::InACall => Activity::InACall,
        }
    }

    /// "DoNotDisturb/Presenting", as stored in the sync record.
    pub fn label(self) -> &'static str {
        match self {
            SessionIntent::DoNotDisturb => "DoNotDisturb/Presenting",
            SessionIntent::InACall => "Busy/InACall",
        }
    }

    pub fn from_label(text: &str) -> Option<SessionIntent> {
        [SessionIntent::DoNotDisturb, SessionIntent::InACall]
            .into_iter()
            .find(|i| i.label() == text)
    }
}

/// Phone → Teams: DND wins over a call; idle with DND off clears the session (`None`).
/// A ringing phone is not yet in a call: it clears too, so a missed call never shows as busy.
pub fn session_intent_for(phone: &PhoneState) -> Option<SessionIntent> {
    if phone.dnd {
        Some(SessionIntent::DoNotDisturb)
    } else if phone.call == CallState::Busy {
        Some(SessionIntent::InACall)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MiCollabStatus as S;

    #[test]
    fn teams_to_micollab_follows_the_table_first_match_wins() {
        // (availability, activity, expected status) — one row per rule, plus the overlaps
        // where the order of the rules decides.
        let cases: &[(&str, &str, Option<MiCollabStatus>)] = &[
            ("Busy", "InACall", Some(S::InACall)),                   // 1
            ("Available", "InAConferenceCall", Some(S::InACall)),    // 1, any availability
            ("DoNotDisturb", "InACall", Some(S::InACall)),           // 1 before 4
            ("Busy", "InAMeeting", Some(S::InAMeeting)),             // 2
            ("DoNotDisturb", "Presenting", Some(S::Presenting)),     // 3 before 4 (phone DND)
            ("DoNotDisturb", "DoNotDisturb", Some(S::DoNotDisturb)), // 4
            (
                "DoNotDisturb",
                "UrgentInterruptionsOnly",
                Some(S::DoNotDisturb),
            ),
            ("DoNotDisturb", "OutOfOffice", Some(S::DoNotDisturb)), // 4 before 5
            ("Away", "OutOfOffice", Some(S::OutOfOffice)),          // 5
            ("Busy", "Busy", Some(S::Busy)),                        // 6
            ("BusyIdle", "Busy", Some(S::Busy)),                    // 6
            ("BeRightBack", "BeRightBack", Some(S::BeRightBack)),   // 7
            ("Away", "Away", Some(S::Away)),                        // 8
            ("Away", "Inactive", Some(S::Away)),
            ("Available", "Available", Some(S::Available)), // 9
            ("AvailableIdle", "Inactive", Some(S::Available)), // 9
            ("Offline", "OffWork", Some(S::AppearOffline)), // 10
            ("Offline", "Offline", Some(S::AppearOffline)),
            ("PresenceUnknown", "PresenceUnknown", None), // 11
            ("SomethingNew", "Available", None),          // 11: unlisted value
            ("Available", "FocusMode", Some(S::Available)), // unknown activity: by availability
            ("available", "inacall", Some(S::InACall)),   // casing varies
            ("SomethingNew", "InAMeeting", Some(S::InAMeeting)), // activity rules hold for any availability
        ];
        for (availability, activity, want) in cases {
            let got = micollab_status_for(
                &Availability::parse(availability),
                &Activity::parse(activity),
            );
            assert_eq!(got, *want, "{availability}/{activity}");
        }
    }

    #[test]
    fn call_routing_of_statuses() {
        for status in MiCollabStatus::ALL {
            let want = if matches!(status, S::DoNotDisturb | S::Presenting) {
                CallRouting::DoNotDisturbVoicemail
            } else {
                CallRouting::AsConfigured
            };
            assert_eq!(status.call_routing(), want, "{status}");
            assert_eq!(MiCollabStatus::parse(status.name()), Some(status));
        }
        assert_eq!(
            MiCollabStatus::parse(" do NOT disturb "),
            Some(S::DoNotDisturb)
        );
        assert_eq!(MiCollabStatus::parse("Lunch"), None);
    }

    #[test]
    fn phone_to_teams() {
        use CallState::*;
        let phone = |call, dnd| PhoneState {
            call,
            dnd,
            device: DeviceType::DeskPhone,
            acd_hotdesk: false,
        };
        let cases = [
            (phone(Idle, false), None),
            (phone(Ringing, false), None),
            (phone(Busy, false), Some(SessionIntent::InACall)),
            (phone(Idle, true), Some(SessionIntent::DoNotDisturb)),
            (phone(Busy, true), Some(SessionIntent::DoNotDisturb)), // DND and busy at once
            (phone(Ringing, true), Some(SessionIntent::DoNotDisturb)),
        ];
        for (state, want) in cases {
            assert_eq!(session_intent_for(&state), want, "{state:?}");
        }
        let i = SessionIntent::DoNotDisturb;
        assert_eq!(
            (i.availability(), i.activity()),
            (Availability::DoNotDisturb, Activity::Presenting)
        );
        let i = SessionIntent::InACall;
        assert_eq!(
            (i.availability(), i.activity()),
            (Availability::Busy, Activity::InACall)
        );
        assert_eq!(SessionIntent::from_label(i.label()), Some(i));
    }

    #[test]
    fn only_the_acd_hotdesk_softphone_is_not_synchronized() {
        let cases = [
            (DeviceType::Softphone, true, false),
            (DeviceType::DeskPhone, true, true),
            (DeviceType::Softphone, false, true),
            (DeviceType::DeskPhone, false, true),
        ];
        for (device, acd_hotdesk, synchronized) in cases {
            let phone = PhoneState {
                call: CallState::Busy,
                dnd: false,
                device,
                acd_hotdesk,
            };
            assert_eq!(
                phone.is_synchronized(),
                synchronized,
                "{device:?} acd={acd_hotdesk}"
            );
        }
    }
}
