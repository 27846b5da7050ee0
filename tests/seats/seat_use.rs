//! Seats that are used, through the core and the console: a no-show's seat
//! goes to the next in line at its deadline, and a check-in claims a seat.

use super::common::Harness;
use super::with_host;

/// Runs the scheduler's release as the leader's tick would; the seats it released.
async fn release_tick(h: &Harness, at: &str) -> usize {
    h.set_time(at);
    let released = h.bot.scheduler().release_no_shows().await.unwrap();
    released.iter().map(|r| r.released.len()).sum()
}

/// Ann holds the only seat of tomorrow's 9-17 offer and Bob waits: Ann
/// never comes, and at 10:00 her seat is Bob's; everyone reads what
/// happened where they look.
pub(super) async fn a_no_show_seat_goes_to_the_next_in_line_at_its_deadline(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 1 tomorrow 9-17").await;
    assert!(h.text("ann", "/request 1").await.contains("✅ You have a seat"));
    assert!(h.text("bob", "/request 1").await.contains("number 1 on the waitlist"));
    h.delivered().await;
    assert!(h
        .text("ann", "/myseats")
        .await
        .contains("#1 cafe-noord — Wed 25 Nov, 09:00–17:00: you have a seat: check in by 10:00 to keep it"),);

    assert_eq!(release_tick(&h, "2026-11-25T08:59:00Z").await, 0, "09:59 in Amsterdam");
    assert_eq!(h.delivered().await, "");
    // Two processes' ticks at once: the seat is released once.
    h.set_time("2026-11-25T09:00:20Z");
    let other = Harness::open(&h.url).await;
    let second = seatmate_bot::Core::new(other, h.clock.clone(), seatmate_bot::CoreSettings::default());
    let (one, two) = (h.bot.scheduler(), second.scheduler());
    let (a, b) = tokio::join!(one.release_no_shows(), two.release_no_shows());
    let released: usize = a
        .unwrap()
        .iter()
        .chain(b.unwrap().iter())
        .map(|r| r.released.len())
        .sum();
    assert_eq!(released, 1);

    let told = h.delivered().await;
    assert!(
        told.contains(
            "seatmate (private to ann): ⌛ Your seat at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #1) went to the next in line: nobody checked in by 10:00. Still coming? Ask again with /request 1.\n    \
             [Ask again: /request 1]"
        ),
        "{told}"
    );
    assert!(
        told.contains(
            "seatmate (private to bob): 🎉 A seat freed up: you now have a seat at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #1). /cancel 1 gives it back.\n    \
             Check in at cafe-noord by 11:00 to keep it."
        ),
        "{told}"
    );
    let offers = h.text("hanna", "/offers").await;
    assert!(offers.contains("1. @ann: released: no check-in by 10:00"), "{offers}");
    assert!(offers.contains("2. @bob: has a seat, to claim by 11:00"), "{offers}");

    let late = h.text("ann", "/checkin cafe-noord").await;
    assert!(
        late.contains(
            "⌛ Your seat from offer #1 was released at 10:00: nobody had checked in by then. /request 1 asks again."
        ),
        "{late}"
    );
    let bob = h.text("bob", "/checkin cafe-noord").await;
    assert!(
        bob.contains("🪑 Your seat from offer #1 is yours (Wed 25 Nov, 09:00–17:00)."),
        "{bob}"
    );
    assert!(h.text("bob", "/myseats").await.contains("you have a seat, claimed"));
    assert_eq!(
        release_tick(&h, "2026-11-25T15:00:00Z").await,
        0,
        "a claimed seat stays"
    );
    assert!(h
        .text("hanna", "/offers")
        .await
        .contains("2. @bob: has a seat, checked in"));
}

/// A space that does not release: the seat stays empty and held all day.
pub(super) async fn a_space_with_release_off_keeps_unclaimed_seats(h: Harness) {
    with_host(&h, "").await;
    assert!(h
        .text("hanna", "/space set cafe-noord release_after off")
        .await
        .contains("confirmed seats are no longer released"));
    h.say("hanna", "/offer cafe-noord 1 tomorrow 9-17").await;
    h.say("ann", "/request 1").await;
    assert!(h.text("ann", "/myseats").await.contains("you have a seat\n"));
    assert_eq!(release_tick(&h, "2026-11-25T14:00:00Z").await, 0);
    // Changed back the day itself: the offer under way keeps what it had.
    h.say("hanna", "/space set cafe-noord release_after 10").await;
    assert_eq!(release_tick(&h, "2026-11-25T14:30:00Z").await, 0);
}

/// Checking in before the hours begin claims the seat.
pub(super) async fn checking_in_early_claims_the_seat(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 1 tomorrow 9-17").await;
    h.say("ann", "/request 1").await;
    h.set_time("2026-11-25T07:15:00Z");
    let ann = h.text("ann", "/checkin cafe-noord").await;
    assert!(ann.contains("Your seat from offer #1 is yours"), "{ann}");
    assert_eq!(release_tick(&h, "2026-11-25T12:00:00Z").await, 0);
}
