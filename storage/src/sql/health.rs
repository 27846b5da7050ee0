//! Readiness: the database answers, and holds this binary's schema.

use seatmate_bot::store::{Health, StoreResult};
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
        Ok((at != needed).then(|| format!("the schema is at {at}; this binary needs {needed}")))
    }
}
