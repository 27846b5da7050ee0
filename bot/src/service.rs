//! The core: takes a request from any adapter, decides, and answers with a
//! platform-neutral [`Reply`]. Nothing here knows a database or a chat platform.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tracing::instrument;

use crate::admins::{ChatAdminPorts, ChatAdmins};
use crate::catalogue::Access;
use crate::clock::Clock;
use crate::command::{self, Action, ParseError, Parsed};
use crate::domain::{MemberId, Zone};
use crate::i18n::{Arg, Locale, Msg};
use crate::reply::Reply;
use crate::store::{ChatKey, Community, Store, StoreError};

mod buttons;
pub(crate) mod chats;
pub(crate) use chats::forget_chat;
pub use chats::ChatEvent;
pub mod complete;
mod context;
pub(crate) use context::{Cx, Env, Via};
pub mod inbound;
pub(crate) mod wording;
use wording::{example_on, offer_server_community, setup_example, usage_on};

use crate::commands::ask_which_community;
pub use crate::commands::RoundOutcome;

/// Settings the core reads.
#[derive(Debug, Clone, Copy)]
pub struct CoreSettings {
    pub locale: Locale,
    /// The zone of a community set up without naming one.
    pub default_zone: Zone,
    /// How many days check-ins are kept (`privacy.checkin_days`).
    pub checkin_days: u32,
}

impl Default for CoreSettings {
    fn default() -> Self {
        CoreSettings {
            locale: Locale::En,
            default_zone: Zone::UTC,
            checkin_days: 90,
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
    /// Whose claims this process makes (see [`crate::worker`]).
    worker: crate::worker::Worker,
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

impl Core {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, settings: CoreSettings) -> Self {
        Core {
            store,
            clock,
            settings,
            chat_admins: ChatAdminPorts::default(),
            telegram_bot: std::sync::OnceLock::new(),
            worker: crate::worker::Worker::default(),
        }
    }

    /// The instance this process is a run of (see [`crate::worker`]).
    pub fn with_worker(mut self, worker: crate::worker::Worker) -> Self {
        self.worker = worker;
        self
    }

    /// The Telegram bot's username (from `getMe`), for deep links.
    pub fn set_telegram_bot(&self, username: &str) {
        // Set once at start; a second Telegram connection is the same bot.
        let _ = self.telegram_bot.set(username.to_string());
    }

    /// The language of communities that did not choose one.
    pub fn default_locale(&self) -> Locale {
        self.settings.locale
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// Parses and runs one line of chat text.
    pub async fn handle_text(&self, request: &Inbound) -> Reply {
        let parsed = match &request.replying_to {
            Some(member) => command::parse_command_replying(&request.text, &member.user_id),
            None => command::parse_command(&request.text),
        };
        self.handle_parsed(request, parsed, Via::Typed).await
    }

    /// A press of one of the bot's buttons: `request.text` is what the button
    /// carries (its command, or the key it is kept under). Runs the command
    /// as the presser; a button that stands for nothing known says so.
    pub async fn handle_press(&self, request: &Inbound) -> Reply {
        let command = match self.button_command(&request.text).await {
            Ok(Some(command)) => command,
            Ok(None) => return self.expired_button(),
            Err(error) => {
                tracing::error!(%error, "a button's command could not be read");
                return answer(&self.env(self.settings.locale), Err(error.into()));
            }
        };
        let pressed = Inbound {
            text: command,
            ..request.clone()
        };
        self.handle_parsed(&pressed, command::parse_command(&pressed.text), Via::Button)
            .await
    }

    /// Runs structured input, as a slash command sends it: the catalogue
    /// entry's path (`space add`) and its options by name (see
    /// [`command::build`]); `request.text` is not read.
    pub async fn handle_options(&self, request: &Inbound, path: &str, options: &[(&str, &str)]) -> Reply {
        self.handle_parsed(request, command::build(path, options), Via::Typed)
            .await
    }

    async fn handle_parsed(&self, request: &Inbound, parsed: Result<Parsed, ParseError>, via: Via) -> Reply {
        // Until the community is known, a fault is told in the bot's language.
        let env = self.env(self.settings.locale);
        if let Err(error) = self.record_referenced(request).await {
            return answer(&env, Err(error.into()));
        }
        let arrival = env.arrive(&request.chat, &request.caller).await;
        // Any message in the private chat opens it, a mistyped one too: what
        // was held for the member there goes out now (unless `/inbox`
        // hands it over itself).
        if let (Ok(arrival), true) = (&arrival, request.chat.private) {
            if !matches!(&parsed, Ok(p) if p.action == Action::Inbox) {
                if let Err(error) = self.release_held(arrival.member, request.chat.platform).await {
                    return answer(&env, Err(error.into()));
                }
            }
        }
        match (parsed, arrival) {
            (Ok(parsed), Ok(arrival)) => self.handle(request, arrival, parsed, via).await,
            (Ok(_), Err(error)) => answer(&env, Err(error.into())),
            (Err(error), arrival) => {
                // Bad input is answered to the caller (in the language of
                // the chat's community, where everyone sees the answer).
                let community = arrival.ok().and_then(|a| a.community);
                let locale = self.reply_locale(request, community.as_ref(), false);
                env.in_locale(locale).parse_error(error, request.chat.platform)
            }
        }
    }

    /// A message from a chat platform, answered as members expect there:
    /// text that is not a command is conversation between members in a
    /// group, and is left alone (`None`); in a private chat it gets a pointer
    /// to `/help`.
    pub async fn handle_message(&self, request: &Inbound) -> Option<Reply> {
        if !request.chat.private && !command::looks_like_command(&request.text) {
            return None;
        }
        Some(self.handle_text(request).await)
    }

    /// The member wrote in their private chat on `platform`: what was held
    /// for them there goes out now, as one digest.
    async fn release_held(&self, member: MemberId, platform: crate::Platform) -> Result<(), StoreError> {
        let released = self.store.release_held(member, platform, self.clock.now()).await?;
        if released > 0 {
            tracing::info!(released, "held private messages released");
        }
        Ok(())
    }

    /// Records the people a message refers to as members of its chat.
    async fn record_referenced(&self, request: &Inbound) -> Result<(), StoreError> {
        if request.chat.private {
            return Ok(());
        }
        for person in request.mentioned.iter().chain(&request.replying_to) {
            if person.user_id != request.caller.user_id {
                self.env(self.settings.locale).arrive(&request.chat, person).await?;
            }
        }
        Ok(())
    }

    /// The ports, writing in `locale`.
    pub(crate) fn env(&self, locale: Locale) -> Env<'_> {
        Env {
            store: self.store.as_ref(),
            clock: self.clock.as_ref(),
            settings: &self.settings,
            chat_admins: &self.chat_admins,
            telegram_bot: &self.telegram_bot,
            locale,
        }
    }

    /// The language of the answer to `request`: the caller's own where it
    /// is for them alone (a private chat, or a Discord ephemeral reply to a
    /// command that does not answer the chat) and their community lets it
    /// be; else the community's.
    fn reply_locale(&self, request: &Inbound, community: Option<&Community>, answers_the_chat: bool) -> Locale {
        let for_them_alone =
            request.chat.private || (request.chat.platform.has_ephemeral_replies() && !answers_the_chat);
        match request.client_locale {
            Some(own) if for_them_alone && !community.is_some_and(|c| c.locale_for_all) => own,
            _ => self.env(self.settings.locale).locale_of(community),
        }
    }

    /// Runs a parsed command. Refusals change nothing; faults are logged with a
    /// reference the user can quote.
    #[instrument(skip_all, fields(platform = %request.chat.platform, chat = %request.chat.chat_id, user = %request.caller.user_id, command = parsed.spec.path))]
    async fn handle(&self, request: &Inbound, arrival: crate::store::Arrival, parsed: Parsed, via: Via) -> Reply {
        let locale = self.reply_locale(request, arrival.community.as_ref(), parsed.action.answers_the_chat());
        let env = self.env(locale);
        answer(&env, self.run(env, request, arrival, parsed, via).await)
    }

    async fn run(
        &self,
        env: Env<'_>,
        request: &Inbound,
        arrival: crate::store::Arrival,
        Parsed { spec, action: command }: Parsed,
        via: Via,
    ) -> Outcome {
        let (chat, caller) = (&request.chat, &request.caller);
        let now = self.clock.now();
        let mut cx = Cx {
            env,
            via,
            spec,
            chat,
            caller,
            inbound: request,
            server_community: None,
            now,
            member: arrival.member,
            recorded_admin: arrival.is_admin,
            community: arrival.community,
        };
        if let (None, Some(server)) = (&cx.community, &request.server) {
            if let Some(id) = self.store.server_community(chat.platform, server).await? {
                cx.server_community = self.store.community(id).await?;
            }
        }
        // The chat's admins acting anonymously are nobody in particular:
        // only what an admin does for the chat can be theirs.
        if request.anonymous_admin && !(matches!(spec.access, Access::Admin | Access::ChatAdmin) || spec.path == "help")
        {
            return Err(env.refuse(vec![env.t(
                Msg::AnonymousNeedsPerson,
                vec![("command", Arg::code(format!("/{}", spec.path)))],
            )]));
        }
        if !matches!(spec.access, Access::Anyone | Access::ChatAdmin) {
            ask_which_community(&cx).await?;
        }
        match spec.access {
            Access::Anyone | Access::ChatAdmin => {}
            // Whether the caller hosts the space concerned is checked by the command.
            Access::Member | Access::Host => {
                cx.community()?;
            }
            Access::Admin => {
                let community = cx.community()?;
                if !cx.is_admin().await? {
                    return Err(env.refuse(vec![env.t(
                        Msg::NotAdmin,
                        vec![
                            ("community", Arg::strong(&community.name)),
                            ("command", Arg::code(format!("/{}", spec.path))),
                        ],
                    )]));
                }
            }
        }
        match spec.handler {
            Some(handler) if (handler.accepts)(&command) => (handler.run)(&cx, command).await,
            _ => Err(crate::commands::unhandled(command)),
        }
    }

    /// What a platform reports of a chat itself; what to post where.
    pub async fn chat_event(&self, event: ChatEvent<'_>) -> Result<Vec<(ChatKey, Reply)>, StoreError> {
        chats::on_chat_event(&self.env(self.settings.locale), event).await
    }

    /// An answer the platform could not take while the member waited: kept
    /// in the outbox for the delivery loop (see [`chats::deliver_later`]).
    pub async fn deliver_later(&self, chat: &ChatKey, caller: &Caller, reply: Reply) -> Result<bool, StoreError> {
        chats::deliver_later(&self.env(self.settings.locale), chat, caller, reply).await
    }

    /// The scheduler's tick: every round that is due and has not run.
    pub async fn run_due_rounds(&self) -> crate::store::StoreResult<Vec<(Community, RoundOutcome)>> {
        crate::commands::run_due_rounds(&self.env(self.settings.locale)).await
    }

    /// Runs `community`'s round for `date`, once however many processes
    /// try (see [`pairing::run_round`]).
    pub async fn run_round(
        &self,
        community: &Community,
        date: chrono::NaiveDate,
        trigger: crate::store::RoundTrigger,
    ) -> crate::store::StoreResult<RoundOutcome> {
        let env = self.env(self.settings.locale);
        let locale = env.locale_of(Some(community));
        crate::commands::run_round(&env.in_locale(locale), community, date, trigger).await
    }

    /// The retention sweep (see [`accounts::sweep_old_data`]).
    pub async fn sweep_old_data(&self) -> crate::store::StoreResult<crate::store::Purged> {
        crate::commands::sweep_old_data(&self.env(self.settings.locale)).await
    }

    /// Lets the platform's adapter say who administers its chats.
    pub fn with_chat_admins(mut self, platform: crate::domain::Platform, port: Arc<dyn ChatAdmins>) -> Self {
        self.chat_admins.insert(platform, port);
        self
    }
}

/// The reply to a command: its answer, its refusal, or word of a fault
/// (logged with a reference the user can quote).
fn answer(env: &Env<'_>, outcome: Outcome) -> Reply {
    match outcome {
        Ok(reply) | Err(Failure::User(reply)) => reply,
        Err(Failure::Internal(StoreError::Unreachable(why))) => {
            tracing::error!(why, "cannot reach the database: a command was not done");
            Reply::to_caller().line(env.t(Msg::DatabaseUnreachable, vec![]))
        }
        Err(Failure::Internal(StoreError::RefusesWrites(why))) => {
            tracing::error!(why, "the database refuses writes: a command was not done");
            Reply::to_caller().line(env.t(Msg::DatabaseRefusesWrites, vec![]))
        }
        Err(Failure::Internal(error)) => {
            let reference = error_reference();
            tracing::error!(%reference, error = %error, "command failed");
            Reply::to_caller().line(env.t(Msg::InternalError, vec![("reference", Arg::code(&reference))]))
        }
    }
}

/// A short reference for a logged fault, unique enough to find it in the logs.
fn error_reference() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("E{:06X}", (nanos ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15)) & 0xFF_FFFF)
}
