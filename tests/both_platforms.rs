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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_process_serves_telegram_and_discord() {
    let telegram = fake_telegram::FakeTelegram::start(fake_telegram::Limits::default()).await;
    let discord = fake_discord::FakeDiscord::start(0.0, 1).await;
    let mut service = common::Service::start(&[
        ("SEATMATE__TELEGRAM__TOKEN", fake_telegram::TOKEN),
        ("SEATMATE__TELEGRAM__API_URL", &telegram.url),
        ("SEATMATE__DISCORD__TOKEN", fake_discord::TOKEN),
        ("SEATMATE__DISCORD__API_URL", &discord.url),
    ]);

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
