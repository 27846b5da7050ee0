//! A fake Telegram Bot API on 127.0.0.1, for end-to-end tests and the
//! delivery benchmark. Every request is checked against the official API
//! description (`tests/fixtures/telegram-bot-api.subset.json`): the method
//! exists, every field exists and has a type it allows, required fields are
//! there, texts are 1–4,096 characters of well-formed Telegram HTML, and
//! `callback_data` is at most 64 bytes. What the real service would reject
//! is answered as it would answer it, and recorded as a violation.
//!
//! It can deliver by webhook as Telegram does: once `setWebhook` names an
//! https URL (on a port Telegram calls) and the test says where that URL
//! reaches ([`FakeTelegram::route_webhook_to`], the reverse proxy in front
//! of the bot), each update is POSTed in order with the secret header; a
//! non-2xx answer or one slower than [`WEBHOOK_TIMEOUT`] is tried again,
//! and a test can have every n-th update delivered twice. `getUpdates`
//! while a webhook is set is refused with 409, as Telegram refuses it.
//!
//! It answers as Telegram does: 401 for a wrong token, 403 "bot can't
//! initiate conversation" for a private chat the member never started, 400
//! with `migrate_to_chat_id` for a group upgraded to a supergroup, and 429
//! with `retry_after` when the bot goes over its limits (or when a test asks
//! for one).

#![allow(dead_code)]

#[path = "multipart.rs"]
mod multipart;
#[path = "telegram_schema.rs"]
mod schema;
#[path = "waiting.rs"]
mod waiting;

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Response};
use serde_json::{json, Value};
use tokio::sync::Notify;

pub use schema::visible_text;
use schema::{spec, validate_call};

pub const TOKEN: &str = "123456:TEST-token_for-the-fake";
pub const BOT_ID: i64 = 999;
pub const BOT_USERNAME: &str = "SeatmateBot";
/// How long the fake waits for the bot to answer a webhook delivery.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

/// The webhook `setWebhook` set.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: Option<String>,
    pub allowed_updates: Option<Value>,
    pub max_connections: Option<i64>,
}

/// One webhook delivery: the update and what the bot answered (0: no
/// answer in time).
#[derive(Debug, Clone)]
pub struct Delivery {
    pub update_id: i64,
    pub status: u16,
}

/// The limits the fake enforces: Telegram's, or scaled for a benchmark.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_second: u32,
    pub per_group_per_minute: u32,
    /// The share of sends answered 429 at random (seeded), on top.
    pub random_429: f64,
    pub seed: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            per_second: 30,
            per_group_per_minute: 20,
            random_429: 0.0,
            seed: 1,
        }
    }
}

/// A message the bot sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub chat_id: i64,
    pub message_id: i64,
    pub html: String,
    /// The text as the member sees it (tags gone, entities read).
    pub text: String,
    pub reply_to: Option<i64>,
    /// Each button as (label, callback_data or url).
    pub buttons: Vec<(String, String)>,
    pub at: Instant,
}

/// A file the bot sent (`sendDocument`, or `sendPhoto`: `photo`).
#[derive(Debug, Clone)]
pub struct Document {
    pub chat_id: i64,
    pub file_name: String,
    pub content: Vec<u8>,
    pub photo: bool,
}

/// A send the fake refused.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub chat_id: i64,
    pub code: u16,
    pub at: Instant,
    pub text: String,
}

#[derive(Default)]
pub struct State {
    updates: VecDeque<(i64, Value)>,
    /// Every update ever pushed, to send one again.
    pushed: HashMap<i64, Value>,
    next_update: i64,
    next_message: i64,
    pub sent: Vec<Sent>,
    pub documents: Vec<Document>,
    pub refused: Vec<Refusal>,
    pub violations: Vec<String>,
    pub answers: Vec<(String, Option<String>)>,
    /// When each button press was first answered, by query id.
    pub answered_at: HashMap<String, Instant>,
    /// Messages edited (keyboard or text): (chat, message id).
    pub edits: Vec<(i64, i64)>,
    /// Text edits, in order: (chat, message id, the text as edited).
    pub text_edits: Vec<(i64, i64, String)>,
    pub commands: Vec<Value>,
    pub calls: HashMap<String, usize>,
    started: HashSet<i64>,
    admins: HashSet<(i64, i64)>,
    migrated: HashMap<i64, i64>,
    scripted_429: HashMap<i64, VecDeque<u64>>,
    /// Chats whose sends get no answer until released (a hung connection).
    stalled: HashSet<i64>,
    /// The texts of sends that have hung (so far) in a stalled chat.
    pub stalled_sends: Vec<String>,
    /// Chats whose sends are answered 500, until healed.
    failing: HashSet<i64>,
    /// How many polls from now are answered 500.
    failing_polls: usize,
    pub webhook: Option<Webhook>,
    /// Where the webhook's public URL reaches (scheme, host and port).
    /// Where the webhook's URL reaches: the instances behind the load
    /// balancer, taken in turn (the next after a failed delivery).
    webhook_targets: Vec<String>,
    next_target: usize,
    pub deliveries: Vec<Delivery>,
    /// Every n-th update is delivered twice (0: never).
    deliver_twice_every: i64,
    last_webhook_error: Option<String>,
    overall: Window,
    groups: HashMap<i64, Window>,
    limits: Limits,
    rng: u64,
}

/// The sends of the last `period`: Telegram counts every message, so no
/// window of that length, wherever it starts, may hold more than its limit.
#[derive(Default)]
struct Window(VecDeque<Instant>);

impl Window {
    /// How long until one more send fits, if it does not now.
    fn wait(&mut self, limit: u32, period: Duration, now: Instant) -> Option<Duration> {
        while self.0.front().is_some_and(|&at| now.duration_since(at) >= period) {
            self.0.pop_front();
        }
        (self.0.len() >= limit as usize).then(|| period - now.duration_since(self.0[0]))
    }
}

pub struct FakeTelegram {
    pub url: String,
    state: Arc<Mutex<State>>,
    news: Arc<Notify>,
    server: tokio::task::JoinHandle<()>,
    webhooks: tokio::task::JoinHandle<()>,
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        self.server.abort();
        self.webhooks.abort();
    }
}

impl FakeTelegram {
    pub async fn start(limits: Limits) -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            next_update: 1,
            next_message: 1,
            limits,
            rng: limits.seed.max(1),
            ..State::default()
        }));
        let news = Arc::new(Notify::new());
        let (s, n) = (state.clone(), news.clone());
        let server = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (s, n) = (s.clone(), n.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| serve(s.clone(), n.clone(), request));
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        let (s, n) = (state.clone(), news.clone());
        let webhooks = tokio::spawn(deliver_by_webhook(s, n));
        FakeTelegram {
            url,
            state,
            news,
            server,
            webhooks,
        }
    }

    /// The webhook's public URL reaches `target` (`http://127.0.0.1:PORT`):
    /// the reverse proxy that ends TLS in front of the bot.
    pub fn route_webhook_to(&self, target: &str) {
        self.route_webhook_to_all(&[target]);
    }

    /// The webhook's URL reaches several instances, taken in turn.
    pub fn route_webhook_to_all(&self, targets: &[&str]) {
        self.state().webhook_targets = targets.iter().map(|t| t.trim_end_matches('/').to_string()).collect();
        self.news.notify_waiters();
    }

    /// Every `n`-th update is delivered twice by the webhook.
    pub fn deliver_twice_every(&self, n: i64) {
        self.state().deliver_twice_every = n;
    }

    /// A webhook set as if by another instance or an operator.
    pub fn set_webhook(&self, url: &str) {
        self.state().webhook = Some(Webhook {
            url: url.to_string(),
            secret: None,
            allowed_updates: None,
            max_connections: None,
        });
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// The member opened a private chat with the bot (pressed Start).
    pub fn start_private_chat(&self, user: i64) {
        self.state().started.insert(user);
    }

    pub fn make_admin(&self, chat: i64, user: i64) {
        self.state().admins.insert((chat, user));
    }

    /// The group became a supergroup: sends to `from` are refused from now.
    pub fn migrate(&self, from: i64, to: i64) {
        self.state().migrated.insert(from, to);
    }

    /// Sends to `chat` hang from now, unanswered, until [`FakeTelegram::release`];
    /// a send whose client goes away meanwhile never happened.
    pub fn stall(&self, chat: i64) {
        self.state().stalled.insert(chat);
    }

    pub fn release(&self, chat: i64) {
        self.state().stalled.remove(&chat);
    }

    /// Sends to `chat` are answered 500 Internal Server Error from now,
    /// until [`FakeTelegram::heal`].
    pub fn fail_sends(&self, chat: i64) {
        self.state().failing.insert(chat);
    }

    pub fn heal(&self, chat: i64) {
        self.state().failing.remove(&chat);
    }

    /// The next `n` polls (`getUpdates`) are answered 500.
    pub fn fail_polls(&self, n: usize) {
        self.state().failing_polls = n;
    }

    /// The next send to `chat` is answered 429 with `retry_after`.
    pub fn refuse_next(&self, chat: i64, retry_after: u64) {
        self.state()
            .scripted_429
            .entry(chat)
            .or_default()
            .push_back(retry_after);
    }

    /// Queues an update (its `update_id` is set here).
    pub fn push(&self, update: Value) {
        let mut state = self.state();
        let id = state.next_update;
        state.next_update += 1;
        let mut update = update;
        update["update_id"] = json!(id);
        state.pushed.insert(id, update.clone());
        state.updates.push_back((id, update));
        drop(state);
        self.news.notify_waiters();
    }

    /// Sends update `id` again, as Telegram does when it was not confirmed
    /// in time (a slow answer, a restart): the same `update_id`.
    pub fn redeliver(&self, id: i64) {
        let mut state = self.state();
        let Some(update) = state.pushed.get(&id).cloned() else {
            panic!("no update {id} was pushed");
        };
        let at = state.updates.partition_point(|(queued, _)| *queued < id);
        state.updates.insert(at, (id, update));
        drop(state);
        self.news.notify_waiters();
    }

    /// The id of the last update pushed.
    pub fn last_update_id(&self) -> i64 {
        self.state().next_update - 1
    }

    /// Whether every update was fetched and confirmed by the bot.
    pub fn updates_taken(&self) -> bool {
        self.state().updates.is_empty()
    }

    pub fn documents(&self) -> Vec<Document> {
        self.state().documents.clone()
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.state().sent.clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.state().violations.clone()
    }

    /// Waits until `done` holds (polling), or panics after `within`.
    pub async fn wait_for(&self, what: &str, within: Duration, done: impl Fn(&State) -> bool) {
        waiting::wait_until(&self.state, what, within, done, |state| {
            let texts: Vec<String> = state
                .sent
                .iter()
                .map(|s| format!("{}: {}", s.chat_id, s.text))
                .collect();
            format!("sent so far:\n{}\nviolations: {:?}", texts.join("\n"), state.violations)
        })
        .await
    }
}

fn reply(code: u16, body: Value) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap())
}

fn error(code: u16, description: &str) -> Value {
    json!({"ok": false, "error_code": code, "description": description})
}

fn ok(result: Value) -> Value {
    json!({"ok": true, "result": result})
}

pub fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Seatmate", "username": BOT_USERNAME})
}

/// `getMe`'s answer: the bot, and what it can do.
fn me() -> Value {
    let mut me = bot_user();
    for (key, value) in [
        ("can_join_groups", true),
        ("can_read_all_group_messages", false),
        ("supports_inline_queries", false),
        ("can_connect_to_business", false),
        ("has_main_web_app", false),
    ] {
        me[key] = json!(value);
    }
    me
}

async fn serve(
    state: Arc<Mutex<State>>,
    news: Arc<Notify>,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_string();
    let boundary = multipart::boundary(request.headers());
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let Some((token, method)) = path.trim_start_matches("/bot").split_once('/') else {
        return reply(404, error(404, "Not Found"));
    };
    if token != TOKEN {
        return reply(401, error(401, "Unauthorized"));
    }
    let mut files = Vec::new();
    let params: Value = if body.is_empty() {
        json!({})
    } else if let Some(boundary) = &boundary {
        match multipart::read(&body, boundary) {
            Some((fields, found)) => {
                files = found;
                fields
            }
            None => return reply(400, error(400, "Bad Request: the multipart body cannot be read")),
        }
    } else {
        match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(_) => return reply(400, error(400, "Bad Request: the body is not JSON")),
        }
    };
    // Telegram reads method names ignoring case (teloxide sends `GetMe`).
    let Some(method) = spec()["methods"]
        .as_object()
        .and_then(|methods| methods.keys().find(|m| m.eq_ignore_ascii_case(method)))
        .map(String::as_str)
    else {
        state
            .lock()
            .unwrap()
            .violations
            .push(format!("there is no method {method}"));
        return reply(404, error(404, "Not Found: method not found"));
    };
    *state.lock().unwrap().calls.entry(method.to_string()).or_default() += 1;
    if let Err(problem) = validate_call(method, &params) {
        state.lock().unwrap().violations.push(format!("{method}: {problem}"));
        return reply(400, error(400, &format!("Bad Request: {problem}")));
    }
    match method {
        "getMe" => reply(200, ok(me())),
        "getUpdates" => {
            let failing = {
                let mut state = state.lock().unwrap();
                let failing = state.failing_polls > 0;
                state.failing_polls = state.failing_polls.saturating_sub(1);
                failing
            };
            if failing {
                return reply(500, error(500, "Internal Server Error"));
            }
            if state.lock().unwrap().webhook.is_some() {
                return reply(
                    409,
                    error(
                        409,
                        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                    ),
                );
            }
            get_updates(&state, &news, &params).await
        }
        "sendMessage" => {
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            if state.lock().unwrap().stalled.contains(&chat) {
                let text = params["text"].as_str().unwrap_or_default().to_string();
                state.lock().unwrap().stalled_sends.push(text);
            }
            while state.lock().unwrap().stalled.contains(&chat) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            if state.lock().unwrap().failing.contains(&chat) {
                return reply(500, error(500, "Internal Server Error"));
            }
            send_message(&state, &params)
        }
        "sendDocument" | "sendPhoto" => {
            let photo = method == "sendPhoto";
            let field = if photo { "photo" } else { "document" };
            // The field says `attach://<part>`; the part carries the file.
            let attached = params[field].as_str().and_then(|d| d.strip_prefix("attach://"));
            let Some(file) = files.into_iter().find(|f| Some(f.field.as_str()) == attached) else {
                return reply(
                    400,
                    error(400, &format!("Bad Request: there is no {field} in the request")),
                );
            };
            // Telegram reads a photo as an image, and refuses what is not one.
            let image = file.content.starts_with(b"\x89PNG\r\n\x1a\n") || file.content.starts_with(&[0xff, 0xd8]);
            if photo && !image {
                return reply(400, error(400, "Bad Request: IMAGE_PROCESS_FAILED"));
            }
            let chat = params["chat_id"].as_i64().unwrap_or(0);
            let shown = json!({"chat_id": chat, "text": format!("[{field} {}]", file.file_name)});
            let answer = send_message(&state, &shown);
            if answer.as_ref().is_ok_and(|r| r.status() == 200) {
                state.lock().unwrap().documents.push(Document {
                    chat_id: chat,
                    file_name: file.file_name,
                    content: file.content,
                    photo,
                });
            }
            answer
        }
        "editMessageReplyMarkup" | "editMessageText" => edit_message(&state, method, &params),
        "answerCallbackQuery" => {
            let text = params["text"].as_str().map(str::to_string);
            let query: String = params["callback_query_id"].as_str().unwrap_or_default().into();
            let mut state = state.lock().unwrap();
            state.answered_at.entry(query.clone()).or_insert_with(Instant::now);
            state.answers.push((query, text));
            reply(200, ok(json!(true)))
        }
        "setWebhook" => set_webhook(&state, &news, &params),
        "deleteWebhook" => {
            state.lock().unwrap().webhook = None;
            reply(200, ok(json!(true)))
        }
        "getWebhookInfo" => {
            let state = state.lock().unwrap();
            let mut info = json!({"url": "", "has_custom_certificate": false,
                                  "pending_update_count": state.updates.len()});
            if let Some(hook) = &state.webhook {
                info["url"] = json!(hook.url);
                if let Some(max) = hook.max_connections {
                    info["max_connections"] = json!(max);
                }
                if let Some(kinds) = &hook.allowed_updates {
                    info["allowed_updates"] = kinds.clone();
                }
                if let Some(why) = &state.last_webhook_error {
                    info["last_error_date"] = json!(1_700_000_000);
                    info["last_error_message"] = json!(why);
                }
            }
            reply(200, ok(info))
        }
        "setMyCommands" => {
            state.lock().unwrap().commands.push(params);
            reply(200, ok(json!(true)))
        }
        "getChatMember" => {
            let (chat, user) = (
                params["chat_id"].as_i64().unwrap_or(0),
                params["user_id"].as_i64().unwrap_or(0),
            );
            let admin = state.lock().unwrap().admins.contains(&(chat, user));
            let user = json!({"id": user, "is_bot": false, "first_name": "someone"});
            let member = if admin {
                json!({"status": "creator", "user": user, "is_anonymous": false})
            } else {
                json!({"status": "member", "user": user})
            };
            reply(200, ok(member))
        }
        _ => reply(404, error(404, "Not Found: method not found")),
    }
}

/// `setWebhook`, refused as Telegram refuses a URL it would not call or a
/// secret it does not allow.
fn set_webhook(state: &Mutex<State>, news: &Notify, params: &Value) -> Result<Response<Full<Bytes>>, Infallible> {
    let url = params["url"].as_str().unwrap_or_default().to_string();
    if url.is_empty() {
        state.lock().unwrap().webhook = None;
        return reply(200, ok(json!(true)));
    }
    let Some(rest) = url.strip_prefix("https://") else {
        return reply(
            400,
            error(
                400,
                "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
            ),
        );
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let port = authority
        .rsplit_once(':')
        .map(|(_, port)| port.parse::<u16>().unwrap_or(0));
    if port.is_some_and(|port| ![443, 80, 88, 8443].contains(&port)) {
        return reply(
            400,
            error(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            ),
        );
    }
    let secret = params["secret_token"].as_str().map(str::to_string);
    if secret.as_deref().is_some_and(|s| {
        s.is_empty() || s.len() > 256 || !s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    }) {
        return reply(
            400,
            error(400, "Bad Request: secret token contains unallowed characters"),
        );
    }
    // Sent as a JSON array, or as its text in a multipart request.
    let kinds = match &params["allowed_updates"] {
        Value::String(text) => serde_json::from_str(text).ok(),
        Value::Null => None,
        other => Some(other.clone()),
    };
    state.lock().unwrap().webhook = Some(Webhook {
        url,
        secret,
        allowed_updates: kinds,
        max_connections: params["max_connections"]
            .as_i64()
            .or_else(|| params["max_connections"].as_str().and_then(|m| m.parse().ok())),
    });
    news.notify_waiters();
    reply(200, ok(json!(true)))
}

/// Delivers the queued updates to the webhook, in order, one at a time:
/// an update leaves the queue when the bot answers 2xx in time.
async fn deliver_by_webhook(state: Arc<Mutex<State>>, news: Arc<Notify>) {
    let client = reqwest::Client::builder().timeout(WEBHOOK_TIMEOUT).build().unwrap();
    loop {
        let notified = news.notified();
        let next = {
            let mut state = state.lock().unwrap();
            let twice = state.deliver_twice_every > 0
                && state
                    .updates
                    .front()
                    .is_some_and(|(id, _)| id % state.deliver_twice_every == 0);
            // Each delivery to the next instance in turn (a second one too).
            let mut targets = Vec::new();
            for _ in 0..if twice { 2 } else { 1 } {
                state.next_target = state.next_target.wrapping_add(1);
                if let Some(target) = state
                    .webhook_targets
                    .get(state.next_target % state.webhook_targets.len().max(1))
                {
                    targets.push(target.clone());
                }
            }
            match (&state.webhook, state.updates.front()) {
                (Some(hook), Some((id, update))) if !targets.is_empty() => {
                    let path = hook.url.splitn(4, '/').nth(3).unwrap_or_default();
                    let urls: Vec<String> = targets.iter().map(|t| format!("{t}/{path}")).collect();
                    Some((urls, hook.secret.clone(), *id, update.clone()))
                }
                _ => None,
            }
        };
        let Some((urls, secret, id, update)) = next else {
            let _ = tokio::time::timeout(Duration::from_millis(200), notified).await;
            continue;
        };
        let mut delivered = false;
        for url in &urls {
            let mut request = client
                .post(url)
                .header("content-type", "application/json")
                .body(update.to_string());
            if let Some(secret) = &secret {
                request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
            }
            let status = match request.send().await {
                Ok(answer) => answer.status().as_u16(),
                Err(_) => 0,
            };
            let mut state = state.lock().unwrap();
            state.deliveries.push(Delivery { update_id: id, status });
            if (200..300).contains(&status) {
                delivered = true;
            } else {
                state.last_webhook_error = Some(match status {
                    0 => "Connection timed out".to_string(),
                    code => format!("Wrong response from the webhook: {code}"),
                });
            }
        }
        if delivered {
            let mut state = state.lock().unwrap();
            if state.updates.front().is_some_and(|(front, _)| *front == id) {
                state.updates.pop_front();
            }
        } else {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

async fn get_updates(state: &Mutex<State>, news: &Notify, params: &Value) -> Result<Response<Full<Bytes>>, Infallible> {
    let offset = params["offset"].as_i64().unwrap_or(0);
    let wait = Duration::from_secs(params["timeout"].as_u64().unwrap_or(0).min(2));
    let until = Instant::now() + wait;
    loop {
        let notified = news.notified();
        {
            let mut state = state.lock().unwrap();
            // Telegram forgets what the bot confirmed by asking past it.
            while state.updates.front().is_some_and(|(id, _)| *id < offset) {
                state.updates.pop_front();
            }
            if !state.updates.is_empty() {
                let updates: Vec<Value> = state.updates.iter().map(|(_, u)| u.clone()).collect();
                return reply(200, ok(Value::Array(updates)));
            }
        }
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || tokio::time::timeout(left, notified).await.is_err() {
            return reply(200, ok(json!([])));
        }
    }
}

/// A message's inline keyboard: each button as (label, callback_data or url).
fn keyboard_of(params: &Value) -> Vec<(String, String)> {
    params["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .map(|b| {
            let target = b["callback_data"].as_str().or(b["url"].as_str()).unwrap_or_default();
            (b["text"].as_str().unwrap_or_default().to_string(), target.to_string())
        })
        .collect()
}

/// Edits a sent message as `method` does: its text (`editMessageText`,
/// which takes the keyboard away unless it names one) or its keyboard; an
/// edit that changes nothing is refused, as Telegram refuses it.
fn edit_message(state: &Mutex<State>, method: &str, params: &Value) -> Result<Response<Full<Bytes>>, Infallible> {
    let (chat, message) = (
        params["chat_id"].as_i64().unwrap_or(0),
        params["message_id"].as_i64().unwrap_or(0),
    );
    let html = params["text"].as_str().map(str::to_string);
    let text = match html.as_deref().map(visible_text) {
        Some(Err(problem)) => return reply(400, error(400, &format!("Bad Request: {problem}"))),
        Some(Ok(text)) => Some(text),
        None => None,
    };
    let mut state = state.lock().unwrap();
    let Some(sent) = state
        .sent
        .iter_mut()
        .find(|m| m.chat_id == chat && m.message_id == message)
    else {
        return reply(400, error(400, "Bad Request: message to edit not found"));
    };
    let buttons = keyboard_of(params);
    let same_text = html.as_ref().is_none_or(|h| *h == sent.html);
    if same_text && sent.buttons == buttons {
        return reply(
            400,
            error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"),
        );
    }
    if let (Some(html), Some(text)) = (html, text) {
        sent.html = html;
        sent.text = text;
    }
    sent.buttons = buttons;
    let text = sent.text.clone();
    state.edits.push((chat, message));
    if method == "editMessageText" {
        state.text_edits.push((chat, message, text.clone()));
    }
    reply(200, ok(bot_message(chat, message, &text)))
}

/// A message of the bot's as Telegram returns it.
fn bot_message(chat: i64, message_id: i64, text: &str) -> Value {
    let chat_type = if chat > 0 { "private" } else { "supergroup" };
    json!({"message_id": message_id, "date": 1_700_000_000, "chat": {"id": chat, "type": chat_type},
           "from": bot_user(), "text": text})
}

fn send_message(state: &Mutex<State>, params: &Value) -> Result<Response<Full<Bytes>>, Infallible> {
    let chat = params["chat_id"].as_i64().unwrap_or(0);
    let html = params["text"].as_str().unwrap_or_default().to_string();
    let now = Instant::now();
    let mut state = state.lock().unwrap();
    let refuse = |state: &mut State, code: u16, body: Value| {
        state.refused.push(Refusal {
            chat_id: chat,
            code,
            at: now,
            text: html.clone(),
        });
        reply(code, body)
    };
    if let Some(to) = state.migrated.get(&chat).copied() {
        let body = json!({"ok": false, "error_code": 400,
            "description": "Bad Request: group chat was upgraded to a supergroup chat",
            "parameters": {"migrate_to_chat_id": to}});
        return refuse(&mut state, 400, body);
    }
    if chat > 0 && !state.started.contains(&chat) {
        return refuse(
            &mut state,
            403,
            error(403, "Forbidden: bot can't initiate conversation with a user"),
        );
    }
    let scripted = state.scripted_429.get_mut(&chat).and_then(VecDeque::pop_front);
    let limits = state.limits;
    let random = limits.random_429 > 0.0 && {
        // xorshift64: seeded, so a run is repeatable.
        state.rng ^= state.rng << 13;
        state.rng ^= state.rng >> 7;
        state.rng ^= state.rng << 17;
        (state.rng % 10_000) as f64 / 10_000.0 < limits.random_429
    };
    let over_all = state.overall.wait(limits.per_second, Duration::from_secs(1), now);
    let over_group = if chat < 0 {
        let group = state.groups.entry(chat).or_default();
        group.wait(limits.per_group_per_minute, Duration::from_secs(60), now)
    } else {
        None
    };
    let over = over_all.max(over_group);
    if over.is_none() && scripted.is_none() && !random {
        state.overall.0.push_back(now);
        if chat < 0 {
            state.groups.entry(chat).or_default().0.push_back(now);
        }
    }
    let retry_after = scripted
        .or(over.map(|d| d.as_secs_f64().ceil().max(1.0) as u64))
        .or(random.then_some(1));
    if let Some(seconds) = retry_after {
        let body = json!({"ok": false, "error_code": 429,
            "description": format!("Too Many Requests: retry after {seconds}"),
            "parameters": {"retry_after": seconds}});
        return refuse(&mut state, 429, body);
    }
    let message_id = state.next_message;
    state.next_message += 1;
    let buttons = keyboard_of(params);
    let text = visible_text(&html).unwrap_or_default();
    state.sent.push(Sent {
        chat_id: chat,
        message_id,
        html,
        text: text.clone(),
        reply_to: params["reply_parameters"]["message_id"].as_i64(),
        buttons,
        at: now,
    });
    reply(200, ok(bot_message(chat, message_id, &text)))
}

// ----- updates, as Telegram writes them -------------------------------------

pub fn user(id: i64, first_name: &str, username: Option<&str>) -> Value {
    let mut user = json!({"id": id, "is_bot": false, "first_name": first_name, "language_code": "en"});
    if let Some(username) = username {
        user["username"] = json!(username);
    }
    user
}

pub fn chat(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": "someone"})
    } else {
        json!({"id": id, "type": "supergroup", "title": "Coworkers"})
    }
}

static MESSAGE_IDS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(100_000);

pub fn next_message_id() -> i64 {
    MESSAGE_IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A text message, with Telegram's `bot_command` entity when it starts with one.
pub fn message(chat_id: i64, from: &Value, text: &str) -> Value {
    let mut message = json!({"message_id": next_message_id(), "date": 1_700_000_000, "chat": chat(chat_id),
                             "from": from, "text": text});
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .encode_utf16()
            .count();
        message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    message
}

pub fn message_update(message: Value) -> Value {
    json!({"message": message})
}

pub fn press(query_id: &str, from: &Value, sent: &Sent, data: &str) -> Value {
    json!({"callback_query": {"id": query_id, "from": from, "chat_instance": "1", "data": data,
        "message": {"message_id": sent.message_id, "date": 1_700_000_000, "chat": chat(sent.chat_id),
                    "from": bot_user(), "text": sent.text}}})
}

pub fn bot_membership(chat_id: i64, by: &Value, old: &str, new: &str) -> Value {
    json!({"my_chat_member": {"chat": chat(chat_id), "from": by, "date": 1_700_000_000,
        "old_chat_member": {"status": old, "user": bot_user()},
        "new_chat_member": {"status": new, "user": bot_user()}}})
}
