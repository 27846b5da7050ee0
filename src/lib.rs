//! The composition root: settings, telemetry, picking the store, and starting
//! the adapters. `main.rs` only parses the command line and calls [`run`].

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::{Clock, Core, CoreSettings, Platform, SystemClock};
use seatmate_console::{ConsoleCourier, ConsoleDelivery, ConsoleOptions};
use secrecy::ExposeSecret;
use tokio::io::{AsyncBufRead, AsyncWrite, BufReader};
use tokio::sync::watch;

pub mod settings;

pub use settings::{Settings, SettingsError};

/// Seatmate: a chat bot for coworking communities. Check in and see whom to
/// meet, share free seats, meet someone new every day.
#[derive(Debug, Parser)]
#[command(name = "seatmate", version, about, long_about = None)]
pub struct Cli {
    /// A settings file layered over the defaults (see config/default.toml).
    #[arg(long, global = true, env = "SEATMATE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Start every configured adapter (the default). With no Telegram or
    /// Discord adapter configured, runs the console.
    Run,
    /// Chat with the bot in this terminal, or run a script of messages.
    Console {
        /// Who speaks first (switch with `/as NAME`).
        #[arg(long = "as", value_name = "NAME")]
        user: Option<String>,
        /// Read messages from this file instead of stdin, then exit.
        #[arg(long, value_name = "FILE")]
        script: Option<PathBuf>,
    },
    /// Create or update the database schema, then exit.
    Migrate,
}

/// Sends logs to stderr, filtered by RUST_LOG or else `log.level`, so they never
/// mix with the console chat on stdout.
pub fn init_tracing(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Opens (and migrates) the configured database.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn seatmate_bot::Store>> {
    let options = seatmate_storage::OpenOptions {
        max_connections: settings.max_connections,
        ..seatmate_storage::OpenOptions::default()
    };
    match seatmate_storage::open(settings.database_url.expose_secret(), &options).await {
        Ok(store) => Ok(store),
        // A URL that cannot work is a settings error: exit 2, like the others.
        Err(error) if error.bad_setting => Err(SettingsError(error.message).into()),
        Err(error) => {
            Err(anyhow::Error::new(error).context(format!("cannot open the database ({})", settings.database_label())))
        }
    }
}

pub fn bot(settings: &Settings, store: Arc<dyn seatmate_bot::Store>, clock: Arc<dyn Clock>) -> Core {
    Core::new(
        store,
        clock,
        CoreSettings {
            locale: settings.locale,
            default_zone: settings.default_zone,
            checkin_days: settings.checkin_days,
        },
    )
}

/// Runs the console over any input and output: the binary passes stdin/stdout
/// or a script file, tests pass buffers.
///
/// With a supervisor (an interactive session), the console's delivery loop
/// also runs as a supervised task, as a platform's would; a script delivers
/// only between its lines, so that its transcript never depends on timing.
pub async fn run_console<R, W>(
    bot: &Core,
    input: R,
    output: &mut W,
    options: ConsoleOptions,
    supervisor: Option<&mut Supervisor>,
) -> anyhow::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let courier = Arc::new(ConsoleCourier::default());
    let delivery_options = DeliveryOptions {
        locale: bot.default_locale(),
        // No platform limits to spare: a transcript shows every change to
        // an announcement where it happened.
        refresh_every: std::time::Duration::ZERO,
        ..DeliveryOptions::default()
    };
    let deliverer = Arc::new(
        Deliverer::new(bot.store().clone(), bot.clock().clone(), delivery_options).with_courier(courier.clone()),
    );
    if let Some(supervisor) = supervisor {
        supervisor.spawn_delivery(deliverer.clone());
    }
    let delivery = ConsoleDelivery {
        deliverer: &deliverer,
        courier: &courier,
    };
    seatmate_console::run(bot, Some(&delivery), input, output, options)
        .await
        .context("console input or output failed")
}

/// How often the scheduler deletes check-ins past `privacy.checkin_days`
/// and expired codes.
pub const RETENTION_SWEEP: std::time::Duration = std::time::Duration::from_secs(3600);

/// How often the scheduler looks for due pairing rounds.
pub const SCHEDULER_TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs due pairing rounds now (the catch-up for rounds missed while the bot
/// was down) and then every [`SCHEDULER_TICK`], until `shutdown` turns true;
/// deletes old data at start and every [`RETENTION_SWEEP`]. A
/// round is at most once per community and day whatever the number of
/// processes doing this.
pub async fn run_scheduler(core: Arc<Core>, mut shutdown: watch::Receiver<bool>) {
    let mut last_sweep: Option<std::time::Instant> = None;
    while !*shutdown.borrow() {
        if last_sweep.is_none_or(|at| at.elapsed() >= RETENTION_SWEEP) {
            match core.sweep_old_data().await {
                Ok(purged) => {
                    last_sweep = Some(std::time::Instant::now());
                    if purged.checkins + purged.codes + purged.messages + purged.inbound > 0 {
                        tracing::info!(
                            checkins = purged.checkins,
                            codes = purged.codes,
                            messages = purged.messages,
                            inbound = purged.inbound,
                            "old data deleted"
                        );
                    }
                }
                Err(error) => tracing::error!(%error, "the retention sweep failed; trying again at the next tick"),
            }
        }
        match core.run_due_rounds().await {
            Ok(done) => {
                for (community, outcome) in done {
                    tracing::info!(community = %community.name, ?outcome, "scheduled pairing round");
                }
            }
            Err(error) => tracing::error!(%error, "scheduled pairing failed; trying again at the next tick"),
        }
        tokio::select! {
            _ = tokio::time::sleep(SCHEDULER_TICK) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// A write past the process's file size limit (`ulimit -f`, a quota) is
/// an I/O error the store reports ("the database refuses writes") and
/// recovers from when space is back, rather than SIGXFSZ killing the
/// process: the signal is caught (and nothing more done with it).
pub fn survive_file_size_limits() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        const SIGXFSZ: i32 = 25;
        match signal(SignalKind::from_raw(SIGXFSZ)) {
            // Installed for the life of the process once registered.
            Ok(listener) => drop(listener),
            Err(error) => tracing::warn!(%error, "cannot catch SIGXFSZ"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM (a service manager stopping the bot).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; Ctrl-C still stops the bot");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The long-running parts of `seatmate run`, supervised together (the
/// scheduler, the delivery loop's tasks, the adapters): they all stop when
/// [`Supervisor::stop`] is called, and it waits for them to finish their work
/// in hand (a send in flight, a round being written).
pub struct Supervisor {
    shutdown: watch::Sender<bool>,
    tasks: tokio::task::JoinSet<()>,
}

impl Default for Supervisor {
    fn default() -> Self {
        Supervisor {
            shutdown: watch::channel(false).0,
            tasks: tokio::task::JoinSet::new(),
        }
    }
}

impl Supervisor {
    /// What a task watches to know when to stop.
    pub fn shutdown(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    pub fn spawn(&mut self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.tasks.spawn(task);
    }

    /// Starts the delivery loop: one task per platform with a courier.
    pub fn spawn_delivery(&mut self, deliverer: Arc<Deliverer>) {
        let mut tasks = deliverer.spawn(self.shutdown());
        self.spawn(async move { while tasks.join_next().await.is_some() {} });
    }

    /// Asks every task to stop, and waits (at most `grace`) for them.
    pub async fn stop(mut self, grace: std::time::Duration) {
        let _ = self.shutdown.send(true);
        let all = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!("some tasks did not stop within {grace:?}; leaving them");
        }
    }
}

/// Runs the command line.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(CliCommand::Run) {
        CliCommand::Migrate => {
            open_store(&settings).await?;
            eprintln!("The database at {} is up to date.", settings.database_label());
            Ok(())
        }
        CliCommand::Run if settings.telegram.is_some() || settings.discord.is_some() => run_platforms(&settings).await,
        CliCommand::Run => {
            eprintln!(
                "No Telegram or Discord adapter is configured: running the console on {} (type /help, /quit to leave).",
                settings.database_label()
            );
            console(&settings, None, None).await
        }
        CliCommand::Console { user, script } => console(&settings, user, script).await,
    }
}

/// Runs the configured chat platforms (Telegram, Discord, or both in one
/// process) with the delivery loop and the scheduler, until Ctrl-C or
/// SIGTERM.
async fn run_platforms(settings: &Settings) -> anyhow::Result<()> {
    let store = open_store(settings).await?;
    let telegram = match &settings.telegram {
        Some(telegram) => Some(connect_telegram(telegram).await?),
        None => None,
    };
    let discord = match &settings.discord {
        Some(discord) => Some(connect_discord(discord).await?),
        None => None,
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let worker = seatmate_bot::worker::Worker::new(&settings.instance);
    let mut core = bot(settings, store.clone(), clock.clone()).with_worker(worker.clone());
    if let Some(telegram) = &telegram {
        core = core.with_chat_admins(Platform::Telegram, telegram.chat_admins());
        core.set_telegram_bot(telegram.username());
    }
    if let Some(discord) = &discord {
        core = core.with_chat_admins(Platform::Discord, discord.chat_admins());
    }
    let core = Arc::new(core);
    let options = DeliveryOptions {
        locale: core.default_locale(),
        host_digest: settings.host_digest,
        ..DeliveryOptions::default()
    };
    let mut deliverer = Deliverer::new(store, clock, options).with_worker(worker);
    // What an earlier run of this instance had claimed when it died is due
    // now, not when its leases run out.
    if let Err(error) = deliverer.take_back_claims().await {
        tracing::warn!(%error, "could not take back the claims of an earlier run; they come back when their leases end");
    }
    let mut supervisor = Supervisor::default();
    let mut running = Vec::new();
    if let Some(telegram) = telegram {
        if let Err(error) = telegram.publish_commands().await {
            // The bot works without its menu; the next start publishes it.
            tracing::warn!(error, "could not publish the Telegram command menus");
        }
        deliverer = deliverer.with_courier(Arc::new(telegram.courier(core.clone())));
        running.push(format!("Telegram as @{}", telegram.username()));
        let (core, shutdown) = (core.clone(), supervisor.shutdown());
        supervisor.spawn(async move { telegram.run(core, shutdown).await });
    }
    if let Some(discord) = discord {
        if let Err(error) = discord.register_commands().await {
            tracing::warn!(error, "could not register the Discord commands");
        }
        deliverer = deliverer.with_courier(Arc::new(discord.courier(core.clone())));
        running.push("Discord".to_string());
        let (core, shutdown) = (core.clone(), supervisor.shutdown());
        supervisor.spawn(async move { discord.run(core, shutdown).await });
    }
    supervisor.spawn_delivery(Arc::new(deliverer));
    supervisor.spawn(run_scheduler(core, supervisor.shutdown()));
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

async fn console(settings: &Settings, user: Option<String>, script: Option<PathBuf>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let user = match user {
        Some(name) => seatmate_console::valid_user_name(&name)
            .map_err(anyhow::Error::msg)?
            .to_string(),
        None => settings.console_user.clone(),
    };
    let store = open_store(settings).await?;
    let bot = Arc::new(bot(settings, store, Arc::new(SystemClock)));
    let mut stdout = tokio::io::stdout();
    let interactive = script.is_none() && std::io::stdin().is_terminal();
    let options = ConsoleOptions {
        user,
        prompt: interactive,
        echo: !interactive,
    };
    // Scripts are transcripts: no round may start because of the wall clock.
    let mut supervisor = Supervisor::default();
    if interactive {
        supervisor.spawn(run_scheduler(bot.clone(), supervisor.shutdown()));
    }
    let session = async {
        match script {
            Some(path) => {
                let file = tokio::fs::File::open(&path)
                    .await
                    .with_context(|| format!("cannot read the script {}", path.display()))?;
                run_console(&bot, BufReader::new(file), &mut stdout, options, None).await
            }
            None => {
                let supervised = interactive.then_some(&mut supervisor);
                run_console(
                    &bot,
                    BufReader::new(tokio::io::stdin()),
                    &mut stdout,
                    options,
                    supervised,
                )
                .await
            }
        }
    };
    let result = tokio::select! {
        result = session => result,
        () = shutdown_signal() => Ok(()),
    };
    supervisor.stop(std::time::Duration::from_secs(10)).await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use seatmate_bot::domain::Platform;
    use seatmate_bot::store::{Outgoing, Target};
    use seatmate_bot::{Reply, Span};

    #[tokio::test]
    async fn the_supervised_delivery_loop_delivers_and_stops_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let store = seatmate_storage::test_support::fresh_sqlite(dir.path()).await;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let now = clock.now();
        let core = Core::new(store.clone(), clock.clone(), CoreSettings::default());
        core.handle_text(&seatmate_console::request("ann", "/setup Demo Space"))
            .await;
        let community = store.communities().await.unwrap().remove(0);
        let message = Outgoing {
            community: community.id,
            target: Target::Chat {
                platform: Platform::Console,
                chat_id: "console".into(),
            },
            body: Reply::to_chat().line(vec![Span::Text("hello".into())]).into(),
            subject: None,
        };
        store.enqueue(&[message], now).await.unwrap();

        let courier = Arc::new(ConsoleCourier::default());
        let options = DeliveryOptions {
            idle_poll: std::time::Duration::from_millis(10),
            ..DeliveryOptions::default()
        };
        let deliverer = Arc::new(Deliverer::new(store, clock, options).with_courier(courier.clone()));
        let mut supervisor = Supervisor::default();
        supervisor.spawn_delivery(deliverer);
        let mut delivered = Vec::new();
        for _ in 0..200 {
            delivered.extend(courier.take());
            if !delivered.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(delivered, ["seatmate (announcement): hello\n"]);
        let asked = std::time::Instant::now();
        supervisor.stop(std::time::Duration::from_secs(5)).await;
        assert!(asked.elapsed() < std::time::Duration::from_secs(1), "stopped at once");
    }
}
