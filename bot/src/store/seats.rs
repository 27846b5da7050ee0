//! Seat offers and requests.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::{CommunityId, MemberId, Note, OfferId, RequestId, SeatCount, SpaceId, SpaceSlug, TimeWindow, Zone};

/// Seat offers and requests; every change serialised per offer.
#[async_trait]
pub trait Seats: Send + Sync {
    /// Writes an offer and its announcements (rendered from its new id), unless
    /// an offer for the same space and date overlaps its window (checked under
    /// the space's lock).
    async fn create_offer(
        &self,
        offer: &NewOffer,
        announcements: &(dyn Fn(OfferId) -> Vec<Outgoing> + Send + Sync),
    ) -> StoreResult<CreateOffer>;

    async fn offer(&self, community: CommunityId, offer: OfferId) -> StoreResult<Option<Offer>>;

    /// Offers not withdrawn whose window has not closed at `now`, soonest first.
    async fn open_offers(&self, community: CommunityId, now: DateTime<Utc>) -> StoreResult<Vec<Offer>>;

    /// A request of the community, with its offer.
    async fn request(&self, community: CommunityId, request: RequestId) -> StoreResult<Option<(SeatRequest, Offer)>>;

    /// The member's requests for offers still open at `now`, soonest first.
    async fn member_requests(
        &self,
        community: CommunityId,
        member: MemberId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(SeatRequest, Offer)>>;

    /// All requests of an offer in queue order, with who asked.
    async fn offer_requests(
        &self,
        community: CommunityId,
        offer: OfferId,
    ) -> StoreResult<Vec<(SeatRequest, MemberContact)>>;

    /// Asks for a seat. Under the offer's lock, reads what a decision needs and
    /// lets `admit` (the core's rules) decide; places the request in the state
    /// it chose, with its notices. Serialised per offer, so seats are never
    /// overbooked. `None` when the community has no such offer.
    async fn request_seat(
        &self,
        community: CommunityId,
        offer: OfferId,
        member: MemberId,
        now: DateTime<Utc>,
        admit: Admit<'_>,
        notices: Notices<'_, Placed>,
    ) -> StoreResult<Option<RequestOutcome>>;

    /// Cancels the member's active request; a freed seat goes to the first on
    /// the waitlist.
    async fn cancel_request(
        &self,
        community: CommunityId,
        request: RequestId,
        member: MemberId,
        now: DateTime<Utc>,
        notices: Notices<'_, Cancellation>,
    ) -> StoreResult<CancelOutcome>;

    /// Approves (a seat if one is left, else the waitlist) or declines a pending
    /// request.
    async fn decide_request(
        &self,
        community: CommunityId,
        request: RequestId,
        approve: bool,
        reason: Option<String>,
        now: DateTime<Utc>,
        notices: Notices<'_, Decision>,
    ) -> StoreResult<DecideOutcome>;

    /// Withdraws an offer; its active requests become `Withdrawn`.
    async fn withdraw_offer(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        notices: Notices<'_, Withdrawal>,
    ) -> StoreResult<WithdrawOutcome>;
}

/// An offer to write: the core has checked the space, host, date and window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOffer {
    pub community: CommunityId,
    pub space: SpaceId,
    pub host: MemberId,
    pub local_date: NaiveDate,
    /// `None` for the whole day.
    pub window: Option<TimeWindow>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub seats: SeatCount,
    pub note: Note,
    /// The space's `release_after` when the offer is made.
    pub release_after: Option<u32>,
    pub now: DateTime<Utc>,
}

/// A seat offer with its current counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: OfferId,
    pub space: SpaceId,
    pub space_slug: SpaceSlug,
    pub zone: Zone,
    pub host: MemberId,
    pub local_date: NaiveDate,
    pub window: Option<TimeWindow>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub seats: u32,
    pub confirmed: u32,
    pub waitlisted: u32,
    pub pending: u32,
    pub note: Note,
    pub withdrawn: bool,
    pub needs_approval: bool,
    pub open_profile_required: bool,
    /// Minutes after its hours begin that an unclaimed seat is released
    /// (`None`: never); see `rules::release`.
    pub release_after: Option<u32>,
}

impl Offer {
    pub fn seats_left(&self) -> u32 {
        self.seats.saturating_sub(self.confirmed)
    }

    /// Still taking requests at `now`.
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        !self.withdrawn && self.ends_at > now
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOffer {
    Created(OfferId),
    /// An offer for the same space and date overlaps this one's window.
    Overlaps(OfferId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestState {
    Confirmed,
    Waitlisted,
    /// Waiting for a host's approval.
    Pending,
    Cancelled,
    Declined,
    /// The offer was withdrawn.
    Withdrawn,
    /// Nobody claimed the seat by its deadline (see `rules::release`).
    Released,
}

impl RequestState {
    pub const ALL: [RequestState; 7] = [
        RequestState::Confirmed,
        RequestState::Waitlisted,
        RequestState::Pending,
        RequestState::Cancelled,
        RequestState::Declined,
        RequestState::Withdrawn,
        RequestState::Released,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Confirmed => "confirmed",
            RequestState::Waitlisted => "waitlisted",
            RequestState::Pending => "pending",
            RequestState::Cancelled => "cancelled",
            RequestState::Declined => "declined",
            RequestState::Withdrawn => "withdrawn",
            RequestState::Released => "released",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// Holding a seat or a place in line.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            RequestState::Confirmed | RequestState::Waitlisted | RequestState::Pending
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatRequest {
    /// The store's key; never shown (members name a request by its offer,
    /// hosts by `number`).
    pub id: RequestId,
    pub offer: OfferId,
    /// Its number on the offer (1, 2…): given once, never given to another
    /// request of that offer, kept when the member asks again.
    pub number: u32,
    pub member: MemberId,
    pub state: RequestState,
    /// Place on the waitlist (1 is next), for waitlisted requests.
    pub position: Option<u32>,
    pub requested_at: DateTime<Utc>,
    /// When a host or the waitlist last changed its state.
    pub decided_at: Option<DateTime<Utc>>,
    /// When its holder claimed the seat (a check-in, "I'm here").
    pub claimed_at: Option<DateTime<Utc>>,
    /// When its holder was reminded the evening before, and when again
    /// as its deadline neared (see `rules::reminders`).
    pub reminded_eve_at: Option<DateTime<Utc>>,
    pub reminded_late_at: Option<DateTime<Utc>>,
    /// When its holder said "I'm coming".
    pub coming_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

/// A member with their profile, as seat notices and host lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberContact {
    pub card: MemberCard,
    pub profile: Profile,
}

/// A request placed (confirmed, waitlisted or pending); `offer` has the
/// counts after it, `profile` is the requester's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub offer: Offer,
    pub request: SeatRequest,
    pub profile: Profile,
}

/// How `request_seat` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestOutcome {
    Placed(Placed),
    /// `admit` refused the request; nothing was written.
    NotAdmitted {
        offer: Offer,
        request: Option<SeatRequest>,
        refusal: Refusal,
    },
}

/// A request cancelled; `promoted` got the freed seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    pub offer: Offer,
    pub request: SeatRequest,
    pub promoted: Option<(SeatRequest, MemberContact)>,
}

/// How `cancel_request` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
// Returned once per command and matched at once: not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum CancelOutcome {
    Cancelled(Cancellation),
    /// The request is not the member's, not active, or its offer is over;
    /// nothing was changed.
    Refused {
        offer: Offer,
        request: Option<SeatRequest>,
    },
}

/// A host approved (confirmed or waitlisted) or declined a pending request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub offer: Offer,
    pub request: SeatRequest,
    pub requester: MemberContact,
}

/// How `decide_request` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideOutcome {
    Decided(Decision),
    /// The request is not pending, or its offer is over; nothing was changed.
    Refused {
        offer: Offer,
        request: Option<SeatRequest>,
    },
}

/// An offer withdrawn; these requests were active.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    pub offer: Offer,
    pub affected: Vec<(SeatRequest, MemberContact)>,
}

/// How `withdraw_offer` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WithdrawOutcome {
    Withdrawn(Withdrawal),
    /// Withdrawn already, or over; nothing was changed.
    Refused {
        offer: Offer,
    },
}

/// The core's decision on a seat request, made under the offer's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Place(RequestState),
    Refuse(Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Withdrawn, or its window has closed.
    OfferClosed,
    /// The member already holds a seat or a place in line.
    AlreadyRequested,
    /// The space asks requesters to say what they can help with.
    ProfileRequired,
}

/// Decides a seat request from the offer (with its counts), the member's
/// existing request for it, and their profile.
pub type Admit<'a> = &'a (dyn Fn(&Offer, Option<&SeatRequest>, &Profile) -> Admission + Send + Sync);

/// The notices a seat change sends, as data (see `crate::notice`): decided
/// inside the store's transaction, after the change, so the outbox rows
/// commit with it; nothing is rendered there.
pub type Notices<'a, Change> = &'a (dyn Fn(&Change) -> Vec<Outgoing> + Send + Sync);
