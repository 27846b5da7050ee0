//! The delivery loop, written once for every platform: it claims due outbox
//! messages (with a lease, so a crashed worker's claims come back), hands each
//! to its platform's [`Courier`], and records the outcome. Couriers only send
//! one message and say how it went; rate limits are data they declare, which
//! the loop enforces with keyed limiters (governor).
//!
//! A message is written once and sent once: the only window for a repeat is a
//! crash between the platform's OK and the row being marked sent, and that
//! window is one statement long.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::watch;

use crate::clock::Clock;
use crate::domain::Platform;
use crate::reply::{Audience, Block, Handle, MemberCard, Span};
use crate::store::{DeliveryRecord, Envelope, Outgoing, Recipient, Store, StoreResult, Target};

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
}

/// Rate limits a platform imposes; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimits {
    /// Messages per second over all chats.
    pub per_second: Option<u32>,
    /// Messages per minute to any one chat.
    pub per_chat_per_minute: Option<u32>,
}

/// Sends one rendered message to one recipient on one platform.
#[async_trait]
pub trait Courier: Send + Sync {
    fn platform(&self) -> Platform;

    fn limits(&self) -> RateLimits {
        RateLimits::default()
    }

    async fn send(&self, message: &Envelope) -> Delivery;
}

struct Slot {
    courier: Arc<dyn Courier>,
    overall: Option<DefaultDirectRateLimiter>,
    per_chat: Option<DefaultKeyedRateLimiter<String>>,
}

/// How the loop behaves; the defaults suit production.
#[derive(Debug, Clone, Copy)]
pub struct DeliveryOptions {
    /// How long a claim lasts before another worker may take the message.
    pub lease: chrono::Duration,
    /// Messages claimed at once.
    pub batch: u32,
    /// How often an idle loop looks for new messages.
    pub idle_poll: Duration,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            lease: chrono::Duration::seconds(60),
            batch: 50,
            idle_poll: Duration::from_millis(500),
        }
    }
}

/// Counts of one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryStats {
    pub sent: usize,
    pub retried: usize,
    pub dead: usize,
}

impl DeliveryStats {
    pub fn attempts(&self) -> usize {
        self.sent + self.retried + self.dead
    }
}

pub struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    slots: HashMap<Platform, Slot>,
    options: DeliveryOptions,
}

fn quota(n: Option<u32>, per_minute: bool) -> Option<Quota> {
    let n = NonZeroU32::new(n?)?;
    Some(if per_minute {
        Quota::per_minute(n)
    } else {
        Quota::per_second(n)
    })
}

/// Wait before retry number `attempts` after a transient failure: 5 s doubling
/// to at most an hour. Nothing is ever dropped for failing too often.
pub fn backoff(attempts: u32) -> chrono::Duration {
    let seconds = 5i64.saturating_mul(1i64 << attempts.saturating_sub(1).min(20));
    chrono::Duration::seconds(seconds.min(3600))
}

/// The message that stands in for an undeliverable private one: the same text
/// in the community chat on that platform, addressed to the member by a mention.
pub fn fallback(envelope: &Envelope) -> Option<Outgoing> {
    let (Recipient::Member(user_id), Some(chat), Some(member)) =
        (&envelope.recipient, &envelope.fallback_chat, envelope.member)
    else {
        return None;
    };
    let card = MemberCard {
        id: member,
        display_name: envelope.member_name.clone().unwrap_or_else(|| user_id.clone()),
        handles: vec![Handle {
            platform: envelope.platform,
            user_id: user_id.clone(),
            username: envelope.member_username.clone(),
        }],
    };
    let mut reply = envelope.reply.clone();
    reply.audience = Audience::Chat;
    let mut first = vec![Span::Mention(card), Span::Text(": ".into())];
    match reply.blocks.first_mut() {
        Some(Block::Line(spans)) => {
            first.append(spans);
            *spans = first;
        }
        _ => reply.blocks.insert(0, Block::Line(first)),
    }
    Some(Outgoing {
        community: envelope.community,
        target: Target::Chat {
            platform: envelope.platform,
            chat_id: chat.clone(),
        },
        reply,
    })
}

impl Deliverer {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, options: DeliveryOptions) -> Self {
        Deliverer {
            store,
            clock,
            slots: HashMap::new(),
            options,
        }
    }

    pub fn with_courier(mut self, courier: Arc<dyn Courier>) -> Self {
        let limits = courier.limits();
        self.slots.insert(
            courier.platform(),
            Slot {
                overall: quota(limits.per_second, false).map(RateLimiter::direct),
                per_chat: quota(limits.per_chat_per_minute, true).map(RateLimiter::keyed),
                courier,
            },
        );
        self
    }

    pub fn platforms(&self) -> impl Iterator<Item = Platform> + '_ {
        self.slots.keys().copied()
    }

    /// Claims one batch of due messages for `platform` and tries each once.
    pub async fn deliver_due(&self, platform: Platform) -> StoreResult<DeliveryStats> {
        let Some(slot) = self.slots.get(&platform) else {
            return Ok(DeliveryStats::default());
        };
        let now = self.clock.now();
        let claimed = self
            .store
            .claim_outbox(platform, now, now + self.options.lease, self.options.batch)
            .await?;
        let mut stats = DeliveryStats::default();
        for envelope in claimed {
            self.wait_for_limits(slot, &envelope).await;
            let outcome = slot.courier.send(&envelope).await;
            let record = self.record_for(&envelope, outcome);
            match &record {
                DeliveryRecord::Sent { .. } => stats.sent += 1,
                DeliveryRecord::Retry { error, .. } => {
                    tracing::warn!(id = envelope.id, %platform, attempts = envelope.attempts, error, "delivery will be retried");
                    stats.retried += 1;
                }
                DeliveryRecord::Dead { error, fallback } => {
                    tracing::warn!(id = envelope.id, %platform, error, fallback = fallback.is_some(), "undeliverable");
                    stats.dead += 1;
                }
            }
            self.store
                .record_delivery(envelope.id, &record, self.clock.now())
                .await?;
        }
        Ok(stats)
    }

    /// Delivers until nothing of `platform` is due now.
    pub async fn drain(&self, platform: Platform) -> StoreResult<DeliveryStats> {
        let mut total = DeliveryStats::default();
        loop {
            let pass = self.deliver_due(platform).await?;
            total.sent += pass.sent;
            total.retried += pass.retried;
            total.dead += pass.dead;
            // Stop after a pass with no success: what failed is not due again yet.
            if pass.attempts() == 0 || pass.sent + pass.dead == 0 {
                return Ok(total);
            }
        }
    }

    /// Delivers for every platform until `shutdown` turns true.
    pub async fn run(&self, mut shutdown: watch::Receiver<bool>) {
        let platforms: Vec<Platform> = self.platforms().collect();
        while !*shutdown.borrow() {
            let mut busy = false;
            for &platform in &platforms {
                match self.drain(platform).await {
                    Ok(stats) => busy |= stats.sent > 0,
                    Err(error) => tracing::error!(%platform, %error, "delivery pass failed"),
                }
            }
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.options.idle_poll) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    async fn wait_for_limits(&self, slot: &Slot, envelope: &Envelope) {
        if let Some(limiter) = &slot.overall {
            limiter.until_ready().await;
        }
        if let (Some(limiter), Recipient::Chat(chat)) = (&slot.per_chat, &envelope.recipient) {
            limiter.until_key_ready(chat).await;
        }
    }

    fn record_for(&self, envelope: &Envelope, outcome: Delivery) -> DeliveryRecord {
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
            Delivery::Undeliverable(error) => DeliveryRecord::Dead {
                error,
                fallback: fallback(envelope),
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
