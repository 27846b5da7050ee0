//! `/host add
//! remove`: who hosts a space, and so decides on its offers.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::commands::space::find_space;
use crate::domain::{ArgError, MemberHandle, SpaceSlug};
use crate::i18n::{Arg, Msg};
use crate::reply::{MemberCard, Reply, Span};
use crate::service::{Cx, Failure, Outcome};

/// Whom `/host add` and `/host remove` are about, and where.
/// A member the command is about, named by a mention.
pub(crate) const MEMBER: ArgSpec = ArgSpec {
    name: "member",
    kind: ArgKind::MemberMention,
    required: true,
    description: "who",
    description_nl: "wie",
    ..ArgSpec::OPTIONAL
};

const HOST_ARGS: &[ArgSpec] = &[
    MEMBER,
    ArgSpec {
        name: "space",
        kind: ArgKind::Space,
        required: true,
        description: "which space",
        description_nl: "welke locatie",
        ..ArgSpec::OPTIONAL
    },
];

pub(crate) const HOST: CommandSpec = CommandSpec {
    name: "host",
    path: "host",
    summary: "Make a member a host of a space, or stop that",
    summary_nl: "Maak een lid host van een locatie, of stop daarmee",
    usage: "/host add|remove <@member> <space>",
    example: "/host add @alice cafe-noord",
    access: Access::Admin,
    subcommands: &[
        CommandSpec {
            name: "add",
            path: "host add",
            summary: "Make a member a host of a space",
            summary_nl: "Maak een lid host van een locatie",
            usage: "/host add <@member> <space>",
            example: "/host add @alice cafe-noord",
            access: Access::Admin,
            args: HOST_ARGS,
            grammar: Some(read_host_add),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "remove",
            path: "host remove",
            summary: "Stop a member hosting a space",
            summary_nl: "Laat een lid stoppen als host van een locatie",
            usage: "/host remove <@member> <space>",
            example: "/host remove @alice cafe-noord",
            access: Access::Admin,
            args: HOST_ARGS,
            grammar: Some(read_host_remove),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
    ],
    ..CommandSpec::GROUP
};

fn member_and_space(args: &str) -> Result<(MemberHandle, SpaceSlug), ArgError> {
    match words(args).as_slice() {
        [member, space] => Ok((MemberHandle::parse(member)?, SpaceSlug::parse(space)?)),
        _ => Err(ArgError::new(Msg::MemberAndSpace)),
    }
}

fn read_host_add(args: &str, _: Source) -> Result<Action, ArgError> {
    member_and_space(args).map(|(member, space)| Action::HostAdd { member, space })
}

handlers!(|cx| {
    Action::HostAdd { member, space } => host(cx, &member, &space, true),
    Action::HostRemove { member, space } => host(cx, &member, &space, false),
});

fn read_host_remove(args: &str, _: Source) -> Result<Action, ArgError> {
    member_and_space(args).map(|(member, space)| Action::HostRemove { member, space })
}

pub(crate) async fn find_member(cx: &Cx<'_>, handle: &MemberHandle) -> Result<MemberCard, Failure> {
    let community = cx.community()?;
    let candidates = cx.store.find_members(community.id, cx.chat.platform, handle).await?;
    match crate::members::resolve(handle, cx.chat.platform, candidates) {
        crate::members::Resolved::One(card) => return Ok(card),
        crate::members::Resolved::Several(cards) => {
            let mut line = cx.t(Msg::SeveralMembers, vec![("who", Arg::code(handle))]);
            for (i, card) in cards.into_iter().enumerate() {
                line.push(Span::Text(if i == 0 { " ".into() } else { ", ".into() }));
                line.push(Span::Text(format!(
                    "{} ({})",
                    card.plain_name(cx.chat.platform),
                    card.display_name
                )));
            }
            return Err(cx.refuse(vec![line, cx.t(Msg::SeveralMembersHint, vec![])]));
        }
        crate::members::Resolved::Nobody => {}
    }
    // No "did you mean" for people: a near name is another person, and
    // making someone a host by a typo's neighbour is worse than asking.
    Err(cx.refuse(vec![cx.t(Msg::UnknownMember, vec![("who", Arg::code(handle))])]))
}

pub(crate) async fn host(cx: &Cx<'_>, handle: &MemberHandle, slug: &SpaceSlug, host: bool) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, slug)?;
    let member = find_member(cx, handle).await?;
    let changed = cx.store.set_host(space.id, member.id, host).await?;
    let msg = match (host, changed) {
        (true, true) => Msg::HostAdded,
        (true, false) => Msg::HostAlready,
        (false, true) => Msg::HostRemoved,
        (false, false) => Msg::HostNotHost,
    };
    let reply = if changed { Reply::to_chat() } else { Reply::to_caller() };
    Ok(reply.line(cx.t(
        msg,
        vec![("who", Arg::Member(member)), ("space", Arg::code(&space.slug))],
    )))
}
