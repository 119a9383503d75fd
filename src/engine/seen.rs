//! What Teams showed of each user when `sync --watch` last decided them, kept in memory
//! between cycles so a Teams poll can be a glance: one Graph read of everyone, and a cycle of
//! only the users whose presence moved since ([`glance_changed`]). The MiCollab flags and the
//! CloudLink presentities are then read for those users alone; a full cycle every few
//! minutes reads them for everyone and catches what changed on the MiCollab side.
//!
//! The store stays the source of truth: who is mapped is read from it at each glance, and
//! only digests are kept here, a few bytes a user (100,000 users: about 3 MB).

use std::collections::HashMap;
use std::sync::Mutex;

use crate::ids::IdMap;
use crate::reconcile::TeamsPresence;

/// Digests of what each user's Teams presence was when a Teams -> MiCollab cycle last
/// decided them, by login.
#[derive(Debug, Default)]
pub struct SeenPresence {
    by_login: Mutex<HashMap<u64, u64>>,
}

/// One mapped user a glance reads: their login and Entra object id, and whether their
/// mapping changed since the last full cycle (then they are decided whatever Graph shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlancedUser {
    pub login: String,
    pub teams_id: String,
    pub touched: bool,
}

impl SeenPresence {
    pub fn new() -> SeenPresence {
        SeenPresence::default()
    }

    fn entry(teams_id: &str, presence: Option<&TeamsPresence>) -> u64 {
        // What MiCollab's status follows: not Graph's sequence number, which moves without it.
        let shown = presence.map(|p| (&p.availability, &p.activity));
        super::digest(&(teams_id, shown))
    }

    /// A Teams -> MiCollab cycle decided `login` on `presence` (`None`: Graph did not answer
    /// for them).
    pub(super) fn saw(&self, login: &str, teams_id: &str, presence: Option<&TeamsPresence>) {
        let seen = SeenPresence::entry(teams_id, presence);
        if let Ok(mut by_login) = self.by_login.lock() {
            by_login.insert(super::digest(login), seen);
        }
    }

    /// These users failed: the next glance decides them again, whatever Graph shows.
    pub(super) fn forget<'a>(&self, logins: impl IntoIterator<Item = &'a str>) {
        if let Ok(mut by_login) = self.by_login.lock() {
            for login in logins {
                by_login.remove(&super::digest(login));
            }
        }
    }

    /// How many users are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.by_login.lock().map_or(0, |m| m.len())
    }
}

/// The logins among `users` a glance must decide: their presence in `answer` moved since it
/// was last decided (or Graph no longer answers for them), they were never decided or failed
/// since, or their mapping changed.
pub fn glance_changed(
    seen: &SeenPresence,
    users: &[GlancedUser],
    answer: &IdMap<TeamsPresence>,
) -> Vec<String> {
    let Ok(by_login) = seen.by_login.lock() else {
        return users.iter().map(|u| u.login.clone()).collect();
    };
    users
        .iter()
        .filter(|user| {
            let now = SeenPresence::entry(&user.teams_id, answer.get(&user.teams_id));
            user.touched || by_login.get(&super::digest(user.login.as_str())) != Some(&now)
        })
        .map(|user| user.login.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::graph::{Activity, Availability};

    fn presence(availability: Availability, activity: Activity, seq: &str) -> TeamsPresence {
        TeamsPresence {
            availability,
            activity,
            sequence_number: Some(seq.into()),
        }
    }

    fn user(login: &str, touched: bool) -> GlancedUser {
        GlancedUser {
            login: login.into(),
            teams_id: format!("id-{login}"),
            touched,
        }
    }

    #[test]
    fn a_glance_decides_only_what_moved_since_it_was_decided() {
        let seen = SeenPresence::new();
        let available = presence(Availability::Available, Activity::Available, "1");
        let busy = presence(Availability::Busy, Activity::InACall, "2");
        for login in ["same", "moved", "gone", "failed", "touched", "new-id"] {
            seen.saw(login, &format!("id-{login}"), Some(&available));
        }
        seen.forget(["failed"]);
        let mut answer = IdMap::default();
        for login in ["same", "failed", "touched", "never", "new-id"] {
            answer.insert(format!("id-{login}"), available.clone());
        }
        // Graph's sequence number moved, what MiCollab follows did not.
        answer.insert(
            "id-same".into(),
            presence(Availability::Available, Activity::Available, "9"),
        );
        answer.insert("id-moved".into(), busy);
        let mut users: Vec<GlancedUser> = ["same", "moved", "gone", "failed", "never"]
            .iter()
            .map(|l| user(l, false))
            .collect();
        users.push(user("touched", true));
        // The login now maps to another Entra user.
        users.push(GlancedUser {
            login: "new-id".into(),
            teams_id: "id-other".into(),
            touched: false,
        });
        answer.insert("id-other".into(), available);
        assert_eq!(
            glance_changed(&seen, &users, &answer),
            ["moved", "gone", "failed", "never", "touched", "new-id"]
        );
        assert_eq!(seen.len(), 5);
    }
}
