//! Buttons on platforms whose button payload is small (Telegram's
//! `callback_data`: 64 bytes): a command that does not fit is kept in the
//! store, and the button carries its key.

use crate::i18n::{spans, Msg};
use crate::reply::Reply;
use crate::store::StoreError;
use crate::Core;

/// What a button carries in place of a command kept under a key: `#` and the key.
const KEPT: char = '#';

impl Core {
    /// What a button for `command` carries on a platform that allows `limit`
    /// bytes: the command itself when it fits, else `#<key>`.
    pub async fn button_data(&self, command: &str, limit: usize) -> Result<String, StoreError> {
        if command.len() <= limit && !command.starts_with(KEPT) {
            return Ok(command.to_string());
        }
        let key = self.store.button_key(command, self.clock.now()).await?;
        Ok(format!("{KEPT}{key}"))
    }

    /// The command a pressed button stands for; `None` for data that no
    /// button of ours carries.
    pub async fn button_command(&self, data: &str) -> Result<Option<String>, StoreError> {
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
    pub fn expired_button(&self) -> Reply {
        Reply::to_caller().line(spans(self.default_locale(), Msg::ButtonExpired, vec![]))
    }

    /// A command from a place Seatmate does not serve (a DM between other
    /// people, where a user installed the app): nothing is done there.
    pub fn not_served_here(&self) -> Reply {
        Reply::to_caller().line(spans(self.default_locale(), Msg::NotServedHere, vec![]))
    }
}
