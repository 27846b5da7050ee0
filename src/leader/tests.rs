//! Leadership under churn: instances started, stopped and killed at random
//! on one database; at no moment two leaders, never long without one, and
//! the leaders' scheduler runs every day's round once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use seatmate_bot::domain::{CommunityId, Platform};
use seatmate_bot::service::RoundOutcome;
use seatmate_bot::{Core, CoreSettings, ManualClock, SystemClock};

use super::*;

/// What the leaders did: how many lead now, the most at once, and when
/// each leadership began and ended.
#[derive(Default)]
struct Record {
    leading: AtomicUsize,
    most: AtomicUsize,
    spans: Mutex<Vec<(Instant, Option<Instant>)>>,
    /// The rounds the leaders' schedulers ran (not found run already).
    rounds: AtomicUsize,
}

/// Counts a leadership for as long as it lasts (a kill ends it too).
struct Leading {
    record: Arc<Record>,
    span: usize,
}

impl Drop for Leading {
    fn drop(&mut self) {
        self.record.leading.fetch_sub(1, Ordering::SeqCst);
        self.record.spans.lock().unwrap()[self.span].1 = Some(Instant::now());
    }
}

/// What a leader runs: it counts its leadership, and its scheduler runs the
/// community's due rounds (the real ones, on the days' clock) every 20 ms.
fn singletons(record: Arc<Record>, core: Arc<Core>) -> Singletons {
    Box::new(move |mut stop| {
        let mut tasks = tokio::task::JoinSet::new();
        let (scheduled, core, mut stopping) = (record.clone(), core.clone(), stop.clone());
        tasks.spawn(async move {
            while !*stopping.borrow() {
                if let Ok(done) = core.scheduler().run_due_rounds().await {
                    let ran = done
                        .iter()
                        .filter(|(_, outcome)| !matches!(outcome, RoundOutcome::AlreadyRan));
                    scheduled.rounds.fetch_add(ran.count(), Ordering::SeqCst);
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(20)) => {}
                    _ = stopping.changed() => {}
                }
            }
        });
        let record = record.clone();
        tasks.spawn(async move {
            let now = record.leading.fetch_add(1, Ordering::SeqCst) + 1;
            record.most.fetch_max(now, Ordering::SeqCst);
            let span = {
                let mut spans = record.spans.lock().unwrap();
                spans.push((Instant::now(), None));
                spans.len() - 1
            };
            let _leading = Leading { record, span };
            let _ = stop.wait_for(|stop| *stop).await;
        });
        tasks
    })
}

/// A community pairing every day at 09:00 in Amsterdam, and the clock of
/// its days (the leases keep the system's clock).
async fn community_pairing_daily(store: &Arc<dyn Store>) -> (Arc<Core>, Arc<ManualClock>, CommunityId) {
    use seatmate_bot::domain::{CommunityName, PairingDays, PairingSettings, Zone};
    use seatmate_bot::store::Identity;
    let start: chrono::DateTime<chrono::Utc> = "2026-11-23T12:00:00Z".parse().unwrap();
    let chat = seatmate_bot::ChatKey {
        platform: Platform::Telegram,
        chat_id: "-1".into(),
        private: false,
    };
    let admin = Identity {
        platform: Platform::Telegram,
        user_id: "1".into(),
        display_name: "Ann".into(),
        username: None,
    };
    let ann = store.enter(&chat, &admin, start).await.unwrap();
    let community = store
        .create_community(
            &chat,
            &CommunityName::parse("Churners").unwrap(),
            Zone::parse("Europe/Amsterdam").unwrap(),
            ann.member,
            // A day before: the first day's round is due (rounds start after creation).
            start - chrono::Duration::days(1),
        )
        .await
        .unwrap();
    let settings = PairingSettings {
        days: PairingDays::parse("mon-sun").unwrap(),
        ..PairingSettings::default()
    };
    store.set_pairing_settings(community.id, &settings).await.unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let core = Arc::new(Core::new(store.clone(), clock.clone(), CoreSettings::default()));
    (core, clock, community.id)
}

/// Four instances, each stopped (giving the lease up) or killed (not) and
/// started again at random for a while: never two leaders at once, and
/// after a leader goes, another within the lease and a renewal.
async fn churn(store: Arc<dyn Store>) {
    let (core, days, community) = community_pairing_daily(&store).await;
    let timing = Timing {
        lease: Duration::from_millis(600),
        renew: Duration::from_millis(100),
        margin: Duration::from_millis(150),
    };
    let record = Arc::new(Record::default());
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut instances: Vec<Option<(watch::Sender<bool>, tokio::task::JoinHandle<()>)>> = (0..4).map(|_| None).collect();
    let started = Instant::now();
    // Meanwhile the days go by: each 50 ms after its round is in, which must
    // take no longer than a takeover and a tick (5 s leaves room for a
    // loaded machine; a day whose round never runs waits forever).
    let driver = {
        let (store, days) = (store.clone(), days.clone());
        tokio::spawn(async move {
            let (mut dates, mut longest) = (Vec::new(), Duration::ZERO);
            while started.elapsed() < Duration::from_secs(8) {
                let date = seatmate_bot::localtime::local_date(days.now(), chrono_tz::Europe::Amsterdam);
                let waiting = Instant::now();
                while store.round(community, date).await.unwrap().is_none() {
                    assert!(
                        waiting.elapsed() < Duration::from_secs(5),
                        "the round of {date} was missed"
                    );
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                longest = longest.max(waiting.elapsed());
                dates.push(date);
                tokio::time::sleep(Duration::from_millis(50)).await;
                days.advance(chrono::Duration::days(1));
            }
            println!("the longest wait for a day's round: {longest:?}");
            dates
        })
    };
    while started.elapsed() < Duration::from_secs(8) {
        let i = rng.gen_range(0..instances.len());
        // One instance always runs, to take over.
        let running = instances.iter().filter(|i| i.is_some()).count();
        if running == 1 && instances[i].is_some() {
            continue;
        }
        match instances[i].take() {
            Some((stop, task)) => {
                if rng.gen_bool(0.5) {
                    let _ = stop.send(true);
                    let _ = task.await;
                } else {
                    task.abort();
                    let _ = task.await;
                }
            }
            None => {
                let (stop, stopping) = watch::channel(false);
                let task = tokio::spawn(lead(
                    store.clone(),
                    Arc::new(SystemClock),
                    Worker::new(&format!("instance-{i}")),
                    timing,
                    singletons(record.clone(), core.clone()),
                    stopping,
                ));
                instances[i] = Some((stop, task));
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(50..400))).await;
    }
    // The last day's round comes from the instances still running.
    let dates = driver.await.unwrap();
    for (stop, task) in instances.into_iter().flatten() {
        let _ = stop.send(true);
        let _ = task.await;
    }
    assert_eq!(record.most.load(Ordering::SeqCst), 1, "never two leaders at once");
    assert!(dates.len() >= 5, "days went by: {dates:?}");
    // Every day the driver saw had its round (else it failed above); the
    // rounds in the database are as many as the leaders ran: none twice.
    let mut stored = 0;
    let mut date = dates[0];
    while date <= *dates.last().unwrap() + chrono::Duration::days(1) {
        stored += usize::from(store.round(community, date).await.unwrap().is_some());
        date += chrono::Duration::days(1);
    }
    assert!(stored >= dates.len(), "{stored} rounds for {} days", dates.len());
    assert_eq!(record.rounds.load(Ordering::SeqCst), stored, "each round run once");
    println!("{} days, {stored} rounds", dates.len());
    let spans = record.spans.lock().unwrap().clone();
    assert!(spans.len() >= 3, "leadership changed hands: {}", spans.len());
    // A gap between leaders: a renewal after a stop (the lease given up), a
    // lease and a renewal after a kill; some slack for a busy machine.
    let longest = spans
        .windows(2)
        .filter_map(|w| w[0].1.map(|end| w[1].0.saturating_duration_since(end)))
        .max()
        .unwrap_or_default();
    let bound = timing.lease + timing.renew * 2 + Duration::from_millis(500);
    assert!(longest <= bound, "{} leaderships; longest gap {longest:?}", spans.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leadership_has_one_holder_at_a_time_under_churn_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    churn(seatmate_storage::test_support::fresh_sqlite(dir.path()).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leadership_has_one_holder_at_a_time_under_churn_on_postgres() {
    if let Some(store) = seatmate_storage::test_support::fresh_postgres().await {
        churn(store).await;
    }
}
