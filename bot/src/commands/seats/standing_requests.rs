//! Standing requests: `/request <space> every <days>` and `/cancel <space>
//! every`.
//!
//! Invariants:
//! - One standing request a member and space; a new one replaces it.
//! - Each offer of the space on one of its days, not begun, gets a normal
//!   request (the usual rules decide: a seat, the waitlist, the host's
//!   approval), with its own place in line: at once for the offers there,
//!   then by the leader's scheduler as offers appear.
//! - An offer the member ever had a request on is not asked again: a day
//!   they cancelled stays cancelled.
//! - Ending it leaves the requests it made as they are.

use chrono::Datelike;

use super::offer_args;
use crate::commands::space::find_space;
use crate::domain::{PairingDays, SpaceSlug};
use crate::i18n::{Arg, Msg};
use crate::notice::{self as view, Notice, OfferFacts, RequestFacts};
use crate::reply::Reply;
use crate::rules;
use crate::service::{Cx, Env, Outcome};
use crate::store::{
    Admission, Offer, Outgoing, Placed, Profile, RequestOutcome, SeatRequest, StandingRequest, StoreResult, Target,
};

pub(crate) async fn request_every(cx: &Cx<'_>, slug: &SpaceSlug, days: PairingDays) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, slug)?;
    cx.store
        .set_standing_request(community.id, cx.member, space.id, days, cx.now)
        .await?;
    let standing = StandingRequest {
        community: community.id,
        member: cx.member,
        space: space.id,
        space_slug: space.slug.clone(),
        days,
    };
    // Asked here, the answer says how each went: no notice besides.
    let asked = ask(cx, &standing, false).await?;
    let mut reply = Reply::to_caller().line(cx.t(
        Msg::StandingRequestSet,
        vec![
            ("space", Arg::code(&space.slug)),
            ("days", Arg::text(days.written_in(cx.locale))),
            ("cancel", Arg::code(format!("/cancel {} every", space.slug))),
        ],
    ));
    for (request, offer) in &asked {
        reply.push_item(cx.t(
            Msg::MySeatLine,
            view::with(
                offer_args(cx, offer),
                vec![("standing", Arg::Spans(super::standing(cx, request, offer)))],
            ),
        ));
    }
    Ok(reply)
}

pub(crate) async fn cancel_every(cx: &Cx<'_>, slug: &SpaceSlug) -> Outcome {
    let community = cx.community()?;
    let spaces = cx.store.spaces(community.id).await?;
    let space = find_space(cx, &spaces, slug)?;
    if cx
        .store
        .end_standing_request(community.id, cx.member, space.id, cx.now)
        .await?
    {
        Ok(Reply::to_caller().line(cx.t(Msg::StandingRequestEnded, vec![("space", Arg::code(&space.slug))])))
    } else {
        Err(cx.refuse(vec![
            cx.t(Msg::NoStandingRequest, vec![("space", Arg::code(&space.slug))]),
            cx.t(Msg::SeeMySeats, vec![]),
        ]))
    }
}

/// The lines `/myseats` shows for the member's standing requests in `community`.
pub(crate) async fn standing_request_lines(
    cx: &Cx<'_>,
    community: &crate::store::Community,
) -> StoreResult<Vec<Vec<crate::reply::Span>>> {
    Ok(cx
        .store
        .standing_requests(Some(cx.member))
        .await?
        .iter()
        .filter(|s| s.community == community.id)
        .map(|s| {
            cx.t(
                Msg::StandingRequestLine,
                vec![
                    ("space", Arg::code(&s.space_slug)),
                    ("days", Arg::text(s.days.written_in(cx.locale))),
                    ("cancel", Arg::code(format!("/cancel {} every", s.space_slug))),
                ],
            )
        })
        .collect())
}

/// Asks for a seat on each offer the standing request covers and has not
/// asked for; `tell`: the member hears of each privately. What was placed.
async fn ask(env: &Env<'_>, standing: &StandingRequest, tell: bool) -> StoreResult<Vec<(SeatRequest, Offer)>> {
    let now = env.clock.now();
    let offers = env.store.offers_to_ask(standing, now).await?;
    let mut placed = Vec::new();
    let me = env.store.contact(standing.member).await?.card;
    for offer in offers.iter().filter(|o| standing.days.contains(o.local_date.weekday())) {
        let admit = |offer: &Offer, existing: Option<&SeatRequest>, profile: &Profile| -> Admission {
            rules::admit(offer, existing, profile, now)
        };
        let notices = |placed: &Placed| -> Vec<Outgoing> {
            let mut out = vec![super::to_keepers(standing.community, placed, &me)];
            if tell {
                let notice = Notice::StandingAsked {
                    offer: OfferFacts::of(&placed.offer),
                    request: RequestFacts::on(&placed.request, &placed.offer),
                };
                out.push(Outgoing::new(
                    standing.community,
                    Target::Member(standing.member),
                    notice,
                ));
            }
            out
        };
        let outcome = env
            .store
            .request_seat(standing.community, offer.id, standing.member, now, &admit, &notices)
            .await?;
        if let Some(RequestOutcome::Placed(Placed { offer, request, .. })) = outcome {
            placed.push((request, offer));
        }
    }
    Ok(placed)
}

/// The scheduler's tick: every standing request asks for the offers that
/// appeared since; how many requests it placed.
pub(crate) async fn ask_standing_requests(env: &Env<'_>) -> StoreResult<usize> {
    let mut placed = 0;
    for standing in env.store.standing_requests(None).await? {
        placed += ask(env, &standing, true).await?.len();
    }
    Ok(placed)
}
