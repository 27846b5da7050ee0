//! Two instances on one PostgreSQL with Discord's gateway: only the leader
//! opens it, and a takeover opens it once more.

use super::*;

/// Discord resets a token past 1,000 IDENTIFYs a day: the gateway is
/// opened by the leader alone, once, and once more by the instance that
/// takes over when the leader dies; nobody flaps.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_is_identified_once_per_leader_and_once_more_after_a_crash() {
    let Some(url) = common::fresh_postgres_url().await else {
        return;
    };
    let fake = FakeDiscord::start(0.0, 1).await;
    let guild = fake_discord::GUILD_ID.to_string();
    let settings = [
        ("SEATMATE__DISCORD__TOKEN", fake_discord::TOKEN),
        ("SEATMATE__DISCORD__API_URL", fake.url.as_str()),
        ("SEATMATE__DISCORD__GUILD_ID", guild.as_str()),
    ];
    let (ports, mut instances) = common::start_fleet(&url, 2, &settings).await;
    let leaders = common::leaders(&ports).await;
    assert_eq!(leaders.len(), 1, "one leader: {leaders:?}");
    let leader = leaders[0];
    fake.wait_for("the leader's IDENTIFY", PATIENCE, |s| s.identifies == 1)
        .await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(fake.state().identifies, 1, "the other instance opens no gateway");

    let mut dead = instances.remove(leader);
    let killed = std::time::Instant::now();
    dead.kill().await;
    fake.wait_for("the new leader's IDENTIFY", PATIENCE, |s| s.identifies == 2)
        .await;
    println!("the gateway was open again {:?} after the crash", killed.elapsed());
    assert!(killed.elapsed() < Duration::from_secs(15), "{:?}", killed.elapsed());
    let bot = Bot {
        fake,
        service: instances.remove(0),
        endpoint: None,
    };
    // It answers through the new gateway, and does not open it again.
    bot.community().await;
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(bot.fake.state().identifies, 2, "no flapping");
    assert!(bot.fake.violations().is_empty(), "{:?}", bot.fake.violations());
    bot.stop().await;
}
