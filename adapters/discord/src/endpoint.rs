//! Discord's interactions over HTTP (`discord.mode = http`): Discord POSTs
//! each interaction to the bot's public URL instead of sending it over the
//! gateway.
//!
//! - **Proven first.** `X-Signature-Ed25519` is checked over
//!   `X-Signature-Timestamp` + the raw body with the application's public
//!   key before anything is read; a bad or missing signature, or a
//!   timestamp more than [`CLOCK_SKEW`] away, is 401 with no effect.
//!   Discord sends invalid signatures on purpose, and removes the endpoint
//!   of an app that accepts one.
//! - **The answer is the response.** PING is answered `{"type":1}`; a
//!   command, a press or an autocomplete goes through the same handler as
//!   over the gateway, its first answer written into the HTTP response
//!   (within 2.5 s, else a deferral completed through the follow-up
//!   webhook). Interaction ids go through the core's inbox: a replayed
//!   interaction has one effect.
//! - **No gateway.** Nothing tells the bot it joined or left a server, or
//!   that a channel went: a chat's first command records it, and a post
//!   Discord refuses (unknown channel, missing access) pauses the chat, as
//!   over the gateway.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use seatmate_bot::{Core, Platform};
use serenity::all::{CreateInteractionResponse, Http, Interaction};
use serenity::interactions_endpoint::Verifier;

use crate::interactions::{Handler, Inline};
use crate::Discord;

/// How far an interaction's timestamp may be from our clock.
pub const CLOCK_SKEW: Duration = Duration::from_secs(300);
/// How long the HTTP response may wait for the handler's first answer
/// (it defers after 2.5 s; Discord gives up at 3).
const RESPONSE_WITHIN: Duration = Duration::from_millis(2900);

/// An HTTP answer to Discord: the status and a JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    fn json(response: &CreateInteractionResponse) -> Answer {
        match serde_json::to_string(response) {
            Ok(body) => Answer { status: 200, body },
            Err(error) => {
                tracing::error!(%error, "an interaction's answer cannot be written");
                Answer::error(500, "the answer could not be written")
            }
        }
    }

    fn error(status: u16, message: &str) -> Answer {
        Answer {
            status,
            body: serde_json::json!({ "message": message }).to_string(),
        }
    }
}

/// Receives Discord's POSTs. Cheap to clone.
#[derive(Clone)]
pub struct Endpoint {
    verifier: Verifier,
    handler: Arc<Handler>,
    http: Arc<Http>,
    core: Arc<Core>,
}

impl Discord {
    /// The interactions endpoint for `core`, checking signatures with the
    /// application's `public_key`.
    pub fn endpoint(&self, core: Arc<Core>, public_key: [u8; 32]) -> Result<Endpoint, String> {
        let verifier = Verifier::try_new(public_key).map_err(|e| e.to_string())?;
        Ok(Endpoint {
            verifier,
            handler: Arc::new(self.handler(core.clone())),
            http: Arc::new(self.http()),
            core,
        })
    }
}

impl Endpoint {
    /// One POST, with its `X-Signature-Ed25519` and `X-Signature-Timestamp`
    /// headers and its raw body.
    pub async fn receive(&self, signature: Option<&str>, timestamp: Option<&str>, body: &[u8]) -> Answer {
        let arrived = std::time::Instant::now();
        let ledger = self.core.inbound_ledger();
        let (Some(signature), Some(timestamp)) = (signature, timestamp) else {
            ledger.reject(Platform::Discord, "an interaction came without its signature");
            return Answer::error(401, "invalid request signature");
        };
        if self.verifier.verify(signature, timestamp, body).is_err() {
            ledger.reject(Platform::Discord, "an interaction's signature is not the application's");
            return Answer::error(401, "invalid request signature");
        }
        if !fresh(timestamp) {
            ledger.reject(Platform::Discord, "an interaction's timestamp is too far from now");
            return Answer::error(401, "invalid request signature");
        }
        let interaction: Interaction = match serde_json::from_slice(body) {
            Ok(interaction) => interaction,
            Err(error) => {
                // Logged without the body: it may hold what members wrote.
                tracing::warn!(
                    line = error.line(),
                    column = error.column(),
                    "a signed body is not an interaction"
                );
                return Answer::error(400, "not an interaction");
            }
        };
        let (inline, answered) = Inline::new();
        let (handler, http) = (self.handler.clone(), self.http.clone());
        let inline = Some(inline);
        match interaction {
            Interaction::Ping(_) => {
                return Answer {
                    status: 200,
                    body: r#"{"type":1}"#.to_string(),
                }
            }
            Interaction::Command(command) => {
                tokio::spawn(async move { handler.command(&http, command, inline, arrived).await });
            }
            Interaction::Component(press) => {
                tokio::spawn(async move { handler.press(&http, press, inline, arrived).await });
            }
            Interaction::Autocomplete(typing) => {
                tokio::spawn(async move { handler.autocomplete(&http, typing, inline).await });
            }
            _ => return Answer::error(400, "an interaction this application does not use"),
        }
        match tokio::time::timeout(RESPONSE_WITHIN, answered).await {
            Ok(Ok(response)) => Answer::json(&response),
            Ok(Err(_)) => Answer::error(500, "the interaction was not answered"),
            Err(_) => Answer::error(503, "the interaction was not answered in time"),
        }
    }
}

/// Whether a signed timestamp (seconds since 1970) is within
/// [`CLOCK_SKEW`] of now.
fn fresh(timestamp: &str) -> bool {
    let Ok(at) = timestamp.trim().parse::<u64>() else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    now.abs_diff(at) <= CLOCK_SKEW.as_secs()
}
