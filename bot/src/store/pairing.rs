//! Daily introductions.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::{CommunityId, MemberId, PairingSettings, SpaceId};

/// Daily introductions: settings, preferences, pools and rounds.
#[async_trait]
pub trait Pairing: Send + Sync {
    async fn pairing_settings(&self, community: CommunityId) -> StoreResult<PairingSettings>;

    async fn set_pairing_settings(&self, community: CommunityId, settings: &PairingSettings) -> StoreResult<()>;

    async fn pairing_prefs(&self, community: CommunityId, member: MemberId) -> StoreResult<PairingPrefs>;

    async fn set_pairing_prefs(
        &self,
        community: CommunityId,
        member: MemberId,
        prefs: &PairingPrefs,
    ) -> StoreResult<()>;

    /// Members to pair on `date`: opted in, not paused that day, and active
    /// in the community since `active_since`; with where they are checked in.
    async fn pairing_pool(
        &self,
        community: CommunityId,
        date: NaiveDate,
        active_since: DateTime<Utc>,
    ) -> StoreResult<Vec<PoolEntry>>;

    /// Pairs placed in the same group by rounds on or after `since`.
    async fn pair_history(&self, community: CommunityId, since: NaiveDate) -> StoreResult<Vec<PastPair>>;

    /// Writes a round and its messages in one transaction, unless the
    /// community has a round for that date already (a unique key decides, so
    /// two processes or a double trigger make one round).
    async fn create_round(&self, round: &NewRound, messages: &[Outgoing]) -> StoreResult<CreateRound>;

    /// The community's round of `date`, with its groups.
    async fn round(&self, community: CommunityId, date: NaiveDate) -> StoreResult<Option<Round>>;

    /// The member's group in their latest round on or before `date` (the
    /// round comes with that group only).
    async fn latest_group(
        &self,
        community: CommunityId,
        member: MemberId,
        date: NaiveDate,
    ) -> StoreResult<Option<(Round, Vec<MemberId>)>>;

    /// Records that the member met their group; says whether it was news.
    async fn mark_met(&self, round: i64, member: MemberId, now: DateTime<Utc>) -> StoreResult<bool>;

    async fn pairing_stats(&self, community: CommunityId) -> StoreResult<PairingStats>;
}

/// A member's part in the daily introductions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairingPrefs {
    pub opted_in: bool,
    /// Paused on dates before this one.
    pub paused_until: Option<NaiveDate>,
}

impl PairingPrefs {
    pub fn is_paused_on(&self, date: NaiveDate) -> bool {
        self.paused_until.is_some_and(|until| date < until)
    }
}

/// A member of a day's pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolEntry {
    pub contact: MemberContact,
    /// Where they are checked in that day.
    pub space: Option<SpaceId>,
    /// That day's check-in note, their focus (empty without one).
    pub focus: crate::domain::Note,
}

#[cfg(test)]
impl PoolEntry {
    /// A member for a unit test's pool: `m<id>`, offering `offers` (as
    /// typed), checked in at `space` with `focus` as the note.
    pub(crate) fn sample(id: i64, offers: &str, space: Option<i64>, focus: &str) -> PoolEntry {
        PoolEntry {
            contact: MemberContact {
                card: crate::reply::MemberCard {
                    id: MemberId(id),
                    display_name: format!("m{id}"),
                    handles: Vec::new(),
                },
                profile: Profile {
                    offers: crate::domain::Tags::parse_list(offers).unwrap_or_default(),
                    ..Profile::default()
                },
            },
            space: space.map(SpaceId),
            focus: crate::domain::Note::parse(focus).unwrap(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PastPair {
    pub a: MemberId,
    pub b: MemberId,
    pub date: NaiveDate,
}

/// Why a round ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundTrigger {
    Schedule,
    PairNow,
}

impl RoundTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundTrigger::Schedule => "schedule",
            RoundTrigger::PairNow => "pairnow",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRound {
    pub community: CommunityId,
    pub local_date: NaiveDate,
    pub seed: u64,
    pub trigger: RoundTrigger,
    pub groups: Vec<Vec<MemberId>>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateRound {
    Created(i64),
    /// The date's round exists already; nothing was written.
    AlreadyRan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: i64,
    pub local_date: NaiveDate,
    pub seed: u64,
    pub groups: Vec<Vec<MemberId>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairingStats {
    pub rounds: u32,
    /// Placements in groups, over all rounds.
    pub placed: u32,
    /// Of those, how many said they met.
    pub met: u32,
}
