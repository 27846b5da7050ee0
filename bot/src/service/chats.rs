//! What happens to a chat itself, as its platform reports it: the bot was
//! added to it, removed from it, or the chat got a new id; and which
//! community a private chat acts for.

use super::{Ctx, Failure, Outcome};
use crate::domain::{CommunityName, Platform};
use crate::i18n::{Arg, Msg};
use crate::reply::{Audience, Button, Reply};
use crate::store::{ChatKey, Community, Outgoing, Store, StoreError, Target};
use crate::Locale;
use crate::{Caller, Core};
use chrono::{DateTime, Utc};

impl Core {
    /// The bot was added to a group by `by`: it says how to set the chat
    /// up; back in a chat it had to leave, it says announcements go there
    /// again; in a chat it is in already, nothing.
    pub async fn bot_added(&self, chat: &ChatKey, by: &Caller) -> Result<Option<Reply>, StoreError> {
        if let Some(community) = self.arrive(chat, by).await?.community {
            return self.resumed(chat, &community).await;
        }
        let tr = self.tr();
        Ok(Some(Reply::to_chat().line(tr.t(Msg::Welcome, vec![])).line(
            tr.t(Msg::WelcomeUnbound, super::welcome_unbound_args(chat.platform)),
        )))
    }

    /// The bot was added to a server (Discord): `postable` are the server's
    /// channels it may post in, the one to greet in first. Each of them
    /// that a community's announcements had to leave is resumed and told
    /// so; in a server with no community yet, the first is greeted as a
    /// Telegram group is. What to post where.
    pub async fn bot_joined_server(&self, postable: &[ChatKey]) -> Result<Vec<(ChatKey, Reply)>, StoreError> {
        let mut said = Vec::new();
        let mut any_bound = false;
        for chat in postable {
            let Some(community) = self.store.chat_community(chat.platform, &chat.chat_id).await? else {
                continue;
            };
            any_bound = true;
            let Some(community) = self.store.community(community).await? else {
                continue;
            };
            if let Some(back) = self.resumed(chat, &community).await? {
                said.push((chat.clone(), back));
            }
        }
        if let (false, Some(first)) = (any_bound, postable.first()) {
            let tr = self.tr();
            let greeting = Reply::to_chat()
                .line(tr.t(Msg::Welcome, vec![]))
                .line(tr.t(Msg::WelcomeUnbound, super::welcome_unbound_args(first.platform)));
            said.push((first.clone(), greeting));
        }
        Ok(said)
    }

    /// A server's channels as the platform lists them (at every connection):
    /// bound ones whose server was not recorded yet learn it, so that the
    /// server's other channels are offered to join their community.
    pub async fn server_channels(&self, server: &str, channels: &[ChatKey]) -> Result<(), StoreError> {
        let Some(platform) = channels.first().map(|c| c.platform) else {
            return Ok(());
        };
        let unknown = self.store.chats_without_server(platform).await?;
        for chat in channels.iter().filter(|c| unknown.contains(&c.chat_id)) {
            self.store.note_chat(chat, Some(server), None).await?;
        }
        Ok(())
    }

    /// Resumes a paused chat; what to tell it, if it was paused.
    pub(super) async fn resumed(&self, chat: &ChatKey, community: &Community) -> Result<Option<Reply>, StoreError> {
        if !self.store.resume_chat(chat.platform, &chat.chat_id).await? {
            return Ok(None);
        }
        tracing::info!(platform = %chat.platform, chat = chat.chat_id, "posting in a chat again");
        let tr = crate::i18n::Tr(self.locale_of(Some(community)));
        Ok(Some(Reply::to_chat().line(tr.t(
            Msg::ChatResumed,
            vec![("community", Arg::strong(&community.name))],
        ))))
    }

    /// The bot was removed from a chat (or the chat was deleted): it is no
    /// longer the community's, so announcements stop going there, and the
    /// community's admins are told privately.
    pub async fn bot_removed(&self, chat: &ChatKey) -> Result<(), StoreError> {
        forget_chat(
            &*self.store,
            chat.platform,
            &chat.chat_id,
            self.clock.now(),
            self.settings.locale,
        )
        .await
    }

    /// An answer the platform could not take while the member waited (it
    /// was down, or kept saying wait): written to the outbox, so that the
    /// delivery loop sends it when it can, rather than lost. A private
    /// answer stays private. Says whether it could be kept: a chat that is
    /// no community's has no outbox, and a caller who was just forgotten
    /// (`/forgetme`) has no private chat with one: neither is recorded
    /// again here.
    pub async fn deliver_later(&self, chat: &ChatKey, caller: &Caller, reply: Reply) -> Result<bool, StoreError> {
        let member = self.store.identity_member(chat.platform, &caller.user_id).await?;
        let community = match (chat.private, member) {
            (false, _) => self.store.chat_community(chat.platform, &chat.chat_id).await?,
            (true, Some(_)) => self.arrive(chat, caller).await?.community.map(|c| c.id),
            (true, None) => None,
        };
        let target = match (reply.audience, member) {
            (Audience::Private, Some(member)) => Target::Member(member),
            (Audience::Private, None) => return Ok(false),
            (Audience::Chat | Audience::Caller, _) => Target::Chat {
                platform: chat.platform,
                chat_id: chat.chat_id.clone(),
            },
        };
        let Some(community) = community else {
            return Ok(false);
        };
        let now = self.clock.now();
        self.store
            .enqueue(&[Outgoing::new(community, target, reply)], now)
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

/// The bot can no longer post in a chat (it was removed, or the chat is
/// gone): the chat is paused (it keeps its community, and gets no
/// announcements until the bot is back), and the community's admins are
/// told privately, once, in its language (`fallback` when it chose none).
pub(crate) async fn forget_chat(
    store: &dyn Store,
    platform: Platform,
    chat_id: &str,
    now: DateTime<Utc>,
    fallback: Locale,
) -> Result<(), StoreError> {
    let Some(community) = store.pause_chat(platform, chat_id, now).await? else {
        return Ok(());
    };
    let Some(community) = store.community(community).await? else {
        return Ok(());
    };
    tracing::info!(%platform, chat = chat_id, community = community.id.0, "no longer posting in a chat");
    let tr = crate::i18n::Tr(community.locale.unwrap_or(fallback));
    let notice = Reply::private().line(tr.t(
        Msg::RemovedFromChat,
        vec![
            ("platform", Arg::text(platform.display_name())),
            ("community", Arg::strong(&community.name)),
        ],
    ));
    store
        .enqueue(&[Outgoing::new(community.id, Target::Admins, notice)], now)
        .await
}

fn names(communities: &[Community]) -> Arg {
    let names: Vec<String> = communities.iter().map(|c| c.name.clone()).collect();
    Arg::text(names.join(", "))
}
