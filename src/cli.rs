//! The command line: `seatmate [run|console|migrate|telegram …]`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
    /// Look at or remove the bot's Telegram webhook (needs telegram.token).
    Telegram {
        #[command(subcommand)]
        action: TelegramAction,
    },
}

#[derive(Debug, Subcommand, Clone, Copy)]
pub enum TelegramAction {
    /// Show the webhook Telegram has for this bot: its URL, the updates
    /// waiting for it and its last delivery error.
    WebhookInfo,
    /// Remove the webhook (the updates waiting are kept), so that polling
    /// can start.
    DeleteWebhook,
}
