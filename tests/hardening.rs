//! The holes a first hardening pass found, each closed at its root and shown
//! here end to end on both backends: who a member reference means, power over
//! offers, control characters, guesses that would be broadcast, capacity,
//! community names, check-in notes, and wording.

mod common;

use common::Harness;

/// The offer or request number a reply mentions after `word` (`request #3`).
fn number_after(reply: &str, word: &str) -> i64 {
    let at = reply
        .find(&format!("{word} #"))
        .unwrap_or_else(|| panic!("no {word} in {reply}"));
    reply[at + word.len() + 2..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

async fn a_member_reference_resolves_exactly_and_lists_look_alikes(h: Harness) {
    h.community("admin", &["loft"]).await;
    h.say("hanna", "/profile").await;
    // HANNA spoke last: the old rule picked whoever was active last.
    h.say("HANNA", "/profile").await;
    let reply = h.text("admin", "/host add @hanna loft").await;
    assert!(reply.contains("@hanna now hosts loft"), "{reply}");
    let reply = h.text("admin", "/host add @HANNA loft").await;
    assert!(reply.contains("@HANNA now hosts loft"), "{reply}");
    let reply = h.text("admin", "/host remove @HANNA loft").await;
    assert!(reply.contains("@HANNA no longer hosts loft"), "{reply}");

    // Neither is written so: both are listed, and nothing changes.
    let before = h.snapshot(&["hanna", "HANNA"]).await;
    let reply = h.text("admin", "/host remove @Hanna loft").await;
    assert!(
        reply.contains("@Hanna could mean several members: @hanna (hanna), @HANNA (HANNA)"),
        "{reply}"
    );
    assert!(reply.contains("capitals count"), "{reply}");
    assert_eq!(h.snapshot(&["hanna", "HANNA"]).await, before);

    // A unique match that differs only in case is still found.
    h.say("Bea", "/profile").await;
    let reply = h.text("admin", "/host add @bea loft").await;
    assert!(reply.contains("@Bea now hosts loft"), "{reply}");
}

async fn a_removed_host_loses_power_over_offers_and_notices(h: Harness) {
    h.community("admin", &["loft approval"]).await;
    h.say("hanna", "/profile offers coffee").await;
    h.say("admin", "/host add @hanna loft").await;
    let posted = h.text("hanna", "/offer loft 2 tomorrow").await;
    let offer = number_after(&posted, "offer");
    h.delivered().await;
    h.say("admin", "/host remove @hanna loft").await;

    let asked = h.text("bob", "/request loft tomorrow").await;
    assert!(asked.contains(&format!("offer #{offer}")), "{asked}");
    // Bob's is the offer's first request.
    let request = format!("{offer} 1");
    let notices = h.delivered().await;
    assert!(!notices.contains("private to hanna"), "{notices}");
    assert!(
        notices.contains("(private to admin): 🙋 @bob asked for a seat"),
        "with no host, the admin hears of it: {notices}"
    );

    let offers = h.text("hanna", "/offers").await;
    assert!(offers.contains("You have no open offers"), "{offers}");
    assert!(!offers.contains("@bob"), "no requester's profile: {offers}");
    for command in [
        format!("/approve {request}"),
        format!("/decline {request} no"),
        format!("/withdraw {offer}"),
    ] {
        let reply = h.text("hanna", &command).await;
        assert!(
            reply.contains("Only hosts of loft (or admins) can do that."),
            "{command}: {reply}"
        );
    }
    assert_eq!(h.delivered().await, "", "nobody was told anything");

    // A new host of the space has the power, and hears of new requests.
    h.say("carla", "/profile").await;
    h.say("admin", "/host add @carla loft").await;
    h.say("dirk", "/request loft tomorrow").await;
    let notices = h.delivered().await;
    assert!(notices.contains("(private to carla): 🙋 @dirk asked"), "{notices}");
    assert!(!notices.contains("private to admin"), "{notices}");
    assert!(h.text("carla", &format!("/approve {request}")).await.contains("@bob"));
}

async fn control_characters_are_refused_identically_on_both_backends(h: Harness) {
    h.community("admin", &["loft"]).await;
    h.say("ann", "/profile about plain").await;
    let before = h.snapshot(&["ann"]).await;
    for line in [
        "/profile about nul\u{0}byte",
        "/profile about \u{1b}[31mred\u{1b}[0m",
        "/profile offers bell\u{7}",
        "/checkin loft \u{202e}reversed",
        "/checkin loft until 17:00 \u{2067}isolate",
    ] {
        let reply = h.text("ann", line).await;
        assert!(reply.starts_with("seatmate (only ann): "), "{line}: {reply}");
        assert!(reply.contains("invisible control character"), "{line}: {reply}");
        assert!(!reply.contains("Sorry, something went wrong"), "{line}: {reply}");
        assert!(!reply.chars().any(seatmate_bot::domain::is_refused_char), "{line}");
    }
    assert_eq!(h.snapshot(&["ann"]).await, before);
    // Line breaks are whitespace: folded into one line, never shown raw.
    h.say("ann", "/profile about two\r\nlines").await;
    assert!(h.text("ann", "/profile").await.contains("About: two lines"));
}

async fn dates_and_times_never_become_notes_of_a_broadcast_offer(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    let posted = h.text("admin", "/offer cafe-noord 2 9-17 tomorrow").await;
    assert!(
        posted.contains("Posted offer #1: 2 seats at cafe-noord on Wed 25 Nov, 09:00–17:00. Announcing it in 1 chat."),
        "{posted}"
    );
    let announced = h.delivered().await;
    assert!(!announced.contains("    tomorrow"), "no note 'tomorrow': {announced}");

    let before = h.text("admin", "/seats").await;
    for (line, expected) in [
        ("/offer cafe-noord 2 01/12/2026", "Write dates as year-month-day"),
        ("/offer cafe-noord 2 friday quiet room until 5pm", "'5pm' in the note"),
        ("/offer cafe-noord 2 quiet room friday", "'friday' in the note"),
        ("/seats 01/12/2026", "Write dates as year-month-day"),
        ("/request cafe-noord 1-12", "'1-12' is not a date I understand"),
        ("/checkin cafe-noord working till 17:00", "'17:00' in the note"),
    ] {
        let reply = h.text("admin", line).await;
        assert!(reply.contains(expected), "{line}: {reply}");
        assert!(reply.starts_with("seatmate (only admin)"), "{line}: {reply}");
    }
    assert_eq!(h.delivered().await, "", "nothing was announced");
    assert_eq!(h.text("admin", "/seats").await, before);

    // A note that mentions a time is written in quotes.
    let posted = h
        .text("admin", "/offer cafe-noord 1 friday \"open until 5pm\" 13-17")
        .await;
    assert!(
        posted.contains("Posted offer #2: 1 seat at cafe-noord on Fri 27 Nov, 13:00–17:00"),
        "{posted}"
    );
    assert!(h.delivered().await.contains("    open until 5pm\n"));
}

async fn an_offer_never_exceeds_the_space_capacity(h: Harness) {
    h.community("admin", &["cafe-noord capacity 12", "bieb"]).await;
    let reply = h.text("admin", "/offer cafe-noord 500 tomorrow").await;
    assert!(
        reply.contains("cafe-noord has 12 seats, so an offer there can have at most 12, not 500."),
        "{reply}"
    );
    assert_eq!(h.delivered().await, "");
    assert!(h.text("admin", "/seats").await.contains("No open seat offers"));
    assert!(h
        .text("admin", "/offer cafe-noord 12 tomorrow")
        .await
        .contains("Posted offer"));
    // Without a capacity, the 1–500 limit of any offer applies.
    assert!(h
        .text("admin", "/offer bieb 500 tomorrow")
        .await
        .contains("Posted offer"));
}

async fn setup_keeps_the_whole_name_when_the_first_word_is_an_old_zone_alias(h: Harness) {
    let reply = h.text("admin", "/setup Portugal Digital Nomads").await;
    assert!(
        reply.contains("Welcome to Seatmate, Portugal Digital Nomads! Time zone: UTC."),
        "{reply}"
    );
    let community = h.console_community().await.unwrap();
    assert_eq!(community.name, "Portugal Digital Nomads");
}

async fn ordinary_notes_near_a_space_name_are_notes(h: Harness) {
    h.community("admin", &["loft", "hub"]).await;
    h.say("bea", "/checkin hub").await;
    for note in ["left early today", "lots of calls"] {
        let reply = h.text("bea", &format!("/checkin {note}")).await;
        assert!(reply.contains("updated today's check-in: hub"), "{note}: {reply}");
        assert!(h.text("bea", "/here hub").await.contains(note), "{note}");
    }
    // A word that surely mistypes a space is refused, saying how to write a note.
    let reply = h.text("bea", "/checkin lofft quiet day").await;
    assert!(reply.contains("There is no space called lofft."), "{reply}");
    assert!(reply.contains("Did you mean loft?"), "{reply}");
    assert!(
        reply.contains("If 'lofft' starts your note, put the note in quotes: /checkin \"lofft quiet day\""),
        "{reply}"
    );
    let reply = h.text("bea", "/checkin \"lofft quiet day\"").await;
    assert!(reply.contains("updated today's check-in: hub"), "{reply}");
}

async fn refusals_show_one_example_and_hosts_read_their_own_wording(h: Harness) {
    h.community("admin", &["cafe-noord approval"]).await;
    for line in [
        "/space add",
        "/offer cafe-noord",
        "/offer cafe-noord 2 01/12/2026",
        "/host add alice",
        "/settings pairing_time",
        "/decline",
        "/request a b c",
    ] {
        let reply = h.text("admin", line).await;
        assert_eq!(reply.matches("e.g. /").count(), 1, "{line}: {reply}");
        assert!(!reply.contains("For example"), "{line}: {reply}");
    }
    let reply = h.text("admin", "/approve x").await;
    assert!(reply.contains("/offers shows the requests"), "{reply}");
    assert!(!reply.contains("/seats"), "{reply}");
    assert!(h.text("admin", "/profile show").await.contains("Your profile:"));
    assert!(h
        .text("admin", "/settings show")
        .await
        .contains("Settings of Utrecht Coworkers"));

    h.say("admin", "/offer cafe-noord 2 tomorrow").await;
    h.say("ann", "/request cafe-noord tomorrow").await;
    h.say("admin", "/approve 1").await;
    let again = h.text("admin", "/approve 1 1").await;
    assert!(
        again.contains("Request 1 on offer #1 is not waiting for approval: has a seat, to claim by 10:00."),
        "{again}"
    );
    assert!(!again.contains("you have a seat"), "{again}");
}

async fn introductions_never_claim_that_someone_is_here(h: Harness) {
    h.community("admin", &["loft"]).await;
    h.say("ann", "/pairing on").await;
    h.say("bob", "/pairing on").await;
    let reply = h.text("admin", "/pairnow").await;
    assert!(reply.contains("Paired 2 people today: 1 pair."), "{reply}");
    let delivered = h.delivered().await;
    assert!(delivered.contains("@bob — someone new to meet"), "{delivered}");
    assert!(!delivered.contains("also here today"), "{delivered}");
    assert!(delivered.contains("1 pair, 2 people"), "{delivered}");
}

on_both_backends!(
    a_member_reference_resolves_exactly_and_lists_look_alikes,
    a_removed_host_loses_power_over_offers_and_notices,
    control_characters_are_refused_identically_on_both_backends,
    dates_and_times_never_become_notes_of_a_broadcast_offer,
    an_offer_never_exceeds_the_space_capacity,
    setup_keeps_the_whole_name_when_the_first_word_is_an_old_zone_alias,
    ordinary_notes_near_a_space_name_are_notes,
    refusals_show_one_example_and_hosts_read_their_own_wording,
    introductions_never_claim_that_someone_is_here,
);
