//! One community on both platforms, on both backends: a second chat bound by
//! a one-time invitation (announcements and buttons reach every chat; chats
//! are listed and released, never the last), and the codes themselves
//! (single use under concurrency, expiry, kept only hashed). The platforms
//! are spoken to as their adapters speak to the core; what reaches them is
//! read from the outbox.

mod common;

use common::both::{code_in, said, text, Both, CHANNEL, GROUP};
use common::{Harness, TG_ADMIN as ANN, TG_MEMBER as BEA};
use seatmate_bot::codes::{self, Purpose};
use seatmate_bot::store::{CodeOwner, Recipient};
use seatmate_bot::{Audience, Platform};

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
    // In the Telegram group it was posted from, the announcement is the
    // answer: no confirmation besides it.
    assert!(both
        .tg(&ANN, GROUP, "/offer cafe-noord 1 tomorrow 9-17")
        .await
        .is_nothing());
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
    // An announcement still to go to a released chat is given up.
    assert!(both
        .tg(&ANN, GROUP, "/offer cafe-noord 1 2026-11-27")
        .await
        .is_nothing());
    said(
        &both.discord("7", "Dee", "5550003", true, "/unbind").await,
        "no longer belongs",
    );
    let discord = both.waiting(Platform::Discord).await;
    assert_eq!(discord.len(), 1, "{discord:?}");
    assert_eq!(discord[0].0, Recipient::Chat(CHANNEL.into()));
    said(&both.tg(&ANN, GROUP, "/unbind").await, "no longer belongs");
    let last = both.discord("7", "Dee", CHANNEL, true, "/unbind").await;
    said(&last, "last chat of Utrecht Coworkers");
    let chats = text(&both.discord("7", "Dee", CHANNEL, true, "/chats").await);
    assert!(
        chats.contains("5550001 on Discord (this chat)") && !chats.contains("-100"),
        "{chats}"
    );
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
    assert_eq!(h.bot.scheduler().sweep_old_data().await.unwrap().codes, 1);
}

/// `/whois @bea`: what Bea can help with, looks for and says, shown to the
/// asker alone; a name nobody has, or no name, is refused and changes
/// nothing.
async fn whois_shows_what_a_member_can_help_with_to_the_asker_alone(h: Harness) {
    h.community("ann", &["cafe-noord"]).await;
    h.text("bea", "/profile offers rust, pitch decks").await;
    h.text("bea", "/profile about Building a booking app").await;
    let reply = h.say("ann", "/whois @bea").await;
    assert_eq!(reply.audience, Audience::Caller);
    let shown = seatmate_console::render(&reply, "ann");
    assert_eq!(
        shown,
        "seatmate (only ann): @bea's profile:\n    • Can help with: pitch-decks, rust\n    • Looking for: (nothing yet)\n    • About: Building a booking app\n"
    );
    let before = h.snapshot(&["ann", "bea"]).await;
    let unknown = h.text("ann", "/whois @zed").await;
    assert!(unknown.contains("@zed"), "{unknown}");
    let bare = h.text("ann", "/whois").await;
    assert!(bare.contains("/whois @alice"), "the usage's example: {bare}");
    assert_eq!(h.snapshot(&["ann", "bea"]).await, before);
}

on_both_backends!(
    whois_shows_what_a_member_can_help_with_to_the_asker_alone,
    a_second_chat_joins_by_invitation_and_hears_the_announcements,
    codes_are_single_use_under_concurrency_expire_and_are_kept_hashed,
);
