//! The one command language. Text such as `/checkin cafe-noord until 17:00 slides`
//! parses into a [`Command`]; structured platform options (Discord) build the same
//! values directly. Parsing has no I/O; what needs the community's data (is this
//! word a space?) is left to the core in a form it can decide.

use crate::catalogue::{self, CommandSpec};
use crate::domain::{
    parse_id, ArgError, ClockTime, CommunityName, DateArg, MemberHandle, Note, PairingDays, SeatCount, SpaceSlug, Tags,
    TimeWindow, Zone,
};
use crate::suggest::closest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start,
    Help { topic: Option<String> },
    Setup { zone: Option<Zone>, name: CommunityName },
    SpaceAdd(SpaceAddArgs),
    SpaceList,
    SpaceRemove { space: SpaceSlug },
    HostAdd { member: MemberHandle, space: SpaceSlug },
    HostRemove { member: MemberHandle, space: SpaceSlug },
    ProfileShow,
    ProfileOffers(TagsChange),
    ProfileWants(TagsChange),
    ProfileAbout(Note),
    Checkin(CheckinInput),
    Checkout,
    Here { place: Option<Place> },
    Offer(OfferArgs),
    Seats { filter: Option<SeatsFilter> },
    Request(SeatTarget),
    Cancel(SeatTarget),
    MySeats,
    Offers,
    Withdraw { offer: i64 },
    Approve { request: i64 },
    Decline { request: i64, reason: Note },
    Pairing(PairingChange),
    Match,
    Met,
    SettingsShow,
    SettingsSet(SettingChange),
    PairNow,
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

/// One community setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingChange {
    PairingTime(ClockTime),
    PairingDays(PairingDays),
    HistoryWeeks(u32),
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatsFilter {
    Date(DateArg),
    Space(SpaceSlug),
}

/// Which offer (for `/request`) or request (for `/cancel`): by number, or by
/// space and optional date.
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
}

/// Parses one line of chat. `/name@botname` is accepted as Telegram sends it.
pub fn parse(line: &str) -> Result<Command, ParseError> {
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
    parse_args(spec, args)
}

fn parse_args(spec: &'static CommandSpec, args: &str) -> Result<Command, ParseError> {
    let bad = |path: &str, error: ArgError| ParseError::BadArgs {
        spec: catalogue::find_path(path).unwrap_or(spec),
        error,
    };
    let words: Vec<&str> = args.split_whitespace().collect();
    match spec.name {
        "start" => no_args("start", &words).map(|()| Command::Start),
        "help" => match words.as_slice() {
            [] => Ok(Command::Help { topic: None }),
            [topic, ..] => Ok(Command::Help {
                topic: Some(topic.trim_start_matches('/').to_lowercase()),
            }),
        },
        "setup" => parse_setup(&words).map_err(|e| bad("setup", e)),
        "space" => {
            let (sub, rest) = split_word(args);
            match sub.to_lowercase().as_str() {
                "add" => parse_space_add(rest).map_err(|e| bad("space add", e)),
                "list" => no_args("space list", &words[1..]).map(|()| Command::SpaceList),
                "remove" => one_space(rest)
                    .map(|space| Command::SpaceRemove { space })
                    .map_err(|e| bad("space remove", e)),
                other => Err(bad("space", unknown_sub(other, spec))),
            }
        }
        "host" => {
            let (sub, rest) = split_word(args);
            let path = match sub.to_lowercase().as_str() {
                "add" => "host add",
                "remove" => "host remove",
                other => return Err(bad("host", unknown_sub(other, spec))),
            };
            let (member, space) = parse_host(rest).map_err(|e| bad(path, e))?;
            Ok(if path == "host add" {
                Command::HostAdd { member, space }
            } else {
                Command::HostRemove { member, space }
            })
        }
        "profile" => {
            let (sub, rest) = split_word(args);
            match sub.to_lowercase().as_str() {
                "" => Ok(Command::ProfileShow),
                "offers" => tags_change(rest)
                    .map(Command::ProfileOffers)
                    .map_err(|e| bad("profile offers", e)),
                "wants" => tags_change(rest)
                    .map(Command::ProfileWants)
                    .map_err(|e| bad("profile wants", e)),
                "about" => about(rest)
                    .map(Command::ProfileAbout)
                    .map_err(|e| bad("profile about", e)),
                other => Err(bad("profile", unknown_sub(other, spec))),
            }
        }
        "checkin" => parse_checkin(&words)
            .map(Command::Checkin)
            .map_err(|e| bad("checkin", e)),
        "checkout" => no_args("checkout", &words).map(|()| Command::Checkout),
        "here" => match words.as_slice() {
            [] => Ok(Command::Here { place: None }),
            [word] => parse_place(word)
                .map(|place| Command::Here { place: Some(place) })
                .map_err(|e| bad("here", e)),
            _ => Err(bad("here", ArgError::new("/here takes at most one space."))),
        },
        "offer" => parse_offer(&words).map(Command::Offer).map_err(|e| bad("offer", e)),
        "seats" => match words.as_slice() {
            [] => Ok(Command::Seats { filter: None }),
            [word] => match DateArg::parse(word) {
                Some(date) => date.map(|d| Command::Seats {
                    filter: Some(SeatsFilter::Date(d)),
                }),
                None => SpaceSlug::parse(word).map(|s| Command::Seats {
                    filter: Some(SeatsFilter::Space(s)),
                }),
            }
            .map_err(|e| bad("seats", e)),
            _ => Err(bad("seats", ArgError::new("/seats takes one date or one space."))),
        },
        "request" => seat_target(&words, "offer")
            .map(Command::Request)
            .map_err(|e| bad("request", e)),
        "cancel" => seat_target(&words, "request")
            .map(Command::Cancel)
            .map_err(|e| bad("cancel", e)),
        "myseats" => no_args("myseats", &words).map(|()| Command::MySeats),
        "offers" => no_args("offers", &words).map(|()| Command::Offers),
        "withdraw" => one_id(&words, "offer")
            .map(|offer| Command::Withdraw { offer })
            .map_err(|e| bad("withdraw", e)),
        "approve" => one_id(&words, "request")
            .map(|request| Command::Approve { request })
            .map_err(|e| bad("approve", e)),
        "pairing" => {
            let (sub, rest) = split_word(args);
            match sub.to_lowercase().as_str() {
                "" | "status" => {
                    no_args("pairing", &words[words.len().min(1)..]).map(|()| Command::Pairing(PairingChange::Status))
                }
                "on" => no_args("pairing on", &words[1..]).map(|()| Command::Pairing(PairingChange::On)),
                "off" => no_args("pairing off", &words[1..]).map(|()| Command::Pairing(PairingChange::Off)),
                "pause" => match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
                    [days] => parse_count(days, 1, 90, "pause (in days)")
                        .map(|d| Command::Pairing(PairingChange::Pause(d)))
                        .map_err(|e| bad("pairing pause", e)),
                    _ => Err(bad(
                        "pairing pause",
                        ArgError::new("How many days? Give a number from 1 to 90.")
                            .hint("For example: /pairing pause 14"),
                    )),
                },
                other => Err(bad("pairing", unknown_sub(other, spec))),
            }
        }
        "match" => no_args("match", &words).map(|()| Command::Match),
        "met" => no_args("met", &words).map(|()| Command::Met),
        "pairnow" => no_args("pairnow", &words).map(|()| Command::PairNow),
        "settings" => {
            let (sub, rest) = split_word(args);
            let value = rest.trim();
            let missing = |path: &str, example: &str| {
                bad(
                    path,
                    ArgError::new("Give a value after the setting's name.").hint(format!("For example: {example}")),
                )
            };
            match sub.to_lowercase().as_str() {
                "" => Ok(Command::SettingsShow),
                "pairing_time" if value.is_empty() => {
                    Err(missing("settings pairing_time", "/settings pairing_time 09:30"))
                }
                "pairing_time" => ClockTime::parse(value)
                    .map(|t| Command::SettingsSet(SettingChange::PairingTime(t)))
                    .map_err(|e| bad("settings pairing_time", e)),
                "pairing_days" if value.is_empty() => {
                    Err(missing("settings pairing_days", "/settings pairing_days mon,wed,fri"))
                }
                "pairing_days" => PairingDays::parse(value)
                    .map(|d| Command::SettingsSet(SettingChange::PairingDays(d)))
                    .map_err(|e| bad("settings pairing_days", e)),
                "history_weeks" if value.is_empty() => {
                    Err(missing("settings history_weeks", "/settings history_weeks 12"))
                }
                "history_weeks" => parse_count(value, 1, 52, "history (in weeks)")
                    .map(|n| Command::SettingsSet(SettingChange::HistoryWeeks(n)))
                    .map_err(|e| bad("settings history_weeks", e)),
                other => Err(bad("settings", unknown_sub(other, spec))),
            }
        }
        "decline" => match words.split_first() {
            Some((id, reason)) => one_id(&[id], "request")
                .and_then(|request| {
                    Ok(Command::Decline {
                        request,
                        reason: Note::parse(&reason.join(" "))?,
                    })
                })
                .map_err(|e| bad("decline", e)),
            None => Err(bad(
                "decline",
                ArgError::new("Which request? Give its number.").hint("For example: /decline 12 the room is booked"),
            )),
        },
        other => Err(ParseError::Unknown {
            name: other.to_string(),
            suggestion: None,
        }),
    }
}

fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

fn no_args(path: &'static str, words: &[&str]) -> Result<(), ParseError> {
    if words.is_empty() {
        return Ok(());
    }
    let spec = catalogue::find_path(path).expect("catalogued path");
    Err(ParseError::BadArgs {
        spec,
        error: ArgError::new(format!(
            "{} takes no arguments, but got '{}'.",
            spec.usage,
            words.join(" ")
        )),
    })
}

fn unknown_sub(word: &str, spec: &CommandSpec) -> ArgError {
    let names: Vec<&str> = spec
        .subcommands
        .iter()
        .map(|s| s.name)
        .filter(|n| !matches!(*n, "show" | "status"))
        .collect();
    let problem = if word.is_empty() {
        format!("/{} needs one of: {}.", spec.name, names.join(", "))
    } else {
        format!("/{} has no '{word}'; it has {}.", spec.name, names.join(", "))
    };
    let error = ArgError::new(problem);
    match closest(word, names.iter().copied()) {
        Some(name) if !word.is_empty() => error.hint(format!("Did you mean /{} {name}?", spec.name)),
        _ => error,
    }
}

/// `<space> <n> [<date>] [<window>] [<note…>]`
fn parse_offer(words: &[&str]) -> Result<OfferArgs, ArgError> {
    let example = "For example: /offer cafe-noord 4 tomorrow 9-17 quiet room";
    let [space, seats, rest @ ..] = words else {
        return Err(ArgError::new("Name the space and how many seats.").hint(example));
    };
    let space = SpaceSlug::parse(space)?;
    let seats = SeatCount::parse(seats)?;
    let mut rest = rest;
    let mut date = None;
    if let Some(first) = rest.first() {
        if let Some(parsed) = DateArg::parse(first) {
            date = Some(parsed?);
            rest = &rest[1..];
        }
    }
    let mut window = None;
    if let Some(first) = rest.first() {
        if let Some(parsed) = TimeWindow::parse(first) {
            window = Some(parsed?);
            rest = &rest[1..];
        }
    }
    Ok(OfferArgs {
        space,
        seats,
        date,
        window,
        note: Note::parse(&rest.join(" "))?,
    })
}

/// `<id>` or `<space> [<date>]`
fn seat_target(words: &[&str], what: &str) -> Result<SeatTarget, ArgError> {
    match words {
        [word] if parse_id(word).is_some() => Ok(SeatTarget::Id(parse_id(word).unwrap_or_default())),
        [space] => Ok(SeatTarget::Space {
            space: SpaceSlug::parse(space)?,
            date: None,
        }),
        [space, date] => Ok(SeatTarget::Space {
            space: SpaceSlug::parse(space)?,
            date: Some(
                DateArg::parse(date)
                    .unwrap_or_else(|| Err(ArgError::new(format!("'{date}' is not a date.")).hint(DateArg::HINT)))?,
            ),
        }),
        [] => Err(
            ArgError::new(format!("Which {what}? Give its number, or a space and a date."))
                .hint("For example: 12, or cafe-noord tomorrow"),
        ),
        _ => Err(ArgError::new("Too many words: give a number, or a space and a date.")
            .hint("For example: 12, or cafe-noord tomorrow")),
    }
}

fn one_id(words: &[&str], what: &str) -> Result<i64, ArgError> {
    match words {
        [word] => parse_id(word).ok_or_else(|| {
            ArgError::new(format!(
                "'{word}' is not {what} number.",
                what = if what == "offer" { "an offer" } else { "a request" }
            ))
            .hint("Give the number /seats or /offers shows, e.g. 12.")
        }),
        [] => Err(ArgError::new(format!("Which {what}? Give its number.")).hint("For example: 12")),
        _ => Err(ArgError::new(format!("Give one {what} number.")).hint("For example: 12")),
    }
}

fn parse_setup(words: &[&str]) -> Result<Command, ArgError> {
    let (zone, name_words) = match words {
        [first, rest @ ..] if Zone::looks_like_zone(first) => (Some(Zone::parse(first)?), rest),
        _ => (None, words),
    };
    let name = CommunityName::parse(&name_words.join(" "))?;
    Ok(Command::Setup { zone, name })
}

fn parse_space_add(args: &str) -> Result<Command, ArgError> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let Some((slug, options)) = words.split_first() else {
        return Err(ArgError::new("Which space? Give it a short name.")
            .hint("For example: /space add cafe-noord Europe/Amsterdam capacity 12"));
    };
    let mut add = SpaceAddArgs {
        slug: SpaceSlug::parse(slug)?,
        zone: None,
        capacity: None,
        needs_approval: false,
        open_profile_required: false,
    };
    let mut options = options.iter();
    while let Some(option) = options.next() {
        match option.to_lowercase().as_str() {
            "approval" => add.needs_approval = true,
            "open" => add.open_profile_required = true,
            "capacity" => {
                let n = options.next().ok_or_else(|| {
                    ArgError::new("'capacity' needs a number after it.").hint("For example: capacity 12")
                })?;
                add.capacity = Some(parse_count(n, 1, 10_000, "capacity")?);
            }
            word if add.zone.is_none() && Zone::looks_like_zone(word) => add.zone = Some(Zone::parse(option)?),
            _ => {
                return Err(ArgError::new(format!("I don't understand '{option}' here."))
                    .hint("After the name come, in any order: a time zone, capacity <n>, approval."))
            }
        }
    }
    Ok(Command::SpaceAdd(add))
}

/// A whole number in `min..=max`.
pub fn parse_count(word: &str, min: u32, max: u32, what: &str) -> Result<u32, ArgError> {
    let range_hint = || format!("The {what} is a whole number from {min} to {max}.");
    match word.parse::<i64>() {
        Ok(n) if (i64::from(min)..=i64::from(max)).contains(&n) => Ok(n as u32),
        Ok(n) => Err(ArgError::new(format!("A {what} of {n} is out of range.")).hint(range_hint())),
        Err(_) => Err(ArgError::new(format!("'{word}' is not a number.")).hint(range_hint())),
    }
}

fn one_space(args: &str) -> Result<SpaceSlug, ArgError> {
    match args.split_whitespace().collect::<Vec<_>>().as_slice() {
        [slug] => SpaceSlug::parse(slug),
        [] => Err(ArgError::new("Which space?").hint("For example: /space remove cafe-noord")),
        _ => Err(ArgError::new("Give one space name.").hint("For example: /space remove cafe-noord")),
    }
}

fn parse_host(args: &str) -> Result<(MemberHandle, SpaceSlug), ArgError> {
    match args.split_whitespace().collect::<Vec<_>>().as_slice() {
        [member, space] => Ok((MemberHandle::parse(member)?, SpaceSlug::parse(space)?)),
        _ => Err(ArgError::new("Name a member and a space.").hint("For example: /host add @alice cafe-noord")),
    }
}

fn tags_change(args: &str) -> Result<TagsChange, ArgError> {
    if args.trim().eq_ignore_ascii_case("none") {
        return Ok(TagsChange::Clear);
    }
    Tags::parse_list(args).map(TagsChange::Set)
}

fn about(args: &str) -> Result<Note, ArgError> {
    if args.trim().is_empty() {
        return Err(ArgError::new("Write a line about yourself after 'about'.")
            .hint("For example: /profile about Building a bike-sharing app"));
    }
    if args.trim().eq_ignore_ascii_case("none") {
        return Ok(Note::default());
    }
    Note::parse(args)
}

fn parse_place(word: &str) -> Result<Place, ArgError> {
    if word.eq_ignore_ascii_case("remote") {
        Ok(Place::Remote)
    } else {
        SpaceSlug::parse(word).map(Place::Space)
    }
}

fn parse_checkin(words: &[&str]) -> Result<CheckinInput, ArgError> {
    match words {
        [] => Ok(CheckinInput::Decided {
            place: None,
            details: CheckinDetails::default(),
        }),
        [first, rest @ ..] if first.eq_ignore_ascii_case("remote") => Ok(CheckinInput::Decided {
            place: Some(Place::Remote),
            details: checkin_details(rest)?,
        }),
        [first, ..] if first.eq_ignore_ascii_case("until") => Ok(CheckinInput::Decided {
            place: None,
            details: checkin_details(words)?,
        }),
        [first, rest @ ..] => Ok(CheckinInput::Ambiguous {
            word: first.to_string(),
            as_place: SpaceSlug::parse(first).and_then(|_| checkin_details(rest)),
            as_note: checkin_details(words),
        }),
    }
}

/// `[until <HH:MM>] [<note…>]`
fn checkin_details(words: &[&str]) -> Result<CheckinDetails, ArgError> {
    let (until, note_words) = match words {
        [first, rest @ ..] if first.eq_ignore_ascii_case("until") => match rest {
            [time, note @ ..] => (Some(ClockTime::parse(time)?), note),
            [] => {
                return Err(ArgError::new("'until' needs a time after it.").hint("For example: until 17:30"));
            }
        },
        _ => (None, words),
    };
    Ok(CheckinDetails {
        until,
        note: Note::parse(&note_words.join(" "))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slug(s: &str) -> SpaceSlug {
        SpaceSlug::parse(s).unwrap()
    }

    fn details(until: Option<&str>, note: &str) -> CheckinDetails {
        CheckinDetails {
            until: until.map(|t| ClockTime::parse(t).unwrap()),
            note: Note::parse(note).unwrap(),
        }
    }

    /// Each line is refused with the usage of `path` and a message containing `problem`.
    fn assert_bad_args(cases: &[(&str, &str, &str)]) {
        for (line, path, problem) in cases {
            match parse(line) {
                Err(ParseError::BadArgs { spec, error }) => {
                    assert_eq!(spec.path, *path, "{line}");
                    assert!(error.to_string().contains(problem), "{line}: {error}");
                }
                other => panic!("{line}: expected bad arguments, got {other:?}"),
            }
        }
    }

    #[test]
    fn good_lines_parse() {
        let cases: Vec<(&str, Command)> = vec![
            ("/start", Command::Start),
            ("/help", Command::Help { topic: None }),
            (
                "/help /CheckIn",
                Command::Help {
                    topic: Some("checkin".into()),
                },
            ),
            (
                "/checkin@SeatmateBot",
                Command::Checkin(CheckinInput::Decided {
                    place: None,
                    details: details(None, ""),
                }),
            ),
            (
                "/setup Europe/Amsterdam Utrecht   Coworkers",
                Command::Setup {
                    zone: Some(Zone::parse("Europe/Amsterdam").unwrap()),
                    name: CommunityName::parse("Utrecht Coworkers").unwrap(),
                },
            ),
            (
                "/setup Utrecht Coworkers",
                Command::Setup {
                    zone: None,
                    name: CommunityName::parse("Utrecht Coworkers").unwrap(),
                },
            ),
            (
                "/space add Cafe-Noord capacity 12 America/New_York approval open",
                Command::SpaceAdd(SpaceAddArgs {
                    slug: slug("cafe-noord"),
                    zone: Some(Zone::parse("America/New_York").unwrap()),
                    capacity: Some(12),
                    needs_approval: true,
                    open_profile_required: true,
                }),
            ),
            ("/space list", Command::SpaceList),
            ("/space remove library", Command::SpaceRemove { space: slug("library") }),
            (
                "/host add @alice cafe-noord",
                Command::HostAdd {
                    member: MemberHandle::Username("alice".into()),
                    space: slug("cafe-noord"),
                },
            ),
            (
                "/host remove <@123> cafe-noord",
                Command::HostRemove {
                    member: MemberHandle::PlatformId("123".into()),
                    space: slug("cafe-noord"),
                },
            ),
            ("/profile", Command::ProfileShow),
            (
                "/profile offers Rust, data  science",
                Command::ProfileOffers(TagsChange::Set(Tags::parse_list("rust,data-science").unwrap())),
            ),
            ("/profile wants none", Command::ProfileWants(TagsChange::Clear)),
            (
                "/profile about Making   maps",
                Command::ProfileAbout(Note::parse("Making maps").unwrap()),
            ),
            (
                "/checkin remote until 15:00 calls",
                Command::Checkin(CheckinInput::Decided {
                    place: Some(Place::Remote),
                    details: details(Some("15:00"), "calls"),
                }),
            ),
            (
                "/checkin until 9 early start",
                Command::Checkin(CheckinInput::Decided {
                    place: None,
                    details: details(Some("09:00"), "early start"),
                }),
            ),
            (
                "/checkin cafe-noord until 17:00 slides",
                Command::Checkin(CheckinInput::Ambiguous {
                    word: "cafe-noord".into(),
                    as_place: Ok(details(Some("17:00"), "slides")),
                    as_note: Ok(details(None, "cafe-noord until 17:00 slides")),
                }),
            ),
            ("/checkout", Command::Checkout),
            ("/here", Command::Here { place: None }),
            (
                "/here remote",
                Command::Here {
                    place: Some(Place::Remote),
                },
            ),
            (
                "/HERE cafe-noord",
                Command::Here {
                    place: Some(Place::Space(slug("cafe-noord"))),
                },
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse(line), Ok(expected), "{line}");
        }
    }

    /// Each bad line, the usage it is answered with, and a piece of the message.
    #[test]
    fn bad_lines_say_what_is_wrong_and_show_usage() {
        let cases: &[(&str, &str, &str)] = &[
            ("/start now", "start", "takes no arguments"),
            (
                "/setup Europe/Amsterdm Utrecht",
                "setup",
                "Did you mean Europe/Amsterdam?",
            ),
            ("/setup Mars/Olympus Utrecht", "setup", "not a time zone"),
            ("/setup", "setup", "at least 2 characters"),
            ("/space", "space", "needs one of: add, list, remove"),
            ("/space ad cafe", "space", "Did you mean /space add?"),
            ("/space add", "space add", "Which space?"),
            ("/space add cafe_noord", "space add", "not a space name"),
            ("/space add cafe-noord capacity", "space add", "needs a number"),
            ("/space add cafe-noord capacity 0", "space add", "out of range"),
            (
                "/space add cafe-noord capacity lots",
                "space add",
                "'lots' is not a number",
            ),
            (
                "/space add cafe-noord Europe/Amsterdm",
                "space add",
                "Did you mean Europe/Amsterdam?",
            ),
            ("/space add cafe-noord sunny", "space add", "I don't understand 'sunny'"),
            ("/space remove", "space remove", "Which space?"),
            ("/space list all", "space list", "takes no arguments"),
            ("/host add alice", "host add", "Name a member and a space"),
            ("/host add @ cafe-noord", "host add", "not a member"),
            ("/host fire @alice cafe-noord", "host", "has no 'fire'"),
            ("/profile offers", "profile offers", "No tags given"),
            ("/profile offers rust!, go", "profile offers", "'!'"),
            ("/profile about", "profile about", "Write a line"),
            ("/profile skills rust", "profile", "has no 'skills'"),
            ("/checkin until 25:99", "checkin", "'25:99' is not a time of day"),
            ("/checkin remote until", "checkin", "needs a time"),
            ("/checkout now", "checkout", "takes no arguments"),
            ("/here a b", "here", "at most one space"),
            ("/here cafe_noord", "here", "not a space name"),
        ];
        assert_bad_args(cases);
    }

    #[test]
    fn seat_commands_parse() {
        let offer = |line: &str| match parse(line) {
            Ok(Command::Offer(args)) => args,
            other => panic!("{line}: {other:?}"),
        };
        let a = offer("/offer cafe-noord 4 tomorrow 9-17 quiet room");
        assert_eq!(a.space, slug("cafe-noord"));
        assert_eq!(a.seats.get(), 4);
        assert_eq!(a.date, Some(DateArg::Tomorrow));
        assert_eq!(a.window.unwrap().to_string(), "09:00–17:00");
        assert_eq!(a.note.as_str(), "quiet room");
        let b = offer("/offer cafe-noord 2");
        assert_eq!((b.date, b.window, b.note.is_empty()), (None, None, true));
        let c = offer("/offer cafe-noord 2 09:00-12:30 mornings only");
        assert_eq!((c.date, c.window.unwrap().end.to_string().as_str()), (None, "12:30"));
        let d = offer("/offer cafe-noord 2 2026-12-01 bring a mug");
        assert!(d.window.is_none() && d.note.as_str() == "bring a mug");

        assert_eq!(parse("/seats"), Ok(Command::Seats { filter: None }));
        assert_eq!(
            parse("/seats friday"),
            Ok(Command::Seats {
                filter: Some(SeatsFilter::Date(DateArg::Weekday(chrono::Weekday::Fri)))
            })
        );
        assert_eq!(
            parse("/seats bieb"),
            Ok(Command::Seats {
                filter: Some(SeatsFilter::Space(slug("bieb")))
            })
        );
        assert_eq!(parse("/request #12"), Ok(Command::Request(SeatTarget::Id(12))));
        assert_eq!(
            parse("/request cafe-noord tomorrow"),
            Ok(Command::Request(SeatTarget::Space {
                space: slug("cafe-noord"),
                date: Some(DateArg::Tomorrow)
            }))
        );
        assert_eq!(parse("/cancel 7"), Ok(Command::Cancel(SeatTarget::Id(7))));
        assert_eq!(
            parse("/cancel bieb"),
            Ok(Command::Cancel(SeatTarget::Space {
                space: slug("bieb"),
                date: None
            }))
        );
        assert_eq!(parse("/myseats"), Ok(Command::MySeats));
        assert_eq!(parse("/offers"), Ok(Command::Offers));
        assert_eq!(parse("/withdraw 3"), Ok(Command::Withdraw { offer: 3 }));
        assert_eq!(parse("/approve 5"), Ok(Command::Approve { request: 5 }));
        assert_eq!(
            parse("/decline 5 room is booked"),
            Ok(Command::Decline {
                request: 5,
                reason: Note::parse("room is booked").unwrap()
            })
        );
    }

    #[test]
    fn bad_seat_commands_say_what_is_wrong() {
        let cases: &[(&str, &str, &str)] = &[
            ("/offer", "offer", "Name the space and how many seats"),
            ("/offer cafe-noord", "offer", "Name the space and how many seats"),
            ("/offer cafe-noord 0", "offer", "0 seats is not something I can offer"),
            ("/offer cafe-noord 501", "offer", "Offer from 1 to 500 seats"),
            ("/offer cafe-noord many", "offer", "'many' is not a number of seats"),
            ("/offer cafe-noord 4 2026-13-01", "offer", "'2026-13-01' is not a date"),
            ("/offer cafe-noord 4 tomorrow 17-9", "offer", "ends before it starts"),
            ("/offer cafe-noord 4 9-25", "offer", "'25' is not a time of day"),
            ("/seats a b", "seats", "one date or one space"),
            ("/request", "request", "Which offer?"),
            ("/request cafe-noord someday", "request", "'someday' is not a date"),
            ("/request a b c", "request", "Too many words"),
            ("/cancel", "cancel", "Which request?"),
            ("/withdraw", "withdraw", "Which offer?"),
            ("/withdraw cafe", "withdraw", "'cafe' is not an offer number"),
            ("/approve x", "approve", "'x' is not a request number"),
            ("/decline", "decline", "Which request?"),
            ("/myseats all", "myseats", "takes no arguments"),
        ];
        assert_bad_args(cases);
    }

    #[test]
    fn pairing_and_settings_commands_parse() {
        let cases: Vec<(&str, Command)> = vec![
            ("/pairing", Command::Pairing(PairingChange::Status)),
            ("/pairing status", Command::Pairing(PairingChange::Status)),
            ("/pairing ON", Command::Pairing(PairingChange::On)),
            ("/pairing off", Command::Pairing(PairingChange::Off)),
            ("/pairing pause 14", Command::Pairing(PairingChange::Pause(14))),
            ("/match", Command::Match),
            ("/met", Command::Met),
            ("/pairnow", Command::PairNow),
            ("/settings", Command::SettingsShow),
            (
                "/settings pairing_time 9:30",
                Command::SettingsSet(SettingChange::PairingTime(ClockTime::parse("09:30").unwrap())),
            ),
            (
                "/settings pairing_days mon, wed, fri",
                Command::SettingsSet(SettingChange::PairingDays(PairingDays::parse("mon,wed,fri").unwrap())),
            ),
            (
                "/settings history_weeks 12",
                Command::SettingsSet(SettingChange::HistoryWeeks(12)),
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse(line), Ok(expected), "{line}");
        }
        assert_bad_args(&[
            ("/pairing maybe", "pairing", "has no 'maybe'; it has on, off, pause"),
            ("/pairing pause", "pairing pause", "How many days?"),
            ("/pairing pause 0", "pairing pause", "out of range"),
            ("/pairing pause 91", "pairing pause", "from 1 to 90"),
            ("/pairing pause soon", "pairing pause", "'soon' is not a number"),
            ("/pairing on now", "pairing on", "takes no arguments"),
            ("/match me", "match", "takes no arguments"),
            ("/met him", "met", "takes no arguments"),
            ("/pairnow please", "pairnow", "takes no arguments"),
            ("/settings pairing_time", "settings pairing_time", "Give a value"),
            (
                "/settings pairing_time 25:99",
                "settings pairing_time",
                "'25:99' is not a time of day",
            ),
            ("/settings pairing_days", "settings pairing_days", "Give a value"),
            (
                "/settings pairing_days funday",
                "settings pairing_days",
                "'funday' is not a day",
            ),
            ("/settings history_weeks 53", "settings history_weeks", "out of range"),
            ("/settings history_weeks", "settings history_weeks", "Give a value"),
            ("/settings colour blue", "settings", "has no 'colour'"),
        ]);
    }

    #[test]
    fn long_notes_are_refused_in_both_readings() {
        let line = format!("/checkin cafe-noord {}", "x".repeat(281));
        let Ok(Command::Checkin(CheckinInput::Ambiguous { as_place, .. })) = parse(&line) else {
            panic!("expected an ambiguous check-in");
        };
        assert!(as_place.unwrap_err().problem.contains("the most is 280"));
        let line = format!("/checkin remote {}", "x".repeat(281));
        assert!(matches!(parse(&line), Err(ParseError::BadArgs { .. })));
    }

    #[test]
    fn unknown_commands_suggest_the_closest() {
        assert_eq!(
            parse("/chekin cafe"),
            Err(ParseError::Unknown {
                name: "chekin".into(),
                suggestion: Some("checkin")
            })
        );
        assert_eq!(
            parse("/xyzzy"),
            Err(ParseError::Unknown {
                name: "xyzzy".into(),
                suggestion: None
            })
        );
        assert_eq!(parse("hello there"), Err(ParseError::NotACommand));
        assert!(matches!(parse("/"), Err(ParseError::Unknown { .. })));
    }

    #[test]
    fn no_input_panics() {
        let samples = [
            "/",
            "/ ",
            "/@",
            "/@@",
            "/checkin \u{0}",
            "/setup \u{202e}",
            "/space add ü",
            "/host add <@> x",
            "/here 🙂",
        ];
        for line in samples {
            let _ = parse(line);
        }
    }
}
