//! A community and its spaces and hosts: `/setup`, `/space …`, `/host …`.

use super::{Ctx, Failure, Outcome};
use crate::command::SpaceAddArgs;
use crate::domain::{MemberHandle, SpaceSlug, Zone};
use crate::i18n::{Arg, Msg};
use crate::reply::{MemberCard, Reply, Span};
use crate::store::{NewSpace, Space, StoreError};
use crate::suggest::closest;
use crate::Core;

impl Core {
    pub(super) async fn setup(
        &self,
        ctx: &Ctx<'_>,
        zone: Option<Zone>,
        name: &crate::domain::CommunityName,
    ) -> Outcome {
        if ctx.chat.private {
            return Err(self.setup_in_private(ctx));
        }
        if let Some(community) = &ctx.community {
            // A chat the bot had to leave, set up again by an admin: it is back.
            if self.ask_chat_admin(ctx.chat, ctx).await? != Some(false) {
                self.check_can_post(ctx)?;
                if let Some(back) = self.resumed(ctx.chat, community).await? {
                    return Ok(back);
                }
            }
            return Err(self.refuse(vec![
                self.t(Msg::AlreadyBound, vec![("community", Arg::strong(&community.name))])
            ]));
        }
        // A server with a community has one: its other channels join it,
        // never start a second one by accident.
        if let Some(of_server) = &ctx.server_community {
            return Err(self.offer_server_community(of_server));
        }
        if self.ask_chat_admin(ctx.chat, ctx).await? == Some(false) {
            return Err(self.refuse(vec![self.t(Msg::NotChatAdmin, vec![])]));
        }
        self.check_can_post(ctx)?;
        let zone = zone.unwrap_or(self.settings.default_zone);
        let community = match self
            .store
            .create_community(ctx.chat, name, zone, ctx.member, ctx.now)
            .await
        {
            Ok(c) => c,
            Err(StoreError::NameTaken) => {
                return Err(self.refuse(vec![self.t(
                    Msg::NameTaken,
                    vec![
                        ("name", Arg::strong(name.as_str())),
                        ("join", Arg::code("/setup join ABCD-2345")),
                    ],
                )]))
            }
            Err(StoreError::Conflict(_)) => {
                return Err(self.refuse(vec![
                    self.t(Msg::AlreadyBound, vec![("community", Arg::strong(name.as_str()))])
                ]))
            }
            Err(e) => return Err(e.into()),
        };
        self.note_chat(ctx).await?;
        Ok(Reply::to_chat()
            .line(self.t(
                Msg::SetupDone,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("zone", Arg::text(community.zone)),
                    ("example", Arg::code(super::space_add_example(ctx.chat.platform))),
                ],
            ))
            .line(self.t(Msg::SetupAdmin, vec![("who", Arg::Member(ctx.card()))])))
    }

    pub(super) fn space_details(&self, space: &Space) -> String {
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

    pub(super) async fn space_add(&self, ctx: &Ctx<'_>, args: SpaceAddArgs) -> Outcome {
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

    pub(super) async fn space_list(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        if spaces.is_empty() {
            return Ok(Reply::to_chat().line(self.t(
                Msg::NoSpaces,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("example", Arg::code(super::space_add_example(ctx.chat.platform))),
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

    pub(super) async fn space_remove(&self, ctx: &Ctx<'_>, slug: &SpaceSlug) -> Outcome {
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

    pub(super) async fn find_member(&self, ctx: &Ctx<'_>, handle: &MemberHandle) -> Result<MemberCard, Failure> {
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
        // No "did you mean" for people: a near name is another person, and
        // making someone a host by a typo's neighbour is worse than asking.
        Err(self.refuse(vec![self.t(Msg::UnknownMember, vec![("who", Arg::code(handle))])]))
    }

    pub(super) async fn host(&self, ctx: &Ctx<'_>, handle: &MemberHandle, slug: &SpaceSlug, host: bool) -> Outcome {
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

    pub(super) fn space_list_text(&self, spaces: &[Space]) -> String {
        spaces.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The space with that slug, or a refusal that suggests the closest one.
    pub(super) fn find_space<'s>(&self, spaces: &'s [Space], slug: &SpaceSlug) -> Result<&'s Space, Failure> {
        if let Some(space) = spaces.iter().find(|s| &s.slug == slug) {
            return Ok(space);
        }
        Err(self.unknown_space(spaces, slug.as_str()))
    }

    pub(super) fn unknown_space(&self, spaces: &[Space], given: &str) -> Failure {
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
}
