//! Standing offers: `/offer <space> <n> every <days> [<hours>] [until
//! <date>] [<note…>]`.
//!
//! Invariants:
//! - A standing offer's number is taken from the offers' own sequence: no
//!   offer ever has it, so `/withdraw 15` means one thing.
//! - Its single offers are made [`DAYS_AHEAD`] days ahead (at once, then by
//!   the leader's scheduler), each once per day, even across instances and
//!   after a withdrawal (the store's unique day). Each is a normal offer,
//!   requestable by number, but announced on its own morning, at the
//!   community's pairing time in the space's zone, not when made.
//! - A day a one-off offer overlaps is skipped and the host told once.
//! - Ending it withdraws the days not yet begun; those holding seats are told.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use super::offers::{announcement_to, may_offer, new_offer_on, OfferTerms};
use super::{date_text, MAX_DAYS_AHEAD};
use crate::command::StandingOfferArgs;
use crate::commands::space::find_space;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::{Notice, WhyWithdrawn};
use crate::reply::{Reply, Span};
use crate::service::{Cx, Env, Outcome};
use crate::store::{Community, CreateDay, NewStandingOffer, Offer, Outgoing, StandingOffer, StoreResult, Target};

/// How many days ahead a standing offer's single offers exist.
pub const DAYS_AHEAD: i64 = 14;

pub(crate) async fn offer_every(cx: &Cx<'_>, args: StandingOfferArgs) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, &args.space)?;
    may_offer(cx, space, args.seats).await?;
    let today = localtime::local_date(cx.now, space.zone.0);
    let until = args.until.map(|d| d.resolve(today));
    if let Some(until) = until.filter(|&u| u < today) {
        return Err(cx.refuse(vec![cx.t(
            Msg::DateInPast,
            vec![("date", Arg::text(until)), ("today", Arg::text(today))],
        )]));
    }
    let new = NewStandingOffer {
        community: community.id,
        space: space.id,
        host: cx.member,
        seats: args.seats,
        days: args.days,
        window: args.window,
        until,
        note: args.note,
        now: cx.now,
    };
    let id = cx.store.create_standing_offer(&new).await?;
    let standing = StandingOffer {
        id,
        community: community.id,
        space: space.id,
        space_slug: space.slug.clone(),
        zone: space.zone,
        host: new.host,
        seats: new.seats,
        days: new.days,
        window: new.window,
        until: new.until,
        note: new.note,
    };
    // Made here, the first days are in the answer: no notice of a skip.
    let made = make_days(cx, &standing, cx.now, &|_, _| Vec::new()).await?;
    let mut reply = Reply::to_caller().line(cx.t(Msg::StandingPosted, standing_args(cx, &standing)));
    let days: Vec<String> = made
        .iter()
        .filter_map(|(date, made)| match made {
            CreateDay::Created(offer) => Some(format!("#{offer} {}", date_text(cx, *date))),
            _ => None,
        })
        .collect();
    reply.push_line(cx.t(
        Msg::StandingDays,
        vec![
            (
                "days",
                Arg::text(if days.is_empty() {
                    "—".to_string()
                } else {
                    days.join(", ")
                }),
            ),
            ("withdraw", Arg::code(format!("/withdraw {id}"))),
        ],
    ));
    for (date, made) in &made {
        if let CreateDay::Overlaps { existing, .. } = made {
            reply.push_item(cx.t(
                Msg::StandingSkipped,
                vec![
                    ("date", Arg::text(date_text(cx, *date))),
                    ("offer", Arg::code(format!("#{existing}"))),
                ],
            ));
        }
    }
    Ok(reply)
}

/// The placeholders of a standing offer's lines: standing, seats, space,
/// days, hours, until.
fn standing_args(env: &Env<'_>, standing: &StandingOffer) -> Vec<(&'static str, Arg)> {
    let hours = standing
        .window
        .map_or_else(|| env.tr().word(Msg::AllDay).to_string(), |w| w.to_string());
    let until = standing.until.map_or_else(String::new, |d| {
        env.text(Msg::StandingUntil, vec![("date", Arg::text(date_text(env, d)))])
    });
    vec![
        ("standing", Arg::code(format!("#{}", standing.id))),
        ("seats", Arg::count(standing.seats.get())),
        ("space", Arg::code(&standing.space_slug)),
        ("days", Arg::text(standing.days.written_in(env.locale))),
        ("hours", Arg::text(hours)),
        ("until", Arg::text(until)),
    ]
}

/// The lines `/offers` shows for the standing offers the caller may act on.
pub(crate) async fn standing_lines(cx: &Cx<'_>, community: &Community) -> StoreResult<Vec<Vec<Span>>> {
    let mut lines = Vec::new();
    for standing in cx.store.standing_offers(Some(community.id)).await? {
        if matches!(super::may_host(cx, standing.space).await, Ok(true)) {
            let mut line = cx.t(Msg::StandingLine, standing_args(cx, &standing));
            line.extend(cx.t(
                Msg::StandingEndHint,
                vec![("withdraw", Arg::code(format!("/withdraw {}", standing.id)))],
            ));
            lines.push(line);
        }
    }
    Ok(lines)
}

/// Makes the standing offer's days from today on, [`DAYS_AHEAD`] of them
/// (not past its last date), each once; `on_skip` words the host's notice
/// of a day a one-off offer overlaps (the first time).
async fn make_days(
    env: &Env<'_>,
    standing: &StandingOffer,
    now: DateTime<Utc>,
    on_skip: &(dyn Fn(NaiveDate, &crate::domain::OfferId) -> Vec<Outgoing> + Send + Sync),
) -> StoreResult<Vec<(NaiveDate, CreateDay)>> {
    let spaces = env.store.spaces(standing.community).await?;
    let Some(space) = spaces.iter().find(|s| s.id == standing.space) else {
        return Ok(Vec::new());
    };
    let today = localtime::local_date(now, space.zone.0);
    let mut made = Vec::new();
    for ahead in 0..DAYS_AHEAD.min(MAX_DAYS_AHEAD) {
        let date = today + Duration::days(ahead);
        if !standing.days.contains(date.weekday()) || standing.until.is_some_and(|u| date > u) {
            continue;
        }
        let terms = OfferTerms {
            window: standing.window,
            seats: standing.seats,
            note: standing.note.clone(),
        };
        let offer = new_offer_on(standing.community, space, standing.host, date, terms, now);
        if offer.ends_at <= now {
            continue;
        }
        let skip = |existing: crate::domain::OfferId| on_skip(date, &existing);
        let outcome = env.store.create_standing_day(standing.id, &offer, &skip).await?;
        made.push((date, outcome));
    }
    Ok(made)
}

/// The scheduler's tick: every standing offer's days made ahead; the
/// number of single offers made.
pub(crate) async fn make_standing_days(env: &Env<'_>) -> StoreResult<usize> {
    let now = env.clock.now();
    let mut made = 0;
    for standing in env.store.standing_offers(None).await? {
        let skipped = |date: NaiveDate, existing: &crate::domain::OfferId| -> Vec<Outgoing> {
            let notice = Notice::StandingSkipped {
                standing: standing.id,
                space: standing.space_slug.to_string(),
                date: date.to_string(),
                existing: existing.0,
            };
            vec![Outgoing::new(standing.community, Target::Member(standing.host), notice)]
        };
        made += make_days(env, &standing, now, &skipped)
            .await?
            .iter()
            .filter(|(_, outcome)| matches!(outcome, CreateDay::Created(_)))
            .count();
    }
    Ok(made)
}

/// The scheduler's tick: each standing offer's day announced in every
/// chat of its community on its morning, at the community's pairing time
/// in the space's zone; the number announced.
pub(crate) async fn announce_standing_days(env: &Env<'_>) -> StoreResult<usize> {
    let now = env.clock.now();
    let mut announced = 0;
    for (community, offer) in env.store.offers_to_announce(now, now + Duration::days(2)).await? {
        let time = env.store.pairing_settings(community).await?.time;
        if now < localtime::resolve(offer.local_date, time.0, offer.zone.0) {
            continue;
        }
        let chats = env.store.community_chats(community).await?;
        let host = env.store.contact(offer.host).await?.card;
        let announcements = |current: &Offer| -> Vec<Outgoing> {
            chats
                .iter()
                .map(|chat| announcement_to(community, chat, current, &host, None))
                .collect()
        };
        if env
            .store
            .announce_offer(community, offer.id, now, &announcements)
            .await?
        {
            announced += 1;
        }
    }
    Ok(announced)
}

/// Ends a standing offer: its days not yet begun are withdrawn, everyone on
/// them told. `None` when the community has no such standing offer.
pub(crate) async fn end_standing(
    cx: &Cx<'_>,
    community: &Community,
    id: i64,
) -> Result<Option<Reply>, crate::service::Failure> {
    let Some(standing) = cx
        .store
        .standing_offers(Some(community.id))
        .await?
        .into_iter()
        .find(|s| s.id == id)
    else {
        return Ok(None);
    };
    super::must_host(cx, standing.space, &standing.space_slug).await?;
    cx.store.end_standing_offer(community.id, id, cx.now).await?;
    let (mut days, mut told) = (0, 0);
    for offer in cx.store.days_to_come(community.id, id, cx.now).await? {
        if let crate::store::WithdrawOutcome::Withdrawn(withdrawal) =
            super::withdraw_offer(cx, community, offer, WhyWithdrawn::Host, cx.now).await?
        {
            days += 1;
            told += withdrawal.affected.len();
        }
    }
    Ok(Some(Reply::to_caller().line(cx.t(
        Msg::StandingEnded,
        vec![
            ("standing", Arg::code(format!("#{id}"))),
            ("space", Arg::code(&standing.space_slug)),
            ("n", Arg::count(days)),
            ("told", Arg::count(told)),
        ],
    ))))
}
