//! CloudLink as the sync engine's presentity store ([`CloudlinkPort`]).

use super::{CloudlinkClient, CloudlinkDirectory, PresentityUpdate, PresentityWriteError};
use crate::connectors::ports::{
    CloudlinkPort, OnMitelApi, PresentityWrite, SourceError, WriteFailure,
};
use crate::ids::IdMap;
use crate::reconcile::Presentity;

impl CloudlinkPort for CloudlinkClient {
    const PER_USER_LOOKUP_MAX: usize = super::PER_USER_LOOKUP_MAX;

    async fn principal_ids(&self, user_ids: &[String]) -> Result<IdMap<String>, SourceError> {
        CloudlinkDirectory::principal_ids(self, user_ids)
            .await
            .map_err(|e| SourceError::of("cloudlink", &e))
    }

    async fn principal_directory(&self) -> Result<IdMap<String>, SourceError> {
        CloudlinkClient::principal_directory(self)
            .await
            .map_err(|e| SourceError::of("cloudlink", &e))
    }

    async fn presentities(
        &self,
        principal_ids: &[String],
    ) -> Result<IdMap<Presentity>, SourceError> {
        let found = self
            .presentity_briefs(principal_ids)
            .await
            .map_err(|e| SourceError::of("cloudlink", &e))?;
        Ok(found
            .into_iter()
            .map(|p| {
                (
                    p.principal_id,
                    Presentity {
                        status: p.status,
                        activity: p.activity,
                        version: p.version.to_string(),
                        source: p.source,
                    },
                )
            })
            .collect())
    }

    async fn write_presentities(
        &self,
        writes: &[PresentityWrite],
    ) -> Vec<Result<String, WriteFailure>> {
        // A version mcteams did not read from CloudLink cannot guard a write: such a write
        // is refused here rather than sent unconditionally.
        let mut results: Vec<Option<Result<String, WriteFailure>>> = vec![None; writes.len()];
        let mut updates = Vec::with_capacity(writes.len());
        let mut positions = Vec::with_capacity(writes.len());
        for (i, w) in writes.iter().enumerate() {
            match w.expected_version.trim().parse::<u64>() {
                Ok(version) => {
                    updates.push(PresentityUpdate {
                        principal_id: w.principal_id.clone(),
                        status: w.status.name().to_string(),
                        activity: (!w.activity.is_empty()).then(|| w.activity.clone()),
                        expected_version: version,
                    });
                    positions.push(i);
                }
                Err(_) => {
                    results[i] = Some(Err(WriteFailure::Failed(SourceError::new(
                        "cloudlink",
                        format!(
                            "cloudlink: presentity {}: expected version {:?} is not a CloudLink version; not written",
                            w.principal_id, w.expected_version
                        ),
                    ))));
                }
            }
        }
        let outcomes = CloudlinkDirectory::write_presentities(self, &updates).await;
        for (position, outcome) in positions.into_iter().zip(outcomes) {
            results[position] = Some(match outcome {
                Ok(p) => Ok(p.version.to_string()),
                Err(PresentityWriteError::Conflict { .. }) => Err(WriteFailure::Conflict),
                Err(PresentityWriteError::Failed(e)) => {
                    Err(WriteFailure::Failed(SourceError::of("cloudlink", &e)))
                }
            });
        }
        results
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| {
                    Err(WriteFailure::Failed(SourceError::new(
                        "cloudlink",
                        "cloudlink: no answer for this write",
                    )))
                })
            })
            .collect()
    }
}

impl OnMitelApi for CloudlinkClient {
    fn mitel_api(&self) -> &crate::connectors::mitel::MitelApi {
        &self.api
    }
}
