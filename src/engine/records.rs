//! The reconcile record as the store keeps it.

use crate::presence::{MiCollabStatus, SessionIntent};
use crate::reconcile::{PresentityRecord, Record, SessionRecord};
use crate::store::{SyncRecord, SyncRecordView};

pub fn record_from_store(stored: &SyncRecord) -> Record {
    record_from_view(&stored.view())
}

pub fn record_from_view(stored: &SyncRecordView<'_>) -> Record {
    let session = match (
        stored.graph_session.and_then(SessionIntent::from_label),
        stored.graph_session_expires_at,
    ) {
        (Some(intent), Some(expires_at)) => Some(SessionRecord {
            intent,
            written_at: stored.graph_written_at.unwrap_or(expires_at),
            expires_at,
        }),
        _ => None,
    };
    let presentity = match (
        stored.cloudlink_status.and_then(MiCollabStatus::parse),
        stored.cloudlink_written_at,
    ) {
        (Some(status), Some(written_at)) => Some(PresentityRecord {
            status,
            activity: stored.cloudlink_activity.unwrap_or_default().to_owned(),
            version: stored.cloudlink_version.map(str::to_owned),
            based_on: stored.cloudlink_based_on.unwrap_or_default().to_owned(),
            written_at,
        }),
        _ => None,
    };
    Record {
        session,
        presentity,
        session_unsettled: false,
    }
}

/// The record's part of a stored row; observation and error fields are the caller's.
pub fn record_to_store(login: &str, record: &Record) -> SyncRecord {
    SyncRecord {
        micollab_login: login.to_string(),
        graph_session: record.session.map(|s| s.intent.label().to_string()),
        graph_session_expires_at: record.session.map(|s| s.expires_at),
        graph_written_at: record.session.map(|s| s.written_at),
        cloudlink_status: record
            .presentity
            .as_ref()
            .map(|p| p.status.name().to_string()),
        cloudlink_activity: record.presentity.as_ref().map(|p| p.activity.clone()),
        cloudlink_version: record.presentity.as_ref().and_then(|p| p.version.clone()),
        cloudlink_written_at: record.presentity.as_ref().map(|p| p.written_at),
        cloudlink_based_on: record.presentity.as_ref().map(|p| p.based_on.clone()),
        ..Default::default()
    }
}
