//! Long polling, each update handled once.
//!
//! - **Taken before confirmed.** An update is recorded with what it carried
//!   (the core's inbox) before Telegram is told it was received (by the next
//!   `getUpdates` offset), so a stop loses none.
//! - **Once.** An update id taken before has no second effect: Telegram's
//!   redelivery, a batch seen again after a restart, a second process.
//! - **In order per chat, side by side across chats.** Each chat has a queue
//!   and a worker; a slow send in one chat never holds up another's updates.
//! - **Stopping.** Polling ends; each chat finishes the update in hand and
//!   leaves the rest; Telegram is told what was received; what was taken but
//!   not handled waits in the database and is handled at the next start.
//!   What a process was handling when it died (`kill -9`) is given up at
//!   the next start, counted in the log: its effect may have happened.
//! - **Polling trouble** backs off for a few seconds at most. `getUpdates`
//!   is asked directly (on teloxide's HTTP client) rather than through
//!   teloxide, which waits 10 seconds after every server error before it
//!   reports it: four failed polls would hold every update back for 40 s.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use seatmate_bot::service::inbound::Taken;
use seatmate_bot::store::{KeptUpdate, Start};
use seatmate_bot::{Core, Platform};
use teloxide::types::Update;
use tokio::sync::{mpsc, watch};

use crate::Telegram;

/// How long one `getUpdates` waits for news (long polling).
const POLL_TIMEOUT_SECONDS: u32 = 25;
/// The longest wait after a failed poll (Telegram's own `retry_after` aside).
const MAX_POLL_BACKOFF: Duration = Duration::from_secs(4);
/// How often an update held back by an earlier one of its chat asks again.
const BEHIND_RETRY: Duration = Duration::from_millis(50);
/// How long a chat's worker waits for more before it ends.
const IDLE: Duration = Duration::from_secs(30);

/// The chats with updates in hand: a queue and a worker each. Shared by
/// polling and the webhook route.
pub(crate) struct Chats {
    telegram: Telegram,
    core: Arc<Core>,
    stop: watch::Receiver<bool>,
    queues: Arc<Mutex<HashMap<i64, mpsc::UnboundedSender<Queued>>>>,
    workers: Mutex<tokio::task::JoinSet<()>>,
}

/// An update for a chat's worker; `recorded`: the inbox has it (it could not
/// be recorded while the database was out of reach).
struct Queued {
    update: Update,
    recorded: bool,
    /// When it reached this process.
    arrived: std::time::Instant,
}

impl Chats {
    pub(crate) fn new(telegram: Telegram, core: Arc<Core>, stop: watch::Receiver<bool>) -> Chats {
        Chats {
            telegram,
            core,
            stop,
            queues: Arc::default(),
            workers: Mutex::new(tokio::task::JoinSet::new()),
        }
    }

    /// Queues what was taken before the last stop and not handled, first
    /// and in its order.
    pub(crate) async fn resume(&self) {
        let kept = self.core.inbound_ledger().unfinished(Platform::Telegram).await;
        self.dispatch_kept(kept).await;
    }

    /// Queues what another instance took more than `older_than` ago and
    /// never started (it died after answering Telegram): one of the
    /// instances that queue it handles it, once.
    pub(crate) async fn adopt_orphans(&self, older_than: Duration) {
        let orphans = self
            .core
            .inbound_ledger()
            .orphaned(Platform::Telegram, older_than)
            .await;
        if !orphans.is_empty() {
            tracing::info!(
                count = orphans.len(),
                "updates taken by an instance that did not handle them are handled here"
            );
        }
        self.dispatch_kept(orphans).await;
    }

    async fn dispatch_kept(&self, kept: Vec<(String, String)>) {
        for (id, payload) in kept {
            match serde_json::from_str::<Update>(&payload) {
                Ok(update) => self.dispatch(update, true),
                Err(error) => {
                    tracing::error!(id, %error, "an update kept for later cannot be read; skipped");
                    self.core.inbound_ledger().finish(Platform::Telegram, &id).await;
                }
            }
        }
    }

    /// Queues an update for its chat, starting the chat's worker if it has none.
    pub(crate) fn dispatch(&self, update: Update, recorded: bool) {
        let mut workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        // Ended workers leave their results here: let them go.
        while workers.try_join_next().is_some() {}
        let chat = chat_of(&update);
        let mut update = Queued {
            update,
            recorded,
            arrived: std::time::Instant::now(),
        };
        // Held while sending: a worker ends only after removing its queue
        // under this lock, so nothing is sent to a worker that has ended.
        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(queue) = queues.get(&chat) {
            let Err(mpsc::error::SendError(back)) = queue.send(update) else {
                return;
            };
            update = back;
        }
        let (queue, updates) = mpsc::unbounded_channel();
        let _ = queue.send(update);
        queues.insert(chat, queue);
        let worker = ChatWorker {
            chat,
            telegram: self.telegram.clone(),
            core: self.core.clone(),
            stop: self.stop.clone(),
            queues: self.queues.clone(),
        };
        workers.spawn(worker.run(updates));
    }

    /// Waits for every chat to finish the update in hand.
    pub(crate) async fn finish(&self) {
        self.queues.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let mut workers = std::mem::take(&mut *self.workers.lock().unwrap_or_else(|e| e.into_inner()));
        while workers.join_next().await.is_some() {}
    }
}

/// Takes an update into the inbox, with what it carried (`None`: it could
/// not be copied, so it is only recorded) and its place in its chat's order.
pub(crate) async fn take(core: &Core, update: &Update, payload: Option<&str>) -> Taken {
    let id = update.id.0.to_string();
    let chat = chat_of(update).to_string();
    let kept = payload.map(|payload| KeptUpdate {
        payload,
        chat: &chat,
        seq: i64::from(update.id.0),
    });
    core.inbound_ledger().take(Platform::Telegram, &id, kept).await
}

/// The chat an update belongs to (a button under an inline message: its
/// presser's private chat).
fn chat_of(update: &Update) -> i64 {
    match update.chat() {
        Some(chat) => chat.id.0,
        None => update.from().map_or(0, |user| user.id.0 as i64),
    }
}

struct ChatWorker {
    chat: i64,
    telegram: Telegram,
    core: Arc<Core>,
    stop: watch::Receiver<bool>,
    queues: Arc<Mutex<HashMap<i64, mpsc::UnboundedSender<Queued>>>>,
}

impl ChatWorker {
    /// Handles the chat's updates one at a time, the lowest `update_id` in
    /// hand first: webhook deliveries may overtake each other on the way.
    async fn run(self, mut updates: mpsc::UnboundedReceiver<Queued>) {
        let mut in_hand: BTreeMap<u32, Queued> = BTreeMap::new();
        loop {
            while let Ok(queued) = updates.try_recv() {
                in_hand.insert(queued.update.id.0, queued);
            }
            let Some((
                _,
                Queued {
                    update,
                    recorded,
                    arrived,
                },
            )) = in_hand.pop_first()
            else {
                match tokio::time::timeout(IDLE, updates.recv()).await {
                    Ok(Some(queued)) => {
                        in_hand.insert(queued.update.id.0, queued);
                        continue;
                    }
                    Ok(None) => return,
                    Err(_) => {
                        let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
                        if updates.is_empty() {
                            queues.remove(&self.chat);
                            return;
                        }
                        continue;
                    }
                }
            };
            // Stopping: what is left waits in the database for the next start.
            if *self.stop.borrow() {
                return;
            }
            let id = update.id.0.to_string();
            if recorded {
                match self.core.inbound_ledger().start(Platform::Telegram, &id).await {
                    Start::Go => {}
                    Start::Taken => continue,
                    Start::Behind => {
                        // An earlier update of this chat is on its way
                        // (here or at another instance): wait for it.
                        in_hand.insert(
                            update.id.0,
                            Queued {
                                update,
                                recorded,
                                arrived,
                            },
                        );
                        if let Ok(Some(queued)) = tokio::time::timeout(BEHIND_RETRY, updates.recv()).await {
                            in_hand.insert(queued.update.id.0, queued);
                        }
                        continue;
                    }
                }
            }
            self.telegram.handle(&self.core, update, arrived).await;
            if recorded {
                self.core.inbound_ledger().finish(Platform::Telegram, &id).await;
            }
        }
    }
}

/// Why a poll brought nothing.
#[derive(Debug)]
enum PollError {
    /// Telegram asked to wait (429).
    RetryAfter(Duration),
    /// A server error, a network failure, an answer that cannot be read:
    /// the description, with the token taken out.
    Failed(String),
}

impl std::fmt::Display for PollError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PollError::RetryAfter(wait) => write!(f, "asked to wait {wait:?}"),
            PollError::Failed(why) => f.write_str(why),
        }
    }
}

impl Telegram {
    /// `getUpdates` from `offset`, waiting up to `timeout` seconds for news.
    async fn get_updates(&self, offset: i32, timeout: u32, limit: Option<u8>) -> Result<Vec<Update>, PollError> {
        let bot = &self.api.bot;
        let mut url = bot.api_url();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments
                .pop_if_empty()
                .push(&format!("bot{}", bot.token()))
                .push("getUpdates");
        }
        let mut params = serde_json::json!({
            "offset": offset,
            "timeout": timeout,
            "allowed_updates": crate::webhook::ALLOWED_UPDATES,
        });
        if let Some(limit) = limit {
            params["limit"] = limit.into();
        }
        let hidden = |text: String| text.replace(bot.token(), "<token>");
        let response = bot
            .client()
            .post(url)
            .json(&params)
            .timeout(Duration::from_secs(u64::from(timeout) + 10))
            .send()
            .await
            .map_err(|e| PollError::Failed(hidden(format!("network error: {e}"))))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| PollError::Failed(hidden(format!("{status}: no answer ({e})"))))?;
        let body: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| PollError::Failed(format!("{status}: an answer that is not JSON ({e})")))?;
        if body["ok"].as_bool() == Some(true) {
            // Read from the text: teloxide's updates do not read back from
            // a `Value` (every one would be an unknown kind).
            #[derive(serde::Deserialize)]
            struct Updates {
                result: Vec<Update>,
            }
            return serde_json::from_str::<Updates>(&text)
                .map(|updates| updates.result)
                .map_err(|e| PollError::Failed(format!("updates that cannot be read: {e}")));
        }
        if let Some(seconds) = body["parameters"]["retry_after"].as_u64() {
            return Err(PollError::RetryAfter(Duration::from_secs(seconds)));
        }
        let description = body["description"].as_str().unwrap_or("no description");
        Err(PollError::Failed(hidden(format!("{status}: {description}"))))
    }

    /// Long polling until `shutdown` turns true (see the module's note).
    pub async fn run(&self, core: Arc<Core>, mut shutdown: watch::Receiver<bool>) {
        let chats = Chats::new(self.clone(), core.clone(), shutdown.clone());
        chats.resume().await;
        let mut offset: i32 = 0;
        let mut failures: u32 = 0;
        while !*shutdown.borrow() {
            let updates = tokio::select! {
                updates = self.get_updates(offset, POLL_TIMEOUT_SECONDS, None) => updates,
                _ = shutdown.changed() => break,
            };
            match updates {
                Ok(updates) => {
                    failures = 0;
                    for update in updates {
                        offset = offset.max(update.id.as_offset());
                        let payload = match serde_json::to_string(&update) {
                            Ok(payload) => payload,
                            Err(error) => {
                                tracing::error!(%error, "an update cannot be kept; handled without a copy");
                                String::new()
                            }
                        };
                        let payload = (!payload.is_empty()).then_some(payload.as_str());
                        match take(&core, &update, payload).await {
                            Taken::New => chats.dispatch(update, true),
                            Taken::Unrecorded => chats.dispatch(update, false),
                            Taken::Seen => {}
                        }
                    }
                }
                Err(error) => {
                    failures += 1;
                    let wait = match &error {
                        PollError::RetryAfter(wait) => *wait,
                        PollError::Failed(_) => Duration::from_secs(1 << (failures - 1).min(4)).min(MAX_POLL_BACKOFF),
                    };
                    tracing::warn!(%error, ?wait, "getUpdates failed");
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = shutdown.changed() => break,
                    }
                }
            }
        }
        // Tell Telegram what was taken, so that it does not send it again.
        if offset > 0 {
            let confirm = self.get_updates(offset, 0, Some(1));
            let confirmed = match tokio::time::timeout(Duration::from_secs(3), confirm).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(error)) => Err(error.to_string()),
                Err(_) => Err("no answer within 3 s".to_string()),
            };
            if let Err(error) = confirmed {
                tracing::info!(
                    error,
                    "could not confirm the last updates; they come again and are recognised"
                );
            }
        }
        chats.finish().await;
    }
}
