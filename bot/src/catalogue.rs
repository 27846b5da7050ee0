//! The command catalogue: every command declared once, with its arguments, usage,
//! example and who may use it. `/help` is generated from it, and platform adapters
//! register their commands from it (Telegram's command list, Discord's slash
//! commands with typed options), so adding a command never touches an adapter.

use crate::command::Grammar;

/// What kind of value an argument takes; adapters map these to typed options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// A space slug of the community (`cafe-noord`).
    Space,
    /// The short name of a space to create (`cafe-noord`).
    NewSpace,
    /// A space slug or the word `remote`.
    SpaceOrRemote,
    /// A member (`@alice`).
    MemberMention,
    /// A date (`today`, `tomorrow`, `friday`, `2026-12-01`).
    Date,
    /// A time of day (`17:30`).
    Time,
    /// A time window (`9-17`, `09:00-17:30`).
    Window,
    /// A whole number.
    Integer,
    /// `on` or `off` (`/profile reminders off`).
    OnOff,
    /// Minutes, or `off` (`/space set … release_after 90`).
    MinutesOrOff,
    /// An offer's number (`12`, `#12`), or a space (then the soonest offer there).
    OfferOrSpace,
    /// An offer's number (`12`): platforms with menus offer the offers that
    /// fit the command by their description ("cafe-noord, Fri 11 Dec, 3 left").
    OfferNumber,
    /// Weekdays: `mon-fri`, `mon,wed,fri`, `daily`.
    Days,
    /// Comma-separated tags (`rust, ux research`).
    Tags,
    /// An IANA time zone (`Europe/Amsterdam`).
    Zone,
    /// A language: `en`, `nl`.
    Language,
    /// A command name, for `/help`.
    CommandName,
    /// A fixed word that switches something on (`approval`).
    Flag,
    /// Free text, the rest of the line as typed (a name, a reason).
    Text,
    /// A note beside a date or a time: set apart in quotes when it is written
    /// from options, so that nothing in it is read as the date.
    Note,
    /// A date or a space (`/seats`).
    DateOrSpace,
    /// A one-time code (`ABCD-2345`) from `/invite` or `/link`.
    Code,
    /// A platform for private messages: `telegram`, `discord`, or `auto`.
    PlatformName,
    /// What only a button of the bot's carries (`/forgetme`'s confirmation):
    /// never offered as an option, and refused when typed.
    ButtonOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    pub name: &'static str,
    pub kind: ArgKind,
    pub required: bool,
    /// Typed after this word (`capacity 12`, `until 17:00`); for a flag, the
    /// word itself (`approval`).
    pub keyword: Option<&'static str>,
    pub description: &'static str,
    /// The description in Dutch.
    pub description_nl: &'static str,
    /// For a number: the least and the most it may be (the grammar's own
    /// bounds, from `domain::bounds`).
    pub range: Option<(u32, u32)>,
}

impl ArgSpec {
    /// What an argument is unless its entry says otherwise: optional, typed
    /// where it stands, any size. Entries name the rest field by field.
    pub const OPTIONAL: ArgSpec = ArgSpec {
        name: "",
        kind: ArgKind::Text,
        required: false,
        keyword: None,
        description: "",
        description_nl: "",
        range: None,
    };
}

/// Who may use a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, anywhere, also in a chat that is not set up.
    Anyone,
    /// Anyone in a chat bound to a community.
    Member,
    /// An admin of the chat (to bind it to a new community).
    ChatAdmin,
    /// A host of the space concerned, or an admin of the community.
    Host,
    /// An admin of the community.
    Admin,
}

#[derive(Clone, Copy)]
pub struct CommandSpec {
    /// The name as typed after `/` (for a subcommand, the word after its parent).
    pub name: &'static str,
    /// The full path as typed, `space add`.
    pub path: &'static str,
    pub summary: &'static str,
    /// The summary in Dutch.
    pub summary_nl: &'static str,
    /// The grammar, `/space add <slug> [<zone>] [capacity <n>] [approval]`.
    pub usage: &'static str,
    pub example: &'static str,
    pub access: Access,
    pub args: &'static [ArgSpec],
    pub subcommands: &'static [CommandSpec],
    /// How its text is read (a group has none: its subcommands do).
    pub grammar: Option<Grammar>,
    /// How it runs (a group has none: its subcommands do).
    pub(crate) handler: Option<crate::commands::Handler>,
}

impl CommandSpec {
    /// The fields a command that runs leaves out: it has no subcommands.
    pub(crate) const LEAF: CommandSpec = CommandSpec {
        name: "",
        path: "",
        summary: "",
        summary_nl: "",
        usage: "",
        example: "",
        access: Access::Anyone,
        args: &[],
        subcommands: &[],
        grammar: None,
        handler: None,
    };

    /// The fields a group leaves out: its subcommands read and run it.
    pub(crate) const GROUP: CommandSpec = CommandSpec::LEAF;

    /// The entries that run under it: itself, or its subcommands.
    pub fn leaves(&self) -> &[CommandSpec] {
        if self.subcommands.is_empty() {
            std::slice::from_ref(self)
        } else {
            self.subcommands
        }
    }

    /// The summary in `locale` (command menus and `/help` show it).
    pub fn summary_in(&self, locale: crate::Locale) -> &'static str {
        match locale {
            crate::Locale::En => self.summary,
            crate::Locale::Nl => self.summary_nl,
        }
    }

    /// The usage in `locale`: its placeholders and keywords in that language.
    pub fn usage_in(&self, locale: crate::Locale) -> String {
        match locale {
            crate::Locale::En => self.usage.to_string(),
            crate::Locale::Nl => crate::catalogue_nl::words(self.usage),
        }
    }

    /// The example in `locale`: the words the grammar reads in that language.
    pub fn example_in(&self, locale: crate::Locale) -> String {
        match locale {
            crate::Locale::En => self.example.to_string(),
            crate::Locale::Nl => crate::catalogue_nl::words(self.example),
        }
    }

    /// An argument's description in `locale`.
    pub fn arg_description_in(&self, arg: &ArgSpec, locale: crate::Locale) -> &'static str {
        match locale {
            crate::Locale::En => arg.description,
            crate::Locale::Nl => arg.description_nl,
        }
    }
}

impl std::fmt::Debug for CommandSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandSpec")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Entries are compared by path: the catalogue holds each once.
impl PartialEq for CommandSpec {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

impl Eq for CommandSpec {}

/// The top-level command with that name.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    CATALOGUE.iter().find(|c| c.name == name)
}

/// A command by its path (`checkin`, `space add`, `profile`).
pub fn find_path(path: &str) -> Option<&'static CommandSpec> {
    leaves().find(|s| s.path == path)
}

/// The entry a menu reaches by a command's name and, for a group, a
/// subcommand's name: `("profile", Some("show"))` is the entry at path
/// `profile` (a group's bare form is listed under its own name in menus
/// that need one word per subcommand, such as Discord's).
pub fn find_menu(name: &str, subcommand: Option<&str>) -> Option<&'static CommandSpec> {
    let command = find(name)?;
    match subcommand {
        None if command.subcommands.is_empty() => Some(command),
        None => None,
        Some(sub) => command.subcommands.iter().find(|s| s.name == sub),
    }
}

/// The top-level command names, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|c| c.name)
}

/// Every entry that runs: each command without subcommands, and each
/// subcommand.
pub fn leaves() -> impl Iterator<Item = &'static CommandSpec> {
    CATALOGUE.iter().flat_map(CommandSpec::leaves)
}

mod forms;
mod menus;
pub use crate::commands::CATALOGUE;
pub use menus::{menus, MenuEntry, Menus};

#[cfg(test)]
mod tests;
