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
use serde_json::json;
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
    let posted = bot.ask(GROUP, &ann(), "/offer cafe-noord 1 friday 9-17").await;
    assert!(posted.text.contains("Posted offer #2"), "{}", posted.text);
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
    let answers = bot.fake.sent().iter().filter(|m| m.reply_to == Some(asked)).count();
    assert_eq!(answers, 1, "one answer");
    bot.wait_sent(GROUP, "sent twice").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let announced: Vec<_> = bot
        .sent_to(GROUP, "sent twice")
        .into_iter()
        .filter(|m| m.reply_to.is_none())
        .collect();
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
