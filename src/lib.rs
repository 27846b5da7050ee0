//! The composition root: settings, telemetry, picking the store, and starting
//! the adapters. `main.rs` only parses the command line and calls [`run`].

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::{Clock, Core, CoreSettings, SystemClock};
use seatmate_console::{ConsoleCourier, ConsoleDelivery, ConsoleOptions};
use secrecy::ExposeSecret;
use tokio::io::{AsyncBufRead, AsyncWrite, BufReader};

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
        migrate: true,
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
        },
    )
}

/// Runs the console over any input and output: the binary passes stdin/stdout
/// or a script file, tests pass buffers.
pub async fn run_console<R, W>(bot: &Core, input: R, output: &mut W, options: ConsoleOptions) -> anyhow::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let courier = Arc::new(ConsoleCourier::default());
    let deliverer = Deliverer::new(bot.store().clone(), bot.clock().clone(), DeliveryOptions::default())
        .with_courier(courier.clone());
    let delivery = ConsoleDelivery {
        deliverer: &deliverer,
        courier: &courier,
    };
    seatmate_console::run(bot, Some(&delivery), input, output, options)
        .await
        .context("console input or output failed")
}

/// How often the scheduler looks for due pairing rounds.
pub const SCHEDULER_TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs due pairing rounds now (the catch-up for rounds missed while the bot
/// was down) and then every [`SCHEDULER_TICK`]. A round is at most once per
/// community and day whatever the number of processes doing this.
pub async fn run_scheduler(bot: Arc<Core>) {
    loop {
        match bot.run_due_rounds().await {
            Ok(done) => {
                for (community, outcome) in done {
                    tracing::info!(community = %community.name, ?outcome, "scheduled pairing round");
                }
            }
            Err(error) => tracing::error!(%error, "scheduled pairing failed; trying again at the next tick"),
        }
        tokio::time::sleep(SCHEDULER_TICK).await;
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
    if interactive {
        tokio::spawn(run_scheduler(bot.clone()));
    }
    let session = async {
        match script {
            Some(path) => {
                let file = tokio::fs::File::open(&path)
                    .await
                    .with_context(|| format!("cannot read the script {}", path.display()))?;
                run_console(&bot, BufReader::new(file), &mut stdout, options).await
            }
            None => run_console(&bot, BufReader::new(tokio::io::stdin()), &mut stdout, options).await,
        }
    };
    tokio::select! {
        result = session => result,
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}
