//! What a readiness probe asks of the store.

use async_trait::async_trait;

use super::*;

/// Whether the database can serve this binary.
#[async_trait]
pub trait Health: Send + Sync {
    /// `None` when the database answers and holds the schema this binary
    /// was built for, or a later one (migrations only add: a rolling
    /// deploy's older instances keep serving); else why not, in a line fit for a probe's body (never
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

/// Leases on roles that one instance of a fleet holds at a time (the
/// leader): a row per role, renewed by its holder before it expires.
#[async_trait]
pub trait Leases: Send + Sync {
    /// Takes or renews `role` for `holder` until `until`, if it is free,
    /// expired at `now`, `holder`'s already, or held by an earlier run of the
    /// same instance (a holder beginning with `instance`: that run is over,
    /// since instance names are unique in a fleet): the lease's epoch
    /// (raised at every change of holder, and when a holder comes back after
    /// its lease ran out). `None`: another instance holds it.
    async fn claim_lease(
        &self,
        role: &str,
        holder: &str,
        instance: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Option<i64>>;

    /// Gives `role` up at `now` if `holder` has it, so that another instance
    /// may take it at once (a stop, not a crash).
    async fn release_lease(&self, role: &str, holder: &str, now: DateTime<Utc>) -> StoreResult<()>;
}
