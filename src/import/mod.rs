//! Bulk onboarding: read a mapping CSV, validate every row, plan create / update / unchanged /
//! error against the stored mappings, and apply the plan in one transaction.
//!
//! Pure up to `apply`: reading and planning touch neither the store nor any system, so a dry
//! run and a real run see the same plan.

pub mod csv_input;
mod directory;
pub mod discover;
pub mod resolve;
pub mod validate;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::mapping::Mapping;
pub use csv_input::{CsvFile, InputError, InputRow, RESULT_COLUMNS, ReadOptions};
pub use validate::RowError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Update,
    Unchanged,
    Error,
}

impl RowAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RowAction::Create => "create",
            RowAction::Update => "update",
            RowAction::Unchanged => "unchanged",
            RowAction::Error => "error",
        }
    }
}

/// The plan for one row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowPlan {
    pub row: usize,
    pub line: u64,
    pub action: RowAction,
    /// The mapping the row stands for (`None` when it failed validation).
    pub mapping: Option<Mapping>,
    pub error: Option<RowError>,
}

/// The plan for the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportPlan {
    pub rows: Vec<RowPlan>,
    /// Logins of live mappings not in the file (only with `--prune`).
    pub prune: Vec<String>,
}

impl ImportPlan {
    pub fn count(&self, action: RowAction) -> usize {
        self.rows.iter().filter(|r| r.action == action).count()
    }

    /// The mappings to store: created and updated rows.
    pub fn changes(&self) -> Vec<Mapping> {
        self.rows
            .iter()
            .filter(|r| matches!(r.action, RowAction::Create | RowAction::Update))
            .filter_map(|r| r.mapping.clone())
            .collect()
    }
}

/// The values of a row that passed the field rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub micollab_login: String,
    pub teams_upn: String,
    pub teams_id: Option<String>,
    pub extension: String,
    pub cloudlink_user_id: Option<String>,
}

/// Applies the field rules to one row; the first failing field names the problem.
pub fn validate_row(row: &InputRow) -> Result<Candidate, RowError> {
    if let Some((code, message)) = &row.read_error {
        return Err(RowError::new(code, message.clone()));
    }
    let required = |column: &str| {
        row.value(column)
            .map(str::to_string)
            .ok_or_else(|| RowError::new("missing_value", format!("{column} is empty")))
    };
    let checked =
        |column: &str, value: &str, code: &'static str, check: fn(&str) -> Result<(), String>| {
            check(value).map_err(|why| {
                RowError::new(code, format!("{column} {}: {why}", csv_input::shown(value)))
            })
        };
    let login = required("micollab_login")?;
    checked(
        "micollab_login",
        &login,
        "invalid_login",
        validate::check_login,
    )?;
    let upn = required("teams_upn")?;
    checked("teams_upn", &upn, "invalid_upn", validate::check_upn)?;
    let extension = required("extension")?;
    checked(
        "extension",
        &extension,
        "invalid_extension",
        validate::check_extension,
    )?;
    let teams_id = row.value("teams_id").map(str::to_ascii_lowercase);
    if let Some(id) = &teams_id {
        checked("teams_id", id, "invalid_teams_id", validate::check_guid)?;
    }
    let cloudlink = row.value("cloudlink_user_id").map(str::to_string);
    if let Some(id) = &cloudlink {
        checked(
            "cloudlink_user_id",
            id,
            "invalid_cloudlink_user_id",
            validate::check_cloudlink_id,
        )?;
    }
    Ok(Candidate {
        micollab_login: login,
        teams_upn: upn,
        teams_id,
        extension,
        cloudlink_user_id: cloudlink,
    })
}

/// Plans a file against the stored mappings (live and tombstones).
///
/// - Rows failing the field rules, and every row of a duplicate (same login, same UPN in any
///   case, same extension), are errors.
/// - A row whose UPN or extension is held by a stored mapping that stays (not in the file,
///   not pruned) is an error naming that login; the stored mapping is untouched.
/// - `resolved`: the outcome of checking rows against the systems, by row; rows not in it
///   are validated here.
/// - `verified`: whether the rows were resolved against the systems (`--offline`: false).
pub fn plan(
    file: &CsvFile,
    existing: &[Mapping],
    resolved: &HashMap<usize, Result<Candidate, RowError>>,
    verified: bool,
    prune: bool,
) -> ImportPlan {
    let now = Utc::now();
    let mut outcomes: Vec<Result<Candidate, RowError>> = file
        .rows
        .iter()
        .map(|row| match resolved.get(&row.row) {
            Some(outcome) => outcome.clone(),
            None => validate_row(row),
        })
        .collect();

    mark_duplicates(file, &mut outcomes);

    let in_file: HashSet<&str> = file
        .rows
        .iter()
        .filter_map(|r| r.value("micollab_login"))
        .collect();
    let staying: Vec<&Mapping> = existing
        .iter()
        .filter(|m| m.removed_at.is_none())
        .filter(|m| !prune || in_file.contains(m.micollab_login.as_str()))
        .collect();
    // Who keeps a UPN or an extension after the import, among mappings the file does not
    // (successfully) replace.
    let replaced: HashSet<String> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok())
        .map(|c| c.micollab_login.clone())
        .collect();
    let mut owners = Owners::of(
        staying
            .iter()
            .filter(|m| !replaced.contains(&m.micollab_login))
            .copied(),
    );
    if !verified {
        // Offline, nothing checks a row's object id against Entra: the store's verified
        // pairs do.
        owners.know_verified(existing);
    }
    let by_login: HashMap<&str, &Mapping> = existing
        .iter()
        .map(|m| (m.micollab_login.as_str(), m))
        .collect();
    let rows = file
        .rows
        .iter()
        .zip(outcomes)
        .map(|(input, outcome)| {
            let outcome = outcome.and_then(|c| owners.check(c));
            let old = outcome
                .as_ref()
                .ok()
                .and_then(|c| by_login.get(c.micollab_login.as_str()).copied());
            planned_row(input, outcome, old, verified, now)
        })
        .collect();
    let prune = if prune {
        existing
            .iter()
            .filter(|m| m.removed_at.is_none() && !in_file.contains(m.micollab_login.as_str()))
            .map(|m| m.micollab_login.clone())
            .collect()
    } else {
        Vec::new()
    };
    ImportPlan { rows, prune }
}

/// Who keeps each UPN (in any case), Entra object id and extension after the import; and,
/// for an offline import, the object id each UPN was verified to be.
struct Owners<'a> {
    upn: HashMap<String, &'a str>,
    teams_id: HashMap<String, &'a str>,
    extension: HashMap<&'a str, &'a str>,
    verified_id: HashMap<String, (&'a str, &'a str)>,
    verified_upn: HashMap<String, (&'a str, &'a str)>,
}

impl<'a> Owners<'a> {
    fn of(staying: impl Iterator<Item = &'a Mapping>) -> Owners<'a> {
        let mut owners = Owners {
            upn: HashMap::new(),
            teams_id: HashMap::new(),
            extension: HashMap::new(),
            verified_id: HashMap::new(),
            verified_upn: HashMap::new(),
        };
        for m in staying {
            owners
                .upn
                .insert(m.teams_upn.to_ascii_lowercase(), &m.micollab_login);
            if let Some(id) = &m.teams_id {
                owners
                    .teams_id
                    .insert(id.to_ascii_lowercase(), &m.micollab_login);
            }
            owners.extension.insert(&m.extension, &m.micollab_login);
        }
        owners
    }

    /// The object id each live, verified mapping's UPN resolved to.
    fn know_verified(&mut self, existing: &'a [Mapping]) {
        for m in existing
            .iter()
            .filter(|m| m.verified && m.removed_at.is_none())
        {
            if let Some(id) = &m.teams_id {
                let upn = m.teams_upn.to_ascii_lowercase();
                self.verified_id.insert(upn, (id, &m.micollab_login));
                let by_id = (m.teams_upn.as_str(), m.micollab_login.as_str());
                self.verified_upn.insert(id.to_ascii_lowercase(), by_id);
            }
        }
    }

    /// A row whose object id another login keeps, or whose UPN was verified to be another
    /// object: an error (a phone would show on someone else's Teams).
    fn check_teams_id(&self, c: &Candidate) -> Result<(), RowError> {
        let Some(id) = &c.teams_id else {
            return Ok(());
        };
        if let Some(owner) = self.teams_id.get(&id.to_ascii_lowercase()) {
            return Err(RowError::new(
                "conflict_teams_id",
                format!("teams_id {id} is already mapped to login {owner}"),
            ));
        }
        if let Some((upn, login)) = self.verified_upn.get(&id.to_ascii_lowercase())
            && !upn.eq_ignore_ascii_case(&c.teams_upn)
        {
            return Err(RowError::new(
                "conflict_teams_id",
                format!(
                    "teams_id {id} is the Entra object of {upn} (verified for login {login}), not of {}",
                    c.teams_upn
                ),
            ));
        }
        match self.verified_id.get(&c.teams_upn.to_ascii_lowercase()) {
            Some((known, login)) if !known.eq_ignore_ascii_case(id) => Err(RowError::new(
                "conflict_teams_id",
                format!(
                    "teams_upn {} is Entra object {known} (verified for login {login}), not {id}",
                    c.teams_upn
                ),
            )),
            _ => Ok(()),
        }
    }

    /// A row whose UPN or extension another login keeps is an error naming that login.
    fn check(&self, c: Candidate) -> Result<Candidate, RowError> {
        self.check_teams_id(&c)?;
        if let Some(owner) = self.upn.get(&c.teams_upn.to_ascii_lowercase()) {
            return Err(RowError::new(
                "conflict_upn",
                format!(
                    "teams_upn {} is already mapped to login {owner}",
                    c.teams_upn
                ),
            ));
        }
        if let Some(owner) = self.extension.get(c.extension.as_str()) {
            return Err(RowError::new(
                "conflict_extension",
                format!(
                    "extension {} is already mapped to login {owner}",
                    c.extension
                ),
            ));
        }
        Ok(c)
    }
}

/// What the import does with one row, given the stored mapping of its login (if any).
fn planned_row(
    input: &InputRow,
    outcome: Result<Candidate, RowError>,
    old: Option<&Mapping>,
    verified: bool,
    now: DateTime<Utc>,
) -> RowPlan {
    let c = match outcome {
        Ok(c) => c,
        Err(error) => {
            return RowPlan {
                row: input.row,
                line: input.line,
                action: RowAction::Error,
                mapping: None,
                error: Some(error),
            };
        }
    };
    let mut mapping = Mapping {
        micollab_login: c.micollab_login,
        teams_upn: c.teams_upn,
        // An offline row without an object id keeps the one already resolved.
        teams_id: c.teams_id.or_else(|| old.and_then(|o| o.teams_id.clone())),
        extension: c.extension,
        cloudlink_user_id: c
            .cloudlink_user_id
            .or_else(|| old.and_then(|o| o.cloudlink_user_id.clone())),
        verified,
        created_at: old.map_or(now, |o| o.created_at),
        updated_at: now,
        removed_at: None,
    };
    let action = match old {
        None => RowAction::Create,
        Some(o) if o.removed_at.is_some() => RowAction::Update,
        Some(o) if o.same_target(&mapping) && (o.verified || !verified) => {
            // Same target; an offline re-import never downgrades a verified one.
            mapping.verified = o.verified;
            mapping.updated_at = o.updated_at;
            RowAction::Unchanged
        }
        Some(_) => RowAction::Update,
    };
    RowPlan {
        row: input.row,
        line: input.line,
        action,
        mapping: Some(mapping),
        error: None,
    }
}

/// Every row involved in a duplicate fails, naming the other rows.
fn mark_duplicates(file: &CsvFile, outcomes: &mut [Result<Candidate, RowError>]) {
    type Key = fn(&Candidate) -> String;
    let keys: [(&'static str, &'static str, Key); 4] = [
        ("duplicate_login", "micollab_login", |c| {
            c.micollab_login.clone()
        }),
        ("duplicate_upn", "teams_upn", |c| {
            c.teams_upn.to_ascii_lowercase()
        }),
        ("duplicate_extension", "extension", |c| c.extension.clone()),
        // Rows without an object id have none to share.
        ("duplicate_teams_id", "teams_id", |c| {
            c.teams_id
                .as_deref()
                .unwrap_or_default()
                .to_ascii_lowercase()
        }),
    ];
    let mut findings: BTreeMap<usize, RowError> = BTreeMap::new();
    for (code, column, key) in keys {
        let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, outcome) in outcomes.iter().enumerate() {
            if let Ok(c) = outcome {
                let value = key(c);
                if !value.is_empty() {
                    groups.entry(value).or_default().push(index);
                }
            }
        }
        for (value, members) in groups.into_iter().filter(|(_, m)| m.len() > 1) {
            for &index in &members {
                let others: Vec<String> = members
                    .iter()
                    .filter(|&&o| o != index)
                    .map(|&o| file.rows[o].row.to_string())
                    .collect();
                findings.entry(index).or_insert_with(|| {
                    RowError::new(
                        code,
                        format!(
                            "{column} {} is also on row(s) {}",
                            csv_input::shown(&value),
                            others.join(", ")
                        ),
                    )
                });
            }
        }
    }
    for (index, error) in findings {
        outcomes[index] = Err(error);
    }
}

#[cfg(test)]
mod tests;
