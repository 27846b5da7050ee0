//! Seats that are used, in Discord through the real binary and the
//! leader's scheduler: a standing offer's day is announced on its morning
//! with its Request button, a press gets a seat, a check-in claims it.

use super::*;
use common::zone_at_noon;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standing_offers_day_is_announced_by_the_scheduler_and_a_check_in_claims_its_seat() {
    let bot = Bot::start().await;
    bot.community().await;
    let hub = json!([string("slug", "hub"), string("zone", &zone_at_noon())]);
    let added = bot.slash(&ann(), MANAGE_SERVER, "space", sub("add", hub)).await;
    assert!(added.content.contains("release after 60 min"), "{}", added.content);
    let options = json!([
        string("space", "hub"),
        integer("seats", 2),
        string("every", "daily"),
        string("note", "quiet corner")
    ]);
    let posted = bot.slash(&ann(), MANAGE_SERVER, "offer", options).await;
    assert!(
        posted.ephemeral && posted.content.contains("Standing offer `#1`"),
        "{}",
        posted.content
    );

    // The scheduler's next tick (every 30 s) announces today's day.
    bot.fake
        .wait_for("today's day announced", Duration::from_secs(45), |s| {
            s.posted
                .iter()
                .any(|p| p.channel_id == CHANNEL && p.content.contains("offer `#2`"))
        })
        .await;
    let announcement = bot.wait_posted(CHANNEL, "offer `#2`").await;
    let (_, custom_id) = announcement.buttons.first().cloned().expect("a request button");
    let pressed = bot.interact(press(CHANNEL, &bea(), &custom_id)).await;
    assert!(pressed.content.contains("You have a seat"), "{}", pressed.content);

    let checkin = bot
        .slash(&bea(), NO_PERMISSIONS, "checkin", json!([string("space", "hub")]))
        .await;
    assert!(
        checkin.content.contains("🪑 Your seat from offer `#2` is yours"),
        "{}",
        checkin.content
    );
    bot.stop().await;
}
