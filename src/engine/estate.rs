//! The observe phase over the whole estate, for `report`: the store's users read a slice at
//! a time, and each slice read from the four systems exactly as a sync cycle reads it (the
//! same ports, batches, patience and principal resolution: [`super::observe`]). Nothing is
//! written, not even the principal ids it resolves.

use std::collections::BTreeSet;
use std::rc::Rc;

use super::observe::{FlagsShare, SharedReads, observe, read_slice};
use super::users;
use crate::connectors::ports::{
    CloudlinkPort, MicollabPort, PbxPort, SourceError, Systems, TeamsPort,
};
use crate::reconcile::{Observed, SyncDirection};
use crate::store::{Store, StoreError};

/// One mapped user as the systems showed it.
#[derive(Debug, Clone)]
pub struct UserSeen {
    pub login: String,
    pub observed: Observed,
    /// The CloudLink principal id, stored or resolved now; `None`: not resolved.
    pub principal: Option<String>,
    /// Whether the PBX answered for the user's extension (`None`: the PBX was not read).
    pub extension_answered: Option<bool>,
    /// Whether CloudLink answered for the user's presentity (`None`: CloudLink was not
    /// read, or the user has no principal id).
    pub presentity_answered: Option<bool>,
}

/// Every live mapped user as seen, and each system that could not be read (once).
#[derive(Debug, Default)]
pub struct EstateSeen {
    pub users: Vec<UserSeen>,
    pub errors: Vec<SourceError>,
}

/// Reads every live mapped user from the systems, `per_slice` at a time, one slice after the
/// other. A system found down for one slice is not waited for again.
pub async fn observe_estate<T, M, P, C>(
    store: &Store,
    systems: &Systems<T, M, P, C>,
    per_slice: usize,
) -> Result<EstateSeen, StoreError>
where
    T: TeamsPort,
    M: MicollabPort,
    P: PbxPort,
    C: CloudlinkPort,
{
    // As a cycle does: one read per direction, side by side, the Teams flags read once.
    let flags = Rc::new(FlagsShare::within_cycle(2));
    let shared = SharedReads::new(BTreeSet::new(), flags, 2, false);
    let mut slices = users::stream_alone(store, per_slice, 1, None)?;
    let mut seen = EstateSeen::default();
    let mut index = 0;
    while let Some(slice) = slices.recv().await {
        let slice = slice?;
        let (mut teams_reads, mut phone_reads) = tokio::join!(
            read_slice(
                systems,
                &shared,
                SyncDirection::TeamsToMicollab,
                index,
                slice.clone()
            ),
            read_slice(systems, &shared, SyncDirection::PbxToTeams, index, slice),
        );
        index += 1;
        for e in teams_reads
            .errors
            .drain(..)
            .chain(phone_reads.errors.drain(..))
        {
            if e.unavailable {
                shared.down.borrow_mut().insert(e.system);
            }
            if !seen.errors.iter().any(|known| known.system == e.system) {
                seen.errors.push(e);
            }
        }
        // The Teams side's users: live ones, with their principal ids resolved.
        let users = std::mem::take(&mut teams_reads.users);
        for user in users {
            let extension_answered = phone_reads
                .phones
                .as_ref()
                .map(|phones| phones.contains_key(&user.extension));
            let presentity_answered = teams_reads
                .presentities
                .as_ref()
                .zip(user.principal.as_ref())
                .map(|(found, principal)| found.contains_key(principal));
            let mut observed = observe(&user, &mut teams_reads);
            observed.phone = observe(&user, &mut phone_reads).phone;
            seen.users.push(UserSeen {
                observed,
                login: user.login,
                principal: user.principal,
                extension_answered,
                presentity_answered,
            });
        }
    }
    Ok(seen)
}
