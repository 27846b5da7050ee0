//! One community, many chats: `/invite` gives a one-time code, `/setup join
//! <code>` binds another chat (on either platform) with it, `/chats` lists
//! them and `/unbind` releases one (never the last).

use super::{setup_example, Cx, Failure, Outcome};
use crate::codes::{self, Purpose};
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::prelude::*;
use crate::store::{BindOutcome, CodeOwner, Community, UnbindOutcome};

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
