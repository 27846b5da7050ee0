//! The gateway: interactions as they come over Discord's websocket, and
//! what only the gateway tells (servers joined, their channels).

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use seatmate_bot::{ChatEvent, ChatKey, Core};
use serenity::all::{ChannelId, ClientBuilder, Context, EventHandler, GatewayIntents, Guild, Interaction, Timestamp};
use tokio::sync::watch;

use crate::interactions::Handler;
use crate::{inbound, Discord, DiscordCourier};

/// A server the bot joined this long ago or less was just joined (its
/// GUILD_CREATE is not a reconnection's).
const JOINED_RECENTLY_SECS: i64 = 300;

impl Discord {
    /// The gateway, until `shutdown` turns true.
    pub async fn run(&self, core: Arc<Core>, mut shutdown: watch::Receiver<bool>) {
        let handler = self.handler(core);
        let client = ClientBuilder::new_with_http(self.http(), GatewayIntents::GUILDS).event_handler(handler);
        let mut client = match client.await {
            Ok(client) => client,
            Err(error) => {
                tracing::error!(%error, "the Discord gateway could not start");
                return;
            }
        };
        let shards = client.shard_manager.clone();
        tokio::select! {
            result = client.start() => {
                if let Err(error) = result {
                    tracing::error!(%error, "the Discord gateway stopped");
                }
            }
            _ = shutdown.changed() => shards.shutdown_all().await,
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    /// A server as the gateway reports it: at every connection, and when
    /// the bot is added. Only a join within the last minutes counts as
    /// being added (without serenity's cache, `is_new` is not known).
    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        let channels: Vec<ChatKey> = guild
            .channels
            .keys()
            .map(|&id| inbound::chat_key(id, Some(guild.id)))
            .collect();
        let server = guild.id.get().to_string();
        let listed = ChatEvent::ServerChannels {
            server: &server,
            channels: &channels,
        };
        if let Err(error) = self.core.chat_event(listed).await {
            tracing::error!(%error, "could not record a server's channels");
        }
        let just_joined = Timestamp::now().unix_timestamp() - guild.joined_at.unix_timestamp() < JOINED_RECENTLY_SECS;
        if !just_joined {
            return;
        }
        let postable = inbound::postable_channels(&guild, self.bot);
        let courier = DiscordCourier::new(ctx.http.clone(), self.core.button_keys());
        match self
            .core
            .chat_event(ChatEvent::BotJoinedServer { postable: &postable })
            .await
        {
            Ok(said) => {
                for (chat, reply) in said {
                    let Ok(channel) = chat.chat_id.parse::<u64>() else {
                        continue;
                    };
                    if let Err(error) = courier.send_to(ChannelId::new(channel), &reply).await {
                        tracing::warn!(%error, channel, "could not greet a server's channel");
                    }
                }
            }
            Err(error) => tracing::error!(%error, "could not look at a server the bot joined"),
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => self.command(&ctx.http, command, None, Instant::now()).await,
            Interaction::Component(press) => self.press(&ctx.http, press, None, Instant::now()).await,
            Interaction::Autocomplete(typing) => self.autocomplete(&ctx.http, typing, None).await,
            _ => {}
        }
    }
}
