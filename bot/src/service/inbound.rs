//! Inbound ids, taken once (see [`crate::store::Inbox`]): what an adapter
//! asks before it lets an update or interaction have an effect.

use crate::clock::Clock;
use crate::domain::Platform;
use crate::store::{KeptUpdate, Start, Store};
use crate::worker::Worker;

/// What taking an inbound id found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// First seen: handle it.
    New,
    /// Seen before: it must have no second effect.
    Seen,
    /// The store could not say (it cannot be reached): handle it all the
    /// same, without the inbox's bookkeeping; the command then finds the
    /// store down too, and says so.
    Unrecorded,
}

impl Taken {
    /// Whether to handle it.
    pub fn is_new(self) -> bool {
        self != Taken::Seen
    }
}

/// How long a taken id is remembered: Telegram redelivers for a day at
/// most, Discord replays within minutes; three days is a wide margin.
pub const INBOUND_KEPT: chrono::TimeDelta = chrono::TimeDelta::hours(72);

/// How long an update taken (or started) and not handled holds back the
/// later updates of its chat: longer than any handling takes, and than an
/// orphan waits to be adopted (15 s), so that order holds whenever an
/// instance lives; past it, the instance that had it is taken for dead.
pub const ORDER_PATIENCE: chrono::TimeDelta = chrono::TimeDelta::seconds(30);

/// The ledger of inbound ids an adapter keeps through the core: every
/// update or interaction has one effect, however often it arrives.
pub struct InboundLedger<'a> {
    pub(crate) store: &'a dyn Store,
    pub(crate) clock: &'a dyn Clock,
    /// Whose starts these are (see [`crate::worker`]).
    pub(crate) worker: &'a Worker,
}

impl InboundLedger<'_> {
    /// A request that claimed to come from the platform and did not prove
    /// it (a wrong secret, a bad signature): no effect, counted, logged
    /// with `why` only (never the body).
    pub fn reject(&self, platform: Platform, why: &'static str) {
        super::metrics::inbound(platform, "rejected");
        tracing::warn!(%platform, why, "an inbound request was rejected");
    }

    /// Takes an inbound id (with what it carried, for an update to be
    /// handled later by [`InboundLedger::start`]); see [`Taken`].
    pub async fn take(&self, platform: Platform, id: &str, kept: Option<KeptUpdate<'_>>) -> Taken {
        match self.store.accept_inbound(platform, id, kept, self.clock.now()).await {
            Ok(true) => Taken::New,
            Ok(false) => {
                super::metrics::inbound(platform, "duplicate");
                tracing::info!(%platform, id, "an update seen before: no second effect");
                Taken::Seen
            }
            Err(error) => {
                tracing::warn!(%platform, id, %error, "could not record an inbound id");
                Taken::Unrecorded
            }
        }
    }

    /// Starts handling a taken update (see [`Start`]): not when it was
    /// started already, by this process or another, and not yet while an
    /// earlier update of its chat, wherever it was taken, is not handled
    /// (for [`ORDER_PATIENCE`] at most).
    pub async fn start(&self, platform: Platform, id: &str) -> Start {
        let worker = self.worker.name();
        let now = self.clock.now();
        match self
            .store
            .start_inbound(platform, id, &worker, now, now - ORDER_PATIENCE)
            .await
        {
            Ok(start) => start,
            Err(error) => {
                tracing::warn!(%platform, id, %error, "could not record that an update is being handled");
                Start::Go
            }
        }
    }

    /// The update was handled; what it carried is forgotten.
    pub async fn finish(&self, platform: Platform, id: &str) {
        if let Err(error) = self.store.finish_inbound(platform, id, self.clock.now()).await {
            tracing::warn!(%platform, id, %error, "could not record that an update was handled");
        }
    }

    /// What was taken before a stop and not handled yet, oldest first:
    /// `(id, payload)`. What this instance had started when it died is given
    /// up first (counted in the log): it may have had its effect.
    pub async fn unfinished(&self, platform: Platform) -> Vec<(String, String)> {
        let now = self.clock.now();
        match self
            .store
            .abandon_inbound(platform, &self.worker.instance_prefix(), now)
            .await
        {
            Ok(0) => {}
            Ok(abandoned) => tracing::warn!(
                %platform,
                abandoned,
                "updates were being handled when this instance stopped without finishing them; not run again"
            ),
            Err(error) => tracing::warn!(%platform, %error, "could not look for updates left being handled"),
        }
        // Everything taken before now and not started, whoever took it.
        self.orphaned(platform, std::time::Duration::ZERO).await
    }

    /// What any instance took more than `older_than` ago and nobody has
    /// started: an instance that took it died before handling it. Another
    /// may handle it; [`InboundLedger::start`] lets one of them.
    pub async fn orphaned(&self, platform: Platform, older_than: std::time::Duration) -> Vec<(String, String)> {
        let before = self.clock.now() - chrono::TimeDelta::from_std(older_than).unwrap_or_default();
        self.store
            .waiting_inbound(platform, before)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!(%platform, %error, "could not look for updates left waiting");
                Vec::new()
            })
    }
}
