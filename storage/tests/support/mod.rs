//! What the contract stories share: a fresh store per story on each backend,
//! and the small community most stories start from.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityName, Platform, SpaceSlug, Zone};
use seatmate_bot::store::{Arrival, ChatKey, Identity, NewSpace, Store};

pub type S = Arc<dyn Store>;

pub fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn chat(id: &str) -> ChatKey {
    ChatKey {
        platform: Platform::Telegram,
        chat_id: id.into(),
        private: false,
    }
}

pub fn person(id: &str, name: &str) -> Identity {
    Identity {
        platform: Platform::Telegram,
        user_id: id.into(),
        display_name: name.into(),
        username: Some(name.to_lowercase()),
    }
}

pub async fn enter(store: &S, chat_id: &str, user: &str) -> Arrival {
    store
        .enter(&chat(chat_id), &person(user, user), t("2026-11-24T09:00:00Z"))
        .await
        .unwrap()
}

/// A community bound to chat "g1" created by "admin", with a space "cafe-noord".
pub async fn community(store: &S) -> (Arrival, seatmate_bot::store::Community, seatmate_bot::store::Space) {
    let admin = enter(store, "g1", "admin").await;
    let community = store
        .create_community(
            &chat("g1"),
            &CommunityName::parse("Utrecht Coworkers").unwrap(),
            Zone::parse("Europe/Amsterdam").unwrap(),
            admin.member,
            t("2026-11-24T09:00:00Z"),
        )
        .await
        .unwrap();
    let space = store
        .add_space(community.id, &new_space("cafe-noord"), t("2026-11-24T09:00:00Z"))
        .await
        .unwrap();
    (admin, community, space)
}

pub fn new_space(slug: &str) -> NewSpace {
    NewSpace {
        slug: SpaceSlug::parse(slug).unwrap(),
        zone: Zone::parse("Europe/Amsterdam").unwrap(),
        capacity: Some(12),
        needs_approval: false,
        open_profile_required: false,
    }
}

/// Runs each story (an async fn taking a fresh store) on a new SQLite file
/// and, when SEATMATE_TEST_POSTGRES_URL is set, on a new PostgreSQL schema.
#[macro_export]
macro_rules! contract {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    let dir = tempfile::tempdir().unwrap();
                    super::$story(seatmate_storage::test_support::fresh_sqlite(dir.path()).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    if let Some(store) = seatmate_storage::test_support::fresh_postgres().await {
                        super::$story(store).await;
                    }
                }
            )*
        }
    };
}
