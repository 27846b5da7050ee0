//! `/coming` and `/imhere`: a seat holder answers a reminder (its buttons
//! send these). Each acts only on the caller's own seat, and only while its
//! offer lasts; on a seat that was released or given back it says what
//! happened and changes nothing.

use super::{find_offer, offer_args, offer_gone, one_offer, standing, OFFER_NUMBER};
use crate::catalogue::{Access, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, CheckinDetails, CheckinInput, Place, Source};
use crate::domain::ArgError;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice as view;
use crate::reply::Reply;
use crate::service::{Cx, Failure, Outcome};
use crate::store::{Community, Offer, RequestState, SeatRequest};

pub(crate) const COMING: CommandSpec = CommandSpec {
    name: "coming",
    path: "coming",
    summary: "Say you are coming to your seat (check in when you arrive)",
    summary_nl: "Zeg dat je naar je plek komt (check in als je er bent)",
    usage: "/coming <offer number>",
    example: "/coming 12",
    access: Access::Member,
    args: &[OFFER_NUMBER],
    grammar: Some(read_coming),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const IMHERE: CommandSpec = CommandSpec {
    name: "imhere",
    path: "imhere",
    summary: "You are at your seat: check in at its space and claim it",
    summary_nl: "Je bent bij je plek: check in bij de locatie en claim hem",
    usage: "/imhere <offer number>",
    example: "/imhere 12",
    access: Access::Member,
    args: &[OFFER_NUMBER],
    grammar: Some(read_imhere),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_coming(args: &str, _: Source) -> Result<Action, ArgError> {
    one_offer(&words(args)).map(|offer| Action::Coming { offer })
}

fn read_imhere(args: &str, _: Source) -> Result<Action, ArgError> {
    one_offer(&words(args)).map(|offer| Action::ImHere { offer })
}

handlers!(|cx| {
    Action::Coming { offer } => coming(cx, offer),
    Action::ImHere { offer } => im_here(cx, offer),
});

/// The caller's seat on offer `id`, or a refusal that says where they
/// stand: released, given back, waiting, or never asked; or that the offer
/// is over.
async fn held_seat(cx: &Cx<'_>, community: &Community, id: i64) -> Result<(SeatRequest, Offer), Failure> {
    let mine = cx.store.member_requests(community.id, cx.member, cx.now).await?;
    let Some((request, offer)) = mine.into_iter().find(|(r, _)| r.offer.0 == id) else {
        let offer = find_offer(cx, community, id).await?;
        if !offer.is_open(cx.now) {
            return Err(offer_gone(cx, &offer));
        }
        return Err(super::no_request_on(cx, &offer));
    };
    if !offer.is_open(cx.now) {
        return Err(offer_gone(cx, &offer));
    }
    if request.state != RequestState::Confirmed {
        return Err(cx.refuse(vec![cx.t(
            Msg::NoSeatHeld,
            view::with(
                offer_args(cx, &offer),
                vec![("standing", Arg::Spans(standing(cx, &request, &offer)))],
            ),
        )]));
    }
    Ok((request, offer))
}

pub(crate) async fn coming(cx: &Cx<'_>, id: i64) -> Outcome {
    let community = cx.community()?;
    let (request, offer) = held_seat(cx, community, id).await?;
    cx.store.mark_coming(request.id, cx.now).await?;
    Ok(Reply::to_caller().line(cx.t(
        Msg::ComingNoted,
        view::with(
            offer_args(cx, &offer),
            vec![("standing", Arg::Spans(standing(cx, &request, &offer)))],
        ),
    )))
}

/// A check-in at the seat's space, on the seat's day: the check-in claims it.
pub(crate) async fn im_here(cx: &Cx<'_>, id: i64) -> Outcome {
    let community = cx.community()?;
    let (_, offer) = held_seat(cx, community, id).await?;
    if localtime::local_date(cx.now, offer.zone.0) != offer.local_date {
        return Err(cx.refuse(vec![cx.t(
            Msg::SeatNotToday,
            view::with(
                offer_args(cx, &offer),
                vec![("checkin", Arg::code(format!("/checkin {}", offer.space_slug)))],
            ),
        )]));
    }
    let input = CheckinInput::Decided {
        place: Some(Place::Space(offer.space_slug.clone())),
        details: CheckinDetails::default(),
    };
    crate::commands::checkin::checkin(cx, input).await
}
