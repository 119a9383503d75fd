//! The observe phase: a slice of users read from every system at once, each system with its
//! own patience ([`super::patience`]), and each user's observation taken from the answers.
//! A user missing from an answer is unknown, never "off".

use crate::ids::IdMap;

use super::patience;
use super::users::User;
use crate::connectors::cloudlink::PER_USER_LOOKUP_MAX;
use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, SourceError, Systems, TeamsPort,
};
use crate::mapping::Mapping;
use crate::reconcile::Observed;
use crate::store::{Store, StoreError};

/// One slice of users and what the four systems answered for it.
pub(super) struct SliceReads {
    pub users: Vec<User>,
    pub teams: Option<IdMap<crate::reconcile::TeamsPresence>>,
    pub flags: Option<IdMap<bool>>,
    pub phones: Option<IdMap<crate::presence::PhoneState>>,
    pub presentities: Option<IdMap<crate::reconcile::Presentity>>,
    /// Principal ids resolved for this slice, for the store to keep.
    pub resolved: Vec<(String, String)>,
    pub errors: Vec<SourceError>,
}

/// Resolves the slice's missing CloudLink principal ids (once per user: the store keeps
/// them), then reads the slice from every system at once. A slice with more to resolve than
/// are worth looking up one at a time uses the cycle's one pass over CloudLink's directory
/// (`directory`): the first sync of a large estate would otherwise page through the whole
/// directory once per slice.
pub(super) async fn read_slice<T, M, P, C>(
    systems: &Systems<T, M, P, C>,
    directory: &tokio::sync::OnceCell<Result<IdMap<String>, SourceError>>,
    down: &std::collections::BTreeSet<&'static str>,
    mut users: Vec<User>,
) -> SliceReads
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let teams_ids: Vec<String> = users.iter().filter_map(|u| u.teams_id.clone()).collect();
    let logins: Vec<String> = users.iter().map(|u| u.login.clone()).collect();
    let extensions: Vec<String> = users.iter().map(|u| u.extension.clone()).collect();
    let patience = patience::Patience::new(down, &["graph", "micollab", "pbx", "cloudlink"]);
    // CloudLink's side waits for principal ids still to be resolved; the others need not.
    let cloudlink = async {
        let (found, error) = resolve_slice_principals(&systems.cloudlink, directory, &users).await;
        for user in users.iter_mut().filter(|u| u.principal.is_none()) {
            user.principal = user
                .cloudlink_user_id
                .as_ref()
                .and_then(|id| found.get(id))
                .cloned();
        }
        let principals: Vec<String> = users.iter().filter_map(|u| u.principal.clone()).collect();
        let presentities = timed("cloudlink", systems.cloudlink.presentities(&principals)).await;
        (found, error, presentities)
    };
    let (teams, flags, phones, (found, error, presentities)) = tokio::join!(
        patience.read(
            "graph",
            timed("graph", systems.teams.read_presences(&teams_ids)),
            Err
        ),
        patience.read(
            "micollab",
            timed("micollab", systems.micollab.teams_flags(&logins)),
            Err
        ),
        patience.read(
            "pbx",
            timed("pbx", systems.pbx.phone_states(&extensions)),
            Err
        ),
        patience.read("cloudlink", cloudlink, |e| (IdMap::default(), None, Err(e))),
    );
    let mut errors: Vec<SourceError> = error.into_iter().collect();
    let mut keep = |e: SourceError| errors.push(e);
    SliceReads {
        teams: teams.map_err(&mut keep).ok(),
        flags: flags.map_err(&mut keep).ok(),
        phones: phones.map_err(&mut keep).ok(),
        presentities: presentities.map_err(&mut keep).ok(),
        resolved: found.into_iter().collect(),
        users,
        errors,
    }
}

/// Principal ids for the slice's users that have none yet: looked up one at a time when
/// there are few, else taken from the cycle's one pass over CloudLink's directory.
async fn resolve_slice_principals<C: CloudlinkPort>(
    cloudlink: &C,
    directory: &tokio::sync::OnceCell<Result<IdMap<String>, SourceError>>,
    users: &[User],
) -> (IdMap<String>, Option<SourceError>) {
    let unresolved: Vec<String> = users
        .iter()
        .filter(|u| u.principal.is_none())
        .filter_map(|u| u.cloudlink_user_id.clone())
        .collect();
    if unresolved.len() <= PER_USER_LOOKUP_MAX {
        return resolve_principals(cloudlink, unresolved).await;
    }
    let all = directory
        .get_or_init(|| cloudlink.principal_directory())
        .await;
    match all {
        Ok(all) => {
            let found = unresolved
                .into_iter()
                .filter_map(|id| {
                    let principal = all.get(&id)?.clone();
                    Some((id, principal))
                })
                .collect();
            (found, None)
        }
        Err(e) => (IdMap::default(), Some(e.clone())),
    }
}

/// One user's observation from the slice's reads. Answers are moved out, not copied.
pub(super) fn observe(user: &User, reads: &mut SliceReads) -> Observed {
    Observed {
        tombstone: user.tombstone,
        teams_enabled: reads
            .flags
            .as_ref()
            .and_then(|f| f.get(&user.login).copied()),
        teams: user
            .teams_id
            .as_ref()
            .and_then(|id| reads.teams.as_mut()?.remove(id)),
        // Without an Entra object id nothing can be written to Teams for this user.
        phone: user
            .teams_id
            .as_ref()
            .and_then(|_| reads.phones.as_ref()?.get(&user.extension).copied()),
        presentity: user
            .principal
            .as_ref()
            .and_then(|id| reads.presentities.as_mut()?.remove(id)),
    }
}

/// CloudLink principal ids (what presentities are keyed by) of the mappings' users.
pub struct Principals {
    /// By CloudLink user id: those the store knew and those resolved now (not kept: the
    /// sync resolves and keeps them a slice at a time).
    pub by_user: IdMap<String>,
    /// CloudLink could not be asked; the users it concerns stay unknown.
    pub error: Option<SourceError>,
}

/// The principal ids the store knows, and the others asked of CloudLink in one go.
pub async fn principals<C: CloudlinkPort>(
    store: &Store,
    cloudlink: &C,
    mappings: &[Mapping],
) -> Result<Principals, StoreError> {
    let mut by_user = store.cloudlink_principals()?;
    let unresolved: Vec<String> = mappings
        .iter()
        .filter_map(|m| m.cloudlink_user_id.clone())
        .filter(|id| !by_user.contains_key(id))
        .collect();
    let (found, error) = resolve_principals(cloudlink, unresolved).await;
    by_user.extend(found);
    Ok(Principals { by_user, error })
}

/// Asks CloudLink for the principal ids of these users (nothing when there are none).
async fn resolve_principals<C: CloudlinkPort>(
    cloudlink: &C,
    user_ids: Vec<String>,
) -> (IdMap<String>, Option<SourceError>) {
    if user_ids.is_empty() {
        return (IdMap::default(), None);
    }
    match cloudlink.principal_ids(&user_ids).await {
        Ok(found) => (found, None),
        Err(e) => (IdMap::default(), Some(e)),
    }
}

/// Awaits one system's bulk read, logging how long it took (`-vv`, beside the stage timings).
async fn timed<F: std::future::Future>(system: &'static str, read: F) -> F::Output {
    let started = std::time::Instant::now();
    let result = read.await;
    tracing::debug!(
        system,
        ms = started.elapsed().as_millis() as u64,
        "system read"
    );
    result
}
