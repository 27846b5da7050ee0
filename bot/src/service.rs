//! The core: takes a request from any adapter, decides, and answers with a
//! platform-neutral [`Reply`]. Nothing here knows a database or a chat platform.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::instrument;

use crate::admins::{ChatAdminPorts, ChatAdmins};
use crate::catalogue::{Access, CommandSpec};
use crate::clock::Clock;
use crate::command::{self, Action, ParseError, Parsed};
use crate::domain::{MemberId, Zone};
use crate::i18n::{spans, Arg, Locale, Msg};
use crate::reply::{Handle, MemberCard, Reply, Span};
use crate::store::{ChatKey, Community, Identity, ProfileChange, Store, StoreError};
use wording::{example_on, setup_example, space_add_example, usage_on, welcome_unbound_args};

mod accounts;
mod binding;
mod buttons;
mod chats;
pub(crate) use chats::forget_chat;
mod checkins;
pub mod complete;
mod help;
pub mod inbound;
pub mod pairing;
mod profiles;
use profiles::tags_of;
mod seats;
mod settings;
mod spaces;
mod wording;

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

tokio::task_local! {
    /// The language of the community being served, set around the handling
    /// of one command or one round, so that every message rendered for it
    /// (replies, and the notices its changes write) is in that language.
    pub(crate) static LOCALE: Locale;
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
enum Failure {
    User(Reply),
    Internal(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Internal(e)
    }
}

type Outcome = Result<Reply, Failure>;

/// How a command arrived: typed (or a slash command's options), or by a
/// press of one of the bot's buttons. What is irreversible counts only as
/// a press; a press of a button for something gone says what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Typed,
    Button,
}

/// What the core knows about the caller while it handles one command.
struct Ctx<'a> {
    via: Via,
    /// The catalogue entry of the command being handled.
    spec: &'static CommandSpec,
    chat: &'a ChatKey,
    caller: &'a Caller,
    /// What the platform said with the command (its server, title, the
    /// bot's missing permissions, an anonymous admin, the message's id).
    inbound: &'a Inbound,
    /// For a chat of no community: the community of its server, if any.
    server_community: Option<Community>,
    now: DateTime<Utc>,
    member: MemberId,
    community: Option<Community>,
    /// Recorded as an admin of the community (its creator, for instance);
    /// chat admins are asked of the platform only when a rule needs it.
    recorded_admin: bool,
}

impl Ctx<'_> {
    fn card(&self) -> MemberCard {
        MemberCard {
            id: self.member,
            display_name: self.caller.display_name.clone(),
            handles: vec![Handle {
                platform: self.chat.platform,
                user_id: self.caller.user_id.clone(),
                username: self.caller.username.clone(),
            }],
        }
    }
}

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
                return self.answer(Err(error.into()));
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
        if let Err(error) = self.record_referenced(request).await {
            return self.answer(Err(error.into()));
        }
        let arrival = self.arrive(&request.chat, &request.caller).await;
        // Any message in the private chat opens it, a mistyped one too: what
        // was held for the member there goes out now (unless `/inbox`
        // hands it over itself).
        if let (Ok(arrival), true) = (&arrival, request.chat.private) {
            if !matches!(&parsed, Ok(p) if p.action == Action::Inbox) {
                if let Err(error) = self.release_held(arrival.member, request.chat.platform).await {
                    return self.answer(Err(error.into()));
                }
            }
        }
        match (parsed, arrival) {
            (Ok(parsed), Ok(arrival)) => self.handle(request, arrival, parsed, via).await,
            (Ok(_), Err(error)) => self.answer(Err(error.into())),
            (Err(error), arrival) => {
                // Bad input is answered to the caller (in the language of
                // the chat's community, where everyone sees the answer).
                let community = arrival.ok().and_then(|a| a.community);
                let locale = self.reply_locale(request, community.as_ref(), false);
                LOCALE
                    .scope(locale, async { self.parse_error(error, request.chat.platform) })
                    .await
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
                self.arrive(&request.chat, person).await?;
            }
        }
        Ok(())
    }

    /// The language of `community`'s replies: its own choice, else the bot's.
    fn locale_of(&self, community: Option<&Community>) -> Locale {
        community.and_then(|c| c.locale).unwrap_or(self.settings.locale)
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
            _ => self.locale_of(community),
        }
    }

    /// A renderer in the language being written in.
    pub(crate) fn tr(&self) -> crate::i18n::Tr {
        crate::i18n::Tr(self.locale())
    }

    /// The language being written in: the community served now (see
    /// [`LOCALE`]), else the bot's setting.
    pub(crate) fn locale(&self) -> Locale {
        LOCALE.try_with(|locale| *locale).unwrap_or(self.settings.locale)
    }

    /// Runs a parsed command. Refusals change nothing; faults are logged with a
    /// reference the user can quote.
    #[instrument(skip_all, fields(platform = %request.chat.platform, chat = %request.chat.chat_id, user = %request.caller.user_id, command = parsed.spec.path))]
    async fn handle(&self, request: &Inbound, arrival: crate::store::Arrival, parsed: Parsed, via: Via) -> Reply {
        let locale = self.reply_locale(request, arrival.community.as_ref(), parsed.action.answers_the_chat());
        LOCALE
            .scope(locale, async {
                self.answer(self.run(request, arrival, parsed, via).await)
            })
            .await
    }

    fn answer(&self, outcome: Outcome) -> Reply {
        match outcome {
            Ok(reply) | Err(Failure::User(reply)) => reply,
            Err(Failure::Internal(StoreError::Unreachable(why))) => {
                tracing::error!(why, "cannot reach the database: a command was not done");
                Reply::to_caller().line(self.t(Msg::DatabaseUnreachable, vec![]))
            }
            Err(Failure::Internal(StoreError::RefusesWrites(why))) => {
                tracing::error!(why, "the database refuses writes: a command was not done");
                Reply::to_caller().line(self.t(Msg::DatabaseRefusesWrites, vec![]))
            }
            Err(Failure::Internal(error)) => {
                let reference = error_reference();
                tracing::error!(%reference, error = %error, "command failed");
                Reply::to_caller().line(self.t(Msg::InternalError, vec![("reference", Arg::code(&reference))]))
            }
        }
    }

    /// Records that the caller spoke in the chat; who they are there.
    async fn arrive(&self, chat: &ChatKey, caller: &Caller) -> Result<crate::store::Arrival, StoreError> {
        let identity = Identity {
            platform: chat.platform,
            user_id: caller.user_id.clone(),
            display_name: crate::domain::clean_name(&caller.display_name),
            username: caller.username.as_deref().map(crate::domain::clean_name),
        };
        self.store.enter(chat, &identity, self.clock.now()).await
    }

    async fn run(
        &self,
        request: &Inbound,
        arrival: crate::store::Arrival,
        Parsed { spec, action: command }: Parsed,
        via: Via,
    ) -> Outcome {
        let (chat, caller) = (&request.chat, &request.caller);
        let now = self.clock.now();
        let mut ctx = Ctx {
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
        if let (None, Some(server)) = (&ctx.community, &request.server) {
            if let Some(id) = self.store.server_community(chat.platform, server).await? {
                ctx.server_community = self.store.community(id).await?;
            }
        }
        // The chat's admins acting anonymously are nobody in particular:
        // only what an admin does for the chat can be theirs.
        if request.anonymous_admin && !(matches!(spec.access, Access::Admin | Access::ChatAdmin) || spec.path == "help")
        {
            return Err(self.refuse(vec![self.t(
                Msg::AnonymousNeedsPerson,
                vec![("command", Arg::code(format!("/{}", spec.path)))],
            )]));
        }
        if !matches!(spec.access, Access::Anyone | Access::ChatAdmin) {
            self.ask_which_community(&ctx).await?;
        }
        match spec.access {
            Access::Anyone | Access::ChatAdmin => {}
            // Whether the caller hosts the space concerned is checked by the command.
            Access::Member | Access::Host => {
                self.community(&ctx)?;
            }
            Access::Admin => {
                let community = self.community(&ctx)?;
                if !self.is_admin(&ctx).await? {
                    return Err(self.refuse(vec![self.t(
                        Msg::NotAdmin,
                        vec![
                            ("community", Arg::strong(&community.name)),
                            ("command", Arg::code(format!("/{}", spec.path))),
                        ],
                    )]));
                }
            }
        }
        match command {
            Action::Start => self.start(&ctx).await,
            Action::Inbox => self.inbox(&ctx).await,
            Action::Help { topic } => self.help_for(&ctx, topic.as_deref()),
            Action::Setup { zone, name } => self.setup(&ctx, zone, &name).await,
            Action::SetupJoin { code } => self.setup_join(&ctx, code.as_deref()).await,
            Action::Invite => self.invite(&ctx).await,
            Action::Chats => self.chats(&ctx).await,
            Action::Unbind => self.unbind(&ctx).await,
            Action::Link(code) => self.link(&ctx, code.as_deref()).await,
            Action::Unlink => self.unlink(&ctx).await,
            Action::ProfileNotify(platform) => self.notify(&ctx, platform).await,
            Action::MyData => self.my_data(&ctx).await,
            Action::ForgetMe { confirmation } => self.forget_me(&ctx, confirmation.as_deref()).await,
            Action::Use(name) => self.use_community(&ctx, &name).await,
            Action::SpaceAdd(args) => self.space_add(&ctx, args).await,
            Action::SpaceList => self.space_list(&ctx).await,
            Action::SpaceRemove { space } => self.space_remove(&ctx, &space).await,
            Action::HostAdd { member, space } => self.host(&ctx, &member, &space, true).await,
            Action::HostRemove { member, space } => self.host(&ctx, &member, &space, false).await,
            Action::ProfileShow => self.profile_show(&ctx, None).await,
            Action::ProfileOffers(change) => {
                let tags = tags_of(change);
                self.profile_show(&ctx, Some(ProfileChange::Offers(tags))).await
            }
            Action::ProfileWants(change) => {
                let tags = tags_of(change);
                self.profile_show(&ctx, Some(ProfileChange::Wants(tags))).await
            }
            Action::ProfileAbout(note) => self.profile_show(&ctx, Some(ProfileChange::About(note))).await,
            Action::Checkin(input) => self.checkin(&ctx, input).await,
            Action::Checkout => self.checkout(&ctx).await,
            Action::Here { place } => self.here(&ctx, place).await,
            Action::Offer(args) => self.offer(&ctx, args).await,
            Action::Seats { filter } => self.seats(&ctx, filter).await,
            Action::Request(target) => self.request(&ctx, target).await,
            Action::Cancel(target) => self.cancel(&ctx, target).await,
            Action::MySeats => self.my_seats(&ctx).await,
            Action::Offers => self.host_offers(&ctx).await,
            Action::Withdraw { offer } => self.withdraw(&ctx, offer).await,
            Action::Approve { offer, request } => self.decide(&ctx, offer, request, true, None).await,
            Action::Decline { offer, request, reason } => self.decide(&ctx, offer, request, false, Some(reason)).await,
            Action::Pairing(change) => self.pairing(&ctx, change).await,
            Action::Match => self.my_match(&ctx).await,
            Action::Met => self.met(&ctx).await,
            Action::SettingsShow => self.settings_show(&ctx).await,
            Action::SettingsSet(change) => self.settings_set(&ctx, change).await,
            Action::PairNow => self.pair_now(&ctx).await,
        }
    }

    /// Lets the platform's adapter say who administers its chats.
    pub fn with_chat_admins(mut self, platform: crate::domain::Platform, port: Arc<dyn ChatAdmins>) -> Self {
        self.chat_admins.insert(platform, port);
        self
    }

    /// An admin of the caller's community: recorded as one, or an admin of
    /// the chat the command came from (in a private chat: of one of the
    /// community's chats on that platform), as the platform says.
    async fn is_admin(&self, ctx: &Ctx<'_>) -> Result<bool, Failure> {
        if ctx.recorded_admin {
            return Ok(true);
        }
        if !self.chat_admins.knows(ctx.chat.platform) {
            return Ok(false);
        }
        if !ctx.chat.private {
            return Ok(self.ask_chat_admin(ctx.chat, ctx).await? == Some(true));
        }
        let Some(community) = &ctx.community else {
            return Ok(false);
        };
        if !self.chat_admins.answers_from_elsewhere(ctx.chat.platform) {
            return Err(self.refuse(vec![self.t(
                Msg::AdminInChannel,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("command", Arg::code(format!("/{}", ctx.spec.path))),
                ],
            )]));
        }
        for chat in self.store.community_chats(community.id).await? {
            if chat.platform == ctx.chat.platform && self.ask_chat_admin(&chat, ctx).await? == Some(true) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    async fn ask_chat_admin(&self, chat: &ChatKey, ctx: &Ctx<'_>) -> Result<Option<bool>, Failure> {
        if ctx.inbound.anonymous_admin && chat == ctx.chat {
            return Ok(Some(true));
        }
        self.chat_admins
            .ask(chat, &ctx.caller.user_id, ctx.now)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "the platform could not say who administers the chat");
                self.refuse(vec![self.t(Msg::AdminCheckFailed, vec![])])
            })
    }

    // ----- rendering helpers -------------------------------------------------

    fn t(&self, msg: Msg, args: Vec<(&str, Arg)>) -> Vec<Span> {
        spans(self.locale(), msg, args)
    }

    fn text(&self, msg: Msg, args: Vec<(&str, Arg)>) -> String {
        self.tr().text(msg, args)
    }

    /// Records the chat's server and title, as the platform gave them.
    async fn note_chat(&self, ctx: &Ctx<'_>) -> Result<(), StoreError> {
        let (server, title) = (ctx.inbound.server.as_deref(), ctx.inbound.chat_title.as_deref());
        if server.is_some() || title.is_some() {
            self.store.note_chat(ctx.chat, server, title).await?;
        }
        Ok(())
    }

    // ----- commands ------------------------------------------------------------
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
