//! The inbox: every inbound update or interaction id, taken once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::*;
use crate::domain::Platform;

/// Inbound updates (Telegram's `update_id`) and interactions (Discord's id),
/// each taken once: a repeat (a redelivery, a replay, a restart, a second
/// process) has no second effect. An update is kept with what it carried
/// from the moment it is taken until it is handled, so one taken but not
/// handled before a stop is handled after the restart.
#[async_trait]
pub trait Inbox: Send + Sync {
    /// Takes an id: `false` when it was taken before. With a `payload`, it
    /// waits to be handled (see [`Inbox::start_inbound`]); without one, it is
    /// only recorded, as handled.
    async fn accept_inbound(
        &self,
        platform: Platform,
        id: &str,
        payload: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Starts handling a waiting id, for `worker`: `true` once, whoever asks.
    async fn start_inbound(&self, platform: Platform, id: &str, worker: &str, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Handled: what it carried is forgotten.
    async fn finish_inbound(&self, platform: Platform, id: &str, now: DateTime<Utc>) -> StoreResult<()>;

    /// What was taken before `received_before` and not started yet, in the
    /// order it came, with what it carried: `(id, payload)`.
    async fn waiting_inbound(
        &self,
        platform: Platform,
        received_before: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, String)>>;

    /// Gives up what workers whose names start with `workers` started and
    /// never finished (their process died meanwhile): not run again, since
    /// its effect may have happened. How many.
    async fn abandon_inbound(&self, platform: Platform, workers: &str, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Forgets ids taken before `before`.
    async fn purge_inbound(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}
