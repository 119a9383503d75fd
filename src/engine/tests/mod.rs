//! The engine against in-memory systems that behave as documented (Graph aggregates
//! sessions, CloudLink checks versions), with failures on demand.

use std::collections::HashSet;

use crate::ids::IdMap;
use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::mapping::Mapping;
use crate::presence::{CallState, DeviceType, MiCollabStatus, PhoneState, SessionIntent};
use crate::reconcile::{Presentity, TeamsPresence, WRITER};
use crate::wire::graph::{Activity, Availability};

struct User {
    login: String,
    teams_id: String,
    cloudlink_id: String,
    extension: String,
    enabled: bool,
    client: Option<(Availability, Activity)>,
    preferred: Option<(Availability, Activity)>,
    phone: PhoneState,
    ours: Option<(SessionIntent, DateTime<Utc>)>,
    presentity: Presentity,
    versions: u64,
}

#[derive(Default)]
struct World {
    users: Vec<User>,
    now: Option<DateTime<Utc>>,
    failing_reads: HashSet<&'static str>,
    /// Graph presence reads that ask for this Entra id fail (one slice of a cycle).
    failing_graph_id: Option<String>,
    failing_session_writes: HashSet<String>,
    /// The failing session writes got no answer (they may have been applied).
    failing_writes_maybe_applied: bool,
    /// The next this many calls writing sessions get no answer at all (Graph unreachable).
    unanswered_session_calls: u32,
    session_writes: u64,
    presentity_writes: u64,
    /// Passes over CloudLink's whole directory.
    directory_reads: u64,
    /// Graph presence reads so far, and the ids they asked for.
    graph_reads: u64,
    graph_ids_read: Vec<String>,
    /// PBX reads so far (one per slice), and how many had been made when a session was
    /// first written.
    pbx_reads: u64,
    pbx_reads_at_first_write: Option<u64>,
    /// Reads of these systems answer this much later (on the test's paused clock).
    slow: std::collections::HashMap<&'static str, Duration>,
    /// When each system last answered a read, and when each was first written to.
    answered_at: std::collections::HashMap<&'static str, tokio::time::Instant>,
    written_at: std::collections::HashMap<&'static str, tokio::time::Instant>,
}

#[derive(Default)]
struct Fake(Mutex<World>);

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn rank(a: &Availability) -> u8 {
    match a {
        Availability::DoNotDisturb => 4,
        Availability::Busy => 3,
        Availability::Available => 2,
        Availability::Away | Availability::BeRightBack => 1,
        _ => 0,
    }
}

impl User {
    fn aggregate(&self, now: DateTime<Utc>) -> (Availability, Activity) {
        let mut sessions: Vec<(Availability, Activity)> = self.client.iter().cloned().collect();
        if let Some((intent, expires)) = self.ours
            && expires > now
        {
            sessions.push((intent.availability(), intent.activity()));
        }
        match (&self.preferred, sessions.is_empty()) {
            (_, true) => (Availability::Offline, Activity::Offline),
            (Some(p), false) => p.clone(),
            (None, false) => sessions.into_iter().max_by_key(|(a, _)| rank(a)).unwrap(),
        }
    }
}

impl Fake {
    fn with_users(n: usize) -> Fake {
        let users = (0..n)
            .map(|i| User {
                login: format!("user{i}"),
                teams_id: format!("00000000-0000-4000-8000-{i:012}"),
                cloudlink_id: format!("cl-{i}"),
                extension: format!("{}", 1000 + i),
                enabled: true,
                client: Some((Availability::Available, Activity::Available)),
                preferred: None,
                phone: PhoneState {
                    call: CallState::Idle,
                    dnd: false,
                    device: DeviceType::DeskPhone,
                    acd_hotdesk: false,
                },
                ours: None,
                presentity: Presentity {
                    status: Some("Available".into()),
                    activity: Some("Available".into()),
                    version: "v0".into(),
                    source: Some("micollab".into()),
                },
                versions: 0,
            })
            .collect();
        Fake(Mutex::new(World {
            users,
            now: Some(t0()),
            ..Default::default()
        }))
    }

    fn mappings(&self) -> Vec<Mapping> {
        let world = self.0.lock().unwrap();
        world
            .users
            .iter()
            .map(|u| Mapping {
                micollab_login: u.login.clone(),
                teams_upn: format!("{}@contoso.com", u.login),
                teams_id: Some(u.teams_id.clone()),
                extension: u.extension.clone(),
                cloudlink_user_id: Some(u.cloudlink_id.clone()),
                verified: true,
                created_at: t0(),
                updated_at: t0(),
                removed_at: None,
            })
            .collect()
    }

    fn user<R>(&self, i: usize, f: impl FnOnce(&mut User) -> R) -> R {
        f(&mut self.0.lock().unwrap().users[i])
    }

    fn world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.0.lock().unwrap())
    }

    fn writes(&self) -> (u64, u64) {
        self.world(|w| (w.session_writes, w.presentity_writes))
    }

    /// A read of `system`, as slow as the test made it; noted when it answers.
    async fn read_of(&self, system: &'static str) {
        let delay = self.world(|w| w.slow.get(system).copied());
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        self.world(|w| w.answered_at.insert(system, tokio::time::Instant::now()));
    }

    fn note_write(world: &mut World, system: &'static str) {
        world
            .written_at
            .entry(system)
            .or_insert_with(tokio::time::Instant::now);
    }

    fn fail_read(world: &World, system: &'static str) -> Result<(), SourceError> {
        if world.failing_reads.contains(system) {
            Err(SourceError {
                system,
                unavailable: true,
                maybe_applied: false,
                gave_up: false,
                configuration: false,
                message: "connection refused".into(),
            })
        } else {
            Ok(())
        }
    }
}

/// Traffic is not counted in memory.
impl crate::connectors::ports::Port for &Fake {}

impl TeamsPort for &Fake {
    /// Graph's clock is ours once it has answered (as a real client learns from `Date`).
    fn clock_skew(&self) -> Option<chrono::Duration> {
        let world = self.0.lock().unwrap();
        (world.graph_reads > 0).then(chrono::Duration::zero)
    }

    async fn read_presences(&self, ids: &[String]) -> Result<IdMap<TeamsPresence>, SourceError> {
        let mut world = self.0.lock().unwrap();
        Fake::fail_read(&world, "graph")?;
        world.graph_reads += 1;
        world.graph_ids_read.extend(ids.iter().cloned());
        if world
            .failing_graph_id
            .as_ref()
            .is_some_and(|id| ids.contains(id))
        {
            return Err(SourceError::down("graph", "503 Service Unavailable"));
        }
        let now = world.now.unwrap();
        Ok(world
            .users
            .iter()
            .filter(|u| ids.contains(&u.teams_id))
            .map(|u| {
                let (availability, activity) = u.aggregate(now);
                (
                    u.teams_id.clone(),
                    TeamsPresence {
                        availability,
                        activity,
                        sequence_number: None,
                    },
                )
            })
            .collect())
    }

    async fn apply_sessions(&self, changes: &[SessionChange]) -> Vec<Result<(), SourceError>> {
        let mut world = self.0.lock().unwrap();
        Fake::note_write(&mut world, "graph");
        world.pbx_reads_at_first_write = world.pbx_reads_at_first_write.or(Some(world.pbx_reads));
        let now = world.now.unwrap();
        if world.unanswered_session_calls > 0 {
            world.unanswered_session_calls -= 1;
            let unanswered = SourceError {
                system: "graph",
                unavailable: true,
                maybe_applied: true,
                gave_up: false,
                configuration: false,
                message: "timed out".into(),
            };
            return vec![Err(unanswered); changes.len()];
        }
        let failing = world.failing_session_writes.clone();
        let mut results = Vec::new();
        for change in changes {
            let user = world
                .users
                .iter_mut()
                .find(|u| u.teams_id == change.teams_id)
                .unwrap();
            if failing.contains(&user.login) {
                results.push(Err(SourceError {
                    system: "graph",
                    unavailable: world.failing_writes_maybe_applied,
                    maybe_applied: world.failing_writes_maybe_applied,
                    gave_up: false,
                    configuration: false,
                    message: "503 Service Unavailable".into(),
                }));
                continue;
            }
            user.ours = change
                .set
                .map(|(i, ttl)| (i, now + chrono::Duration::from_std(ttl).unwrap()));
            results.push(Ok(()));
        }
        world.session_writes += changes.len() as u64;
        results
    }
}

impl MicollabPort for &Fake {
    async fn teams_flags(&self, _logins: &[String]) -> Result<IdMap<bool>, SourceError> {
        let world = self.0.lock().unwrap();
        Fake::fail_read(&world, "micollab")?;
        Ok(world
            .users
            .iter()
            .map(|u| (u.login.clone(), u.enabled))
            .collect())
    }
}

impl PbxPort for &Fake {
    async fn phone_states(
        &self,
        extensions: &[String],
    ) -> Result<IdMap<Option<PhoneState>>, SourceError> {
        self.read_of("pbx").await;
        let mut world = self.0.lock().unwrap();
        Fake::fail_read(&world, "pbx")?;
        world.pbx_reads += 1;
        Ok(world
            .users
            .iter()
            .filter(|u| extensions.contains(&u.extension))
            .map(|u| (u.extension.clone(), Some(u.phone)))
            .collect())
    }
}

impl CloudlinkPort for &Fake {
    const PER_USER_LOOKUP_MAX: usize = crate::connectors::cloudlink::PER_USER_LOOKUP_MAX;

    async fn principal_ids(&self, ids: &[String]) -> Result<IdMap<String>, SourceError> {
        let world = self.0.lock().unwrap();
        Fake::fail_read(&world, "cloudlink")?;
        Ok(ids
            .iter()
            .map(|id| (id.clone(), format!("p-{id}")))
            .collect())
    }

    async fn principal_directory(&self) -> Result<IdMap<String>, SourceError> {
        let mut world = self.0.lock().unwrap();
        Fake::fail_read(&world, "cloudlink")?;
        world.directory_reads += 1;
        Ok(world
            .users
            .iter()
            .map(|u| (u.cloudlink_id.clone(), format!("p-{}", u.cloudlink_id)))
            .collect())
    }

    async fn presentities(&self, ids: &[String]) -> Result<IdMap<Presentity>, SourceError> {
        self.read_of("cloudlink").await;
        let world = self.0.lock().unwrap();
        Fake::fail_read(&world, "cloudlink")?;
        Ok(world
            .users
            .iter()
            .filter(|u| ids.contains(&format!("p-{}", u.cloudlink_id)))
            .map(|u| (format!("p-{}", u.cloudlink_id), u.presentity.clone()))
            .collect())
    }

    async fn write_presentities(
        &self,
        writes: &[PresentityWrite],
    ) -> Vec<Result<String, WriteFailure>> {
        let mut world = self.0.lock().unwrap();
        Fake::note_write(&mut world, "cloudlink");
        world.presentity_writes += writes.len() as u64;
        writes
            .iter()
            .map(|w| {
                let user = world
                    .users
                    .iter_mut()
                    .find(|u| format!("p-{}", u.cloudlink_id) == w.principal_id)
                    .unwrap();
                if user.presentity.version != w.expected_version {
                    return Err(WriteFailure::Conflict);
                }
                user.versions += 1;
                user.presentity = Presentity {
                    status: Some(w.status.name().into()),
                    activity: Some(w.activity.clone()),
                    version: format!("v{}", user.versions),
                    source: Some(WRITER.into()),
                };
                Ok(user.presentity.version.clone())
            })
            .collect()
    }
}

fn settings() -> CycleSettings {
    CycleSettings {
        policy: Policy {
            session_ttl: Duration::from_secs(900),
            direction: SyncDirection::Both,
        },
        max_changes: 500,
        force: false,
        dry_run: false,
        users_per_slice: 3,
        writes_per_chunk: 4,
        lease: None,
        hold_over_guard: false,
        down: Default::default(),
        flags_kept_for: None,
        progress: None,
        only: None,
        seen: None,
        presences: None,
    }
}

struct Rig {
    fake: Fake,
    store: Store,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// As if a run had journaled a session write for user0 (set `intent`, or clear) and
    /// died before recording its outcome.
    fn journal_unsent(&mut self, intent: Option<SessionIntent>) {
        self.journal_unsent_for(0, intent);
    }

    fn journal_unsent_for(&mut self, user: usize, intent: Option<SessionIntent>) {
        let teams_id = format!("00000000-0000-4000-8000-{user:012}");
        let (action, payload) = match intent {
            Some(i) => (
                "set_session",
                serde_json::json!({"teams_id": teams_id, "session": i.label(), "ttl_s": 900}),
            ),
            None => ("clear_session", serde_json::json!({"teams_id": teams_id})),
        };
        self.store
            .journal_intend_many(
                None,
                &[crate::store::Intent::new(
                    format!("user{user}"),
                    "graph",
                    action,
                    payload,
                )],
            )
            .unwrap();
    }

    fn new(users: usize) -> Rig {
        let fake = Fake::with_users(users);
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("state.db"), None).unwrap();
        store.upsert_mappings(&fake.mappings(), None).unwrap();
        Rig {
            fake,
            store,
            _dir: dir,
        }
    }

    fn cycle_with(&mut self, settings: &CycleSettings) -> CycleReport {
        let now = self.fake.world(|w| w.now.unwrap());
        let systems = Systems {
            teams: &self.fake,
            micollab: &self.fake,
            pbx: &self.fake,
            cloudlink: &self.fake,
        };
        // On a paused clock: a slow system's answer comes at once, at its virtual time.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        let report = runtime
            .block_on(run_cycle(
                &mut self.store,
                &systems,
                settings,
                None,
                None,
                now,
            ))
            .unwrap();
        self.fake
            .world(|w| w.now = Some(now + chrono::Duration::seconds(15)));
        report
    }

    fn cycle(&mut self) -> CycleReport {
        self.cycle_with(&settings())
    }

    fn shown(&self, i: usize) -> String {
        self.fake.user(i, |u| u.presentity.status.clone().unwrap())
    }
}

mod cycle;
mod recovery;
mod rollout;
