//! Seat offers and requests: the Seats2meet core. Hosts offer free seats;
//! members request them; nobody gets a seat that is not there (the store
//! serialises every change per offer). Notices to hosts and members, and the
//! announcements in every chat of the community, are outbox messages written
//! in the same transaction as the change.

mod attendance;
mod decide;
mod listing;
mod offers;
mod requests;
mod standing_offers;
mod standing_requests;
mod withdraw;
pub(crate) use attendance::*;
pub(crate) use decide::*;
pub(crate) use listing::*;
pub(crate) use offers::*;
pub(crate) use requests::*;
pub(crate) use standing_offers::*;
pub(crate) use standing_requests::*;
pub(crate) use withdraw::*;

use crate::catalogue::{ArgKind, ArgSpec};
use crate::commands::space::find_space;
use crate::domain::bounds;
use crate::domain::{parse_id, ArgError, DateArg, SpaceSlug};
use chrono::NaiveDate;

use crate::command::SeatTarget;
use crate::domain::OfferId;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::{self as view, OfferFacts, RequestFacts};
use crate::reply::{Button, Reply, Span};
use crate::rules;
use crate::service::{Cx, Env, Failure, Via};
use crate::store::{Community, MemberContact, Offer, SeatRequest};

/// How a host names an offer: its number.
pub(crate) const OFFER_NUMBER: ArgSpec = ArgSpec {
    name: "offer",
    kind: ArgKind::OfferNumber,
    required: true,
    description: "the offer's number",
    description_nl: "het nummer van het aanbod",
    range: Some(bounds::NUMBER),
    ..ArgSpec::OPTIONAL
};

/// How a host names a request: its number on the offer.
pub(crate) const REQUEST_ON_OFFER: ArgSpec = ArgSpec {
    name: "request",
    kind: ArgKind::Integer,
    description: "the request's number on that offer (needed when several wait)",
    description_nl: "het nummer van de aanvraag op dat aanbod (nodig als er meer wachten)",
    range: Some(bounds::NUMBER),
    ..ArgSpec::OPTIONAL
};

/// How far ahead an offer may be posted.
pub const MAX_DAYS_AHEAD: i64 = 60;

pub(crate) fn date_text(env: &Env<'_>, date: NaiveDate) -> String {
    env.locale.date(date)
}

/// "Wed 25 Nov, 09:00–17:00" or "Wed 25 Nov, all day".
pub(crate) fn when(env: &Env<'_>, offer: &Offer) -> String {
    view::when(env.tr(), &OfferFacts::of(offer))
}

pub(crate) fn offer_args(env: &Env<'_>, offer: &Offer) -> Vec<(&'static str, Arg)> {
    view::offer_args(env.tr(), &OfferFacts::of(offer))
}

pub(crate) fn offers_of(env: &Env<'_>, contact: &MemberContact) -> Arg {
    view::helps_with(env.tr(), &contact.profile.offers.to_string())
}

/// Where a request on `offer` stands, in a few words, as its host reads it.
pub(crate) fn standing_for_host(env: &Env<'_>, request: &SeatRequest, offer: &Offer) -> Vec<Span> {
    view::standing_for_host(env.tr(), &RequestFacts::on(request, offer))
}

/// Where a request on `offer` stands, in a few words, as its requester
/// reads it (with its claim: "check in by 10:00 to keep it").
pub(crate) fn standing(env: &Env<'_>, request: &SeatRequest, offer: &Offer) -> Vec<Span> {
    view::standing(env.tr(), &RequestFacts::on(request, offer))
}

pub(crate) fn offer_gone(env: &Env<'_>, offer: &Offer) -> Failure {
    let msg = if offer.withdrawn {
        Msg::OfferWithdrawn
    } else {
        Msg::OfferEnded
    };
    env.refuse(vec![env.t(msg, offer_args(env, offer)), env.t(Msg::SeeSeats, vec![])])
}

/// Power over a space's offers comes from hosting it (or being an admin)
/// at the moment of the action, never from having posted the offer.
pub(crate) async fn may_host(cx: &Cx<'_>, space: crate::domain::SpaceId) -> Result<bool, Failure> {
    let hosts = cx.store.is_host(space, cx.member).await?;
    // The platform is asked about admins only when the caller does not host.
    let admin = !hosts && cx.is_admin().await?;
    Ok(rules::may_act_on_offer(hosts, admin))
}

/// [`may_host`], or the refusal that names the space (`slug`).
pub(crate) async fn must_host(
    cx: &Cx<'_>,
    space: crate::domain::SpaceId,
    slug: &crate::domain::SpaceSlug,
) -> Result<(), Failure> {
    if may_host(cx, space).await? {
        return Ok(());
    }
    Err(cx.refuse(vec![cx.t(Msg::NotHost, vec![("space", Arg::code(slug))])]))
}

pub(crate) async fn find_offer(cx: &Cx<'_>, community: &Community, id: i64) -> Result<Offer, Failure> {
    match cx.store.offer(community.id, OfferId(id)).await? {
        Some(offer) => Ok(offer),
        None => Err(no_such_offer(cx, id)),
    }
}

/// An offer the community does not have. A button showed it, so it was
/// there: it was withdrawn and went with its space or its host (offer
/// numbers are never given out again, so it cannot be another one).
pub(crate) fn no_such_offer(cx: &Cx<'_>, id: i64) -> Failure {
    let msg = match cx.via {
        Via::Button => Msg::OfferRemoved,
        Via::Typed => Msg::NoSuchOffer,
    };
    cx.refuse(vec![
        cx.t(msg, vec![("offer", Arg::code(format!("#{id}")))]),
        cx.t(Msg::SeeSeats, vec![]),
    ])
}

/// A refusal that asks which offer was meant, with a button for each
/// (`command <offer>`): a typed reference that could mean several is
/// never guessed at.
pub(crate) fn pick_offer(env: &Env<'_>, msg: Msg, command: &str, offers: &[&Offer]) -> Reply {
    let choices = offers
        .iter()
        .map(|o| format!("#{} ({})", o.id, when(env, o)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut reply = Reply::to_caller().line(env.t(
        msg,
        vec![
            ("space", Arg::code(&offers[0].space_slug)),
            ("choices", Arg::text(choices)),
            ("example", Arg::code(format!("{command} {}", offers[0].id))),
        ],
    ));
    for offer in offers {
        reply.buttons.push(Button::new(
            format!("#{} · {}", offer.id, when(env, offer)),
            format!("{command} {}", offer.id),
        ));
    }
    reply
}

/// The one offer meant by "space [date]", or a refusal that says why not.
pub(crate) async fn offer_at(cx: &Cx<'_>, community: &Community, target: SeatTarget) -> Result<Offer, Failure> {
    let (slug, date) = match target {
        SeatTarget::Id(id) => return find_offer(cx, community, id).await,
        SeatTarget::Space { space, date } => (space, date),
    };
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, &slug)?;
    let mut offers: Vec<Offer> = cx
        .store
        .open_offers(community.id, cx.now)
        .await?
        .into_iter()
        .filter(|o| o.space == space.id)
        .collect();
    let day = match date {
        Some(date) => Some(date.resolve(localtime::local_date(cx.now, space.zone.0))),
        None => offers.first().map(|o| o.local_date),
    };
    offers.retain(|o| Some(o.local_date) == day);
    match offers.len() {
        1 => Ok(offers.remove(0)),
        0 => {
            let on = day
                .map(|d| cx.text(Msg::ScopeDay, vec![("date", Arg::text(date_text(cx, d)))]))
                .unwrap_or_default();
            Err(cx.refuse(vec![
                cx.t(
                    Msg::NoOfferAt,
                    vec![("space", Arg::code(&space.slug)), ("on", Arg::text(on))],
                ),
                cx.t(Msg::SeeSeats, vec![]),
            ]))
        }
        _ => {
            let offers: Vec<&Offer> = offers.iter().collect();
            Err(Failure::User(pick_offer(cx, Msg::SeveralOffers, "/request", &offers)))
        }
    }
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
