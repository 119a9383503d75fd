//! Timestamps as the store writes them: rusqlite's own text form of a `DateTime<Utc>`
//! (`%F %T%.f%:z`, which the store's comparisons of stored times rely on), formatted from
//! items parsed once. rusqlite parses that format string for every value it binds, and a
//! first sync of 100,000 users binds over half a million.

use std::sync::LazyLock;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Utc};
use rusqlite::types::{ToSql, ToSqlOutput};

static ITEMS: LazyLock<Vec<Item<'static>>> = LazyLock::new(|| {
    StrftimeItems::new("%F %T%.f%:z")
        .parse_to_owned()
        .unwrap_or_default()
});

/// A timestamp bound as rusqlite would bind it, faster.
#[derive(Debug, Clone, Copy)]
pub(super) struct SqlTime(pub DateTime<Utc>);

impl SqlTime {
    pub fn text(&self) -> String {
        self.0.format_with_items(ITEMS.iter()).to_string()
    }
}

impl ToSql for SqlTime {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.text()))
    }
}

pub(super) fn sql_time(t: Option<DateTime<Utc>>) -> Option<SqlTime> {
    t.map(SqlTime)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::ToSqlOutput;

    #[test]
    fn times_are_written_exactly_as_rusqlite_writes_them() {
        let cases = [
            "2026-12-03T13:00:00Z",
            "2026-12-03T13:00:00.5Z",
            "2026-12-03T13:00:00.123456789Z",
            "1999-01-01T00:00:00.000001Z",
        ];
        for case in cases {
            let t: DateTime<Utc> = case.parse().unwrap();
            let theirs = match t.to_sql().unwrap() {
                ToSqlOutput::Owned(v) => v,
                other => panic!("{other:?}"),
            };
            let ours = match SqlTime(t).to_sql().unwrap() {
                ToSqlOutput::Owned(v) => v,
                other => panic!("{other:?}"),
            };
            assert_eq!(ours, theirs, "{case}");
        }
    }
}
