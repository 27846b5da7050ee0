//! The settings as an operator meets them: defaults, layers, and every
//! wrong value named by its key, never showing a secret.

use super::*;
use std::collections::HashMap;

fn load_env(pairs: &[(&str, &str)]) -> Result<Settings, SettingsError> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Settings::load_with(None, Environment::with_prefix("SEATMATE").source(Some(map)))
}

#[test]
fn defaults_are_valid() {
    let settings = load_env(&[]).unwrap();
    assert_eq!(settings.backend, Backend::Sqlite);
    assert_eq!(settings.database_label(), "sqlite://seatmate.db");
    assert_eq!(settings.console_user, "you");
    assert_eq!(settings.default_zone, Zone::UTC);
}

#[test]
fn environment_overrides_by_section_and_key() {
    let settings = load_env(&[
        (
            "SEATMATE__DATABASE__URL",
            "postgres://seatmate:hunter2@db.example/seatmate",
        ),
        ("SEATMATE__DATABASE__MAX_CONNECTIONS", "20"),
        ("SEATMATE__BOT__DEFAULT_TIME_ZONE", "Europe/Amsterdam"),
    ])
    .unwrap();
    assert_eq!(settings.backend, Backend::Postgres);
    assert_eq!(settings.max_connections, 20);
    assert_eq!(settings.default_zone.name(), "Europe/Amsterdam");
    let shown = format!("{settings:?} {}", settings.database_label());
    assert!(!shown.contains("hunter2"), "the password leaked: {shown}");
}

#[test]
fn the_http_server_listens_only_where_told() {
    assert!(load_env(&[]).unwrap().http.is_none(), "no address, no server");
    let http = load_env(&[("SEATMATE__HTTP__LISTEN", "127.0.0.1:8080")])
        .unwrap()
        .http
        .unwrap();
    assert_eq!(http.listen, "127.0.0.1:8080".parse().unwrap());
}

#[test]
fn wrong_values_name_their_key() {
    let cases = [
        (
            ("SEATMATE__DATABASE__URL", "mysql://x"),
            "database.url: the scheme 'mysql:' is not supported",
        ),
        (("SEATMATE__DATABASE__URL", "seatmate.db"), "database.url"),
        (
            ("SEATMATE__DATABASE__MAX_CONNECTIONS", "lots"),
            "database.max_connections",
        ),
        (
            ("SEATMATE__DATABASE__MAX_CONNECTIONS", "0"),
            "database.max_connections: 0 is out of range",
        ),
        (
            ("SEATMATE__BOT__DEFAULT_TIME_ZONE", "Europe/Amsterdm"),
            "Did you mean Europe/Amsterdam?",
        ),
        (("SEATMATE__BOT__LOCALE", "xx"), "bot.locale"),
        (("SEATMATE__LOG__LEVEL", "very=loud=yes"), "log.level"),
        (("SEATMATE__CONSOLE__USER", "a b"), "console.user"),
        (
            ("SEATMATE__PRIVACY__CHECKIN_DAYS", "0"),
            "privacy.checkin_days: 0 is out of range; expected 1 to 3650",
        ),
        (("SEATMATE__BOT__COLOUR", "blue"), "colour"),
        (
            ("SEATMATE__HTTP__LISTEN", "8080"),
            "http.listen: '8080' is not an address and port (e.g. 0.0.0.0:8080",
        ),
    ];
    for ((key, value), expected) in cases {
        let error = load_env(&[(key, value)]).unwrap_err().to_string();
        assert!(error.contains(expected), "{key}={value}: {error}");
        assert!(!error.contains("hunter2"));
    }
}

#[test]
fn a_settings_file_that_does_not_parse_never_shows_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "stray-quote.toml",
            "[database]\nurl = \"postgres://postgres:SECRETPW@db/x\"x\n",
        ),
        (
            "unclosed.toml",
            "[database]\nurl = \"postgres://postgres:SECRETPW@db/x\n",
        ),
        ("bare.toml", "[database]\nurl = postgres://postgres:SECRETPW@db/x\n"),
        (
            "wrong-type.toml",
            "[database]\nurl = [\"postgres://postgres:SECRETPW@db/x\"]\n",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let error = Settings::load(Some(&path)).unwrap_err().to_string();
        assert!(!error.contains("SECRETPW"), "{name}: {error}");
        assert!(
            error.contains("line 2") || error.contains("database.url"),
            "{name}: {error}"
        );
    }
}

#[test]
fn a_telegram_token_is_checked_for_its_shape_and_never_shown() {
    let telegram = load_env(&[("SEATMATE__TELEGRAM__TOKEN", "123456:AAE-secret_Part")])
        .unwrap()
        .telegram
        .expect("a token turns Telegram on");
    assert_eq!(telegram.api_url, "https://api.telegram.org/");
    assert!(load_env(&[]).unwrap().telegram.is_none(), "no token, no Telegram");
    for bad in ["AAE-secret_Part", "123456:", "abc:AAE-secret_Part", "123456:AAE secret"] {
        let error = load_env(&[("SEATMATE__TELEGRAM__TOKEN", bad)]).unwrap_err().to_string();
        assert!(error.contains("telegram.token: not a bot token"), "{error}");
        assert!(!error.contains("secret"), "{error}");
    }
    let error = load_env(&[
        ("SEATMATE__TELEGRAM__TOKEN", "123456:AAE-secret_Part"),
        ("SEATMATE__TELEGRAM__API_URL", "api.telegram.org"),
    ])
    .unwrap_err()
    .to_string();
    assert!(error.contains("telegram.api_url"), "{error}");
    let shown = format!(
        "{:?}",
        load_env(&[("SEATMATE__TELEGRAM__TOKEN", "123456:AAE-secret_Part")]).unwrap()
    );
    assert!(!shown.contains("secret_Part"), "{shown}");
}

#[test]
fn a_discord_token_and_server_are_checked_and_the_token_never_shown() {
    let token = ("SEATMATE__DISCORD__TOKEN", "MTIz.AbC-secret.Part_x");
    let discord = load_env(&[token, ("SEATMATE__DISCORD__GUILD_ID", "123456789012345678")])
        .unwrap()
        .discord
        .expect("a token turns Discord on");
    assert_eq!(discord.guild_id, Some(123_456_789_012_345_678));
    assert_eq!(discord.api_url, "https://discord.com");
    assert!(
        load_env(&[token]).unwrap().discord.unwrap().guild_id.is_none(),
        "global commands"
    );
    for bad in ["MTIz", "MTIz..x", "a.b.c.d", "MTIz.AbC secret.x"] {
        let error = load_env(&[("SEATMATE__DISCORD__TOKEN", bad)]).unwrap_err().to_string();
        assert!(error.contains("discord.token: not a bot token"), "{error}");
        assert!(!error.contains(bad), "{error}");
    }
    let error = load_env(&[token, ("SEATMATE__DISCORD__GUILD_ID", "my server")])
        .unwrap_err()
        .to_string();
    assert!(error.contains("discord.guild_id"), "{error}");
    let shown = format!("{:?}", load_env(&[token]).unwrap());
    assert!(!shown.contains("secret"), "{shown}");
}

#[test]
fn a_mistyped_log_level_is_refused_rather_than_silencing_logs() {
    for bad in ["wanr", "infoo", "seatmate=loud", "", "=debug"] {
        let error = load_env(&[("SEATMATE__LOG__LEVEL", bad)]).unwrap_err().to_string();
        assert!(error.contains("log.level"), "{bad}: {error}");
    }
    for good in [
        "warn",
        "INFO",
        "off",
        "info,seatmate_storage=debug",
        "seatmate_bot=trace",
    ] {
        assert!(load_env(&[("SEATMATE__LOG__LEVEL", good)]).is_ok(), "{good}");
    }
}

#[test]
fn database_urls_that_cannot_work_are_refused_naming_the_key_not_the_password() {
    let cases = [
        ("postgres://u:SECRETPW@127.0.0.1:99999/db", "invalid port number"),
        ("postgres://u:SECRETPW@127.0.0.1/db?sslmode=bogus", "bogus"),
        ("postgres://u:SECRETPW@127.0.0.1", "names no database"),
        ("postgres://u:SECRETPW@127.0.0.1/", "names no database"),
        ("sqlite://", "names no file"),
        ("sqlite:", "names no file"),
    ];
    for (url, expected) in cases {
        let error = load_env(&[("SEATMATE__DATABASE__URL", url)]).unwrap_err().to_string();
        assert!(
            error.contains("database.url") && error.contains(expected),
            "{url}: {error}"
        );
        assert!(!error.contains("SECRETPW"), "{url}: {error}");
    }
    assert!(load_env(&[("SEATMATE__DATABASE__URL", "sqlite::memory:")]).is_ok());
}

#[test]
fn a_settings_file_layers_over_the_defaults_and_under_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seatmate.toml");
    std::fs::write(
        &path,
        "[console]\nuser = \"host\"\n[bot]\ndefault_time_zone = \"America/New_York\"\n",
    )
    .unwrap();
    let map: HashMap<String, String> = [("SEATMATE__CONSOLE__USER".to_string(), "env-user".to_string())].into();
    let settings = Settings::load_with(Some(&path), Environment::with_prefix("SEATMATE").source(Some(map))).unwrap();
    assert_eq!(settings.console_user, "env-user");
    assert_eq!(settings.default_zone.name(), "America/New_York");
    let missing = Settings::load(Some(&dir.path().join("nope.toml"))).unwrap_err();
    assert!(missing.0.contains("does not exist"));
}

#[test]
fn telegram_webhook_mode_needs_an_https_url_a_secret_and_the_http_server() {
    let token = ("SEATMATE__TELEGRAM__TOKEN", "123456:AAE-secret_Part");
    let listen = ("SEATMATE__HTTP__LISTEN", "127.0.0.1:8080");
    let mode = ("SEATMATE__TELEGRAM__MODE", "webhook");
    let url = (
        "SEATMATE__TELEGRAM__WEBHOOK_URL",
        "https://bot.example.org/telegram/updates",
    );
    let secret = ("SEATMATE__TELEGRAM__WEBHOOK_SECRET", "s3cr3t-Hook_value");
    let telegram = load_env(&[token]).unwrap().telegram.unwrap();
    assert!(matches!(telegram.mode, TelegramMode::Polling), "polling by default");
    let telegram = load_env(&[token, listen, mode, url, secret]).unwrap().telegram.unwrap();
    let TelegramMode::Webhook(hook) = telegram.mode else {
        panic!("webhook mode")
    };
    assert_eq!(hook.path, "/telegram/updates");
    assert_eq!(hook.url, "https://bot.example.org/telegram/updates");
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![token, mode, url, secret],
            "http.listen: telegram.mode = webhook needs the HTTP server",
        ),
        (
            vec![token, listen, mode, secret],
            "telegram.webhook_url: telegram.mode = webhook needs the public URL",
        ),
        (
            vec![
                token,
                listen,
                mode,
                secret,
                ("SEATMATE__TELEGRAM__WEBHOOK_URL", "http://bot.example.org/hook"),
            ],
            "telegram.webhook_url: 'http://bot.example.org/hook' is not an https URL",
        ),
        (
            vec![
                token,
                listen,
                mode,
                secret,
                ("SEATMATE__TELEGRAM__WEBHOOK_URL", "https://bot.example.org:8080/hook"),
            ],
            "telegram.webhook_url: port 8080 is not one Telegram calls",
        ),
        (
            vec![
                token,
                listen,
                mode,
                secret,
                ("SEATMATE__TELEGRAM__WEBHOOK_URL", "https://bot.example.org/metrics"),
            ],
            "telegram.webhook_url: the path '/metrics' is not free",
        ),
        (
            vec![token, listen, mode, url],
            "telegram.webhook_secret: expected 1 to 256 letters",
        ),
        (
            vec![
                token,
                listen,
                mode,
                url,
                ("SEATMATE__TELEGRAM__WEBHOOK_SECRET", "has space SECRETPW"),
            ],
            "telegram.webhook_secret: expected 1 to 256 letters",
        ),
        (
            vec![token, ("SEATMATE__TELEGRAM__MODE", "push")],
            "telegram.mode: 'push' is not a mode",
        ),
    ];
    for (pairs, expected) in cases {
        let error = load_env(&pairs).unwrap_err().to_string();
        assert!(error.contains(expected), "{pairs:?}: {error}");
        assert!(!error.contains("SECRETPW") && !error.contains("s3cr3t"), "{error}");
    }
}

#[test]
fn discord_http_mode_needs_the_applications_public_key_and_the_http_server() {
    let token = ("SEATMATE__DISCORD__TOKEN", "MTIz.AbC-secret.Part_x");
    let listen = ("SEATMATE__HTTP__LISTEN", "127.0.0.1:8080");
    let mode = ("SEATMATE__DISCORD__MODE", "http");
    let hex = "d7f8a3c1e2b4a5968778695a4b3c2d1e0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    let key = ("SEATMATE__DISCORD__PUBLIC_KEY", hex);
    assert!(matches!(
        load_env(&[token]).unwrap().discord.unwrap().mode,
        DiscordMode::Gateway
    ));
    let DiscordMode::Http { public_key } = load_env(&[token, listen, mode, key]).unwrap().discord.unwrap().mode else {
        panic!("http mode")
    };
    assert_eq!(public_key[0], 0xd7);
    assert_eq!(public_key[31], 0xf0);
    for (pairs, expected) in [
        (
            vec![token, mode, key],
            "http.listen: discord.mode = http needs the HTTP server",
        ),
        (vec![token, listen, mode], "discord.public_key: '' is not a public key"),
        (
            vec![token, listen, mode, ("SEATMATE__DISCORD__PUBLIC_KEY", &hex[..62])],
            "discord.public_key",
        ),
        (
            vec![
                token,
                listen,
                mode,
                ("SEATMATE__DISCORD__PUBLIC_KEY", &hex.replace('d', "g")),
            ],
            "64 hex digits",
        ),
        (
            vec![token, ("SEATMATE__DISCORD__MODE", "websocket")],
            "discord.mode: 'websocket' is not a mode",
        ),
    ] {
        let error = load_env(&pairs).unwrap_err().to_string();
        assert!(error.contains(expected), "{pairs:?}: {error}");
    }
}
