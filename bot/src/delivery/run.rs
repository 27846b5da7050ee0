//! The loop itself: each platform delivers side by side until it is told
//! to stop, and a drain delivers what is due now (the console, tests).

use std::sync::Arc;

use tokio::sync::watch;

use crate::domain::Platform;
use crate::store::{DeliveryRecord, StoreResult};

use super::*;

impl Deliverer {
    /// Delivers until nothing of `platform` can go now.
    pub async fn drain(&self, platform: Platform) -> StoreResult<DeliveryStats> {
        let (_keep, never) = watch::channel(false);
        self.drain_until(platform, &never).await
    }

    pub(super) async fn drain_until(
        &self,
        platform: Platform,
        stop: &watch::Receiver<bool>,
    ) -> StoreResult<DeliveryStats> {
        let mut total = DeliveryStats::default();
        loop {
            let pass = self.deliver_due_until(platform, stop).await?;
            total.add(pass);
            // Stop after a pass that settled nothing: what is left is not due
            // again yet (a retry, a rate limit), or the loop is stopping.
            if pass.sent + pass.held + pass.dead == 0 || *stop.borrow() {
                return Ok(total);
            }
        }
    }

    /// Delivers `platform`'s messages until `shutdown` turns true; then the
    /// sends in flight finish and unsent claims are given back. Up to
    /// [`IN_FLIGHT`] sends are in flight at once, each to its own recipient,
    /// and the loop claims more as they finish: a send that hangs (teloxide
    /// waits 10 s after a server error) holds up no other recipient.
    pub async fn run_platform(self: Arc<Self>, platform: Platform, mut shutdown: watch::Receiver<bool>) {
        let Some(slot) = self.slots.get(&platform) else {
            return;
        };
        // Each send is a task of its own: one waiting for the store (held by
        // another send's transaction) must never stop that one from going on.
        let mut in_flight = tokio::task::JoinSet::new();
        // When to claim next: at once after progress, at a limit's time after
        // a release, an idle poll after nothing.
        let mut next_claim = tokio::time::Instant::now();
        loop {
            let stopping = *shutdown.borrow();
            if stopping && in_flight.is_empty() {
                return;
            }
            let room = IN_FLIGHT.saturating_sub(in_flight.len());
            if !stopping && room > 0 && tokio::time::Instant::now() >= next_claim {
                let limit = self.claim_limit(slot).min(room as u32);
                match self.claim(slot, limit).await {
                    Ok((claimed, try_before)) => {
                        if claimed.is_empty() {
                            next_claim = tokio::time::Instant::now() + self.options.idle_poll;
                        }
                        for envelope in claimed {
                            let (deliverer, stop) = (self.clone(), shutdown.clone());
                            in_flight.spawn(async move {
                                let slot = &deliverer.slots[&platform];
                                deliverer.deliver_one(slot, envelope, &stop, try_before).await
                            });
                        }
                    }
                    Err(error) => {
                        tracing::error!(%platform, %error, "delivery pass failed");
                        next_claim = tokio::time::Instant::now() + self.options.idle_poll;
                    }
                }
                continue;
            }
            let room = in_flight.len() < IN_FLIGHT && !stopping;
            tokio::select! {
                Some(done) = in_flight.join_next(), if !in_flight.is_empty() => match done {
                    Ok(Ok(DeliveryRecord::Released { at })) => {
                        // Back when the limiter admits it, not an idle poll later.
                        let wait = (at - self.clock.now()).to_std().unwrap_or_default().min(self.options.idle_poll);
                        next_claim = next_claim.min(tokio::time::Instant::now() + wait);
                    }
                    Ok(Ok(_)) => next_claim = tokio::time::Instant::now(),
                    Ok(Err(error)) => tracing::error!(%platform, %error, "a delivery could not be recorded"),
                    Err(error) => tracing::error!(%platform, %error, "a delivery task failed"),
                },
                _ = tokio::time::sleep_until(next_claim), if room => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// One task per platform, so that one platform's waits never hold up
    /// another's; they end when `shutdown` turns true.
    pub fn spawn(self: Arc<Self>, shutdown: watch::Receiver<bool>) -> tokio::task::JoinSet<()> {
        let mut tasks = tokio::task::JoinSet::new();
        for platform in self.platforms().collect::<Vec<_>>() {
            let deliverer = self.clone();
            let shutdown = shutdown.clone();
            tasks.spawn(async move { deliverer.run_platform(platform, shutdown).await });
        }
        tasks
    }
}
