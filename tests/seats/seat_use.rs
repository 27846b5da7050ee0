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
    let second = h.another_process().await;
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

/// Queues the reminders due at `at`, as the leader's tick would; how many.
async fn reminder_tick(h: &Harness, at: &str) -> usize {
    h.set_time(at);
    h.bot.scheduler().send_reminders().await.unwrap()
}

/// What `user` sees pressing the button that sends `command`.
async fn press(h: &Harness, user: &str, command: &str) -> String {
    let reply = h.bot.handle_press(&seatmate_console::request(user, command)).await;
    seatmate_console::render(&reply, user)
}

/// Ann is reminded the evening before and again at 09:30; she says she is
/// coming, then gives her seat back from the reminder, and Cat moves up.
/// Bob turned reminders off and gets none; his seat is released at 10:00.
pub(super) async fn a_reminders_buttons_keep_give_back_and_claim_a_seat(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 2 tomorrow 9-17").await;
    for who in ["ann", "bob", "cat"] {
        h.say(who, "/request 1").await;
    }
    assert!(h
        .text("bob", "/profile reminders off")
        .await
        .contains("No more seat reminders"));
    assert!(h.text("bob", "/profile").await.contains("Seat reminders: off"));
    h.delivered().await;

    assert_eq!(reminder_tick(&h, "2026-11-24T16:59:00Z").await, 0);
    assert_eq!(
        reminder_tick(&h, "2026-11-24T17:00:00Z").await,
        1,
        "18:00 local: Ann only"
    );
    assert_eq!(reminder_tick(&h, "2026-11-24T17:00:30Z").await, 0, "once");
    assert_eq!(
        h.delivered().await,
        "seatmate (private to ann): ⏰ Tomorrow you have a seat at cafe-noord, Wed 25 Nov, 09:00–17:00 (offer #1). Check in when you arrive, by 10:00, or it goes to the next in line.\n    \
         [I'm coming: /coming 1]\n    \
         [I'm here: /imhere 1]\n    \
         [Give my seat back: /cancel 1]\n"
    );
    assert_eq!(
        press(&h, "ann", "/coming 1").await,
        "seatmate (only ann): 👍 Noted. Your seat at cafe-noord, Wed 25 Nov, 09:00–17:00 (offer #1): you have a seat: check in by 10:00 to keep it.\n"
    );
    assert!(press(&h, "ann", "/imhere 1").await.contains(
        "Your seat is for Wed 25 Nov, 09:00–17:00: press I'm here (or type /checkin cafe-noord) once you are there."
    ));
    assert!(press(&h, "cat", "/coming 1")
        .await
        .contains("You hold no seat on offer #1 (cafe-noord, Wed 25 Nov, 09:00–17:00): number 1 on the waitlist."));

    assert_eq!(
        reminder_tick(&h, "2026-11-25T08:30:00Z").await,
        1,
        "09:30 local, still unclaimed"
    );
    assert!(h.delivered().await.contains(
        "⏰ Your seat at cafe-noord, Wed 25 Nov, 09:00–17:00 (offer #1) is not claimed yet: check in by 10:00"
    ));
    assert!(press(&h, "ann", "/cancel 1")
        .await
        .contains("Cancelled: your place at cafe-noord"));
    let told = h.delivered().await;
    assert!(told.contains("seatmate (private to cat): 🎉 A seat freed up"), "{told}");
    assert!(told.contains("Check in at cafe-noord by 10:30 to keep it."), "{told}");
    assert!(press(&h, "ann", "/imhere 1")
        .await
        .contains("You hold no seat on offer #1 (cafe-noord, Wed 25 Nov, 09:00–17:00): cancelled."));

    assert_eq!(release_tick(&h, "2026-11-25T09:00:30Z").await, 1, "Bob's, at 10:00");
    assert!(h.delivered().await.contains("seatmate (private to bob): ⌛ Your seat"));
    let cat = press(&h, "cat", "/imhere 1").await;
    assert!(cat.contains("@cat checked in at cafe-noord"), "{cat}");
    assert!(cat.contains("🪑 Your seat from offer #1 is yours"), "{cat}");
    assert_eq!(
        reminder_tick(&h, "2026-11-25T09:05:00Z").await,
        0,
        "a claimed seat needs no reminder"
    );
    assert_eq!(release_tick(&h, "2026-11-25T09:40:00Z").await, 0);
}

/// Runs the scheduler's freed-seats job at `at`; how many lines it wrote.
async fn freed_tick(h: &Harness, at: &str) -> usize {
    h.set_time(at);
    h.bot.scheduler().announce_freed_seats().await.unwrap()
}

/// The freed-seats lines in what was delivered.
fn freed_lines(delivered: &str) -> Vec<&str> {
    delivered.lines().filter(|l| l.contains("freed at")).collect()
}

/// Seats given back today with nobody waiting are said in the chat: two at
/// once in one line, a third within half an hour in the next line after
/// it; a seat freed for another day, or taken by the waitlist, is not.
pub(super) async fn freed_seats_are_announced_merged_and_at_most_every_half_hour(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 3 today 9-17").await;
    h.say("hanna", "/offer cafe-noord 1 tomorrow 9-17").await;
    for who in ["ann", "bob", "cat"] {
        h.say(who, "/request 1").await;
    }
    h.say("ann", "/request 2").await;
    h.say("dan", "/request 2").await;
    h.delivered().await;

    h.say("ann", "/cancel 1").await;
    h.say("bob", "/cancel 1").await;
    h.say("ann", "/cancel 2").await; // Dan moves up: nothing is free.
    assert_eq!(freed_tick(&h, "2026-11-24T09:05:00Z").await, 1);
    let said = h.delivered().await;
    assert_eq!(
        freed_lines(&said),
        ["seatmate (announcement): 🪑 2 seats freed at cafe-noord, Tue 24 Nov, 09:00–17:00 (offer #1)."],
        "{said}"
    );
    assert!(said.contains("[Request a seat: /request 1]"), "{said}");
    assert_eq!(freed_tick(&h, "2026-11-24T09:06:00Z").await, 0, "said once");

    h.say("cat", "/cancel 1").await;
    assert_eq!(
        freed_tick(&h, "2026-11-24T09:20:00Z").await,
        0,
        "within half an hour: kept"
    );
    assert_eq!(freed_tick(&h, "2026-11-24T09:35:00Z").await, 1);
    assert_eq!(
        freed_lines(&h.delivered().await),
        ["seatmate (announcement): 🪑 1 seat freed at cafe-noord, Tue 24 Nov, 09:00–17:00 (offer #1)."]
    );

    // Freed for tomorrow, today: not a seat freed on its day.
    h.say("dan", "/cancel 2").await;
    assert_eq!(freed_tick(&h, "2026-11-24T10:30:00Z").await, 0);
    assert_eq!(
        freed_tick(&h, "2026-11-25T08:00:00Z").await,
        0,
        "forgotten, not said the next day"
    );
    assert!(freed_lines(&h.delivered().await).is_empty());
}

/// Runs the scheduler's standing-offers job at `at`: (days made, announced).
async fn standing_tick(h: &Harness, at: &str) -> (usize, usize) {
    h.set_time(at);
    let tick = h.bot.scheduler().run_standing_offers().await.unwrap();
    (tick.made, tick.announced)
}

/// A host publishes weekday seats once: the days exist ahead, each is
/// announced on its own morning, a day a one-off offer overlaps is skipped,
/// and ending it withdraws the days to come and tells who held a seat.
pub(super) async fn a_hosts_standing_offer_makes_a_week_of_offers(h: Harness) {
    with_host(&h, "").await;
    // Tuesday 24 Nov, 10:00 in Amsterdam; Thursday has a one-off offer.
    h.say("hanna", "/offer cafe-noord 1 2026-11-26 9-12").await;
    h.delivered().await;
    let posted = h
        .text(
            "hanna",
            "/offer cafe-noord 2 every mon-fri 9-17 until 2026-12-04 quiet room",
        )
        .await;
    assert!(
        posted.contains("🔁 Standing offer #2: 2 seats at cafe-noord every mon-fri, 09:00–17:00, until Fri 4 Dec."),
        "{posted}"
    );
    assert!(
        posted.contains(
            "#3 Tue 24 Nov, #4 Wed 25 Nov, #5 Fri 27 Nov, #6 Mon 30 Nov, #7 Tue 1 Dec, #8 Wed 2 Dec, #9 Thu 3 Dec, #10 Fri 4 Dec. /withdraw 2 ends it."
        ),
        "{posted}"
    );
    assert!(posted.contains("Skipped Thu 26 Nov: offer #1 overlaps it."), "{posted}");
    assert_eq!(h.delivered().await, "", "nothing is announced at once");

    assert_eq!(
        standing_tick(&h, "2026-11-24T09:00:30Z").await,
        (0, 1),
        "today's, its morning passed"
    );
    let said = h.delivered().await;
    assert!(
        said.contains("🪑 @hanna offers 2 free seats at cafe-noord on Tue 24 Nov, 09:00–17:00 (offer #3)."),
        "{said}"
    );
    assert_eq!(said.matches("(announcement)").count(), 1, "{said}");
    assert_eq!(standing_tick(&h, "2026-11-24T09:01:00Z").await, (0, 0), "each once");

    // Friday's is requestable by number before it is announced.
    assert!(h.text("ann", "/request 5").await.contains("✅ You have a seat"));
    h.delivered().await;
    assert_eq!(standing_tick(&h, "2026-11-25T07:59:00Z").await, (0, 0), "08:59 local");
    assert_eq!(standing_tick(&h, "2026-11-25T08:00:00Z").await, (0, 1), "09:00 local");
    assert!(h.delivered().await.contains("(offer #4)"));

    let offers = h.text("hanna", "/offers").await;
    assert!(
        offers.contains("🔁 Standing offer #2: 2 seats at cafe-noord every mon-fri, 09:00–17:00, until Fri 4 Dec — /withdraw 2 ends it"),
        "{offers}"
    );
    // Monday 30 Nov: the days ahead go no further than the last date.
    assert_eq!(standing_tick(&h, "2026-11-30T08:00:00Z").await.0, 0);

    h.set_time("2026-11-25T09:00:00Z");
    let ended = h.text("hanna", "/withdraw 2").await;
    assert!(
        ended.contains("Standing offer #2 at cafe-noord has ended: 6 coming days withdrawn, 1 person told."),
        "{ended}"
    );
    assert!(h.delivered().await.contains("seatmate (private to ann): 😕 Offer #5"));
    assert!(
        h.text("bob", "/seats").await.contains("#4 cafe-noord"),
        "today's, begun, stays"
    );
    assert!(!h.text("hanna", "/offers").await.contains("Standing offer"));
    assert_eq!(standing_tick(&h, "2026-11-26T09:00:00Z").await, (0, 0));
}

/// Bob asks once for a seat every Monday and Wednesday: each such offer of
/// the space gets a request of his as it appears, a day he gave back is
/// not asked again, and ending it stops new ones.
pub(super) async fn a_standing_request_asks_for_each_days_offer_as_it_appears(h: Harness) {
    with_host(&h, "").await;
    let set = h.text("bob", "/request cafe-noord every mon,wed").await;
    assert!(
        set.contains("🔁 Standing request: a seat at cafe-noord every mon,wed, on each offer as it appears"),
        "{set}"
    );
    h.say("hanna", "/offer cafe-noord 1 every mon-fri 9-17 until 2026-12-04")
        .await;
    h.delivered().await;
    standing_tick(&h, "2026-11-24T09:00:30Z").await;
    let told = h.delivered().await;
    assert_eq!(
        told.matches("seatmate (private to bob): 🔁 Your standing request asked for a seat at cafe-noord")
            .count(),
        3,
        "{told}"
    );
    for offer in ["#3", "#6", "#8"] {
        assert!(
            told.contains(&format!("(offer {offer}): you have a seat")),
            "{offer}: {told}"
        );
    }
    assert!(!told.contains("(offer #4)"), "Thursday is not his: {told}");
    assert_eq!(
        told.matches("private to hanna").count(),
        3,
        "the host hears of each: {told}"
    );

    assert!(h.text("bob", "/cancel 3").await.contains("Cancelled"));
    standing_tick(&h, "2026-11-24T09:02:00Z").await;
    assert!(
        !h.delivered().await.contains("private to bob"),
        "a day given back stays so"
    );
    let mine = h.text("bob", "/myseats").await;
    assert!(
        mine.contains("🔁 every mon,wed at cafe-noord — /cancel cafe-noord every ends it"),
        "{mine}"
    );
    assert!(mine.contains("#6 cafe-noord"), "{mine}");

    assert!(h
        .text("bob", "/cancel cafe-noord every")
        .await
        .contains("Your standing request at cafe-noord has ended; the requests it made stay as they are"));
    h.say("hanna", "/offer cafe-noord 1 2026-12-07 9-17").await;
    standing_tick(&h, "2026-11-24T09:03:00Z").await;
    assert!(!h.delivered().await.contains("private to bob"));
    assert!(h
        .text("bob", "/cancel cafe-noord every")
        .await
        .contains("You have no standing request at cafe-noord."));
}
