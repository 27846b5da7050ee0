//! The chat platforms, and what each can do (typed options, ephemeral
//! replies, buttons) that the core words its answers for.

use std::fmt;
use std::str::FromStr;

use super::ArgError;
use crate::i18n::Msg;

/// A chat platform. The console is one too: it is how the bot is tried locally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Console,
    Telegram,
    Discord,
}

impl Platform {
    pub const ALL: [Platform; 3] = [Platform::Console, Platform::Telegram, Platform::Discord];

    /// Whether a reply can be shown to the caller alone inside a shared
    /// chat (Discord's ephemeral replies). Where it cannot, a reply "for
    /// the caller" is seen by the chat, so nothing private may go in one.
    pub fn has_ephemeral_replies(self) -> bool {
        matches!(self, Platform::Discord)
    }

    /// Whether a button pressed in a shared chat is still seen by the
    /// presser alone: Discord answers it ephemerally, and the console has
    /// one person at one keyboard (its README: `/forgetme` erases on a
    /// press there).
    pub fn presses_are_private(self) -> bool {
        matches!(self, Platform::Discord | Platform::Console)
    }

    /// Whether commands are typed as options by name (Discord's slash
    /// commands): usage and examples are then written in that form
    /// (`/offer space:cafe-noord seats:2`), never as text.
    pub fn has_typed_options(self) -> bool {
        matches!(self, Platform::Discord)
    }

    /// Whether a message can carry a card beside its text (Discord's
    /// embeds): an announcement's facts go there.
    pub fn has_cards(self) -> bool {
        matches!(self, Platform::Discord)
    }

    /// Whether an announcement in the chat a host posted from stands in for
    /// the confirmation (Telegram: a reply there is one more message for
    /// everyone). The console, a transcript, keeps both.
    pub fn announcement_confirms(self) -> bool {
        matches!(self, Platform::Telegram)
    }

    /// The platform as people call it in a message.
    pub fn display_name(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Telegram => "Telegram",
            Platform::Discord => "Discord",
        }
    }

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Console => "console",
            Platform::Telegram => "telegram",
            Platform::Discord => "discord",
        }
    }
}

impl FromStr for Platform {
    type Err = ArgError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| ArgError::new(Msg::UnknownPlatform).with("name", s))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
