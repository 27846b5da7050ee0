//! The one command language. Text such as `/checkin cafe-noord until 17:00 slides`
//! parses into an [`Action`], by the grammar its catalogue entry names;
//! structured platform options (Discord's slash commands) are written in the
//! same language by [`build`] and parsed by the same grammar. Parsing has no
//! I/O; what needs the community's data (is this word a space?) is left to the
//! core in a form it can decide.

use crate::catalogue::{self, CommandSpec};
use crate::domain::{
    check_text, ArgError, ClockTime, CommunityName, DateArg, MemberHandle, Note, PairingDays, SeatCount, SpaceSlug,
    Tags, TimeWindow, Zone,
};
use crate::i18n::{Msg, Text};
use crate::suggest::closest;

pub mod grammar;
mod options;

pub use options::build;

pub use grammar::{parse_count, Grammar, Source};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Start,
    /// `/inbox`, or `/start inbox` as a deep link opening the private chat sends it.
    Inbox,
    Help {
        topic: Option<String>,
    },
    Setup {
        zone: Option<Zone>,
        name: CommunityName,
    },
    /// `/setup join <code>`: bind this chat to the community that invited
    /// it; `/setup join` alone: to the community of the chat's server.
    SetupJoin {
        code: Option<String>,
    },
    Invite,
    Chats,
    Unbind,
    /// `/link`: a code to link another account; `/link <code>`: link this one to it.
    Link(Option<String>),
    Unlink,
    /// Where private messages go; `None`: where the member spoke last.
    ProfileNotify(Option<crate::domain::Platform>),
    /// Seat reminders on or off.
    ProfileReminders(bool),
    /// Questions from `/ask` on or off.
    ProfileAsks(bool),
    MyData,
    /// `/forgetme`; with the token its button carries, the confirmation
    /// (which counts only as a press of that button).
    ForgetMe {
        confirmation: Option<String>,
    },
    /// Which community the caller's private chats act for.
    Use(CommunityName),
    SpaceAdd(SpaceAddArgs),
    SpaceList,
    SpaceRemove {
        space: SpaceSlug,
    },
    SpaceSet {
        space: SpaceSlug,
        setting: SpaceSetting,
    },
    HostAdd {
        member: MemberHandle,
        space: SpaceSlug,
    },
    HostRemove {
        member: MemberHandle,
        space: SpaceSlug,
    },
    ProfileShow,
    ProfileOffers(TagsChange),
    ProfileWants(TagsChange),
    ProfileAbout(Note),
    /// `/whois <@member>`: what a member can help with and looks for.
    Whois {
        member: MemberHandle,
    },
    Checkin(CheckinInput),
    Checkout,
    Here {
        place: Option<Place>,
    },
    Offer(OfferArgs),
    /// `/offer … every <days>`: a standing offer.
    OfferEvery(StandingOfferArgs),
    Seats {
        filter: Option<SeatsFilter>,
    },
    Request(SeatTarget),
    /// `/request <space> every <days>`: a standing request.
    RequestEvery {
        space: SpaceSlug,
        days: crate::domain::PairingDays,
    },
    Cancel(SeatTarget),
    /// `/cancel <space> every`: ends the standing request.
    CancelEvery {
        space: SpaceSlug,
    },
    MySeats,
    /// A seat holder is coming (a reminder's button).
    Coming {
        offer: i64,
    },
    /// A seat holder is at its space: a check-in there.
    ImHere {
        offer: i64,
    },
    Offers,
    Withdraw {
        offer: i64,
    },
    /// A request named by its offer and its number there; without the
    /// number, the offer's only request waiting for approval.
    Approve {
        offer: i64,
        request: Option<u32>,
    },
    Decline {
        offer: i64,
        request: Option<u32>,
        reason: Note,
    },
    Pairing(PairingChange),
    Match,
    Met,
    /// `/ask <question…>`: asks the members who can help.
    Ask(Note),
    /// `/ask close <n>`: the asker closes their question.
    AskClose {
        question: i64,
    },
    /// `/asks`: the caller's open questions.
    Asks,
    /// `/report [week|month] [<space>]`: what a place earned.
    Report {
        period: ReportPeriod,
        space: Option<SpaceSlug>,
    },
    /// Someone asked can help (a question's button).
    CanHelp {
        question: i64,
    },
    /// Someone asked cannot help now (a question's button).
    NotNow {
        question: i64,
    },
    SettingsShow,
    SettingsSet(SettingChange),
    PairNow,
}

impl Action {
    /// Whether the command's answer is for the chat to read (a list of who
    /// is here, a space added, the settings), not for its caller alone: it
    /// is then in the community's language, whatever the caller's app says.
    pub fn answers_the_chat(&self) -> bool {
        matches!(
            self,
            Action::Setup { .. }
                | Action::SetupJoin { .. }
                | Action::SpaceAdd(_)
                | Action::SpaceList
                | Action::SpaceRemove { .. }
                | Action::SpaceSet { .. }
                | Action::HostAdd { .. }
                | Action::HostRemove { .. }
                | Action::Checkin(_)
                | Action::Checkout
                | Action::Here { .. }
                | Action::Seats { .. }
                | Action::SettingsShow
                | Action::SettingsSet(_)
                | Action::PairNow
        )
    }
}

/// The days a report covers, ending today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportPeriod {
    /// The last 7 days.
    #[default]
    Week,
    /// The last 30 days.
    Month,
}

impl ReportPeriod {
    pub fn days(self) -> i64 {
        match self {
            ReportPeriod::Week => 7,
            ReportPeriod::Month => 30,
        }
    }
}

/// `/pairing on|off|pause <days>|status`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairingChange {
    On,
    Off,
    /// Pause for this many days (1–90).
    Pause(u32),
    Status,
}

/// A setting of one space (`/space set`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceSetting {
    /// Minutes after an offer starts that an unclaimed seat is released;
    /// `None`: never.
    ReleaseAfter(Option<u32>),
}

/// One community setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingChange {
    PairingTime(ClockTime),
    PairingDays(PairingDays),
    HistoryWeeks(u32),
    /// The weekday of the weekly digest; `None`: off.
    Digest(Option<chrono::Weekday>),
    /// The language of the community's replies and help; `for_all`: replies
    /// to one member too, whatever their app's language.
    Language {
        locale: crate::Locale,
        for_all: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferArgs {
    pub space: SpaceSlug,
    pub seats: SeatCount,
    pub date: Option<DateArg>,
    /// `None` for the whole day.
    pub window: Option<TimeWindow>,
    pub note: Note,
}

/// A standing offer as typed: `/offer cafe-noord 4 every mon-fri 9-17 until 2027-01-31`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingOfferArgs {
    pub space: SpaceSlug,
    pub seats: SeatCount,
    pub days: crate::domain::PairingDays,
    /// `None` for the whole day.
    pub window: Option<TimeWindow>,
    pub until: Option<DateArg>,
    pub note: Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatsFilter {
    Date(DateArg),
    Space(SpaceSlug),
}

/// Which offer (for `/request`, and for `/cancel`, which gives back the
/// member's one request on it): by its number, or by space and optional date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatTarget {
    Id(i64),
    Space { space: SpaceSlug, date: Option<DateArg> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceAddArgs {
    pub slug: SpaceSlug,
    pub zone: Option<Zone>,
    pub capacity: Option<u32>,
    pub needs_approval: bool,
    /// Requesters must say what they can help with (`open`).
    pub open_profile_required: bool,
}

/// New tags, or `none` to clear them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagsChange {
    Set(Tags),
    Clear,
}

/// Where a check-in is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Space(SpaceSlug),
    Remote,
}

/// The parts of a check-in after the place.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CheckinDetails {
    pub until: Option<ClockTime>,
    pub note: Note,
}

/// A check-in as typed. The first word is the place only when it names one of the
/// community's spaces (or is `remote`), which only the core can tell, so the text
/// grammar hands over both readings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckinInput {
    /// The place is known (explicit option, `remote`, or nothing before `until`).
    Decided {
        place: Option<Place>,
        details: CheckinDetails,
    },
    /// `word` may be a space slug or the start of the note.
    Ambiguous {
        word: String,
        as_place: Result<CheckinDetails, ArgError>,
        as_note: Result<CheckinDetails, ArgError>,
    },
}

/// Why a line is not a command the core can run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The line does not start with `/`.
    NotACommand,
    Unknown {
        name: String,
        suggestion: Option<&'static str>,
    },
    /// The command exists but its arguments are wrong; `spec` gives the usage.
    BadArgs {
        spec: &'static CommandSpec,
        error: ArgError,
    },
    /// The line carries characters nobody should be shown (control codes).
    BadText(ArgError),
}

/// A parsed command with the catalogue entry it was parsed by: access,
/// usage and logging all read the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub spec: &'static CommandSpec,
    pub action: Action,
}

/// Parses one line of chat. `/name@botname` is accepted as Telegram sends it.
pub fn parse(line: &str) -> Result<Action, ParseError> {
    parse_command(line).map(|parsed| parsed.action)
}

/// Whether a line is meant as a command (it starts with a slash), right or wrong.
pub fn looks_like_command(line: &str) -> bool {
    line.trim_start().starts_with('/')
}

/// As [`parse`], keeping the catalogue entry.
pub fn parse_command(line: &str) -> Result<Parsed, ParseError> {
    let (leaf, args) = locate(line)?;
    run_grammar(leaf, args, Source::Text)
}

/// As [`parse_command`], for a command sent as a reply to a member's message
/// (`replied_to` is their platform id): a command whose first argument is a
/// member, written without one, means the member replied to
/// (`/host add cafe-noord`, replying to Bea's message). Written in the
/// command language (`<@id>`), so the member is resolved as any other.
pub fn parse_command_replying(line: &str, replied_to: &str) -> Result<Parsed, ParseError> {
    let (leaf, args) = locate(line)?;
    let first = run_grammar(leaf, args, Source::Text);
    let names_member_first = leaf
        .args
        .first()
        .is_some_and(|a| a.kind == catalogue::ArgKind::MemberMention);
    if first.is_ok() || !names_member_first || !replied_to.bytes().all(|b| b.is_ascii_digit()) {
        return first;
    }
    run_grammar(leaf, &format!("<@{replied_to}> {args}"), Source::Text).or(first)
}

/// The catalogue entry a line is for, and its arguments.
fn locate(line: &str) -> Result<(&'static CommandSpec, &str), ParseError> {
    check_text(line).map_err(ParseError::BadText)?;
    let line = line.trim();
    let Some(rest) = line.strip_prefix('/') else {
        return Err(ParseError::NotACommand);
    };
    let (head, args) = split_word(rest);
    let name = head.split('@').next().unwrap_or_default().to_lowercase();
    let Some(spec) = catalogue::find(&name) else {
        return Err(ParseError::Unknown {
            suggestion: closest(&name, catalogue::names()),
            name,
        });
    };
    leaf_of(spec, args)
}

/// The entry that handles `args` under `spec`: the entry itself, or for a
/// group the subcommand named by the first word (its default without one).
fn leaf_of<'a>(spec: &'static CommandSpec, args: &'a str) -> Result<(&'static CommandSpec, &'a str), ParseError> {
    if spec.subcommands.is_empty() {
        return Ok((spec, args));
    }
    let (sub, rest) = split_word(args);
    let sub = sub.to_lowercase();
    let found = if sub.is_empty() {
        spec.subcommands.iter().find(|s| s.path == spec.path)
    } else {
        spec.subcommands.iter().find(|s| s.name == sub)
    };
    match found {
        Some(leaf) => Ok((leaf, rest)),
        None => Err(ParseError::BadArgs {
            spec,
            error: unknown_sub(&sub, spec),
        }),
    }
}

fn run_grammar(spec: &'static CommandSpec, args: &str, source: Source) -> Result<Parsed, ParseError> {
    let bad = |error| ParseError::BadArgs { spec, error };
    if spec.args.is_empty() && !args.trim().is_empty() {
        return Err(bad(ArgError::new(Msg::TakesNoArgs)
            .with("usage", spec.usage)
            .with("got", args.split_whitespace().collect::<Vec<_>>().join(" "))));
    }
    let Some(grammar) = spec.grammar else {
        return Err(bad(unknown_sub("", spec)));
    };
    grammar(args, source).map(|action| Parsed { spec, action }).map_err(bad)
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

fn unknown_sub(word: &str, spec: &CommandSpec) -> ArgError {
    let names: Vec<&str> = spec
        .subcommands
        .iter()
        .filter(|s| s.path != spec.path)
        .map(|s| s.name)
        .collect();
    let error = if word.is_empty() {
        ArgError::new(Msg::NeedsOneOf)
    } else {
        ArgError::new(Msg::HasNo).with("word", word)
    }
    .with("name", spec.name)
    .with("names", names.join(", "));
    match closest(word, names.iter().copied()) {
        Some(name) if !word.is_empty() => {
            error.hint(Text::new(Msg::DidYouMean).with("suggestion", format!("/{} {name}", spec.name)))
        }
        _ => error,
    }
}

#[cfg(test)]
mod community_tests;
#[cfg(test)]
mod seat_tests;
#[cfg(test)]
mod structured_tests;
#[cfg(test)]
mod tests;
