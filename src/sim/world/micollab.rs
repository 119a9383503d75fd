//! MiCollab's side of a user: the Teams gate, the rollout flags, notifications, statuses.

use super::*;

impl World {
    pub fn teams_gate(&self) -> Result<(), GateError> {
        let version_ok =
            parse_version(&self.micollab.version).is_some_and(|v| v >= MIN_TEAMS_VERSION);
        if !version_ok {
            return Err(GateError::Version {
                found: self.micollab.version.clone(),
            });
        }
        if !self.micollab.pbx_type.eq_ignore_ascii_case(SUPPORTED_PBX) {
            return Err(GateError::Pbx {
                found: self.micollab.pbx_type.clone(),
            });
        }
        Ok(())
    }

    /// Teams manages the user's status: their own checkbox or their profile's setting.
    pub fn teams_effective(&self, i: u32) -> bool {
        let user = &self.users[i as usize];
        user.teams_user_flag || self.profiles[user.profile as usize].teams_enabled
    }

    pub fn profile_index(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.profiles
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(key) || p.name.eq_ignore_ascii_case(key))
    }

    pub fn notify(
        &mut self,
        user: u32,
        kind: NotificationKind,
        enabled: bool,
        profile: Option<u8>,
    ) {
        let at_ms = self.now_ms();
        self.notifications.push(Notification {
            id: self.next_notification,
            user,
            kind,
            enabled,
            profile,
            at_ms,
        });
        self.next_notification += 1;
    }

    /// Sets a user's own checkbox; notifies them when it changes whether Teams manages them.
    pub fn set_user_teams_flag(&mut self, i: u32, enabled: bool) {
        let before = self.teams_effective(i);
        self.users[i as usize].teams_user_flag = enabled;
        let after = self.teams_effective(i);
        if before != after {
            self.notify(i, NotificationKind::StatusControl, after, None);
            self.reset_presentity_for_mode(i, after);
        }
    }

    /// Sets a profile's Teams setting; every user of the profile gets the restart message.
    pub fn set_profile_teams(&mut self, p: usize, enabled: bool) {
        if self.profiles[p].teams_enabled == enabled {
            return;
        }
        let members: Vec<(u32, bool)> = self
            .live_users()
            .filter(|&i| self.users[i as usize].profile as usize == p)
            .map(|i| (i, self.teams_effective(i)))
            .collect();
        self.profiles[p].teams_enabled = enabled;
        for (i, before) in members {
            self.notify(i, NotificationKind::RestartRequired, enabled, Some(p as u8));
            let after = self.teams_effective(i);
            if before != after {
                self.reset_presentity_for_mode(i, after);
            }
        }
    }

    /// When Teams takes over, the user's current status is kept aside; when Teams lets go it
    /// comes back unchanged (own statuses are hidden while Teams manages, never lost).
    pub(super) fn reset_presentity_for_mode(&mut self, i: u32, teams: bool) {
        let now = self.now_ms();
        let user = &mut self.users[i as usize];
        if teams {
            user.status_before_teams = Some(user.presentity.status.clone());
            return;
        }
        let restored = user
            .status_before_teams
            .take()
            .unwrap_or_else(|| "Available".into());
        let presentity = &mut user.presentity;
        presentity.status = restored;
        presentity.activity = None;
        presentity.version += 1;
        presentity.source = "micollab".into();
        presentity.updated_ms = now;
    }

    /// Effective settings of a user's Teams statuses: the profile's, then the user's own.
    pub fn user_status_settings(&self, i: u32) -> Vec<(StatusSetting, bool)> {
        let user = &self.users[i as usize];
        self.profiles[user.profile as usize]
            .statuses
            .iter()
            .map(|setting| {
                let mut effective = setting.clone();
                let own = user.overrides.iter().find(|o| o.status == setting.name);
                if let Some(own) = own {
                    if let Some(route) = &own.call_routing {
                        effective.call_routing = route.clone();
                    }
                    if let Some(message) = &own.message {
                        effective.message = message.clone();
                    }
                }
                (effective, own.is_some())
            })
            .collect()
    }
}
