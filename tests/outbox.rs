//! The outbox and the delivery loop: nothing lost when a worker dies between
//! writing and sending, nothing sent twice after a restart, retries with
//! backoff, a fallback for undeliverable private messages, and claims that two
//! workers never share.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Duration;
use common::Harness;
use seatmate_bot::delivery::{Courier, Deliverer, Delivery, DeliveryOptions};
use seatmate_bot::domain::Platform;
use seatmate_bot::store::{Envelope, Outgoing, Target};
use seatmate_bot::Clock;
use tokio::sync::Notify;

/// What a message is, for counting deliveries: its recipient and its text.
fn key(message: &Envelope) -> String {
    format!(
        "{:?} {}",
        message.recipient,
        message.reply.plain_text(Platform::Console)
    )
}

/// A console courier that records what it sent and answers with scripted
/// outcomes (then `Sent`); with `hang_at`, the n-th send never returns, as if the
/// process died while talking to the platform.
#[derive(Default)]
struct TestCourier {
    sent: Mutex<Vec<String>>,
    outcomes: Mutex<VecDeque<Delivery>>,
    hang_at: Option<usize>,
    calls: Mutex<usize>,
    hung: Notify,
}

impl TestCourier {
    fn sent(&self) -> Vec<String> {
        self.sent.lock().unwrap().clone()
    }
}

#[async_trait]
impl Courier for TestCourier {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn send(&self, message: &Envelope) -> Delivery {
        let call = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls
        };
        if Some(call) == self.hang_at {
            self.hung.notify_one();
            std::future::pending::<()>().await;
        }
        let outcome = self
            .outcomes
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Delivery::Sent { message_id: None });
        if matches!(outcome, Delivery::Sent { .. }) {
            self.sent.lock().unwrap().push(key(message));
        }
        outcome
    }
}

fn deliverer(h: &Harness, store: Arc<dyn seatmate_bot::Store>, courier: Arc<TestCourier>) -> Deliverer {
    Deliverer::new(store, h.clock.clone(), DeliveryOptions::default()).with_courier(courier)
}

/// An offer (one announcement) and six requests and a cancel (host notices and
/// a promotion): nine messages waiting in the outbox.
async fn busy_day(h: &Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("admin", "/offer cafe-noord 2 tomorrow").await;
    for who in ["ann", "bob", "cat", "dan", "eve", "fay"] {
        h.say(who, "/request 1").await;
    }
    h.say("ann", "/cancel 1").await;
}

async fn a_worker_dying_mid_delivery_loses_nothing_and_repeats_nothing(h: Harness) {
    busy_day(&h).await;
    // Everything was written before anything was sent.
    let first = Arc::new(TestCourier {
        hang_at: Some(4),
        ..TestCourier::default()
    });
    let worker = deliverer(&h, h.store.clone(), first.clone());
    let running = tokio::spawn(async move { worker.drain(Platform::Console).await });
    first.hung.notified().await;
    running.abort(); // the process dies while the fourth message is on its way
    assert!(running.await.unwrap_err().is_cancelled());
    assert_eq!(first.sent().len(), 3);

    // A restart: a new store on the same database, a new worker.
    let store = Harness::open(&h.url).await;
    let second = Arc::new(TestCourier::default());
    let worker = deliverer(&h, store.clone(), second.clone());
    let early = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(
        early.attempts(),
        0,
        "claims of the dead worker are honoured until their lease runs out"
    );
    h.clock.advance(Duration::seconds(61));
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(stats.sent, 6);
    assert_eq!(
        worker.drain(Platform::Console).await.unwrap().attempts(),
        0,
        "nothing left"
    );

    let mut all: BTreeMap<String, usize> = BTreeMap::new();
    for sent in first.sent().into_iter().chain(second.sent()) {
        *all.entry(sent).or_default() += 1;
    }
    assert_eq!(all.len(), 9, "every message delivered: {all:#?}");
    assert!(all.values().all(|n| *n == 1), "each exactly once: {all:#?}");
    assert!(all
        .keys()
        .any(|k| k.starts_with("Chat(\"console\") 🪑 @admin offers 2 free seats")));
    assert!(all.keys().any(|k| k.contains("🎉 A seat freed up")));
}

async fn a_restart_before_any_delivery_sends_everything_once(h: Harness) {
    busy_day(&h).await;
    drop(h.deliverer); // never ran
    let store = Harness::open(&h.url).await;
    let courier = Arc::new(TestCourier::default());
    let worker = Deliverer::new(store, h.clock.clone(), DeliveryOptions::default()).with_courier(courier.clone());
    assert_eq!(worker.drain(Platform::Console).await.unwrap().sent, 9);
    assert_eq!(worker.drain(Platform::Console).await.unwrap().attempts(), 0);
    assert_eq!(courier.sent().len(), 9);
}

async fn transient_failures_are_retried_with_backoff(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("admin", "/offer cafe-noord 2 tomorrow").await;
    let courier = Arc::new(TestCourier::default());
    courier.outcomes.lock().unwrap().extend([
        Delivery::Failed("502 Bad Gateway".into()),
        Delivery::RetryAfter(std::time::Duration::from_secs(30)),
    ]);
    let worker = deliverer(&h, h.store.clone(), courier.clone());
    assert_eq!(worker.drain(Platform::Console).await.unwrap().retried, 1);
    h.clock.advance(Duration::seconds(4));
    assert_eq!(
        worker.drain(Platform::Console).await.unwrap().attempts(),
        0,
        "first backoff is 5 s"
    );
    h.clock.advance(Duration::seconds(1));
    assert_eq!(
        worker.drain(Platform::Console).await.unwrap().retried,
        1,
        "then told to wait 30 s"
    );
    h.clock.advance(Duration::seconds(29));
    assert_eq!(worker.drain(Platform::Console).await.unwrap().attempts(), 0);
    h.clock.advance(Duration::seconds(1));
    assert_eq!(worker.drain(Platform::Console).await.unwrap().sent, 1);
    assert_eq!(courier.sent().len(), 1);
}

async fn an_undeliverable_private_message_becomes_a_mention_in_the_chat(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("admin", "/offer cafe-noord 1 tomorrow").await;
    h.say("ann", "/request 1").await; // notice to the host (admin), privately
    let courier = Arc::new(TestCourier::default());
    courier.outcomes.lock().unwrap().extend([
        Delivery::Sent { message_id: None }, // the announcement
        Delivery::Undeliverable("403 Forbidden: bot was blocked by the user".into()),
    ]);
    let worker = deliverer(&h, h.store.clone(), courier.clone());
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!((stats.sent, stats.dead), (2, 1), "announcement, then the fallback");
    let sent = courier.sent();
    assert!(
        sent[1].starts_with("Chat(\"console\") @admin: 🙋 @ann asked for a seat"),
        "{sent:?}"
    );
    h.clock.advance(Duration::hours(2));
    assert_eq!(
        worker.drain(Platform::Console).await.unwrap().attempts(),
        0,
        "a dead message is not retried"
    );
}

async fn two_workers_never_claim_the_same_message(h: Harness) {
    h.community("admin", &[]).await;
    let messages: Vec<Outgoing> = (0..100)
        .map(|i| Outgoing {
            community: seatmate_bot::domain::CommunityId(1),
            target: Target::Chat {
                platform: Platform::Console,
                chat_id: format!("chat-{i}"),
            },
            reply: seatmate_bot::Reply::to_chat(),
        })
        .collect();
    let now = h.clock.now();
    h.store.enqueue(&messages, now).await.unwrap();
    let other = Harness::open(&h.url).await;
    let lease = now + Duration::seconds(60);
    let claims = (0..8).map(|i| {
        let store = if i % 2 == 0 { h.store.clone() } else { other.clone() };
        tokio::spawn(async move { store.claim_outbox(Platform::Console, now, lease, 20).await.unwrap() })
    });
    let mut seen = std::collections::BTreeSet::new();
    for claim in claims {
        for envelope in claim.await.unwrap() {
            assert!(seen.insert(envelope.id), "message {} claimed twice", envelope.id);
            assert_eq!(envelope.attempts, 1);
        }
    }
    assert_eq!(seen.len(), 100);
    assert!(h
        .store
        .claim_outbox(Platform::Console, now, lease, 20)
        .await
        .unwrap()
        .is_empty());
    let later = now + Duration::seconds(61);
    let again = h
        .store
        .claim_outbox(Platform::Console, later, later + Duration::seconds(60), 200)
        .await
        .unwrap();
    assert_eq!(again.len(), 100, "expired leases come back");
    assert!(again.iter().all(|e| e.attempts == 2));
}

on_both_backends!(
    a_worker_dying_mid_delivery_loses_nothing_and_repeats_nothing,
    a_restart_before_any_delivery_sends_everything_once,
    transient_failures_are_retried_with_backoff,
    an_undeliverable_private_message_becomes_a_mention_in_the_chat,
    two_workers_never_claim_the_same_message,
);
