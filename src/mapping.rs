//! A user mapping and the mapping CSV format (the import and export format).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The columns of the mapping CSV, in the order `mappings export` writes them.
pub const MAPPING_COLUMNS: [&str; 5] = [
    "micollab_login",
    "teams_upn",
    "teams_id",
    "extension",
    "cloudlink_user_id",
];

/// One user across the systems. Keyed by the MiCollab login; the Entra object id is what
/// the sync uses (a UPN can be renamed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    pub micollab_login: String,
    pub teams_upn: String,
    pub teams_id: Option<String>,
    pub extension: String,
    pub cloudlink_user_id: Option<String>,
    /// Resolved against the systems (false: imported with `--offline`).
    pub verified: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Set on a tombstone: removed, waiting for the sync to clear what mcteams set.
    pub removed_at: Option<DateTime<Utc>>,
}

impl Mapping {
    /// The five CSV fields, in [`MAPPING_COLUMNS`] order (absent values are empty).
    pub fn csv_fields(&self) -> [&str; 5] {
        [
            &self.micollab_login,
            &self.teams_upn,
            self.teams_id.as_deref().unwrap_or(""),
            &self.extension,
            self.cloudlink_user_id.as_deref().unwrap_or(""),
        ]
    }

    /// Same mapping, ignoring bookkeeping (timestamps, verification).
    pub fn same_target(&self, other: &Mapping) -> bool {
        self.csv_fields() == other.csv_fields()
    }
}

/// Writes mappings in the mapping CSV format, byte-exact: no spreadsheet escaping, since
/// every field is validated and can never start with a formula character.
pub fn write_mapping_csv<W: std::io::Write>(out: W, mappings: &[Mapping]) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(MAPPING_COLUMNS)?;
    for m in mappings {
        writer.write_record(m.csv_fields())?;
    }
    writer.flush()?;
    Ok(())
}
