//! Hosts' side: `/offer`, `/seats`, `/offers`, `/withdraw`.

use chrono::{DateTime, Duration, Utc};

use super::super::{Ctx, Outcome};
use super::MAX_DAYS_AHEAD;
use crate::command::{OfferArgs, SeatsFilter};
use crate::domain::OfferId;
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::{self as view, Notice, OfferFacts, WhyWithdrawn};
use crate::reply::{Reply, Span};
use crate::store::{
    Community, CreateOffer, NewOffer, Offer, Outgoing, RequestState, Space, Subject, Target, WithdrawOutcome,
    Withdrawal,
};
use crate::Core;

/// How many offers `/seats` lists.
const SEATS_LISTED: usize = 20;

impl Core {
    pub(in crate::service) async fn offer(&self, ctx: &Ctx<'_>, args: OfferArgs) -> Outcome {
        let community = self.community(ctx)?;
        let spaces = self.store.spaces(community.id).await?;
        let space: &Space = self.find_space(&spaces, &args.space)?;
        if !self.may_host(ctx, space.id).await? {
            return Err(self.refuse(vec![self.t(Msg::NotHost, vec![("space", Arg::code(&space.slug))])]));
        }
        if let Some(capacity) = space.capacity.filter(|&c| args.seats.get() > c) {
            return Err(self.refuse(vec![self.t(
                Msg::OverCapacity,
                vec![
                    ("space", Arg::code(&space.slug)),
                    ("capacity", Arg::count(capacity)),
                    ("seats", Arg::count(args.seats.get())),
                ],
            )]));
        }
        let zone = space.zone.0;
        let today = localtime::local_date(ctx.now, zone);
        let mut date = args.date.map_or(today, |d| d.resolve(today));
        // "friday", typed on a Friday whose hours are over, is next Friday.
        if let (Some(crate::domain::DateArg::Weekday(_)), true) = (args.date, date == today) {
            let ends = match args.window {
                Some(w) => localtime::resolve(date, w.end.0, zone),
                None => localtime::end_of_day(date, zone),
            };
            if ends <= ctx.now {
                date += Duration::days(7);
            }
        }
        if date < today {
            return Err(self.refuse(vec![
                self.t(
                    Msg::DateInPast,
                    vec![("date", Arg::text(date)), ("today", Arg::text(today))],
                ),
                self.t(Msg::OfferExample, vec![]),
            ]));
        }
        let last = today + Duration::days(MAX_DAYS_AHEAD);
        if date > last {
            return Err(self.refuse(vec![
                self.t(
                    Msg::DateTooFar,
                    vec![
                        ("date", Arg::text(date)),
                        ("days", Arg::count(MAX_DAYS_AHEAD)),
                        ("last", Arg::text(last)),
                    ],
                ),
                self.t(Msg::OfferExample, vec![]),
            ]));
        }
        let (starts_at, ends_at) = match args.window {
            Some(w) => (
                localtime::resolve(date, w.start.0, zone),
                localtime::resolve(date, w.end.0, zone),
            ),
            None => (localtime::start_of_day(date, zone), localtime::end_of_day(date, zone)),
        };
        if ends_at <= ctx.now {
            return Err(self.refuse(vec![self.t(
                Msg::WindowOver,
                vec![("now", Arg::text(localtime::local_time(ctx.now, zone).format("%H:%M")))],
            )]));
        }
        let new = NewOffer {
            community: community.id,
            space: space.id,
            host: ctx.member,
            local_date: date,
            window: args.window,
            starts_at,
            ends_at,
            seats: args.seats,
            note: args.note,
            now: ctx.now,
        };
        let chats = self.store.community_chats(community.id).await?;
        // Posted from a chat the announcement goes to, where a reply would be
        // one more message for everyone: the announcement is the answer.
        let confirms_here = ctx.chat.platform.announcement_confirms() && chats.iter().any(|c| c == ctx.chat);
        let host = ctx.card();
        let announce = |id: OfferId| -> Vec<Outgoing> {
            let offer = Offer {
                id,
                space: space.id,
                space_slug: space.slug.clone(),
                zone: space.zone,
                host: ctx.member,
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
            };
            let notice = |answers: Option<String>| Notice::Announcement {
                offer: OfferFacts::of(&offer),
                host: host.clone(),
                note: offer.note.to_string(),
                answers,
            };
            chats
                .iter()
                .map(|chat| {
                    let target = Target::Chat {
                        platform: chat.platform,
                        chat_id: chat.chat_id.clone(),
                    };
                    // Where it stands in for the confirmation, it answers the command.
                    let answers = (confirms_here && chat == ctx.chat)
                        .then(|| ctx.inbound.message.clone())
                        .flatten();
                    Outgoing::new(community.id, target, notice(answers)).about(Subject::Offer(offer.id))
                })
                .collect()
        };
        match self.store.create_offer(&new, &announce).await? {
            CreateOffer::Created(id) => {
                if confirms_here {
                    return Ok(Reply::to_caller());
                }
                let offer = self.find_offer(ctx, community, id.0).await?;
                let posted = if chats.is_empty() {
                    Msg::OfferPostedNowhere
                } else {
                    Msg::OfferPosted
                };
                Ok(Reply::to_caller().line(self.t(
                    posted,
                    view::with(self.offer_args(&offer), vec![("chats", Arg::count(chats.len()))]),
                )))
            }
            CreateOffer::Overlaps(existing) => {
                let existing = self.find_offer(ctx, community, existing.0).await?;
                Err(self.refuse(vec![
                    self.t(Msg::OfferOverlaps, self.offer_args(&existing)),
                    self.t(Msg::OfferOverlapsHint, vec![("offer", Arg::code(existing.id))]),
                ]))
            }
        }
    }

    pub(in crate::service) async fn seats(&self, ctx: &Ctx<'_>, filter: Option<SeatsFilter>) -> Outcome {
        let community = self.community(ctx)?;
        let mut offers = self.store.open_offers(community.id, ctx.now).await?;
        let mut scope = String::new();
        match filter {
            Some(SeatsFilter::Space(slug)) => {
                let spaces = self.store.spaces(community.id).await?;
                let space = self.find_space(&spaces, &slug)?;
                offers.retain(|o| o.space == space.id);
                scope = self.text(Msg::ScopeAt, vec![("space", Arg::text(&space.slug))]);
            }
            Some(SeatsFilter::Date(date)) => {
                offers.retain(|o| o.local_date == date.resolve(localtime::local_date(ctx.now, o.zone.0)));
                let day = offers.first().map_or_else(
                    || date.resolve(localtime::local_date(ctx.now, community.zone.0)),
                    |o| o.local_date,
                );
                scope = self.text(Msg::ScopeOn, vec![("date", Arg::text(self.date_text(day)))]);
            }
            None => {}
        }
        if offers.is_empty() {
            return Ok(Reply::to_chat()
                .line(self.t(Msg::NoOpenOffers, vec![("scope", Arg::text(scope))]))
                .line(self.t(Msg::OfferExample, vec![])));
        }
        let mut reply = Reply::to_chat().line(self.t(Msg::OpenOffersTitle, vec![("scope", Arg::text(scope))]));
        for offer in offers.iter().take(SEATS_LISTED) {
            let mut line = self.t(Msg::OfferLine, self.offer_args(offer));
            if !offer.note.is_empty() {
                line.push(Span::Text(format!(" — {}", offer.note)));
            }
            reply.push_item(line);
        }
        if offers.len() > SEATS_LISTED {
            reply.push_line(self.t(Msg::MoreOffers, vec![("n", Arg::count(offers.len() - SEATS_LISTED))]));
        }
        reply.push_line(self.t(
            Msg::RequestHint,
            vec![("example", Arg::code(format!("/request {}", offers[0].id)))],
        ));
        Ok(reply)
    }

    pub(in crate::service) async fn host_offers(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        let mut mine = Vec::new();
        for offer in self.store.open_offers(community.id, ctx.now).await? {
            if self.may_host(ctx, offer.space).await? {
                mine.push(offer);
            }
        }
        if mine.is_empty() {
            return Ok(Reply::to_caller()
                .line(self.t(Msg::NoHostOffers, vec![]))
                .line(self.t(Msg::OfferExample, vec![])));
        }
        let mut reply = Reply::to_caller();
        for offer in &mine {
            reply.push_line(self.t(Msg::OfferLine, self.offer_args(offer)));
            let requests = self.store.offer_requests(community.id, offer.id).await?;
            let active: Vec<_> = requests.iter().filter(|(r, _)| r.state.is_active()).collect();
            if active.is_empty() {
                reply.push_item(self.t(Msg::NoRequestsYet, vec![]));
            }
            for (request, contact) in active {
                let mut line = self.t(
                    Msg::HostRequestLine,
                    vec![
                        ("who", Arg::Member(contact.card.clone())),
                        ("number", Arg::text(request.number.to_string())),
                        ("standing", Arg::Spans(self.standing_for_host(request))),
                        ("offers", self.offers_of(contact)),
                    ],
                );
                if request.state == RequestState::Pending {
                    line.extend(view::approve_hint(self.tr(), offer.id.0, request.number));
                }
                reply.push_item(line);
            }
        }
        Ok(reply)
    }

    /// Withdraws an offer, telling everyone who held a seat or waited.
    pub(in crate::service) async fn withdraw_offer(
        &self,
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
        self.store.withdraw_offer(community.id, offer, now, &notices).await
    }

    /// Withdraws the open offers of a space about to be removed, so that
    /// nobody's seat disappears without a word.
    pub(in crate::service) async fn withdraw_space_offers(
        &self,
        community: &Community,
        space: crate::domain::SpaceId,
        now: DateTime<Utc>,
    ) -> crate::store::StoreResult<usize> {
        let mut told = 0;
        for offer in self.store.open_offers(community.id, now).await? {
            if offer.space == space {
                if let WithdrawOutcome::Withdrawn(Withdrawal { affected, .. }) = self
                    .withdraw_offer(community, offer.id, WhyWithdrawn::SpaceRemoved, now)
                    .await?
                {
                    told += affected.len();
                }
            }
        }
        Ok(told)
    }

    pub(in crate::service) async fn withdraw(&self, ctx: &Ctx<'_>, id: i64) -> Outcome {
        let community = self.community(ctx)?;
        let offer = self.find_offer(ctx, community, id).await?;
        if !self.may_host(ctx, offer.space).await? {
            return Err(self.refuse(vec![self.t(Msg::NotHost, vec![("space", Arg::code(&offer.space_slug))])]));
        }
        if !offer.is_open(ctx.now) {
            return Err(self.offer_gone(&offer));
        }
        match self
            .withdraw_offer(community, offer.id, WhyWithdrawn::Host, ctx.now)
            .await?
        {
            WithdrawOutcome::Withdrawn(Withdrawal { offer, affected }) => Ok(Reply::to_caller().line(self.t(
                Msg::OfferWithdrawnDone,
                view::with(self.offer_args(&offer), vec![("n", Arg::count(affected.len()))]),
            ))),
            WithdrawOutcome::Refused { offer } => Err(self.offer_gone(&offer)),
        }
    }
}
