//! Readiness (the database answers, and holds this binary's schema), and
//! what the bot registered with the platforms.

use chrono::{DateTime, Utc};
use seatmate_bot::store::{Health, Leases, Registrations, StoreResult};
use seatmate_over_backend::over_backend;

use super::Db;
use crate::{queries, Stored as _};

#[over_backend]
#[async_trait::async_trait]
impl<B> Health for Db<B> {
    async fn schema_lag(&self) -> StoreResult<Option<String>> {
        let needed = B::migrator().iter().map(|m| m.version).max().unwrap_or_default();
        let at = sqlx::query_scalar::<B::DB, Option<i64>>(queries::SCHEMA_VERSION)
            .fetch_one(self.0.pool())
            .await
            .stored()?
            .unwrap_or_default();
        // Ahead is fine: migrations only add (a rolling deploy's older instances).
        Ok((at < needed).then(|| format!("the schema is at {at}; this binary needs {needed}")))
    }
}

#[over_backend]
#[async_trait::async_trait]
impl<B> Registrations for Db<B> {
    async fn registration(&self, name: &str) -> StoreResult<Option<String>> {
        sqlx::query_scalar::<B::DB, String>(queries::REGISTRATION)
            .bind(name)
            .fetch_optional(self.0.pool())
            .await
            .stored()
    }

    async fn record_registration(&self, name: &str, fingerprint: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(queries::RECORD_REGISTRATION)
            .bind(name)
            .bind(fingerprint)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }
}

#[over_backend]
#[async_trait::async_trait]
impl<B> Leases for Db<B> {
    async fn claim_lease(
        &self,
        role: &str,
        holder: &str,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let _gate = self.0.write_gate().await;
        sqlx::query_scalar::<B::DB, i64>(queries::CLAIM_LEASE)
            .bind(role)
            .bind(holder)
            .bind(now)
            .bind(until)
            .bind(instance)
            .fetch_optional(self.0.pool())
            .await
            .stored()
    }

    async fn release_lease(&self, role: &str, holder: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        // Expired a moment ago: free for the next claim.
        sqlx::query::<B::DB>(queries::RELEASE_LEASE)
            .bind(role)
            .bind(holder)
            .bind(now - chrono::TimeDelta::milliseconds(1))
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }
}
