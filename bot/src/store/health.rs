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

/// What the bot registered with a platform, by name (`telegram_webhook`),
/// as a fingerprint of the settings it sent: what an instance compares
/// before it registers again, since a platform does not always say (Telegram
/// never returns a webhook's secret).
#[async_trait]
pub trait Registrations: Send + Sync {
    /// The fingerprint last recorded under `name`.
    async fn registration(&self, name: &str) -> StoreResult<Option<String>>;

    /// Records `fingerprint` under `name`, replacing what was there.
    async fn record_registration(&self, name: &str, fingerprint: &str, now: DateTime<Utc>) -> StoreResult<()>;
}
