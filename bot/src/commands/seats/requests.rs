//! Members' side and the host's decisions: `/request`, `/cancel`,
//! `/myseats`, `/approve`, `/decline`.

use super::{find_offer, no_such_offer, offer_args, offer_at, offer_gone, pick_offer, seat_target, standing};
use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, SeatTarget, Source};
use crate::commands::space::find_space;
use crate::domain::{ArgError, OfferId, PairingDays, SpaceSlug};
use crate::i18n::{Arg, Msg};
use crate::notice::{self as view, Notice, OfferFacts, RequestFacts};
use crate::reply::Reply;
use crate::service::{Cx, Failure, Outcome};
use crate::store::{
    Admission, CancelOutcome, Cancellation, Offer, Outgoing, Placed, Profile, Refusal, RequestOutcome, RequestState,
    SeatRequest, Subject, Target,
};
use crate::{localtime, rules};

/// Which offer `/request` and `/cancel` are about.
const OFFER_OR_SPACE: ArgSpec = ArgSpec {
    name: "offer",
    kind: ArgKind::OfferOrSpace,
    required: true,
    description: "the offer's number, or the space",
    description_nl: "het nummer van het aanbod, of de locatie",
    ..ArgSpec::OPTIONAL
};

pub(crate) const REQUEST: CommandSpec = CommandSpec {
    name: "request",
    path: "request",
    summary: "Ask for a seat (by offer number, or space and date)",
    summary_nl: "Vraag een plek aan (op aanbodnummer, of locatie en datum)",
    usage: "/request <offer number> | <space> [<date>] | <space> every <days>",
    example: "/request cafe-noord tomorrow",
    access: Access::Member,
    args: &[
        OFFER_OR_SPACE,
        ArgSpec {
            name: "date",
            kind: ArgKind::Date,
            description: "with a space: which day (default: the soonest offer)",
            description_nl: "met een locatie: welke dag (standaard: het eerstvolgende aanbod)",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "every",
            kind: ArgKind::Days,
            keyword: Some("every"),
            description: "with a space: a seat on each of its offers on these days, as they appear",
            description_nl: "met een locatie: een plek op elk aanbod op deze dagen, zodra het er is",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_request),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const CANCEL: CommandSpec = CommandSpec {
    name: "cancel",
    path: "cancel",
    summary: "Give back a seat or leave the waitlist",
    summary_nl: "Geef een plek terug of verlaat de wachtlijst",
    usage: "/cancel <offer number> | <space> [<date>] | <space> every",
    example: "/cancel cafe-noord tomorrow",
    access: Access::Member,
    args: &[
        OFFER_OR_SPACE,
        ArgSpec {
            name: "date",
            kind: ArgKind::Date,
            description: "with a space: which day",
            description_nl: "met een locatie: welke dag",
            ..ArgSpec::OPTIONAL
        },
        ArgSpec {
            name: "every",
            kind: ArgKind::Flag,
            keyword: Some("every"),
            description: "with a space: end your standing request there",
            description_nl: "met een locatie: stop je vaste aanvraag daar",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_cancel),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const MYSEATS: CommandSpec = CommandSpec {
    name: "myseats",
    path: "myseats",
    summary: "Your upcoming seats and where you stand",
    summary_nl: "Je komende plekken en waar je staat",
    usage: "/myseats",
    example: "/myseats",
    access: Access::Member,
    grammar: Some(read_my_seats),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

/// `every`, or Dutch `elke`.
fn is_every(word: &str) -> bool {
    word.eq_ignore_ascii_case("every") || word.eq_ignore_ascii_case("elke")
}

fn read_request(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [space, every, days] if is_every(every) => Ok(Action::RequestEvery {
            space: SpaceSlug::parse(space)?,
            days: PairingDays::parse(days)?,
        }),
        [_, every, ..] if is_every(every) => Err(ArgError::new(Msg::RequestEveryNeeds)),
        words => seat_target(words).map(Action::Request),
    }
}

/// A member cancels by the offer's number (one request per member per
/// offer), never by a request's: announcements show offer numbers.
fn read_cancel(args: &str, _: Source) -> Result<Action, ArgError> {
    match words(args).as_slice() {
        [space, every] if is_every(every) => Ok(Action::CancelEvery {
            space: SpaceSlug::parse(space)?,
        }),
        words => seat_target(words).map(Action::Cancel),
    }
}

fn read_my_seats(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::MySeats)
}

handlers!(|cx| {
    Action::Request(target) => request(cx, target),
    Action::Cancel(target) => cancel(cx, target),
    Action::RequestEvery { space, days } => super::request_every(cx, &space, days),
    Action::CancelEvery { space } => super::cancel_every(cx, &space),
    Action::MySeats => my_seats(cx),
});

pub(crate) async fn request(cx: &Cx<'_>, target: SeatTarget) -> Outcome {
    let community = cx.community()?;
    // By number (as the "Request a seat" button sends it) the offer is read
    // only inside the request's transaction; by space, it is found first.
    let offer_id = match target {
        SeatTarget::Id(id) => OfferId(id),
        target => offer_at(cx, community, target).await?.id,
    };
    let now = cx.now;
    let me = cx.card();
    // The rule decides under the offer's lock; it renders nothing.
    let admit = |offer: &Offer, existing: Option<&SeatRequest>, profile: &Profile| -> Admission {
        rules::admit(offer, existing, profile, now)
    };
    let notices = |placed: &Placed| -> Vec<Outgoing> { vec![to_keepers(community.id, placed, &me)] };
    let event = cx
        .store
        .request_seat(community.id, offer_id, cx.member, now, &admit, &notices)
        .await?;
    match event {
        None => Err(no_such_offer(cx, offer_id.0)),
        Some(RequestOutcome::Placed(Placed { offer, request, .. })) => {
            let msg = match request.state {
                RequestState::Confirmed => Msg::RequestConfirmed,
                RequestState::Waitlisted => Msg::RequestWaitlisted,
                _ => Msg::RequestPending,
            };
            Ok(Reply::to_caller().line(cx.t(
                msg,
                view::with(
                    offer_args(cx, &offer),
                    vec![
                        ("position", Arg::count(request.position.unwrap_or(1))),
                        ("cancel", Arg::code(format!("/cancel {}", offer.id))),
                    ],
                ),
            )))
        }
        Some(RequestOutcome::NotAdmitted {
            offer,
            request,
            refusal,
        }) => Err(match (refusal, request) {
            (Refusal::AlreadyRequested, Some(request)) => cx.refuse(vec![cx.t(
                Msg::AlreadyRequested,
                view::with(
                    offer_args(cx, &offer),
                    vec![("standing", Arg::Spans(standing(cx, &request, &offer)))],
                ),
            )]),
            (Refusal::ProfileRequired, _) => cx.refuse(vec![
                cx.t(Msg::OpenProfileRequired, vec![("space", Arg::code(&offer.space_slug))]),
                cx.t(
                    Msg::OpenProfileHint,
                    vec![("example", Arg::code("/profile offers rust, pitch decks"))],
                ),
            ]),
            _ => offer_gone(cx, &offer),
        }),
    }
}

/// Gives back the member's seat (or waitlist place) on an offer: named
/// by the offer's number, or by space and date; where that could mean
/// several, a button for each.
pub(crate) async fn cancel(cx: &Cx<'_>, target: SeatTarget) -> Outcome {
    let community = cx.community()?;
    let mine = cx.store.member_requests(community.id, cx.member, cx.now).await?;
    let (request, offer) = match target {
        SeatTarget::Id(offer) => match mine.into_iter().find(|(r, _)| r.offer.0 == offer) {
            Some(found) => found,
            None => {
                // Not one of the member's (or over): say which it is.
                let offer = find_offer(cx, community, offer).await?;
                return Err(no_request_on(cx, &offer));
            }
        },
        SeatTarget::Space { space, date } => {
            let spaces = cx.store.spaces(community.id).await?;
            let space = find_space(cx, &spaces, &space)?;
            let day = date.map(|d| d.resolve(localtime::local_date(cx.now, space.zone.0)));
            let mut mine: Vec<(SeatRequest, Offer)> = mine
                .into_iter()
                .filter(|(r, o)| r.state.is_active() && o.space == space.id && day.is_none_or(|d| o.local_date == d))
                .collect();
            match mine.len() {
                1 => mine.remove(0),
                0 => {
                    return Err(cx.refuse(vec![
                        cx.t(Msg::NothingToCancel, vec![("space", Arg::code(&space.slug))]),
                        cx.t(Msg::SeeMySeats, vec![]),
                    ]))
                }
                _ => {
                    let offers: Vec<&Offer> = mine.iter().map(|(_, o)| o).collect();
                    return Err(Failure::User(pick_offer(cx, Msg::SeveralRequests, "/cancel", &offers)));
                }
            }
        }
    };
    if !request.state.is_active() || !offer.is_open(cx.now) {
        return Err(cx.refuse(vec![cx.t(
            Msg::CannotCancel,
            view::with(
                offer_args(cx, &offer),
                vec![("standing", Arg::Spans(standing(cx, &request, &offer)))],
            ),
        )]));
    }
    let me = cx.card();
    let notices = |Cancellation {
                       offer,
                       request,
                       promoted,
                   }: &Cancellation|
     -> Vec<Outgoing> {
        let mut out: Vec<Outgoing> = promoted_notice(community.id, offer, promoted.as_ref().map(|(r, _)| r))
            .into_iter()
            .collect();
        let notice = Notice::Cancelled {
            offer: OfferFacts::of(offer),
            request: RequestFacts::of(request),
            who: me.clone(),
            promoted: promoted.as_ref().map(|(_, contact)| contact.card.clone()),
        };
        let keepers = Target::Keepers {
            space: offer.space,
            but: Some(cx.member),
        };
        out.push(Outgoing::new(community.id, keepers, notice));
        out
    };
    match cx
        .store
        .cancel_request(community.id, request.id, cx.member, cx.now, &notices)
        .await?
    {
        CancelOutcome::Cancelled(Cancellation { offer, .. }) => {
            Ok(Reply::to_caller().line(cx.t(Msg::Cancelled, offer_args(cx, &offer))))
        }
        CancelOutcome::Refused { offer, request } => Err(cx.refuse(vec![cx.t(
            Msg::CannotCancel,
            view::with(
                offer_args(cx, &offer),
                vec![(
                    "standing",
                    Arg::Spans(request.as_ref().map_or_else(
                        || cx.t(Msg::OfferEnded, offer_args(cx, &offer)),
                        |r| standing(cx, r, &offer),
                    )),
                )],
            ),
        )])),
    }
}

/// A refusal: the caller has no seat or place in line on `offer`.
pub(crate) fn no_request_on(cx: &Cx<'_>, offer: &Offer) -> Failure {
    cx.refuse(vec![
        cx.t(Msg::NoRequestOnOffer, offer_args(cx, offer)),
        cx.t(Msg::SeeMySeats, vec![]),
    ])
}

pub(crate) async fn my_seats(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let mine = cx.store.member_requests(community.id, cx.member, cx.now).await?;
    let every = super::standing_request_lines(cx, community).await?;
    if mine.is_empty() && every.is_empty() {
        return Ok(Reply::to_caller()
            .line(cx.t(Msg::NoSeatsYet, vec![]))
            .line(cx.t(Msg::SeeSeats, vec![])));
    }
    let mut reply = Reply::to_caller().line(cx.t(Msg::MySeatsTitle, vec![]));
    for line in every {
        reply.push_item(line);
    }
    for (request, offer) in &mine {
        reply.push_item(cx.t(
            Msg::MySeatLine,
            view::with(
                offer_args(cx, offer),
                vec![("standing", Arg::Spans(standing(cx, request, offer)))],
            ),
        ));
    }
    Ok(reply)
}

/// The notice of a new request to whoever keeps the space when it is
/// written (its hosts, else its admins) but the requester; Approve and
/// Decline act on a pending one until it is settled.
pub(crate) fn to_keepers(
    community: crate::domain::CommunityId,
    Placed {
        offer,
        request,
        profile,
    }: &Placed,
    requester: &crate::reply::MemberCard,
) -> Outgoing {
    let notice = Notice::NewRequest {
        offer: OfferFacts::of(offer),
        request: RequestFacts::of(request),
        requester: requester.clone(),
        requester_offers: profile.offers.to_string(),
    };
    let keepers = Target::Keepers {
        space: offer.space,
        but: Some(request.member),
    };
    let outgoing = Outgoing::new(community, keepers, notice);
    if request.state == RequestState::Pending {
        outgoing.about(Subject::Request(request.id))
    } else {
        outgoing
    }
}

/// The notice to the member a freed seat went to, if it went to anyone.
pub(crate) fn promoted_notice(
    community: crate::domain::CommunityId,
    offer: &Offer,
    promoted: Option<&crate::store::SeatRequest>,
) -> Option<Outgoing> {
    promoted.map(|request| {
        Outgoing::new(
            community,
            Target::Member(request.member),
            Notice::Promoted {
                offer: OfferFacts::of(offer),
                request: RequestFacts::on(request, offer),
            },
        )
    })
}
