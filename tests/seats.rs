//! Seat offers and requests end to end through the core on a real store, with
//! the outbox delivered to the console: announcements, notices to hosts and
//! members, the waitlist, approval, and no overbooking under concurrency.

mod common;
#[path = "seats/seat_use.rs"]
mod seat_use;
use seat_use::*;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{Harness, TelegramUser};
use seatmate_bot::domain::OfferId;
use seatmate_bot::store::RequestState;

/// Utrecht Coworkers with space cafe-noord hosted by hanna. 09:00 UTC on
/// Tuesday 24 November is 10:00 in Amsterdam.
async fn with_host(h: &Harness, space_options: &str) {
    h.community("admin", &[&format!("cafe-noord {space_options}")]).await;
    h.say("hanna", "/profile offers coffee").await;
    let reply = h.text("admin", "/host add @hanna cafe-noord").await;
    assert!(reply.contains("@hanna now hosts cafe-noord"), "{reply}");
}

/// The acceptance story: two seats, three requests, a cancel, a promotion.
async fn waitlisted_member_gets_the_seat_a_cancel_frees(h: Harness) {
    with_host(&h, "").await;
    let posted = h.text("hanna", "/offer cafe-noord 2 tomorrow 9-17 quiet room").await;
    assert_eq!(
        posted,
        "seatmate (only hanna): Posted offer #1: 2 seats at cafe-noord on Wed 25 Nov, 09:00–17:00. Announcing it in 1 chat.\n"
    );
    assert_eq!(
        h.delivered().await,
        "seatmate (announcement): 🪑 @hanna offers 2 free seats at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #1).\n    \
         quiet room\n    \
         Want one? Type /request 1.\n    \
         [Request a seat: /request 1]\n"
    );
    assert_eq!(h.delivered().await, "", "an announcement is sent once");

    let ann = h.text("ann", "/request cafe-noord tomorrow").await;
    assert!(
        ann.contains("✅ You have a seat at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #1)"),
        "{ann}"
    );
    let to_host = h.delivered().await;
    assert!(
        to_host.starts_with("seatmate (private to hanna): 🙋 @ann asked for a seat"),
        "{to_host}"
    );
    assert!(to_host.contains("has a seat; 1 of 2 left"), "{to_host}");
    assert!(h.text("bob", "/request 1").await.contains("✅ You have a seat"));
    let cat = h.text("cat", "/request cafe-noord").await;
    assert!(
        cat.contains("⏳ Offer #1 is full: you are number 1 on the waitlist."),
        "{cat}"
    );
    h.delivered().await;

    let cancelled = h.text("ann", "/cancel cafe-noord").await;
    assert!(
        cancelled.contains("Cancelled: your place at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #1) is free again."),
        "{cancelled}"
    );
    let notices = h.delivered().await;
    assert!(
        notices.contains(
            "seatmate (private to cat): 🎉 A seat freed up: you now have a seat at cafe-noord on Wed 25 Nov, 09:00–17:00 (offer #1)."
        ),
        "{notices}"
    );
    assert!(
        notices.contains("seatmate (private to hanna): @ann cancelled"),
        "{notices}"
    );
    assert!(
        notices.contains("@cat moved up from the waitlist and has the seat."),
        "{notices}"
    );

    let seats = h.text("cat", "/seats").await;
    assert!(
        seats.contains("#1 cafe-noord — Wed 25 Nov, 09:00–17:00: 0 of 2 seats left — quiet room"),
        "{seats}"
    );
    assert!(h
        .text("cat", "/myseats")
        .await
        .contains("#1 cafe-noord — Wed 25 Nov, 09:00–17:00: you have a seat"));
    let offers = h.text("hanna", "/offers").await;
    assert!(
        offers.contains("2. @bob: has a seat") && offers.contains("3. @cat: has a seat"),
        "{offers}"
    );
    assert!(!offers.contains("@ann"), "a cancelled request is not listed: {offers}");
}

async fn asking_twice_says_where_you_stand_and_asking_again_after_cancel_works(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 1").await;
    h.say("ann", "/request 1").await;
    h.say("bob", "/request 1").await;
    let again = h.text("bob", "/request cafe-noord").await;
    assert!(
        again.contains("You already asked for offer #1") && again.contains("number 1 on the waitlist"),
        "{again}"
    );
    assert!(h.text("bob", "/cancel 1").await.contains("Cancelled"));
    let back = h.text("bob", "/request 1").await;
    assert!(back.contains("number 1 on the waitlist"), "{back}");
    h.say("cat", "/request 1").await;
    assert!(h.text("cat", "/myseats").await.contains("number 2 on the waitlist"));
}

async fn two_hundred_concurrent_requests_fill_ten_seats_and_queue_the_rest_in_order(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 10 tomorrow").await;
    let h = Arc::new(h);
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let h = h.clone();
            tokio::spawn(async move {
                let user = format!("m{i:03}");
                let reply = h.text(&user, "/request 1").await;
                (user, reply)
            })
        })
        .collect();
    let mut confirmed = BTreeSet::new();
    let mut told_position = std::collections::BTreeMap::new();
    for task in tasks {
        let (user, reply) = task.await.unwrap();
        if reply.contains("✅ You have a seat") {
            confirmed.insert(user);
        } else {
            let position: u32 = reply
                .split("you are number ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{user}: {reply}"));
            assert!(
                told_position.insert(position, user).is_none(),
                "position {position} given twice"
            );
        }
    }
    assert_eq!(confirmed.len(), 10);
    assert_eq!(
        told_position.keys().copied().collect::<Vec<_>>(),
        (1..=190).collect::<Vec<_>>()
    );

    // The database agrees: 10 confirmed, then the waitlist in the order people were told.
    let community = h.console_community().await.unwrap().id;
    let requests = h.store.offer_requests(community, OfferId(1)).await.unwrap();
    let states: Vec<RequestState> = requests.iter().map(|(r, _)| r.state).collect();
    assert_eq!(states.iter().filter(|s| **s == RequestState::Confirmed).count(), 10);
    let waitlist: Vec<(u32, String)> = requests
        .iter()
        .filter(|(r, _)| r.state == RequestState::Waitlisted)
        .map(|(r, c)| (r.position.unwrap(), c.card.display_name.clone()))
        .collect();
    assert_eq!(waitlist.len(), 190);
    for (position, name) in waitlist {
        assert_eq!(told_position[&position], name, "position {position}");
    }
    let offer = h.store.offer(community, OfferId(1)).await.unwrap().unwrap();
    assert_eq!((offer.confirmed, offer.waitlisted, offer.seats_left()), (10, 190, 0));
}

async fn concurrent_cancels_and_requests_never_overbook(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 10 tomorrow").await;
    for i in 0..40 {
        h.say(&format!("early{i}"), "/request 1").await;
    }
    let community = h.console_community().await.unwrap().id;
    h.delivered().await;

    let h = Arc::new(h);
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Watches the committed state while the storm runs.
    let monitor = {
        let (h, done) = (h.clone(), done.clone());
        tokio::spawn(async move {
            let mut looks = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let offer = h.store.offer(community, OfferId(1)).await.unwrap().unwrap();
                assert!(
                    offer.confirmed <= offer.seats,
                    "overbooked: {} of {}",
                    offer.confirmed,
                    offer.seats
                );
                looks += 1;
                tokio::task::yield_now().await;
            }
            looks
        })
    };
    let mut tasks = Vec::new();
    for i in 0..20 {
        let h = h.clone();
        // The first ten hold seats; the next ten wait. Each gives back
        // their own, named by the offer.
        tasks.push(tokio::spawn(
            async move { h.text(&format!("early{i}"), "/cancel 1").await },
        ));
    }
    for i in 0..30 {
        let h = h.clone();
        tasks.push(tokio::spawn(
            async move { h.text(&format!("late{i}"), "/request 1").await },
        ));
    }
    for task in tasks {
        let reply = task.await.unwrap();
        assert!(!reply.contains("went wrong"), "{reply}");
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(monitor.await.unwrap() > 0);

    let offer = h.store.offer(community, OfferId(1)).await.unwrap().unwrap();
    assert_eq!(offer.confirmed, 10, "the waitlist refilled every freed seat");
    assert_eq!(offer.waitlisted, 40 - 20 + 30 - 10);
    // Whoever holds a seat now got it by promotion and was told exactly once;
    // nobody was told twice (a promoted early1x may have cancelled afterwards).
    let notices = h.delivered().await;
    let mut told: std::collections::BTreeMap<String, usize> = Default::default();
    for line in notices.lines().filter(|l| l.contains("🎉 A seat freed up")) {
        let name = line.split("(private to ").nth(1).unwrap().split(')').next().unwrap();
        *told.entry(name.to_string()).or_default() += 1;
    }
    assert!(told.values().all(|n| *n == 1), "{told:?}");
    let holders: BTreeSet<String> = h
        .store
        .offer_requests(community, OfferId(1))
        .await
        .unwrap()
        .into_iter()
        .filter(|(r, _)| r.state == RequestState::Confirmed)
        .map(|(_, c)| c.card.display_name)
        .collect();
    assert_eq!(holders.len(), 10);
    for holder in &holders {
        assert_eq!(told.get(holder), Some(&1), "{holder} holds a seat but was not told");
    }
    for name in told.keys().filter(|n| !holders.contains(*n)) {
        assert!(name.starts_with("early1"), "{name} was told of a seat they do not hold");
    }
}

async fn requests_wait_for_approval_where_the_space_asks_for_it(h: Harness) {
    with_host(&h, "approval").await;
    h.say("hanna", "/offer cafe-noord 1 tomorrow").await;
    h.delivered().await;
    let asked = h.text("ann", "/request 1").await;
    assert!(asked.contains("📨 Asked the host of cafe-noord"), "{asked}");
    let to_host = h.delivered().await;
    assert!(
        to_host.contains("@ann asked for a seat") && to_host.contains("waiting for your approval"),
        "{to_host}"
    );
    assert!(
        to_host.contains("[Approve: /approve 1 1]") && to_host.contains("[Decline: /decline 1 1]"),
        "{to_host}"
    );
    h.say("bob", "/request 1").await;
    h.delivered().await;

    let refused = h.text("ann", "/approve 1").await;
    assert!(
        refused.contains("Only hosts of cafe-noord (or admins) can do that."),
        "{refused}"
    );
    // Two wait: a number-less approve asks which, with a button each.
    let which = h.text("hanna", "/approve 1").await;
    assert!(
        which.contains("2 requests on offer #1 are waiting for you: which one?")
            && which.contains("[Approve ann (1): /approve 1 1]")
            && which.contains("[Approve bob (2): /approve 1 2]"),
        "{which}"
    );
    assert_eq!(h.delivered().await, "", "asking changed nothing");
    assert!(h
        .text("hanna", "/approve 1 1")
        .await
        .contains("Request of @ann for cafe-noord on Wed 25 Nov, all day (offer #1): has a seat, to claim by 10:00."));
    assert!(h
        .delivered()
        .await
        .contains("(private to ann): ✅ Your request for offer #1 was approved: you have a seat"));
    // Now only Bob's waits: the offer's number is enough.
    let declined = h.text("hanna", "/decline 1 the room is booked for a workshop").await;
    assert!(
        declined.contains("declined (the room is booked for a workshop)"),
        "{declined}"
    );
    let notice = h.delivered().await;
    assert!(
        notice.contains(
            "(private to bob): Your request for cafe-noord on Wed 25 Nov, all day (offer #1) was declined (the room is booked"
        ),
        "{notice}"
    );
    let again = h.text("hanna", "/approve 1 1").await;
    assert!(
        again.contains("Request 1 on offer #1 is not waiting for approval: has a seat, to claim by 10:00."),
        "{again}"
    );
}

async fn open_spaces_ask_requesters_what_they_can_help_with(h: Harness) {
    with_host(&h, "open").await;
    h.say("hanna", "/offer cafe-noord 3").await;
    let refused = h.text("ann", "/request 1").await;
    assert!(
        refused.contains("cafe-noord shares its seats with people who share what they can help with"),
        "{refused}"
    );
    assert!(
        refused.contains("Add it with /profile offers rust, pitch decks, then ask again."),
        "{refused}"
    );
    h.say("ann", "/profile offers illustration").await;
    h.delivered().await;
    assert!(h.text("ann", "/request 1").await.contains("✅ You have a seat"));
    assert!(
        h.delivered().await.contains("@ann can help with illustration."),
        "the host sees the requester's offers"
    );
}

async fn offers_end_when_their_window_closes(h: Harness) {
    with_host(&h, "").await;
    // 10:00 in Amsterdam: an offer for today 11-13.
    h.say("hanna", "/offer cafe-noord 2 today 11-13").await;
    h.say("ann", "/request 1").await;
    h.set_time("2026-11-24T11:59:00Z"); // 12:59 local
    assert!(h.text("bob", "/seats").await.contains("#1 cafe-noord"));
    h.set_time("2026-11-24T12:00:00Z"); // 13:00 local: over
    assert!(h.text("bob", "/seats").await.contains("No open seat offers right now."));
    assert!(h
        .text("bob", "/request 1")
        .await
        .contains("Offer #1 at cafe-noord (Tue 24 Nov, 11:00–13:00) is over."));
    assert!(h.text("ann", "/myseats").await.contains("You have no upcoming seats."));
    let late = h.text("hanna", "/offer cafe-noord 2 today 9-12").await;
    assert!(
        late.contains("That window is already over today (it is 13:00 there)."),
        "{late}"
    );
}

async fn withdrawing_an_offer_tells_everyone_on_it(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 1 friday").await;
    h.say("ann", "/request 1").await;
    h.say("bob", "/request 1").await;
    h.delivered().await;
    assert!(h.text("ann", "/withdraw 1").await.contains("Only hosts of cafe-noord"));
    let done = h.text("hanna", "/withdraw 1").await;
    assert!(
        done.contains("Withdrew offer #1 at cafe-noord on Fri 27 Nov, all day; told 2 people."),
        "{done}"
    );
    let notices = h.delivered().await;
    assert!(
        notices.contains("(private to ann): 😕 Offer #1") && notices.contains("(private to bob): 😕 Offer #1"),
        "{notices}"
    );
    assert!(h.text("cat", "/seats").await.contains("No open seat offers"));
    assert!(h.text("ann", "/myseats").await.contains("the offer was withdrawn"));
    assert!(h.text("hanna", "/withdraw 1").await.contains("was withdrawn"));
    // Once withdrawn, the same hours can be offered again.
    assert!(h
        .text("hanna", "/offer cafe-noord 3 friday")
        .await
        .contains("Posted offer #2"));
}

async fn seats_lists_by_date_and_space(h: Harness) {
    with_host(&h, "").await;
    h.say("admin", "/space add bieb").await;
    h.say("hanna", "/offer cafe-noord 2 tomorrow").await;
    h.say("admin", "/offer bieb 5 2026-12-01 9-12 silent floor").await;
    let all = h.text("ann", "/seats").await;
    assert!(
        all.find("#1 cafe-noord").unwrap() < all.find("#2 bieb").unwrap(),
        "soonest first: {all}"
    );
    assert!(
        all.contains("#2 bieb — Tue 1 Dec, 09:00–12:00: 5 of 5 seats left — silent floor"),
        "{all}"
    );
    let bieb = h.text("ann", "/seats bieb").await;
    assert!(
        bieb.contains("Open seats at bieb:") && !bieb.contains("cafe-noord"),
        "{bieb}"
    );
    let tomorrow = h.text("ann", "/seats tomorrow").await;
    assert!(
        tomorrow.contains("#1 cafe-noord") && !tomorrow.contains("bieb —"),
        "{tomorrow}"
    );
    assert!(h
        .text("ann", "/seats friday")
        .await
        .contains("No open seat offers on Fri 27 Nov right now."));
    let two = h.text("hanna", "/offer cafe-noord 2 2026-12-01 13-17").await;
    assert!(
        two.contains("Posted offer #3"),
        "non-overlapping windows the same day are fine: {two}"
    );
    h.say("hanna", "/offer cafe-noord 2 2026-12-01 9-12").await;
    let which = h.text("ann", "/request cafe-noord 2026-12-01").await;
    assert!(
        which.contains("cafe-noord has several offers then: #4 (Tue 1 Dec, 09:00–12:00), #3 (Tue 1 Dec, 13:00–17:00)"),
        "{which}"
    );
}

async fn removing_a_space_tells_everyone_with_a_seat_there(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 1 tomorrow").await;
    h.say("ann", "/request 1").await;
    h.say("bob", "/request 1").await;
    h.delivered().await;
    assert_eq!(
        h.text("admin", "/space remove cafe-noord").await,
        "seatmate: Removed space cafe-noord.\n"
    );
    let notices = h.delivered().await;
    assert!(
        notices.contains("(private to ann): 😕 Offer #1 at cafe-noord"),
        "{notices}"
    );
    assert!(
        notices.contains("(private to bob): 😕 Offer #1 at cafe-noord"),
        "{notices}"
    );
    assert!(
        notices.contains("an admin removed the space from the community") && !notices.contains("by its host"),
        "the host did not withdraw it: {notices}"
    );
    assert!(h.text("ann", "/seats").await.contains("No open seat offers"));
}

/// A host who requests a seat at their own space hears nothing of their
/// own request; the other hosts do.
async fn a_host_is_not_told_of_their_own_request(h: Harness) {
    with_host(&h, "").await;
    h.say("admin", "/host add @ann cafe-noord").await;
    h.say("hanna", "/offer cafe-noord 2 tomorrow").await;
    h.delivered().await;
    assert!(h.text("ann", "/request 1").await.contains("✅ You have a seat"));
    let notices = h.delivered().await;
    assert!(
        notices.contains("(private to hanna): 🙋 @ann asked for a seat"),
        "{notices}"
    );
    assert!(!notices.contains("(private to ann)"), "{notices}");
}

/// Refusals leave offers, requests and the outbox as they were.
async fn seat_refusals_are_specific_and_change_nothing(h: Harness) {
    with_host(&h, "").await;
    h.say("hanna", "/offer cafe-noord 2 tomorrow").await;
    h.say("ann", "/request 1").await;
    // A second community, in another chat, with an offer of its own (#2).
    const OLGA: TelegramUser = TelegramUser {
        id: "7",
        name: "Olga",
        username: Some("olga"),
        admin: true,
    };
    let elsewhere = |text: &'static str| h.telegram(&OLGA, "-100", text);
    elsewhere("/setup Rotterdam").await;
    elsewhere("/space add hal").await;
    // Posted from the group it is announced in: the announcement answers.
    assert!(elsewhere("/offer hal 3").await.is_nothing());
    h.delivered().await;

    let cases: &[(&str, &str, &str)] = &[
        ("hanna", "/offer cafe-nord 2", "Did you mean cafe-noord?"),
        (
            "bob",
            "/offer cafe-noord 2",
            "Only hosts of cafe-noord (or admins) can do that.",
        ),
        ("hanna", "/offer cafe-noord 0", "0 seats is not something I can offer."),
        ("hanna", "/offer cafe-noord 501", "Offer from 1 to 500 seats."),
        (
            "hanna",
            "/offer cafe-noord 2 yesterday",
            "2026-11-23 is in the past (today is 2026-11-24 there).",
        ),
        (
            "hanna",
            "/offer cafe-noord 2 2027-01-24",
            "2027-01-24 is more than 60 days ahead; the last day you can offer now is 2027-01-23.",
        ),
        (
            "hanna",
            "/offer cafe-noord 2 friday 17-9",
            "The window 17-9 ends before it starts.",
        ),
        (
            "hanna",
            "/offer cafe-noord 2 tomorrow 12-14",
            "There is already offer #1 at cafe-noord on Wed 25 Nov, all day, which overlaps.",
        ),
        ("bob", "/request 99", "There is no offer #99 in this community."),
        ("bob", "/request 2", "There is no offer #2 in this community."),
        ("bob", "/request atlantis", "There is no space called atlantis."),
        (
            "bob",
            "/request cafe-noord friday",
            "There is no open offer at cafe-noord (Fri 27 Nov).",
        ),
        (
            "bob",
            "/cancel 1",
            "You have no seat or waitlist place on offer #1 at cafe-noord (Wed 25 Nov, all day).",
        ),
        ("bob", "/cancel 99", "There is no offer #99 in this community."),
        (
            "bob",
            "/cancel cafe-noord",
            "You have no seat or waitlist place at cafe-noord to cancel.",
        ),
        (
            "bob",
            "/withdraw 1",
            "Only hosts of cafe-noord (or admins) can do that.",
        ),
        ("hanna", "/withdraw 2", "There is no offer #2 in this community."),
        ("hanna", "/approve 1", "No request on offer #1 is waiting for approval."),
        ("hanna", "/approve 1 7", "Offer #1 has no request 7."),
        (
            "hanna",
            "/approve 1 1",
            "Request 1 on offer #1 is not waiting for approval: has a seat, to claim by 10:00.",
        ),
        ("ann", "/request 1", "You already asked for offer #1"),
    ];
    for (who, line, expected) in cases {
        let before = (h.text("admin", "/seats").await, h.text("hanna", "/offers").await);
        h.delivered().await;
        let reply = h.say(who, line).await;
        let text = seatmate_console::render(&reply, who);
        assert!(
            text.contains(expected),
            "{who}: {line}\nexpected: {expected}\ngot: {text}"
        );
        assert_eq!(reply.audience, seatmate_bot::Audience::Caller, "{line}");
        assert_eq!(h.delivered().await, "", "{line} queued a message");
        assert_eq!(
            (h.text("admin", "/seats").await, h.text("hanna", "/offers").await),
            before,
            "{line} changed data"
        );
    }
}

on_both_backends!(
    a_host_is_not_told_of_their_own_request,
    waitlisted_member_gets_the_seat_a_cancel_frees,
    asking_twice_says_where_you_stand_and_asking_again_after_cancel_works,
    two_hundred_concurrent_requests_fill_ten_seats_and_queue_the_rest_in_order,
    concurrent_cancels_and_requests_never_overbook,
    requests_wait_for_approval_where_the_space_asks_for_it,
    open_spaces_ask_requesters_what_they_can_help_with,
    offers_end_when_their_window_closes,
    withdrawing_an_offer_tells_everyone_on_it,
    seats_lists_by_date_and_space,
    seat_refusals_are_specific_and_change_nothing,
    removing_a_space_tells_everyone_with_a_seat_there,
    a_no_show_seat_goes_to_the_next_in_line_at_its_deadline,
    a_space_with_release_off_keeps_unclaimed_seats,
    checking_in_early_claims_the_seat,
    a_reminders_buttons_keep_give_back_and_claim_a_seat,
    freed_seats_are_announced_merged_and_at_most_every_half_hour,
    a_hosts_standing_offer_makes_a_week_of_offers,
    a_standing_request_asks_for_each_days_offer_as_it_appears,
);
