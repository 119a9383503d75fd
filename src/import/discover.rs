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
    let index = Index::new(teams, cloudlink);
    let mut out = Discovery::default();
    for user in micollab.iter().filter(|u| !mapped.contains(&u.login)) {
        match index.propose(user) {
            Ok(proposal) => out.proposals.push(proposal),
            Err((reason, notes)) => out.unmatched.push(Unmatched {
                micollab_login: user.login.clone(),
                reason,
                notes,
            }),
        }
    }
    out
}

/// Entra users by UPN and by mail, CloudLink users by email (all lower-cased).
struct Index<'a> {
    by_upn: HashMap<String, Vec<&'a TeamsUser>>,
    by_mail: HashMap<String, Vec<&'a TeamsUser>>,
    cloudlink_by_email: HashMap<String, Vec<&'a CloudlinkUser>>,
}

impl<'a> Index<'a> {
    fn new(teams: &'a [TeamsUser], cloudlink: &'a [CloudlinkUser]) -> Index<'a> {
        let mut index = Index {
            by_upn: HashMap::new(),
            by_mail: HashMap::new(),
            cloudlink_by_email: HashMap::new(),
        };
        for user in teams {
            let upn = user.user_principal_name.to_ascii_lowercase();
            index.by_upn.entry(upn).or_default().push(user);
            if let Some(mail) = &user.mail {
                let mail = mail.to_ascii_lowercase();
                index.by_mail.entry(mail).or_default().push(user);
            }
        }
        for user in cloudlink {
            if let Some(email) = &user.email {
                let email = email.to_ascii_lowercase();
                index
                    .cloudlink_by_email
                    .entry(email)
                    .or_default()
                    .push(user);
            }
        }
        index
    }

    /// A proposal for one MiCollab user, or why there is none.
    fn propose(&self, user: &MicollabUser) -> Result<Proposal, (&'static str, String)> {
        let Some(email) = user.email.as_ref().map(|e| e.to_ascii_lowercase()) else {
            return Err((
                "no_email",
                "the MiCollab user has no email to match on".into(),
            ));
        };
        let Some(extension) = user.extension.clone().filter(|e| !e.is_empty()) else {
            return Err(("no_extension", "the MiCollab user has no extension".into()));
        };
        let (teams_user, confidence) = self.teams_user(&email)?;
        let mut notes = Vec::new();
        if confidence == Confidence::Medium {
            notes.push(format!(
                "matched on mail; the UPN is {}",
                teams_user.user_principal_name
            ));
        }
        let emails = [teams_user.user_principal_name.to_ascii_lowercase(), email];
        let cloudlink_user_id = self.cloudlink_user_id(&emails, &mut notes);
        Ok(Proposal {
            micollab_login: user.login.clone(),
            teams_upn: teams_user.user_principal_name.clone(),
            teams_id: teams_user.id.clone(),
            extension,
            cloudlink_user_id,
            confidence,
            notes: notes.join("; "),
        })
    }

    /// The one Entra user with this email as UPN (high confidence) or else as mail (medium).
    fn teams_user(
        &self,
        email: &str,
    ) -> Result<(&'a TeamsUser, Confidence), (&'static str, String)> {
        let (candidates, confidence) = match (self.by_upn.get(email), self.by_mail.get(email)) {
            (Some(found), _) => (found, Confidence::High),
            (None, Some(found)) => (found, Confidence::Medium),
            (None, None) => {
                return Err((
                    "no_teams_user",
                    format!("no Entra user has {email} as UPN or mail"),
                ));
            }
        };
        match candidates.as_slice() {
            [one] => Ok((one, confidence)),
            many => {
                let names: Vec<&str> = many
                    .iter()
                    .map(|u| u.user_principal_name.as_str())
                    .collect();
                Err((
                    "ambiguous_teams_user",
                    format!("{email} matches {}", names.join(", ")),
                ))
            }
        }
    }

    /// The one CloudLink user with one of these emails; a note when there is none or several.
    fn cloudlink_user_id(&self, emails: &[String], notes: &mut Vec<String>) -> Option<String> {
        let mut ids: Vec<&str> = emails
            .iter()
            .filter_map(|e| self.cloudlink_by_email.get(e))
            .flatten()
            .map(|u| u.user_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [one] => Some(one.to_string()),
            [] => {
                notes.push("no CloudLink user with this email".into());
                None
            }
            many => {
                notes.push(format!("several CloudLink users: {}", many.join(", ")));
                None
            }
        }
    }
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
