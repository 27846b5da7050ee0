//! The Store contract for seats, on both backends: offers and their overlap
//! rule, requests placed by the core's decision under the offer's lock, the
//! waitlist and its promotion, host decisions and withdrawal, and the notices
//! each change writes with it.

mod support;
// After `support`: its macro is written before this uses it.
mod seat_use;

use chrono::NaiveDate;
use seatmate_bot::domain::{CommunityId, MemberId, Note, OfferId, Platform, SeatCount, TimeWindow};
use seatmate_bot::reply::Reply;
use seatmate_bot::store::{
    Admission, CancelOutcome, Cancellation, CreateOffer, DecideOutcome, Decision, DeliveryRecord, NewOffer, Offer,
    Outgoing, Profile, Refusal, RequestOutcome, RequestState, SeatRequest, Target, WithdrawOutcome, Withdrawal,
};
use support::*;

const NOW: &str = "2026-11-24T09:00:00Z";

fn new_offer(
    community: CommunityId,
    space: seatmate_bot::domain::SpaceId,
    host: MemberId,
    seats: i64,
    window: &str,
) -> NewOffer {
    let window = TimeWindow::parse(window).unwrap().unwrap();
    NewOffer {
        community,
        space,
        host,
        local_date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        window: Some(window),
        starts_at: t(&format!("2026-11-25T{}:00+01:00", window.start)),
        ends_at: t(&format!("2026-11-25T{}:00+01:00", window.end)),
        seats: SeatCount::new(seats).unwrap(),
        note: Note::parse("quiet room").unwrap(),
        release_after: Some(60),
        now: t(NOW),
    }
}

/// The core's usual rule: confirmed while seats remain, then the waitlist.
fn first_come(offer: &Offer, existing: Option<&SeatRequest>, _: &Profile) -> Admission {
    if existing.is_some_and(|r| r.state.is_active()) {
        Admission::Refuse(Refusal::AlreadyRequested)
    } else if offer.confirmed < offer.seats {
        Admission::Place(RequestState::Confirmed)
    } else {
        Admission::Place(RequestState::Waitlisted)
    }
}

fn to_chat(community: CommunityId, text: &str) -> Vec<Outgoing> {
    vec![Outgoing {
        community,
        target: Target::Chat {
            platform: Platform::Telegram,
            chat_id: "g1".into(),
        },
        body: Reply::to_chat()
            .line(vec![seatmate_bot::Span::Text(text.into())])
            .into(),
        subject: None,
    }]
}

/// An offer of `seats` with its announcement, and the members asking.
async fn offer_with(store: &S, seats: i64) -> (CommunityId, OfferId) {
    let (admin, community, space) = community(store).await;
    let created = store
        .create_offer(&new_offer(community.id, space.id, admin.member, seats, "9-17"), &|id| {
            to_chat(community.id, &format!("offer {id}"))
        })
        .await
        .unwrap();
    let CreateOffer::Created(id) = created else {
        panic!("{created:?}")
    };
    (community.id, id)
}

async fn ask(store: &S, community: CommunityId, offer: OfferId, who: &str) -> RequestOutcome {
    let member = enter(store, "g1", who).await.member;
    store
        .request_seat(community, offer, member, t(NOW), &first_come, &|_| Vec::new())
        .await
        .unwrap()
        .expect("the offer exists")
}

/// Delivers everything due, in the order the store hands it out; the texts.
async fn sent_to_chats(store: &S) -> Vec<String> {
    let mut texts = Vec::new();
    loop {
        let claimed = store
            .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:01:00Z"), 10, "test/claim")
            .await
            .unwrap();
        if claimed.is_empty() {
            return texts;
        }
        for envelope in claimed {
            texts.push(
                envelope
                    .body
                    .render(seatmate_bot::Locale::En)
                    .plain_text(Platform::Telegram),
            );
            store
                .record_delivery(
                    envelope.id,
                    &envelope.claim,
                    &DeliveryRecord::Sent { message_id: None },
                    t(NOW),
                )
                .await
                .unwrap();
        }
    }
}

fn placed(event: &RequestOutcome) -> &SeatRequest {
    match event {
        RequestOutcome::Placed(placed) => &placed.request,
        other => panic!("not placed: {other:?}"),
    }
}

async fn offers_are_announced_and_overlaps_refused(store: S) {
    let (admin, community, space) = community(&store).await;
    let first = store
        .create_offer(&new_offer(community.id, space.id, admin.member, 4, "9-13"), &|id| {
            to_chat(community.id, &format!("offer {id}"))
        })
        .await
        .unwrap();
    let CreateOffer::Created(id) = first else {
        panic!("{first:?}")
    };
    let overlapping = store
        .create_offer(&new_offer(community.id, space.id, admin.member, 2, "12-17"), &|_| {
            Vec::new()
        })
        .await
        .unwrap();
    assert_eq!(overlapping, CreateOffer::Overlaps(id));
    let after = store
        .create_offer(&new_offer(community.id, space.id, admin.member, 2, "13-17"), &|_| {
            Vec::new()
        })
        .await
        .unwrap();
    assert!(
        matches!(after, CreateOffer::Created(_)),
        "touching windows do not overlap"
    );

    let offer = store.offer(community.id, id).await.unwrap().unwrap();
    assert_eq!(
        (offer.seats, offer.confirmed, offer.note.as_str()),
        (4, 0, "quiet room")
    );
    assert_eq!(store.open_offers(community.id, t(NOW)).await.unwrap().len(), 2);
    assert!(store
        .open_offers(community.id, t("2026-11-25T17:00:00+01:00"))
        .await
        .unwrap()
        .is_empty());
    let announced = store
        .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:01:00Z"), 10, "test/claim")
        .await
        .unwrap();
    assert_eq!(announced.len(), 1);
    assert_eq!(
        announced[0]
            .body
            .render(seatmate_bot::Locale::En)
            .plain_text(Platform::Telegram),
        format!("offer {id}")
    );
    // Another community cannot read it.
    assert!(store
        .offer(CommunityId(community.id.0 + 1), id)
        .await
        .unwrap()
        .is_none());
}

async fn requests_fill_the_seats_then_the_waitlist_in_order(store: S) {
    let (community, offer) = offer_with(&store, 2).await;
    let ann = placed(&ask(&store, community, offer, "ann").await).clone();
    let bob = placed(&ask(&store, community, offer, "bob").await).clone();
    let cat = placed(&ask(&store, community, offer, "cat").await).clone();
    let dan = placed(&ask(&store, community, offer, "dan").await).clone();
    assert_eq!(
        (ann.state, bob.state),
        (RequestState::Confirmed, RequestState::Confirmed)
    );
    assert_eq!((cat.state, cat.position), (RequestState::Waitlisted, Some(1)));
    assert_eq!((dan.state, dan.position), (RequestState::Waitlisted, Some(2)));
    let counts = store.offer(community, offer).await.unwrap().unwrap();
    assert_eq!((counts.confirmed, counts.waitlisted), (2, 2));

    // Asking again changes nothing and says where one stands.
    match ask(&store, community, offer, "ann").await {
        RequestOutcome::NotAdmitted { refusal, request, .. } => {
            assert_eq!(refusal, Refusal::AlreadyRequested);
            assert_eq!(request.unwrap().id, ann.id);
        }
        other => panic!("{other:?}"),
    }
    let queue = store.offer_requests(community, offer).await.unwrap();
    let names: Vec<&str> = queue.iter().map(|(_, c)| c.card.display_name.as_str()).collect();
    assert_eq!(names, ["ann", "bob", "cat", "dan"]);
    assert!(store
        .request_seat(community, OfferId(999), ann.member, t(NOW), &first_come, &|_| Vec::new(
        ))
        .await
        .unwrap()
        .is_none());
}

async fn a_cancel_promotes_the_first_waitlisted_and_writes_its_notices(store: S) {
    let (community, offer) = offer_with(&store, 1).await;
    let ann = placed(&ask(&store, community, offer, "ann").await).clone();
    let bob = placed(&ask(&store, community, offer, "bob").await).clone();
    let cat = placed(&ask(&store, community, offer, "cat").await).clone();
    let event = store
        .cancel_request(
            community,
            ann.id,
            ann.member,
            t(NOW),
            &|change| match &change.promoted {
                Some((r, _)) => to_chat(community, &format!("promoted {}", r.id)),
                None => Vec::new(),
            },
        )
        .await
        .unwrap();
    let CancelOutcome::Cancelled(Cancellation {
        request,
        promoted,
        offer: after,
    }) = event
    else {
        panic!("{event:?}")
    };
    assert_eq!(request.state, RequestState::Cancelled);
    let (promoted, contact) = promoted.expect("bob moves up");
    assert_eq!((promoted.id, promoted.state), (bob.id, RequestState::Confirmed));
    assert_eq!(contact.card.display_name, "bob");
    assert_eq!((after.confirmed, after.waitlisted), (1, 1));
    let mine = store.member_requests(community, cat.member, t(NOW)).await.unwrap();
    assert_eq!(mine[0].0.position, Some(1), "cat is next now");
    assert_eq!(
        sent_to_chats(&store).await,
        [format!("offer {offer}"), format!("promoted {}", bob.id)]
    );

    // Someone else's request, or one cancelled already, is refused.
    let again = store
        .cancel_request(community, ann.id, ann.member, t(NOW), &|_| Vec::new())
        .await
        .unwrap();
    assert!(matches!(again, CancelOutcome::Refused { .. }), "{again:?}");
}

async fn hosts_decide_pending_requests_and_withdrawal_ends_all(store: S) {
    let (community, offer) = offer_with(&store, 1).await;
    let pending = |_: &Offer, _: Option<&SeatRequest>, _: &Profile| Admission::Place(RequestState::Pending);
    let mut requests = Vec::new();
    for who in ["ann", "bob", "cat"] {
        let member = enter(&store, "g1", who).await.member;
        let event = store
            .request_seat(community, offer, member, t(NOW), &pending, &|_| Vec::new())
            .await
            .unwrap()
            .unwrap();
        requests.push(placed(&event).clone());
    }
    let decide = |id, approve, reason: Option<&str>| {
        let store = store.clone();
        let reason = reason.map(String::from);
        async move {
            store
                .decide_request(community, id, approve, reason, t(NOW), &|_| Vec::new())
                .await
                .unwrap()
        }
    };
    let DecideOutcome::Decided(Decision { request, .. }) = decide(requests[0].id, true, None).await else {
        panic!()
    };
    assert_eq!(request.state, RequestState::Confirmed);
    let DecideOutcome::Decided(Decision { request, .. }) = decide(requests[1].id, true, None).await else {
        panic!()
    };
    assert_eq!(
        (request.state, request.position),
        (RequestState::Waitlisted, Some(1)),
        "full: waitlisted"
    );
    let DecideOutcome::Decided(Decision { request, .. }) = decide(requests[2].id, false, Some("booked")).await else {
        panic!()
    };
    assert_eq!(
        (request.state, request.reason.as_deref()),
        (RequestState::Declined, Some("booked"))
    );
    assert!(
        matches!(decide(requests[2].id, true, None).await, DecideOutcome::Refused { .. }),
        "decided already"
    );

    let event = store
        .withdraw_offer(community, offer, t(NOW), &|change| {
            to_chat(community, &format!("told {}", change.affected.len()))
        })
        .await
        .unwrap();
    let WithdrawOutcome::Withdrawn(Withdrawal { offer: gone, affected }) = event else {
        panic!("{event:?}")
    };
    assert!(gone.withdrawn);
    assert_eq!(affected.len(), 2, "the confirmed and the waitlisted one");
    assert!(store.open_offers(community, t(NOW)).await.unwrap().is_empty());
    let (request, _) = store.request(community, requests[0].id).await.unwrap().unwrap();
    assert_eq!(request.state, RequestState::Withdrawn);
}

/// Offer numbers (and request keys and button keys) never come back, even
/// after the rows with the highest numbers are deleted; a request's number on
/// its offer stays its own when its member asks again, and is never given to
/// another member's request.
async fn numbers_members_saw_never_come_to_mean_something_else(store: S) {
    let (admin, community, _) = community(&store).await;
    let popup = store
        .add_space(community.id, &new_space("pop-up"), t(NOW))
        .await
        .unwrap();
    let create = |space| {
        let offer = new_offer(community.id, space, admin.member, 2, "9-17");
        let store = store.clone();
        async move {
            match store.create_offer(&offer, &|_| Vec::new()).await.unwrap() {
                CreateOffer::Created(id) => id,
                other => panic!("{other:?}"),
            }
        }
    };
    let first = create(popup.id).await;
    let asked = ask(&store, community.id, first, "bea").await;
    let first_request = placed(&asked).id;
    let long = "/use ".to_string() + &"x".repeat(80);
    let key = store.button_key(&long, t(NOW)).await.unwrap();
    // The newest offer goes with its space; the next one gets a new number.
    store
        .remove_space(community.id, &seatmate_bot::domain::SpaceSlug::parse("pop-up").unwrap())
        .await
        .unwrap();
    assert_eq!(store.offer(community.id, first).await.unwrap(), None);
    let cafe = store.spaces(community.id).await.unwrap().remove(0);
    let second = create(cafe.id).await;
    assert!(second.0 > first.0, "offer #{} came back as #{}", first.0, second.0);
    let asked = ask(&store, community.id, second, "cas").await;
    assert!(placed(&asked).id.0 > first_request.0, "a request key came back");
    assert!(store.button_key(&(long + "y"), t(NOW)).await.unwrap() > key);

    // Numbers on an offer: Cas 1, Dan 2; Cas leaves and asks again: still 1;
    // Eve is 3, never Cas's or Dan's.
    let dan = ask(&store, community.id, second, "dan").await;
    assert_eq!((placed(&asked).number, placed(&dan).number), (1, 2));
    let cas = enter(&store, "g1", "cas").await.member;
    let cancelled = store
        .cancel_request(community.id, placed(&asked).id, cas, t(NOW), &|_| Vec::new())
        .await
        .unwrap();
    assert!(matches!(cancelled, CancelOutcome::Cancelled(_)), "{cancelled:?}");
    let again = ask(&store, community.id, second, "cas").await;
    assert_eq!(placed(&again).number, 1);
    let eve = ask(&store, community.id, second, "eve").await;
    assert_eq!(placed(&eve).number, 3);
    let numbers: Vec<u32> = store
        .offer_requests(community.id, second)
        .await
        .unwrap()
        .iter()
        .map(|(r, _)| r.number)
        .collect();
    assert_eq!(numbers, [2, 1, 3], "in queue order: Dan, Cas again, Eve");
}

/// A question a decision settles: what was not sent about it never goes,
/// what was sent loses its buttons (one edit to its recipient), and a copy
/// sent while it was being settled loses them at once.
async fn settling_a_request_drops_its_unsent_questions_and_clears_sent_buttons(store: S) {
    let (community, offer) = offer_with(&store, 2).await;
    sent_to_chats(&store).await; // the announcement
    let pending = |_: &Offer, _: Option<&SeatRequest>, _: &Profile| Admission::Place(RequestState::Pending);
    let question = |chat: &'static str| {
        move |change: &seatmate_bot::store::Placed| {
            to_chat(community, &format!("approve {}?", change.request.number))
                .into_iter()
                .map(|mut o| {
                    o.target = Target::Chat {
                        platform: Platform::Telegram,
                        chat_id: chat.into(),
                    };
                    o.about(seatmate_bot::store::Subject::Request(change.request.id))
                })
                .collect()
        }
    };
    let ann = enter(&store, "g1", "ann").await.member;
    let asked = store
        .request_seat(community, offer, ann, t(NOW), &pending, &question("host-a"))
        .await
        .unwrap()
        .unwrap();
    let bob = enter(&store, "g1", "bob").await.member;
    let bobs = store
        .request_seat(community, offer, bob, t(NOW), &pending, &question("host-b"))
        .await
        .unwrap()
        .unwrap();
    // Ann's question is sent (platform message 41); Bob's is being sent.
    let claimed = store
        .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:01:00Z"), 10, "w/1/0")
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let sent = DeliveryRecord::Sent {
        message_id: Some("41".into()),
    };
    store
        .record_delivery(claimed[0].id, "w/1/0", &sent, t(NOW))
        .await
        .unwrap();
    for request in [placed(&asked).id, placed(&bobs).id] {
        store
            .decide_request(community, request, true, None, t(NOW), &|_| Vec::new())
            .await
            .unwrap();
    }
    // Bob's copy comes back from the platform as sent after all.
    let sent = DeliveryRecord::Sent {
        message_id: Some("42".into()),
    };
    store
        .record_delivery(claimed[1].id, "w/1/0", &sent, t(NOW))
        .await
        .unwrap();
    let edits = store
        .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:01:00Z"), 10, "w/1/1")
        .await
        .unwrap();
    let cleared: Vec<(String, seatmate_bot::store::Body)> = edits
        .into_iter()
        .map(|e| {
            let seatmate_bot::store::Recipient::Chat(chat) = e.recipient else {
                panic!("{:?}", e.recipient)
            };
            (chat, e.body)
        })
        .collect();
    let clear = |id: &str| seatmate_bot::store::Body::ClearButtons {
        clear_buttons_of: id.into(),
    };
    assert_eq!(
        cleared,
        [("host-a".to_string(), clear("41")), ("host-b".to_string(), clear("42"))]
    );

    // A third asks; the offer is withdrawn before the question goes: it never does.
    let cat = enter(&store, "g1", "cat").await.member;
    store
        .request_seat(community, offer, cat, t(NOW), &pending, &question("host-c"))
        .await
        .unwrap();
    store
        .withdraw_offer(community, offer, t(NOW), &|_| Vec::new())
        .await
        .unwrap();
    let left = store
        .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:02:00Z"), 10, "w/1/2")
        .await
        .unwrap();
    assert!(
        left.iter()
            .all(|e| !matches!(e.recipient, seatmate_bot::store::Recipient::Chat(ref c) if c == "host-c")),
        "{left:?}"
    );
}

/// An announcement sent with platform id `55`, found again each time its
/// offer no longer looks as it shows, edited once per change whoever finds it.
async fn announcements_whose_offer_changed_are_found_and_edited_once(store: S) {
    use seatmate_bot::store::{Body, Subject};
    let (admin, community, space) = community(&store).await;
    let created = store
        .create_offer(&new_offer(community.id, space.id, admin.member, 2, "9-17"), &|id| {
            to_chat(community.id, "announcement")
                .into_iter()
                .map(|m| m.about(Subject::Offer(id)))
                .collect()
        })
        .await
        .unwrap();
    let CreateOffer::Created(offer) = created else {
        panic!("{created:?}")
    };
    let claimed = store
        .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:01:00Z"), 10, "w/1/0")
        .await
        .unwrap();
    let sent = DeliveryRecord::Sent {
        message_id: Some("55".into()),
    };
    store
        .record_delivery(claimed[0].id, "w/1/0", &sent, t(NOW))
        .await
        .unwrap();
    let living = |now: &'static str| {
        let store = &store;
        async move {
            store
                .living_announcements(Platform::Telegram, t(now), t("2026-11-20T00:00:00Z"), 10)
                .await
                .unwrap()
        }
    };
    assert!(living(NOW).await.is_empty(), "as sent: every seat free, open");

    ask(&store, community.id, offer, "ann").await;
    let found = living(NOW).await;
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].message_id.as_str(), found[0].offer, found[0].shows.as_deref()),
        ("55", offer, None)
    );
    assert_eq!(found[0].chat_id, "g1");
    let edit = Outgoing::new(
        community.id,
        Target::Chat {
            platform: Platform::Telegram,
            chat_id: "g1".into(),
        },
        Body::Edit {
            edit_of: "55".into(),
            edit: Box::new(Reply::to_chat().into()),
        },
    );
    assert!(store
        .edit_announcement(&found[0], "1/open", &edit, t(NOW))
        .await
        .unwrap());
    assert!(
        !store
            .edit_announcement(&found[0], "1/open", &edit, t(NOW))
            .await
            .unwrap(),
        "a second worker that found the same change writes nothing"
    );
    assert!(living(NOW).await.is_empty(), "it shows 1/open now");
    let edits = store
        .claim_outbox(Platform::Telegram, t(NOW), t("2026-11-24T09:01:00Z"), 10, "w/1/1")
        .await
        .unwrap();
    assert_eq!(
        edits.iter().map(|e| e.body.clone()).collect::<Vec<_>>(),
        std::slice::from_ref(&edit.body)
    );

    assert_eq!(living("2026-11-25T18:00:00Z").await.len(), 1, "over once it ended");
    store
        .withdraw_offer(community.id, offer, t(NOW), &|_| Vec::new())
        .await
        .unwrap();
    let found = living(NOW).await;
    assert_eq!(found[0].shows.as_deref(), Some("1/open"), "withdrawn");
    let long_after = store
        .living_announcements(
            Platform::Telegram,
            t("2026-11-28T00:00:00Z"),
            t("2026-11-27T00:00:00Z"),
            10,
        )
        .await
        .unwrap();
    assert!(
        long_after.is_empty(),
        "an offer that ended before `since` is left as it is"
    );
}

contract!(
    announcements_whose_offer_changed_are_found_and_edited_once,
    settling_a_request_drops_its_unsent_questions_and_clears_sent_buttons,
    numbers_members_saw_never_come_to_mean_something_else,
    offers_are_announced_and_overlaps_refused,
    requests_fill_the_seats_then_the_waitlist_in_order,
    a_cancel_promotes_the_first_waitlisted_and_writes_its_notices,
    hosts_decide_pending_requests_and_withdrawal_ends_all,
);
