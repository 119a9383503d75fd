//! Graph's side of a user: app sessions, the preferred presence, and their aggregate.

use super::*;

impl World {
    /// Drops expired sessions and preferred presence.
    pub(super) fn expire(&mut self, i: u32, now: i64) {
        let user = &mut self.users[i as usize];
        user.sessions
            .retain(|s| s.expires_ms.is_none_or(|at| at > now));
        if user.preferred.as_ref().is_some_and(|p| p.expires_ms <= now) {
            user.preferred = None;
        }
    }

    /// The aggregated presence as Graph documents it, and its sequence number.
    ///
    /// User-preferred presence wins over every session, but only while at least one session
    /// exists; among sessions DoNotDisturb > Busy > Available > BeRightBack > Away; with no
    /// session the user is Offline. The sequence number changes whenever the aggregate does.
    pub fn presence(&mut self, i: u32) -> (Availability, Activity, Sequence) {
        let now = self.now_ms();
        self.expire(i, now);
        let aggregate = aggregate(&self.users[i as usize]);
        let user = &mut self.users[i as usize];
        if user.shown.as_ref() != Some(&aggregate) {
            user.shown = Some(aggregate.clone());
            user.sequence = self.next_sequence;
            self.next_sequence += 1;
        }
        (aggregate.0, aggregate.1, Sequence(user.sequence))
    }

    pub fn sessions(&mut self, i: u32) -> Vec<Session> {
        let now = self.now_ms();
        self.expire(i, now);
        self.users[i as usize].sessions.clone()
    }

    pub fn preferred(&mut self, i: u32) -> Option<Preferred> {
        let now = self.now_ms();
        self.expire(i, now);
        self.users[i as usize].preferred.clone()
    }

    pub fn set_session(
        &mut self,
        i: u32,
        id: &str,
        availability: Availability,
        activity: Activity,
        expires_ms: Option<i64>,
    ) {
        let now = self.now_ms();
        self.expire(i, now);
        let sessions = &mut self.users[i as usize].sessions;
        let session = Session {
            id: id.into(),
            availability,
            activity,
            expires_ms,
        };
        match sessions.iter_mut().find(|s| &*s.id == id) {
            Some(existing) => *existing = session,
            None => sessions.push(session),
        }
    }

    /// Removes a session; `false` when there was none (Graph answers 404).
    pub fn clear_session(&mut self, i: u32, id: &str) -> bool {
        let now = self.now_ms();
        self.expire(i, now);
        let sessions = &mut self.users[i as usize].sessions;
        let before = sessions.len();
        sessions.retain(|s| &*s.id != id);
        sessions.len() != before
    }
}

/// Graph's aggregation of one user's sessions and preferred presence.
pub fn aggregate(user: &UserState) -> (Availability, Activity) {
    let best = user
        .sessions
        .iter()
        .max_by_key(|s| session_rank(&s.availability));
    match (best, &user.preferred) {
        (None, _) => (Availability::Offline, Activity::Offline),
        (Some(_), Some(p)) => (p.availability.clone(), p.activity.clone()),
        (Some(s), None) => (s.availability.clone(), s.activity.clone()),
    }
}

fn session_rank(availability: &Availability) -> u8 {
    match availability {
        Availability::DoNotDisturb => 6,
        Availability::Busy | Availability::BusyIdle => 5,
        Availability::Available | Availability::AvailableIdle => 4,
        Availability::BeRightBack => 3,
        Availability::Away => 2,
        _ => 1,
    }
}
