//! Buttons on platforms whose button payload is small (Telegram's
//! `callback_data`: 64 bytes): a command that does not fit is kept in the
//! store, and the button carries its key.

use std::sync::Arc;

use crate::clock::Clock;
use crate::i18n::{spans, Locale, Msg};
use crate::reply::Reply;
use crate::store::{Store, StoreError};

/// What a button carries in place of a command kept under a key: `#` and the key.
const KEPT: char = '#';

/// What renderers and couriers need of the core for buttons, and nothing
/// more: the data a button carries, and what a press that cannot be run is
/// told. The outbound path holds this, never the command service.
#[derive(Clone)]
pub struct ButtonKeys {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    /// The bot's language, for a press whose community is unknown.
    pub(crate) locale: Locale,
}

impl ButtonKeys {
    /// What a button for `command` carries on a platform that allows `limit`
    /// bytes: the command itself when it fits, else `#<key>`.
    pub async fn data(&self, command: &str, limit: usize) -> Result<String, StoreError> {
        if command.len() <= limit && !command.starts_with(KEPT) {
            return Ok(command.to_string());
        }
        let key = self.store.button_key(command, self.clock.now()).await?;
        Ok(format!("{KEPT}{key}"))
    }

    /// The command a pressed button stands for; `None` for data that no
    /// button of ours carries.
    pub(crate) async fn command(&self, data: &str) -> Result<Option<String>, StoreError> {
        match data.strip_prefix(KEPT) {
            // Every button of ours carries a command or a key: anything else
            // was never ours (forged, or from another bot's message).
            None if !data.starts_with('/') => Ok(None),
            None => Ok(Some(data.to_string())),
            Some(key) => match key.parse() {
                Ok(key) => self.store.button_command(key).await,
                Err(_) => Ok(None),
            },
        }
    }

    /// What a press of a button that stands for nothing we know is told
    /// (its command was never kept, or cannot be read now): type it instead.
    pub fn expired(&self) -> Reply {
        Reply::to_caller().line(spans(self.locale, Msg::ButtonExpired, vec![]))
    }

    /// A command from a place Seatmate does not serve (a DM between other
    /// people, where a user installed the app): nothing is done there.
    pub fn not_served_here(&self) -> Reply {
        Reply::to_caller().line(spans(self.locale, Msg::NotServedHere, vec![]))
    }
}
