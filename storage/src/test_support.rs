//! Helpers for tests that need a real database: a fresh SQLite file, or a fresh
//! schema in the PostgreSQL database named by `SEATMATE_TEST_POSTGRES_URL`.
//!
//! PostgreSQL tests skip (with a line on stderr) when the variable is unset,
//! except under CI (`CI` set), where a missing database is an error: the
//! PostgreSQL half of the suite must not silently vanish there.

use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use seatmate_bot::store::Store;
use sqlx::Connection;

use crate::{open, OpenError, OpenOptions};

pub const POSTGRES_URL_VAR: &str = "SEATMATE_TEST_POSTGRES_URL";

/// The PostgreSQL server for tests, if one is configured.
pub fn postgres_base_url() -> Option<String> {
    match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{POSTGRES_URL_VAR} must be set under CI so that the PostgreSQL tests run")
        }
        _ => {
            eprintln!("{POSTGRES_URL_VAR} is not set: skipping a PostgreSQL test");
            None
        }
    }
}

/// Creates an empty schema on the server at `base_url` and returns a URL whose
/// connections use it, so each test starts from nothing.
pub async fn fresh_postgres_url(base_url: &str) -> Result<String, OpenError> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "seatmate_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    );
    let mut conn = sqlx::PgConnection::connect(base_url)
        .await
        .map_err(|e| OpenError::other(format!("cannot connect to the test PostgreSQL server: {e}")))?;
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut conn)
        .await
        .map_err(|e| OpenError::other(format!("cannot create a test schema: {e}")))?;
    let separator = if base_url.contains('?') { '&' } else { '?' };
    Ok(format!("{base_url}{separator}options[search_path]={schema}"))
}

/// A store on a fresh PostgreSQL schema, or `None` when no server is configured.
pub async fn fresh_postgres() -> Option<Arc<dyn Store>> {
    let base = postgres_base_url()?;
    let url = fresh_postgres_url(&base).await.expect("test schema");
    Some(open(&url, &OpenOptions::default()).await.expect("open PostgreSQL"))
}

/// The URL of a SQLite file in `dir`.
pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("seatmate.db").display())
}

/// A store on a new SQLite file in `dir`.
pub async fn fresh_sqlite(dir: &Path) -> Arc<dyn Store> {
    open(&sqlite_url(dir), &OpenOptions::default())
        .await
        .expect("open SQLite")
}

/// One value in the database, as text (`None` for NULL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub table: String,
    pub column: String,
    pub value: Option<String>,
}

/// Every value of every table of the database at `url` (the migrations'
/// own bookkeeping aside), with the tables and columns read from the
/// schema itself: a test that checks them all cannot miss a table added
/// later.
pub async fn every_cell(url: &str) -> Vec<Cell> {
    use sqlx::Row;
    let mut cells = Vec::new();
    if url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(url).await.expect("open SQLite");
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
        )
        .fetch_all(&mut conn)
        .await
        .expect("tables");
        for table in tables {
            let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info({table})"))
                .fetch_all(&mut conn)
                .await
                .expect("columns")
                .iter()
                .map(|row| row.get::<String, _>("name"))
                .collect();
            for column in columns {
                let values: Vec<Option<String>> =
                    sqlx::query_scalar(&format!("SELECT CAST({column} AS TEXT) FROM {table}"))
                        .fetch_all(&mut conn)
                        .await
                        .expect("values");
                cells.extend(column_cells(&table, &column, values));
            }
        }
    } else {
        let mut conn = sqlx::PgConnection::connect(url).await.expect("open PostgreSQL");
        let columns: Vec<(String, String)> = sqlx::query_as(
            "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
               JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
              WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                AND c.table_name <> '_sqlx_migrations'
              ORDER BY c.table_name, c.ordinal_position",
        )
        .fetch_all(&mut conn)
        .await
        .expect("columns");
        for (table, column) in columns {
            let values: Vec<Option<String>> = sqlx::query_scalar(&format!("SELECT {column}::text FROM {table}"))
                .fetch_all(&mut conn)
                .await
                .expect("values");
            cells.extend(column_cells(&table, &column, values));
        }
    }
    cells
}

fn column_cells<'a>(table: &'a str, column: &'a str, values: Vec<Option<String>>) -> impl Iterator<Item = Cell> + 'a {
    values.into_iter().map(move |value| Cell {
        table: table.to_string(),
        column: column.to_string(),
        value,
    })
}
