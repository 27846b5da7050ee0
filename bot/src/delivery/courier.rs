//! The Courier port: what a platform adapter implements to send one message
//! to one recipient, the limits it declares, and how an attempt went.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::domain::Platform;
use crate::reply::Reply;
use crate::store::Recipient;

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
