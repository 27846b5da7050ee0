//! Hosts' side: `/offer`, `/seats`, `/offers`, `/withdraw`.

use chrono::Duration;

use super::{find_offer, must_host, offer_args, MAX_DAYS_AHEAD};
use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::{tokens, NoteParts, Token};
use crate::command::{Action, OfferArgs, Source, StandingOfferArgs};
use crate::commands::space::{find_space, THE_SPACE};
use crate::domain::{bounds, ArgError, DateArg, OfferId, PairingDays, SeatCount, SpaceSlug, TimeWindow, WhenLike};
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::{self as view, Notice, OfferFacts};
use crate::reply::Reply;
use crate::service::{Cx, Outcome};
use crate::store::{CreateOffer, NewOffer, Offer, Outgoing, Space, Subject, Target};

pub(crate) const OFFER: CommandSpec = CommandSpec {
    name: "offer",
    path: "offer",
    summary: "Offer free seats at a space you host",
    summary_nl: "Bied vrije plekken aan bij een locatie die je host",
    usage: "/offer <space> <n> [<date> | every <days> [until <date>]] [<HH:MM-HH:MM>] [<note…>]",
    example: "/offer cafe-noord 4 tomorrow 9-17 quiet room upstairs",
    access: Access::Host,
    args: &[
        THE_SPACE,
        ArgSpec {
            name: "seats",
            kind: ArgKind::Integer,
            required: true,
            description: "how many seats, 1 to 500",
            description_nl: "hoeveel plekken, 1 tot 500",
            range: Some(bounds::SEATS),
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "date",
            kind: ArgKind::Date,
            description: "today (default), tomorrow, a weekday or YYYY-MM-DD; at most 60 days ahead",
            description_nl: "vandaag (standaard), morgen, een weekdag of JJJJ-MM-DD; hoogstens 60 dagen vooruit",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "window",
            kind: ArgKind::Window,
            description: "the hours, like 9-17 or 09:00-17:30 (default: all day)",
            description_nl: "de tijden, zoals 9-17 of 09:00-17:30 (standaard: de hele dag)",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "note",
            kind: ArgKind::Note,
            description: "anything coworkers should know (at most 280 characters)",
            description_nl: "wat coworkers moeten weten (hoogstens 280 tekens)",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "every",
            kind: ArgKind::Days,
            keyword: Some("every"),
            description: "a standing offer on these days: mon-fri, mon,wed,fri or daily (instead of a date)",
            description_nl: "vast aanbod op deze dagen: ma-vr, ma,wo,vr of dagelijks (in plaats van een datum)",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "until",
            kind: ArgKind::Date,
            keyword: Some("until"),
            description: "with every: the last day (default: until withdrawn)",
            description_nl: "met every: de laatste dag (standaard: tot het wordt ingetrokken)",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_offer),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_offer(args: &str, source: Source) -> Result<Action, ArgError> {
    let (mut offer, every) = parse_offer(args)?;
    if let Some(note) = source.note()? {
        offer.note = note;
    }
    match every {
        None => Ok(Action::Offer(offer)),
        Some((days, until)) => {
            if offer.date.is_some() {
                return Err(ArgError::new(Msg::EveryWithDate).hint_msg(Msg::EveryHint));
            }
            Ok(Action::OfferEvery(StandingOfferArgs {
                space: offer.space,
                seats: offer.seats,
                days,
                window: offer.window,
                until,
                note: offer.note,
            }))
        }
    }
}

/// The days of a standing offer (`every mon-fri`) and its last date.
type Every = Option<(PairingDays, Option<DateArg>)>;

/// `<space> <n> [<date>|every <days> [until <date>]] [<window>] [<note…>]`;
/// the date and the window in either order, the note last or in quotes.
fn parse_offer(args: &str) -> Result<(OfferArgs, Every), ArgError> {
    const EXAMPLE: &str = "/offer cafe-noord 4 tomorrow 9-17 \"open until 5pm\"";
    let tokens = seats_first_reordered(tokens(args)?);
    let [Token::Word(space), Token::Word(seats), rest @ ..] = tokens.as_slice() else {
        return Err(ArgError::new(Msg::OfferNeeds));
    };
    let space = SpaceSlug::parse(space)?;
    let seats = SeatCount::parse(seats)?;
    let (mut date, mut window, mut note) = (None, None, NoteParts::default());
    let (mut every, mut until): (Option<PairingDays>, Option<DateArg>) = (None, None);
    let mut rest = rest.iter();
    while let Some(token) = rest.next() {
        let word = match token {
            Token::Quoted(text) => {
                note.quote(text, EXAMPLE)?;
                continue;
            }
            Token::Word(word) => *word,
        };
        let keyword = |names: [&str; 2]| note.before_unquoted() && names.iter().any(|k| word.eq_ignore_ascii_case(k));
        if keyword(["every", "elke"]) {
            let Some(Token::Word(days)) = rest.next() else {
                return Err(ArgError::new(Msg::EveryNeedsDays).hint_msg(Msg::EveryHint));
            };
            every = Some(PairingDays::parse(days)?);
            continue;
        }
        if keyword(["until", "tot"]) {
            let parsed = match rest.next() {
                Some(Token::Word(day)) => DateArg::parse(day),
                _ => None,
            };
            let Some(parsed) = parsed else {
                return Err(ArgError::new(Msg::UntilNeedsDate).hint_msg(Msg::EveryHint));
            };
            until = Some(parsed?);
            continue;
        }
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
    let every = match (every, until) {
        (Some(days), until) => Some((days, until)),
        (None, Some(_)) => return Err(ArgError::new(Msg::UntilWithoutEvery).hint_msg(Msg::EveryHint)),
        (None, None) => None,
    };
    let offer = OfferArgs {
        space,
        seats,
        date,
        window,
        note: note.into_note()?,
    };
    Ok((offer, every))
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

handlers!(|cx| {
    Action::Offer(args) => offer(cx, args),
    Action::OfferEvery(args) => super::standing_offers::offer_every(cx, args),
});

/// What an offer gives, whatever its day: its hours (`None`: the whole
/// local day), its seats and note.
pub(crate) struct OfferTerms {
    pub window: Option<TimeWindow>,
    pub seats: SeatCount,
    pub note: crate::domain::Note,
}

/// The offer of `space` on `date` on those terms, by `host`, as the store
/// writes it.
pub(crate) fn new_offer_on(
    community: crate::domain::CommunityId,
    space: &Space,
    host: crate::domain::MemberId,
    date: chrono::NaiveDate,
    OfferTerms { window, seats, note }: OfferTerms,
    now: chrono::DateTime<chrono::Utc>,
) -> NewOffer {
    let zone = space.zone.0;
    let (starts_at, ends_at) = match window {
        Some(w) => (
            localtime::resolve(date, w.start.0, zone),
            localtime::resolve(date, w.end.0, zone),
        ),
        None => (localtime::start_of_day(date, zone), localtime::end_of_day(date, zone)),
    };
    NewOffer {
        community,
        space: space.id,
        host,
        local_date: date,
        window,
        starts_at,
        ends_at,
        seats,
        note,
        release_after: space.release_after,
        now,
    }
}

/// An offer's announcement in one chat, about the offer (so that it lives:
/// edited as seats go); `answers`: the host's command it replies to.
pub(crate) fn announcement_to(
    community: crate::domain::CommunityId,
    chat: &crate::store::ChatKey,
    offer: &Offer,
    host: &crate::reply::MemberCard,
    answers: Option<String>,
) -> Outgoing {
    let notice = Notice::Announcement {
        offer: OfferFacts::of(offer),
        host: host.clone(),
        note: offer.note.to_string(),
        answers,
    };
    Outgoing::new(community, Target::chat(chat), notice).about(Subject::Offer(offer.id))
}

/// Whether the caller may offer `seats` at `space`: they host it (or
/// administer the community), and the seats fit its capacity.
pub(crate) async fn may_offer(cx: &Cx<'_>, space: &Space, seats: SeatCount) -> Result<(), crate::service::Failure> {
    must_host(cx, space.id, &space.slug).await?;
    if let Some(capacity) = space.capacity.filter(|&c| seats.get() > c) {
        return Err(cx.refuse(vec![cx.t(
            Msg::OverCapacity,
            vec![
                ("space", Arg::code(&space.slug)),
                ("capacity", Arg::count(capacity)),
                ("seats", Arg::count(seats.get())),
            ],
        )]));
    }
    Ok(())
}

pub(crate) async fn offer(cx: &Cx<'_>, args: OfferArgs) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space: &Space = find_space(cx, &spaces, &args.space)?;
    may_offer(cx, space, args.seats).await?;
    let zone = space.zone.0;
    let today = localtime::local_date(cx.now, zone);
    let mut date = args.date.map_or(today, |d| d.resolve(today));
    // "friday", typed on a Friday whose hours are over, is next Friday.
    if let (Some(crate::domain::DateArg::Weekday(_)), true) = (args.date, date == today) {
        let ends = match args.window {
            Some(w) => localtime::resolve(date, w.end.0, zone),
            None => localtime::end_of_day(date, zone),
        };
        if ends <= cx.now {
            date += Duration::days(7);
        }
    }
    if date < today {
        return Err(cx.refuse(vec![
            cx.t(
                Msg::DateInPast,
                vec![("date", Arg::text(date)), ("today", Arg::text(today))],
            ),
            cx.t(Msg::OfferExample, vec![]),
        ]));
    }
    let last = today + Duration::days(MAX_DAYS_AHEAD);
    if date > last {
        return Err(cx.refuse(vec![
            cx.t(
                Msg::DateTooFar,
                vec![
                    ("date", Arg::text(date)),
                    ("days", Arg::count(MAX_DAYS_AHEAD)),
                    ("last", Arg::text(last)),
                ],
            ),
            cx.t(Msg::OfferExample, vec![]),
        ]));
    }
    let terms = OfferTerms {
        window: args.window,
        seats: args.seats,
        note: args.note,
    };
    let new = new_offer_on(community.id, space, cx.member, date, terms, cx.now);
    let (starts_at, ends_at) = (new.starts_at, new.ends_at);
    if ends_at <= cx.now {
        return Err(cx.refuse(vec![cx.t(
            Msg::WindowOver,
            vec![("now", Arg::text(localtime::local_time(cx.now, zone).format("%H:%M")))],
        )]));
    }
    let chats = cx.store.community_chats(community.id).await?;
    // Posted from a chat the announcement goes to, where a reply would be
    // one more message for everyone: the announcement is the answer.
    let confirms_here = cx.chat.platform.announcement_confirms() && chats.iter().any(|c| c == cx.chat);
    let host = cx.card();
    let announce = |id: OfferId| -> Vec<Outgoing> {
        let offer = Offer {
            id,
            space: space.id,
            space_slug: space.slug.clone(),
            zone: space.zone,
            host: cx.member,
            local_date: date,
            window: new.window,
            starts_at,
            ends_at,
            seats: new.seats.get(),
            confirmed: 0,
            waitlisted: 0,
            pending: 0,
            note: new.note.clone(),
            withdrawn: false,
            needs_approval: space.needs_approval,
            open_profile_required: space.open_profile_required,
            release_after: new.release_after,
        };
        chats
            .iter()
            .map(|chat| {
                // Where it stands in for the confirmation, it answers the command.
                let answers = (confirms_here && chat == cx.chat)
                    .then(|| cx.inbound.message.clone())
                    .flatten();
                announcement_to(community.id, chat, &offer, &host, answers)
            })
            .collect()
    };
    match cx.store.create_offer(&new, &announce).await? {
        CreateOffer::Created(id) => {
            if confirms_here {
                return Ok(Reply::to_caller());
            }
            let offer = find_offer(cx, community, id.0).await?;
            let posted = if chats.is_empty() {
                Msg::OfferPostedNowhere
            } else {
                Msg::OfferPosted
            };
            Ok(Reply::to_caller().line(cx.t(
                posted,
                view::with(offer_args(cx, &offer), vec![("chats", Arg::count(chats.len()))]),
            )))
        }
        CreateOffer::Overlaps(existing) => {
            let existing = find_offer(cx, community, existing.0).await?;
            Err(cx.refuse(vec![
                cx.t(Msg::OfferOverlaps, offer_args(cx, &existing)),
                cx.t(Msg::OfferOverlapsHint, vec![("offer", Arg::code(existing.id))]),
            ]))
        }
    }
}
