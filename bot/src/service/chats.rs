//! What happens to a chat itself, as its platform reports it: the bot was
//! added to it, removed from it, or the chat got a new id; and which
//! community a private chat acts for.

use super::{setup_example, Ctx, Failure, Outcome};
use crate::domain::{CommunityName, Platform};
use crate::i18n::{Arg, Msg};
use crate::reply::{Audience, Button, Reply};
use crate::store::{ChatKey, Community, Outgoing, StoreError, Target};
use crate::{Caller, Core};

impl Core {
    /// The bot was added to a group by `by`: it says how to set the chat
    /// up, unless the chat belongs to a community already (then it says
    /// nothing).
    pub async fn bot_added(&self, chat: &ChatKey, by: &Caller) -> Result<Option<Reply>, StoreError> {
        if self.arrive(chat, by).await?.community.is_some() {
            return Ok(None);
        }
        let tr = self.tr();
        Ok(Some(Reply::to_chat().line(tr.t(Msg::Welcome, vec![])).line(tr.t(
            Msg::WelcomeUnbound,
            vec![("example", Arg::code(setup_example()))],
        ))))
    }

    /// The bot was removed from a chat (or the chat was deleted): it is no
    /// longer the community's, so announcements stop going there, and the
    /// community's admins are told privately.
    pub async fn bot_removed(&self, chat: &ChatKey) -> Result<(), StoreError> {
        let now = self.clock.now();
        let Some(community) = self.store.unbind_chat(chat.platform, &chat.chat_id, now).await? else {
            return Ok(());
        };
        let Some(community) = self.store.community(community).await? else {
            return Ok(());
        };
        tracing::info!(platform = %chat.platform, chat = chat.chat_id, community = community.id.0, "removed from a chat");
        let tr = crate::i18n::Tr(self.locale_of(Some(&community)));
        let notice = Reply::private().line(tr.t(
            Msg::RemovedFromChat,
            vec![
                ("platform", Arg::text(platform_name(chat.platform))),
                ("community", Arg::strong(&community.name)),
            ],
        ));
        self.store
            .enqueue(&[Outgoing::new(community.id, Target::Admins, notice)], now)
            .await
    }

    /// An answer the platform could not take while the member waited (it
    /// was down, or kept saying wait): written to the outbox, so that the
    /// delivery loop sends it when it can, rather than lost. A private
    /// answer stays private. Says whether it could be kept: a chat that is
    /// no community's has no outbox.
    pub async fn deliver_later(&self, chat: &ChatKey, caller: &Caller, reply: Reply) -> Result<bool, StoreError> {
        let arrival = self.arrive(chat, caller).await?;
        let Some(community) = arrival.community else {
            return Ok(false);
        };
        let target = match reply.audience {
            Audience::Private => Target::Member(arrival.member),
            Audience::Chat | Audience::Caller => Target::Chat {
                platform: chat.platform,
                chat_id: chat.chat_id.clone(),
            },
        };
        let now = self.clock.now();
        self.store
            .enqueue(&[Outgoing::new(community.id, target, reply)], now)
            .await?;
        Ok(true)
    }

    /// The chat now has another id (a Telegram group upgraded to a
    /// supergroup): it keeps its community and its waiting messages.
    pub async fn chat_moved(&self, platform: Platform, from: &str, to: &str) -> Result<(), StoreError> {
        if self.store.move_chat(platform, from, to).await? {
            tracing::info!(%platform, from, to, "chat moved, with its community");
        }
        Ok(())
    }
}

impl Core {
    /// In a private chat of a member of several communities who has not
    /// chosen one: which? (with a button for each).
    pub(super) async fn ask_which_community(&self, ctx: &Ctx<'_>) -> Result<(), Failure> {
        if ctx.community.is_some() || !ctx.chat.private {
            return Ok(());
        }
        let communities = self.store.member_communities(ctx.member).await?;
        if communities.len() < 2 {
            return Ok(());
        }
        let example = format!("/use {}", communities[0].name);
        let mut reply = Reply::to_caller().line(self.t(
            Msg::ChooseCommunity,
            vec![("communities", names(&communities)), ("example", Arg::code(example))],
        ));
        for community in &communities {
            reply
                .buttons
                .push(Button::new(community.name.clone(), format!("/use {}", community.name)));
        }
        Err(Failure::User(reply))
    }

    /// `/use <community>`: the caller's private chats act for it from now on.
    pub(super) async fn use_community(&self, ctx: &Ctx<'_>, name: &CommunityName) -> Outcome {
        if !ctx.chat.private {
            let command = Arg::code(format!("/use {}", name.as_str()));
            return Err(self.refuse(vec![self.t(Msg::UseInPrivate, vec![("command", command)])]));
        }
        let communities = self.store.member_communities(ctx.member).await?;
        let Some(chosen) = communities.iter().find(|c| c.name.eq_ignore_ascii_case(name.as_str())) else {
            return Err(self.refuse(vec![self.t(
                Msg::UseUnknown,
                vec![
                    ("name", Arg::strong(name.as_str())),
                    ("communities", names(&communities)),
                ],
            )]));
        };
        self.store.choose_community(ctx.member, chosen.id, ctx.now).await?;
        Ok(Reply::to_caller().line(self.t(Msg::UseDone, vec![("community", Arg::strong(&chosen.name))])))
    }
}

fn names(communities: &[Community]) -> Arg {
    let names: Vec<String> = communities.iter().map(|c| c.name.clone()).collect();
    Arg::text(names.join(", "))
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Telegram => "Telegram",
        Platform::Discord => "Discord",
        Platform::Console => "console",
    }
}
