//! Webhook mode: Telegram POSTs each update to the bot's public URL.
//!
//! - **Proven first.** The secret header is compared in constant time
//!   before the body is read; a request without it has no effect.
//! - **Recorded before the 200.** An update is taken into the core's inbox
//!   (with what it carried) before Telegram hears it arrived; when the
//!   database cannot take it, Telegram hears 503 and sends it again later.
//! - **Once, in order.** The inbox gives a redelivered `update_id` no second
//!   effect; each chat's updates are handled in `update_id` order by the
//!   same per-chat workers as polling, after the answer is sent.
//! - **Nothing left behind.** An update an instance took (200) and never
//!   handled, because it died, is handled by another instance after
//!   [`ORPHANED_AFTER`]: each looks every few seconds; starting an update is
//!   atomic, so one of them handles it.
//! - **Set once for the fleet.** `setWebhook` is called only when Telegram's
//!   webhook (or the fingerprint recorded for it) differs from the settings,
//!   so instances starting at once agree; nothing deletes it on stop.

use std::sync::Arc;

use seatmate_bot::service::inbound::Taken;
use seatmate_bot::{Core, Platform};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use teloxide::payloads::SetWebhookSetters;
use teloxide::requests::Requester;
use teloxide::types::{AllowedUpdate, Update};
use tokio::sync::watch;

use crate::updates::Chats;
use crate::Telegram;

/// The update kinds the adapter handles ([`crate::inbound::event`]), asked
/// for by polling and by the webhook alike.
pub const ALLOWED_UPDATES: [AllowedUpdate; 3] = [
    AllowedUpdate::Message,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];
/// How many deliveries Telegram may have open at once (its default).
pub const MAX_CONNECTIONS: u8 = 40;
/// How often an instance looks for updates another took and never handled.
const ADOPT_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
/// How long an update may wait, taken and not started, before another
/// instance handles it (its taker is taken to have died).
pub const ORPHANED_AFTER: std::time::Duration = std::time::Duration::from_secs(15);
/// Under which name the webhook's fingerprint is recorded.
pub const REGISTRATION: &str = "telegram_webhook";

/// The webhook as Telegram reports it (`getWebhookInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookState {
    /// Empty when none is set.
    pub url: String,
    pub pending_updates: u32,
    pub max_connections: Option<u32>,
    pub allowed_updates: Option<Vec<AllowedUpdate>>,
    /// Telegram's last delivery error, when there was one.
    pub last_error: Option<String>,
}

impl WebhookState {
    /// Whether Telegram delivers to `url` as this adapter would set it.
    pub fn delivers_as_set(&self, url: &str) -> bool {
        self.url == url
            && self.max_connections == Some(u32::from(MAX_CONNECTIONS))
            && self.allowed_updates.as_deref() == Some(&ALLOWED_UPDATES[..])
    }
}

/// What the settings of a webhook come to, without the secret: what is
/// recorded to know whether Telegram has these settings already.
pub fn fingerprint(url: &str, secret: &SecretString) -> String {
    let settings = format!(
        "{url}\n{}\n{ALLOWED_UPDATES:?} {MAX_CONNECTIONS}",
        secret.expose_secret()
    );
    seatmate_bot::codes::sha256_hex(settings.as_bytes())
}

impl Telegram {
    /// The webhook Telegram has for this bot.
    pub async fn webhook_state(&self) -> Result<WebhookState, String> {
        let info = self
            .api
            .bot
            .get_webhook_info()
            .await
            .map_err(|e| self.api.describe(&e))?;
        Ok(WebhookState {
            url: info.url.map(String::from).unwrap_or_default(),
            pending_updates: info.pending_update_count,
            max_connections: info.max_connections,
            allowed_updates: info.allowed_updates,
            last_error: info.last_error_message,
        })
    }

    /// Tells Telegram to deliver to `url` with `secret` (`setWebhook`).
    pub async fn set_webhook(&self, url: &str, secret: &SecretString) -> Result<(), String> {
        let url: url::Url = url.parse().map_err(|_| format!("'{url}' is not a URL"))?;
        self.api
            .bot
            .set_webhook(url)
            .secret_token(secret.expose_secret().to_string())
            .allowed_updates(ALLOWED_UPDATES)
            .max_connections(MAX_CONNECTIONS)
            .await
            .map(drop)
            .map_err(|e| self.api.describe(&e))
    }

    /// Removes the webhook (`deleteWebhook`), keeping the updates waiting.
    pub async fn delete_webhook(&self) -> Result<(), String> {
        self.api
            .bot
            .delete_webhook()
            .await
            .map(drop)
            .map_err(|e| self.api.describe(&e))
    }

    /// The receiving end of the webhook, for the HTTP server's route; what
    /// an earlier run took and did not handle is queued first.
    pub async fn webhook(&self, core: Arc<Core>, secret: SecretString, mut stop: watch::Receiver<bool>) -> Webhook {
        let chats = Arc::new(Chats::new(self.clone(), core.clone(), stop.clone()));
        chats.resume().await;
        // What an instance took and never handled (it died) is handled by
        // the others: each looks for such updates now and then.
        let adopting = chats.clone();
        tokio::spawn(async move {
            while !*stop.borrow() {
                tokio::select! {
                    _ = tokio::time::sleep(ADOPT_EVERY) => {}
                    changed = stop.changed() => if changed.is_err() { break } else { continue },
                }
                adopting.adopt_orphans(ORPHANED_AFTER).await;
            }
        });
        Webhook { secret, chats, core }
    }
}

/// What became of a webhook request, for its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Recorded (or recognised as seen before): 200.
    Taken,
    /// The secret header is missing or wrong: 401, the body unread.
    Unauthorized,
    /// The body is not an update: 400.
    NotAnUpdate,
    /// The database could not record it: 503, Telegram sends it again.
    Unavailable,
}

/// Takes webhook requests into the inbox and hands them to the chats'
/// workers. Cheap to clone.
#[derive(Clone)]
pub struct Webhook {
    secret: SecretString,
    chats: Arc<Chats>,
    core: Arc<Core>,
}

impl Webhook {
    /// One POST: `secret` is the `X-Telegram-Bot-Api-Secret-Token` header.
    pub async fn receive(&self, secret: Option<&[u8]>, body: &[u8]) -> Received {
        let ledger = self.core.inbound_ledger();
        let expected = self.secret.expose_secret().as_bytes();
        // In time that does not depend on where the two differ.
        if !secret.is_some_and(|given| bool::from(given.ct_eq(expected))) {
            ledger.reject(Platform::Telegram, "the webhook's secret token is missing or wrong");
            return Received::Unauthorized;
        }
        // Kept as it came, to be handled later (JSON is UTF-8).
        let Ok(payload) = std::str::from_utf8(body) else {
            return Received::NotAnUpdate;
        };
        let update: Update = match serde_json::from_str(payload) {
            Ok(update) => update,
            Err(error) => {
                // Logged without the body: it may hold what members wrote.
                tracing::warn!(
                    line = error.line(),
                    column = error.column(),
                    "a webhook request is not an update"
                );
                return Received::NotAnUpdate;
            }
        };
        match crate::updates::take(&self.core, &update, Some(payload)).await {
            Taken::New => {
                self.chats.dispatch(update, true);
                Received::Taken
            }
            Taken::Seen => Received::Taken,
            Taken::Unrecorded => Received::Unavailable,
        }
    }

    /// Waits for the chats to finish the update in hand (at a stop).
    pub async fn finish(&self) {
        self.chats.finish().await;
    }
}
