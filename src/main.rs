use std::process::ExitCode;

use clap::Parser;
use seatmate::{Cli, Settings};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("seatmate: {error}");
            return ExitCode::from(2);
        }
    };
    seatmate::init_tracing(&settings.log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("seatmate: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        seatmate::survive_file_size_limits();
        seatmate::run(cli, settings).await
    });
    // Leave at once (Ctrl-C in the console): a read of stdin blocked in a
    // worker thread must not hold the process until Enter is pressed.
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.downcast_ref::<seatmate::SettingsError>().is_some() => {
            eprintln!("seatmate: {error:#}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("seatmate: {error:#}");
            ExitCode::FAILURE
        }
    }
}
