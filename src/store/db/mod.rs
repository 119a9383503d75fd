//! The store's two backends behind one small SQL interface: the embedded SQLite file (the
//! default) and a PostgreSQL server (for several `sync --watch` instances on several hosts).
//!
//! The interface is the part of rusqlite's the store uses (`query_row`, `execute`, cached
//! statements, `Row::get`), and rusqlite's value model is the lingua franca: parameters are
//! `rusqlite::ToSql`, columns are read with `rusqlite::types::FromSql`, and a failure is a
//! `rusqlite::Error` either way (PostgreSQL's are carried inside it, [`postgres::failure`]).
//! So the store's SQL and row readers are written once. The SQL is the dialect both speak:
//! `?N` placeholders (numbered `$N` for PostgreSQL), `ON CONFLICT … DO UPDATE`, `RETURNING`,
//! text timestamps; what differs (the schema, the file checks) is per backend.

pub mod postgres;

use rusqlite::types::{FromSql, ValueRef};

pub use postgres::{PgTarget, failure};
pub use rusqlite::{Error, OptionalExtension, Result, ToSql, params};

/// The parameters of one statement.
pub type Params<'a> = &'a [&'a dyn ToSql];

/// One connection to the store.
pub enum Connection {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::PgConnection),
}

impl Connection {
    pub fn is_postgres(&self) -> bool {
        matches!(self, Connection::Postgres(_))
    }

    /// The SQLite connection, for what only a file has (pragmas, checks, backups).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Connection::Sqlite(conn) => Some(conn),
            Connection::Postgres(_) => None,
        }
    }

    pub fn execute(&self, sql: &str, params: Params<'_>) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub fn query_row<T>(
        &self,
        sql: &str,
        params: Params<'_>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Several statements, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Connection::Sqlite(conn) => conn.execute_batch(sql),
            Connection::Postgres(conn) => conn.batch(sql),
        }
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match self {
            Connection::Sqlite(conn) => conn.prepare_cached(sql).map(Statement::Sqlite),
            Connection::Postgres(conn) => Ok(Statement::Postgres {
                conn,
                statement: conn.prepare(sql)?,
            }),
        }
    }

    /// Begins the one write transaction: SQLite's IMMEDIATE (the write lock first), and on
    /// PostgreSQL a transaction holding the store's writer lock, so writers of the two
    /// backends take turns alike (a read-then-write, like granting the lease, is never raced).
    pub fn transaction(&self) -> Result<Transaction<'_>> {
        match self {
            Connection::Sqlite(conn) => conn.execute_batch("BEGIN IMMEDIATE")?,
            Connection::Postgres(conn) => conn.begin_write()?,
        }
        Ok(Transaction {
            conn: self,
            open: true,
        })
    }
}

/// A write transaction; rolled back unless committed.
pub struct Transaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl Transaction<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// A prepared statement (cached by its connection).
pub enum Statement<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres {
        conn: &'c postgres::PgConnection,
        statement: tokio_postgres::Statement,
    },
}

impl Statement<'_> {
    pub fn execute(&mut self, params: Params<'_>) -> Result<usize> {
        match self {
            Statement::Sqlite(stmt) => stmt.execute(params),
            Statement::Postgres { conn, statement } => conn.execute(statement, params),
        }
    }

    pub fn query(&mut self, params: Params<'_>) -> Result<Rows<'_>> {
        match self {
            Statement::Sqlite(stmt) => stmt.query(params).map(Rows::Sqlite),
            Statement::Postgres { conn, statement } => Ok(Rows::Postgres {
                stream: conn.query(statement, params)?,
                current: None,
            }),
        }
    }

    pub fn query_row<T>(
        &mut self,
        params: Params<'_>,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(Error::QueryReturnedNoRows),
        }
    }

    /// Every row, each read by `f`.
    pub fn query_map<T>(
        &mut self,
        params: Params<'_>,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut rows = self.query(params)?;
        let mut read = Vec::new();
        while let Some(row) = rows.next()? {
            read.push(f(&row));
        }
        Ok(read.into_iter())
    }
}

/// One statement run for many rows in a transaction: on SQLite each as it is pushed, on
/// PostgreSQL a thousand at a time, pipelined (one round trip, not one per row).
pub struct Batch<'c> {
    statement: Statement<'c>,
    pending: Vec<Vec<rusqlite::types::Value>>,
    /// What `RETURNING id` gave, in push order.
    ids: Vec<i64>,
    returning: bool,
}

/// Rows sent to PostgreSQL in one pipeline.
const PIPELINE: usize = 1_000;

impl<'c> Batch<'c> {
    /// A batch of `sql`; with `returning`, each run's first column (an id) is kept.
    pub fn new(conn: &'c Connection, sql: &str, returning: bool) -> Result<Batch<'c>> {
        Ok(Batch {
            statement: conn.prepare_cached(sql)?,
            pending: Vec::new(),
            ids: Vec::new(),
            returning,
        })
    }

    pub fn push(&mut self, params: Params<'_>) -> Result<()> {
        match &mut self.statement {
            Statement::Sqlite(_) if self.returning => {
                let id = self.statement.query_row(params, |r| r.get(0))?;
                self.ids.push(id);
            }
            Statement::Sqlite(stmt) => {
                stmt.execute(params)?;
            }
            Statement::Postgres { .. } => {
                self.pending.push(postgres::values(params)?);
                if self.pending.len() == PIPELINE {
                    self.flush()?;
                }
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if let Statement::Postgres { conn, statement } = &self.statement {
            let batch = std::mem::take(&mut self.pending);
            let ids = conn.execute_pipelined(statement, batch)?;
            self.ids.extend(ids.into_iter().flatten());
        }
        Ok(())
    }

    /// Runs what is left; the ids `RETURNING` gave, in push order.
    pub fn finish(mut self) -> Result<Vec<i64>> {
        self.flush()?;
        Ok(self.ids)
    }
}

/// The rows of a query, read one at a time.
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres {
        stream: postgres::RowStream,
        /// The row read last (PostgreSQL's rows are owned).
        current: Option<tokio_postgres::Row>,
    },
}

/// One row of a query.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r tokio_postgres::Row),
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)] // Lends each row: not an Iterator.
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres { stream, current } => {
                *current = postgres::next_row(stream)?;
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// Where a column index must be a position (the store reads by position only).
pub trait RowIndex {
    fn position(self) -> usize;
}

impl RowIndex for usize {
    fn position(self) -> usize {
        self
    }
}

impl Row<'_> {
    pub fn get<I: RowIndex, T: FromSql>(&self, index: I) -> Result<T> {
        let index = index.position();
        let value = self.get_ref(index)?;
        T::column_result(value).map_err(|e| match e {
            rusqlite::types::FromSqlError::InvalidType => {
                Error::InvalidColumnType(index, format!("column {index}"), value.data_type())
            }
            other => Error::FromSqlConversionFailure(index, value.data_type(), Box::new(other)),
        })
    }

    pub fn get_ref(&self, index: usize) -> Result<ValueRef<'_>> {
        match self {
            Row::Sqlite(row) => row.get_ref(index),
            Row::Postgres(row) => postgres::value_at(row, index),
        }
    }
}

/// Whether `e` is a unique (or other constraint) violation, on either backend.
pub fn is_constraint_violation(e: &Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// The SQL with `?N` (and bare `?`) placeholders numbered as PostgreSQL wants them (`$N`).
/// Quoted text is left alone.
pub(super) fn numbered_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quoted = false;
    let mut next = 0;
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c != '?' || quoted {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        if digits.is_empty() {
            next += 1;
            digits = next.to_string();
        }
        out.push('$');
        out.push_str(&digits);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres() {
        for (sql, want) in [
            ("SELECT 1", "SELECT 1"),
            ("WHERE a = ?1 AND b = ?12", "WHERE a = $1 AND b = $12"),
            ("VALUES (?, ?, ?)", "VALUES ($1, $2, $3)"),
            ("WHERE a = '?1' AND b = ?2", "WHERE a = '?1' AND b = $2"),
        ] {
            assert_eq!(numbered_placeholders(sql), want, "{sql}");
        }
    }
}
