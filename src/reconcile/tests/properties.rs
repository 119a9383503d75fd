//! Property tests: random event sequences against a model of Teams, the phone and MiCollab.

use super::*;
use proptest::prelude::*;

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
