//! Sending to Discord: the delivery loop's courier (channel messages, and
//! DMs through a DM channel), and how each Discord answer maps to the loop's
//! outcomes ([`classify`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use seatmate_bot::delivery::{Courier, Delivery, RateLimits, SendLimiter};
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::store::Recipient;
use seatmate_bot::{Platform, Reply};
use serenity::all::{ChannelId, CreateMessage, EditMessage, Http, HttpError, MessageId, UserId};

use crate::render;

/// Discord's limits: 50 requests a second overall, and 5 messages per 5
/// seconds to one channel (one a second, five at once).
pub const DISCORD_LIMITS: RateLimits = RateLimits {
    per_second: Some(50),
    per_chat_per_minute: Some(60),
    per_chat_burst: Some(5),
};

/// Discord's JSON error codes the courier reads.
const CANNOT_DM_USER: isize = 50007;
const UNKNOWN_CHANNEL: isize = 10003;
const MISSING_ACCESS: isize = 50001;
const MISSING_PERMISSIONS: isize = 50013;

/// What a failed request means for the message. With serenity's ratelimiter
/// off, a 429's `retry_after` does not reach us: wait at least a second.
pub fn classify(error: &serenity::Error) -> Delivery {
    match error {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            let status = response.status_code.as_u16();
            let what = format!("{status} {} {}", response.error.code, response.error.message);
            match (status, response.error.code) {
                (429, _) => Delivery::RetryAfter(Duration::from_secs(1)),
                (_, CANNOT_DM_USER) => Delivery::Undeliverable(what),
                // The channel was deleted, or the bot lost access to it or
                // the permission to post there: nothing more would arrive.
                (_, UNKNOWN_CHANNEL | MISSING_ACCESS | MISSING_PERMISSIONS) => Delivery::ChatGone(what),
                (500..=599, _) => Delivery::Failed(what),
                // Missing access or permissions, an unknown user, a body
                // Discord refuses: sending it again would fail the same way.
                (400..=499, _) => Delivery::Undeliverable(what),
                _ => Delivery::Failed(what),
            }
        }
        other => Delivery::Failed(other.to_string()),
    }
}

/// The delivery loop's courier for Discord.
pub struct DiscordCourier {
    http: Arc<Http>,
    keys: ButtonKeys,
    /// Discord's limits, kept here or, in a fleet, for every instance.
    limiter: Arc<SendLimiter>,
    /// Each member's DM channel, once opened (a DM channel does not change):
    /// a DM then costs one request, not two.
    dms: Mutex<HashMap<UserId, ChannelId>>,
}

impl DiscordCourier {
    pub fn new(http: Arc<Http>, keys: ButtonKeys) -> Self {
        DiscordCourier {
            http,
            keys,
            limiter: Arc::new(SendLimiter::new(DISCORD_LIMITS)),
            dms: Mutex::default(),
        }
    }

    /// Other limits than Discord's (a benchmark against a faster fake).
    pub fn with_limits(mut self, limits: RateLimits) -> Self {
        self.limiter = Arc::new(SendLimiter::new(limits));
        self
    }

    /// Keeps Discord's limits with every instance on `ledger` (a fleet on
    /// one PostgreSQL).
    pub fn with_fleet_limits(mut self, ledger: Arc<dyn seatmate_bot::store::SendLedger>) -> Self {
        let limits = self.limiter.limits();
        self.limiter = Arc::new(SendLimiter::for_fleet(limits, Platform::Discord, ledger));
        self
    }

    async fn channel_for(&self, to: &Recipient) -> Result<ChannelId, Delivery> {
        let parse = |id: &str| {
            id.parse::<u64>()
                .ok()
                .filter(|&n| n != 0)
                .ok_or_else(|| Delivery::Undeliverable(format!("'{id}' is not a Discord id")))
        };
        match to {
            Recipient::Chat(channel) => Ok(ChannelId::new(parse(channel)?)),
            Recipient::Member(user) => {
                let user = UserId::new(parse(user)?);
                if let Some(channel) = self.dms.lock().unwrap_or_else(|e| e.into_inner()).get(&user) {
                    return Ok(*channel);
                }
                let channel = user.create_dm_channel(&self.http).await.map_err(|e| classify(&e))?.id;
                let mut dms = self.dms.lock().unwrap_or_else(|e| e.into_inner());
                if dms.len() > 100_000 {
                    dms.clear();
                }
                dms.insert(user, channel);
                Ok(channel)
            }
        }
    }

    /// The channel and message a message sent to `to` is, as Discord names it.
    async fn sent_message(&self, to: &Recipient, message_id: &str) -> Result<(ChannelId, MessageId), Delivery> {
        let channel = self.channel_for(to).await?;
        match message_id.parse::<u64>().ok().filter(|&n| n != 0) {
            Some(message) => Ok((channel, MessageId::new(message))),
            None => Err(Delivery::Undeliverable(format!(
                "'{message_id}' is not a Discord message id"
            ))),
        }
    }

    /// Sends a reply to a channel, part by part, the buttons under the last;
    /// the id of the last part.
    pub async fn send_to(&self, channel: ChannelId, reply: &Reply) -> Result<String, serenity::Error> {
        let parts = render::render(reply);
        let last = parts.len() - 1;
        let mut sent = String::new();
        for (i, part) in parts.into_iter().enumerate() {
            let mut message = CreateMessage::new()
                .content(part.content.clone())
                .allowed_mentions(part.allowed_mentions());
            if i == last {
                message = message
                    .components(render::components(&self.keys, &reply.buttons).await)
                    .embeds(render::embeds(reply));
                if let Some(file) = render::attachment(reply) {
                    message = message.add_file(file);
                }
            }
            sent = channel.send_message(&self.http, message).await?.id.get().to_string();
        }
        Ok(sent)
    }
}

#[async_trait]
impl Courier for DiscordCourier {
    fn platform(&self) -> Platform {
        Platform::Discord
    }

    fn limits(&self) -> RateLimits {
        self.limiter.limits()
    }

    fn limiter(&self) -> Option<Arc<SendLimiter>> {
        Some(self.limiter.clone())
    }

    async fn send(&self, to: &Recipient, message: &Reply) -> Delivery {
        let channel = match self.channel_for(to).await {
            Ok(channel) => channel,
            Err(delivery) => return delivery,
        };
        match self.send_to(channel, message).await {
            Ok(id) => Delivery::Sent { message_id: Some(id) },
            Err(error) => classify(&error),
        }
    }

    async fn clear_buttons(&self, to: &Recipient, message_id: &str) -> Delivery {
        let (channel, message) = match self.sent_message(to, message_id).await {
            Ok(found) => found,
            Err(delivery) => return delivery,
        };
        let edit = EditMessage::new().components(Vec::new());
        match channel.edit_message(&self.http, message, edit).await {
            Ok(_) => Delivery::Sent { message_id: None },
            Err(error) => classify(&error),
        }
    }

    async fn edit(&self, to: &Recipient, message_id: &str, reply: &Reply) -> Delivery {
        let (channel, message) = match self.sent_message(to, message_id).await {
            Ok(found) => found,
            Err(delivery) => return delivery,
        };
        // What is edited is one message: the reply's first part.
        let Some(part) = render::render(reply).into_iter().next() else {
            return Delivery::Sent { message_id: None };
        };
        let edit = EditMessage::new()
            .content(part.content.clone())
            .allowed_mentions(part.allowed_mentions())
            .embeds(render::embeds(reply))
            .components(render::components(&self.keys, &reply.buttons).await);
        match channel.edit_message(&self.http, message, edit).await {
            Ok(_) => Delivery::Sent { message_id: None },
            Err(error) => classify(&error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serenity::all::ErrorResponse;

    /// An error as serenity makes it from Discord's answer.
    async fn refused(status: u16, code: isize) -> serenity::Error {
        let body = format!(r#"{{"code": {code}, "message": "refused"}}"#);
        let response = http::Response::builder().status(status).body(body).unwrap();
        let response = ErrorResponse::from_response(reqwest::Response::from(response), reqwest::Method::POST).await;
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response))
    }

    #[tokio::test]
    async fn discord_answers_map_to_the_loops_outcomes() {
        let undeliverable = |d: Delivery| matches!(d, Delivery::Undeliverable(_));
        let dm_refused = classify(&refused(403, CANNOT_DM_USER).await);
        assert!(
            matches!(&dm_refused, Delivery::Undeliverable(e) if e.contains("50007")),
            "{dm_refused:?}"
        );
        assert!(matches!(
            classify(&refused(404, UNKNOWN_CHANNEL).await),
            Delivery::ChatGone(_)
        ));
        assert!(matches!(
            classify(&refused(403, MISSING_ACCESS).await),
            Delivery::ChatGone(_)
        ));
        assert!(matches!(
            classify(&refused(403, MISSING_PERMISSIONS).await),
            Delivery::ChatGone(_)
        ));
        assert!(undeliverable(classify(&refused(400, 50035).await)));
        assert_eq!(
            classify(&refused(429, 0).await),
            Delivery::RetryAfter(Duration::from_secs(1))
        );
        assert!(matches!(classify(&refused(502, 0).await), Delivery::Failed(_)));
        assert!(matches!(
            classify(&serenity::Error::Other("network")),
            Delivery::Failed(_)
        ));
    }
}
