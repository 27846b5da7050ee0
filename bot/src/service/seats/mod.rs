//! Seat offers and requests: the Seats2meet core. Hosts offer free seats;
//! members request them; nobody gets a seat that is not there (the store
//! serialises every change per offer). Notices to hosts and members, and the
//! announcements in every chat of the community, are outbox messages written
//! in the same transaction as the change.

mod offers;
mod requests;
pub(super) use requests::promoted_notice;

use chrono::NaiveDate;

use super::{Ctx, Failure, Via};
use crate::command::SeatTarget;
use crate::domain::OfferId;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::{self as view, OfferFacts, RequestFacts};
use crate::reply::{Button, Reply, Span};
use crate::rules;
use crate::store::{Community, MemberContact, Offer, SeatRequest};
use crate::Core;

/// How far ahead an offer may be posted.
pub const MAX_DAYS_AHEAD: i64 = 60;

impl Core {
    pub(in crate::service) fn date_text(&self, date: NaiveDate) -> String {
        self.locale().date(date)
    }

    /// "Wed 25 Nov, 09:00–17:00" or "Wed 25 Nov, all day".
    pub(in crate::service) fn when(&self, offer: &Offer) -> String {
        view::when(self.tr(), &OfferFacts::of(offer))
    }

    pub(in crate::service) fn offer_args(&self, offer: &Offer) -> Vec<(&'static str, Arg)> {
        view::offer_args(self.tr(), &OfferFacts::of(offer))
    }

    pub(in crate::service) fn offers_of(&self, contact: &MemberContact) -> Arg {
        view::helps_with(self.tr(), &contact.profile.offers.to_string())
    }

    /// Where a request stands, in a few words, as its host reads it.
    pub(in crate::service) fn standing_for_host(&self, request: &SeatRequest) -> Vec<Span> {
        view::standing_for_host(self.tr(), &RequestFacts::of(request))
    }

    /// Where a request stands, in a few words, as its requester reads it.
    pub(in crate::service) fn standing(&self, request: &SeatRequest) -> Vec<Span> {
        view::standing(self.tr(), &RequestFacts::of(request))
    }

    pub(in crate::service) fn offer_gone(&self, offer: &Offer) -> Failure {
        let msg = if offer.withdrawn {
            Msg::OfferWithdrawn
        } else {
            Msg::OfferEnded
        };
        self.refuse(vec![self.t(msg, self.offer_args(offer)), self.t(Msg::SeeSeats, vec![])])
    }

    /// Power over a space's offers comes from hosting it (or being an admin)
    /// at the moment of the action, never from having posted the offer.
    pub(in crate::service) async fn may_host(
        &self,
        ctx: &Ctx<'_>,
        space: crate::domain::SpaceId,
    ) -> Result<bool, Failure> {
        let hosts = self.store.is_host(space, ctx.member).await?;
        // The platform is asked about admins only when the caller does not host.
        let admin = !hosts && self.is_admin(ctx).await?;
        Ok(rules::may_act_on_offer(hosts, admin))
    }

    pub(in crate::service) async fn find_offer(
        &self,
        ctx: &Ctx<'_>,
        community: &Community,
        id: i64,
    ) -> Result<Offer, Failure> {
        match self.store.offer(community.id, OfferId(id)).await? {
            Some(offer) => Ok(offer),
            None => Err(self.no_such_offer(ctx, id)),
        }
    }

    /// An offer the community does not have. A button showed it, so it was
    /// there: it was withdrawn and went with its space or its host (offer
    /// numbers are never given out again, so it cannot be another one).
    pub(in crate::service) fn no_such_offer(&self, ctx: &Ctx<'_>, id: i64) -> Failure {
        let msg = match ctx.via {
            Via::Button => Msg::OfferRemoved,
            Via::Typed => Msg::NoSuchOffer,
        };
        self.refuse(vec![
            self.t(msg, vec![("offer", Arg::code(format!("#{id}")))]),
            self.t(Msg::SeeSeats, vec![]),
        ])
    }

    /// A refusal that asks which offer was meant, with a button for each
    /// (`command <offer>`): a typed reference that could mean several is
    /// never guessed at.
    pub(in crate::service) fn pick_offer(&self, msg: Msg, command: &str, offers: &[&Offer]) -> Reply {
        let choices = offers
            .iter()
            .map(|o| format!("#{} ({})", o.id, self.when(o)))
            .collect::<Vec<_>>()
            .join(", ");
        let mut reply = Reply::to_caller().line(self.t(
            msg,
            vec![
                ("space", Arg::code(&offers[0].space_slug)),
                ("choices", Arg::text(choices)),
                ("example", Arg::code(format!("{command} {}", offers[0].id))),
            ],
        ));
        for offer in offers {
            reply.buttons.push(Button::new(
                format!("#{} · {}", offer.id, self.when(offer)),
                format!("{command} {}", offer.id),
            ));
        }
        reply
    }

    /// The one offer meant by "space [date]", or a refusal that says why not.
    pub(in crate::service) async fn offer_at(
        &self,
        ctx: &Ctx<'_>,
        community: &Community,
        target: SeatTarget,
    ) -> Result<Offer, Failure> {
        let (slug, date) = match target {
            SeatTarget::Id(id) => return self.find_offer(ctx, community, id).await,
            SeatTarget::Space { space, date } => (space, date),
        };
        let spaces = self.store.spaces(community.id).await?;
        let space = self.find_space(&spaces, &slug)?;
        let mut offers: Vec<Offer> = self
            .store
            .open_offers(community.id, ctx.now)
            .await?
            .into_iter()
            .filter(|o| o.space == space.id)
            .collect();
        let day = match date {
            Some(date) => Some(date.resolve(localtime::local_date(ctx.now, space.zone.0))),
            None => offers.first().map(|o| o.local_date),
        };
        offers.retain(|o| Some(o.local_date) == day);
        match offers.len() {
            1 => Ok(offers.remove(0)),
            0 => {
                let on = day
                    .map(|d| self.text(Msg::ScopeDay, vec![("date", Arg::text(self.date_text(d)))]))
                    .unwrap_or_default();
                Err(self.refuse(vec![
                    self.t(
                        Msg::NoOfferAt,
                        vec![("space", Arg::code(&space.slug)), ("on", Arg::text(on))],
                    ),
                    self.t(Msg::SeeSeats, vec![]),
                ]))
            }
            _ => {
                let offers: Vec<&Offer> = offers.iter().collect();
                Err(Failure::User(self.pick_offer(Msg::SeveralOffers, "/request", &offers)))
            }
        }
    }
}
