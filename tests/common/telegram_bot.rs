//! The real `seatmate` binary against a fake Telegram: the people of the
//! stories, and a `Bot` that writes as them and waits for the answers.
#![allow(dead_code)]

use std::time::Duration;

use crate::common;
use crate::fake_telegram::{message, message_update, user, FakeTelegram, Limits, Sent, TOKEN};
use serde_json::Value;

pub const GROUP: i64 = -1_001_234;
pub const SUPERGROUP: i64 = -1_009_876;
pub const ANN: i64 = 11;
pub const BEA: i64 = 12;
pub const CAS: i64 = 13;
pub const DAN: i64 = 14;
/// How long a reply may take under load.
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn ann() -> Value {
    user(ANN, "Ann", Some("ann"))
}
/// Bea has no username: she is mentioned by a text mention.
pub fn bea() -> Value {
    user(BEA, "Bea", None)
}
pub fn cas() -> Value {
    user(CAS, "Cas", Some("cas"))
}
pub fn dan() -> Value {
    user(DAN, "Dan", Some("dan"))
}

/// The public URL Telegram calls in webhook mode (the fake plays the
/// reverse proxy that reaches the bot's `http.listen`).
pub const WEBHOOK_URL: &str = "https://bot.example.org/telegram/updates";
pub const WEBHOOK_SECRET: &str = "hook-Secret_0123456789";

/// The binary running against a fake Telegram, on its own SQLite file.
pub struct Bot {
    pub fake: FakeTelegram,
    pub service: common::Service,
    /// Where its HTTP server listens, in webhook mode.
    pub port: Option<u16>,
}

impl Bot {
    pub async fn start() -> Bot {
        let fake = FakeTelegram::start(Limits::default()).await;
        fake.make_admin(GROUP, ANN);
        let service = common::Service::start(&[
            ("SEATMATE__TELEGRAM__TOKEN", TOKEN),
            ("SEATMATE__TELEGRAM__API_URL", &fake.url),
        ]);
        Bot {
            fake,
            service,
            port: None,
        }
    }

    /// In webhook mode: Telegram POSTs each update to [`WEBHOOK_URL`],
    /// which reaches the bot's HTTP server.
    pub async fn start_webhook() -> Bot {
        let fake = FakeTelegram::start(Limits::default()).await;
        fake.make_admin(GROUP, ANN);
        let port = common::free_port();
        let listen = format!("127.0.0.1:{port}");
        let service = common::Service::start(&[
            ("SEATMATE__TELEGRAM__TOKEN", TOKEN),
            ("SEATMATE__TELEGRAM__API_URL", &fake.url),
            ("SEATMATE__TELEGRAM__MODE", "webhook"),
            ("SEATMATE__TELEGRAM__WEBHOOK_URL", WEBHOOK_URL),
            ("SEATMATE__TELEGRAM__WEBHOOK_SECRET", WEBHOOK_SECRET),
            ("SEATMATE__HTTP__LISTEN", &listen),
        ]);
        fake.route_webhook_to(&format!("http://{listen}"));
        common::wait_listening(port).await;
        Bot {
            fake,
            service,
            port: Some(port),
        }
    }

    /// On the database at `url` (a SQLite file in `dir`, or PostgreSQL),
    /// against a fake that keeps `limits`.
    pub async fn start_on(url: &str, dir: tempfile::TempDir, limits: Limits) -> Bot {
        let fake = FakeTelegram::start(limits).await;
        fake.make_admin(GROUP, ANN);
        let service = common::Service::start_on(
            url,
            dir,
            &[
                ("SEATMATE__TELEGRAM__TOKEN", TOKEN),
                ("SEATMATE__TELEGRAM__API_URL", &fake.url),
            ],
        );
        Bot {
            fake,
            service,
            port: None,
        }
    }

    /// `from` writes `text` in `chat`; waits for the bot to take the update.
    pub async fn say(&self, chat: i64, from: &Value, text: &str) -> i64 {
        self.send(message(chat, from, text)).await
    }

    /// Sends a message update; its message id.
    pub async fn send(&self, message: Value) -> i64 {
        let id = message["message_id"].as_i64().unwrap();
        self.fake.push(message_update(message));
        self.fake
            .wait_for("the bot to take the update", PATIENCE, |_| true)
            .await;
        id
    }

    /// The bot's answer to message `id`.
    pub async fn answer_to(&self, id: i64) -> Sent {
        self.fake
            .wait_for(&format!("an answer to message {id}"), PATIENCE, |s| {
                s.sent.iter().any(|m| m.reply_to == Some(id))
            })
            .await;
        self.fake.sent().into_iter().find(|m| m.reply_to == Some(id)).unwrap()
    }

    /// `from` writes `text` in `chat`; the bot's answer.
    pub async fn ask(&self, chat: i64, from: &Value, text: &str) -> Sent {
        let id = self.say(chat, from, text).await;
        self.answer_to(id).await
    }

    /// Messages sent to `chat` whose text contains `needle`.
    pub fn sent_to(&self, chat: i64, needle: &str) -> Vec<Sent> {
        self.fake
            .sent()
            .into_iter()
            .filter(|m| m.chat_id == chat && m.text.contains(needle))
            .collect()
    }

    pub async fn wait_sent(&self, chat: i64, needle: &str) -> Sent {
        self.fake
            .wait_for(&format!("'{needle}' in chat {chat}"), PATIENCE, |s| {
                s.sent.iter().any(|m| m.chat_id == chat && m.text.contains(needle))
            })
            .await;
        self.sent_to(chat, needle).remove(0)
    }

    /// A group with a community, a space, and Cas as its host.
    pub async fn community(&self) {
        let setup = self.ask(GROUP, &ann(), "/setup Europe/Amsterdam Coworkers").await;
        assert!(setup.text.contains("Welcome to Seatmate, Coworkers!"), "{}", setup.text);
        self.ask(GROUP, &ann(), "/space add cafe-noord capacity 4").await;
    }

    pub async fn stop(mut self) -> String {
        let log = self.service.stop(&[TOKEN, WEBHOOK_SECRET]).await;
        assert_eq!(
            self.fake.violations(),
            Vec::<String>::new(),
            "requests Telegram would refuse"
        );
        log
    }
}
