//! Send limits that hold over any sliding window, in one process or across
//! a fleet.
//!
//! Platforms count every message, whenever it was sent: Telegram allows about
//! 30 a second overall and 20 a minute to one group, Discord 5 in 5 seconds
//! to a channel. A token bucket (GCRA) would let a full burst go on top of
//! the steady rate (59 sends in one second against Telegram's 30), so each
//! window keeps the times of its last `n` sends and admits a send only when
//! the oldest of them is a whole window old: never more than `n` in any
//! window, wherever it starts. (governor, the well-kept crate for rate
//! limits, implements GCRA only; this is a few lines with no burst.)
//!
//! - **One limiter per platform** is shared by everything that sends there:
//!   the delivery loop and the adapter's direct answers.
//! - **A fleet shares its windows** through the store ([`SendLedger`]): each
//!   admission reads and writes the windows it needs in one transaction, so
//!   instances on one database together stay within the platform's limits.
//!   The same [`Window`] logic decides in memory and in the store. While the
//!   store cannot be asked, each instance keeps the limits in memory: the
//!   answer that says the database is out of reach must still go, and
//!   during an outage the instances send little else (at worst N times a
//!   limit for the outage's length, where refusing would silence the bot).
//! - **No clock read here:** callers pass the core's `now`, so tests that move
//!   the clock move the limits. Across a fleet the instances' clocks must
//!   agree within [`MARGIN`]'s order (NTP does far better).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};

use crate::domain::Platform;
use crate::store::StoreResult;

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
pub const MARGIN: Duration = Duration::milliseconds(20);

/// How long a send waits for the fleet's ledger before this instance
/// decides alone: a database that hangs must not hold an answer back.
const LEDGER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);

/// One window a send must fit: at most `n` sends in any `span` to `scope`
/// (`all` for the platform's overall limit, `chat:<id>` for one chat's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WindowRule {
    pub scope: String,
    pub n: u32,
    pub span: Duration,
}

impl WindowRule {
    /// The window with `sent` in it, oldest first (more than `n` keep the last `n`).
    pub fn window(&self, sent: impl IntoIterator<Item = DateTime<Utc>>) -> Window {
        let mut window = Window {
            n: self.n.max(1) as usize,
            span: self.span + MARGIN,
            sent: sent.into_iter().collect(),
        };
        while window.sent.len() > window.n {
            window.sent.pop_front();
        }
        window
    }
}

/// At most `n` sends in any `span` (plus [`MARGIN`]): the last sends.
#[derive(Debug, Clone)]
pub struct Window {
    n: usize,
    span: Duration,
    /// The last sends, oldest first: at most `n`.
    sent: VecDeque<DateTime<Utc>>,
}

impl Window {
    /// The sends kept, oldest first.
    pub fn sent(&self) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        self.sent.iter().copied()
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

    /// Forgets `k` sends taken at `at` (the platform refused them): the
    /// first kept at `at` or after (a fleet's ledger records a send when its
    /// transaction got the windows, a moment after it was asked).
    pub fn forget(&mut self, at: DateTime<Utc>, k: usize) {
        for _ in 0..k {
            if let Some(i) = self.sent.iter().position(|&sent| sent >= at) {
                self.sent.remove(i);
            }
        }
    }

    fn idle_since(&self, now: DateTime<Utc>) -> bool {
        self.sent.back().is_none_or(|&at| now - at >= self.span)
    }
}

/// Takes `k` sends at `now` in every one of `windows` if all admit them,
/// else says when they could go (the latest of their next free times) and
/// takes nothing.
pub fn take<'w>(
    windows: impl IntoIterator<Item = &'w mut Window>,
    now: DateTime<Utc>,
    k: usize,
) -> Result<(), DateTime<Utc>> {
    let mut windows: Vec<&mut Window> = windows.into_iter().collect();
    let k = k.max(1);
    if let Some(at) = windows.iter().filter_map(|w| w.next_free(now, k)).max() {
        return Err(at);
    }
    for window in &mut windows {
        window.record(now, k);
    }
    Ok(())
}

/// Windows kept in this process, by rule.
#[derive(Debug, Default)]
struct WindowsHere(Mutex<HashMap<WindowRule, Window>>);

impl WindowsHere {
    /// [`take`] on the windows of `rules`.
    fn take(&self, rules: Vec<WindowRule>, k: usize, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let mut windows = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= WINDOWS_KEPT {
            windows.retain(|_, w| !w.idle_since(now));
        }
        let mut chosen: Vec<(WindowRule, Window)> = rules
            .into_iter()
            .map(|rule| {
                let window = windows.remove(&rule).unwrap_or_else(|| rule.window([]));
                (rule, window)
            })
            .collect();
        let taken = take(chosen.iter_mut().map(|(_, window)| window), now, k);
        windows.extend(chosen);
        taken
    }

    /// Forgets `k` sends taken at `at` in the windows of `rules`.
    fn give_back(&self, rules: &[WindowRule], k: usize, at: DateTime<Utc>) {
        let mut windows = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for rule in rules {
            if let Some(window) = windows.get_mut(rule) {
                window.forget(at, k);
            }
        }
    }
}

/// The windows of a fleet, kept where every instance sees them.
#[async_trait]
pub trait SendLedger: Send + Sync {
    /// Takes `k` sends at `now` in every window of `rules` on `platform`, all
    /// or none ([`take`] on the stored windows, in one transaction).
    async fn take_sends(
        &self,
        platform: Platform,
        rules: &[WindowRule],
        k: usize,
        now: DateTime<Utc>,
    ) -> StoreResult<Result<(), DateTime<Utc>>>;

    /// Gives back `k` sends taken at `at` in `rules` (the platform refused them).
    async fn give_back_sends(
        &self,
        platform: Platform,
        rules: &[WindowRule],
        k: usize,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Forgets windows whose last send is before `before` (nothing in them
    /// can hold a send back any more). How many.
    async fn forget_idle_windows(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}

/// One platform's limits, shared by all its senders.
pub struct SendLimiter {
    limits: RateLimits,
    kept: Kept,
}

/// Where the windows are kept: in this process always (the fleet's
/// fallback while its ledger is away), and in the fleet's ledger if any.
struct Kept {
    here: WindowsHere,
    fleet: Option<(Arc<dyn SendLedger>, Platform)>,
}

impl std::fmt::Debug for SendLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = if self.kept.fleet.is_some() { "fleet" } else { "here" };
        f.debug_struct("SendLimiter")
            .field("limits", &self.limits)
            .field("kept", &kept)
            .finish()
    }
}

/// How many windows are kept in memory before idle ones are forgotten (an
/// idle window has nothing to remember).
const WINDOWS_KEPT: usize = 10_000;

impl SendLimiter {
    /// A limiter for this process alone.
    pub fn new(limits: RateLimits) -> Self {
        SendLimiter {
            limits,
            kept: Kept {
                here: WindowsHere::default(),
                fleet: None,
            },
        }
    }

    /// A limiter whose windows every instance on `ledger` shares.
    pub fn for_fleet(limits: RateLimits, platform: Platform, ledger: Arc<dyn SendLedger>) -> Self {
        SendLimiter {
            limits,
            kept: Kept {
                here: WindowsHere::default(),
                fleet: Some((ledger, platform)),
            },
        }
    }

    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// The windows a send to `chat` must fit.
    pub fn rules(&self, chat: Option<&str>) -> Vec<WindowRule> {
        let mut rules = Vec::new();
        if let Some(n) = self.limits.per_second {
            rules.push(WindowRule {
                scope: "all".into(),
                n,
                span: Duration::seconds(1),
            });
        }
        if let (Some(chat), Some(n)) = (chat, self.limits.per_chat_per_minute) {
            let scope = format!("chat:{chat}");
            rules.push(WindowRule {
                scope: scope.clone(),
                n,
                span: Duration::minutes(1),
            });
            if let Some(burst) = self.limits.per_chat_burst.filter(|&b| b > 0 && b < n) {
                let span = Duration::milliseconds(60_000 * i64::from(burst) / i64::from(n.max(1)));
                rules.push(WindowRule { scope, n: burst, span });
            }
        }
        rules
    }

    /// Takes `k` sends now (a reply in `k` parts) to `chat` (a group or a
    /// channel; `None` for a private chat, which only the overall limit
    /// counts), or says when they can go; nothing is taken then.
    pub async fn admit(&self, now: DateTime<Utc>, chat: Option<&str>, k: usize) -> Result<(), DateTime<Utc>> {
        let rules = self.rules(chat);
        if let Some((ledger, platform)) = &self.kept.fleet {
            match tokio::time::timeout(LEDGER_PATIENCE, ledger.take_sends(*platform, &rules, k, now)).await {
                Ok(Ok(taken)) => return taken,
                Ok(Err(error)) => {
                    tracing::warn!(%error, %platform, "the fleet's send limits cannot be read; this instance keeps them meanwhile");
                }
                Err(_) => {
                    tracing::warn!(%platform, ?LEDGER_PATIENCE, "the fleet's send limits did not answer in time; this instance keeps them meanwhile");
                }
            }
        }
        self.kept.here.take(rules, k, now)
    }

    /// Gives back `k` sends taken at `at` for `chat`: the platform refused
    /// them (a 429), so they were never counted there, and their retry
    /// takes a place of its own.
    pub async fn refund(&self, at: DateTime<Utc>, chat: Option<&str>, k: usize) {
        let rules = self.rules(chat);
        if let Some((ledger, platform)) = &self.kept.fleet {
            match tokio::time::timeout(LEDGER_PATIENCE, ledger.give_back_sends(*platform, &rules, k, at)).await {
                Ok(Ok(())) => return,
                // Only costs a place in the window until it passes.
                Ok(Err(error)) => tracing::info!(%error, %platform, "a refused send could not be given back"),
                Err(_) => tracing::info!(%platform, "a refused send could not be given back in time"),
            }
        }
        self.kept.here.give_back(&rules, k, at);
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

    #[tokio::test]
    async fn no_second_ever_holds_more_than_the_limit_and_the_rate_is_kept() {
        let limiter = SendLimiter::new(RateLimits {
            per_second: Some(30),
            ..RateLimits::default()
        });
        // Someone asks every 5 ms for 10 s: what is admitted.
        let asked = (0..2000).map(|i| at(i * 5)).collect::<Vec<_>>();
        let mut sends = Vec::new();
        for now in asked {
            if limiter.admit(now, None, 1).await.is_ok() {
                sends.push(now);
            }
        }
        assert_eq!(busiest(&sends, Duration::seconds(1)), 30);
        assert!(sends.len() >= 280, "close to 30 a second: {}", sends.len());
    }

    #[tokio::test]
    async fn a_group_gets_its_twenty_a_minute_whenever_the_minute_starts() {
        let limiter = SendLimiter::new(RateLimits {
            per_second: Some(30),
            per_chat_per_minute: Some(20),
            per_chat_burst: None,
        });
        let mut sends = Vec::new();
        let mut now = at(0);
        for _ in 0..60 {
            match limiter.admit(now, Some("-100"), 1).await {
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
        assert!(limiter.admit(now, Some("-200"), 1).await.is_ok());
        assert!(limiter.admit(now, None, 1).await.is_ok());
    }

    #[tokio::test]
    async fn a_refused_send_takes_nothing_and_parts_count_each() {
        let limiter = SendLimiter::new(RateLimits {
            per_second: Some(3),
            per_chat_per_minute: Some(60),
            per_chat_burst: Some(5),
        });
        assert!(limiter.admit(at(0), Some("c"), 2).await.is_ok());
        assert_eq!(
            limiter.admit(at(10), Some("c"), 2).await,
            Err(at(1020)),
            "one of three left"
        );
        assert!(limiter.admit(at(10), Some("c"), 1).await.is_ok());
        // Five in any five seconds to the channel.
        for s in 1..=2 {
            assert!(limiter.admit(at(s * 1100), Some("c"), 1).await.is_ok());
        }
        assert_eq!(limiter.admit(at(3300), Some("c"), 1).await, Err(at(5020)));
        // A refused send is given back: its place is free again.
        limiter.refund(at(2200), Some("c"), 1).await;
        assert!(limiter.admit(at(3300), Some("c"), 1).await.is_ok());
    }

    /// A ledger in memory, as the store keeps one: the same windows (each
    /// platform's) for every limiter that asks.
    #[derive(Default)]
    struct SharedWindows(Mutex<HashMap<Platform, Arc<WindowsHere>>>);

    impl SharedWindows {
        fn of(&self, platform: Platform) -> Arc<WindowsHere> {
            self.0.lock().unwrap().entry(platform).or_default().clone()
        }
    }

    #[async_trait]
    impl SendLedger for SharedWindows {
        async fn take_sends(
            &self,
            platform: Platform,
            rules: &[WindowRule],
            k: usize,
            now: DateTime<Utc>,
        ) -> StoreResult<Result<(), DateTime<Utc>>> {
            Ok(self.of(platform).take(rules.to_vec(), k, now))
        }

        async fn give_back_sends(
            &self,
            platform: Platform,
            rules: &[WindowRule],
            k: usize,
            at: DateTime<Utc>,
        ) -> StoreResult<()> {
            self.of(platform).give_back(rules, k, at);
            Ok(())
        }

        async fn forget_idle_windows(&self, _: DateTime<Utc>) -> StoreResult<u64> {
            Ok(0)
        }
    }

    #[tokio::test]
    async fn three_instances_sharing_a_ledger_send_no_more_together_than_one_may() {
        let limits = RateLimits {
            per_second: Some(30),
            per_chat_per_minute: Some(20),
            per_chat_burst: None,
        };
        let ledger = Arc::new(SharedWindows::default());
        let fleet: Vec<SendLimiter> = (0..3)
            .map(|_| SendLimiter::for_fleet(limits, Platform::Telegram, ledger.clone()))
            .collect();
        // Each instance asks every 5 ms for 10 s, to a group or privately.
        let (mut overall, mut group) = (Vec::new(), Vec::new());
        for i in 0..2000 {
            for (n, limiter) in fleet.iter().enumerate() {
                let now = at(i * 5 + n as i64);
                let chat = (i % 2 == 0).then_some("-100");
                if limiter.admit(now, chat, 1).await.is_ok() {
                    overall.push(now);
                    if chat.is_some() {
                        group.push(now);
                    }
                }
            }
        }
        assert_eq!(busiest(&overall, Duration::seconds(1)), 30, "the fleet's overall limit");
        assert!(
            overall.len() >= 280,
            "close to 30 a second for the fleet: {}",
            overall.len()
        );
        assert_eq!(busiest(&group, Duration::minutes(1)), 20, "the group's limit");
    }
}
