//! How the core writes to a platform, in its terms and its language:
//! refusals and the usage with them, examples, and the words for where a
//! community meets.

use super::{Cx, Env, Failure};
use crate::catalogue::{self, CommandSpec};
use crate::fit::Fit;
use crate::i18n::{Arg, Locale, Msg};
use crate::reply::{Reply, Span};
use crate::store::Community;

/// Refuses to bind (or resume) a chat the bot cannot post in, naming
/// what it lacks: announcements there would be lost.
pub(crate) fn check_can_post(cx: &Cx<'_>) -> Result<(), Failure> {
    let lacks = &cx.inbound.bot_lacks;
    if lacks.is_empty() {
        return Ok(());
    }
    let permissions = lacks.join(", ");
    Err(cx.refuse(vec![cx.t(
        Msg::BotLacksPermissions,
        vec![("permissions", Arg::strong(permissions))],
    )]))
}

/// A channel of a server whose community exists: an admin joins it to
/// that community with one button (`/setup join`, no code needed).
pub(crate) fn offer_server_community(env: &Env<'_>, community: &Community) -> Failure {
    let mut reply =
        Reply::to_caller().line(env.t(Msg::NotBoundInServer, vec![("community", Arg::strong(&community.name))]));
    let label = env.text(
        Msg::JoinServerCommunity,
        vec![("community", Arg::text(&community.name))],
    );
    reply.buttons.push(crate::reply::Button::new(label, "/setup join"));
    Failure::User(reply)
}

/// `/setup` in a private chat: it belongs where the community meets.
pub(crate) fn setup_in_private(cx: &Cx<'_>) -> Failure {
    cx.refuse(vec![
        cx.t(Msg::SetupInPrivate, vec![("place", cx.meeting_place(cx.chat.platform))])
    ])
}

/// A command's usage as the platform takes it: options by name where
/// commands are typed as options (Discord), else the text grammar in the
/// language being written in.
pub(crate) fn usage_on(spec: &CommandSpec, platform: crate::Platform, locale: Locale) -> String {
    if platform.has_typed_options() {
        spec.options_usage()
    } else {
        spec.usage_in(locale)
    }
}

/// A command's example as the platform takes it (see [`usage_on`]).
pub(crate) fn example_on(spec: &CommandSpec, platform: crate::Platform, locale: Locale) -> String {
    if platform.has_typed_options() {
        spec.options_example()
    } else {
        spec.example_in(locale)
    }
}

/// How a chat is set up, as the platform takes the command.
pub(crate) fn setup_example(platform: crate::Platform) -> &'static str {
    if platform.has_typed_options() {
        "/setup name:Utrecht Coworkers zone:Europe/Amsterdam"
    } else {
        catalogue::find_path("setup").map_or("/setup", |s| s.example)
    }
}

/// How a chat that is not set up begins: a new community, or joining one.
pub(crate) fn welcome_unbound_args(platform: crate::Platform) -> Vec<(&'static str, Arg)> {
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
pub(crate) fn space_add_example(platform: crate::Platform) -> &'static str {
    if platform.has_typed_options() {
        "/space add slug:cafe-noord"
    } else {
        "/space add cafe-noord"
    }
}

/// Why two people should talk; `none` when no tag of theirs meets.
pub(crate) fn reasons(env: &Env<'_>, fit: &Fit, none: Msg) -> Vec<Span> {
    let join = |tags: &[crate::domain::Tag]| Arg::text(tags.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", "));
    let mut parts = Vec::new();
    if !fit.help_my_focus.is_empty() {
        parts.push(env.t(Msg::ReasonHelpsFocus, vec![("tags", join(&fit.help_my_focus))]));
    }
    if !fit.help_their_focus.is_empty() {
        parts.push(env.t(Msg::ReasonTheirFocus, vec![("tags", join(&fit.help_their_focus))]));
    }
    if !fit.they_help_me.is_empty() {
        parts.push(env.t(Msg::ReasonTheyHelp, vec![("tags", join(&fit.they_help_me))]));
    }
    if !fit.i_help_them.is_empty() {
        parts.push(env.t(Msg::ReasonYouHelp, vec![("tags", join(&fit.i_help_them))]));
    }
    if !fit.shared.is_empty() {
        parts.push(env.t(Msg::ReasonShared, vec![("tags", join(&fit.shared))]));
    }
    if parts.is_empty() {
        return env.t(none, vec![]);
    }
    let separator = env.t(Msg::ReasonSeparator, vec![]);
    let mut out = Vec::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.extend(separator.clone());
        }
        out.extend(part);
    }
    out
}
