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
    crate::test_support::mapping_at(login, upn, ext, chrono::Utc::now())
}

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("sub/state.db"), None).unwrap();
    (dir, store)
}

mod glance;
mod lease;
mod records;
mod schema;
