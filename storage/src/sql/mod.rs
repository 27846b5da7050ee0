//! The `Store` ports over sqlx, written once as ordinary generic code, one
//! file per concern; a [`Backend`] says what truly differs between SQLite and
//! PostgreSQL (how a write transaction begins, the writer gate, how a claim
//! and an offer lock are written), and every statement is in a `*queries` module.
//!
//! Each impl is marked `#[over_backend]`, which writes the capabilities the
//! code needs of the database (an executor, encoding and decoding of the
//! column types) as its `where` clause, once for all of them.

mod chats;
mod checkins;
mod codes;
mod erasure;
mod export;
mod health;
mod identities;
mod inbox;
mod limits;
mod linking;
mod outbox;
mod pairing;
mod questions;
mod reports;
mod retention;
mod seat_use;
mod seats;
mod spaces;
mod standing;

use seatmate_bot::store::{StoreError, StoreResult};
use sqlx::{Database, Pool};

use crate::arrivals::ArrivalCache;
use crate::{Stored as _, WriteTx};

/// What differs between the backends.
#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    type DB: Database;

    /// The migrations this binary carries for the backend.
    fn migrator() -> &'static sqlx::migrate::Migrator;
    /// The claim statement (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
    fn claim_sql() -> String;
    /// How a read locks the offer it decides on: SQLite's write transaction
    /// already excludes other writers; PostgreSQL locks the row.
    const ROW_LOCK: &'static str;
    /// Takes the next number of the offers' sequence without an offer (a
    /// standing offer's): statements run in order in a write transaction,
    /// the last returning the number.
    const NEXT_OFFER_NUMBER: &'static [&'static str];

    fn pool(&self) -> &Pool<Self::DB>;
    fn arrivals(&self) -> &ArrivalCache;
    /// A write transaction.
    async fn begin(&self) -> Result<WriteTx<Self::DB>, StoreError>;
    /// Held around an autocommit write, so that it queues behind this
    /// process's transactions (SQLite's single writer); `None` where the
    /// database keeps writers apart itself.
    async fn write_gate(&self) -> Option<tokio::sync::OwnedMutexGuard<<Self::DB as Database>::Connection>>;
}

/// The one row a write's `RETURNING` gave. A write outside a transaction
/// (autocommit) commits when its statement runs to its end, and on SQLite
/// that is where a failed commit (a full disk) is reported: such a write is
/// read with `fetch_all`, never `fetch_one`, which stops at the first row
/// and would answer as if the change had been kept.
pub(crate) fn only<T>(rows: Vec<T>) -> Result<T, StoreError> {
    rows.into_iter().next().ok_or(StoreError::NotFound)
}

/// How many rows a statement changed, for either backend's result type.
pub trait RowsAffected {
    fn rows_affected(&self) -> u64;
}

impl RowsAffected for sqlx::sqlite::SqliteQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::sqlite::SqliteQueryResult::rows_affected(self)
    }
}

impl RowsAffected for sqlx::postgres::PgQueryResult {
    fn rows_affected(&self) -> u64 {
        sqlx::postgres::PgQueryResult::rows_affected(self)
    }
}

/// The store over a backend: implements every port of the core.
pub struct Db<B>(pub B);

#[seatmate_over_backend::over_backend]
impl<B> Db<B> {
    /// Runs a statement whose parameters are ids, in order; how many rows it changed.
    pub(crate) async fn exec(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        sql: &str,
        ids: &[i64],
    ) -> StoreResult<u32> {
        let mut query = sqlx::query::<B::DB>(sql);
        for id in ids {
            query = query.bind(*id);
        }
        let done = query.execute(conn).await.stored()?;
        Ok(u32::try_from(done.rows_affected()).unwrap_or(u32::MAX))
    }
}
