//! Sending to Telegram: the delivery loop's courier, direct answers, and the
//! admin check. How each Telegram answer maps to the loop's outcomes is
//! [`classify`].

use std::sync::Arc;

use async_trait::async_trait;
use seatmate_bot::delivery::{Courier, Delivery, RateLimits, SendLimiter};
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::store::Recipient;
use seatmate_bot::{ChatKey, Platform, Reply};
use teloxide::requests::Requester;
use teloxide::types::{ChatId, MessageId, UserId};
use teloxide::{ApiError, RequestError};

use crate::Api;

/// Telegram's broadcast limits: about 30 messages a second overall, and 20
/// a minute to one group.
pub const TELEGRAM_LIMITS: RateLimits = RateLimits {
    per_second: Some(30),
    per_chat_per_minute: Some(20),
    per_chat_burst: None,
};

/// What a failed request means for the message.
///
/// teloxide matches Telegram's error texts, and some only as they were
/// once worded: the 403 for a member who never started the bot reads
/// "Forbidden: bot can't initiate conversation with a user" today and
/// arrives as `ApiError::Unknown`, so texts are read by their prefix too.
pub fn classify(error: &RequestError, describe: impl Fn(&RequestError) -> String) -> Delivery {
    match error {
        RequestError::RetryAfter(seconds) => Delivery::RetryAfter(seconds.duration()),
        RequestError::MigrateToChatId(to) => Delivery::ChatMoved { to: to.0.to_string() },
        RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => {
            Delivery::Failed(describe(error))
        }
        RequestError::Api(api) => match api {
            // Out of a group, or the group is gone: the chat is paused (for
            // a private chat, the message is held, as for a 403).
            ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::BotKickedFromChannel
            | ApiError::ChatNotFound => Delivery::ChatGone(api.to_string()),
            ApiError::BotBlocked
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots
            | ApiError::UserDeactivated
            | ApiError::UserNotFound => Delivery::Undeliverable(api.to_string()),
            // A wrong token mid-run: nothing is sent until it is fixed, and
            // nothing is dropped meanwhile.
            ApiError::InvalidToken => Delivery::Failed(api.to_string()),
            ApiError::Unknown(text) => unknown(text),
            // Every other error teloxide names is a Bad Request about this
            // message: sending it again would fail the same way.
            other => Delivery::Undeliverable(other.to_string()),
        },
        // RequestError is non-exhaustive: an unknown kind is tried again.
        #[allow(unreachable_patterns)]
        _ => Delivery::Failed(describe(error)),
    }
}

fn unknown(text: &str) -> Delivery {
    let gone = [
        "Forbidden: bot was kicked",
        "Forbidden: bot is not a member",
        "Bad Request: chat not found",
    ];
    let permanent = ["Forbidden", "Bad Request", "Unauthorized: bot"];
    if gone.iter().any(|p| text.starts_with(p)) {
        Delivery::ChatGone(text.to_string())
    } else if permanent.iter().any(|p| text.starts_with(p)) {
        Delivery::Undeliverable(text.to_string())
    } else {
        // "Internal Server Error", "Bad Gateway", "Too Many Requests"
        // without a retry_after: try again later.
        Delivery::Failed(text.to_string())
    }
}

/// The delivery loop's courier for Telegram.
pub struct TelegramCourier {
    api: Api,
    keys: ButtonKeys,
}

impl TelegramCourier {
    pub(crate) fn new(api: Api, keys: ButtonKeys) -> Self {
        TelegramCourier { api, keys }
    }

    /// Other limits than Telegram's (a benchmark against a faster fake).
    pub fn with_limits(mut self, limits: RateLimits) -> Self {
        self.api.limiter = Arc::new(SendLimiter::new(limits));
        self
    }
}

#[async_trait]
impl Courier for TelegramCourier {
    fn platform(&self) -> Platform {
        Platform::Telegram
    }

    fn limits(&self) -> RateLimits {
        self.api.limiter.limits()
    }

    fn limiter(&self) -> Option<Arc<SendLimiter>> {
        Some(self.api.limiter.clone())
    }

    fn parts(&self, message: &Reply) -> usize {
        Api::parts(message)
    }

    async fn send(&self, to: &Recipient, message: &Reply) -> Delivery {
        // A private chat's id is the member's user id.
        let (Recipient::Chat(id) | Recipient::Member(id)) = to;
        let Ok(id) = id.parse::<i64>() else {
            return Delivery::Undeliverable(format!("'{id}' is not a Telegram chat id"));
        };
        // An answer that waited for the limits quotes the command it answers.
        let answering = match to {
            Recipient::Chat(_) => message
                .in_reply_to
                .as_deref()
                .and_then(|m| m.parse().ok())
                .map(MessageId),
            Recipient::Member(_) => None,
        };
        match self.api.send(ChatId(id), message, answering, &self.keys).await {
            Ok(sent) => Delivery::Sent {
                message_id: Some(sent.0.to_string()),
            },
            Err(error) => classify(&error, |e| self.api.describe(e)),
        }
    }

    async fn clear_buttons(&self, to: &Recipient, message_id: &str) -> Delivery {
        let (chat, message) = match sent_message(to, message_id) {
            Ok(found) => found,
            Err(delivery) => return delivery,
        };
        // No markup given: the inline keyboard goes.
        let cleared = self.api.bot.edit_message_reply_markup(chat, message).await.map(|_| ());
        self.changed(cleared)
    }

    async fn edit(&self, to: &Recipient, message_id: &str, reply: &Reply) -> Delivery {
        let (chat, message) = match sent_message(to, message_id) {
            Ok(found) => found,
            Err(delivery) => return delivery,
        };
        let edited = self.api.edit(chat, message, reply, &self.keys).await;
        self.changed(edited)
    }
}

impl TelegramCourier {
    /// How a change to a sent message went.
    fn changed(&self, result: Result<(), RequestError>) -> Delivery {
        match result {
            Ok(()) => Delivery::Sent { message_id: None },
            Err(error) => classify(&error, |e| self.api.describe(e)),
        }
    }
}

/// The chat and message a message sent to `to` is, as Telegram names it.
fn sent_message(to: &Recipient, message_id: &str) -> Result<(ChatId, MessageId), Delivery> {
    // A private chat's id is the member's user id.
    let (Recipient::Chat(id) | Recipient::Member(id)) = to;
    match (id.parse::<i64>(), message_id.parse::<i32>()) {
        (Ok(chat), Ok(message)) => Ok((ChatId(chat), MessageId(message))),
        _ => Err(Delivery::Undeliverable(format!(
            "'{id}'/'{message_id}' is not a Telegram message"
        ))),
    }
}

/// Sends a direct answer, once, following a group that moved; how it
/// went. Nothing waits or retries here, so no chat's updates wait behind
/// another's trouble: the caller hands what did not go to the outbox.
pub(crate) async fn send_now(
    api: &Api,
    keys: &ButtonKeys,
    chat: ChatId,
    reply: &Reply,
    answering: Option<MessageId>,
) -> Delivery {
    let error = match api.send(chat, reply, answering, keys).await {
        Ok(sent) => {
            return Delivery::Sent {
                message_id: Some(sent.0.to_string()),
            }
        }
        Err(error) => error,
    };
    let outcome = classify(&error, |e| api.describe(e));
    match outcome {
        Delivery::ChatMoved { to } => match to.parse() {
            Ok(to) => Box::pin(send_now(api, keys, ChatId(to), reply, None)).await,
            Err(_) => Delivery::Undeliverable(format!("moved to '{to}', which is not a chat id")),
        },
        other => {
            tracing::warn!(chat = chat.0, error = api.describe(&error), "an answer was not taken");
            other
        }
    }
}

/// Asks Telegram who administers a group (`getChatMember`); the core asks
/// only when an access rule needs it, and caches the answer.
pub struct TelegramAdmins {
    api: Api,
}

impl TelegramAdmins {
    pub(crate) fn new(api: Api) -> Self {
        TelegramAdmins { api }
    }
}

#[async_trait]
impl seatmate_bot::admins::ChatAdmins for TelegramAdmins {
    async fn is_chat_admin(&self, chat: &ChatKey, user_id: &str) -> Result<bool, String> {
        let (Ok(chat_id), Ok(user)) = (chat.chat_id.parse::<i64>(), user_id.parse::<u64>()) else {
            return Ok(false);
        };
        match self.api.bot.get_chat_member(ChatId(chat_id), UserId(user)).await {
            Ok(member) => Ok(member.is_privileged()),
            Err(error) => Err(self.api.describe(&error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use teloxide::types::Seconds;

    fn outcome(error: RequestError) -> Delivery {
        classify(&error, |e| e.to_string())
    }

    #[test]
    fn every_form_of_a_refused_private_chat_is_undeliverable() {
        // Today's wording arrives as Unknown; the old wordings as named errors.
        for text in [
            "Forbidden: bot can't initiate conversation with a user",
            "Forbidden: bot was blocked by the user",
            "Forbidden: user is deactivated",
        ] {
            let delivery = outcome(RequestError::Api(ApiError::Unknown(text.into())));
            assert_eq!(delivery, Delivery::Undeliverable(text.into()));
        }
        for api in [
            ApiError::CantInitiateConversation,
            ApiError::BotBlocked,
            ApiError::UserDeactivated,
        ] {
            assert!(matches!(outcome(RequestError::Api(api)), Delivery::Undeliverable(_)));
        }
    }

    #[test]
    fn limits_moves_and_server_trouble_are_tried_again() {
        assert_eq!(
            outcome(RequestError::RetryAfter(Seconds::from_seconds(7))),
            Delivery::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(
            outcome(RequestError::MigrateToChatId(ChatId(-1005))),
            Delivery::ChatMoved { to: "-1005".into() }
        );
        for text in ["Internal Server Error", "Bad Gateway", "Too Many Requests"] {
            assert!(matches!(
                outcome(RequestError::Api(ApiError::Unknown(text.into()))),
                Delivery::Failed(_)
            ));
        }
        let bad = outcome(RequestError::Api(ApiError::Unknown(
            "Bad Request: message is too long".into(),
        )));
        assert_eq!(bad, Delivery::Undeliverable("Bad Request: message is too long".into()));
        assert!(matches!(
            outcome(RequestError::Api(ApiError::ChatNotFound)),
            Delivery::ChatGone(_)
        ));
        let kicked = "Forbidden: bot was kicked from the supergroup chat";
        assert!(matches!(
            outcome(RequestError::Api(ApiError::Unknown(kicked.into()))),
            Delivery::ChatGone(_)
        ));
    }

    #[tokio::test]
    async fn a_network_error_never_shows_the_token() {
        // Nothing listens on port 9 of this machine. reqwest's errors can
        // name the URL, which holds the token (teloxide 0.17 drops it; the
        // adapter takes the token out of every text it logs besides).
        let token = "4242:SECRET-token-xyz";
        let Err(crate::StartError::Unreachable(why)) = crate::Telegram::connect(token, "http://127.0.0.1:9/").await
        else {
            panic!("connecting to a closed port succeeded");
        };
        assert!(why.contains("network error"), "{why}");
        assert!(!why.contains("SECRET"), "{why}");
    }
}
