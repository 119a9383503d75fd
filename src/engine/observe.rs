//! The observe phase: a slice of users read from the systems one pipeline needs, all at
//! once, each system with its own patience ([`super::patience`]), and each user's
//! observation taken from the answers.
//! A user missing from an answer is unknown, never "off".

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::ids::IdMap;

use super::patience;
use super::users::User;
use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, SourceError, Systems, TeamsPort,
};
use crate::reconcile::{Observed, SyncDirection};

/// One slice of users and what the systems one pipeline reads answered for it (`None`:
/// not read, or failed).
#[derive(Default)]
pub(super) struct SliceReads {
    pub users: Vec<User>,
    pub teams: Option<IdMap<crate::reconcile::TeamsPresence>>,
    pub flags: Option<IdMap<bool>>,
    pub phones: Option<IdMap<Option<crate::presence::PhoneState>>>,
    pub presentities: Option<IdMap<crate::reconcile::Presentity>>,
    /// Principal ids resolved for this slice, for the store to keep.
    pub resolved: Vec<(String, String)>,
    pub errors: Vec<SourceError>,
}

/// What the two pipelines' reads share across a cycle: CloudLink's directory (read once,
/// when a slice has many principals to resolve), the systems found down so far, and each
/// slice's Teams flags, read once for both pipelines ([`FlagsShare`]).
pub(super) struct SharedReads {
    directory: tokio::sync::OnceCell<Result<IdMap<String>, SourceError>>,
    pub down: RefCell<BTreeSet<&'static str>>,
    flags: Rc<FlagsShare>,
    /// When the cycle began (after it loaded the rollout state).
    began: tokio::time::Instant,
    /// The Teams pipeline's first Graph read has answered (or that pipeline is done): Graph's
    /// clock is known, if Graph could be read. `None`: no Teams pipeline runs beside.
    pub graph_heard: Option<tokio::sync::watch::Sender<bool>>,
    /// Presence Graph showed a moment ago ([`super::CycleSettings::presences`]).
    pub presences: Option<std::sync::Arc<IdMap<crate::reconcile::TeamsPresence>>>,
}

/// Says the Graph read happened when dropped, however the Teams pipeline ends.
pub(super) struct GraphHeard<'a>(pub &'a tokio::sync::watch::Sender<bool>);

impl Drop for GraphHeard<'_> {
    fn drop(&mut self) {
        self.0.send_replace(true);
    }
}

/// Each slice's Teams flags, read by the first direction to ask and answered from that read
/// to the other: within one cycle's two pipelines, or (`sync --watch`) across the two
/// directions' cycles, each on its own pace, while the read is fresh.
pub(super) struct FlagsShare {
    /// Whether two directions read flags here at all.
    shared: bool,
    slots: RefCell<HashMap<usize, FlagsSlot>>,
}

/// One slice's flags, until the other direction has taken them.
struct FlagsSlot {
    /// The direction that read them.
    read_by: SyncDirection,
    read_at: tokio::time::Instant,
    /// The slice's logins, digested: the directions read the store apart, so a slice is
    /// shared only when it is the same slice.
    logins: u64,
    read: Rc<tokio::sync::OnceCell<Result<IdMap<bool>, SourceError>>>,
}

impl FlagsShare {
    /// For one cycle of `pipelines` pipelines.
    pub fn within_cycle(pipelines: usize) -> FlagsShare {
        FlagsShare {
            shared: pipelines > 1,
            slots: RefCell::default(),
        }
    }

    /// For the two directions' cycles of `sync --watch`.
    pub fn across_cycles() -> FlagsShare {
        FlagsShare {
            shared: true,
            slots: RefCell::default(),
        }
    }

    /// The read of slice `index` made by the other direction, if it is of the same logins
    /// and began since the asking cycle did (`since`), taken (no third direction comes for
    /// it); else a new read of this one's, left for the other. A read older than the cycle
    /// would be older than the rollout state it loaded first: a user an admin just turned on
    /// would be seen off, and their onboarding counted as done.
    fn take_or_start(
        &self,
        direction: SyncDirection,
        index: usize,
        logins: u64,
        since: tokio::time::Instant,
    ) -> Rc<tokio::sync::OnceCell<Result<IdMap<bool>, SourceError>>> {
        let mut slots = self.slots.borrow_mut();
        let now = tokio::time::Instant::now();
        let theirs = slots.get(&index).is_some_and(|slot| {
            slot.read_by != direction && slot.logins == logins && slot.read_at >= since
        });
        if theirs && let Some(slot) = slots.remove(&index) {
            return slot.read;
        }
        let read = Rc::<tokio::sync::OnceCell<_>>::default();
        slots.insert(
            index,
            FlagsSlot {
                read_by: direction,
                read_at: now,
                logins,
                read: read.clone(),
            },
        );
        read
    }
}

impl SharedReads {
    /// `side_by_side`: the pipelines run at once (the phone pipeline may wait for the Teams
    /// one's first Graph answer; one after the other, it would wait forever).
    pub fn new(
        down: BTreeSet<&'static str>,
        flags: Rc<FlagsShare>,
        pipelines: usize,
        side_by_side: bool,
    ) -> SharedReads {
        SharedReads {
            directory: tokio::sync::OnceCell::new(),
            down: RefCell::new(down),
            flags,
            began: tokio::time::Instant::now(),
            graph_heard: (pipelines > 1 && side_by_side)
                .then(|| tokio::sync::watch::channel(false).0),
            presences: None,
        }
    }

    /// The presence of `teams_ids`: what Graph showed a moment ago, and a read of the others.
    async fn presences<T: TeamsPort>(
        &self,
        teams: &T,
        teams_ids: Vec<String>,
    ) -> Result<IdMap<crate::reconcile::TeamsPresence>, SourceError> {
        let Some(known) = &self.presences else {
            return timed("graph", teams.read_presences(&teams_ids)).await;
        };
        let (held, unknown): (Vec<String>, Vec<String>) =
            teams_ids.into_iter().partition(|id| known.contains_key(id));
        let mut answer = match unknown.is_empty() {
            true => IdMap::default(),
            false => timed("graph", teams.read_presences(&unknown)).await?,
        };
        for id in held {
            if let Some(presence) = known.get(&id) {
                answer.insert(id, presence.clone());
            }
        }
        Ok(answer)
    }

    /// The Teams flags of slice `index`, read once for both directions ([`FlagsShare`]).
    async fn flags<M: MicollabPort>(
        &self,
        micollab: &M,
        direction: SyncDirection,
        index: usize,
        logins: &[String],
    ) -> Result<IdMap<bool>, SourceError> {
        let read = || timed("micollab", micollab.teams_flags(logins));
        if !self.flags.shared {
            return read().await;
        }
        let slot = self
            .flags
            .take_or_start(direction, index, super::digest(logins), self.began);
        slot.get_or_init(read).await.clone()
    }
}

/// The systems each direction reads.
fn systems_read(direction: SyncDirection) -> &'static [&'static str] {
    match direction {
        SyncDirection::TeamsToMicollab => &["graph", "micollab", "cloudlink"],
        SyncDirection::PbxToTeams => &["micollab", "pbx"],
        SyncDirection::Both => &["graph", "micollab", "pbx", "cloudlink"],
    }
}

/// Reads slice `index` from the systems one direction needs, each with its own patience.
/// The Teams -> MiCollab pipeline leaves tombstones out: only the phone pipeline has
/// anything to clear for them.
pub(super) async fn read_slice<T, M, P, C>(
    systems: &Systems<T, M, P, C>,
    shared: &SharedReads,
    direction: SyncDirection,
    index: usize,
    mut users: Vec<User>,
) -> SliceReads
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    let logins: Vec<String> = users.iter().map(|u| u.login.clone()).collect();
    let down = shared.down.borrow().clone();
    let patience = patience::Patience::new(&down, systems_read(direction));
    let flags = patience.read(
        "micollab",
        shared.flags(&systems.micollab, direction, index, &logins),
        Err,
    );
    let mut reads = SliceReads::default();
    if direction == SyncDirection::PbxToTeams {
        let extensions: Vec<String> = users.iter().map(|u| u.extension.clone()).collect();
        let pbx = timed("pbx", systems.pbx.phone_states(&extensions));
        let (flags, phones) = tokio::join!(flags, patience.read("pbx", pbx, Err));
        reads.flags = reads.keep(flags);
        reads.phones = reads.keep(phones);
        reads.users = users;
        return reads;
    }
    users.retain(|u| !u.tombstone);
    let teams_ids: Vec<String> = users.iter().filter_map(|u| u.teams_id.clone()).collect();
    // CloudLink's side waits for principal ids still to be resolved; the others need not.
    let cloudlink = async {
        let (found, error) =
            resolve_slice_principals(&systems.cloudlink, &shared.directory, &users).await;
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
    let graph = async {
        let read = shared.presences(&systems.teams, teams_ids).await;
        if let Some(heard) = &shared.graph_heard {
            heard.send_replace(true);
        }
        read
    };
    let (teams, flags, (found, error, presentities)) = tokio::join!(
        patience.read("graph", graph, Err),
        flags,
        patience.read("cloudlink", cloudlink, |e| (IdMap::default(), None, Err(e))),
    );
    reads.errors.extend(error);
    reads.teams = reads.keep(teams);
    reads.flags = reads.keep(flags);
    reads.presentities = reads.keep(presentities);
    reads.resolved = found.into_iter().collect();
    reads.users = users;
    reads
}

impl SliceReads {
    /// A read's answer, or `None` with its error kept.
    fn keep<T>(&mut self, read: Result<T, SourceError>) -> Option<T> {
        read.map_err(|e| self.errors.push(e)).ok()
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
    if unresolved.len() <= C::PER_USER_LOOKUP_MAX {
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
        phone: user.teams_id.as_ref().and_then(|_| {
            reads
                .phones
                .as_ref()?
                .get(&user.extension)
                .copied()
                .flatten()
        }),
        presentity: user
            .principal
            .as_ref()
            .and_then(|id| reads.presentities.as_mut()?.remove(id)),
    }
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
