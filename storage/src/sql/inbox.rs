//! The inbox: inbound ids taken once, and updates kept until handled.

use super::{Db, RowsAffected as _};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::Platform;
use seatmate_bot::store::{Inbox, KeptUpdate, Start, StoreResult};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Inbox for Db<B> {
    async fn accept_inbound(
        &self,
        platform: Platform,
        id: &str,
        kept: Option<KeptUpdate<'_>>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let (state, handled_at) = match kept {
            Some(_) => ("waiting", None),
            None => ("done", Some(now)),
        };
        let _gate = self.0.write_gate().await;
        let taken = sqlx::query::<B::DB>(queries::ACCEPT_INBOUND)
            .bind(platform.as_str())
            .bind(id)
            .bind(state)
            .bind(kept.map(|k| k.payload))
            .bind(now)
            .bind(handled_at)
            .bind(kept.map(|k| k.chat))
            .bind(kept.map(|k| k.seq))
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(taken == 1)
    }

    async fn start_inbound(
        &self,
        platform: Platform,
        id: &str,
        worker: &str,
        now: DateTime<Utc>,
        patience_from: DateTime<Utc>,
    ) -> StoreResult<Start> {
        let _gate = self.0.write_gate().await;
        let started = sqlx::query::<B::DB>(queries::START_INBOUND)
            .bind(platform.as_str())
            .bind(id)
            .bind(worker)
            .bind(now)
            .bind(patience_from)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        if started == 1 {
            return Ok(Start::Go);
        }
        let state = sqlx::query_scalar::<B::DB, String>(queries::INBOUND_STATE)
            .bind(platform.as_str())
            .bind(id)
            .fetch_optional(self.0.pool())
            .await
            .stored()?;
        // Still waiting: an earlier one holds it back.
        Ok(match state.as_deref() {
            Some("waiting") => Start::Behind,
            _ => Start::Taken,
        })
    }

    async fn finish_inbound(&self, platform: Platform, id: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(queries::FINISH_INBOUND)
            .bind(platform.as_str())
            .bind(id)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }

    async fn waiting_inbound(
        &self,
        platform: Platform,
        received_before: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, String)>> {
        sqlx::query_as::<B::DB, (String, String)>(queries::WAITING_INBOUND)
            .bind(platform.as_str())
            .bind(received_before)
            .fetch_all(self.0.pool())
            .await
            .stored()
    }

    async fn abandon_inbound(&self, platform: Platform, workers: &str, now: DateTime<Utc>) -> StoreResult<u64> {
        let _gate = self.0.write_gate().await;
        Ok(sqlx::query::<B::DB>(queries::ABANDON_INBOUND)
            .bind(platform.as_str())
            .bind(workers)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected())
    }

    async fn purge_inbound(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let _gate = self.0.write_gate().await;
        Ok(sqlx::query::<B::DB>(queries::PURGE_INBOUND)
            .bind(before)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected())
    }
}
