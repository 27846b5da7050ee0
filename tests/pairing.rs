//! Daily "meet someone new" end to end through the core on a real store: who
//! is in the pool, one round per community and day whatever triggers it, the
//! schedule in the community's zone (also on daylight-saving days), catch-up,
//! and the introductions delivered through the outbox.

#[path = "pairing/ask.rs"]
mod ask;
mod common;
#[path = "pairing/report.rs"]
mod report;
use ask::*;
use report::*;

use std::sync::Arc;

use common::{Harness, TelegramUser};
use seatmate_bot::service::RoundOutcome;
use seatmate_bot::store::RoundTrigger;

/// Six members with profiles that fit in three known pairs.
const SIX: [(&str, &str, &str); 6] = [
    ("ann", "rust, databases", "design"),
    ("ben", "design", "rust"),
    ("cat", "funding, pitching", "databases"),
    ("dan", "databases", "funding"),
    ("eve", "illustration", "pitching"),
    ("fay", "pitching", "illustration"),
];

async fn six_opted_in(h: &Harness) {
    h.community("admin", &["cafe-noord"]).await;
    for (who, offers, wants) in SIX {
        h.say(who, &format!("/profile offers {offers}")).await;
        h.say(who, &format!("/profile wants {wants}")).await;
        let on = h.text(who, "/pairing on").await;
        assert!(on.contains("You're in!"), "{on}");
    }
}

/// Runs the due rounds; the names of the communities that had one.
async fn ran_rounds(h: &Harness) -> Vec<String> {
    h.bot
        .scheduler()
        .run_due_rounds()
        .await
        .unwrap()
        .into_iter()
        .map(|(c, _)| c.name)
        .collect()
}

fn today(h: &Harness) -> chrono::NaiveDate {
    seatmate_bot::localtime::local_date(h.now(), chrono_tz::Europe::Amsterdam)
}

/// The acceptance story: six members, `/pairnow`, each `/match` names a
/// partner with the reason, a second `/pairnow` says the round ran.
async fn six_members_are_paired_and_each_match_names_the_partner(h: Harness) {
    six_opted_in(&h).await;
    h.delivered().await;
    let done = h.text("admin", "/pairnow").await;
    assert_eq!(
        done,
        "seatmate: Paired 6 people today: 3 pairs. Everyone has been told.\n"
    );
    let delivered = h.delivered().await;
    assert_eq!(
        delivered.matches("🤝 Your introduction today:").count(),
        6,
        "{delivered}"
    );
    assert!(
        delivered.contains("(announcement): 🤝 Today's introductions are out: 3 pairs, 6 people."),
        "{delivered}"
    );
    let expected = [
        ("ann", "@ben — can help you with design; you can help with rust"),
        ("ben", "@ann — can help you with rust; you can help with design"),
        ("cat", "@dan — can help you with databases; you can help with funding"),
        ("dan", "@cat — can help you with funding; you can help with databases"),
        (
            "eve",
            "@fay — can help you with pitching; you can help with illustration",
        ),
        (
            "fay",
            "@eve — can help you with illustration; you can help with pitching",
        ),
    ];
    for (who, line) in expected {
        let mine = h.text(who, "/match").await;
        assert!(mine.contains(line), "{who}: {mine}");
        assert!(
            delivered.contains(&format!(
                "(private to {who}): 🤝 Your introduction today:\n    • {line}"
            )),
            "{who}"
        );
    }
    assert_eq!(
        h.text("admin", "/pairnow").await,
        "seatmate (only admin): Today's round already ran (/match shows yours). Next round: Wed 25 Nov 09:00 (Europe/Amsterdam).\n"
    );
    assert_eq!(h.delivered().await, "", "nothing sent twice");
}

/// Gus, checked in with a focus, is introduced to whoever's offers it names,
/// and both introductions say why: his focus, and hers to help with.
async fn the_round_pairs_todays_focus_with_who_can_help_and_says_so(h: Harness) {
    h.community("admin", &["cafe-noord"]).await;
    for (who, offers) in [
        ("gus", "rust"),
        ("hal", "postgres"),
        ("ida", "design"),
        ("jo", "illustration"),
    ] {
        h.say(who, &format!("/profile offers {offers}")).await;
        h.say(who, "/pairing on").await;
    }
    h.say("gus", "/checkin cafe-noord migrating the app to postgres").await;
    h.delivered().await;
    assert!(h
        .text("admin", "/pairnow")
        .await
        .contains("Paired 4 people today: 2 pairs."));
    let intros = h.delivered().await;
    assert!(
        intros.contains("seatmate (private to gus): 🤝 Your introduction today:\n    • @hal — can help with your focus today: postgres"),
        "{intros}"
    );
    assert!(
        intros.contains("seatmate (private to hal): 🤝 Your introduction today:\n    • @gus — their focus today needs postgres, which you offer (at cafe-noord today)"),
        "{intros}"
    );
    let matched = h.text("gus", "/match").await;
    assert!(
        matched.contains("@hal — can help with your focus today: postgres"),
        "{matched}"
    );
}

async fn opting_out_pausing_and_inactivity_keep_people_out_of_the_pool(h: Harness) {
    six_opted_in(&h).await;
    assert!(h.text("fay", "/pairing off").await.contains("You're out"));
    let paused = h.text("eve", "/pairing pause 3").await;
    assert!(paused.contains("Paused until Fri 27 Nov"), "{paused}");
    assert!(h.text("eve", "/pairing").await.contains("paused until Fri 27 Nov"));
    assert!(h
        .text("fay", "/pairing")
        .await
        .contains("You are not in the daily introductions"));
    // dan last used the community 31 days ago.
    h.set_time("2026-10-24T09:00:00Z");
    h.say("zed", "/pairing on").await; // active then, not since
    h.set_time("2026-11-24T09:00:00Z");
    assert!(h
        .text("admin", "/pairnow")
        .await
        .contains("Paired 4 people today: 2 pairs."));
    let c = h.console_community().await.unwrap();
    let round = h.store.round(c.id, today(&h)).await.unwrap().unwrap();
    let names: Vec<String> = round.groups.concat().iter().map(|m| m.0.to_string()).collect();
    assert_eq!(names.len(), 4);
    assert!(h.text("eve", "/match").await.contains("You are not in today's round."));
    let fay = h.text("fay", "/match").await;
    assert!(
        fay.contains("not in today's round") && fay.contains("join with /pairing on"),
        "{fay}"
    );
    assert!(h.text("zed", "/match").await.contains("not in today's round"));
}

async fn an_odd_pool_makes_one_trio_and_a_pool_of_one_gets_a_note(h: Harness) {
    six_opted_in(&h).await;
    h.say("gus", "/pairing on").await;
    h.delivered().await;
    assert!(h
        .text("admin", "/pairnow")
        .await
        .contains("Paired 7 people today: 2 pairs and a group of three."));
    let c = h.console_community().await.unwrap();
    let round = h.store.round(c.id, today(&h)).await.unwrap().unwrap();
    let mut sizes: Vec<usize> = round.groups.iter().map(Vec::len).collect();
    sizes.sort();
    assert_eq!(sizes, [2, 2, 3]);
    let trio = round.groups.iter().find(|g| g.len() == 3).unwrap();
    let intro = h.delivered().await;
    assert_eq!(intro.matches("🤝 Your introduction today:").count(), 7);
    assert!(
        intro.matches("    • @").count() >= 6 + 2 * trio.len() - 2,
        "a trio names two partners each"
    );

    // The next day only gus is in.
    h.set_time("2026-11-25T09:00:00Z");
    for (who, ..) in SIX {
        h.say(who, "/pairing off").await;
    }
    // `/pairnow` does not run a round of one: the day stays open, and the
    // chat is told nothing.
    let reply = h.text("admin", "/pairnow").await;
    assert!(reply.contains("Only one member is in today's round"), "{reply}");
    assert!(h.store.round(c.id, today(&h)).await.unwrap().is_none());
    assert_eq!(h.delivered().await, "");
    // The scheduled round closes the day with a note for gus and no summary.
    h.bot.scheduler().run_due_rounds().await.unwrap();
    let note = h.delivered().await;
    assert!(
        note.contains("(private to gus): Nobody else is in today's round"),
        "{note}"
    );
    assert!(!note.contains("announcement"), "{note}");
    assert!(h.store.round(c.id, today(&h)).await.unwrap().is_some());
}

async fn one_round_a_day_under_a_double_trigger_and_two_racing_processes(h: Harness) {
    six_opted_in(&h).await;
    h.delivered().await;
    let c = h.console_community().await.unwrap();
    let date = today(&h);
    // A second "process": its own store and bot on the same database.
    let other = h.another_process().await;
    let h = Arc::new(h);
    let other = Arc::new(other);
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (h, other, c) = (h.clone(), other.clone(), c.clone());
        tasks.push(tokio::spawn(async move {
            let bot = if i % 2 == 0 { &h.bot } else { &*other };
            let trigger = if i < 3 {
                RoundTrigger::Schedule
            } else {
                RoundTrigger::PairNow
            };
            bot.scheduler().run_round(&c, date, trigger).await.unwrap()
        }));
    }
    let mut ran = 0;
    for task in tasks {
        match task.await.unwrap() {
            RoundOutcome::Ran { people, .. } => {
                assert_eq!(people, 6);
                ran += 1;
            }
            RoundOutcome::AlreadyRan => {}
            RoundOutcome::TooFew { .. } => panic!("the pool was not empty"),
        }
    }
    assert_eq!(ran, 1, "exactly one round");
    let intros = h.delivered().await;
    assert_eq!(
        intros.matches("🤝 Your introduction today:").count(),
        6,
        "one introduction per member"
    );
    assert_eq!(intros.matches("introductions are out").count(), 1);
    assert!(h.store.round(c.id, date).await.unwrap().is_some());
}

async fn a_bot_that_was_down_catches_up_once_before_the_day_ends(h: Harness) {
    // Set up the day before.
    h.set_time("2026-11-23T12:00:00Z");
    six_opted_in(&h).await;
    h.delivered().await;
    // Tuesday 08:59 in Amsterdam: not yet.
    h.set_time("2026-11-24T07:59:00Z");
    assert!(h.bot.scheduler().run_due_rounds().await.unwrap().is_empty());
    // The bot was down at 09:00 and starts at 22:30: it runs the round, once.
    h.set_time("2026-11-24T21:30:00Z");
    let done = h.bot.scheduler().run_due_rounds().await.unwrap();
    assert!(
        matches!(done.as_slice(), [(_, RoundOutcome::Ran { people: 6, .. })]),
        "{done:?}"
    );
    assert!(h.bot.scheduler().run_due_rounds().await.unwrap().is_empty());
    assert_eq!(h.delivered().await.matches("🤝 Your introduction today:").count(), 6);
    // Down all of Wednesday: that day is gone; Thursday 09:00 is the next round.
    h.set_time("2026-11-26T07:59:00Z");
    assert!(h.bot.scheduler().run_due_rounds().await.unwrap().is_empty());
    let c = h.console_community().await.unwrap();
    assert!(h
        .store
        .round(c.id, "2026-11-25".parse().unwrap())
        .await
        .unwrap()
        .is_none());
    h.set_time("2026-11-26T08:00:00Z");
    assert_eq!(h.bot.scheduler().run_due_rounds().await.unwrap().len(), 1);
    // Saturday: no round.
    h.set_time("2026-11-28T12:00:00Z");
    assert!(h.bot.scheduler().run_due_rounds().await.unwrap().is_empty());
}

/// Amsterdam skips 02:00–03:00 on 29 March 2026; New York repeats 01:00–02:00
/// on 1 November 2026. A round set at a time that does not exist, or exists
/// twice, still runs exactly once that day.
async fn rounds_on_daylight_saving_days(h: Harness) {
    h.set_time("2026-03-01T12:00:00Z");
    six_opted_in(&h).await;
    h.say("admin", "/settings pairing_days daily").await;
    h.say("admin", "/settings pairing_time 02:30").await;
    h.set_time("2026-03-29T00:59:00Z"); // 01:59 CET
    assert!(h.bot.scheduler().run_due_rounds().await.unwrap().is_empty());
    h.set_time("2026-03-29T01:00:00Z"); // 03:00 CEST: the end of the gap
    assert_eq!(h.bot.scheduler().run_due_rounds().await.unwrap().len(), 1);
    h.set_time("2026-03-29T21:00:00Z");
    assert!(h.bot.scheduler().run_due_rounds().await.unwrap().is_empty());

    // A community in New York pairing at 01:30.
    const NIA: TelegramUser = TelegramUser {
        id: "1",
        name: "Nia",
        username: Some("nia"),
        admin: true,
    };
    const MO: TelegramUser = TelegramUser {
        id: "2",
        name: "Mo",
        username: Some("mo"),
        admin: false,
    };
    let ny = |text: &'static str| h.telegram(&NIA, "-200", text);
    h.set_time("2026-10-31T12:00:00Z");
    for line in [
        "/setup America/New_York NYC Cowork",
        "/settings pairing_days daily",
        "/settings pairing_time 01:30",
        "/pairing on",
    ] {
        ny(line).await;
    }
    h.telegram(&MO, "-200", "/pairing on").await;
    h.set_time("2026-11-01T05:29:00Z"); // 01:29 EDT
    let due = ran_rounds(&h).await;
    assert!(!due.contains(&"NYC Cowork".to_string()), "{due:?}");
    h.set_time("2026-11-01T05:30:00Z"); // the first 01:30
    let due = ran_rounds(&h).await;
    assert!(due.contains(&"NYC Cowork".to_string()), "{due:?}");
    h.set_time("2026-11-01T06:30:00Z"); // the second 01:30
    let due = ran_rounds(&h).await;
    assert!(!due.contains(&"NYC Cowork".to_string()), "once that day: {due:?}");
}

async fn pairs_are_not_repeated_within_the_history_window(h: Harness) {
    h.community("admin", &[]).await;
    for who in ["p1", "p2", "p3", "p4"] {
        h.say(who, "/pairing on").await;
    }
    let c = h.console_community().await.unwrap();
    let mut seen = std::collections::BTreeSet::new();
    // Four people have three ways to pair up; three days use all three.
    for (day, date) in ["2026-11-24", "2026-11-25", "2026-11-26"].iter().enumerate() {
        h.set_time(&format!("{date}T09:00:00Z"));
        h.say("admin", "/pairnow").await;
        let round = h.store.round(c.id, date.parse().unwrap()).await.unwrap().unwrap();
        for g in &round.groups {
            assert!(seen.insert((g[0], g[1])), "day {day}: {g:?} again within the window");
        }
    }
    assert_eq!(seen.len(), 6);
    // Day four: every pair is a repeat; they are paired all the same.
    h.set_time("2026-11-27T09:00:00Z");
    assert!(h
        .text("admin", "/pairnow")
        .await
        .contains("Paired 4 people today: 2 pairs."));
}

async fn met_is_counted_once_and_shown_in_the_stats(h: Harness) {
    six_opted_in(&h).await;
    assert!(h
        .text("ann", "/met")
        .await
        .contains("You have no introduction to report yet."));
    h.say("admin", "/pairnow").await;
    assert_eq!(
        h.text("ann", "/met").await,
        "seatmate (only ann): Noted: glad you met @ben!\n"
    );
    assert!(h.text("ann", "/met").await.contains("Already noted"));
    h.say("ben", "/met").await;
    let settings = h.text("cat", "/settings").await;
    assert!(
        settings.contains("Rounds so far: 1; introductions reported as met: 2 of 6"),
        "{settings}"
    );
    // The next day, /met still refers to the latest introduction.
    h.set_time("2026-11-25T09:00:00Z");
    assert!(h.text("cat", "/met").await.contains("glad you met @dan"));
}

async fn settings_are_shown_to_all_and_changed_by_admins(h: Harness) {
    h.set_time("2026-11-24T06:00:00Z"); // 07:00 in Amsterdam
    h.community("admin", &[]).await;
    let shown = h.text("ann", "/settings").await;
    assert!(
        shown.contains("Pairing at 09:00 (Europe/Amsterdam) on mon-fri; pairs are not repeated within 8 weeks"),
        "{shown}"
    );
    assert!(
        shown.contains("Next round: Tue 24 Nov 09:00 (Europe/Amsterdam)"),
        "{shown}"
    );
    assert!(h
        .text("ann", "/settings pairing_time 10:00")
        .await
        .contains("Only admins of Utrecht Coworkers can use /settings pairing_time."));
    let changed = h.text("admin", "/settings pairing_time 10:30").await;
    assert!(
        changed.contains("Saved.") && changed.contains("Next round: Tue 24 Nov 10:30"),
        "{changed}"
    );
    // In order: each answer, or refusal, of a change after the one before.
    for (who, line, expected) in [
        (
            "admin",
            "/settings pairing_days sat,sun",
            "Next round: Sat 28 Nov 10:30",
        ),
        ("admin", "/settings history_weeks 4", "within 4 weeks"),
        ("admin", "/settings pairing_time 25:99", "'25:99' is not a time of day."),
        (
            "admin",
            "/settings pairing_days funday",
            "'funday' is not a day I know.",
        ),
        ("admin", "/settings history_weeks 0", "out of range"),
        ("admin", "/settings colour blue", "/settings has no 'colour'"),
        ("ann", "/pairnow", "Only admins"),
        ("admin", "/pairnow", "Nobody is in today's round yet"),
    ] {
        let answer = h.text(who, line).await;
        assert!(answer.contains(expected), "{who}: {line}: {answer}");
    }
    // The scheduled round with nobody in it marks the day as done.
    h.set_time("2026-11-28T09:30:00Z");
    let done = h.bot.scheduler().run_due_rounds().await.unwrap();
    assert!(
        matches!(done.as_slice(), [(_, RoundOutcome::Ran { people: 0, .. })]),
        "{done:?}"
    );
    h.say("ann", "/pairing on").await;
    assert!(
        h.bot.scheduler().run_due_rounds().await.unwrap().is_empty(),
        "no lonely late round"
    );
    assert!(h.text("ann", "/pairing").await.contains("Next round: Sun 29 Nov 10:30"));
}

/// Set up on Tuesday at 10:00 in Amsterdam, after its 09:00 pairing time:
/// no empty round closes the day; the first is Wednesday's, and every
/// "next round" names it, never a time already past.
async fn a_community_set_up_after_its_pairing_time_starts_at_the_next_one(h: Harness) {
    six_opted_in(&h).await;
    assert!(
        h.bot.scheduler().run_due_rounds().await.unwrap().is_empty(),
        "no round at once"
    );
    h.set_time("2026-11-24T20:00:00Z");
    assert!(
        h.bot.scheduler().run_due_rounds().await.unwrap().is_empty(),
        "nor later that day"
    );
    let next = "Wed 25 Nov 09:00 (Europe/Amsterdam)";
    let on = h.text("ann", "/pairing on").await;
    assert!(on.contains(&format!("Next round: {next}")), "{on}");
    let status = h.text("ann", "/pairing").await;
    assert!(status.contains(&format!("Next round: {next}")), "{status}");
    let mine = h.text("ann", "/match").await;
    assert!(mine.contains(&format!("the next is {next}")), "{mine}");
    h.set_time("2026-11-25T08:00:00Z");
    let done = h.bot.scheduler().run_due_rounds().await.unwrap();
    assert!(
        matches!(done.as_slice(), [(_, RoundOutcome::Ran { people: 6, .. })]),
        "{done:?}"
    );
}

on_both_backends!(
    a_community_set_up_after_its_pairing_time_starts_at_the_next_one,
    six_members_are_paired_and_each_match_names_the_partner,
    opting_out_pausing_and_inactivity_keep_people_out_of_the_pool,
    an_odd_pool_makes_one_trio_and_a_pool_of_one_gets_a_note,
    one_round_a_day_under_a_double_trigger_and_two_racing_processes,
    a_bot_that_was_down_catches_up_once_before_the_day_ends,
    rounds_on_daylight_saving_days,
    pairs_are_not_repeated_within_the_history_window,
    met_is_counted_once_and_shown_in_the_stats,
    settings_are_shown_to_all_and_changed_by_admins,
    the_round_pairs_todays_focus_with_who_can_help_and_says_so,
    a_question_reaches_who_can_help_and_the_first_helper_wins,
    not_now_the_daily_limit_closing_and_bad_input,
    questions_read_in_the_communitys_language,
    the_daily_limit_holds_when_two_processes_take_questions_at_once,
    a_report_counts_the_week_from_what_is_kept,
    the_weekly_digest_is_posted_once_on_its_day_without_names,
);
