//! What the webhook benchmarks share: the offers members press under, the
//! presses, posting them as Telegram does, and counting what came back.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::fake_telegram::{self, message, press, user, FakeTelegram};
use seatmate_bot::domain::Platform;
use seatmate_bot::{Clock, Core, CoreSettings, Store};
use serde_json::{json, Value};

pub const SECRET: &str = "bench-secret";
pub const ANN: i64 = 1;

/// The core as `seatmate run` builds it for Telegram.
pub fn telegram_core(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    telegram: &seatmate_telegram::Telegram,
) -> Arc<Core> {
    let core =
        Core::new(store, clock, CoreSettings::default()).with_chat_admins(Platform::Telegram, telegram.chat_admins());
    core.set_telegram_bot(telegram.username());
    Arc::new(core)
}

/// The webhook route as `seatmate run` serves it, on a port of its own: its
/// URL, the webhook (to finish at a stop) and the server, to spawn.
pub async fn serve_webhook(
    telegram: &seatmate_telegram::Telegram,
    core: &Arc<Core>,
    store: Arc<dyn Store>,
    metrics: metrics_exporter_prometheus::PrometheusHandle,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> (
    String,
    seatmate_telegram::webhook::Webhook,
    impl std::future::Future<Output = ()> + Send + 'static,
) {
    let webhook = telegram
        .webhook(core.clone(), SECRET.to_string().into(), shutdown.clone())
        .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let route = format!("http://{}/telegram/updates", listener.local_addr().unwrap());
    let inbound = seatmate::http::Inbound {
        telegram: Some(("/telegram/updates".into(), webhook.clone())),
        discord: None,
    };
    let server = seatmate::http::serve(listener, store, metrics, None, inbound, shutdown);
    (route, webhook, server)
}

/// A community in each of `groups` groups, set up by Ann through `telegram`,
/// with an offer of 500 seats: each announcement and its button's data.
pub async fn offers_in_groups(
    fake: &FakeTelegram,
    telegram: &seatmate_telegram::Telegram,
    core: &Arc<Core>,
    groups: i64,
) -> Vec<(fake_telegram::Sent, String)> {
    let ann = user(ANN, "Ann", Some("ann"));
    let mut announcements = Vec::new();
    for g in 0..groups {
        let group = -100_000 - g;
        fake.make_admin(group, ANN);
        for text in [
            format!("/setup Europe/Amsterdam Bench {g}"),
            "/space add cafe capacity 500".to_string(),
            "/offer cafe 500 tomorrow 9-17".to_string(),
        ] {
            let update = json!({"update_id": 1, "message": message(group, &ann, &text)});
            telegram
                .handle(core, serde_json::from_str(&update.to_string()).unwrap(), Instant::now())
                .await;
        }
        let find = || {
            fake.sent()
                .into_iter()
                .find(|m| m.chat_id == group && m.buttons.iter().any(|(_, d)| d.starts_with("/request")))
        };
        let waiting = Instant::now();
        while find().is_none() && waiting.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let Some(announcement) = find() else {
            let said: Vec<String> = fake
                .sent()
                .into_iter()
                .map(|m| format!("{}: {}", m.chat_id, m.text))
                .collect();
            let state = fake.state();
            panic!(
                "no announcement of the offer; sent:\n{}\nrefused {:?}\nviolations {:?}\ncalls {:?}",
                said.join("\n"),
                state.refused,
                state.violations,
                state.calls
            );
        };
        let data = announcement.buttons[0].1.clone();
        announcements.push((announcement, data));
    }
    announcements
}

/// Presses by members `from..to`, spread over the groups: (update, query id).
pub fn presses(announcements: &[(fake_telegram::Sent, String)], from: i64, to: i64) -> Vec<(Value, String)> {
    let groups = announcements.len() as i64;
    (from..to)
        .map(|member| {
            let (announcement, data) = &announcements[(member % groups) as usize];
            let query = format!("q{member}");
            let mut update = press(&query, &user(member, &format!("M{member}"), None), announcement, data);
            update["update_id"] = json!(1_000_000 + member);
            (update, query)
        })
        .collect()
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Lost and twice-handled presses among `queries`.
pub fn tally(fake: &FakeTelegram, queries: &[String]) -> (usize, usize) {
    let state = fake.state();
    let lost = queries.iter().filter(|q| !state.answered_at.contains_key(*q)).count();
    let wanted: HashSet<&String> = queries.iter().collect();
    let answers = state.answers.iter().filter(|(q, _)| wanted.contains(q)).count();
    (lost, answers - (queries.len() - lost))
}

pub async fn wait_answered(fake: &FakeTelegram, queries: &[String], within: Duration) -> Duration {
    let started = Instant::now();
    while started.elapsed() < within {
        if queries.iter().all(|q| fake.state().answered_at.contains_key(q)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    started.elapsed()
}

/// POSTs an update as Telegram does: the HTTP status (0: no answer).
pub async fn post(client: &reqwest::Client, url: &str, update: &Value) -> u16 {
    match client
        .post(url)
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .header("content-type", "application/json")
        .body(update.to_string())
        .send()
        .await
    {
        Ok(answer) => answer.status().as_u16(),
        Err(_) => 0,
    }
}

/// Members' answers to `queries` posted at `sent_at`: how long each took, sorted.
pub fn answer_times(fake: &FakeTelegram, queries: &[String], sent_at: &[Instant]) -> Vec<Duration> {
    let state = fake.state();
    let mut answered: Vec<Duration> = queries
        .iter()
        .zip(sent_at)
        .filter_map(|(q, at)| state.answered_at.get(q).map(|done| done.duration_since(*at)))
        .collect();
    answered.sort();
    answered
}
