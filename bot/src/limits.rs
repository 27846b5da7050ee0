//! Send limits that hold over any sliding window.
//!
//! Platforms count every message, whenever it was sent: Telegram allows about
//! 30 a second overall and 20 a minute to one group, Discord 5 in 5 seconds
//! to a channel. A token bucket (GCRA) would let a full burst go on top of
//! the steady rate (59 sends in one second against Telegram's 30), so the
//! limiter keeps, per scope, the times of the last `n` sends and admits a
//! send only when the oldest of them is a whole window old: never more than
//! `n` in any window, wherever it starts. (governor, the well-kept crate for
//! rate limits, implements GCRA only; this is a few lines with no burst.)
//!
//! One limiter per platform is shared by everything that sends there: the
//! delivery loop and the adapter's direct answers. It reads no clock: callers
//! pass the core's `now`, so tests that move the clock move the limits.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// Rate limits a platform imposes; `None` is unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimits {
    /// Messages per second over all chats.
    pub per_second: Option<u32>,
    /// Messages per minute to any one chat (group or channel).
    pub per_chat_per_minute: Option<u32>,
    /// How many of those may go within their share of the minute (Discord:
    /// 5 of its 60 a minute, so 5 in any 5 seconds); `None`: no such rule.
    pub per_chat_burst: Option<u32>,
}

/// Kept on top of every window: a send admitted a whole window after
/// another may reach the platform a little sooner than it left (the network
/// does not keep time), and the platform must never count both in one window.
const MARGIN: Duration = Duration::milliseconds(20);

/// At most `n` sends in any `span` (plus [`MARGIN`]).
#[derive(Debug)]
struct Window {
    n: usize,
    span: Duration,
    /// The last sends, oldest first: at most `n`.
    sent: VecDeque<DateTime<Utc>>,
}

impl Window {
    fn new(n: u32, span: Duration) -> Self {
        Window {
            n: n.max(1) as usize,
            span: span + MARGIN,
            sent: VecDeque::new(),
        }
    }

    /// When `k` more sends fit, if not now. A window holds the send at its
    /// start and not the one at its end: sends `span` apart are in no
    /// window together.
    fn next_free(&self, now: DateTime<Utc>, k: usize) -> Option<DateTime<Utc>> {
        let k = k.min(self.n);
        let recent = self.sent.iter().filter(|&&at| now - at < self.span).count();
        if recent + k <= self.n {
            return None;
        }
        // The sends that must leave the window first: the oldest recent ones.
        let must_leave = recent + k - self.n;
        let first_recent = self.sent.len() - recent;
        self.sent.get(first_recent + must_leave - 1).map(|&at| at + self.span)
    }

    fn record(&mut self, now: DateTime<Utc>, k: usize) {
        for _ in 0..k {
            self.sent.push_back(now);
        }
        while self.sent.len() > self.n {
            self.sent.pop_front();
        }
    }

    /// Forgets a send taken at `at` (the platform refused it).
    fn forget(&mut self, at: DateTime<Utc>, k: usize) {
        for _ in 0..k {
            if let Some(i) = self.sent.iter().rposition(|&sent| sent == at) {
                self.sent.remove(i);
            }
        }
    }

    fn idle_since(&self, now: DateTime<Utc>) -> bool {
        self.sent.back().is_none_or(|&at| now - at >= self.span)
    }
}

#[derive(Debug, Default)]
struct ChatWindows(Vec<Window>);

/// One platform's limits, shared by all its senders.
#[derive(Debug)]
pub struct SendLimiter {
    limits: RateLimits,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    overall: Option<Window>,
    chats: HashMap<String, ChatWindows>,
}

/// How many idle chats are kept before they are forgotten (a chat whose
/// windows are empty has nothing to remember).
const CHATS_KEPT: usize = 10_000;

impl SendLimiter {
    pub fn new(limits: RateLimits) -> Self {
        SendLimiter {
            limits,
            state: Mutex::new(State {
                overall: limits.per_second.map(|n| Window::new(n, Duration::seconds(1))),
                chats: HashMap::new(),
            }),
        }
    }

    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    fn chat_windows(&self) -> ChatWindows {
        let mut windows = Vec::new();
        if let Some(n) = self.limits.per_chat_per_minute {
            windows.push(Window::new(n, Duration::minutes(1)));
            if let Some(burst) = self.limits.per_chat_burst.filter(|&b| b > 0 && b < n) {
                let span = Duration::milliseconds(60_000 * i64::from(burst) / i64::from(n.max(1)));
                windows.push(Window::new(burst, span));
            }
        }
        ChatWindows(windows)
    }

    /// Takes `k` sends now (a reply in `k` parts) to `chat` (a group or a
    /// channel; `None` for a private chat, which only the overall limit
    /// counts), or says when they can go; nothing is taken then.
    pub fn admit(&self, now: DateTime<Utc>, chat: Option<&str>, k: usize) -> Result<(), DateTime<Utc>> {
        let k = k.max(1);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut not_before = state.overall.as_ref().and_then(|w| w.next_free(now, k));
        if let Some(chat) = chat {
            if !state.chats.contains_key(chat) {
                if state.chats.len() >= CHATS_KEPT {
                    state.chats.retain(|_, w| !w.0.iter().all(|w| w.idle_since(now)));
                }
                let windows = self.chat_windows();
                state.chats.insert(chat.to_string(), windows);
            }
            let windows = &state.chats[chat];
            for window in &windows.0 {
                not_before = not_before.max(window.next_free(now, k));
            }
        }
        if let Some(at) = not_before {
            return Err(at);
        }
        if let Some(overall) = &mut state.overall {
            overall.record(now, k);
        }
        if let Some(windows) = chat.and_then(|chat| state.chats.get_mut(chat)) {
            for window in &mut windows.0 {
                window.record(now, k);
            }
        }
        Ok(())
    }

    /// Gives back `k` sends taken at `at` for `chat`: the platform refused
    /// them (a 429), so they were never counted there, and their retry
    /// takes a place of its own.
    pub fn refund(&self, at: DateTime<Utc>, chat: Option<&str>, k: usize) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(overall) = &mut state.overall {
            overall.forget(at, k);
        }
        if let Some(windows) = chat.and_then(|chat| state.chats.get_mut(chat)) {
            for window in &mut windows.0 {
                window.forget(at, k);
            }
        }
    }

    /// Whether `k` sends to `chat` would be admitted now (nothing taken).
    pub fn would_admit(&self, now: DateTime<Utc>, chat: Option<&str>, k: usize) -> bool {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let overall = state.overall.as_ref().is_none_or(|w| w.next_free(now, k).is_none());
        let in_chat = chat
            .and_then(|chat| state.chats.get(chat))
            .is_none_or(|windows| windows.0.iter().all(|w| w.next_free(now, k).is_none()));
        overall && in_chat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::milliseconds(ms)
    }

    /// The most sends inside any window of `span` starting at a send.
    fn busiest(sends: &[DateTime<Utc>], span: Duration) -> usize {
        sends
            .iter()
            .map(|&start| sends.iter().filter(|&&s| s >= start && s - start < span).count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn no_second_ever_holds_more_than_the_limit_and_the_rate_is_kept() {
        let limiter = SendLimiter::new(RateLimits {
            per_second: Some(30),
            ..RateLimits::default()
        });
        // Someone asks every 5 ms for 10 s: what is admitted.
        let sends: Vec<_> = (0..2000)
            .map(|i| at(i * 5))
            .filter(|&now| limiter.admit(now, None, 1).is_ok())
            .collect();
        assert_eq!(busiest(&sends, Duration::seconds(1)), 30);
        assert!(sends.len() >= 280, "close to 30 a second: {}", sends.len());
    }

    #[test]
    fn a_group_gets_its_twenty_a_minute_whenever_the_minute_starts() {
        let limiter = SendLimiter::new(RateLimits {
            per_second: Some(30),
            per_chat_per_minute: Some(20),
            per_chat_burst: None,
        });
        let mut sends = Vec::new();
        let mut now = at(0);
        for _ in 0..60 {
            match limiter.admit(now, Some("-100"), 1) {
                Ok(()) => {
                    sends.push(now);
                    now += Duration::milliseconds(700);
                }
                Err(next) => {
                    assert!(next > now);
                    now = next;
                }
            }
        }
        assert_eq!(busiest(&sends, Duration::minutes(1)), 20);
        // Another group and private chats are not held up by this one.
        assert!(limiter.admit(now, Some("-200"), 1).is_ok());
        assert!(limiter.admit(now, None, 1).is_ok());
    }

    #[test]
    fn a_refused_send_takes_nothing_and_parts_count_each() {
        let limiter = SendLimiter::new(RateLimits {
            per_second: Some(3),
            per_chat_per_minute: Some(60),
            per_chat_burst: Some(5),
        });
        assert!(limiter.admit(at(0), Some("c"), 2).is_ok());
        assert_eq!(limiter.admit(at(10), Some("c"), 2), Err(at(1020)), "one of three left");
        assert!(limiter.would_admit(at(10), Some("c"), 1));
        assert!(limiter.admit(at(10), Some("c"), 1).is_ok());
        // Five in any five seconds to the channel.
        for s in 1..=2 {
            assert!(limiter.admit(at(s * 1100), Some("c"), 1).is_ok());
        }
        assert_eq!(limiter.admit(at(3300), Some("c"), 1), Err(at(5020)));
        // A refused send is given back: its place is free again.
        limiter.refund(at(2200), Some("c"), 1);
        assert!(limiter.admit(at(3300), Some("c"), 1).is_ok());
    }
}
