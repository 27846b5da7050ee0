//! Seats that are used, in Telegram through the real binary and the
//! leader's scheduler: a standing offer's day is announced on its morning
//! with its Request button, a press gets a seat, a check-in claims it.

use super::*;
use common::zone_at_noon;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standing_offers_day_is_announced_by_the_scheduler_and_a_check_in_claims_its_seat() {
    let bot = Bot::start().await;
    bot.community().await;
    let zone = zone_at_noon();
    let added = bot.ask(GROUP, &ann(), &format!("/space add hub {zone}")).await;
    assert!(added.text.contains("no-show release after 60 min"), "{}", added.text);
    let posted = bot.ask(GROUP, &ann(), "/offer hub 2 every daily quiet corner").await;
    assert!(
        posted
            .text
            .contains("🔁 Standing offer #1: 2 seats at hub every daily, all day."),
        "{}",
        posted.text
    );
    assert!(bot.sent_to(GROUP, "quiet corner").is_empty(), "not announced at once");

    // The scheduler's next tick (every 30 s) announces today's day.
    bot.fake
        .wait_for("today's day announced", Duration::from_secs(45), |s| {
            s.sent
                .iter()
                .any(|m| m.chat_id == GROUP && m.text.contains("quiet corner"))
        })
        .await;
    let announcement = bot.wait_sent(GROUP, "quiet corner").await;
    assert!(announcement.text.contains("(offer #2)"), "{}", announcement.text);
    let (_, data) = announcement.buttons.first().cloned().expect("a request button");
    bot.fake.push(press("q-bea", &bea(), &announcement, &data));
    bot.fake
        .wait_for("the press answered", PATIENCE, |s| !s.answers.is_empty())
        .await;
    let answered = bot.fake.state().answers.clone();
    assert!(
        answered
            .iter()
            .any(|(_, t)| t.as_deref().is_some_and(|t| t.contains("You have a seat at hub"))),
        "{answered:?}"
    );

    let checkin = bot.ask(GROUP, &bea(), "/checkin hub").await;
    assert!(
        checkin.text.contains("🪑 Your seat from offer #2 is yours"),
        "{}",
        checkin.text
    );
    let offers = bot.ask(GROUP, &ann(), "/offers").await;
    assert!(offers.text.contains("has a seat, checked in"), "{}", offers.text);
    assert!(
        offers
            .text
            .contains("🔁 Standing offer #1: 2 seats at hub every daily, all day — /withdraw 1 ends it"),
        "{}",
        offers.text
    );
    bot.stop().await;
}
