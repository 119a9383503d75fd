//! Checking import rows against the systems: the Teams user exists (by UPN, then `mail`,
//! giving the Entra object id), the MiCollab login and the PBX extension exist, and the
//! CloudLink user exists (given, or found by email). All in bulk: a handful of requests per
//! thousand rows, whatever the file's size.

use std::collections::{HashMap, HashSet};
use std::future::Future;

use super::{Candidate, RowError};
use crate::connectors::ports::SourceError;

/// An Entra user as resolution found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamsUser {
    pub id: String,
    pub user_principal_name: String,
    pub mail: Option<String>,
}

/// A CloudLink user as resolution sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudlinkUser {
    pub user_id: String,
    pub email: Option<String>,
}

/// What import needs to know of the systems.
pub trait Directory {
    /// Entra users by the names asked (UPN, else mail), keyed by the name in lower case.
    fn teams_users(
        &self,
        names: &[String],
    ) -> impl Future<Output = Result<HashMap<String, TeamsUser>, SourceError>>;

    /// The MiCollab logins among those asked that exist.
    fn micollab_logins(
        &self,
        logins: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, SourceError>>;

    /// The extensions among those asked that exist on the PBX.
    fn extensions(
        &self,
        extensions: &[String],
    ) -> impl Future<Output = Result<HashSet<String>, SourceError>>;

    /// Every CloudLink user of the account (CloudLink has no lookup by email).
    fn cloudlink_users(&self) -> impl Future<Output = Result<Vec<CloudlinkUser>, SourceError>>;
}

/// The systems a resolution asks, each a step of its progress.
pub const SYSTEMS_ASKED: u64 = 4;

/// Checks every candidate; a row fails with a code naming what is missing. A system that
/// cannot be read fails the whole resolution (nothing is stored as verified on a guess).
/// `progress` advances as each system answers.
pub async fn resolve<D: Directory>(
    directory: &D,
    candidates: &[(usize, Candidate)],
    progress: &dyn crate::progress::Progress,
) -> Result<HashMap<usize, Result<Candidate, RowError>>, SourceError> {
    let upns: Vec<String> = candidates
        .iter()
        .map(|(_, c)| c.teams_upn.clone())
        .collect();
    let logins: Vec<String> = candidates
        .iter()
        .map(|(_, c)| c.micollab_login.clone())
        .collect();
    let extensions: Vec<String> = candidates
        .iter()
        .map(|(_, c)| c.extension.clone())
        .collect();
    let answered = |system: &str| {
        progress.advance(1);
        progress.set_stage(&format!("{system} answered"));
    };
    let (teams, micollab, pbx, cloudlink) = tokio::join!(
        async {
            let users = directory.teams_users(&upns).await;
            answered("Entra ID");
            users
        },
        async {
            let logins = directory.micollab_logins(&logins).await;
            answered("MiCollab");
            logins
        },
        async {
            let extensions = directory.extensions(&extensions).await;
            answered("the PBX");
            extensions
        },
        async {
            let users = directory.cloudlink_users().await;
            answered("CloudLink");
            users
        },
    );
    let (teams, micollab, pbx, cloudlink) = (teams?, micollab?, pbx?, cloudlink?);
    let by_id: HashSet<&str> = cloudlink.iter().map(|u| u.user_id.as_str()).collect();
    let mut by_email: HashMap<String, Vec<&str>> = HashMap::new();
    for user in &cloudlink {
        if let Some(email) = &user.email {
            by_email
                .entry(email.to_ascii_lowercase())
                .or_default()
                .push(&user.user_id);
        }
    }

    let mut out = HashMap::with_capacity(candidates.len());
    for (row, candidate) in candidates {
        out.insert(
            *row,
            check(candidate, &teams, &micollab, &pbx, &by_id, &by_email),
        );
    }
    Ok(out)
}

fn check(
    candidate: &Candidate,
    teams: &HashMap<String, TeamsUser>,
    micollab: &HashSet<String>,
    pbx: &HashSet<String>,
    cloudlink_ids: &HashSet<&str>,
    cloudlink_by_email: &HashMap<String, Vec<&str>>,
) -> Result<Candidate, RowError> {
    let mut c = candidate.clone();
    let Some(user) = teams.get(&c.teams_upn.to_ascii_lowercase()) else {
        return Err(RowError::new(
            "teams_user_not_found",
            format!(
                "teams_upn {}: no Entra user has this UPN or mail",
                c.teams_upn
            ),
        ));
    };
    match &c.teams_id {
        Some(id) if !id.eq_ignore_ascii_case(&user.id) => {
            return Err(RowError::new(
                "teams_id_mismatch",
                format!(
                    "teams_id {id} is not the Entra object id of {} ({})",
                    c.teams_upn, user.id
                ),
            ));
        }
        _ => c.teams_id = Some(user.id.to_ascii_lowercase()),
    }
    if !micollab.contains(&c.micollab_login) {
        return Err(RowError::new(
            "micollab_login_not_found",
            format!("micollab_login {}: no such MiCollab user", c.micollab_login),
        ));
    }
    if !pbx.contains(&c.extension) {
        return Err(RowError::new(
            "extension_not_found",
            format!("extension {}: no such extension on the PBX", c.extension),
        ));
    }
    match &c.cloudlink_user_id {
        Some(id) if !cloudlink_ids.contains(id.as_str()) => {
            return Err(RowError::new(
                "cloudlink_user_not_found",
                format!("cloudlink_user_id {id}: no such CloudLink user"),
            ));
        }
        Some(_) => {}
        None => c.cloudlink_user_id = Some(cloudlink_by_user_email(user, cloudlink_by_email)?),
    }
    Ok(c)
}

/// The CloudLink user of an Entra user, matched by email: the UPN first, then mail.
fn cloudlink_by_user_email(
    user: &TeamsUser,
    cloudlink_by_email: &HashMap<String, Vec<&str>>,
) -> Result<String, RowError> {
    let emails = std::iter::once(user.user_principal_name.to_ascii_lowercase())
        .chain(user.mail.iter().map(|m| m.to_ascii_lowercase()));
    for email in emails {
        match cloudlink_by_email.get(&email).map(Vec::as_slice) {
            None | Some([]) => continue,
            Some([one]) => return Ok(one.to_string()),
            Some(many) => {
                return Err(RowError::new(
                    "cloudlink_user_ambiguous",
                    format!(
                        "{email} matches {} CloudLink users: give cloudlink_user_id",
                        many.len()
                    ),
                ));
            }
        }
    }
    Err(RowError::new(
        "cloudlink_user_not_found",
        format!(
            "no CloudLink user has the email {} or {}",
            user.user_principal_name,
            user.mail.as_deref().unwrap_or("-")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl Directory for Fake {
        async fn teams_users(
            &self,
            names: &[String],
        ) -> Result<HashMap<String, TeamsUser>, SourceError> {
            let known = [
                (
                    "alice@contoso.com",
                    "aaaaaaaa-0000-4000-8000-000000000001",
                    "alice@contoso.com",
                ),
                (
                    "bob@contoso.com",
                    "bbbbbbbb-0000-4000-8000-000000000002",
                    "robert@contoso.com",
                ),
            ];
            Ok(names
                .iter()
                .filter_map(|n| {
                    known
                        .iter()
                        .find(|(upn, _, mail)| {
                            upn.eq_ignore_ascii_case(n) || mail.eq_ignore_ascii_case(n)
                        })
                        .map(|(upn, id, mail)| {
                            (
                                n.to_ascii_lowercase(),
                                TeamsUser {
                                    id: id.to_string(),
                                    user_principal_name: upn.to_string(),
                                    mail: Some(mail.to_string()),
                                },
                            )
                        })
                })
                .collect())
        }
        async fn micollab_logins(&self, logins: &[String]) -> Result<HashSet<String>, SourceError> {
            Ok(logins.iter().filter(|l| *l != "ghost").cloned().collect())
        }
        async fn extensions(&self, e: &[String]) -> Result<HashSet<String>, SourceError> {
            Ok(e.iter().filter(|x| *x != "9999").cloned().collect())
        }
        async fn cloudlink_users(&self) -> Result<Vec<CloudlinkUser>, SourceError> {
            Ok(vec![
                CloudlinkUser {
                    user_id: "cl-alice".into(),
                    email: Some("ALICE@contoso.com".into()),
                },
                CloudlinkUser {
                    user_id: "cl-bob".into(),
                    email: Some("robert@contoso.com".into()),
                },
            ])
        }
    }

    fn candidate(
        login: &str,
        upn: &str,
        id: Option<&str>,
        ext: &str,
        cl: Option<&str>,
    ) -> Candidate {
        Candidate {
            micollab_login: login.into(),
            teams_upn: upn.into(),
            teams_id: id.map(Into::into),
            extension: ext.into(),
            cloudlink_user_id: cl.map(Into::into),
        }
    }

    #[test]
    fn rows_are_checked_against_every_system() {
        let rows = vec![
            (
                1,
                candidate("alice", "alice@contoso.com", None, "1001", None),
            ),
            (
                2,
                candidate("bob", "robert@contoso.com", None, "1002", None),
            ),
            (
                3,
                candidate("carol", "carol@contoso.com", None, "1003", None),
            ),
            (
                4,
                candidate("ghost", "alice@contoso.com", None, "1004", None),
            ),
            (
                5,
                candidate("dave", "alice@contoso.com", None, "9999", None),
            ),
            (
                6,
                candidate(
                    "erin",
                    "alice@contoso.com",
                    Some("00000000-0000-4000-8000-00000000000f"),
                    "1006",
                    None,
                ),
            ),
            (
                7,
                candidate(
                    "frank",
                    "alice@contoso.com",
                    None,
                    "1007",
                    Some("cl-nobody"),
                ),
            ),
        ];
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let asked = Asked::default();
        let out = runtime.block_on(resolve(&Fake, &rows, &asked)).unwrap();
        assert_eq!(
            asked.0.load(std::sync::atomic::Ordering::SeqCst),
            SYSTEMS_ASKED,
            "a step as each system answers"
        );
        let alice = out[&1].as_ref().unwrap();
        assert_eq!(
            alice.teams_id.as_deref(),
            Some("aaaaaaaa-0000-4000-8000-000000000001")
        );
        assert_eq!(alice.cloudlink_user_id.as_deref(), Some("cl-alice"));
        // Found by mail, and the CloudLink user by the mail too.
        let bob = out[&2].as_ref().unwrap();
        assert_eq!(
            bob.teams_id.as_deref(),
            Some("bbbbbbbb-0000-4000-8000-000000000002")
        );
        assert_eq!(bob.cloudlink_user_id.as_deref(), Some("cl-bob"));
        let code = |row: usize| out[&row].as_ref().unwrap_err().code;
        assert_eq!(code(3), "teams_user_not_found");
        assert_eq!(code(4), "micollab_login_not_found");
        assert_eq!(code(5), "extension_not_found");
        assert_eq!(code(6), "teams_id_mismatch");
        assert_eq!(code(7), "cloudlink_user_not_found");
    }

    /// Counts the steps of a resolution's progress.
    #[derive(Default)]
    struct Asked(std::sync::atomic::AtomicU64);

    impl crate::progress::Progress for Asked {
        fn advance(&self, n: u64) {
            self.0.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        }
        fn set_stage(&self, _stage: &str) {}
        fn restart(&self, _total: u64, _stage: &str) {}
        fn add_to_stage(&self, _more: u64, _stage: &str) {}
        fn finish(&self) {}
    }
}
