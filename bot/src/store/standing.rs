//! Standing offers: a space's availability published once, made into
//! single offers day by day (see `commands::seats::standing`).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::{
    CommunityId, MemberId, Note, OfferId, PairingDays, SeatCount, SpaceId, SpaceSlug, TimeWindow, Zone,
};

#[async_trait]
pub trait StandingOffers: Send + Sync {
    /// Writes a standing offer; its number comes from the offers' own
    /// sequence, so no offer ever has it.
    async fn create_standing_offer(&self, new: &NewStandingOffer) -> StoreResult<i64>;

    /// The standing offers not ended: the community's, or every
    /// community's (`None`, for the scheduler).
    async fn standing_offers(&self, community: Option<CommunityId>) -> StoreResult<Vec<StandingOffer>>;

    /// Ends a standing offer; `false` if the community has no such one
    /// still standing.
    async fn end_standing_offer(&self, community: CommunityId, standing: i64, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Makes the standing offer's single offer for a day (not announced:
    /// see [`StandingOffers::offers_to_announce`]), unless it was made
    /// before (even if withdrawn since) or a one-off offer overlaps it;
    /// then the day is recorded as skipped and, the first time, `on_skip`'s
    /// messages are written with it. Under the space's lock.
    async fn create_standing_day(
        &self,
        standing: i64,
        offer: &NewOffer,
        on_skip: &(dyn Fn(OfferId) -> Vec<Outgoing> + Send + Sync),
    ) -> StoreResult<CreateDay>;

    /// The single offers of a standing offer not withdrawn and not begun at
    /// `now`.
    async fn days_to_come(
        &self,
        community: CommunityId,
        standing: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<OfferId>>;

    /// Single offers of standing offers not yet announced, not withdrawn,
    /// not over at `now`, beginning by `until`; with their community.
    async fn offers_to_announce(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<(CommunityId, Offer)>>;

    /// Writes what `announcements` makes of the offer as it stands, once:
    /// `false` if it was announced already.
    async fn announce_offer(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        announcements: Notices<'_, Offer>,
    ) -> StoreResult<bool>;

    /// The member's standing request at the space, on these days from now
    /// on (one a member and space: a new one replaces the old).
    async fn set_standing_request(
        &self,
        community: CommunityId,
        member: MemberId,
        space: SpaceId,
        days: PairingDays,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Ends the member's standing request at the space; `false` if there
    /// was none.
    async fn end_standing_request(
        &self,
        community: CommunityId,
        member: MemberId,
        space: SpaceId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// The standing requests not ended: a member's, or every one (`None`,
    /// for the scheduler).
    async fn standing_requests(&self, member: Option<MemberId>) -> StoreResult<Vec<StandingRequest>>;

    /// Offers of the request's space not withdrawn and not begun at `now`
    /// on which its member has never had a request (a day they cancelled
    /// is not asked again).
    async fn offers_to_ask(&self, request: &StandingRequest, now: DateTime<Utc>) -> StoreResult<Vec<Offer>>;
}

/// A member's standing request: a seat on every offer of a space on these days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingRequest {
    pub community: CommunityId,
    pub member: MemberId,
    pub space: SpaceId,
    pub space_slug: SpaceSlug,
    pub days: PairingDays,
}

/// A standing offer to write: the core has checked space, host and hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStandingOffer {
    pub community: CommunityId,
    pub space: SpaceId,
    pub host: MemberId,
    pub seats: SeatCount,
    pub days: PairingDays,
    pub window: Option<TimeWindow>,
    pub until: Option<NaiveDate>,
    pub note: Note,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandingOffer {
    /// Its number, in the offers' number space.
    pub id: i64,
    pub community: CommunityId,
    pub space: SpaceId,
    pub space_slug: SpaceSlug,
    pub zone: Zone,
    pub host: MemberId,
    pub seats: SeatCount,
    pub days: PairingDays,
    pub window: Option<TimeWindow>,
    pub until: Option<NaiveDate>,
    pub note: Note,
}

/// How making a standing offer's day ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateDay {
    Created(OfferId),
    /// Made before (it may have been withdrawn since).
    Exists,
    /// A one-off offer overlaps it; `first_time` when the day was not
    /// skipped before.
    Overlaps {
        existing: OfferId,
        first_time: bool,
    },
}
