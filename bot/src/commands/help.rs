//! `/start`, `/help` and `/inbox`: what Seatmate is, its commands from the
//! catalogue, and the private messages held for the caller.

use crate::catalogue;
use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::domain::ArgError;
use crate::i18n::{Arg, Msg};
use crate::reply::{Reply, Span};
use crate::service::{Cx, Env, Outcome};
use crate::suggest::closest;

pub(crate) const START: CommandSpec = CommandSpec {
    name: "start",
    path: "start",
    summary: "What Seatmate is and how to begin",
    summary_nl: "Wat Seatmate is en hoe je begint",
    usage: "/start [inbox]",
    example: "/start",
    access: Access::Anyone,
    args: &[ArgSpec {
        name: "inbox",
        kind: ArgKind::Flag,
        keyword: Some("inbox"),
        description: "show the private messages held for you",
        description_nl: "toon de privéberichten die voor je klaarliggen",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_start),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const INBOX: CommandSpec = CommandSpec {
    name: "inbox",
    path: "inbox",
    summary: "Private messages I could not deliver to you yet",
    summary_nl: "Privéberichten die ik je nog niet kon bezorgen",
    usage: "/inbox",
    example: "/inbox",
    access: Access::Anyone,
    grammar: Some(read_inbox),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const HELP: CommandSpec = CommandSpec {
    name: "help",
    path: "help",
    summary: "The commands, or how to use one",
    summary_nl: "De commando's, of hoe je er een gebruikt",
    usage: "/help [<command>]",
    example: "/help checkin",
    access: Access::Anyone,
    args: &[ArgSpec {
        name: "command",
        kind: ArgKind::CommandName,
        description: "a command to explain",
        description_nl: "een commando om uit te leggen",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_help),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_start(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::Start),
        // The deep link that opens the private chat: `t.me/<bot>?start=inbox`.
        [payload] if payload.eq_ignore_ascii_case("inbox") => Ok(Action::Inbox),
        // The deep link a `/link` code comes with: `t.me/<bot>?start=link_<code>`.
        [payload] if payload.starts_with("link_") => Ok(Action::Link(Some(payload["link_".len()..].to_string()))),
        _ => Err(ArgError::new(Msg::StartArgs).with("got", args.trim())),
    }
}

fn read_inbox(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Inbox)
}

/// `/help space add` (or `/help /space add`): the topic is the command's
/// path, a group's subcommand included.
fn read_help(args: &str, _: Source) -> Result<Action, ArgError> {
    let topic = words(args.trim().trim_start_matches('/')).join(" ").to_lowercase();
    Ok(Action::Help {
        topic: (!topic.is_empty()).then_some(topic),
    })
}

handlers!(|cx| {
    Action::Start => start(cx),
    Action::Inbox => inbox(cx),
    // `/start link_<code>`: the deep link a `/link` code comes with.
    Action::Link(code) => crate::commands::account::link(cx, code.as_deref()),
    Action::Help { topic } => async { help_for(cx, topic.as_deref()) },
});

/// The private messages held for the caller: handed over in a private
/// chat, or where a reply can be seen by the caller alone (Discord's
/// ephemeral replies); elsewhere only a pointer to the private chat.
pub(crate) async fn inbox(cx: &Cx<'_>) -> Outcome {
    let seen_by_caller_alone = cx.chat.private || cx.chat.platform.has_ephemeral_replies();
    if !seen_by_caller_alone {
        let mut reply = Reply::to_caller().line(cx.t(Msg::InboxIsPrivate, vec![]));
        reply.buttons.push(crate::reply::Button {
            opens_private_chat: true,
            ..crate::reply::Button::new(Msg::OpenPrivateChat.template(cx.locale), "/start inbox")
        });
        return Ok(reply);
    }
    // In a shared chat, for the caller's eyes only (ephemeral).
    let mut reply = if cx.chat.private {
        Reply::private()
    } else {
        Reply::to_caller()
    };
    let held = cx.store.take_held(cx.member, cx.now).await?;
    if held.is_empty() {
        return Ok(reply.line(cx.t(Msg::InboxEmpty, vec![])));
    }
    reply.push_line(cx.t(Msg::InboxTitle, vec![("n", Arg::count(held.len()))]));
    crate::notice::append_each(&mut reply, &held, cx.locale);
    Ok(reply)
}

pub(crate) async fn start(cx: &Cx<'_>) -> Outcome {
    let mut reply = Reply::to_caller().line(cx.t(Msg::Welcome, vec![]));
    if cx.community.is_none() && !cx.chat.private {
        reply.push_line(cx.t(
            Msg::WelcomeUnbound,
            crate::service::wording::welcome_unbound_args(cx.chat.platform),
        ));
    }
    // Alone with the bot and in no community yet: where it lives.
    if cx.chat.private && cx.community.is_none() && cx.store.member_communities(cx.member).await?.is_empty() {
        let how = match cx.chat.platform {
            crate::Platform::Telegram => Msg::StartAloneTelegram,
            crate::Platform::Discord => Msg::StartAloneDiscord,
            crate::Platform::Console => Msg::NotBoundPrivate,
        };
        let bot = cx
            .telegram_bot
            .get()
            .map_or("Seatmate".to_string(), |b| format!("@{b}"));
        reply.push_line(cx.t(
            how,
            vec![
                ("bot", Arg::text(bot)),
                (
                    "example",
                    Arg::code(crate::service::wording::setup_example(cx.chat.platform)),
                ),
                ("place", cx.meeting_place(cx.chat.platform)),
            ],
        ));
    }
    Ok(reply)
}

/// `/help`: in a group where everyone sees the answer (Telegram), the
/// commands members use there, admin ones only for admins, and a pointer
/// to the full list in private; elsewhere (a private chat, Discord's
/// ephemeral answers) every command.
pub(crate) fn help_for(cx: &Cx<'_>, topic: Option<&str>) -> Outcome {
    let seen_by_all = !cx.chat.private && !cx.chat.platform.has_ephemeral_replies();
    if topic.is_some() || !seen_by_all || cx.community.is_none() {
        return Ok(help(cx, topic, cx.chat.platform));
    }
    // Admins recorded by the community; asking the platform for every
    // /help would cost a call (chat admins have their own command menu).
    let admin = cx.recorded_admin;
    let mut reply = Reply::to_caller().line(cx.t(Msg::HelpIntro, vec![]));
    let shown = catalogue::leaves().filter(|entry| match entry.access {
        Access::Member => true,
        Access::Host | Access::Admin | Access::ChatAdmin => admin,
        // Start, inbox, links and one's data belong in the private chat.
        Access::Anyone => false,
    });
    for entry in shown {
        reply.push_item(cx.t(
            Msg::HelpItem,
            vec![
                (
                    "usage",
                    Arg::code(crate::service::wording::usage_on(entry, cx.chat.platform, cx.locale)),
                ),
                ("summary", Arg::text(entry.summary_in(cx.locale))),
            ],
        ));
    }
    reply.push_line(cx.t(Msg::HelpMoreInPrivate, vec![]));
    Ok(reply)
}

pub(crate) fn help(env: &Env<'_>, topic: Option<&str>, platform: crate::Platform) -> Reply {
    let Some(topic) = topic else {
        let mut reply = Reply::to_caller().line(env.t(Msg::HelpIntro, vec![]));
        for entry in catalogue::leaves() {
            reply.push_item(env.t(
                Msg::HelpItem,
                vec![
                    (
                        "usage",
                        Arg::code(crate::service::wording::usage_on(entry, platform, env.locale)),
                    ),
                    ("summary", Arg::text(entry.summary_in(env.locale))),
                ],
            ));
        }
        return reply;
    };
    let (name, sub) = match topic.split_once(' ') {
        Some((name, sub)) => (name, Some(sub)),
        None => (topic, None),
    };
    let Some(spec) = catalogue::find(name) else {
        let mut reply = Reply::to_caller().line(env.t(Msg::HelpUnknown, vec![("name", Arg::text(topic))]));
        reply.push_line(match closest(name, catalogue::names()) {
            Some(s) => env.t(Msg::DidYouMean, vec![("suggestion", Arg::code(format!("/help {s}")))]),
            None => env.t(Msg::SeeHelp, vec![]),
        });
        return reply;
    };
    let mut reply = Reply::to_caller().line(vec![
        Span::Strong(format!("/{}", spec.name)),
        Span::Text(format!(" — {}", spec.summary_in(env.locale))),
    ]);
    // One subcommand when it is named (`/help space add`), else all.
    let entries = match sub.and_then(|sub| catalogue::find_menu(name, Some(sub))) {
        Some(entry) => std::slice::from_ref(entry),
        None => spec.leaves(),
    };
    for entry in entries {
        reply.push_line(env.t(
            Msg::HelpUsage,
            vec![(
                "usage",
                Arg::code(crate::service::wording::usage_on(entry, platform, env.locale)),
            )],
        ));
        for arg in entry.args {
            reply.push_item(vec![
                Span::Code(arg.name.to_string()),
                Span::Text(format!(": {}", entry.arg_description_in(arg, env.locale))),
            ]);
        }
        reply.push_line(env.t(
            Msg::HelpExample,
            vec![(
                "example",
                Arg::code(crate::service::wording::example_on(entry, platform, env.locale)),
            )],
        ));
        if entry.access == Access::Admin {
            reply.push_line(env.t(Msg::HelpAdminOnly, vec![]));
        }
    }
    reply
}
