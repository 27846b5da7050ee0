//! The outbox and the delivery loop: nothing lost when a worker dies between
//! writing and sending, nothing sent twice after a restart, retries with
//! backoff, private messages held (never shown in the chat) when the platform
//! refuses them, claims that two workers never share, and messages to one chat
//! in order under rate limits, two workers and a shutdown.

mod common;

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Duration;
use common::Harness;
use seatmate_bot::delivery::{Courier, Deliverer, Delivery, DeliveryOptions};
use seatmate_bot::domain::Platform;
use seatmate_bot::store::{DeliveryRecord, Outgoing, Recipient, Target};
use seatmate_bot::{Caller, ChatKey, Clock, Inbound, Reply, Span};
use tokio::sync::Notify;

/// What a message is, for counting deliveries: its recipient and its text.
fn key(to: &Recipient, message: &Reply) -> String {
    format!("{:?} {}", to, message.plain_text(Platform::Console))
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
    /// Members whose private chat with the bot is closed: refused (403).
    closed: Mutex<Vec<String>>,
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

    async fn send(&self, to: &Recipient, message: &Reply) -> Delivery {
        let call = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls
        };
        if Some(call) == self.hang_at {
            self.hung.notify_one();
            std::future::pending::<()>().await;
        }
        if let Recipient::Member(id) = to {
            if self.closed.lock().unwrap().contains(id) {
                return Delivery::Undeliverable("403 Forbidden: bot can't initiate conversation with a user".into());
            }
        }
        let outcome = self
            .outcomes
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Delivery::Sent { message_id: None });
        if matches!(outcome, Delivery::Sent { .. }) {
            self.sent.lock().unwrap().push(key(to, message));
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

async fn a_chat_the_platform_says_is_gone_is_paused_and_its_admins_told(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("admin", "/offer cafe-noord 2 tomorrow").await;
    let courier = Arc::new(TestCourier::default());
    courier
        .outcomes
        .lock()
        .unwrap()
        .push_back(Delivery::ChatGone("404 10003 Unknown Channel".into()));
    let worker = deliverer(&h, h.store.clone(), courier.clone());
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(stats.dead, 1, "the announcement is given up");
    // The admin hears of it privately; the chat gets nothing more.
    let sent = courier.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(
        sent[0].contains("admin") && sent[0].contains("I can no longer post in a chat of"),
        "{sent:?}"
    );
    h.say("admin", "/offer cafe-noord 1 friday").await;
    worker.drain(Platform::Console).await.unwrap();
    assert_eq!(courier.sent().len(), 1, "no announcement to a paused chat");
}

/// A platform that allows 60 messages a minute in a chat, five at once
/// (Discord's 5 in 5 seconds).
struct BurstCourier(Mutex<usize>);

#[async_trait]
impl Courier for BurstCourier {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    fn limits(&self) -> seatmate_bot::delivery::RateLimits {
        seatmate_bot::delivery::RateLimits {
            per_second: None,
            per_chat_per_minute: Some(60),
            per_chat_burst: Some(5),
        }
    }

    async fn send(&self, _to: &Recipient, _message: &Reply) -> Delivery {
        *self.0.lock().unwrap() += 1;
        Delivery::Sent { message_id: None }
    }
}

async fn a_chat_gets_at_most_five_messages_in_any_five_seconds(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    let community = h.console_community().await.expect("the community").id;
    let chat = Target::Chat {
        platform: Platform::Console,
        chat_id: seatmate_console::CHAT_ID.into(),
    };
    let messages: Vec<Outgoing> = (0..10)
        .map(|i| {
            Outgoing::new(
                community,
                chat.clone(),
                Reply::to_chat().line(vec![Span::Text(format!("n{i}"))]),
            )
        })
        .collect();
    h.store.enqueue(&messages, h.now()).await.unwrap();
    let courier = Arc::new(BurstCourier(Mutex::new(0)));
    let worker =
        Deliverer::new(h.store.clone(), h.clock.clone(), DeliveryOptions::default()).with_courier(courier.clone());
    worker.drain(Platform::Console).await.unwrap();
    assert_eq!(*courier.0.lock().unwrap(), 5, "five at once");
    // Five in any five seconds: nothing more until the first five are five
    // seconds old (a token bucket would let one a second through).
    for _ in 0..4 {
        h.clock.advance(Duration::seconds(1));
        worker.drain(Platform::Console).await.unwrap();
        assert_eq!(*courier.0.lock().unwrap(), 5, "still five in these five seconds");
    }
    // (The limiter keeps a margin of a few hundredths of a second.)
    h.clock.advance(Duration::milliseconds(1100));
    worker.drain(Platform::Console).await.unwrap();
    assert_eq!(*courier.0.lock().unwrap(), 10);
}

/// What `user` writes in their private chat with the bot on the console
/// platform (the console itself is one group chat; the core sees a private one).
fn in_private(user: &str, text: &str) -> Inbound {
    let chat = ChatKey {
        platform: Platform::Console,
        chat_id: format!("private-{user}"),
        private: true,
    };
    let caller = Caller {
        user_id: user.into(),
        display_name: user.into(),
        username: Some(user.into()),
    };
    Inbound::new(chat, caller, text)
}

async fn an_undeliverable_private_message_is_held_never_shown_and_delivered_when_the_chat_opens(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("admin", "/offer cafe-noord 3 tomorrow").await;
    h.say("ann", "/request 1").await; // a notice to the host (admin), privately
    h.say("bob", "/request 1").await; // and another
    let courier = Arc::new(TestCourier::default());
    courier.closed.lock().unwrap().push("admin".into());
    let worker = deliverer(&h, h.store.clone(), courier.clone());
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(
        (stats.sent, stats.held),
        (2, 2),
        "the announcement and one nudge; both notices held"
    );
    let sent = courier.sent();
    assert_eq!(
        sent[1],
        "Chat(\"console\") @admin, I have a private message for you. Open a private chat with me to read it."
    );
    assert!(sent.iter().all(|m| !m.contains("asked for a seat")), "{sent:?}");
    h.clock.advance(Duration::hours(2));
    assert_eq!(
        worker.drain(Platform::Console).await.unwrap().attempts(),
        0,
        "held, not retried"
    );

    // In the group, /inbox shows nothing of them.
    let reply = h.text("admin", "/inbox").await;
    assert!(reply.contains("Your inbox is private"), "{reply}");
    assert!(!reply.contains("asked"), "{reply}");

    // Opening the private chat (with anything, a typo too) releases them
    // once, in order, as one digest.
    courier.closed.lock().unwrap().clear();
    h.bot.handle_text(&in_private("admin", "/profle")).await;
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(stats.sent, 1);
    let sent = courier.sent();
    assert!(
        sent[2].starts_with("Member(\"admin\") While I couldn't write to you privately, 2 messages waited here:"),
        "{sent:?}"
    );
    let (ann, bob) = (
        sent[2].find("🙋 @ann asked for a seat"),
        sent[2].find("🙋 @bob asked for a seat"),
    );
    assert!(ann.is_some() && ann < bob, "{sent:?}");
    assert_eq!(worker.drain(Platform::Console).await.unwrap().attempts(), 0);

    // Held again, /inbox in the private chat hands it over itself.
    h.say("cat", "/request 1").await;
    courier.closed.lock().unwrap().push("admin".into());
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!((stats.held, stats.sent), (1, 1), "held, with a new nudge");
    let inbox = seatmate_console::render(&h.bot.handle_text(&in_private("admin", "/inbox")).await, "admin");
    assert!(
        inbox.starts_with("seatmate (private to admin): 1 message I could not deliver to you before:"),
        "{inbox}"
    );
    assert!(inbox.contains("🙋 @cat asked for a seat"), "{inbox}");
    assert_eq!(
        worker.drain(Platform::Console).await.unwrap().attempts(),
        0,
        "handed over once"
    );
    let inbox = seatmate_console::render(&h.bot.handle_text(&in_private("admin", "/start inbox")).await, "admin");
    assert!(inbox.contains("Nothing is waiting for you."), "{inbox}");
}

/// A platform that takes at most 20 messages a minute in a chat (on the
/// test's clock) and answers 429 past that, recording what it took.
struct LimitedPlatform {
    clock: Arc<seatmate_bot::ManualClock>,
    taken: Mutex<Vec<String>>,
    minute: Mutex<(i64, u32)>,
}

struct LimitedCourier(Arc<LimitedPlatform>);

#[async_trait]
impl Courier for LimitedCourier {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    fn limits(&self) -> seatmate_bot::delivery::RateLimits {
        seatmate_bot::delivery::RateLimits {
            per_second: Some(30),
            per_chat_per_minute: Some(20),
            per_chat_burst: None,
        }
    }

    async fn send(&self, _to: &Recipient, message: &Reply) -> Delivery {
        let now = self.0.clock.now().timestamp();
        {
            let mut minute = self.0.minute.lock().unwrap();
            if minute.0 != now / 60 {
                *minute = (now / 60, 0);
            }
            if minute.1 >= 20 {
                return Delivery::RetryAfter(std::time::Duration::from_secs((60 - now % 60) as u64));
            }
            minute.1 += 1;
        }
        // A send takes a moment: the other worker and a shutdown can come in.
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        self.0.taken.lock().unwrap().push(message.plain_text(Platform::Console));
        Delivery::Sent { message_id: None }
    }
}

/// Lets minutes pass on the test's clock while the workers run for real,
/// until the platform has taken `target` messages.
async fn run_until(platform: &LimitedPlatform, target: usize) {
    let taken = || platform.taken.lock().unwrap().len();
    for _ in 0..4000 {
        if taken() >= target {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        platform.clock.advance(Duration::seconds(3));
    }
    panic!("only {} of {target} delivered", taken());
}

async fn two_hundred_messages_to_one_chat_go_out_once_and_in_order_through_a_shutdown(h: Harness) {
    h.community("admin", &[]).await;
    let community = h.console_community().await.unwrap();
    let messages: Vec<Outgoing> = (0..200)
        .map(|i| Outgoing {
            community: community.id,
            target: Target::Chat {
                platform: Platform::Console,
                chat_id: "group".into(),
            },
            body: Reply::to_chat()
                .line(vec![seatmate_bot::Span::Text(format!("message {i}"))])
                .into(),
            subject: None,
        })
        .collect();
    h.store.enqueue(&messages, h.now()).await.unwrap();
    let platform = Arc::new(LimitedPlatform {
        clock: h.clock.clone(),
        taken: Mutex::default(),
        minute: Mutex::default(),
    });
    let options = DeliveryOptions {
        idle_poll: std::time::Duration::from_millis(2),
        ..DeliveryOptions::default()
    };
    let start_workers = |stores: [Arc<dyn seatmate_bot::Store>; 2]| {
        let (stop, shutdown) = tokio::sync::watch::channel(false);
        let tasks: Vec<_> = stores
            .into_iter()
            .map(|store| {
                let worker = Arc::new(
                    Deliverer::new(store, h.clock.clone(), options)
                        .with_courier(Arc::new(LimitedCourier(platform.clone()))),
                );
                tokio::spawn({
                    let shutdown = shutdown.clone();
                    async move { worker.run_platform(Platform::Console, shutdown).await }
                })
            })
            .collect();
        (stop, tasks)
    };

    let (stop, tasks) = start_workers([h.store.clone(), Harness::open(&h.url).await]);
    run_until(&platform, 70).await;
    // SIGTERM: the sends in flight finish, unsent claims are given back.
    stop.send(true).unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    let now = h.now();
    let head = h
        .store
        .claim_outbox(Platform::Console, now, now + Duration::seconds(60), 10, "test/claim")
        .await
        .unwrap();
    assert_eq!(
        head.len(),
        1,
        "nothing left leased by the stopped workers; one head per chat"
    );
    h.store
        .record_delivery(head[0].id, &head[0].claim, &DeliveryRecord::Released { at: now }, now)
        .await
        .unwrap();

    // A restart: two new processes.
    let (stop, tasks) = start_workers([Harness::open(&h.url).await, Harness::open(&h.url).await]);
    run_until(&platform, 200).await;
    stop.send(true).unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    let expected: Vec<String> = (0..200).map(|i| format!("message {i}")).collect();
    assert_eq!(*platform.taken.lock().unwrap(), expected, "each once, in order");
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
            body: seatmate_bot::Reply::to_chat().into(),
            subject: None,
        })
        .collect();
    let now = h.clock.now();
    h.store.enqueue(&messages, now).await.unwrap();
    let other = Harness::open(&h.url).await;
    let lease = now + Duration::seconds(60);
    let claims = (0..8).map(|i| {
        let store = if i % 2 == 0 { h.store.clone() } else { other.clone() };
        tokio::spawn(async move {
            store
                .claim_outbox(Platform::Console, now, lease, 20, "test/claim")
                .await
                .unwrap()
        })
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
        .claim_outbox(Platform::Console, now, lease, 20, "test/claim")
        .await
        .unwrap()
        .is_empty());
    let later = now + Duration::seconds(61);
    let again = h
        .store
        .claim_outbox(
            Platform::Console,
            later,
            later + Duration::seconds(60),
            200,
            "test/claim",
        )
        .await
        .unwrap();
    assert_eq!(again.len(), 100, "expired leases come back");
    assert!(again.iter().all(|e| e.attempts == 2));
}

/// A platform that takes a whole lease (of the test's clock) per message;
/// it notes when each send started.
struct SlowCourier {
    clock: Arc<seatmate_bot::ManualClock>,
    sent: Mutex<Vec<String>>,
    started: Mutex<Vec<chrono::DateTime<chrono::Utc>>>,
}

#[async_trait]
impl Courier for SlowCourier {
    fn platform(&self) -> Platform {
        Platform::Console
    }

    async fn send(&self, to: &Recipient, message: &Reply) -> Delivery {
        self.started.lock().unwrap().push(self.clock.now());
        self.clock.advance(Duration::seconds(60));
        self.sent.lock().unwrap().push(key(to, message));
        Delivery::Sent { message_id: None }
    }
}

async fn a_claim_is_given_back_rather_than_tried_after_its_lease_nearly_ends(h: Harness) {
    h.community("admin", &[]).await;
    let community = h.console_community().await.unwrap();
    let messages: Vec<Outgoing> = (0..20)
        .map(|i| {
            let target = Target::Chat {
                platform: Platform::Console,
                chat_id: format!("chat-{i}"),
            };
            Outgoing::new(
                community.id,
                target,
                Reply::to_chat().line(vec![seatmate_bot::Span::Text(format!("m{i}"))]),
            )
        })
        .collect();
    h.store.enqueue(&messages, h.now()).await.unwrap();
    let courier = Arc::new(SlowCourier {
        clock: h.clock.clone(),
        sent: Mutex::default(),
        started: Mutex::default(),
    });
    let worker =
        Deliverer::new(h.store.clone(), h.clock.clone(), DeliveryOptions::default()).with_courier(courier.clone());
    let claimed_at = h.now();
    let first = worker.deliver_due(Platform::Console).await.unwrap();
    // Sends go side by side; one that would start after the first took the
    // whole lease is given back instead.
    assert_eq!(first.sent + first.released, 20);
    assert!(first.sent >= 1 && first.released >= 4, "{first:?}");
    let started = courier.started.lock().unwrap().clone();
    assert!(
        started.iter().all(|&at| at < claimed_at + Duration::seconds(55)),
        "no send started within 5 s of the lease's end: {started:?}"
    );
    let rest = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(rest.sent, 20 - first.sent);
    assert_eq!(courier.sent.lock().unwrap().len(), 20, "each once");
}

/// Runs `sql` on the harness's database, beside the store.
async fn execute(h: &Harness, sql: &str) {
    use sqlx::Connection;
    if h.url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(&h.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    } else {
        let mut conn = sqlx::SqliteConnection::connect(&h.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    }
}

/// From now on, marking a message sent fails as on a full disk, until
/// [`writes_work_again`].
async fn refuse_to_mark_sent(h: &Harness) {
    let sql = if h.url.starts_with("postgres") {
        "CREATE TABLE disk_full (is_full BOOLEAN NOT NULL);
         INSERT INTO disk_full VALUES (TRUE);
         CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             IF NEW.state = 'sent' AND (SELECT is_full FROM disk_full) THEN
                 RAISE EXCEPTION 'could not extend file' USING ERRCODE = '53100';
             END IF;
             RETURN NEW;
         END $$;
         CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_sent();"
    } else {
        "CREATE TABLE disk_full (is_full BOOLEAN NOT NULL);
         INSERT INTO disk_full VALUES (TRUE);
         CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox
         WHEN NEW.state = 'sent' AND (SELECT is_full FROM disk_full)
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;"
    };
    execute(h, sql).await;
}

async fn writes_work_again(h: &Harness) {
    execute(h, "UPDATE disk_full SET is_full = FALSE").await;
}

async fn a_message_sent_whose_mark_could_not_be_written_is_never_sent_again(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("admin", "/offer cafe-noord 2 tomorrow").await;
    let courier = Arc::new(TestCourier::default());
    let worker = deliverer(&h, h.store.clone(), courier.clone());
    refuse_to_mark_sent(&h).await;
    assert!(
        worker.deliver_due(Platform::Console).await.is_err(),
        "the mark was refused"
    );
    assert_eq!(courier.sent().len(), 1, "the announcement went out");
    // Its lease runs out while the database still refuses: it is not sent
    // again, and nothing else is claimed.
    h.clock.advance(Duration::seconds(120));
    h.say("bob", "/request 1").await;
    assert!(worker.deliver_due(Platform::Console).await.is_err());
    assert_eq!(courier.sent().len(), 1);
    // The database takes writes again: the kept outcome is written first.
    writes_work_again(&h).await;
    h.clock.advance(Duration::seconds(120));
    let stats = worker.drain(Platform::Console).await.unwrap();
    assert_eq!(stats.sent, 1, "only the host's notice of Bob's request");
    let sent = courier.sent();
    assert_eq!(sent.len(), 2, "{sent:#?}");
    assert_eq!(sent.iter().filter(|s| s.contains("offers 2 free seats")).count(), 1);
    // A new worker (a restart) finds nothing left either.
    let again = Arc::new(TestCourier::default());
    let restarted = deliverer(&h, Harness::open(&h.url).await, again.clone());
    h.clock.advance(Duration::seconds(120));
    assert_eq!(restarted.drain(Platform::Console).await.unwrap().attempts(), 0);
}

on_both_backends!(
    a_message_sent_whose_mark_could_not_be_written_is_never_sent_again,
    a_chat_gets_at_most_five_messages_in_any_five_seconds,
    a_chat_the_platform_says_is_gone_is_paused_and_its_admins_told,
    a_claim_is_given_back_rather_than_tried_after_its_lease_nearly_ends,
    a_worker_dying_mid_delivery_loses_nothing_and_repeats_nothing,
    a_restart_before_any_delivery_sends_everything_once,
    transient_failures_are_retried_with_backoff,
    an_undeliverable_private_message_is_held_never_shown_and_delivered_when_the_chat_opens,
    two_hundred_messages_to_one_chat_go_out_once_and_in_order_through_a_shutdown,
    two_workers_never_claim_the_same_message,
);
