//! `/approve` and `/decline`: a host decides on a request that waits for them.

use super::{find_offer, must_host, offer_args, offer_gone, standing_for_host, OFFER_NUMBER, REQUEST_ON_OFFER};
use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::domain::{parse_id, ArgError, Note};
use crate::i18n::{Arg, Msg};
use crate::notice::{self as view, Notice, OfferFacts, RequestFacts};
use crate::reply::{Button, Reply};
use crate::service::{Cx, Failure, Outcome};
use crate::store::{DecideOutcome, Decision, Outgoing, RequestState, SeatRequest, Target};

pub(crate) const APPROVE: CommandSpec = CommandSpec {
    name: "approve",
    path: "approve",
    summary: "Approve a seat request waiting for you",
    summary_nl: "Keur een aanvraag goed die op jou wacht",
    usage: "/approve <offer number> [<request number>]",
    example: "/approve 7 2",
    access: Access::Host,
    args: &[OFFER_NUMBER, REQUEST_ON_OFFER],
    grammar: Some(read_approve),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

pub(crate) const DECLINE: CommandSpec = CommandSpec {
    name: "decline",
    path: "decline",
    summary: "Decline a seat request waiting for you",
    summary_nl: "Wijs een aanvraag af die op jou wacht",
    usage: "/decline <offer number> [<request number>] [<reason…>]",
    example: "/decline 7 2 the room is booked for a workshop",
    access: Access::Host,
    args: &[
        OFFER_NUMBER,
        REQUEST_ON_OFFER,
        ArgSpec {
            name: "reason",
            kind: ArgKind::Text,
            description: "why, for the requester",
            description_nl: "waarom, voor de aanvrager",
            ..ArgSpec::OPTIONAL
        },
    ],
    grammar: Some(read_decline),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

/// `<offer> [<request>]`: a request is named by its offer and its number
/// there ("request 2 on offer #7"); without the number, the offer's only
/// request waiting (the core asks which when there are several).
fn read_approve(args: &str, _: Source) -> Result<Action, ArgError> {
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
fn read_decline(args: &str, source: Source) -> Result<Action, ArgError> {
    let words = words(args);
    let (offer, request, reason) = request_ref(&words)?;
    // Chosen as an option, the reason is not read for a request's number.
    let reason = source.free("reason").map_or_else(|| reason.join(" "), str::to_string);
    Ok(Action::Decline {
        offer,
        request,
        reason: Note::parse(&reason)?,
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

handlers!(|cx| {
    Action::Approve { offer, request } => decide(cx, offer, request, true, None),
    Action::Decline { offer, request, reason } => decide(cx, offer, request, false, Some(reason)),
});

/// A host's decision on a request waiting for approval, named by its
/// offer and its number there; without the number, the offer's only
/// request waiting, else a button for each.
pub(crate) async fn decide(
    cx: &Cx<'_>,
    offer_id: i64,
    number: Option<u32>,
    approve: bool,
    reason: Option<Note>,
) -> Outcome {
    let community = cx.community()?;
    let offer = find_offer(cx, community, offer_id).await?;
    must_host(cx, offer.space, &offer.space_slug).await?;
    let requests = cx.store.offer_requests(community.id, offer.id).await?;
    let request = match number {
        Some(number) => match requests.iter().find(|(r, _)| r.number == number) {
            Some((request, _)) => request.clone(),
            None => {
                return Err(cx.refuse(vec![
                    cx.t(
                        Msg::NoSuchRequest,
                        vec![
                            ("offer", Arg::code(format!("#{}", offer.id))),
                            ("number", Arg::code(number.to_string())),
                        ],
                    ),
                    cx.t(Msg::RequestNumbersHint, vec![]),
                ]))
            }
        },
        None => {
            let waiting: Vec<_> = requests
                .iter()
                .filter(|(r, _)| r.state == RequestState::Pending)
                .collect();
            match waiting.as_slice() {
                [(request, _)] => request.clone(),
                [] => {
                    return Err(cx.refuse(vec![cx.t(
                        Msg::NothingPending,
                        vec![("offer", Arg::code(format!("#{}", offer.id)))],
                    )]))
                }
                several => {
                    let verb = if approve { "/approve" } else { "/decline" };
                    let label = if approve {
                        Msg::ApproveButton
                    } else {
                        Msg::DeclineButton
                    };
                    let reason = reason.as_ref().map(|r| r.as_str()).filter(|r| !r.is_empty());
                    let mut reply = Reply::to_caller().line(cx.t(
                        Msg::SeveralPending,
                        vec![
                            ("offer", Arg::code(format!("#{}", offer.id))),
                            ("n", Arg::count(several.len())),
                            (
                                "example",
                                Arg::code(format!("{verb} {} {}", offer.id, several[0].0.number)),
                            ),
                        ],
                    ));
                    for (request, contact) in several {
                        let mut command = format!("{verb} {} {}", offer.id, request.number);
                        if let Some(reason) = reason {
                            command = format!("{command} {reason}");
                        }
                        let label = format!(
                            "{} {} ({})",
                            cx.tr().word(label),
                            contact.card.display_name,
                            request.number
                        );
                        reply.buttons.push(Button::new(label, command));
                    }
                    return Err(Failure::User(reply));
                }
            }
        }
    };
    let not_pending = |request: &SeatRequest| {
        cx.refuse(vec![cx.t(
            Msg::NotPending,
            vec![
                ("offer", Arg::code(format!("#{}", offer.id))),
                ("number", Arg::code(request.number.to_string())),
                ("standing", Arg::Spans(standing_for_host(cx, request, &offer))),
            ],
        )])
    };
    if request.state != RequestState::Pending {
        return Err(not_pending(&request));
    }
    if !offer.is_open(cx.now) {
        return Err(offer_gone(cx, &offer));
    }
    let notices = |Decision { offer, request, .. }: &Decision| -> Vec<Outgoing> {
        let notice = Notice::Decided {
            offer: OfferFacts::of(offer),
            request: RequestFacts::of(request),
        };
        vec![Outgoing::new(community.id, Target::Member(request.member), notice)]
    };
    let reason = reason.map(|r| r.as_str().to_string()).filter(|r| !r.is_empty());
    match cx
        .store
        .decide_request(community.id, request.id, approve, reason, cx.now, &notices)
        .await?
    {
        DecideOutcome::Decided(Decision {
            offer,
            request,
            requester,
        }) => Ok(Reply::to_caller().line(cx.t(
            Msg::DecisionDone,
            view::with(
                offer_args(cx, &offer),
                vec![
                    ("who", Arg::Member(requester.card)),
                    ("standing", Arg::Spans(standing_for_host(cx, &request, &offer))),
                ],
            ),
        ))),
        DecideOutcome::Refused { offer, request } => Err(match request {
            Some(request) => not_pending(&request),
            None => offer_gone(cx, &offer),
        }),
    }
}
