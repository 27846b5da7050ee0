//! `seatmate run` with Telegram, Discord or both: connecting, then the
//! adapters, the delivery loop and the scheduler under one supervisor.

use std::sync::Arc;

use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::{Clock, Platform, SystemClock};
use seatmate_telegram::webhook;
use secrecy::ExposeSecret;

use crate::cli::TelegramAction;
use crate::settings::{self, DiscordMode, Settings, SettingsError, TelegramMode, DISCORD_ROUTE};
use crate::startup::{build_core, open_store};
use crate::supervisor::{run_scheduler, shutdown_signal, Supervisor};

/// Runs the configured chat platforms (Telegram, Discord, or both in one
/// process) with the delivery loop and the scheduler, until Ctrl-C or
/// SIGTERM.
pub(crate) async fn run_platforms(settings: &Settings) -> anyhow::Result<()> {
    // Held (locked) until this function returns: for the whole run.
    let _held = crate::startup::hold_sqlite_file(settings)?;
    let store = open_store(settings).await?;
    // Bound before anything connects: a port in use stops the start.
    let http = match &settings.http {
        Some(http) => Some(
            tokio::net::TcpListener::bind(http.listen)
                .await
                .map_err(|error| SettingsError(format!("http.listen: cannot listen on {}: {error}", http.listen)))?,
        ),
        None => None,
    };
    // On PostgreSQL instances may be many: the platforms' limits are kept
    // in the database for all of them (see bot/src/limits.rs); a SQLite
    // file has one process, which keeps them in memory.
    let fleet = settings.backend == seatmate_storage::Backend::Postgres;
    let telegram = match &settings.telegram {
        Some(telegram_settings) => {
            let mut telegram = connect_telegram(telegram_settings).await?;
            agree_on_webhook(&telegram, telegram_settings, store.as_ref()).await?;
            if fleet {
                telegram = telegram.with_fleet_limits(store.clone());
            }
            Some(telegram)
        }
        None => None,
    };
    let discord = match &settings.discord {
        Some(discord) => Some(connect_discord(discord).await?),
        None => None,
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let worker = seatmate_bot::worker::Worker::new(&settings.instance);
    let mut core = build_core(settings, store.clone(), clock.clone());
    if let Some(telegram) = &telegram {
        core = core.with_chat_admins(Platform::Telegram, telegram.chat_admins());
        core.set_telegram_bot(telegram.username());
    }
    if let Some(discord) = &discord {
        core = core.with_chat_admins(Platform::Discord, discord.chat_admins());
    }
    let core = Arc::new(core);
    let options = DeliveryOptions {
        locale: core.ports().locale,
        host_digest: settings.host_digest,
        ..DeliveryOptions::default()
    };
    let leader = worker.clone();
    let mut deliverer = Deliverer::new(store.clone(), clock.clone(), options).with_worker(worker);
    // What an earlier run of this instance had claimed when it died is due
    // now, not when its leases run out.
    if let Err(error) = deliverer.take_back_claims().await {
        tracing::warn!(%error, "could not take back the claims of an earlier run; they come back when their leases end");
    }
    let mut supervisor = Supervisor::default();
    let mut running = Vec::new();
    let mut inbound = crate::http::Inbound::default();
    // What runs on the fleet's leader alone (see leader.rs).
    let mut polling: Option<seatmate_telegram::Telegram> = None;
    let mut gateway: Option<seatmate_discord::Discord> = None;
    if let (Some(telegram), Some(telegram_settings)) = (telegram, &settings.telegram) {
        if let Err(error) = telegram.publish_commands().await {
            // The bot works without its menu; the next start publishes it.
            tracing::warn!(error, "could not publish the Telegram command menus");
        }
        deliverer = deliverer.with_courier(Arc::new(telegram.courier(core.button_keys())));
        match &telegram_settings.mode {
            TelegramMode::Polling => {
                running.push(format!("Telegram as @{} (polling)", telegram.username()));
                polling = Some(telegram);
            }
            TelegramMode::Webhook(hook) => {
                running.push(format!(
                    "Telegram as @{} (webhook at {})",
                    telegram.username(),
                    hook.path
                ));
                let webhook = telegram
                    .webhook(core.clone(), hook.secret.clone(), supervisor.shutdown())
                    .await;
                // At a stop, the chats finish the update in hand.
                let (finishing, mut shutdown) = (webhook.clone(), supervisor.shutdown());
                supervisor.spawn(async move {
                    let _ = shutdown.wait_for(|stop| *stop).await;
                    finishing.finish().await;
                });
                inbound.telegram = Some((hook.path.clone(), webhook));
            }
        }
    }
    if let Some(discord) = discord {
        if let Err(error) = discord.register_commands().await {
            tracing::warn!(error, "could not register the Discord commands");
        }
        let mut courier = discord.courier(core.button_keys());
        if fleet {
            courier = courier.with_fleet_limits(store.clone());
        }
        deliverer = deliverer.with_courier(Arc::new(courier));
        match settings.discord.as_ref().map(|d| &d.mode) {
            Some(DiscordMode::Http { public_key }) => {
                let endpoint = discord
                    .endpoint(core.clone(), *public_key)
                    .map_err(|e| SettingsError(format!("discord.public_key: {e}")))?;
                running.push(format!("Discord (interactions at {DISCORD_ROUTE})"));
                inbound.discord = Some(endpoint);
            }
            _ => {
                running.push("Discord (gateway)".to_string());
                gateway = Some(discord);
            }
        }
    }
    if let Some(listener) = http {
        if let Ok(address) = listener.local_addr() {
            running.push(format!("HTTP on {address}"));
        }
        let token = settings.http.as_ref().and_then(|h| h.metrics_token.clone());
        let metrics = crate::http::install_metrics()?;
        supervisor.spawn(crate::http::serve(
            listener,
            store.clone(),
            metrics,
            token,
            inbound,
            supervisor.shutdown(),
        ));
    }
    // The outbox is delivered by the leader alone: its limiter keeps the
    // platforms' limits for the whole fleet's outbox (see README).
    let deliverer = Arc::new(deliverer);
    let singletons: crate::leader::Singletons = Box::new(move |stop| {
        let mut tasks = deliverer.clone().spawn(stop.clone());
        tasks.spawn(run_scheduler(core.clone(), stop.clone()));
        if let Some(telegram) = &polling {
            let (telegram, core, stop) = (telegram.clone(), core.clone(), stop.clone());
            tasks.spawn(async move { telegram.run(core, stop).await });
        }
        if let Some(discord) = &gateway {
            let (discord, core, stop) = (discord.clone(), core.clone(), stop.clone());
            tasks.spawn(async move { discord.run(core, stop).await });
        }
        tasks
    });
    supervisor.spawn(crate::leader::lead(
        store,
        clock,
        leader,
        crate::leader::Timing::default(),
        singletons,
        supervisor.shutdown(),
    ));
    eprintln!(
        "Seatmate is running on {} with {}; stop with Ctrl-C.",
        running.join(" and "),
        settings.database_label()
    );
    shutdown_signal().await;
    supervisor.stop(std::time::Duration::from_secs(10)).await;
    Ok(())
}

/// Connects to Discord; a token Discord refuses is a settings error.
async fn connect_discord(settings: &settings::DiscordSettings) -> anyhow::Result<seatmate_discord::Discord> {
    use seatmate_discord::StartError;
    match seatmate_discord::Discord::connect(settings.token.expose_secret(), &settings.api_url, settings.guild_id).await
    {
        Ok(discord) => Ok(discord),
        Err(StartError::BadToken) => Err(SettingsError(
            "discord.token: Discord refused this bot token; reset it in the developer portal (Bot → Reset Token)"
                .into(),
        )
        .into()),
        Err(error) => Err(anyhow::Error::new(error)),
    }
}

/// Connects to Telegram; a token Telegram refuses is a settings error.
async fn connect_telegram(settings: &settings::TelegramSettings) -> anyhow::Result<seatmate_telegram::Telegram> {
    use seatmate_telegram::StartError;
    match seatmate_telegram::Telegram::connect(settings.token.expose_secret(), &settings.api_url).await {
        Ok(telegram) => Ok(telegram),
        Err(StartError::BadToken) => Err(SettingsError(
            "telegram.token: Telegram refused this bot token; ask BotFather for the current one (/token)".into(),
        )
        .into()),
        Err(error @ StartError::BadUrl(_)) => Err(SettingsError(error.to_string()).into()),
        Err(error) => Err(anyhow::Error::new(error)),
    }
}

/// Makes Telegram's webhook what the settings say. Polling: none may be set
/// (teloxide would delete it; a production webhook is not ours to delete).
/// Webhook: `setWebhook` only when Telegram's webhook or the fingerprint
/// recorded for it differs, so instances starting at once agree.
async fn agree_on_webhook(
    telegram: &seatmate_telegram::Telegram,
    settings: &settings::TelegramSettings,
    store: &dyn seatmate_bot::Store,
) -> anyhow::Result<()> {
    let state = telegram.webhook_state().await;
    let hook = match &settings.mode {
        TelegramMode::Polling => {
            return match state {
                Ok(state) if !state.url.is_empty() => Err(SettingsError(format!(
                    "a webhook is set for this bot: {}; run with telegram.mode = webhook, or `seatmate telegram delete-webhook`",
                    state.url
                ))
                .into()),
                Ok(_) => Ok(()),
                Err(error) => {
                    tracing::warn!(error, "could not ask Telegram whether a webhook is set");
                    Ok(())
                }
            };
        }
        TelegramMode::Webhook(hook) => hook,
    };
    let state = state.map_err(|e| anyhow::anyhow!("could not read Telegram's webhook: {e}"))?;
    let fingerprint = webhook::fingerprint(&hook.url, &hook.secret);
    let recorded = store.registration(webhook::REGISTRATION).await?;
    if state.delivers_as_set(&hook.url) && recorded.as_deref() == Some(fingerprint.as_str()) {
        tracing::info!(url = hook.url, "the Telegram webhook is set as configured");
        return Ok(());
    }
    telegram
        .set_webhook(&hook.url, &hook.secret)
        .await
        .map_err(|e| anyhow::anyhow!("Telegram would not set the webhook to {}: {e}", hook.url))?;
    store
        .record_registration(webhook::REGISTRATION, &fingerprint, SystemClock.now())
        .await?;
    tracing::info!(url = hook.url, "the Telegram webhook is set");
    Ok(())
}

/// `seatmate telegram webhook-info|delete-webhook`, for operators.
pub(crate) async fn telegram_command(settings: &Settings, action: TelegramAction) -> anyhow::Result<()> {
    let Some(telegram_settings) = &settings.telegram else {
        return Err(SettingsError(
            "telegram.token: not set; these commands need the bot's token (e.g. SEATMATE__TELEGRAM__TOKEN=123456789:AAE…)"
                .into(),
        )
        .into());
    };
    let telegram = connect_telegram(telegram_settings).await?;
    match action {
        TelegramAction::WebhookInfo => {
            let state = telegram.webhook_state().await.map_err(anyhow::Error::msg)?;
            if state.url.is_empty() {
                println!("No webhook is set: updates wait for polling.");
            } else {
                println!("Webhook: {}", state.url);
                let kinds = state
                    .allowed_updates
                    .as_ref()
                    .map_or("every kind".to_string(), |kinds| format!("{kinds:?}"));
                println!("Update kinds: {kinds}");
                if let Some(max) = state.max_connections {
                    println!("Connections at most: {max}");
                }
            }
            println!("Updates waiting: {}", state.pending_updates);
            if let Some(error) = &state.last_error {
                println!("Last delivery error: {error}");
            }
        }
        TelegramAction::DeleteWebhook => {
            telegram.delete_webhook().await.map_err(anyhow::Error::msg)?;
            println!("The webhook is removed; the updates waiting are kept for polling (telegram.mode = polling).");
        }
    }
    Ok(())
}
