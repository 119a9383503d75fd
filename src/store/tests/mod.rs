use super::*;
use crate::exit::{ExitCode, ExitStatus};
use crate::mapping::Mapping;

fn estate(tenant: &str) -> Estate {
    Estate {
        tenant_id: tenant.into(),
        micollab: "https://micollab.example.com".into(),
    }
}

fn mapping(login: &str, upn: &str, ext: &str) -> Mapping {
    let now = chrono::Utc::now();
    Mapping {
        micollab_login: login.into(),
        teams_upn: upn.into(),
        teams_id: None,
        extension: ext.into(),
        cloudlink_user_id: None,
        verified: false,
        created_at: now,
        updated_at: now,
        removed_at: None,
    }
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("sub/state.db"), None).unwrap();
    (dir, store)
}

mod lease;
mod records;
mod schema;
