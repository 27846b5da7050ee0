//! Rows as sqlx reads them, and their conversion into core types.

use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, Note, Platform, SpaceId, SpaceSlug, Tags, Zone};
use seatmate_bot::reply::{Handle, MemberCard};
use seatmate_bot::store::{Community, Presence, Profile, Space, StoreError};

/// Data in the database that the core would not accept: a bug or a hand edit.
pub fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Other(format!("stored {what} is invalid: {detail}").into())
}

pub fn zone(name: &str) -> Result<Zone, StoreError> {
    Zone::parse(name).map_err(|e| corrupt("time zone", e))
}

#[derive(sqlx::FromRow)]
pub struct ArrivalRow {
    pub member_id: Option<i64>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub community_id: Option<i64>,
    pub community_name: Option<String>,
    pub community_zone: Option<String>,
    pub is_admin: Option<bool>,
    pub last_active_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    pub is_admin: bool,
}

pub fn to_community(id: i64, name: String, time_zone: &str) -> Result<Community, StoreError> {
    Ok(Community {
        id: CommunityId(id),
        name,
        zone: zone(time_zone)?,
    })
}

#[derive(sqlx::FromRow)]
pub struct SpaceRow {
    pub id: i64,
    pub slug: String,
    pub time_zone: String,
    pub capacity: Option<i64>,
    pub needs_approval: bool,
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
    fn handle(&self) -> Result<Handle, StoreError> {
        Ok(Handle {
            platform: self
                .platform
                .parse::<Platform>()
                .map_err(|e| corrupt("platform", e))?,
            user_id: self.user_id.clone(),
            username: self.username.clone(),
        })
    }
}

/// Folds rows of (key, member, identity) into one card per key, in first-seen
/// order; rows of one key must be adjacent.
pub fn fold_cards<K: PartialEq + Copy>(
    rows: Vec<(K, CardRow)>,
) -> Result<Vec<(K, MemberCard)>, StoreError> {
    let mut out: Vec<(K, MemberCard)> = Vec::new();
    for (key, row) in rows {
        let handle = row.handle()?;
        match out.last_mut() {
            Some((k, card)) if *k == key && card.id.0 == row.member_id => card.handles.push(handle),
            _ => out.push((
                key,
                MemberCard {
                    id: MemberId(row.member_id),
                    display_name: row.display_name,
                    handles: vec![handle],
                },
            )),
        }
    }
    Ok(out)
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
    let mut out: Vec<Presence> = Vec::new();
    for row in rows {
        let handle = row.card.handle()?;
        if let Some(last) = out
            .last_mut()
            .filter(|p| p.member.id.0 == row.card.member_id)
        {
            last.member.handles.push(handle);
            continue;
        }
        out.push(Presence {
            member: MemberCard {
                id: MemberId(row.card.member_id),
                display_name: row.card.display_name,
                handles: vec![handle],
            },
            profile: row.profile.into(),
            space: row.space_id.map(SpaceId),
            note: Note::from_stored(row.note),
            checked_in_at: row.checked_in_at,
            until: row.until_at,
        });
    }
    Ok(out)
}
