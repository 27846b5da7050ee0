//! The composition root, one room a step: the command line ([`cli`]),
//! settings, telemetry, the store and the core ([`startup`]), then the
//! console or the platforms, with the long-running tasks under one
//! [`supervisor`]. `main.rs` only parses the command line and calls [`run`].

pub mod cli;
mod console;
pub mod http;
pub mod leader;
mod platforms;
pub mod settings;
pub mod startup;
pub mod supervisor;
pub mod telemetry;

pub use cli::{Cli, CliCommand, TelegramAction};
pub use console::run_console;
pub use settings::{Settings, SettingsError};
pub use startup::{build_core, open_store};
pub use supervisor::{run_scheduler, shutdown_signal, survive_file_size_limits, Supervisor};
pub use telemetry::init_tracing;

/// Runs the command line.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(CliCommand::Run) {
        CliCommand::Migrate => {
            open_store(&settings).await?;
            eprintln!("The database at {} is up to date.", settings.database_label());
            Ok(())
        }
        CliCommand::Run if settings.telegram.is_some() || settings.discord.is_some() => {
            platforms::run_platforms(&settings).await
        }
        CliCommand::Run => {
            eprintln!(
                "No Telegram or Discord adapter is configured: running the console on {} (type /help, /quit to leave).",
                settings.database_label()
            );
            console::console(&settings, None, None).await
        }
        CliCommand::Console { user, script } => console::console(&settings, user, script).await,
        CliCommand::Telegram { action } => platforms::telegram_command(&settings, action).await,
    }
}
