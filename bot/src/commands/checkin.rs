//! Check-ins: `/checkin`, `/checkout`, `/here`, and whom to meet.

use chrono::{DateTime, Utc};

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::{tokens, NoteParts, Token};
use crate::command::{Action, CheckinDetails, CheckinInput, Place, Source};
use crate::commands::seats::offer_args;
use crate::commands::space::{find_space, space_list_text};
use crate::domain::{ArgError, ClockTime, SpaceSlug, WhenLike, Zone};
use crate::i18n::{Arg, Msg};
use crate::notice::{self as view, ClaimFacts, RequestFacts};
use crate::reply::Reply;
use crate::rules::release;
use crate::service::wording::reasons;
use crate::service::{Cx, Env, Failure, Outcome};
use crate::store::{CheckinOutcome, Community, NewCheckin, Space};
use crate::{localtime, rules};

pub(crate) const CHECKIN: CommandSpec = CommandSpec {
    name: "checkin",
    path: "checkin",
    summary: "Check in for today and see whom to meet",
    summary_nl: "Check in voor vandaag en zie wie je kunt ontmoeten",
    usage: "/checkin [<space>|remote] [until <HH:MM>] [<note…>]",
    example: "/checkin cafe-noord until 17:00 writing the grant proposal",
    access: Access::Member,
    args: &[
        ArgSpec {
            name: "space",
            kind: ArgKind::SpaceOrRemote,
            description:
                "where (default: the only space, or your last); the first word is a space only if it names one",
            description_nl: "waar (standaard: de enige locatie, of je laatste); een eerste woord dat een locatie noemt",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "until",
            kind: ArgKind::Time,
            keyword: Some("until"),
            description: "when you leave: a time of day, such as 17:00",
            description_nl: "wanneer je weggaat: een tijd, zoals 17:00",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "note",
            kind: ArgKind::Note,
            description: "what you work on (at most 280 characters)",
            description_nl: "waar je aan werkt (hoogstens 280 tekens)",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_checkin),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const CHECKOUT: CommandSpec = CommandSpec {
    name: "checkout",
    path: "checkout",
    summary: "End today's check-in",
    summary_nl: "Beëindig je check-in van vandaag",
    usage: "/checkout",
    example: "/checkout",
    access: Access::Member,
    grammar: Some(read_checkout),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_checkout(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Checkout)
}

pub(crate) fn parse_place(word: &str) -> Result<Place, ArgError> {
    if word.eq_ignore_ascii_case("remote") {
        Ok(Place::Remote)
    } else {
        SpaceSlug::parse(word).map(Place::Space)
    }
}

/// `[<space>|remote] [until <HH:MM>] [<note…>]`. Typed, the first word is the
/// place only if it names one of the community's spaces, which only the core
/// can tell, so both readings are handed over; chosen as an option, it is the
/// place.
fn read_checkin(args: &str, source: Source) -> Result<Action, ArgError> {
    let input = parse_checkin(args)?;
    let mut input = match (input, source) {
        (CheckinInput::Ambiguous { word, as_place, .. }, Source::Options { .. }) => CheckinInput::Decided {
            place: Some(parse_place(&word)?),
            details: as_place?,
        },
        (input, _) => input,
    };
    if let (Some(note), CheckinInput::Decided { details, .. }) = (source.note()?, &mut input) {
        details.note = note;
    }
    Ok(Action::Checkin(input))
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
pub(crate) fn checkin_details(tokens: &[Token<'_>]) -> Result<CheckinDetails, ArgError> {
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

handlers!(|cx| {
    Action::Checkin(input) => checkin(cx, input),
    Action::Checkout => checkout(cx),
});

/// Decides the place of a check-in: the word typed if it names a space, else
/// the only space, else where the member checked in last.
pub(crate) async fn checkin_place(
    cx: &Cx<'_>,
    spaces: &[Space],
    input: CheckinInput,
) -> Result<(Option<Place>, CheckinDetails), Failure> {
    let bad = |e| Failure::User(cx.bad_args(cx.spec, e, cx.chat.platform));
    let (place, details) = match input {
        CheckinInput::Decided { place, details } => (place, details),
        CheckinInput::Ambiguous {
            word,
            as_place,
            as_note,
        } => {
            let slug = SpaceSlug::parse(&word).ok();
            if let Some(space) = slug.and_then(|slug| spaces.iter().find(|s| s.slug == slug)) {
                (Some(Place::Space(space.slug.clone())), as_place.map_err(bad)?)
            } else if let Some(near) = rules::near_miss(&word, spaces) {
                let mut lines = vec![
                    cx.t(Msg::UnknownSpace, vec![("space", Arg::code(&word))]),
                    cx.t(Msg::DidYouMean, vec![("suggestion", Arg::code(near))]),
                ];
                let note = note_for_example(&word, &as_note);
                lines.push(cx.t(
                    Msg::NoteInQuotes,
                    vec![
                        ("word", Arg::text(&word)),
                        ("example", Arg::code(format!("/checkin \"{note}\""))),
                    ],
                ));
                return Err(cx.refuse(lines));
            } else {
                (None, as_note.map_err(bad)?)
            }
        }
    };
    if place.is_some() {
        return Ok((place, details));
    }
    if let [only] = spaces {
        return Ok((Some(Place::Space(only.slug.clone())), details));
    }
    let community = cx.community()?;
    match cx.store.last_place(community.id, cx.member).await? {
        Some(Some(id)) => {
            if let Some(space) = spaces.iter().find(|s| s.id == id) {
                return Ok((Some(Place::Space(space.slug.clone())), details));
            }
        }
        Some(None) => return Ok((Some(Place::Remote), details)),
        None => {}
    }
    if spaces.is_empty() {
        return Err(cx.refuse(vec![
            cx.t(Msg::NoSpaceToCheckIn, vec![("example", Arg::code("/checkin remote"))])
        ]));
    }
    Err(cx.refuse(vec![
        cx.t(Msg::WhichSpace, vec![("spaces", Arg::text(space_list_text(spaces)))]),
        cx.t(
            Msg::WhichSpaceExample,
            vec![("example", Arg::code(format!("/checkin {}", spaces[0].slug)))],
        ),
    ]))
}

pub(crate) async fn checkin(cx: &Cx<'_>, input: CheckinInput) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let (place, details) = checkin_place(cx, &spaces, input).await?;
    let space = match &place {
        Some(Place::Space(slug)) => Some(find_space(cx, &spaces, slug)?.id),
        _ => None,
    };
    let zone = zone_of(community, &spaces, space);
    let today = localtime::local_date(cx.now, zone.0);
    let end_of_day = localtime::end_of_day(today, zone.0);
    let until = match details.until {
        Some(time) => {
            let at = localtime::resolve(today, time.0, zone.0);
            if at <= cx.now {
                let later = localtime::local_time(cx.now + chrono::Duration::hours(1), zone.0);
                return Err(cx.refuse(vec![
                    cx.t(
                        Msg::UntilPassed,
                        vec![
                            ("time", Arg::text(time)),
                            ("place", place_name(cx, &spaces, space)),
                            ("now", Arg::text(localtime::local_time(cx.now, zone.0).format("%H:%M"))),
                        ],
                    ),
                    cx.t(
                        Msg::UntilPassedHint,
                        vec![("example", Arg::text(later.format("%H:00")))],
                    ),
                ]));
            }
            Some(at.min(end_of_day))
        }
        None => None,
    };
    let outcome = cx
        .store
        .check_in(&NewCheckin {
            community: community.id,
            member: cx.member,
            space,
            local_date: today,
            now: cx.now,
            until,
            ends_at: until.unwrap_or(end_of_day),
            note: details.note,
        })
        .await?;
    let msg = match outcome {
        CheckinOutcome::New => Msg::CheckedIn,
        CheckinOutcome::Updated => Msg::CheckedInAgain,
    };
    let mut reply = Reply::to_chat().line(cx.t(
        msg,
        vec![
            ("who", Arg::Name(cx.card())),
            ("place", place_name(cx, &spaces, space)),
            ("until", until_suffix(cx, until, zone)),
        ],
    ));
    if let Some(space) = space {
        for line in claim_seats(cx, community, space, today).await? {
            reply.push_line(line);
        }
    }
    let present = cx.store.present(community.id, cx.now).await?;
    // My focus is the note as kept: an empty one keeps the day's earlier note.
    let (me, my_note) = match present.iter().find(|p| p.member.id == cx.member) {
        Some(p) => (p.profile.clone(), p.note.as_str().to_string()),
        None => (cx.store.profile(cx.member).await?, String::new()),
    };
    let my_focus = crate::focus::Focus::of(&my_note);
    let others = rules::suggestions(&me, &my_focus, cx.member, space, &present);
    if others.is_empty() {
        reply.push_line(cx.t(Msg::QuietToday, vec![("place", place_name(cx, &spaces, space))]));
    } else {
        reply.push_line(cx.t(Msg::MeetTitle, vec![]));
        for (fit, other) in others {
            reply.push_item(cx.t(
                Msg::MeetLine,
                vec![
                    ("who", Arg::Name(other.member.clone())),
                    ("reasons", Arg::Spans(reasons(cx, &fit, Msg::ReasonNone))),
                ],
            ));
        }
    }
    Ok(reply)
}

/// Claims the member's seats at `space` today (see `rules::release`), and
/// says how each stands: theirs, or released before they came.
async fn claim_seats(
    cx: &Cx<'_>,
    community: &Community,
    space: crate::domain::SpaceId,
    today: chrono::NaiveDate,
) -> Result<Vec<Vec<crate::reply::Span>>, Failure> {
    let now = cx.now;
    let claims = |offer: &crate::store::Offer| release::check_in_claims(offer, today, now);
    let seats = cx
        .store
        .claim_seats(community.id, cx.member, space, today, now, &claims)
        .await?;
    Ok(seats
        .iter()
        .filter_map(|(request, offer)| match RequestFacts::on(request, offer).claim? {
            ClaimFacts::Claimed => Some(cx.t(Msg::SeatClaimed, offer_args(cx, offer))),
            ClaimFacts::Released { time } => Some(cx.t(
                Msg::SeatReleasedAtCheckin,
                view::with(
                    offer_args(cx, offer),
                    vec![
                        ("time", Arg::text(time)),
                        ("request", Arg::code(format!("/request {}", offer.id))),
                    ],
                ),
            )),
            ClaimFacts::By { .. } => None,
        })
        .collect())
}

pub(crate) async fn checkout(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    if cx.store.check_out(community.id, cx.member, cx.now).await? {
        Ok(Reply::to_chat().line(cx.t(Msg::CheckedOut, vec![("who", Arg::Name(cx.card()))])))
    } else {
        Err(cx.refuse(vec![cx.t(Msg::NotCheckedIn, vec![])]))
    }
}

pub(crate) fn place_name(env: &Env<'_>, spaces: &[Space], space: Option<crate::domain::SpaceId>) -> Arg {
    match space.and_then(|id| spaces.iter().find(|s| s.id == id)) {
        Some(s) => Arg::code(&s.slug),
        None => Arg::text(Msg::PlaceRemote.template(env.locale)),
    }
}

pub(crate) fn zone_of(community: &Community, spaces: &[Space], space: Option<crate::domain::SpaceId>) -> Zone {
    space
        .and_then(|id| spaces.iter().find(|s| s.id == id))
        .map_or(community.zone, |s| s.zone)
}

pub(crate) fn until_suffix(env: &Env<'_>, until: Option<DateTime<Utc>>, zone: Zone) -> Arg {
    match until {
        Some(at) => Arg::Spans(env.t(
            Msg::UntilSuffix,
            vec![("time", Arg::text(localtime::local_time(at, zone.0).format("%H:%M")))],
        )),
        None => Arg::text(""),
    }
}

/// The note a refused check-in would have had, for the "put it in quotes" example.
fn note_for_example(word: &str, as_note: &Result<CheckinDetails, ArgError>) -> String {
    match as_note {
        Ok(details) if !details.note.is_empty() => details.note.as_str().replace('"', "'"),
        _ => word.to_string(),
    }
}
