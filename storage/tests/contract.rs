//! The Store contract: the same stories against every backend. Each story is an
//! async fn taking a fresh store; the macro at the bottom runs each one on a new
//! SQLite file and on a new PostgreSQL schema (when SEATMATE_TEST_POSTGRES_URL is
//! set).

mod support;

use chrono::NaiveDate;
use seatmate_bot::domain::{CommunityName, MemberHandle, MemberId, Note, Platform, Tags, Zone};
use seatmate_bot::store::{ChatKey, CheckinOutcome, NewCheckin, ProfileChange, StoreError};
use support::*;

fn checkin(
    community: &seatmate_bot::store::Community,
    member: MemberId,
    space: Option<seatmate_bot::domain::SpaceId>,
    now: &str,
    note: &str,
) -> NewCheckin {
    let now = t(now);
    NewCheckin {
        community: community.id,
        member,
        space,
        local_date: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        now,
        until: None,
        ends_at: t("2026-11-24T23:00:00Z"),
        note: Note::parse(note).unwrap(),
    }
}

async fn entering_twice_is_the_same_member_and_refreshes_names(store: S) {
    let first = enter(&store, "g1", "u1").await;
    let again = store
        .enter(&chat("g1"), &person("u1", "Renamed"), t("2026-11-24T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(first.member, again.member);
    assert_eq!(first.community, None, "chat is not bound yet");
    let (_, community, _) = community(&store).await;
    let cards = store
        .find_members(community.id, Platform::Telegram, &MemberHandle::PlatformId("u1".into()))
        .await
        .unwrap();
    assert_eq!(cards, [], "u1 has not spoken since the chat was bound");
    enter(&store, "g1", "u1").await;
    let card = store
        .find_members(community.id, Platform::Telegram, &MemberHandle::Username("U1".into()))
        .await
        .unwrap()
        .pop()
        .expect("found by username, ignoring case");
    assert_eq!(card.display_name, "u1");
}

async fn a_chat_is_bound_to_one_community(store: S) {
    let (admin, community, _) = community(&store).await;
    assert!(admin.community.is_none());
    let again = enter(&store, "g1", "admin").await;
    assert_eq!(again.community.as_ref(), Some(&community));
    assert!(again.is_admin, "the creator is an admin");
    let other = enter(&store, "g1", "someone").await;
    assert!(!other.is_admin);
    let second = store
        .create_community(
            &chat("g1"),
            &CommunityName::parse("Other").unwrap(),
            Zone::UTC,
            other.member,
            t("2026-11-24T09:00:00Z"),
        )
        .await;
    assert!(matches!(second, Err(StoreError::Conflict(_))), "{second:?}");
    // The failed attempt left no half-made community behind.
    let third = enter(&store, "g2", "someone").await;
    assert_eq!(third.community, None);
}

async fn a_private_chat_belongs_to_the_members_only_community(store: S) {
    let (_, community, _) = community(&store).await;
    let dm = ChatKey {
        platform: Platform::Telegram,
        chat_id: "admin-dm".into(),
        private: true,
    };
    let arrival = store
        .enter(&dm, &person("admin", "admin"), t("2026-11-24T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(arrival.community, Some(community));
    assert!(arrival.is_admin);
    let stranger = store
        .enter(&dm, &person("x", "x"), t("2026-11-24T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(stranger.community, None);
}

async fn space_slugs_are_unique_per_community_and_removal_cascades(store: S) {
    let (admin, community, space) = community(&store).await;
    let dup = store
        .add_space(community.id, &new_space("cafe-noord"), t("2026-11-24T09:00:00Z"))
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    store
        .add_space(community.id, &new_space("bieb"), t("2026-11-24T09:00:00Z"))
        .await
        .unwrap();
    let slugs: Vec<String> = store
        .spaces(community.id)
        .await
        .unwrap()
        .iter()
        .map(|s| s.slug.to_string())
        .collect();
    assert_eq!(slugs, ["bieb", "cafe-noord"]);
    assert_eq!(store.spaces(community.id).await.unwrap()[1].capacity, Some(12));

    assert!(store.set_host(space.id, admin.member, true).await.unwrap());
    store
        .check_in(&checkin(
            &community,
            admin.member,
            Some(space.id),
            "2026-11-24T09:00:00Z",
            "",
        ))
        .await
        .unwrap();
    store.remove_space(community.id, &space.slug).await.unwrap();
    assert!(store.hosts(community.id).await.unwrap().is_empty());
    assert!(store
        .present(community.id, t("2026-11-24T10:00:00Z"))
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.remove_space(community.id, &space.slug).await,
        Err(StoreError::NotFound)
    ));
}

async fn hosts_are_added_once_and_removed(store: S) {
    let (admin, community, space) = community(&store).await;
    assert!(store.set_host(space.id, admin.member, true).await.unwrap());
    assert!(!store.set_host(space.id, admin.member, true).await.unwrap());
    let hosts = store.hosts(community.id).await.unwrap();
    assert_eq!(hosts.len(), 1);
    assert_eq!(hosts[0].0, space.id);
    assert_eq!(hosts[0].1.display_name, "admin");
    assert_eq!(hosts[0].1.handles[0].username.as_deref(), Some("admin"));
    assert!(store.set_host(space.id, admin.member, false).await.unwrap());
    assert!(!store.set_host(space.id, admin.member, false).await.unwrap());
}

async fn profiles_keep_each_part(store: S) {
    let me = enter(&store, "g1", "me").await.member;
    store
        .update_profile(me, &ProfileChange::Offers(Tags::parse_list("rust, sql").unwrap()))
        .await
        .unwrap();
    store
        .update_profile(me, &ProfileChange::Wants(Tags::parse_list("design").unwrap()))
        .await
        .unwrap();
    let profile = store
        .update_profile(me, &ProfileChange::About(Note::parse("maps").unwrap()))
        .await
        .unwrap();
    assert_eq!(profile.offers.to_string(), "rust, sql");
    assert_eq!(profile.wants.to_string(), "design");
    assert_eq!(profile.about.as_str(), "maps");
    assert_eq!(store.profile(me).await.unwrap(), profile);
}

async fn second_checkin_same_day_updates_note(store: S) {
    let (admin, community, space) = community(&store).await;
    let first = store
        .check_in(&checkin(
            &community,
            admin.member,
            Some(space.id),
            "2026-11-24T09:00:00Z",
            "slides",
        ))
        .await
        .unwrap();
    assert_eq!(first, CheckinOutcome::New);
    let second = store
        .check_in(&checkin(
            &community,
            admin.member,
            None,
            "2026-11-24T10:00:00Z",
            "calls",
        ))
        .await
        .unwrap();
    assert_eq!(second, CheckinOutcome::Updated);
    let present = store.present(community.id, t("2026-11-24T10:30:00Z")).await.unwrap();
    assert_eq!(present.len(), 1);
    assert_eq!(present[0].space, None, "moved to remote");
    assert_eq!(present[0].note.as_str(), "calls");
    assert_eq!(present[0].checked_in_at, t("2026-11-24T09:00:00Z"), "arrival time kept");
    // No new note keeps the old one.
    store
        .check_in(&checkin(
            &community,
            admin.member,
            Some(space.id),
            "2026-11-24T11:00:00Z",
            "",
        ))
        .await
        .unwrap();
    let present = store.present(community.id, t("2026-11-24T11:30:00Z")).await.unwrap();
    assert_eq!(present[0].note.as_str(), "calls");
}

async fn checkout_and_end_of_day_end_presence(store: S) {
    let (admin, community, space) = community(&store).await;
    let other = enter(&store, "g1", "other").await.member;
    store
        .check_in(&checkin(
            &community,
            admin.member,
            Some(space.id),
            "2026-11-24T09:00:00Z",
            "",
        ))
        .await
        .unwrap();
    store
        .check_in(&checkin(&community, other, Some(space.id), "2026-11-24T09:30:00Z", ""))
        .await
        .unwrap();
    let present = store.present(community.id, t("2026-11-24T12:00:00Z")).await.unwrap();
    assert_eq!(
        present
            .iter()
            .map(|p| p.member.display_name.as_str())
            .collect::<Vec<_>>(),
        ["admin", "other"]
    );

    assert!(store
        .check_out(community.id, admin.member, t("2026-11-24T12:00:00Z"))
        .await
        .unwrap());
    assert!(!store
        .check_out(community.id, admin.member, t("2026-11-24T12:01:00Z"))
        .await
        .unwrap());
    let present = store.present(community.id, t("2026-11-24T12:05:00Z")).await.unwrap();
    assert_eq!(present.len(), 1);
    // ends_at is 23:00 UTC: from then on nobody is here.
    assert!(store
        .present(community.id, t("2026-11-24T23:00:00Z"))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.last_place(community.id, other).await.unwrap(),
        Some(Some(space.id))
    );
    let stranger = enter(&store, "g1", "stranger").await.member;
    assert_eq!(store.last_place(community.id, stranger).await.unwrap(), None);
}

async fn a_new_days_checkin_ends_the_running_one(store: S) {
    let (admin, community, space) = community(&store).await;
    store
        .check_in(&checkin(
            &community,
            admin.member,
            Some(space.id),
            "2026-11-24T09:00:00Z",
            "",
        ))
        .await
        .unwrap();
    let mut next = checkin(&community, admin.member, None, "2026-11-24T22:30:00Z", "late");
    next.local_date = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    next.ends_at = t("2026-11-25T23:00:00Z");
    assert_eq!(store.check_in(&next).await.unwrap(), CheckinOutcome::New);
    let present = store.present(community.id, t("2026-11-24T22:45:00Z")).await.unwrap();
    assert_eq!(present.len(), 1, "one place at a time");
    assert_eq!(present[0].note.as_str(), "late");
}

async fn communities_do_not_see_each_other(store: S) {
    let (admin, community, space) = community(&store).await;
    let other_admin = enter(&store, "g2", "admin2").await;
    let other = store
        .create_community(
            &chat("g2"),
            &CommunityName::parse("Other").unwrap(),
            Zone::UTC,
            other_admin.member,
            t("2026-11-24T09:00:00Z"),
        )
        .await
        .unwrap();
    store
        .check_in(&checkin(
            &community,
            admin.member,
            Some(space.id),
            "2026-11-24T09:00:00Z",
            "",
        ))
        .await
        .unwrap();
    assert!(store
        .present(other.id, t("2026-11-24T10:00:00Z"))
        .await
        .unwrap()
        .is_empty());
    assert!(store.spaces(other.id).await.unwrap().is_empty());
    let found = store
        .find_members(other.id, Platform::Telegram, &MemberHandle::Username("admin".into()))
        .await
        .unwrap();
    assert_eq!(found, [], "admin is not a member of the other community");
}

/// What one process remembers of a chat must not hide what another did.
async fn a_chat_set_up_elsewhere_is_seen_at_once(store: S, url: String) {
    let other = seatmate_storage::open(&url, &seatmate_storage::OpenOptions::default())
        .await
        .unwrap();
    let before = enter(&store, "g1", "ann").await;
    assert_eq!(before.community, None);
    let admin = enter(&other, "g1", "admin").await;
    other
        .create_community(
            &chat("g1"),
            &CommunityName::parse("Elsewhere").unwrap(),
            Zone::UTC,
            admin.member,
            t("2026-11-24T09:00:00Z"),
        )
        .await
        .unwrap();
    let after = enter(&store, "g1", "ann").await;
    assert_eq!(after.community.map(|c| c.name), Some("Elsewhere".to_string()));
    // A new display name is taken at once, too.
    let renamed = store
        .enter(&chat("g1"), &person("ann", "Ann B."), t("2026-11-24T09:00:01Z"))
        .await
        .unwrap();
    assert_eq!(renamed.member, after.member);
    let card = store
        .find_members(
            renamed.community.unwrap().id,
            Platform::Telegram,
            &MemberHandle::PlatformId("ann".into()),
        )
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(card.display_name, "Ann B.");
}

/// Two processes on one database: what one changes that the other's
/// arrival cache remembers (a chat unbound, two members linked, a member
/// forgotten) is seen by the other at its next check.
async fn what_another_process_changes_is_seen_at_the_next_check(url: String) {
    let options = seatmate_storage::OpenOptions {
        arrival_check: std::time::Duration::ZERO,
        ..Default::default()
    };
    let store = seatmate_storage::open(&url, &options).await.unwrap();
    let other = seatmate_storage::open(&url, &options).await.unwrap();
    let (_, community, _) = community(&store).await;
    let ann = enter(&store, "g1", "ann").await;
    let bea = enter(&store, "g1", "bea").await;
    assert_eq!(enter(&store, "g1", "ann").await, ann, "cached now");
    let now = t("2026-11-24T09:00:00Z");

    // Linked elsewhere: Bea's identity is Ann's member here too.
    let none = |_: seatmate_bot::domain::CommunityId, _: &seatmate_bot::store::Cancellation| Vec::new();
    other.link_members(ann.member, bea.member, now, &none).await.unwrap();
    assert_eq!(enter(&store, "g1", "bea").await.member, ann.member);

    // Unbound elsewhere: the chat has no community here either.
    other.bind_chat(&chat("g2"), community.id, now).await.unwrap();
    other.unbind_chat(Platform::Telegram, "g1", now).await.unwrap();
    assert_eq!(enter(&store, "g1", "ann").await.community, None);

    // Forgotten elsewhere: speaking again makes a new member (SQLite may
    // give it the freed id; either way it exists, which a stale entry would not).
    let cy = enter(&store, "g2", "cy").await;
    other.forget_member(cy.member).await.unwrap();
    let again = enter(&store, "g2", "cy").await;
    let card = store.contact(again.member).await.unwrap().card;
    assert_eq!(card.handles.len(), 1, "{card:?}");
}

#[tokio::test]
async fn sqlite_what_another_process_changes_is_seen_at_the_next_check() {
    let dir = tempfile::tempdir().unwrap();
    what_another_process_changes_is_seen_at_the_next_check(seatmate_storage::test_support::sqlite_url(dir.path()))
        .await;
}

#[tokio::test]
async fn postgres_what_another_process_changes_is_seen_at_the_next_check() {
    let Some(base) = seatmate_storage::test_support::postgres_base_url() else {
        return;
    };
    let url = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
    what_another_process_changes_is_seen_at_the_next_check(url).await;
}

#[tokio::test]
async fn sqlite_a_chat_set_up_elsewhere_is_seen_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = seatmate_storage::test_support::fresh_sqlite(dir.path()).await;
    a_chat_set_up_elsewhere_is_seen_at_once(store, seatmate_storage::test_support::sqlite_url(dir.path())).await;
}

#[tokio::test]
async fn postgres_a_chat_set_up_elsewhere_is_seen_at_once() {
    let Some(base) = seatmate_storage::test_support::postgres_base_url() else {
        return;
    };
    let url = seatmate_storage::test_support::fresh_postgres_url(&base).await.unwrap();
    let store = seatmate_storage::open(&url, &seatmate_storage::OpenOptions::default())
        .await
        .unwrap();
    a_chat_set_up_elsewhere_is_seen_at_once(store, url).await;
}

/// Names are unique ignoring case; a server's community is found through
/// any chat of it whose server is recorded, and chats bound before servers
/// were recorded are listed to learn theirs.
async fn names_are_unique_and_a_servers_community_is_found_by_its_chats(store: S) {
    let (_, community, _) = community(&store).await;
    let other = enter(&store, "g2", "bea").await;
    let clash = store
        .create_community(
            &chat("g2"),
            &CommunityName::parse("UTRECHT coworkers").unwrap(),
            Zone::parse("Europe/Amsterdam").unwrap(),
            other.member,
            t("2026-11-24T09:00:00Z"),
        )
        .await;
    assert!(matches!(&clash, Err(StoreError::NameTaken)), "{clash:?}");
    assert_eq!(
        store.chat_community(Platform::Telegram, "g2").await.unwrap(),
        None,
        "nothing bound"
    );
    assert_eq!(store.chats_without_server(Platform::Telegram).await.unwrap(), ["g1"]);
    assert_eq!(store.server_community(Platform::Telegram, "s1").await.unwrap(), None);
    store.note_chat(&chat("g1"), Some("s1"), Some("Utrecht")).await.unwrap();
    store.note_chat(&chat("g1"), None, None).await.unwrap();
    let bound = store.bound_chats(community.id).await.unwrap();
    assert_eq!(bound[0].title.as_deref(), Some("Utrecht"), "None keeps what is known");
    assert_eq!(
        store.server_community(Platform::Telegram, "s1").await.unwrap(),
        Some(community.id)
    );
    assert!(store.chats_without_server(Platform::Telegram).await.unwrap().is_empty());
    assert_eq!(
        store.server_community(Platform::Discord, "s1").await.unwrap(),
        None,
        "per platform"
    );
}

/// A freshly opened store holds exactly the schema this binary carries: a
/// readiness probe finds nothing missing.
async fn a_fresh_store_is_at_this_binarys_schema(store: S) {
    assert_eq!(store.schema_lag().await.unwrap(), None);
}

/// One holder at a time: a lease is renewed by its holder, refused to
/// others while it runs, taken over once it expired (its epoch raised), and
/// free at once when given up.
async fn a_lease_has_one_holder_and_a_takeover_raises_its_epoch(store: S) {
    let at = |s: u32| t(&format!("2026-12-05T09:00:{s:02}Z"));
    let ten = |s: u32| t(&format!("2026-12-05T09:00:{:02}Z", s + 10));
    assert_eq!(
        store.claim_lease("leader", "a/1", "a/", at(0), ten(0)).await.unwrap(),
        Some(1)
    );
    assert_eq!(
        store.claim_lease("leader", "b/1", "b/", at(1), ten(1)).await.unwrap(),
        None,
        "a holds it"
    );
    assert_eq!(
        store.claim_lease("leader", "a/1", "a/", at(5), ten(5)).await.unwrap(),
        Some(1),
        "renewed"
    );
    assert_eq!(
        store.claim_lease("leader", "b/1", "b/", at(14), ten(14)).await.unwrap(),
        None,
        "still a's"
    );
    assert_eq!(
        store.claim_lease("leader", "b/1", "b/", at(16), ten(16)).await.unwrap(),
        Some(2),
        "expired: b's"
    );
    assert_eq!(
        store.claim_lease("leader", "a/1", "a/", at(17), ten(17)).await.unwrap(),
        None,
        "a was deposed"
    );
    assert_eq!(
        store.claim_lease("other", "a/1", "a/", at(17), ten(17)).await.unwrap(),
        Some(1),
        "roles apart"
    );
    store.release_lease("leader", "a/1", at(18)).await.unwrap();
    assert_eq!(
        store.claim_lease("leader", "a/1", "a/", at(18), ten(18)).await.unwrap(),
        None,
        "not a's to give"
    );
    store.release_lease("leader", "b/1", at(18)).await.unwrap();
    assert_eq!(
        store.claim_lease("leader", "a/1", "a/", at(18), ten(18)).await.unwrap(),
        Some(3),
        "given up: a's at once"
    );
}

/// A registration's fingerprint is kept by name, and replaced when the bot
/// registers again with other settings.
async fn a_registration_keeps_its_latest_fingerprint(store: S) {
    assert_eq!(store.registration("telegram_webhook").await.unwrap(), None);
    store
        .record_registration("telegram_webhook", "a1", t("2026-12-05T09:00:00Z"))
        .await
        .unwrap();
    store
        .record_registration("other", "zz", t("2026-12-05T09:00:00Z"))
        .await
        .unwrap();
    store
        .record_registration("telegram_webhook", "b2", t("2026-12-05T09:05:00Z"))
        .await
        .unwrap();
    assert_eq!(
        store.registration("telegram_webhook").await.unwrap().as_deref(),
        Some("b2")
    );
    assert_eq!(store.registration("other").await.unwrap().as_deref(), Some("zz"));
}

/// The fleet's send windows: senders on one database together never send
/// more than the platform allows in a window, even when they ask at the
/// same instant; a refused send gives its place back; idle windows go.
async fn senders_sharing_the_store_keep_one_limit_between_them(store: S) {
    use seatmate_bot::limits::{RateLimits, SendLedger, SendLimiter};
    let limits = RateLimits {
        per_second: Some(30),
        per_chat_per_minute: Some(20),
        per_chat_burst: None,
    };
    let ledger: std::sync::Arc<dyn SendLedger> = store.clone();
    let fleet: Vec<_> = (0..3)
        .map(|_| std::sync::Arc::new(SendLimiter::for_fleet(limits, Platform::Telegram, ledger.clone())))
        .collect();
    let now = t("2026-12-05T09:00:00Z");
    // Three senders ask 15 times each at once, to a group: the group's 20
    // a minute are all there is for the three of them.
    let mut asks = tokio::task::JoinSet::new();
    for limiter in &fleet {
        for _ in 0..15 {
            let limiter = limiter.clone();
            asks.spawn(async move { limiter.admit(now, Some("-100"), 1).await });
        }
    }
    let answers = asks.join_all().await;
    assert_eq!(answers.iter().filter(|a| a.is_ok()).count(), 20, "{answers:?}");
    let group_free = now + chrono::Duration::milliseconds(60_020);
    assert!(
        answers.iter().all(|a| match a {
            Ok(()) => true,
            // The group's first send leaves its window then (a send is
            // recorded when its transaction got the windows).
            Err(at) => *at >= group_free && *at < group_free + chrono::Duration::seconds(1),
        }),
        "{answers:?}"
    );
    // The overall limit has 10 places left this second, whoever asks.
    let privately: Vec<_> = (0..12).map(|i| fleet[i % 3].clone()).collect();
    let mut admitted = 0;
    for limiter in privately {
        admitted += usize::from(limiter.admit(now, None, 1).await.is_ok());
    }
    assert_eq!(admitted, 10);
    // Another platform's windows are its own.
    let discord = SendLimiter::for_fleet(limits, Platform::Discord, ledger.clone());
    assert!(discord.admit(now, None, 1).await.is_ok());
    // A send the platform refused gives its place back, for every sender.
    fleet[0].refund(now, None, 1).await;
    assert!(fleet[1].admit(now, None, 1).await.is_ok());
    assert!(fleet[2].admit(now, None, 1).await.is_err());
    // A second later the overall window is free, the group's is not.
    let later = now + chrono::Duration::seconds(1) + chrono::Duration::milliseconds(20);
    assert!(fleet[2].admit(later, None, 1).await.is_ok());
    assert!(fleet[2]
        .admit(later, Some("-100"), 1)
        .await
        .is_err_and(|at| at >= group_free && at < group_free + chrono::Duration::seconds(1)));
    // Windows idle for longer than any limit's span are forgotten.
    assert_eq!(
        ledger.forget_idle_windows(later).await.unwrap(),
        2,
        "Discord's and the group's"
    );
    assert_eq!(
        ledger
            .forget_idle_windows(later + chrono::Duration::seconds(1))
            .await
            .unwrap(),
        1
    );
}

/// An inbound id is taken once; a chat's updates start in their order
/// whichever worker (instance) asks, while an earlier one is waiting or
/// being handled, for the patience given; other chats are not held up.
async fn a_chats_updates_start_in_order_whoever_took_them(store: S) {
    use seatmate_bot::store::{KeptUpdate, Start};
    let now = t("2026-12-05T09:00:00Z");
    let kept = |chat, seq| {
        Some(KeptUpdate {
            payload: "{}",
            chat,
            seq,
        })
    };
    let tg = Platform::Telegram;
    assert!(store.accept_inbound(tg, "1", kept("-1", 1), now).await.unwrap());
    assert!(store.accept_inbound(tg, "2", kept("-1", 2), now).await.unwrap());
    assert!(store.accept_inbound(tg, "3", kept("-2", 3), now).await.unwrap());
    assert!(
        !store.accept_inbound(tg, "2", kept("-1", 2), now).await.unwrap(),
        "taken once"
    );
    let patience = now - chrono::Duration::seconds(30);
    let start = |id: &'static str, worker: &'static str| {
        let store = store.clone();
        async move { store.start_inbound(tg, id, worker, now, patience).await.unwrap() }
    };
    assert_eq!(
        start("2", "b/1").await,
        Start::Behind,
        "1 is waiting at another instance"
    );
    assert_eq!(start("3", "b/1").await, Start::Go, "another chat");
    assert_eq!(start("1", "a/1").await, Start::Go);
    assert_eq!(start("1", "b/1").await, Start::Taken);
    assert_eq!(start("2", "b/1").await, Start::Behind, "1 is being handled");
    // A worker's own earlier update is over (its finish went unrecorded).
    assert_eq!(start("2", "a/1").await, Start::Go);
    store.finish_inbound(tg, "1", now).await.unwrap();
    store.finish_inbound(tg, "2", now).await.unwrap();
    // An earlier update taken longer ago than the patience holds nothing back
    // (the instance that took it is taken for dead).
    let old = now - chrono::Duration::seconds(31);
    assert!(store.accept_inbound(tg, "5", kept("-1", 5), old).await.unwrap());
    assert!(store.accept_inbound(tg, "6", kept("-1", 6), now).await.unwrap());
    assert_eq!(start("6", "b/1").await, Start::Go);
    // Interactions kept without a chat are never held back.
    assert!(store.accept_inbound(Platform::Discord, "9", None, now).await.unwrap());
    assert_eq!(
        store
            .waiting_inbound(tg, now + chrono::Duration::seconds(1))
            .await
            .unwrap(),
        vec![("5".to_string(), "{}".to_string())]
    );
}

/// A schema a newer binary migrated further does not stop this one: it
/// opens (migrating nothing) and calls itself ready, as the older instances
/// of a rolling deploy must.
#[tokio::test]
async fn an_older_binary_opens_and_serves_a_schema_migrated_further() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = seatmate_storage::test_support::sqlite_url(dir.path());
    drop(seatmate_storage::test_support::fresh_sqlite(dir.path()).await);
    let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (99991231000001, 'from a newer binary', 1, x'00', 0)",
    )
    .execute(&mut db)
    .await
    .unwrap();
    db.close().await.unwrap();
    let store = seatmate_storage::test_support::fresh_sqlite(dir.path()).await;
    assert_eq!(store.schema_lag().await.unwrap(), None);
}

contract!(
    a_chats_updates_start_in_order_whoever_took_them,
    senders_sharing_the_store_keep_one_limit_between_them,
    a_fresh_store_is_at_this_binarys_schema,
    a_registration_keeps_its_latest_fingerprint,
    a_lease_has_one_holder_and_a_takeover_raises_its_epoch,
    names_are_unique_and_a_servers_community_is_found_by_its_chats,
    entering_twice_is_the_same_member_and_refreshes_names,
    a_chat_is_bound_to_one_community,
    a_private_chat_belongs_to_the_members_only_community,
    space_slugs_are_unique_per_community_and_removal_cascades,
    hosts_are_added_once_and_removed,
    profiles_keep_each_part,
    second_checkin_same_day_updates_note,
    checkout_and_end_of_day_end_presence,
    a_new_days_checkin_ends_the_running_one,
    communities_do_not_see_each_other,
);

/// `sqlite::memory:` works too (the writer and the pool share sqlx's named
/// in-memory database), for throwaway runs.
#[tokio::test]
async fn sqlite_in_memory_keeps_what_it_is_told() {
    let store = seatmate_storage::open("sqlite::memory:", &seatmate_storage::OpenOptions::default())
        .await
        .unwrap();
    let (_, community, _) = community(&store).await;
    store
        .add_space(community.id, &new_space("bieb"), t("2026-11-24T09:00:00Z"))
        .await
        .unwrap();
    assert_eq!(store.spaces(community.id).await.unwrap().len(), 2);
}
