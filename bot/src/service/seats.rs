//! Seat offers and requests: the Seats2meet core. Hosts offer free seats;
//! members request them; nobody gets a seat that is not there (the store
//! serialises every change per offer). Notices to hosts and members, and the
//! announcements in every chat of the community, are outbox messages written
//! in the same transaction as the change.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Ctx, Failure, Outcome};
use crate::command::{OfferArgs, SeatTarget, SeatsFilter};
use crate::domain::{Note, OfferId, RequestId};
use crate::i18n::{Arg, Msg};
use crate::localtime;
use crate::notice::{self as view, Notice, OfferFacts, RequestFacts};
use crate::reply::{Reply, Span};
use crate::store::{
    Admission, Community, CreateOffer, MemberContact, NewOffer, Offer, Outgoing, Profile, Refusal, RequestState,
    SeatEvent, SeatRequest, Space, Target,
};
use crate::Core;

/// How far ahead an offer may be posted.
pub const MAX_DAYS_AHEAD: i64 = 60;
/// How many offers `/seats` lists.
const SEATS_LISTED: usize = 20;

impl Core {
    // ----- rendering (the views are shared with the notices) ----------------------

    fn date_text(&self, date: NaiveDate) -> String {
        self.locale().date(date)
    }

    /// "Wed 25 Nov, 09:00–17:00" or "Wed 25 Nov, all day".
    fn when(&self, offer: &Offer) -> String {
        view::when(self.tr(), &OfferFacts::of(offer))
    }

    fn offer_args(&self, offer: &Offer) -> Vec<(&'static str, Arg)> {
        view::offer_args(self.tr(), &OfferFacts::of(offer))
    }

    fn with(&self, args: Vec<(&'static str, Arg)>, more: Vec<(&'static str, Arg)>) -> Vec<(&'static str, Arg)> {
        view::with(args, more)
    }

    fn offers_of(&self, contact: &MemberContact) -> Arg {
        view::helps_with(self.tr(), &contact.profile.offers.to_string())
    }

    /// Where a request stands, in a few words, as its host reads it.
    fn standing_for_host(&self, request: &SeatRequest) -> Vec<Span> {
        view::standing_for_host(self.tr(), &RequestFacts::of(request))
    }

    /// Where a request stands, in a few words, as its requester reads it.
    fn standing(&self, request: &SeatRequest) -> Vec<Span> {
        view::standing(self.tr(), &RequestFacts::of(request))
    }

    fn offer_gone(&self, offer: &Offer) -> Failure {
        let msg = if offer.withdrawn {
            Msg::OfferWithdrawn
        } else {
            Msg::OfferEnded
        };
        self.refuse(vec![self.t(msg, self.offer_args(offer)), self.t(Msg::SeeSeats, vec![])])
    }

    // ----- lookups -------------------------------------------------------------------

    /// Power over a space's offers comes from hosting it (or being an admin)
    /// at the moment of the action, never from having posted the offer.
    async fn may_host(&self, ctx: &Ctx<'_>, space: crate::domain::SpaceId) -> Result<bool, Failure> {
        Ok(ctx.recorded_admin || self.store.is_host(space, ctx.member).await? || self.is_admin(ctx).await?)
    }

    async fn find_offer(&self, community: &Community, id: i64) -> Result<Offer, Failure> {
        match self.store.offer(community.id, OfferId(id)).await? {
            Some(offer) => Ok(offer),
            None => Err(self.refuse(vec![
                self.t(Msg::NoSuchOffer, vec![("offer", Arg::code(format!("#{id}")))]),
                self.t(Msg::SeeSeats, vec![]),
            ])),
        }
    }

    async fn find_request(&self, community: &Community, id: i64) -> Result<(SeatRequest, Offer), Failure> {
        match self.store.request(community.id, RequestId(id)).await? {
            Some(found) => Ok(found),
            None => Err(self.refuse(vec![
                self.t(Msg::NoSuchRequest, vec![("request", Arg::code(format!("#{id}")))]),
                self.t(Msg::SeeMySeats, vec![]),
            ])),
        }
    }

    /// The one offer meant by "space [date]", or a refusal that says why not.
    async fn offer_at(&self, ctx: &Ctx<'_>, community: &Community, target: SeatTarget) -> Result<Offer, Failure> {
        let (slug, date) = match target {
            SeatTarget::Id(id) => return self.find_offer(community, id).await,
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
                let choices = offers
                    .iter()
                    .map(|o| format!("#{} ({})", o.id, self.when(o)))
                    .collect::<Vec<_>>()
                    .join(", ");
                Err(self.refuse(vec![self.t(
                    Msg::SeveralOffers,
                    vec![
                        ("space", Arg::code(&space.slug)),
                        ("choices", Arg::text(choices)),
                        ("example", Arg::code(format!("/request {}", offers[0].id))),
                    ],
                )]))
            }
        }
    }

    // ----- commands ------------------------------------------------------------------

    pub(super) async fn offer(&self, ctx: &Ctx<'_>, args: OfferArgs) -> Outcome {
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
        let date = args.date.map_or(today, |d| d.resolve(today));
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
            let notice = Notice::Announcement {
                offer: OfferFacts::of(&offer),
                host: host.clone(),
                note: offer.note.to_string(),
            };
            chats
                .iter()
                .map(|chat| {
                    let target = Target::Chat {
                        platform: chat.platform,
                        chat_id: chat.chat_id.clone(),
                    };
                    Outgoing::new(community.id, target, notice.clone())
                })
                .collect()
        };
        match self.store.create_offer(&new, &announce).await? {
            CreateOffer::Created(id) => {
                let offer = self.find_offer(community, id.0).await?;
                Ok(Reply::to_caller().line(self.t(
                    Msg::OfferPosted,
                    self.with(self.offer_args(&offer), vec![("chats", Arg::count(chats.len()))]),
                )))
            }
            CreateOffer::Overlaps(existing) => {
                let existing = self.find_offer(community, existing.0).await?;
                Err(self.refuse(vec![
                    self.t(Msg::OfferOverlaps, self.offer_args(&existing)),
                    self.t(Msg::OfferOverlapsHint, vec![("offer", Arg::code(existing.id))]),
                ]))
            }
        }
    }

    pub(super) async fn seats(&self, ctx: &Ctx<'_>, filter: Option<SeatsFilter>) -> Outcome {
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

    pub(super) async fn request(&self, ctx: &Ctx<'_>, target: SeatTarget) -> Outcome {
        let community = self.community(ctx)?;
        // By number (as the "Request a seat" button sends it) the offer is read
        // only inside the request's transaction; by space, it is found first.
        let offer_id = match target {
            SeatTarget::Id(id) => OfferId(id),
            target => self.offer_at(ctx, community, target).await?.id,
        };
        let now = ctx.now;
        let me = ctx.card();
        let admit = |offer: &Offer, existing: Option<&SeatRequest>, profile: &Profile| -> Admission {
            if !offer.is_open(now) {
                Admission::Refuse(Refusal::OfferClosed)
            } else if existing.is_some_and(|r| r.state.is_active()) {
                Admission::Refuse(Refusal::AlreadyRequested)
            } else if offer.open_profile_required && profile.offers.is_empty() {
                Admission::Refuse(Refusal::ProfileRequired)
            } else if offer.needs_approval {
                Admission::Place(RequestState::Pending)
            } else if offer.confirmed < offer.seats {
                Admission::Place(RequestState::Confirmed)
            } else {
                Admission::Place(RequestState::Waitlisted)
            }
        };
        let notices = |event: &SeatEvent| -> Vec<Outgoing> {
            let SeatEvent::Requested {
                offer,
                request,
                profile,
            } = event
            else {
                return Vec::new();
            };
            let notice = Notice::NewRequest {
                offer: OfferFacts::of(offer),
                request: RequestFacts::of(request),
                requester: me.clone(),
                requester_offers: profile.offers.to_string(),
            };
            // Whoever keeps the space when this is written: its hosts, else its admins.
            vec![Outgoing::new(community.id, Target::Keepers(offer.space), notice)]
        };
        let event = self
            .store
            .request_seat(community.id, offer_id, ctx.member, now, &admit, &notices)
            .await?;
        match event {
            None => Err(self.refuse(vec![
                self.t(Msg::NoSuchOffer, vec![("offer", Arg::code(format!("#{offer_id}")))]),
                self.t(Msg::SeeSeats, vec![]),
            ])),
            Some(SeatEvent::Requested { offer, request, .. }) => {
                let msg = match request.state {
                    RequestState::Confirmed => Msg::RequestConfirmed,
                    RequestState::Waitlisted => Msg::RequestWaitlisted,
                    _ => Msg::RequestPending,
                };
                Ok(Reply::to_caller().line(self.t(
                    msg,
                    self.with(
                        self.offer_args(&offer),
                        vec![
                            ("request", Arg::code(format!("#{}", request.id))),
                            ("position", Arg::count(request.position.unwrap_or(1))),
                            ("cancel", Arg::code(format!("/cancel {}", request.id))),
                        ],
                    ),
                )))
            }
            Some(SeatEvent::NotAdmitted {
                offer,
                request,
                refusal,
            }) => Err(match (refusal, request) {
                (Refusal::AlreadyRequested, Some(request)) => self.refuse(vec![self.t(
                    Msg::AlreadyRequested,
                    self.with(
                        self.offer_args(&offer),
                        vec![
                            ("request", Arg::code(format!("#{}", request.id))),
                            ("standing", Arg::Spans(self.standing(&request))),
                        ],
                    ),
                )]),
                (Refusal::ProfileRequired, _) => self.refuse(vec![
                    self.t(Msg::OpenProfileRequired, vec![("space", Arg::code(&offer.space_slug))]),
                    self.t(
                        Msg::OpenProfileHint,
                        vec![("example", Arg::code("/profile offers rust, pitch decks"))],
                    ),
                ]),
                _ => self.offer_gone(&offer),
            }),
            Some(other) => {
                tracing::error!(?other, "unexpected outcome of a seat request");
                Err(self.refuse(vec![self.t(Msg::SeeSeats, vec![])]))
            }
        }
    }

    pub(super) async fn cancel(&self, ctx: &Ctx<'_>, target: SeatTarget) -> Outcome {
        let community = self.community(ctx)?;
        let (request, offer) = match target {
            SeatTarget::Id(id) => self.find_request(community, id).await?,
            SeatTarget::Space { space, date } => {
                let spaces = self.store.spaces(community.id).await?;
                let space = self.find_space(&spaces, &space)?;
                let day = date.map(|d| d.resolve(localtime::local_date(ctx.now, space.zone.0)));
                let mut mine: Vec<(SeatRequest, Offer)> = self
                    .store
                    .member_requests(community.id, ctx.member, ctx.now)
                    .await?
                    .into_iter()
                    .filter(|(r, o)| {
                        r.state.is_active() && o.space == space.id && day.is_none_or(|d| o.local_date == d)
                    })
                    .collect();
                match mine.len() {
                    1 => mine.remove(0),
                    0 => {
                        return Err(self.refuse(vec![
                            self.t(Msg::NothingToCancel, vec![("space", Arg::code(&space.slug))]),
                            self.t(Msg::SeeMySeats, vec![]),
                        ]))
                    }
                    _ => {
                        let choices = mine
                            .iter()
                            .map(|(r, o)| format!("#{} ({})", r.id, self.when(o)))
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Err(self.refuse(vec![self.t(
                            Msg::SeveralRequests,
                            vec![
                                ("choices", Arg::text(choices)),
                                ("example", Arg::code(format!("/cancel {}", mine[0].0.id))),
                            ],
                        )]));
                    }
                }
            }
        };
        if request.member != ctx.member {
            return Err(self.refuse(vec![self.t(
                Msg::NotYourRequest,
                vec![("request", Arg::code(format!("#{}", request.id)))],
            )]));
        }
        if !request.state.is_active() || !offer.is_open(ctx.now) {
            return Err(self.refuse(vec![self.t(
                Msg::CannotCancel,
                vec![
                    ("request", Arg::code(format!("#{}", request.id))),
                    ("standing", Arg::Spans(self.standing(&request))),
                ],
            )]));
        }
        let me = ctx.card();
        let notices = |event: &SeatEvent| -> Vec<Outgoing> {
            let SeatEvent::Cancelled {
                offer,
                request,
                promoted,
            } = event
            else {
                return Vec::new();
            };
            let offer_facts = OfferFacts::of(offer);
            let mut out = Vec::new();
            if let Some((promoted_request, _)) = promoted {
                let notice = Notice::Promoted {
                    offer: offer_facts.clone(),
                    request: RequestFacts::of(promoted_request),
                };
                out.push(Outgoing::new(
                    community.id,
                    Target::Member(promoted_request.member),
                    notice,
                ));
            }
            let notice = Notice::Cancelled {
                offer: offer_facts,
                request: RequestFacts::of(request),
                who: me.clone(),
                promoted: promoted.as_ref().map(|(_, contact)| contact.card.clone()),
            };
            out.push(Outgoing::new(community.id, Target::Keepers(offer.space), notice));
            out
        };
        match self
            .store
            .cancel_request(community.id, request.id, ctx.member, ctx.now, &notices)
            .await?
        {
            SeatEvent::Cancelled { offer, request, .. } => Ok(Reply::to_caller().line(self.t(
                Msg::Cancelled,
                self.with(
                    self.offer_args(&offer),
                    vec![("request", Arg::code(format!("#{}", request.id)))],
                ),
            ))),
            SeatEvent::Refused { offer, request } => Err(self.refuse(vec![self.t(
                Msg::CannotCancel,
                vec![
                    (
                        "request",
                        Arg::code(format!("#{}", request.as_ref().map_or(0, |r| r.id.0))),
                    ),
                    (
                        "standing",
                        Arg::Spans(request.as_ref().map_or_else(
                            || self.t(Msg::OfferEnded, self.offer_args(&offer)),
                            |r| self.standing(r),
                        )),
                    ),
                ],
            )])),
            other => {
                tracing::error!(?other, "unexpected outcome of a cancel");
                Err(self.offer_gone(&offer))
            }
        }
    }

    pub(super) async fn my_seats(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        let mine = self.store.member_requests(community.id, ctx.member, ctx.now).await?;
        if mine.is_empty() {
            return Ok(Reply::to_caller()
                .line(self.t(Msg::NoSeatsYet, vec![]))
                .line(self.t(Msg::SeeSeats, vec![])));
        }
        let mut reply = Reply::to_caller().line(self.t(Msg::MySeatsTitle, vec![]));
        for (request, offer) in &mine {
            reply.push_item(self.t(
                Msg::MySeatLine,
                self.with(
                    self.offer_args(offer),
                    vec![
                        ("request", Arg::code(format!("#{}", request.id))),
                        ("standing", Arg::Spans(self.standing(request))),
                    ],
                ),
            ));
        }
        Ok(reply)
    }

    pub(super) async fn host_offers(&self, ctx: &Ctx<'_>) -> Outcome {
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
                        ("request", Arg::code(format!("#{}", request.id))),
                        ("standing", Arg::Spans(self.standing_for_host(request))),
                        ("offers", self.offers_of(contact)),
                    ],
                );
                if request.state == RequestState::Pending {
                    line.extend(view::approve_hint(self.tr(), request.id.0));
                }
                reply.push_item(line);
            }
        }
        Ok(reply)
    }

    /// Withdraws an offer, telling everyone who held a seat or waited.
    async fn withdraw_offer(
        &self,
        community: &Community,
        offer: OfferId,
        now: DateTime<Utc>,
    ) -> crate::store::StoreResult<SeatEvent> {
        let notices = |event: &SeatEvent| -> Vec<Outgoing> {
            let SeatEvent::Withdrawn { offer, affected } = event else {
                return Vec::new();
            };
            let notice = Notice::Withdrawn {
                offer: OfferFacts::of(offer),
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
    pub(super) async fn withdraw_space_offers(
        &self,
        community: &Community,
        space: crate::domain::SpaceId,
        now: DateTime<Utc>,
    ) -> crate::store::StoreResult<usize> {
        let mut told = 0;
        for offer in self.store.open_offers(community.id, now).await? {
            if offer.space == space {
                if let SeatEvent::Withdrawn { affected, .. } = self.withdraw_offer(community, offer.id, now).await? {
                    told += affected.len();
                }
            }
        }
        Ok(told)
    }

    pub(super) async fn withdraw(&self, ctx: &Ctx<'_>, id: i64) -> Outcome {
        let community = self.community(ctx)?;
        let offer = self.find_offer(community, id).await?;
        if !self.may_host(ctx, offer.space).await? {
            return Err(self.refuse(vec![self.t(Msg::NotHost, vec![("space", Arg::code(&offer.space_slug))])]));
        }
        if !offer.is_open(ctx.now) {
            return Err(self.offer_gone(&offer));
        }
        match self.withdraw_offer(community, offer.id, ctx.now).await? {
            SeatEvent::Withdrawn { offer, affected } => Ok(Reply::to_caller().line(self.t(
                Msg::OfferWithdrawnDone,
                self.with(self.offer_args(&offer), vec![("n", Arg::count(affected.len()))]),
            ))),
            SeatEvent::Refused { offer, .. } => Err(self.offer_gone(&offer)),
            other => {
                tracing::error!(?other, "unexpected outcome of a withdrawal");
                Err(self.offer_gone(&offer))
            }
        }
    }

    pub(super) async fn decide(&self, ctx: &Ctx<'_>, id: i64, approve: bool, reason: Option<Note>) -> Outcome {
        let community = self.community(ctx)?;
        let (request, offer) = self.find_request(community, id).await?;
        if !self.may_host(ctx, offer.space).await? {
            return Err(self.refuse(vec![self.t(Msg::NotHost, vec![("space", Arg::code(&offer.space_slug))])]));
        }
        if request.state != RequestState::Pending {
            return Err(self.refuse(vec![self.t(
                Msg::NotPending,
                vec![
                    ("request", Arg::code(format!("#{}", request.id))),
                    ("standing", Arg::Spans(self.standing_for_host(&request))),
                ],
            )]));
        }
        if !offer.is_open(ctx.now) {
            return Err(self.offer_gone(&offer));
        }
        let notices = |event: &SeatEvent| -> Vec<Outgoing> {
            let SeatEvent::Decided { offer, request, .. } = event else {
                return Vec::new();
            };
            let notice = Notice::Decided {
                offer: OfferFacts::of(offer),
                request: RequestFacts::of(request),
            };
            vec![Outgoing::new(community.id, Target::Member(request.member), notice)]
        };
        let reason = reason.map(|r| r.as_str().to_string()).filter(|r| !r.is_empty());
        match self
            .store
            .decide_request(community.id, request.id, approve, reason, ctx.now, &notices)
            .await?
        {
            SeatEvent::Decided {
                offer,
                request,
                requester,
            } => Ok(Reply::to_caller().line(self.t(
                Msg::DecisionDone,
                self.with(
                    self.offer_args(&offer),
                    vec![
                        ("request", Arg::code(format!("#{}", request.id))),
                        ("who", Arg::Member(requester.card)),
                        ("standing", Arg::Spans(self.standing_for_host(&request))),
                    ],
                ),
            ))),
            SeatEvent::Refused { offer, request } => Err(self.refuse(vec![self.t(
                Msg::NotPending,
                vec![
                    ("request", Arg::code(format!("#{id}"))),
                    (
                        "standing",
                        Arg::Spans(request.map_or_else(
                            || self.t(Msg::OfferEnded, self.offer_args(&offer)),
                            |r| self.standing_for_host(&r),
                        )),
                    ),
                ],
            )])),
            other => {
                tracing::error!(?other, "unexpected outcome of a decision");
                Err(self.offer_gone(&offer))
            }
        }
    }
}
