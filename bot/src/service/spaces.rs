//! A community and its spaces and hosts: `/setup`, `/space …`, `/host …`.

use super::{Cx, Env, Failure, Outcome};
use crate::command::SpaceAddArgs;
use crate::domain::{MemberHandle, SpaceSlug, Zone};
use crate::i18n::{Arg, Msg};
use crate::reply::{MemberCard, Reply, Span};
use crate::service::prelude::*;
use crate::store::{NewSpace, Space, StoreError};
use crate::suggest::closest;

pub(crate) async fn setup(cx: &Cx<'_>, zone: Option<Zone>, name: &crate::domain::CommunityName) -> Outcome {
    if cx.chat.private {
        return Err(setup_in_private(cx));
    }
    if let Some(community) = &cx.community {
        // A chat the bot had to leave, set up again by an admin: it is back.
        if cx.ask_chat_admin(cx.chat).await? != Some(false) {
            check_can_post(cx)?;
            if let Some(back) = resumed(cx, cx.chat, community).await? {
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
        Err(StoreError::NameTaken) => {
            return Err(cx.refuse(vec![cx.t(
                Msg::NameTaken,
                vec![
                    ("name", Arg::strong(name.as_str())),
                    ("join", Arg::code("/setup join ABCD-2345")),
                ],
            )]))
        }
        Err(StoreError::Conflict(_)) => {
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
                ("example", Arg::code(super::space_add_example(cx.chat.platform))),
            ],
        ))
        .line(cx.t(Msg::SetupAdmin, vec![("who", Arg::Member(cx.card()))])))
}

pub(crate) fn space_details(env: &Env<'_>, space: &Space) -> String {
    let mut details = String::new();
    if let Some(n) = space.capacity {
        details.push_str(&env.text(Msg::SpaceCapacity, vec![("n", Arg::count(n))]));
    }
    if space.needs_approval {
        details.push_str(&env.text(Msg::SpaceApproval, vec![]));
    }
    if space.open_profile_required {
        details.push_str(&env.text(Msg::SpaceOpen, vec![]));
    }
    details
}

pub(crate) async fn space_add(cx: &Cx<'_>, args: SpaceAddArgs) -> Outcome {
    let community = cx.community()?;
    let new = NewSpace {
        zone: args.zone.unwrap_or(community.zone),
        slug: args.slug,
        capacity: args.capacity,
        needs_approval: args.needs_approval,
        open_profile_required: args.open_profile_required,
    };
    match cx.store.add_space(community.id, &new, cx.now).await {
        Ok(space) => Ok(Reply::to_chat().line(cx.t(
            Msg::SpaceAdded,
            vec![
                ("space", Arg::code(&space.slug)),
                ("zone", Arg::text(space.zone)),
                ("details", Arg::text(space_details(cx, &space))),
            ],
        ))),
        Err(StoreError::Conflict(_)) => {
            Err(cx.refuse(vec![cx.t(Msg::SpaceExists, vec![("space", Arg::code(&new.slug))])]))
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn space_list(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    if spaces.is_empty() {
        return Ok(Reply::to_chat().line(cx.t(
            Msg::NoSpaces,
            vec![
                ("community", Arg::strong(&community.name)),
                ("example", Arg::code(super::space_add_example(cx.chat.platform))),
            ],
        )));
    }
    let hosts = cx.store.hosts(community.id).await?;
    let mut reply = Reply::to_chat().line(cx.t(Msg::SpacesTitle, vec![("community", Arg::strong(&community.name))]));
    for space in &spaces {
        let mut line = cx.t(
            Msg::SpaceLine,
            vec![
                ("space", Arg::code(&space.slug)),
                ("zone", Arg::text(space.zone)),
                ("details", Arg::text(space_details(cx, space))),
            ],
        );
        let space_hosts: Vec<&MemberCard> = hosts.iter().filter(|(id, _)| *id == space.id).map(|(_, c)| c).collect();
        if !space_hosts.is_empty() {
            line.extend(cx.t(Msg::SpaceHosts, vec![]));
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

pub(crate) async fn space_remove(cx: &Cx<'_>, slug: &SpaceSlug) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, slug)?;
    let told = withdraw_space_offers(cx, community, space.id, cx.now).await?;
    if told > 0 {
        tracing::info!(space = %slug, told, "offers withdrawn with their space");
    }
    match cx.store.remove_space(community.id, slug).await {
        Ok(()) => Ok(Reply::to_chat().line(cx.t(Msg::SpaceRemoved, vec![("space", Arg::code(slug))]))),
        Err(StoreError::NotFound) => {
            let spaces = cx.store.spaces(community.id).await?;
            Err(unknown_space(cx, &spaces, slug.as_str()))
        }
        Err(e) => Err(e.into()),
    }
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

pub(crate) fn space_list_text(spaces: &[Space]) -> String {
    spaces.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", ")
}

/// The space with that slug, or a refusal that suggests the closest one.
pub(crate) fn find_space<'s>(env: &Env<'_>, spaces: &'s [Space], slug: &SpaceSlug) -> Result<&'s Space, Failure> {
    if let Some(space) = spaces.iter().find(|s| &s.slug == slug) {
        return Ok(space);
    }
    Err(unknown_space(env, spaces, slug.as_str()))
}

pub(crate) fn unknown_space(env: &Env<'_>, spaces: &[Space], given: &str) -> Failure {
    let mut lines = vec![env.t(Msg::UnknownSpace, vec![("space", Arg::code(given))])];
    if let Some(s) = closest(given, spaces.iter().map(|s| s.slug.as_str())) {
        lines.push(env.t(Msg::DidYouMean, vec![("suggestion", Arg::code(s))]));
    } else if spaces.is_empty() {
        lines.push(env.t(Msg::NoSpaceToCheckIn, vec![("example", Arg::code("/checkin remote"))]));
    } else {
        lines.push(env.t(Msg::KnownSpaces, vec![("spaces", Arg::text(space_list_text(spaces)))]));
    }
    env.refuse(lines)
}
