//! Leadership under churn: instances started, stopped and killed at random
//! on one database; at no moment two leaders, and never long without one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use seatmate_bot::SystemClock;

use super::*;

/// What the leaders did: how many lead now, the most at once, and when
/// each leadership began and ended.
#[derive(Default)]
struct Record {
    leading: AtomicUsize,
    most: AtomicUsize,
    spans: Mutex<Vec<(Instant, Option<Instant>)>>,
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

fn singletons(record: Arc<Record>) -> Singletons {
    Box::new(move |mut stop| {
        let record = record.clone();
        let mut tasks = tokio::task::JoinSet::new();
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

/// Four instances, each stopped (giving the lease up) or killed (not) and
/// started again at random for a while: never two leaders at once, and
/// after a leader goes, another within the lease and a renewal.
async fn churn(store: Arc<dyn Store>) {
    let timing = Timing {
        lease: Duration::from_millis(600),
        renew: Duration::from_millis(100),
        margin: Duration::from_millis(150),
    };
    let record = Arc::new(Record::default());
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut instances: Vec<Option<(watch::Sender<bool>, tokio::task::JoinHandle<()>)>> = (0..4).map(|_| None).collect();
    let started = Instant::now();
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
                    singletons(record.clone()),
                    stopping,
                ));
                instances[i] = Some((stop, task));
            }
        }
        tokio::time::sleep(Duration::from_millis(rng.gen_range(50..400))).await;
    }
    for (stop, task) in instances.into_iter().flatten() {
        let _ = stop.send(true);
        let _ = task.await;
    }
    assert_eq!(record.most.load(Ordering::SeqCst), 1, "never two leaders at once");
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
