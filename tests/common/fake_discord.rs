//! A fake Discord on 127.0.0.1, for end-to-end tests and the delivery
//! benchmark: the REST routes Seatmate calls and a gateway WebSocket
//! (HELLO, heartbeat ACK, IDENTIFY → READY, INTERACTION_CREATE). Every REST
//! request is checked against Discord's OpenAPI description
//! (`tests/fixtures/discord-openapi.subset.json`): the route and method
//! exist, the body matches its schema (fields that exist, required ones,
//! types, lengths and counts), and Discord's own rules on top (content of at
//! most 2,000 characters; command names lower case 1–32, descriptions
//! 1–100, at most 25 options, required options first). What Discord would
//! refuse is answered 400 and recorded as a violation.
//!
//! It answers interactions' callbacks with 204, fails DMs with 50007 for the
//! users a test names, and answers 429 when a test asks.

#![allow(dead_code)]

#[path = "multipart.rs"]
mod multipart;
#[path = "discord_schema.rs"]
mod schema;
#[path = "waiting.rs"]
mod waiting;

use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, Response};
use serde_json::{json, Value};
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message as Ws;

use schema::{discord_rules, spec, validate};

pub const TOKEN: &str = "MTIz.fake-discord.token_for-tests";
pub const BOT_ID: u64 = 999;
pub const APPLICATION_ID: u64 = 777;
pub const GUILD_ID: u64 = 400;
/// Offset of a member's DM channel id from their user id.
const DM_BASE: u64 = 9_000_000;

/// A message the bot posted (in a channel, a DM, or as an interaction
/// answer).
#[derive(Debug, Clone)]
pub struct Posted {
    pub channel_id: u64,
    pub content: String,
    /// `allowed_mentions.users`, and whether anything broader was allowed.
    pub pings: Vec<String>,
    pub pings_broadly: bool,
    /// Each button as (label, custom_id).
    pub buttons: Vec<(String, String)>,
    pub ephemeral: bool,
    /// The interaction it answers, if it does.
    pub answers: Option<String>,
    /// Attached files: (name, content).
    pub files: Vec<(String, Vec<u8>)>,
    pub at: Instant,
    /// Its id, for a message posted to a channel (0 for an interaction's answer).
    pub message_id: u64,
    /// Its embeds, as sent.
    pub embeds: Vec<Value>,
    /// The labels of its buttons that cannot be pressed.
    pub disabled: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Refusal {
    pub channel_id: u64,
    pub code: u16,
    pub at: Instant,
}

#[derive(Default)]
pub struct State {
    pub posted: Vec<Posted>,
    /// Messages edited: (channel, message id).
    pub edits: Vec<(u64, u64)>,
    pub refused: Vec<Refusal>,
    pub violations: Vec<String>,
    /// The commands a member of the server sees: the server's own, then
    /// the global ones (a name in both is listed twice).
    pub commands: Vec<Value>,
    pub guild_commands: Vec<Value>,
    pub global_commands: Vec<Value>,
    /// Interaction id → when it arrived and when it was first answered.
    pub interactions: HashMap<String, (Instant, Option<Instant>)>,
    /// Interactions answered with a deferral (callback type 5).
    pub deferred: Vec<String>,
    pub autocompletes: Vec<Vec<String>>,
    closed_dms: HashSet<u64>,
    /// Channels where the bot lacks Send Messages: posts get 50013, and
    /// interactions there carry `app_permissions` without it.
    no_send: HashSet<u64>,
    /// Interaction callbacks still to fail with 502.
    pub failing_callbacks: usize,
    /// How often the bot asked where the gateway is.
    pub gateway_asked: usize,
    /// IDENTIFYs received (Discord allows 1,000 a day).
    pub identifies: usize,
    /// The bot's interactions endpoints, in HTTP mode: the instances behind
    /// the load balancer, taken in turn.
    endpoints: Vec<String>,
    next_endpoint: usize,
    /// What the endpoint answered each interaction POSTed: (id, status).
    pub endpoint_answers: Vec<(String, u16)>,
    /// The server's channels besides `300`: (id, name).
    channels: Vec<(u64, String)>,
    scripted_429: HashMap<u64, VecDeque<()>>,
    next_id: u64,
    random_429: f64,
    rng: u64,
}

pub struct FakeDiscord {
    pub url: String,
    state: Arc<Mutex<State>>,
    events: broadcast::Sender<Value>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl State {
    /// The bot may post everywhere again.
    pub fn no_send_clear(&mut self) {
        self.no_send.clear();
    }
}

impl FakeDiscord {
    /// `random_429`: the share of channel messages answered 429 (seeded).
    pub async fn start(random_429: f64, seed: u64) -> FakeDiscord {
        let rest = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", rest.local_addr().unwrap());
        let ws_url = format!("ws://{}", gateway.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State {
            next_id: 10_000,
            random_429,
            rng: seed.max(1),
            ..State::default()
        }));
        let (events, _) = broadcast::channel(1024);
        let (s, ws) = (state.clone(), ws_url.clone());
        let rest_task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = rest.accept().await else { continue };
                let (s, ws) = (s.clone(), ws.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |r| serve(s.clone(), ws.clone(), r));
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        let (e, s) = (events.clone(), state.clone());
        let gateway_task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = gateway.accept().await else {
                    continue;
                };
                tokio::spawn(session(stream, e.subscribe(), s.clone(), ws_url.clone()));
            }
        });
        FakeDiscord {
            url,
            state,
            events,
            tasks: vec![rest_task, gateway_task],
        }
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// DMs to this user fail with 50007.
    pub fn close_dms(&self, user: u64) {
        self.state().closed_dms.insert(user);
    }

    /// The bot loses Send Messages in `channel` (a role or an overwrite
    /// taken away): posts there get 403 50013 Missing Permissions.
    pub fn forbid_posting(&self, channel: u64) {
        self.state().no_send.insert(channel);
    }

    /// The next message to `channel` is answered 429.
    pub fn refuse_next(&self, channel: u64) {
        self.state().scripted_429.entry(channel).or_default().push_back(());
    }

    pub fn dm_channel(user: u64) -> u64 {
        DM_BASE + user
    }

    /// Sends an interaction to the bot through the gateway (again, for one
    /// sent before: a replay, which Discord lets be answered only once).
    pub fn interact(&self, mut interaction: Value) {
        let id = interaction["id"].as_str().unwrap_or_default().to_string();
        let channel: u64 = interaction["channel_id"]
            .as_str()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        if self.state().no_send.contains(&channel) {
            interaction["app_permissions"] = json!(APP_PERMISSIONS_WITHOUT_SEND);
        }
        self.state().interactions.entry(id).or_insert((Instant::now(), None));
        let endpoint = {
            let mut state = self.state();
            state.next_endpoint = state.next_endpoint.wrapping_add(1);
            let n = state.endpoints.len().max(1);
            state.endpoints.get(state.next_endpoint % n).cloned()
        };
        match endpoint {
            Some(endpoint) => {
                tokio::spawn(deliver_over_http(self.state.clone(), endpoint, interaction));
            }
            None => {
                let _ = self.events.send(json!({"t": "INTERACTION_CREATE", "d": interaction}));
            }
        }
    }

    /// From now, interactions are POSTed to `url` (the bot's interactions
    /// endpoint), signed with [`SIGNING_KEY`], instead of coming over the
    /// gateway: HTTP mode, as the developer portal's Interactions Endpoint
    /// URL makes it.
    pub fn deliver_over_http(&self, url: &str) {
        self.deliver_over_http_to_all(&[url]);
    }

    /// HTTP mode with several instances behind a load balancer: each
    /// interaction goes to the next in turn.
    pub fn deliver_over_http_to_all(&self, urls: &[&str]) {
        self.state().endpoints = urls.iter().map(|u| u.to_string()).collect();
    }

    /// The bot is added to the server (again): GUILD_CREATE with a fresh
    /// `joined_at`, its channels and the bot's permissions in each.
    pub fn add_to_server(&self) {
        let guild = guild(&self.state(), &chrono::Utc::now().to_rfc3339());
        let _ = self.events.send(json!({"t": "GUILD_CREATE", "d": guild}));
    }

    /// A channel of the server besides the first (`300`).
    pub fn add_channel(&self, id: u64, name: &str) {
        self.state().channels.push((id, name.to_string()));
    }

    pub fn posted(&self) -> Vec<Posted> {
        self.state().posted.clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.state().violations.clone()
    }

    pub async fn wait_for(&self, what: &str, within: Duration, done: impl Fn(&State) -> bool) {
        waiting::wait_until(&self.state, what, within, done, |state| {
            let texts: Vec<String> = state
                .posted
                .iter()
                .map(|p| {
                    format!(
                        "{}{}: {}",
                        p.channel_id,
                        if p.ephemeral { " (ephemeral)" } else { "" },
                        p.content
                    )
                })
                .collect();
            format!(
                "posted so far:\n{}\nviolations: {:?}",
                texts.join("\n"),
                state.violations
            )
        })
        .await
    }
}

// ----- the gateway ----------------------------------------------------------

async fn session(
    stream: tokio::net::TcpStream,
    mut events: broadcast::Receiver<Value>,
    state: Arc<Mutex<State>>,
    ws_url: String,
) {
    let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let hello = json!({"op": 10, "d": {"heartbeat_interval": 45000}});
    if ws.send(Ws::Text(hello.to_string())).await.is_err() {
        return;
    }
    let mut sequence = 0u64;
    let mut ready = false;
    loop {
        tokio::select! {
            incoming = ws.next() => {
                let Some(Ok(message)) = incoming else { return };
                let Ok(text) = message.to_text() else { continue };
                let Ok(payload) = serde_json::from_str::<Value>(text) else { continue };
                match payload["op"].as_u64() {
                    Some(1) => {
                        let _ = ws.send(Ws::Text(json!({"op": 11}).to_string())).await;
                    }
                    Some(2) => {
                        let token = payload["d"]["token"].as_str().unwrap_or_default();
                        if token.trim_start_matches("Bot ") != TOKEN {
                            state.lock().unwrap().violations.push("IDENTIFY with a wrong token".into());
                            let _ = ws.close(None).await;
                            return;
                        }
                        state.lock().unwrap().identifies += 1;
                        let intents = payload["d"]["intents"].as_u64().unwrap_or(0);
                        // GUILDS only: no privileged intent (members, presences, message content).
                        if intents & !1 != 0 {
                            state.lock().unwrap().violations.push(format!("intents {intents} beyond GUILDS"));
                        }
                        sequence += 1;
                        let ready_event = json!({"op": 0, "t": "READY", "s": sequence, "d": {
                            "v": 10, "user": bot_user(), "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
                            "session_id": "session", "resume_gateway_url": ws_url, "shard": [0, 1],
                            "application": {"id": APPLICATION_ID.to_string(), "flags": 0}}});
                        if ws.send(Ws::Text(ready_event.to_string())).await.is_err() {
                            return;
                        }
                        sequence += 1;
                        let guild = guild(&state.lock().unwrap(), "2026-01-01T00:00:00Z");
                        let guild_event = json!({"op": 0, "t": "GUILD_CREATE", "s": sequence, "d": guild});
                        if ws.send(Ws::Text(guild_event.to_string())).await.is_err() {
                            return;
                        }
                        ready = true;
                    }
                    _ => {}
                }
            }
            event = events.recv(), if ready => {
                let Ok(event) = event else { continue };
                sequence += 1;
                let dispatch = json!({"op": 0, "t": event["t"], "s": sequence, "d": event["d"]});
                if ws.send(Ws::Text(dispatch.to_string())).await.is_err() {
                    return;
                }
            }
        }
    }
}

// ----- REST -------------------------------------------------------------------

fn reply(code: u16, body: Option<Value>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    Ok(Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body)))
        .unwrap())
}

fn error(code: u16, discord_code: u64, message: &str) -> Result<Response<Full<Bytes>>, Infallible> {
    reply(code, Some(json!({"code": discord_code, "message": message})))
}

/// The server, as GUILD_CREATE carries it: its channels, @everyone's
/// permissions (the fake's [`APP_PERMISSIONS`]), Send Messages denied to it
/// where posting is forbidden, and the bot's member (joined at `joined_at`).
fn guild(state: &State, joined_at: &str) -> Value {
    let guild = r#"{
        "id": "GUILD", "name": "Coworkers", "icon": null, "splash": null, "discovery_splash": null,
        "owner_id": "11", "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [], "emojis": [],
        "features": [], "mfa_level": 0, "application_id": null, "system_channel_id": null,
        "system_channel_flags": 0, "rules_channel_id": null, "vanity_url_code": null, "description": null,
        "banner": null, "premium_tier": 0, "preferred_locale": "en-US", "public_updates_channel_id": null,
        "nsfw_level": 0, "premium_progress_bar_enabled": false, "joined_at": "2026-01-01T00:00:00Z",
        "large": false, "member_count": 4, "members": [], "voice_states": [], "presences": [],
        "channels": [], "threads": [], "stage_instances": [], "stickers": [], "guild_scheduled_events": [],
        "safety_alerts_channel_id": null
    }"#;
    let mut guild: Value = serde_json::from_str(&guild.replace("GUILD", &GUILD_ID.to_string())).expect("a guild");
    let everyone = GUILD_ID.to_string();
    guild["joined_at"] = json!(joined_at);
    guild["roles"] = json!([{"id": everyone, "name": "@everyone", "color": 0, "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null}, "hoist": false, "icon": null,
        "unicode_emoji": null, "position": 0, "permissions": APP_PERMISSIONS, "managed": false,
        "mentionable": false, "flags": 0}]);
    guild["members"] = json!([{"user": bot_user(), "roles": [], "joined_at": joined_at, "deaf": false,
        "mute": false, "flags": 0, "nick": null}]);
    let channels: Vec<Value> = std::iter::once((300, "coworking".to_string()))
        .chain(state.channels.iter().cloned())
        .enumerate()
        .map(|(position, (id, name))| {
            let overwrites = if state.no_send.contains(&id) {
                json!([{"id": everyone, "type": 0, "allow": "0", "deny": "2048"}])
            } else {
                json!([])
            };
            json!({"id": id.to_string(), "type": 0, "guild_id": everyone, "name": name, "position": position,
                   "permission_overwrites": overwrites, "nsfw": false, "parent_id": null})
        })
        .collect();
    guild["channels"] = json!(channels);
    guild
}

pub fn bot_user() -> Value {
    json!({"id": BOT_ID.to_string(), "username": "Seatmate", "discriminator": "0", "global_name": null,
           "avatar": null, "bot": true})
}

pub fn user(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null})
}

fn message(id: u64, channel: u64, content: &str) -> Value {
    json!({"id": id.to_string(), "channel_id": channel.to_string(), "author": bot_user(), "content": content,
           "timestamp": "2026-11-24T10:00:00+00:00", "edited_timestamp": null, "tts": false,
           "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
           "pinned": false, "type": 0, "components": []})
}

/// The route template a path matches, with its parameters.
fn route(path: &str) -> Option<(&'static str, Vec<String>)> {
    let templates = spec()["paths"].as_object()?;
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    for template in templates.keys() {
        let wanted: Vec<&str> = template.trim_matches('/').split('/').collect();
        if wanted.len() != parts.len() {
            continue;
        }
        let mut params = Vec::new();
        let fits = wanted.iter().zip(&parts).all(|(w, p)| {
            if w.starts_with('{') {
                params.push((*p).to_string());
                true
            } else {
                w == p
            }
        });
        if fits {
            let template: &'static str = spec()["paths"].as_object()?.keys().find(|k| *k == template)?.as_str();
            return Some((template, params));
        }
    }
    None
}

async fn serve(
    state: Arc<Mutex<State>>,
    ws_url: String,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let method = request.method().as_str().to_lowercase();
    let path = request.uri().path().to_string();
    let boundary = multipart::boundary(request.headers());
    let authorized = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start_matches("Bot ") == TOKEN);
    let body = request
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let Some(path) = path.strip_prefix("/api/v10") else {
        return error(404, 0, "404: Not Found");
    };
    let Some((template, params)) = route(path) else {
        state
            .lock()
            .unwrap()
            .violations
            .push(format!("no route {method} {path}"));
        return error(404, 0, "404: Not Found");
    };
    let Some(operation) = spec()["paths"][template].get(&method) else {
        state
            .lock()
            .unwrap()
            .violations
            .push(format!("no method {method} on {template}"));
        return error(405, 0, "405: Method Not Allowed");
    };
    // Interaction callbacks and webhooks are authorised by their token.
    let by_token = template.starts_with("/interactions") || template.starts_with("/webhooks");
    if !authorized && !by_token {
        return error(401, 0, "401: Unauthorized");
    }
    // Files come as multipart: the JSON body in `payload_json`, each file in `files[n]`.
    let mut files = Vec::new();
    let params_body: Value = if body.is_empty() {
        Value::Null
    } else if let Some(boundary) = &boundary {
        let Some((fields, found)) = multipart::read(&body, boundary) else {
            return error(400, 50035, "Invalid Form Body: the multipart body cannot be read");
        };
        if found.iter().any(|f| !f.field.starts_with("files[")) {
            return error(400, 50035, "Invalid Form Body: files go in files[n]");
        }
        files = found.into_iter().map(|f| (f.file_name, f.content)).collect();
        fields["payload_json"].clone()
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(_) => return error(400, 50109, "The request body contains invalid JSON."),
        }
    };
    if let Some(schema) = operation["requestBody"]["content"]["application/json"].get("schema") {
        if let Err(problem) =
            validate(schema, &params_body, "body").and_then(|()| discord_rules(template, &params_body))
        {
            state
                .lock()
                .unwrap()
                .violations
                .push(format!("{method} {template}: {problem}"));
            return error(400, 50035, &format!("Invalid Form Body: {problem}"));
        }
    }
    let mut state = state.lock().unwrap();
    state.next_id += 1;
    let id = state.next_id;
    match (method.as_str(), template) {
        ("get", "/gateway") => {
            state.gateway_asked += 1;
            reply(200, Some(json!({"url": ws_url})))
        }
        ("get", "/users/@me") => reply(200, Some(bot_user())),
        ("get", "/oauth2/applications/@me") => reply(
            200,
            Some(
                json!({"id": APPLICATION_ID.to_string(), "name": "Seatmate", "icon": null, "description": "",
                        "bot_public": true, "bot_require_code_grant": false, "verify_key": "k", "flags": 0,
                        "team": null, "summary": "", "bot": bot_user()}),
            ),
        ),
        ("get", "/users/@me/guilds") => reply(
            200,
            Some(
                json!([{"id": GUILD_ID.to_string(), "name": "Coworkers", "icon": null, "banner": null,
                         "owner": false, "permissions": "0", "features": []}]),
            ),
        ),
        ("put", _) => {
            let commands = params_body.as_array().cloned().unwrap_or_default();
            if template.contains("/guilds/") {
                state.guild_commands = commands.clone();
            } else {
                state.global_commands = commands.clone();
            }
            state.commands = state
                .guild_commands
                .iter()
                .chain(&state.global_commands)
                .cloned()
                .collect();
            let registered: Vec<Value> = commands
                .into_iter()
                .enumerate()
                .map(|(i, mut c)| {
                    c["id"] = json!((id + i as u64).to_string());
                    c["application_id"] = json!(APPLICATION_ID.to_string());
                    c["version"] = json!("1");
                    c["type"] = json!(1);
                    c
                })
                .collect();
            reply(200, Some(Value::Array(registered)))
        }
        ("post", "/users/@me/channels") => {
            let recipient: u64 = params_body["recipient_id"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            reply(
                200,
                Some(
                    json!({"id": (DM_BASE + recipient).to_string(), "type": 1, "last_message_id": null,
                            "recipients": [user(recipient, "someone")]}),
                ),
            )
        }
        ("post", "/channels/{channel_id}/messages") => {
            let channel: u64 = params[0].parse().unwrap_or(0);
            let now = Instant::now();
            if channel > DM_BASE && state.closed_dms.contains(&(channel - DM_BASE)) {
                state.refused.push(Refusal {
                    channel_id: channel,
                    code: 403,
                    at: now,
                });
                return error(403, 50007, "Cannot send messages to this user");
            }
            if state.no_send.contains(&channel) {
                state.refused.push(Refusal {
                    channel_id: channel,
                    code: 403,
                    at: now,
                });
                return error(403, 50013, "Missing Permissions");
            }
            let scripted = state
                .scripted_429
                .get_mut(&channel)
                .and_then(VecDeque::pop_front)
                .is_some();
            let random = state.random_429 > 0.0 && {
                state.rng ^= state.rng << 13;
                state.rng ^= state.rng >> 7;
                state.rng ^= state.rng << 17;
                (state.rng % 10_000) as f64 / 10_000.0 < state.random_429
            };
            if scripted || random {
                state.refused.push(Refusal {
                    channel_id: channel,
                    code: 429,
                    at: now,
                });
                return reply(
                    429,
                    Some(json!({"message": "You are being rate limited.", "retry_after": 1.0, "global": false})),
                );
            }
            let content = params_body["content"].as_str().unwrap_or_default().to_string();
            let mut message_posted = posted(channel, &params_body, None, false, files);
            message_posted.message_id = id;
            state.posted.push(message_posted);
            reply(200, Some(message(id, channel, &content)))
        }
        ("patch", "/channels/{channel_id}/messages/{message_id}") => {
            let (channel, message_id): (u64, u64) = (params[0].parse().unwrap_or(0), params[1].parse().unwrap_or(0));
            let Some(edited) = state
                .posted
                .iter_mut()
                .find(|p| p.channel_id == channel && p.message_id == message_id)
            else {
                return error(404, 10008, "Unknown Message");
            };
            let now = posted(channel, &params_body, None, false, Vec::new());
            if params_body.get("components").is_some() {
                edited.buttons = now.buttons;
                edited.disabled = now.disabled;
            }
            if params_body.get("content").is_some() {
                edited.content = now.content;
            }
            if params_body.get("embeds").is_some() {
                edited.embeds = now.embeds;
            }
            let content = edited.content.clone();
            state.edits.push((channel, message_id));
            reply(200, Some(message(message_id, channel, &content)))
        }
        ("post", "/interactions/{interaction_id}/{interaction_token}/callback") => {
            let interaction = params[0].clone();
            if state.failing_callbacks > 0 {
                state.failing_callbacks -= 1;
                return error(502, 0, "502: Bad Gateway");
            }
            match record_callback(&mut state, &interaction, &params_body, files) {
                Ok(()) => reply(204, None),
                Err((status, code, message)) => error(status, code, &message),
            }
        }
        ("patch", _) | ("post", "/webhooks/{webhook_id}/{webhook_token}") => {
            // The deferral was ephemeral; a follow-up says so itself.
            let ephemeral = method == "patch" || params_body["flags"].as_u64().unwrap_or(0) & 64 != 0;
            // Interaction tokens here are `token-<interaction id>`.
            let interaction = params[1].trim_start_matches("token-").to_string();
            state
                .posted
                .push(posted(0, &params_body, Some(interaction), ephemeral, files));
            let content = params_body["content"].as_str().unwrap_or_default().to_string();
            reply(200, Some(message(id, 0, &content)))
        }
        _ => error(404, 0, "404: Not Found"),
    }
}

/// An interaction's first answer (by its callback route, or as the HTTP
/// response in HTTP mode), recorded as the member would see it; a second
/// one is refused as Discord refuses it.
fn record_callback(
    state: &mut State,
    interaction: &str,
    body: &Value,
    files: Vec<(String, Vec<u8>)>,
) -> Result<(), (u16, u64, String)> {
    if let Some((_, answered)) = state.interactions.get_mut(interaction) {
        if answered.is_some() {
            state
                .violations
                .push(format!("interaction {interaction} was answered twice"));
            return Err((400, 40060, "Interaction has already been acknowledged.".into()));
        }
        *answered = Some(Instant::now());
    }
    let data = &body["data"];
    match body["type"].as_u64() {
        // A message, now.
        Some(4) => {
            let ephemeral = data["flags"].as_u64().unwrap_or(0) & 64 != 0;
            state
                .posted
                .push(posted(0, data, Some(interaction.to_string()), ephemeral, files));
        }
        Some(5) => state.deferred.push(interaction.to_string()),
        Some(8) => {
            let choices = data["choices"].as_array().cloned().unwrap_or_default();
            // Each choice as the member reads it (its name).
            state.autocompletes.push(
                choices
                    .iter()
                    .filter_map(|c| c["name"].as_str().map(str::to_string))
                    .collect(),
            );
        }
        _ => {}
    }
    Ok(())
}

fn posted(
    channel: u64,
    body: &Value,
    answers: Option<String>,
    ephemeral: bool,
    files: Vec<(String, Vec<u8>)>,
) -> Posted {
    let allowed = &body["allowed_mentions"];
    let components: Vec<Value> = body["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .collect();
    let disabled = components
        .iter()
        .filter(|b| b["disabled"].as_bool() == Some(true))
        .map(|b| b["label"].as_str().unwrap_or_default().to_string())
        .collect();
    let buttons = components
        .iter()
        .map(|b| {
            (
                b["label"].as_str().unwrap_or_default().to_string(),
                b["custom_id"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    Posted {
        channel_id: channel,
        content: body["content"].as_str().unwrap_or_default().to_string(),
        pings: allowed["users"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|u| u.as_str().map(str::to_string))
            .collect(),
        // No allowed_mentions at all lets Discord ping whatever is written.
        pings_broadly: allowed.is_null()
            || allowed["parse"].as_array().is_some_and(|p| !p.is_empty())
            || !allowed["roles"].as_array().is_none_or(Vec::is_empty),
        buttons,
        ephemeral,
        answers,
        files,
        at: Instant::now(),
        message_id: 0,
        embeds: body["embeds"].as_array().cloned().unwrap_or_default(),
        disabled,
    }
}

// ----- interactions over HTTP ------------------------------------------------

/// The test application's private key; the bot is given its public half.
pub const SIGNING_KEY: [u8; 32] = [7; 32];

/// The application's public key as the developer portal shows it.
pub fn public_key_hex() -> String {
    hex(ed25519_dalek::SigningKey::from_bytes(&SIGNING_KEY)
        .verifying_key()
        .as_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `X-Signature-Ed25519` for `timestamp` + `body`, signed with `key`.
pub fn sign(key: &[u8; 32], timestamp: &str, body: &str) -> String {
    use ed25519_dalek::Signer;
    let message = [timestamp.as_bytes(), body.as_bytes()].concat();
    hex(&ed25519_dalek::SigningKey::from_bytes(key).sign(&message).to_bytes())
}

/// Now, as Discord's timestamps count (seconds).
pub fn timestamp_now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string()
}

/// POSTs `body` to an interactions endpoint with the headers given (a
/// header left out when `None`): the status and the body answered.
pub async fn post_interaction(url: &str, signature: Option<&str>, timestamp: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(signature) = signature {
        request = request.header("X-Signature-Ed25519", signature);
    }
    if let Some(timestamp) = timestamp {
        request = request.header("X-Signature-Timestamp", timestamp);
    }
    let answer = request.send().await.expect("the endpoint answers");
    let status = answer.status().as_u16();
    let text = answer.text().await.unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Discord's side of HTTP mode: the interaction signed and POSTed; a 200's
/// body is the interaction's first answer, checked against the callback's
/// schema and recorded as if it had come by the callback route.
async fn deliver_over_http(state: Arc<Mutex<State>>, url: String, interaction: Value) {
    let id = interaction["id"].as_str().unwrap_or_default().to_string();
    let body = interaction.to_string();
    let timestamp = timestamp_now();
    let signature = sign(&SIGNING_KEY, &timestamp, &body);
    let (status, answer) = post_interaction(&url, Some(&signature), Some(&timestamp), &body).await;
    let mut state = state.lock().unwrap();
    state.endpoint_answers.push((id.clone(), status));
    if status != 200 {
        state
            .violations
            .push(format!("the endpoint answered a signed interaction {status}: {answer}"));
        return;
    }
    let schema = &spec()["paths"]["/interactions/{interaction_id}/{interaction_token}/callback"]["post"]["requestBody"]
        ["content"]["application/json"]["schema"];
    if let Err(problem) = validate(schema, &answer, "body") {
        state
            .violations
            .push(format!("an interaction's HTTP answer: {problem}"));
        return;
    }
    let _ = record_callback(&mut state, &id, &answer, Vec::new());
}

// ----- interactions, as Discord sends them ----------------------------------

static NEXT_INTERACTION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(50_000);

/// What the bot may do in the fake's channels: View Channel, Send
/// Messages, Embed Links, Attach Files and Read Message History.
pub const APP_PERMISSIONS: &str = "117760";
/// The same without Send Messages.
pub const APP_PERMISSIONS_WITHOUT_SEND: &str = "115712";

/// Manage Server, as a permissions string.
pub const MANAGE_SERVER: &str = "32";
pub const NO_PERMISSIONS: &str = "0";

fn interaction(kind: u8, channel: u64, who: &Value, permissions: &str, data: Value) -> Value {
    let id = NEXT_INTERACTION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    json!({
        "id": id.to_string(), "application_id": APPLICATION_ID.to_string(), "type": kind,
        "token": format!("token-{id}"), "version": 1, "channel_id": channel.to_string(),
        "guild_id": GUILD_ID.to_string(), "locale": "en-US", "entitlements": [],
        "attachment_size_limit": 26214400, "authorizing_integration_owners": {},
        "app_permissions": APP_PERMISSIONS,
        "member": {"user": who, "roles": [], "joined_at": "2026-01-01T00:00:00Z", "deaf": false, "mute": false,
                   "flags": 0, "permissions": permissions, "nick": null},
        "data": data,
    })
}

/// A slash command: `options` as Discord nests them (a subcommand is an
/// option of type 1 holding its own options).
pub fn command(channel: u64, who: &Value, permissions: &str, name: &str, options: Value) -> Value {
    let mut data = json!({"id": "1", "name": name, "type": 1, "options": options});
    // USER options come with their users resolved.
    let mut users = serde_json::Map::new();
    collect_users(&data["options"], &mut users);
    if !users.is_empty() {
        data["resolved"] = json!({"users": users});
    }
    interaction(2, channel, who, permissions, data)
}

fn collect_users(options: &Value, users: &mut serde_json::Map<String, Value>) {
    for option in options.as_array().into_iter().flatten() {
        if option["type"] == 6 {
            let id = option["value"].as_str().unwrap_or_default().to_string();
            users.insert(id.clone(), user(id.parse().unwrap_or(0), &format!("user{id}")));
        }
        collect_users(&option["options"], users);
    }
}

/// A press of the button with `custom_id` under a message of `channel`.
pub fn press(channel: u64, who: &Value, custom_id: &str) -> Value {
    let data = json!({"custom_id": custom_id, "component_type": 2});
    let mut press = interaction(3, channel, who, NO_PERMISSIONS, data);
    press["message"] = message(1, channel, "");
    press
}

/// Typing in an autocompleted option.
pub fn typing(channel: u64, who: &Value, name: &str, options: Value) -> Value {
    let mut typing = command(channel, who, NO_PERMISSIONS, name, options);
    typing["type"] = json!(4);
    typing
}
