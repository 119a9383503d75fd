//! The Entra tenant of an estate, identified by the id Entra's tokens carry (`tid`): a
//! config may name the tenant by its GUID or by any of its domains, and a store bound under
//! one name is the same estate under another.

use crate::config::{Config, Estate};
use crate::connectors::graph::GraphClient;
use crate::store::{Location, Store, StoreError};

/// Opens a store `Store::open` refused as another estate's (`refused`) when only the
/// tenant's name differs: the same estate if the tenant id the store recorded is the one
/// Entra gives the configured tenant now (one token request).
pub(super) fn open_by_tenant_id(
    config: &Config,
    location: &Location,
    estate: &Estate,
    refused: StoreError,
) -> anyhow::Result<Store> {
    let store = Store::open_at(location, None)?;
    let stored = match store.estate()? {
        Some(stored) => stored,
        None => return Err(refused.into()),
    };
    if !stored.same_micollab(estate) {
        return Err(refused.into());
    }
    let Some(recorded) = store.tenant_tid()? else {
        return Err(anyhow::Error::new(refused).context(format!(
            "tenant {} is named {} in the store, which has not recorded the tenant's id to \
             compare (a sync or an import records it)",
            estate.tenant_id, stored.tenant_id
        )));
    };
    let graph = GraphClient::from_config(config)?;
    let tid = super::runtime()?.block_on(graph.tenant_id()).map_err(|e| {
        anyhow::Error::new(e).context(format!(
            "cannot tell whether tenant {} is the store's tenant {}: signing in to it failed",
            estate.tenant_id, stored.tenant_id
        ))
    })?;
    if !tid.eq_ignore_ascii_case(&recorded) {
        return Err(refused.into());
    }
    tracing::info!(tenant = %estate.tenant_id, stored = %stored.tenant_id, %tid, "the same tenant by its id");
    Ok(store)
}

/// Records the tenant id of the token this run signed in with, so that the tenant can later
/// be named by another of its names. Never a request: a run that could not sign in records
/// nothing. Best effort.
pub(super) async fn record_tenant_id(store: &mut Store, graph: &GraphClient) {
    let Some(tid) = graph.known_tenant_id().await else {
        return tracing::debug!("no token this run: the tenant's id is not recorded");
    };
    match store.tenant_tid() {
        Ok(Some(recorded)) if !recorded.eq_ignore_ascii_case(&tid) => {
            // The configured name now leads to another tenant: the store keeps the one it
            // was bound to, and says so (its mappings name that tenant's users).
            return tracing::warn!(%recorded, %tid, "the configured tenant's id is not the one the store recorded: check graph.tenant_id");
        }
        Ok(_) => {}
        Err(e) => return tracing::warn!(error = %e, "could not read the tenant's recorded id"),
    }
    if let Err(e) = store.record_tenant_tid(&tid) {
        tracing::warn!(error = %e, "could not record the tenant's id");
    }
}
