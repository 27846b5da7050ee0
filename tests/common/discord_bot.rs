//! The real `seatmate` binary against a fake Discord: the people of the
//! stories, and a `Bot` that sends their interactions and waits for the
//! answers (each checked to come within Discord's 3 seconds, once).
#![allow(dead_code)]

use std::time::Duration;

use crate::common;
use crate::fake_discord::{self, command, user, FakeDiscord, Posted, MANAGE_SERVER, TOKEN};
use serde_json::{json, Value};

pub const CHANNEL: u64 = 300;
pub const ANN: u64 = 11;
pub const BEA: u64 = 12;
pub const CAS: u64 = 13;
pub const DAN: u64 = 14;
pub const PATIENCE: Duration = Duration::from_secs(20);

pub fn ann() -> Value {
    user(ANN, "ann")
}
pub fn bea() -> Value {
    user(BEA, "bea")
}
pub fn cas() -> Value {
    user(CAS, "cas")
}
pub fn dan() -> Value {
    user(DAN, "dan")
}

pub fn string(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}
pub fn integer(name: &str, value: i64) -> Value {
    json!({"name": name, "type": 4, "value": value})
}
pub fn member(name: &str, id: u64) -> Value {
    json!({"name": name, "type": 6, "value": id.to_string()})
}
pub fn sub(name: &str, options: Value) -> Value {
    json!([{"name": name, "type": 1, "options": options}])
}

pub struct Bot {
    pub fake: FakeDiscord,
    pub service: common::Service,
    /// Where the bot's interactions endpoint is, in HTTP mode.
    pub endpoint: Option<String>,
}

impl Bot {
    pub async fn start() -> Bot {
        let fake = FakeDiscord::start(0.0, 1).await;
        let guild = fake_discord::GUILD_ID.to_string();
        let service = common::Service::start(&[
            ("SEATMATE__DISCORD__TOKEN", TOKEN),
            ("SEATMATE__DISCORD__API_URL", &fake.url),
            ("SEATMATE__DISCORD__GUILD_ID", &guild),
        ]);
        let bot = Bot {
            fake,
            service,
            endpoint: None,
        };
        // Ready once the commands are registered and the gateway is up.
        bot.fake
            .wait_for("the commands", PATIENCE, |s| !s.commands.is_empty())
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        bot
    }

    /// In HTTP mode: interactions are POSTed, signed, to the bot's
    /// endpoint, and answered in the response; no gateway.
    pub async fn start_http() -> Bot {
        let fake = FakeDiscord::start(0.0, 1).await;
        let guild = fake_discord::GUILD_ID.to_string();
        let port = common::free_port();
        let listen = format!("127.0.0.1:{port}");
        let service = common::Service::start(&[
            ("SEATMATE__DISCORD__TOKEN", TOKEN),
            ("SEATMATE__DISCORD__API_URL", &fake.url),
            ("SEATMATE__DISCORD__GUILD_ID", &guild),
            ("SEATMATE__DISCORD__MODE", "http"),
            ("SEATMATE__DISCORD__PUBLIC_KEY", &fake_discord::public_key_hex()),
            ("SEATMATE__HTTP__LISTEN", &listen),
        ]);
        common::wait_listening(port).await;
        let endpoint = format!("http://{listen}/discord/interactions");
        fake.deliver_over_http(&endpoint);
        Bot {
            fake,
            service,
            endpoint: Some(endpoint),
        }
    }

    /// Sends an interaction; the answer to it.
    pub async fn interact(&self, interaction: Value) -> Posted {
        let id = interaction["id"].as_str().unwrap().to_string();
        self.fake.interact(interaction);
        self.fake
            .wait_for(&format!("an answer to interaction {id}"), PATIENCE, |s| {
                s.posted.iter().any(|p| p.answers.as_deref() == Some(id.as_str()))
            })
            .await;
        self.fake
            .posted()
            .into_iter()
            .find(|p| p.answers.as_deref() == Some(id.as_str()))
            .unwrap()
    }

    pub async fn slash(&self, who: &Value, permissions: &str, name: &str, options: Value) -> Posted {
        self.interact(command(CHANNEL, who, permissions, name, options)).await
    }

    pub async fn wait_posted(&self, channel: u64, needle: &str) -> Posted {
        self.fake
            .wait_for(&format!("'{needle}' in {channel}"), PATIENCE, |s| {
                s.posted
                    .iter()
                    .any(|p| p.channel_id == channel && p.content.contains(needle))
            })
            .await;
        self.fake
            .posted()
            .into_iter()
            .find(|p| p.channel_id == channel && p.content.contains(needle))
            .unwrap()
    }

    /// Ann offers `seats` at cafe-noord tomorrow.
    pub async fn offer(&self, seats: i64) {
        self.offer_on(seats, "tomorrow").await;
    }

    /// Ann offers `seats` at cafe-noord on `date`; her answer.
    pub async fn offer_on(&self, seats: i64, date: &str) -> Posted {
        let options = json!([
            string("space", "cafe-noord"),
            integer("seats", seats),
            string("date", date)
        ]);
        self.slash(&ann(), MANAGE_SERVER, "offer", options).await
    }

    /// Ann sets the channel up as Guild Coworkers; the answer.
    pub async fn setup(&self) -> Posted {
        let name = json!([string("name", "Guild Coworkers")]);
        self.slash(&ann(), MANAGE_SERVER, "setup", name).await
    }

    pub async fn community(&self) {
        let setup = self.setup().await;
        assert!(
            setup.content.contains("Welcome to Seatmate, **Guild Coworkers**"),
            "{}",
            setup.content
        );
        assert!(!setup.ephemeral, "set-up is for the channel to see");
        let added = self
            .slash(
                &ann(),
                MANAGE_SERVER,
                "space",
                sub("add", json!([string("slug", "cafe-noord"), integer("capacity", 4)])),
            )
            .await;
        assert!(added.content.contains("Added space `cafe-noord`"), "{}", added.content);
    }

    pub async fn stop(mut self) -> String {
        let log = self.service.stop(&[TOKEN]).await;
        assert_eq!(
            self.fake.violations(),
            Vec::<String>::new(),
            "requests Discord would refuse"
        );
        // Every interaction answered within Discord's 3 seconds.
        for (id, (arrived, answered)) in self.fake.state().interactions.iter() {
            let answered = answered.unwrap_or_else(|| panic!("interaction {id} never answered"));
            assert!(
                answered.duration_since(*arrived) < Duration::from_secs(3),
                "interaction {id} answered late"
            );
        }
        log
    }
}
