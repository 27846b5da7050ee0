//! The console: chatting with the bot in a terminal, or running a script.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use seatmate_bot::delivery::{Deliverer, DeliveryOptions};
use seatmate_bot::{Core, SystemClock};
use seatmate_console::{ConsoleCourier, ConsoleDelivery, ConsoleOptions};
use tokio::io::{AsyncBufRead, AsyncWrite, BufReader};

use crate::settings::Settings;
use crate::startup::{build_core, open_store};
use crate::supervisor::{run_scheduler, shutdown_signal, Supervisor};

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
    let ports = bot.ports();
    let delivery_options = DeliveryOptions {
        locale: ports.locale,
        // No platform limits to spare: a transcript shows every change to
        // an announcement where it happened.
        refresh_every: std::time::Duration::ZERO,
        ..DeliveryOptions::default()
    };
    let deliverer = Arc::new(Deliverer::new(ports.store, ports.clock, delivery_options).with_courier(courier.clone()));
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

/// `seatmate console` (and `run` with no platform): a terminal session or
/// a script.
pub(crate) async fn console(settings: &Settings, user: Option<String>, script: Option<PathBuf>) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    let user = match user {
        Some(name) => seatmate_console::valid_user_name(&name)
            .map_err(anyhow::Error::msg)?
            .to_string(),
        None => settings.console_user.clone(),
    };
    let store = open_store(settings).await?;
    let bot = Arc::new(build_core(settings, store, Arc::new(SystemClock)));
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
