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
