//! `/seats` (the open offers, for everyone) and `/offers` (a host's own, with who
//! has a seat and who waits).

use super::{date_text, may_host, not_a_date, offer_args, offers_of, standing_for_host};
use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, SeatsFilter, Source};
use crate::commands::space::find_space;
use crate::domain::{looks_like_when, ArgError, DateArg, SpaceSlug};
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice as view;
use crate::reply::{Reply, Span};
use crate::service::{Cx, Outcome};
use crate::store::RequestState;

pub(crate) const SEATS: CommandSpec = CommandSpec {
    name: "seats",
    path: "seats",
    summary: "Open seat offers, today and the next days",
    summary_nl: "Open aanbod van vrije plekken, vandaag en de komende dagen",
    usage: "/seats [<date>|<space>]",
    example: "/seats tomorrow",
    access: Access::Member,
    args: &[ArgSpec {
        name: "filter",
        kind: ArgKind::DateOrSpace,
        description: "a date or a space",
        description_nl: "een datum of een locatie",
        ..ArgSpec::OPTIONAL
    }],
    grammar: Some(read_seats),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const OFFERS: CommandSpec = CommandSpec {
    name: "offers",
    path: "offers",
    summary: "Your open offers: who has a seat and who waits",
    summary_nl: "Je open aanbod: wie een plek heeft en wie wacht",
    usage: "/offers",
    example: "/offers",
    access: Access::Host,
    grammar: Some(read_host_offers),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_seats(args: &str, _: Source) -> Result<Action, ArgError> {
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

fn read_host_offers(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::Offers)
}

handlers!(|cx| {
    Action::Seats { filter } => seats(cx, filter),
    Action::Offers => host_offers(cx),
});

/// How many offers `/seats` lists.
const SEATS_LISTED: usize = 20;

pub(crate) async fn seats(cx: &Cx<'_>, filter: Option<SeatsFilter>) -> Outcome {
    let community = cx.community()?;
    let mut offers = cx.store.open_offers(community.id, cx.now).await?;
    let mut scope = String::new();
    match filter {
        Some(SeatsFilter::Space(slug)) => {
            let spaces = cx.store.spaces(community.id).await?;
            let space = find_space(cx, &spaces, &slug)?;
            offers.retain(|o| o.space == space.id);
            scope = cx.text(Msg::ScopeAt, vec![("space", Arg::text(&space.slug))]);
        }
        Some(SeatsFilter::Date(date)) => {
            offers.retain(|o| o.local_date == date.resolve(localtime::local_date(cx.now, o.zone.0)));
            let day = offers.first().map_or_else(
                || date.resolve(localtime::local_date(cx.now, community.zone.0)),
                |o| o.local_date,
            );
            scope = cx.text(Msg::ScopeOn, vec![("date", Arg::text(date_text(cx, day)))]);
        }
        None => {}
    }
    if offers.is_empty() {
        return Ok(Reply::to_chat()
            .line(cx.t(Msg::NoOpenOffers, vec![("scope", Arg::text(scope))]))
            .line(cx.t(Msg::OfferExample, vec![])));
    }
    let mut reply = Reply::to_chat().line(cx.t(Msg::OpenOffersTitle, vec![("scope", Arg::text(scope))]));
    for offer in offers.iter().take(SEATS_LISTED) {
        let mut line = cx.t(Msg::OfferLine, offer_args(cx, offer));
        if !offer.note.is_empty() {
            line.push(Span::Text(format!(" — {}", offer.note)));
        }
        reply.push_item(line);
    }
    if offers.len() > SEATS_LISTED {
        reply.push_line(cx.t(Msg::MoreOffers, vec![("n", Arg::count(offers.len() - SEATS_LISTED))]));
    }
    reply.push_line(cx.t(
        Msg::RequestHint,
        vec![("example", Arg::code(format!("/request {}", offers[0].id)))],
    ));
    Ok(reply)
}

pub(crate) async fn host_offers(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    let mut mine = Vec::new();
    for offer in cx.store.open_offers(community.id, cx.now).await? {
        if may_host(cx, offer.space).await? {
            mine.push(offer);
        }
    }
    let standing = super::standing_lines(cx, community).await?;
    if mine.is_empty() && standing.is_empty() {
        return Ok(Reply::to_caller()
            .line(cx.t(Msg::NoHostOffers, vec![]))
            .line(cx.t(Msg::OfferExample, vec![])));
    }
    let mut reply = Reply::to_caller();
    for line in standing {
        reply.push_line(line);
    }
    for offer in &mine {
        reply.push_line(cx.t(Msg::OfferLine, offer_args(cx, offer)));
        let requests = cx.store.offer_requests(community.id, offer.id).await?;
        // Who holds a seat or waits, and whose seat was released (a host
        // sees that nobody came).
        let active: Vec<_> = requests
            .iter()
            .filter(|(r, _)| r.state.is_active() || r.state == RequestState::Released)
            .collect();
        if active.is_empty() {
            reply.push_item(cx.t(Msg::NoRequestsYet, vec![]));
        }
        for (request, contact) in active {
            let mut line = cx.t(
                Msg::HostRequestLine,
                vec![
                    ("who", Arg::Member(contact.card.clone())),
                    ("number", Arg::text(request.number.to_string())),
                    ("standing", Arg::Spans(standing_for_host(cx, request, offer))),
                    ("offers", offers_of(cx, contact)),
                ],
            );
            if request.state == RequestState::Pending {
                line.extend(view::approve_hint(cx.tr(), offer.id.0, request.number));
            }
            reply.push_item(line);
        }
    }
    Ok(reply)
}
