//! Telegram in webhook mode: the fake POSTs each update to the bot's HTTP
//! server (through the reverse proxy it plays), with the secret header,
//! retrying what is not answered 2xx and sometimes delivering twice.

use super::*;

/// A POST to the webhook route as anyone could send it: the status.
async fn post_update(port: u16, secret: Option<&str>, body: &str) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/telegram/updates"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(secret) = secret {
        request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    request.send().await.unwrap().status().as_u16()
}

/// Every update delivered (every second one twice) is answered 200 and has
/// one effect; a stranger's POST without the secret, or with a wrong one,
/// is refused unread; the webhook is set once, as configured, and a restart
/// finds it so and leaves it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_session_has_each_update_once_and_refuses_strangers() {
    let mut bot = Bot::start_webhook().await;
    let hook = bot.fake.state().webhook.clone().expect("the bot set its webhook");
    assert_eq!(hook.url, WEBHOOK_URL);
    assert_eq!(hook.secret.as_deref(), Some(WEBHOOK_SECRET));
    assert_eq!(
        hook.allowed_updates,
        Some(json!(["message", "callback_query", "my_chat_member"])),
        "exactly the kinds the adapter handles"
    );
    assert_eq!(hook.max_connections, Some(40));

    bot.fake.deliver_twice_every(2);
    bot.community().await;
    let checkin = bot.ask(GROUP, &bea(), "/checkin cafe-noord").await;
    assert!(checkin.text.contains("cafe-noord"), "{}", checkin.text);
    let here = bot.ask(GROUP, &cas(), "/checkin cafe-noord").await;
    assert!(here.text.contains("Bea"), "Cas sees Bea: {}", here.text);
    let deliveries = bot.fake.state().deliveries.clone();
    assert!(deliveries.iter().all(|d| d.status == 200), "{deliveries:?}");
    let twice = deliveries.iter().filter(|d| d.update_id % 2 == 0).count();
    assert!(twice >= 2 * (bot.fake.last_update_id() as usize / 2), "{deliveries:?}");
    // One answer per message, however often it came.
    let sent = bot.fake.sent();
    for answered in sent.iter().filter_map(|m| m.reply_to) {
        let answers = sent.iter().filter(|m| m.reply_to == Some(answered)).count();
        assert_eq!(answers, 1, "message {answered}:\n{}", all_sent(&bot));
    }

    // Not from Telegram: refused before the body is read.
    let port = bot.port.unwrap();
    let forged = json!({"update_id": 900_001, "message": message(GROUP, &ann(), "/space add forged capacity 9")});
    assert_eq!(post_update(port, None, &forged.to_string()).await, 401);
    assert_eq!(
        post_update(port, Some("hook-Secret_0123456788"), &forged.to_string()).await,
        401
    );
    assert_eq!(
        post_update(port, Some(WEBHOOK_SECRET), "{\"not\": \"an update\"}").await,
        400
    );
    assert_eq!(post_update(port, Some(WEBHOOK_SECRET), "<html>").await, 400);
    let spaces = bot.ask(GROUP, &ann(), "/space list").await;
    assert!(
        spaces.text.contains("cafe-noord") && !spaces.text.contains("forged"),
        "{}",
        spaces.text
    );
    let metrics = common::http_get(port, "/metrics").await.unwrap().1;
    assert!(
        metrics.contains(r#"seatmate_inbound_total{platform="telegram",kind="rejected"} 2"#),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"seatmate_inbound_total{platform="telegram",kind="duplicate"}"#),
        "{metrics}"
    );

    // A restart finds the webhook as configured: no second setWebhook.
    bot.service.terminate().await;
    bot.service.restart();
    common::wait_listening(port).await;
    let after = bot.ask(GROUP, &dan(), "/checkin cafe-noord").await;
    assert!(after.text.contains("Bea"), "{}", after.text);
    assert_eq!(bot.fake.state().calls.get("setWebhook"), Some(&1));
    assert_eq!(
        bot.fake.state().calls.get("deleteWebhook"),
        None,
        "a stop never deletes it"
    );
    bot.stop().await;
}

/// An update the database cannot take (a full disk) is answered 503, so
/// Telegram delivers it again; once the disk has room it has its effect,
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_the_database_cannot_record_is_answered_503_and_comes_again() {
    let bot = Bot::start_webhook().await;
    bot.community().await;
    let pid = bot.service.child.id().unwrap();
    common::limit_file_sizes(pid, Some(1));
    let id = bot.say(GROUP, &cas(), "/checkin cafe-noord").await;
    let update = bot.fake.last_update_id();
    bot.fake
        .wait_for("a 503 for the update", PATIENCE, |s| {
            s.deliveries.iter().any(|d| d.update_id == update && d.status == 503)
        })
        .await;
    common::limit_file_sizes(pid, None);
    let answer = bot.answer_to(id).await;
    assert!(answer.text.contains("checked in at cafe-noord"), "{}", answer.text);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(bot.fake.sent().iter().filter(|m| m.reply_to == Some(id)).count(), 1);
    assert!(bot.fake.updates_taken(), "Telegram's queue is empty");
    bot.stop().await;
}

/// SIGTERM while updates arrive: the process stops within 10 s, what came
/// while stopping is answered 503 (Telegram sends it again), what was taken
/// and not handled waits in the database; after the restart every message
/// has exactly one answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drain_and_restart_lose_no_update_and_run_none_twice() {
    let mut bot = Bot::start_webhook().await;
    bot.community().await;
    let checkin = |n: i64| {
        let who = fake_telegram::user(100 + n, &format!("Member{n}"), None);
        message(GROUP, &who, "/checkin cafe-noord")
    };
    let mut ids = Vec::new();
    for n in 0..6 {
        let message = checkin(n);
        ids.push(message["message_id"].as_i64().unwrap());
        bot.fake.push(fake_telegram::message_update(message));
    }
    // More arrive while it stops.
    let (fake, service) = (&bot.fake, &mut bot.service);
    let stopping = std::time::Instant::now();
    let (status, late) = tokio::join!(service.terminate(), async {
        let mut late = Vec::new();
        for n in 6..12 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let message = checkin(n);
            late.push(message["message_id"].as_i64().unwrap());
            fake.push(fake_telegram::message_update(message));
        }
        late
    });
    assert!(status.expect("it stops").success());
    assert!(stopping.elapsed() < Duration::from_secs(10), "{:?}", stopping.elapsed());
    ids.extend(late);
    let refused = bot.fake.state().deliveries.iter().filter(|d| d.status != 200).count();
    assert!(
        refused > 0 && !bot.fake.updates_taken(),
        "the stop came while updates arrived"
    );
    bot.service.restart();
    common::wait_listening(bot.port.unwrap()).await;
    bot.fake
        .wait_for("every message answered", PATIENCE, |s| {
            ids.iter().all(|id| s.sent.iter().any(|m| m.reply_to == Some(*id)))
        })
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = bot.fake.sent();
    for id in &ids {
        let answers = sent.iter().filter(|m| m.reply_to == Some(*id)).count();
        assert_eq!(answers, 1, "message {id}:\n{}", all_sent(&bot));
    }
    bot.stop().await;
}

/// Deliveries of one chat may overtake each other on the way (Telegram
/// opens up to 40 connections): what is waiting for the chat is handled in
/// `update_id` order, so the last word is the latest update's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_chats_updates_are_handled_in_update_id_order_whatever_order_they_arrive() {
    let bot = Bot::start_webhook().await;
    bot.community().await;
    let port = bot.port.unwrap();
    // The chat's worker is busy: its answer hangs at Telegram.
    bot.fake.stall(GROUP);
    bot.say(GROUP, &cas(), "/checkin cafe-noord first").await;
    bot.fake
        .wait_for("the first answer to hang", PATIENCE, |s| {
            s.stalled_sends.iter().any(|text| text.contains("Cas checked in"))
        })
        .await;
    for n in (1..=4).rev() {
        let update = json!({"update_id": 800_000 + n,
                            "message": message(GROUP, &cas(), &format!("/checkin cafe-noord note {n}"))});
        assert_eq!(post_update(port, Some(WEBHOOK_SECRET), &update.to_string()).await, 200);
    }
    bot.fake.release(GROUP);
    bot.fake
        .wait_for("the five check-ins answered", PATIENCE, |s| {
            s.sent.iter().filter(|m| m.text.starts_with("✅ Cas")).count() == 5
        })
        .await;
    let here = bot.ask(GROUP, &dan(), "/here").await;
    assert!(
        here.text.contains("note 4") && !here.text.contains("note 1"),
        "{}",
        here.text
    );
    bot.stop().await;
}

/// Polling would delete a production webhook (teloxide's default does): the
/// bot refuses to start instead, and says how to go on; the operator's
/// commands show the webhook and remove it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_polling_instance_refuses_to_start_while_a_webhook_is_set() {
    let fake = FakeTelegram::start(Limits::default()).await;
    fake.set_webhook("https://bot.example.org/telegram/updates");
    let settings = [
        ("SEATMATE__TELEGRAM__TOKEN", fake_telegram::TOKEN),
        ("SEATMATE__TELEGRAM__API_URL", fake.url.as_str()),
    ];
    let (code, said) = common::refused_start(&settings).await;
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("a webhook is set for this bot: https://bot.example.org/telegram/updates; run with telegram.mode = webhook, or `seatmate telegram delete-webhook`"),
        "{said}"
    );
    assert!(fake.state().webhook.is_some(), "left as it was");
    assert_eq!(fake.state().calls.get("getUpdates"), None);

    let api_url = fake.url.clone();
    let operator = move |args: &[&str]| {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
        let output = common::seatmate_command(&url, dir.path())
            .args(args)
            .env("SEATMATE__TELEGRAM__TOKEN", fake_telegram::TOKEN)
            .env("SEATMATE__TELEGRAM__API_URL", &api_url)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {text}");
        assert!(!text.contains(fake_telegram::TOKEN), "{text}");
        text
    };
    let info = tokio::task::spawn_blocking(move || {
        let info = operator(&["telegram", "webhook-info"]);
        let deleted = operator(&["telegram", "delete-webhook"]);
        let after = operator(&["telegram", "webhook-info"]);
        (info, deleted, after)
    })
    .await
    .unwrap();
    assert!(
        info.0.contains("Webhook: https://bot.example.org/telegram/updates"),
        "{}",
        info.0
    );
    assert!(info.1.contains("The webhook is removed"), "{}", info.1);
    assert!(info.2.contains("No webhook is set"), "{}", info.2);
    assert!(fake.state().webhook.is_none());
}
