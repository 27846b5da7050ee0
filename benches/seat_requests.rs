//! Seat requests per second through the whole core (parse, member lookup, the
//! request transaction: lock and read, decide, insert, outbox row, commit, and
//! the reply) on a SQLite file, against plain one-row sqlx inserts into the
//! same database in the same run. Rounds alternate between the two and the
//! medians are printed, so a noisy neighbour skews both alike. Printed, never
//! asserted: `cargo bench --bench seat_requests`.
//!
//! Target (issue 3): the core's request path at least 25% of the raw insert rate.

use std::sync::Arc;
use std::time::Instant;

use seatmate_bot::domain::Platform;
use seatmate_bot::{Core, CoreSettings, ManualClock};
use seatmate_console::request;
use seatmate_storage::{OpenOptions, SqliteStore};

const ROUNDS: usize = 7;
const PER_ROUND: usize = 400;

fn user(offer: usize, round: usize, worker: usize, i: usize) -> String {
    format!("o{offer}r{round}w{worker}n{i}")
}

/// Requests per second: `workers` tasks each sending their share of a round.
async fn core_round(bot: &Arc<Core>, offer: usize, round: usize, workers: usize) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let bot = bot.clone();
            tokio::spawn(async move {
                for i in 0..PER_ROUND / workers {
                    let reply = bot
                        .handle_text(&request(&user(offer, round, w, i), &format!("/request {offer}")))
                        .await;
                    let text = reply.plain_text(Platform::Console);
                    assert!(text.contains("You have a seat") || text.contains("waitlist"), "{text}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    PER_ROUND as f64 / started.elapsed().as_secs_f64()
}

/// Rows per second: the same number of plain inserts, each its own transaction.
async fn raw_round(pool: &sqlx::SqlitePool, round: usize, workers: usize) -> f64 {
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let pool = pool.clone();
            tokio::spawn(async move {
                for i in 0..PER_ROUND / workers {
                    sqlx::query("INSERT INTO bench_raw (round, worker, n, note) VALUES ($1, $2, $3, $4)")
                        .bind(round as i64)
                        .bind(w as i64)
                        .bind(i as i64)
                        .bind("a seat, please")
                        .execute(&pool)
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    PER_ROUND as f64 / started.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = SqliteStore::open(&url, &OpenOptions::default()).await.unwrap();
    let pool = store.pool().clone();
    sqlx::query("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, round INTEGER, worker INTEGER, n INTEGER, note TEXT)")
        .execute(&pool)
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new("2026-11-24T09:00:00Z".parse().unwrap()));
    let bot = Arc::new(Core::new(
        Arc::new(seatmate_storage::Db(store)),
        clock,
        CoreSettings::default(),
    ));
    for line in [
        "/setup Europe/Amsterdam Bench",
        "/space add cafe-noord",
        "/offer cafe-noord 500 tomorrow",
        "/offer cafe-noord 500 friday",
    ] {
        bot.handle_text(&request("host", line)).await;
    }
    let runs = [(1usize, 1usize), (2, 4)];
    // Members have spoken before, as in a real community: their first message
    // creates them, which is not the request path.
    for (offer, workers) in runs {
        for round in 0..ROUNDS {
            for w in 0..workers {
                for i in 0..PER_ROUND / workers {
                    bot.handle_text(&request(&user(offer, round, w, i), "/help checkin"))
                        .await;
                }
            }
        }
    }

    println!(
        "Seat requests on a SQLite file: {ROUNDS} alternating rounds of {PER_ROUND}, medians \
         (offer of 500 seats, then its waitlist)"
    );
    println!("{:<42} {:>8} {:>12} {:>8}", "path", "workers", "per second", "ratio");
    for (offer, workers) in runs {
        let (mut raw, mut core, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let r = raw_round(&pool, round + offer * ROUNDS, workers).await;
            let c = core_round(&bot, offer, round, workers).await;
            raw.push(r);
            core.push(c);
            ratios.push(c / r);
        }
        println!(
            "{:<42} {:>8} {:>12.0} {:>8}",
            "plain sqlx insert (autocommit)",
            workers,
            median(raw),
            "1.00"
        );
        println!(
            "{:<42} {:>8} {:>12.0} {:>8.2}",
            "core /request (tx, outbox row, reply)",
            workers,
            median(core),
            median(ratios)
        );
    }
    println!("target: the core's request path at least 0.25 of the plain insert rate");
}
