//! The `Store` port: all persistence the core needs, in core types, split by
//! concern (identities, spaces, check-ins, seats, the outbox, pairing); `Store`
//! is all of them. Implemented over sqlx in the `seatmate-storage` crate, for
//! SQLite and PostgreSQL.
//!
//! Every method that changes data does so in one transaction; invariants that
//! concurrency could break are kept by a unique key or inside that transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    CommunityId, CommunityName, MemberHandle, MemberId, Note, Platform, SpaceId, SpaceSlug, Tags, Zone,
};
pub use crate::limits::SendLedger;
pub use crate::notice::Body;
use crate::reply::MemberCard;

/// What can go wrong in the store, as the core sees it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique key or a rule of the data refused the change; the text says which.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Another community has the name (names are unique, ignoring case).
    #[error("a community has that name")]
    NameTaken,
    /// The database cannot be reached now (a network fault, a server that
    /// is down, no connection free in time); nothing was changed.
    #[error("cannot reach the database: {0}")]
    Unreachable(String),
    /// The database refuses writes now (a full disk, a read-only file or
    /// server); nothing was changed.
    #[error("the database refuses writes: {0}")]
    RefusesWrites(String),
    #[error("storage failure: {0}")]
    Other(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A chat on a platform: the key a community is bound by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatKey {
    pub platform: Platform,
    pub chat_id: String,
    /// A one-to-one chat with the bot, which belongs to no community by itself.
    pub private: bool,
}

/// A person as one platform sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub platform: Platform,
    pub user_id: String,
    pub display_name: String,
    pub username: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Community {
    pub id: CommunityId,
    pub name: String,
    pub zone: Zone,
    /// The language it chose; `None` follows the bot's setting.
    pub locale: Option<crate::Locale>,
    /// Whether a reply to one member alone is in the community's language
    /// too (`/settings language nl all`); else it is in the member's own,
    /// where their app says which.
    pub locale_for_all: bool,
}

/// The caller, as the store knows them after a message arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub member: MemberId,
    /// The community of the chat; for a private chat, the member's only community.
    pub community: Option<Community>,
    /// Recorded as an admin of that community (the creator, for instance).
    pub is_admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSpace {
    pub slug: SpaceSlug,
    pub zone: Zone,
    pub capacity: Option<u32>,
    pub needs_approval: bool,
    pub open_profile_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Space {
    pub id: SpaceId,
    pub slug: SpaceSlug,
    pub zone: Zone,
    pub capacity: Option<u32>,
    /// Seat requests wait for a host's approval.
    pub needs_approval: bool,
    /// The price of a seat is openness: requesters must say what they can help with.
    pub open_profile_required: bool,
    /// Minutes after an offer's hours begin that an unclaimed seat is
    /// released (`None`: never); see `rules::release`.
    pub release_after: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub offers: Tags,
    pub wants: Tags,
    pub about: Note,
}

/// One change to a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileChange {
    Offers(Tags),
    Wants(Tags),
    About(Note),
}

/// A check-in to write: one per member, community and local date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCheckin {
    pub community: CommunityId,
    pub member: MemberId,
    /// `None` for a remote check-in.
    pub space: Option<SpaceId>,
    pub local_date: NaiveDate,
    pub now: DateTime<Utc>,
    /// The "until" the member gave, if any.
    pub until: Option<DateTime<Utc>>,
    /// When it stops counting: `until`, or the end of the local day.
    pub ends_at: DateTime<Utc>,
    /// Empty keeps the note of an earlier check-in that day.
    pub note: Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinOutcome {
    New,
    /// The member had checked in that day already; the check-in was updated.
    Updated,
}

/// A member who is checked in now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub member: MemberCard,
    pub profile: Profile,
    pub space: Option<SpaceId>,
    pub note: Note,
    pub checked_in_at: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
}

mod accounts;
mod health;
mod inbox;
mod outbox;
mod pairing;
mod questions;
mod reports;
mod seat_use;
mod seats;
mod standing;

pub use accounts::*;
pub use health::*;
pub use inbox::*;
pub use outbox::*;
pub use pairing::*;
pub use questions::*;
pub use reports::*;
pub use seat_use::*;
pub use seats::*;
pub use standing::*;

/// Declares `Store` as every port at once, its blanket impl, and `ports`,
/// from one list: a port added here is part of all three.
macro_rules! store_is_every_port {
    ($($port:ident),+ $(,)?) => {
        /// Everything the core stores: one value that is every port. Call its
        /// methods with the ports in scope (`use seatmate_bot::store::ports::*`).
        pub trait Store: $($port +)+ {}

        impl<T: $($port +)+> Store for T {}

        /// The port traits, to bring their methods into scope.
        pub mod ports {
            pub use super::{Store, $($port),+};
        }
    };
}

store_is_every_port!(
    Identities,
    Spaces,
    Checkins,
    Seats,
    SeatUse,
    StandingOffers,
    Outbox,
    Inbox,
    Pairing,
    Questions,
    Reports,
    Codes,
    Chats,
    Linking,
    Erasure,
    Retention,
    Health,
    Registrations,
    Leases,
    SendLedger,
);

/// Members, their identities and profiles, and communities.
#[async_trait]
pub trait Identities: Send + Sync {
    /// Records that `identity` spoke in `chat` at `now`: creates or refreshes the
    /// member, and their membership of the chat's community if it has one.
    async fn enter(&self, chat: &ChatKey, identity: &Identity, now: DateTime<Utc>) -> StoreResult<Arrival>;

    /// Creates a community bound to `chat` with `creator` as its admin.
    /// `Conflict` when the chat is bound already; `NameTaken` when another
    /// community has the name.
    async fn create_community(
        &self,
        chat: &ChatKey,
        name: &CommunityName,
        zone: Zone,
        creator: MemberId,
        now: DateTime<Utc>,
    ) -> StoreResult<Community>;

    /// Every community (for the scheduler).
    async fn communities(&self) -> StoreResult<Vec<Community>>;

    async fn community(&self, community: CommunityId) -> StoreResult<Option<Community>>;

    /// The language of the community's replies, help and notices.
    async fn set_locale(&self, community: CommunityId, locale: crate::Locale, for_all: bool) -> StoreResult<()>;

    /// The members of the community a handle on `platform` may mean: the one
    /// with that user id, or every one whose username matches ignoring case
    /// (the core decides between them).
    async fn find_members(
        &self,
        community: CommunityId,
        platform: Platform,
        handle: &MemberHandle,
    ) -> StoreResult<Vec<MemberCard>>;

    async fn profile(&self, member: MemberId) -> StoreResult<Profile>;

    async fn update_profile(&self, member: MemberId, change: &ProfileChange) -> StoreResult<Profile>;

    /// A member's card (every platform identity) and profile.
    async fn contact(&self, member: MemberId) -> StoreResult<MemberContact>;

    /// The communities the member belongs to, the one chosen for private
    /// chats first, then by name.
    async fn member_communities(&self, member: MemberId) -> StoreResult<Vec<Community>>;

    /// The member's private chats act for `community` from now on (when
    /// they belong to several). Says whether they belong to it.
    async fn choose_community(&self, member: MemberId, community: CommunityId, now: DateTime<Utc>)
        -> StoreResult<bool>;
}

/// A community's spaces, hosts and chats.
#[async_trait]
pub trait Spaces: Send + Sync {
    /// `Conflict` when the community has a space with that slug.
    async fn add_space(&self, community: CommunityId, space: &NewSpace, now: DateTime<Utc>) -> StoreResult<Space>;

    /// The community's spaces, by slug.
    async fn spaces(&self, community: CommunityId) -> StoreResult<Vec<Space>>;

    /// Removes a space with its hosts and check-ins. `NotFound` if there is none.
    async fn remove_space(&self, community: CommunityId, slug: &SpaceSlug) -> StoreResult<()>;

    /// Makes `member` a host of `space` or not; says whether anything changed.
    async fn set_host(&self, space: SpaceId, member: MemberId, host: bool) -> StoreResult<bool>;

    /// The hosts of every space of the community.
    async fn hosts(&self, community: CommunityId) -> StoreResult<Vec<(SpaceId, MemberCard)>>;

    /// Whether the member hosts the space.
    async fn is_host(&self, space: SpaceId, member: MemberId) -> StoreResult<bool>;

    /// The chats bound to the community, on every platform.
    async fn community_chats(&self, community: CommunityId) -> StoreResult<Vec<ChatKey>>;

    /// The chat now has another id (a Telegram group upgraded to a
    /// supergroup): its binding, and every message still to go there or to
    /// fall back to it, follow. Says whether the chat was bound.
    async fn move_chat(&self, platform: Platform, from: &str, to: &str) -> StoreResult<bool>;

    /// The bot can no longer post in the chat (removed from it, or it is
    /// gone): it keeps its community but gets no announcements until
    /// resumed. Announcements still to go there are given up (recorded as
    /// dead, as nobody can read them there); private messages that would
    /// fall back to it fall back to another chat of the community on that
    /// platform, if any. Says which community it is bound to, the first time
    /// only (`None` when it is not bound, or paused already).
    async fn pause_chat(
        &self,
        platform: Platform,
        chat_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<CommunityId>>;

    /// The bot is back in a paused chat: announcements go there again. Says
    /// whether it was paused.
    async fn resume_chat(&self, platform: Platform, chat_id: &str) -> StoreResult<bool>;
}

/// Check-ins and who is present.
#[async_trait]
pub trait Checkins: Send + Sync {
    /// Writes today's check-in (replacing place and "until" of an earlier one that
    /// day) and ends any other check-in of the member that is still running.
    async fn check_in(&self, checkin: &NewCheckin) -> StoreResult<CheckinOutcome>;

    /// Ends the member's running check-in; says whether there was one.
    async fn check_out(&self, community: CommunityId, member: MemberId, now: DateTime<Utc>) -> StoreResult<bool>;

    /// Where the member last checked in: `Some(None)` for remote, `None` if never
    /// (or only at spaces since removed).
    async fn last_place(&self, community: CommunityId, member: MemberId) -> StoreResult<Option<Option<SpaceId>>>;

    /// Everyone checked in at `now` (not checked out, not past "until" or the end
    /// of their local day), earliest first.
    async fn present(&self, community: CommunityId, now: DateTime<Utc>) -> StoreResult<Vec<Presence>>;
}
