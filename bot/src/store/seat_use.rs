//! Seats that are used: claiming a seat, and releasing the ones nobody
//! claimed (the rule is `rules::release`; the store applies it under the
//! offer's lock).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::{CommunityId, MemberId, OfferId, RequestId, SpaceId};
use crate::rules::reminders::Reminder;

#[async_trait]
pub trait SeatUse: Send + Sync {
    /// Sets the space's `release_after` (`None`: off) and that of its
    /// offers not begun at `now`. `NotFound` if the community has no such
    /// space.
    async fn set_release_after(
        &self,
        community: CommunityId,
        space: SpaceId,
        minutes: Option<u32>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Claims the member's seats at `space` on `date` that `claims` (the
    /// core's rule) accepts, each under its offer's lock. Returns every
    /// seat the member held or lost there that day (confirmed or
    /// released), as it stands after.
    async fn claim_seats(
        &self,
        community: CommunityId,
        member: MemberId,
        space: SpaceId,
        date: NaiveDate,
        now: DateTime<Utc>,
        claims: Claims<'_>,
    ) -> StoreResult<Vec<(SeatRequest, Offer)>>;

    /// Confirmed seats nobody has claimed on offers begun by `now`, not
    /// over, not withdrawn, with a release rule, whose holders have not
    /// checked in at the space that day; with their community. Read
    /// without a lock: [`SeatUse::release_seats`] decides again under it.
    async fn unclaimed_seats(&self, now: DateTime<Utc>) -> StoreResult<Vec<(CommunityId, Offer, Vec<SeatRequest>)>>;

    /// Under the offer's lock: releases each unclaimed seat (holder not
    /// checked in) that `due` says is due, gives the freed seats to the
    /// waitlist in order, and writes the notices. `None` when nothing was
    /// due (a check-in came first, the offer was withdrawn…).
    async fn release_seats(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        due: Due<'_>,
        notices: Notices<'_, Release>,
    ) -> StoreResult<Option<Release>>;

    /// Confirmed seats on offers not withdrawn, not over at `now`, that
    /// begin by `until`, still owed a reminder (the evening one, or the late
    /// one where seats are released and this one is unclaimed), whose
    /// holder wants reminders, is not the offer's host and has not checked
    /// in at the space that day; with their community.
    async fn seats_to_remind(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<(CommunityId, Offer, SeatRequest)>>;

    /// Stamps the seat as reminded and queues `notice` in one transaction,
    /// unless it was stamped already or is no longer a confirmed seat (for
    /// the late one: unclaimed); says whether it queued.
    async fn remind(
        &self,
        request: RequestId,
        kind: Reminder,
        now: DateTime<Utc>,
        notice: &Outgoing,
    ) -> StoreResult<bool>;

    /// Notes that the holder of a confirmed seat is coming; `false` when the
    /// request holds no seat.
    async fn mark_coming(&self, request: RequestId, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Whether the member wants seat reminders (they do unless they said not).
    async fn seat_reminders(&self, member: MemberId) -> StoreResult<bool>;

    async fn set_seat_reminders(&self, member: MemberId, on: bool) -> StoreResult<()>;

    /// Offers with seats freed (given back or released with nobody
    /// waiting) and not yet announced, with each freeing.
    async fn freed_seats(&self) -> StoreResult<Vec<FreedSeats>>;

    /// Under the offer's lock: forgets its freeings up to id `upto` and
    /// queues what `line` writes for the offer as it stands now (nothing:
    /// no line), stamping the offer's last line when there is one. Says
    /// whether a line was queued.
    async fn announce_freed(
        &self,
        community: CommunityId,
        offer: OfferId,
        upto: i64,
        now: DateTime<Utc>,
        line: Notices<'_, Offer>,
    ) -> StoreResult<bool>;
}

/// An offer's seats freed and not yet announced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreedSeats {
    pub community: CommunityId,
    pub offer: Offer,
    /// When its last freed-seats line was queued.
    pub last_line: Option<DateTime<Utc>>,
    /// Each freeing: its id, how many seats, when.
    pub freed: Vec<(i64, u32, DateTime<Utc>)>,
}

/// Whether a check-in now claims a seat on this offer.
pub type Claims<'a> = &'a (dyn Fn(&Offer) -> bool + Send + Sync);

/// Whether this unclaimed seat is released now.
pub type Due<'a> = &'a (dyn Fn(&Offer, &SeatRequest) -> bool + Send + Sync);

/// Seats released on one offer, and who moved up into them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// With its counts after.
    pub offer: Offer,
    pub released: Vec<(SeatRequest, MemberContact)>,
    pub promoted: Vec<(SeatRequest, MemberContact)>,
}
