//! What a readiness probe asks of the store.

use async_trait::async_trait;

use super::*;

/// Whether the database can serve this binary.
#[async_trait]
pub trait Health: Send + Sync {
    /// `None` when the database answers and holds the schema this binary
    /// was built for; else why not, in a line fit for a probe's body (never
    /// a secret): "the schema is at 20261204000011; this binary needs
    /// 20261205000013".
    async fn schema_lag(&self) -> StoreResult<Option<String>>;
}
