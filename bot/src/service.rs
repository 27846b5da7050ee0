//! The core: takes a request from any adapter, decides, and answers with a
//! platform-neutral [`Reply`]. Nothing here knows a database or a chat platform.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tracing::instrument;

use crate::admins::{ChatAdminPorts, ChatAdmins};
use crate::catalogue::{self, Access, CommandSpec};
use crate::clock::Clock;
use crate::command::{self, Action, CheckinDetails, CheckinInput, ParseError, Parsed, Place, SpaceAddArgs, TagsChange};
use crate::domain::{ArgError, MemberHandle, MemberId, SpaceSlug, Tags, Zone};
use crate::fit::Fit;
use crate::i18n::{spans, Arg, Locale, Msg};
use crate::localtime;
use crate::reply::{Handle, MemberCard, Reply, Span};
use crate::store::{
    ChatKey, CheckinOutcome, Community, Identity, NewCheckin, NewSpace, Presence, ProfileChange, Space, Store,
    StoreError,
};
use crate::suggest::closest;

pub mod pairing;
mod seats;

/// How many people a check-in reply suggests meeting.
pub const SUGGESTIONS: usize = 3;

/// Settings the core reads.
#[derive(Debug, Clone, Copy)]
pub struct CoreSettings {
    pub locale: Locale,
    /// The zone of a community set up without naming one.
    pub default_zone: Zone,
}

impl Default for CoreSettings {
    fn default() -> Self {
        CoreSettings {
            locale: Locale::En,
            default_zone: Zone::UTC,
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

/// What the core knows about the caller while it handles one command.
struct Ctx<'a> {
    /// The catalogue entry of the command being handled.
    spec: &'static CommandSpec,
    chat: &'a ChatKey,
    caller: &'a Caller,
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
        }
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
        match command::parse_command(&request.text) {
            Ok(parsed) => self.handle(&request.chat, &request.caller, parsed).await,
            Err(error) => {
                // Bad input is answered in the language of the chat's community.
                let locale = match self.arrive(&request.chat, &request.caller).await {
                    Ok(arrival) => self.locale_of(arrival.community.as_ref()),
                    Err(_) => self.settings.locale,
                };
                LOCALE.scope(locale, async { self.parse_error(error) }).await
            }
        }
    }

    /// The language of `community`'s replies: its own choice, else the bot's.
    fn locale_of(&self, community: Option<&Community>) -> Locale {
        community.and_then(|c| c.locale).unwrap_or(self.settings.locale)
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
    #[instrument(skip_all, fields(platform = %chat.platform, chat = %chat.chat_id, user = %caller.user_id, command = parsed.spec.path))]
    pub async fn handle(&self, chat: &ChatKey, caller: &Caller, parsed: Parsed) -> Reply {
        let arrival = match self.arrive(chat, caller).await {
            Ok(arrival) => arrival,
            Err(error) => return self.answer(Err(error.into())),
        };
        let locale = self.locale_of(arrival.community.as_ref());
        LOCALE
            .scope(locale, async {
                self.answer(self.run(chat, caller, arrival, parsed).await)
            })
            .await
    }

    fn answer(&self, outcome: Outcome) -> Reply {
        match outcome {
            Ok(reply) | Err(Failure::User(reply)) => reply,
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
        chat: &ChatKey,
        caller: &Caller,
        arrival: crate::store::Arrival,
        Parsed { spec, action: command }: Parsed,
    ) -> Outcome {
        let now = self.clock.now();
        let ctx = Ctx {
            spec,
            chat,
            caller,
            now,
            member: arrival.member,
            recorded_admin: arrival.is_admin,
            community: arrival.community,
        };
        // Writing in a private chat opens it: what was held for the member on
        // this platform goes out now (unless `/inbox` hands it over itself).
        if chat.private && command != Action::Inbox {
            let released = self.store.release_held(ctx.member, chat.platform, now).await?;
            if released > 0 {
                tracing::info!(released, "held private messages released");
            }
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
            Action::Start => self.start(&ctx),
            Action::Inbox => self.inbox(&ctx).await,
            Action::Help { topic } => Ok(self.help(topic.as_deref())),
            Action::Setup { zone, name } => self.setup(&ctx, zone, &name).await,
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
            Action::Approve { request } => self.decide(&ctx, request, true, None).await,
            Action::Decline { request, reason } => self.decide(&ctx, request, false, Some(reason)).await,
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
        for chat in self.store.community_chats(community.id).await? {
            if chat.platform == ctx.chat.platform && self.ask_chat_admin(&chat, ctx).await? == Some(true) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    async fn ask_chat_admin(&self, chat: &ChatKey, ctx: &Ctx<'_>) -> Result<Option<bool>, Failure> {
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
        Reply::to_chat()
            .line(self.t(msg, args))
            .plain_text(crate::domain::Platform::Console)
    }

    /// A refusal: shown to the caller only.
    fn refuse(&self, lines: Vec<Vec<Span>>) -> Failure {
        let mut reply = Reply::to_caller();
        for line in lines {
            reply.push_line(line);
        }
        Failure::User(reply)
    }

    /// What was wrong, how to put it right, and the usage with one example:
    /// the mistake's own when it has one, else the catalogue's.
    fn bad_args(&self, spec: &CommandSpec, error: ArgError) -> Reply {
        let reply = self.arg_error(error.problem, error.hint);
        let example = error.example.unwrap_or_else(|| spec.example.to_string());
        reply.line(self.t(
            Msg::BadArgsUsage,
            vec![("usage", Arg::code(spec.usage)), ("example", Arg::code(example))],
        ))
    }

    fn arg_error(&self, problem: crate::i18n::Text, hint: Option<crate::i18n::Text>) -> Reply {
        let mut reply = Reply::to_caller().line(problem.spans(self.locale()));
        if let Some(hint) = hint {
            reply.push_line(hint.spans(self.locale()));
        }
        reply
    }

    fn parse_error(&self, error: ParseError) -> Reply {
        match error {
            ParseError::NotACommand => Reply::to_caller().line(self.t(Msg::NotACommand, vec![])),
            ParseError::Unknown { name, suggestion } => {
                let mut reply = Reply::to_caller().line(self.t(Msg::UnknownCommand, vec![("name", Arg::text(name))]));
                reply.push_line(match suggestion {
                    Some(s) => self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(format!("/{s}")))]),
                    None => self.t(Msg::SeeHelp, vec![]),
                });
                reply
            }
            ParseError::BadArgs { spec, error } => self.bad_args(spec, error),
            ParseError::BadText(error) => self.arg_error(error.problem, error.hint),
        }
    }

    fn community<'c>(&self, ctx: &'c Ctx<'_>) -> Result<&'c Community, Failure> {
        ctx.community.as_ref().ok_or_else(|| {
            let msg = if ctx.chat.private {
                self.t(Msg::NotBoundPrivate, vec![])
            } else {
                self.t(Msg::NotBound, vec![("example", Arg::code(setup_example()))])
            };
            self.refuse(vec![msg])
        })
    }

    fn space_list_text(&self, spaces: &[Space]) -> String {
        spaces.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The space with that slug, or a refusal that suggests the closest one.
    fn find_space<'s>(&self, spaces: &'s [Space], slug: &SpaceSlug) -> Result<&'s Space, Failure> {
        if let Some(space) = spaces.iter().find(|s| &s.slug == slug) {
            return Ok(space);
        }
        Err(self.unknown_space(spaces, slug.as_str()))
    }

    fn unknown_space(&self, spaces: &[Space], given: &str) -> Failure {
        let mut lines = vec![self.t(Msg::UnknownSpace, vec![("space", Arg::code(given))])];
        if let Some(s) = closest(given, spaces.iter().map(|s| s.slug.as_str())) {
            lines.push(self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(s))]));
        } else if spaces.is_empty() {
            lines.push(self.t(Msg::NoSpaceToCheckIn, vec![("example", Arg::code("/checkin remote"))]));
        } else {
            lines.push(self.t(
                Msg::KnownSpaces,
                vec![("spaces", Arg::text(self.space_list_text(spaces)))],
            ));
        }
        self.refuse(lines)
    }

    fn place_name(&self, spaces: &[Space], space: Option<crate::domain::SpaceId>) -> Arg {
        match space.and_then(|id| spaces.iter().find(|s| s.id == id)) {
            Some(s) => Arg::code(&s.slug),
            None => Arg::text(Msg::PlaceRemote.template(self.locale())),
        }
    }

    fn zone_of(&self, community: &Community, spaces: &[Space], space: Option<crate::domain::SpaceId>) -> Zone {
        space
            .and_then(|id| spaces.iter().find(|s| s.id == id))
            .map_or(community.zone, |s| s.zone)
    }

    fn until_suffix(&self, until: Option<DateTime<Utc>>, zone: Zone) -> Arg {
        match until {
            Some(at) => Arg::Spans(self.t(
                Msg::UntilSuffix,
                vec![("time", Arg::text(localtime::local_time(at, zone.0).format("%H:%M")))],
            )),
            None => Arg::text(""),
        }
    }

    // ----- commands ------------------------------------------------------------

    /// The private messages held for the caller: handed over in a private
    /// chat; elsewhere only a pointer to it, as they are private.
    async fn inbox(&self, ctx: &Ctx<'_>) -> Outcome {
        if !ctx.chat.private {
            let mut reply = Reply::to_caller().line(self.t(Msg::InboxIsPrivate, vec![]));
            reply.buttons.push(crate::reply::Button {
                opens_private_chat: true,
                ..crate::reply::Button::new(Msg::OpenPrivateChat.template(self.locale()), "/start inbox")
            });
            return Ok(reply);
        }
        let held = self.store.take_held(ctx.member, ctx.now).await?;
        if held.is_empty() {
            return Ok(Reply::private().line(self.t(Msg::InboxEmpty, vec![])));
        }
        let mut reply = Reply::private().line(self.t(Msg::InboxTitle, vec![("n", Arg::count(held.len()))]));
        for message in held {
            reply.push_line(vec![Span::Text("—".into())]);
            let message = message.render(self.locale());
            reply.blocks.extend(message.blocks);
            reply.buttons.extend(message.buttons);
        }
        Ok(reply)
    }

    fn start(&self, ctx: &Ctx<'_>) -> Outcome {
        let mut reply = Reply::to_caller().line(self.t(Msg::Welcome, vec![]));
        if ctx.community.is_none() && !ctx.chat.private {
            reply.push_line(self.t(Msg::WelcomeUnbound, vec![("example", Arg::code(setup_example()))]));
        }
        Ok(reply)
    }

    fn help(&self, topic: Option<&str>) -> Reply {
        let Some(topic) = topic else {
            let mut reply = Reply::to_caller().line(self.t(Msg::HelpIntro, vec![]));
            for spec in catalogue::CATALOGUE {
                let entries: Vec<&CommandSpec> = if spec.subcommands.is_empty() {
                    vec![spec]
                } else {
                    spec.subcommands.iter().collect()
                };
                for entry in entries {
                    reply.push_item(self.t(
                        Msg::HelpItem,
                        vec![
                            ("usage", Arg::code(entry.usage)),
                            ("summary", Arg::text(entry.summary_in(self.locale()))),
                        ],
                    ));
                }
            }
            return reply;
        };
        let Some(spec) = catalogue::find(topic) else {
            let mut reply = Reply::to_caller().line(self.t(Msg::HelpUnknown, vec![("name", Arg::text(topic))]));
            reply.push_line(match closest(topic, catalogue::names()) {
                Some(s) => self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(format!("/help {s}")))]),
                None => self.t(Msg::SeeHelp, vec![]),
            });
            return reply;
        };
        let mut reply = Reply::to_caller().line(vec![
            Span::Strong(format!("/{}", spec.name)),
            Span::Text(format!(" — {}", spec.summary_in(self.locale()))),
        ]);
        let entries: Vec<&CommandSpec> = if spec.subcommands.is_empty() {
            vec![spec]
        } else {
            spec.subcommands.iter().collect()
        };
        for entry in entries {
            reply.push_line(self.t(Msg::HelpUsage, vec![("usage", Arg::code(entry.usage))]));
            for arg in entry.args {
                reply.push_item(vec![
                    Span::Code(arg.name.to_string()),
                    Span::Text(format!(": {}", entry.arg_description_in(arg, self.locale()))),
                ]);
            }
            reply.push_line(self.t(Msg::HelpExample, vec![("example", Arg::code(entry.example))]));
            if entry.access == Access::Admin {
                reply.push_line(self.t(Msg::HelpAdminOnly, vec![]));
            }
        }
        reply
    }

    async fn setup(&self, ctx: &Ctx<'_>, zone: Option<Zone>, name: &crate::domain::CommunityName) -> Outcome {
        if ctx.chat.private {
            return Err(self.refuse(vec![self.t(Msg::SetupInPrivate, vec![])]));
        }
        if let Some(community) = &ctx.community {
            return Err(self.refuse(vec![
                self.t(Msg::AlreadyBound, vec![("community", Arg::strong(&community.name))])
            ]));
        }
        if self.ask_chat_admin(ctx.chat, ctx).await? == Some(false) {
            return Err(self.refuse(vec![self.t(Msg::NotChatAdmin, vec![])]));
        }
        let zone = zone.unwrap_or(self.settings.default_zone);
        let community = match self
            .store
            .create_community(ctx.chat, name, zone, ctx.member, ctx.now)
            .await
        {
            Ok(c) => c,
            Err(StoreError::Conflict(_)) => {
                return Err(self.refuse(vec![
                    self.t(Msg::AlreadyBound, vec![("community", Arg::strong(name.as_str()))])
                ]))
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Reply::to_chat()
            .line(self.t(
                Msg::SetupDone,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("zone", Arg::text(community.zone)),
                    ("example", Arg::code("/space add cafe-noord")),
                ],
            ))
            .line(self.t(Msg::SetupAdmin, vec![("who", Arg::Member(ctx.card()))])))
    }

    fn space_details(&self, space: &Space) -> String {
        let mut details = String::new();
        if let Some(n) = space.capacity {
            details.push_str(&self.text(Msg::SpaceCapacity, vec![("n", Arg::count(n))]));
        }
        if space.needs_approval {
            details.push_str(&self.text(Msg::SpaceApproval, vec![]));
        }
        if space.open_profile_required {
            details.push_str(&self.text(Msg::SpaceOpen, vec![]));
        }
        details
    }

    async fn space_add(&self, ctx: &Ctx<'_>, args: SpaceAddArgs) -> Outcome {
        let community = self.community(ctx)?;
        let new = NewSpace {
            zone: args.zone.unwrap_or(community.zone),
            slug: args.slug,
            capacity: args.capacity,
            needs_approval: args.needs_approval,
            open_profile_required: args.open_profile_required,
        };
        match self.store.add_space(community.id, &new, ctx.now).await {
            Ok(space) => Ok(Reply::to_chat().line(self.t(
                Msg::SpaceAdded,
                vec![
                    ("space", Arg::code(&space.slug)),
                    ("zone", Arg::text(space.zone)),
                    ("details", Arg::text(self.space_details(&space))),
                ],
            ))),
            Err(StoreError::Conflict(_)) => {
                Err(self.refuse(vec![self.t(Msg::SpaceExists, vec![("space", Arg::code(&new.slug))])]))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn space_list(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        if spaces.is_empty() {
            return Ok(Reply::to_chat().line(self.t(
                Msg::NoSpaces,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("example", Arg::code("/space add cafe-noord")),
                ],
            )));
        }
        let hosts = self.store.hosts(community.id).await?;
        let mut reply =
            Reply::to_chat().line(self.t(Msg::SpacesTitle, vec![("community", Arg::strong(&community.name))]));
        for space in &spaces {
            let mut line = self.t(
                Msg::SpaceLine,
                vec![
                    ("space", Arg::code(&space.slug)),
                    ("zone", Arg::text(space.zone)),
                    ("details", Arg::text(self.space_details(space))),
                ],
            );
            let space_hosts: Vec<&MemberCard> =
                hosts.iter().filter(|(id, _)| *id == space.id).map(|(_, c)| c).collect();
            if !space_hosts.is_empty() {
                line.extend(self.t(Msg::SpaceHosts, vec![]));
                for (i, host) in space_hosts.into_iter().enumerate() {
                    if i > 0 {
                        line.push(Span::Text(", ".into()));
                    }
                    line.push(Span::Mention(host.clone()));
                }
            }
            reply.push_item(line);
        }
        Ok(reply)
    }

    async fn space_remove(&self, ctx: &Ctx<'_>, slug: &SpaceSlug) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        let space = self.find_space(&spaces, slug)?;
        let told = self.withdraw_space_offers(community, space.id, ctx.now).await?;
        if told > 0 {
            tracing::info!(space = %slug, told, "offers withdrawn with their space");
        }
        match self.store.remove_space(community.id, slug).await {
            Ok(()) => Ok(Reply::to_chat().line(self.t(Msg::SpaceRemoved, vec![("space", Arg::code(slug))]))),
            Err(StoreError::NotFound) => {
                let spaces = self.store.spaces(community.id).await?;
                Err(self.unknown_space(&spaces, slug.as_str()))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn find_member(&self, ctx: &Ctx<'_>, handle: &MemberHandle) -> Result<MemberCard, Failure> {
        let community = self.community(ctx)?;
        let candidates = self.store.find_members(community.id, ctx.chat.platform, handle).await?;
        match crate::members::resolve(handle, ctx.chat.platform, candidates) {
            crate::members::Resolved::One(card) => return Ok(card),
            crate::members::Resolved::Several(cards) => {
                let mut line = self.t(Msg::SeveralMembers, vec![("who", Arg::code(handle))]);
                for (i, card) in cards.into_iter().enumerate() {
                    line.push(Span::Text(if i == 0 { " ".into() } else { ", ".into() }));
                    line.push(Span::Text(format!(
                        "{} ({})",
                        card.plain_name(ctx.chat.platform),
                        card.display_name
                    )));
                }
                return Err(self.refuse(vec![line, self.t(Msg::SeveralMembersHint, vec![])]));
            }
            crate::members::Resolved::Nobody => {}
        }
        let mut lines = vec![self.t(Msg::UnknownMember, vec![("who", Arg::code(handle))])];
        if let MemberHandle::Username(name) = handle {
            let known = self.store.usernames(community.id, ctx.chat.platform).await?;
            if let Some(s) = closest(name, known.iter().map(String::as_str)) {
                lines.push(self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(format!("@{s}")))]));
            }
        }
        Err(self.refuse(lines))
    }

    async fn host(&self, ctx: &Ctx<'_>, handle: &MemberHandle, slug: &SpaceSlug, host: bool) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        let space = self.find_space(&spaces, slug)?;
        let member = self.find_member(ctx, handle).await?;
        let changed = self.store.set_host(space.id, member.id, host).await?;
        let msg = match (host, changed) {
            (true, true) => Msg::HostAdded,
            (true, false) => Msg::HostAlready,
            (false, true) => Msg::HostRemoved,
            (false, false) => Msg::HostNotHost,
        };
        let reply = if changed { Reply::to_chat() } else { Reply::to_caller() };
        Ok(reply.line(self.t(
            msg,
            vec![("who", Arg::Member(member)), ("space", Arg::code(&space.slug))],
        )))
    }

    async fn profile_show(&self, ctx: &Ctx<'_>, change: Option<ProfileChange>) -> Outcome {
        let (profile, saved) = match change {
            Some(change) => (self.store.update_profile(ctx.member, &change).await?, true),
            None => (self.store.profile(ctx.member).await?, false),
        };
        let mut reply = Reply::to_caller();
        if saved {
            reply.push_line(self.t(Msg::ProfileSaved, vec![]));
        }
        reply.push_line(self.t(Msg::ProfileTitle, vec![]));
        let nothing = || Arg::text(Msg::ProfileNothing.template(self.locale()));
        let tags = |t: &Tags| {
            if t.is_empty() {
                nothing()
            } else {
                Arg::text(t)
            }
        };
        reply.push_item(self.t(Msg::ProfileOffers, vec![("tags", tags(&profile.offers))]));
        reply.push_item(self.t(Msg::ProfileWants, vec![("tags", tags(&profile.wants))]));
        let about = if profile.about.is_empty() {
            nothing()
        } else {
            Arg::text(&profile.about)
        };
        reply.push_item(self.t(Msg::ProfileAbout, vec![("text", about)]));
        if profile.offers.is_empty() {
            reply.push_line(self.t(
                Msg::ProfileHint,
                vec![("example", Arg::code("/profile offers rust, pitch decks"))],
            ));
        }
        Ok(reply)
    }

    /// Decides the place of a check-in: the word typed if it names a space, else
    /// the only space, else where the member checked in last.
    async fn checkin_place(
        &self,
        ctx: &Ctx<'_>,
        spaces: &[Space],
        input: CheckinInput,
    ) -> Result<(Option<Place>, CheckinDetails), Failure> {
        let bad = |e| Failure::User(self.bad_args(ctx.spec, e));
        let (place, details) = match input {
            CheckinInput::Decided { place, details } => (place, details),
            CheckinInput::Ambiguous {
                word,
                as_place,
                as_note,
            } => {
                let slug = SpaceSlug::parse(&word).ok();
                if let Some(space) = slug.and_then(|slug| spaces.iter().find(|s| s.slug == slug)) {
                    (Some(Place::Space(space.slug.clone())), as_place.map_err(bad)?)
                } else if let Some(near) = near_miss(&word, spaces) {
                    let mut lines = vec![
                        self.t(Msg::UnknownSpace, vec![("space", Arg::code(&word))]),
                        self.t(Msg::DidYouMean, vec![("suggestion", Arg::code(near))]),
                    ];
                    let note = note_for_example(&word, &as_note);
                    lines.push(self.t(
                        Msg::NoteInQuotes,
                        vec![
                            ("word", Arg::text(&word)),
                            ("example", Arg::code(format!("/checkin \"{note}\""))),
                        ],
                    ));
                    return Err(self.refuse(lines));
                } else {
                    (None, as_note.map_err(bad)?)
                }
            }
        };
        if place.is_some() {
            return Ok((place, details));
        }
        if let [only] = spaces {
            return Ok((Some(Place::Space(only.slug.clone())), details));
        }
        let community = self.community(ctx)?;
        match self.store.last_place(community.id, ctx.member).await? {
            Some(Some(id)) => {
                if let Some(space) = spaces.iter().find(|s| s.id == id) {
                    return Ok((Some(Place::Space(space.slug.clone())), details));
                }
            }
            Some(None) => return Ok((Some(Place::Remote), details)),
            None => {}
        }
        if spaces.is_empty() {
            return Err(self.refuse(vec![
                self.t(Msg::NoSpaceToCheckIn, vec![("example", Arg::code("/checkin remote"))])
            ]));
        }
        Err(self.refuse(vec![
            self.t(
                Msg::WhichSpace,
                vec![("spaces", Arg::text(self.space_list_text(spaces)))],
            ),
            self.t(
                Msg::WhichSpaceExample,
                vec![("example", Arg::code(format!("/checkin {}", spaces[0].slug)))],
            ),
        ]))
    }

    async fn checkin(&self, ctx: &Ctx<'_>, input: CheckinInput) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        let (place, details) = self.checkin_place(ctx, &spaces, input).await?;
        let space = match &place {
            Some(Place::Space(slug)) => Some(self.find_space(&spaces, slug)?.id),
            _ => None,
        };
        let zone = self.zone_of(community, &spaces, space);
        let today = localtime::local_date(ctx.now, zone.0);
        let end_of_day = localtime::end_of_day(today, zone.0);
        let until = match details.until {
            Some(time) => {
                let at = localtime::resolve(today, time.0, zone.0);
                if at <= ctx.now {
                    let later = localtime::local_time(ctx.now + chrono::Duration::hours(1), zone.0);
                    return Err(self.refuse(vec![
                        self.t(
                            Msg::UntilPassed,
                            vec![
                                ("time", Arg::text(time)),
                                ("place", self.place_name(&spaces, space)),
                                ("now", Arg::text(localtime::local_time(ctx.now, zone.0).format("%H:%M"))),
                            ],
                        ),
                        self.t(
                            Msg::UntilPassedHint,
                            vec![("example", Arg::text(later.format("%H:00")))],
                        ),
                    ]));
                }
                Some(at.min(end_of_day))
            }
            None => None,
        };
        let outcome = self
            .store
            .check_in(&NewCheckin {
                community: community.id,
                member: ctx.member,
                space,
                local_date: today,
                now: ctx.now,
                until,
                ends_at: until.unwrap_or(end_of_day),
                note: details.note,
            })
            .await?;
        let msg = match outcome {
            CheckinOutcome::New => Msg::CheckedIn,
            CheckinOutcome::Updated => Msg::CheckedInAgain,
        };
        let mut reply = Reply::to_chat().line(self.t(
            msg,
            vec![
                ("who", Arg::Member(ctx.card())),
                ("place", self.place_name(&spaces, space)),
                ("until", self.until_suffix(until, zone)),
            ],
        ));
        let present = self.store.present(community.id, ctx.now).await?;
        let me = present
            .iter()
            .find(|p| p.member.id == ctx.member)
            .map(|p| p.profile.clone());
        let me = match me {
            Some(profile) => profile,
            None => self.store.profile(ctx.member).await?,
        };
        let mut others: Vec<(Fit, &Presence)> = present
            .iter()
            .filter(|p| p.member.id != ctx.member && p.space == space)
            .map(|p| (Fit::between(&me, &p.profile), p))
            .collect();
        others.sort_by(|(fa, pa), (fb, pb)| {
            fb.score()
                .cmp(&fa.score())
                .then(pa.checked_in_at.cmp(&pb.checked_in_at))
                .then(pa.member.display_name.cmp(&pb.member.display_name))
        });
        if others.is_empty() {
            reply.push_line(self.t(Msg::QuietToday, vec![("place", self.place_name(&spaces, space))]));
        } else {
            reply.push_line(self.t(Msg::MeetTitle, vec![]));
            for (fit, other) in others.into_iter().take(SUGGESTIONS) {
                reply.push_item(self.t(
                    Msg::MeetLine,
                    vec![
                        ("who", Arg::Member(other.member.clone())),
                        ("reasons", Arg::Spans(self.reasons(&fit, Msg::ReasonNone))),
                    ],
                ));
            }
        }
        Ok(reply)
    }

    /// Why two people should talk; `none` when no tag of theirs meets.
    fn reasons(&self, fit: &Fit, none: Msg) -> Vec<Span> {
        let join =
            |tags: &[crate::domain::Tag]| Arg::text(tags.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "));
        let mut parts = Vec::new();
        if !fit.they_help_me.is_empty() {
            parts.push(self.t(Msg::ReasonTheyHelp, vec![("tags", join(&fit.they_help_me))]));
        }
        if !fit.i_help_them.is_empty() {
            parts.push(self.t(Msg::ReasonYouHelp, vec![("tags", join(&fit.i_help_them))]));
        }
        if !fit.shared.is_empty() {
            parts.push(self.t(Msg::ReasonShared, vec![("tags", join(&fit.shared))]));
        }
        if parts.is_empty() {
            return self.t(none, vec![]);
        }
        let separator = self.t(Msg::ReasonSeparator, vec![]);
        let mut out = Vec::new();
        for (i, part) in parts.into_iter().enumerate() {
            if i > 0 {
                out.extend(separator.clone());
            }
            out.extend(part);
        }
        out
    }

    async fn checkout(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        if self.store.check_out(community.id, ctx.member, ctx.now).await? {
            Ok(Reply::to_chat().line(self.t(Msg::CheckedOut, vec![("who", Arg::Member(ctx.card()))])))
        } else {
            Err(self.refuse(vec![self.t(Msg::NotCheckedIn, vec![])]))
        }
    }

    async fn here(&self, ctx: &Ctx<'_>, place: Option<Place>) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        // Which places to show: one asked for, or every space and remote.
        let places: Vec<Option<crate::domain::SpaceId>> = match place {
            Some(Place::Space(slug)) => vec![Some(self.find_space(&spaces, &slug)?.id)],
            Some(Place::Remote) => vec![None],
            None => spaces.iter().map(|s| Some(s.id)).chain([None]).collect(),
        };
        let present = self.store.present(community.id, ctx.now).await?;
        let mut reply = Reply::to_chat();
        for &place in &places {
            let here: Vec<&Presence> = present.iter().filter(|p| p.space == place).collect();
            if here.is_empty() {
                if places.len() == 1 {
                    reply.push_line(self.t(Msg::HereNobody, vec![("place", self.place_name(&spaces, place))]));
                }
                continue;
            }
            let zone = self.zone_of(community, &spaces, place);
            reply.push_line(self.t(Msg::HereTitle, vec![("place", self.place_name(&spaces, place))]));
            for p in here {
                let note = if p.note.is_empty() {
                    Arg::text("")
                } else {
                    Arg::Spans(self.t(Msg::HereNote, vec![("note", Arg::text(&p.note))]))
                };
                let offers = if p.profile.offers.is_empty() {
                    Arg::text("")
                } else {
                    Arg::Spans(self.t(Msg::HereOffers, vec![("tags", Arg::text(&p.profile.offers))]))
                };
                reply.push_item(self.t(
                    Msg::HereLine,
                    vec![
                        ("who", Arg::Member(p.member.clone())),
                        ("until", self.until_suffix(p.until, zone)),
                        ("note", note),
                        ("offers", offers),
                    ],
                ));
            }
        }
        if reply.blocks.is_empty() {
            reply.push_line(self.t(Msg::HereNobodyAnywhere, vec![]));
        }
        Ok(reply)
    }
}

fn tags_of(change: TagsChange) -> Tags {
    match change {
        TagsChange::Set(tags) => tags,
        TagsChange::Clear => Tags::default(),
    }
}

/// The space a first word of `/checkin` surely mistypes, rather than starting
/// a note: one that `/checkin` would suggest anyway, and a word that reads like
/// a slug (a hyphen or a digit), is long enough not to be an ordinary short word
/// (five letters or more), or starts the slug. So "cafe-nord" and "libary" are
/// refused with a suggestion, while "left early" (near "loft") and "lots of
/// calls" are notes.
fn near_miss<'s>(word: &str, spaces: &'s [Space]) -> Option<&'s str> {
    let lowered = word.to_lowercase();
    let suggestion = closest(&lowered, spaces.iter().map(|s| s.slug.as_str()))?;
    let slug_like = lowered.contains(|c: char| c == '-' || c.is_ascii_digit());
    let long = lowered.chars().count() >= 5;
    let prefix = lowered.chars().count() >= 3 && suggestion.starts_with(&lowered);
    (slug_like || long || prefix).then_some(suggestion)
}

/// The note a refused check-in would have had, for the "put it in quotes" example.
fn note_for_example(word: &str, as_note: &Result<CheckinDetails, ArgError>) -> String {
    match as_note {
        Ok(details) if !details.note.is_empty() => details.note.as_str().replace('"', "'"),
        _ => word.to_string(),
    }
}

fn setup_example() -> &'static str {
    catalogue::find_path("setup").map_or("/setup", |s| s.example)
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
