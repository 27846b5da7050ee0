//! One `seatmate run` with both tokens set serves Telegram and Discord at
//! once, against both fakes.

// Each fake brings the shared waiting helper along (the benchmarks load a
// fake on its own), so with both fakes here it is loaded twice.
#![allow(clippy::duplicate_mod)]

mod common;
#[path = "common/fake_discord.rs"]
mod fake_discord;
#[path = "common/fake_telegram.rs"]
mod fake_telegram;

use std::time::Duration;

use serde_json::json;

const PATIENCE: Duration = Duration::from_secs(20);

/// Both fakes, and `seatmate run` with both tokens against them.
async fn start_both() -> (fake_telegram::FakeTelegram, fake_discord::FakeDiscord, common::Service) {
    let telegram = fake_telegram::FakeTelegram::start(fake_telegram::Limits::default()).await;
    let discord = fake_discord::FakeDiscord::start(0.0, 1).await;
    let service = common::Service::start(&[
        ("SEATMATE__TELEGRAM__TOKEN", fake_telegram::TOKEN),
        ("SEATMATE__TELEGRAM__API_URL", &telegram.url),
        ("SEATMATE__DISCORD__TOKEN", fake_discord::TOKEN),
        ("SEATMATE__DISCORD__API_URL", &discord.url),
    ]);
    (telegram, discord, service)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_serves_telegram_and_discord() {
    let (telegram, discord, mut service) = start_both().await;

    // Telegram: a group set up by its admin.
    telegram.make_admin(-100, 11);
    let ann = fake_telegram::user(11, "Ann", Some("ann"));
    let setup = fake_telegram::message(-100, &ann, "/setup Europe/Amsterdam Telegram Coworkers");
    telegram.push(fake_telegram::message_update(setup));
    telegram
        .wait_for("the Telegram welcome", PATIENCE, |s| {
            s.sent
                .iter()
                .any(|m| m.text.contains("Welcome to Seatmate, Telegram Coworkers"))
        })
        .await;

    // Discord: a server channel set up by its admin, globally registered.
    discord
        .wait_for("the commands", PATIENCE, |s| !s.commands.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let dee = fake_discord::user(21, "dee");
    let options = json!([{"name": "name", "type": 3, "value": "Discord Coworkers"}]);
    discord.interact(fake_discord::command(
        300,
        &dee,
        fake_discord::MANAGE_SERVER,
        "setup",
        options,
    ));
    discord
        .wait_for("the Discord welcome", PATIENCE, |s| {
            s.posted
                .iter()
                .any(|p| p.content.contains("Welcome to Seatmate, **Discord Coworkers**"))
        })
        .await;

    service.stop(&[fake_telegram::TOKEN, fake_discord::TOKEN]).await;
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());
    assert!(discord.violations().is_empty(), "{:?}", discord.violations());
}

/// The one-time code in a message (`ABCD-2345`, in backticks).
fn code_in(text: &str) -> String {
    text.split('`')
        .find(|piece| piece.len() == 9 && piece.as_bytes()[4] == b'-')
        .unwrap_or_else(|| panic!("no code in: {text}"))
        .to_string()
}

/// The acceptance story of one community on both platforms: set up in a
/// Discord channel, a Telegram group joined by code, an offer posted from
/// Telegram announced in both with a button each, a Discord member's press
/// confirming a seat, the host told in Telegram, and the daily summary in
/// both chats.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_community_spans_a_discord_channel_and_a_telegram_group() {
    const CHANNEL: u64 = 300;
    const GROUP: i64 = -100;
    let (telegram, discord, mut service) = start_both().await;
    discord
        .wait_for("the commands", PATIENCE, |s| !s.commands.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answer = |id: String| {
        let discord = &discord;
        async move {
            discord
                .wait_for(&format!("an answer to {id}"), PATIENCE, |s| {
                    s.posted.iter().any(|p| p.answers.as_deref() == Some(id.as_str()))
                })
                .await;
            discord
                .posted()
                .into_iter()
                .find(|p| p.answers.as_deref() == Some(id.as_str()))
                .unwrap()
        }
    };
    let slash = |who: &serde_json::Value, permissions: &str, name: &str, options: serde_json::Value| {
        let interaction = fake_discord::command(CHANNEL, who, permissions, name, options);
        let id = interaction["id"].as_str().unwrap().to_string();
        discord.interact(interaction);
        answer(id)
    };
    let tg_say = |from: &serde_json::Value, chat: i64, text: &str| {
        telegram.push(fake_telegram::message_update(fake_telegram::message(chat, from, text)));
    };
    let tg_wait = |chat: i64, needle: &'static str| {
        let telegram = &telegram;
        async move {
            telegram
                .wait_for(&format!("'{needle}' in {chat}"), PATIENCE, |s| {
                    s.sent.iter().any(|m| m.chat_id == chat && m.text.contains(needle))
                })
                .await;
            telegram
                .sent()
                .into_iter()
                .find(|m| m.chat_id == chat && m.text.contains(needle))
                .unwrap()
        }
    };

    // 1. The community starts in a Discord channel; its admin invites.
    let dee = fake_discord::user(21, "dee");
    let string = |name: &str, value: &str| json!({"name": name, "type": 3, "value": value});
    let setup = slash(
        &dee,
        fake_discord::MANAGE_SERVER,
        "setup",
        json!([string("name", "Utrecht Coworkers")]),
    )
    .await;
    assert!(setup.content.contains("Welcome to Seatmate"), "{}", setup.content);
    let space = json!([{"name": "add", "type": 1, "options": [string("slug", "cafe-noord"),
        {"name": "capacity", "type": 4, "value": 2}]}]);
    slash(&dee, fake_discord::MANAGE_SERVER, "space", space).await;
    let invitation = slash(&dee, fake_discord::MANAGE_SERVER, "invite", json!([])).await;
    assert!(invitation.ephemeral, "the code is for the admin alone");
    let code = code_in(&invitation.content);

    // 2. A Telegram group joins by the code.
    telegram.make_admin(GROUP, 11);
    telegram.start_private_chat(11);
    let ann = fake_telegram::user(11, "Ann", Some("ann"));
    tg_say(&ann, GROUP, &format!("/setup join {code}"));
    tg_wait(GROUP, "This chat now belongs to Utrecht Coworkers").await;
    let chats = slash(&dee, fake_discord::MANAGE_SERVER, "chats", json!([])).await;
    assert!(
        chats.content.contains("<#300> on Discord (this chat)") && chats.content.contains("**Coworkers** on Telegram"),
        "{}",
        chats.content
    );

    // 3. Ann hosts the space and offers a seat from Telegram.
    tg_say(&ann, GROUP, "/host add @ann cafe-noord");
    tg_wait(GROUP, "now hosts cafe-noord").await;
    tg_say(&ann, GROUP, "/offer cafe-noord 1 tomorrow 9-17");

    // 4. Announced in both chats, each with its platform's button.
    let in_telegram = tg_wait(GROUP, "offers 1 free seat at cafe-noord").await;
    assert_eq!(in_telegram.buttons.len(), 1, "{:?}", in_telegram.buttons);
    discord
        .wait_for("the announcement in Discord", PATIENCE, |s| {
            s.posted
                .iter()
                .any(|p| p.channel_id == CHANNEL && p.content.contains("offers 1 free seat"))
        })
        .await;
    let in_discord = discord
        .posted()
        .into_iter()
        .find(|p| p.channel_id == CHANNEL && p.content.contains("offers 1 free seat"))
        .unwrap();
    let [(label, custom_id)] = in_discord.buttons.as_slice() else {
        panic!("one button: {:?}", in_discord.buttons)
    };
    assert_eq!(label, "Request a seat");

    // 5. A Discord member's press confirms a seat; the host hears in Telegram.
    let eve = fake_discord::user(22, "eve");
    let press = fake_discord::press(CHANNEL, &eve, custom_id);
    let id = press["id"].as_str().unwrap().to_string();
    discord.interact(press);
    let confirmed = answer(id).await;
    assert!(confirmed.content.contains("You have a seat"), "{}", confirmed.content);
    let told = tg_wait(11, "asked for a seat at cafe-noord").await;
    assert!(told.text.contains("eve"), "{}", told.text);

    // 6. The daily summary reaches both chats.
    slash(
        &eve,
        fake_discord::NO_PERMISSIONS,
        "pairing",
        json!([{"name": "on", "type": 1, "options": []}]),
    )
    .await;
    let bea = fake_telegram::user(12, "Bea", Some("bea"));
    tg_say(&bea, GROUP, "/pairing on");
    tg_wait(GROUP, "You're in").await;
    tg_say(&ann, GROUP, "/pairnow");
    tg_wait(GROUP, "Today's introductions are out").await;
    discord
        .wait_for("the summary in Discord", PATIENCE, |s| {
            s.posted
                .iter()
                .any(|p| p.channel_id == CHANNEL && p.content.contains("Today's introductions are out"))
        })
        .await;

    // 7. Eve links her Telegram account: a code on Discord, ephemeral, with
    //    the deep link Telegram opens in her private chat as `/start link_…`.
    let asked = slash(&eve, fake_discord::NO_PERMISSIONS, "link", json!([])).await;
    assert!(asked.ephemeral, "the code is for Eve alone");
    let link = "<https://t.me/SeatmateBot?start=link_";
    let token: String = asked.content
        [asked.content.find(link).unwrap_or_else(|| panic!("{}", asked.content)) + link.len()..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    telegram.start_private_chat(22);
    let eve_tg = fake_telegram::user(22, "Eve", Some("eve_t"));
    tg_say(&eve_tg, 22, &format!("/start link_{token}"));
    tg_wait(22, "Linked: you are one member on Discord + Telegram").await;

    service.stop(&[fake_telegram::TOKEN, fake_discord::TOKEN]).await;
    assert!(telegram.violations().is_empty(), "{:?}", telegram.violations());
    assert!(discord.violations().is_empty(), "{:?}", discord.violations());
}

/// With `http.listen`, `seatmate run` answers the health routes: live at
/// once, ready when its database answers with this binary's schema, and
/// not ready the moment a stop begins, while it still answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_health_routes_say_live_ready_and_stopping_and_the_metrics_count_no_names() {
    let telegram = fake_telegram::FakeTelegram::start(fake_telegram::Limits::default()).await;
    let port = common::free_port();
    let listen = format!("127.0.0.1:{port}");
    let mut service = common::Service::start(&[
        ("SEATMATE__TELEGRAM__TOKEN", fake_telegram::TOKEN),
        ("SEATMATE__TELEGRAM__API_URL", &telegram.url),
        ("SEATMATE__HTTP__LISTEN", &listen),
        ("SEATMATE__HTTP__METRICS_TOKEN", "scrape-secret"),
    ]);
    let started = std::time::Instant::now();
    let live = loop {
        if let Some(answer) = common::http_get(port, "/livez").await {
            break answer;
        }
        assert!(started.elapsed() < PATIENCE, "nothing listens on {listen}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(live, (200, "live\n".to_string()));
    assert_eq!(
        common::http_get(port, "/readyz").await,
        Some((200, "ready\n".to_string()))
    );
    assert_eq!(
        common::http_get(port, "/nothing").await.map(|(status, _)| status),
        Some(404)
    );

    // A command, then the counters: by platform, kind, command and outcome,
    // never by who or where.
    telegram.make_admin(-100, 11);
    let ann = fake_telegram::user(11, "Ann", Some("ann"));
    telegram.push(fake_telegram::message_update(fake_telegram::message(
        -100, &ann, "/help",
    )));
    telegram
        .wait_for("the help", PATIENCE, |s| {
            s.sent.iter().any(|m| m.text.contains("/checkin"))
        })
        .await;
    assert_eq!(
        common::http_get(port, "/metrics").await.map(|(status, _)| status),
        Some(401)
    );
    let (status, metrics) = common::http_get_with(port, "/metrics", "Authorization: Bearer scrape-secret\r\n")
        .await
        .unwrap();
    assert_eq!(status, 200);
    for line in [
        r#"seatmate_inbound_total{platform="telegram",kind="command"} 1"#,
        r#"seatmate_commands_total{command="help",outcome="ok"} 1"#,
        r#"seatmate_build_info{version=""#,
        "seatmate_answer_seconds_bucket{platform=\"telegram\"",
        r#"seatmate_outbox_messages{state="dead"} 0"#,
    ] {
        assert!(metrics.contains(line), "{line} in:\n{metrics}");
    }
    for private in ["-100", "\"11\"", "Ann", "ann"] {
        assert!(!metrics.contains(private), "{private} in:\n{metrics}");
    }

    let pid = service.child.id().unwrap();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    let stopping = loop {
        match common::http_get(port, "/readyz").await {
            Some((200, _)) if started.elapsed() < PATIENCE => tokio::time::sleep(Duration::from_millis(20)).await,
            other => break other,
        }
    };
    assert_eq!(stopping, Some((503, "stopping\n".to_string())));
    let status = service.terminate().await.expect("it stops");
    assert!(status.success(), "{status:?}");
}
