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

/// A store of a test's own on the backend under test ([`each_backend`]): a file in a
/// temporary directory, or a PostgreSQL schema of its own.
pub(crate) use crate::test_support::TempStore;

thread_local! {
    static ON_POSTGRES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `test` on SQLite, then on PostgreSQL when `MCTEAMS_TEST_POSTGRES` names a server
/// (saying so when it does not). [`temp_store`] opens the backend under test.
fn each_backend(test: impl Fn()) {
    test();
    if crate::test_support::postgres_for_tests().is_some() {
        ON_POSTGRES.with(|on| on.set(true));
        test();
        ON_POSTGRES.with(|on| on.set(false));
    }
}

fn temp_store() -> (TempStore, Store) {
    let temp = match ON_POSTGRES.with(|on| on.get()) {
        true => TempStore::postgres().expect("MCTEAMS_TEST_POSTGRES"),
        false => TempStore::file(),
    };
    let store = temp.reopen();
    (temp, store)
}

mod glance;
mod lease;
mod records;
mod schema;
