//! The delivery loop against the fake Telegram, with Telegram's limits
//! scaled up tenfold (300 messages a second overall, 200 a minute per
//! group) on both sides: 3,000 private messages to 300 members and 150 to
//! one group (within its minute's budget, so that the overall limit binds),
//! 2% of sends answered 429 at random. Prints messages per second as a
//! fraction of the declared limit (target at least 0.9), the busiest second
//! and the group's busiest minute (any window, wherever it starts: at most
//! the limits), and how many were lost or sent twice (target 0 and 0).
//! Printed, never asserted: `cargo bench --bench telegram_delivery`.
//!
//! Three runs with other seeds (which sends are refused varies the tail: a
//! 429 holds its recipient's later messages); the median and the worst are
//! printed. To look closer: `BENCH_SCALE` (the limits' multiple, default
//! 10), `BENCH_429` (the share answered 429, default 0.02), and
//! `BENCH_PROFILE=1` (messages sent in each second).

#[path = "../tests/common/fake_telegram.rs"]
mod fake_telegram;
#[path = "common/load.rs"]
mod load;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fake_telegram::{FakeTelegram, Limits, TOKEN};
use seatmate_bot::delivery::{Deliverer, DeliveryOptions, RateLimits};
use seatmate_bot::domain::Platform;
use seatmate_bot::{Clock, Core, CoreSettings, SystemClock};
use seatmate_storage::OpenOptions;

const SCALE: u32 = 10;

fn scale() -> u32 {
    std::env::var("BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SCALE)
}
const MEMBERS: i64 = 300;
const PER_MEMBER: usize = 10;
const TO_GROUP: usize = 150;
const GROUP: i64 = -100_777;

/// What one run measured.
struct Run {
    elapsed: Duration,
    expected: usize,
    lost: usize,
    duplicated: usize,
    rate_limited: usize,
    attempts: usize,
    violations: usize,
    per_second: Vec<usize>,
    /// The most sends in any one second, and to the group in any minute.
    busiest_second: usize,
    busiest_group_minute: usize,
}

/// Runs of the same load with other seeds: the tail (a 429 holds its
/// recipient's later messages) varies with which sends are refused.
const RUNS: u64 = 3;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let declared = f64::from(30 * scale());
    println!(
        "telegram delivery: {} messages ({} private to {MEMBERS} members, {TO_GROUP} to one group), {RUNS} runs",
        MEMBERS as usize * PER_MEMBER + TO_GROUP,
        MEMBERS as usize * PER_MEMBER
    );
    println!(
        "  limits ({}x Telegram's): {declared} messages/s overall, {} a minute per group",
        scale(),
        20 * scale()
    );
    let mut fractions = Vec::new();
    let (mut lost, mut duplicated, mut violations) = (0, 0, 0);
    for seed in 1..=RUNS {
        let run = run(seed).await;
        let per_second = run.expected as f64 / run.elapsed.as_secs_f64();
        fractions.push(per_second / declared);
        println!(
            "  run {seed}: {:.2} s, {per_second:.0} messages/s = {:.2} of the limit; busiest second {}, group's busiest minute {}; 429s: {} of {} attempts; lost {}, duplicated {}",
            run.elapsed.as_secs_f64(),
            per_second / declared,
            run.busiest_second,
            run.busiest_group_minute,
            run.rate_limited,
            run.attempts,
            run.lost,
            run.duplicated
        );
        if std::env::var("BENCH_PROFILE").is_ok() {
            println!("    sent in each second: {:?}", run.per_second);
        }
        lost += run.lost;
        duplicated += run.duplicated;
        violations += run.violations;
    }
    fractions.sort_by(f64::total_cmp);
    println!(
        "  messages/s as a fraction of the declared limit: median {:.2}, worst {:.2} (target >= 0.9)",
        fractions[fractions.len() / 2],
        fractions[0]
    );
    println!(
        "  lost: {lost} (target 0), duplicated: {duplicated} (target 0); requests Telegram would refuse: {violations}"
    );
}

async fn run(seed: u64) -> Run {
    let limits = RateLimits {
        per_second: Some(30 * scale()),
        per_chat_per_minute: Some(20 * scale()),
        per_chat_burst: None,
    };
    let fake = FakeTelegram::start(Limits {
        per_second: 30 * scale(),
        per_group_per_minute: 20 * scale(),
        random_429: std::env::var("BENCH_429")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0.02),
        seed,
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = seatmate_storage::open(&url, &OpenOptions::default()).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();

    // A community bound to the group, with 300 members who started the bot.
    for id in 1..=MEMBERS {
        fake.start_private_chat(id);
    }
    let ids = (1..=MEMBERS).map(|id| id.to_string());
    let expected = load::write(
        &store,
        Platform::Telegram,
        &GROUP.to_string(),
        ids,
        PER_MEMBER,
        TO_GROUP,
        now,
    )
    .await;

    let telegram = seatmate_telegram::Telegram::connect(TOKEN, &fake.url).await.unwrap();
    let core = Arc::new(Core::new(store.clone(), clock.clone(), CoreSettings::default()));
    let courier = Arc::new(telegram.courier(core.button_keys()).with_limits(limits));
    let deliverer = Arc::new(Deliverer::new(store, clock, DeliveryOptions::default()).with_courier(courier));
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let mut tasks = deliverer.spawn(shutdown);
    let deadline = started + Duration::from_secs(120);
    while fake.state().sent.len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    // Anything sent late (a duplicate) would show within another second.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let _ = stop.send(true);
    while tasks.join_next().await.is_some() {}

    let state = fake.state();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for sent in &state.sent {
        *counts.entry(sent.text.as_str()).or_default() += 1;
    }
    let lost = (0..expected)
        .filter(|&i| !counts.contains_key(load::text(i).as_str()))
        .count();
    let duplicated: usize = counts.values().map(|n| n.saturating_sub(1)).sum();
    let rate_limited = state.refused.iter().filter(|r| r.code == 429).count();
    let mut per_second = vec![0usize; elapsed.as_secs() as usize + 2];
    for sent in &state.sent {
        if let Some(n) = per_second.get_mut(sent.at.duration_since(started).as_secs() as usize) {
            *n += 1;
        }
    }
    let all: Vec<Instant> = state.sent.iter().map(|s| s.at).collect();
    let to_group: Vec<Instant> = state.sent.iter().filter(|s| s.chat_id == GROUP).map(|s| s.at).collect();
    Run {
        elapsed,
        expected,
        lost,
        duplicated,
        rate_limited,
        attempts: state.sent.len() + rate_limited,
        violations: state.violations.len(),
        per_second,
        busiest_second: load::busiest(&all, Duration::from_secs(1)),
        busiest_group_minute: load::busiest(&to_group, Duration::from_secs(60)),
    }
}
