//! The outbox.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::*;
use crate::domain::{CommunityId, MemberId, OfferId, Platform, RequestId, SpaceId};
use crate::notice::Body;

/// The outbox: messages written with their change, claimed and recorded by the delivery loop.
/// The outbox by state (see [`Outbox::outbox_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxCounts {
    /// Waiting and due: no lease, not held, its time come.
    pub due: u64,
    /// Claimed by a worker whose lease runs.
    pub claimed: u64,
    /// Private messages held until their member opens a private chat.
    pub held: u64,
    /// Given up (the chat is gone, the platform refuses it for good).
    pub dead: u64,
}

#[async_trait]
pub trait Outbox: Send + Sync {
    /// Writes messages to the outbox on their own (most are written by the
    /// change that causes them).
    async fn enqueue(&self, messages: &[Outgoing], now: DateTime<Utc>) -> StoreResult<()>;

    /// Claims up to `limit` due messages of `platform` until `lease_until`,
    /// under the token `claim` (see [`crate::worker`]); a claim whose lease
    /// ran out (a crashed worker) can be claimed again.
    async fn claim_outbox(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
        claim: &str,
    ) -> StoreResult<Vec<Envelope>>;

    /// Records how an attempt under `claim` ended: `false` (and nothing
    /// written) when the row is no longer that claim's (its lease ran out
    /// and another worker took it). A `Held` message's nudge is written only
    /// when no other message of that member on that platform is held already:
    /// one nudge per wait, however many messages wait.
    async fn record_delivery(
        &self,
        id: i64,
        claim: &str,
        record: &DeliveryRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Gives back, due at once, the claims still out whose tokens begin with
    /// `claims` (an instance's earlier runs: their process died with them).
    /// How many.
    async fn take_back_claims(&self, claims: &str, now: DateTime<Utc>) -> StoreResult<u64>;

    /// How many messages wait (due now), are claimed, are held for their
    /// member, or are given up, at `now`: what `/metrics` samples.
    async fn outbox_counts(&self, now: DateTime<Utc>) -> StoreResult<OutboxCounts>;

    /// The member opened a private chat with the bot on `platform`: their held
    /// messages there are due again. Says how many.
    async fn release_held(&self, member: MemberId, platform: Platform, now: DateTime<Utc>) -> StoreResult<u32>;

    /// Hands over the member's held messages (on every platform), oldest
    /// first, and records them as delivered: `/inbox` shows them.
    async fn take_held(&self, member: MemberId, now: DateTime<Utc>) -> StoreResult<Vec<Body>>;

    /// Sent announcements on `platform` that no longer show their offer as
    /// it stands at `now` (seats left, over, withdrawn), of offers that ended
    /// after `since`; at most `limit`, oldest first.
    async fn living_announcements(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<LivingAnnouncement>>;

    /// Writes `edit` (a message to the announcement's chat) and records that
    /// announcement `id` shows `shows` now, if it still shows what `found`
    /// found: `false`, and nothing written, when another worker edited it
    /// first.
    async fn edit_announcement(
        &self,
        found: &LivingAnnouncement,
        shows: &str,
        edit: &Outgoing,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Private messages sent to user `recipient` on `platform` after
    /// `since`: when, and what (newest first, a few at most).
    async fn sent_to_since(
        &self,
        platform: Platform,
        recipient: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, Body)>>;

    /// What waits behind message `id` for the same recipient in the same
    /// community, not held; oldest first (a few dozen at most).
    async fn waiting_behind(&self, id: i64) -> StoreResult<Vec<(i64, Body)>>;

    /// Message `id`, claimed under `claim`, becomes `digest`, and the
    /// messages `inside` it count as sent with it: `false`, and nothing
    /// written, when the claim is no longer ours.
    async fn gather_into(
        &self,
        id: i64,
        claim: &str,
        digest: &Body,
        inside: &[i64],
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// The key a button's command is kept under, for a platform whose
    /// buttons carry too little for the command itself (the same command
    /// always gets the same key; kept for good, as a button may be pressed
    /// any time after it was sent).
    async fn button_key(&self, command: &str, now: DateTime<Utc>) -> StoreResult<i64>;

    /// The command kept under `key`.
    async fn button_command(&self, key: i64) -> StoreResult<Option<String>>;
}

/// A sent announcement whose offer changed since it was written or last
/// edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LivingAnnouncement {
    /// The outbox message.
    pub id: i64,
    pub community: CommunityId,
    pub chat_id: String,
    /// The platform's id of the message, which an edit names.
    pub message_id: String,
    /// The announcement as first written.
    pub body: Body,
    /// What its last edit showed; `None`: never edited.
    pub shows: Option<String>,
    pub offer: OfferId,
}

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
    /// gets the message privately, but the member who caused it (a host who
    /// requests a seat at their own space hears nothing of their request).
    Keepers { space: SpaceId, but: Option<MemberId> },
    /// The community's recorded admins, each privately.
    Admins,
}

impl Target {
    /// A chat of the community (an announcement, a line for everyone).
    pub fn chat(chat: &ChatKey) -> Target {
        Target::Chat {
            platform: chat.platform,
            chat_id: chat.chat_id.clone(),
        }
    }
}

/// A message to send later, written with the change that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub community: CommunityId,
    pub target: Target,
    pub body: Body,
    /// What its buttons act on: when that is settled, the message is no
    /// longer sent, and once sent it loses its buttons.
    pub subject: Option<Subject>,
}

impl Outgoing {
    pub fn new(community: CommunityId, target: Target, body: impl Into<Body>) -> Self {
        Outgoing {
            community,
            target,
            body: body.into(),
            subject: None,
        }
    }

    /// The message's buttons act on `subject`.
    pub fn about(mut self, subject: Subject) -> Self {
        self.subject = Some(subject);
        self
    }
}

/// What a message's buttons act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// An offer's "Request a seat": settled when the offer is withdrawn.
    Offer(OfferId),
    /// A request's Approve and Decline: settled when it is decided, cancelled
    /// or its offer withdrawn.
    Request(RequestId),
    /// A question's "I can help" and "Not now": settled when someone helps
    /// or its asker closes it.
    Question(i64),
}

impl Subject {
    /// As the outbox keeps it: `offer:7`, `request:12`.
    pub fn key(self) -> String {
        match self {
            Subject::Offer(id) => format!("offer:{id}"),
            Subject::Request(id) => format!("request:{id}"),
            Subject::Question(id) => format!("question:{id}"),
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
    /// The claim it was taken under: recording the outcome names it.
    pub claim: String,
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
