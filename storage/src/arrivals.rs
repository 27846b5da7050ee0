//! Remembers who spoke where, so a member's second message within the hour
//! costs no database round trip.
//!
//! Only what cannot change is kept: an identity's member, a bound chat's
//! community (a chat that moves, or whose community changes its language,
//! clears this process's cache; other processes see it within the hour; a
//! paused chat keeps its community) and
//! the member's recorded admin flag
//! (set when a community is created, never taken back; a future command that
//! grants or revokes admin must drop the entries it makes stale). A chat that is
//! not set up is never kept, since another process may set it up, and neither
//! is a private chat, whose community depends on memberships. An entry is used
//! for at most `ACTIVITY_GRANULARITY`, the resolution of the activity stamps
//! `enter` writes, so those stay as fresh as without the cache.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use seatmate_bot::domain::Platform;
use seatmate_bot::store::{Arrival, ChatKey, Identity};

use crate::ACTIVITY_GRANULARITY;

/// Entries kept at most; past that the cache starts again (it refills itself).
const CAPACITY: usize = 100_000;

type Key = (Platform, String, String);

struct Entry {
    arrival: Arrival,
    display_name: String,
    username: Option<String>,
    verified_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct ArrivalCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

fn key(chat: &ChatKey, identity: &Identity) -> Key {
    (identity.platform, identity.user_id.clone(), chat.chat_id.clone())
}

impl ArrivalCache {
    /// The arrival verified against the database less than the granularity
    /// ago, if the person's names are unchanged since.
    pub fn get(&self, chat: &ChatKey, identity: &Identity, now: DateTime<Utc>) -> Option<Arrival> {
        if chat.private {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(&key(chat, identity))?;
        let fresh = now >= entry.verified_at && now - entry.verified_at < ACTIVITY_GRANULARITY;
        let same = entry.display_name == identity.display_name && entry.username == identity.username;
        (fresh && same).then(|| entry.arrival.clone())
    }

    /// Forgets everything (a community changed what arrivals carry).
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Keeps an arrival just verified (and stamped) in the database at `now`.
    pub fn put(&self, chat: &ChatKey, identity: &Identity, arrival: &Arrival, now: DateTime<Utc>) {
        if chat.private || arrival.community.is_none() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key(chat, identity),
            Entry {
                arrival: arrival.clone(),
                display_name: identity.display_name.clone(),
                username: identity.username.clone(),
                verified_at: now,
            },
        );
    }
}
