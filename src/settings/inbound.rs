//! How updates reach the bot: Telegram by polling or by webhook, Discord by
//! its gateway or by HTTP interactions. The HTTP modes need `http.listen`.

use secrecy::{ExposeSecret, SecretString};

use super::{key_error, SettingsError};

/// The routes the HTTP server answers itself: a webhook path may not be one.
const OWN_ROUTES: &[&str] = &["/livez", "/readyz", "/metrics", DISCORD_ROUTE];
/// Where Discord's interactions arrive in HTTP mode.
pub const DISCORD_ROUTE: &str = "/discord/interactions";
/// The ports Telegram delivers webhooks to.
const TELEGRAM_PORTS: &[u16] = &[443, 80, 88, 8443];

/// How Telegram's updates reach the bot.
pub enum TelegramMode {
    /// `getUpdates`, from one process.
    Polling,
    /// Telegram POSTs each update to `url`; this server answers its path.
    Webhook(TelegramWebhook),
}

/// The webhook Telegram calls.
pub struct TelegramWebhook {
    /// The public https URL (behind the operator's reverse proxy).
    pub url: String,
    /// The URL's path: the route this server answers (`/telegram/updates`).
    pub path: String,
    /// What Telegram sends in `X-Telegram-Bot-Api-Secret-Token`.
    pub secret: SecretString,
}

/// How Discord's interactions reach the bot.
pub enum DiscordMode {
    /// The gateway's websocket (interactions and server events).
    Gateway,
    /// Discord POSTs each interaction to [`DISCORD_ROUTE`], signed with the
    /// application's key; no gateway is opened.
    Http { public_key: [u8; 32] },
}

/// `telegram.mode` with the keys it needs.
pub(super) fn telegram_mode(
    mode: &str,
    webhook_url: &str,
    webhook_secret: SecretString,
    http_on: bool,
) -> Result<TelegramMode, SettingsError> {
    match mode.trim() {
        "polling" => Ok(TelegramMode::Polling),
        "webhook" => {
            needs_http_server("telegram.mode = webhook", http_on)?;
            let path = webhook_path(webhook_url).map_err(|e| key_error("telegram.webhook_url", e))?;
            check_secret(webhook_secret.expose_secret()).map_err(|e| key_error("telegram.webhook_secret", e))?;
            Ok(TelegramMode::Webhook(TelegramWebhook {
                url: webhook_url.trim().to_string(),
                path,
                secret: webhook_secret,
            }))
        }
        other => Err(key_error(
            "telegram.mode",
            format!("'{other}' is not a mode; expected polling or webhook"),
        )),
    }
}

/// The route a webhook URL asks this server to answer: an https URL on a
/// port Telegram calls, with a path of its own.
fn webhook_path(value: &str) -> Result<String, String> {
    let example = "e.g. https://bot.example.org/telegram/updates";
    if value.trim().is_empty() {
        return Err(format!(
            "telegram.mode = webhook needs the public URL Telegram calls ({example})"
        ));
    }
    let url: url::Url = value
        .trim()
        .parse()
        .map_err(|_| format!("'{value}' is not a URL ({example})"))?;
    if url.scheme() != "https" || url.host_str().is_none() {
        return Err(format!(
            "'{value}' is not an https URL: Telegram calls webhooks over HTTPS only ({example})"
        ));
    }
    if let Some(port) = url.port() {
        if !TELEGRAM_PORTS.contains(&port) {
            return Err(format!(
                "port {port} is not one Telegram calls: use 443, 80, 88 or 8443 ({example})"
            ));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "'{value}' has a query or fragment; give the path alone ({example})"
        ));
    }
    let path = url.path().to_string();
    if path == "/" || OWN_ROUTES.contains(&path.as_str()) {
        return Err(format!("the path '{path}' is not free for the webhook ({example})"));
    }
    Ok(path)
}

/// What Telegram allows as a webhook's secret token.
fn check_secret(secret: &str) -> Result<(), String> {
    let shape = (1..=256).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if shape {
        Ok(())
    } else {
        Err("expected 1 to 256 letters, digits, '-' or '_' (e.g. the output of `openssl rand -hex 32`; the value is not shown)".into())
    }
}

/// A mode whose updates arrive over HTTP needs `http.listen`.
fn needs_http_server(mode: &str, http_on: bool) -> Result<(), SettingsError> {
    if http_on {
        return Ok(());
    }
    Err(key_error(
        "http.listen",
        format!("{mode} needs the HTTP server: set an address and port (e.g. 0.0.0.0:8080)"),
    ))
}

/// `discord.mode` with the key it needs.
pub(super) fn discord_mode(mode: &str, public_key: &str, http_on: bool) -> Result<DiscordMode, SettingsError> {
    match mode.trim() {
        "gateway" => Ok(DiscordMode::Gateway),
        "http" => {
            needs_http_server("discord.mode = http", http_on)?;
            let public_key = hex_key(public_key.trim()).ok_or_else(|| {
                key_error(
                    "discord.public_key",
                    format!(
                        "'{}' is not a public key: copy the application's 64 hex digits from the developer portal (General Information → Public Key)",
                        public_key.trim()
                    ),
                )
            })?;
            Ok(DiscordMode::Http { public_key })
        }
        other => Err(key_error(
            "discord.mode",
            format!("'{other}' is not a mode; expected gateway or http"),
        )),
    }
}

/// 64 hex digits as 32 bytes.
fn hex_key(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}
