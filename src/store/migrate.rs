//! Moving a store to another backend (`mcteams state migrate --to postgres://…`): every
//! table copied in one transaction of the target, from one consistent read of the source,
//! each table's count checked before it commits.

use rusqlite::types::Value;
use serde::Serialize;

use super::db::{self, ToSql};
use super::{Store, StoreError};

/// The store's tables, in an order that keeps ids meaningful (runs before what names them).
const TABLES: &[&str] = &[
    "estate",
    "mappings",
    "sync_records",
    "runs",
    "journal",
    "audit",
    "meta",
    "cloudlink_principals",
    "leases",
    "onboarding",
    "guard_plans",
];

/// Tables whose ids are a sequence on PostgreSQL, moved past the ids copied.
const SEQUENCES: &[(&str, &str)] = &[
    ("runs", "id"),
    ("journal", "id"),
    ("audit", "id"),
    ("guard_plans", "id"),
];

/// One table's rows in the source and, after the copy, in the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: &'static str,
    pub source: i64,
    pub target: i64,
}

impl Store {
    /// The rows of each of the store's tables.
    pub fn table_counts(&self) -> Result<Vec<(&'static str, i64)>, StoreError> {
        TABLES
            .iter()
            .map(|table| {
                let sql = format!("SELECT count(*) FROM {table}");
                let n = self.conn.query_row(&sql, &[], |r| r.get(0));
                Ok((*table, n.map_err(|e| self.err(e))?))
            })
            .collect()
    }

    /// Copies this store into `target` (migrated, and empty unless `replace`: then its rows
    /// go first). All of it lands, counts equal table by table, or none of it. The target's
    /// leases are left free: whoever runs next there takes them.
    pub fn copy_into(
        &self,
        target: &mut Store,
        replace: bool,
    ) -> Result<Vec<TableCount>, StoreError> {
        let source_counts = self.table_counts()?;
        let occupied = target.table_counts()?.into_iter().any(|(_, n)| n > 0);
        if occupied && !replace {
            return Err(StoreError::Conflict(format!(
                "{} already holds a store: copying over it needs --force",
                target.path().display()
            )));
        }
        // One read of the source: a snapshot while syncs may go on writing it.
        self.conn.execute_batch("BEGIN").map_err(|e| self.err(e))?;
        let copied = target.write(|tx| {
            for table in TABLES.iter().rev() {
                tx.execute(&format!("DELETE FROM {table}"), &[])?;
            }
            for table in TABLES {
                self.copy_table(tx, table)?;
            }
            tx.execute("UPDATE leases SET token = ''", &[])?;
            if tx.is_postgres() {
                for (table, column) in SEQUENCES {
                    tx.query_row(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                                    coalesce(max({column}), 0) + 1, false) FROM {table}"
                        ),
                        &[],
                        |_| Ok(()),
                    )?;
                }
            }
            let mut counts = Vec::new();
            for (table, source) in &source_counts {
                let sql = format!("SELECT count(*) FROM {table}");
                let target: i64 = tx.query_row(&sql, &[], |r| r.get(0))?;
                if target != *source {
                    return Err(StoreError::Conflict(format!(
                        "{table}: {source} rows in the source, {target} copied; nothing was kept"
                    )));
                }
                counts.push(TableCount {
                    table,
                    source: *source,
                    target,
                });
            }
            Ok(counts)
        });
        let _ = self.conn.execute_batch("COMMIT");
        copied
    }

    /// Copies one table's rows, many to a statement.
    fn copy_table(&self, tx: &db::Transaction<'_>, table: &str) -> Result<(), StoreError> {
        let columns = self.columns_of(table)?;
        let width = columns.len();
        let order = if table == "estate" { "id" } else { "rowid" };
        let select = format!(
            "SELECT {} FROM {table} ORDER BY {order}",
            columns.join(", ")
        );
        let mut stmt = self.conn.prepare_cached(&select).map_err(|e| self.err(e))?;
        let mut rows = stmt.query(&[]).map_err(|e| self.err(e))?;
        let per_statement = (30_000 / width).clamp(1, 500);
        let mut batch: Vec<Value> = Vec::with_capacity(per_statement * width);
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            for i in 0..width {
                batch.push(row.get::<_, Value>(i).map_err(|e| self.err(e))?);
            }
            if batch.len() == per_statement * width {
                insert_rows(tx, table, &columns, &batch)?;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            insert_rows(tx, table, &columns, &batch)?;
        }
        Ok(())
    }

    /// A table's columns as the source has them (SQLite's `rowid` is not one).
    fn columns_of(&self, table: &str) -> Result<Vec<String>, StoreError> {
        let sql = format!("SELECT * FROM {table} LIMIT 0");
        let names = match self.conn.sqlite() {
            Some(sqlite) => sqlite
                .prepare(&sql)
                .map(|stmt| stmt.column_names().map(|c| c.to_string()).collect())
                .map_err(|e| self.err(e))?,
            None => {
                return Err(StoreError::Conflict(
                    "only a SQLite store is moved by `state migrate` (a PostgreSQL one by pg_dump)"
                        .into(),
                ));
            }
        };
        Ok(names)
    }
}

fn insert_rows(
    tx: &db::Transaction<'_>,
    table: &str,
    columns: &[String],
    values: &[Value],
) -> Result<(), StoreError> {
    let width = columns.len();
    let rows: Vec<String> = values
        .chunks(width)
        .enumerate()
        .map(|(r, _)| {
            let marks: Vec<String> = (1..=width).map(|c| format!("?{}", r * width + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES {}",
        columns.join(", "),
        rows.join(", ")
    );
    let params: Vec<&dyn ToSql> = values.iter().map(|v| v as &dyn ToSql).collect();
    tx.execute(&sql, &params)?;
    Ok(())
}
