//! Check-ins end to end through the core on a real store: who is here, whom to
//! meet, and when a check-in ends (checkout, "until", the local day's end,
//! across midnight and daylight-saving changes in two zones).

mod common;

use common::Harness;

async fn third_checkin_names_both_others_with_reasons(h: Harness) {
    h.community("anna", &["cafe-noord"]).await;
    for (user, offers, wants) in [
        ("anna", "rust, databases", "design, pitching"),
        ("ben", "design, illustration", "rust"),
        ("carla", "pitching, funding", "databases, design"),
    ] {
        h.say(user, &format!("/profile offers {offers}")).await;
        h.say(user, &format!("/profile wants {wants}")).await;
    }
    let first = h.text("anna", "/checkin building the booking API").await;
    assert!(first.contains("@anna checked in at cafe-noord"), "{first}");
    assert!(first.contains("quiet at cafe-noord today"), "{first}");
    h.say("ben", "/checkin").await;
    let third = h.text("carla", "/checkin").await;
    assert_eq!(
        third,
        "seatmate: ✅ @carla checked in at cafe-noord.\n    \
         Say hello to:\n    \
         • @anna — can help you with databases; you can help with pitching; you have design in common\n    \
         • @ben — can help you with design\n"
    );
}

/// Today's focus is matched to what the others offer, both ways: Dina's
/// focus names Eli's offer in other words, and Eli, arriving later, sees
/// Dina first because he can help with her focus.
async fn todays_focus_meets_who_can_help_both_ways(h: Harness) {
    h.community("anna", &["cafe-noord"]).await;
    h.say("fay", "/profile offers rust").await;
    h.say("fay", "/profile wants design").await;
    h.say("fay", "/checkin cafe-noord").await;
    h.say("dina", "/profile offers design").await;
    let dina = h
        .text(
            "dina",
            "/checkin cafe-noord \"pitching to investors, need postgres help\"",
        )
        .await;
    assert!(dina.contains("quiet at cafe-noord") || dina.contains("@fay"), "{dina}");
    h.say("eli", "/profile offers postgres, investors").await;
    let eli = h.text("eli", "/checkin cafe-noord").await;
    assert_eq!(
        eli,
        "seatmate: ✅ @eli checked in at cafe-noord.\n    \
         Say hello to:\n    \
         • @dina — their focus today needs investors, postgres, which you offer\n    \
         • @fay — also here today\n"
    );
    h.say("fay", "/checkin cafe-noord need a logo designed").await;
    let fay = h.text("fay", "/here").await;
    assert!(fay.contains("need a logo designed"), "{fay}");
    let again = h.text("fay", "/checkin cafe-noord need a logo designed").await;
    assert!(
        again.contains("@dina — can help with your focus today: design"),
        "{again}"
    );
}

async fn suggestions_are_limited_to_the_same_place_and_three_people(h: Harness) {
    h.community("admin", &["cafe-noord", "bieb"]).await;
    for user in ["a1", "a2", "a3", "a4"] {
        h.say(user, "/checkin cafe-noord").await;
    }
    h.say("b1", "/checkin bieb").await;
    h.say("r1", "/checkin remote").await;
    let reply = h.text("me", "/checkin cafe-noord").await;
    assert_eq!(reply.matches("also here today").count(), 3, "{reply}");
    assert!(
        reply.contains("@a1") && reply.contains("@a2") && reply.contains("@a3"),
        "earliest first: {reply}"
    );
    assert!(!reply.contains("@b1") && !reply.contains("@r1"), "{reply}");
    let remote = h.text("r2", "/checkin remote").await;
    assert!(remote.contains("@r1 — also here today"), "{remote}");
}

async fn checkin_place_defaults_to_the_only_space_then_the_last_one(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    let reply = h.text("ann", "/checkin writing tests").await;
    assert!(reply.contains("at cafe-noord"), "the only space: {reply}");
    h.say("admin", "/space add bieb").await;
    h.set_time("2026-11-25T09:00:00Z");
    let reply = h.text("ann", "/checkin").await;
    assert!(reply.contains("at cafe-noord"), "where she was last: {reply}");
    let reply = h.text("newbie", "/checkin slides").await;
    assert!(reply.contains("several spaces: bieb, cafe-noord"), "{reply}");
    assert!(reply.contains("/checkin bieb"), "{reply}");
    let reply = h.text("newbie", "/checkin bieb slides").await;
    assert!(reply.contains("at bieb"), "{reply}");
    let here = h.text("newbie", "/here bieb").await;
    assert!(
        here.contains("@newbie — slides"),
        "the first word was the place, the rest the note: {here}"
    );
}

async fn second_checkin_same_day_updates_place_and_keeps_the_note(h: Harness) {
    h.community("admin", &["cafe-noord", "bieb"]).await;
    h.say("ann", "/checkin cafe-noord grant proposal").await;
    let again = h.text("ann", "/checkin bieb until 15:00").await;
    assert!(
        again.contains("@ann updated today's check-in: bieb until 15:00"),
        "{again}"
    );
    let here = h.text("ann", "/here").await;
    assert_eq!(
        here,
        "seatmate: Here now at bieb:\n    • @ann until 15:00 — grant proposal\n"
    );
}

async fn checkout_ends_the_checkin(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    h.say("ann", "/checkin").await;
    assert!(h.text("ann", "/checkout").await.contains("@ann checked out"));
    assert!(h.text("ann", "/here").await.contains("Nobody is checked in right now"));
    let again = h.text("ann", "/checkout").await;
    assert_eq!(again, "seatmate (only ann): You are not checked in right now.\n");
}

async fn until_ends_presence_and_a_past_until_is_refused(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    // 09:00 UTC is 10:00 in Amsterdam.
    let refused = h.text("ann", "/checkin until 09:30").await;
    assert!(
        refused.contains("09:30 has already passed at cafe-noord (it is 10:00 there)"),
        "{refused}"
    );
    assert!(refused.contains("e.g. /checkin until 11:00"), "{refused}");
    assert!(
        h.text("ann", "/here").await.contains("Nobody"),
        "the refusal wrote nothing"
    );
    h.say("ann", "/checkin until 12:00").await;
    h.set_time("2026-11-24T10:59:00Z");
    assert!(h.text("bob", "/here").await.contains("@ann until 12:00"));
    h.set_time("2026-11-24T11:00:00Z");
    assert!(h.text("bob", "/here").await.contains("Nobody"));
}

/// 22:00 UTC is 23:00 in Amsterdam and 17:00 in New York; half an hour later
/// Amsterdam is on the next day, New York is not.
async fn checkins_end_at_each_spaces_local_midnight(h: Harness) {
    h.community("admin", &["ams Europe/Amsterdam", "nyc America/New_York"])
        .await;
    h.set_time("2026-11-24T22:00:00Z");
    h.say("anna", "/checkin ams").await;
    h.say("ned", "/checkin nyc").await;
    h.set_time("2026-11-24T22:59:59Z");
    let here = h.text("admin", "/here").await;
    assert!(here.contains("@anna") && here.contains("@ned"), "{here}");
    h.set_time("2026-11-24T23:00:00Z");
    let here = h.text("admin", "/here").await;
    assert!(!here.contains("@anna"), "a new day in Amsterdam: {here}");
    assert!(here.contains("@ned"), "still the 24th in New York: {here}");
    h.set_time("2026-11-25T04:59:59Z");
    assert!(h.text("admin", "/here nyc").await.contains("@ned"));
    h.set_time("2026-11-25T05:00:00Z");
    assert!(h
        .text("admin", "/here nyc")
        .await
        .contains("Nobody is checked in at nyc"));
    // Anna checks in on her new day: a fresh check-in, not an update.
    let reply = h.text("anna", "/checkin").await;
    assert!(reply.contains("@anna checked in at ams"), "{reply}");
}

/// Amsterdam's 29 March 2026 has no 02:00–03:00 and New York's 1 November 2026
/// has 01:00–02:00 twice.
async fn checkins_on_daylight_saving_days(h: Harness) {
    h.community("admin", &["ams Europe/Amsterdam", "nyc America/New_York"])
        .await;
    // 00:30 in Amsterdam (UTC+1): "until 02:30" does not exist, so it is 03:00 (UTC+2).
    h.set_time("2026-03-28T23:30:00Z");
    let reply = h.text("anna", "/checkin ams until 02:30").await;
    assert!(reply.contains("until 03:00"), "{reply}");
    h.set_time("2026-03-29T00:59:59Z");
    assert!(h.text("admin", "/here ams").await.contains("@anna until 03:00"));
    h.set_time("2026-03-29T01:00:00Z");
    assert!(h.text("admin", "/here ams").await.contains("Nobody"));
    // A whole-day check-in on that 23-hour day ends at local midnight, 22:00 UTC.
    h.say("anna", "/checkin ams").await;
    h.set_time("2026-03-29T21:59:59Z");
    assert!(h.text("admin", "/here ams").await.contains("@anna"));
    h.set_time("2026-03-29T22:00:00Z");
    assert!(h.text("admin", "/here ams").await.contains("Nobody"));

    // New York, 00:30 EDT on the 25-hour day: the check-in lasts until 00:00 EST
    // on 2 November, 05:00 UTC, 24.5 hours later.
    h.set_time("2026-11-01T04:30:00Z");
    h.say("ned", "/checkin nyc").await;
    h.set_time("2026-11-02T04:59:59Z");
    assert!(h.text("admin", "/here nyc").await.contains("@ned"));
    h.set_time("2026-11-02T05:00:00Z");
    assert!(h.text("admin", "/here nyc").await.contains("Nobody"));
    // "until 01:30" on the repeated hour means the later 01:30 (EST, 06:30 UTC).
    h.set_time("2026-11-01T05:10:00Z"); // 01:10 EDT
    let reply = h.text("nina", "/checkin nyc until 01:30").await;
    assert!(reply.contains("until 01:30"), "{reply}");
    h.set_time("2026-11-01T06:29:00Z"); // 01:29 EST
    assert!(h.text("admin", "/here nyc").await.contains("@nina"));
    h.set_time("2026-11-01T06:30:00Z");
    assert!(!h.text("admin", "/here nyc").await.contains("@nina"));
}

async fn here_lists_every_place_with_notes_and_offers(h: Harness) {
    h.community("admin", &["cafe-noord", "bieb"]).await;
    h.say("ann", "/profile offers rust").await;
    h.say("ann", "/checkin cafe-noord until 17:00 slides").await;
    h.say("bob", "/checkin remote calls").await;
    let here = h.text("admin", "/here").await;
    assert_eq!(
        here,
        "seatmate: Here now at cafe-noord:\n    \
         • @ann until 17:00 — slides (can help with rust)\n    \
         Here now at remote:\n    \
         • @bob — calls\n"
    );
    assert!(h
        .text("admin", "/here bieb")
        .await
        .contains("Nobody is checked in at bieb right now."));
}

on_both_backends!(
    third_checkin_names_both_others_with_reasons,
    suggestions_are_limited_to_the_same_place_and_three_people,
    checkin_place_defaults_to_the_only_space_then_the_last_one,
    second_checkin_same_day_updates_place_and_keeps_the_note,
    checkout_ends_the_checkin,
    until_ends_presence_and_a_past_until_is_refused,
    checkins_end_at_each_spaces_local_midnight,
    checkins_on_daylight_saving_days,
    here_lists_every_place_with_notes_and_offers,
    todays_focus_meets_who_can_help_both_ways,
);
