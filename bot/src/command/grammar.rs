//! The text grammar of each command: one function per catalogue entry,
//! turning the words after the command into an [`Action`]. Structured input
//! (a slash command's options) is written in this same language by
//! [`super::build`], so both go through the same validation.

use super::{
    Action, CheckinDetails, CheckinInput, OfferArgs, PairingChange, Place, SeatTarget, SeatsFilter, SettingChange,
    SpaceAddArgs, TagsChange,
};
use crate::domain::{
    bounds, looks_like_when, parse_id, ArgError, ClockTime, CommunityName, DateArg, MemberHandle, Note, PairingDays,
    SeatCount, SpaceSlug, Tags, TimeWindow, WhenLike, Zone,
};
use crate::i18n::{Msg, Text};

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
        // The deep link a `/link` code comes with: `t.me/<bot>?start=link_<code>`.
        [payload] if payload.starts_with("link_") => Ok(Action::Link(Some(payload["link_".len()..].to_string()))),
        _ => Err(ArgError::new(Msg::StartArgs).with("got", args.trim())),
    }
}

pub fn inbox(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Inbox)
}

/// `/help space add` (or `/help /space add`): the topic is the command's
/// path, a group's subcommand included.
pub fn help(args: &str, _: Source) -> Result<Action, ArgError> {
    let topic = words(args.trim().trim_start_matches('/')).join(" ").to_lowercase();
    Ok(Action::Help {
        topic: (!topic.is_empty()).then_some(topic),
    })
}

pub fn use_community(args: &str, _: Source) -> Result<Action, ArgError> {
    CommunityName::parse(args).map(Action::Use)
}

pub fn setup(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    // A community is not named "join …": `/setup join` always joins.
    if let [first, rest @ ..] = words.as_slice() {
        if first.eq_ignore_ascii_case("join") {
            return match rest {
                [code] => Ok(Action::SetupJoin {
                    code: Some(code.to_string()),
                }),
                [] => Ok(Action::SetupJoin { code: None }),
                _ => Err(ArgError::new(Msg::JoinOneCode)
                    .with("got", rest.join(" "))
                    .example("/setup join ABCD-2345")),
            };
        }
    }
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
        return Err(ArgError::new(Msg::WhichNewSpace));
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
            // The keywords in English and Dutch.
            "approval" | "goedkeuring" => add.needs_approval = true,
            "open" => add.open_profile_required = true,
            "capacity" | "capaciteit" => {
                let n = options.next().ok_or_else(|| ArgError::new(Msg::CapacityNeedsNumber))?;
                add.capacity = Some(parse_count(n, bounds::CAPACITY, Msg::WhatCapacity)?);
            }
            word if add.zone.is_none() && Zone::looks_like_zone(word) => add.zone = Some(Zone::parse(option)?),
            _ => {
                return Err(ArgError::new(Msg::NotUnderstood)
                    .with("word", option)
                    .hint_msg(Msg::SpaceAddHint))
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
        [] => Err(ArgError::new(Msg::WhichSpaceArg)),
        _ => Err(ArgError::new(Msg::OneSpace)),
    }
}

fn member_and_space(args: &str) -> Result<(MemberHandle, SpaceSlug), ArgError> {
    match words(args).as_slice() {
        [member, space] => Ok((MemberHandle::parse(member)?, SpaceSlug::parse(space)?)),
        _ => Err(ArgError::new(Msg::MemberAndSpace)),
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
        return Err(ArgError::new(Msg::AboutMissing));
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
        _ => Err(ArgError::new(Msg::HereOneSpace)),
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
        _ => return Err(ArgError::new(Msg::SeatsOneFilter)),
    };
    Ok(Action::Seats { filter })
}

pub fn request(args: &str, _: Source) -> Result<Action, ArgError> {
    seat_target(&words(args)).map(Action::Request)
}

/// A member cancels by the offer's number (one request per member per
/// offer), never by a request's: announcements show offer numbers.
pub fn cancel(args: &str, _: Source) -> Result<Action, ArgError> {
    seat_target(&words(args)).map(Action::Cancel)
}

pub fn my_seats(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::MySeats)
}

pub fn host_offers(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Offers)
}

pub fn withdraw(args: &str, _: Source) -> Result<Action, ArgError> {
    one_offer(&words(args)).map(|offer| Action::Withdraw { offer })
}

/// `<offer> [<request>]`: a request is named by its offer and its number
/// there ("request 2 on offer #7"); without the number, the offer's only
/// request waiting (the core asks which when there are several).
pub fn approve(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let (offer, request, rest) = request_ref(&words)?;
    match rest {
        [] => Ok(Action::Approve { offer, request }),
        [word] if request.is_none() => Err(ArgError::new(Msg::NotRequestNumber)
            .with("word", *word)
            .hint_msg(Msg::RequestNumbersHint)),
        _ => Err(ArgError::new(Msg::TooManyWords).hint_msg(Msg::RequestNumbersHint)),
    }
}

/// `<offer> [<request>] [<reason…>]`: a second word that is a number is
/// the request's number; the reason is the rest.
pub fn decline(args: &str, _: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let (offer, request, reason) = request_ref(&words)?;
    Ok(Action::Decline {
        offer,
        request,
        reason: Note::parse(&reason.join(" "))?,
    })
}

/// An offer's number, then a request's number on it if one follows.
fn request_ref<'a>(words: &'a [&'a str]) -> Result<(i64, Option<u32>, &'a [&'a str]), ArgError> {
    let Some((offer, rest)) = words.split_first() else {
        return Err(ArgError::new(Msg::WhichRequest).hint_msg(Msg::RequestNumbersHint));
    };
    let offer = parse_id(offer).ok_or_else(|| {
        ArgError::new(Msg::NotOfferNumber)
            .with("word", *offer)
            .hint_msg(Msg::RequestNumbersHint)
    })?;
    match rest.split_first() {
        Some((word, rest)) if parse_id(word).is_some() => {
            match parse_id(word).and_then(|n| u32::try_from(n).ok()).filter(|&n| n > 0) {
                Some(number) => Ok((offer, Some(number), rest)),
                None => Err(ArgError::new(Msg::NotRequestNumber)
                    .with("word", *word)
                    .hint_msg(Msg::RequestNumbersHint)),
            }
        }
        _ => Ok((offer, None, rest)),
    }
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
        [days] => {
            parse_count(days, bounds::PAUSE_DAYS, Msg::WhatPauseDays).map(|d| Action::Pairing(PairingChange::Pause(d)))
        }
        _ => Err(ArgError::new(Msg::HowManyDays)),
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
        "" => Err(ArgError::new(Msg::SettingValue)),
        value => Ok(value),
    }
}

pub fn settings_pairing_time(args: &str, _: Source) -> Result<Action, ArgError> {
    ClockTime::parse(setting_value(args)?).map(|t| Action::SettingsSet(SettingChange::PairingTime(t)))
}

pub fn settings_pairing_days(args: &str, _: Source) -> Result<Action, ArgError> {
    PairingDays::parse(setting_value(args)?).map(|d| Action::SettingsSet(SettingChange::PairingDays(d)))
}

/// `<en|nl> [all]`: `all` (Dutch `iedereen`) keeps replies to one member
/// in the community's language too.
pub fn settings_language(args: &str, _: Source) -> Result<Action, ArgError> {
    let mut words = setting_value(args)?.split_whitespace();
    let locale = crate::Locale::parse(words.next().unwrap_or_default())?;
    let for_all = match words.next() {
        None => false,
        Some(word) if matches!(word.to_lowercase().as_str(), "all" | "iedereen") => true,
        Some(word) => return Err(ArgError::new(Msg::NotUnderstood).with("word", word)),
    };
    if let Some(word) = words.next() {
        return Err(ArgError::new(Msg::NotUnderstood).with("word", word));
    }
    Ok(Action::SettingsSet(SettingChange::Language { locale, for_all }))
}

pub fn settings_history_weeks(args: &str, _: Source) -> Result<Action, ArgError> {
    parse_count(setting_value(args)?, bounds::HISTORY_WEEKS, Msg::WhatHistoryWeeks)
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
                return Err(ArgError::new(Msg::QuoteMissing).hint_msg(Msg::QuoteHint));
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
            return Err(ArgError::new(Msg::NoteOnce).example(example));
        }
        self.quoted = Some(text.to_string());
        Ok(())
    }

    /// Adds a word of an unquoted note, unless it looks like `refused`.
    fn word(&mut self, word: &str, refused: &[WhenLike], hint: Msg, example: &str) -> Result<(), ArgError> {
        if self.quoted.is_some() {
            return Err(ArgError::new(Msg::NoteOnce).example(example));
        }
        if looks_like_when(word).is_some_and(|kind| refused.contains(&kind)) {
            let problem = if self.words.is_empty() {
                Msg::UnreadableWhen
            } else {
                Msg::WhenInNote
            };
            return Err(ArgError::new(problem)
                .with("word", word)
                .hint_msg(hint)
                .example(example));
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
    let tokens = seats_first_reordered(tokens(args)?);
    let [Token::Word(space), Token::Word(seats), rest @ ..] = tokens.as_slice() else {
        return Err(ArgError::new(Msg::OfferNeeds));
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
                    return Err(ArgError::new(Msg::SecondDate)
                        .with("word", word)
                        .hint_msg(Msg::OfferWhenHint));
                }
                date = Some(parsed?);
                continue;
            }
            if let Some(parsed) = TimeWindow::parse(word) {
                if window.is_some() {
                    return Err(ArgError::new(Msg::SecondWindow)
                        .with("word", word)
                        .hint_msg(Msg::OfferWhenHint));
                }
                window = Some(parsed?);
                continue;
            }
        }
        note.word(word, &[WhenLike::Date, WhenLike::Time], Msg::OfferWhenHint, EXAMPLE)?;
    }
    Ok(OfferArgs {
        space,
        seats,
        date,
        window,
        note: note.into_note()?,
    })
}

/// `3 seats at cafe-noord friday` (and `3 plekken bij cafe-noord`), as
/// hosts say it, read as `cafe-noord 3 friday`.
fn seats_first_reordered(tokens: Vec<Token<'_>>) -> Vec<Token<'_>> {
    const SEAT_WORDS: [&str; 6] = ["seat", "seats", "plek", "plekken", "stoel", "stoelen"];
    const AT_WORDS: [&str; 4] = ["at", "bij", "in", "op"];
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) => Some(w.to_lowercase()),
        _ => None,
    };
    if word(0).is_none_or(|w| w.parse::<u32>().is_err()) {
        return tokens;
    }
    let mut at = 1;
    if word(at).is_some_and(|w| SEAT_WORDS.contains(&w.as_str())) {
        at += 1;
    }
    if word(at).is_some_and(|w| AT_WORDS.contains(&w.as_str())) {
        at += 1;
    }
    // Only when what follows is no number: `3 4` stays as typed (and wrong).
    if at == 1 || word(at).is_none_or(|w| w.parse::<u32>().is_ok()) {
        return tokens;
    }
    let mut tokens = tokens;
    let rest = tokens.split_off(at);
    let mut rest = rest.into_iter();
    let space = rest.next();
    let count = tokens.into_iter().next();
    space.into_iter().chain(count).chain(rest).collect()
}

/// `<id>` or `<space> [<date>]`
fn seat_target(words: &[&str]) -> Result<SeatTarget, ArgError> {
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
        [] => Err(ArgError::new(Msg::WhichOfferTarget)),
        _ => Err(ArgError::new(Msg::TooManyWords)),
    }
}

fn not_a_date(word: &str) -> ArgError {
    ArgError::new(Msg::NotADateUnderstood)
        .with("input", word)
        .hint_msg(Msg::DateHint)
}

/// One offer number; the hint says where a member finds it. Only offers
/// have numbers of their own: a request is named by its offer (and, for
/// hosts, its number there).
fn one_offer(words: &[&str]) -> Result<i64, ArgError> {
    let (not_one, which, give_one, found_with) = (
        Msg::NotOfferNumber,
        Msg::WhichOffer,
        Msg::OneOfferNumber,
        Msg::OfferNumbersHint,
    );
    match words {
        [word] => parse_id(word).ok_or_else(|| ArgError::new(not_one).with("word", word).hint_msg(found_with)),
        [] => Err(ArgError::new(which).hint_msg(found_with)),
        _ => Err(ArgError::new(give_one).hint_msg(found_with)),
    }
}

/// A whole number in `min..=max`; `what` names it in the message.
pub fn parse_count(word: &str, (min, max): (u32, u32), what: Msg) -> Result<u32, ArgError> {
    let range_hint = || {
        Text::new(Msg::CountRangeHint)
            .with_msg("what", what)
            .with("min", min)
            .with("max", max)
    };
    match word.parse::<i64>() {
        Ok(n) if (i64::from(min)..=i64::from(max)).contains(&n) => Ok(n as u32),
        Ok(n) => Err(ArgError::new(Msg::CountOutOfRange)
            .with_msg("what", what)
            .with("n", n)
            .hint(range_hint())),
        Err(_) => Err(ArgError::new(Msg::NotANumber).with("word", word).hint(range_hint())),
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
        [Token::Word(first), rest @ ..] if !is_until(first) => Ok(CheckinInput::Ambiguous {
            word: first.to_string(),
            as_place: SpaceSlug::parse(first).and_then(|_| checkin_details(rest)),
            as_note: checkin_details(&tokens),
        }),
        // Nothing, `until …`, or a quoted note: no place given.
        all => decided(None, all),
    }
}

/// `until`, or Dutch `tot`.
fn is_until(word: &str) -> bool {
    word.eq_ignore_ascii_case("until") || word.eq_ignore_ascii_case("tot")
}

/// `[until <HH:MM>] [<note…>]`
pub(super) fn checkin_details(tokens: &[Token<'_>]) -> Result<CheckinDetails, ArgError> {
    const EXAMPLE: &str = "/checkin cafe-noord until 17:00 \"call at 3pm\"";
    let (until, note_tokens) = match tokens {
        [Token::Word(first), rest @ ..] if is_until(first) => match rest {
            [Token::Word(time), note @ ..] => (Some(ClockTime::parse(time)?), note),
            _ => return Err(ArgError::new(Msg::UntilNeedsTime)),
        },
        _ => (None, tokens),
    };
    let mut note = NoteParts::default();
    for token in note_tokens {
        match token {
            Token::Quoted(text) => note.quote(text, EXAMPLE)?,
            Token::Word(word) => note.word(word, &[WhenLike::Time], Msg::CheckinWhenHint, EXAMPLE)?,
        }
    }
    Ok(CheckinDetails {
        until,
        note: note.into_note()?,
    })
}

pub fn invite(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Invite)
}

pub fn chats(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Chats)
}

pub fn unbind(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Unbind)
}

pub fn link(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::Link(None)),
        [code] => Ok(Action::Link(Some(code.to_string()))),
        more => Err(ArgError::new(Msg::LinkOneCode).with("got", more.join(" "))),
    }
}

pub fn unlink(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Unlink)
}

pub fn profile_notify(args: &str, _: Source) -> Result<Action, ArgError> {
    use crate::domain::Platform;
    match words(args).as_slice() {
        [word] => match word.to_lowercase().as_str() {
            "auto" => Ok(Action::ProfileNotify(None)),
            "telegram" => Ok(Action::ProfileNotify(Some(Platform::Telegram))),
            "discord" => Ok(Action::ProfileNotify(Some(Platform::Discord))),
            _ => Err(ArgError::new(Msg::NotifyWhere).with("got", *word)),
        },
        [] => Err(ArgError::new(Msg::NotifyWhere).with("got", "")),
        more => Err(ArgError::new(Msg::NotifyWhere).with("got", more.join(" "))),
    }
}

pub fn my_data(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::MyData)
}

pub fn forget_me(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [] => Ok(Action::ForgetMe { confirmation: None }),
        [word, token] if word.eq_ignore_ascii_case("confirm") => Ok(Action::ForgetMe {
            confirmation: Some(token.to_string()),
        }),
        _ => Err(ArgError::new(Msg::ForgetMeArgs).with("got", args.trim())),
    }
}
