//! One community, many chats: `/invite` gives a one-time code, `/setup join
//! <code>` binds another chat (on either platform) with it, `/chats` lists
//! them and `/unbind` releases one (never the last).

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::codes::{self, Purpose};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::domain::{ArgError, CommunityName, Zone};
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::wording::{check_can_post, offer_server_community, setup_example, setup_in_private};
use crate::service::{Cx, Failure, Outcome};
use crate::store::{BindOutcome, CodeOwner, Community, UnbindOutcome};

pub(crate) const SETUP: CommandSpec = CommandSpec {
    name: "setup",
    path: "setup",
    summary: "Start a community in this chat, or bind it to one with a code",
    summary_nl: "Start een community in deze chat, of koppel hem met een code aan een bestaande",
    usage: "/setup [<time zone>] <community name…>, or /setup join <code>",
    example: "/setup Europe/Amsterdam Utrecht Coworkers",
    access: Access::ChatAdmin,
    args: &[
        ArgSpec {
            name: "join",
            kind: ArgKind::Code,
            keyword: Some("join"),
            description: "bind this chat to an existing community: the code from /invite there",
            description_nl: "koppel deze chat aan een bestaande community: de code van /invite daar",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "zone",
            kind: ArgKind::Zone,
            description: "the community's IANA time zone (default: the bot's setting)",
            description_nl: "de IANA-tijdzone van de community (standaard: die van de bot)",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "name",
            kind: ArgKind::Text,
            description: "the new community's name",
            description_nl: "de naam van de nieuwe community",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_setup),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const INVITE: CommandSpec = CommandSpec {
    name: "invite",
    path: "invite",
    summary: "A one-time code to bind another chat (Telegram or Discord) to this community",
    summary_nl: "Een eenmalige code om nog een chat (Telegram of Discord) aan deze community te koppelen",
    usage: "/invite",
    example: "/invite",
    access: Access::Admin,
    grammar: Some(read_invite),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const CHATS: CommandSpec = CommandSpec {
    name: "chats",
    path: "chats",
    summary: "The chats bound to this community, on every platform",
    summary_nl: "De chats van deze community, op elk platform",
    usage: "/chats",
    example: "/chats",
    access: Access::Admin,
    grammar: Some(read_chats),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const UNBIND: CommandSpec = CommandSpec {
    name: "unbind",
    path: "unbind",
    summary: "Release this chat from the community (never its last chat)",
    summary_nl: "Maak deze chat los van de community (nooit de laatste)",
    usage: "/unbind",
    example: "/unbind",
    access: Access::Admin,
    grammar: Some(read_unbind),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_setup(args: &str, source: Source) -> Result<Action, ArgError> {
    let words = words(args);
    // A community is not named "join …": `/setup join` always joins.
    if let [first, rest @ ..] = words.as_slice() {
        if first.eq_ignore_ascii_case("join") {
            return match rest {
                [code] => Ok(Action::SetupJoin {
                    code: Some(code.to_string()),
                }),
                [] => Ok(Action::SetupJoin { code: None }),
                _ => Err(ArgError::new(Msg::JoinOneCode)
                    .with("got", rest.join(" "))
                    .example("/setup join ABCD-2345")),
            };
        }
    }
    // Chosen as an option, the name is the name, whatever its first word.
    if let Some(name) = source.free("name") {
        let zone = match words.as_slice() {
            [] => None,
            [zone] => Some(Zone::parse(zone)?),
            _ => {
                return Err(ArgError::new(Msg::OneWord)
                    .with("value", args.trim())
                    .with("name", "zone"))
            }
        };
        return Ok(Action::Setup {
            zone,
            name: CommunityName::parse(name)?,
        });
    }
    let (zone, name_words) = match words.as_slice() {
        [first, rest @ ..] if Zone::looks_like_zone(first) => (Some(Zone::parse(first)?), rest),
        all => (None, all),
    };
    let name = CommunityName::parse(&name_words.join(" "))?;
    Ok(Action::Setup { zone, name })
}

fn read_invite(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Invite)
}

fn read_chats(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Chats)
}

fn read_unbind(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Unbind)
}

handlers!(|cx| {
    Action::Setup { zone, name } => setup(cx, zone, &name),
    Action::SetupJoin { code } => setup_join(cx, code.as_deref()),
    Action::Invite => invite(cx),
    Action::Chats => chats(cx),
    Action::Unbind => unbind(cx),
});

pub(crate) async fn invite(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let code = codes::new_code();
    let owner = CodeOwner {
        community: Some(community.id),
        member: Some(cx.member),
    };
    cx.store
        .issue_code(Purpose::Invite, &code.hash, owner, cx.now, cx.now + codes::INVITE_VALID)
        .await?;
    tracing::info!(community = community.id.0, "invitation code issued");
    // The code lets whoever holds it into the community: the caller alone sees it.
    Ok(Reply::private().line(cx.t(
        Msg::InviteCode,
        vec![
            ("community", Arg::strong(&community.name)),
            ("code", Arg::code(&code.shown)),
            ("command", Arg::code(format!("/setup join {}", code.shown))),
        ],
    )))
}

pub(crate) async fn setup_join(cx: &Cx<'_>, typed: Option<&str>) -> Outcome {
    if cx.chat.private {
        return Err(setup_in_private(cx));
    }
    // Said before the code is spent: it stays good for the right chat.
    if let Some(community) = &cx.community {
        return Err(cx.refuse(vec![
            cx.t(Msg::AlreadyBound, vec![("community", Arg::strong(&community.name))])
        ]));
    }
    if cx.ask_chat_admin(cx.chat).await? == Some(false) {
        return Err(cx.refuse(vec![cx.t(Msg::NotChatAdmin, vec![])]));
    }
    check_can_post(cx)?;
    let community = match (typed, &cx.server_community) {
        (Some(typed), _) => invited_community(cx, typed).await?,
        // No code: the community of this chat's server.
        (None, Some(of_server)) => of_server.clone(),
        (None, None) => {
            return Err(cx.refuse(vec![
                cx.t(Msg::JoinNeedsCode, vec![]),
                cx.t(
                    Msg::BadArgsUsage,
                    vec![
                        ("usage", Arg::code("/setup join <code>")),
                        ("example", Arg::code("/setup join ABCD-2345")),
                    ],
                ),
            ]))
        }
    };
    match cx.store.bind_chat(cx.chat, community.id, cx.now).await? {
        BindOutcome::Bound => {}
        BindOutcome::AlreadyBound(other) => {
            let name = match cx.store.community(other).await? {
                Some(c) => c.name,
                None => community.name,
            };
            return Err(cx.refuse(vec![cx.t(Msg::AlreadyBound, vec![("community", Arg::strong(name))])]));
        }
    }
    cx.note_chat().await?;
    tracing::info!(community = community.id.0, "another chat bound");
    // The caller is now a member of it; the reply speaks its language.
    cx.arrive(cx.chat, cx.caller).await?;
    let tr = crate::i18n::Tr(cx.locale_of(Some(&community)));
    Ok(Reply::to_chat().line(tr.t(Msg::JoinedCommunity, vec![("community", Arg::strong(&community.name))])))
}

/// The community an invitation code stands for; the code is spent.
pub(crate) async fn invited_community(cx: &Cx<'_>, typed: &str) -> Result<Community, Failure> {
    let refused = || cx.refuse(vec![cx.t(Msg::CodeRefused, vec![("command", Arg::code("/invite"))])]);
    let Some(hash) = codes::hash_typed(typed) else {
        return Err(refused());
    };
    let Some(CodeOwner {
        community: Some(community),
        ..
    }) = cx.store.redeem_code(Purpose::Invite, &hash, cx.now).await?
    else {
        return Err(refused());
    };
    cx.store.community(community).await?.ok_or_else(refused)
}

pub(crate) async fn chats(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    // This chat's title as it is now.
    if !cx.chat.private {
        cx.note_chat().await?;
    }
    let mut reply = Reply::to_caller().line(cx.t(Msg::ChatsTitle, vec![("community", Arg::strong(&community.name))]));
    for bound in cx.store.bound_chats(community.id).await? {
        let this = bound.chat.platform == cx.chat.platform && bound.chat.chat_id == cx.chat.chat_id;
        reply.push_item(cx.t(
            Msg::ChatsItem,
            vec![
                ("platform", Arg::text(bound.chat.platform.display_name())),
                // Discord shows a channel mention as its name; elsewhere
                // the title the chat last had, else its id.
                (
                    "chat",
                    match &bound.title {
                        Some(title) if bound.chat.platform != crate::Platform::Discord => Arg::strong(title),
                        _ => Arg::Chat(bound.chat.platform, bound.chat.chat_id.clone()),
                    },
                ),
                (
                    "this",
                    Arg::text(if this {
                        cx.text(Msg::ChatsThis, vec![])
                    } else {
                        String::new()
                    }),
                ),
                (
                    "paused",
                    Arg::text(if bound.paused {
                        cx.text(Msg::ChatsPaused, vec![])
                    } else {
                        String::new()
                    }),
                ),
            ],
        ));
    }
    Ok(reply.line(cx.t(
        Msg::ChatsHint,
        vec![("invite", Arg::code("/invite")), ("unbind", Arg::code("/unbind"))],
    )))
}

pub(crate) async fn unbind(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    if cx.chat.private {
        return Err(cx.refuse(vec![cx.t(Msg::UnbindInPrivate, vec![])]));
    }
    match cx.store.unbind_chat(cx.chat.platform, &cx.chat.chat_id, cx.now).await? {
        UnbindOutcome::Unbound => {
            tracing::info!(community = community.id.0, "chat released");
            Ok(Reply::to_chat().line(cx.t(
                Msg::Unbound,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("example", Arg::code("/setup join ABCD-2345")),
                ],
            )))
        }
        UnbindOutcome::LastChat => Err(cx.refuse(vec![cx.t(
            Msg::UnbindLast,
            vec![
                ("community", Arg::strong(&community.name)),
                ("command", Arg::code("/invite")),
            ],
        )])),
        UnbindOutcome::NotBound => Err(cx.refuse(vec![cx.t(
            Msg::NotBound,
            vec![("example", Arg::code(setup_example(cx.chat.platform)))],
        )])),
    }
}

/// `/setup`: a new community in this chat, its caller its first admin.
pub(crate) async fn setup(
    cx: &Cx<'_>,
    zone: Option<crate::domain::Zone>,
    name: &crate::domain::CommunityName,
) -> Outcome {
    if cx.chat.private {
        return Err(setup_in_private(cx));
    }
    if let Some(community) = &cx.community {
        // A chat the bot had to leave, set up again by an admin: it is back.
        if cx.ask_chat_admin(cx.chat).await? != Some(false) {
            check_can_post(cx)?;
            if let Some(back) = crate::service::chats::resumed(cx, cx.chat, community).await? {
                return Ok(back);
            }
        }
        return Err(cx.refuse(vec![
            cx.t(Msg::AlreadyBound, vec![("community", Arg::strong(&community.name))])
        ]));
    }
    // A server with a community has one: its other channels join it,
    // never start a second one by accident.
    if let Some(of_server) = &cx.server_community {
        return Err(offer_server_community(cx, of_server));
    }
    if cx.ask_chat_admin(cx.chat).await? == Some(false) {
        return Err(cx.refuse(vec![cx.t(Msg::NotChatAdmin, vec![])]));
    }
    check_can_post(cx)?;
    let zone = zone.unwrap_or(cx.settings.default_zone);
    let community = match cx.store.create_community(cx.chat, name, zone, cx.member, cx.now).await {
        Ok(c) => c,
        Err(crate::store::StoreError::NameTaken) => {
            return Err(cx.refuse(vec![cx.t(
                Msg::NameTaken,
                vec![
                    ("name", Arg::strong(name.as_str())),
                    ("join", Arg::code("/setup join ABCD-2345")),
                ],
            )]))
        }
        Err(crate::store::StoreError::Conflict(_)) => {
            return Err(cx.refuse(vec![
                cx.t(Msg::AlreadyBound, vec![("community", Arg::strong(name.as_str()))])
            ]))
        }
        Err(e) => return Err(e.into()),
    };
    cx.note_chat().await?;
    Ok(Reply::to_chat()
        .line(cx.t(
            Msg::SetupDone,
            vec![
                ("community", Arg::strong(&community.name)),
                ("zone", Arg::text(community.zone)),
                (
                    "example",
                    Arg::code(crate::service::wording::space_add_example(cx.chat.platform)),
                ),
            ],
        ))
        .line(cx.t(Msg::SetupAdmin, vec![("who", Arg::Member(cx.card()))])))
}
