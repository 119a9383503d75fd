//! Values the unit tests of several modules build alike.

use chrono::{DateTime, Utc};

use crate::mapping::Mapping;
use crate::presence::{CallState, DeviceType, PhoneState};

/// An unverified mapping without object or CloudLink ids, created and updated `at`.
pub fn mapping_at(login: &str, upn: &str, extension: &str, at: DateTime<Utc>) -> Mapping {
    Mapping {
        micollab_login: login.into(),
        teams_upn: upn.into(),
        teams_id: None,
        extension: extension.into(),
        cloudlink_user_id: None,
        verified: false,
        created_at: at,
        updated_at: at,
        removed_at: None,
    }
}

/// A desk phone (no ACD hot-desking) in this call state.
pub fn desk_phone(call: CallState, dnd: bool) -> PhoneState {
    PhoneState {
        call,
        dnd,
        device: DeviceType::DeskPhone,
        acd_hotdesk: false,
    }
}
