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

mod host_digest;
mod living;
mod nudge;
mod stats;

pub use nudge::nudge;
pub use stats::DeliveryStats;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use tokio::sync::watch;

use crate::clock::Clock;
use crate::domain::{CommunityId, Platform};
use crate::i18n::Locale;
use crate::reply::Reply;
use crate::store::{Body, DeliveryRecord, Envelope, Recipient, Store, StoreResult};
use crate::worker::Worker;

/// How one attempt went, as the platform answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Sent {
        message_id: Option<String>,
    },
    /// The platform asked us to wait (HTTP 429 `retry_after`).
    RetryAfter(Duration),
    /// A transient failure (5xx, network): retried with backoff.
    Failed(String),
    /// Never deliverable as addressed (Telegram 403, Discord 50007).
    Undeliverable(String),
    /// The bot can no longer post in the chat (removed from it, or it was
    /// deleted: Discord's unknown channel): the chat is unbound and the
    /// community's admins are told. For a private message, as
    /// `Undeliverable`.
    ChatGone(String),
    /// The chat has a new id (a Telegram group upgraded to a supergroup):
    /// the community's binding and its waiting messages follow, and this one
    /// is sent again at once.
    ChatMoved {
        to: String,
    },
}

pub use crate::limits::{RateLimits, SendLimiter};

/// Sends one rendered message to one recipient on one platform.
#[async_trait]
pub trait Courier: Send + Sync {
    fn platform(&self) -> Platform;

    fn limits(&self) -> RateLimits {
        RateLimits::default()
    }

    /// The limiter everything that sends on this platform shares (the
    /// adapter's direct answers too); `None`: the loop keeps [`Courier::limits`]
    /// with a limiter of its own.
    fn limiter(&self) -> Option<Arc<SendLimiter>> {
        None
    }

    /// How many messages the platform counts for `message` (a long reply
    /// is sent in parts).
    fn parts(&self, _message: &Reply) -> usize {
        1
    }

    async fn send(&self, to: &Recipient, message: &Reply) -> Delivery;

    /// Takes the buttons away from a message sent to `to` before (what
    /// they acted on is settled). Where a platform cannot, nothing.
    async fn clear_buttons(&self, _to: &Recipient, _message_id: &str) -> Delivery {
        Delivery::Sent { message_id: None }
    }

    /// Makes a message sent to `to` before read as `message` now, buttons
    /// included (a living announcement). Where a platform cannot, nothing.
    async fn edit(&self, _to: &Recipient, _message_id: &str, _message: &Reply) -> Delivery {
        Delivery::Sent { message_id: None }
    }
}

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

    /// Tries one claimed message (or gives it back: stopping, too late, a
    /// limit) and records how it went.
    async fn deliver_one(
        &self,
        slot: &Slot,
        mut envelope: Envelope,
        stop: &watch::Receiver<bool>,
        try_before: DateTime<Utc>,
    ) -> StoreResult<DeliveryRecord> {
        let platform = slot.courier.platform();
        let record = if *stop.borrow() {
            DeliveryRecord::Released { at: self.clock.now() }
        } else {
            match self.gather_host_updates(&mut envelope).await? {
                Some(at) => DeliveryRecord::Released { at },
                None => {
                    // Rendered now, in the community's language now.
                    let locale = self.locale_of(envelope.community).await?;
                    let message = envelope.body.render_on(locale, platform);
                    self.attempt(slot, &envelope, &message, locale, try_before).await?
                }
            }
        };
        match &record {
            DeliveryRecord::Retry { error, .. } => {
                tracing::warn!(id = envelope.id, %platform, attempts = envelope.attempts, error, "delivery will be retried")
            }
            DeliveryRecord::Held { error, nudge } => {
                tracing::info!(id = envelope.id, %platform, error, nudged = nudge.is_some(), "private message held for its member")
            }
            DeliveryRecord::Dead { error } => tracing::warn!(id = envelope.id, %platform, error, "undeliverable"),
            DeliveryRecord::Sent { .. } | DeliveryRecord::Released { .. } => {
                tracing::debug!(id = envelope.id, %platform, ?record, "delivery")
            }
        }
        match self
            .store
            .record_delivery(envelope.id, &envelope.claim, &record, self.clock.now())
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(id = envelope.id, %platform, "the claim was taken over (its lease ran out); its outcome is not recorded")
            }
            Err(error) => {
                // Sent (or otherwise settled) but not recorded: never sent
                // again by this process; recorded when the database takes
                // writes again.
                tracing::error!(id = envelope.id, %platform, %error, "the database refuses writes: an outcome is kept to record later, and its message is not sent again");
                self.unrecorded
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(Unrecorded {
                        id: envelope.id,
                        claim: envelope.claim.clone(),
                        record,
                    });
                return Err(error);
            }
        }
        Ok(record)
    }

    /// Sends one claimed message if the limits admit it now (else gives it
    /// back, due when they will), follows what the platform says of the
    /// chat, and says what to record.
    async fn attempt(
        &self,
        slot: &Slot,
        envelope: &Envelope,
        message: &Reply,
        locale: Locale,
        try_before: DateTime<Utc>,
    ) -> StoreResult<DeliveryRecord> {
        // Too late to try: by the lease's end another worker may take it,
        // and it must not go out twice.
        if self.clock.now() >= try_before {
            return Ok(DeliveryRecord::Released { at: self.clock.now() });
        }
        let parts = if envelope.body.changes_sent() {
            1
        } else {
            slot.courier.parts(message)
        };
        let admitted = self.clock.now();
        if let Some(at) = self.not_before(slot, envelope, admitted, parts) {
            return Ok(DeliveryRecord::Released { at });
        }
        let platform = slot.courier.platform();
        let changed = match &envelope.body {
            Body::ClearButtons { clear_buttons_of } => {
                Some(slot.courier.clear_buttons(&envelope.recipient, clear_buttons_of).await)
            }
            Body::Edit { edit_of, .. } => Some(slot.courier.edit(&envelope.recipient, edit_of, message).await),
            _ => None,
        };
        let outcome = match changed {
            // A message deleted meanwhile (or that has no buttons left, or
            // reads so already) has nothing left to change.
            Some(Delivery::Undeliverable(why)) => {
                tracing::info!(id = envelope.id, %platform, why, "nothing left to change in a sent message");
                Delivery::Sent { message_id: None }
            }
            Some(outcome) => outcome,
            None => slot.courier.send(&envelope.recipient, message).await,
        };
        if let Delivery::RetryAfter(_) = outcome {
            // Refused, so not counted by the platform: its place is free.
            slot.limiter.refund(admitted, limited_chat(envelope), parts);
        }
        match (&outcome, &envelope.recipient) {
            (Delivery::ChatMoved { to }, Recipient::Chat(from)) => {
                // Its row moves with the chat; given back, it goes out again at once.
                tracing::info!(%platform, from, to, "chat moved");
                self.store.move_chat(platform, from, to).await?;
            }
            (Delivery::ChatGone(_), Recipient::Chat(chat)) => {
                crate::service::forget_chat(&*self.store, platform, chat, self.clock.now(), self.options.locale)
                    .await?;
            }
            _ => {}
        }
        Ok(self.record_for(envelope, outcome, locale))
    }

    /// Delivers until nothing of `platform` can go now.
    pub async fn drain(&self, platform: Platform) -> StoreResult<DeliveryStats> {
        let (_keep, never) = watch::channel(false);
        self.drain_until(platform, &never).await
    }

    async fn drain_until(&self, platform: Platform, stop: &watch::Receiver<bool>) -> StoreResult<DeliveryStats> {
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

    /// When the limits admit this message, if not now (nothing is taken
    /// then). A chat's own limit counts messages to chats; private messages
    /// count against the overall one.
    fn not_before(&self, slot: &Slot, envelope: &Envelope, at: DateTime<Utc>, parts: usize) -> Option<DateTime<Utc>> {
        slot.limiter.admit(at, limited_chat(envelope), parts).err()
    }

    fn record_for(&self, envelope: &Envelope, outcome: Delivery, locale: Locale) -> DeliveryRecord {
        let now: DateTime<Utc> = self.clock.now();
        match outcome {
            Delivery::Sent { message_id } => DeliveryRecord::Sent { message_id },
            Delivery::RetryAfter(wait) => DeliveryRecord::Retry {
                at: now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60)),
                error: format!("rate limited for {wait:?}"),
            },
            Delivery::Failed(error) => DeliveryRecord::Retry {
                at: now + backoff(envelope.attempts),
                error,
            },
            Delivery::ChatMoved { .. } => DeliveryRecord::Released { at: now },
            Delivery::Undeliverable(error) | Delivery::ChatGone(error) => match envelope.recipient {
                Recipient::Member(_) => DeliveryRecord::Held {
                    error,
                    nudge: nudge(envelope, locale),
                },
                Recipient::Chat(_) => DeliveryRecord::Dead { error },
            },
        }
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
