//! Interactions, however they arrive (the gateway or the HTTP endpoint):
//! each command or press is taken once through the core's inbox, answered
//! within Discord's 3 seconds (the reply itself, else a deferral completed
//! later), visibly for the chat and ephemerally for the caller.

use std::sync::Arc;
use std::time::{Duration, Instant};

use seatmate_bot::{Audience, ChatKey, Core, Inbound, Locale, Platform, Reply};
use serenity::all::{
    AutocompleteChoice, ChannelId, CommandInteraction, ComponentInteraction, CreateAutocompleteResponse,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    EditInteractionResponse, GuildId, Http, InteractionContext, Member, PartialChannel, Permissions, UserId,
};
use tokio::sync::oneshot;

use crate::{commands, courier, inbound, render, InteractionAdmins};

/// How long the core may take before an interaction is deferred, when the
/// answer goes by Discord's callback route (Discord wants it within 3 s).
const ANSWER_WITHIN: Duration = Duration::from_millis(2000);
/// The same when the answer is the HTTP response itself (no round trip).
const INLINE_ANSWER_WITHIN: Duration = Duration::from_millis(2500);
/// Until when a first answer (or a deferral) is tried again after a
/// server error: inside Discord's 3 s, counted from when it reached us.
const FIRST_ANSWER_WITHIN: Duration = Duration::from_millis(2800);
/// Until when an edit or a follow-up is tried again.
const LATER_ANSWER_WITHIN: Duration = Duration::from_secs(10);

/// The answer to an interaction handled before (a replay over HTTP): a
/// tick only its sender sees, with no second effect.
fn seen_before() -> CreateInteractionResponse {
    CreateInteractionResponse::Message(CreateInteractionResponseMessage::new().content("✓").ephemeral(true))
}

/// The HTTP response to Discord's POST, waiting for its body: where an
/// interaction's first answer goes when it came over HTTP (`None`: it came
/// over the gateway, and is answered by the callback route).
pub(crate) struct Inline(oneshot::Sender<CreateInteractionResponse>);

impl Inline {
    pub(crate) fn new() -> (Inline, oneshot::Receiver<CreateInteractionResponse>) {
        let (answer, answered) = oneshot::channel();
        (Inline(answer), answered)
    }

    /// Gives the HTTP response its body (the receiver may be gone).
    fn answer(self, response: CreateInteractionResponse) {
        let _ = self.0.send(response);
    }
}

pub(crate) struct Handler {
    pub(crate) core: Arc<Core>,
    /// The bot's own user, for its permissions in a server.
    pub(crate) bot: UserId,
    pub(crate) admins: Arc<InteractionAdmins>,
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

    pub(crate) async fn command(
        &self,
        http: &Http,
        command: CommandInteraction,
        inline: Option<Inline>,
        arrived: Instant,
    ) {
        if command.context == Some(InteractionContext::PrivateChannel) {
            let core = self.core.clone();
            let work = tokio::spawn(async move { Some(core.button_keys().not_served_here()) });
            return self.respond(http, Responder::Command(&command), work, inline).await;
        }
        let mut request = self.inbound(Responder::Command(&command));
        request.arrived = Some(arrived);
        let mut call = inbound::call(&command.data);
        request.mentioned = std::mem::take(&mut call.mentioned);
        let (core, id) = (self.core.clone(), command.id.to_string());
        let work = tokio::spawn(async move {
            once(&core, &id).await?;
            Some(core.handle_options(&request, &call.path, &call.pairs()).await)
        });
        self.respond(http, Responder::Command(&command), work, inline).await;
    }

    pub(crate) async fn press(
        &self,
        http: &Http,
        press: ComponentInteraction,
        inline: Option<Inline>,
        arrived: Instant,
    ) {
        let mut request = self.inbound(Responder::Press(&press));
        request.arrived = Some(arrived);
        request.text = press.data.custom_id.clone();
        let (core, id) = (self.core.clone(), press.id.to_string());
        let work = tokio::spawn(async move {
            once(&core, &id).await?;
            Some(core.handle_press(&request).await)
        });
        self.respond(http, Responder::Press(&press), work, inline).await;
    }

    pub(crate) async fn autocomplete(&self, http: &Http, typing: CommandInteraction, mut inline: Option<Inline>) {
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
        let response = CreateInteractionResponse::Autocomplete(CreateAutocompleteResponse::new().set_choices(choices));
        let until = tokio::time::Instant::now() + FIRST_ANSWER_WITHIN;
        let to = Responder::Command(&typing);
        if let Err(error) = first_answer(http, to, &mut inline, response, until).await {
            tracing::warn!(%error, "an autocomplete could not be answered");
        }
    }

    /// Answers within Discord's 3 seconds: the reply itself when the core
    /// is quick, else a deferral (ephemeral, as the reply's audience is not
    /// known yet) completed when it is ready. A reply for the chat is
    /// visible; one for the caller, or private, is ephemeral.
    /// `work` is `None` for an interaction seen before: it is not answered again.
    async fn respond(
        &self,
        http: &Http,
        to: Responder<'_>,
        mut work: tokio::task::JoinHandle<Option<Reply>>,
        mut inline: Option<Inline>,
    ) {
        // Discord takes the first answer within 3 s of the interaction; the
        // webhook (edits and follow-ups) for 15 minutes.
        let first_by = tokio::time::Instant::now() + FIRST_ANSWER_WITHIN;
        let later_by = || tokio::time::Instant::now() + LATER_ANSWER_WITHIN;
        let wait = if inline.is_some() {
            INLINE_ANSWER_WITHIN
        } else {
            ANSWER_WITHIN
        };
        let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
        let (reply, mut deferred) = match tokio::time::timeout(wait, &mut work).await {
            Ok(done) => (done, false),
            Err(_) => {
                if let Err(error) = first_answer(http, to, &mut inline, defer.clone(), first_by).await {
                    tracing::warn!(%error, "an interaction could not be deferred");
                }
                (work.await, true)
            }
        };
        let reply = match reply {
            Ok(Some(reply)) => reply,
            // Seen before: answered then (over HTTP, something must be said).
            Ok(None) => {
                if let Some(inline) = inline {
                    inline.answer(seen_before());
                }
                return;
            }
            Err(_) => self.core.button_keys().expired(),
        };
        // A file cannot ride in the HTTP answer: it follows the deferral.
        if reply.attachment.is_some() {
            if let Some(inline) = inline.take() {
                inline.answer(defer);
                deferred = true;
            }
        }
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
                    first_answer(http, to, &mut inline, response, first_by).await
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
                    retrying(later_by(), || to.edit(http, edit.clone())).await
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
                    retrying(later_by(), || to.follow_up(http, followup.clone())).await
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
            if let Err(error) = to.edit(http, done).await {
                tracing::warn!(%error, "a deferral could not be closed");
            }
        }
    }
}

/// Gives an interaction its first answer: into the HTTP response when it
/// came over HTTP, else by the callback route (tried again until `until`).
async fn first_answer(
    http: &Http,
    to: Responder<'_>,
    inline: &mut Option<Inline>,
    response: CreateInteractionResponse,
    until: tokio::time::Instant,
) -> serenity::Result<()> {
    match inline.take() {
        Some(inline) => {
            inline.answer(response);
            Ok(())
        }
        None => retrying(until, || to.create(http, response.clone())).await,
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

    async fn create(self, http: &Http, response: CreateInteractionResponse) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.create_response(http, response).await,
            Responder::Press(p) => p.create_response(http, response).await,
        }
    }

    async fn edit(self, http: &Http, edit: EditInteractionResponse) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.edit_response(http, edit).await.map(drop),
            Responder::Press(p) => p.edit_response(http, edit).await.map(drop),
        }
    }

    async fn follow_up(self, http: &Http, followup: CreateInteractionResponseFollowup) -> serenity::Result<()> {
        match self {
            Responder::Command(c) => c.create_followup(http, followup).await.map(drop),
            Responder::Press(p) => p.create_followup(http, followup).await.map(drop),
        }
    }
}
