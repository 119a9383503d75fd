//! The connected systems as import's [`Directory`]: the lookups a CSV row is checked with.

use std::collections::{HashMap, HashSet};

use super::resolve::{CloudlinkUser, Directory, TeamsUser};
use crate::connectors::PresenceDirectory;
use crate::connectors::cloudlink::CloudlinkDirectory;
use crate::connectors::micollab::MicollabAdmin;
use crate::connectors::pbx::PbxDirectory;
use crate::connectors::ports::{ConnectedSystems, SourceError};

impl Directory for ConnectedSystems {
    async fn teams_users(
        &self,
        names: &[String],
    ) -> Result<HashMap<String, TeamsUser>, SourceError> {
        let resolution = self
            .teams
            .resolve_users(names)
            .await
            .map_err(|e| SourceError::of("graph", &e))?;
        Ok(resolution
            .found
            .into_iter()
            .map(|(name, found)| {
                (
                    name.to_ascii_lowercase(),
                    TeamsUser {
                        id: found.user.id,
                        user_principal_name: found.user.user_principal_name,
                        mail: found.user.mail,
                    },
                )
            })
            .collect())
    }

    async fn micollab_logins(&self, logins: &[String]) -> Result<HashSet<String>, SourceError> {
        let found = self
            .micollab
            .users_by_login(logins)
            .await
            .map_err(|e| SourceError::of_micollab(&e))?;
        Ok(found.into_keys().collect())
    }

    async fn extensions(&self, extensions: &[String]) -> Result<HashSet<String>, SourceError> {
        let batch = self
            .pbx
            .extensions(extensions)
            .await
            .map_err(|e| SourceError::of("pbx", &e))?;
        Ok(batch.found.into_keys().collect())
    }

    async fn cloudlink_users(&self) -> Result<Vec<CloudlinkUser>, SourceError> {
        let users = self
            .cloudlink
            .users()
            .await
            .map_err(|e| SourceError::of("cloudlink", &e))?;
        Ok(users
            .into_iter()
            .map(|u| CloudlinkUser {
                user_id: u.user_id,
                email: u.email,
            })
            .collect())
    }
}
