//! Telegram updates through the webhook route of one process, on SQLite and
//! (when `SEATMATE_TEST_POSTGRES_URL` is set) on PostgreSQL, against the
//! fake Telegram; printed, never asserted: `cargo bench --bench http_inbound`.
//!
//! The load is what a busy morning looks like: members of 8 groups pressing
//! "Request a seat" under their group's offer (each a seat request written
//! in a transaction, answered with a toast). Three phases per backend:
//!
//! 1. **Throughput.** 1,600 updates POSTed as fast as 32 connections allow
//!    (Telegram opens up to 40), one in 20 sent twice: updates accepted per
//!    second (200 answered) and handled per second.
//! 2. **Latency at 200 updates/s.** 1,000 updates at a fixed rate: the
//!    webhook's answer (what Telegram waits for) and the member's answer
//!    (the press's toast at the fake), p50 and p99. Target: p99 under 100 ms.
//! 3. **Polling, the same load.** 1,600 updates queued at the fake and
//!    fetched by `getUpdates`: handled per second, and the webhook's ratio
//!    to it.
//!
//! Every phase counts what was lost (a press never answered) and what was
//! handled twice (answered twice, or two requests by one member): target 0
//! and 0.

#[path = "../tests/common/fake_telegram.rs"]
mod fake_telegram;
#[path = "common/webhook.rs"]
mod webhook;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_telegram::{FakeTelegram, Limits, TOKEN};
use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::SystemClock;
use seatmate_storage::OpenOptions;
use serde_json::Value;
use webhook::{answer_times, ms, percentile, post, presses, tally, wait_answered};

const GROUPS: i64 = 8;
const BURST: usize = 1_600;
const STEADY: usize = 1_000;
const RATE: u64 = 200;
const CONNECTIONS: usize = 32;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let metrics = seatmate::http::install_metrics().unwrap();
    println!("http inbound: {GROUPS} groups pressing 'Request a seat'; {BURST} updates as fast as {CONNECTIONS} connections go, {STEADY} at {RATE}/s, {BURST} by polling");
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("bench.db").display());
    run("SQLite", &sqlite, metrics.clone()).await;
    match seatmate_storage::test_support::postgres_base_url() {
        Some(base) => {
            let url = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
            run("PostgreSQL", &url, metrics).await;
        }
        None => println!("PostgreSQL: skipped (set SEATMATE_TEST_POSTGRES_URL)"),
    }
}

async fn run(backend: &str, url: &str, metrics: metrics_exporter_prometheus::PrometheusHandle) {
    let store = seatmate_storage::open(url, &OpenOptions::default()).await.unwrap();
    let fake = FakeTelegram::start(Limits {
        per_second: 1_000_000,
        per_group_per_minute: 1_000_000,
        ..Limits::default()
    })
    .await;
    let telegram = seatmate_telegram::Telegram::connect(TOKEN, &fake.url).await.unwrap();
    let core = webhook::telegram_core(store.clone(), Arc::new(SystemClock), &telegram);
    // The delivery loop, as in `seatmate run`: it posts the offers'
    // announcements (and whatever the presses make the core send).
    let deliverer = Deliverer::new(store.clone(), Arc::new(SystemClock), DeliveryOptions::default())
        .with_courier(Arc::new(telegram.courier(core.button_keys())));
    let (stop_delivery, delivery_shutdown) = tokio::sync::watch::channel(false);
    let mut delivery = Arc::new(deliverer).spawn(delivery_shutdown);

    // Each group: a community, a space and an offer of 500 seats.
    let announcements = webhook::offers_in_groups(&fake, &telegram, &core, GROUPS).await;

    // The webhook route, as `seatmate run` serves it.
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let (route, webhook, server) = webhook::serve_webhook(&telegram, &core, store.clone(), metrics, shutdown).await;
    let server = tokio::spawn(server);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();

    // 1. Throughput.
    let burst = presses(&announcements, 1_000, 1_000 + BURST as i64);
    let queries: Vec<String> = burst.iter().map(|(_, q)| q.clone()).collect();
    let mut sends: Vec<Value> = Vec::new();
    for (i, (update, _)) in burst.iter().enumerate() {
        sends.push(update.clone());
        if i % 20 == 0 {
            sends.push(update.clone());
        }
    }
    let started = Instant::now();
    let sends = Arc::new(std::sync::Mutex::new(sends));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (client, route, sends) = (client.clone(), route.clone(), sends.clone());
        workers.spawn(async move {
            let mut refused = 0;
            loop {
                let Some(update) = sends.lock().unwrap().pop() else {
                    break;
                };
                if post(&client, &route, &update).await != 200 {
                    refused += 1;
                }
            }
            refused
        });
    }
    let mut refused = 0;
    while let Some(done) = workers.join_next().await {
        refused += done.unwrap();
    }
    let accepted_in = started.elapsed();
    wait_answered(&fake, &queries, Duration::from_secs(120)).await;
    let handled_in = started.elapsed();
    let (lost, twice) = tally(&fake, &queries);
    let posts = BURST + BURST.div_ceil(20);
    let webhook_rate = BURST as f64 / handled_in.as_secs_f64();
    println!("{backend}:");
    println!(
        "  webhook burst: {:.0} updates/s accepted ({posts} POSTs, {refused} not 200), {:.0} updates/s handled; lost {lost}, handled twice {twice}",
        posts as f64 / accepted_in.as_secs_f64(),
        webhook_rate,
    );

    // 2. Latency at a fixed rate.
    let steady = presses(&announcements, 10_000, 10_000 + STEADY as i64);
    let queries: Vec<String> = steady.iter().map(|(_, q)| q.clone()).collect();
    let started = Instant::now();
    let mut posting = tokio::task::JoinSet::new();
    let mut sent_at = Vec::new();
    for (i, (update, _)) in steady.into_iter().enumerate() {
        tokio::time::sleep_until((started + Duration::from_micros(1_000_000 / RATE * i as u64)).into()).await;
        let (client, route) = (client.clone(), route.clone());
        let at = Instant::now();
        sent_at.push(at);
        posting.spawn(async move {
            let status = post(&client, &route, &update).await;
            (status, at.elapsed())
        });
    }
    let mut accept = Vec::new();
    let mut refused = 0;
    while let Some(done) = posting.join_next().await {
        let (status, took) = done.unwrap();
        refused += usize::from(status != 200);
        accept.push(took);
    }
    wait_answered(&fake, &queries, Duration::from_secs(60)).await;
    let (lost, twice) = tally(&fake, &queries);
    let answered = answer_times(&fake, &queries, &sent_at);
    accept.sort();
    println!(
        "  at {RATE} updates/s: webhook answered in p50 {:.1} ms, p99 {:.1} ms; the member's answer in p50 {:.1} ms, p99 {:.1} ms (target p99 < 100 ms: {:.2} of it); {refused} not 200, lost {lost}, handled twice {twice}",
        ms(percentile(&accept, 0.5)),
        ms(percentile(&accept, 0.99)),
        ms(percentile(&answered, 0.5)),
        ms(percentile(&answered, 0.99)),
        ms(percentile(&answered, 0.99)) / 100.0,
    );
    let _ = stop.send(true);
    webhook.finish().await;
    let _ = server.await;

    // 3. Polling, the same load.
    let polled = presses(&announcements, 20_000, 20_000 + BURST as i64);
    let queries: Vec<String> = polled.iter().map(|(_, q)| q.clone()).collect();
    for (update, _) in polled {
        let mut update = update;
        update.as_object_mut().unwrap().remove("update_id");
        fake.push(update);
    }
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let polling = {
        let (telegram, core) = (telegram.clone(), core.clone());
        tokio::spawn(async move { telegram.run(core, shutdown).await })
    };
    wait_answered(&fake, &queries, Duration::from_secs(120)).await;
    let polled_in = started.elapsed();
    let _ = stop.send(true);
    let _ = polling.await;
    let (lost, twice) = tally(&fake, &queries);
    let polling_rate = BURST as f64 / polled_in.as_secs_f64();
    println!(
        "  polling: {polling_rate:.0} updates/s handled; lost {lost}, handled twice {twice}; webhook/polling {:.2}",
        webhook_rate / polling_rate
    );
    let _ = stop_delivery.send(true);
    while delivery.join_next().await.is_some() {}
    let requests: i64 = sqlx_count(url).await;
    println!("  seat requests written: {requests} (expected {})", BURST * 2 + STEADY);
}

/// Seat requests in the database: one per member who pressed.
async fn sqlx_count(url: &str) -> i64 {
    use sqlx::Connection;
    let query = "SELECT count(*) FROM seat_requests";
    if url.starts_with("sqlite") {
        let mut db = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(query).fetch_one(&mut db).await.unwrap()
    } else {
        let mut db = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(query).fetch_one(&mut db).await.unwrap()
    }
}
