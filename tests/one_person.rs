//! One person on both platforms, and their data in their own hands, on both
//! backends: `/link` joins a Telegram and a Discord account into one member
//! (the merge rules; once in `/here`, a round and a waitlist), `/unlink`
//! splits them, `/forgetme` leaves no row that names them (the tables are
//! read from the schema), and the retention sweep and `/mydata`.

mod common;

use common::both::{code_in, member_on, said, text, Both, ANA_DISCORD, ANA_TG, CY, DAN, GROUP};
use common::{Harness, TG_ADMIN as ANN, TG_MEMBER as BEA};
use seatmate_bot::store::{Outgoing, Recipient, Target};
use seatmate_bot::{Audience, Platform, Reply, Span};

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
        here.matches("Anastasia Quill").count() + here.matches("Ana on Discord").count(),
        2,
        "{here}"
    );

    // The seat: Ana on Discord holds it; Bea waits first, Ana on Telegram second.
    // The announcement answers it in the group.
    assert!(both.tg(&ANN, GROUP, "/offer cafe-noord 1 tomorrow").await.is_nothing());
    said(&both.ana_discord("/request 1").await, "You have a seat");
    said(&both.tg(&BEA, GROUP, "/request 1").await, "number 1 on the waitlist");
    said(&both.tg(&ANA_TG, GROUP, "/request 1").await, "number 2 on the waitlist");
    // Two seats at the loft: Ana holds both, one on each account; Cy waits.
    said(&both.tg(&ANN, GROUP, "/space add loft capacity 4").await, "Added space");
    assert!(
        both.tg(&ANN, GROUP, "/offer loft 2 tomorrow").await.is_nothing(),
        "the announcement answers it"
    );
    said(&both.tg(&ANA_TG, GROUP, "/request 2").await, "You have a seat");
    said(&both.ana_discord("/request 2").await, "You have a seat");
    said(&both.tg(&CY, GROUP, "/request 2").await, "number 1 on the waitlist");
    for who in [&BEA, &CY, &DAN] {
        said(&both.tg(who, GROUP, "/pairing on").await, "You're in");
    }
    said(&both.tg(&ANA_TG, GROUP, "/pairing on").await, "You're in");
    said(&both.ana_discord("/pairing on").await, "You're in");
    // A standing request on each account at the same space, and reminders
    // turned off on one.
    said(
        &both.tg(&ANA_TG, GROUP, "/request loft every mon-fri").await,
        "Standing request",
    );
    said(&both.ana_discord("/request loft every mon").await, "Standing request");
    said(
        &both.ana_discord("/profile reminders off").await,
        "No more seat reminders",
    );

    // A code in Ana's private chat, with the deep link; redeemed on Discord.
    let asked = both.tg(&ANA_TG, ANA_TG.id, "/link").await;
    assert_eq!(asked.audience, Audience::Private);
    let code = code_in(&asked);
    said(
        &asked,
        &format!("https://t.me/SeatmateBot?start=link_{}", code.replace('-', "")),
    );
    // Another Telegram account cannot take it (two Telegram accounts in one
    // member), and trying does not spend it.
    said(
        &both.tg(&CY, GROUP, &format!("/link {code}")).await,
        "two Telegram accounts",
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
    assert_eq!(here.matches("Anastasia Quill").count(), 1, "{here}");
    assert!(!here.contains("Ana on Discord"), "{here}");
    assert!(here.contains("remote"), "the later check-in stays: {here}");
    let seats = text(&both.tg(&ANA_TG, GROUP, "/myseats").await);
    assert!(seats.contains("you have a seat"), "{seats}");
    assert_eq!(
        seats.matches("🔁 every").count(),
        1,
        "one standing request a space: {seats}"
    );
    let offers = text(&both.tg(&ANN, GROUP, "/offers").await);
    assert_eq!(offers.matches("@anaquill").count(), 2, "once on each offer: {offers}");
    assert!(offers.contains("2. @bea: number 1 on the waitlist"), "{offers}");
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
    assert!(
        profile.contains("Seat reminders: off"),
        "off on one account is off: {profile}"
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
    let ana_id = member_on(&both, Platform::Telegram, ANA_TG.id).await;
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
    assert_ne!(
        member_on(&both, Platform::Telegram, ANA_TG.id).await,
        member_on(&both, Platform::Discord, ANA_DISCORD).await
    );
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
    assert!(
        both.tg(&ANN, GROUP, "/offer cafe-noord 1 tomorrow").await.is_nothing(),
        "the announcement answers it"
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
    // A question of hers, that named her, to Bea.
    said(&both.tg(&BEA, GROUP, "/profile offers rust").await, "Saved");
    said(
        &both.tg(&ANA_TG, GROUP, "/ask anaquill needs rust help").await,
        "(question #1)",
    );
    both.waiting(Platform::Telegram).await;
    both.waiting(Platform::Discord).await;
    let community = both.h.store.communities().await.unwrap().remove(0);
    let stats = both.h.store.pairing_stats(community.id).await.unwrap();
    assert_eq!((stats.placed, stats.met), (2, 1));
    let ana = member_on(&both, Platform::Telegram, ANA_TG.id).await;

    // Asked first, privately, with a button that carries a one-time
    // confirmation; typing it, pressing it in a group or pressing someone
    // else's erases nothing.
    let asked = both.tg(&ANA_TG, GROUP, "/forgetme").await;
    said(&asked, "Sure?");
    assert_eq!(asked.audience, seatmate_bot::Audience::Private);
    let confirm = asked.buttons[0].command.clone();
    assert!(confirm.starts_with("/forgetme confirm "), "{confirm}");
    said(&both.ana_discord(&confirm).await, "only with the button");
    said(&both.tg(&ANA_TG, GROUP, &confirm).await, "only with the button");
    said(&both.tg_press(&ANA_TG, GROUP, &confirm).await, "only with the button");
    said(&both.tg_press(&BEA, BEA.id, &confirm).await, "only they can press it");
    said(&both.tg(&ANA_TG, GROUP, "/myseats").await, "you have a seat");
    // Her own press, under the ephemeral ask on Discord, erases.
    let done = both.ana_discord_press(&confirm).await;
    said(&done, "Seatmate keeps nothing about you");
    // Had Telegram not taken that answer at once, keeping it for later
    // records nobody again: in the group it waits for the chat; in her
    // private chat there is nothing left to keep it under.
    let ana_tg = ANA_TG.says(GROUP, "/forgetme confirm");
    assert!(both
        .bot
        .deliver_later(&ana_tg.chat, &ana_tg.caller, done.clone())
        .await
        .unwrap());
    let in_private = ANA_TG.says(ANA_TG.id, "/forgetme confirm");
    assert!(!both
        .bot
        .deliver_later(&in_private.chat, &in_private.caller, done)
        .await
        .unwrap());

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

async fn old_checkins_are_swept_and_mydata_exports_the_rest(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.set_time("2026-08-20T09:00:00Z");
    h.text("carla", "/checkin cafe-noord old times").await;
    // Dora came too, then had herself forgotten: her visit stays a number.
    h.text("dora", "/checkin cafe-noord").await;
    let confirm = h.say("dora", "/forgetme").await.buttons[0].command.clone();
    let done = h.bot.handle_press(&seatmate_console::request("dora", &confirm)).await;
    said(&done, "keeps nothing about you");
    let visits = || async {
        seatmate_storage::test_support::every_cell(&h.url)
            .await
            .into_iter()
            .filter(|c| c.table == "forgotten_visits" && c.column == "local_date")
            .count()
    };
    assert_eq!(visits().await, 1, "dora's visit, as a number");
    // An announcement then, delivered then.
    said(&h.say("admin", "/offer cafe-noord 1 today").await, "Posted offer #1");
    assert!(h.delivered().await.contains("offers 1 free seat"));
    h.set_time("2026-11-24T09:00:00Z");
    h.text("carla", "/checkin cafe-noord today").await;
    h.text("carla", "/profile offers databases").await;
    said(&h.say("admin", "/offer cafe-noord 1 today").await, "Posted offer #2");
    let purged = h.bot.scheduler().sweep_old_data().await.unwrap();
    assert_eq!(purged.checkins, 1, "96 days old: past the 90 kept");
    assert_eq!(visits().await, 0, "a forgotten visit goes when check-ins do");
    assert_eq!(purged.messages, 1, "the old announcement, not today's still to go");
    assert!(h.delivered().await.contains("offer #2"), "today's goes out");

    // A private message to Carla, delivered: hers, so in her data.
    let community = h.console_community().await.unwrap();
    let carla = h
        .store
        .enter(&seatmate_console::chat(), &common::console_person("carla"), h.now())
        .await
        .unwrap()
        .member;
    let psst = Reply::private().line(vec![Span::Text("psst".into())]);
    h.store
        .enqueue(&[Outgoing::new(community.id, Target::Member(carla), psst)], h.now())
        .await
        .unwrap();
    assert!(h.delivered().await.contains("psst"));
    h.text("carla", "/request cafe-noord every mon").await;
    h.text("carla", "/profile reminders off").await;
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
    assert_eq!(data["messages"][0]["text"], "psst");
    assert_eq!(data["messages"][0]["state"], "sent");
    assert_eq!(data["seat_reminders"], false);
    assert_eq!(data["standing_requests"][0]["space"], "cafe-noord");
    assert_eq!(data["standing_requests"][0]["days"], "mon");
}

on_both_backends!(
    linking_makes_one_member_on_both_platforms,
    forgetme_leaves_no_trace_gives_the_seat_away_and_keeps_the_counts,
    old_checkins_are_swept_and_mydata_exports_the_rest,
);
