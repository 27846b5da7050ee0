//! Discord in HTTP mode: interactions POSTed to the bot's endpoint, signed
//! with the application's key, answered in the response; no gateway.

use super::*;
use fake_discord::{post_interaction, sign, timestamp_now, SIGNING_KEY};

/// A server story over HTTP: commands, a press, an autocomplete and a file
/// answered in the response (the file after a deferral), a replay with one
/// effect, a PING, and no gateway opened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactions_over_http_are_answered_in_the_response_each_once() {
    let bot = Bot::start_http().await;
    let endpoint = bot.endpoint.clone().unwrap();
    bot.community().await;
    bot.offer(1).await;
    let announcement = bot.wait_posted(CHANNEL, "offers 1 free seat").await;
    let (_, custom_id) = announcement.buttons.first().cloned().expect("a request button");
    let pressed = press(CHANNEL, &bea(), &custom_id);
    let first = bot.interact(pressed.clone()).await;
    assert!(
        first.ephemeral && first.content.contains("You have a seat"),
        "{}",
        first.content
    );

    // The same interaction again (a replay): answered, no second effect.
    let body = pressed.to_string();
    let at = timestamp_now();
    let (status, answer) = post_interaction(&endpoint, Some(&sign(&SIGNING_KEY, &at, &body)), Some(&at), &body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["data"]["content"], "✓", "{answer}");
    let listed = bot.slash(&ann(), MANAGE_SERVER, "offers", json!([])).await;
    assert!(
        listed.content.contains("0 of 1 seat left") && listed.content.matches("<@12>").count() == 1,
        "one seat taken, once: {}",
        listed.content
    );

    autocomplete_offers_the_space(&bot).await;

    // A file cannot ride in the response: deferred, then sent with it.
    let data = bot.slash(&bea(), NO_PERMISSIONS, "mydata", json!([])).await;
    assert!(data.ephemeral && data.files.len() == 1, "{data:?}");
    assert!(bot.fake.state().deferred.contains(data.answers.as_ref().unwrap()));

    let ping = json!({"id": "1", "application_id": fake_discord::APPLICATION_ID.to_string(), "type": 1,
                      "token": "t", "version": 1});
    let body = ping.to_string();
    let (status, pong) = post_interaction(&endpoint, Some(&sign(&SIGNING_KEY, &at, &body)), Some(&at), &body).await;
    assert_eq!((status, pong), (200, json!({"type": 1})));

    let answers = bot.fake.state().endpoint_answers.clone();
    assert!(
        answers.len() >= 7 && answers.iter().all(|(_, status)| *status == 200),
        "{answers:?}"
    );
    assert_eq!(bot.fake.state().gateway_asked, 0, "no gateway in HTTP mode");
    bot.stop().await;
}

/// Discord probes the endpoint with bad signatures and removes an app that
/// accepts one: each is 401, unread, with no effect, and counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_bad_signature_is_refused_unread() {
    let bot = Bot::start_http().await;
    let endpoint = bot.endpoint.clone().unwrap();
    let setup = command(
        CHANNEL,
        &ann(),
        MANAGE_SERVER,
        "setup",
        json!([string("name", "Forged")]),
    );
    let body = setup.to_string();
    let now = timestamp_now();
    let good = sign(&SIGNING_KEY, &now, &body);
    let stale = (now.parse::<u64>().unwrap() - 301).to_string();
    let altered = body.replace("Forged", "Forgee");
    let cases: Vec<(&str, Option<String>, Option<String>, String)> = vec![
        ("no signature", None, Some(now.clone()), body.clone()),
        ("no timestamp", Some(good.clone()), None, body.clone()),
        ("not hex", Some("zz".repeat(64)), Some(now.clone()), body.clone()),
        (
            "too short",
            Some(good[..100].to_string()),
            Some(now.clone()),
            body.clone(),
        ),
        (
            "another key",
            Some(sign(&[9; 32], &now, &body)),
            Some(now.clone()),
            body.clone(),
        ),
        ("an altered body", Some(good.clone()), Some(now.clone()), altered),
        (
            "another timestamp",
            Some(good.clone()),
            Some(stale.clone()),
            body.clone(),
        ),
        (
            "a stale timestamp",
            Some(sign(&SIGNING_KEY, &stale, &body)),
            Some(stale),
            body.clone(),
        ),
    ];
    for (what, signature, timestamp, body) in &cases {
        let (status, _) = post_interaction(&endpoint, signature.as_deref(), timestamp.as_deref(), body).await;
        assert_eq!(status, 401, "{what}");
    }
    // Signed but not an interaction: 400.
    let junk = "{\"type\": \"nonsense\"}";
    let (status, _) = post_interaction(&endpoint, Some(&sign(&SIGNING_KEY, &now, junk)), Some(&now), junk).await;
    assert_eq!(status, 400);
    // Nothing was set up by any of them.
    let about = bot.slash(&bea(), NO_PERMISSIONS, "checkin", json!([])).await;
    assert!(!about.content.contains("Forged"), "{}", about.content);
    let port: u16 = endpoint
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let metrics = common::http_get(port, "/metrics").await.unwrap().1;
    let rejected = format!(
        r#"seatmate_inbound_total{{platform="discord",kind="rejected"}} {}"#,
        cases.len()
    );
    assert!(metrics.contains(&rejected), "{rejected} in:\n{metrics}");
    bot.stop().await;
}

/// A command the core cannot answer within 2.5 s is deferred in the
/// response (ephemerally) and completed through the follow-up webhook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_over_http_is_deferred_in_the_response_and_completed() {
    slow_answer_is_deferred_and_completed(Bot::start_http().await).await;
}

/// Three instances on one PostgreSQL behind a round-robin load balancer in
/// HTTP mode: members' presses and commands land on any of them; one is
/// killed (the balancer stops sending to it) and the rest go on. Every
/// interaction is answered once and every member has one request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_answer_interactions_once_whichever_gets_them() {
    let Some(url) = common::fresh_postgres_url().await else {
        return;
    };
    let fake = FakeDiscord::start(0.0, 1).await;
    let guild = fake_discord::GUILD_ID.to_string();
    let key = fake_discord::public_key_hex();
    let settings = [
        ("SEATMATE__DISCORD__TOKEN", fake_discord::TOKEN),
        ("SEATMATE__DISCORD__API_URL", fake.url.as_str()),
        ("SEATMATE__DISCORD__GUILD_ID", guild.as_str()),
        ("SEATMATE__DISCORD__MODE", "http"),
        ("SEATMATE__DISCORD__PUBLIC_KEY", key.as_str()),
    ];
    let (ports, mut instances) = common::start_fleet(&url, 3, &settings).await;
    let endpoints: Vec<String> = ports
        .iter()
        .map(|p| format!("http://127.0.0.1:{p}/discord/interactions"))
        .collect();
    fake.deliver_over_http_to_all(&endpoints.iter().map(String::as_str).collect::<Vec<_>>());
    let bot = Bot {
        fake,
        service: instances.remove(0),
        endpoint: None,
    };
    bot.community().await;
    bot.offer(4).await;
    let announcement = bot.wait_posted(CHANNEL, "offers 4 free seats").await;
    let (_, custom_id) = announcement.buttons.first().cloned().expect("a request button");
    for m in 0..6 {
        let answer = bot
            .interact(press(CHANNEL, &fake_discord::user(400 + m, "m"), &custom_id))
            .await;
        assert!(answer.ephemeral, "{}", answer.content);
    }
    // One instance dies; the balancer's health check takes it out.
    let mut dead = instances.remove(0);
    dead.kill().await;
    bot.fake
        .deliver_over_http_to_all(&[endpoints[0].as_str(), endpoints[2].as_str()]);
    for m in 6..12 {
        let answer = bot
            .interact(press(CHANNEL, &fake_discord::user(400 + m, "m"), &custom_id))
            .await;
        assert!(answer.ephemeral, "{}", answer.content);
    }
    assert_eq!(
        common::seat_requests_and_members(&url).await,
        (12, 12),
        "one request per member"
    );
    let answered: Vec<String> = bot
        .fake
        .state()
        .endpoint_answers
        .iter()
        .map(|(id, _)| id.clone())
        .collect();
    let distinct: std::collections::HashSet<&String> = answered.iter().collect();
    assert_eq!(distinct.len(), answered.len(), "each interaction answered once");
    let mut last = instances.remove(0);
    last.stop(&[fake_discord::TOKEN]).await;
    bot.stop().await;
}
