//! The inbox: every inbound update or interaction id, taken once.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::*;
use crate::domain::Platform;

/// An update kept until it is handled: what it carried, and its place in
/// its chat's order.
#[derive(Debug, Clone, Copy)]
pub struct KeptUpdate<'a> {
    pub payload: &'a str,
    /// The chat whose updates go in order (Telegram: the chat's id).
    pub chat: &'a str,
    /// Its place in the chat's order (Telegram's `update_id`).
    pub seq: i64,
}

/// What asking to start a waiting update found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Started, for the asking worker: handle it.
    Go,
    /// Started before (by this process or another), or given up: not again.
    Taken,
    /// An earlier update of its chat, taken less than the given patience
    /// ago, is not handled yet (wherever it was taken): ask again later.
    Behind,
}

/// Inbound updates (Telegram's `update_id`) and interactions (Discord's id),
/// each taken once: a repeat (a redelivery, a replay, a restart, a second
/// process) has no second effect. An update is kept with what it carried
/// from the moment it is taken until it is handled, so one taken but not
/// handled before a stop is handled after the restart.
#[async_trait]
pub trait Inbox: Send + Sync {
    /// Takes an id: `false` when it was taken before. With what it carried
    /// (`kept`), it waits to be handled (see [`Inbox::start_inbound`]);
    /// without, it is only recorded, as handled.
    async fn accept_inbound(
        &self,
        platform: Platform,
        id: &str,
        kept: Option<KeptUpdate<'_>>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Starts handling a waiting id, for `worker`: [`Start::Go`] once,
    /// whoever asks, and only when no earlier update of its chat taken
    /// after `patience_from` (taken, or started, if it was) is still
    /// waiting or being handled by another worker (a worker handles a
    /// chat's updates one at a time: one it started is over, even when its
    /// finish could not be recorded).
    async fn start_inbound(
        &self,
        platform: Platform,
        id: &str,
        worker: &str,
        now: DateTime<Utc>,
        patience_from: DateTime<Utc>,
    ) -> StoreResult<Start>;

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
