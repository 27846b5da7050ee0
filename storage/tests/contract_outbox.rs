//! The Store contract for the outbox and pairing rounds, on both backends:
//! claims and leases, messages to one recipient in order, held private
//! messages, notices addressed to whoever keeps a space, and one round per
//! community and day with its history and stats.

mod support;

use chrono::{Duration, NaiveDate};
use seatmate_bot::domain::{CommunityId, MemberId, Platform};
use seatmate_bot::reply::Reply;
use seatmate_bot::store::{
    CreateRound, DeliveryRecord, NewRound, OutboxCounts, Outgoing, PairingPrefs, Recipient, RoundTrigger, Target,
};
use seatmate_bot::Span;
use support::*;

const NOW: &str = "2026-11-24T09:00:00Z";

fn text(s: &str) -> Reply {
    Reply::to_chat().line(vec![Span::Text(s.into())])
}

fn to(community: CommunityId, target: Target, s: &str) -> Outgoing {
    Outgoing {
        community,
        target,
        body: text(s).into(),
        subject: None,
    }
}

fn group(chat: &str) -> Target {
    Target::Chat {
        platform: Platform::Telegram,
        chat_id: chat.into(),
    }
}

async fn claim(store: &S, at: &str, limit: u32) -> Vec<seatmate_bot::store::Envelope> {
    let now = t(at);
    store
        .claim_outbox(
            Platform::Telegram,
            now,
            now + Duration::seconds(60),
            limit,
            "test/claim",
        )
        .await
        .unwrap()
}

async fn record(store: &S, id: i64, record: DeliveryRecord) {
    store.record_delivery(id, "test/claim", &record, t(NOW)).await.unwrap();
}

fn texts(claimed: &[seatmate_bot::store::Envelope]) -> Vec<String> {
    claimed
        .iter()
        .map(|e| e.body.render(seatmate_bot::Locale::En).plain_text(Platform::Telegram))
        .collect()
}

/// A community with three messages due: two to chat g1, one to g2 between.
async fn two_chats_three_messages(store: &S) {
    let (_, community, _) = community(store).await;
    let messages = vec![
        to(community.id, group("g1"), "g1 first"),
        to(community.id, group("g2"), "g2 first"),
        to(community.id, group("g1"), "g1 second"),
    ];
    store.enqueue(&messages, t(NOW)).await.unwrap();
}

/// The outbox by state, as `/metrics` samples it: due until claimed, claimed
/// while the lease runs, given up once dead.
async fn the_outbox_is_counted_by_state(store: S) {
    two_chats_three_messages(&store).await;
    let counts = |due, claimed, dead| OutboxCounts {
        due,
        claimed,
        held: 0,
        dead,
    };
    assert_eq!(store.outbox_counts(t(NOW)).await.unwrap(), counts(3, 0, 0));
    let first = claim(&store, NOW, 10).await;
    assert_eq!(store.outbox_counts(t(NOW)).await.unwrap(), counts(1, 2, 0));
    record(&store, first[0].id, DeliveryRecord::Dead { error: "gone".into() }).await;
    assert_eq!(store.outbox_counts(t(NOW)).await.unwrap(), counts(1, 1, 1));
    // A lease run out is due again.
    assert_eq!(
        store.outbox_counts(t("2026-11-24T09:05:00Z")).await.unwrap(),
        counts(2, 0, 1)
    );
}

async fn claims_lease_and_messages_to_one_chat_go_in_order(store: S) {
    two_chats_three_messages(&store).await;
    let first = claim(&store, NOW, 10).await;
    assert_eq!(texts(&first), ["g1 first", "g2 first"], "one head per chat");
    assert!(
        claim(&store, NOW, 10).await.is_empty(),
        "leased, and g1's second waits for its first"
    );

    // A retry holds the chat's queue; its lease running out gives it back.
    record(
        &store,
        first[0].id,
        DeliveryRecord::Retry {
            at: t("2026-11-24T09:00:30Z"),
            error: "502".into(),
        },
    )
    .await;
    record(
        &store,
        first[1].id,
        DeliveryRecord::Sent {
            message_id: Some("m1".into()),
        },
    )
    .await;
    assert!(claim(&store, "2026-11-24T09:00:10Z", 10).await.is_empty());
    let retried = claim(&store, "2026-11-24T09:00:30Z", 10).await;
    assert_eq!(
        (texts(&retried), retried[0].attempts),
        (vec!["g1 first".to_string()], 2)
    );
    // Given back unsent (a rate limit): due again then, not an attempt.
    record(
        &store,
        retried[0].id,
        DeliveryRecord::Released {
            at: t("2026-11-24T09:00:40Z"),
        },
    )
    .await;
    let again = claim(&store, "2026-11-24T09:00:40Z", 10).await;
    assert_eq!(again[0].attempts, 2);
    // A worker that died: its claim comes back when the lease is over.
    assert!(claim(&store, "2026-11-24T09:01:20Z", 10).await.is_empty());
    let back = claim(&store, "2026-11-24T09:01:41Z", 10).await;
    assert_eq!(texts(&back), ["g1 first"]);
    record(&store, back[0].id, DeliveryRecord::Sent { message_id: None }).await;
    assert_eq!(texts(&claim(&store, "2026-11-24T09:02:00Z", 10).await), ["g1 second"]);
}

async fn refused_private_messages_are_held_nudged_once_and_released(store: S) {
    let (_, community, _) = community(&store).await;
    let ann = enter(&store, "g1", "ann").await.member;
    let nudge = || Some(to(community.id, group("g1"), "nudge"));
    store
        .enqueue(
            &[
                to(community.id, Target::Member(ann), "private one"),
                to(community.id, Target::Member(ann), "private two"),
            ],
            t(NOW),
        )
        .await
        .unwrap();
    let first = claim(&store, NOW, 10).await;
    assert_eq!(texts(&first), ["private one"]);
    assert_eq!(first[0].recipient, Recipient::Member("ann".into()));
    assert_eq!(first[0].fallback_chat.as_deref(), Some("g1"));
    record(
        &store,
        first[0].id,
        DeliveryRecord::Held {
            error: "403".into(),
            nudge: nudge(),
        },
    )
    .await;
    let second = claim(&store, NOW, 10).await;
    assert_eq!(
        texts(&second),
        ["private two", "nudge"],
        "a held message holds nothing up"
    );
    record(
        &store,
        second[0].id,
        DeliveryRecord::Held {
            error: "403".into(),
            nudge: nudge(),
        },
    )
    .await;
    record(&store, second[1].id, DeliveryRecord::Sent { message_id: None }).await;
    assert!(
        claim(&store, "2026-11-24T10:00:00Z", 10).await.is_empty(),
        "held, and one nudge only"
    );

    // Released on another platform: nothing; on Telegram: both, in order,
    // as one digest in the first one's place.
    assert_eq!(store.release_held(ann, Platform::Discord, t(NOW)).await.unwrap(), 0);
    assert_eq!(store.release_held(ann, Platform::Telegram, t(NOW)).await.unwrap(), 1);
    let released = claim(&store, "2026-11-24T10:00:00Z", 10).await;
    assert_eq!(
        texts(&released),
        ["While I couldn't write to you privately, 2 messages waited here:\n—\nprivate one\n—\nprivate two"]
    );
    assert!(
        claim(&store, "2026-11-24T10:00:00Z", 10).await.is_empty(),
        "the second went with it"
    );

    // Held again, then handed over by /inbox: delivered, never claimed again.
    record(
        &store,
        released[0].id,
        DeliveryRecord::Held {
            error: "403".into(),
            nudge: None,
        },
    )
    .await;
    store
        .enqueue(&[to(community.id, Target::Member(ann), "private three")], t(NOW))
        .await
        .unwrap();
    let next = claim(&store, "2026-11-24T10:00:00Z", 10).await;
    record(
        &store,
        next[0].id,
        DeliveryRecord::Held {
            error: "403".into(),
            nudge: None,
        },
    )
    .await;
    let inbox = store.take_held(ann, t(NOW)).await.unwrap();
    let inbox: Vec<String> = inbox
        .iter()
        .map(|r| r.render(seatmate_bot::Locale::En).plain_text(Platform::Telegram))
        .collect();
    assert_eq!(
        inbox,
        [
            "While I couldn't write to you privately, 2 messages waited here:\n—\nprivate one\n—\nprivate two",
            "private three"
        ]
    );
    assert!(store.take_held(ann, t(NOW)).await.unwrap().is_empty());
    assert!(claim(&store, "2026-11-24T11:00:00Z", 10).await.is_empty());
}

async fn a_held_message_of_another_community_is_nudged_in_its_own_chat(store: S) {
    let (_, utrecht, _) = community(&store).await;
    let ann = enter(&store, "g1", "ann").await.member;
    let admin = enter(&store, "g2", "admin2").await;
    let amsterdam = store
        .create_community(
            &chat("g2"),
            &seatmate_bot::domain::CommunityName::parse("Amsterdam Coworkers").unwrap(),
            seatmate_bot::domain::Zone::parse("Europe/Amsterdam").unwrap(),
            admin.member,
            t(NOW),
        )
        .await
        .unwrap();
    assert_eq!(enter(&store, "g2", "ann").await.member, ann);
    let mut nudges = Vec::new();
    for (community, chat_id) in [(utrecht.id, "g1"), (amsterdam.id, "g2")] {
        store
            .enqueue(&[to(community, Target::Member(ann), "private")], t(NOW))
            .await
            .unwrap();
        let (held, chats): (Vec<_>, Vec<_>) = claim(&store, NOW, 10)
            .await
            .into_iter()
            .partition(|e| matches!(e.recipient, Recipient::Member(_)));
        nudges.extend(texts(&chats));
        assert_eq!(held[0].fallback_chat.as_deref(), Some(chat_id));
        record(
            &store,
            held[0].id,
            DeliveryRecord::Held {
                error: "403".into(),
                nudge: Some(to(community, group(chat_id), &format!("nudge in {chat_id}"))),
            },
        )
        .await;
    }
    nudges.extend(texts(&claim(&store, NOW, 10).await));
    assert_eq!(nudges, ["nudge in g1", "nudge in g2"], "one nudge in each chat");
}

async fn notices_go_to_the_hosts_of_the_space_or_else_its_admins(store: S) {
    let (_, community, space) = community(&store).await;
    let hanna = enter(&store, "g1", "hanna").await.member;
    let keepers = || {
        vec![to(
            community.id,
            Target::Keepers {
                space: space.id,
                but: None,
            },
            "new request",
        )]
    };
    let recipients = |claimed: Vec<seatmate_bot::store::Envelope>| -> Vec<Recipient> {
        claimed.into_iter().map(|e| e.recipient).collect()
    };
    store.enqueue(&keepers(), t(NOW)).await.unwrap();
    assert_eq!(
        recipients(claim(&store, NOW, 10).await),
        [Recipient::Member("admin".into())]
    );
    assert!(store.set_host(space.id, hanna, true).await.unwrap());
    store.enqueue(&keepers(), t(NOW)).await.unwrap();
    assert_eq!(
        recipients(claim(&store, NOW, 10).await),
        [Recipient::Member("hanna".into())]
    );
}

/// What a host digest needs of the store: what went to a member lately,
/// what waits behind a claimed message, and gathering it in, under the claim.
async fn messages_waiting_behind_a_claimed_one_are_gathered_into_it(store: S) {
    let (_, community, _) = community(&store).await;
    let hanna = enter(&store, "g1", "hanna").await.member;
    let to_hanna = |s: &str| to(community.id, Target::Member(hanna), s);
    store.enqueue(&[to_hanna("first")], t(NOW)).await.unwrap();
    let first = claim(&store, NOW, 10).await;
    record(
        &store,
        first[0].id,
        DeliveryRecord::Sent {
            message_id: Some("1".into()),
        },
    )
    .await;
    let recent = store
        .sent_to_since(Platform::Telegram, "hanna", t(NOW) - Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert_eq!(recent[0].0, t(NOW));
    assert!(store
        .sent_to_since(Platform::Telegram, "hanna", t(NOW))
        .await
        .unwrap()
        .is_empty());

    let later = vec![to_hanna("second"), to_hanna("third"), to_hanna("fourth")];
    store.enqueue(&later, t(NOW)).await.unwrap();
    let head = claim(&store, NOW, 10).await;
    assert_eq!(texts(&head), ["second"]);
    let behind = store.waiting_behind(head[0].id).await.unwrap();
    let behind_texts: Vec<String> = behind
        .iter()
        .map(|(_, b)| b.render(seatmate_bot::Locale::En).plain_text(Platform::Telegram))
        .collect();
    assert_eq!(behind_texts, ["third", "fourth"]);
    let digest: seatmate_bot::store::Body = text("second, third").into();
    assert!(
        !store
            .gather_into(head[0].id, "another/claim", &digest, &[behind[0].0], t(NOW))
            .await
            .unwrap(),
        "not under another's claim"
    );
    assert!(store
        .gather_into(head[0].id, "test/claim", &digest, &[behind[0].0], t(NOW))
        .await
        .unwrap());
    record(&store, head[0].id, DeliveryRecord::Sent { message_id: None }).await;
    assert_eq!(
        texts(&claim(&store, NOW, 10).await),
        ["fourth"],
        "the third went inside the digest; the fourth was left out"
    );
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn one_round_a_day_with_its_history_and_stats(store: S) {
    let (_, community, _) = community(&store).await;
    let mut members = Vec::new();
    for who in ["ann", "bob", "cat", "dan"] {
        let member = enter(&store, "g1", who).await.member;
        let prefs = PairingPrefs {
            opted_in: who != "dan",
            paused_until: (who == "cat").then(|| date("2026-11-26")),
        };
        store.set_pairing_prefs(community.id, member, &prefs).await.unwrap();
        members.push(member);
    }
    let pool = store
        .pairing_pool(community.id, date("2026-11-24"), t("2026-11-01T00:00:00Z"))
        .await
        .unwrap();
    let names: Vec<&str> = pool.iter().map(|e| e.contact.card.display_name.as_str()).collect();
    assert_eq!(names, ["ann", "bob"], "dan is out, cat paused");
    assert!(pool.iter().all(|e| e.focus.is_empty()), "nobody checked in");
    // Bob checks in with a note: his focus for the day's round.
    store
        .check_in(&seatmate_bot::store::NewCheckin {
            community: community.id,
            member: members[1],
            space: None,
            local_date: date("2026-11-24"),
            now: t(NOW),
            until: None,
            ends_at: t("2026-11-24T23:00:00Z"),
            note: seatmate_bot::domain::Note::parse("postgres migration").unwrap(),
        })
        .await
        .unwrap();
    let pool = store
        .pairing_pool(community.id, date("2026-11-24"), t("2026-11-01T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(pool[1].focus.as_str(), "postgres migration");
    assert!(pool[0].focus.is_empty());
    let round = |day: &str, groups: Vec<Vec<MemberId>>| NewRound {
        community: community.id,
        local_date: date(day),
        seed: 7,
        trigger: RoundTrigger::Schedule,
        groups,
        now: t(NOW),
    };
    let intro = vec![to(community.id, Target::Member(members[0]), "meet bob")];
    let created = store
        .create_round(&round("2026-11-24", vec![vec![members[0], members[1]]]), &intro)
        .await
        .unwrap();
    assert!(matches!(created, CreateRound::Created(_)));
    assert_eq!(
        store.create_round(&round("2026-11-24", vec![]), &intro).await.unwrap(),
        CreateRound::AlreadyRan,
        "one a day, whoever asks"
    );
    assert_eq!(
        texts(&claim(&store, NOW, 10).await),
        ["meet bob"],
        "the second wrote nothing"
    );
    let saved = store.round(community.id, date("2026-11-24")).await.unwrap().unwrap();
    assert_eq!(
        (saved.seed, saved.groups.clone()),
        (7, vec![vec![members[0], members[1]]])
    );
    let history = store.pair_history(community.id, date("2026-11-01")).await.unwrap();
    assert_eq!(history.len(), 1);
    let (latest, partners) = store
        .latest_group(community.id, members[1], date("2026-11-30"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((latest.local_date, partners.len()), (date("2026-11-24"), 2));
    assert!(store.mark_met(latest.id, members[1], t(NOW)).await.unwrap());
    assert!(!store.mark_met(latest.id, members[1], t(NOW)).await.unwrap(), "once");
    let stats = store.pairing_stats(community.id).await.unwrap();
    assert_eq!((stats.rounds, stats.placed, stats.met), (1, 2, 1));
}

async fn long_button_commands_are_kept_once_under_a_key(store: S) {
    let long = format!("/use {}", "Utrecht Coworkers and Friends of the Library".repeat(2));
    let key = store.button_key(&long, t(NOW)).await.unwrap();
    assert_eq!(
        store.button_key(&long, t(NOW)).await.unwrap(),
        key,
        "the same key again"
    );
    let other = store.button_key("/use Lisbon", t(NOW)).await.unwrap();
    assert_ne!(other, key);
    assert_eq!(store.button_command(key).await.unwrap(), Some(long));
    assert_eq!(store.button_command(key + other + 1000).await.unwrap(), None);
}

/// A claim's marks name its token: a worker whose lease ran out cannot
/// mark the claim of the one that took the row over; an instance's dead
/// claims are taken back at once, and no other instance's.
async fn claims_are_fenced_and_an_instances_dead_claims_come_back(store: S) {
    let (_, community, _) = community(&store).await;
    let messages = [
        to(community.id, group("g1"), "one"),
        to(community.id, group("g2"), "two"),
    ];
    store.enqueue(&messages, t(NOW)).await.unwrap();
    let at = |s: &str| (t(s), t(s) + Duration::seconds(60));
    let (now, lease) = at(NOW);
    let slow = store
        .claim_outbox(Platform::Telegram, now, lease, 1, "bot-1/run-a/0")
        .await
        .unwrap();
    assert_eq!(texts(&slow), ["one"]);
    assert_eq!(slow[0].claim, "bot-1/run-a/0");
    // Its lease runs out; another worker takes the message over and sends it.
    let (later, lease) = at("2026-11-24T09:01:30Z");
    let taken = store
        .claim_outbox(Platform::Telegram, later, lease, 1, "bot-2/run-b/0")
        .await
        .unwrap();
    assert_eq!((texts(&taken), taken[0].id), (vec!["one".to_string()], slow[0].id));
    let sent = DeliveryRecord::Sent { message_id: None };
    let retry = DeliveryRecord::Retry {
        at: later,
        error: "late".into(),
    };
    assert!(!store
        .record_delivery(slow[0].id, &slow[0].claim, &retry, later)
        .await
        .unwrap());
    assert!(store
        .record_delivery(taken[0].id, &taken[0].claim, &sent, later)
        .await
        .unwrap());
    assert!(!store
        .record_delivery(slow[0].id, &slow[0].claim, &sent, later)
        .await
        .unwrap());

    // bot-1 dies holding "two"; bot-10 is another instance.
    let held = store
        .claim_outbox(Platform::Telegram, later, lease, 1, "bot-1/run-a/1")
        .await
        .unwrap();
    assert_eq!(texts(&held), ["two"]);
    assert_eq!(store.take_back_claims("bot-10/", later).await.unwrap(), 0);
    assert_eq!(store.take_back_claims("bot-1/", later).await.unwrap(), 1);
    let again = store
        .claim_outbox(Platform::Telegram, later, lease, 5, "bot-1/run-c/0")
        .await
        .unwrap();
    assert_eq!(
        (texts(&again), again[0].attempts),
        (vec!["two".to_string()], 1),
        "due at once, the dead claim not counted as an attempt"
    );
}

contract!(
    the_outbox_is_counted_by_state,
    messages_waiting_behind_a_claimed_one_are_gathered_into_it,
    claims_are_fenced_and_an_instances_dead_claims_come_back,
    long_button_commands_are_kept_once_under_a_key,
    claims_lease_and_messages_to_one_chat_go_in_order,
    refused_private_messages_are_held_nudged_once_and_released,
    a_held_message_of_another_community_is_nudged_in_its_own_chat,
    notices_go_to_the_hosts_of_the_space_or_else_its_admins,
    one_round_a_day_with_its_history_and_stats,
);
