//! Values the unit tests of several modules build alike.

use chrono::{DateTime, Utc};

use crate::mapping::Mapping;
use crate::presence::{CallState, DeviceType, PhoneState};

/// An unverified mapping without object or CloudLink ids, created and updated `at`.
pub fn mapping_at(login: &str, upn: &str, extension: &str, at: DateTime<Utc>) -> Mapping {
    Mapping {
        micollab_login: login.into(),
        teams_upn: upn.into(),
        teams_id: None,
        extension: extension.into(),
        cloudlink_user_id: None,
        verified: false,
        created_at: at,
        updated_at: at,
        removed_at: None,
    }
}

/// A desk phone (no ACD hot-desking) in this call state.
pub fn desk_phone(call: CallState, dnd: bool) -> PhoneState {
    PhoneState {
        call,
        dnd,
        device: DeviceType::DeskPhone,
        acd_hotdesk: false,
    }
}

/// The PostgreSQL server the tests may use (`MCTEAMS_TEST_POSTGRES`, its password in
/// `MCTEAMS_TEST_POSTGRES_PASSWORD`), said once when there is none.
pub fn postgres_for_tests() -> Option<(String, Option<String>)> {
    static SKIPPED: std::sync::Once = std::sync::Once::new();
    match std::env::var("MCTEAMS_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => {
            Some((url, std::env::var("MCTEAMS_TEST_POSTGRES_PASSWORD").ok()))
        }
        _ => {
            SKIPPED.call_once(|| {
                eprintln!(
                    "PostgreSQL store tests skipped: MCTEAMS_TEST_POSTGRES names no server (.ci/postgres starts one)"
                )
            });
            None
        }
    }
}

/// A store of a test's own: a file in a temporary directory, or a PostgreSQL schema of its
/// own (dropped when the test ends).
pub enum TempStore {
    File(#[allow(dead_code)] tempfile::TempDir, std::path::PathBuf),
    Postgres(crate::store::Location, String),
}

impl TempStore {
    pub fn file() -> TempStore {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.db");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        TempStore::File(dir, path)
    }

    /// A new, empty schema on the tests' PostgreSQL server.
    pub fn postgres() -> Option<TempStore> {
        let (url, password) = postgres_for_tests()?;
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let in_schema =
            crate::store::db::postgres::new_schema(&url, password.clone(), &schema).unwrap();
        let target = crate::store::db::PgTarget::parse(&in_schema, password, None).unwrap();
        Some(TempStore::Postgres(
            crate::store::Location::Postgres(Box::new(target)),
            schema,
        ))
    }

    pub fn location(&self) -> crate::store::Location {
        match self {
            TempStore::File(_, path) => crate::store::Location::File(path.clone()),
            TempStore::Postgres(location, _) => location.clone(),
        }
    }

    /// Another connection to the store (migrating it on the first).
    pub fn reopen(&self) -> crate::store::Store {
        crate::store::Store::open_at(&self.location(), None).unwrap()
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        if let TempStore::Postgres(_, schema) = self
            && let Some((url, password)) = postgres_for_tests()
            && let Ok(admin) = crate::store::db::PgTarget::parse(&url, password, None)
            && let Ok(conn) = crate::store::db::postgres::PgConnection::connect(&admin, &[])
        {
            let _ = conn.batch(&format!("DROP SCHEMA {schema} CASCADE"));
        }
    }
}
