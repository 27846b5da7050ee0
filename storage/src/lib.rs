//! Seatmate's `Store` over sqlx, for SQLite (the embedded default) and
//! PostgreSQL (several bot processes sharing one database).
//!
//! The two dialects agree on nearly everything the store says (`$1`
//! placeholders, `RETURNING`, `ON CONFLICT`), so every statement is written once,
//! in [`queries`], and one macro implements the port for both pools. Only what
//! truly differs lives per backend: how a write transaction begins (`BEGIN
//! IMMEDIATE` on SQLite, so that writers queue on the busy timeout instead of
//! failing on a lock upgrade), connection options and the migrations.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use seatmate_bot::store::{Store, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, PgPool, SqlitePool};

mod queries;
mod rows;
mod store_impl;

pub mod test_support;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

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

/// Why the database could not be opened.
#[derive(Debug)]
pub struct OpenError(pub String);

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

/// Options for opening the store.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub max_connections: u32,
    /// Run pending migrations while opening.
    pub migrate: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            max_connections: 8,
            migrate: true,
        }
    }
}

/// Opens the database at `url` (creating a SQLite file if missing) and returns
/// the store. Errors never repeat the URL, which may hold a password.
pub async fn open(url: &str, options: &OpenOptions) -> Result<Arc<dyn Store>, OpenError> {
    match Backend::of_url(url).map_err(OpenError)? {
        Backend::Sqlite => Ok(Arc::new(SqliteStore::open(url, options).await?)),
        Backend::Postgres => {
            let connect = PgConnectOptions::from_str(url)
                .map_err(|e| OpenError(format!("database.url is not a valid PostgreSQL URL: {e}")))?;
            Ok(Arc::new(PgStore::open(connect, options).await?))
        }
    }
}

fn open_error(what: &str) -> impl FnOnce(sqlx::Error) -> OpenError + '_ {
    move |e| OpenError(format!("{what}: {e}"))
}

/// The store on SQLite.
#[derive(Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(url: &str, options: &OpenOptions) -> Result<Self, OpenError> {
        let connect = SqliteConnectOptions::from_str(url)
            .map_err(|e| OpenError(format!("database.url is not a valid SQLite URL: {e}")))?
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
            .connect_with(connect)
            .await
            .map_err(open_error("cannot open the SQLite database"))?;
        if options.migrate {
            SQLITE_MIGRATIONS
                .run(&pool)
                .await
                .map_err(|e| OpenError(format!("cannot migrate the SQLite database: {e}")))?;
        }
        Ok(SqliteStore { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A write transaction that takes SQLite's write lock at once, so that two
    /// writers queue (busy timeout) rather than deadlock on a lock upgrade.
    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, StoreError> {
        self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(store_error)
    }
}

/// The store on PostgreSQL.
#[derive(Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    pub async fn open(connect: PgConnectOptions, options: &OpenOptions) -> Result<Self, OpenError> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect.disable_statement_logging())
            .await
            .map_err(open_error("cannot connect to PostgreSQL"))?;
        if options.migrate {
            POSTGRES_MIGRATIONS
                .run(&pool)
                .await
                .map_err(|e| OpenError(format!("cannot migrate the PostgreSQL database: {e}")))?;
        }
        Ok(PgStore { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, StoreError> {
        self.pool.begin().await.map_err(store_error)
    }
}

/// Maps sqlx's errors to the core's: a unique key refusing a row is a
/// `Conflict`, a missing row `NotFound`, anything else `Other`.
pub(crate) fn store_error(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(db.message().to_string()),
        _ => StoreError::Other(Box::new(e)),
    }
}

store_impl::impl_store!(SqliteStore, sqlx::Sqlite, sqlx::SqliteConnection, queries::claim_sqlite);
store_impl::impl_store!(PgStore, sqlx::Postgres, sqlx::PgConnection, queries::claim_postgres);
