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
//! - **Polling trouble** backs off for a few seconds at most.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use seatmate_bot::service::inbound::Taken;
use seatmate_bot::{Core, Platform};
use teloxide::payloads::GetUpdatesSetters;
use teloxide::requests::Requester;
use teloxide::types::{AllowedUpdate, Update};
use teloxide::RequestError;
use tokio::sync::{mpsc, watch};

use crate::Telegram;

/// How long one `getUpdates` waits for news (long polling).
const POLL_TIMEOUT_SECONDS: u32 = 25;
/// The longest wait after a failed poll (Telegram's own `retry_after` aside).
const MAX_POLL_BACKOFF: Duration = Duration::from_secs(4);
/// How long a chat's worker waits for more before it ends.
const IDLE: Duration = Duration::from_secs(30);

/// The chats with updates in hand: a queue and a worker each.
struct Chats {
    telegram: Telegram,
    core: Arc<Core>,
    stop: watch::Receiver<bool>,
    queues: Arc<Mutex<HashMap<i64, mpsc::UnboundedSender<Queued>>>>,
    workers: tokio::task::JoinSet<()>,
}

/// An update for a chat's worker; `recorded`: the inbox has it (it could not
/// be recorded while the database was out of reach).
struct Queued {
    update: Update,
    recorded: bool,
}

impl Chats {
    /// Queues an update for its chat, starting the chat's worker if it has none.
    fn dispatch(&mut self, update: Update, recorded: bool) {
        // Ended workers leave their results here: let them go.
        while self.workers.try_join_next().is_some() {}
        let chat = chat_of(&update);
        let mut update = Queued { update, recorded };
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
        self.workers.spawn(worker.run(updates));
    }

    /// Waits for every chat to finish the update in hand.
    async fn finish(mut self) {
        self.queues.lock().unwrap_or_else(|e| e.into_inner()).clear();
        while self.workers.join_next().await.is_some() {}
    }
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
    async fn run(self, mut updates: mpsc::UnboundedReceiver<Queued>) {
        loop {
            let Queued { update, recorded } = match tokio::time::timeout(IDLE, updates.recv()).await {
                Ok(Some(queued)) => queued,
                Ok(None) => return,
                Err(_) => {
                    let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
                    if updates.is_empty() {
                        queues.remove(&self.chat);
                        return;
                    }
                    continue;
                }
            };
            // Stopping: what is left waits in the database for the next start.
            if *self.stop.borrow() {
                return;
            }
            let id = update.id.0.to_string();
            if recorded && !self.core.start_inbound(Platform::Telegram, &id).await {
                continue;
            }
            self.telegram.handle(&self.core, update).await;
            if recorded {
                self.core.finish_inbound(Platform::Telegram, &id).await;
            }
        }
    }
}

impl Telegram {
    /// Long polling until `shutdown` turns true (see the module's note).
    pub async fn run(&self, core: Arc<Core>, mut shutdown: watch::Receiver<bool>) {
        let mut chats = Chats {
            telegram: self.clone(),
            core: core.clone(),
            stop: shutdown.clone(),
            queues: Arc::default(),
            workers: tokio::task::JoinSet::new(),
        };
        // Taken before the last stop, not handled: first, in their order.
        for (id, payload) in core.unfinished_inbound(Platform::Telegram).await {
            match serde_json::from_str::<Update>(&payload) {
                Ok(update) => chats.dispatch(update, true),
                Err(error) => {
                    tracing::error!(id, %error, "an update kept for later cannot be read; skipped");
                    core.finish_inbound(Platform::Telegram, &id).await;
                }
            }
        }
        let mut offset: i32 = 0;
        let mut failures: u32 = 0;
        while !*shutdown.borrow() {
            let poll = self
                .api
                .bot
                .get_updates()
                .offset(offset)
                .timeout(POLL_TIMEOUT_SECONDS)
                .allowed_updates([
                    AllowedUpdate::Message,
                    AllowedUpdate::CallbackQuery,
                    AllowedUpdate::MyChatMember,
                ]);
            let updates = tokio::select! {
                updates = poll => updates,
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
                        let id = update.id.0.to_string();
                        match core.take_inbound(Platform::Telegram, &id, payload).await {
                            Taken::New => chats.dispatch(update, true),
                            Taken::Unrecorded => chats.dispatch(update, false),
                            Taken::Seen => {}
                        }
                    }
                }
                Err(error) => {
                    failures += 1;
                    let wait = match &error {
                        RequestError::RetryAfter(seconds) => seconds.duration(),
                        _ => Duration::from_secs(1 << failures.min(4)).min(MAX_POLL_BACKOFF),
                    };
                    tracing::warn!(error = self.api.describe(&error), ?wait, "getUpdates failed");
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = shutdown.changed() => break,
                    }
                }
            }
        }
        // Tell Telegram what was taken, so that it does not send it again.
        if offset > 0 {
            let confirm = self.api.bot.get_updates().offset(offset).timeout(0).limit(1);
            let confirmed = match tokio::time::timeout(Duration::from_secs(3), confirm).await {
                Ok(Ok(_)) => Ok(()),
                Ok(Err(error)) => Err(self.api.describe(&error)),
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
