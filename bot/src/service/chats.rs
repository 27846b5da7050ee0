//! What happens to a chat itself, as its platform reports it: the bot was
//! added to it, removed from it, or the chat got a new id.

use super::setup_example;
use crate::domain::Platform;
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::store::{ChatKey, Outgoing, StoreError, Target};
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

    /// The chat now has another id (a Telegram group upgraded to a
    /// supergroup): it keeps its community and its waiting messages.
    pub async fn chat_moved(&self, platform: Platform, from: &str, to: &str) -> Result<(), StoreError> {
        if self.store.move_chat(platform, from, to).await? {
            tracing::info!(%platform, from, to, "chat moved, with its community");
        }
        Ok(())
    }
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Telegram => "Telegram",
        Platform::Discord => "Discord",
        Platform::Console => "console",
    }
}
