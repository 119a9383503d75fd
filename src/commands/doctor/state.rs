//! `doctor`'s checks of the state store, looked at without creating or changing it: an
//! mcteams store of this build or an older one, undamaged, writable, its owner's alone, and
//! holding mappings (a store lost or emptied would sync nobody, silently).

use std::path::Path;

use super::{Outcome, Report};
use crate::config::Estate;
use crate::store::db::PgTarget;
use crate::store::{Inspection, Store, StoreError};

/// The refusal of a store bound to another estate than the config's. A tenant named
/// otherwise is left to the commands when the store recorded the tenant's id: they ask Entra
/// whether the configured name is the same tenant (this check stays offline).
fn foreign_to(path: &Path, found: &Inspection, estate: Option<&Estate>) -> Option<StoreError> {
    let (stored, estate) = (found.estate.as_ref()?, estate?);
    let refused = crate::store::foreign_estate(path, stored, estate)?;
    match (stored.same_micollab(estate), &found.tenant_tid) {
        (true, Some(_)) => None,
        _ => Some(refused),
    }
}

/// Whether the store at `path`, if there is one, can be used with this config: an
/// undamaged mcteams store this build can read, of the config's estate (`config check`).
pub(in crate::commands) fn usable(path: &Path, estate: Option<&Estate>) -> Result<(), StoreError> {
    if !path.exists() {
        return Ok(());
    }
    let found = Store::inspect(path)?;
    match foreign_to(path, &found, estate) {
        Some(foreign) => Err(foreign),
        None => Ok(()),
    }
}

const S: &str = "state";

/// The checks of a PostgreSQL store: reachable, this build's or an older schema, this
/// estate's, holding mappings (its permissions and integrity are the server's).
pub(super) fn check_shared(target: &PgTarget, estate: Option<&Estate>, report: &mut Report) {
    let shown = target.shown();
    let found = match Store::inspect_shared(target) {
        Ok(found) => found,
        Err(e) => return unusable(report, &e),
    };
    if let Some(foreign) = foreign_to(Path::new(shown), &found, estate) {
        return unusable(report, &foreign);
    }
    match found.schema {
        0 => report.ok(
            S,
            "store",
            format!("{shown}: empty, the first import or sync creates the store"),
        ),
        schema => report.ok(S, "store", format!("{shown} (PostgreSQL): schema {schema}")),
    }
    mappings_check(&found, report);
}

pub(super) fn check_state(
    path: &Path,
    estate: Option<&Estate>,
    directory: Result<(), StoreError>,
    report: &mut Report,
) {
    let shown = path.display();
    if let Err(missing) = directory {
        return unusable(report, &missing);
    }
    if !path.exists() {
        // A first run: nothing to fix.
        let detail = format!("none yet at {shown}: the first import or sync creates it");
        return report.ok(S, "store", detail);
    }
    let found = match Store::inspect(path) {
        Ok(found) => found,
        Err(e) => return unusable(report, &e),
    };
    if let Some(foreign) = foreign_to(path, &found, estate) {
        return unusable(report, &foreign);
    }
    report.ok(S, "store", format!("{shown}: schema {}", found.schema));
    writable(path, report);
    if let Some(mode) = found.mode.filter(|_| found.open_to_others()) {
        let detail = format!(
            "{shown} can be read by others (mode {mode:04o}): it holds UPNs, extensions and the audit trail"
        );
        let hint = format!("chmod 600 {shown}*; chmod 700 on its directory");
        report.add(S, "permissions", Outcome::Warn, detail, Some(&hint));
    } else {
        report.ok(S, "permissions", "its owner's only");
    }
    mappings_check(&found, report);
}

fn mappings_check(found: &Inspection, report: &mut Report) {
    if found.mappings == 0 {
        let detail = "the store has no mappings: sync checks nobody";
        let hint = "import the mappings (`mcteams import`), or restore the store from a backup if it was lost";
        report.add(S, "mappings", Outcome::Warn, detail, Some(hint));
    } else {
        report.ok(S, "mappings", format!("{} mapped users", found.mappings));
    }
}

/// A store no command can use: a configuration error (exit 78), as for every command.
fn unusable(report: &mut Report, error: &StoreError) {
    unusable_as(report, "store", error)
}

fn unusable_as(report: &mut Report, check: &'static str, error: &StoreError) {
    report.config_broken = true;
    let hint = match error {
        StoreError::NewerSchema { .. } => "upgrade mcteams, or point --state at this build's store",
        StoreError::NotAStore { .. } | StoreError::Damaged { .. } => {
            "restore the store from a backup, or move the file aside (a new store needs the mappings imported again)"
        }
        StoreError::ForeignEstate { .. } => {
            "point --state (or [state] path) at this estate's store: each estate has its own"
        }
        _ => "point --state (or [state] path) at the store's file",
    };
    report.fail(S, check, error.to_string(), hint);
}

/// The store's file, its WAL and shared memory, and its directory can be written.
fn writable(path: &Path, report: &mut Report) {
    match crate::store::in_the_way(path) {
        None => report.ok(
            S,
            "writable",
            "the file, its -wal and -shm, and its directory",
        ),
        Some((at, why)) => {
            report.config_broken = true;
            let detail = format!("cannot write {}: {why}", at.display());
            let hint = "give mcteams' user write access to the store's file and directory (a read-only or full filesystem stops every sync)";
            report.fail(S, "writable", detail, hint);
        }
    }
}

/// SQLite's full integrity check (`state check`): only of a store the other checks found
/// usable; the quick check every command runs on open is part of the `store` check.
pub(super) fn check_integrity(path: &Path, report: &mut Report) {
    let usable = report
        .checks
        .iter()
        .any(|c| c.system == S && c.check == "store" && c.result == Outcome::Ok);
    if !usable || !path.exists() {
        return;
    }
    match Store::integrity(path) {
        Ok(()) => report.ok(S, "integrity", "SQLite's full integrity check: ok"),
        Err(e) => unusable_as(report, "integrity", &e),
    }
}
