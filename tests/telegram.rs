//! The real `seatmate` binary in Telegram: `seatmate run` with a token,
//! against a fake Bot API on 127.0.0.1 that checks every request against the
//! official description (see `common/fake_telegram.rs`).

mod common;
#[path = "common/fake_telegram.rs"]
mod fake_telegram;
#[path = "common/telegram_bot.rs"]
mod telegram_bot;

use std::time::Duration;

use fake_telegram::{bot_membership, message, press, FakeTelegram, Limits, Sent};
use serde_json::{json, Value};
use telegram_bot::*;

fn all_sent(bot: &Bot) -> String {
    bot.fake
        .sent()
        .iter()
        .map(|m| format!("{}: {}", m.chat_id, m.text))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A text mention of `who` over `name` in `text` (for members without a username).
fn with_text_mention(mut message: Value, text: &str, name: &str, who: &Value) -> Value {
    let offset = text[..text.find(name).unwrap()].encode_utf16().count();
    let entity = json!({"type": "text_mention", "offset": offset, "length": name.encode_utf16().count(), "user": who});
    message["entities"].as_array_mut().unwrap().push(entity);
    message
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_story_setup_hosts_profiles_and_checkins() {
    let bot = Bot::start().await;

    let refused = bot.ask(GROUP, &cas(), "/setup Europe/Amsterdam Cas Club").await;
    assert!(refused.text.contains("admin"), "{}", refused.text);
    bot.community().await;

    // Member text is shown as written, never read as markup.
    bot.ask(GROUP, &bea(), "/profile offers rust").await;
    let profile = bot.ask(GROUP, &bea(), "/profile about Building <x> & co").await;
    assert!(profile.text.contains("<x> & co"), "{}", profile.text);
    assert!(profile.html.contains("&lt;x&gt; &amp; co"), "{}", profile.html);
    bot.ask(GROUP, &cas(), "/profile offers design").await;
    bot.ask(GROUP, &dan(), "/profile wants rust, design").await;

    // Hosts: by @username, by a text mention, and by replying to a message.
    let by_name = bot.ask(GROUP, &ann(), "/host add @cas cafe-noord").await;
    assert!(by_name.text.contains("@cas"), "{}", by_name.text);
    let text = "/host add Bea cafe-noord";
    let mention = with_text_mention(message(GROUP, &ann(), text), text, "Bea", &bea());
    let id = bot.send(mention).await;
    let by_mention = bot.answer_to(id).await;
    assert!(by_mention.text.contains("Bea"), "{}", by_mention.text);
    assert!(
        by_mention.html.contains(&format!("tg://user?id={BEA}")),
        "{}",
        by_mention.html
    );
    let dans = bot.say(GROUP, &dan(), "/checkout").await;
    bot.answer_to(dans).await;
    let mut replying = message(GROUP, &ann(), "/host add cafe-noord");
    replying["reply_to_message"] = message(GROUP, &dan(), "/checkout");
    replying["reply_to_message"]["message_id"] = json!(dans);
    let id = bot.send(replying).await;
    let by_reply = bot.answer_to(id).await;
    assert!(by_reply.text.contains("@dan"), "{}", by_reply.text);
    let hosts = bot.ask(GROUP, &ann(), "/space list").await;
    for host in ["@cas", "Bea", "@dan"] {
        assert!(hosts.text.contains(host), "{host} hosts: {}", hosts.text);
    }

    // Three check-ins: the third names the other two, with reasons.
    bot.ask(GROUP, &bea(), "/checkin cafe-noord").await;
    bot.ask(GROUP, &cas(), "/checkin cafe-noord").await;
    let third = bot.ask(GROUP, &dan(), "/checkin@SeatmateBot cafe-noord").await;
    assert!(
        third.text.contains("Bea — can help you with rust"),
        "{}",
        all_sent(&bot)
    );
    // Named, not @-mentioned: a list notifies nobody.
    assert!(third.text.contains("Cas — can help you with design"), "{}", third.text);
    assert!(
        !third.text.contains("@cas") && !third.text.contains("@bea"),
        "{}",
        third.text
    );

    // Not for this bot, and not a command: no answer. The next command's
    // answer comes after them, so they were read and left alone.
    let other_bot = bot.say(GROUP, &dan(), "/checkin@OtherBot cafe-noord").await;
    let chatter = bot.say(GROUP, &dan(), "hello all, coffee?").await;
    bot.ask(GROUP, &dan(), "/here").await;
    let answered: Vec<Option<i64>> = bot.fake.sent().iter().map(|m| m.reply_to).collect();
    assert!(!answered.contains(&Some(other_bot)) && !answered.contains(&Some(chatter)));

    // Telegram was asked who administers the group only for rules that
    // needed it, and each answer was kept for a minute: Cas's refused
    // /setup, and Ann's first admin command.
    assert_eq!(bot.fake.state().calls.get("getChatMember"), Some(&2));

    // In a private chat, plain text gets a pointer to /help.
    bot.fake.start_private_chat(DAN);
    let pointer = bot.ask(DAN, &dan(), "hello?").await;
    assert!(pointer.text.contains("/help"), "{}", pointer.text);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_buttons_waitlist_promotion_and_the_private_nudge() {
    let bot = Bot::start().await;
    bot.community().await;
    for member in [bea(), cas()] {
        bot.ask(GROUP, &member, "/profile offers design").await;
    }
    bot.fake.start_private_chat(CAS);

    bot.ask(GROUP, &ann(), "/offer cafe-noord 1 tomorrow 9-17 quiet room")
        .await;
    let announcement = bot.wait_sent(GROUP, "quiet room").await;
    let (label, data) = announcement.buttons.first().cloned().expect("a request button");
    assert!(data.starts_with("/request "), "{label}: {data}");

    // Two presses: one confirmed, one waitlisted, each answered.
    bot.fake.push(press("q-bea", &bea(), &announcement, &data));
    bot.fake.push(press("q-cas", &cas(), &announcement, &data));
    bot.fake
        .wait_for("both presses answered", PATIENCE, |s| s.answers.len() == 2)
        .await;
    let answers = bot.fake.state().answers.clone();
    let all = answers
        .iter()
        .map(|(_, t)| t.clone().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" | ");
    assert!(all.contains("You have a seat at cafe-noord"), "{all}");
    assert!(all.contains("you are number 1 on the waitlist"), "{all}");

    // Ann hosts by being the admin; she never started the bot, so her
    // notices about the requests are held, and the group gets a nudge
    // without their content.
    let nudge = bot.wait_sent(GROUP, "private message for you").await;
    assert!(nudge.text.contains("@ann"), "{}", nudge.text);
    assert!(nudge
        .buttons
        .iter()
        .any(|(_, url)| url == "https://t.me/SeatmateBot?start=inbox"));
    assert!(bot
        .fake
        .sent()
        .iter()
        .filter(|m| m.chat_id == GROUP)
        .all(|m| !m.text.contains("requested")));

    // Bea cancels: Cas is promoted and told privately.
    let cancel = bot
        .ask(
            GROUP,
            &bea(),
            &format!("/cancel {}", data.trim_start_matches("/request ")),
        )
        .await;
    assert!(cancel.text.to_lowercase().contains("cancel"), "{}", cancel.text);
    let promoted = bot.wait_sent(CAS, "A seat freed up").await;
    assert!(promoted.text.contains("cafe-noord"), "{}", promoted.text);

    // Ann opens the private chat: what was held arrives there.
    bot.fake.start_private_chat(ANN);
    bot.say(ANN, &ann(), "/start inbox").await;
    let held = bot.wait_sent(ANN, "Bea").await;
    assert!(
        held.text.contains("@cas"),
        "both requests' notices reach Ann: {}",
        held.text
    );
    assert_eq!(
        bot.sent_to(GROUP, "private message for you").len(),
        1,
        "one nudge per wait"
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limited_announcement_goes_once_after_retry_after_and_a_migrated_group_keeps_its_community() {
    let bot = Bot::start().await;
    bot.community().await;
    // Offered from Ann's private chat, so the group's next message is the announcement.
    bot.fake.start_private_chat(ANN);
    bot.fake.refuse_next(GROUP, 2);
    bot.ask(ANN, &ann(), "/offer cafe-noord 2 tomorrow 9-12 first offer")
        .await;
    let delivered = bot.wait_sent(GROUP, "first offer").await;
    let refusal = bot
        .fake
        .state()
        .refused
        .iter()
        .find(|r| r.code == 429)
        .cloned()
        .expect("a 429");
    assert!(
        delivered.at.duration_since(refusal.at) >= Duration::from_secs(2),
        "not before retry_after"
    );
    assert_eq!(bot.sent_to(GROUP, "first offer").len(), 1, "delivered once");

    // The group becomes a supergroup; the first send there follows it.
    bot.fake.migrate(GROUP, SUPERGROUP);
    bot.ask(ANN, &ann(), "/offer cafe-noord 2 tomorrow 13-15 second offer")
        .await;
    bot.wait_sent(SUPERGROUP, "second offer").await;
    assert!(bot.sent_to(GROUP, "second offer").is_empty());
    // Telegram's service message about the move changes nothing more, and
    // the supergroup is the community's chat now.
    let mut moved = message(GROUP, &ann(), "x");
    moved.as_object_mut().unwrap().remove("text");
    moved["migrate_to_chat_id"] = json!(SUPERGROUP);
    bot.send(moved).await;
    let here = bot.ask(SUPERGROUP, &ann(), "/space list").await;
    assert!(here.text.contains("cafe-noord"), "{}", here.text);
    bot.ask(SUPERGROUP, &ann(), "/offer cafe-noord 1 tomorrow 16-18 third offer")
        .await;
    bot.wait_sent(SUPERGROUP, "third offer").await;
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_round_introduces_privately_once_and_sums_up_in_the_group_once() {
    let bot = Bot::start().await;
    bot.community().await;
    let members = [(ANN, ann()), (BEA, bea()), (CAS, cas()), (DAN, dan())];
    for (id, member) in &members {
        bot.fake.start_private_chat(*id);
        bot.ask(GROUP, member, "/profile offers rust").await;
        bot.ask(GROUP, member, "/pairing on").await;
    }
    bot.ask(GROUP, &ann(), "/pairnow").await;
    bot.fake
        .wait_for("four introductions", PATIENCE, |s| {
            members.iter().all(|(id, _)| s.sent.iter().any(|m| m.chat_id == *id))
        })
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = bot.fake.sent();
    for (id, _) in &members {
        assert_eq!(
            sent.iter().filter(|m| m.chat_id == *id).count(),
            1,
            "one introduction for {id}"
        );
    }
    let summaries: Vec<&Sent> = sent
        .iter()
        .filter(|m| m.chat_id == GROUP && m.reply_to.is_none())
        .collect();
    assert_eq!(summaries.len(), 1, "{summaries:?}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_adds_the_bot_learns_how_to_begin_and_one_that_removes_it_stops_getting_announcements() {
    let bot = Bot::start().await;
    bot.fake.push(bot_membership(GROUP, &ann(), "left", "member"));
    let greeting = bot.wait_sent(GROUP, "An admin starts a community with").await;
    assert!(greeting.html.contains("<code>/setup"), "{}", greeting.html);
    bot.community().await;

    bot.fake.start_private_chat(ANN);
    bot.fake.push(bot_membership(GROUP, &ann(), "member", "left"));
    let told = bot
        .wait_sent(ANN, "I can no longer post in a chat of Coworkers on Telegram")
        .await;
    assert!(told.reply_to.is_none());
    // Its offers are no longer announced there.
    bot.ask(ANN, &ann(), "/offer cafe-noord 2 tomorrow 9-17 after removal")
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(bot.sent_to(GROUP, "after removal").is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_of_two_communities_chooses_in_private_with_buttons_too_long_for_telegram() {
    let bot = Bot::start().await;
    bot.fake.make_admin(SUPERGROUP, ANN);
    let long = [
        "Utrecht Coworkers and Friends of the Public Library",
        "Lisbon Digital Nomads and Remote Workers at the Old Tram Depot Café",
    ];
    bot.ask(GROUP, &ann(), &format!("/setup Europe/Amsterdam {}", long[0]))
        .await;
    bot.ask(SUPERGROUP, &ann(), &format!("/setup Europe/Lisbon {}", long[1]))
        .await;
    bot.fake.start_private_chat(ANN);
    let asked = bot.ask(ANN, &ann(), "/space list").await;
    assert!(
        asked.text.contains("You belong to several communities"),
        "{}",
        asked.text
    );
    // "/use <name>" is longer than callback_data's 64 bytes: the button
    // carries a key the core keeps (the fake refuses anything longer).
    assert_eq!(asked.buttons.len(), 2);
    let (label, data) = asked
        .buttons
        .iter()
        .find(|(label, _)| label == long[1])
        .cloned()
        .unwrap();
    assert!(data.starts_with('#') && data.len() <= 64, "{label}: {data}");
    bot.fake.push(press("q-use", &ann(), &asked, &data));
    let chosen = bot.wait_sent(ANN, "acts for").await;
    assert!(chosen.text.contains(long[1]), "{}", chosen.text);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_menus_are_published_per_scope_and_language() {
    let bot = Bot::start().await;
    bot.fake
        .wait_for("the menus", PATIENCE, |s| s.commands.len() == 4)
        .await;
    let commands = bot.fake.state().commands.clone();
    let key = |c: &Value| {
        (
            c["scope"]["type"].as_str().unwrap_or("default").to_string(),
            c["language_code"].clone(),
        )
    };
    let mut keys: Vec<_> = commands.iter().map(key).collect();
    keys.sort_by_key(|k| format!("{k:?}"));
    keys.dedup();
    assert_eq!(keys.len(), 4, "one list per scope and language: {keys:?}");
    let names = |c: &Value| {
        c["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["command"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let members = commands
        .iter()
        .find(|c| c["scope"]["type"] == "default")
        .map(names)
        .unwrap();
    let admins = commands
        .iter()
        .find(|c| c["scope"]["type"] == "all_chat_administrators")
        .map(names)
        .unwrap();
    assert!(members.contains(&"checkin".to_string()) && !members.contains(&"setup".to_string()));
    assert!(admins.contains(&"setup".to_string()));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_stops_start_up_naming_the_setting() {
    let fake = FakeTelegram::start(Limits::default()).await;
    let (code, stderr) = common::refused_start(&[
        ("SEATMATE__TELEGRAM__TOKEN", "123456:WRONG-token-never-shown"),
        ("SEATMATE__TELEGRAM__API_URL", &fake.url),
    ])
    .await;
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("telegram.token"), "{stderr}");
    assert!(!stderr.contains("WRONG-token"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_answer_telegram_refuses_is_held_never_dropped_or_shown() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.ask(GROUP, &dan(), "/profile offers rust").await;
    // Dan writes privately, then blocks the bot before the answer goes.
    let id = bot.say(DAN, &dan(), "/inbox").await;
    let nudge = bot.wait_sent(GROUP, "private message for you").await;
    assert!(nudge.text.contains("@dan"), "{}", nudge.text);
    let sent = bot.fake.sent();
    assert!(
        sent.iter().all(|m| m.reply_to != Some(id)),
        "the answer never went anywhere else"
    );
    assert!(sent
        .iter()
        .filter(|m| m.chat_id == GROUP)
        .all(|m| !m.text.contains("Nothing is waiting")));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mydata_comes_as_a_private_document_and_a_link_code_with_its_deep_link() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.fake.start_private_chat(CAS);
    bot.ask(GROUP, &cas(), "/profile offers espresso").await;
    bot.say(GROUP, &cas(), "/mydata").await;
    bot.fake
        .wait_for("a document for Cas", PATIENCE, |s| {
            s.documents.iter().any(|d| d.chat_id == CAS)
        })
        .await;
    let document = bot.fake.documents().remove(0);
    assert_eq!(document.file_name.len(), "seatmate-data-2026-11-24.json".len());
    let data: Value = serde_json::from_slice(&document.content).unwrap();
    assert_eq!(data["display_name"], "Cas");
    assert_eq!(data["offers"], json!(["espresso"]));
    assert_eq!(data["identities"][0]["user_id"], CAS.to_string());
    let told = bot.wait_sent(CAS, "Everything Seatmate keeps about you").await;
    assert!(told.text.contains("/forgetme"), "{}", told.text);
    assert!(
        bot.fake
            .sent()
            .iter()
            .all(|m| m.chat_id != GROUP || !m.text.contains("keeps about you")),
        "nothing of it in the group"
    );

    // A link code, privately, with the deep link that redeems it.
    bot.say(CAS, &cas(), "/link").await;
    let code = bot.wait_sent(CAS, "Your link code").await;
    assert!(
        code.text.contains("https://t.me/SeatmateBot?start=link_"),
        "{}",
        code.text
    );
    bot.stop().await;
}

/// SQLite serves one instance: a second `seatmate run` on the same file
/// refuses to start (exit 2) rather than poll beside the first; once the
/// first has stopped, it starts.
/// `/report` in the group: the figures and the chart come privately, the
/// chart as a photo Telegram reads as an image; the group sees neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_comes_privately_with_its_chart_as_a_photo() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.fake.start_private_chat(ANN);
    bot.ask(GROUP, &cas(), "/checkin cafe-noord").await;
    bot.say(GROUP, &ann(), "/report").await;
    let report = bot.wait_sent(ANN, "📊 Report for Coworkers").await;
    assert!(
        report
            .text
            .contains("👋 People: 1 coworker, 1 of them for the first time"),
        "{}",
        report.text
    );
    bot.fake
        .wait_for("the chart for Ann", PATIENCE, |s| {
            s.documents.iter().any(|d| d.chat_id == ANN)
        })
        .await;
    let chart = bot.fake.documents().remove(0);
    assert!(chart.photo, "sent with sendPhoto");
    assert!(chart.file_name.starts_with("seatmate-report-") && chart.file_name.ends_with(".png"));
    assert!(chart.content.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(bot
        .fake
        .sent()
        .iter()
        .all(|m| m.chat_id != GROUP || !m.text.contains("📊")));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_instance_on_one_sqlite_file_refuses_to_start() {
    let mut bot = Bot::start().await;
    bot.community().await;
    let dir = tempfile::tempdir().unwrap();
    let second = |url: String, api: String, dir: std::path::PathBuf| {
        common::seatmate_command(&url, &dir)
            .arg("run")
            .env("SEATMATE__TELEGRAM__TOKEN", fake_telegram::TOKEN)
            .env("SEATMATE__TELEGRAM__API_URL", api)
            .output()
            .unwrap()
    };
    let (url, api, path) = (bot.service.url.clone(), bot.fake.url.clone(), dir.path().to_path_buf());
    let output = tokio::task::spawn_blocking(move || second(url, api, path))
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(
        said.contains("database.url: another `seatmate run` is using") && said.contains("SQLite serves one instance"),
        "{said}"
    );
    let answer = bot.ask(GROUP, &cas(), "/checkin cafe-noord").await;
    assert!(answer.text.contains("checked in"), "the first goes on: {}", answer.text);
    bot.service.terminate().await;
    bot.service.restart();
    let again = bot.ask(GROUP, &dan(), "/checkin cafe-noord").await;
    assert!(again.text.contains("Cas"), "{}", again.text);
    bot.stop().await;
}

#[path = "telegram/webhook.rs"]
mod webhook;

#[path = "telegram/fleet.rs"]
mod fleet;

#[path = "telegram/seat_use.rs"]
mod seat_use;
