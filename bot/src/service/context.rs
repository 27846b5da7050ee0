//! What a handler works with, passed explicitly: [`Env`] (the ports and the
//! language being written in) and, for one command, [`Cx`] (who asked, where,
//! when, for which community). No task-local state: a notice rendered inside
//! a store transaction takes its language from the context it was given.

use chrono::{DateTime, Utc};

use super::{CoreSettings, Failure};
use crate::admins::ChatAdminPorts;
use crate::catalogue::CommandSpec;
use crate::clock::Clock;
use crate::command::ParseError;
use crate::domain::{ArgError, MemberId};
use crate::i18n::{spans, Arg, Locale, Msg, Text, Tr};
use crate::reply::{Handle, MemberCard, Reply, Span};
use crate::store::{Arrival, ChatKey, Community, Identity, Store, StoreError};
use crate::{Caller, Inbound};

/// The ports every handler may use, and the language it writes in.
#[derive(Clone, Copy)]
pub(crate) struct Env<'a> {
    pub store: &'a dyn Store,
    pub clock: &'a dyn Clock,
    pub settings: &'a CoreSettings,
    pub chat_admins: &'a ChatAdminPorts,
    /// The Telegram bot's username, once known (for `/link` deep links).
    pub telegram_bot: &'a std::sync::OnceLock<String>,
    /// The language being written in: the community's, or the caller's own
    /// for an answer to them alone (see `dispatch::reply_locale`).
    pub locale: Locale,
}

/// How a command arrived: typed (or a slash command's options), or by a
/// press of one of the bot's buttons. What is irreversible counts only as
/// a press; a press of a button for something gone says what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Typed,
    Button,
}

/// One command being handled: the environment, and what is known about its
/// caller. It derefs to its [`Env`], so a handler reads `cx.store`.
#[derive(Clone)]
pub(crate) struct Cx<'a> {
    pub env: Env<'a>,
    pub via: Via,
    /// The catalogue entry of the command being handled.
    pub spec: &'static CommandSpec,
    pub chat: &'a ChatKey,
    pub caller: &'a Caller,
    /// What the platform said with the command (its server, title, the
    /// bot's missing permissions, an anonymous admin, the message's id).
    pub inbound: &'a Inbound,
    /// For a chat of no community: the community of its server, if any.
    pub server_community: Option<Community>,
    pub now: DateTime<Utc>,
    pub member: MemberId,
    pub community: Option<Community>,
    /// Recorded as an admin of the community (its creator, for instance);
    /// chat admins are asked of the platform only when a rule needs it.
    pub recorded_admin: bool,
}

impl<'a> std::ops::Deref for Cx<'a> {
    type Target = Env<'a>;

    fn deref(&self) -> &Env<'a> {
        &self.env
    }
}

impl<'a> Env<'a> {
    /// The ports of `core`, writing in `locale`.
    pub fn of(core: &'a super::Core, locale: Locale) -> Self {
        Env {
            store: core.store.as_ref(),
            clock: core.clock.as_ref(),
            settings: &core.settings,
            chat_admins: &core.chat_admins,
            telegram_bot: &core.telegram_bot,
            locale,
        }
    }

    /// The ports of `core`, writing in the bot's language (`bot.locale`):
    /// before a community is known, and for what no community chose.
    pub fn of_bot(core: &'a super::Core) -> Self {
        Env::of(core, core.settings.locale)
    }

    /// A renderer in the language being written in.
    pub fn tr(&self) -> Tr {
        Tr(self.locale)
    }

    pub fn t(&self, msg: Msg, args: Vec<(&str, Arg)>) -> Vec<Span> {
        spans(self.locale, msg, args)
    }

    pub fn text(&self, msg: Msg, args: Vec<(&str, Arg)>) -> String {
        self.tr().text(msg, args)
    }

    /// The same ports, writing in `locale`.
    pub fn in_locale(&self, locale: Locale) -> Self {
        Env { locale, ..*self }
    }

    /// The same ports, writing in `community`'s language: what is written
    /// for its chats or for members other than the caller.
    pub fn for_community(&self, community: &Community) -> Self {
        self.in_locale(self.locale_of(Some(community)))
    }

    /// The language of `community`'s replies: its own choice, else the bot's.
    pub fn locale_of(&self, community: Option<&Community>) -> Locale {
        community.and_then(|c| c.locale).unwrap_or(self.settings.locale)
    }

    /// Records that the caller spoke in the chat; who they are there.
    pub async fn arrive(&self, chat: &ChatKey, caller: &Caller) -> Result<Arrival, StoreError> {
        let identity = Identity {
            platform: chat.platform,
            user_id: caller.user_id.clone(),
            display_name: crate::domain::clean_name(&caller.display_name),
            username: caller.username.as_deref().map(crate::domain::clean_name),
        };
        self.store.enter(chat, &identity, self.clock.now()).await
    }

    /// A refusal: shown to the caller only.
    pub fn refuse(&self, lines: Vec<Vec<Span>>) -> Failure {
        let mut reply = Reply::to_caller();
        for line in lines {
            reply.push_line(line);
        }
        Failure::User(reply)
    }

    /// Where a community meets, in the platform's words: its group
    /// (Telegram, the console), its channel (Discord).
    pub fn meeting_place(&self, platform: crate::Platform) -> Arg {
        let place = if platform.has_typed_options() {
            Msg::PlaceChannel
        } else {
            Msg::PlaceGroup
        };
        Arg::text(self.text(place, vec![]))
    }

    /// What was wrong, how to put it right, and the usage with one example:
    /// the mistake's own when it has one, else the catalogue's.
    pub fn bad_args(&self, spec: &CommandSpec, error: ArgError, platform: crate::Platform) -> Reply {
        let reply = self.arg_error(error.problem, error.hint);
        // The mistake's own example is text; with typed options, the form's.
        let example = match error.example {
            Some(example) if !platform.has_typed_options() => example,
            _ => super::example_on(spec, platform, self.locale),
        };
        reply.line(self.t(
            Msg::BadArgsUsage,
            vec![
                ("usage", Arg::code(super::usage_on(spec, platform, self.locale))),
                ("example", Arg::code(example)),
            ],
        ))
    }

    pub fn arg_error(&self, problem: Text, hint: Option<Text>) -> Reply {
        let mut reply = Reply::to_caller().line(problem.spans(self.locale));
        if let Some(hint) = hint {
            reply.push_line(hint.spans(self.locale));
        }
        reply
    }

    pub fn parse_error(&self, error: ParseError, platform: crate::Platform) -> Reply {
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
            ParseError::BadArgs { spec, error } => self.bad_args(spec, error, platform),
            ParseError::BadText(error) => self.arg_error(error.problem, error.hint),
        }
    }
}

impl Cx<'_> {
    /// The same command, answered in `locale` (a language just chosen).
    pub fn in_locale(&self, locale: Locale) -> Self {
        Cx {
            env: self.env.in_locale(locale),
            ..self.clone()
        }
    }

    /// The caller as a card to show.
    pub fn card(&self) -> MemberCard {
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

    /// The caller's community, or the refusal that says how to get one.
    pub fn community(&self) -> Result<&Community, Failure> {
        self.community.as_ref().ok_or_else(|| {
            if let Some(of_server) = &self.server_community {
                return super::offer_server_community(self, of_server);
            }
            let msg = if self.chat.private {
                self.t(
                    Msg::NotBoundPrivate,
                    vec![("place", self.meeting_place(self.chat.platform))],
                )
            } else {
                self.t(
                    Msg::NotBound,
                    vec![("example", Arg::code(super::setup_example(self.chat.platform)))],
                )
            };
            self.refuse(vec![msg])
        })
    }

    /// An admin of the caller's community: recorded as one, or an admin of
    /// the chat the command came from (in a private chat: of one of the
    /// community's chats on that platform), as the platform says.
    pub async fn is_admin(&self) -> Result<bool, Failure> {
        if self.recorded_admin {
            return Ok(true);
        }
        if !self.chat_admins.knows(self.chat.platform) {
            return Ok(false);
        }
        if !self.chat.private {
            return Ok(self.ask_chat_admin(self.chat).await? == Some(true));
        }
        let Some(community) = &self.community else {
            return Ok(false);
        };
        if !self.chat_admins.answers_from_elsewhere(self.chat.platform) {
            return Err(self.refuse(vec![self.t(
                Msg::AdminInChannel,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("command", Arg::code(format!("/{}", self.spec.path))),
                ],
            )]));
        }
        for chat in self.store.community_chats(community.id).await? {
            if chat.platform == self.chat.platform && self.ask_chat_admin(&chat).await? == Some(true) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    pub async fn ask_chat_admin(&self, chat: &ChatKey) -> Result<Option<bool>, Failure> {
        if self.inbound.anonymous_admin && chat == self.chat {
            return Ok(Some(true));
        }
        self.chat_admins
            .ask(chat, &self.caller.user_id, self.now)
            .await
            .map_err(|error| {
                tracing::warn!(%error, "the platform could not say who administers the chat");
                self.refuse(vec![self.t(Msg::AdminCheckFailed, vec![])])
            })
    }

    /// Records the chat's server and title, as the platform gave them.
    pub async fn note_chat(&self) -> Result<(), StoreError> {
        let (server, title) = (self.inbound.server.as_deref(), self.inbound.chat_title.as_deref());
        if server.is_some() || title.is_some() {
            self.store.note_chat(self.chat, server, title).await?;
        }
        Ok(())
    }
}
