//! The emulator's mutable state: everything that changes, behind one lock.
//!
//! Per user only the changing facts are stored (sessions, flags, phone state, presentity);
//! the rest comes from the [`Directory`]. Time is the emulated clock: the wall clock plus an
//! offset that `POST /_sim/clock` moves, so expiry is tested without waiting.

use std::collections::HashMap;
use std::sync::Arc;

use crate::wire::graph::{Activity, Availability};

use super::directory::{Directory, PROFILES};

mod micollab;
pub mod phone_feed;
mod teams;

pub use teams::aggregate;

/// The Teams status set MiCollab shows while Teams manages a user's status.
pub const TEAMS_STATUSES: &[&str] = &[
    "Available",
    "Busy",
    "Do not disturb",
    "Be right back",
    "Away",
    "Appear offline",
    "In a call",
    "In a meeting",
    "Presenting",
    "Out of office",
    "Unknown",
];

/// Admin dynamic statuses every profile defines (hidden while Teams manages status).
pub const ADMIN_STATUSES: &[&str] = &["In the office", "On site visit", "In training"];

/// The first MiCollab version with bi-directional Teams presence: R9.8 SP1.
pub const MIN_TEAMS_VERSION: (u32, u32, u32) = (9, 8, 1);
pub const MIN_TEAMS_VERSION_TEXT: &str = "9.8.1 (R9.8 SP1)";
pub const SUPPORTED_PBX: &str = "MiVoice Business";

/// The session id the Teams client's own session carries (not an app session).
pub const CLIENT_SESSION: &str = "teams-client";

#[derive(Debug, Clone)]
pub struct Session {
    pub id: Box<str>,
    pub availability: Availability,
    pub activity: Activity,
    /// Emulated unix ms; `None` for the Teams client session (lasts until sign-out).
    pub expires_ms: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Preferred {
    pub availability: Availability,
    pub activity: Activity,
    pub expires_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    Idle,
    Busy,
    Ringing,
}

impl CallState {
    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Idle => "idle",
            CallState::Busy => "busy",
            CallState::Ringing => "ringing",
        }
    }

    pub fn parse(text: &str) -> Option<CallState> {
        match text.to_ascii_lowercase().as_str() {
            "idle" => Some(CallState::Idle),
            "busy" => Some(CallState::Busy),
            "ringing" => Some(CallState::Ringing),
            _ => None,
        }
    }
}

/// The CloudLink presentity: the MiCollab dynamic status the user sees plus the Teams activity.
#[derive(Debug, Clone)]
pub struct Presentity {
    pub status: Box<str>,
    pub activity: Option<Box<str>>,
    pub version: u64,
    pub source: Box<str>,
    pub updated_ms: i64,
}

/// A setting of one Teams-managed status (per profile, or a user's own override).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSetting {
    pub name: &'static str,
    pub do_not_disturb: bool,
    pub call_routing: String,
    pub message: String,
}

/// A user's own change of a Teams-managed status's settings (made in the client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusOverride {
    pub status: &'static str,
    pub call_routing: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UserState {
    pub deleted: bool,
    pub renamed_upn: Option<Box<str>>,
    pub sessions: Vec<Session>,
    pub preferred: Option<Preferred>,
    /// Last aggregate served, and the sequence number it was given.
    pub shown: Option<(Availability, Activity)>,
    pub sequence: u64,
    pub profile: u8,
    pub teams_user_flag: bool,
    pub overrides: Vec<StatusOverride>,
    pub call_state: CallState,
    pub dnd: bool,
    pub phone_changed_ms: i64,
    pub presentity: Presentity,
    /// The status the user had when Teams took over; restored when Teams lets go.
    pub status_before_teams: Option<Box<str>>,
}

#[derive(Debug, Clone)]
pub struct ProfileState {
    pub id: String,
    pub name: &'static str,
    pub is_default: bool,
    pub teams_enabled: bool,
    pub statuses: Vec<StatusSetting>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationKind {
    /// Sent to a user whose own "Microsoft Teams status" checkbox changed.
    StatusControl,
    /// Sent to every user of a profile whose Teams setting changed.
    RestartRequired,
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: u64,
    pub user: u32,
    pub kind: NotificationKind,
    pub enabled: bool,
    pub profile: Option<u8>,
    pub at_ms: i64,
}

impl Notification {
    pub fn kind_str(&self) -> &'static str {
        match self.kind {
            NotificationKind::StatusControl => "teamsStatusControl",
            NotificationKind::RestartRequired => "restartRequired",
        }
    }

    pub fn message(&self) -> &'static str {
        match (self.kind, self.enabled) {
            (NotificationKind::StatusControl, true) => {
                "Your presence status is now managed by your Microsoft Teams account."
            }
            (NotificationKind::StatusControl, false) => {
                "Your presence status is no longer managed by Microsoft Teams: your own statuses are back."
            }
            (NotificationKind::RestartRequired, _) => {
                "Your administrator changed the Microsoft Teams presence setting of your user profile. Restart MiCollab to apply it."
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct MicollabSystem {
    pub system_id: String,
    pub version: String,
    pub pbx_type: String,
}

/// Why the Teams integration cannot be enabled on this system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GateError {
    Version { found: String },
    Pbx { found: String },
}

pub struct World {
    /// Shared with the answers that encode users once the state is unlocked.
    pub dir: Arc<Directory>,
    pub clock_offset_ms: i64,
    pub users: Vec<UserState>,
    renamed: HashMap<String, u32>,
    pub micollab: MicollabSystem,
    pub profiles: Vec<ProfileState>,
    pub notifications: Vec<Notification>,
    /// Every phone change, for the PBX facade's change feed.
    pub phone_feed: phone_feed::PhoneFeed,
    next_sequence: u64,
    next_notification: u64,
}

/// The default settings of the Teams-managed statuses of a profile.
pub fn default_status_settings() -> Vec<StatusSetting> {
    TEAMS_STATUSES
        .iter()
        .map(|&name| {
            let dnd = matches!(name, "Do not disturb" | "Presenting");
            StatusSetting {
                name,
                do_not_disturb: dnd,
                call_routing: if dnd || name == "Appear offline" || name == "Out of office" {
                    "voicemail".to_string()
                } else {
                    "desk".to_string()
                },
                message: String::new(),
            }
        })
        .collect()
}

pub fn teams_status(name: &str) -> Option<&'static str> {
    TEAMS_STATUSES
        .iter()
        .copied()
        .find(|s| s.eq_ignore_ascii_case(name.trim()))
}

/// Parses "9.8.1.201" into (9, 8, 1); missing parts are 0.
pub fn parse_version(text: &str) -> Option<(u32, u32, u32)> {
    let mut parts = text.trim().split('.').map(|p| p.parse::<u32>());
    let major = parts.next()?.ok()?;
    let minor = parts.next().unwrap_or(Ok(0)).ok()?;
    let patch = parts.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

impl World {
    pub fn new(dir: Directory) -> World {
        let seed = dir.seed;
        let now = wall_ms();
        let users = (0..dir.count).map(|i| initial_user(&dir, i, now)).collect();
        let profiles = PROFILES
            .iter()
            .enumerate()
            .map(|(index, p)| ProfileState {
                id: format!("prof-{}", index + 1),
                name: p.name,
                is_default: p.is_default,
                teams_enabled: false,
                statuses: default_status_settings(),
            })
            .collect();
        World {
            micollab: MicollabSystem {
                system_id: format!("MCS-{:08X}", super::directory::mix(seed, 0, 42) as u32),
                version: "9.8.1.201".to_string(),
                pbx_type: SUPPORTED_PBX.to_string(),
            },
            dir: Arc::new(dir),
            clock_offset_ms: 0,
            users,
            renamed: HashMap::new(),
            profiles,
            notifications: Vec::new(),
            // A run of its own per process and seed: another emulator's cursors are unknown.
            phone_feed: phone_feed::PhoneFeed::new(
                (now as u32) ^ (seed as u32) ^ std::process::id(),
                phone_feed::CHANGES_KEPT,
            ),
            next_sequence: 1,
            next_notification: 1,
        }
    }

    /// Emulated now, unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        wall_ms() + self.clock_offset_ms
    }

    pub fn user(&self, i: u32) -> &UserState {
        &self.users[i as usize]
    }

    pub fn user_mut(&mut self, i: u32) -> &mut UserState {
        &mut self.users[i as usize]
    }

    fn live(&self, i: u32) -> Option<u32> {
        (!self.users[i as usize].deleted).then_some(i)
    }

    pub fn upn(&self, i: u32) -> String {
        match &self.users[i as usize].renamed_upn {
            Some(upn) => upn.to_string(),
            None => self.dir.generated_upn(i).to_string(),
        }
    }

    /// A user by Entra object id or UPN (case-insensitive), ignoring deleted ones.
    pub fn find_entra(&self, key: &str) -> Option<u32> {
        if let Some(id) = super::directory::parse_guid(key) {
            return self.find_object_id(id);
        }
        self.find_upn(key)
    }

    pub fn find_object_id(&self, id: u128) -> Option<u32> {
        self.dir.by_object_id(id).and_then(|i| self.live(i))
    }

    pub fn find_upn(&self, upn: &str) -> Option<u32> {
        let lower = lowercase(upn.trim());
        if let Some(&i) = self.renamed.get(&*lower) {
            return self.live(i);
        }
        let i = self.dir.by_generated_upn(&lower)?;
        if self.users[i as usize].renamed_upn.is_some() {
            return None;
        }
        self.live(i)
    }

    pub fn find_mail(&self, mail: &str) -> Option<u32> {
        let i = self.dir.by_mail(&lowercase(mail.trim()))?;
        self.live(i)
    }

    pub fn find_login(&self, login: &str) -> Option<u32> {
        let i = self.dir.by_login(&lowercase(login.trim()))?;
        self.live(i)
    }

    pub fn find_extension(&self, extension: &str) -> Option<u32> {
        let i = self.dir.by_extension(extension.trim())?;
        self.live(i)
    }

    pub fn find_principal(&self, principal: &str) -> Option<u32> {
        let i = self.dir.by_principal(principal.trim())?;
        self.live(i)
    }

    pub fn find_cloudlink_user(&self, id: &str) -> Option<u32> {
        let id = super::directory::parse_guid(id)?;
        let i = self.dir.by_cloudlink_user(id)?;
        self.live(i)
    }

    pub fn live_users(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.dir.count).filter(|&i| !self.users[i as usize].deleted)
    }

    /// One page of the live users `keep` keeps, from directory index `start`: at most
    /// `limit` of them, and where the next page starts when there are more.
    pub fn live_page(
        &self,
        start: usize,
        limit: usize,
        keep: impl Fn(u32) -> bool,
    ) -> (Vec<u32>, Option<usize>) {
        let mut page = Vec::with_capacity(limit);
        let live = (start as u32..self.dir.count).filter(|&i| !self.users[i as usize].deleted);
        for i in live.filter(|&i| keep(i)) {
            if page.len() == limit {
                return (page, Some(i as usize));
            }
            page.push(i);
        }
        (page, None)
    }

    pub fn rename(&mut self, i: u32, new_upn: &str) -> Result<(), String> {
        let lower = new_upn.trim().to_ascii_lowercase();
        if !lower.contains('@') || lower.len() > 113 {
            return Err(format!("{new_upn:?} is not a valid userPrincipalName"));
        }
        if self.find_upn(&lower).is_some_and(|other| other != i) {
            return Err(format!("another user already has the UPN {new_upn}"));
        }
        if let Some(old) = self.users[i as usize].renamed_upn.take() {
            self.renamed.remove(&old.to_ascii_lowercase());
        }
        self.renamed.insert(lower.clone(), i);
        self.users[i as usize].renamed_upn = Some(lower.into());
        Ok(())
    }

    pub fn delete(&mut self, i: u32) {
        self.users[i as usize].deleted = true;
    }
}

fn initial_user(dir: &Directory, i: u32, now: i64) -> UserState {
    let h = super::directory::mix(dir.seed, i as u64, 99);
    // Most people are signed in to Teams; a few are away, in a meeting or offline.
    let client = match h % 10 {
        0..=5 => Some((Availability::Available, Activity::Available)),
        6 => Some((Availability::Away, Activity::Away)),
        7 => Some((Availability::Busy, Activity::InAMeeting)),
        _ => None,
    };
    let sessions = client
        .map(|(availability, activity)| Session {
            id: CLIENT_SESSION.into(),
            availability,
            activity,
            expires_ms: None,
        })
        .into_iter()
        .collect();
    // Some users changed Teams-status settings for themselves in the client.
    let overrides = if i % 11 == 4 {
        vec![StatusOverride {
            status: "Away",
            call_routing: Some("mobile".to_string()),
            message: Some("Call my mobile".to_string()),
        }]
    } else {
        Vec::new()
    };
    UserState {
        deleted: false,
        renamed_upn: None,
        sessions,
        preferred: None,
        shown: None,
        sequence: 0,
        profile: dir.initial_profile(i) as u8,
        teams_user_flag: false,
        overrides,
        call_state: CallState::Idle,
        dnd: false,
        phone_changed_ms: now,
        status_before_teams: None,
        presentity: Presentity {
            status: dir
                .own_statuses(i)
                .first()
                .filter(|_| h.is_multiple_of(3))
                .map_or("Available", |s| s.name)
                .into(),
            activity: None,
            version: 1,
            source: "micollab".into(),
            updated_ms: now,
        },
    }
}

/// Graph's presence `sequenceNumber`: `C` and 15 hex digits, ordered as the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sequence(u64);

impl std::fmt::Display for Sequence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "C{:015X}", self.0)
    }
}

/// Lookup keys are stored lowercase; what clients send mostly is already, and a batch read
/// looks up a thousand of them, so only mixed-case text is copied.
fn lowercase(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

pub fn wall_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A time the API shows, kept as milliseconds until it is encoded.
#[derive(Debug, Clone, Copy)]
pub struct IsoTime(pub i64);

impl serde::Serialize for IsoTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&iso(self.0))
    }
}

/// RFC 3339 text of an emulated instant.
pub fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
