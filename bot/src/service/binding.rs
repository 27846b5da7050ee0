//! One community, many chats: `/invite` gives a one-time code, `/setup join
//! <code>` binds another chat (on either platform) with it, `/chats` lists
//! them and `/unbind` releases one (never the last).

use super::{setup_example, Ctx, Failure, Outcome};
use crate::codes::{self, Purpose};
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::store::{BindOutcome, CodeOwner, Community, UnbindOutcome};
use crate::Core;

impl Core {
    pub(super) async fn invite(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        let code = codes::new_code();
        let owner = CodeOwner {
            community: Some(community.id),
            member: Some(ctx.member),
        };
        self.store
            .issue_code(
                Purpose::Invite,
                &code.hash,
                owner,
                ctx.now,
                ctx.now + codes::INVITE_VALID,
            )
            .await?;
        tracing::info!(community = community.id.0, "invitation code issued");
        // The code lets whoever holds it into the community: the caller alone sees it.
        Ok(Reply::private().line(self.t(
            Msg::InviteCode,
            vec![
                ("community", Arg::strong(&community.name)),
                ("code", Arg::code(&code.shown)),
                ("command", Arg::code(format!("/setup join {}", code.shown))),
            ],
        )))
    }

    pub(super) async fn setup_join(&self, ctx: &Ctx<'_>, typed: Option<&str>) -> Outcome {
        if ctx.chat.private {
            return Err(self.setup_in_private(ctx));
        }
        // Said before the code is spent: it stays good for the right chat.
        if let Some(community) = &ctx.community {
            return Err(self.refuse(vec![
                self.t(Msg::AlreadyBound, vec![("community", Arg::strong(&community.name))])
            ]));
        }
        if self.ask_chat_admin(ctx.chat, ctx).await? == Some(false) {
            return Err(self.refuse(vec![self.t(Msg::NotChatAdmin, vec![])]));
        }
        self.check_can_post(ctx)?;
        let community = match (typed, &ctx.server_community) {
            (Some(typed), _) => self.invited_community(typed, ctx).await?,
            // No code: the community of this chat's server.
            (None, Some(of_server)) => of_server.clone(),
            (None, None) => {
                return Err(self.refuse(vec![
                    self.t(Msg::JoinNeedsCode, vec![]),
                    self.t(
                        Msg::BadArgsUsage,
                        vec![
                            ("usage", Arg::code("/setup join <code>")),
                            ("example", Arg::code("/setup join ABCD-2345")),
                        ],
                    ),
                ]))
            }
        };
        match self.store.bind_chat(ctx.chat, community.id, ctx.now).await? {
            BindOutcome::Bound => {}
            BindOutcome::AlreadyBound(other) => {
                let name = match self.store.community(other).await? {
                    Some(c) => c.name,
                    None => community.name,
                };
                return Err(self.refuse(vec![self.t(Msg::AlreadyBound, vec![("community", Arg::strong(name))])]));
            }
        }
        self.note_chat(ctx).await?;
        tracing::info!(community = community.id.0, "another chat bound");
        // The caller is now a member of it; the reply speaks its language.
        self.arrive(ctx.chat, ctx.caller).await?;
        let tr = crate::i18n::Tr(self.locale_of(Some(&community)));
        Ok(Reply::to_chat().line(tr.t(Msg::JoinedCommunity, vec![("community", Arg::strong(&community.name))])))
    }

    /// The community an invitation code stands for; the code is spent.
    async fn invited_community(&self, typed: &str, ctx: &Ctx<'_>) -> Result<Community, Failure> {
        let refused = || self.refuse(vec![self.t(Msg::CodeRefused, vec![("command", Arg::code("/invite"))])]);
        let Some(hash) = codes::hash_typed(typed) else {
            return Err(refused());
        };
        let Some(CodeOwner {
            community: Some(community),
            ..
        }) = self.store.redeem_code(Purpose::Invite, &hash, ctx.now).await?
        else {
            return Err(refused());
        };
        self.store.community(community).await?.ok_or_else(refused)
    }

    pub(super) async fn chats(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        // This chat's title as it is now.
        if !ctx.chat.private {
            self.note_chat(ctx).await?;
        }
        let mut reply =
            Reply::to_caller().line(self.t(Msg::ChatsTitle, vec![("community", Arg::strong(&community.name))]));
        for bound in self.store.bound_chats(community.id).await? {
            let this = bound.chat.platform == ctx.chat.platform && bound.chat.chat_id == ctx.chat.chat_id;
            reply.push_item(self.t(
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
                            self.text(Msg::ChatsThis, vec![])
                        } else {
                            String::new()
                        }),
                    ),
                    (
                        "paused",
                        Arg::text(if bound.paused {
                            self.text(Msg::ChatsPaused, vec![])
                        } else {
                            String::new()
                        }),
                    ),
                ],
            ));
        }
        Ok(reply.line(self.t(
            Msg::ChatsHint,
            vec![("invite", Arg::code("/invite")), ("unbind", Arg::code("/unbind"))],
        )))
    }

    pub(super) async fn unbind(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        if ctx.chat.private {
            return Err(self.refuse(vec![self.t(Msg::UnbindInPrivate, vec![])]));
        }
        match self
            .store
            .unbind_chat(ctx.chat.platform, &ctx.chat.chat_id, ctx.now)
            .await?
        {
            UnbindOutcome::Unbound => {
                tracing::info!(community = community.id.0, "chat released");
                Ok(Reply::to_chat().line(self.t(
                    Msg::Unbound,
                    vec![
                        ("community", Arg::strong(&community.name)),
                        ("example", Arg::code("/setup join ABCD-2345")),
                    ],
                )))
            }
            UnbindOutcome::LastChat => Err(self.refuse(vec![self.t(
                Msg::UnbindLast,
                vec![
                    ("community", Arg::strong(&community.name)),
                    ("command", Arg::code("/invite")),
                ],
            )])),
            UnbindOutcome::NotBound => Err(self.refuse(vec![self.t(
                Msg::NotBound,
                vec![("example", Arg::code(setup_example(ctx.chat.platform)))],
            )])),
        }
    }
}
