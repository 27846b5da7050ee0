//! `/withdraw`: a host takes an offer back; everyone on it is told, and the announcements say so.

use chrono::{DateTime, Utc};

use super::{find_offer, must_host, offer_args, offer_gone, one_offer, OFFER_NUMBER};
use crate::catalogue::{Access, CommandSpec};
use crate::command::grammar::words;
use crate::command::{Action, Source};
use crate::domain::{ArgError, OfferId};
use crate::i18n::{Arg, Msg};
use crate::notice::{self as view, Notice, OfferFacts, WhyWithdrawn};
use crate::reply::Reply;
use crate::service::{Cx, Env, Outcome};
use crate::store::{Community, Outgoing, Target, WithdrawOutcome, Withdrawal};

pub(crate) const WITHDRAW: CommandSpec = CommandSpec {
    name: "withdraw",
    path: "withdraw",
    summary: "Withdraw an offer; everyone on it is told",
    summary_nl: "Trek aanbod in; iedereen erop hoort het",
    usage: "/withdraw <offer number>",
    example: "/withdraw 12",
    access: Access::Host,
    args: &[OFFER_NUMBER],
    grammar: Some(read_withdraw),
    handler: Some(HANDLER),
    ..CommandSpec::LEAF
};

fn read_withdraw(args: &str, _: Source) -> Result<Action, ArgError> {
    one_offer(&words(args)).map(|offer| Action::Withdraw { offer })
}

handlers!(|cx| {
    Action::Withdraw { offer } => withdraw(cx, offer),
});

/// Withdraws an offer, telling everyone who held a seat or waited.
pub(crate) async fn withdraw_offer(
    env: &Env<'_>,
    community: &Community,
    offer: OfferId,
    why: WhyWithdrawn,
    now: DateTime<Utc>,
) -> crate::store::StoreResult<WithdrawOutcome> {
    let notices = |Withdrawal { offer, affected }: &Withdrawal| -> Vec<Outgoing> {
        let notice = Notice::Withdrawn {
            offer: OfferFacts::of(offer),
            why,
        };
        affected
            .iter()
            .map(|(request, _)| Outgoing::new(community.id, Target::Member(request.member), notice.clone()))
            .collect()
    };
    env.store.withdraw_offer(community.id, offer, now, &notices).await
}

/// Withdraws the open offers of a space about to be removed, so that
/// nobody's seat disappears without a word.
pub(crate) async fn withdraw_space_offers(
    env: &Env<'_>,
    community: &Community,
    space: crate::domain::SpaceId,
    now: DateTime<Utc>,
) -> crate::store::StoreResult<usize> {
    let mut told = 0;
    for offer in env.store.open_offers(community.id, now).await? {
        if offer.space == space {
            if let WithdrawOutcome::Withdrawn(Withdrawal { affected, .. }) =
                withdraw_offer(env, community, offer.id, WhyWithdrawn::SpaceRemoved, now).await?
            {
                told += affected.len();
            }
        }
    }
    Ok(told)
}

pub(crate) async fn withdraw(cx: &Cx<'_>, id: i64) -> Outcome {
    let community = cx.community()?;
    // A standing offer's number is no offer's: it ends the standing offer.
    if let Some(ended) = super::end_standing(cx, community, id).await? {
        return Ok(ended);
    }
    let offer = find_offer(cx, community, id).await?;
    must_host(cx, offer.space, &offer.space_slug).await?;
    if !offer.is_open(cx.now) {
        return Err(offer_gone(cx, &offer));
    }
    match withdraw_offer(cx, community, offer.id, WhyWithdrawn::Host, cx.now).await? {
        WithdrawOutcome::Withdrawn(Withdrawal { offer, affected }) => Ok(Reply::to_caller().line(cx.t(
            Msg::OfferWithdrawnDone,
            view::with(offer_args(cx, &offer), vec![("n", Arg::count(affected.len()))]),
        ))),
        WithdrawOutcome::Refused { offer } => Err(offer_gone(cx, &offer)),
    }
}
