use super::*;
use crate::presence::{CallState, DeviceType};
use proptest::prelude::*;

const TTL: Duration = Duration::from_secs(15 * 60);

fn policy() -> Policy {
    Policy {
        session_ttl: TTL,
        direction: SyncDirection::Both,
    }
}

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00Z")
        .unwrap()
        .to_utc()
}

fn phone(call: CallState, dnd: bool) -> PhoneState {
    PhoneState {
        call,
        dnd,
        device: DeviceType::DeskPhone,
        acd_hotdesk: false,
    }
}

fn teams(availability: &str, activity: &str) -> TeamsPresence {
    TeamsPresence {
        availability: Availability::parse(availability),
        activity: Activity::parse(activity),
        sequence_number: None,
    }
}

fn presentity(status: &str, activity: &str, version: &str, source: &str) -> Presentity {
    Presentity {
        status: Some(status.into()),
        activity: Some(activity.into()),
        version: version.into(),
        source: Some(source.into()),
    }
}

fn observed(t: TeamsPresence, p: PhoneState, shown: Presentity) -> Observed {
    Observed {
        tombstone: false,
        teams_enabled: Some(true),
        teams: Some(t),
        phone: Some(p),
        presentity: Some(shown),
    }
}

fn write(status: MiCollabStatus, activity: &str, version: &str) -> Action {
    Action::WritePresentity {
        status,
        activity: activity.into(),
        expected_version: version.into(),
    }
}

fn set(intent: SessionIntent) -> Action {
    Action::SetSession {
        intent,
        ttl: TTL,
        refresh: false,
    }
}

fn holding(intent: SessionIntent, expires_in: i64) -> Record {
    Record {
        session: Some(SessionRecord {
            intent,
            written_at: t0() - chrono::Duration::seconds(60),
            expires_at: t0() + chrono::Duration::seconds(expires_in),
        }),
        presentity: None,
        session_unsettled: false,
    }
}

#[test]
fn the_seeds_scenarios() {
    use CallState::*;
    use MiCollabStatus as S;
    use SessionIntent::*;
    let available = presentity("Available", "Available", "v1", WRITER);
    // (name, observed, record, expected actions)
    let cases: Vec<(&str, Observed, Record, Vec<Action>)> = vec![
        (
            "DND chosen in Teams -> MiCollab Do not disturb, phone untouched",
            observed(
                teams("DoNotDisturb", "DoNotDisturb"),
                phone(Idle, false),
                available.clone(),
            ),
            Record::default(),
            vec![write(S::DoNotDisturb, "DoNotDisturb", "v1")],
        ),
        (
            "DND cleared in Teams -> back to Available",
            observed(
                teams("Available", "Available"),
                phone(Idle, false),
                presentity("Do not disturb", "DoNotDisturb", "v2", WRITER),
            ),
            Record::default(),
            vec![write(S::Available, "Available", "v2")],
        ),
        (
            "phone call -> Teams In a call (app session)",
            observed(
                teams("Available", "Available"),
                phone(Busy, false),
                available.clone(),
            ),
            Record::default(),
            vec![set(InACall)],
        ),
        (
            "own session comes back from Graph -> MiCollab In a call, no new session",
            observed(
                teams("Busy", "InACall"),
                phone(Busy, false),
                available.clone(),
            ),
            holding(InACall, 600),
            vec![write(S::InACall, "InACall", "v1")],
        ),
        (
            "hung up -> session cleared",
            observed(
                teams("Busy", "InACall"),
                phone(Idle, false),
                presentity("In a call", "InACall", "v3", WRITER),
            ),
            holding(InACall, 600),
            vec![Action::ClearSession],
        ),
        (
            "phone DND -> Teams DoNotDisturb/Presenting",
            observed(
                teams("Available", "Available"),
                phone(Idle, true),
                available.clone(),
            ),
            Record::default(),
            vec![set(DoNotDisturb)],
        ),
        (
            "phone DND and a call at once -> DND wins",
            observed(
                teams("Available", "Available"),
                phone(Busy, true),
                available.clone(),
            ),
            Record::default(),
            vec![set(DoNotDisturb)],
        ),
        (
            "phone DND session back from Graph -> MiCollab Presenting",
            observed(
                teams("DoNotDisturb", "Presenting"),
                phone(Idle, true),
                available.clone(),
            ),
            holding(DoNotDisturb, 600),
            vec![write(S::Presenting, "Presenting", "v1")],
        ),
        (
            "the seed's conflict: phone DND off, DND chosen in Teams -> left alone, MiCollab DND",
            observed(
                teams("DoNotDisturb", "DoNotDisturb"),
                phone(Idle, false),
                presentity("Do not disturb", "DoNotDisturb", "v4", WRITER),
            ),
            Record::default(),
            vec![],
        ),
        (
            "a status chosen by hand in Teams beats the phone: no fight, MiCollab follows Teams",
            observed(
                teams("Available", "Available"),
                phone(Busy, false),
                available.clone(),
            ),
            holding(InACall, 600),
            vec![],
        ),
        (
            "PresenceUnknown -> MiCollab left as it is",
            observed(
                teams("PresenceUnknown", "PresenceUnknown"),
                phone(Idle, false),
                available.clone(),
            ),
            Record::default(),
            vec![],
        ),
    ];
    for (name, obs, record, want) in cases {
        let decision = reconcile(&obs, &record, &policy(), t0());
        assert_eq!(decision.actions, want, "{name}");
    }
}

#[test]
fn acd_hotdesk_softphone_is_skipped_but_desk_phone_agents_are_synchronized() {
    let mut soft = phone(CallState::Busy, false);
    soft.acd_hotdesk = true;
    soft.device = DeviceType::Softphone;
    let shown = presentity("Available", "Available", "v1", WRITER);
    let d = reconcile(
        &observed(teams("Available", "Available"), soft, shown.clone()),
        &Record::default(),
        &policy(),
        t0(),
    );
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(d.notes, vec![Note::AcdHotdeskUnsynced]);

    let mut desk = soft;
    desk.device = DeviceType::DeskPhone;
    let d = reconcile(
        &observed(teams("Available", "Available"), desk, shown),
        &Record::default(),
        &policy(),
        t0(),
    );
    assert_eq!(d.actions, vec![set(SessionIntent::InACall)]);
}

#[test]
fn sessions_are_refreshed_only_when_a_fifth_is_left() {
    let obs = observed(
        teams("Busy", "InACall"),
        phone(CallState::Busy, false),
        presentity("In a call", "InACall", "v1", WRITER),
    );
    // (seconds left on the session, refresh expected)
    let cases = [
        (600, false),
        (181, false),
        (179, true),
        (1, true),
        (0, true),
        (-30, true),
    ];
    for (left, refresh_due) in cases {
        let d = reconcile(
            &obs,
            &holding(SessionIntent::InACall, left),
            &policy(),
            t0(),
        );
        let refreshed = d.actions.iter().any(|a| {
            matches!(a, Action::SetSession { intent: SessionIntent::InACall, ttl, .. } if *ttl == TTL)
        });
        assert_eq!(refreshed, refresh_due, "{left}s left: {:?}", d.actions);
        if refresh_due {
            let s = d.record.session.unwrap();
            assert_eq!(
                s.expires_at,
                t0() + chrono::Duration::from_std(TTL).unwrap()
            );
        }
    }
}

#[test]
fn flag_off_or_tombstone_clears_the_session_and_stops_writing() {
    let base = observed(
        teams("DoNotDisturb", "DoNotDisturb"),
        phone(CallState::Busy, false),
        presentity("Available", "Available", "v1", WRITER),
    );
    let record = holding(SessionIntent::InACall, 600);

    let mut off = base.clone();
    off.teams_enabled = Some(false);
    let d = reconcile(&off, &record, &policy(), t0());
    assert_eq!(d.actions, vec![Action::ClearSession]);
    assert!(!d.forget);

    let mut gone = base.clone();
    gone.tombstone = true;
    let d = reconcile(&gone, &record, &policy(), t0());
    assert_eq!(d.actions, vec![Action::ClearSession]);
    assert!(d.forget, "record can go once the session is cleared");
    // A tombstone with nothing held is forgotten at once.
    let d = reconcile(&gone, &Record::default(), &policy(), t0());
    assert!(d.actions.is_empty() && d.forget);

    // Flag unknown (MiCollab not read): nothing changes; the session runs out by itself.
    let mut unknown = base;
    unknown.teams_enabled = None;
    assert!(
        reconcile(&unknown, &record, &policy(), t0())
            .actions
            .is_empty()
    );
}

#[test]
fn unread_sides_cause_no_change() {
    let record = holding(SessionIntent::InACall, 600);
    let mut obs = observed(
        teams("Away", "Away"),
        phone(CallState::Idle, false),
        presentity("Available", "Available", "v1", WRITER),
    );
    obs.phone = None;
    obs.presentity = None;
    let d = reconcile(&obs, &record, &policy(), t0());
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(d.record, record);
}

/// The record after mcteams wrote "Away" (version v5) from Teams' Away/Away.
fn wrote_away() -> Record {
    Record {
        session: None,
        presentity: Some(PresentityRecord {
            status: MiCollabStatus::Away,
            activity: "Away".into(),
            version: Some("v5".into()),
            based_on: teams("Away", "Away").key(),
            written_at: t0(),
        }),
        session_unsettled: false,
    }
}

#[test]
fn another_writer_is_reported_not_fought() {
    let record = wrote_away();
    let changed = presentity("Busy", "Busy", "v6", "micollab-admin");
    let d = reconcile(
        &observed(
            teams("Away", "Away"),
            phone(CallState::Idle, false),
            changed.clone(),
        ),
        &record,
        &policy(),
        t0(),
    );
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(
        d.notes,
        vec![Note::ForeignWriter {
            source: "micollab-admin".into(),
            version: "v6".into()
        }]
    );
    // Teams changes: a new intent, written over the foreign value at its current version.
    let d = reconcile(
        &observed(
            teams("Available", "Available"),
            phone(CallState::Idle, false),
            changed,
        ),
        &record,
        &policy(),
        t0(),
    );
    assert_eq!(
        d.actions,
        vec![write(MiCollabStatus::Available, "Available", "v6")]
    );
}

#[test]
fn directions_can_be_synchronized_alone() {
    let obs = observed(
        teams("DoNotDisturb", "DoNotDisturb"),
        phone(CallState::Busy, false),
        presentity("Available", "Available", "v1", WRITER),
    );
    let only = |direction| {
        let p = Policy {
            direction,
            ..policy()
        };
        reconcile(&obs, &Record::default(), &p, t0()).actions
    };
    assert_eq!(
        only(SyncDirection::PbxToTeams),
        vec![set(SessionIntent::InACall)]
    );
    assert_eq!(
        only(SyncDirection::TeamsToMicollab),
        vec![write(MiCollabStatus::DoNotDisturb, "DoNotDisturb", "v1")]
    );
    assert_eq!(only(SyncDirection::Both).len(), 2);
}

// ---- Property tests: a small world where Graph aggregates sessions as documented. ----

#[derive(Debug, Clone)]
enum Event {
    Client(Option<(u8, u8)>),
    Preferred(Option<u8>),
    Phone(CallState, bool),
    Hotdesk(bool, DeviceType),
    Enabled(bool),
    ForeignWrite(u8),
    Tombstone,
}

const CLIENT_STATES: [(&str, &str); 6] = [
    ("Available", "Available"),
    ("Away", "Away"),
    ("Busy", "InAMeeting"),
    ("DoNotDisturb", "Presenting"),
    ("BeRightBack", "BeRightBack"),
    ("Offline", "OffWork"),
];
const PREFERRED: [(&str, &str); 5] = [
    ("Available", "Available"),
    ("Busy", "Busy"),
    ("DoNotDisturb", "DoNotDisturb"),
    ("BeRightBack", "BeRightBack"),
    ("Away", "Away"),
];

fn event() -> impl Strategy<Value = Event> {
    let call = prop_oneof![
        Just(CallState::Idle),
        Just(CallState::Busy),
        Just(CallState::Ringing)
    ];
    let device = prop_oneof![Just(DeviceType::DeskPhone), Just(DeviceType::Softphone)];
    prop_oneof![
        4 => proptest::option::of((0u8..6, 0u8..6)).prop_map(Event::Client),
        2 => proptest::option::of(0u8..5).prop_map(Event::Preferred),
        4 => (call, any::<bool>()).prop_map(|(c, d)| Event::Phone(c, d)),
        1 => (any::<bool>(), device).prop_map(|(a, d)| Event::Hotdesk(a, d)),
        1 => any::<bool>().prop_map(Event::Enabled),
        1 => (0u8..11).prop_map(Event::ForeignWrite),
        1 => Just(Event::Tombstone),
    ]
}

struct World {
    client: Option<(Availability, Activity)>,
    preferred: Option<(Availability, Activity)>,
    phone: PhoneState,
    enabled: bool,
    tombstone: bool,
    ours: Option<(SessionIntent, DateTime<Utc>)>,
    shown: Presentity,
    versions: u64,
    record: Record,
    forgotten: bool,
}

fn rank(a: &Availability) -> u8 {
    match a {
        Availability::DoNotDisturb => 4,
        Availability::Busy | Availability::BusyIdle => 3,
        Availability::Available | Availability::AvailableIdle => 2,
        Availability::Away | Availability::BeRightBack => 1,
        _ => 0,
    }
}

impl World {
    fn new() -> World {
        World {
            client: Some((Availability::Available, Activity::Available)),
            preferred: None,
            phone: phone(CallState::Idle, false),
            enabled: true,
            tombstone: false,
            ours: None,
            shown: presentity("Available", "Available", "v0", "micollab"),
            versions: 0,
            record: Record::default(),
            forgotten: false,
        }
    }

    /// Graph's aggregation: user-preferred above all while a session exists; else the
    /// sessions by DoNotDisturb > Busy > Available > Away; none -> Offline.
    fn aggregate(&self, now: DateTime<Utc>) -> TeamsPresence {
        let mut sessions: Vec<(Availability, Activity)> = self.client.iter().cloned().collect();
        if let Some((intent, expires)) = self.ours
            && expires > now
        {
            sessions.push((intent.availability(), intent.activity()));
        }
        let (availability, activity) = match (&self.preferred, sessions.is_empty()) {
            (Some(p), false) => p.clone(),
            (_, true) => (Availability::Offline, Activity::Offline),
            (None, false) => sessions
                .into_iter()
                .max_by_key(|(a, _)| rank(a))
                .expect("not empty"),
        };
        TeamsPresence {
            availability,
            activity,
            sequence_number: None,
        }
    }

    fn apply_event(&mut self, event: &Event) {
        match event {
            Event::Client(state) => {
                self.client = state.map(|(i, _)| {
                    let (a, b) = CLIENT_STATES[i as usize];
                    (Availability::parse(a), Activity::parse(b))
                })
            }
            Event::Preferred(p) => {
                self.preferred = p.map(|i| {
                    let (a, b) = PREFERRED[i as usize];
                    (Availability::parse(a), Activity::parse(b))
                })
            }
            Event::Phone(call, dnd) => {
                self.phone.call = *call;
                self.phone.dnd = *dnd;
            }
            Event::Hotdesk(acd, device) => {
                self.phone.acd_hotdesk = *acd;
                self.phone.device = *device;
            }
            Event::Enabled(on) => self.enabled = *on,
            Event::ForeignWrite(i) => {
                self.versions += 1;
                let status = MiCollabStatus::ALL[*i as usize];
                self.shown = presentity(
                    status.name(),
                    "Unknown",
                    &format!("v{}", self.versions),
                    "someone-else",
                );
            }
            Event::Tombstone => self.tombstone = true,
        }
    }

    /// One sync cycle: observe, decide, apply the actions as the systems would.
    fn cycle(&mut self, now: DateTime<Utc>) -> Vec<Action> {
        if self.forgotten {
            return Vec::new();
        }
        let observed = Observed {
            tombstone: self.tombstone,
            teams_enabled: Some(self.enabled),
            teams: Some(self.aggregate(now)),
            phone: Some(self.phone),
            presentity: Some(self.shown.clone()),
        };
        let phone_before = self.phone;
        let decision = reconcile(&observed, &self.record, &policy(), now);
        let mut record = decision.record.clone();
        for action in &decision.actions {
            match action {
                Action::SetSession { intent, ttl, .. } => {
                    assert!(
                        self.phone.is_synchronized(),
                        "session set for an ACD hot-desk softphone"
                    );
                    self.ours = Some((*intent, now + chrono::Duration::from_std(*ttl).unwrap()));
                }
                Action::ClearSession => self.ours = None,
                Action::WritePresentity {
                    status,
                    activity,
                    expected_version,
                } => {
                    assert_eq!(*expected_version, self.shown.version, "stale write");
                    self.versions += 1;
                    self.shown = presentity(
                        status.name(),
                        activity,
                        &format!("v{}", self.versions),
                        WRITER,
                    );
                    if let Some(p) = &mut record.presentity {
                        p.version = Some(self.shown.version.clone());
                    }
                }
            }
        }
        assert_eq!(self.phone, phone_before, "the phone is never written");
        self.record = record;
        self.forgotten = decision.forget;
        decision.actions
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Once the inputs stop changing, the state converges within two cycles and stays put
    /// (session refreshes aside): no flip-flopping between values.
    #[test]
    fn converges_within_two_cycles_and_never_oscillates(events in proptest::collection::vec(event(), 1..25)) {
        let mut world = World::new();
        let mut now = t0();
        let step = chrono::Duration::seconds(15);
        for e in &events {
            world.apply_event(e);
            world.cycle(now);
            now += step;
        }
        let mut last_refresh: Option<DateTime<Utc>> = None;
        for quiet in 0..12 {
            let actions = world.cycle(now);
            for action in &actions {
                let is_refresh = matches!(action, Action::SetSession { refresh: true, .. });
                prop_assert!(
                    quiet < 2 || is_refresh,
                    "cycle {} after the last change still acts: {:?}", quiet, actions
                );
                if is_refresh && quiet >= 2 {
                    if let Some(previous) = last_refresh {
                        prop_assert!(now - previous >= chrono::Duration::minutes(12), "refresh too soon");
                    }
                    last_refresh = Some(now);
                }
            }
            now += step;
        }
        // mcteams' own session never outlives the phone state it stands for.
        let wanted = if world.tombstone || !world.enabled || !world.phone.is_synchronized() {
            None
        } else {
            crate::presence::session_intent_for(&world.phone)
        };
        prop_assert_eq!(world.ours.filter(|(_, e)| *e > now).map(|(i, _)| i), wanted);
    }

    /// The MiCollab status always ends where the table maps the Teams aggregate, unless another
    /// writer holds it, Teams says Unknown, or the user is out of scope.
    #[test]
    fn micollab_ends_on_the_mapped_teams_status(events in proptest::collection::vec(event(), 1..25)) {
        let mut world = World::new();
        let mut now = t0();
        for e in &events {
            world.apply_event(e);
            world.cycle(now);
            now += chrono::Duration::seconds(15);
        }
        for _ in 0..3 {
            world.cycle(now);
            now += chrono::Duration::seconds(15);
        }
        let teams = world.aggregate(now);
        let foreign = world.shown.source.as_deref() != Some(WRITER);
        if world.enabled && !world.tombstone && !foreign
            && let Some(status) = micollab_status_for(&teams.availability, &teams.activity)
        {
            prop_assert_eq!(world.shown.status.as_deref(), Some(status.name()));
            prop_assert_eq!(world.shown.activity.clone(), Some(teams.activity.to_string()));
        }
    }
}

/// A rollout that switches Teams off and on again: while the flag is seen off, MiCollab shows
/// the user's own status, and mcteams forgets its write; on again, it takes the presentity back.
#[test]
fn a_disable_and_enable_is_taken_back_not_reported_as_another_writer() {
    let record = wrote_away();
    let restored = presentity("Available", "Available", "v6", "micollab");
    // The flag off, observed: mcteams forgets its write and writes nothing.
    let mut off = observed(
        teams("Away", "Away"),
        phone(CallState::Idle, false),
        restored.clone(),
    );
    off.teams_enabled = Some(false);
    let d = reconcile(&off, &record, &policy(), t0());
    assert!(d.actions.is_empty(), "{:?}", d.actions);
    assert_eq!(d.record.presentity, None);
    // On again: Teams' status is written back.
    let on = observed(
        teams("Away", "Away"),
        phone(CallState::Idle, false),
        restored,
    );
    let back = reconcile(&on, &d.record, &policy(), t0());
    assert_eq!(
        back.actions,
        vec![write(MiCollabStatus::Away, "Away", "v6")]
    );
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    // Without a cycle that saw the flag off, MiCollab's write looks like any other writer's.
    let unseen = reconcile(&on, &record, &policy(), t0());
    assert!(unseen.actions.is_empty());
    assert!(matches!(
        unseen.notes.as_slice(),
        [Note::ForeignWriter { .. }]
    ));
}

#[test]
fn the_guard_holds_changes_and_lets_refreshes_go() {
    let held_call = holding(SessionIntent::InACall, 100);
    // A refresh of a held call, and a presentity change: the refresh goes, the write waits.
    let refresh_and_write = reconcile(
        &observed(
            teams("Busy", "InACall"),
            phone(CallState::Busy, false),
            presentity("Available", "Available", "v1", WRITER),
        ),
        &held_call,
        &policy(),
        t0(),
    );
    assert_eq!(changes_in(&refresh_and_write.actions), 1);
    assert_eq!(refresh_and_write.actions.len(), 2);
    let held = hold_changes(refresh_and_write.clone(), &held_call);
    assert!(matches!(
        held.actions.as_slice(),
        [Action::SetSession { refresh: true, .. }]
    ));
    assert_eq!(held.record.session, refresh_and_write.record.session);
    assert_eq!(
        held.record.presentity, None,
        "the write waits: the old part stays"
    );
    // A new call: a change, held whole; the record still holds no session.
    let none = Record::default();
    let new_call = reconcile(
        &observed(
            teams("Available", "Available"),
            phone(CallState::Busy, false),
            presentity("Available", "Available", "v1", WRITER),
        ),
        &none,
        &policy(),
        t0(),
    );
    let held = hold_changes(new_call, &none);
    assert!(held.actions.is_empty());
    assert_eq!(held.record, none);
}
