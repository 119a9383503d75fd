//! `mappings discover`: propose mappings for MiCollab users not mapped yet, by matching their
//! email to Entra users (UPN first, then `mail`) and to CloudLink users (by email). A pure
//! function of the three directories; the admin reviews the proposals and imports them.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::resolve::{CloudlinkUser, TeamsUser};

/// A MiCollab user as discovery sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MicollabUser {
    pub login: String,
    pub email: Option<String>,
    pub extension: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// The MiCollab email is the Entra UPN.
    High,
    /// The MiCollab email is the Entra `mail` (the UPN differs).
    Medium,
}

/// One proposed mapping, in the mapping CSV's columns plus confidence and notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub micollab_login: String,
    pub teams_upn: String,
    pub teams_id: String,
    pub extension: String,
    pub cloudlink_user_id: Option<String>,
    pub confidence: Confidence,
    pub notes: String,
}

/// A MiCollab user for whom no mapping could be proposed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmatched {
    pub micollab_login: String,
    pub reason: &'static str,
    pub notes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    pub proposals: Vec<Proposal>,
    pub unmatched: Vec<Unmatched>,
}

/// Proposes mappings for the MiCollab users whose login is not in `mapped`.
pub fn discover(
    micollab: &[MicollabUser],
    teams: &[TeamsUser],
    cloudlink: &[CloudlinkUser],
    mapped: &HashSet<String>,
) -> Discovery {
    let mut by_upn: HashMap<String, Vec<&TeamsUser>> = HashMap::new();
    let mut by_mail: HashMap<String, Vec<&TeamsUser>> = HashMap::new();
    for user in teams {
        by_upn
            .entry(user.user_principal_name.to_ascii_lowercase())
            .or_default()
            .push(user);
        if let Some(mail) = &user.mail {
            by_mail
                .entry(mail.to_ascii_lowercase())
                .or_default()
                .push(user);
        }
    }
    let mut cloudlink_by_email: HashMap<String, Vec<&CloudlinkUser>> = HashMap::new();
    for user in cloudlink {
        if let Some(email) = &user.email {
            cloudlink_by_email
                .entry(email.to_ascii_lowercase())
                .or_default()
                .push(user);
        }
    }

    let mut out = Discovery::default();
    for user in micollab.iter().filter(|u| !mapped.contains(&u.login)) {
        let miss = |reason: &'static str, notes: String| Unmatched {
            micollab_login: user.login.clone(),
            reason,
            notes,
        };
        let Some(email) = user.email.as_ref().map(|e| e.to_ascii_lowercase()) else {
            out.unmatched.push(miss(
                "no_email",
                "the MiCollab user has no email to match on".into(),
            ));
            continue;
        };
        let Some(extension) = user.extension.clone().filter(|e| !e.is_empty()) else {
            out.unmatched.push(miss(
                "no_extension",
                "the MiCollab user has no extension".into(),
            ));
            continue;
        };
        let (candidates, confidence) = match (by_upn.get(&email), by_mail.get(&email)) {
            (Some(found), _) => (found, Confidence::High),
            (None, Some(found)) => (found, Confidence::Medium),
            (None, None) => {
                out.unmatched.push(miss(
                    "no_teams_user",
                    format!("no Entra user has {email} as UPN or mail"),
                ));
                continue;
            }
        };
        if candidates.len() > 1 {
            let names: Vec<&str> = candidates
                .iter()
                .map(|u| u.user_principal_name.as_str())
                .collect();
            out.unmatched.push(miss(
                "ambiguous_teams_user",
                format!("{email} matches {}", names.join(", ")),
            ));
            continue;
        }
        let teams_user = candidates[0];
        let mut notes = Vec::new();
        if confidence == Confidence::Medium {
            notes.push(format!(
                "matched on mail; the UPN is {}",
                teams_user.user_principal_name
            ));
        }
        let emails = [
            teams_user.user_principal_name.to_ascii_lowercase(),
            email.clone(),
        ];
        let cloudlink_found: Vec<&CloudlinkUser> = emails
            .iter()
            .filter_map(|e| cloudlink_by_email.get(e))
            .flatten()
            .copied()
            .collect::<Vec<_>>();
        let mut cloudlink_ids: Vec<&str> =
            cloudlink_found.iter().map(|u| u.user_id.as_str()).collect();
        cloudlink_ids.sort_unstable();
        cloudlink_ids.dedup();
        let cloudlink_user_id = match cloudlink_ids.as_slice() {
            [one] => Some(one.to_string()),
            [] => {
                notes.push("no CloudLink user with this email".into());
                None
            }
            many => {
                notes.push(format!("several CloudLink users: {}", many.join(", ")));
                None
            }
        };
        out.proposals.push(Proposal {
            micollab_login: user.login.clone(),
            teams_upn: teams_user.user_principal_name.clone(),
            teams_id: teams_user.id.clone(),
            extension,
            cloudlink_user_id,
            confidence,
            notes: notes.join("; "),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mc(login: &str, email: Option<&str>, ext: Option<&str>) -> MicollabUser {
        MicollabUser {
            login: login.into(),
            email: email.map(Into::into),
            extension: ext.map(Into::into),
        }
    }

    fn entra(id: &str, upn: &str, mail: Option<&str>) -> TeamsUser {
        TeamsUser {
            id: id.into(),
            user_principal_name: upn.into(),
            mail: mail.map(Into::into),
        }
    }

    fn cl(id: &str, email: &str) -> CloudlinkUser {
        CloudlinkUser {
            user_id: id.into(),
            email: Some(email.into()),
        }
    }

    #[test]
    fn proposes_by_upn_then_mail_and_explains_the_rest() {
        let micollab = vec![
            mc("alice", Some("Alice@contoso.com"), Some("1001")),
            mc("bob", Some("bob@contoso.com"), Some("1002")),
            mc("carol", Some("carol@contoso.com"), Some("1003")),
            mc("dave", None, Some("1004")),
            mc("erin", Some("erin@contoso.com"), None),
            mc("frank", Some("frank@contoso.com"), Some("1006")),
            mc("mapped", Some("mapped@contoso.com"), Some("1007")),
            mc("gina", Some("gina@contoso.com"), Some("1008")),
        ];
        let teams = vec![
            entra("id-a", "alice@contoso.com", Some("alice@contoso.com")),
            entra("id-b", "b.jones@contoso.com", Some("bob@contoso.com")),
            entra("id-f1", "frank@contoso.com", None),
            entra("id-f2", "frank.x@contoso.com", Some("frank@contoso.com")),
            entra("id-g1", "g1@contoso.com", Some("gina@contoso.com")),
            entra("id-g2", "g2@contoso.com", Some("gina@contoso.com")),
        ];
        let cloudlink = vec![
            cl("cl-a", "alice@contoso.com"),
            cl("cl-b", "b.jones@contoso.com"),
        ];
        let mapped: HashSet<String> = ["mapped".to_string()].into();
        let d = discover(&micollab, &teams, &cloudlink, &mapped);
        let proposed: Vec<(&str, &str, Confidence, Option<&str>)> = d
            .proposals
            .iter()
            .map(|p| {
                (
                    p.micollab_login.as_str(),
                    p.teams_id.as_str(),
                    p.confidence,
                    p.cloudlink_user_id.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            proposed,
            vec![
                ("alice", "id-a", Confidence::High, Some("cl-a")),
                ("bob", "id-b", Confidence::Medium, Some("cl-b")),
                // The UPN wins over another user's mail.
                ("frank", "id-f1", Confidence::High, None),
            ]
        );
        let unmatched: Vec<(&str, &str)> = d
            .unmatched
            .iter()
            .map(|u| (u.micollab_login.as_str(), u.reason))
            .collect();
        assert_eq!(
            unmatched,
            vec![
                ("carol", "no_teams_user"),
                ("dave", "no_email"),
                ("erin", "no_extension"),
                ("gina", "ambiguous_teams_user"),
            ]
        );
    }
}
