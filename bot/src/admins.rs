//! Who administers a chat is the platform's to say, and asking costs a call
//! (`getChatMember` on Telegram). The core asks through this port only when an
//! access rule needs the answer, and remembers it briefly.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use crate::domain::Platform;
use crate::store::ChatKey;

/// Implemented by each platform adapter that has chat admins.
#[async_trait]
pub trait ChatAdmins: Send + Sync {
    /// Whether `user_id` administers `chat`; an error says why the platform
    /// could not be asked (it is not cached).
    async fn is_chat_admin(&self, chat: &ChatKey, user_id: &str) -> Result<bool, String>;

    /// Whether it can answer for a chat other than the one being written in
    /// (from a private chat). Discord tells a member's permissions only with
    /// their interaction in that channel: from a DM it could only repeat an
    /// old answer, so admin commands there point to the channel.
    fn answers_from_elsewhere(&self) -> bool {
        true
    }
}

/// How long an answer is trusted: a demoted admin loses power within this.
pub const ADMIN_CACHE_TTL: Duration = Duration::seconds(60);
/// Answers remembered at most; the oldest half is dropped past it.
const ADMIN_CACHE_SIZE: usize = 10_000;

type Key = (Platform, String, String);

/// The ports per platform, with a short cache in front of them.
#[derive(Default)]
pub struct ChatAdminPorts {
    ports: HashMap<Platform, Arc<dyn ChatAdmins>>,
    cache: Mutex<HashMap<Key, (bool, DateTime<Utc>)>>,
}

impl ChatAdminPorts {
    pub fn insert(&mut self, platform: Platform, port: Arc<dyn ChatAdmins>) {
        self.ports.insert(platform, port);
    }

    /// Whether the platform of `chat` has chat admins at all (the console has none).
    pub fn knows(&self, platform: Platform) -> bool {
        self.ports.contains_key(&platform)
    }

    /// Whether the platform's admins can be asked from a private chat (see
    /// [`ChatAdmins::answers_from_elsewhere`]).
    pub fn answers_from_elsewhere(&self, platform: Platform) -> bool {
        self.ports.get(&platform).is_none_or(|p| p.answers_from_elsewhere())
    }

    /// `Ok(None)` where the platform has no chat admins.
    pub async fn ask(&self, chat: &ChatKey, user_id: &str, now: DateTime<Utc>) -> Result<Option<bool>, String> {
        let Some(port) = self.ports.get(&chat.platform) else {
            return Ok(None);
        };
        let key = (chat.platform, chat.chat_id.clone(), user_id.to_string());
        if let Some(&(answer, at)) = self.lock().get(&key) {
            if now - at < ADMIN_CACHE_TTL {
                return Ok(Some(answer));
            }
        }
        let answer = port.is_chat_admin(chat, user_id).await?;
        let mut cache = self.lock();
        if cache.len() >= ADMIN_CACHE_SIZE {
            let mut by_age: Vec<(Key, DateTime<Utc>)> = cache.iter().map(|(k, (_, at))| (k.clone(), *at)).collect();
            by_age.sort_by_key(|(_, at)| *at);
            for (old, _) in by_age.into_iter().take(ADMIN_CACHE_SIZE / 2) {
                cache.remove(&old);
            }
        }
        cache.insert(key, (answer, now));
        Ok(Some(answer))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (bool, DateTime<Utc>)>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counting(AtomicUsize);

    #[async_trait]
    impl ChatAdmins for Counting {
        async fn is_chat_admin(&self, _chat: &ChatKey, user_id: &str) -> Result<bool, String> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(user_id == "boss")
        }
    }

    #[tokio::test]
    async fn answers_are_cached_briefly_and_platforms_without_admins_are_not_asked() {
        let port = Arc::new(Counting(AtomicUsize::new(0)));
        let mut ports = ChatAdminPorts::default();
        ports.insert(Platform::Telegram, port.clone());
        let group = ChatKey {
            platform: Platform::Telegram,
            chat_id: "-1".into(),
            private: false,
        };
        let t0: DateTime<Utc> = "2026-11-24T09:00:00Z".parse().unwrap();
        assert_eq!(ports.ask(&group, "boss", t0).await, Ok(Some(true)));
        assert_eq!(
            ports.ask(&group, "boss", t0 + Duration::seconds(59)).await,
            Ok(Some(true))
        );
        assert_eq!(port.0.load(Ordering::SeqCst), 1, "cached");
        assert_eq!(
            ports.ask(&group, "boss", t0 + Duration::seconds(61)).await,
            Ok(Some(true))
        );
        assert_eq!(port.0.load(Ordering::SeqCst), 2, "asked again after the TTL");
        assert_eq!(ports.ask(&group, "ann", t0).await, Ok(Some(false)));
        let console = ChatKey {
            platform: Platform::Console,
            ..group
        };
        assert_eq!(ports.ask(&console, "boss", t0).await, Ok(None));
    }
}
