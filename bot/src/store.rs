//! The `Store` port: all persistence the core needs, in core types. Implemented
//! over sqlx in the `seatmate-storage` crate, for SQLite and PostgreSQL.
//!
//! Every method that changes data does so in one transaction; invariants that
//! concurrency could break are kept by a unique key or inside that transaction.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{
    CommunityId, CommunityName, MemberHandle, MemberId, Note, OfferId, PairingSettings, Platform, RequestId, SeatCount,
    SpaceId, SpaceSlug, Tags, TimeWindow, Zone,
};
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

#[async_trait]
pub trait Store: Send + Sync {
    /// Records that `identity` spoke in `chat` at `now`: creates or refreshes the
    /// member, and their membership of the chat's community if it has one.
    async fn enter(&self, chat: &ChatKey, identity: &Identity, now: DateTime<Utc>) -> StoreResult<Arrival>;

    /// Creates a community bound to `chat` with `creator` as its admin.
    /// `Conflict` when the chat is bound already.
    async fn create_community(
        &self,
        chat: &ChatKey,
        name: &CommunityName,
        zone: Zone,
        creator: MemberId,
        now: DateTime<Utc>,
    ) -> StoreResult<Community>;

    /// `Conflict` when the community has a space with that slug.
    async fn add_space(&self, community: CommunityId, space: &NewSpace, now: DateTime<Utc>) -> StoreResult<Space>;

    /// The community's spaces, by slug.
    async fn spaces(&self, community: CommunityId) -> StoreResult<Vec<Space>>;

    /// Removes a space with its hosts and check-ins. `NotFound` if there is none.
    async fn remove_space(&self, community: CommunityId, slug: &SpaceSlug) -> StoreResult<()>;

    /// The members of the community a handle on `platform` may mean: the one
    /// with that user id, or every one whose username matches ignoring case
    /// (the core decides between them).
    async fn find_members(
        &self,
        community: CommunityId,
        platform: Platform,
        handle: &MemberHandle,
    ) -> StoreResult<Vec<MemberCard>>;

    /// The usernames on `platform` of the community's members (for suggestions).
    async fn usernames(&self, community: CommunityId, platform: Platform) -> StoreResult<Vec<String>>;

    /// Makes `member` a host of `space` or not; says whether anything changed.
    async fn set_host(&self, space: SpaceId, member: MemberId, host: bool) -> StoreResult<bool>;

    /// The hosts of every space of the community.
    async fn hosts(&self, community: CommunityId) -> StoreResult<Vec<(SpaceId, MemberCard)>>;

    async fn profile(&self, member: MemberId) -> StoreResult<Profile>;

    async fn update_profile(&self, member: MemberId, change: &ProfileChange) -> StoreResult<Profile>;

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

    /// The chats bound to the community, on every platform.
    async fn community_chats(&self, community: CommunityId) -> StoreResult<Vec<ChatKey>>;

    /// A member's card (every platform identity) and profile.
    async fn contact(&self, member: MemberId) -> StoreResult<MemberContact>;

    /// Whether the member hosts the space.
    async fn is_host(&self, space: SpaceId, member: MemberId) -> StoreResult<bool>;

    // ----- seats -----

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
    /// overbooked. Returns `Requested` or `NotAdmitted`; `None` when the
    /// community has no such offer.
    async fn request_seat(
        &self,
        community: CommunityId,
        offer: OfferId,
        member: MemberId,
        now: DateTime<Utc>,
        admit: Admit<'_>,
        notices: Notices<'_>,
    ) -> StoreResult<Option<SeatEvent>>;

    /// Cancels the member's active request; a freed seat goes to the first on
    /// the waitlist. Returns `Cancelled` or `Refused`.
    async fn cancel_request(
        &self,
        community: CommunityId,
        request: RequestId,
        member: MemberId,
        now: DateTime<Utc>,
        notices: Notices<'_>,
    ) -> StoreResult<SeatEvent>;

    /// Approves (a seat if one is left, else the waitlist) or declines a pending
    /// request. Returns `Decided` or `Refused`.
    async fn decide_request(
        &self,
        community: CommunityId,
        request: RequestId,
        approve: bool,
        reason: Option<String>,
        now: DateTime<Utc>,
        notices: Notices<'_>,
    ) -> StoreResult<SeatEvent>;

    /// Withdraws an offer; its active requests become `Withdrawn`. Returns
    /// `Withdrawn` or `Refused`.
    async fn withdraw_offer(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        notices: Notices<'_>,
    ) -> StoreResult<SeatEvent>;

    // ----- outbox -----

    /// Writes messages to the outbox on their own (most are written by the
    /// change that causes them).
    async fn enqueue(&self, messages: &[Outgoing], now: DateTime<Utc>) -> StoreResult<()>;

    /// Claims up to `limit` due messages of `platform` until `lease_until`; a
    /// claim whose lease ran out (a crashed worker) can be claimed again.
    async fn claim_outbox(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<Envelope>>;

    /// Records how an attempt ended. A `Held` message's nudge is written only
    /// when no other message of that member on that platform is held already:
    /// one nudge per wait, however many messages wait.
    async fn record_delivery(&self, id: i64, record: &DeliveryRecord, now: DateTime<Utc>) -> StoreResult<()>;

    /// The member opened a private chat with the bot on `platform`: their held
    /// messages there are due again. Says how many.
    async fn release_held(&self, member: MemberId, platform: Platform, now: DateTime<Utc>) -> StoreResult<u32>;

    /// Hands over the member's held messages (on every platform), oldest
    /// first, and records them as delivered: `/inbox` shows them.
    async fn take_held(&self, member: MemberId, now: DateTime<Utc>) -> StoreResult<Vec<Body>>;

    // ----- pairing -----

    /// Every community (for the scheduler).
    async fn communities(&self) -> StoreResult<Vec<Community>>;

    async fn community(&self, community: CommunityId) -> StoreResult<Option<Community>>;

    /// The language of the community's replies, help and notices.
    async fn set_locale(&self, community: CommunityId, locale: crate::Locale) -> StoreResult<()>;

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

// ----- seats ----------------------------------------------------------------------

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
}

impl RequestState {
    pub const ALL: [RequestState; 6] = [
        RequestState::Confirmed,
        RequestState::Waitlisted,
        RequestState::Pending,
        RequestState::Cancelled,
        RequestState::Declined,
        RequestState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Confirmed => "confirmed",
            RequestState::Waitlisted => "waitlisted",
            RequestState::Pending => "pending",
            RequestState::Cancelled => "cancelled",
            RequestState::Declined => "declined",
            RequestState::Withdrawn => "withdrawn",
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
    pub id: RequestId,
    pub offer: OfferId,
    pub member: MemberId,
    pub state: RequestState,
    /// Place on the waitlist (1 is next), for waitlisted requests.
    pub position: Option<u32>,
    pub requested_at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// A member with their profile, as seat notices and host lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberContact {
    pub card: MemberCard,
    pub profile: Profile,
}

/// What a seat change did; the core renders notices from it inside the same
/// transaction (see [`Notices`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeatEvent {
    /// A request was placed (confirmed, waitlisted or pending); `offer` has
    /// the counts after it, `profile` is the requester's.
    Requested {
        offer: Offer,
        request: SeatRequest,
        profile: Profile,
    },
    /// `admit` refused the request; nothing was written.
    NotAdmitted {
        offer: Offer,
        request: Option<SeatRequest>,
        refusal: Refusal,
    },
    /// A request was cancelled; `promoted` got the freed seat.
    Cancelled {
        offer: Offer,
        request: SeatRequest,
        promoted: Option<(SeatRequest, MemberContact)>,
    },
    /// A host approved (confirmed or waitlisted) or declined a pending request.
    Decided {
        offer: Offer,
        request: SeatRequest,
        requester: MemberContact,
    },
    /// The offer was withdrawn; these requests were active.
    Withdrawn {
        offer: Offer,
        affected: Vec<(SeatRequest, MemberContact)>,
    },
    /// The offer is withdrawn or over, or the request is not in the state the
    /// change needs; nothing was changed.
    Refused { offer: Offer, request: Option<SeatRequest> },
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

/// Renders the notices a seat change sends. Called inside the store's
/// transaction, after the change, so the outbox rows commit with it.
pub type Notices<'a> = &'a (dyn Fn(&SeatEvent) -> Vec<Outgoing> + Send + Sync);

// ----- outbox -----------------------------------------------------------------------

/// Where the core wants a message to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A chat: an announcement, or a mention standing in for a private message.
    Chat { platform: Platform, chat_id: String },
    /// A member, privately. The store addresses it, as it writes it, to the
    /// platform identity the member used last, with a chat of the community on
    /// that platform to fall back to.
    Member(MemberId),
    /// Whoever has power over the space's offers when the message is written:
    /// its hosts, or the community's recorded admins when it has none. Each
    /// gets the message privately.
    Keepers(SpaceId),
}

/// A message to send later, written with the change that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub community: CommunityId,
    pub target: Target,
    pub body: Body,
}

impl Outgoing {
    pub fn new(community: CommunityId, target: Target, body: impl Into<Body>) -> Self {
        Outgoing {
            community,
            target,
            body: body.into(),
        }
    }
}

/// Whom an outbox message is addressed to on its platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Chat(String),
    /// A person, privately: their user id on the platform.
    Member(String),
}

/// An outbox message claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub id: i64,
    pub community: CommunityId,
    pub platform: Platform,
    pub recipient: Recipient,
    /// For a private message: the member, their name, and the chat of the
    /// community where they are nudged (never shown the message) if the
    /// platform refuses it.
    pub member: Option<MemberId>,
    pub member_name: Option<String>,
    pub member_username: Option<String>,
    pub fallback_chat: Option<String>,
    /// Rendered by the delivery loop in the community's language.
    pub body: Body,
    /// Attempts so far, this one included.
    pub attempts: u32,
}

/// How a delivery attempt ended, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryRecord {
    Sent {
        message_id: Option<String>,
    },
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// Given back unsent, due again at `at` (a rate limit, a shutdown); not
    /// counted as an attempt.
    Released {
        at: DateTime<Utc>,
    },
    /// A private message the platform refused: held for the member, never
    /// shown to anyone else; `nudge` (content-free) goes to a chat of the
    /// community in the same transaction.
    Held {
        error: String,
        nudge: Option<Outgoing>,
    },
    /// Never deliverable (a chat that is gone); kept with its error.
    Dead {
        error: String,
    },
}

// ----- pairing ------------------------------------------------------------------------

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
