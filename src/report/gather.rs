//! What `report` classifies, gathered two ways:
//!
//! - [`from_systems`]: the four systems read by the sync's own observe phase
//!   ([`crate::engine::estate`]: the same slices, bulk reads, batches, limits and patience),
//!   plus what only a report asks: the MiCollab system and user list (paged once) and the
//!   existence checks (Entra users looked up in bulk by UPN, then by object id for the few not
//!   found, to tell a renamed UPN from a deleted user). Nothing is written, not even to the
//!   store.
//! - [`from_state`]: no system is called; each mapped user's last observation in the store,
//!   patched with what the sync wrote after observing it (see [`patched_observation`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::connectors::ConnectedSystems;
use crate::connectors::micollab::{MicollabAdmin, teams_gates};
use crate::connectors::ports::{SourceError, TeamsPort};
use crate::connectors::{PresenceDirectory, graph::GraphClient};
use crate::engine::estate::UserSeen;
use crate::engine::record_from_store;
use crate::mapping::Mapping;
use crate::presence::PhoneState;
use crate::reconcile::{Observed, Presentity, TeamsPresence, WRITER};
use crate::store::{Store, StoreError, SyncRecord};
use crate::wire::graph::{Activity, Availability};

use super::{ClientKind, Existence, SyncHistory, UserFacts};

/// Where the observations came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Systems,
    State,
}

/// Everything gathered about one user, owned; [`Subject::facts`] lends it to the classifier.
#[derive(Debug, Clone)]
pub struct Subject {
    pub micollab_login: String,
    pub mapping: Option<Mapping>,
    pub observed: Observed,
    pub history: SyncHistory,
    pub existence: Existence,
    pub client: Option<(ClientKind, bool)>,
    /// The user's MiCollab profile, when MiCollab was read.
    pub profile: Option<String>,
}

impl Subject {
    pub fn facts<'a>(
        &'a self,
        unsupported: Option<&'a str>,
        unavailable: &'a [&'static str],
    ) -> UserFacts<'a> {
        UserFacts {
            unavailable,
            mapping: self.mapping.as_ref(),
            observed: &self.observed,
            history: &self.history,
            existence: &self.existence,
            client: self.client,
            unsupported,
        }
    }
}

/// The result of one gathering.
#[derive(Debug, Clone)]
pub struct Gathering {
    pub subjects: Vec<Subject>,
    /// Why this MiCollab / PBX cannot run Teams presence, when it cannot.
    pub unsupported: Option<String>,
    /// Systems that could not be read.
    pub read_errors: Vec<SourceError>,
    /// The time the findings are judged at (Graph's clock when it was read, as the sync does).
    pub now: DateTime<Utc>,
    pub origin: Origin,
}

/// The users whose changes the mass-change guard holds now, and the plan's id.
struct HeldUsers(Option<(i64, std::collections::HashSet<String>)>);

impl HeldUsers {
    fn read(store: &Store) -> Result<HeldUsers, StoreError> {
        Ok(HeldUsers(
            store
                .current_plan()?
                .filter(|p| p.state == crate::store::PlanState::Held)
                .map(|p| (p.id, p.users.into_iter().collect())),
        ))
    }

    fn held(&self, login: &str) -> Option<i64> {
        self.0
            .as_ref()
            .filter(|(_, users)| users.contains(login))
            .map(|(id, _)| *id)
    }
}

/// What mcteams remembers of its last sync of a user.
pub fn history_from_store(stored: &SyncRecord) -> SyncHistory {
    SyncHistory {
        record: record_from_store(stored),
        last_success_at: stored.last_success_at,
        last_error: stored.last_error.clone(),
        last_error_at: stored.last_error_at,
        last_observed: stored.last_observed.as_deref().and_then(parse_observation),
        last_observed_at: stored.last_observed_at,
        unconfirmed_writes: 0,
        held_by_guard: None,
    }
}

/// The stored observation, as the engine serialized it. Unreadable JSON is no observation.
fn parse_observation(json: &str) -> Option<Observed> {
    #[derive(Deserialize)]
    struct StoredTeams {
        availability: Availability,
        activity: Activity,
        #[serde(default)]
        sequence_number: Option<String>,
    }
    #[derive(Deserialize)]
    struct StoredPresentity {
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        activity: Option<String>,
        #[serde(default)]
        version: String,
        #[serde(default)]
        source: Option<String>,
    }
    #[derive(Deserialize)]
    struct StoredObserved {
        #[serde(default)]
        tombstone: bool,
        #[serde(default)]
        teams_enabled: Option<bool>,
        #[serde(default)]
        teams: Option<StoredTeams>,
        #[serde(default)]
        phone: Option<PhoneState>,
        #[serde(default)]
        presentity: Option<StoredPresentity>,
    }
    let stored: StoredObserved = match serde_json::from_str(json) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "a stored observation is unreadable: ignored");
            return None;
        }
    };
    Some(Observed {
        tombstone: stored.tombstone,
        teams_enabled: stored.teams_enabled,
        teams: stored.teams.map(|t| TeamsPresence {
            availability: t.availability,
            activity: t.activity,
            sequence_number: t.sequence_number,
        }),
        phone: stored.phone,
        presentity: stored.presentity.map(|p| Presentity {
            status: p.status,
            activity: p.activity,
            version: p.version,
            source: p.source,
        }),
    })
}

/// The last observation as the systems stood after that sync: the engine stores what it read
/// *before* writing, so a presentity write confirmed in the same cycle (written at or after
/// the observation, with the version CloudLink answered) replaces the observed presentity.
/// mcteams' app session needs no patch: the classifier compares the phone with the record's
/// session, not with Graph's aggregate.
pub fn patched_observation(history: &SyncHistory) -> Option<Observed> {
    let mut observed = history.last_observed.clone()?;
    if let (Some(written), Some(at)) = (&history.record.presentity, history.last_observed_at)
        && written.written_at >= at
        && let Some(version) = &written.version
    {
        observed.presentity = Some(Presentity {
            status: Some(written.status.name().to_string()),
            activity: Some(written.activity.clone()),
            version: version.clone(),
            source: Some(WRITER.to_string()),
        });
    }
    Some(observed)
}

/// `report --from-state`: the mapped users as the store last saw them. Unmapped users, the
/// system gates and existence are not known offline.
pub fn from_state(store: &Store, now: DateTime<Utc>) -> Result<Gathering, StoreError> {
    let mappings = store.list_mappings(false)?;
    let records: HashMap<String, SyncRecord> = store
        .sync_records()?
        .into_iter()
        .map(|r| (r.micollab_login.clone(), r))
        .collect();
    let open = store.journal_open_by_login()?;
    let held = HeldUsers::read(store)?;
    let subjects = mappings
        .into_iter()
        .map(|mapping| {
            let mut history = records
                .get(&mapping.micollab_login)
                .map(history_from_store)
                .unwrap_or_default();
            history.unconfirmed_writes = open.get(&mapping.micollab_login).copied().unwrap_or(0);
            history.held_by_guard = held.held(&mapping.micollab_login);
            let observed = patched_observation(&history).unwrap_or_default();
            Subject {
                micollab_login: mapping.micollab_login.clone(),
                mapping: Some(mapping),
                observed,
                history,
                existence: Existence::default(),
                client: None,
                profile: None,
            }
        })
        .collect();
    Ok(Gathering {
        subjects,
        unsupported: None,
        read_errors: Vec::new(),
        now,
        origin: Origin::State,
    })
}

fn client_of(user: &crate::wire::micollab::User) -> Option<(ClientKind, bool)> {
    let kind = match user
        .client_type
        .as_deref()?
        .trim()
        .to_ascii_lowercase()
        .as_str()
    {
        "pc" => ClientKind::Pc,
        "web" => ClientKind::Web,
        "mac" => ClientKind::Mac,
        _ => return None,
    };
    match (kind, user.telephony_only) {
        // Telephony-only mode is what matters on a PC; unknown there means unknown.
        (ClientKind::Pc, None) => None,
        (kind, telephony_only) => Some((kind, telephony_only.unwrap_or(false))),
    }
}

/// Whether each mapping's Entra user still exists, and under which UPN.
async fn teams_existence(
    graph: &GraphClient,
    mappings: &[Mapping],
) -> Result<HashMap<String, Existence>, SourceError> {
    let names: Vec<String> = mappings.iter().map(|m| m.teams_upn.clone()).collect();
    let resolution = graph
        .resolve_users(&names)
        .await
        .map_err(|e| SourceError::of("graph", &e))?;
    let found: HashMap<String, crate::wire::graph::User> = resolution
        .found
        .into_iter()
        .map(|(name, r)| (name.to_lowercase(), r.user))
        .collect();
    let same_id = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    // Mappings whose UPN no longer leads to their object: look the object up by id.
    let lost: Vec<String> = mappings
        .iter()
        .filter_map(|m| {
            let id = m.teams_id.as_ref()?;
            match found.get(&m.teams_upn.to_lowercase()) {
                Some(user) if same_id(&user.id, id) => None,
                _ => Some(id.clone()),
            }
        })
        .collect();
    let by_id: HashMap<String, crate::wire::graph::User> = if lost.is_empty() {
        HashMap::new()
    } else {
        graph
            .users_by_id(&lost)
            .await
            .map_err(|e| SourceError::of("graph", &e))?
            .into_iter()
            .map(|u| (u.id.to_ascii_lowercase(), u))
            .collect()
    };
    let mut existence = HashMap::with_capacity(mappings.len());
    for m in mappings {
        let by_name = found.get(&m.teams_upn.to_lowercase());
        let current = match &m.teams_id {
            Some(id) => match by_name {
                Some(user) if same_id(&user.id, id) => Some(user),
                _ => by_id.get(&id.to_ascii_lowercase()),
            },
            None => by_name,
        };
        let e = Existence {
            teams_user: Some(current.is_some()),
            renamed_upn: current
                .filter(|u| !u.user_principal_name.eq_ignore_ascii_case(&m.teams_upn))
                .map(|u| u.user_principal_name.clone()),
            upn_owner: by_name
                .filter(|user| m.teams_id.as_ref().is_some_and(|id| !same_id(&user.id, id)))
                .map(|user| user.id.clone()),
            ..Existence::default()
        };
        existence.insert(m.micollab_login.clone(), e);
    }
    Ok(existence)
}

/// `report`: reads the systems through the sync's own observe phase
/// ([`crate::engine::estate`]), plus what only a report asks: the MiCollab system and user
/// list (gates, clients, users with Teams on but no mapping) and the Entra existence checks.
pub async fn from_systems(
    store: &Store,
    systems: &ConnectedSystems,
    now: DateTime<Utc>,
) -> Result<Gathering, StoreError> {
    let mappings = store.list_mappings(false)?;
    let micollab = &systems.micollab;
    let (estate, system, users, teams_users) = tokio::join!(
        crate::engine::estate::observe_estate(store, systems, crate::engine::USERS_PER_SLICE),
        micollab.system(),
        micollab.users(None),
        teams_existence(&systems.teams, &mappings),
    );
    let estate = estate?;
    let mut read_errors = estate.errors;
    // Session expiry runs on Graph's clock, and the sync records its times on it: judge there.
    let now = match systems.teams.clock_skew() {
        Some(skew) if skew.num_seconds().abs() >= 2 => now + skew,
        _ => now,
    };
    let mut keep = |e: SourceError| {
        if !read_errors_has(&read_errors, e.system) {
            read_errors.push(e);
        }
    };
    let unsupported = match system {
        Ok(info) => {
            let failures = teams_gates(&info);
            (!failures.is_empty()).then(|| {
                failures
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        }
        Err(e) => {
            keep(SourceError::of_micollab(&e));
            None
        }
    };
    let users = users.map_err(|e| keep(SourceError::of_micollab(&e))).ok();
    let teams_users = teams_users.map_err(&mut keep).ok();
    let reads = Reads {
        seen: estate.users.iter().map(|u| (u.login.as_str(), u)).collect(),
        micollab_users: users
            .iter()
            .flatten()
            .map(|u| (u.login.as_str(), u))
            .collect(),
        micollab_read: users.is_some(),
        teams_users: teams_users.as_ref(),
        cloudlink_failed: read_errors_has(&read_errors, "cloudlink"),
    };
    let records: HashMap<String, SyncRecord> = store
        .sync_records()?
        .into_iter()
        .map(|r| (r.micollab_login.clone(), r))
        .collect();
    let mut subjects = subjects_of(store, &mappings, &records, &reads)?;
    subjects.extend(unmapped_subjects(
        &mappings,
        &records,
        users.iter().flatten(),
    ));
    Ok(Gathering {
        subjects,
        unsupported,
        read_errors,
        now,
        origin: Origin::Systems,
    })
}

/// What the report read, by login.
struct Reads<'a> {
    seen: HashMap<&'a str, &'a UserSeen>,
    micollab_users: HashMap<&'a str, &'a crate::wire::micollab::User>,
    micollab_read: bool,
    teams_users: Option<&'a HashMap<String, Existence>>,
    cloudlink_failed: bool,
}

/// Each mapped user: the observation, whether each system has them, the sync's history.
fn subjects_of(
    store: &Store,
    mappings: &[Mapping],
    records: &HashMap<String, SyncRecord>,
    reads: &Reads,
) -> Result<Vec<Subject>, StoreError> {
    let open = store.journal_open_by_login()?;
    let held = HeldUsers::read(store)?;
    let mut subjects = Vec::with_capacity(mappings.len());
    for mapping in mappings {
        let login = mapping.micollab_login.as_str();
        let user = reads.micollab_users.get(login).copied();
        let seen = reads.seen.get(login).copied();
        let mut existence = reads
            .teams_users
            .and_then(|t| t.get(login).cloned())
            .unwrap_or_default();
        existence.micollab_login = reads.micollab_read.then_some(user.is_some());
        existence.extension = seen.and_then(|s| s.extension_answered);
        existence.cloudlink_user = match (&mapping.cloudlink_user_id, seen) {
            (None, _) => None,
            // Unresolved although CloudLink was asked: the user is gone.
            (
                Some(_),
                Some(UserSeen {
                    principal: None, ..
                }),
            )
            | (Some(_), None) => (!reads.cloudlink_failed).then_some(false),
            (Some(_), Some(seen)) => seen.presentity_answered,
        };
        let mut history = records
            .get(login)
            .map(history_from_store)
            .unwrap_or_default();
        history.unconfirmed_writes = open.get(login).copied().unwrap_or(0);
        history.held_by_guard = held.held(login);
        subjects.push(Subject {
            micollab_login: login.to_string(),
            mapping: Some(mapping.clone()),
            observed: seen.map(|s| s.observed.clone()).unwrap_or_default(),
            history,
            existence,
            client: user.and_then(client_of),
            profile: user.and_then(|u| u.profile_name.clone()),
        });
    }
    Ok(subjects)
}

/// Users with Teams presence on in MiCollab but no mapping.
fn unmapped_subjects<'a>(
    mappings: &[Mapping],
    records: &HashMap<String, SyncRecord>,
    users: impl Iterator<Item = &'a crate::wire::micollab::User>,
) -> Vec<Subject> {
    let mapped: HashSet<&str> = mappings.iter().map(|m| m.micollab_login.as_str()).collect();
    let mut subjects = Vec::new();
    for user in users {
        if mapped.contains(user.login.as_str())
            || !user.teams_presence.as_ref().is_some_and(|t| t.effective)
        {
            continue;
        }
        subjects.push(Subject {
            micollab_login: user.login.clone(),
            mapping: None,
            observed: Observed {
                teams_enabled: Some(true),
                ..Observed::default()
            },
            history: records
                .get(&user.login)
                .map(history_from_store)
                .unwrap_or_default(),
            existence: Existence::default(),
            client: client_of(user),
            profile: user.profile_name.clone(),
        });
    }
    subjects
}

fn read_errors_has(errors: &[SourceError], system: &str) -> bool {
    errors.iter().any(|e| e.system == system)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presence::{CallState, DeviceType, MiCollabStatus};
    use crate::reconcile::{PresentityRecord, Record};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn observed() -> Observed {
        Observed {
            tombstone: false,
            teams_enabled: Some(true),
            teams: Some(TeamsPresence {
                availability: Availability::Busy,
                activity: Activity::parse("SomethingNew"),
                sequence_number: Some("42".into()),
            }),
            phone: Some(PhoneState {
                call: CallState::Busy,
                dnd: false,
                device: DeviceType::DeskPhone,
                acd_hotdesk: false,
            }),
            presentity: Some(Presentity {
                status: Some("Available".into()),
                activity: Some("Available".into()),
                version: "7".into(),
                source: Some("micollab".into()),
            }),
        }
    }

    #[test]
    fn the_engines_observation_reads_back() {
        let json = serde_json::to_string(&observed()).unwrap();
        assert_eq!(parse_observation(&json), Some(observed()));
        assert_eq!(parse_observation("{not json"), None);
        assert_eq!(parse_observation("{}"), Some(Observed::default()));
    }

    fn history(written_at: &str, version: Option<&str>) -> SyncHistory {
        SyncHistory {
            record: Record {
                session: None,
                presentity: Some(PresentityRecord {
                    status: MiCollabStatus::InACall,
                    activity: "InACall".into(),
                    version: version.map(str::to_string),
                    based_on: "seq:42".into(),
                    written_at: at(written_at),
                }),
                session_unsettled: false,
            },
            last_observed: Some(observed()),
            last_observed_at: Some(at("2026-11-26T09:00:00Z")),
            ..SyncHistory::default()
        }
    }

    #[test]
    fn a_write_confirmed_by_the_observing_sync_patches_the_presentity() {
        let patched = patched_observation(&history("2026-11-26T09:00:00Z", Some("8"))).unwrap();
        let p = patched.presentity.unwrap();
        assert_eq!(p.status.as_deref(), Some("In a call"));
        assert_eq!(p.activity.as_deref(), Some("InACall"));
        assert_eq!(p.version, "8");
        assert_eq!(p.source.as_deref(), Some(WRITER));
        assert_eq!(
            patched.teams,
            observed().teams,
            "only the presentity is patched"
        );
    }

    #[test]
    fn older_or_unconfirmed_writes_leave_the_observation() {
        let older = patched_observation(&history("2026-11-26T08:59:00Z", Some("8"))).unwrap();
        assert_eq!(older, observed());
        let unconfirmed = patched_observation(&history("2026-11-26T09:00:00Z", None)).unwrap();
        assert_eq!(unconfirmed, observed());
        assert_eq!(patched_observation(&SyncHistory::default()), None);
    }

    #[test]
    fn client_kinds() {
        let user = |client: Option<&str>, telephony_only: Option<bool>| {
            let json = serde_json::json!({"login": "a", "clientType": client, "telephonyOnly": telephony_only});
            client_of(&serde_json::from_value(json).unwrap())
        };
        assert_eq!(user(Some("PC"), Some(true)), Some((ClientKind::Pc, true)));
        assert_eq!(user(Some("pc"), None), None, "unknown mode on a PC");
        assert_eq!(user(Some("Web"), None), Some((ClientKind::Web, false)));
        assert_eq!(user(Some("Mac"), Some(true)), Some((ClientKind::Mac, true)));
        assert_eq!(user(Some("Teletype"), Some(true)), None);
        assert_eq!(user(None, Some(true)), None);
    }
}
