//! The text grammar of each command: one function per catalogue entry,
//! turning the words after the command into an [`Action`]. Structured input
//! (a slash command's options) is written in this same language by
//! [`super::build`], so both go through the same validation.

use super::{
    Action, CheckinDetails, CheckinInput, OfferArgs, PairingChange, Place, SeatTarget, SeatsFilter, SettingChange,
    SpaceAddArgs, TagsChange,
};
use crate::domain::{
    looks_like_when, parse_id, ArgError, ClockTime, CommunityName, DateArg, MemberHandle, Note, PairingDays, SeatCount,
    SpaceSlug, Tags, TimeWindow, WhenLike, Zone,
};

/// Where the words came from: typed, or written from a slash command's
/// options (where the first word of `/checkin` is a chosen place).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Text,
    Options,
}

/// A command's grammar: the words after it, to an action.
pub type Grammar = fn(&str, Source) -> Result<Action, ArgError>;

fn words(args: &str) -> Vec<&str> {
    args.split_whitespace().collect()
}

pub fn start(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::Start),
        // The deep link that opens the private chat: `t.me/<bot>?start=inbox`.
        [payload] if payload.eq_ignore_ascii_case("inbox") => Ok(Action::Inbox),
        _ => Err(ArgError::new(format!(
            "/start takes no arguments (but inbox), but got '{}'.",
            args.trim()
        ))),
    }
}

pub fn inbox(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Inbox)
}

pub fn help(args: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Help {
        topic: words(args).first().map(|t| t.trim_start_matches('/').to_lowercase()),
    })
}

pub fn setup(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let (zone, name_words) = match words.as_slice() {
        [first, rest @ ..] if Zone::looks_like_zone(first) => (Some(Zone::parse(first)?), rest),
        all => (None, all),
    };
    let name = CommunityName::parse(&name_words.join(" "))?;
    Ok(Action::Setup { zone, name })
}

pub fn space_add(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
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

pub fn space_list(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::SpaceList)
}

pub fn space_remove(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [slug] => Ok(Action::SpaceRemove {
            space: SpaceSlug::parse(slug)?,
        }),
        [] => Err(ArgError::new("Which space?")),
        _ => Err(ArgError::new("Give one space name.")),
    }
}

fn member_and_space(args: &str) -> Result<(MemberHandle, SpaceSlug), ArgError> {
    match words(args).as_slice() {
        [member, space] => Ok((MemberHandle::parse(member)?, SpaceSlug::parse(space)?)),
        _ => Err(ArgError::new("Name a member and a space.")),
    }
}

pub fn host_add(args: &str, _: Source) -> Result<Action, ArgError> {
    member_and_space(args).map(|(member, space)| Action::HostAdd { member, space })
}

pub fn host_remove(args: &str, _: Source) -> Result<Action, ArgError> {
    member_and_space(args).map(|(member, space)| Action::HostRemove { member, space })
}

pub fn profile_show(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::ProfileShow)
}

fn tags_change(args: &str) -> Result<TagsChange, ArgError> {
    if args.trim().eq_ignore_ascii_case("none") {
        return Ok(TagsChange::Clear);
    }
    Tags::parse_list(args).map(TagsChange::Set)
}

pub fn profile_offers(args: &str, _: Source) -> Result<Action, ArgError> {
    tags_change(args).map(Action::ProfileOffers)
}

pub fn profile_wants(args: &str, _: Source) -> Result<Action, ArgError> {
    tags_change(args).map(Action::ProfileWants)
}

pub fn profile_about(args: &str, _: Source) -> Result<Action, ArgError> {
    if args.trim().is_empty() {
        return Err(ArgError::new("Write a line about yourself after 'about'."));
    }
    if args.trim().eq_ignore_ascii_case("none") {
        return Ok(Action::ProfileAbout(Note::default()));
    }
    Note::parse(args).map(Action::ProfileAbout)
}

pub fn checkout(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Checkout)
}

fn parse_place(word: &str) -> Result<Place, ArgError> {
    if word.eq_ignore_ascii_case("remote") {
        Ok(Place::Remote)
    } else {
        SpaceSlug::parse(word).map(Place::Space)
    }
}

pub fn here(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::Here { place: None }),
        [word] => parse_place(word).map(|place| Action::Here { place: Some(place) }),
        _ => Err(ArgError::new("/here takes at most one space.")),
    }
}

pub fn offer(args: &str, _: Source) -> Result<Action, ArgError> {
    parse_offer(args).map(Action::Offer)
}

pub fn seats(args: &str, _: Source) -> Result<Action, ArgError> {
    let filter = match words(args).as_slice() {
        [] => None,
        [word] => Some(match DateArg::parse(word) {
            Some(date) => SeatsFilter::Date(date?),
            None if looks_like_when(word).is_some() => return Err(not_a_date(word)),
            None => SeatsFilter::Space(SpaceSlug::parse(word)?),
        }),
        _ => return Err(ArgError::new("/seats takes one date or one space.")),
    };
    Ok(Action::Seats { filter })
}

pub fn request(args: &str, _: Source) -> Result<Action, ArgError> {
    seat_target(&words(args), "offer").map(Action::Request)
}

pub fn cancel(args: &str, _: Source) -> Result<Action, ArgError> {
    seat_target(&words(args), "request").map(Action::Cancel)
}

pub fn my_seats(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::MySeats)
}

pub fn host_offers(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Offers)
}

pub fn withdraw(args: &str, _: Source) -> Result<Action, ArgError> {
    one_id(&words(args), "offer").map(|offer| Action::Withdraw { offer })
}

pub fn approve(args: &str, _: Source) -> Result<Action, ArgError> {
    one_id(&words(args), "request").map(|request| Action::Approve { request })
}

pub fn decline(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let Some((id, reason)) = words.split_first() else {
        return Err(ArgError::new("Which request? Give its number."));
    };
    Ok(Action::Decline {
        request: one_id(&[id], "request")?,
        reason: Note::parse(&reason.join(" "))?,
    })
}

pub fn pairing_status(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Pairing(PairingChange::Status))
}

pub fn pairing_on(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Pairing(PairingChange::On))
}

pub fn pairing_off(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Pairing(PairingChange::Off))
}

pub fn pairing_pause(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [days] => parse_count(days, 1, 90, "pause (in days)").map(|d| Action::Pairing(PairingChange::Pause(d))),
        _ => Err(ArgError::new("How many days? Give a number from 1 to 90.")),
    }
}

pub fn match_today(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Match)
}

pub fn met(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Met)
}

pub fn pair_now(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::PairNow)
}

pub fn settings_show(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::SettingsShow)
}

fn setting_value(args: &str) -> Result<&str, ArgError> {
    match args.trim() {
        "" => Err(ArgError::new("Give a value after the setting's name.")),
        value => Ok(value),
    }
}

pub fn settings_pairing_time(args: &str, _: Source) -> Result<Action, ArgError> {
    ClockTime::parse(setting_value(args)?).map(|t| Action::SettingsSet(SettingChange::PairingTime(t)))
}

pub fn settings_pairing_days(args: &str, _: Source) -> Result<Action, ArgError> {
    PairingDays::parse(setting_value(args)?).map(|d| Action::SettingsSet(SettingChange::PairingDays(d)))
}

pub fn settings_language(args: &str, _: Source) -> Result<Action, ArgError> {
    crate::Locale::parse(setting_value(args)?).map(|l| Action::SettingsSet(SettingChange::Language(l)))
}

pub fn settings_history_weeks(args: &str, _: Source) -> Result<Action, ArgError> {
    parse_count(setting_value(args)?, 1, 52, "history (in weeks)")
        .map(|n| Action::SettingsSet(SettingChange::HistoryWeeks(n)))
}

/// `[<space>|remote] [until <HH:MM>] [<note…>]`. Typed, the first word is the
/// place only if it names one of the community's spaces, which only the core
/// can tell, so both readings are handed over; chosen as an option, it is the
/// place.
pub fn checkin(args: &str, source: Source) -> Result<Action, ArgError> {
    let input = parse_checkin(args)?;
    Ok(Action::Checkin(match (input, source) {
        (CheckinInput::Ambiguous { word, as_place, .. }, Source::Options) => CheckinInput::Decided {
            place: Some(parse_place(&word)?),
            details: as_place?,
        },
        (input, _) => input,
    }))
}

/// A piece of a command line: a word, or a text in quotes (a note set apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token<'a> {
    Word(&'a str),
    Quoted(String),
}

/// Straight quotes, and the curly ones phones type.
const OPEN_QUOTES: [char; 3] = ['"', '\u{201C}', '\u{201E}'];
const CLOSE_QUOTES: [char; 2] = ['"', '\u{201D}'];

pub(super) fn tokens(args: &str) -> Result<Vec<Token<'_>>, ArgError> {
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

/// A whole number in `min..=max`.
pub fn parse_count(word: &str, min: u32, max: u32, what: &str) -> Result<u32, ArgError> {
    let range_hint = || format!("The {what} is a whole number from {min} to {max}.");
    match word.parse::<i64>() {
        Ok(n) if (i64::from(min)..=i64::from(max)).contains(&n) => Ok(n as u32),
        Ok(n) => Err(ArgError::new(format!("A {what} of {n} is out of range.")).hint(range_hint())),
        Err(_) => Err(ArgError::new(format!("'{word}' is not a number.")).hint(range_hint())),
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
pub(super) fn checkin_details(tokens: &[Token<'_>]) -> Result<CheckinDetails, ArgError> {
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
