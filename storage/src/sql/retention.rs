//! The retention sweep: what the README promises not to keep.

use super::{Db, RowsAffected as _};
use crate::account_queries as q;
use crate::Stored as _;
use chrono::{DateTime, Utc};
use seatmate_bot::store::{Purged, Retention, StoreResult};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Retention for Db<B> {
    async fn purge(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Purged> {
        let mut tx = self.0.begin().await?;
        let checkins = sqlx::query::<B::DB>(q::PURGE_CHECKINS)
            .bind(before.date_naive())
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        sqlx::query::<B::DB>(q::PURGE_FORGOTTEN_VISITS)
            .bind(before.date_naive())
            .execute(tx.conn())
            .await
            .stored()?;
        sqlx::query::<B::DB>(q::PURGE_QUESTION_TEXT)
            .bind(before.date_naive())
            .execute(tx.conn())
            .await
            .stored()?;
        let older = |sql, at: DateTime<Utc>| sqlx::query::<B::DB>(sql).bind(at);
        let codes = older(q::PURGE_CODES, now)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        let messages = older(q::PURGE_DELIVERED, before)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        older(crate::queries::PURGE_SETTLED, before)
            .execute(tx.conn())
            .await
            .stored()?;
        tx.commit().await?;
        Ok(Purged {
            checkins,
            codes,
            messages,
            inbound: 0,
        })
    }
}
