//! The core: takes a message from any adapter, decides, and answers with a
//! platform-neutral [`Reply`]. Nothing here knows a database or a chat platform.

use std::sync::Arc;

use crate::admins::{ChatAdminPorts, ChatAdmins};
use crate::clock::Clock;
use crate::command::{self};
use crate::domain::Zone;
use crate::i18n::Locale;
use crate::reply::Reply;
use crate::store::{ChatKey, Store, StoreError};

mod buttons;
pub use buttons::ButtonKeys;
pub(crate) mod chats;
pub(crate) use chats::forget_chat;
pub use chats::ChatEvent;
pub mod complete;
mod context;
pub(crate) use context::{Cx, Env, Via};
mod dispatch;
pub mod inbound;
mod metrics;
pub use inbound::InboundLedger;
pub(crate) mod rounds;
mod scheduler;
mod seat_use;
pub use scheduler::{Scheduler, StandingTick};
pub(crate) mod wording;
use wording::{example_on, offer_server_community, setup_example, usage_on};

pub use rounds::RoundOutcome;

/// Settings the core reads.
#[derive(Debug, Clone)]
pub struct CoreSettings {
    pub locale: Locale,
    /// The zone of a community set up without naming one.
    pub default_zone: Zone,
    /// How many days check-ins are kept (`privacy.checkin_days`).
    pub checkin_days: u32,
    /// The instance this process is a run of (see [`crate::worker`]).
    pub worker: crate::worker::Worker,
}

impl Default for CoreSettings {
    fn default() -> Self {
        CoreSettings {
            locale: Locale::En,
            default_zone: Zone::UTC,
            checkin_days: 90,
            worker: crate::worker::Worker::default(),
        }
    }
}

/// Who sent a command, as the adapter saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The platform's stable user id (for the console: the name).
    pub user_id: String,
    pub display_name: String,
    pub username: Option<String>,
}

/// One message from a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inbound {
    pub chat: ChatKey,
    pub caller: Caller,
    pub text: String,
    /// People the platform vouches for in this message: the members it
    /// mentions by id (a Telegram text mention, written into `text` as
    /// `<@id>`). They are in the chat, so they are recorded as its members
    /// before the command runs, and a reference to them resolves.
    pub mentioned: Vec<Caller>,
    /// The author of the message this one answers, when it is a reply to a
    /// person: a command that names a member but leaves them out means them.
    pub replying_to: Option<Caller>,
    /// What the bot may not do in this chat that it needs to serve a
    /// community there, in the platform's own words ("Send Messages"), as
    /// the platform tells it with the message (Discord's `app_permissions`).
    /// Binding such a chat is refused, naming them.
    pub bot_lacks: Vec<String>,
    /// Written by the chat's admins as the chat itself (Telegram's "Remain
    /// anonymous"): the platform vouches for an admin, not for a person.
    /// `caller` then stands for the chat; admin commands work, and commands
    /// that need a person say how to act as one.
    pub anonymous_admin: bool,
    /// The server the chat belongs to, where the platform has servers (a
    /// Discord guild): another channel of a server with a community is
    /// offered to join it, never to start a second one.
    pub server: Option<String>,
    /// The platform's id of the message this is (a Telegram message id):
    /// what an answer sent later replies to.
    pub message: Option<String>,
    /// The chat's title as the platform shows it (a Telegram group's name,
    /// a Discord channel's), for `/chats`.
    pub chat_title: Option<String>,
    /// The language the caller's app speaks, where it says (Discord's
    /// `locale`, Telegram's `language_code`) and it is one of ours: a
    /// reply for them alone is in it, unless their community keeps
    /// everyone in its own (`/settings language nl all`).
    pub client_locale: Option<Locale>,
    /// When the update or interaction reached this process (the poll that
    /// fetched it, the webhook route): the answer's latency counts from
    /// here, queueing included. `None`: from when the core took it.
    pub arrived: Option<std::time::Instant>,
}

impl Inbound {
    pub fn new(chat: ChatKey, caller: Caller, text: impl Into<String>) -> Self {
        Inbound {
            chat,
            caller,
            text: text.into(),
            mentioned: Vec::new(),
            replying_to: None,
            bot_lacks: Vec::new(),
            anonymous_admin: false,
            server: None,
            message: None,
            chat_title: None,
            client_locale: None,
            arrived: None,
        }
    }
}

pub struct Core {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: CoreSettings,
    chat_admins: ChatAdminPorts,
    /// The Telegram bot's username, once known: `/link` codes come with a
    /// deep link (`t.me/<bot>?start=link_<code>`) on every platform.
    telegram_bot: std::sync::OnceLock<String>,
}

/// Why a command stopped: a refusal the user reads, or a fault we log.
pub(crate) enum Failure {
    User(Reply),
    Internal(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Internal(e)
    }
}

pub(crate) type Outcome = Result<Reply, Failure>;

/// The ports the core was built on (see [`Core::ports`]).
#[derive(Clone)]
pub struct Ports {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// The language of communities that did not choose one.
    pub locale: Locale,
}

impl Core {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, settings: CoreSettings) -> Self {
        Core {
            store,
            clock,
            settings,
            chat_admins: ChatAdminPorts::default(),
            telegram_bot: std::sync::OnceLock::new(),
        }
    }

    /// The Telegram bot's username (from `getMe`), for deep links.
    pub fn set_telegram_bot(&self, username: &str) {
        // Set once at start; a second Telegram connection is the same bot.
        let _ = self.telegram_bot.set(username.to_string());
    }

    /// Parses and runs one line of chat text.
    pub async fn handle_text(&self, inbound: &Inbound) -> Reply {
        let parsed = match &inbound.replying_to {
            Some(member) => command::parse_command_replying(&inbound.text, &member.user_id),
            None => command::parse_command(&inbound.text),
        };
        dispatch::handle_parsed(self, inbound, parsed, Via::Typed).await
    }

    /// A press of one of the bot's buttons: `inbound.text` is what the button
    /// carries (its command, or the key it is kept under). Runs the command
    /// as the presser; a button that stands for nothing known says so.
    pub async fn handle_press(&self, inbound: &Inbound) -> Reply {
        let keys = self.button_keys();
        let command = match keys.command(&inbound.text).await {
            Ok(Some(command)) => command,
            Ok(None) => {
                metrics::inbound(inbound.chat.platform, "button");
                return keys.expired();
            }
            Err(error) => {
                tracing::error!(%error, "a button's command could not be read");
                return dispatch::answer(&Env::of_bot(self), Err(error.into()));
            }
        };
        let pressed = Inbound {
            text: command,
            ..inbound.clone()
        };
        dispatch::handle_parsed(self, &pressed, command::parse_command(&pressed.text), Via::Button).await
    }

    /// Runs structured input, as a slash command sends it: the catalogue
    /// entry's path (`space add`) and its options by name (see
    /// [`command::build`]); `inbound.text` is not read.
    pub async fn handle_options(&self, inbound: &Inbound, path: &str, options: &[(&str, &str)]) -> Reply {
        dispatch::handle_parsed(self, inbound, command::build(path, options), Via::Typed).await
    }

    /// A message from a chat platform, answered as members expect there:
    /// text that is not a command is conversation between members in a
    /// group, and is left alone (`None`); in a private chat it gets a pointer
    /// to `/help`.
    pub async fn handle_message(&self, inbound: &Inbound) -> Option<Reply> {
        if !inbound.chat.private && !command::looks_like_command(&inbound.text) {
            metrics::inbound(inbound.chat.platform, "ignored");
            return None;
        }
        Some(self.handle_text(inbound).await)
    }

    /// What a platform reports of a chat itself; what to post where.
    pub async fn chat_event(&self, event: ChatEvent<'_>) -> Result<Vec<(ChatKey, Reply)>, StoreError> {
        metrics::inbound(event.platform(), "event");
        chats::on_chat_event(&Env::of_bot(self), event).await
    }

    /// An answer the platform could not take while the member waited: kept
    /// in the outbox for the delivery loop (see `chats::deliver_later`).
    pub async fn deliver_later(&self, chat: &ChatKey, caller: &Caller, reply: Reply) -> Result<bool, StoreError> {
        chats::deliver_later(&Env::of_bot(self), chat, caller, reply).await
    }

    /// The scheduler's hooks: due rounds, one round, the retention sweep.
    pub fn scheduler(&self) -> Scheduler<'_> {
        Scheduler { core: self }
    }

    /// What renderers and couriers need for buttons (see [`ButtonKeys`]).
    pub fn button_keys(&self) -> ButtonKeys {
        ButtonKeys {
            store: self.store.clone(),
            clock: self.clock.clone(),
            locale: self.settings.locale,
        }
    }

    /// The ledger of inbound ids (see [`InboundLedger`]).
    pub fn inbound_ledger(&self) -> InboundLedger<'_> {
        InboundLedger {
            store: self.store.as_ref(),
            clock: self.clock.as_ref(),
            worker: &self.settings.worker,
        }
    }

    /// The ports the core was built on, for the composition root's other
    /// tasks (the delivery loop): the store, the clock, the bot's language.
    pub fn ports(&self) -> Ports {
        Ports {
            store: self.store.clone(),
            clock: self.clock.clone(),
            locale: self.settings.locale,
        }
    }

    /// Lets the platform's adapter say who administers its chats.
    pub fn with_chat_admins(mut self, platform: crate::domain::Platform, port: Arc<dyn ChatAdmins>) -> Self {
        self.chat_admins.insert(platform, port);
        self
    }
}
