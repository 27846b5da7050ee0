//! The delivery loop, written once for every platform: it claims due outbox
//! messages (with a lease, so a crashed worker's claims come back), hands each
//! to its platform's [`Courier`], and records the outcome. Couriers only send
//! one message to one recipient and say how it went.
//!
//! - **Order.** A message is claimed only when it is the first still to go to
//!   its recipient (the store's rule), so messages to one chat go out in order
//!   whatever the number of workers.
//! - **Rate limits** are data each courier declares; the loop asks the
//!   platform's sliding-window limiter ([`crate::limits`], shared with the
//!   adapter's direct answers, on the core's [`Clock`]) before each send, and gives a
//!   claim back, due when the limiter admits it, rather than waiting inside
//!   the lease: a claim is never held longer than one send.
//! - **Private stays private.** A private message the platform refuses is
//!   held for its member, and the community chat gets a content-free nudge
//!   with a button that opens the private chat; the held message goes out when
//!   the member opens it, and `/inbox` shows it meanwhile.
//! - **Once.** The only window for a repeat is a crash between the platform's
//!   OK and the row being marked sent, one statement long. Each claim has a
//!   token that its marks must name, so a worker whose lease ran out cannot
//!   mark the claim of the one that took the row over; a restarted instance
//!   takes back its own dead claims at once ([`Deliverer::take_back_claims`]).
//!   A message sent whose mark could not be written (the database refused
//!   the write) is never sent again by this process: the outcome is kept and
//!   written before anything else is claimed.
//! - **Changes to sent messages** (cleared buttons, [`living`] announcements)
//!   are outbox rows too, in order with the recipient's other messages and
//!   within its limits; one that finds nothing left to change is done.
//! - **Host digests** ([`host_digest`]): only the head of a member's queue
//!   is claimed, so what waits behind it can go inside it.

mod courier;
mod host_digest;
mod living;
mod nudge;
mod one;
mod run;
mod stats;

pub use courier::{Courier, Delivery, RateLimits, SendLimiter};
pub use nudge::nudge;
pub use stats::DeliveryStats;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::domain::{CommunityId, Platform};
use crate::i18n::Locale;
use crate::store::{DeliveryRecord, Envelope, Recipient, Store, StoreResult};
use crate::worker::Worker;

/// A platform's courier and the limiter its sends wait for.
struct Slot {
    courier: Arc<dyn Courier>,
    limiter: Arc<SendLimiter>,
}

/// How many sends a platform's loop has in flight at most, each to its own
/// recipient.
pub const IN_FLIGHT: usize = 16;

/// How long before its lease ends a claim is no longer tried.
const LEASE_MARGIN: chrono::Duration = chrono::Duration::seconds(5);

/// How the loop behaves; the defaults suit production.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryOptions {
    /// How long a claim lasts before another worker may take the message.
    pub lease: chrono::Duration,
    /// Messages claimed at once (at most what the overall limit admits
    /// within a lease).
    pub batch: u32,
    /// How often an idle loop looks for new messages.
    pub idle_poll: Duration,
    /// The language of the nudges the loop writes for a community that did
    /// not choose one.
    pub locale: Locale,
    /// How often announcements are brought up to date with their offers:
    /// every change within this time is one edit (the platforms count
    /// edits against the same limits as messages).
    pub refresh_every: Duration,
    /// Host updates ([`Body::is_host_update`]) that follow one within this
    /// time wait until it has passed and go as one message; zero (the
    /// default here; the binary's setting `bot.host_digest_seconds` is a
    /// minute): each at once.
    pub host_digest: Duration,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            lease: chrono::Duration::seconds(60),
            batch: 50,
            idle_poll: Duration::from_millis(500),
            locale: Locale::En,
            refresh_every: Duration::from_secs(2),
            host_digest: Duration::ZERO,
        }
    }
}

pub struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    slots: HashMap<Platform, Slot>,
    options: DeliveryOptions,
    locales: std::sync::Mutex<HashMap<CommunityId, (Locale, DateTime<Utc>)>>,
    worker: Worker,
    /// Claim batches made so far: part of each claim's token.
    claims: AtomicU64,
    /// Outcomes the store refused to record (a failed write), to record
    /// before anything else is claimed; their messages are not sent again.
    unrecorded: std::sync::Mutex<Vec<Unrecorded>>,
    /// When each platform's announcements were last brought up to date.
    refreshed: std::sync::Mutex<HashMap<Platform, std::time::Instant>>,
}

/// An attempt's outcome still to be written.
struct Unrecorded {
    id: i64,
    claim: String,
    record: DeliveryRecord,
}

/// The chat whose own limit a message counts against: none for a private one.
fn limited_chat(envelope: &Envelope) -> Option<&str> {
    match &envelope.recipient {
        Recipient::Chat(chat) => Some(chat.as_str()),
        Recipient::Member(_) => None,
    }
}

/// Wait before retry number `attempts` after a transient failure: 5 s doubling
/// to at most an hour. Nothing is ever dropped for failing too often.
pub fn backoff(attempts: u32) -> chrono::Duration {
    let seconds = 5i64.saturating_mul(1i64 << attempts.saturating_sub(1).min(20));
    chrono::Duration::seconds(seconds.min(3600))
}

impl Deliverer {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, options: DeliveryOptions) -> Self {
        Deliverer {
            store,
            clock,
            slots: HashMap::new(),
            options,
            locales: std::sync::Mutex::default(),
            worker: Worker::default(),
            claims: AtomicU64::new(0),
            unrecorded: std::sync::Mutex::default(),
            refreshed: std::sync::Mutex::default(),
        }
    }

    /// The instance this process is a run of (see [`crate::worker`]).
    pub fn with_worker(mut self, worker: Worker) -> Self {
        self.worker = worker;
        self
    }

    /// Gives back, due at once, the claims earlier runs of this instance
    /// left when they died: they need not wait for their leases to run out.
    /// Call it once, before delivering; how many.
    pub async fn take_back_claims(&self) -> StoreResult<u64> {
        let taken = self
            .store
            .take_back_claims(&self.worker.instance_prefix(), self.clock.now())
            .await?;
        if taken > 0 {
            tracing::info!(taken, "messages an earlier run had claimed are due again");
        }
        Ok(taken)
    }

    /// Writes the outcomes the store refused before; `false` while it still
    /// refuses (nothing new is claimed meanwhile).
    async fn record_kept(&self) -> bool {
        let kept = std::mem::take(&mut *self.unrecorded.lock().unwrap_or_else(|e| e.into_inner()));
        let mut left = Vec::new();
        for item in kept {
            if !left.is_empty() {
                left.push(item);
                continue;
            }
            match self
                .store
                .record_delivery(item.id, &item.claim, &item.record, self.clock.now())
                .await
            {
                Ok(true) => tracing::info!(
                    id = item.id,
                    "an outcome kept while the database refused writes is recorded"
                ),
                Ok(false) => tracing::warn!(id = item.id, "a kept outcome's claim was taken over meanwhile"),
                Err(_) => left.push(item),
            }
        }
        let recorded = left.is_empty();
        self.unrecorded.lock().unwrap_or_else(|e| e.into_inner()).extend(left);
        recorded
    }

    pub fn with_courier(mut self, courier: Arc<dyn Courier>) -> Self {
        let limiter = courier
            .limiter()
            .unwrap_or_else(|| Arc::new(SendLimiter::new(courier.limits())));
        self.slots.insert(courier.platform(), Slot { courier, limiter });
        self
    }

    pub fn platforms(&self) -> impl Iterator<Item = Platform> + '_ {
        self.slots.keys().copied()
    }

    /// How many to claim at once: the batch, but never more than the overall
    /// limit admits in a tenth of a second. A claim the limit does not admit
    /// is given back, which costs a write: claiming about what can go keeps
    /// the loop at the limit rather than busy giving claims back.
    fn claim_limit(&self, slot: &Slot) -> u32 {
        let per_lease = slot.courier.limits().per_second.map(|n| (n / 10).max(1));
        per_lease
            .map_or(self.options.batch, |n| n.min(self.options.batch))
            .max(1)
    }

    /// Claims one batch of due messages for `platform` and tries each once.
    pub async fn deliver_due(&self, platform: Platform) -> StoreResult<DeliveryStats> {
        let (_keep, never) = watch::channel(false);
        self.deliver_due_until(platform, &never).await
    }

    /// As [`Deliverer::deliver_due`]; when `stop` turns true, the send in
    /// flight finishes and the claims not yet tried are given back.
    pub async fn deliver_due_until(
        &self,
        platform: Platform,
        stop: &watch::Receiver<bool>,
    ) -> StoreResult<DeliveryStats> {
        let Some(slot) = self.slots.get(&platform) else {
            return Ok(DeliveryStats::default());
        };
        let (claimed, try_before) = self.claim(slot, self.claim_limit(slot)).await?;
        // Each to another recipient (one head per recipient is claimed):
        // sent side by side, so one slow send holds up no other.
        let results: Vec<StoreResult<DeliveryRecord>> = futures_util::stream::iter(claimed)
            .map(|envelope| self.deliver_one(slot, envelope, stop, try_before))
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        let mut stats = DeliveryStats::default();
        for result in results {
            stats.count(&result?);
        }
        Ok(stats)
    }

    /// Claims up to `limit` due messages of the slot's platform; and until
    /// when they may be tried (a claim not tried before its lease nearly
    /// ends is given back: by then another worker may take it, and it must
    /// not go out twice). Nothing is claimed while outcomes the database
    /// refused wait to be recorded.
    async fn claim(&self, slot: &Slot, limit: u32) -> StoreResult<(Vec<Envelope>, DateTime<Utc>)> {
        if !self.record_kept().await {
            return Err(crate::store::StoreError::Other(
                "the database still refuses to record what was sent".into(),
            ));
        }
        let platform = slot.courier.platform();
        if self.refresh_due(platform) {
            if let Err(error) = self.refresh_announcements(platform).await {
                tracing::error!(%platform, %error, "announcements could not be brought up to date; trying again later");
            }
        }
        let now = self.clock.now();
        let claim = format!("{}/{}", self.worker.name(), self.claims.fetch_add(1, Ordering::Relaxed));
        let claimed = self
            .store
            .claim_outbox(platform, now, now + self.options.lease, limit, &claim)
            .await?;
        Ok((claimed, now + self.options.lease - LEASE_MARGIN))
    }

    /// The language a community's messages are rendered in, remembered for
    /// a minute (a community that changes it is heard within that).
    async fn locale_of(&self, community: CommunityId) -> StoreResult<Locale> {
        let now = self.clock.now();
        if let Some(&(locale, at)) = self.locales.lock().unwrap_or_else(|e| e.into_inner()).get(&community) {
            if now - at < chrono::Duration::seconds(60) {
                return Ok(locale);
            }
        }
        let locale = self
            .store
            .community(community)
            .await?
            .and_then(|c| c.locale)
            .unwrap_or(self.options.locale);
        self.locales
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(community, (locale, now));
        Ok(locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps_at_an_hour() {
        assert_eq!(backoff(1).num_seconds(), 5);
        assert_eq!(backoff(2).num_seconds(), 10);
        assert_eq!(backoff(5).num_seconds(), 80);
        assert_eq!(backoff(40).num_seconds(), 3600);
    }
}
