//! What a place's report reads (`/report`, see `crate::report`): rows as
//! kept, folded into figures by the core.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::{CommunityId, SpaceId};

#[async_trait]
pub trait Reports: Send + Sync {
    /// The rows a report over `scope` counts, from the data kept (what the
    /// retention sweep or `/forgetme` deleted is not there).
    async fn report_rows(&self, scope: &ReportScope) -> StoreResult<ReportRows>;

    /// The weekday the community's digest is posted on; `None`: off.
    async fn digest_day(&self, community: CommunityId) -> StoreResult<Option<chrono::Weekday>>;

    /// The communities whose digest is on, with its weekday (the
    /// scheduler's tick: one query for all).
    async fn digest_days(&self) -> StoreResult<Vec<(CommunityId, chrono::Weekday)>>;

    async fn set_digest_day(&self, community: CommunityId, day: Option<chrono::Weekday>) -> StoreResult<()>;

    /// Whether the digest of `date` was posted.
    async fn digest_posted(&self, community: CommunityId, date: NaiveDate) -> StoreResult<bool>;

    /// Writes the digest of `date` (`messages`, to the community's chats)
    /// once: `false`, and nothing written, when it was posted before.
    async fn post_digest(
        &self,
        community: CommunityId,
        date: NaiveDate,
        messages: &[Outgoing],
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

/// A community, or one of its spaces, over the local dates `from..=to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportScope {
    pub community: CommunityId,
    pub space: Option<SpaceId>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Offers that ended by then are over (their unclaimed seats no-shows).
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRows {
    /// Seats of the offers not withdrawn.
    pub seats_offered: u64,
    pub requests: Vec<RequestTally>,
    /// Everyone who checked in, with their first check-in ever there.
    pub coworkers: Vec<Coworker>,
    /// Every introduction of the community's rounds (pairs and trios).
    pub introductions: Vec<IntroductionTally>,
    pub questions_asked: u64,
    pub questions_answered: u64,
}

/// How many requests on the offers of `date` are in `state`, claimed by a
/// check-in or not, on offers over or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTally {
    pub date: NaiveDate,
    pub state: RequestState,
    pub claimed: bool,
    pub offer_over: bool,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coworker {
    pub first_ever: NaiveDate,
    pub offers: Tags,
    pub wants: Tags,
}

/// One introduction of the round of `date`: `met` when one of them said so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntroductionTally {
    pub date: NaiveDate,
    pub met: bool,
}
