//! Remembers who spoke where, so a member's second message within the hour
//! costs no database round trip.
//!
//! What is kept: an identity's member, a bound chat's community, and the
//! member's recorded admin flag. These change rarely (a link, an unlink or an
//! erasure joins, splits or deletes members; a chat is unbound or moves; a
//! community changes its language), and each such change bumps the
//! database's `cache_generation` in its transaction. This process clears its
//! own cache at once; every process reads the generation at most every
//! [`crate::OpenOptions::arrival_check`] and forgets everything when it has
//! moved, so no process acts on a stale fact for longer than that. An entry
//! read before a change it did not see yet is never kept (it is tagged with
//! the generation seen before the read). A chat that is not set up is never
//! kept, since another process may set it up, and neither is a private chat,
//! whose community depends on memberships. An entry is used for at most
//! `ACTIVITY_GRANULARITY`, the resolution of the activity stamps `enter`
//! writes, so those stay as fresh as without the cache.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

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

pub struct ArrivalCache {
    entries: Mutex<HashMap<Key, Entry>>,
    /// The database's generation as last read, and when.
    seen: Mutex<(Option<Instant>, i64)>,
    check_every: Duration,
}

fn key(chat: &ChatKey, identity: &Identity) -> Key {
    (identity.platform, identity.user_id.clone(), chat.chat_id.clone())
}

impl ArrivalCache {
    pub fn new(check_every: Duration) -> Self {
        ArrivalCache {
            entries: Mutex::default(),
            seen: Mutex::new((None, 0)),
            check_every,
        }
    }

    /// Whether the generation should be read before an entry is trusted.
    pub fn due(&self) -> bool {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.0.is_none_or(|at| at.elapsed() >= self.check_every)
    }

    /// The generation just read: entries from before a change are dropped.
    pub fn observe(&self, generation: i64) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.1 != generation {
            self.clear();
        }
        *seen = (Some(Instant::now()), generation);
    }

    /// The generation entries read from now on belong to.
    pub fn generation(&self) -> i64 {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).1
    }

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

    /// Keeps an arrival just verified (and stamped) in the database at
    /// `now`, read in `generation`: unless a change was seen since.
    pub fn put(&self, chat: &ChatKey, identity: &Identity, arrival: &Arrival, now: DateTime<Utc>, generation: i64) {
        if chat.private || arrival.community.is_none() || generation != self.generation() {
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
