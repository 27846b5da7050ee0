//! One claimed message: sent (or its sent message changed) through its
//! courier, and the outcome recorded.

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::i18n::Locale;
use crate::reply::Reply;
use crate::store::{Body, DeliveryRecord, Envelope, Recipient, StoreResult};

use super::*;

impl Deliverer {
    /// Tries one claimed message (or gives it back: stopping, too late, a
    /// limit) and records how it went.
    pub(super) async fn deliver_one(
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
    pub(super) async fn attempt(
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
        if let Some(at) = self.not_before(slot, envelope, admitted, parts).await {
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
            slot.limiter.refund(admitted, limited_chat(envelope), parts).await;
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

    /// When the limits admit this message, if not now (nothing is taken
    /// then). A chat's own limit counts messages to chats; private messages
    /// count against the overall one.
    pub(super) async fn not_before(
        &self,
        slot: &Slot,
        envelope: &Envelope,
        at: DateTime<Utc>,
        parts: usize,
    ) -> Option<DateTime<Utc>> {
        let waits = slot.limiter.admit(at, limited_chat(envelope), parts).await.err();
        if waits.is_some() {
            metrics::counter!("seatmate_rate_limit_waits_total", "platform" => envelope.platform.as_str()).increment(1);
        }
        waits
    }

    pub(super) fn record_for(&self, envelope: &Envelope, outcome: Delivery, locale: Locale) -> DeliveryRecord {
        let now: DateTime<Utc> = self.clock.now();
        // Given up on: held for its member, or dead for a chat.
        let given_up = |error, dead| match envelope.recipient {
            Recipient::Member(_) => (
                "held",
                DeliveryRecord::Held {
                    error,
                    nudge: nudge(envelope, locale),
                },
            ),
            Recipient::Chat(_) => (dead, DeliveryRecord::Dead { error }),
        };
        let (label, record) = match outcome {
            Delivery::Sent { message_id } => ("sent", DeliveryRecord::Sent { message_id }),
            Delivery::RetryAfter(wait) => (
                "retry_after",
                DeliveryRecord::Retry {
                    at: now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::seconds(60)),
                    error: format!("rate limited for {wait:?}"),
                },
            ),
            Delivery::Failed(error) => (
                "failed",
                DeliveryRecord::Retry {
                    at: now + backoff(envelope.attempts),
                    error,
                },
            ),
            Delivery::ChatMoved { .. } => ("chat_moved", DeliveryRecord::Released { at: now }),
            Delivery::Undeliverable(error) => given_up(error, "undeliverable"),
            Delivery::ChatGone(error) => given_up(error, "chat_gone"),
        };
        metrics::counter!("seatmate_deliveries_total", "platform" => envelope.platform.as_str(), "outcome" => label)
            .increment(1);
        record
    }
}
