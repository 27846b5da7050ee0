//! A fleet on one PostgreSQL against the fake Telegram at Telegram's own
//! limits (30 messages a second, 20 a minute to a group): 1 instance, then
//! 3 on a fresh database, the bench spreading webhook posts over them in
//! turn as a load balancer does. Printed, never asserted:
//! `SEATMATE_TEST_POSTGRES_URL=postgres://… cargo bench --bench fleet`.
//!
//! Each instance is what `seatmate run` builds (store pool, Telegram adapter
//! with the fleet's shared send windows, webhook route), in one process.
//! Every instance runs a delivery loop here, where the binary runs one on
//! the leader: the stricter case for the shared windows.
//!
//! 1. **Inbound burst.** 1,200 presses of "Request a seat" POSTed as fast
//!    as 32 connections go: updates handled per second; 3 instances / 1.
//! 2. **The same offered load.** 600 presses at 150 a second: the member's
//!    answer (the toast at the fake), p50 and p99.
//! 3. **Delivery.** 600 messages written to the outbox (to 100 members
//!    and, one in fifteen, to a group) while members send `/help` privately
//!    at 5 a second to whichever instance: every message at the fake,
//!    messages per second as a fraction of Telegram's 30, the busiest second
//!    and the group's busiest minute (any window: at most 30 and 20), and
//!    how many sends the fake refused with 429 (target 0).
//!
//! On a 2-core machine three instances share the cores of one: the ratio in
//! phase 1 measures the cost of coordination, not added capacity.
//!
//! `BENCH_PROFILE=1` prints the sends of each second in phase 3;
//! `BENCH_LOCAL_LIMITS=1` gives each instance a limiter of its own (what
//! the shared windows prevent); `BENCH_ONLY_DELIVERY=1` runs phase 3 only.

#[path = "../tests/common/fake_telegram.rs"]
mod fake_telegram;
#[path = "common/load.rs"]
mod load;
#[path = "common/webhook.rs"]
mod webhook;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_telegram::{message, user, FakeTelegram, Limits, TOKEN};
use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::domain::Platform;
use seatmate_bot::worker::Worker;
use seatmate_bot::{Clock, Core, SystemClock};
use seatmate_storage::OpenOptions;
use serde_json::{json, Value};
use webhook::{answer_times, ms, percentile, post, presses, tally, wait_answered};

const GROUPS: i64 = 8;
const BURST: usize = 1_200;
const STEADY: usize = 600;
const RATE: u64 = 150;
const CONNECTIONS: usize = 32;
const MEMBERS: i64 = 100;
/// The outbox's recipients: people other than the pressing members and Ann.
const FIRST_MEMBER: i64 = 2_000_001;
const PER_MEMBER: usize = 6;
const TO_GROUP: usize = 10;
const GROUP: i64 = -100_777;
const HELP_RATE: u64 = 5;
const TELEGRAM_PER_SECOND: f64 = 30.0;

/// One instance: its webhook route and how to stop it.
struct Instance {
    route: String,
    core: Arc<Core>,
    telegram: seatmate_telegram::Telegram,
    stop: tokio::sync::watch::Sender<bool>,
    tasks: tokio::task::JoinSet<()>,
}

async fn start(
    n: usize,
    url: &str,
    fake: &FakeTelegram,
    metrics: &metrics_exporter_prometheus::PrometheusHandle,
) -> Instance {
    let store = seatmate_storage::open(url, &OpenOptions::default()).await.unwrap();
    let mut telegram = seatmate_telegram::Telegram::connect(TOKEN, &fake.url).await.unwrap();
    if std::env::var_os("BENCH_LOCAL_LIMITS").is_none() {
        telegram = telegram.with_fleet_limits(store.clone());
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let core = webhook::telegram_core(store.clone(), clock.clone(), &telegram);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    // As `seatmate run` delivers: a host's updates gathered for a minute.
    let options = DeliveryOptions {
        host_digest: Duration::from_secs(60),
        ..DeliveryOptions::default()
    };
    let deliverer = Deliverer::new(store.clone(), clock, options)
        .with_worker(Worker::new(&format!("bench-{n}")))
        .with_courier(Arc::new(telegram.courier(core.button_keys())));
    let mut tasks = Arc::new(deliverer).spawn(shutdown.clone());
    let (route, webhook, server) =
        webhook::serve_webhook(&telegram, &core, store, metrics.clone(), shutdown.clone()).await;
    tasks.spawn(server);
    let mut finishing = shutdown;
    tasks.spawn(async move {
        let _ = finishing.wait_for(|stop| *stop).await;
        webhook.finish().await;
    });
    Instance {
        route,
        core,
        telegram,
        stop,
        tasks,
    }
}

/// POSTs `updates` over `routes` in turn with `CONNECTIONS` connections;
/// how many were not answered 200.
async fn post_all(client: &reqwest::Client, routes: &[String], updates: Vec<Value>) -> usize {
    let queue = Arc::new(std::sync::Mutex::new(
        updates.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..CONNECTIONS {
        let (client, routes, queue) = (client.clone(), routes.to_vec(), queue.clone());
        workers.spawn(async move {
            let mut refused = 0;
            loop {
                let Some((i, update)) = queue.lock().unwrap().pop() else {
                    break;
                };
                refused += usize::from(post(&client, &routes[i % routes.len()], &update).await != 200);
            }
            refused
        });
    }
    workers.join_all().await.into_iter().sum()
}

/// What one fleet size measured.
struct Measured {
    handled_per_second: f64,
    p99: Duration,
    delivery_fraction: f64,
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let Some(base) = seatmate_storage::test_support::postgres_base_url() else {
        println!("fleet: skipped (set SEATMATE_TEST_POSTGRES_URL)");
        return;
    };
    let metrics = seatmate::http::install_metrics().unwrap();
    println!(
        "fleet: {GROUPS} groups pressing 'Request a seat'; Telegram's limits at the fake ({TELEGRAM_PER_SECOND}/s, 20/min a group); {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let one = run(1, &base, &metrics).await;
    let three = run(3, &base, &metrics).await;
    println!(
        "  3 instances / 1: handled {:.2}x, answer p99 {:.2}x, delivery {:.2} vs {:.2} of the limit (on 2 cores the instances share the cores: the ratio shows the cost of coordinating, not more capacity)",
        three.handled_per_second / one.handled_per_second,
        three.p99.as_secs_f64() / one.p99.as_secs_f64().max(1e-9),
        three.delivery_fraction,
        one.delivery_fraction,
    );
}

async fn run(instances: usize, base: &str, metrics: &metrics_exporter_prometheus::PrometheusHandle) -> Measured {
    let url = seatmate_storage::test_support::fresh_postgres_url(base).await.unwrap();
    let fake = FakeTelegram::start(Limits::default()).await;
    let mut fleet = Vec::new();
    for n in 0..instances {
        fleet.push(start(n, &url, &fake, metrics).await);
    }
    let routes: Vec<String> = fleet.iter().map(|i| i.route.clone()).collect();
    let announcements = webhook::offers_in_groups(&fake, &fleet[0].telegram, &fleet[0].core, GROUPS).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .unwrap();
    println!("{instances} instance(s):");

    let only_delivery = std::env::var_os("BENCH_ONLY_DELIVERY").is_some();
    let (mut handled_per_second, mut p99) = (0.0, Duration::ZERO);
    if !only_delivery {
        // 1. Burst.
        let burst = presses(&announcements, 1_000, 1_000 + BURST as i64);
        let queries: Vec<String> = burst.iter().map(|(_, q)| q.clone()).collect();
        let started = Instant::now();
        let refused = post_all(&client, &routes, burst.into_iter().map(|(u, _)| u).collect()).await;
        wait_answered(&fake, &queries, Duration::from_secs(120)).await;
        handled_per_second = BURST as f64 / started.elapsed().as_secs_f64();
        let (lost, twice) = tally(&fake, &queries);
        println!(
            "  burst: {handled_per_second:.0} updates/s handled; {refused} not 200, lost {lost}, handled twice {twice}"
        );

        // 2. The same offered load.
        let steady = presses(&announcements, 10_000, 10_000 + STEADY as i64);
        let queries: Vec<String> = steady.iter().map(|(_, q)| q.clone()).collect();
        let started = Instant::now();
        let mut posting = tokio::task::JoinSet::new();
        let mut sent_at = Vec::new();
        for (i, (update, _)) in steady.into_iter().enumerate() {
            tokio::time::sleep_until((started + Duration::from_micros(1_000_000 / RATE * i as u64)).into()).await;
            let (client, route) = (client.clone(), routes[i % routes.len()].clone());
            sent_at.push(Instant::now());
            posting.spawn(async move { post(&client, &route, &update).await });
        }
        let refused = posting.join_all().await.into_iter().filter(|&s| s != 200).count();
        wait_answered(&fake, &queries, Duration::from_secs(60)).await;
        let (lost, twice) = tally(&fake, &queries);
        let answered = answer_times(&fake, &queries, &sent_at);
        p99 = percentile(&answered, 0.99);
        println!(
        "  at {RATE} updates/s: the member's answer p50 {:.1} ms, p99 {:.1} ms; {refused} not 200, lost {lost}, handled twice {twice}",
        ms(percentile(&answered, 0.5)),
        ms(p99)
    );
    }

    // 3. Delivery with direct answers from every instance.
    let store = seatmate_storage::open(&url, &OpenOptions::default()).await.unwrap();
    for id in FIRST_MEMBER..FIRST_MEMBER + MEMBERS {
        fake.start_private_chat(id);
    }
    let from = fake.state().sent.len();
    let started = Instant::now();
    let expected = load::write(
        &store,
        Platform::Telegram,
        &GROUP.to_string(),
        (FIRST_MEMBER..FIRST_MEMBER + MEMBERS).map(|id| id.to_string()),
        PER_MEMBER,
        TO_GROUP,
        SystemClock.now(),
    )
    .await;
    let delivered = |fake: &FakeTelegram| {
        let state = fake.state();
        let texts: std::collections::HashSet<&str> = state.sent[from..].iter().map(|s| s.text.as_str()).collect();
        (0..expected)
            .filter(|&i| texts.contains(load::text(i).as_str()))
            .count()
    };
    let mut asked = 0u64;
    let deadline = started + Duration::from_secs(180);
    while delivered(&fake) < expected && Instant::now() < deadline {
        let member = 5_000 + asked as i64;
        fake.start_private_chat(member);
        let update =
            json!({"update_id": 5_000_000 + member, "message": message(member, &user(member, "Asker", None), "/help")});
        let _ = post(&client, &routes[asked as usize % routes.len()], &update).await;
        asked += 1;
        tokio::time::sleep_until((started + Duration::from_millis(1000 / HELP_RATE * asked)).into()).await;
    }
    let elapsed = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let delivery_fraction = {
        let state = fake.state();
        let window: Vec<Instant> = state.sent[from..]
            .iter()
            .filter(|s| s.at.duration_since(started) <= elapsed)
            .map(|s| s.at)
            .collect();
        let all: Vec<Instant> = state.sent.iter().map(|s| s.at).collect();
        let to_group: Vec<Instant> = state.sent.iter().filter(|s| s.chat_id == GROUP).map(|s| s.at).collect();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for sent in &state.sent[from..] {
            *counts.entry(sent.text.as_str()).or_default() += 1;
        }
        let lost = (0..expected)
            .filter(|&i| !counts.contains_key(load::text(i).as_str()))
            .count();
        let duplicated: usize = (0..expected)
            .filter_map(|i| counts.get(load::text(i).as_str()))
            .map(|n| n - 1)
            .sum();
        if std::env::var_os("BENCH_PROFILE").is_some() {
            let mut outbox = vec![0usize; elapsed.as_secs() as usize + 2];
            let mut other = outbox.clone();
            for sent in &state.sent[from..] {
                let second = sent.at.saturating_duration_since(started).as_secs() as usize;
                let counts = if sent.text.starts_with("message ") {
                    &mut outbox
                } else {
                    &mut other
                };
                if let Some(n) = counts.get_mut(second) {
                    *n += 1;
                }
            }
            println!("    outbox messages sent in each second: {outbox:?}");
            println!("    other messages sent in each second: {other:?}");
        }
        let refused_429 = state.refused.iter().filter(|r| r.code == 429).count();
        let delivery_fraction = window.len() as f64 / elapsed.as_secs_f64() / TELEGRAM_PER_SECOND;
        println!(
            "  delivery: {expected} outbox messages and {asked} /help answers from {instances} instance(s) in {:.1} s: {:.1} messages/s = {delivery_fraction:.2} of Telegram's 30 (target >= 0.9); busiest second {} (limit 30), group's busiest minute {} (limit 20); 429s at the fake {refused_429} (target 0); lost {lost}, duplicated {duplicated}",
            elapsed.as_secs_f64(),
            window.len() as f64 / elapsed.as_secs_f64(),
            load::busiest(&all, Duration::from_secs(1)),
            load::busiest(&to_group, Duration::from_secs(60)),
        );
        delivery_fraction
    };
    for mut instance in fleet {
        let _ = instance.stop.send(true);
        while instance.tasks.join_next().await.is_some() {}
    }
    Measured {
        handled_per_second,
        p99,
        delivery_fraction,
    }
}
