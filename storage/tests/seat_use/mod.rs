//! The Store contract for seats that are used, on both backends: the
//! release rule per space and offer, claims by check-in, releases to the
//! waitlist, and a check-in racing a release (exactly one wins).

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use seatmate_bot::domain::{CommunityId, MemberId, Note, OfferId, Platform, SeatCount, SpaceId, TimeWindow};
use seatmate_bot::rules::release;
use seatmate_bot::store::{
    CreateOffer, NewCheckin, NewOffer, Offer, Outgoing, Release, RequestOutcome, RequestState, SeatRequest, Target,
};

use super::support::*;
use super::{ask, first_come, new_offer, placed, to_chat, NOW};

/// The core's rule, as the scheduler applies it.
fn due_at(now: &str) -> impl Fn(&Offer, &SeatRequest) -> bool + Send + Sync {
    let now = t(now);
    move |offer, request| release::is_due(offer, request, now)
}

/// A notice for each seat released and each promotion, each to a chat of
/// its own (the outbox hands out one message per chat at a time).
fn told(release: &Release) -> Vec<Outgoing> {
    let community = CommunityId(1);
    release
        .released
        .iter()
        .map(|(r, _)| format!("released-{}", r.member.0))
        .chain(release.promoted.iter().map(|(r, _)| format!("promoted-{}", r.member.0)))
        .flat_map(|text| {
            to_chat(community, &text).into_iter().map(move |mut notice| {
                notice.target = Target::Chat {
                    platform: Platform::Telegram,
                    chat_id: text.clone(),
                };
                notice
            })
        })
        .collect()
}

async fn nothing_released(store: &S, community: CommunityId, offer: OfferId, at: &str) {
    let released = store
        .release_seats(community, offer, t(at), &due_at(at), &told)
        .await
        .unwrap();
    assert_eq!(released, None, "nothing is released at {at}");
}

async fn state_of(store: &S, community: CommunityId, request: &SeatRequest) -> SeatRequest {
    store.request(community, request.id).await.unwrap().unwrap().0
}

fn arrival(community: CommunityId, member: MemberId, space: SpaceId, date: NaiveDate, now: &str) -> NewCheckin {
    NewCheckin {
        community,
        member,
        space: Some(space),
        local_date: date,
        now: t(now),
        until: None,
        ends_at: t(now) + Duration::hours(8),
        note: Note::default(),
    }
}

const DAY: &str = "2026-11-25";

fn day() -> NaiveDate {
    DAY.parse().unwrap()
}

/// A 9-17 offer of one seat on 25 Nov (08:00Z-16:00Z), Ann holding it and
/// Bob first in line; asked on the 24th, so Ann's deadline is 09:00Z.
async fn one_seat_two_people(store: &S) -> (CommunityId, SpaceId, OfferId, SeatRequest, SeatRequest) {
    let (admin, community, space) = community(store).await;
    let created = store
        .create_offer(&new_offer(community.id, space.id, admin.member, 1, "9-17"), &|_| {
            Vec::new()
        })
        .await
        .unwrap();
    let CreateOffer::Created(offer) = created else {
        panic!("{created:?}")
    };
    let ann = placed(&ask(store, community.id, offer, "ann").await).clone();
    let bob = placed(&ask(store, community.id, offer, "bob").await).clone();
    assert_eq!(
        (ann.state, bob.state),
        (RequestState::Confirmed, RequestState::Waitlisted)
    );
    (community.id, space.id, offer, ann, bob)
}

async fn an_unclaimed_seat_goes_to_the_first_in_line_at_its_deadline(store: S) {
    let (community, _, offer, ann, bob) = one_seat_two_people(&store).await;
    assert!(
        store
            .unclaimed_seats(t("2026-11-25T07:59:00Z"))
            .await
            .unwrap()
            .is_empty(),
        "nothing is looked at before the offer begins"
    );
    let found = store.unclaimed_seats(t("2026-11-25T08:30:00Z")).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.release_after, Some(60));
    let deadline = release::claim_deadline(&found[0].1, &found[0].2[0]);
    assert_eq!(deadline, Some(t("2026-11-25T09:00:00Z")), "10:00 in Amsterdam");

    let early = store
        .release_seats(
            community,
            offer,
            t("2026-11-25T08:59:30Z"),
            &due_at("2026-11-25T08:59:30Z"),
            &told,
        )
        .await
        .unwrap();
    assert_eq!(early, None, "a minute before the deadline nothing goes");

    let at = "2026-11-25T09:00:10Z";
    let released = store
        .release_seats(community, offer, t(at), &due_at(at), &told)
        .await
        .unwrap()
        .expect("due");
    assert_eq!(released.released.len(), 1);
    assert_eq!(released.released[0].0.member, ann.member);
    assert_eq!(released.promoted[0].0.member, bob.member);
    assert_eq!((released.offer.confirmed, released.offer.waitlisted), (1, 0));
    assert_eq!(state_of(&store, community, &ann).await.state, RequestState::Released);
    let bob_now = state_of(&store, community, &bob).await;
    assert_eq!(bob_now.state, RequestState::Confirmed);
    assert_eq!(
        release::claim_deadline(&released.offer, &bob_now),
        Some(t(at) + Duration::minutes(60)),
        "promoted after the deadline, Bob gets his own hour"
    );
    let written = store
        .claim_outbox(
            Platform::Telegram,
            t(at),
            t(at) + Duration::minutes(1),
            10,
            "test/claim",
        )
        .await
        .unwrap();
    assert_eq!(written.len(), 2, "the notices commit with the release");

    let again = "2026-11-25T09:01:00Z";
    assert_eq!(
        store
            .release_seats(community, offer, t(again), &due_at(again), &told)
            .await
            .unwrap(),
        None,
        "a release happens once"
    );
    let asked_again = ask(&store, community, offer, "ann").await;
    assert_eq!(
        placed(&asked_again).state,
        RequestState::Waitlisted,
        "Ann may ask again"
    );
}

async fn a_seat_claimed_by_checking_in_is_never_released(store: S) {
    let (community, space, offer, ann, _) = one_seat_two_people(&store).await;
    let now = t("2026-11-25T07:45:00Z");
    store
        .check_in(&arrival(community, ann.member, space, day(), "2026-11-25T07:45:00Z"))
        .await
        .unwrap();
    let claims = |o: &Offer| release::check_in_claims(o, day(), now);
    let seats = store
        .claim_seats(community, ann.member, space, day(), now, &claims)
        .await
        .unwrap();
    assert_eq!(seats.len(), 1);
    assert_eq!(seats[0].0.claimed_at, Some(now), "early counts");
    assert!(store
        .unclaimed_seats(t("2026-11-25T09:30:00Z"))
        .await
        .unwrap()
        .is_empty());
    nothing_released(&store, community, offer, "2026-11-25T12:00:00Z").await;
    let ann_now = state_of(&store, community, &ann).await;
    assert_eq!(
        (ann_now.state, ann_now.claimed_at),
        (RequestState::Confirmed, Some(now))
    );
}

async fn a_check_in_without_a_claim_still_keeps_the_seat(store: S) {
    // The check-in was written, the claim not (a crash between): the
    // release honours the check-in itself.
    let (community, space, offer, ann, _) = one_seat_two_people(&store).await;
    store
        .check_in(&arrival(community, ann.member, space, day(), "2026-11-25T08:10:00Z"))
        .await
        .unwrap();
    nothing_released(&store, community, offer, "2026-11-25T12:00:00Z").await;
    assert_eq!(state_of(&store, community, &ann).await.state, RequestState::Confirmed);
}

async fn the_rule_follows_its_space_for_offers_not_yet_begun(store: S) {
    let (admin, community, space) = community(&store).await;
    assert_eq!(
        store.spaces(community.id).await.unwrap()[0].release_after,
        Some(60),
        "the default"
    );
    let mut today = new_offer(community.id, space.id, admin.member, 2, "9-12");
    today.local_date = "2026-11-24".parse().unwrap();
    today.starts_at = t("2026-11-24T08:00:00Z");
    today.ends_at = t("2026-11-24T11:00:00Z");
    let tomorrow = new_offer(community.id, space.id, admin.member, 2, "9-17");
    let mut ids = Vec::new();
    for offer in [today, tomorrow] {
        match store.create_offer(&offer, &|_| Vec::new()).await.unwrap() {
            CreateOffer::Created(id) => ids.push(id),
            other => panic!("{other:?}"),
        }
    }
    store
        .set_release_after(community.id, space.id, Some(30), t(NOW))
        .await
        .unwrap();
    let minutes = |offer: Option<Offer>| offer.unwrap().release_after;
    assert_eq!(store.spaces(community.id).await.unwrap()[0].release_after, Some(30));
    assert_eq!(
        minutes(store.offer(community.id, ids[0]).await.unwrap()),
        Some(60),
        "under way: kept"
    );
    assert_eq!(
        minutes(store.offer(community.id, ids[1]).await.unwrap()),
        Some(30),
        "not begun: follows"
    );
    store
        .set_release_after(community.id, space.id, None, t(NOW))
        .await
        .unwrap();
    assert_eq!(store.spaces(community.id).await.unwrap()[0].release_after, None);
    assert_eq!(minutes(store.offer(community.id, ids[1]).await.unwrap()), None);
    assert!(matches!(
        store
            .set_release_after(CommunityId(community.id.0 + 99), space.id, Some(30), t(NOW))
            .await,
        Err(seatmate_bot::store::StoreError::NotFound)
    ));
}

/// Rounds of a check-in and a release of the same seat at the same
/// moment, past its deadline: every round has exactly one winner.
async fn a_check_in_racing_a_release_has_exactly_one_winner(store: S) {
    const ROUNDS: i64 = 24;
    let (admin, community, space) = community(&store).await;
    let ann = enter(&store, "g1", "ann").await.member;
    let (mut claims_won, mut releases_won) = (0, 0);
    for round in 0..ROUNDS {
        let date = day() + Duration::days(round);
        let starts = seatmate_bot::localtime::resolve(
            date,
            "09:00".parse().unwrap(),
            seatmate_bot::domain::Zone::parse("Europe/Amsterdam").unwrap().0,
        );
        let offer = NewOffer {
            local_date: date,
            window: TimeWindow::parse("9-17").unwrap().ok(),
            starts_at: starts,
            ends_at: starts + Duration::hours(8),
            seats: SeatCount::new(1).unwrap(),
            ..new_offer(community.id, space.id, admin.member, 1, "9-17")
        };
        let CreateOffer::Created(id) = store.create_offer(&offer, &|_| Vec::new()).await.unwrap() else {
            panic!("overlap")
        };
        let RequestOutcome::Placed(placed) = store
            .request_seat(community.id, id, ann, t(NOW), &first_come, &|_| Vec::new())
            .await
            .unwrap()
            .unwrap()
        else {
            panic!("not placed")
        };
        let now = starts + Duration::minutes(61);
        let (a, b) = (Arc::clone(&store), Arc::clone(&store));
        let claim = async move {
            a.check_in(&NewCheckin {
                community: community.id,
                member: ann,
                space: Some(space.id),
                local_date: date,
                now,
                until: None,
                ends_at: now + Duration::hours(4),
                note: Note::default(),
            })
            .await
            .unwrap();
            let claims = move |o: &Offer| release::check_in_claims(o, date, now);
            a.claim_seats(community.id, ann, space.id, date, now, &claims)
                .await
                .unwrap()
        };
        let release = async move {
            let due = move |o: &Offer, r: &SeatRequest| release::is_due(o, r, now);
            b.release_seats(community.id, id, now, &due, &told).await.unwrap()
        };
        // Started in turn first, so that both orders are raced.
        let (seen, released) = if round % 2 == 0 {
            let claim = tokio::spawn(claim);
            let release = tokio::spawn(release);
            (claim.await.unwrap(), release.await.unwrap())
        } else {
            let release = tokio::spawn(release);
            let claim = tokio::spawn(claim);
            (claim.await.unwrap(), release.await.unwrap())
        };
        let stored = state_of(&store, community.id, &placed.request).await;
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].0, stored, "the check-in says what the store holds");
        match (stored.state, released) {
            (RequestState::Confirmed, None) => {
                assert_eq!(stored.claimed_at, Some(now));
                claims_won += 1;
            }
            (RequestState::Released, Some(release)) => {
                assert_eq!(stored.claimed_at, None);
                assert_eq!(release.released.len(), 1);
                releases_won += 1;
            }
            other => panic!("round {round}: both or neither won: {other:?}"),
        }
    }
    println!("check-in won {claims_won}, release won {releases_won} of {ROUNDS}");
}

/// A seat for `member` on `offer`, whatever its counts (an approval).
async fn seat_for(store: &S, community: CommunityId, offer: OfferId, member: MemberId) -> SeatRequest {
    let confirm = |_: &Offer, _: Option<&SeatRequest>, _: &seatmate_bot::store::Profile| {
        seatmate_bot::store::Admission::Place(RequestState::Confirmed)
    };
    let placed_now = store
        .request_seat(community, offer, member, t(NOW), &confirm, &|_| Vec::new())
        .await
        .unwrap()
        .unwrap();
    placed(&placed_now).clone()
}

/// The seats owed a reminder leave out the host's own, those of members
/// who turned reminders off and of holders checked in; a reminder is
/// stamped and queued once, however many ask at once.
async fn reminders_go_once_to_holders_who_want_them(store: S) {
    use seatmate_bot::rules::reminders::Reminder;
    let (community, space, offer, ann, bob) = one_seat_two_people(&store).await;
    let host = store.offer(community, offer).await.unwrap().unwrap().host;
    let cat = seat_for(&store, community, offer, enter(&store, "g1", "cat").await.member).await;
    let dan = seat_for(&store, community, offer, enter(&store, "g1", "dan").await.member).await;
    let own = seat_for(&store, community, offer, host).await;
    assert_eq!(own.member, host);
    store.set_seat_reminders(dan.member, false).await.unwrap();
    assert!(!store.seat_reminders(dan.member).await.unwrap());
    assert!(store.seat_reminders(cat.member).await.unwrap(), "on unless turned off");
    store
        .check_in(&arrival(community, cat.member, space, day(), "2026-11-25T07:30:00Z"))
        .await
        .unwrap();

    let now = t("2026-11-25T07:40:00Z");
    let owed = store.seats_to_remind(now, now + Duration::hours(31)).await.unwrap();
    let members: Vec<MemberId> = owed.iter().map(|(_, _, r)| r.member).collect();
    assert_eq!(
        members,
        vec![ann.member],
        "not Bob (waiting), Cat (here), Dan (off), the host"
    );
    assert!(
        store
            .seats_to_remind(now, t("2026-11-25T07:59:00Z"))
            .await
            .unwrap()
            .is_empty(),
        "offers beginning after `until` are left for later"
    );

    let notice = &to_chat(community, "reminder")[0];
    let (a, b) = (Arc::clone(&store), Arc::clone(&store));
    let (n1, n2) = (notice.clone(), notice.clone());
    let (one, two) = tokio::join!(
        async move { a.remind(ann.id, Reminder::Eve, now, &n1).await.unwrap() },
        async move { b.remind(ann.id, Reminder::Eve, now, &n2).await.unwrap() },
    );
    assert!(one ^ two, "stamped once: {one} {two}");
    let queued = store
        .claim_outbox(Platform::Telegram, now, now + Duration::minutes(1), 10, "test/claim")
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    let stamped = state_of(&store, community, &ann).await;
    assert_eq!(stamped.reminded_eve_at, Some(now));

    // Claimed since: the late reminder is not written.
    let claims = |o: &Offer| release::check_in_claims(o, day(), now);
    store
        .claim_seats(community, ann.member, space, day(), now, &claims)
        .await
        .unwrap();
    assert!(!store.remind(ann.id, Reminder::Late, now, notice).await.unwrap());
    assert!(
        !store.remind(bob.id, Reminder::Eve, now, notice).await.unwrap(),
        "no seat, no reminder"
    );
    assert!(store.mark_coming(cat.id, now).await.unwrap());
    assert_eq!(state_of(&store, community, &cat).await.coming_at, Some(now));
    assert!(!store.mark_coming(bob.id, now).await.unwrap(), "waiting is not holding");
}

crate::contract!(
    reminders_go_once_to_holders_who_want_them,
    an_unclaimed_seat_goes_to_the_first_in_line_at_its_deadline,
    a_seat_claimed_by_checking_in_is_never_released,
    a_check_in_without_a_claim_still_keeps_the_seat,
    the_rule_follows_its_space_for_offers_not_yet_begun,
    a_check_in_racing_a_release_has_exactly_one_winner,
);
