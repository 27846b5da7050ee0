//! Seatmate's `Store` over sqlx, for SQLite (the embedded default) and
//! PostgreSQL (several bot processes sharing one database).
//!
//! The two dialects agree on nearly everything the store says (`$1`
//! placeholders, `RETURNING`, `ON CONFLICT`), so every statement is written once,
//! in [`queries`], and the ports are ordinary generic code over a small
//! `Backend` (see `sql`). Only what truly differs lives per backend: how a
//! write transaction begins (`BEGIN IMMEDIATE` on SQLite, so that writers
//! queue on the busy timeout instead of failing on a lock upgrade), how a read
//! locks a row, the claim statement, connection options and the migrations.
//! The business rules the store applies under its locks (who gets a seat, who
//! may cancel) are the core's, in `seatmate_bot::rules`; storage executes.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use seatmate_bot::store::{Store, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, PgPool, SqlitePool};

mod account_queries;
mod arrivals;
mod queries;
mod question_queries;
mod report_queries;
mod rows;
mod seat_queries;
mod seat_use_queries;
pub mod sql;
mod standing_queries;

pub use sql::Db;

/// How stale `memberships.last_active_at` may get before a command refreshes
/// it: keeps the per-command path read-only for active members.
pub const ACTIVITY_GRANULARITY: chrono::TimeDelta = chrono::TimeDelta::hours(1);

pub mod test_support;

// A binary starts on a schema a newer one has migrated further
// (`ignore_missing`): migrations only add, so during a rolling deploy the
// instances not yet replaced keep working, and restart, beside the new ones.
// (The field is what `migrate!` itself fills in; sqlx is pinned by the lock
// file.)
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate::Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("../migrations/sqlite")
};
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate::Migrator {
    ignore_missing: true,
    ..sqlx::migrate!("../migrations/postgres")
};

/// Which database a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend named by a URL's scheme: `sqlite:` or `postgres:`/`postgresql:`.
    pub fn of_url(url: &str) -> Result<Self, String> {
        let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("sqlite") => Ok(Backend::Sqlite),
            Some("postgres" | "postgresql") => Ok(Backend::Postgres),
            Some(other) => Err(format!(
                "the scheme '{other}:' is not supported; use sqlite://PATH (e.g. sqlite://seatmate.db) or postgres://USER@HOST/DATABASE"
            )),
            None => Err("expected a URL such as sqlite://seatmate.db or postgres://USER@HOST/DATABASE".into()),
        }
    }
}

/// Why the database could not be opened. The message never repeats the URL,
/// which may hold a password.
#[derive(Debug)]
pub struct OpenError {
    pub message: String,
    /// The fix is in `database.url` (a malformed URL, no database named, a
    /// server that cannot be reached) rather than in the database itself.
    pub bad_setting: bool,
}

impl OpenError {
    fn setting(message: impl Into<String>) -> Self {
        OpenError {
            message: message.into(),
            bad_setting: true,
        }
    }

    pub(crate) fn other(message: impl Into<String>) -> Self {
        OpenError {
            message: message.into(),
            bad_setting: false,
        }
    }
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OpenError {}

/// Options for opening the store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub max_connections: u32,
    /// Run pending migrations while opening.
    pub migrate: bool,
    /// How often this process asks whether another one changed what its
    /// arrival cache remembers (a link, an unbound chat…): the longest it
    /// may act on a stale fact.
    pub arrival_check: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_connections: 8,
            migrate: true,
            arrival_check: ARRIVAL_CHECK,
        }
    }
}

/// See [`OpenOptions::arrival_check`].
pub const ARRIVAL_CHECK: Duration = Duration::from_secs(2);

const POSTGRES_FORM: &str = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE";
const SQLITE_FORM: &str = "sqlite://PATH, e.g. sqlite://seatmate.db";

/// Checks a database URL without connecting: the backend, and for each what it
/// needs (a file path for SQLite; a valid host, port, options and a database
/// name for PostgreSQL). The message names neither the URL nor its password.
pub fn check_url(url: &str) -> Result<Backend, String> {
    let backend = Backend::of_url(url)?;
    match backend {
        Backend::Sqlite => {
            let path = url
                .split_once(':')
                .map(|(_, rest)| rest.trim_start_matches("//"))
                .unwrap_or_default();
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(format!("the SQLite URL names no file; expected {SQLITE_FORM}"));
            }
            SqliteConnectOptions::from_str(url)
                .map_err(|e| format!("not a valid SQLite URL ({e}); expected {SQLITE_FORM}"))?;
        }
        Backend::Postgres => {
            let options = PgConnectOptions::from_str(url).map_err(|e| {
                format!(
                    "not a valid PostgreSQL URL ({}); expected {POSTGRES_FORM}",
                    describe_pg_error(&e)
                )
            })?;
            if options.get_database().is_none_or(str::is_empty) {
                return Err(format!(
                    "the PostgreSQL URL names no database (so the server's default one would be used); expected {POSTGRES_FORM}"
                ));
            }
        }
    }
    Ok(backend)
}

/// The file a SQLite URL names (`None` for PostgreSQL, an in-memory
/// database, or a URL that is not one).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if Backend::of_url(url).ok()? != Backend::Sqlite {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let file = options.get_filename();
    let name = file.to_string_lossy();
    (!name.is_empty() && !name.contains(":memory:") && !url.contains("mode=memory")).then(|| file.to_path_buf())
}

/// sqlx's configuration errors, without anything from the URL but the part at fault.
fn describe_pg_error(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Configuration(inner) => inner.to_string(),
        other => other.to_string(),
    }
}

/// Opens the database at `url` (creating a SQLite file if missing) and returns
/// the store. Errors never repeat the URL, which may hold a password.
pub async fn open(url: &str, options: &OpenOptions) -> Result<Arc<dyn Store>, OpenError> {
    match check_url(url).map_err(|e| OpenError::setting(format!("database.url: {e}")))? {
        Backend::Sqlite => Ok(Arc::new(Db(SqliteStore::open(url, options).await?))),
        Backend::Postgres => {
            let connect = PgConnectOptions::from_str(url)
                .map_err(|e| OpenError::setting(format!("database.url: {}", describe_pg_error(&e))))?;
            Ok(Arc::new(Db(PgStore::open(connect, options).await?)))
        }
    }
}

fn open_error(what: &str) -> impl FnOnce(sqlx::Error) -> OpenError + '_ {
    move |e| OpenError::other(format!("{what}: {e}"))
}

/// How long a command waits for a PostgreSQL connection before it is
/// answered that the database cannot be reached.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long start-up waits for PostgreSQL to answer before saying so.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A write transaction: on PostgreSQL a pooled one; on SQLite one on the
/// process's single writer connection, held behind the write gate (no pool
/// acquire, and none of the ping sqlx sends when a pooled connection returns).
pub enum WriteTx<DB: sqlx::Database> {
    Pooled(Option<sqlx::Transaction<'static, DB>>),
    Writer {
        conn: tokio::sync::OwnedMutexGuard<DB::Connection>,
        open: bool,
    },
}

impl<DB: sqlx::Database> WriteTx<DB> {
    pub fn conn(&mut self) -> &mut DB::Connection {
        match self {
            WriteTx::Pooled(tx) => tx.as_mut().expect("a transaction is open until committed"),
            WriteTx::Writer { conn, .. } => conn,
        }
    }

    pub async fn commit(mut self) -> Result<(), StoreError> {
        match &mut self {
            WriteTx::Pooled(tx) => match tx.take() {
                Some(tx) => tx.commit().await.stored(),
                None => Ok(()),
            },
            WriteTx::Writer { conn, open } => {
                <DB::TransactionManager as sqlx::TransactionManager>::commit(conn)
                    .await
                    .stored()?;
                *open = false;
                Ok(())
            }
        }
    }
}

impl<DB: sqlx::Database> Drop for WriteTx<DB> {
    /// Not committed (an error, a refusal, a cancelled future): roll back, as
    /// a dropped sqlx transaction does. A pooled one rolls itself back.
    fn drop(&mut self) {
        if let WriteTx::Writer { conn, open: true } = self {
            <DB::TransactionManager as sqlx::TransactionManager>::start_rollback(conn);
        }
    }
}

/// The store on SQLite.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// How the writer connection is opened again after a failed transaction.
    connect: SqliteConnectOptions,
    /// SQLite has one writer at a time, so this process keeps one writer
    /// connection, and its writers queue for it here, in order and without
    /// sleeping. Other processes sharing the file are kept apart by SQLite's
    /// lock (`BEGIN IMMEDIATE`) and busy timeout.
    writer: Arc<tokio::sync::Mutex<sqlx::SqliteConnection>>,
    arrivals: Arc<arrivals::ArrivalCache>,
}

impl SqliteStore {
    pub async fn open(url: &str, options: &OpenOptions) -> Result<Self, OpenError> {
        let connect = SqliteConnectOptions::from_str(url)
            .map_err(|e| OpenError::setting(format!("database.url: not a valid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            .disable_statement_logging();
        // An in-memory database exists once per connection: keep exactly one.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let max = if in_memory { 1 } else { options.max_connections.max(1) };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .min_connections(if in_memory { 1 } else { 0 })
            .idle_timeout(if in_memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if in_memory {
                None
            } else {
                Some(Duration::from_secs(1800))
            })
            .connect_with(connect.clone())
            .await
            .map_err(open_error("cannot open the SQLite database"))?;
        if options.migrate {
            migrate_sqlite(&pool).await?;
        }
        let writer = connect
            .clone()
            .connect()
            .await
            .map_err(open_error("cannot open the SQLite database"))?;
        Ok(SqliteStore {
            pool,
            connect,
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            arrivals: Arc::new(arrivals::ArrivalCache::new(options.arrival_check)),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// Runs SQLite's migrations with foreign keys off on the connection that
/// runs them: a migration that rebuilds a table (SQLite cannot alter a
/// column) drops the old one, which with foreign keys on would cascade to
/// every row that points at it. The keys are checked once the schema is
/// current, and switched back on before the connection returns to the pool.
async fn migrate_sqlite(pool: &SqlitePool) -> Result<(), OpenError> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(open_error("cannot open the SQLite database"))?;
    let failed = |e: sqlx::Error| OpenError::other(format!("cannot migrate the SQLite database: {e}"));
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await
        .map_err(failed)?;
    let migrated = SQLITE_MIGRATIONS
        .run(&mut *conn)
        .await
        .map_err(|e| OpenError::other(format!("cannot migrate the SQLite database: {e}")));
    let broken: Result<Vec<(String,)>, _> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut *conn)
        .await;
    // Back on whatever happened: the connection serves the store next.
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
        .map_err(failed)?;
    migrated?;
    let broken = broken.map_err(failed)?;
    if let Some((table,)) = broken.first() {
        return Err(OpenError::other(format!(
            "the SQLite database has {} row(s) whose references point nowhere (first in table {table})",
            broken.len()
        )));
    }
    Ok(())
}

/// The store on PostgreSQL.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
    arrivals: Arc<arrivals::ArrivalCache>,
}

impl PgStore {
    pub async fn open(connect: PgConnectOptions, options: &OpenOptions) -> Result<Self, OpenError> {
        // One connection first, with a short wait, so that an unreachable or
        // refusing server is reported at once with what was tried.
        let target = format!("{}:{}", connect.get_host(), connect.get_port());
        let database = connect.get_database().unwrap_or_default().to_string();
        let unreachable = |reason: String| {
            OpenError::setting(format!(
                "database.url: cannot connect to PostgreSQL at {target} (database '{database}'): {reason}. \
                 Check that the server runs and accepts connections there, and the host, port, user and database in database.url."
            ))
        };
        match tokio::time::timeout(CONNECT_TIMEOUT, connect.connect()).await {
            Ok(Ok(conn)) => drop(conn),
            Ok(Err(e)) => return Err(unreachable(describe_pg_error(&e))),
            Err(_) => return Err(unreachable(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))),
        }
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            // A command waits this long for a connection before it is told
            // the database cannot be reached (a member waits meanwhile).
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(connect.disable_statement_logging())
            .await
            .map_err(open_error("cannot connect to PostgreSQL"))?;
        if options.migrate {
            POSTGRES_MIGRATIONS
                .run(&pool)
                .await
                .map_err(|e| OpenError::other(format!("cannot migrate the PostgreSQL database: {e}")))?;
        }
        Ok(PgStore {
            pool,
            arrivals: Arc::new(arrivals::ArrivalCache::new(options.arrival_check)),
        })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// A sqlx result as the core's [`StoreResult`]: the one conversion of a
/// database failure, written `.stored()?` after every statement (the core
/// cannot know sqlx, so `?` alone cannot convert).
pub(crate) trait Stored<T> {
    fn stored(self) -> Result<T, StoreError>;
}

impl<T> Stored<T> for Result<T, sqlx::Error> {
    fn stored(self) -> Result<T, StoreError> {
        self.map_err(store_error)
    }
}

/// Maps sqlx's errors to the core's: a unique key refusing a row is a
/// `Conflict`, a missing row `NotFound`; a database that cannot be reached
/// (no connection in time, a broken one, a server going away) is
/// `Unreachable`, one that refuses to write (a full disk, read-only, I/O
/// errors) `RefusesWrites`; anything else `Other`.
fn store_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(db.message().to_string()),
        sqlx::Error::Database(db) if refuses_writes(db.code().as_deref()) => {
            StoreError::RefusesWrites(db.message().to_string())
        }
        sqlx::Error::Database(db) if unreachable(db.code().as_deref()) => {
            StoreError::Unreachable(db.message().to_string())
        }
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::Tls(_) => {
            StoreError::Unreachable(e.to_string())
        }
        sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed => StoreError::Unreachable(e.to_string()),
        _ => StoreError::Other(Box::new(e)),
    }
}

/// SQLite's full disk (13), I/O errors (10 and its extended codes, which
/// end in 10 in their low byte), read-only (8); PostgreSQL's disk full
/// (53100), out of memory (53200) and read-only transaction (25006).
fn refuses_writes(code: Option<&str>) -> bool {
    match code {
        Some("53100" | "53200" | "25006") => true,
        // SQLite's codes are numbers of at most four digits; PostgreSQL's
        // are five characters.
        Some(code) if code.len() < 5 => code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 8 | 10 | 13)),
        Some(_) => false,
        None => false,
    }
}

/// PostgreSQL's connection exceptions (class 08), a server shutting down
/// (57P01–57P03), too many connections (53300).
fn unreachable(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.starts_with("08") || c.starts_with("57P") || c == "53300")
}

#[async_trait::async_trait]
impl sql::Backend for SqliteStore {
    type DB = sqlx::Sqlite;
    const ROW_LOCK: &'static str = "";
    // `AUTOINCREMENT` keeps the offers' last number in sqlite_sequence.
    const NEXT_OFFER_NUMBER: &'static [&'static str] = &[
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'seat_offers', 0
          WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'seat_offers')",
        "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'seat_offers' RETURNING seq",
    ];

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &SQLITE_MIGRATIONS
    }

    fn claim_sql() -> String {
        queries::claim_sqlite()
    }

    fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    fn arrivals(&self) -> &arrivals::ArrivalCache {
        &self.arrivals
    }

    /// A write transaction that takes SQLite's write lock at once (`BEGIN
    /// IMMEDIATE`), so that it never has to upgrade a read lock and deadlock.
    ///
    /// A transaction before it that failed to commit or roll back (a full
    /// disk makes SQLite end it on its own, and sqlx's rollback then fails)
    /// leaves the connection counting a transaction that is gone; it is
    /// ended here, or the writer starts over on a new connection, so that
    /// one failed write never stops every later one.
    async fn begin(&self) -> Result<WriteTx<sqlx::Sqlite>, StoreError> {
        type Manager = <sqlx::Sqlite as sqlx::Database>::TransactionManager;
        let mut conn = self.writer.clone().lock_owned().await;
        if <Manager as sqlx::TransactionManager>::get_transaction_depth(&conn) > 0 {
            let _ = <Manager as sqlx::TransactionManager>::rollback(&mut conn).await;
            if <Manager as sqlx::TransactionManager>::get_transaction_depth(&conn) > 0 {
                tracing::warn!("the SQLite writer starts over on a new connection after a failed transaction");
                *conn = self.connect.clone().connect().await.stored()?;
            }
        }
        <Manager as sqlx::TransactionManager>::begin(&mut conn, Some("BEGIN IMMEDIATE".into()))
            .await
            .stored()?;
        Ok(WriteTx::Writer { conn, open: true })
    }

    /// Holds the writer for an autocommit write on the pool, so that it queues
    /// behind this process's transactions instead of in SQLite's busy handler.
    async fn write_gate(&self) -> Option<tokio::sync::OwnedMutexGuard<sqlx::SqliteConnection>> {
        Some(self.writer.clone().lock_owned().await)
    }
}

#[async_trait::async_trait]
impl sql::Backend for PgStore {
    type DB = sqlx::Postgres;
    const ROW_LOCK: &'static str = " FOR UPDATE OF o";
    const NEXT_OFFER_NUMBER: &'static [&'static str] = &["SELECT nextval(pg_get_serial_sequence('seat_offers', 'id'))"];

    fn migrator() -> &'static sqlx::migrate::Migrator {
        &POSTGRES_MIGRATIONS
    }

    fn claim_sql() -> String {
        queries::claim_postgres()
    }

    fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn arrivals(&self) -> &arrivals::ArrivalCache {
        &self.arrivals
    }

    async fn begin(&self) -> Result<WriteTx<sqlx::Postgres>, StoreError> {
        let tx = self.pool.begin().await.stored()?;
        Ok(WriteTx::Pooled(Some(tx)))
    }

    /// PostgreSQL keeps concurrent writers apart with row locks.
    async fn write_gate(&self) -> Option<tokio::sync::OwnedMutexGuard<sqlx::PgConnection>> {
        None
    }
}
