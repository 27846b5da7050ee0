//! One community on both platforms, on both backends: a second chat bound by
//! a one-time invitation, one person across Telegram and Discord joined by
//! `/link`, and a member's data in their own hands (`/mydata`, `/forgetme`,
//! the retention sweep). The platforms are spoken to as their adapters speak
//! to the core; what reaches them is read from the outbox.

mod common;

use std::sync::Arc;

use common::{FakeChatAdmins, Harness, TelegramUser, TG_ADMIN as ANN, TG_MEMBER as BEA};
use seatmate_bot::codes::{self, Purpose};
use seatmate_bot::store::{CodeOwner, DeliveryRecord, Envelope, Outgoing, Recipient, Target};
use seatmate_bot::{Audience, Caller, ChatKey, Core, CoreSettings, Inbound, Platform, Reply, Span};

/// Ana, who uses both platforms, with ids nothing else in the database holds.
const ANA_TG: TelegramUser = TelegramUser {
    id: "770031",
    name: "Anastasia Quill",
    username: Some("anaquill"),
    admin: false,
};
const ANA_DISCORD: &str = "990000000000000031";
const CY: TelegramUser = TelegramUser {
    id: "3",
    name: "Cy",
    username: Some("cy"),
    admin: false,
};
const DAN: TelegramUser = TelegramUser {
    id: "4",
    name: "Dan",
    username: Some("dan"),
    admin: false,
};
const GROUP: &str = "-100";
const CHANNEL: &str = "5550001";

/// The harness's store and clock, with chat admins on both platforms.
struct Both {
    h: Harness,
    bot: Core,
    discord_admins: Arc<FakeChatAdmins>,
}

impl Both {
    fn new(h: Harness) -> Both {
        let discord_admins = Arc::new(FakeChatAdmins::default());
        let bot = Core::new(h.store.clone(), h.clock.clone(), CoreSettings::default())
            .with_chat_admins(Platform::Telegram, h.telegram_admins.clone())
            .with_chat_admins(Platform::Discord, discord_admins.clone());
        bot.set_telegram_bot("SeatmateBot");
        Both { h, bot, discord_admins }
    }

    async fn tg(&self, user: &TelegramUser, chat: &str, text: &str) -> Reply {
        self.h.telegram_admins.set(chat, user.id, user.admin);
        self.bot.handle_text(&user.says(chat, text)).await
    }

    /// `user_id` (named `name`) types `text` in Discord `channel`; `admin`:
    /// Discord says they may manage it.
    async fn discord(&self, user_id: &str, name: &str, channel: &str, admin: bool, text: &str) -> Reply {
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

    async fn ana_discord(&self, text: &str) -> Reply {
        self.discord(ANA_DISCORD, "Ana on Discord", CHANNEL, false, text).await
    }

    /// A community in the Telegram group with a one-seat space, and the
    /// Discord channel bound to it by invitation.
    async fn community_on_both(&self) {
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
    async fn waiting(&self, platform: Platform) -> Vec<(Recipient, String, Vec<String>)> {
        let now = self.h.now();
        let claimed: Vec<Envelope> = self
            .h
            .store
            .claim_outbox(platform, now, now + chrono::Duration::seconds(60), 100)
            .await
            .unwrap();
        for envelope in &claimed {
            let sent = DeliveryRecord::Sent { message_id: None };
            self.h.store.record_delivery(envelope.id, &sent, now).await.unwrap();
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

fn text(reply: &Reply) -> String {
    reply.plain_text(Platform::Telegram)
}

#[track_caller]
fn said(reply: &Reply, expected: &str) {
    assert!(
        text(reply).contains(expected),
        "expected '{expected}' in: {}",
        text(reply)
    );
}

/// The one-time code a reply shows (`ABCD-2345`).
#[track_caller]
fn code_in(reply: &Reply) -> String {
    let code = reply.blocks.iter().flat_map(|b| b.spans()).find_map(|span| match span {
        Span::Code(code) if code.len() == 9 && code.as_bytes()[4] == b'-' => Some(code.clone()),
        _ => None,
    });
    code.unwrap_or_else(|| panic!("no code in: {}", text(reply)))
}

async fn a_second_chat_joins_by_invitation_and_hears_the_announcements(h: Harness) {
    let both = Both::new(h);
    said(
        &both.tg(&ANN, GROUP, "/setup Europe/Amsterdam Utrecht Coworkers").await,
        "Welcome",
    );
    said(
        &both.tg(&ANN, GROUP, "/space add cafe-noord capacity 1").await,
        "Added space",
    );

    // Only admins invite; the code is for the admin's eyes only.
    said(&both.tg(&BEA, GROUP, "/invite").await, "Only admins");
    let invitation = both.tg(&ANN, GROUP, "/invite").await;
    assert_eq!(invitation.audience, Audience::Private, "{}", text(&invitation));
    said(&invitation, "valid for 48 hours");
    let code = code_in(&invitation);

    // Mistyped, then right: the Discord channel joins the same community.
    let refused = both.discord("7", "Dee", CHANNEL, true, "/setup join ABCD-2345").await;
    assert_eq!(refused.audience, Audience::Caller);
    let refusal = text(&refused);
    said(&refused, "That code does not work");
    let not_admin = both
        .discord("8", "Eli", CHANNEL, false, &format!("/setup join {code}"))
        .await;
    said(&not_admin, "Only admins of this chat");
    let joined = both
        .discord("7", "Dee", CHANNEL, true, &format!("/setup join {code}"))
        .await;
    said(&joined, "This chat now belongs to Utrecht Coworkers");

    // Used: refused in the very words of a mistyped code.
    let again = both
        .discord("7", "Dee", "5550002", true, &format!("/setup join {code}"))
        .await;
    assert_eq!(text(&again), refusal, "a used code is refused as if it never existed");
    // Bound already: said, and a fresh code is not spent on it.
    let fresh = code_in(&both.tg(&ANN, GROUP, "/invite").await);
    let bound = both
        .discord("7", "Dee", CHANNEL, true, &format!("/setup join {fresh}"))
        .await;
    said(&bound, "This chat already belongs to Utrecht Coworkers");
    said(
        &both
            .discord("7", "Dee", "5550003", true, &format!("/setup join {fresh}"))
            .await,
        "now belongs",
    );
    // Expired after 48 hours.
    let stale = code_in(&both.tg(&ANN, GROUP, "/invite").await);
    both.h.set_time("2026-11-26T09:00:01Z");
    let expired = both
        .discord("7", "Dee", "5550004", true, &format!("/setup join {stale}"))
        .await;
    assert_eq!(text(&expired), refusal);
    both.h.set_time("2026-11-24T10:00:00Z");

    // Admins see the chats with their platform.
    let chats = text(&both.tg(&ANN, GROUP, "/chats").await);
    for line in [
        "-100 on Telegram (this chat)",
        "5550001 on Discord",
        "5550003 on Discord",
    ] {
        assert!(chats.contains(line), "{line} in: {chats}");
    }
    assert!(!chats.contains("5550002"), "{chats}");

    // An offer posted in Telegram is announced in every chat, with its button.
    said(
        &both.tg(&ANN, GROUP, "/offer cafe-noord 1 tomorrow 9-17").await,
        "Announced in 3 chats",
    );
    let discord = both.waiting(Platform::Discord).await;
    assert_eq!(discord.len(), 2, "{discord:?}");
    for (to, body, buttons) in &discord {
        assert!(matches!(to, Recipient::Chat(_)), "{to:?}");
        assert!(body.contains("offers 1 free seat at cafe-noord"), "{body}");
        assert_eq!(buttons, &["/request 1"]);
    }
    let telegram = both.waiting(Platform::Telegram).await;
    assert_eq!(telegram.len(), 1, "{telegram:?}");
    assert_eq!(telegram[0].0, Recipient::Chat(GROUP.into()));
    assert_eq!(telegram[0].2, ["/request 1"]);

    // A Discord member's press confirms; the host hears of it in Telegram.
    let pressed = both.discord("9", "Fay", CHANNEL, false, "/request 1").await;
    said(&pressed, "You have a seat");
    let told = both.waiting(Platform::Telegram).await;
    assert!(
        told.iter()
            .any(|(to, body, _)| *to == Recipient::Member(ANN.id.into()) && body.contains("Fay")),
        "{told:?}"
    );

    // Released one at a time, never the last chat that can be posted in.
    said(
        &both.discord("9", "Fay", CHANNEL, false, "/unbind").await,
        "Only admins",
    );
    said(
        &both.discord("7", "Dee", "5550003", true, "/unbind").await,
        "no longer belongs",
    );
    said(&both.tg(&ANN, GROUP, "/unbind").await, "no longer belongs");
    let last = both.discord("7", "Dee", CHANNEL, true, "/unbind").await;
    said(&last, "last chat of Utrecht Coworkers");
    let chats = text(&both.discord("7", "Dee", CHANNEL, true, "/chats").await);
    assert!(
        chats.contains("5550001 on Discord (this chat)") && !chats.contains("-100"),
        "{chats}"
    );
}

async fn linking_makes_one_member_on_both_platforms(h: Harness) {
    let both = Both::new(h);
    both.community_on_both().await;
    // Ana speaks on both before linking: two members so far.
    said(&both.tg(&ANA_TG, GROUP, "/profile offers rust").await, "Saved");
    said(&both.ana_discord("/profile wants design").await, "Saved");
    said(&both.tg(&ANA_TG, GROUP, "/checkin cafe-noord").await, "cafe-noord");
    both.h.set_time("2026-11-24T09:05:00Z");
    said(&both.ana_discord("/checkin remote").await, "remote");
    let here = text(&both.tg(&BEA, GROUP, "/here").await);
    assert_eq!(
        here.matches("@anaquill").count() + here.matches("Ana on Discord").count(),
        2,
        "{here}"
    );

    // The seat: Ana on Discord holds it; Bea waits first, Ana on Telegram second.
    said(
        &both.tg(&ANN, GROUP, "/offer cafe-noord 1 tomorrow").await,
        "Posted offer #1",
    );
    said(&both.ana_discord("/request 1").await, "You have a seat");
    said(&both.tg(&BEA, GROUP, "/request 1").await, "number 1 on the waitlist");
    said(&both.tg(&ANA_TG, GROUP, "/request 1").await, "number 2 on the waitlist");
    // Two seats at the loft: Ana holds both, one on each account; Cy waits.
    said(&both.tg(&ANN, GROUP, "/space add loft capacity 4").await, "Added space");
    said(&both.tg(&ANN, GROUP, "/offer loft 2 tomorrow").await, "Posted offer #2");
    said(&both.tg(&ANA_TG, GROUP, "/request 2").await, "You have a seat");
    said(&both.ana_discord("/request 2").await, "You have a seat");
    said(&both.tg(&CY, GROUP, "/request 2").await, "number 1 on the waitlist");
    for who in [&BEA, &CY, &DAN] {
        said(&both.tg(who, GROUP, "/pairing on").await, "You're in");
    }
    said(&both.tg(&ANA_TG, GROUP, "/pairing on").await, "You're in");
    said(&both.ana_discord("/pairing on").await, "You're in");

    // A code in Ana's private chat, with the deep link; redeemed on Discord.
    let asked = both.tg(&ANA_TG, ANA_TG.id, "/link").await;
    assert_eq!(asked.audience, Audience::Private);
    let code = code_in(&asked);
    said(
        &asked,
        &format!("https://t.me/SeatmateBot?start=link_{}", code.replace('-', "")),
    );
    let linked = both.ana_discord(&format!("/link {}", code.to_lowercase())).await;
    said(&linked, "Linked: you are one member on Discord + Telegram");
    said(&linked, "2 offers you had asked for on both accounts");
    // The second seat went to Cy, who is told.
    let told = both.waiting(Platform::Telegram).await;
    assert!(
        told.iter()
            .any(|(to, body, _)| *to == Recipient::Member(CY.id.into()) && body.contains("you now have a seat at loft")),
        "{told:?}"
    );
    let loft = text(&both.tg(&ANN, GROUP, "/offers").await);
    assert!(loft.contains("#2 loft") && loft.contains("0 of 2 seats left"), "{loft}");

    // Once in /here (the later check-in), once on the offer, with the better place.
    let here = text(&both.tg(&BEA, GROUP, "/here").await);
    assert_eq!(here.matches("@anaquill").count(), 1, "{here}");
    assert!(!here.contains("Ana on Discord"), "{here}");
    assert!(here.contains("remote"), "the later check-in stays: {here}");
    let seats = text(&both.tg(&ANA_TG, GROUP, "/myseats").await);
    assert!(seats.contains("you have a seat"), "{seats}");
    let offers = text(&both.tg(&ANN, GROUP, "/offers").await);
    assert_eq!(offers.matches("@anaquill").count(), 2, "once on each offer: {offers}");
    assert!(offers.contains("@bea (#2): number 1 on the waitlist"), "{offers}");
    // One profile, both accounts.
    let profile = text(&both.ana_discord("/profile").await);
    assert!(
        profile.contains("Can help with: rust") && profile.contains("Looking for: design"),
        "{profile}"
    );
    assert!(
        profile.contains("Telegram @anaquill") && profile.contains("Discord"),
        "{profile}"
    );

    // One place in a round: Ana, Bea, Cy and Dan are four, so two pairs.
    both.h.set_time("2026-11-24T10:00:00Z");
    said(&both.tg(&ANN, GROUP, "/pairnow").await, "2 pairs");
    let community = both.h.store.communities().await.unwrap().remove(0);
    let round = both
        .h
        .store
        .round(community.id, "2026-11-24".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(round.groups.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);

    // A used code, and an expired one, are refused.
    said(
        &both.ana_discord(&format!("/link {code}")).await,
        "That code does not work",
    );
    let stale = code_in(&both.tg(&ANA_TG, ANA_TG.id, "/link").await);
    both.h.set_time("2026-11-24T10:10:01Z");
    said(
        &both.ana_discord(&format!("/link {stale}")).await,
        "That code does not work",
    );

    // Private messages go where Ana asks.
    said(
        &both.tg(&ANA_TG, GROUP, "/profile notify discord").await,
        "go to Discord",
    );
    said(
        &both.tg(&BEA, GROUP, "/profile notify discord").await,
        "no Discord account",
    );
    let ana_id = member_of(&both, ANA_TG.id).await;
    both.waiting(Platform::Discord).await;
    both.waiting(Platform::Telegram).await;
    both.h
        .store
        .enqueue(
            &[Outgoing::new(
                community.id,
                Target::Member(ana_id),
                Reply::private().line(vec![Span::Text("psst".into())]),
            )],
            both.h.now(),
        )
        .await
        .unwrap();
    let to_discord = both.waiting(Platform::Discord).await;
    let private: Vec<_> = to_discord
        .iter()
        .filter(|(to, _, _)| matches!(to, Recipient::Member(_)))
        .collect();
    assert_eq!(private.len(), 1, "{to_discord:?}");
    assert_eq!(private[0].0, Recipient::Member(ANA_DISCORD.into()));
    assert_eq!(private[0].1, "psst");

    // Unlinked again: the Discord account is a member of its own.
    said(&both.ana_discord("/unlink").await, "on its own again");
    said(&both.ana_discord("/unlink").await, "not linked");
    assert_ne!(member_of(&both, ANA_TG.id).await, discord_member(&both).await);
}

/// The member behind a Telegram user id.
async fn member_of(both: &Both, telegram_id: &str) -> seatmate_bot::domain::MemberId {
    let community = both.h.store.communities().await.unwrap().remove(0);
    both.h
        .store
        .find_members(
            community.id,
            Platform::Telegram,
            &seatmate_bot::domain::MemberHandle::PlatformId(telegram_id.into()),
        )
        .await
        .unwrap()
        .remove(0)
        .id
}

async fn discord_member(both: &Both) -> seatmate_bot::domain::MemberId {
    let community = both.h.store.communities().await.unwrap().remove(0);
    both.h
        .store
        .find_members(
            community.id,
            Platform::Discord,
            &seatmate_bot::domain::MemberHandle::PlatformId(ANA_DISCORD.into()),
        )
        .await
        .unwrap()
        .remove(0)
        .id
}

async fn forgetme_leaves_no_trace_gives_the_seat_away_and_keeps_the_counts(h: Harness) {
    let both = Both::new(h);
    both.community_on_both().await;
    said(&both.tg(&ANA_TG, GROUP, "/profile offers rust").await, "Saved");
    said(&both.ana_discord("/profile about Anastasia builds bots").await, "Saved");
    let code = code_in(&both.tg(&ANA_TG, ANA_TG.id, "/link").await);
    said(&both.ana_discord(&format!("/link {code}")).await, "Linked");
    // An outstanding code, a check-in, a seat with Bea waiting, hosting an
    // offer Cy asked for, a round they met in, and a message still to go.
    code_in(&both.ana_discord("/link").await);
    said(&both.tg(&ANA_TG, GROUP, "/checkin cafe-noord").await, "cafe-noord");
    said(&both.tg(&ANN, GROUP, "/space add loft capacity 4").await, "Added space");
    said(
        &both.tg(&ANN, GROUP, "/host add @anaquill loft").await,
        "now hosts loft",
    );
    said(
        &both.tg(&ANN, GROUP, "/offer cafe-noord 1 tomorrow").await,
        "Posted offer #1",
    );
    said(&both.tg(&ANA_TG, GROUP, "/request 1").await, "You have a seat");
    said(&both.tg(&BEA, GROUP, "/request 1").await, "number 1 on the waitlist");
    said(&both.ana_discord("/offer loft 2 tomorrow").await, "Posted offer #2");
    said(&both.tg(&CY, GROUP, "/request 2").await, "You have a seat");
    for who in [&ANA_TG, &BEA] {
        said(&both.tg(who, GROUP, "/pairing on").await, "You're in");
    }
    said(&both.tg(&ANN, GROUP, "/pairnow").await, "1 pair");
    said(&both.tg(&ANA_TG, GROUP, "/met").await, "");
    both.waiting(Platform::Telegram).await;
    both.waiting(Platform::Discord).await;
    let community = both.h.store.communities().await.unwrap().remove(0);
    let stats = both.h.store.pairing_stats(community.id).await.unwrap();
    assert_eq!((stats.placed, stats.met), (2, 1));
    let ana = member_of(&both, ANA_TG.id).await;

    // Asked first, with a button; the answer only for Ana.
    let asked = both.tg(&ANA_TG, GROUP, "/forgetme").await;
    said(&asked, "Sure?");
    assert_eq!(asked.buttons[0].command, "/forgetme confirm");
    let done = both.ana_discord("/forgetme confirm").await;
    said(&done, "Seatmate keeps nothing about you");

    // Bea got the seat and is told; Cy's offer was withdrawn and Cy told.
    let told = both.waiting(Platform::Telegram).await;
    assert!(
        told.iter()
            .any(|(to, body, _)| *to == Recipient::Member(BEA.id.into()) && body.contains("you now have a seat")),
        "{told:?}"
    );
    assert!(
        told.iter()
            .any(|(to, body, _)| *to == Recipient::Member(CY.id.into()) && body.contains("withdrawn")),
        "{told:?}"
    );
    let offers = text(&both.tg(&ANN, GROUP, "/offers").await);
    assert!(offers.contains("@bea"), "{offers}");
    // The stats still count Ana's placement and meeting, without her.
    let after = both.h.store.pairing_stats(community.id).await.unwrap();
    assert_eq!(after, stats);

    // No row of any table carries her.
    for cell in seatmate_storage::test_support::every_cell(&both.h.url).await {
        let Some(value) = &cell.value else { continue };
        let names_member = cell.column.ends_with("member_id") || (cell.table == "members" && cell.column == "id");
        assert!(
            !(names_member && *value == ana.0.to_string()),
            "{}.{} still holds member {}",
            cell.table,
            cell.column,
            ana.0
        );
        for trace in [ANA_TG.id, ANA_DISCORD, "Anastasia", "anaquill"] {
            assert!(
                !value.contains(trace),
                "{}.{} still holds '{trace}': {value}",
                cell.table,
                cell.column
            );
        }
    }
    // Speaking again, she is a new member with nothing.
    let fresh = text(&both.tg(&ANA_TG, GROUP, "/profile").await);
    assert!(fresh.contains("Can help with: (nothing yet)"), "{fresh}");
}

async fn codes_are_single_use_under_concurrency_expire_and_are_kept_hashed(h: Harness) {
    said(&h.telegram(&ANN, GROUP, "/setup Utrecht Coworkers").await, "Welcome");
    let community = h.store.communities().await.unwrap().remove(0);
    let owner = CodeOwner {
        community: Some(community.id),
        member: None,
    };
    for _ in 0..5 {
        let code = codes::new_code();
        h.store
            .issue_code(
                Purpose::Invite,
                &code.hash,
                owner,
                h.now(),
                h.now() + codes::INVITE_VALID,
            )
            .await
            .unwrap();
        let hash = codes::hash_typed(&code.shown).unwrap();
        let (a, b) = tokio::join!(
            h.store.redeem_code(Purpose::Invite, &hash, h.now()),
            h.store.redeem_code(Purpose::Invite, &hash, h.now())
        );
        let wins = [a.unwrap(), b.unwrap()].into_iter().flatten().count();
        assert_eq!(wins, 1, "one of two redemptions at once wins");
    }
    // Kept only hashed; a code of one purpose does not redeem the other.
    let code = codes::new_code();
    h.store
        .issue_code(Purpose::Link, &code.hash, owner, h.now(), h.now() + codes::LINK_VALID)
        .await
        .unwrap();
    for cell in seatmate_storage::test_support::every_cell(&h.url).await {
        let value = cell.value.unwrap_or_default();
        assert!(
            !value.contains(&code.compact) && !value.contains(&code.shown),
            "{}.{} holds the code in clear",
            cell.table,
            cell.column
        );
    }
    assert_eq!(
        h.store.redeem_code(Purpose::Invite, &code.hash, h.now()).await.unwrap(),
        None
    );
    // Expired at ten minutes, and swept away.
    let later = h.now() + codes::LINK_VALID;
    assert_eq!(
        h.store.redeem_code(Purpose::Link, &code.hash, later).await.unwrap(),
        None
    );
    h.set_time("2026-11-24T09:10:00Z");
    assert_eq!(h.bot.sweep_old_data().await.unwrap().codes, 1);
}

async fn old_checkins_are_swept_and_mydata_exports_the_rest(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.set_time("2026-08-20T09:00:00Z");
    h.text("carla", "/checkin cafe-noord old times").await;
    // An announcement then, delivered then.
    said(&h.say("admin", "/offer cafe-noord 1 today").await, "Posted offer #1");
    assert!(h.delivered().await.contains("offers 1 free seat"));
    h.set_time("2026-11-24T09:00:00Z");
    h.text("carla", "/checkin cafe-noord today").await;
    h.text("carla", "/profile offers databases").await;
    said(&h.say("admin", "/offer cafe-noord 1 today").await, "Posted offer #2");
    let purged = h.bot.sweep_old_data().await.unwrap();
    assert_eq!(purged.checkins, 1, "96 days old: past the 90 kept");
    assert_eq!(purged.messages, 1, "the old announcement, not today's still to go");
    assert!(h.delivered().await.contains("offer #2"), "today's goes out");

    let reply = h.say("carla", "/mydata").await;
    assert_eq!(reply.audience, Audience::Private);
    let file = reply.attachment.as_ref().expect("a file");
    assert_eq!(file.file_name, "seatmate-data-2026-11-24.json");
    let data: serde_json::Value = serde_json::from_str(&file.content).unwrap();
    assert_eq!(data["display_name"], "carla");
    assert_eq!(data["offers"], serde_json::json!(["databases"]));
    assert_eq!(data["identities"][0]["platform"], "console");
    let checkins = data["checkins"].as_array().unwrap();
    assert_eq!(checkins.len(), 1, "{checkins:?}");
    assert_eq!(checkins[0]["note"], "today");
    assert_eq!(data["memberships"][0]["community"], "Utrecht Coworkers");
}

on_both_backends!(
    a_second_chat_joins_by_invitation_and_hears_the_announcements,
    linking_makes_one_member_on_both_platforms,
    forgetme_leaves_no_trace_gives_the_seat_away_and_keeps_the_counts,
    codes_are_single_use_under_concurrency_expire_and_are_kept_hashed,
    old_checkins_are_swept_and_mydata_exports_the_rest,
);
