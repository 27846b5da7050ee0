//! Seatmate in Discord (serenity): slash commands generated from the
//! catalogue ([`commands`]), interactions as the core's inputs
//! ([`inbound`]), replies as Markdown ([`render`]), and the delivery loop's
//! sends through [`courier::DiscordCourier`]. The adapter only translates.
//!
//! Replies meant for the caller, and private ones, are ephemeral; replies
//! for the chat are visible. The gateway asks for `GUILDS` only: the bot
//! needs no message content.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use seatmate_bot::admins::ChatAdmins;
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::{Audience, ChatEvent, ChatKey, Core, Inbound, Locale, Platform, Reply};
use serenity::all::{
    ApplicationId, AutocompleteChoice, ChannelId, ClientBuilder, Command, CommandInteraction, ComponentInteraction,
    Context, CreateAutocompleteResponse, CreateInteractionResponse, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, EditInteractionResponse, EventHandler, GatewayIntents, Guild, GuildId, Http,
    HttpBuilder, HttpError, Interaction, InteractionContext, Member, PartialChannel, Permissions, Timestamp, UserId,
};
use tokio::sync::watch;

pub mod commands;
pub mod courier;
pub mod inbound;
pub mod render;

pub use courier::DiscordCourier;

/// Discord's API, where the real service is.
pub const DEFAULT_API_URL: &str = "https://discord.com";
/// How long the core may take before an interaction is deferred (Discord
/// wants an answer within 3 s).
const ANSWER_WITHIN: Duration = Duration::from_millis(2000);
/// Until when a first answer (or a deferral) is tried again after a
/// server error: inside Discord's 3 s, counted from when it reached us.
const FIRST_ANSWER_WITHIN: Duration = Duration::from_millis(2800);
/// Until when an edit or a follow-up is tried again.
const LATER_ANSWER_WITHIN: Duration = Duration::from_secs(10);
/// A server the bot joined this long ago or less was just joined (its
/// GUILD_CREATE is not a reconnection's).
const JOINED_RECENTLY_SECS: i64 = 300;

/// Why the adapter could not start.
#[derive(Debug)]
pub enum StartError {
    BadToken,
    Unreachable(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::BadToken => write!(f, "Discord refused the bot token (check discord.token)"),
            StartError::Unreachable(why) => write!(f, "Discord could not be reached: {why}"),
        }
    }
}

impl std::error::Error for StartError {}

/// How to reach Discord.
#[derive(Clone)]
pub struct Discord {
    token: Arc<str>,
    api_url: Option<String>,
    application: ApplicationId,
    bot: UserId,
    guild: Option<GuildId>,
    admins: Arc<InteractionAdmins>,
}

impl Discord {
    /// Asks Discord who the bot is (a wrong token stops here) and which
    /// application it belongs to. `api_url` other than Discord's goes
    /// through serenity's proxy setting, with its ratelimiter off (the
    /// delivery loop keeps the limits).
    pub async fn connect(token: &str, api_url: &str, guild: Option<u64>) -> Result<Discord, StartError> {
        let api_url =
            (api_url.trim_end_matches('/') != DEFAULT_API_URL).then(|| api_url.trim_end_matches('/').to_string());
        let mut discord = Discord {
            token: token.into(),
            api_url,
            application: ApplicationId::new(1),
            bot: UserId::new(1),
            guild: guild.filter(|&g| g != 0).map(GuildId::new),
            admins: Arc::default(),
        };
        let http = discord.http();
        let refused = |error: serenity::Error| match &error {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 401 => {
                StartError::BadToken
            }
            _ => StartError::Unreachable(error.to_string()),
        };
        let me = http.get_current_user().await.map_err(refused)?;
        let application = http.get_current_application_info().await.map_err(refused)?;
        discord.application = application.id;
        discord.bot = me.id;
        tracing::info!(bot = me.name, "connected to Discord");
        Ok(discord)
    }

    /// A client for Discord's REST API.
    pub fn http(&self) -> Http {
        let mut builder = HttpBuilder::new(&*self.token).application_id(self.application);
        if let Some(url) = &self.api_url {
            builder = builder.proxy(url.clone()).ratelimiter_disabled(true);
        }
        builder.build()
    }

    /// Registers the catalogue's commands: in one server when `guild_id`
    /// is set (instantly, for trying the bot), else globally; and removes
    /// them from the other scope, so that a switch between the two never
    /// lists every command twice.
    pub async fn register_commands(&self) -> Result<(), String> {
        let http = self.http();
        let commands = commands::application_commands();
        let failed = |e: serenity::Error| e.to_string();
        match self.guild {
            Some(guild) => {
                guild.set_commands(&http, commands).await.map_err(failed)?;
                Command::set_global_commands(&http, Vec::new()).await.map_err(failed)?;
            }
            None => {
                Command::set_global_commands(&http, commands).await.map_err(failed)?;
                // A server used for trying the bot may still list its own.
                for server in http.get_guilds(None, Some(200)).await.map_err(failed)? {
                    server.id.set_commands(&http, Vec::new()).await.map_err(failed)?;
                }
            }
        }
        Ok(())
    }

    /// The delivery loop's courier for Discord.
    pub fn courier(&self, keys: ButtonKeys) -> DiscordCourier {
        DiscordCourier::new(Arc::new(self.http()), keys)
    }

    /// The core's way to learn who administers a server: from the
    /// interaction being handled, with no extra request.
    pub fn chat_admins(&self) -> Arc<dyn ChatAdmins> {
        self.admins.clone()
    }

    /// The gateway, until `shutdown` turns true.
    pub async fn run(&self, core: Arc<Core>, mut shutdown: watch::Receiver<bool>) {
        let handler = Handler {
            core,
            bot: self.bot,
            admins: self.admins.clone(),
        };
        let client = ClientBuilder::new_with_http(self.http(), GatewayIntents::GUILDS).event_handler(handler);
        let mut client = match client.await {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "the Discord gateway could not start");
                return;
            }
        };
        let shards = client.shard_manager.clone();
        tokio::select! {
            result = client.start() => {
                if let Err(error) = result {
                    tracing::error!(%error, "the Discord gateway stopped");
                }
            }
            _ = shutdown.changed() => shards.shutdown_all().await,
        }
    }
}

/// Who administers a server, as the interactions being handled say
/// (Administrator or Manage Server in the member's permissions).
#[derive(Default)]
struct InteractionAdmins {
    known: Mutex<HashMap<(String, String), bool>>,
}

impl InteractionAdmins {
    fn note(&self, chat: &ChatKey, user_id: &str, admin: bool) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        // Kept small: only the interactions in hand need it.
        if known.len() > 10_000 {
            known.clear();
        }
        known.insert((chat.chat_id.clone(), user_id.to_string()), admin);
    }
}

#[async_trait]
impl ChatAdmins for InteractionAdmins {
    fn answers_from_elsewhere(&self) -> bool {
        false
    }

    async fn is_chat_admin(&self, chat: &ChatKey, user_id: &str) -> Result<bool, String> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        Ok(known
            .get(&(chat.chat_id.clone(), user_id.to_string()))
            .copied()
            .unwrap_or(false))
    }
}

struct Handler {
    core: Arc<Core>,
    /// The bot's own user, for its permissions in a server.
    bot: UserId,
    admins: Arc<InteractionAdmins>,
}

#[async_trait]
impl EventHandler for Handler {
    /// A server as the gateway reports it: at every connection, and when
    /// the bot is added. Only a join within the last minutes counts as
    /// being added (without serenity's cache, `is_new` is not known).
    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let channels: Vec<ChatKey> = guild
            .channels
            .keys()
            .map(|&id| inbound::chat_key(id, Some(guild.id)))
            .collect();
        let server = guild.id.get().to_string();
        let listed = ChatEvent::ServerChannels {
            server: &server,
            channels: &channels,
        };
        if let Err(error) = self.core.chat_event(listed).await {
            tracing::error!(%error, "could not record a server's channels");
        }
        let just_joined = Timestamp::now().unix_timestamp() - guild.joined_at.unix_timestamp() < JOINED_RECENTLY_SECS;
        if !just_joined {
            return;
        }
        let postable = inbound::postable_channels(&guild, self.bot);
        let courier = DiscordCourier::new(ctx.http.clone(), self.core.button_keys());
        match self
            .core
            .chat_event(ChatEvent::BotJoinedServer { postable: &postable })
            .await
        {
            Ok(said) => {
                for (chat, reply) in said {
                    let Ok(channel) = chat.chat_id.parse::<u64>() else {
                        continue;
                    };
                    if let Err(error) = courier.send_to(ChannelId::new(channel), &reply).await {
                        tracing::warn!(%error, channel, "could not greet a server's channel");
                    }
                }
            }
            Err(error) => tracing::error!(%error, "could not look at a server the bot joined"),
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => self.command(&ctx, command).await,
            Interaction::Component(press) => self.press(&ctx, press).await,
            Interaction::Autocomplete(typing) => self.autocomplete(&ctx, typing).await,
            _ => {}
        }
    }
}

impl Handler {
    /// What an interaction tells the core besides its command: who, where
    /// (a thread is its channel's chat), the server, the channel's name and
    /// what the bot lacks there; who administers it is noted on the way.
    fn inbound(&self, to: Responder<'_>) -> Inbound {
        let (_, channel, guild, app_permissions) = to.channel();
        let mut request = Inbound::new(to.chat(), to.caller(), "");
        self.admins
            .note(&request.chat, &request.caller.user_id, inbound::is_admin(to.member()));
        request.server = guild.map(|g| g.get().to_string());
        request.chat_title = channel.and_then(|c| c.name.clone());
        request.bot_lacks = inbound::bot_lacks(app_permissions, channel, guild);
        request.client_locale = Locale::from_client(to.locale());
        request
    }

    async fn command(&self, ctx: &Context, command: CommandInteraction) {
        if command.context == Some(InteractionContext::PrivateChannel) {
            let core = self.core.clone();
            let work = tokio::spawn(async move { Some(core.button_keys().not_served_here()) });
            return self.respond(ctx, Responder::Command(&command), work).await;
        }
        let mut request = self.inbound(Responder::Command(&command));
        let mut call = inbound::call(&command.data);
        request.mentioned = std::mem::take(&mut call.mentioned);
        let (core, id) = (self.core.clone(), command.id.to_string());
        let work = tokio::spawn(async move {
            once(&core, &id).await?;
            Some(core.handle_options(&request, &call.path, &call.pairs()).await)
        });
        self.respond(ctx, Responder::Command(&command), work).await;
    }

    async fn press(&self, ctx: &Context, press: ComponentInteraction) {
        let mut request = self.inbound(Responder::Press(&press));
        request.text = press.data.custom_id.clone();
        let (core, id) = (self.core.clone(), press.id.to_string());
        let work = tokio::spawn(async move {
            once(&core, &id).await?;
            Some(core.handle_press(&request).await)
        });
        self.respond(ctx, Responder::Press(&press), work).await;
    }

    async fn autocomplete(&self, ctx: &Context, typing: CommandInteraction) {
        // An option of a command we do not know (an old registration):
        // no choices, but an answer, so Discord's menu does not hang.
        let choices = match inbound::autocomplete(&typing.data) {
            Some((path, kind, typed)) => {
                let request = self.inbound(Responder::Command(&typing));
                let integer = commands::option_type(kind) == serenity::all::CommandOptionType::Integer;
                self.core
                    .choices(&request.chat, &request.caller, &path, kind, &typed)
                    .await
                    .into_iter()
                    // An INTEGER option's choices carry numbers.
                    .filter_map(|c| match (integer, c.value.parse::<i64>()) {
                        (true, Ok(n)) => Some(AutocompleteChoice::new(c.label, n)),
                        (true, Err(_)) => None,
                        (false, _) => Some(AutocompleteChoice::new(c.label, c.value)),
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let response = CreateAutocompleteResponse::new().set_choices(choices);
        if let Err(error) = typing
            .create_response(&ctx.http, CreateInteractionResponse::Autocomplete(response))
            .await
        {
            tracing::warn!(%error, "an autocomplete could not be answered");
        }
    }

    /// Answers within Discord's 3 seconds: the reply itself when the core
    /// is quick, else a deferral (ephemeral, as the reply's audience is not
    /// known yet) completed when it is ready. A reply for the chat is
    /// visible; one for the caller, or private, is ephemeral.
    /// `work` is `None` for an interaction seen before: it is not answered again.
    async fn respond(&self, ctx: &Context, to: Responder<'_>, mut work: tokio::task::JoinHandle<Option<Reply>>) {
        // Discord takes the first answer within 3 s of the interaction; the
        // webhook (edits and follow-ups) for 15 minutes.
        let first_by = tokio::time::Instant::now() + FIRST_ANSWER_WITHIN;
        let later_by = || tokio::time::Instant::now() + LATER_ANSWER_WITHIN;
        let (reply, deferred) = match tokio::time::timeout(ANSWER_WITHIN, &mut work).await {
            Ok(done) => (done, false),
            Err(_) => {
                if let Err(error) = retrying(first_by, || to.defer(ctx)).await {
                    tracing::warn!(%error, "an interaction could not be deferred");
                }
                (work.await, true)
            }
        };
        let reply = match reply {
            Ok(Some(reply)) => reply,
            Ok(None) => return,
            Err(_) => self.core.button_keys().expired(),
        };
        let ephemeral = reply.audience != Audience::Chat;
        let parts = render::render(&reply);
        let components = render::components(&self.core.button_keys(), &reply.buttons).await;
        let last = parts.len() - 1;
        for (i, part) in parts.iter().enumerate() {
            let rows = if i == last { components.clone() } else { Vec::new() };
            let embeds = if i == last { render::embeds(&reply) } else { Vec::new() };
            // A file (`/mydata`) goes with the last part.
            let file = if i == last { render::attachment(&reply) } else { None };
            let sent = match (i, deferred) {
                (0, false) => {
                    let mut message = CreateInteractionResponseMessage::new()
                        .content(part.content.clone())
                        .allowed_mentions(part.allowed_mentions())
                        .ephemeral(ephemeral)
                        .components(rows)
                        .embeds(embeds);
                    if let Some(file) = file {
                        message = message.add_file(file);
                    }
                    let response = CreateInteractionResponse::Message(message);
                    retrying(first_by, || to.create(ctx, response.clone())).await
                }
                // The deferral is ephemeral: it carries an ephemeral reply
                // itself; a reply for the chat follows it, visible.
                (0, true) if ephemeral => {
                    let mut edit = EditInteractionResponse::new()
                        .content(part.content.clone())
                        .allowed_mentions(part.allowed_mentions())
                        .components(rows)
                        .embeds(embeds);
                    if let Some(file) = file {
                        edit = edit.new_attachment(file);
                    }
                    retrying(later_by(), || to.edit(ctx, edit.clone())).await
                }
                _ => {
                    let mut followup = CreateInteractionResponseFollowup::new()
                        .content(part.content.clone())
                        .allowed_mentions(part.allowed_mentions())
                        .ephemeral(ephemeral)
                        .components(rows)
                        .embeds(embeds);
                    if let Some(file) = file {
                        followup = followup.add_file(file);
                    }
                    retrying(later_by(), || to.follow_up(ctx, followup.clone())).await
                }
            };
            if let Err(error) = sent {
                tracing::warn!(%error, "an interaction could not be answered");
                // Not lost when nothing of it went out: the outbox sends it
                // (a private answer privately, by DM).
                if i == 0 {
                    if let Err(error) = self.core.deliver_later(&to.chat(), &to.caller(), reply.clone()).await {
                        tracing::error!(%error, "an answer Discord would not take could not be kept");
                    }
                }
                return;
            }
        }
        if deferred && !ephemeral {
            let done = EditInteractionResponse::new().content("✓");
            if let Err(error) = to.edit(ctx, done).await {
                tracing::warn!(%error, "a deferral could not be closed");
            }
        }
    }
}

/// Retries a request Discord failed with a server error or a network fault,
/// a little later each time, while `until` allows another try.
async fn retrying<F, Fut>(until: tokio::time::Instant, mut attempt: F) -> serenity::Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = serenity::Result<()>>,
{
    let mut wait = Duration::from_millis(100);
    loop {
        match attempt().await {
            Err(error)
                if matches!(courier::classify(&error), seatmate_bot::delivery::Delivery::Failed(_))
                    && tokio::time::Instant::now() + wait < until =>
            {
                tracing::info!(%error, "Discord failed an answer; trying again");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
            done => return done,
        }
    }
}

/// A command or a press has one effect, whatever Discord replays: `None`
/// for an interaction id taken before (autocomplete changes nothing, so it
/// is not recorded). Taken inside the work the 3-second answer waits for.
async fn once(core: &Core, id: &str) -> Option<()> {
    core.inbound_ledger()
        .take(Platform::Discord, id, None)
        .await
        .is_new()
        .then_some(())
}

/// The interaction being answered.
#[derive(Clone, Copy)]
enum Responder<'a> {
    Command(&'a CommandInteraction),
    Press(&'a ComponentInteraction),
}

impl<'a> Responder<'a> {
    /// Where it happened: the channel, as Discord describes it, the server,
    /// and the bot's permissions there.
    fn channel(
        self,
    ) -> (
        ChannelId,
        Option<&'a PartialChannel>,
        Option<GuildId>,
        Option<Permissions>,
    ) {
        match self {
            Responder::Command(c) => (c.channel_id, c.channel.as_ref(), c.guild_id, c.app_permissions),
            Responder::Press(p) => (p.channel_id, p.channel.as_ref(), p.guild_id, p.app_permissions),
        }
    }

    fn member(self) -> Option<&'a Member> {
        match self {
            Responder::Command(c) => c.member.as_deref(),
            Responder::Press(p) => p.member.as_ref(),
        }
    }

    fn chat(self) -> ChatKey {
        let (channel_id, channel, guild, _) = self.channel();
        inbound::chat_of(channel_id, channel, guild)
    }

    /// The language the member's Discord app is set to (`en-US`, `nl`).
    fn locale(self) -> &'a str {
        match self {
            Responder::Command(c) => &c.locale,
            Responder::Press(p) => &p.locale,
        }
    }

    fn caller(self) -> seatmate_bot::Caller {
        let user = match self {
            Responder::Command(c) => &c.user,
            Responder::Press(p) => &p.user,
        };
        inbound::caller(user, self.member().and_then(|m| m.nick.as_deref()))
    }

    async fn create(self, ctx: &Context, response: CreateInteractionResponse) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.create_response(&ctx.http, response).await,
            Responder::Press(p) => p.create_response(&ctx.http, response).await,
        }
    }

    async fn defer(self, ctx: &Context) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.defer_ephemeral(&ctx.http).await,
            Responder::Press(p) => p.defer_ephemeral(&ctx.http).await,
        }
    }

    async fn edit(self, ctx: &Context, edit: EditInteractionResponse) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.edit_response(&ctx.http, edit).await.map(drop),
            Responder::Press(p) => p.edit_response(&ctx.http, edit).await.map(drop),
        }
    }

    async fn follow_up(self, ctx: &Context, followup: CreateInteractionResponseFollowup) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.create_followup(&ctx.http, followup).await.map(drop),
            Responder::Press(p) => p.create_followup(&ctx.http, followup).await.map(drop),
        }
    }
}
