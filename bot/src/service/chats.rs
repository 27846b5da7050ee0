//! What happens to a chat itself, as its platform reports it: the bot was
//! added to it, removed from it, or the chat got a new id; and which
//! community a private chat acts for.

use super::Env;
use crate::domain::Platform;
use crate::i18n::{Arg, Msg};
use crate::reply::{Audience, Reply};
use crate::store::{ChatKey, Community, Outgoing, Store, StoreError, Target};
use crate::Caller;
use crate::Locale;
use chrono::{DateTime, Utc};

/// What a platform reports of a chat itself (not a message in it).
#[derive(Debug, Clone, Copy)]
pub enum ChatEvent<'a> {
    /// The bot was added to a group by `by`.
    BotAdded { chat: &'a ChatKey, by: &'a Caller },
    /// The bot was added to a server (Discord); `postable` are the
    /// server's channels it may post in, the one to greet in first.
    BotJoinedServer { postable: &'a [ChatKey] },
    /// A server's channels, as the platform lists them at every connection.
    ServerChannels { server: &'a str, channels: &'a [ChatKey] },
    /// The bot was removed from a chat, or the chat was deleted.
    BotRemoved { chat: &'a ChatKey },
    /// The chat now has another id (a Telegram group became a supergroup).
    ChatMoved {
        platform: Platform,
        from: &'a str,
        to: &'a str,
    },
}

impl ChatEvent<'_> {
    /// The platform that reported it.
    pub fn platform(&self) -> Platform {
        match self {
            ChatEvent::BotAdded { chat, .. } | ChatEvent::BotRemoved { chat } => chat.platform,
            ChatEvent::BotJoinedServer { postable: chats } | ChatEvent::ServerChannels { channels: chats, .. } => {
                chats.first().map_or(Platform::Discord, |c| c.platform)
            }
            ChatEvent::ChatMoved { platform, .. } => *platform,
        }
    }
}

/// Handles a chat event; what to post where (a greeting, word that
/// announcements go to a chat again).
pub(crate) async fn on_chat_event(env: &Env<'_>, event: ChatEvent<'_>) -> Result<Vec<(ChatKey, Reply)>, StoreError> {
    match event {
        ChatEvent::BotAdded { chat, by } => Ok(bot_added(env, chat, by)
            .await?
            .map(|reply| (chat.clone(), reply))
            .into_iter()
            .collect()),
        ChatEvent::BotJoinedServer { postable } => bot_joined_server(env, postable).await,
        ChatEvent::ServerChannels { server, channels } => {
            server_channels(env, server, channels).await?;
            Ok(Vec::new())
        }
        ChatEvent::BotRemoved { chat } => {
            bot_removed(env, chat).await?;
            Ok(Vec::new())
        }
        ChatEvent::ChatMoved { platform, from, to } => {
            chat_moved(env, platform, from, to).await?;
            Ok(Vec::new())
        }
    }
}

/// The bot was added to a group by `by`: it says how to set the chat
/// up; back in a chat it had to leave, it says announcements go there
/// again; in a chat it is in already, nothing.
async fn bot_added(env: &Env<'_>, chat: &ChatKey, by: &Caller) -> Result<Option<Reply>, StoreError> {
    if let Some(community) = env.arrive(chat, by).await?.community {
        return resumed(env, chat, &community).await;
    }
    let tr = env.tr();
    Ok(Some(Reply::to_chat().line(tr.t(Msg::Welcome, vec![])).line(tr.t(
        Msg::WelcomeUnbound,
        super::wording::welcome_unbound_args(chat.platform),
    ))))
}

/// The bot was added to a server (Discord): `postable` are the server's
/// channels it may post in, the one to greet in first. Each of them
/// that a community's announcements had to leave is resumed and told
/// so; in a server with no community yet, the first is greeted as a
/// Telegram group is. What to post where.
async fn bot_joined_server(env: &Env<'_>, postable: &[ChatKey]) -> Result<Vec<(ChatKey, Reply)>, StoreError> {
    let mut said = Vec::new();
    let mut any_bound = false;
    for chat in postable {
        let Some(community) = env.store.chat_community(chat.platform, &chat.chat_id).await? else {
            continue;
        };
        any_bound = true;
        let Some(community) = env.store.community(community).await? else {
            continue;
        };
        if let Some(back) = resumed(env, chat, &community).await? {
            said.push((chat.clone(), back));
        }
    }
    if let (false, Some(first)) = (any_bound, postable.first()) {
        let tr = env.tr();
        let greeting = Reply::to_chat().line(tr.t(Msg::Welcome, vec![])).line(tr.t(
            Msg::WelcomeUnbound,
            super::wording::welcome_unbound_args(first.platform),
        ));
        said.push((first.clone(), greeting));
    }
    Ok(said)
}

/// A server's channels as the platform lists them (at every connection):
/// bound ones whose server was not recorded yet learn it, so that the
/// server's other channels are offered to join their community.
async fn server_channels(env: &Env<'_>, server: &str, channels: &[ChatKey]) -> Result<(), StoreError> {
    let Some(platform) = channels.first().map(|c| c.platform) else {
        return Ok(());
    };
    let unknown = env.store.chats_without_server(platform).await?;
    for chat in channels.iter().filter(|c| unknown.contains(&c.chat_id)) {
        env.store.note_chat(chat, Some(server), None).await?;
    }
    Ok(())
}

/// Resumes a paused chat; what to tell it, if it was paused.
pub(crate) async fn resumed(env: &Env<'_>, chat: &ChatKey, community: &Community) -> Result<Option<Reply>, StoreError> {
    if !env.store.resume_chat(chat.platform, &chat.chat_id).await? {
        return Ok(None);
    }
    tracing::info!(platform = %chat.platform, chat = chat.chat_id, "posting in a chat again");
    let tr = env.for_community(community).tr();
    Ok(Some(Reply::to_chat().line(tr.t(
        Msg::ChatResumed,
        vec![("community", Arg::strong(&community.name))],
    ))))
}

/// The bot was removed from a chat (or the chat was deleted): it is no
/// longer the community's, so announcements stop going there, and the
/// community's admins are told privately.
async fn bot_removed(env: &Env<'_>, chat: &ChatKey) -> Result<(), StoreError> {
    forget_chat(
        env.store,
        chat.platform,
        &chat.chat_id,
        env.clock.now(),
        env.settings.locale,
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
pub(crate) async fn deliver_later(
    env: &Env<'_>,
    chat: &ChatKey,
    caller: &Caller,
    reply: Reply,
) -> Result<bool, StoreError> {
    let member = env.store.identity_member(chat.platform, &caller.user_id).await?;
    let community = match (chat.private, member) {
        (false, _) => env.store.chat_community(chat.platform, &chat.chat_id).await?,
        (true, Some(_)) => env.arrive(chat, caller).await?.community.map(|c| c.id),
        (true, None) => None,
    };
    let target = match (reply.audience, member) {
        (Audience::Private, Some(member)) => Target::Member(member),
        (Audience::Private, None) => return Ok(false),
        (Audience::Chat | Audience::Caller, _) => Target::chat(chat),
    };
    let Some(community) = community else {
        return Ok(false);
    };
    let now = env.clock.now();
    env.store
        .enqueue(&[Outgoing::new(community, target, reply)], now)
        .await?;
    Ok(true)
}

/// The chat now has another id (a Telegram group upgraded to a
/// supergroup): it keeps its community and its waiting messages.
async fn chat_moved(env: &Env<'_>, platform: Platform, from: &str, to: &str) -> Result<(), StoreError> {
    if env.store.move_chat(platform, from, to).await? {
        tracing::info!(%platform, from, to, "chat moved, with its community");
    }
    Ok(())
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
