//! Rows as sqlx reads them, and their conversion into core types.

use chrono::{DateTime, NaiveDate, Utc};
use seatmate_bot::domain::{
    ClockTime, CommunityId, MemberId, Note, OfferId, Platform, RequestId, SpaceId, SpaceSlug, Tags, TimeWindow, Zone,
};
use seatmate_bot::reply::{Handle, MemberCard};
use seatmate_bot::store::Body;
use seatmate_bot::store::{
    Community, Envelope, MemberContact, Offer, Presence, Profile, Recipient, RequestState, SeatRequest, Space,
    StoreError,
};

/// Data in the database that the core would not accept: a bug or a hand edit.
pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("stored {what} is invalid: {detail}").into())
}

pub fn zone(name: &str) -> Result<Zone, StoreError> {
    Zone::parse(name).map_err(|e| corrupt("time zone", e))
}

#[derive(sqlx::FromRow)]
pub struct ArrivalRow {
    pub member_id: Option<i64>,
    pub username: Option<String>,
    pub identity_seen_at: Option<DateTime<Utc>>,
    pub display_name: Option<String>,
    pub community_id: Option<i64>,
    pub community_name: Option<String>,
    pub community_zone: Option<String>,
    pub community_locale: Option<String>,
    pub is_admin: Option<bool>,
    pub last_active_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    pub locale: Option<String>,
    pub is_admin: bool,
    /// Chosen for the member's private chats (`/use`).
    pub chosen: bool,
}

/// How `communities.locale` keeps a community's language: its code (`nl`),
/// followed by [`FOR_ALL`] when replies to one member stay in it too.
pub const FOR_ALL: &str = " for-all";

pub fn locale_column(locale: seatmate_bot::Locale, for_all: bool) -> String {
    format!("{}{}", locale.code(), if for_all { FOR_ALL } else { "" })
}

pub fn to_community(id: i64, name: String, time_zone: &str, locale: Option<&str>) -> Result<Community, StoreError> {
    let (code, for_all) = match locale.map(|l| l.strip_suffix(FOR_ALL).ok_or(l)) {
        Some(Ok(code)) => (Some(code), true),
        Some(Err(code)) => (Some(code), false),
        None => (None, false),
    };
    Ok(Community {
        id: CommunityId(id),
        name,
        zone: zone(time_zone)?,
        // A code this version does not know falls back to the bot's locale.
        locale: code.and_then(|code| seatmate_bot::Locale::parse(code).ok()),
        locale_for_all: for_all,
    })
}

#[derive(sqlx::FromRow)]
pub struct SpaceRow {
    pub id: i64,
    pub slug: String,
    pub time_zone: String,
    pub capacity: Option<i64>,
    pub needs_approval: bool,
    pub open_profile_required: bool,
    pub release_after_minutes: Option<i64>,
}

/// Minutes as stored, as the core counts them (a negative number, which no
/// write makes, reads as none).
fn minutes(stored: Option<i64>) -> Option<u32> {
    stored.and_then(|m| u32::try_from(m).ok())
}

impl TryFrom<SpaceRow> for Space {
    type Error = StoreError;
    fn try_from(row: SpaceRow) -> Result<Self, StoreError> {
        Ok(Space {
            id: SpaceId(row.id),
            slug: SpaceSlug::parse(&row.slug).map_err(|e| corrupt("space slug", e))?,
            zone: zone(&row.time_zone)?,
            capacity: row.capacity.and_then(|c| u32::try_from(c).ok()),
            needs_approval: row.needs_approval,
            open_profile_required: row.open_profile_required,
            release_after: minutes(row.release_after_minutes),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ProfileRow {
    pub offers: String,
    pub wants: String,
    pub about: String,
}

impl From<ProfileRow> for Profile {
    fn from(row: ProfileRow) -> Self {
        Profile {
            offers: Tags::from_stored(&row.offers),
            wants: Tags::from_stored(&row.wants),
            about: Note::from_stored(row.about),
        }
    }
}

/// A member and one of their identities.
#[derive(sqlx::FromRow)]
pub struct CardRow {
    pub member_id: i64,
    pub display_name: String,
    pub platform: String,
    pub user_id: String,
    pub username: Option<String>,
}

impl CardRow {
    pub(crate) fn handle(&self) -> Result<Handle, StoreError> {
        Ok(Handle {
            platform: self.platform.parse::<Platform>().map_err(|e| corrupt("platform", e))?,
            user_id: self.user_id.clone(),
            username: self.username.clone(),
        })
    }
}

/// Folds rows that carry one identity each into one card per member, with
/// the rest of the member's first row. Rows of one member (and equal rest)
/// must be adjacent; first-seen order is kept.
pub fn per_member<T: PartialEq>(
    rows: impl IntoIterator<Item = (CardRow, T)>,
) -> Result<Vec<(MemberCard, T)>, StoreError> {
    let mut out: Vec<(MemberCard, T)> = Vec::new();
    for (row, rest) in rows {
        let handle = row.handle()?;
        match out.last_mut() {
            Some((card, last)) if card.id.0 == row.member_id && *last == rest => card.handles.push(handle),
            _ => out.push((
                MemberCard {
                    id: MemberId(row.member_id),
                    display_name: row.display_name,
                    handles: vec![handle],
                },
                rest,
            )),
        }
    }
    Ok(out)
}

/// One card per (key, member), for rows keyed by what they belong to.
pub fn fold_cards<K: PartialEq>(rows: Vec<(K, CardRow)>) -> Result<Vec<(K, MemberCard)>, StoreError> {
    Ok(per_member(rows.into_iter().map(|(key, card)| (card, key)))?
        .into_iter()
        .map(|(card, key)| (key, card))
        .collect())
}

#[derive(sqlx::FromRow)]
pub struct HostRow {
    pub space_id: i64,
    #[sqlx(flatten)]
    pub card: CardRow,
}

#[derive(sqlx::FromRow)]
pub struct PresenceRow {
    #[sqlx(flatten)]
    pub card: CardRow,
    #[sqlx(flatten)]
    pub profile: ProfileRow,
    pub space_id: Option<i64>,
    pub note: String,
    pub checked_in_at: DateTime<Utc>,
    pub until_at: Option<DateTime<Utc>>,
}

pub fn presences(rows: Vec<PresenceRow>) -> Result<Vec<Presence>, StoreError> {
    let rows = rows.into_iter().map(|r| {
        let rest = (
            Profile::from(r.profile),
            r.space_id.map(SpaceId),
            Note::from_stored(r.note),
            r.checked_in_at,
            r.until_at,
        );
        (r.card, rest)
    });
    Ok(per_member(rows)?
        .into_iter()
        .map(|(member, (profile, space, note, checked_in_at, until))| Presence {
            member,
            profile,
            space,
            note,
            checked_in_at,
            until,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
pub struct ContactRow {
    #[sqlx(flatten)]
    pub card: CardRow,
    #[sqlx(flatten)]
    pub profile: ProfileRow,
}

/// One member's contact from their identity rows.
pub fn contact(rows: Vec<ContactRow>) -> Result<MemberContact, StoreError> {
    let mut members = per_member(rows.into_iter().map(|r| (r.card, Profile::from(r.profile))))?;
    let (card, profile) = members.pop().ok_or(StoreError::NotFound)?;
    Ok(MemberContact { card, profile })
}

#[derive(sqlx::FromRow)]
pub struct OfferRow {
    pub id: i64,
    pub space_id: i64,
    pub space_slug: String,
    pub time_zone: String,
    pub host_member_id: i64,
    pub local_date: NaiveDate,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub seats: i64,
    pub note: String,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub needs_approval: bool,
    pub open_profile_required: bool,
    pub release_after: Option<i64>,
    pub confirmed: i64,
    pub waitlisted: i64,
    pub pending: i64,
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An offer's hours as stored: both ends, or neither (the whole day).
fn window(start: &Option<String>, end: &Option<String>) -> Result<Option<TimeWindow>, StoreError> {
    Ok(match (start, end) {
        (Some(start), Some(end)) => Some(TimeWindow {
            start: ClockTime::parse(start).map_err(|e| corrupt("window", e))?,
            end: ClockTime::parse(end).map_err(|e| corrupt("window", e))?,
        }),
        _ => None,
    })
}

#[derive(sqlx::FromRow)]
pub struct StandingRow {
    pub id: i64,
    pub community_id: i64,
    pub space_id: i64,
    pub space_slug: String,
    pub time_zone: String,
    pub host_member_id: i64,
    pub seats: i64,
    pub days: String,
    pub window_start: Option<String>,
    pub window_end: Option<String>,
    pub until_date: Option<NaiveDate>,
    pub note: String,
}

impl TryFrom<StandingRow> for seatmate_bot::store::StandingOffer {
    type Error = StoreError;
    fn try_from(row: StandingRow) -> Result<Self, StoreError> {
        Ok(seatmate_bot::store::StandingOffer {
            id: row.id,
            community: seatmate_bot::domain::CommunityId(row.community_id),
            space: SpaceId(row.space_id),
            space_slug: SpaceSlug::parse(&row.space_slug).map_err(|e| corrupt("space slug", e))?,
            zone: zone(&row.time_zone)?,
            host: MemberId(row.host_member_id),
            seats: seatmate_bot::domain::SeatCount::new(row.seats).map_err(|e| corrupt("seats", e))?,
            days: seatmate_bot::domain::PairingDays::parse(&row.days).map_err(|e| corrupt("days", e))?,
            window: window(&row.window_start, &row.window_end)?,
            until: row.until_date,
            note: Note::from_stored(row.note),
        })
    }
}

impl TryFrom<OfferRow> for Offer {
    type Error = StoreError;
    fn try_from(row: OfferRow) -> Result<Self, StoreError> {
        let window = window(&row.window_start, &row.window_end)?;
        Ok(Offer {
            id: OfferId(row.id),
            space: SpaceId(row.space_id),
            space_slug: SpaceSlug::parse(&row.space_slug).map_err(|e| corrupt("space slug", e))?,
            zone: zone(&row.time_zone)?,
            host: MemberId(row.host_member_id),
            local_date: row.local_date,
            window,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            seats: count(row.seats),
            confirmed: count(row.confirmed),
            waitlisted: count(row.waitlisted),
            pending: count(row.pending),
            note: Note::from_stored(row.note),
            withdrawn: row.withdrawn_at.is_some(),
            needs_approval: row.needs_approval,
            open_profile_required: row.open_profile_required,
            release_after: minutes(row.release_after),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub offer_id: i64,
    pub member_id: i64,
    pub number: i64,
    pub state: String,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub reminded_eve_at: Option<DateTime<Utc>>,
    pub reminded_late_at: Option<DateTime<Utc>>,
    pub coming_at: Option<DateTime<Utc>>,
    pub position: Option<i64>,
}

impl TryFrom<RequestRow> for SeatRequest {
    type Error = StoreError;
    fn try_from(row: RequestRow) -> Result<Self, StoreError> {
        Ok(SeatRequest {
            id: RequestId(row.id),
            offer: OfferId(row.offer_id),
            number: count(row.number),
            member: MemberId(row.member_id),
            state: RequestState::parse(&row.state).ok_or_else(|| corrupt("request state", &row.state))?,
            position: row.position.map(count),
            requested_at: row.requested_at,
            decided_at: row.decided_at,
            claimed_at: row.claimed_at,
            reminded_eve_at: row.reminded_eve_at,
            reminded_late_at: row.reminded_late_at,
            coming_at: row.coming_at,
            reason: row.reason,
        })
    }
}

/// The outbox keeps a message's rendered reply as JSON.
pub fn outbox_body(body: &Body) -> Result<String, StoreError> {
    serde_json::to_string(body).map_err(|e| StoreError::Other(Box::new(e)))
}

pub fn read_body(stored: &str) -> Result<Body, StoreError> {
    serde_json::from_str(stored).map_err(|e| corrupt("outbox body", e))
}

/// A sent announcement that no longer shows its offer as it stands.
#[derive(sqlx::FromRow)]
pub struct LivingRow {
    pub id: i64,
    pub community_id: i64,
    pub recipient_id: String,
    pub platform_message_id: String,
    pub body: String,
    pub shows: Option<String>,
    pub offer_id: i64,
}

#[derive(sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub community_id: i64,
    pub platform: String,
    pub recipient_kind: String,
    pub recipient_id: String,
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    pub member_username: Option<String>,
    pub fallback_chat_id: Option<String>,
    pub body: String,
    pub attempts: i64,
    pub claim_token: Option<String>,
}

impl TryFrom<OutboxRow> for Envelope {
    type Error = StoreError;
    fn try_from(row: OutboxRow) -> Result<Self, StoreError> {
        let body = read_body(&row.body)?;
        let recipient = match row.recipient_kind.as_str() {
            "chat" => Recipient::Chat(row.recipient_id),
            "member" => Recipient::Member(row.recipient_id),
            other => return Err(corrupt("recipient kind", other)),
        };
        Ok(Envelope {
            id: row.id,
            community: CommunityId(row.community_id),
            platform: row.platform.parse::<Platform>().map_err(|e| corrupt("platform", e))?,
            recipient,
            member: row.member_id.map(MemberId),
            member_name: row.member_name,
            member_username: row.member_username,
            fallback_chat: row.fallback_chat_id,
            body,
            attempts: count(row.attempts),
            claim: row.claim_token.unwrap_or_default(),
        })
    }
}

/// The read a seat decision is made from (see `seat_queries::admission`).
#[derive(sqlx::FromRow)]
pub struct AdmissionRow {
    #[sqlx(flatten)]
    pub offer: OfferRow,
    pub mine_id: Option<i64>,
    pub mine_number: Option<i64>,
    pub mine_state: Option<String>,
    pub mine_requested_at: Option<DateTime<Utc>>,
    pub mine_reason: Option<String>,
    pub mine_decided_at: Option<DateTime<Utc>>,
    pub mine_claimed_at: Option<DateTime<Utc>>,
    pub mine_reminded_eve_at: Option<DateTime<Utc>>,
    pub mine_reminded_late_at: Option<DateTime<Utc>>,
    pub mine_coming_at: Option<DateTime<Utc>>,
    pub mine_position: Option<i64>,
    #[sqlx(flatten)]
    pub profile: ProfileRow,
}

impl AdmissionRow {
    pub fn split(self, member: MemberId) -> Result<(Offer, Option<SeatRequest>, Profile), StoreError> {
        let offer = Offer::try_from(self.offer)?;
        let mine = match (self.mine_id, self.mine_state, self.mine_requested_at) {
            (Some(id), Some(state), Some(requested_at)) => Some(SeatRequest::try_from(RequestRow {
                id,
                offer_id: offer.id.0,
                member_id: member.0,
                number: self.mine_number.unwrap_or_default(),
                state,
                requested_at,
                decided_at: self.mine_decided_at,
                claimed_at: self.mine_claimed_at,
                reason: self.mine_reason,
                reminded_eve_at: self.mine_reminded_eve_at,
                reminded_late_at: self.mine_reminded_late_at,
                coming_at: self.mine_coming_at,
                position: self.mine_position,
            })?),
            _ => None,
        };
        Ok((offer, mine, self.profile.into()))
    }
}

#[derive(sqlx::FromRow)]
pub struct PoolRow {
    #[sqlx(flatten)]
    pub card: CardRow,
    #[sqlx(flatten)]
    pub profile: ProfileRow,
    pub space_id: Option<i64>,
    pub focus: Option<String>,
}

/// One pool entry per member from rows of their identities (adjacent).
pub fn pool(rows: Vec<PoolRow>) -> Result<Vec<seatmate_bot::store::PoolEntry>, StoreError> {
    let rows = rows.into_iter().map(|r| {
        let focus = Note::from_stored(r.focus.unwrap_or_default());
        (r.card, (Profile::from(r.profile), r.space_id.map(SpaceId), focus))
    });
    Ok(per_member(rows)?
        .into_iter()
        .map(|(card, (profile, space, focus))| seatmate_bot::store::PoolEntry {
            contact: MemberContact { card, profile },
            space,
            focus,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
pub struct SettingsRow {
    pub pairing_time: String,
    pub pairing_days: String,
    pub history_weeks: i64,
    pub created_at: DateTime<Utc>,
}

impl TryFrom<SettingsRow> for seatmate_bot::domain::PairingSettings {
    type Error = StoreError;
    fn try_from(row: SettingsRow) -> Result<Self, StoreError> {
        Ok(seatmate_bot::domain::PairingSettings {
            time: ClockTime::parse(&row.pairing_time).map_err(|e| corrupt("pairing time", e))?,
            days: seatmate_bot::domain::PairingDays::parse(&row.pairing_days)
                .map_err(|e| corrupt("pairing days", e))?,
            history_weeks: count(row.history_weeks),
            starts: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub local_date: NaiveDate,
    pub seed: i64,
}

/// Groups from (member, group number) rows ordered by group.
pub fn groups(rows: Vec<(i64, i64)>) -> Vec<Vec<MemberId>> {
    let mut out: Vec<(i64, Vec<MemberId>)> = Vec::new();
    for (member, group) in rows {
        match out.last_mut() {
            Some((g, members)) if *g == group => members.push(MemberId(member)),
            _ => out.push((group, vec![MemberId(member)])),
        }
    }
    out.into_iter().map(|(_, members)| members).collect()
}
