//! Seatmate in Telegram (teloxide): long polling or a webhook in, HTML messages and
//! inline keyboards out. The adapter only translates: updates become the
//! core's inputs ([`inbound`]), the core's replies become Telegram messages
//! ([`render`]), and the delivery loop's sends go through [`TelegramCourier`].
//!
//! Telegram has no ephemeral messages: a reply meant for the caller answers
//! their message in the group; a private reply goes to their private chat.

use std::sync::Arc;
use std::time::Duration;

use seatmate_bot::delivery::{Delivery, SendLimiter};
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::{Audience, Caller, ChatEvent, ChatKey, Clock, Core, Locale, Reply};
use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageTextSetters, SendMessageSetters, SetMyCommandsSetters,
};
use teloxide::requests::Requester;
use teloxide::types::{
    BotCommand, BotCommandScope, CallbackQueryId, ChatId, InputFile, MessageId, ParseMode, ReplyParameters,
};
use teloxide::{ApiError, Bot, RequestError};

mod courier;
pub mod inbound;
pub mod render;
mod updates;
pub mod webhook;

pub use courier::{classify, TelegramAdmins, TelegramCourier};
use inbound::Event;

/// How long a direct answer may wait for a limit to admit it (the overall
/// one frees within a second); past that it waits in the outbox.
const SHORT_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// Sends a direct answer to chat `id` when Telegram's limits admit it, if
/// that is soon. When the group's budget is spent, an answer meant for the
/// caller alone goes to their private chat (where they have started the
/// bot) rather than waiting behind the group; anything else, or a private
/// chat refused, waits in the outbox for its turn (`RetryAfter`).
async fn answer_within_limits(
    api: &Api,
    keys: &ButtonKeys,
    clock: &dyn Clock,
    id: i64,
    caller: &Caller,
    reply: &Reply,
    answering: Option<MessageId>,
) -> Delivery {
    let parts = Api::parts(reply);
    // Telegram's groups and channels have negative ids; private chats are
    // counted only in the overall limit.
    let group = (id < 0).then(|| id.to_string());
    let private = caller.user_id.parse::<i64>().ok();
    let mut tried_privately = false;
    loop {
        let now = clock.now();
        let until = match api.limiter.admit(now, group.as_deref(), parts).await {
            Ok(()) => {
                let sent = courier::send_now(api, keys, ChatId(id), reply, answering).await;
                if let Delivery::RetryAfter(_) = sent {
                    // Refused, so not counted by Telegram: its place is free.
                    api.limiter.refund(now, group.as_deref(), parts).await;
                }
                return sent;
            }
            Err(until) => until,
        };
        let mut next_try = until;
        if let (Audience::Caller, Some(_), Some(private), false) = (reply.audience, &group, private, tried_privately) {
            match api.limiter.admit(now, None, parts).await {
                Ok(()) => {
                    tried_privately = true;
                    let sent = courier::send_now(api, keys, ChatId(private), reply, None).await;
                    if matches!(sent, Delivery::Sent { .. }) {
                        tracing::info!(
                            chat = id,
                            "the group is at its limit: an answer for the caller went privately"
                        );
                        return sent;
                    }
                }
                Err(overall) => next_try = next_try.min(overall),
            }
        }
        let wait = (next_try - now).to_std().unwrap_or_default();
        if wait > SHORT_WAIT {
            tracing::info!(chat = id, ?wait, "an answer waits for Telegram's limits in the outbox");
            return Delivery::RetryAfter(wait);
        }
        tokio::time::sleep(wait).await;
    }
}

/// The official Bot API.
pub const DEFAULT_API_URL: &str = "https://api.telegram.org/";
/// Telegram's limit on a button press's answer text.
const MAX_TOAST: usize = 200;
/// How long a chat's next update waits for the answer to the one before.
const ANSWER_PATIENCE: Duration = Duration::from_secs(3);

/// Why the adapter could not start.
#[derive(Debug)]
pub enum StartError {
    /// Telegram refused the token.
    BadToken,
    BadUrl(String),
    /// Telegram could not be asked (network, server error): the description,
    /// with the token taken out.
    Unreachable(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::BadToken => write!(f, "Telegram refused the bot token (check telegram.token)"),
            StartError::BadUrl(url) => write!(
                f,
                "telegram.api_url '{url}' is not a URL (e.g. https://api.telegram.org/)"
            ),
            StartError::Unreachable(why) => write!(f, "Telegram could not be reached: {why}"),
        }
    }
}

impl std::error::Error for StartError {}

/// The bot's connection to Telegram.
#[derive(Clone)]
pub struct Telegram {
    api: Api,
}

/// What every part of the adapter needs to call Telegram.
#[derive(Clone)]
pub(crate) struct Api {
    pub bot: Bot,
    /// The bot's own username (from `getMe`), for deep links and for telling
    /// its commands from other bots'.
    pub username: String,
    /// Only to take it out of error texts: reqwest's errors carry the URL,
    /// which carries the token.
    token: Arc<str>,
    /// Telegram's limits, kept by every send: the delivery loop's and the
    /// direct answers'.
    pub limiter: Arc<SendLimiter>,
}

impl Api {
    /// An error's text with the token taken out, safe to log.
    pub fn describe(&self, error: &RequestError) -> String {
        error.to_string().replace(&*self.token, "<token>")
    }

    /// How many messages Telegram counts for `reply`: its parts, and a file.
    pub fn parts(reply: &Reply) -> usize {
        render::render(reply, None).len() + usize::from(reply.attachment.is_some())
    }

    /// Sends a rendered reply to `chat`, part by part; the id of the last.
    pub async fn send(
        &self,
        chat: ChatId,
        reply: &Reply,
        answering: Option<MessageId>,
        keys: &ButtonKeys,
    ) -> Result<MessageId, RequestError> {
        let keyboard = render::keyboard(keys, &reply.buttons, &self.username).await;
        let mut last = None;
        for part in render::render(reply, keyboard) {
            let mut request = self.bot.send_message(chat, part.html).parse_mode(ParseMode::Html);
            if let Some(keyboard) = part.keyboard {
                request = request.reply_markup(keyboard);
            }
            if let (Some(message), None) = (answering, last) {
                request = request.reply_parameters(ReplyParameters::new(message).allow_sending_without_reply());
            }
            last = Some(request.await?.id);
        }
        // A file follows its text: an image (`/report`'s chart) as a photo,
        // anything else (`/mydata`) as a document.
        if let Some(file) = &reply.attachment {
            let input = InputFile::memory(file.bytes()).file_name(file.file_name.clone());
            last = Some(if file.is_image() {
                self.bot.send_photo(chat, input).await?.id
            } else {
                self.bot.send_document(chat, input).await?.id
            });
        }
        Ok(last.unwrap_or(MessageId(0)))
    }

    /// Makes message `message` read as `reply` (its first part: what is
    /// edited is one message), with its buttons; without buttons, its
    /// keyboard goes.
    pub async fn edit(
        &self,
        chat: ChatId,
        message: MessageId,
        reply: &Reply,
        keys: &ButtonKeys,
    ) -> Result<(), RequestError> {
        let keyboard = render::keyboard(keys, &reply.buttons, &self.username).await;
        let Some(part) = render::render(reply, keyboard).into_iter().next() else {
            return Ok(());
        };
        let mut request = self
            .bot
            .edit_message_text(chat, message, part.html)
            .parse_mode(ParseMode::Html);
        if let Some(keyboard) = part.keyboard {
            request = request.reply_markup(keyboard);
        }
        request.await.map(|_| ())
    }
}

impl Telegram {
    /// Asks Telegram who the bot is (`getMe`): a wrong token stops here.
    pub async fn connect(token: &str, api_url: &str) -> Result<Telegram, StartError> {
        let url: url::Url = api_url.parse().map_err(|_| StartError::BadUrl(api_url.to_string()))?;
        let bot = Bot::new(token).set_api_url(url);
        let api = Api {
            bot,
            username: String::new(),
            token: token.into(),
            limiter: Arc::new(SendLimiter::new(courier::TELEGRAM_LIMITS)),
        };
        let me = match api.bot.get_me().await {
            Ok(me) => me,
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(StartError::BadToken),
            Err(RequestError::Api(ApiError::Unknown(text))) if text.starts_with("Unauthorized") => {
                return Err(StartError::BadToken)
            }
            Err(error) => return Err(StartError::Unreachable(api.describe(&error))),
        };
        let username = me.username.clone().unwrap_or_default();
        tracing::info!(bot = username, "connected to Telegram");
        Ok(Telegram {
            api: Api { username, ..api },
        })
    }

    pub fn username(&self) -> &str {
        &self.api.username
    }

    /// The delivery loop's courier for Telegram (the core keeps the
    /// commands of buttons too long for Telegram).
    /// Keeps Telegram's limits with every instance on `ledger` (a fleet on
    /// one PostgreSQL): direct answers and the outbox count against the
    /// same windows, wherever they are sent from.
    pub fn with_fleet_limits(mut self, ledger: Arc<dyn seatmate_bot::store::SendLedger>) -> Self {
        let limits = self.api.limiter.limits();
        self.api.limiter = Arc::new(SendLimiter::for_fleet(limits, seatmate_bot::Platform::Telegram, ledger));
        self
    }

    pub fn courier(&self, keys: ButtonKeys) -> TelegramCourier {
        TelegramCourier::new(self.api.clone(), keys)
    }

    /// The core's way to ask who administers a group.
    pub fn chat_admins(&self) -> Arc<dyn seatmate_bot::admins::ChatAdmins> {
        Arc::new(TelegramAdmins::new(self.api.clone()))
    }

    /// Publishes the command menus (`setMyCommands`) from the catalogue:
    /// every member's for all chats, with the admin commands added for chat
    /// administrators; English by default and one list per other language.
    pub async fn publish_commands(&self) -> Result<(), String> {
        for locale in Locale::ALL {
            let menus = seatmate_bot::catalogue::menus(locale);
            for (scope, entries) in [
                (BotCommandScope::Default, &menus.members),
                (BotCommandScope::AllChatAdministrators, &menus.admins),
            ] {
                let commands = entries.iter().map(|e| BotCommand::new(e.name, e.description));
                let mut request = self.api.bot.set_my_commands(commands).scope(scope);
                if locale != Locale::En {
                    request = request.language_code(locale.code());
                }
                request.await.map_err(|e| self.api.describe(&e))?;
            }
        }
        Ok(())
    }

    /// Handles one update, `arrived` at this process then; failures are
    /// logged, never fatal.
    pub async fn handle(&self, core: &Arc<Core>, update: teloxide::types::Update, arrived: std::time::Instant) {
        let mut event = inbound::event(update, &self.api.username);
        if let Event::Message { inbound, .. } | Event::Press { inbound, .. } = &mut event {
            inbound.arrived = Some(arrived);
        }
        match event {
            Event::Message { inbound, message } => {
                if let Some(reply) = core.handle_message(&inbound).await {
                    self.answer(core, &inbound.chat, &inbound.caller, reply, Some(message))
                        .await;
                }
            }
            Event::Press {
                inbound,
                query_id,
                message,
            } => {
                let reply = core.handle_press(&inbound).await;
                let toast = self.toast_for(&inbound.chat, &reply);
                let mut answer = self.api.bot.answer_callback_query(CallbackQueryId(query_id.clone()));
                if let Some(text) = &toast {
                    answer = answer.text(text.clone());
                }
                if let Err(error) = answer.await {
                    tracing::warn!(error = self.api.describe(&error), "answerCallbackQuery failed");
                }
                if toast.is_none() {
                    self.answer(core, &inbound.chat, &inbound.caller, reply, message).await;
                }
            }
            Event::ExpiredPress { query_id } => self.expired(core, query_id).await,
            Event::Added { chat, by } => match core.chat_event(ChatEvent::BotAdded { chat: &chat, by: &by }).await {
                Ok(said) => {
                    for (chat, reply) in said {
                        self.answer(core, &chat, &by, reply, None).await;
                    }
                }
                Err(error) => tracing::error!(%error, "could not greet a new chat"),
            },
            Event::Removed { chat } => {
                if let Err(error) = core.chat_event(ChatEvent::BotRemoved { chat: &chat }).await {
                    tracing::error!(%error, "could not record a removal from a chat");
                }
            }
            Event::Moved { from, to } => {
                let moved = ChatEvent::ChatMoved {
                    platform: seatmate_bot::Platform::Telegram,
                    from: &from,
                    to: &to,
                };
                if let Err(error) = core.chat_event(moved).await {
                    tracing::error!(%error, "could not follow a chat's move");
                }
            }
            Event::Ignore => {}
        }
    }

    /// Answers a press of a button that stands for nothing we know.
    async fn expired(&self, core: &Core, query_id: String) {
        let text = core
            .button_keys()
            .expired()
            .plain_text(seatmate_bot::Platform::Telegram);
        let answer = self.api.bot.answer_callback_query(CallbackQueryId(query_id)).text(text);
        if let Err(error) = answer.await {
            tracing::warn!(error = self.api.describe(&error), "answerCallbackQuery failed");
        }
    }

    /// A press whose whole answer is a short line for the presser is
    /// answered as a toast.
    fn toast_for(&self, chat: &ChatKey, reply: &Reply) -> Option<String> {
        let text = reply.plain_text(seatmate_bot::Platform::Telegram);
        (reply.audience == Audience::Caller
            && !chat.private
            && reply.buttons.is_empty()
            && text.chars().count() <= MAX_TOAST)
            .then_some(text)
    }

    /// Sends the core's answer where its audience says: the chat (answering
    /// `message`), or the caller's private chat. What Telegram cannot take
    /// now goes to the outbox. A send that takes long (teloxide waits 10 s
    /// after a 5xx before it says so) finishes on its own while the chat's
    /// next update goes on.
    async fn answer(
        &self,
        core: &Arc<Core>,
        chat: &ChatKey,
        caller: &Caller,
        reply: Reply,
        message: Option<MessageId>,
    ) {
        if reply.is_nothing() {
            return;
        }
        let (to, answering) = match reply.audience {
            Audience::Chat | Audience::Caller => (chat.chat_id.as_str(), message),
            Audience::Private if chat.private => (chat.chat_id.as_str(), None),
            Audience::Private => (caller.user_id.as_str(), None),
        };
        let Ok(id) = to.parse::<i64>() else {
            tracing::error!(chat = to, "not a Telegram chat id");
            return;
        };
        let (api, core, chat, caller) = (self.api.clone(), core.clone(), chat.clone(), caller.clone());
        let send = tokio::spawn(async move {
            let outcome = answer_within_limits(
                &api,
                &core.button_keys(),
                core.ports().clock.as_ref(),
                id,
                &caller,
                &reply,
                answering,
            )
            .await;
            let later = match outcome {
                Delivery::Sent { .. } => false,
                Delivery::RetryAfter(_) | Delivery::Failed(_) => true,
                // A private answer is never dropped: the outbox holds it.
                Delivery::Undeliverable(_) if reply.audience == Audience::Private => true,
                // Never deliverable (the bot was removed from the group):
                // keeping it would not help.
                Delivery::Undeliverable(why) | Delivery::ChatGone(why) => {
                    tracing::warn!(chat = id, why, "an answer could not be delivered");
                    false
                }
                Delivery::ChatMoved { .. } => true,
            };
            if !later {
                return;
            }
            let mut reply = reply;
            if reply.audience != Audience::Private {
                // Delivered later in the chat, it still quotes the command.
                reply.in_reply_to = answering.map(|m| m.0.to_string());
            }
            match core.deliver_later(&chat, &caller, reply).await {
                Ok(true) => {}
                Ok(false) => tracing::error!(
                    chat = id,
                    "an answer in a chat with no community could not be delivered"
                ),
                Err(error) => tracing::error!(%error, "an answer could not be kept for later"),
            }
        });
        if tokio::time::timeout(ANSWER_PATIENCE, send).await.is_err() {
            tracing::warn!(chat = id, "an answer is slow to send; it finishes on its own");
        }
    }
}
