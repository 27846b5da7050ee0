//! How the core writes to a platform, in its terms and its language:
//! refusals and the usage with them, examples, and the words for where a
//! community meets.

use super::{Ctx, Failure, LOCALE};
use crate::catalogue::{self, CommandSpec};
use crate::command::ParseError;
use crate::domain::ArgError;
use crate::i18n::{Arg, Locale, Msg};
use crate::reply::{Reply, Span};
use crate::store::Community;
use crate::Core;

impl Core {
    /// Refuses to bind (or resume) a chat the bot cannot post in, naming
    /// what it lacks: announcements there would be lost.
    pub(super) fn check_can_post(&self, ctx: &Ctx<'_>) -> Result<(), Failure> {
        let lacks = &ctx.inbound.bot_lacks;
        if lacks.is_empty() {
            return Ok(());
        }
        let permissions = lacks.join(", ");
        Err(self.refuse(vec![self.t(
            Msg::BotLacksPermissions,
            vec![("permissions", Arg::strong(permissions))],
        )]))
    }

    /// Where a community meets, in the platform's words: its group
    /// (Telegram, the console), its channel (Discord).
    pub(super) fn meeting_place(&self, platform: crate::Platform) -> Arg {
        let place = if platform.has_typed_options() {
            Msg::PlaceChannel
        } else {
            Msg::PlaceGroup
        };
        Arg::text(self.text(place, vec![]))
    }

    /// A refusal: shown to the caller only.
    pub(super) fn refuse(&self, lines: Vec<Vec<Span>>) -> Failure {
        let mut reply = Reply::to_caller();
        for line in lines {
            reply.push_line(line);
        }
        Failure::User(reply)
    }

    /// What was wrong, how to put it right, and the usage with one example:
    /// the mistake's own when it has one, else the catalogue's.
    pub(super) fn bad_args(&self, spec: &CommandSpec, error: ArgError, platform: crate::Platform) -> Reply {
        let reply = self.arg_error(error.problem, error.hint);
        // The mistake's own example is text; with typed options, the form's.
        let example = match error.example {
            Some(example) if !platform.has_typed_options() => example,
            _ => example_on(spec, platform),
        };
        reply.line(self.t(
            Msg::BadArgsUsage,
            vec![
                ("usage", Arg::code(usage_on(spec, platform))),
                ("example", Arg::code(example)),
            ],
        ))
    }

    pub(super) fn arg_error(&self, problem: crate::i18n::Text, hint: Option<crate::i18n::Text>) -> Reply {
        let mut reply = Reply::to_caller().line(problem.spans(self.locale()));
        if let Some(hint) = hint {
            reply.push_line(hint.spans(self.locale()));
        }
        reply
    }

    pub(super) fn parse_error(&self, error: ParseError, platform: crate::Platform) -> Reply {
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

    pub(super) fn community<'c>(&self, ctx: &'c Ctx<'_>) -> Result<&'c Community, Failure> {
        ctx.community.as_ref().ok_or_else(|| {
            if let Some(of_server) = &ctx.server_community {
                return self.offer_server_community(of_server);
            }
            let msg = if ctx.chat.private {
                self.t(
                    Msg::NotBoundPrivate,
                    vec![("place", self.meeting_place(ctx.chat.platform))],
                )
            } else {
                self.t(
                    Msg::NotBound,
                    vec![("example", Arg::code(setup_example(ctx.chat.platform)))],
                )
            };
            self.refuse(vec![msg])
        })
    }

    /// A channel of a server whose community exists: an admin joins it to
    /// that community with one button (`/setup join`, no code needed).
    pub(super) fn offer_server_community(&self, community: &Community) -> Failure {
        let mut reply =
            Reply::to_caller().line(self.t(Msg::NotBoundInServer, vec![("community", Arg::strong(&community.name))]));
        let label = self.text(
            Msg::JoinServerCommunity,
            vec![("community", Arg::text(&community.name))],
        );
        reply.buttons.push(crate::reply::Button::new(label, "/setup join"));
        Failure::User(reply)
    }

    /// `/setup` in a private chat: it belongs where the community meets.
    pub(super) fn setup_in_private(&self, ctx: &Ctx<'_>) -> Failure {
        self.refuse(vec![self.t(
            Msg::SetupInPrivate,
            vec![("place", self.meeting_place(ctx.chat.platform))],
        )])
    }
}

/// A command's usage as the platform takes it: options by name where
/// commands are typed as options (Discord), else the text grammar in the
/// language being written in.
pub(super) fn usage_on(spec: &CommandSpec, platform: crate::Platform) -> String {
    if platform.has_typed_options() {
        spec.options_usage()
    } else {
        spec.usage_in(current_locale())
    }
}

/// A command's example as the platform takes it (see [`usage_on`]).
pub(super) fn example_on(spec: &CommandSpec, platform: crate::Platform) -> String {
    if platform.has_typed_options() {
        spec.options_example()
    } else {
        spec.example_in(current_locale())
    }
}

/// The language being written in (see [`LOCALE`]), English outside one.
pub(super) fn current_locale() -> Locale {
    LOCALE.try_with(|locale| *locale).unwrap_or(Locale::En)
}

/// How a chat is set up, as the platform takes the command.
pub(super) fn setup_example(platform: crate::Platform) -> &'static str {
    if platform.has_typed_options() {
        "/setup name:Utrecht Coworkers zone:Europe/Amsterdam"
    } else {
        catalogue::find_path("setup").map_or("/setup", |s| s.example)
    }
}

/// How a chat that is not set up begins: a new community, or joining one.
pub(super) fn welcome_unbound_args(platform: crate::Platform) -> Vec<(&'static str, Arg)> {
    let join = if platform.has_typed_options() {
        "/setup join:ABCD-2345"
    } else {
        "/setup join ABCD-2345"
    };
    vec![
        ("example", Arg::code(setup_example(platform))),
        ("join", Arg::code(join)),
    ]
}

/// How a space is added, as the platform takes the command.
pub(super) fn space_add_example(platform: crate::Platform) -> &'static str {
    if platform.has_typed_options() {
        "/space add slug:cafe-noord"
    } else {
        "/space add cafe-noord"
    }
}
