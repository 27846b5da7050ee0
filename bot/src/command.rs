//! The one command language. Text such as `/checkin cafe-noord until 17:00 slides`
//! parses into a [`Action`]; structured platform options (Discord) build the same
//! values directly. Parsing has no I/O; what needs the community's data (is this
//! word a space?) is left to the core in a form it can decide.

use crate::catalogue::{self, CommandSpec};
use crate::domain::{
    check_text, looks_like_when, parse_id, ArgError, ClockTime, CommunityName, DateArg, MemberHandle, Note,
    PairingDays, SeatCount, SpaceSlug, Tags, TimeWindow, WhenLike, Zone,
};
use crate::suggest::closest;

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
    SpaceAdd(SpaceAddArgs),
    SpaceList,
    SpaceRemove {
        space: SpaceSlug,
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
    Checkin(CheckinInput),
    Checkout,
    Here {
        place: Option<Place>,
    },
    Offer(OfferArgs),
    Seats {
        filter: Option<SeatsFilter>,
    },
    Request(SeatTarget),
    Cancel(SeatTarget),
    MySeats,
    Offers,
    Withdraw {
        offer: i64,
    },
    Approve {
        request: i64,
    },
    Decline {
        request: i64,
        reason: Note,
    },
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
    /// The line carries characters nobody should be shown (control codes).
    BadText(ArgError),
}

/// Parses one line of chat. `/name@botname` is accepted as Telegram sends it.
pub fn parse(line: &str) -> Result<Action, ParseError> {
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
    parse_args(spec, args)
}

fn parse_args(spec: &'static CommandSpec, args: &str) -> Result<Action, ParseError> {
    let bad = |path: &str, error: ArgError| ParseError::BadArgs {
        spec: catalogue::find_path(path).unwrap_or(spec),
        error,
    };
    let words: Vec<&str> = args.split_whitespace().collect();
    match spec.name {
        "start" => match words.as_slice() {
            [payload] if payload.eq_ignore_ascii_case("inbox") => Ok(Action::Inbox),
            _ => no_args("start", &words).map(|()| Action::Start),
        },
        "inbox" => no_args("inbox", &words).map(|()| Action::Inbox),
        "help" => match words.as_slice() {
            [] => Ok(Action::Help { topic: None }),
            [topic, ..] => Ok(Action::Help {
                topic: Some(topic.trim_start_matches('/').to_lowercase()),
            }),
        },
        "setup" => parse_setup(&words).map_err(|e| bad("setup", e)),
        "space" => {
            let (sub, rest) = split_word(args);
            match sub.to_lowercase().as_str() {
                "add" => parse_space_add(rest).map_err(|e| bad("space add", e)),
                "list" => no_args("space list", &words[1..]).map(|()| Action::SpaceList),
                "remove" => one_space(rest)
                    .map(|space| Action::SpaceRemove { space })
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
                Action::HostAdd { member, space }
            } else {
                Action::HostRemove { member, space }
            })
        }
        "profile" => {
            let (sub, rest) = split_word(args);
            match sub.to_lowercase().as_str() {
                "" | "show" => no_args("profile", &words[words.len().min(1)..]).map(|()| Action::ProfileShow),
                "offers" => tags_change(rest)
                    .map(Action::ProfileOffers)
                    .map_err(|e| bad("profile offers", e)),
                "wants" => tags_change(rest)
                    .map(Action::ProfileWants)
                    .map_err(|e| bad("profile wants", e)),
                "about" => about(rest)
                    .map(Action::ProfileAbout)
                    .map_err(|e| bad("profile about", e)),
                other => Err(bad("profile", unknown_sub(other, spec))),
            }
        }
        "checkin" => parse_checkin(args).map(Action::Checkin).map_err(|e| bad("checkin", e)),
        "checkout" => no_args("checkout", &words).map(|()| Action::Checkout),
        "here" => match words.as_slice() {
            [] => Ok(Action::Here { place: None }),
            [word] => parse_place(word)
                .map(|place| Action::Here { place: Some(place) })
                .map_err(|e| bad("here", e)),
            _ => Err(bad("here", ArgError::new("/here takes at most one space."))),
        },
        "offer" => parse_offer(args).map(Action::Offer).map_err(|e| bad("offer", e)),
        "seats" => match words.as_slice() {
            [] => Ok(Action::Seats { filter: None }),
            [word] => match DateArg::parse(word) {
                Some(date) => date.map(|d| Action::Seats {
                    filter: Some(SeatsFilter::Date(d)),
                }),
                None if looks_like_when(word).is_some() => Err(not_a_date(word)),
                None => SpaceSlug::parse(word).map(|s| Action::Seats {
                    filter: Some(SeatsFilter::Space(s)),
                }),
            }
            .map_err(|e| bad("seats", e)),
            _ => Err(bad("seats", ArgError::new("/seats takes one date or one space."))),
        },
        "request" => seat_target(&words, "offer")
            .map(Action::Request)
            .map_err(|e| bad("request", e)),
        "cancel" => seat_target(&words, "request")
            .map(Action::Cancel)
            .map_err(|e| bad("cancel", e)),
        "myseats" => no_args("myseats", &words).map(|()| Action::MySeats),
        "offers" => no_args("offers", &words).map(|()| Action::Offers),
        "withdraw" => one_id(&words, "offer")
            .map(|offer| Action::Withdraw { offer })
            .map_err(|e| bad("withdraw", e)),
        "approve" => one_id(&words, "request")
            .map(|request| Action::Approve { request })
            .map_err(|e| bad("approve", e)),
        "pairing" => {
            let (sub, rest) = split_word(args);
            match sub.to_lowercase().as_str() {
                "" | "status" => {
                    no_args("pairing", &words[words.len().min(1)..]).map(|()| Action::Pairing(PairingChange::Status))
                }
                "on" => no_args("pairing on", &words[1..]).map(|()| Action::Pairing(PairingChange::On)),
                "off" => no_args("pairing off", &words[1..]).map(|()| Action::Pairing(PairingChange::Off)),
                "pause" => match rest.split_whitespace().collect::<Vec<_>>().as_slice() {
                    [days] => parse_count(days, 1, 90, "pause (in days)")
                        .map(|d| Action::Pairing(PairingChange::Pause(d)))
                        .map_err(|e| bad("pairing pause", e)),
                    _ => Err(bad(
                        "pairing pause",
                        ArgError::new("How many days? Give a number from 1 to 90."),
                    )),
                },
                other => Err(bad("pairing", unknown_sub(other, spec))),
            }
        }
        "match" => no_args("match", &words).map(|()| Action::Match),
        "met" => no_args("met", &words).map(|()| Action::Met),
        "pairnow" => no_args("pairnow", &words).map(|()| Action::PairNow),
        "settings" => {
            let (sub, rest) = split_word(args);
            let value = rest.trim();
            let missing = |path: &str, example: &str| {
                bad(
                    path,
                    ArgError::new("Give a value after the setting's name.").example(example),
                )
            };
            match sub.to_lowercase().as_str() {
                "" | "show" => no_args("settings", &words[words.len().min(1)..]).map(|()| Action::SettingsShow),
                "pairing_time" if value.is_empty() => {
                    Err(missing("settings pairing_time", "/settings pairing_time 09:30"))
                }
                "pairing_time" => ClockTime::parse(value)
                    .map(|t| Action::SettingsSet(SettingChange::PairingTime(t)))
                    .map_err(|e| bad("settings pairing_time", e)),
                "pairing_days" if value.is_empty() => {
                    Err(missing("settings pairing_days", "/settings pairing_days mon,wed,fri"))
                }
                "pairing_days" => PairingDays::parse(value)
                    .map(|d| Action::SettingsSet(SettingChange::PairingDays(d)))
                    .map_err(|e| bad("settings pairing_days", e)),
                "history_weeks" if value.is_empty() => {
                    Err(missing("settings history_weeks", "/settings history_weeks 12"))
                }
                "history_weeks" => parse_count(value, 1, 52, "history (in weeks)")
                    .map(|n| Action::SettingsSet(SettingChange::HistoryWeeks(n)))
                    .map_err(|e| bad("settings history_weeks", e)),
                other => Err(bad("settings", unknown_sub(other, spec))),
            }
        }
        "decline" => match words.split_first() {
            Some((id, reason)) => one_id(&[id], "request")
                .and_then(|request| {
                    Ok(Action::Decline {
                        request,
                        reason: Note::parse(&reason.join(" "))?,
                    })
                })
                .map_err(|e| bad("decline", e)),
            None => Err(bad("decline", ArgError::new("Which request? Give its number."))),
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

/// A piece of a command line: a word, or a text in quotes (a note set apart).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Quoted(String),
}

/// Straight quotes, and the curly ones phones type.
const OPEN_QUOTES: [char; 3] = ['"', '\u{201C}', '\u{201E}'];
const CLOSE_QUOTES: [char; 2] = ['"', '\u{201D}'];

fn tokens(args: &str) -> Result<Vec<Token<'_>>, ArgError> {
    let mut out = Vec::new();
    let mut rest = args.trim_start();
    while let Some(first) = rest.chars().next() {
        if OPEN_QUOTES.contains(&first) {
            let body = &rest[first.len_utf8()..];
            let Some(end) = body.find(|c: char| CLOSE_QUOTES.contains(&c) || c == '\u{201C}') else {
                return Err(ArgError::new("The note's closing quote is missing.")
                    .hint("Put the whole note between quotes: \"back at 3pm\"."));
            };
            let close_len = body[end..].chars().next().map_or(1, char::len_utf8);
            out.push(Token::Quoted(body[..end].to_string()));
            rest = body[end + close_len..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(Token::Word(&rest[..end]));
            rest = rest[end..].trim_start();
        }
    }
    Ok(out)
}

/// The note of a command that also takes a date or a time: the words after
/// the recognised arguments, or one text in quotes. A word of an unquoted note
/// that looks like a date or a time is refused rather than guessed at, since
/// what a command means may be announced to a whole community.
#[derive(Default)]
struct NoteParts {
    quoted: Option<String>,
    words: Vec<String>,
}

impl NoteParts {
    /// No unquoted note has started: a word may still be an argument (a
    /// quoted note may stand before the arguments).
    fn before_unquoted(&self) -> bool {
        self.words.is_empty()
    }

    fn quote(&mut self, text: &str, example: &str) -> Result<(), ArgError> {
        if self.quoted.is_some() || !self.words.is_empty() {
            return Err(ArgError::new(
                "Give the note once: all of it between quotes, or all of it unquoted at the end.",
            )
            .example(example));
        }
        self.quoted = Some(text.to_string());
        Ok(())
    }

    /// Adds a word of an unquoted note, unless it looks like `refused`.
    fn word(&mut self, word: &str, refused: &[WhenLike], hint: &str, example: &str) -> Result<(), ArgError> {
        if self.quoted.is_some() {
            return Err(ArgError::new(
                "Give the note once: all of it between quotes, or all of it unquoted at the end.",
            )
            .example(example));
        }
        if looks_like_when(word).is_some_and(|kind| refused.contains(&kind)) {
            let problem = if self.words.is_empty() {
                format!("I can't read '{word}' here: it looks like a date or a time, but not one I understand.")
            } else {
                format!("'{word}' in the note looks like a date or a time, so I won't guess what you meant.")
            };
            return Err(ArgError::new(problem).hint(hint).example(example));
        }
        self.words.push(word.to_string());
        Ok(())
    }

    fn into_note(self) -> Result<Note, ArgError> {
        Note::parse(&self.quoted.unwrap_or_else(|| self.words.join(" ")))
    }
}

/// `<space> <n> [<date>] [<window>] [<note…>]`; the date and the window in
/// either order, the note last or in quotes.
fn parse_offer(args: &str) -> Result<OfferArgs, ArgError> {
    const EXAMPLE: &str = "/offer cafe-noord 4 tomorrow 9-17 \"open until 5pm\"";
    const HINT: &str =
        "Dates are today, tomorrow, a weekday such as friday, or 2026-12-01; hours are 9-17 or 09:00-17:30. \
        Put them right after the number of seats; a note that mentions a date or a time goes in quotes.";
    let tokens = tokens(args)?;
    let [Token::Word(space), Token::Word(seats), rest @ ..] = tokens.as_slice() else {
        return Err(ArgError::new("Name the space and how many seats."));
    };
    let space = SpaceSlug::parse(space)?;
    let seats = SeatCount::parse(seats)?;
    let (mut date, mut window, mut note) = (None, None, NoteParts::default());
    for token in rest {
        let word = match token {
            Token::Quoted(text) => {
                note.quote(text, EXAMPLE)?;
                continue;
            }
            Token::Word(word) => *word,
        };
        if note.before_unquoted() {
            if let Some(parsed) = DateArg::parse(word) {
                if date.is_some() {
                    return Err(
                        ArgError::new(format!("'{word}' is a second date; an offer is for one day.")).hint(HINT),
                    );
                }
                date = Some(parsed?);
                continue;
            }
            if let Some(parsed) = TimeWindow::parse(word) {
                if window.is_some() {
                    return Err(ArgError::new(format!("'{word}' is a second window of hours; give one.")).hint(HINT));
                }
                window = Some(parsed?);
                continue;
            }
        }
        note.word(word, &[WhenLike::Date, WhenLike::Time], HINT, EXAMPLE)?;
    }
    Ok(OfferArgs {
        space,
        seats,
        date,
        window,
        note: note.into_note()?,
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
            date: Some(DateArg::parse(date).unwrap_or_else(|| Err(not_a_date(date)))?),
        }),
        [] => Err(ArgError::new(format!(
            "Which {what}? Give its number, or a space and a date."
        ))),
        _ => Err(ArgError::new("Too many words: give a number, or a space and a date.")),
    }
}

fn not_a_date(word: &str) -> ArgError {
    ArgError::new(format!("'{word}' is not a date I understand.")).hint(DateArg::HINT)
}

/// `one_id(words, "offer")`: where a member finds the number they need.
fn one_id(words: &[&str], what: &str) -> Result<i64, ArgError> {
    let (article, found_with) = if what == "offer" {
        ("an offer", "/seats shows offer numbers.")
    } else {
        (
            "a request",
            "/offers shows the requests of your offers (/myseats your own).",
        )
    };
    match words {
        [word] => {
            parse_id(word).ok_or_else(|| ArgError::new(format!("'{word}' is not {article} number.")).hint(found_with))
        }
        [] => Err(ArgError::new(format!("Which {what}? Give its number.")).hint(found_with)),
        _ => Err(ArgError::new(format!("Give one {what} number.")).hint(found_with)),
    }
}

fn parse_setup(words: &[&str]) -> Result<Action, ArgError> {
    let (zone, name_words) = match words {
        [first, rest @ ..] if Zone::looks_like_zone(first) => (Some(Zone::parse(first)?), rest),
        _ => (None, words),
    };
    let name = CommunityName::parse(&name_words.join(" "))?;
    Ok(Action::Setup { zone, name })
}

fn parse_space_add(args: &str) -> Result<Action, ArgError> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let Some((slug, options)) = words.split_first() else {
        return Err(ArgError::new("Which space? Give it a short name."));
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
                let n = options
                    .next()
                    .ok_or_else(|| ArgError::new("'capacity' needs a number after it, like capacity 12."))?;
                add.capacity = Some(parse_count(n, 1, 10_000, "capacity")?);
            }
            word if add.zone.is_none() && Zone::looks_like_zone(word) => add.zone = Some(Zone::parse(option)?),
            _ => {
                return Err(ArgError::new(format!("I don't understand '{option}' here."))
                    .hint("After the name come, in any order: a time zone, capacity <n>, approval."))
            }
        }
    }
    Ok(Action::SpaceAdd(add))
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
        [] => Err(ArgError::new("Which space?")),
        _ => Err(ArgError::new("Give one space name.")),
    }
}

fn parse_host(args: &str) -> Result<(MemberHandle, SpaceSlug), ArgError> {
    match args.split_whitespace().collect::<Vec<_>>().as_slice() {
        [member, space] => Ok((MemberHandle::parse(member)?, SpaceSlug::parse(space)?)),
        _ => Err(ArgError::new("Name a member and a space.")),
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
        return Err(ArgError::new("Write a line about yourself after 'about'."));
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

fn parse_checkin(args: &str) -> Result<CheckinInput, ArgError> {
    let tokens = tokens(args)?;
    let decided = |place, tokens: &[Token<'_>]| -> Result<CheckinInput, ArgError> {
        Ok(CheckinInput::Decided {
            place,
            details: checkin_details(tokens)?,
        })
    };
    match tokens.as_slice() {
        [Token::Word(first), rest @ ..] if first.eq_ignore_ascii_case("remote") => decided(Some(Place::Remote), rest),
        [Token::Word(first), rest @ ..] if !first.eq_ignore_ascii_case("until") => Ok(CheckinInput::Ambiguous {
            word: first.to_string(),
            as_place: SpaceSlug::parse(first).and_then(|_| checkin_details(rest)),
            as_note: checkin_details(&tokens),
        }),
        // Nothing, `until …`, or a quoted note: no place given.
        all => decided(None, all),
    }
}

/// `[until <HH:MM>] [<note…>]`
fn checkin_details(tokens: &[Token<'_>]) -> Result<CheckinDetails, ArgError> {
    const EXAMPLE: &str = "/checkin cafe-noord until 17:00 \"call at 3pm\"";
    const HINT: &str = "To say when you leave, write until and the time before the note; \
        a note that mentions a time goes in quotes.";
    let (until, note_tokens) = match tokens {
        [Token::Word(first), rest @ ..] if first.eq_ignore_ascii_case("until") => match rest {
            [Token::Word(time), note @ ..] => (Some(ClockTime::parse(time)?), note),
            _ => return Err(ArgError::new("'until' needs a time after it, like until 17:30.")),
        },
        _ => (None, tokens),
    };
    let mut note = NoteParts::default();
    for token in note_tokens {
        match token {
            Token::Quoted(text) => note.quote(text, EXAMPLE)?,
            Token::Word(word) => note.word(word, &[WhenLike::Time], HINT, EXAMPLE)?,
        }
    }
    Ok(CheckinDetails {
        until,
        note: note.into_note()?,
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
        let cases: Vec<(&str, Action)> = vec![
            ("/start", Action::Start),
            ("/start inbox", Action::Inbox),
            ("/inbox", Action::Inbox),
            ("/help", Action::Help { topic: None }),
            (
                "/help /CheckIn",
                Action::Help {
                    topic: Some("checkin".into()),
                },
            ),
            (
                "/checkin@SeatmateBot",
                Action::Checkin(CheckinInput::Decided {
                    place: None,
                    details: details(None, ""),
                }),
            ),
            (
                "/setup Europe/Amsterdam Utrecht   Coworkers",
                Action::Setup {
                    zone: Some(Zone::parse("Europe/Amsterdam").unwrap()),
                    name: CommunityName::parse("Utrecht Coworkers").unwrap(),
                },
            ),
            (
                "/setup Utrecht Coworkers",
                Action::Setup {
                    zone: None,
                    name: CommunityName::parse("Utrecht Coworkers").unwrap(),
                },
            ),
            (
                "/space add Cafe-Noord capacity 12 America/New_York approval open",
                Action::SpaceAdd(SpaceAddArgs {
                    slug: slug("cafe-noord"),
                    zone: Some(Zone::parse("America/New_York").unwrap()),
                    capacity: Some(12),
                    needs_approval: true,
                    open_profile_required: true,
                }),
            ),
            ("/space list", Action::SpaceList),
            ("/space remove library", Action::SpaceRemove { space: slug("library") }),
            (
                "/host add @alice cafe-noord",
                Action::HostAdd {
                    member: MemberHandle::Username("alice".into()),
                    space: slug("cafe-noord"),
                },
            ),
            (
                "/host remove <@123> cafe-noord",
                Action::HostRemove {
                    member: MemberHandle::PlatformId("123".into()),
                    space: slug("cafe-noord"),
                },
            ),
            ("/profile", Action::ProfileShow),
            (
                "/profile offers Rust, data  science",
                Action::ProfileOffers(TagsChange::Set(Tags::parse_list("rust,data-science").unwrap())),
            ),
            ("/profile wants none", Action::ProfileWants(TagsChange::Clear)),
            (
                "/profile about Making   maps",
                Action::ProfileAbout(Note::parse("Making maps").unwrap()),
            ),
            (
                "/checkin remote until 15:00 calls",
                Action::Checkin(CheckinInput::Decided {
                    place: Some(Place::Remote),
                    details: details(Some("15:00"), "calls"),
                }),
            ),
            (
                "/checkin until 9 early start",
                Action::Checkin(CheckinInput::Decided {
                    place: None,
                    details: details(Some("09:00"), "early start"),
                }),
            ),
            (
                "/checkin cafe-noord until 17:00 slides",
                Action::Checkin(CheckinInput::Ambiguous {
                    word: "cafe-noord".into(),
                    as_place: Ok(details(Some("17:00"), "slides")),
                    // Read as a note, "17:00" would be a time inside it: refused.
                    as_note: checkin_details(&tokens("cafe-noord until 17:00 slides").unwrap()),
                }),
            ),
            (
                "/checkin lunch with bea",
                Action::Checkin(CheckinInput::Ambiguous {
                    word: "lunch".into(),
                    as_place: Ok(details(None, "with bea")),
                    as_note: Ok(details(None, "lunch with bea")),
                }),
            ),
            ("/checkout", Action::Checkout),
            ("/here", Action::Here { place: None }),
            (
                "/here remote",
                Action::Here {
                    place: Some(Place::Remote),
                },
            ),
            (
                "/HERE cafe-noord",
                Action::Here {
                    place: Some(Place::Space(slug("cafe-noord"))),
                },
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(parse(line), Ok(expected), "{line}");
        }
        let Ok(Action::Checkin(CheckinInput::Ambiguous { as_note, .. })) =
            parse("/checkin cafe-noord until 17:00 slides")
        else {
            panic!("ambiguous");
        };
        assert!(as_note.unwrap_err().problem.contains("'17:00' in the note"));
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
            Ok(Action::Offer(args)) => args,
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

        assert_eq!(parse("/seats"), Ok(Action::Seats { filter: None }));
        assert_eq!(
            parse("/seats friday"),
            Ok(Action::Seats {
                filter: Some(SeatsFilter::Date(DateArg::Weekday(chrono::Weekday::Fri)))
            })
        );
        assert_eq!(
            parse("/seats bieb"),
            Ok(Action::Seats {
                filter: Some(SeatsFilter::Space(slug("bieb")))
            })
        );
        assert_eq!(parse("/request #12"), Ok(Action::Request(SeatTarget::Id(12))));
        assert_eq!(
            parse("/request cafe-noord tomorrow"),
            Ok(Action::Request(SeatTarget::Space {
                space: slug("cafe-noord"),
                date: Some(DateArg::Tomorrow)
            }))
        );
        assert_eq!(parse("/cancel 7"), Ok(Action::Cancel(SeatTarget::Id(7))));
        assert_eq!(
            parse("/cancel bieb"),
            Ok(Action::Cancel(SeatTarget::Space {
                space: slug("bieb"),
                date: None
            }))
        );
        assert_eq!(parse("/myseats"), Ok(Action::MySeats));
        assert_eq!(parse("/offers"), Ok(Action::Offers));
        assert_eq!(parse("/withdraw 3"), Ok(Action::Withdraw { offer: 3 }));
        assert_eq!(parse("/approve 5"), Ok(Action::Approve { request: 5 }));
        assert_eq!(
            parse("/decline 5 room is booked"),
            Ok(Action::Decline {
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
        let cases: Vec<(&str, Action)> = vec![
            ("/pairing", Action::Pairing(PairingChange::Status)),
            ("/pairing status", Action::Pairing(PairingChange::Status)),
            ("/pairing ON", Action::Pairing(PairingChange::On)),
            ("/pairing off", Action::Pairing(PairingChange::Off)),
            ("/pairing pause 14", Action::Pairing(PairingChange::Pause(14))),
            ("/match", Action::Match),
            ("/met", Action::Met),
            ("/pairnow", Action::PairNow),
            ("/settings", Action::SettingsShow),
            (
                "/settings pairing_time 9:30",
                Action::SettingsSet(SettingChange::PairingTime(ClockTime::parse("09:30").unwrap())),
            ),
            (
                "/settings pairing_days mon, wed, fri",
                Action::SettingsSet(SettingChange::PairingDays(PairingDays::parse("mon,wed,fri").unwrap())),
            ),
            (
                "/settings history_weeks 12",
                Action::SettingsSet(SettingChange::HistoryWeeks(12)),
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
        let Ok(Action::Checkin(CheckinInput::Ambiguous { as_place, .. })) = parse(&line) else {
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

    #[test]
    fn every_catalogue_example_parses_to_its_own_command() {
        use crate::service::command_path;
        for spec in catalogue::CATALOGUE {
            let parsed = parse(spec.example).unwrap_or_else(|e| panic!("{}: {e:?}", spec.example));
            let path = command_path(&parsed);
            if spec.subcommands.is_empty() {
                assert_eq!(path, spec.path, "{}", spec.example);
            } else {
                assert!(spec.subcommands.iter().any(|s| s.path == path), "{}", spec.example);
                for sub in spec.subcommands {
                    let parsed = parse(sub.example).unwrap_or_else(|e| panic!("{}: {e:?}", sub.example));
                    assert_eq!(command_path(&parsed), sub.path, "{}", sub.example);
                    // A subcommand's declared name is typed too: `/profile show`.
                    if !sub.path.ends_with(sub.name) {
                        let typed = format!("/{} {}", spec.name, sub.name);
                        let parsed = parse(&typed).unwrap_or_else(|e| panic!("{typed}: {e:?}"));
                        assert_eq!(command_path(&parsed), sub.path, "{typed}");
                    }
                }
            }
        }
    }

    #[test]
    fn control_characters_are_refused_before_anything_is_read() {
        for line in [
            "/profile about \u{1b}[31mred\u{1b}[0m",
            "/checkin remote bell\u{7}",
            "/offer cafe-noord 2 nul\u{0}byte",
            "/setup Evil \u{202e}txet",
            "/profile about \u{2066}isolate",
            "/chek\u{1b}in",
        ] {
            match parse(line) {
                Err(ParseError::BadText(error)) => assert!(error.problem.contains("control character"), "{line}"),
                other => panic!("{line}: {other:?}"),
            }
        }
        // Line breaks and tabs are whitespace, folded like spaces.
        assert_eq!(
            parse("/profile about two\r\nlines\tand a tab"),
            Ok(Action::ProfileAbout(Note::parse("two lines and a tab").unwrap()))
        );
        assert!(Note::parse("\u{1b}[0m").is_err() && CommunityName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn offer_dates_and_windows_come_in_either_order_and_notes_never_swallow_them() {
        let offer = |line: &str| match parse(line) {
            Ok(Action::Offer(args)) => args,
            other => panic!("{line}: {other:?}"),
        };
        let a = offer("/offer cafe-noord 2 9-17 tomorrow");
        assert_eq!(
            (a.date, a.window.map(|w| w.to_string())),
            (Some(DateArg::Tomorrow), Some("09:00–17:00".into()))
        );
        assert!(a.note.is_empty());
        let b = offer("/offer cafe-noord 2 tomorrow \"back at 5pm, ring twice\"");
        assert_eq!(b.note.as_str(), "back at 5pm, ring twice");
        let c = offer("/offer cafe-noord 2 “quiet room” friday 10-12");
        assert_eq!(
            (c.note.as_str(), c.date),
            ("quiet room", Some(DateArg::Weekday(chrono::Weekday::Fri)))
        );
        let d = offer("/offer cafe-noord 2 2 desks by the window");
        assert_eq!(d.note.as_str(), "2 desks by the window");
        assert_bad_args(&[
            ("/offer cafe-noord 2 01/12/2026", "offer", "I can't read '01/12/2026'"),
            ("/offer cafe-noord 2 1.12.", "offer", "I can't read '1.12.'"),
            (
                "/offer cafe-noord 2 quiet room tomorrow",
                "offer",
                "'tomorrow' in the note",
            ),
            (
                "/offer cafe-noord 2 tomorrow quiet until 5pm",
                "offer",
                "'5pm' in the note",
            ),
            (
                "/offer cafe-noord 2 tomorrow friday",
                "offer",
                "'friday' is a second date",
            ),
            ("/offer cafe-noord 2 9-12 13-17", "offer", "second window"),
            ("/offer cafe-noord 2 9am-5pm", "offer", "I can't read '9am-5pm'"),
            ("/offer cafe-noord 2 december 3rd", "offer", "I can't read 'december'"),
            ("/offer cafe-noord 2 \"quiet room", "offer", "closing quote is missing"),
            ("/offer cafe-noord 2 \"quiet\" room", "offer", "Give the note once"),
        ]);
        // The refusal shows the accepted forms and how to quote a note.
        let Err(ParseError::BadArgs { error, .. }) = parse("/offer cafe-noord 2 01/12/2026") else {
            panic!("refused");
        };
        assert!(error.hint.unwrap().contains("2026-12-01"));
        assert!(error.example.unwrap().contains("\"open until 5pm\""));
    }

    #[test]
    fn dates_and_times_are_refused_in_every_command_that_takes_them() {
        assert_bad_args(&[
            ("/checkin remote until 5pm", "checkin", "'5pm' is not a time of day"),
            ("/checkin remote working till 17:00", "checkin", "'17:00' in the note"),
            ("/seats 01/12/2026", "seats", "'01/12/2026' is not a date I understand"),
            (
                "/request cafe-noord 1/12",
                "request",
                "'1/12' is not a date I understand",
            ),
            (
                "/cancel cafe-noord nextweek",
                "cancel",
                "'nextweek' is not a date I understand",
            ),
        ]);
        assert_eq!(
            parse("/checkin remote \"call at 15:00\""),
            Ok(Action::Checkin(CheckinInput::Decided {
                place: Some(Place::Remote),
                details: details(None, "call at 15:00"),
            }))
        );
        assert_eq!(
            parse("/checkin \"left early today\""),
            Ok(Action::Checkin(CheckinInput::Decided {
                place: None,
                details: details(None, "left early today"),
            }))
        );
    }

    #[test]
    fn setup_takes_a_first_word_as_the_zone_only_when_it_is_unambiguous() {
        for name in [
            "Portugal",
            "Japan",
            "Israel",
            "Singapore",
            "Cuba",
            "Egypt",
            "Zulu",
            "GB",
            "Turkey",
        ] {
            let line = format!("/setup {name} Digital Nomads");
            assert_eq!(
                parse(&line),
                Ok(Action::Setup {
                    zone: None,
                    name: CommunityName::parse(&format!("{name} Digital Nomads")).unwrap()
                }),
                "{line}"
            );
        }
        assert_eq!(
            parse("/setup utc Remote Crew"),
            Ok(Action::Setup {
                zone: Some(Zone::UTC),
                name: CommunityName::parse("Remote Crew").unwrap()
            })
        );
        assert_bad_args(&[("/space add lab japan", "space add", "I don't understand 'japan'")]);
    }

    #[test]
    fn show_and_status_are_subcommands_as_declared() {
        assert_eq!(parse("/profile show"), Ok(Action::ProfileShow));
        assert_eq!(parse("/settings show"), Ok(Action::SettingsShow));
        assert_eq!(parse("/pairing status"), Ok(Action::Pairing(PairingChange::Status)));
        assert_bad_args(&[("/profile show me", "profile", "takes no arguments")]);
    }

    #[test]
    fn request_numbers_are_found_with_offers_not_seats() {
        for line in ["/approve x", "/approve", "/decline", "/cancel"] {
            let text = match parse(line) {
                Err(ParseError::BadArgs { error, .. }) => error.to_string(),
                other => panic!("{line}: {other:?}"),
            };
            assert!(!text.contains("/seats"), "{line}: {text}");
        }
        let Err(ParseError::BadArgs { error, .. }) = parse("/approve x") else {
            panic!()
        };
        assert!(error.hint.unwrap().contains("/offers"));
    }
}
