//! The store and the core, as the settings say.

use std::sync::Arc;

use seatmate_bot::{Clock, Core, CoreSettings};
use secrecy::ExposeSecret;

use crate::settings::{Settings, SettingsError};

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

/// The core over `store`, with the settings it takes.
pub fn build_core(settings: &Settings, store: Arc<dyn seatmate_bot::Store>, clock: Arc<dyn Clock>) -> Core {
    Core::new(
        store,
        clock,
        CoreSettings {
            locale: settings.locale,
            default_zone: settings.default_zone,
            checkin_days: settings.checkin_days,
            worker: seatmate_bot::worker::Worker::new(&settings.instance),
        },
    )
}

/// SQLite serves one instance: a second `seatmate run` on the same file
/// would poll Telegram beside the first and race its scheduler and sends.
/// (Console sessions may share a file: they serve no platform, and the
/// store keeps their writes apart.) The file is locked (an advisory
/// `flock`, apart from SQLite's own locks) for as long as the returned file
/// is kept; a second process finds it locked and stops with a settings
/// error (exit 2). The lock goes with the process, however it ends, so a
/// crash never leaves the file held. `None`: nothing to hold (PostgreSQL,
/// in memory, or a path the store will refuse itself).
pub(crate) fn hold_sqlite_file(settings: &Settings) -> Result<Option<std::fs::File>, SettingsError> {
    let Some(path) = seatmate_storage::sqlite_file(settings.database_url.expose_secret()) else {
        return Ok(None);
    };
    // An empty file is an empty database to SQLite; the store migrates it.
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(file) => file,
        // The store says what is wrong with the path (a missing folder…).
        Err(_) => return Ok(None),
    };
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(SettingsError(format!(
            "database.url: another `seatmate run` is using {}; SQLite serves one instance: stop the other one, or use PostgreSQL (postgres://…) to run several",
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(error)) => {
            tracing::warn!(%error, "cannot lock the SQLite file; a second process would not be stopped");
            Ok(None)
        }
    }
}
