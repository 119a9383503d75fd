//! The PostgreSQL backend: a connection (tokio-postgres, driven on a small runtime of its
//! own so the store's synchronous calls work from inside or outside the CLI's runtime), the
//! store's values in and out of PostgreSQL's types, and its failures as the store's.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::{FromSql, IsNull, ToSql as PgToSql, Type, to_sql_checked};
use tokio_postgres::{Client, Config, NoTls, Statement};

use super::{Error, Params, Result};

/// How long a connection or a silent server is waited for before the store is unreachable.
const NETWORK_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a PostgreSQL store is, and how to reach it. Shown without its password.
#[derive(Clone)]
pub struct PgTarget {
    config: Config,
    tls: Option<tokio_postgres_rustls::MakeRustlsConnect>,
    shown: String,
}

impl fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Whether `text` names a PostgreSQL store rather than a file.
pub fn is_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

impl PgTarget {
    /// Reads a `postgres://` URL. The password comes from `password` (the config's
    /// `password_env` or `password_file`), never from the URL; TLS is required and verified
    /// (`sslmode=verify-full`) unless the server is on this host.
    pub fn parse(
        text: &str,
        password: Option<String>,
        ca_file: Option<&Path>,
    ) -> std::result::Result<PgTarget, String> {
        let mut url = url::Url::parse(text).map_err(|e| format!("not a URL ({e})"))?;
        if url.password().is_some() {
            return Err("has a password in it: give it in [state] password_env or password_file, never on a command line".into());
        }
        let mode = take_query(&mut url, "sslmode").unwrap_or_default();
        let host = url
            .host_str()
            .unwrap_or("")
            .trim_matches(['[', ']'])
            .to_string();
        // A Unix socket (`?host=/run/postgresql`) is this host too.
        let socket = host.is_empty()
            && url
                .query_pairs()
                .any(|(k, v)| k == "host" && v.starts_with('/'));
        let loopback = socket || matches!(host.as_str(), "localhost" | "127.0.0.1" | "::1");
        let tls = match mode.as_str() {
            "" => !loopback,
            "disable" if loopback => false,
            "disable" | "allow" | "prefer" | "require" | "verify-ca" => {
                return Err(format!(
                    "sslmode={mode}: only verify-full is allowed for a server that is not on this host (plain only to localhost)"
                ));
            }
            "verify-full" => true,
            other => {
                return Err(format!(
                    "sslmode={other} is not one mcteams knows (verify-full, or disable for localhost)"
                ));
            }
        };
        let mut config: Config = url
            .as_str()
            .parse()
            .map_err(|e| format!("cannot be read ({e})"))?;
        if let Some(password) = password {
            config.password(password);
        }
        config
            .application_name(concat!("mcteams/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(NETWORK_TIMEOUT)
            .tcp_user_timeout(NETWORK_TIMEOUT)
            .keepalives_idle(Duration::from_secs(5))
            .keepalives_interval(Duration::from_secs(2))
            .keepalives_retries(3);
        let tls = match tls {
            true => {
                config.ssl_mode(tokio_postgres::config::SslMode::Require);
                Some(tls_connector(ca_file)?)
            }
            false => {
                config.ssl_mode(tokio_postgres::config::SslMode::Disable);
                None
            }
        };
        url.set_query(None);
        Ok(PgTarget {
            config,
            tls,
            shown: url.to_string(),
        })
    }

    /// The URL as it may be shown (no password, no query).
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

fn take_query(url: &mut url::Url, key: &str) -> Option<String> {
    let mut found = None;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, v)| {
            let this = k == key;
            if this {
                found = Some(v.to_string());
            }
            !this
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
    found
}

fn tls_connector(
    ca_file: Option<&Path>,
) -> std::result::Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let certs = rustls_pki_types::CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<std::result::Result<Vec<_>, _>>())
                .map_err(|e| format!("[state] ca_file {}: {e}", path.display()))?;
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| format!("[state] ca_file {}: {e}", path.display()))?;
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| e.to_string())?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The runtime that drives every PostgreSQL connection's socket. The store's calls wait on
/// their answers with a plain executor, so they work on any thread, the CLI's runtime's too.
static DRIVER: LazyLock<std::io::Result<tokio::runtime::Runtime>> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("mcteams-postgres")
        .enable_all()
        .build()
});

fn wait<F: std::future::Future>(f: F) -> F::Output {
    futures_executor::block_on(f)
}

/// One connection, with its statements prepared once.
pub struct PgConnection {
    client: Client,
    statements: RefCell<HashMap<String, Statement>>,
}

impl PgConnection {
    /// Connects with the session `settings` (name, value) besides UTC as the time zone,
    /// sent with the connection's startup (no round trip of their own).
    pub fn connect(target: &PgTarget, settings: &[(&str, &str)]) -> Result<PgConnection> {
        let runtime = DRIVER.as_ref().map_err(|e| unreachable(e.to_string()))?;
        let mut config = target.config.clone();
        let mut options = config.get_options().unwrap_or_default().to_string();
        for (name, value) in [("TimeZone", "UTC")].iter().chain(settings) {
            options.push_str(&format!(" -c {name}={value}"));
        }
        config.options(options.trim_start());
        let tls = target.tls.clone();
        let connecting = runtime.spawn(async move {
            let client = match tls {
                Some(tls) => {
                    let (client, connection) = config.connect(tls).await?;
                    tokio::spawn(connection);
                    client
                }
                None => {
                    let (client, connection) = config.connect(NoTls).await?;
                    tokio::spawn(connection);
                    client
                }
            };
            Ok::<_, tokio_postgres::Error>(client)
        });
        let client = wait(connecting)
            .map_err(|e| unreachable(e.to_string()))?
            .map_err(to_error)?;
        Ok(PgConnection {
            client,
            statements: RefCell::default(),
        })
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement> {
        if let Some(statement) = self.statements.borrow().get(sql) {
            return Ok(statement.clone());
        }
        let numbered = super::numbered_placeholders(sql);
        let statement = wait(self.client.prepare(&numbered)).map_err(to_error)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    pub fn execute(&self, statement: &Statement, params: Params<'_>) -> Result<usize> {
        let args = args(params)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = args.iter().map(|a| a as _).collect();
        let n = wait(self.client.execute(statement, &refs)).map_err(to_error)?;
        Ok(n as usize)
    }

    /// The rows of a query as the server sends them, one at a time: a pass over 100,000
    /// users holds one row, not all of them. (Until the stream is read to its end or
    /// dropped, the connection answers nothing else.)
    pub fn query(&self, statement: &Statement, params: Params<'_>) -> Result<RowStream> {
        let args = args(params)?;
        let stream = wait(self.client.query_raw(statement, args)).map_err(to_error)?;
        Ok(Box::pin(stream))
    }

    /// Runs `statement` once for each of `batch`, all sent before the first answer is
    /// waited for (tokio-postgres pipelines them): one round trip for a batch instead of
    /// one per row. The first column of each row a statement returns (`RETURNING id`) is
    /// collected, in order.
    pub fn execute_pipelined(
        &self,
        statement: &Statement,
        batch: Vec<Vec<Value>>,
    ) -> Result<Vec<Option<i64>>> {
        use futures_util::future::try_join_all;
        let returns = !statement.columns().is_empty();
        let client = &self.client;
        let runs = batch.into_iter().map(|values| async move {
            let args: Vec<Arg> = values.into_iter().map(Arg).collect();
            let refs: Vec<&(dyn PgToSql + Sync)> = args.iter().map(|a| a as _).collect();
            if !returns {
                return client.execute(statement, &refs).await.map(|_| None);
            }
            let row = client.query_one(statement, &refs).await?;
            Ok(row.try_get::<_, i64>(0).ok())
        });
        wait(try_join_all(runs)).map_err(to_error)
    }

    /// Statements without parameters, as one simple query.
    pub fn batch(&self, sql: &str) -> Result<()> {
        wait(self.client.batch_execute(sql)).map_err(to_error)
    }

    /// Begins a transaction holding this store's writer lock (one per schema), so mcteams'
    /// writers take turns as on SQLite.
    pub fn begin_write(&self) -> Result<()> {
        self.batch("BEGIN; SELECT pg_advisory_xact_lock(hashtext('mcteams:' || current_schema()))")
    }
}

/// Creates a new, empty schema named `name` on the server at `url` (dropping one of that
/// name first) and gives the URL whose connections use it: a store of its own for a test or
/// a benchmark on a shared server.
pub fn new_schema(url: &str, password: Option<String>, name: &str) -> Result<String> {
    let admin =
        PgTarget::parse(url, password, None).map_err(|why| unreachable(format!("{url}: {why}")))?;
    PgConnection::connect(&admin, &[])?.batch(&format!(
        "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
    ))?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}options=-csearch_path%3D{name}"))
}

/// The rows of a query, as they come.
pub type RowStream = std::pin::Pin<Box<tokio_postgres::RowStream>>;

/// The next row of `stream`, waited for.
pub(super) fn next_row(stream: &mut RowStream) -> Result<Option<tokio_postgres::Row>> {
    use futures_util::StreamExt;
    wait(stream.next()).transpose().map_err(to_error)
}

/// A parameter as PostgreSQL takes it, converted to the type the server inferred.
#[derive(Debug)]
struct Arg(Value);

fn args(params: Params<'_>) -> Result<Vec<Arg>> {
    Ok(values(params)?.into_iter().map(Arg).collect())
}

/// The parameters' values, owned (to be sent later, or converted).
pub(super) fn values(params: Params<'_>) -> Result<Vec<Value>> {
    params
        .iter()
        .map(|p| {
            Ok(match p.to_sql()? {
                ToSqlOutput::Borrowed(v) => owned(v),
                ToSqlOutput::Owned(v) => v,
                _ => {
                    return Err(Error::ToSqlConversionFailure(
                        "unsupported parameter".into(),
                    ));
                }
            })
        })
        .collect()
}

fn owned(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl PgToSql for Arg {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (&self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Integer(i), &Type::INT4) => i32::try_from(*i)?.to_sql(ty, out),
            (Value::Integer(i), &Type::INT2) => i16::try_from(*i)?.to_sql(ty, out),
            (Value::Integer(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Integer(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Value::Integer(i), _) => i.to_string().as_str().to_sql(ty, out),
            (Value::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            (Value::Real(r), &Type::FLOAT4) => (*r as f32).to_sql(ty, out),
            (Value::Real(r), _) => r.to_string().as_str().to_sql(ty, out),
            (Value::Text(t), &Type::INT8) => t.parse::<i64>()?.to_sql(ty, out),
            (Value::Text(t), _) => t.as_str().to_sql(ty, out),
            (Value::Blob(b), _) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column as the store reads it: rusqlite's value kinds.
struct Cell<'a>(ValueRef<'a>);

impl<'a> FromSql<'a> for Cell<'a> {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell(match *ty {
            Type::BOOL => ValueRef::Integer(i64::from(bool::from_sql(ty, raw)?)),
            Type::INT2 => ValueRef::Integer(i64::from(i16::from_sql(ty, raw)?)),
            Type::INT4 => ValueRef::Integer(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT8 => ValueRef::Integer(i64::from_sql(ty, raw)?),
            Type::FLOAT4 => ValueRef::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::FLOAT8 => ValueRef::Real(f64::from_sql(ty, raw)?),
            Type::BYTEA => ValueRef::Blob(raw),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                ValueRef::Text(raw)
            }
            ref other => return Err(format!("a {other} column the store cannot read").into()),
        }))
    }

    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell(ValueRef::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

pub(super) fn value_at(row: &tokio_postgres::Row, index: usize) -> Result<ValueRef<'_>> {
    if index >= row.len() {
        return Err(Error::InvalidColumnIndex(index));
    }
    row.try_get::<_, Cell<'_>>(index)
        .map(|cell| cell.0)
        .map_err(|e| Error::FromSqlConversionFailure(index, rusqlite::types::Type::Null, e.into()))
}

/// A PostgreSQL failure the store reports as its own (not a constraint, not a busy store).
#[derive(Debug)]
pub struct PgFailure {
    pub detail: String,
    /// The server could not be reached or went away (rather than refusing a statement).
    pub unreachable: bool,
}

impl fmt::Display for PgFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl std::error::Error for PgFailure {}

/// The PostgreSQL failure inside `e`, if it is one.
pub fn failure(e: &Error) -> Option<&PgFailure> {
    match e {
        Error::ToSqlConversionFailure(inner) => inner.downcast_ref::<PgFailure>(),
        _ => None,
    }
}

fn unreachable(detail: String) -> Error {
    Error::ToSqlConversionFailure(Box::new(PgFailure {
        detail,
        unreachable: true,
    }))
}

/// PostgreSQL's failure as the store's: constraints and lock waits as SQLite's (the store
/// already knows what they mean), everything else carried whole.
fn to_error(e: tokio_postgres::Error) -> Error {
    let sqlite = |code: i32, message: String| {
        Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(message))
    };
    let Some(db) = e.as_db_error() else {
        let mut detail = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            detail = format!("{detail}: {c}");
            cause = c.source();
        }
        return unreachable(detail);
    };
    let message = match db.detail() {
        Some(more) => format!("{} ({more})", db.message()),
        None => db.message().to_string(),
    };
    let code = db.code();
    if [
        SqlState::UNIQUE_VIOLATION,
        SqlState::NOT_NULL_VIOLATION,
        SqlState::CHECK_VIOLATION,
        SqlState::FOREIGN_KEY_VIOLATION,
    ]
    .contains(code)
    {
        return sqlite(rusqlite::ffi::SQLITE_CONSTRAINT, message);
    }
    if [
        SqlState::LOCK_NOT_AVAILABLE,
        SqlState::T_R_SERIALIZATION_FAILURE,
        SqlState::T_R_DEADLOCK_DETECTED,
    ]
    .contains(code)
    {
        return sqlite(rusqlite::ffi::SQLITE_BUSY, message);
    }
    if *code == SqlState::DISK_FULL {
        return sqlite(rusqlite::ffi::SQLITE_FULL, message);
    }
    let unreachable = code.code().starts_with("08")
        || [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::TOO_MANY_CONNECTIONS,
        ]
        .contains(code);
    Error::ToSqlConversionFailure(Box::new(PgFailure {
        detail: format!("{message} [{}]", code.code()),
        unreachable,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_refused_with_a_reason() {
        for (url, want) in [
            ("postgres://u:secret@db.example.com/mcteams", "password"),
            (
                "postgres://db.example.com/mcteams?sslmode=disable",
                "verify-full",
            ),
            (
                "postgres://db.example.com/mcteams?sslmode=require",
                "verify-full",
            ),
            (
                "postgres://db.example.com/mcteams?sslmode=bogus",
                "not one mcteams knows",
            ),
        ] {
            let err = PgTarget::parse(url, None, None).unwrap_err();
            assert!(err.contains(want), "{url}: {err}");
            assert!(!err.contains("secret"), "{url}: {err}");
        }
    }

    #[test]
    fn tls_unless_on_this_host() {
        for (url, tls) in [
            ("postgres://db.example.com/mcteams", true),
            (
                "postgres://db.example.com/mcteams?sslmode=verify-full",
                true,
            ),
            ("postgres://localhost/mcteams", false),
            ("postgres://127.0.0.1:5433/mcteams?sslmode=disable", false),
            ("postgres://[::1]/mcteams", false),
            ("postgres://localhost/mcteams?sslmode=verify-full", true),
            ("postgres:///mcteams?host=/run/postgresql", false),
        ] {
            let target = PgTarget::parse(url, Some("pw".into()), None).unwrap();
            assert_eq!(target.tls.is_some(), tls, "{url}");
            assert!(!target.shown().contains("sslmode"), "{}", target.shown());
        }
    }
}
