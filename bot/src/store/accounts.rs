//! Ports for what spans platforms: one-time codes, more chats bound to one
//! community, one member across platforms, and a member's data in their
//! own hands (export, erasure, retention).

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::*;
use crate::codes::{CodeHash, Purpose};

/// Who issued a redeemed code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeOwner {
    pub community: Option<CommunityId>,
    pub member: Option<MemberId>,
}

/// A chat bound to a community, as `/chats` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundChat {
    pub chat: ChatKey,
    pub bound_at: DateTime<Utc>,
    /// The bot can no longer post there (see [`Spaces::pause_chat`]).
    pub paused: bool,
    /// Its title as the platform last showed it (a Telegram group's name).
    pub title: Option<String>,
}

/// How binding a chat to a community ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindOutcome {
    Bound,
    /// The chat belongs to a community already (this one or another).
    AlreadyBound(CommunityId),
}

/// How releasing a chat ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnbindOutcome {
    Unbound,
    /// It is the community's last chat: a community always keeps one.
    LastChat,
    NotBound,
}

/// The notices of a seat given back in a community (when linking frees one).
pub type FreedSeatNotices<'a> = &'a (dyn Fn(CommunityId, &Cancellation) -> Vec<Outgoing> + Send + Sync);

/// What joining two members changed, for the reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkSummary {
    /// Offers both had asked for, of which the better place was kept.
    pub requests_merged: u32,
}

/// Everything Seatmate holds about a member, as `/mydata` exports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberData {
    pub member_id: i64,
    pub display_name: String,
    pub offers: Vec<String>,
    pub wants: Vec<String>,
    pub about: String,
    /// Where private messages go: a platform, or `null` for where they spoke last.
    pub notify_platform: Option<String>,
    /// Whether they get seat reminders.
    pub seat_reminders: bool,
    /// Whether `/ask` may ask them.
    pub takes_questions: bool,
    pub created_at: DateTime<Utc>,
    pub identities: Vec<ExportedIdentity>,
    pub memberships: Vec<ExportedMembership>,
    pub hosts: Vec<ExportedHost>,
    pub checkins: Vec<ExportedCheckin>,
    pub seat_offers: Vec<ExportedOffer>,
    pub seat_requests: Vec<ExportedRequest>,
    pub standing_offers: Vec<ExportedStanding>,
    pub standing_requests: Vec<ExportedStanding>,
    pub pairings: Vec<ExportedPairing>,
    /// Questions they asked (`/ask`).
    pub questions_asked: Vec<ExportedQuestion>,
    /// Questions they were asked, and what they answered (the text is the asker's).
    pub questions_received: Vec<ExportedQuestionReceived>,
    /// Messages to them, delivered (within the retention window) or not yet.
    pub messages: Vec<ExportedMessage>,
}

/// A question they asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedQuestion {
    pub id: i64,
    pub community: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// A question they were asked: `help`, `not_now`, or none yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedQuestionReceived {
    pub id: i64,
    pub community: String,
    pub asked_at: DateTime<Utc>,
    pub answer: Option<String>,
}

/// A standing offer they host, or a standing request of theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedStanding {
    pub community: String,
    pub space: String,
    /// `mon-fri`, `daily`…
    pub days: String,
    pub created_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedMessage {
    pub platform: String,
    /// `pending` (held until they open a private chat, when `held`), `sent`, or `dead`.
    pub state: String,
    pub held: bool,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The message as they read it (rendered by the core from `body`).
    pub text: String,
    #[serde(skip)]
    pub body: Option<Body>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedIdentity {
    pub platform: String,
    pub user_id: String,
    pub username: Option<String>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedMembership {
    pub community: String,
    pub admin: bool,
    pub joined_at: DateTime<Utc>,
    pub last_active_at: DateTime<Utc>,
    pub pairing_opt_in: bool,
    pub pairing_paused_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedHost {
    pub community: String,
    pub space: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedCheckin {
    pub community: String,
    /// `null` for remote.
    pub space: Option<String>,
    pub date: NaiveDate,
    pub checked_in_at: DateTime<Utc>,
    pub until: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedOffer {
    pub id: i64,
    pub community: String,
    pub space: String,
    pub date: NaiveDate,
    pub seats: i64,
    pub note: String,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedRequest {
    pub id: i64,
    pub offer_id: i64,
    pub community: String,
    pub space: String,
    pub date: NaiveDate,
    pub state: String,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportedPairing {
    pub community: String,
    pub date: NaiveDate,
    /// The display names of the others in their group.
    pub with: Vec<String>,
    pub met_at: Option<DateTime<Utc>>,
}

/// What the retention sweep deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub checkins: u64,
    pub codes: u64,
    /// Delivered (or given up) messages.
    pub messages: u64,
    /// Inbound ids older than [`crate::service::inbound::INBOUND_KEPT`].
    pub inbound: u64,
}

/// One-time codes (`/invite`, `/link`).
#[async_trait]
pub trait Codes: Send + Sync {
    /// Keeps a new code's hash until `expires_at`.
    async fn issue_code(
        &self,
        purpose: Purpose,
        hash: &CodeHash,
        owner: CodeOwner,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Who issued a code still valid at `now`, without redeeming it (to
    /// refuse a redemption that would fail without spending the code).
    async fn code_owner(&self, purpose: Purpose, hash: &CodeHash, now: DateTime<Utc>)
        -> StoreResult<Option<CodeOwner>>;

    /// Redeems a code: who issued it, if it exists for `purpose` and has not
    /// expired; it is gone afterwards. Of two redemptions at once, one wins.
    async fn redeem_code(
        &self,
        purpose: Purpose,
        hash: &CodeHash,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<CodeOwner>>;
}

/// More than one chat per community.
#[async_trait]
pub trait Chats: Send + Sync {
    /// Binds another chat to `community`.
    async fn bind_chat(&self, chat: &ChatKey, community: CommunityId, now: DateTime<Utc>) -> StoreResult<BindOutcome>;

    /// Releases a chat from its community, never the community's last
    /// (that the bot can post in). Announcements still to go there are
    /// given up; private messages that would fall back to it fall back to
    /// another chat of the community on that platform.
    async fn unbind_chat(&self, platform: Platform, chat_id: &str, now: DateTime<Utc>) -> StoreResult<UnbindOutcome>;

    /// The community a chat is bound to, without recording anyone.
    async fn chat_community(&self, platform: Platform, chat_id: &str) -> StoreResult<Option<CommunityId>>;

    /// Records what the platform says of a bound chat: the server it
    /// belongs to (a Discord guild), its title; `None` keeps what is known.
    async fn note_chat(&self, chat: &ChatKey, server: Option<&str>, title: Option<&str>) -> StoreResult<()>;

    /// Bound chats on `platform` whose server is not recorded (bound before
    /// servers were): their ids.
    async fn chats_without_server(&self, platform: Platform) -> StoreResult<Vec<String>>;

    /// The community of a server: the one its first bound chat belongs to.
    async fn server_community(&self, platform: Platform, server: &str) -> StoreResult<Option<CommunityId>>;

    /// Every chat bound to the community, paused ones included, oldest first.
    async fn bound_chats(&self, community: CommunityId) -> StoreResult<Vec<BoundChat>>;
}

/// One member across platforms.
#[async_trait]
pub trait Linking: Send + Sync {
    /// The member behind a platform identity, if there is one (without
    /// creating one, as [`Identities::enter`] would).
    async fn identity_member(&self, platform: Platform, user_id: &str) -> StoreResult<Option<MemberId>>;

    /// Joins `merged` into `kept`: one member with both's identities, a
    /// merged profile and history (see the README's linking rules).
    /// `freed` writes the notices of a seat one of two confirmed requests
    /// for the same offer gave back (and whom it went to).
    async fn link_members(
        &self,
        kept: MemberId,
        merged: MemberId,
        now: DateTime<Utc>,
        freed: FreedSeatNotices<'_>,
    ) -> StoreResult<LinkSummary>;

    /// Moves the member's identity on `platform` to a new member of its own,
    /// with a copy of the profile and memberships; the history stays. `None`
    /// when it is their only identity.
    async fn unlink_identity(
        &self,
        member: MemberId,
        platform: Platform,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<MemberId>>;

    /// Where the member's private messages go; `None`: where they spoke last.
    async fn set_notify_platform(&self, member: MemberId, platform: Option<Platform>) -> StoreResult<()>;

    async fn notify_platform(&self, member: MemberId) -> StoreResult<Option<Platform>>;
}

/// A member's data in their own hands: read it all, or have it erased.
#[async_trait]
pub trait Erasure: Send + Sync {
    /// Everything kept about the member.
    async fn export_member(&self, member: MemberId) -> StoreResult<MemberData>;

    /// Deletes the member: profile, identities, memberships, hosting,
    /// check-ins, seat requests and offers, messages to them, codes, and
    /// their places in pairing history (whose counts the stats keep).
    /// Active seat requests and open offers are to be ended first, with
    /// their notices.
    async fn forget_member(&self, member: MemberId) -> StoreResult<()>;
}

/// Keeping no more than the README's retention section promises.
#[async_trait]
pub trait Retention: Send + Sync {
    /// Deletes check-ins from before `before`, messages delivered before
    /// it, and codes expired at `now`.
    async fn purge(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Purged>;
}
