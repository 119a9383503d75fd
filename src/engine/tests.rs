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
    /// Graph presence reads so far.
    graph_reads: u64,
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
    async fn read_presences(&self, ids: &[String]) -> Result<IdMap<TeamsPresence>, SourceError> {
        let mut world = self.0.lock().unwrap();
        Fake::fail_read(&world, "graph")?;
        world.graph_reads += 1;
        if world
            .failing_graph_id
            .as_ref()
            .is_some_and(|id| ids.contains(id))
        {
            return Err(SourceError {
                system: "graph",
                unavailable: true,
                maybe_applied: false,
                gave_up: false,
                configuration: false,
                message: "503 Service Unavailable".into(),
            });
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
    async fn phone_states(&self, extensions: &[String]) -> Result<IdMap<PhoneState>, SourceError> {
        self.read_of("pbx").await;
        let mut world = self.0.lock().unwrap();
        Fake::fail_read(&world, "pbx")?;
        world.pbx_reads += 1;
        Ok(world
            .users
            .iter()
            .filter(|u| extensions.contains(&u.extension))
            .map(|u| (u.extension.clone(), u.phone))
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
            .block_on(run_cycle(&mut self.store, &systems, settings, None, now))
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

#[test]
fn a_phone_call_reaches_micollab_through_teams_then_all_is_quiet() {
    let mut rig = Rig::new(3);
    rig.fake.user(1, |u| u.phone.call = CallState::Busy);
    let first = rig.cycle();
    assert_eq!(first.planned.pbx_to_teams, 1);
    assert_eq!(first.applied.pbx_to_teams, 1);
    // The Teams pipeline sees mcteams' session in the same cycle if it reads the presence
    // after the phone pipeline wrote it, else in the next.
    let second = rig.cycle();
    let echoed = first.applied.teams_to_micollab + second.applied.teams_to_micollab;
    assert_eq!(echoed, 1);
    assert_eq!(rig.shown(1), "In a call");
    let writes = rig.fake.writes();
    for _ in 0..5 {
        let idle = rig.cycle();
        assert_eq!(idle.planned.total(), 0, "{:?}", idle.plan);
    }
    assert_eq!(
        rig.fake.writes(),
        writes,
        "five idle cycles make zero writes"
    );
    // Hung up: the session goes, MiCollab follows.
    rig.fake.user(1, |u| u.phone.call = CallState::Idle);
    rig.cycle();
    rig.cycle();
    assert_eq!(rig.shown(1), "Available");
    assert!(rig.fake.user(1, |u| u.ours.is_none()));
}

#[test]
fn dry_run_plans_and_writes_nothing() {
    // Seven users, three per slice: the five without writes would be stored slice by slice
    // in a real run.
    let mut rig = Rig::new(7);
    rig.fake.user(0, |u| u.phone.dnd = true);
    rig.fake.user(1, |u| {
        u.preferred = Some((Availability::DoNotDisturb, Activity::DoNotDisturb))
    });
    let report = rig.cycle_with(&CycleSettings {
        dry_run: true,
        ..settings()
    });
    assert_eq!(report.plan.len(), 2);
    assert_eq!(rig.fake.writes(), (0, 0));
    assert!(rig.store.sync_records().unwrap().is_empty());
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

#[test]
fn the_mass_change_guard_applies_nothing_unless_forced() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let guarded = CycleSettings {
        max_changes: 3,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, Some((4, 3)));
    assert_eq!(rig.fake.writes(), (0, 0));
    let report = rig.cycle_with(&CycleSettings {
        force: true,
        ..guarded
    });
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.applied.pbx_to_teams, 4);
}

#[test]
fn an_unreadable_system_changes_nothing_that_depends_on_it() {
    let mut rig = Rig::new(2);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.fake
        .user(1, |u| u.client = Some((Availability::Away, Activity::Away)));
    rig.fake.world(|w| {
        w.failing_reads.insert("pbx");
    });
    let report = rig.cycle();
    assert_eq!(report.unavailable().unwrap().system, "pbx");
    assert_eq!(report.applied.pbx_to_teams, 0);
    assert_eq!(
        report.applied.teams_to_micollab, 1,
        "Teams -> MiCollab goes on"
    );
    assert_eq!(rig.shown(1), "Away");
    // MiCollab unreadable: the flags are unknown, so nobody is touched at all.
    rig.fake.world(|w| {
        w.failing_reads.clear();
        w.failing_reads.insert("micollab");
    });
    let report = rig.cycle();
    assert_eq!(report.planned.total(), 0);
    // Back: converges.
    rig.fake.world(|w| w.failing_reads.clear());
    rig.cycle();
    rig.cycle();
    assert_eq!(rig.shown(0), "In a call");
}

#[test]
fn slicing_changes_nothing_but_how_much_is_held_at_once() {
    // The same changes, decided a slice at a time of every size: the same plan, the same
    // systems and the same records.
    let outcome = |users_per_slice: usize| {
        let mut rig = Rig::new(7);
        rig.fake.user(0, |u| u.phone.call = CallState::Busy);
        rig.fake.user(3, |u| u.phone.dnd = true);
        rig.fake
            .user(4, |u| u.client = Some((Availability::Away, Activity::Away)));
        rig.fake.user(6, |u| u.enabled = false);
        let settings = CycleSettings {
            users_per_slice,
            ..settings()
        };
        let dry_run = CycleSettings {
            dry_run: true,
            ..settings.clone()
        };
        // The first plan as a dry run shows it, then three cycles; the last has nothing
        // left to do. (What the cycles between plan depends on whether the Teams pipeline
        // read a presence before or after the phone pipeline wrote its session.)
        let first_plan = format!("{:?}", rig.cycle_with(&dry_run).plan);
        for _ in 0..3 {
            rig.cycle_with(&settings);
        }
        let plans = vec![first_plan, format!("{:?}", rig.cycle_with(&dry_run).plan)];
        let shown: Vec<String> = (0..7).map(|i| rig.shown(i)).collect();
        let sessions: Vec<_> = (0..7).map(|i| rig.fake.user(i, |u| u.ours)).collect();
        let records: Vec<_> = rig
            .store
            .sync_records()
            .unwrap()
            .into_iter()
            .map(|r| (r.micollab_login, r.graph_session, r.cloudlink_status))
            .collect();
        (plans, shown, sessions, records)
    };
    let whole = outcome(100);
    assert!(whole.0[0].contains("SetSession"), "{:?}", whole.0);
    for users_per_slice in [1, 2, 3, 7] {
        assert_eq!(
            outcome(users_per_slice),
            whole,
            "{users_per_slice} per slice"
        );
    }
}

#[test]
fn many_principal_ids_to_resolve_take_one_pass_over_cloudlinks_directory_per_cycle() {
    // A first sync: 80 users without principal ids, 40 per slice, so each slice has more
    // to resolve than are worth looking up one at a time.
    let mut rig = Rig::new(80);
    rig.fake.user(5, |u| u.phone.dnd = true);
    let by_forty = CycleSettings {
        users_per_slice: 40,
        ..settings()
    };
    let first = rig.cycle_with(&by_forty);
    assert!(first.read_errors.is_empty(), "{:?}", first.read_errors);
    assert_eq!(
        rig.fake.world(|w| w.directory_reads),
        1,
        "one pass, not one a slice"
    );
    assert_eq!(rig.store.cloudlink_principals().unwrap().len(), 80);
    assert_eq!(first.applied.pbx_to_teams, 1);
    // Resolved ids are kept: the next cycles resolve nothing, and the DND reaches MiCollab.
    rig.cycle_with(&by_forty);
    rig.cycle_with(&by_forty);
    assert_eq!(rig.fake.world(|w| w.directory_reads), 1);
    assert_eq!(rig.shown(5), "Presenting");
    // Each record carries its user's principal id, which the next cycles read with it.
    let records = rig.store.sync_records().unwrap();
    let principals = rig.store.cloudlink_principals().unwrap();
    assert_eq!(records.len(), 80);
    for record in &records {
        let principal = record.cloudlink_principal_id.as_deref();
        assert!(principal.is_some(), "{}", record.micollab_login);
        assert!(principals.values().any(|p| Some(p.as_str()) == principal));
    }

    // A few to resolve are looked up one at a time.
    let mut rig = Rig::new(7);
    rig.cycle_with(&CycleSettings {
        users_per_slice: 3,
        ..settings()
    });
    assert_eq!(rig.fake.world(|w| w.directory_reads), 0);
    assert_eq!(rig.store.cloudlink_principals().unwrap().len(), 7);
}

#[test]
fn a_cloudlink_directory_that_cannot_be_read_is_one_error_and_the_other_sides_still_sync() {
    let mut rig = Rig::new(80);
    rig.fake.user(5, |u| u.phone.dnd = true);
    rig.fake.world(|w| {
        w.failing_reads.insert("cloudlink");
    });
    let report = rig.cycle_with(&CycleSettings {
        users_per_slice: 40,
        ..settings()
    });
    assert_eq!(report.errors_by_system.get("cloudlink"), Some(&1));
    assert_eq!(
        report.applied.pbx_to_teams, 1,
        "the phone still reaches Teams"
    );
    assert!(rig.store.cloudlink_principals().unwrap().is_empty());
}

#[test]
fn a_forced_mass_change_is_applied_as_it_is_decided_with_the_same_outcome() {
    // Every phone on DND: 21 session writes, far past the guard. Forced, the writes go out
    // four at a time while later slices are still being read; the outcome is the same as
    // holding them all to the end.
    let outcome = |writes_per_chunk: usize| {
        let mut rig = Rig::new(21);
        for i in 0..21 {
            rig.fake.user(i, |u| u.phone.dnd = true);
        }
        let forced = CycleSettings {
            force: true,
            writes_per_chunk,
            ..settings()
        };
        let report = rig.cycle_with(&forced);
        assert_eq!(report.guard_tripped, None);
        assert_eq!(report.applied.pbx_to_teams, 21);
        assert_eq!(report.failed_users, 0);
        assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
        let records: Vec<_> = rig
            .store
            .sync_records()
            .unwrap()
            .into_iter()
            .map(|r| (r.micollab_login, r.graph_session))
            .collect();
        let first_write = rig.fake.world(|w| w.pbx_reads_at_first_write);
        (records, first_write)
    };
    let (held, first_write) = outcome(1_000);
    assert_eq!(held.len(), 21);
    assert_eq!(
        first_write,
        Some(7),
        "held: written after all 7 slices were read"
    );
    let (streamed, first_write) = outcome(4);
    assert_eq!(streamed, held);
    assert!(
        first_write < Some(7),
        "streamed: written after {first_write:?} reads"
    );
}

#[test]
fn a_cycle_its_guard_stops_still_counts_every_change_and_writes_nothing() {
    let mut rig = Rig::new(21);
    for i in 0..21 {
        rig.fake.user(i, |u| u.phone.dnd = true);
    }
    let report = rig.cycle_with(&CycleSettings {
        max_changes: 5,
        ..settings()
    });
    assert_eq!(report.guard_tripped, Some((21, 5)));
    assert_eq!(rig.fake.writes(), (0, 0));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

#[test]
fn a_read_failing_for_one_slice_leaves_only_that_slices_users_alone() {
    let mut rig = Rig::new(6);
    for i in [0, 4] {
        rig.fake
            .user(i, |u| u.client = Some((Availability::Away, Activity::Away)));
    }
    let failing = rig.fake.user(4, |u| u.teams_id.clone());
    rig.fake.world(|w| w.failing_graph_id = Some(failing));
    let report = rig.cycle(); // three per slice: users 3..6 are one slice
    assert_eq!(report.unavailable().unwrap().system, "graph");
    assert_eq!(report.errors_by_system.get("graph"), Some(&1));
    assert_eq!(rig.shown(0), "Away", "the other slices go on");
    assert_eq!(rig.shown(4), "Available", "unknown is left alone");
    rig.fake.world(|w| w.failing_graph_id = None);
    rig.cycle();
    assert_eq!(rig.shown(4), "Away");
}

#[test]
fn a_system_down_for_every_slice_is_one_error_of_the_cycle() {
    let mut rig = Rig::new(7);
    rig.fake.world(|w| {
        w.failing_reads.insert("pbx");
    });
    let report = rig.cycle(); // three slices
    assert_eq!(report.errors_by_system.get("pbx"), Some(&1));
    assert_eq!(report.read_errors.len(), 1);
}

#[test]
fn one_users_failure_never_fails_the_others() {
    let mut rig = Rig::new(3);
    for i in 0..3 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.fake.world(|w| {
        w.failing_session_writes.insert("user1".into());
    });
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 2);
    assert_eq!(report.failed_users, 1);
    assert_eq!(report.user_errors[0].0, "user1");
    let record = rig.store.sync_record("user1").unwrap().unwrap();
    assert!(
        record.graph_session.is_none(),
        "a failed write is not recorded as done"
    );
    assert!(record.last_error.unwrap().contains("503"));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
    // The next cycle retries it.
    rig.fake.world(|w| w.failing_session_writes.clear());
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(report.failed_users, 0);
}

#[test]
fn a_crash_between_write_and_record_is_settled_on_the_next_run() {
    let mut rig = Rig::new(1);
    // A run sent a session write and died before recording it: Teams holds the session,
    // the record does not know it.
    rig.journal_unsent(Some(SessionIntent::InACall));
    let now = rig.fake.world(|w| w.now.unwrap());
    rig.fake.user(0, |u| {
        u.ours = Some((SessionIntent::InACall, now + chrono::Duration::seconds(900)))
    });
    // The phone is idle by now: the entry is sent again (so the record knows the session),
    // and the cycle clears it.
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 1);
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(rig.fake.world(|w| w.session_writes), 2);
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

/// The case the old settle got wrong: a run killed after journaling a session write that
/// never reached Graph. Recording it as held would leave Teams without the call for a whole
/// session lifetime, with `report` saying in_sync.
#[test]
fn a_journaled_session_that_never_reached_graph_is_sent_not_assumed() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.journal_unsent(Some(SessionIntent::InACall));
    assert!(
        rig.fake.user(0, |u| u.ours.is_none()),
        "it never reached Graph"
    );
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 1);
    assert!(
        rig.fake.user(0, |u| u.ours.map(|(i, _)| i)) == Some(SessionIntent::InACall),
        "the call shows in Teams"
    );
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
    // And nothing more to do: the record now holds what Graph holds.
    let report = rig.cycle();
    assert_eq!(report.planned.total(), 0);
}

/// Graph does not answer the re-send: the entry stays open, and the user's session counts
/// as unknown, so the next cycle writes what the phone needs whatever the record says.
#[test]
fn an_entry_graph_does_not_answer_stays_open_and_the_session_counts_as_unknown() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_some()));
    // A run journaled a clear and died; Teams lost the session some other way meanwhile.
    rig.journal_unsent(None);
    rig.fake.user(0, |u| u.ours = None);
    rig.fake.world(|w| {
        w.failing_session_writes.insert("user0".to_string());
        w.failing_writes_maybe_applied = true;
    });
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 0);
    assert_eq!(
        rig.store.journal_unconfirmed().unwrap().len(),
        2,
        "both open"
    );
    // Graph answers again: the phone's call is written although the record held it.
    rig.fake.world(|w| w.failing_session_writes.clear());
    let report = rig.cycle();
    assert!(report.settled_journal_entries >= 1);
    assert!(rig.fake.user(0, |u| u.ours.map(|(i, _)| i)) == Some(SessionIntent::InACall));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

#[test]
fn a_removed_mapping_clears_its_session_then_goes() {
    let mut rig = Rig::new(2);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_some()));
    let outcome = rig.store.remove_mappings(&["user0".into()], None).unwrap();
    assert_eq!(outcome, vec![crate::store::RemoveOutcome::Tombstoned]);
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.store.find_mapping("user0").unwrap().is_none());
    assert!(rig.store.sync_record("user0").unwrap().is_none());
}

#[test]
fn flag_off_clears_the_session_and_stops_writing() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.cycle();
    rig.cycle();
    assert_eq!(rig.shown(0), "In a call");
    rig.fake.user(0, |u| {
        u.enabled = false;
        u.client = Some((Availability::Away, Activity::Away));
    });
    rig.cycle();
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    rig.cycle();
    assert_eq!(
        rig.shown(0),
        "In a call",
        "no presentity writes while the flag is off"
    );
}

#[test]
fn a_long_call_outlives_many_session_lifetimes() {
    let mut rig = Rig::new(1);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    // 15 s per cycle for two hours: eight session lifetimes.
    let mut refreshes = 0;
    for _ in 0..480 {
        refreshes += rig.cycle().refreshes;
        let now = rig.fake.world(|w| w.now.unwrap());
        let held = rig.fake.user(0, |u| u.ours.is_some_and(|(_, e)| e > now));
        assert!(held, "the session lapsed during the call");
    }
    assert_eq!(rig.shown(0), "In a call");
    // Refreshed at the first cycle with less than a fifth (3 min) left: 12 min 15 s after
    // the write (49 cycles of 15 s), so 9 times in 480 cycles.
    assert_eq!(refreshes, 480 / 49);
}

#[test]
fn acd_hotdesk_softphone_calls_are_not_pushed() {
    let mut rig = Rig::new(2);
    rig.fake.user(0, |u| {
        u.phone.call = CallState::Busy;
        u.phone.acd_hotdesk = true;
        u.phone.device = DeviceType::Softphone;
    });
    rig.fake.user(1, |u| {
        u.phone.call = CallState::Busy;
        u.phone.acd_hotdesk = true;
    });
    let report = rig.cycle();
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(report.notes.get("acd_hotdesk_unsynced"), Some(&1));
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.fake.user(1, |u| u.ours.is_some()));
    let _ = MiCollabStatus::Available;
}

#[test]
fn release_clears_every_session_mcteams_holds() {
    let mut rig = Rig::new(3);
    rig.fake.user(0, |u| u.phone.call = CallState::Busy);
    rig.fake.user(2, |u| u.phone.dnd = true);
    rig.cycle();
    let held = release::held_sessions(&rig.store).unwrap();
    let logins: Vec<_> = held.iter().map(|h| h.micollab_login.as_str()).collect();
    assert_eq!(logins, vec!["user0", "user2"]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let outcomes = runtime
        .block_on(release::release_sessions(
            &mut rig.store,
            &&rig.fake,
            &held,
            None,
        ))
        .unwrap();
    assert!(outcomes.iter().all(Result::is_ok));
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.fake.user(2, |u| u.ours.is_none()));
    assert!(release::held_sessions(&rig.store).unwrap().is_empty());
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

fn logins(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|i| format!("user{i}")).collect()
}

#[test]
fn users_an_admin_turned_on_are_onboarded_without_counting_against_the_guard() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.store
        .mark_onboarding(None, &logins(0..4), "profile enable Sales")
        .unwrap();
    let guarded = CycleSettings {
        max_changes: 1,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.unexpected_changes, 0);
    assert!(report.expected_changes >= 4, "{report:?}");
    assert_eq!(report.applied.pbx_to_teams, 4);
    let now = rig.fake.world(|w| w.now.unwrap());
    assert!(rig.store.onboarding(now).unwrap().is_empty(), "onboarded");
    // The calls reach MiCollab through Teams (with the first cycle, or this one).
    rig.cycle();
    assert_eq!(
        (0..4).map(|i| rig.shown(i)).collect::<Vec<_>>(),
        ["In a call"; 4]
    );
    // Onboarded: the next mass change is unexpected again, and stops that direction.
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Idle);
    }
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, Some((4, 1)), "four sessions to clear");
    assert_eq!(report.applied.pbx_to_teams, 0);
}

/// A slow system holds up only the direction that reads it: each direction's write goes out
/// before the other direction's slow read has answered, in the same cycle.
#[test]
fn a_slow_system_holds_up_only_the_direction_that_needs_it() {
    for (slow, written, other) in [
        ("pbx", "cloudlink", "graph"),
        ("cloudlink", "graph", "cloudlink"),
    ] {
        let mut rig = Rig::new(3);
        rig.cycle();
        rig.fake.user(0, |u| u.phone.call = CallState::Busy);
        rig.fake
            .user(1, |u| u.client = Some((Availability::Away, Activity::Away)));
        rig.fake.world(|w| {
            w.slow.insert(slow, Duration::from_secs(60));
            w.written_at.clear();
        });
        let report = rig.cycle();
        assert_eq!(report.applied.pbx_to_teams, 1, "slow {slow}");
        // Two when the Teams pipeline saw the new call's session already.
        assert!(report.applied.teams_to_micollab >= 1, "slow {slow}");
        assert_eq!(rig.shown(1), "Away", "slow {slow}");
        let (written_at, answered_at) = rig.fake.world(|w| {
            (
                w.written_at.get(written).copied(),
                w.answered_at.get(slow).copied(),
            )
        });
        assert!(
            written_at.unwrap() < answered_at.unwrap(),
            "slow {slow}: {written} written before {slow} answered"
        );
        // And the slow direction wrote too, once its system answered.
        let wrote_after = rig.fake.world(|w| w.written_at.get(other).copied());
        assert!(wrote_after.is_some(), "slow {slow}");
    }
}

#[test]
fn the_guard_stops_only_the_direction_past_it() {
    // Three calls (three sessions to set) past a guard of two, and one Teams change below it.
    let mut rig = Rig::new(5);
    rig.cycle();
    for i in 0..3 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.fake
        .user(4, |u| u.client = Some((Availability::Away, Activity::Away)));
    let guarded = CycleSettings {
        max_changes: 2,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, Some((3, 2)));
    assert_eq!(
        report.applied.pbx_to_teams, 0,
        "the phone direction stopped"
    );
    assert_eq!(
        report.applied.teams_to_micollab, 1,
        "Teams -> MiCollab went on"
    );
    assert_eq!(rig.shown(4), "Away");
    assert_eq!(rig.fake.user(0, |u| u.ours), None);
    // Forced, the held-back direction goes out too.
    let forced = CycleSettings {
        force: true,
        ..guarded
    };
    let report = rig.cycle_with(&forced);
    assert_eq!(report.applied.pbx_to_teams, 3);
}

#[test]
fn past_the_guard_a_watch_holds_the_unexpected_changes_until_approved() {
    let mut rig = Rig::new(6);
    rig.cycle();
    for i in 0..6 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    rig.store
        .mark_onboarding(None, &logins(5..6), "user enable")
        .unwrap();
    let watch = CycleSettings {
        max_changes: 2,
        hold_over_guard: true,
        ..settings()
    };
    let report = rig.cycle_with(&watch);
    assert_eq!(report.guard_tripped, Some((5, 2)));
    let held = report.held_plan.expect("a held plan");
    assert_eq!(held.users, 5);
    assert_eq!(report.applied.pbx_to_teams, 1, "the onboarded user goes on");
    assert!(rig.fake.user(5, |u| u.ours.is_some()));
    assert!(rig.fake.user(0, |u| u.ours.is_none()), "held");
    let plan = rig.store.current_plan().unwrap().unwrap();
    assert_eq!(plan.users, logins(0..5));
    // The next cycle holds the same plan (updated), still without writing.
    let report = rig.cycle_with(&watch);
    assert_eq!(report.held_plan.map(|p| p.id), Some(held.id));
    assert_eq!(report.applied.pbx_to_teams, 0);
    // Approved: the next cycle applies those users' current changes.
    rig.store.approve_plan(held.id, None).unwrap();
    let report = rig.cycle_with(&watch);
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.approved_plan_applied, Some(held.id));
    assert_eq!(report.applied.pbx_to_teams, 5);
    assert_eq!(
        rig.store.plan(held.id).unwrap().unwrap().state,
        crate::store::PlanState::Applied
    );
    assert!(rig.store.current_plan().unwrap().is_none());
}

/// An entry whose session has expired by now is closed, not sent again: re-sending it would
/// show a call that ended long ago for a whole new lifetime.
#[test]
fn an_entry_whose_session_has_expired_is_closed_not_sent_again() {
    let mut rig = Rig::new(1);
    rig.journal_unsent(Some(SessionIntent::InACall));
    rig.fake
        .world(|w| w.now = Some(chrono::Utc::now() + chrono::Duration::hours(1)));
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 1);
    assert_eq!(rig.fake.world(|w| w.session_writes), 0);
    assert!(rig.fake.user(0, |u| u.ours.is_none()));
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

/// A kill can leave many users' sessions unknown; rewriting them is mcteams repairing its
/// own writes, which the mass-change guard neither counts nor holds.
#[test]
fn rewrites_of_sessions_a_kill_left_unknown_pass_the_guard() {
    let mut rig = Rig::new(4);
    for i in 0..4 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    // The calls reach Teams, then MiCollab follows Teams: all in sync.
    rig.cycle();
    rig.cycle();
    // A run journaled four clears and was killed; settle's re-send gets no answer.
    for i in 0..4 {
        rig.journal_unsent_for(i, None);
    }
    rig.fake.world(|w| w.unanswered_session_calls = 1);
    // One of them also picks a status in Teams: that change is counted as usual.
    rig.fake.user(0, |u| {
        u.preferred = Some((Availability::Away, Activity::Away))
    });
    let guarded = CycleSettings {
        max_changes: 1,
        ..settings()
    };
    let report = rig.cycle_with(&guarded);
    assert_eq!(report.guard_tripped, None, "{report:?}");
    assert_eq!(report.unexpected_changes, 1, "{report:?}");
    assert_eq!(report.applied.pbx_to_teams, 4);
    assert_eq!(report.applied.teams_to_micollab, 1);
    for i in 0..4 {
        assert_eq!(
            rig.fake.user(i, |u| u.ours.map(|(intent, _)| intent)),
            Some(SessionIntent::InACall)
        );
    }
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
}

/// An approved plan is applied once its users' writes landed: one that failed keeps the
/// plan approved, and the next cycle goes on with it.
#[test]
fn an_approved_plan_stays_approved_until_its_writes_land() {
    let mut rig = Rig::new(3);
    rig.cycle();
    for i in 0..3 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let watch = CycleSettings {
        max_changes: 1,
        hold_over_guard: true,
        ..settings()
    };
    let held = rig.cycle_with(&watch).held_plan.expect("held");
    rig.store.approve_plan(held.id, None).unwrap();
    rig.fake
        .world(|w| w.failing_session_writes.insert("user1".into()));
    let report = rig.cycle_with(&watch);
    assert_eq!(report.approved_plan_applied, None);
    assert_eq!(report.applied.pbx_to_teams, 2);
    let state = |rig: &Rig| rig.store.plan(held.id).unwrap().unwrap().state;
    assert_eq!(state(&rig), crate::store::PlanState::Approved);
    rig.fake.world(|w| w.failing_session_writes.clear());
    let report = rig.cycle_with(&watch);
    assert_eq!(report.guard_tripped, None);
    assert_eq!(report.approved_plan_applied, Some(held.id));
    assert_eq!(report.applied.pbx_to_teams, 1);
    assert_eq!(state(&rig), crate::store::PlanState::Applied);
}

/// An entry of a forgotten user is settled, but brings no record back for it.
#[test]
fn settling_brings_no_record_back_for_a_forgotten_user() {
    let mut rig = Rig::new(2);
    // The write landed (read back as mcteams' own), for user0 and for a login since forgotten.
    rig.fake.user(0, |u| {
        u.presentity = Presentity {
            status: Some("Busy".into()),
            activity: Some(String::new()),
            version: "v9".into(),
            source: Some(WRITER.into()),
        }
    });
    let write = |login: &str| {
        crate::store::Intent::new(
            login.to_string(),
            "cloudlink",
            "write_presentity",
            serde_json::json!({"principal_id": "p-cl-0", "status": "Busy", "activity": ""}),
        )
    };
    let ids = rig
        .store
        .journal_intend_many(None, &[write("user0"), write("user0"), write("gone")])
        .unwrap();
    rig.store
        .finish_cycle(None, &[], &[(ids[1], "applied".to_string())], &[], None)
        .unwrap();
    let report = rig.cycle();
    assert_eq!(report.settled_journal_entries, 2, "{report:?}");
    assert!(rig.store.journal_unconfirmed().unwrap().is_empty());
    assert_eq!(rig.store.sync_record("gone").unwrap(), None);
    assert!(rig.store.sync_record("user0").unwrap().is_some());
}

/// Counts what a cycle reports as it goes.
#[derive(Default)]
struct Counted {
    steps: std::sync::atomic::AtomicU64,
    stages: Mutex<Vec<(u64, String)>>,
}

impl crate::progress::Progress for Counted {
    fn advance(&self, n: u64) {
        self.steps.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
    }
    fn set_stage(&self, _stage: &str) {}
    fn restart(&self, total: u64, stage: &str) {
        self.steps.store(0, std::sync::atomic::Ordering::SeqCst);
        self.stages.lock().unwrap().push((total, stage.to_string()));
    }
    fn add_to_stage(&self, more: u64, stage: &str) {
        let mut stages = self.stages.lock().unwrap();
        match stages.last_mut() {
            Some((total, last)) if last == stage => *total += more,
            _ => {
                self.steps.store(0, std::sync::atomic::Ordering::SeqCst);
                stages.push((more, stage.to_string()));
            }
        }
    }
    fn finish(&self) {}
}

/// The progress moves while the work happens: slice by slice as users are decided, then
/// chunk by chunk as the writes are answered.
#[test]
fn a_cycle_advances_its_progress_as_users_are_decided_then_writes_are_answered() {
    let mut rig = Rig::new(7);
    for i in 0..5 {
        rig.fake.user(i, |u| u.phone.call = CallState::Busy);
    }
    let counted = std::sync::Arc::new(Counted::default());
    let with_progress = CycleSettings {
        progress: Some(crate::progress::Shared(counted.clone())),
        ..settings()
    };
    let report = rig.cycle_with(&with_progress);
    let writes = report.applied.pbx_to_teams + report.applied.teams_to_micollab;
    assert!(writes >= 5, "{report:?}");
    assert_eq!(
        *counted.stages.lock().unwrap(),
        vec![(writes, "writing".to_string())]
    );
    assert_eq!(
        counted.steps.load(std::sync::atomic::Ordering::SeqCst),
        writes,
        "every write answered"
    );
    // Once in sync (MiCollab follows the calls), the users decided are the whole of it.
    rig.cycle();
    let counted = std::sync::Arc::new(Counted::default());
    let with_progress = CycleSettings {
        progress: Some(crate::progress::Shared(counted.clone())),
        ..settings()
    };
    let report = rig.cycle_with(&with_progress);
    assert_eq!(report.planned.total(), 0, "{report:?}");
    assert_eq!(counted.steps.load(std::sync::atomic::Ordering::SeqCst), 7);
    assert!(counted.stages.lock().unwrap().is_empty());
}
