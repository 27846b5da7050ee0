//! Two platforms on one core, for the stories of one community on both:
//! the harness's store and clock behind a core that knows chat admins on
//! Telegram and Discord, people on both, and what the outbox holds for each.

use std::sync::Arc;

use seatmate_bot::store::{DeliveryRecord, Envelope, Recipient};
use seatmate_bot::{Caller, ChatKey, Core, CoreSettings, Inbound, Platform, Reply, Span};

use super::{FakeChatAdmins, Harness, TelegramUser, TG_ADMIN as ANN};

/// Ana, who uses both platforms, with ids nothing else in the database holds.
pub const ANA_TG: TelegramUser = TelegramUser {
    id: "770031",
    name: "Anastasia Quill",
    username: Some("anaquill"),
    admin: false,
};
pub const ANA_DISCORD: &str = "990000000000000031";
pub const CY: TelegramUser = TelegramUser {
    id: "3",
    name: "Cy",
    username: Some("cy"),
    admin: false,
};
pub const DAN: TelegramUser = TelegramUser {
    id: "4",
    name: "Dan",
    username: Some("dan"),
    admin: false,
};
pub const GROUP: &str = "-100";
pub const CHANNEL: &str = "5550001";

/// The harness's store and clock, with chat admins on both platforms.
pub struct Both {
    pub h: Harness,
    pub bot: Core,
    pub discord_admins: Arc<FakeChatAdmins>,
}

impl Both {
    pub fn new(h: Harness) -> Both {
        let discord_admins = Arc::new(FakeChatAdmins::default());
        let bot = Core::new(h.store.clone(), h.clock.clone(), CoreSettings::default())
            .with_chat_admins(Platform::Telegram, h.telegram_admins.clone())
            .with_chat_admins(Platform::Discord, discord_admins.clone());
        bot.set_telegram_bot("SeatmateBot");
        Both { h, bot, discord_admins }
    }

    pub async fn tg(&self, user: &TelegramUser, chat: &str, text: &str) -> Reply {
        self.h.telegram_admins.set(chat, user.id, user.admin);
        self.bot.handle_text(&user.says(chat, text)).await
    }

    /// `user_id` (named `name`) types `text` in Discord `channel`; `admin`:
    /// Discord says they may manage it.
    pub async fn discord(&self, user_id: &str, name: &str, channel: &str, admin: bool, text: &str) -> Reply {
        self.discord_admins.set(channel, user_id, admin);
        let inbound = Inbound::new(
            ChatKey {
                platform: Platform::Discord,
                chat_id: channel.into(),
                private: false,
            },
            Caller {
                user_id: user_id.into(),
                display_name: name.into(),
                username: None,
            },
            text,
        );
        self.bot.handle_text(&inbound).await
    }

    pub async fn ana_discord(&self, text: &str) -> Reply {
        self.discord(ANA_DISCORD, "Ana on Discord", CHANNEL, false, text).await
    }

    /// `user` presses a button carrying `data` in Telegram `chat`.
    pub async fn tg_press(&self, user: &TelegramUser, chat: &str, data: &str) -> Reply {
        self.bot.handle_press(&user.says(chat, data)).await
    }

    /// Ana presses a button carrying `data` under an (ephemeral) message in
    /// the Discord channel.
    pub async fn ana_discord_press(&self, data: &str) -> Reply {
        let mut inbound = ANA_TG.says(CHANNEL, data);
        inbound.chat = ChatKey {
            platform: Platform::Discord,
            chat_id: CHANNEL.into(),
            private: false,
        };
        inbound.caller = Caller {
            user_id: ANA_DISCORD.into(),
            display_name: "Ana on Discord".into(),
            username: None,
        };
        self.bot.handle_press(&inbound).await
    }

    /// A community in the Telegram group with a one-seat space, and the
    /// Discord channel bound to it by invitation.
    pub async fn community_on_both(&self) {
        said(
            &self.tg(&ANN, GROUP, "/setup Europe/Amsterdam Utrecht Coworkers").await,
            "Welcome",
        );
        said(
            &self.tg(&ANN, GROUP, "/space add cafe-noord capacity 1").await,
            "Added space",
        );
        let code = code_in(&self.tg(&ANN, GROUP, "/invite").await);
        let joined = self
            .discord("7", "Dee", CHANNEL, true, &format!("/setup join {code}"))
            .await;
        said(&joined, "This chat now belongs to Utrecht Coworkers");
    }

    /// What waits in the outbox for `platform`, rendered (and recorded as sent).
    pub async fn waiting(&self, platform: Platform) -> Vec<(Recipient, String, Vec<String>)> {
        let now = self.h.now();
        let claimed: Vec<Envelope> = self
            .h
            .store
            .claim_outbox(platform, now, now + chrono::Duration::seconds(60), 100, "test/claim")
            .await
            .unwrap();
        for envelope in &claimed {
            let sent = DeliveryRecord::Sent { message_id: None };
            self.h
                .store
                .record_delivery(envelope.id, &envelope.claim, &sent, now)
                .await
                .unwrap();
        }
        claimed
            .into_iter()
            .map(|e| {
                let body = e.body.render(seatmate_bot::Locale::En);
                let buttons = body.buttons.iter().map(|b| b.command.clone()).collect();
                (e.recipient, body.plain_text(platform), buttons)
            })
            .collect()
    }
}

pub fn text(reply: &Reply) -> String {
    reply.plain_text(Platform::Telegram)
}

#[track_caller]
pub fn said(reply: &Reply, expected: &str) {
    assert!(
        text(reply).contains(expected),
        "expected '{expected}' in: {}",
        text(reply)
    );
}

/// The one-time code a reply shows (`ABCD-2345`).
#[track_caller]
pub fn code_in(reply: &Reply) -> String {
    let code = reply.blocks.iter().flat_map(|b| b.spans()).find_map(|span| match span {
        Span::Code(code) if code.len() == 9 && code.as_bytes()[4] == b'-' => Some(code.clone()),
        _ => None,
    });
    code.unwrap_or_else(|| panic!("no code in: {}", text(reply)))
}

/// The member behind a user id on `platform`, in the (only) community.
pub async fn member_on(both: &Both, platform: Platform, user_id: &str) -> seatmate_bot::domain::MemberId {
    let community = both.h.store.communities().await.unwrap().remove(0);
    let handle = seatmate_bot::domain::MemberHandle::PlatformId(user_id.into());
    let mut found = both
        .h
        .store
        .find_members(community.id, platform, &handle)
        .await
        .unwrap();
    found.remove(0).id
}
