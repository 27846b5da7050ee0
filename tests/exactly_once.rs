//! Exactly once, and never the wrong seat: the real binary against the fake
//! platforms, doing what members and platforms really do at the boundary
//! (stale buttons, numbers typed from announcements, typed confirmations,
//! forwarded commands, repeated updates, restarts, bursts).

// Each fake brings the shared waiting helper along, so with both fakes
// here it is loaded twice.
#![allow(clippy::duplicate_mod)]

mod common;
#[path = "common/discord_bot.rs"]
mod discord_bot;
#[path = "common/fake_discord.rs"]
mod fake_discord;
#[path = "common/fake_telegram.rs"]
mod fake_telegram;
#[path = "common/telegram_bot.rs"]
mod telegram_bot;

use std::time::Duration;

use fake_telegram::{message, press, user};
use serde_json::{json, Value};
use telegram_bot::*;

/// How many rows of `table` match `condition` in the service's SQLite file.
async fn count(url: &str, table: &str, condition: &str) -> i64 {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table} WHERE {condition}"))
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

/// Every answer to a button press so far, as the member saw the toast.
fn toasts(bot: &Bot) -> Vec<String> {
    bot.fake
        .state()
        .answers
        .iter()
        .map(|(_, text)| text.clone().unwrap_or_default())
        .collect()
}

async fn toast_for(bot: &Bot, query: &str) -> String {
    bot.fake
        .wait_for(&format!("an answer to press {query}"), PATIENCE, |s| {
            s.answers.iter().any(|(id, _)| id == query)
        })
        .await;
    let answers = bot.fake.state().answers.clone();
    answers
        .into_iter()
        .find(|(id, _)| id == query)
        .and_then(|(_, text)| text)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_button_never_books_another_seat_and_numbers_mean_offers() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.ask(GROUP, &ann(), "/space add pop-up").await;
    bot.ask(GROUP, &ann(), "/offer pop-up 2 tomorrow one day only").await;
    let old = bot.wait_sent(GROUP, "one day only").await;
    let (_, old_data) = old.buttons[0].clone();
    assert_eq!(old_data, "/request 1");

    // The space goes (its offer withdrawn first); the next offer has a new
    // number, and the old announcement's button does not book it.
    bot.ask(GROUP, &ann(), "/space remove pop-up").await;
    // The announcement answers the command: the one confirmation.
    let posted = bot.ask(GROUP, &ann(), "/offer cafe-noord 1 friday 9-17").await;
    assert!(posted.text.contains("(offer #2)"), "{}", posted.text);
    bot.fake.push(press("q-old", &bea(), &old, &old_data));
    let told = toast_for(&bot, "q-old").await;
    assert!(told.contains("Offer #1 was withdrawn and is gone"), "{told}");
    let mine = bot.ask(GROUP, &bea(), "/myseats").await;
    assert!(mine.text.contains("no upcoming seats"), "{}", mine.text);

    // Members type the offer's number from the announcement: /cancel 2
    // gives back their own seat on offer #2, and the next in line gets it.
    bot.fake.start_private_chat(CAS);
    bot.ask(GROUP, &bea(), "/request 2").await;
    let waiting = bot.ask(GROUP, &cas(), "/request 2").await;
    assert!(waiting.text.contains("number 1 on the waitlist"), "{}", waiting.text);
    let cancelled = bot.ask(GROUP, &bea(), "/cancel 2").await;
    assert!(
        cancelled.text.contains("(offer #2) is free again"),
        "{}",
        cancelled.text
    );
    bot.wait_sent(CAS, "A seat freed up").await;
    // Dan has nothing on offer #2: nothing happens to anyone else's seat.
    let refused = bot.ask(GROUP, &dan(), "/cancel 2").await;
    assert!(
        refused.text.contains("You have no seat or waitlist place on offer #2"),
        "{}",
        refused.text
    );
    let cas_seats = bot.ask(GROUP, &cas(), "/myseats").await;
    assert!(cas_seats.text.contains("you have a seat"), "{}", cas_seats.text);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_commands_are_not_commands_and_erasing_needs_the_private_button() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.ask(GROUP, &dan(), "/profile offers espresso").await;

    // Cas forwards Ann's offer, and a message relayed by another bot: no
    // answer, no offer. The next command's answer comes after them.
    let mut forwarded = message(GROUP, &cas(), "/offer cafe-noord 3 tomorrow forwarded");
    forwarded["forward_origin"] = json!({"type": "user", "date": 1_700_000_000, "sender_user": ann()});
    let forwarded = bot.send(forwarded).await;
    let mut relayed = message(GROUP, &cas(), "/offer cafe-noord 3 tomorrow relayed");
    relayed["via_bot"] = user(77, "Other", Some("OtherBot"));
    relayed["via_bot"]["is_bot"] = json!(true);
    let relayed = bot.send(relayed).await;
    let seats = bot.ask(GROUP, &cas(), "/seats").await;
    assert!(seats.text.contains("No open seat offers"), "{}", seats.text);
    let answered: Vec<Option<i64>> = bot.fake.sent().iter().map(|m| m.reply_to).collect();
    assert!(!answered.contains(&Some(forwarded)) && !answered.contains(&Some(relayed)));

    // Typing a confirmation erases nothing, in the group or anywhere.
    let typed = bot.ask(GROUP, &dan(), "/forgetme confirm ABCD2345").await;
    assert!(typed.text.contains("only with the button"), "{}", typed.text);
    // /forgetme in the group asks in Dan's private chat, with the button.
    bot.fake.start_private_chat(DAN);
    bot.say(GROUP, &dan(), "/forgetme").await;
    let asked = bot.wait_sent(DAN, "Sure?").await;
    let (_, confirm) = asked.buttons[0].clone();
    assert!(confirm.starts_with("/forgetme confirm "), "{confirm}");
    // Typed, even privately, it is refused; a press by Dan erases.
    let typed = bot.ask(DAN, &dan(), &confirm).await;
    assert!(typed.text.contains("only with the button"), "{}", typed.text);
    let profile = bot.ask(GROUP, &dan(), "/profile").await;
    assert!(profile.text.contains("espresso"), "{}", profile.text);
    bot.fake.push(press("q-forget", &dan(), &asked, &confirm));
    bot.wait_sent(DAN, "Seatmate keeps nothing about you").await;
    assert!(
        bot.sent_to(GROUP, "keeps nothing").is_empty(),
        "the group saw nothing of it"
    );
    let _ = toast_for(&bot, "q-forget").await;
    assert!(toasts(&bot).iter().all(|t| !t.contains("keeps nothing")));
    let profile = bot.ask(GROUP, &dan(), "/profile").await;
    assert!(!profile.text.contains("espresso"), "{}", profile.text);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_telegram_sends_again_has_one_effect_and_one_answer() {
    let bot = Bot::start().await;
    bot.community().await;
    let asked = bot.say(GROUP, &ann(), "/offer cafe-noord 2 tomorrow sent twice").await;
    let update = bot.fake.last_update_id();
    bot.answer_to(asked).await;
    // Telegram sends it again, twice (the answer was slow, or a restart
    // came before the offset was confirmed).
    bot.fake.redeliver(update);
    bot.fake.redeliver(update);
    let seats = bot.ask(GROUP, &cas(), "/seats").await;
    assert!(seats.text.contains("#1 cafe-noord"), "{}", seats.text);
    assert!(!seats.text.contains("#2"), "one offer: {}", seats.text);
    // The announcement is the one answer (it replies to the command).
    bot.wait_sent(GROUP, "sent twice").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answers = bot.fake.sent().iter().filter(|m| m.reply_to == Some(asked)).count();
    assert_eq!(answers, 1, "one answer");
    let announced = bot.sent_to(GROUP, "offers 2 free seats");
    assert_eq!(announced.len(), 1, "one announcement: {announced:?}");
    assert_eq!(count(&bot.service.url, "seat_offers", "1 = 1").await, 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_discord_replays_has_one_effect_and_one_answer() {
    use discord_bot::{ann as d_ann, Bot as DiscordBot, CHANNEL};
    let bot = DiscordBot::start().await;
    bot.community().await;
    let invite = fake_discord::command(CHANNEL, &d_ann(), fake_discord::MANAGE_SERVER, "invite", json!([]));
    let first = bot.interact(invite.clone()).await;
    assert!(first.content.contains("valid for 48 hours"), "{}", first.content);
    bot.fake.interact(invite.clone());
    bot.fake.interact(invite);
    // The next interaction is answered after the replays were read.
    bot.slash(&d_ann(), fake_discord::NO_PERMISSIONS, "seats", json!([]))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        count(&bot.service.url, "one_time_codes", "purpose = 'invite'").await,
        1,
        "one code"
    );
    // `stop` checks that no interaction was answered twice (Discord refuses that).
    bot.stop().await;
}

/// Rows of two columns from the service's database, whichever it is.
async fn rows(url: &str, sql: &str) -> Vec<(String, i64)> {
    use sqlx::Connection;
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap()
    }
}

/// Ten groups of ten members: within Telegram's 20 answers a minute to a
/// group, which the bot keeps (this test is about restarts, not limits).
const GROUPS: [i64; 10] = [
    -1_001_234, -1_002_345, -1_003_456, -1_004_567, -1_005_678, -1_006_789, -1_007_890, -1_008_901, -1_009_012,
    -1_000_123,
];

/// Members 1000.. check in, each in one of the groups: one message each.
fn checkins(from: usize, to: usize) -> Vec<(i64, Value)> {
    (from..to)
        .map(|i| {
            let who = user(1000 + i as i64, &format!("Member{i}"), Some(&format!("m{i}")));
            let message = message(GROUPS[i % GROUPS.len()], &who, &format!("/checkin cafe-noord note {i}"));
            (message["message_id"].as_i64().unwrap(), message)
        })
        .collect()
}

/// How each message was answered, and each member's check-in: `None` for
/// none, else how many times it was updated (0: made once).
struct Outcome {
    answers: Vec<usize>,
    effects: Vec<Option<i64>>,
}

async fn outcome(bot: &Bot, messages: &[(i64, Value)], first: usize) -> Outcome {
    let sent = bot.fake.sent();
    let answers = messages
        .iter()
        .map(|(id, _)| sent.iter().filter(|m| m.reply_to == Some(*id)).count())
        .collect();
    let checkins = rows(
        &bot.service.url,
        "SELECT i.external_id, CAST(c.updates AS BIGINT) FROM checkins c
         JOIN identities i ON i.member_id = c.member_id WHERE i.platform = 'telegram'",
    )
    .await;
    let effects = (0..messages.len())
        .map(|i| {
            let id = (1000 + first + i).to_string();
            checkins.iter().find(|(who, _)| *who == id).map(|(_, updates)| *updates)
        })
        .collect();
    Outcome { answers, effects }
}

/// Waits until the bot has nothing left: every update confirmed, none
/// waiting or being handled, nothing waiting in the outbox (answers that
/// waited for Telegram's limits), no answer in flight.
async fn settle(bot: &Bot) {
    bot.fake
        .wait_for("every update confirmed", Duration::from_secs(60), |_| true)
        .await;
    for _ in 0..600 {
        let mut open = rows(
            &bot.service.url,
            "SELECT state, CAST(count(*) AS BIGINT) FROM inbound WHERE state IN ('waiting', 'handling') GROUP BY state",
        )
        .await;
        open.extend(
            rows(
                &bot.service.url,
                "SELECT state, CAST(count(*) AS BIGINT) FROM outbox WHERE state = 'pending' GROUP BY state",
            )
            .await,
        );
        if bot.fake.updates_taken() && open.is_empty() {
            tokio::time::sleep(Duration::from_millis(500)).await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the bot never settled");
}

async fn answered(bot: &Bot, messages: &[(i64, Value)]) -> usize {
    let sent = bot.fake.sent();
    messages
        .iter()
        .filter(|(id, _)| sent.iter().any(|m| m.reply_to == Some(*id)))
        .count()
}

/// Waits until at least `n` of `messages` are answered (or all are).
async fn until_answered(bot: &Bot, messages: &[(i64, Value)], n: usize) {
    for _ in 0..2000 {
        if answered(bot, messages).await >= n.min(messages.len()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{n} answers never came");
}

/// A hundred commands in flight across ten groups; a SIGTERM and two
/// `kill -9` at random points (seeded), each followed by a restart.
async fn restarts_never_run_a_command_twice(url: String, dir: tempfile::TempDir) {
    use rand::{Rng, SeedableRng};
    let seed: u64 = std::env::var("RESTART_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().gen());
    eprintln!("restart test seed: {seed} (RESTART_SEED={seed} repeats it)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    // Limits well above this burst: this test is about restarts.
    let limits = fake_telegram::Limits {
        per_second: 10_000,
        per_group_per_minute: 10_000,
        ..fake_telegram::Limits::default()
    };
    let mut bot = Bot::start_on(&url, dir, limits).await;
    for (n, group) in GROUPS.iter().enumerate() {
        bot.fake.make_admin(*group, ANN);
        let setup = bot
            .ask(*group, &ann(), &format!("/setup Europe/Amsterdam Coworkers {n}"))
            .await;
        assert!(setup.text.contains("Welcome"), "{}", setup.text);
        bot.ask(*group, &ann(), "/space add cafe-noord").await;
    }

    // Fifty commands; a clean stop (SIGTERM, as at a deploy) midway.
    let first = checkins(0, 50);
    for (_, message) in &first {
        bot.fake.push(fake_telegram::message_update(message.clone()));
    }
    until_answered(&bot, &first, rng.gen_range(3..30)).await;
    assert!(
        bot.service.terminate().await.is_some_and(|s| s.success()),
        "a clean stop"
    );
    let before = answered(&bot, &first).await;
    bot.service.restart();
    settle(&bot).await;
    let after = outcome(&bot, &first, 0).await;
    for i in 0..first.len() {
        assert_eq!(
            (after.answers[i], after.effects[i]),
            (1, Some(0)),
            "member {i} after a clean stop (answered {before} of 50 before it)"
        );
    }

    // Fifty more; killed twice at random points.
    let second = checkins(50, 100);
    for (_, message) in &second {
        bot.fake.push(fake_telegram::message_update(message.clone()));
    }
    for _ in 0..2 {
        let done = answered(&bot, &second).await;
        until_answered(&bot, &second, done + rng.gen_range(1..15)).await;
        bot.service.kill().await;
        bot.service.restart();
    }
    settle(&bot).await;
    let after = outcome(&bot, &second, 50).await;
    let given_up: i64 = rows(
        &bot.service.url,
        "SELECT state, CAST(count(*) AS BIGINT) FROM inbound WHERE state = 'abandoned' GROUP BY state",
    )
    .await
    .first()
    .map_or(0, |(_, n)| *n);
    let twice = (0..second.len())
        .filter(|&i| after.answers[i] > 1 || after.effects[i].is_some_and(|u| u > 0))
        .count();
    let unanswered = after.answers.iter().filter(|&&n| n == 0).count();
    let no_effect = after.effects.iter().filter(|e| e.is_none()).count();
    eprintln!(
        "after two kill -9: {twice} twice, {unanswered} unanswered, {no_effect} without effect, {given_up} given up"
    );
    assert_eq!(twice, 0, "nothing runs twice");
    // The window: an update being handled when the process died is given
    // up (its effect may have happened); at most one per chat per kill.
    assert!(unanswered as i64 <= given_up && no_effect as i64 <= given_up);
    assert!(given_up <= 2 * GROUPS.len() as i64, "{given_up}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_and_crashes_never_run_a_command_twice_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seatmate.db").display());
    restarts_never_run_a_command_twice(url, dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_and_crashes_never_run_a_command_twice_on_postgres() {
    let Some(base) = seatmate_storage::test_support::postgres_base_url() else {
        return;
    };
    let url = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
    restarts_never_run_a_command_twice(url, tempfile::tempdir().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_bot_sends_at_once_what_it_had_claimed_when_it_died() {
    let mut bot = Bot::start().await;
    bot.community().await;
    bot.fake.start_private_chat(ANN);
    // Offered from Ann's private chat: the announcement to the group is
    // claimed, and its send hangs.
    bot.fake.stall(GROUP);
    bot.ask(ANN, &ann(), "/offer cafe-noord 2 tomorrow claimed then killed")
        .await;
    let claimed = "SELECT state, CAST(count(*) AS BIGINT) FROM outbox
                   WHERE state = 'pending' AND lease_until IS NOT NULL GROUP BY state";
    for _ in 0..200 {
        if !rows(&bot.service.url, claimed).await.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        !rows(&bot.service.url, claimed).await.is_empty(),
        "the announcement was claimed"
    );
    bot.service.kill().await;
    bot.fake.release(GROUP);
    // The same instance starts again: its dead claim is due at once, not
    // when its 60-second lease ends.
    let restarted = std::time::Instant::now();
    bot.service.restart();
    bot.wait_sent(GROUP, "claimed then killed").await;
    assert!(
        restarted.elapsed() < Duration::from_secs(15),
        "{:?}",
        restarted.elapsed()
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(bot.sent_to(GROUP, "claimed then killed").len(), 1, "sent once");
    bot.stop().await;
}

/// A TCP proxy to PostgreSQL that the test can cut (every connection
/// dropped, new ones refused) and restore: the database out of reach.
struct Proxy {
    port: u16,
    up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let links: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>> = Default::default();
        let (u, l) = (up.clone(), links.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !u.load(Ordering::SeqCst) {
                    continue;
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                l.lock().unwrap().push(link.abort_handle());
            }
        });
        Proxy {
            port,
            up,
            links,
            accept,
        }
    }

    fn cut(&self) {
        self.up.store(false, std::sync::atomic::Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_out_of_reach_is_said_as_such_and_nothing_half_done_remains() {
    let Some(base) = seatmate_storage::test_support::postgres_base_url() else {
        return;
    };
    let direct = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
    let proxy = Proxy::start("127.0.0.1:5432".into()).await;
    assert!(direct.contains("@127.0.0.1:5432/"), "the test server is local");
    let url = direct.replace("@127.0.0.1:5432/", &format!("@127.0.0.1:{}/", proxy.port));
    let bot = Bot::start_on(&url, tempfile::tempdir().unwrap(), fake_telegram::Limits::default()).await;
    bot.community().await;
    let saved = bot.ask(GROUP, &cas(), "/profile about before the outage").await;
    assert!(saved.text.contains("before the outage"), "{}", saved.text);

    proxy.cut();
    for text in ["/profile about during the outage", "/checkin cafe-noord"] {
        let asked = std::time::Instant::now();
        let answer = bot.ask(GROUP, &cas(), text).await;
        assert!(
            answer
                .text
                .contains("I can't reach my database right now; try again in a minute."),
            "{text}: {}",
            answer.text
        );
        assert!(!answer.text.contains("went wrong"), "{}", answer.text);
        assert!(
            asked.elapsed() < Duration::from_secs(12),
            "{text}: {:?}",
            asked.elapsed()
        );
    }

    proxy.restore();
    let mut profile = String::new();
    for _ in 0..40 {
        profile = bot.ask(GROUP, &cas(), "/profile").await.text;
        if !profile.contains("can't reach") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        profile.contains("before the outage") && !profile.contains("during"),
        "{profile}"
    );
    let here = bot.ask(GROUP, &cas(), "/here").await;
    assert!(!here.text.contains("Cas"), "no check-in was kept: {}", here.text);
    let log = bot.stop().await;
    assert!(log.contains("cannot reach the database"), "the log says so");
    assert!(!log.contains("command failed"), "not an internal error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_never_answers_as_if_saved_and_the_writer_recovers() {
    let bot = Bot::start().await;
    bot.community().await;
    let saved = bot.ask(GROUP, &cas(), "/profile about before the disk filled").await;
    assert!(saved.text.contains("before the disk filled"), "{}", saved.text);
    let pid = bot.service.child.id().unwrap();

    // The disk is full: nothing can be written.
    common::limit_file_sizes(pid, Some(1));
    for text in [
        "/profile about while the disk is full",
        "/checkin cafe-noord",
        "/profile offers espresso",
        "/checkin cafe-noord second try",
    ] {
        let answer = bot.ask(GROUP, &cas(), text).await;
        assert!(
            answer.text.contains("I can't save anything right now"),
            "{text}: {}",
            answer.text
        );
        assert!(
            !answer.text.contains("Saved") && !answer.text.contains("checked in"),
            "{}",
            answer.text
        );
    }

    // Space is freed: every kind of write works again, at once.
    common::limit_file_sizes(pid, None);
    let saved = bot.ask(GROUP, &cas(), "/profile about after the disk was freed").await;
    assert!(saved.text.contains("after the disk was freed"), "{}", saved.text);
    let checked_in = bot.ask(GROUP, &cas(), "/checkin cafe-noord").await;
    assert!(
        checked_in.text.contains("checked in at cafe-noord"),
        "{}",
        checked_in.text
    );
    let profile = bot.ask(GROUP, &cas(), "/profile").await;
    assert!(
        !profile.text.contains("while the disk is full") && !profile.text.contains("espresso"),
        "what was refused was not kept: {}",
        profile.text
    );
    let log = bot.stop().await;
    assert!(log.contains("the database refuses writes"), "the log says so");
    assert!(!log.contains("non-zero transaction depth"), "the writer recovered");
}

/// The most sends to `chat` (any chat: `None`) inside any window of `span`.
fn busiest(sent: &[fake_telegram::Sent], chat: Option<i64>, span: Duration) -> usize {
    let times: Vec<std::time::Instant> = sent
        .iter()
        .filter(|m| chat.is_none_or(|c| m.chat_id == c))
        .map(|m| m.at)
        .collect();
    times
        .iter()
        .map(|&start| {
            times
                .iter()
                .filter(|&&t| t >= start && t.duration_since(start) < span)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_in_one_group_keeps_every_limit_loses_nothing_and_answers_callers_privately() {
    // By webhook, so that /metrics can be read.
    let bot = Bot::start_webhook().await;
    bot.community().await;
    // Thirty members who started the bot ask for something only they need
    // to see; five who never did, and five whose answer is for the group.
    let member = |i: i64| user(2000 + i, &format!("Member{i}"), Some(&format!("b{i}")));
    for i in 0..30 {
        bot.fake.start_private_chat(2000 + i);
    }
    let mut asked = Vec::new();
    for i in 0..40 {
        let text = if i < 35 {
            "/profile offers rust"
        } else {
            "/checkin cafe-noord"
        };
        let message = message(GROUP, &member(i), text);
        asked.push((i, message["message_id"].as_i64().unwrap(), std::time::Instant::now()));
        bot.fake.push(fake_telegram::message_update(message));
    }
    // Every command is answered once: in the group (quoting it) or, for a
    // caller who started the bot, privately.
    let answer_of = |sent: &[fake_telegram::Sent], i: i64, id: i64| {
        sent.iter()
            .filter(|m| m.reply_to == Some(id) || (m.chat_id == 2000 + i && m.text.contains("rust")))
            .count()
    };
    bot.fake
        .wait_for("every command answered", Duration::from_secs(100), |s| {
            asked.iter().all(|(i, id, _)| answer_of(&s.sent, *i, *id) >= 1)
        })
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let sent = bot.fake.sent();
    for (i, id, _) in &asked {
        assert_eq!(answer_of(&sent, *i, *id), 1, "member {i} answered once");
    }
    // Callers who started the bot were not kept waiting for the group's minute.
    for (i, _, at) in asked.iter().filter(|(i, _, _)| *i < 30) {
        let answered = sent
            .iter()
            .find(|m| m.chat_id == 2000 + i || m.reply_to == Some(asked[*i as usize].1))
            .unwrap();
        assert!(
            answered.at.duration_since(*at) < Duration::from_secs(10),
            "member {i} waited"
        );
    }
    // No window of the platform's was ever exceeded, and it refused nothing.
    let refused: Vec<_> = bot
        .fake
        .state()
        .refused
        .iter()
        .filter(|r| r.code == 429)
        .cloned()
        .collect();
    assert!(refused.is_empty(), "429s: {refused:?}");
    assert!(busiest(&sent, Some(GROUP), Duration::from_secs(60)) <= 20);
    assert!(busiest(&sent, None, Duration::from_secs(1)) <= 30);
    // What waited in the outbox for the group's minute is counted.
    let (_, metrics) = common::http_get(bot.port.unwrap(), "/metrics").await.unwrap();
    let waits: f64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("seatmate_rate_limit_waits_total{platform=\"telegram\"} "))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    assert!(waits >= 1.0, "{metrics}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_settled_loses_its_buttons_and_held_questions_about_it_never_arrive() {
    let bot = Bot::start().await;
    bot.community().await;
    bot.ask(GROUP, &ann(), "/space add loft approval").await;
    bot.ask(GROUP, &ann(), "/space add hub approval").await;
    for who in [ANN, BEA, CAS] {
        bot.fake.start_private_chat(who);
    }
    // Ann keeps the loft (no host: the admin); Bea and Cas ask.
    bot.ask(GROUP, &ann(), "/offer loft 2 tomorrow loft seats").await;
    let loft = bot.wait_sent(GROUP, "loft seats").await;
    let (_, request) = loft.buttons[0].clone();
    bot.fake.push(press("q-bea", &bea(), &loft, &request));
    let to_ann = bot.wait_sent(ANN, "Bea asked").await;
    bot.fake.push(press("q-cas", &cas(), &loft, &request));
    let cas_to_ann = bot.wait_sent(ANN, "@cas asked").await;
    let approve = to_ann.buttons.iter().find(|(l, _)| l == "Approve").unwrap().1.clone();
    assert_eq!(approve, "/approve 1 1");

    // Ann approves Bea: the notice's buttons go; a second press says so.
    bot.fake.push(press("q-approve", &ann(), &to_ann, &approve));
    bot.fake
        .wait_for("the approved notice's buttons gone", PATIENCE, |s| {
            s.edits.contains(&(ANN, to_ann.message_id))
        })
        .await;
    // (In a private chat a press is answered with a message, not a toast.)
    bot.fake.push(press("q-again", &ann(), &to_ann, &approve));
    let again = bot.wait_sent(ANN, "not waiting for approval").await;
    assert!(again.text.contains("has a seat"), "{}", again.text);

    // Dan hosts the hub but never started the bot: a request's question to
    // him is held. The offer is withdrawn before he opens the chat: the
    // question never arrives, and the announcement loses its button.
    bot.ask(GROUP, &dan(), "/profile").await;
    bot.ask(GROUP, &ann(), "/host add @dan hub").await;
    bot.ask(GROUP, &dan(), "/offer hub 1 tomorrow hub seat").await;
    let hub = bot.wait_sent(GROUP, "hub seat").await;
    bot.fake.push(press("q-hub", &bea(), &hub, &hub.buttons[0].1));
    bot.wait_sent(GROUP, "private message for you").await;
    bot.ask(GROUP, &dan(), "/withdraw 2").await;
    bot.ask(GROUP, &ann(), "/withdraw 1").await;
    bot.fake
        .wait_for("the withdrawn offers' buttons gone", PATIENCE, |s| {
            [
                (GROUP, hub.message_id),
                (GROUP, loft.message_id),
                (ANN, cas_to_ann.message_id),
            ]
            .iter()
            .all(|edit| s.edits.contains(edit))
        })
        .await;
    bot.fake.start_private_chat(DAN);
    bot.say(DAN, &dan(), "/inbox").await;
    bot.wait_sent(DAN, "Nothing is waiting for you").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let to_dan = bot.sent_to(DAN, "");
    assert!(
        to_dan
            .iter()
            .all(|m| !m.text.contains("asked for a seat") && m.buttons.is_empty()),
        "{to_dan:?}"
    );
    // What still shows in the chats has no live button about them.
    let sent = bot.fake.sent();
    for message in [&loft, &hub, &to_ann, &cas_to_ann] {
        let now = sent.iter().find(|m| m.message_id == message.message_id).unwrap();
        assert!(now.buttons.is_empty(), "{}", now.text);
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withdrawn_offer_loses_its_discord_button() {
    use discord_bot::{ann as d_ann, integer, Bot as DiscordBot, CHANNEL};
    let bot = DiscordBot::start().await;
    bot.community().await;
    bot.offer(2).await;
    let announced = bot.wait_posted(CHANNEL, "offers 2 free seats").await;
    assert_eq!(announced.buttons.len(), 1);
    bot.slash(
        &d_ann(),
        fake_discord::MANAGE_SERVER,
        "withdraw",
        json!([integer("offer", 1)]),
    )
    .await;
    bot.fake
        .wait_for("the announcement's button gone", PATIENCE, |s| {
            s.edits.contains(&(CHANNEL, announced.message_id))
        })
        .await;
    let now = bot
        .fake
        .posted()
        .into_iter()
        .find(|p| p.message_id == announced.message_id)
        .unwrap();
    assert!(now.buttons.is_empty());
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_telegram_fails_never_holds_up_another_and_polling_recovers_within_seconds() {
    const OTHER: i64 = -1_005_555;
    let bot = Bot::start().await;
    bot.community().await;
    bot.fake.make_admin(OTHER, ANN);
    bot.ask(OTHER, &ann(), "/setup Europe/Amsterdam Elsewhere").await;
    // Telegram answers 500 to everything sent to the first group (teloxide
    // then waits 10 s before it says so).
    bot.fake.fail_sends(GROUP);
    let stuck = bot.say(GROUP, &cas(), "/checkin cafe-noord").await;
    for _ in 0..3 {
        let asked = std::time::Instant::now();
        let answer = bot.ask(OTHER, &dan(), "/seats").await;
        assert!(answer.text.contains("No open seat offers"), "{}", answer.text);
        assert!(asked.elapsed() < Duration::from_secs(3), "{:?}", asked.elapsed());
    }
    // The answer waits in the outbox, whose every try at the group hangs
    // 10 s: the outbox goes on delivering to other chats meanwhile.
    tokio::time::sleep(Duration::from_secs(11)).await;
    bot.ask(OTHER, &ann(), "/space add hall").await;
    let offered = std::time::Instant::now();
    // In the group it was posted from, the announcement answers the command.
    let announced = bot.ask(OTHER, &ann(), "/offer hall 1 tomorrow elsewhere").await;
    assert!(announced.text.contains("elsewhere"), "{}", announced.text);
    assert!(offered.elapsed() < Duration::from_secs(6), "{:?}", offered.elapsed());
    // Healed, the first group gets its answer from the outbox, once.
    bot.fake.heal(GROUP);
    bot.answer_to(stuck).await;
    // Four failed polls: the next command still answered within seconds.
    bot.fake.fail_polls(4);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = std::time::Instant::now();
    bot.ask(OTHER, &dan(), "/seats").await;
    assert!(asked.elapsed() < Duration::from_secs(15), "{:?}", asked.elapsed());
    tokio::time::sleep(Duration::from_secs(1)).await;
    let answers = bot.fake.sent().iter().filter(|m| m.reply_to == Some(stuck)).count();
    assert_eq!(answers, 1);
    bot.stop().await;
}
