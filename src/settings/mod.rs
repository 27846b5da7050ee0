//! Layered settings: the built-in `config/default.toml`, an optional file, then
//! `SEATMATE__SECTION__KEY` environment variables. Everything is checked at
//! start-up; a wrong value names its key and what is expected.

use std::fmt;
use std::path::Path;

use config::{Config, Environment, File, FileFormat};
use seatmate_bot::{Locale, Zone};
use seatmate_storage::Backend;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

mod inbound;
pub use inbound::{DiscordMode, TelegramMode, TelegramWebhook, DISCORD_ROUTE};

/// The defaults, documented; built in so the binary runs from any directory.
pub const DEFAULTS: &str = include_str!("../../config/default.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    database: RawDatabase,
    log: RawLog,
    bot: RawBot,
    privacy: RawPrivacy,
    console: RawConsole,
    telegram: RawTelegram,
    discord: RawDiscord,
    http: RawHttp,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    listen: String,
    metrics_token: SecretString,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDiscord {
    token: SecretString,
    api_url: String,
    guild_id: String,
    mode: String,
    public_key: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTelegram {
    token: SecretString,
    api_url: String,
    mode: String,
    webhook_url: String,
    webhook_secret: SecretString,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDatabase {
    url: SecretString,
    max_connections: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLog {
    level: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBot {
    locale: String,
    default_time_zone: String,
    instance: String,
    host_digest_seconds: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrivacy {
    checkin_days: u32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConsole {
    user: String,
}

/// Checked settings.
pub struct Settings {
    pub database_url: SecretString,
    pub backend: Backend,
    pub max_connections: u32,
    pub log_level: String,
    pub locale: Locale,
    pub default_zone: Zone,
    /// How many days check-ins are kept.
    pub checkin_days: u32,
    /// This process's instance name (`bot.instance`, else the host name).
    pub instance: String,
    /// How long after a notice to a host the next ones wait, to go as one.
    pub host_digest: std::time::Duration,
    pub console_user: String,
    /// The Telegram adapter's settings, when a token is set.
    pub telegram: Option<TelegramSettings>,
    /// The Discord adapter's settings, when a token is set.
    pub discord: Option<DiscordSettings>,
    /// The HTTP server's settings, when `http.listen` is set.
    pub http: Option<HttpSettings>,
}

/// The HTTP server: the health routes and the metrics.
pub struct HttpSettings {
    pub listen: std::net::SocketAddr,
    /// When set, `/metrics` asks for it as a bearer token.
    pub metrics_token: Option<SecretString>,
}

/// How to reach Discord.
pub struct DiscordSettings {
    pub token: SecretString,
    pub api_url: String,
    /// Register commands in this server only (instantly), not globally.
    pub guild_id: Option<u64>,
    pub mode: DiscordMode,
}

/// How to reach Telegram.
pub struct TelegramSettings {
    pub token: SecretString,
    pub api_url: String,
    pub mode: TelegramMode,
}

impl fmt::Debug for Settings {
    /// Leaves the database URL out: it may carry a password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &"[redacted]")
            .field("backend", &self.backend)
            .field("max_connections", &self.max_connections)
            .field("log_level", &self.log_level)
            .field("locale", &self.locale)
            .field("default_zone", &self.default_zone)
            .field("console_user", &self.console_user)
            .field(
                "telegram",
                &self
                    .telegram
                    .as_ref()
                    .map(|t| format!("token [redacted], api_url {}", t.api_url)),
            )
            .finish()
    }
}

/// A setting that is wrong, with its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError(pub String);

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "settings: {}", self.0)
    }
}

impl std::error::Error for SettingsError {}

fn key_error(key: &str, problem: impl fmt::Display) -> SettingsError {
    SettingsError(format!("{key}: {problem}"))
}

impl Settings {
    /// Loads the layers (the file, when given, must exist) and checks them.
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        Self::load_with(file, Environment::with_prefix("SEATMATE"))
    }

    /// As `load`, with the environment layer given (tests pass their own map).
    pub fn load_with(file: Option<&Path>, environment: Environment) -> Result<Settings, SettingsError> {
        let mut builder = Config::builder().add_source(File::from_str(DEFAULTS, FileFormat::Toml));
        if let Some(path) = file {
            if !path.is_file() {
                return Err(SettingsError(format!(
                    "the settings file {} does not exist",
                    path.display()
                )));
            }
            builder = builder.add_source(File::from(path).required(true));
        }
        let raw: Raw = builder
            .add_source(environment.prefix_separator("__").separator("__"))
            .build()
            .and_then(Config::try_deserialize)
            .map_err(|e| SettingsError(describe(&e)))?;
        Self::check(raw)
    }

    fn check(raw: Raw) -> Result<Settings, SettingsError> {
        let backend =
            seatmate_storage::check_url(raw.database.url.expose_secret()).map_err(|e| key_error("database.url", e))?;
        if !(1..=1000).contains(&raw.database.max_connections) {
            return Err(key_error(
                "database.max_connections",
                format!("{} is out of range; expected 1 to 1000", raw.database.max_connections),
            ));
        }
        check_log_level(&raw.log.level).map_err(|e| key_error("log.level", e))?;
        let locale = Locale::parse(&raw.bot.locale).map_err(|e| key_error("bot.locale", e))?;
        let default_zone =
            Zone::parse(&raw.bot.default_time_zone).map_err(|e| key_error("bot.default_time_zone", e))?;
        if raw.bot.host_digest_seconds > 3600 {
            return Err(key_error(
                "bot.host_digest_seconds",
                format!(
                    "{} is out of range; expected 0 to 3600 (seconds, e.g. 60)",
                    raw.bot.host_digest_seconds
                ),
            ));
        }
        if !(1..=3650).contains(&raw.privacy.checkin_days) {
            return Err(key_error(
                "privacy.checkin_days",
                format!(
                    "{} is out of range; expected 1 to 3650 (days)",
                    raw.privacy.checkin_days
                ),
            ));
        }
        let instance = match raw.bot.instance.trim() {
            "" => seatmate_bot::worker::host_name(),
            name if name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) => {
                name.to_string()
            }
            name => {
                return Err(key_error(
                    "bot.instance",
                    format!(
                    "'{name}' is not an instance name: use at most 64 letters, digits, '-', '_' or '.' (e.g. bot-1)"
                ),
                ))
            }
        };
        let console_user = seatmate_console::valid_user_name(&raw.console.user)
            .map_err(|e| key_error("console.user", e))?
            .to_string();
        let http_on = !raw.http.listen.trim().is_empty();
        let telegram = if platform_on("telegram", &raw.telegram.token, &raw.telegram.api_url, check_token)? {
            let mode = inbound::telegram_mode(
                &raw.telegram.mode,
                &raw.telegram.webhook_url,
                raw.telegram.webhook_secret,
                http_on,
            )?;
            Some(TelegramSettings {
                token: raw.telegram.token,
                api_url: raw.telegram.api_url,
                mode,
            })
        } else {
            None
        };
        let discord = if platform_on("discord", &raw.discord.token, &raw.discord.api_url, check_discord_token)? {
            let guild_id = match raw.discord.guild_id.trim() {
                "" => None,
                id => Some(id.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
                    key_error(
                        "discord.guild_id",
                        format!("'{id}' is not a server id; copy it with Developer Mode on (e.g. 123456789012345678)"),
                    )
                })?),
            };
            let mode = inbound::discord_mode(&raw.discord.mode, &raw.discord.public_key, http_on)?;
            Some(DiscordSettings {
                token: raw.discord.token,
                api_url: raw.discord.api_url,
                guild_id,
                mode,
            })
        } else {
            None
        };
        let http = match raw.http.listen.trim() {
            "" => None,
            listen => Some(HttpSettings {
                listen: listen.parse().map_err(|_| {
                    key_error(
                        "http.listen",
                        format!("'{listen}' is not an address and port (e.g. 0.0.0.0:8080, or 127.0.0.1:8080)"),
                    )
                })?,
                metrics_token: Some(raw.http.metrics_token).filter(|t| !t.expose_secret().is_empty()),
            }),
        };
        Ok(Settings {
            telegram,
            discord,
            http,
            database_url: raw.database.url,
            backend,
            max_connections: raw.database.max_connections,
            log_level: raw.log.level,
            locale,
            default_zone,
            checkin_days: raw.privacy.checkin_days,
            instance,
            host_digest: std::time::Duration::from_secs(u64::from(raw.bot.host_digest_seconds)),
            console_user,
        })
    }

    /// Where the data is, for people: the SQLite URL, or just "PostgreSQL"
    /// (its URL may carry a password).
    pub fn database_label(&self) -> String {
        match self.backend {
            Backend::Sqlite => self.database_url.expose_secret().to_string(),
            Backend::Postgres => "PostgreSQL".to_string(),
        }
    }
}

/// Keys whose values are secrets: never part of a message.
const SECRET_KEYS: &[&str] = &[
    "database.url",
    "telegram.token",
    "telegram.webhook_secret",
    "discord.token",
    "http.metrics_token",
];

/// A bot token as Discord's developer portal shows it: three dot-separated
/// parts of letters, digits, `-` and `_`. Checked for its shape only; the
/// message never shows it.
fn check_discord_token(token: &str) -> Result<(), String> {
    let parts: Vec<&str> = token.split('.').collect();
    let shape = parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(token_byte));
    if shape {
        Ok(())
    } else {
        Err("not a bot token; the developer portal's tokens have three parts separated by dots (the token is not shown)".into())
    }
}

/// A bot token as BotFather gives it: `<bot id>:<secret>`. Checked for its
/// shape only (whether Telegram accepts it is learnt at start); the message
/// never shows it.
fn check_token(token: &str) -> Result<(), String> {
    let shape = token.split_once(':').is_some_and(|(id, secret)| {
        !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && !secret.is_empty() && secret.bytes().all(token_byte)
    });
    if shape {
        Ok(())
    } else {
        Err("not a bot token; BotFather's tokens look like 123456789:AAE… (the token is not shown)".into())
    }
}

/// Whether a platform is on (its token is set); if so, its token has the
/// platform's shape and its API URL is one.
fn platform_on(
    section: &str,
    token: &SecretString,
    api_url: &str,
    token_shape: fn(&str) -> Result<(), String>,
) -> Result<bool, SettingsError> {
    let token = token.expose_secret();
    if token.trim().is_empty() {
        return Ok(false);
    }
    token_shape(token).map_err(|e| key_error(&format!("{section}.token"), e))?;
    url_of(api_url).map_err(|e| key_error(&format!("{section}.api_url"), e))?;
    Ok(true)
}

/// Bytes a bot token's secret part is made of, on both platforms.
fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// An http(s) URL.
fn url_of(value: &str) -> Result<(), String> {
    let ok = (value.starts_with("https://") || value.starts_with("http://")) && value.len() > "https://".len();
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{value}' is not an http(s) URL (e.g. https://api.telegram.org/)"
        ))
    }
}

/// A settings error as people should read it, with no secret in it: a file that
/// does not parse is reported by line and column and what is wrong there, never
/// with the line itself (it may hold a password); a value of the wrong type is
/// named by its key, and shown only when the key is not a secret.
fn describe(error: &config::ConfigError) -> String {
    use config::ConfigError;
    match error {
        ConfigError::FileParse { uri, cause } => {
            let cause = cause.to_string();
            // TOML's message: a location line, the offending source lines
            // (`  |`, `2 | url = …`), then what is wrong. Keep the first and last.
            let is_source = |l: &str| l.split_once('|').is_some_and(|(n, _)| n.trim().parse::<u32>().is_ok());
            let lines: Vec<&str> = cause
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('|') && !is_source(l))
                .collect();
            let location = lines.first().copied().unwrap_or("it does not parse");
            let what = match lines.as_slice() {
                [_, .., last] => format!(": {last}"),
                _ => String::new(),
            };
            let file = uri.as_deref().unwrap_or("the settings file");
            format!("{file} is not valid TOML ({location}{what}); the line is not shown, as it may hold a secret")
        }
        ConfigError::Type {
            key,
            expected,
            unexpected,
            ..
        } => {
            let key = key.as_deref().unwrap_or("a setting");
            if SECRET_KEYS.contains(&key) {
                format!("{key}: expected {expected}")
            } else {
                format!("{key}: expected {expected}, found {unexpected}")
            }
        }
        ConfigError::At {
            error, key: Some(key), ..
        } => {
            if SECRET_KEYS.contains(&key.as_str()) {
                format!("{key}: not a valid value")
            } else {
                let inner = describe(error);
                if inner.starts_with(key.as_str()) {
                    inner
                } else {
                    format!("{key}: {inner}")
                }
            }
        }
        ConfigError::At { error, .. } => describe(error),
        other => {
            let text = other.to_string();
            match SECRET_KEYS.iter().find(|k| text.contains(*k)) {
                Some(key) => format!("{key} is not valid"),
                None => text,
            }
        }
    }
}

const LEVELS: &[&str] = &["off", "error", "warn", "info", "debug", "trace"];

/// A level (`warn`) or a list of tracing directives in which every part is a
/// level or `target=level` (`info,seatmate_storage=debug`). A bare word that is
/// not a level would be read by tracing as a target and silence every log, so
/// it is refused.
fn check_log_level(level: &str) -> Result<(), String> {
    let expected = "expected error, warn, info, debug, trace or off, or directives such as info,seatmate_storage=debug";
    let is_level = |word: &str| LEVELS.contains(&word.trim().to_ascii_lowercase().as_str());
    let parts: Vec<&str> = level.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        return Err(format!("no level given; {expected}"));
    }
    for part in parts {
        let ok = match part.rsplit_once('=') {
            Some((target, level)) => !target.trim().is_empty() && is_level(level),
            None => is_level(part),
        };
        if !ok {
            return Err(format!("'{part}' is not a log level; {expected}"));
        }
    }
    tracing_subscriber::EnvFilter::try_new(level)
        .map_err(|e| format!("'{level}' is not a tracing directive ({e}); {expected}"))?;
    Ok(())
}

#[cfg(test)]
mod tests;
