//! The fleet's send windows: each admission reads and writes the windows it
//! needs in one transaction, rows locked in the order the rules come (the
//! overall window first), so concurrent senders queue rather than deadlock.

use super::{Db, RowsAffected as _};
use crate::{queries, Stored as _, WriteTx};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::Platform;
use seatmate_bot::limits::{take, SendLedger, Window, WindowRule};
use seatmate_bot::store::StoreResult;
use seatmate_over_backend::over_backend;

/// A window's sends as kept: Unix milliseconds, oldest first.
fn encode(window: &Window) -> String {
    let sent: Vec<String> = window.sent().map(|at| at.timestamp_millis().to_string()).collect();
    sent.join(",")
}

fn decode(rule: &WindowRule, sent: &str) -> Window {
    rule.window(
        sent.split(',')
            .filter_map(|ms| ms.parse::<i64>().ok())
            .filter_map(DateTime::from_timestamp_millis),
    )
}

#[over_backend]
impl<B> Db<B> {
    /// The windows of `rules`, locked until the transaction ends.
    async fn lock_windows(
        tx: &mut WriteTx<B::DB>,
        platform: Platform,
        rules: &[WindowRule],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Window>> {
        let mut windows = Vec::with_capacity(rules.len());
        for rule in rules {
            let span = rule.span.num_milliseconds();
            sqlx::query::<B::DB>(queries::NEW_SEND_WINDOW)
                .bind(platform.as_str())
                .bind(rule.scope.as_str())
                .bind(span)
                .bind(now)
                .execute(tx.conn())
                .await
                .stored()?;
            let sent = sqlx::query_scalar::<B::DB, String>(&(queries::SEND_WINDOW.to_string() + B::ROW_LOCK))
                .bind(platform.as_str())
                .bind(rule.scope.as_str())
                .bind(span)
                .fetch_one(tx.conn())
                .await
                .stored()?;
            windows.push(decode(rule, &sent));
        }
        Ok(windows)
    }

    async fn store_windows(
        tx: &mut WriteTx<B::DB>,
        platform: Platform,
        rules: &[WindowRule],
        windows: &[Window],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for (rule, window) in rules.iter().zip(windows) {
            sqlx::query::<B::DB>(queries::SET_SEND_WINDOW)
                .bind(platform.as_str())
                .bind(rule.scope.as_str())
                .bind(rule.span.num_milliseconds())
                .bind(encode(window))
                .bind(now)
                .execute(tx.conn())
                .await
                .stored()?;
        }
        Ok(())
    }
}

#[over_backend]
#[async_trait::async_trait]
impl<B> SendLedger for Db<B> {
    async fn take_sends(
        &self,
        platform: Platform,
        rules: &[WindowRule],
        k: usize,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), DateTime<Utc>>> {
        let asked = std::time::Instant::now();
        let mut tx = self.0.begin().await?;
        let mut windows = Self::lock_windows(&mut tx, platform, rules, now).await?;
        // The send goes when the locks are ours: a wait for another
        // instance's transaction moves it later, and the windows must
        // know when it really left.
        let now = now + chrono::Duration::from_std(asked.elapsed()).unwrap_or_default();
        let taken = take(windows.iter_mut(), now, k);
        if taken.is_ok() {
            Self::store_windows(&mut tx, platform, rules, &windows, now).await?;
        }
        tx.commit().await?;
        Ok(taken)
    }

    async fn give_back_sends(
        &self,
        platform: Platform,
        rules: &[WindowRule],
        k: usize,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        let mut windows = Self::lock_windows(&mut tx, platform, rules, at).await?;
        for window in &mut windows {
            window.forget(at, k);
        }
        Self::store_windows(&mut tx, platform, rules, &windows, at).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn forget_idle_windows(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let _gate = self.0.write_gate().await;
        Ok(sqlx::query::<B::DB>(queries::FORGET_IDLE_SEND_WINDOWS)
            .bind(before)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected())
    }
}
