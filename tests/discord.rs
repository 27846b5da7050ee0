//! The real `seatmate` binary in Discord: `seatmate run` with a token,
//! against a fake Discord on 127.0.0.1 (REST and gateway) that checks every
//! request against Discord's OpenAPI description (see
//! `common/fake_discord.rs`).

mod common;
#[path = "common/discord_bot.rs"]
mod discord_bot;
#[path = "common/fake_discord.rs"]
mod fake_discord;

use std::time::Duration;

use discord_bot::*;
use fake_discord::{command, press, typing, FakeDiscord, Posted, MANAGE_SERVER, NO_PERMISSIONS};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_catalogue_command_is_registered_with_typed_options() {
    let bot = Bot::start().await;
    let commands = bot.fake.state().commands.clone();
    assert_eq!(commands.len(), seatmate_bot::catalogue::CATALOGUE.len());
    let find = |name: &str| commands.iter().find(|c| c["name"] == name).cloned().unwrap();
    let host_add = &find("host")["options"][0];
    assert_eq!(host_add["options"][0]["type"], 6, "a USER option");
    assert_eq!(find("setup")["default_member_permissions"], "32");
    // Erasing is confirmed by a button only: no option types a confirmation.
    assert!(
        find("forgetme")["options"].as_array().is_none_or(Vec::is_empty),
        "{}",
        find("forgetme")
    );
    // Hosts name a request by its offer and its number there.
    let approve = find("approve");
    let approve: Vec<&str> = approve["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(approve, ["offer", "request"]);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_story_setup_refusals_checkins_autocomplete_and_hosts() {
    let bot = Bot::start().await;
    bot.community().await;

    let refused = bot
        .slash(
            &bea(),
            NO_PERMISSIONS,
            "space",
            sub("add", json!([string("slug", "loft")])),
        )
        .await;
    assert!(refused.ephemeral, "a refusal is for the caller only");
    assert!(refused.content.contains("admin"), "{}", refused.content);

    for (who, offers) in [(bea(), "rust"), (cas(), "design"), (dan(), "pitching")] {
        bot.slash(
            &who,
            NO_PERMISSIONS,
            "profile",
            sub("offers", json!([string("tags", offers)])),
        )
        .await;
    }
    bot.slash(
        &dan(),
        NO_PERMISSIONS,
        "profile",
        sub("wants", json!([string("tags", "rust, design")])),
    )
    .await;
    bot.slash(
        &bea(),
        NO_PERMISSIONS,
        "checkin",
        json!([string("space", "cafe-noord")]),
    )
    .await;
    bot.slash(
        &cas(),
        NO_PERMISSIONS,
        "checkin",
        json!([string("space", "cafe-noord")]),
    )
    .await;
    let third = bot
        .slash(
            &dan(),
            NO_PERMISSIONS,
            "checkin",
            json!([string("space", "cafe-noord")]),
        )
        .await;
    assert!(third.content.contains(&format!("<@{BEA}>")), "{}", third.content);
    assert!(third.content.contains(&format!("<@{CAS}>")), "{}", third.content);
    // Named, never pinged: a list of who is here notifies nobody.
    assert!(third.pings.is_empty() && !third.pings_broadly, "{:?}", third.pings);

    autocomplete_offers_the_space(&bot).await;

    // A host picked with a USER option.
    let hosted = bot
        .slash(
            &ann(),
            MANAGE_SERVER,
            "host",
            sub("add", json!([member("member", CAS), string("space", "cafe-noord")])),
        )
        .await;
    assert!(hosted.content.contains("now hosts"), "{}", hosted.content);

    // Member text never pings or formats.
    let about = bot
        .slash(
            &bea(),
            NO_PERMISSIONS,
            "profile",
            sub("about", json!([string("text", "**free** pizza @everyone")])),
        )
        .await;
    assert!(
        about.content.contains("\\*\\*free\\*\\* pizza @\u{200B}everyone"),
        "{}",
        about.content
    );
    assert!(!about.pings_broadly && about.pings.is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_presses_promotion_a_closed_dm_and_the_inbox() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.offer(1).await;
    let announcement = bot.wait_posted(CHANNEL, "offers 1 free seat").await;
    let (_, custom_id) = announcement.buttons.first().cloned().expect("a request button");

    let first = bot.interact(press(CHANNEL, &bea(), &custom_id)).await;
    assert!(
        first.ephemeral && first.content.contains("You have a seat"),
        "{}",
        first.content
    );
    let second = bot.interact(press(CHANNEL, &cas(), &custom_id)).await;
    assert!(
        second.ephemeral && second.content.contains("waitlist"),
        "{}",
        second.content
    );

    // Cas does not accept DMs: promoted, she gets a nudge in the channel,
    // once and without the private text, and /inbox shows it to her alone.
    bot.fake.close_dms(CAS);
    bot.slash(&bea(), NO_PERMISSIONS, "cancel", json!([string("offer", "1")]))
        .await;
    let nudge = bot.wait_posted(CHANNEL, "private message for you").await;
    assert!(nudge.content.contains(&format!("<@{CAS}>")) && nudge.pings == [CAS.to_string()]);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let in_channel: Vec<Posted> = bot
        .fake
        .posted()
        .into_iter()
        .filter(|p| p.channel_id == CHANNEL)
        .collect();
    assert_eq!(
        in_channel
            .iter()
            .filter(|p| p.content.contains("private message for you"))
            .count(),
        1
    );
    assert!(in_channel.iter().all(|p| !p.content.contains("A seat freed up")));
    // Discord has no link that opens a DM: the nudge says /inbox, and its
    // button shows the inbox to its presser alone.
    assert!(
        nudge.content.contains("use /inbox here") && !nudge.content.contains("Open a private chat"),
        "{}",
        nudge.content
    );
    let (label, custom_id) = nudge.buttons[0].clone();
    assert_eq!(label, "Show my inbox");
    let inbox = bot.interact(press(CHANNEL, &cas(), &custom_id)).await;
    assert!(
        inbox.ephemeral && inbox.content.contains("A seat freed up"),
        "{}",
        inbox.content
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_announcement_goes_once_and_not_early() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.fake.refuse_next(CHANNEL);
    bot.offer(2).await;
    let delivered = bot.wait_posted(CHANNEL, "offers 2 free seats").await;
    let refusal = bot
        .fake
        .state()
        .refused
        .iter()
        .find(|r| r.code == 429)
        .cloned()
        .expect("a 429");
    assert!(
        delivered.at.duration_since(refusal.at) >= Duration::from_secs(1),
        "not before a second"
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let copies = bot
        .fake
        .posted()
        .iter()
        .filter(|p| p.channel_id == CHANNEL && p.content.contains("offers 2 free seats"))
        .count();
    assert_eq!(copies, 1, "delivered once");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_round_sends_dms_and_one_summary_each_once() {
    let bot = Bot::start().await;
    bot.community().await;
    let members = [(ANN, ann()), (BEA, bea()), (CAS, cas()), (DAN, dan())];
    for (_, who) in &members {
        bot.slash(
            who,
            NO_PERMISSIONS,
            "profile",
            sub("offers", json!([string("tags", "rust")])),
        )
        .await;
        bot.slash(who, NO_PERMISSIONS, "pairing", sub("on", json!([]))).await;
    }
    bot.slash(&ann(), MANAGE_SERVER, "pairnow", json!([])).await;
    let dm = FakeDiscord::dm_channel;
    bot.fake
        .wait_for("four introductions", PATIENCE, |s| {
            members
                .iter()
                .all(|(id, _)| s.posted.iter().any(|p| p.channel_id == dm(*id)))
        })
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let posted = bot.fake.posted();
    for (id, _) in &members {
        assert_eq!(
            posted.iter().filter(|p| p.channel_id == dm(*id)).count(),
            1,
            "one DM for {id}"
        );
    }
    let summaries = posted.iter().filter(|p| p.channel_id == CHANNEL).count();
    assert_eq!(summaries, 1, "one summary in the channel");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_stops_start_up_naming_the_setting() {
    let fake = FakeDiscord::start(0.0, 1).await;
    let (code, stderr) = common::refused_start(&[
        ("SEATMATE__DISCORD__TOKEN", "MTIz.WRONG-token.never_shown"),
        ("SEATMATE__DISCORD__API_URL", &fake.url),
    ])
    .await;
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("discord.token"), "{stderr}");
    assert!(!stderr.contains("WRONG-token"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_within_three_seconds_and_completed() {
    slow_answer_is_deferred_and_completed(Bot::start().await).await;
}

/// Another writer holds the database for longer than Discord waits: the
/// command is deferred (ephemerally) and completed when the core answers.
async fn slow_answer_is_deferred_and_completed(bot: Bot) {
    use sqlx::Connection;
    bot.community().await;
    let mut writer = sqlx::SqliteConnection::connect(&bot.service.url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut writer).await.unwrap();
    let slow = command(
        CHANNEL,
        &bea(),
        NO_PERMISSIONS,
        "profile",
        sub("offers", json!([string("tags", "espresso")])),
    );
    let id = slow["id"].as_str().unwrap().to_string();
    bot.fake.interact(slow);
    bot.fake
        .wait_for("a deferral", PATIENCE, |s| s.deferred.contains(&id))
        .await;
    sqlx::query("ROLLBACK").execute(&mut writer).await.unwrap();
    bot.fake
        .wait_for("the deferred answer", PATIENCE, |s| {
            s.posted.iter().any(|p| p.answers.as_deref() == Some(id.as_str()))
        })
        .await;
    let answer = bot
        .fake
        .posted()
        .into_iter()
        .find(|p| p.answers.as_deref() == Some(id.as_str()))
        .unwrap();
    assert!(
        answer.ephemeral && answer.content.contains("espresso"),
        "{}",
        answer.content
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_is_an_ephemeral_attachment_and_forgetme_asks_then_forgets() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.slash(
        &cas(),
        NO_PERMISSIONS,
        "profile",
        sub("offers", json!([string("tags", "espresso")])),
    )
    .await;
    let data = bot.slash(&cas(), NO_PERMISSIONS, "mydata", json!([])).await;
    assert!(data.ephemeral, "for Cas alone");
    assert!(
        data.content.contains("Everything Seatmate keeps about you"),
        "{}",
        data.content
    );
    let [(name, content)] = data.files.as_slice() else {
        panic!("one file: {:?}", data.files)
    };
    assert!(name.starts_with("seatmate-data-") && name.ends_with(".json"), "{name}");
    let export: Value = serde_json::from_slice(content).unwrap();
    assert_eq!(export["offers"], json!(["espresso"]));
    assert_eq!(export["identities"][0]["platform"], "discord");
    assert_eq!(export["identities"][0]["user_id"], CAS.to_string());

    // Asked first, ephemerally, with a button; the press forgets.
    let asked = bot.slash(&cas(), NO_PERMISSIONS, "forgetme", json!([])).await;
    assert!(asked.ephemeral && asked.content.contains("Sure?"), "{}", asked.content);
    let (_, confirm) = asked.buttons[0].clone();
    let done = bot.interact(press(CHANNEL, &cas(), &confirm)).await;
    assert!(done.content.contains("keeps nothing about you"), "{}", done.content);
    let again = bot.slash(&cas(), NO_PERMISSIONS, "mydata", json!([])).await;
    let export: Value = serde_json::from_slice(&again.files[0].1).unwrap();
    assert_eq!(export["offers"], json!([]), "a new member, with nothing");
    bot.stop().await;
}

/// `/report`: the figures for the admin alone, with the chart attached as
/// a PNG; the space option names one space; a member without it is told.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_an_ephemeral_answer_with_its_chart_attached() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.slash(
        &cas(),
        NO_PERMISSIONS,
        "checkin",
        json!([string("space", "cafe-noord")]),
    )
    .await;
    let report = bot
        .slash(&ann(), MANAGE_SERVER, "report", json!([string("space", "cafe-noord")]))
        .await;
    assert!(report.ephemeral, "for Ann alone");
    assert!(report.content.contains("Report for `cafe-noord`"), "{}", report.content);
    assert!(
        report.content.contains("1 coworker, 1 of them for the first time"),
        "{}",
        report.content
    );
    let [(name, png)] = report.files.as_slice() else {
        panic!("one file: {:?}", report.files)
    };
    assert!(name.starts_with("seatmate-report-") && name.ends_with(".png"), "{name}");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let refused = bot.slash(&cas(), NO_PERMISSIONS, "report", json!([])).await;
    assert!(
        refused.files.is_empty() && !refused.content.contains("📊"),
        "{}",
        refused.content
    );
    bot.stop().await;
}

/// Autocomplete: Dan types "caf" in /checkin's space and is offered the
/// space.
async fn autocomplete_offers_the_space(bot: &Bot) {
    bot.fake.interact(typing(
        CHANNEL,
        &dan(),
        "checkin",
        json!([{"name": "space", "type": 3, "value": "caf", "focused": true}]),
    ));
    bot.fake
        .wait_for("an autocomplete", PATIENCE, |s| !s.autocompletes.is_empty())
        .await;
    assert_eq!(bot.fake.state().autocompletes[0], ["cafe-noord"]);
}

#[path = "discord/fleet.rs"]
mod fleet;
#[path = "discord/http.rs"]
mod http;
#[path = "discord/seat_use.rs"]
mod seat_use;
