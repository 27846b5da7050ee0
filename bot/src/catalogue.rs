//! The command catalogue: every command declared once, with its arguments, usage,
//! example and who may use it. `/help` is generated from it, and platform adapters
//! register their commands from it (Telegram's command list, Discord's slash
//! commands with typed options), so adding a command never touches an adapter.

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
    /// An offer's number (`12`, `#12`), or a space (then the soonest offer there).
    OfferOrSpace,
    /// A request's number, or a space (then your request there).
    RequestOrSpace,
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
    /// For a number: the least and the most it may be (the grammar's own
    /// bounds, from `domain::bounds`).
    pub range: Option<(u32, u32)>,
}

impl ArgSpec {
    /// A number between `range`'s two ends.
    const fn between(self, range: (u32, u32)) -> ArgSpec {
        ArgSpec {
            range: Some(range),
            ..self
        }
    }
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
    /// The grammar, `/space add <slug> [<zone>] [capacity <n>] [approval]`.
    pub usage: &'static str,
    pub example: &'static str,
    pub access: Access,
    pub args: &'static [ArgSpec],
    pub subcommands: &'static [CommandSpec],
    /// How its text is read (a group has none: its subcommands do).
    pub grammar: Option<Grammar>,
}

impl CommandSpec {
    /// The summary in `locale` (command menus and `/help` show it).
    pub fn summary_in(&self, locale: crate::Locale) -> &'static str {
        match locale {
            crate::Locale::En => self.summary,
            crate::Locale::Nl => crate::catalogue_nl::summary(self.path).unwrap_or(self.summary),
        }
    }

    /// An argument's description in `locale`.
    pub fn arg_description_in(&self, arg: &ArgSpec, locale: crate::Locale) -> &'static str {
        match locale {
            crate::Locale::En => arg.description,
            crate::Locale::Nl => crate::catalogue_nl::arg(self.path, arg.name).unwrap_or(arg.description),
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

const fn arg(name: &'static str, kind: ArgKind, required: bool, description: &'static str) -> ArgSpec {
    ArgSpec {
        name,
        kind,
        required,
        keyword: None,
        description,
        range: None,
    }
}

/// An optional argument typed after its keyword: `capacity 12`.
const fn keyword(name: &'static str, kind: ArgKind, description: &'static str) -> ArgSpec {
    ArgSpec {
        keyword: Some(name),
        ..arg(name, kind, false, description)
    }
}

/// An optional word that switches something on: `approval`.
const fn flag(name: &'static str, description: &'static str) -> ArgSpec {
    keyword(name, ArgKind::Flag, description)
}

// A table row: each argument is one column of the declaration.
#[allow(clippy::too_many_arguments)]
const fn command(
    path: &'static str,
    name: &'static str,
    summary: &'static str,
    usage: &'static str,
    example: &'static str,
    access: Access,
    args: &'static [ArgSpec],
    grammar: Grammar,
) -> CommandSpec {
    CommandSpec {
        name,
        path,
        summary,
        usage,
        example,
        access,
        args,
        subcommands: &[],
        grammar: Some(grammar),
    }
}

const fn group(
    name: &'static str,
    summary: &'static str,
    usage: &'static str,
    example: &'static str,
    access: Access,
    subcommands: &'static [CommandSpec],
) -> CommandSpec {
    CommandSpec {
        name,
        path: name,
        summary,
        usage,
        example,
        access,
        args: &[],
        subcommands,
        grammar: None,
    }
}

use crate::command::grammar as g;
use crate::command::Grammar;
use crate::domain::bounds;
use Access::*;
use ArgKind::*;

pub const CATALOGUE: &[CommandSpec] = &[
    command(
        "start",
        "start",
        "What Seatmate is and how to begin",
        "/start [inbox]",
        "/start",
        Anyone,
        &[flag("inbox", "show the private messages held for you")],
        g::start,
    ),
    command(
        "inbox",
        "inbox",
        "Private messages I could not deliver to you yet",
        "/inbox",
        "/inbox",
        Anyone,
        &[],
        g::inbox,
    ),
    command(
        "help",
        "help",
        "The commands, or how to use one",
        "/help [<command>]",
        "/help checkin",
        Anyone,
        &[arg("command", CommandName, false, "a command to explain")],
        g::help,
    ),
    command(
        "setup",
        "setup",
        "Start a community in this chat",
        "/setup [<time zone>] <community name…>",
        "/setup Europe/Amsterdam Utrecht Coworkers",
        ChatAdmin,
        &[
            arg(
                "zone",
                Zone,
                false,
                "the community's IANA time zone (default: the bot's setting)",
            ),
            arg("name", Text, true, "the community's name"),
        ],
        g::setup,
    ),
    command(
        "use",
        "use",
        "Choose the community your private chat with me acts for",
        "/use <community name…>",
        "/use Utrecht Coworkers",
        Anyone,
        &[arg("community", Text, true, "the community's name")],
        g::use_community,
    ),
    group(
        "space",
        "Add, list and remove the community's spaces",
        "/space add|list|remove …",
        "/space add cafe-noord Europe/Amsterdam capacity 12",
        Member,
        &[
            command(
                "space add",
                "add",
                "Add a space",
                "/space add <slug> [<time zone>] [capacity <n>] [approval] [open]",
                "/space add cafe-noord Europe/Amsterdam capacity 12 approval",
                Admin,
                &[
                    arg("slug", NewSpace, true, "a short name: letters, digits, hyphens"),
                    arg("zone", Zone, false, "its IANA time zone (default: the community's)"),
                    keyword("capacity", Integer, "how many seats it has (write: capacity 12)")
                        .between(bounds::CAPACITY),
                    flag("approval", "seat requests wait for a host's approval"),
                    flag("open", "requesters must say what they can help with (/profile offers)"),
                ],
                g::space_add,
            ),
            command(
                "space list",
                "list",
                "List the spaces",
                "/space list",
                "/space list",
                Member,
                &[],
                g::space_list,
            ),
            command(
                "space remove",
                "remove",
                "Remove a space (with its hosts and check-ins)",
                "/space remove <slug>",
                "/space remove cafe-noord",
                Admin,
                &[arg("space", Space, true, "the space to remove")],
                g::space_remove,
            ),
        ],
    ),
    group(
        "host",
        "Make a member a host of a space, or stop that",
        "/host add|remove <@member> <space>",
        "/host add @alice cafe-noord",
        Admin,
        &[
            command(
                "host add",
                "add",
                "Make a member a host of a space",
                "/host add <@member> <space>",
                "/host add @alice cafe-noord",
                Admin,
                &[
                    arg("member", MemberMention, true, "who"),
                    arg("space", Space, true, "which space"),
                ],
                g::host_add,
            ),
            command(
                "host remove",
                "remove",
                "Stop a member hosting a space",
                "/host remove <@member> <space>",
                "/host remove @alice cafe-noord",
                Admin,
                &[
                    arg("member", MemberMention, true, "who"),
                    arg("space", Space, true, "which space"),
                ],
                g::host_remove,
            ),
        ],
    ),
    group(
        "profile",
        "Show or set what you can help with and what you look for",
        "/profile [offers|wants|about …]",
        "/profile offers rust, pitch decks",
        Member,
        &[
            command(
                "profile",
                "show",
                "Show your profile",
                "/profile",
                "/profile",
                Member,
                &[],
                g::profile_show,
            ),
            command(
                "profile offers",
                "offers",
                "What you can help others with (tags; 'none' clears)",
                "/profile offers <tags, comma separated>",
                "/profile offers rust, pitch decks",
                Member,
                &[arg("tags", Tags, true, "what you can help with")],
                g::profile_offers,
            ),
            command(
                "profile wants",
                "wants",
                "What you are looking for (tags; 'none' clears)",
                "/profile wants <tags, comma separated>",
                "/profile wants ux research, funding",
                Member,
                &[arg("tags", Tags, true, "what you look for")],
                g::profile_wants,
            ),
            command(
                "profile about",
                "about",
                "A line about you (at most 280 characters; 'none' clears)",
                "/profile about <text>",
                "/profile about Building a bike-sharing app for Utrecht",
                Member,
                &[arg("text", Text, true, "a line about you")],
                g::profile_about,
            ),
        ],
    ),
    command(
        "checkin",
        "checkin",
        "Check in for today and see whom to meet",
        "/checkin [<space>|remote] [until <HH:MM>] [<note…>]",
        "/checkin cafe-noord until 17:00 writing the grant proposal",
        Member,
        &[
            arg(
                "space",
                SpaceOrRemote,
                false,
                "where (default: the only space, or your last); the first word is a space only if it names one",
            ),
            keyword("until", Time, "when you leave (write: until 17:00)"),
            arg("note", Note, false, "what you work on (at most 280 characters)"),
        ],
        g::checkin,
    ),
    command(
        "checkout",
        "checkout",
        "End today's check-in",
        "/checkout",
        "/checkout",
        Member,
        &[],
        g::checkout,
    ),
    command(
        "here",
        "here",
        "Who is checked in now, with their notes and offers",
        "/here [<space>]",
        "/here cafe-noord",
        Member,
        &[arg("space", SpaceOrRemote, false, "one space only")],
        g::here,
    ),
    command(
        "offer",
        "offer",
        "Offer free seats at a space you host",
        "/offer <space> <n> [<date>] [<HH:MM-HH:MM>] [<note…>]",
        "/offer cafe-noord 4 tomorrow 9-17 quiet room upstairs",
        Host,
        &[
            arg("space", Space, true, "the space"),
            arg("seats", Integer, true, "how many seats, 1 to 500").between(bounds::SEATS),
            arg(
                "date",
                Date,
                false,
                "today (default), tomorrow, a weekday or YYYY-MM-DD; at most 60 days ahead",
            ),
            arg(
                "window",
                Window,
                false,
                "the hours, like 9-17 or 09:00-17:30 (default: all day)",
            ),
            arg(
                "note",
                Note,
                false,
                "anything coworkers should know (at most 280 characters)",
            ),
        ],
        g::offer,
    ),
    command(
        "seats",
        "seats",
        "Open seat offers, today and the next days",
        "/seats [<date>|<space>]",
        "/seats tomorrow",
        Member,
        &[arg("filter", DateOrSpace, false, "a date or a space")],
        g::seats,
    ),
    command(
        "request",
        "request",
        "Ask for a seat (by offer number, or space and date)",
        "/request <offer number> | <space> [<date>]",
        "/request cafe-noord tomorrow",
        Member,
        &[
            arg("offer", OfferOrSpace, true, "the offer's number, or the space"),
            arg(
                "date",
                Date,
                false,
                "with a space: which day (default: the soonest offer)",
            ),
        ],
        g::request,
    ),
    command(
        "cancel",
        "cancel",
        "Give back a seat or leave the waitlist",
        "/cancel <request number> | <space> [<date>]",
        "/cancel cafe-noord tomorrow",
        Member,
        &[
            arg("request", RequestOrSpace, true, "your request's number, or the space"),
            arg("date", Date, false, "with a space: which day"),
        ],
        g::cancel,
    ),
    command(
        "myseats",
        "myseats",
        "Your upcoming seats and where you stand",
        "/myseats",
        "/myseats",
        Member,
        &[],
        g::my_seats,
    ),
    command(
        "offers",
        "offers",
        "Your open offers: who has a seat and who waits",
        "/offers",
        "/offers",
        Host,
        &[],
        g::host_offers,
    ),
    command(
        "withdraw",
        "withdraw",
        "Withdraw an offer; everyone on it is told",
        "/withdraw <offer number>",
        "/withdraw 12",
        Host,
        &[arg("offer", Integer, true, "the offer's number").between(bounds::NUMBER)],
        g::withdraw,
    ),
    command(
        "approve",
        "approve",
        "Approve a seat request waiting for you",
        "/approve <request number>",
        "/approve 31",
        Host,
        &[arg("request", Integer, true, "the request's number").between(bounds::NUMBER)],
        g::approve,
    ),
    command(
        "decline",
        "decline",
        "Decline a seat request waiting for you",
        "/decline <request number> [<reason…>]",
        "/decline 31 the room is booked for a workshop",
        Host,
        &[
            arg("request", Integer, true, "the request's number").between(bounds::NUMBER),
            arg("reason", Text, false, "why, for the requester"),
        ],
        g::decline,
    ),
    group(
        "pairing",
        "Daily introductions: opt in, out, or pause",
        "/pairing on|off|pause <days>|status",
        "/pairing on",
        Member,
        &[
            command(
                "pairing",
                "status",
                "Your pairing state and the next round",
                "/pairing",
                "/pairing",
                Member,
                &[],
                g::pairing_status,
            ),
            command(
                "pairing on",
                "on",
                "Join the daily introductions",
                "/pairing on",
                "/pairing on",
                Member,
                &[],
                g::pairing_on,
            ),
            command(
                "pairing off",
                "off",
                "Leave the daily introductions",
                "/pairing off",
                "/pairing off",
                Member,
                &[],
                g::pairing_off,
            ),
            command(
                "pairing pause",
                "pause",
                "Skip the introductions for a while",
                "/pairing pause <days>",
                "/pairing pause 14",
                Member,
                &[arg("days", Integer, true, "how many days, 1 to 90").between(bounds::PAUSE_DAYS)],
                g::pairing_pause,
            ),
        ],
    ),
    command(
        "match",
        "match",
        "Whom you meet today, why, and how to reach them",
        "/match",
        "/match",
        Member,
        &[],
        g::match_today,
    ),
    command(
        "met",
        "met",
        "Tell me you met today's match",
        "/met",
        "/met",
        Member,
        &[],
        g::met,
    ),
    group(
        "settings",
        "The community's pairing schedule",
        "/settings [pairing_time|pairing_days|history_weeks|language <value>]",
        "/settings pairing_time 09:30",
        Member,
        &[
            command(
                "settings",
                "show",
                "Show the community's settings",
                "/settings",
                "/settings",
                Member,
                &[],
                g::settings_show,
            ),
            command(
                "settings pairing_time",
                "pairing_time",
                "When the daily round runs, in the community's time zone",
                "/settings pairing_time <HH:MM>",
                "/settings pairing_time 09:30",
                Admin,
                &[arg("time", Time, true, "local time of day")],
                g::settings_pairing_time,
            ),
            command(
                "settings pairing_days",
                "pairing_days",
                "On which days rounds run",
                "/settings pairing_days <mon-fri|mon,wed,fri|daily>",
                "/settings pairing_days mon,wed,fri",
                Admin,
                &[arg("days", Days, true, "a range, a list, or daily")],
                g::settings_pairing_days,
            ),
            command(
                "settings history_weeks",
                "history_weeks",
                "How long pairs are not repeated",
                "/settings history_weeks <n>",
                "/settings history_weeks 12",
                Admin,
                &[arg("weeks", Integer, true, "1 to 52").between(bounds::HISTORY_WEEKS)],
                g::settings_history_weeks,
            ),
            command(
                "settings language",
                "language",
                "The language of replies and help: en or nl",
                "/settings language <en|nl>",
                "/settings language nl",
                Admin,
                &[arg("language", Language, true, "en (English) or nl (Nederlands)")],
                g::settings_language,
            ),
        ],
    ),
    command(
        "pairnow",
        "pairnow",
        "Run today's round now, if it has not run",
        "/pairnow",
        "/pairnow",
        Admin,
        &[],
        g::pair_now,
    ),
];

/// The top-level command with that name.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    CATALOGUE.iter().find(|c| c.name == name)
}

/// A command by its path (`checkin`, `space add`, `profile`).
pub fn find_path(path: &str) -> Option<&'static CommandSpec> {
    CATALOGUE.iter().find_map(|c| {
        if c.path == path && c.subcommands.is_empty() {
            Some(c)
        } else {
            c.subcommands.iter().find(|s| s.path == path)
        }
    })
}

/// The top-level command names, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|c| c.name)
}

/// Every entry that runs: each command without subcommands, and each
/// subcommand.
pub fn leaves() -> impl Iterator<Item = &'static CommandSpec> {
    CATALOGUE.iter().flat_map(|c| {
        if c.subcommands.is_empty() {
            std::slice::from_ref(c)
        } else {
            c.subcommands
        }
    })
}

mod menus;
pub use menus::{menus, MenuEntry, Menus};

#[cfg(test)]
mod tests;
