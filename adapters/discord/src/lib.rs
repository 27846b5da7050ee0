//! Seatmate in Discord (serenity): slash commands generated from the
//! catalogue ([`commands`]), interactions as the core's inputs
//! ([`inbound`]), replies as Markdown ([`render`]), and the delivery loop's
//! sends through [`courier::DiscordCourier`]. The adapter only translates.
//!
//! Replies meant for the caller, and private ones, are ephemeral; replies
//! for the chat are visible. The gateway asks for `GUILDS` only: the bot
//! needs no message content.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use seatmate_bot::admins::ChatAdmins;
use seatmate_bot::service::ButtonKeys;
use seatmate_bot::{ChatKey, Core};
use serenity::all::{ApplicationId, Command, GuildId, Http, HttpBuilder, HttpError, UserId};

pub mod commands;
pub mod courier;
pub mod endpoint;
mod gateway;
pub mod inbound;
mod interactions;
pub mod render;

pub use courier::DiscordCourier;

/// Discord's API, where the real service is.
pub const DEFAULT_API_URL: &str = "https://discord.com";
/// Why the adapter could not start.
#[derive(Debug)]
pub enum StartError {
    BadToken,
    Unreachable(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::BadToken => write!(f, "Discord refused the bot token (check discord.token)"),
            StartError::Unreachable(why) => write!(f, "Discord could not be reached: {why}"),
        }
    }
}

impl std::error::Error for StartError {}

/// How to reach Discord.
#[derive(Clone)]
pub struct Discord {
    token: Arc<str>,
    api_url: Option<String>,
    application: ApplicationId,
    bot: UserId,
    guild: Option<GuildId>,
    admins: Arc<InteractionAdmins>,
}

impl Discord {
    /// Asks Discord who the bot is (a wrong token stops here) and which
    /// application it belongs to. `api_url` other than Discord's goes
    /// through serenity's proxy setting, with its ratelimiter off (the
    /// delivery loop keeps the limits).
    pub async fn connect(token: &str, api_url: &str, guild: Option<u64>) -> Result<Discord, StartError> {
        let api_url =
            (api_url.trim_end_matches('/') != DEFAULT_API_URL).then(|| api_url.trim_end_matches('/').to_string());
        let mut discord = Discord {
            token: token.into(),
            api_url,
            application: ApplicationId::new(1),
            bot: UserId::new(1),
            guild: guild.filter(|&g| g != 0).map(GuildId::new),
            admins: Arc::default(),
        };
        let http = discord.http();
        let refused = |error: serenity::Error| match &error {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 401 => {
                StartError::BadToken
            }
            _ => StartError::Unreachable(error.to_string()),
        };
        let me = http.get_current_user().await.map_err(refused)?;
        let application = http.get_current_application_info().await.map_err(refused)?;
        discord.application = application.id;
        discord.bot = me.id;
        tracing::info!(bot = me.name, "connected to Discord");
        Ok(discord)
    }

    /// A client for Discord's REST API.
    pub fn http(&self) -> Http {
        let mut builder = HttpBuilder::new(&*self.token).application_id(self.application);
        if let Some(url) = &self.api_url {
            builder = builder.proxy(url.clone()).ratelimiter_disabled(true);
        }
        builder.build()
    }

    /// Registers the catalogue's commands: in one server when `guild_id`
    /// is set (instantly, for trying the bot), else globally; and removes
    /// them from the other scope, so that a switch between the two never
    /// lists every command twice.
    pub async fn register_commands(&self) -> Result<(), String> {
        let http = self.http();
        let commands = commands::application_commands();
        let failed = |e: serenity::Error| e.to_string();
        match self.guild {
            Some(guild) => {
                guild.set_commands(&http, commands).await.map_err(failed)?;
                Command::set_global_commands(&http, Vec::new()).await.map_err(failed)?;
            }
            None => {
                Command::set_global_commands(&http, commands).await.map_err(failed)?;
                // A server used for trying the bot may still list its own.
                for server in http.get_guilds(None, Some(200)).await.map_err(failed)? {
                    server.id.set_commands(&http, Vec::new()).await.map_err(failed)?;
                }
            }
        }
        Ok(())
    }

    /// The delivery loop's courier for Discord.
    pub fn courier(&self, keys: ButtonKeys) -> DiscordCourier {
        DiscordCourier::new(Arc::new(self.http()), keys)
    }

    /// What handles interactions for `core`, however they arrive.
    fn handler(&self, core: Arc<Core>) -> interactions::Handler {
        interactions::Handler {
            core,
            bot: self.bot,
            admins: self.admins.clone(),
        }
    }

    /// The core's way to learn who administers a server: from the
    /// interaction being handled, with no extra request.
    pub fn chat_admins(&self) -> Arc<dyn ChatAdmins> {
        self.admins.clone()
    }
}

/// Who administers a server, as the interactions being handled say
/// (Administrator or Manage Server in the member's permissions).
#[derive(Default)]
pub(crate) struct InteractionAdmins {
    known: Mutex<HashMap<(String, String), bool>>,
}

impl InteractionAdmins {
    fn note(&self, chat: &ChatKey, user_id: &str, admin: bool) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        // Kept small: only the interactions in hand need it.
        if known.len() > 10_000 {
            known.clear();
        }
        known.insert((chat.chat_id.clone(), user_id.to_string()), admin);
    }
}

#[async_trait]
impl ChatAdmins for InteractionAdmins {
    fn answers_from_elsewhere(&self) -> bool {
        false
    }

    async fn is_chat_admin(&self, chat: &ChatKey, user_id: &str) -> Result<bool, String> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        Ok(known
            .get(&(chat.chat_id.clone(), user_id.to_string()))
            .copied()
            .unwrap_or(false))
    }
}
