//! Every statement the store runs, written once for both backends.

/// The caller's identity, member, the chat's community and the membership, in
/// one round trip; every part may be missing (NULL).
pub const ARRIVAL: &str = "
SELECT i.member_id, i.username, m.display_name,
       c.id AS community_id, c.name AS community_name, c.time_zone AS community_zone,
       ms.is_admin, ms.last_active_at
FROM (SELECT 1 AS one) AS base
LEFT JOIN identities i ON i.platform = $1 AND i.external_id = $2
LEFT JOIN members m ON m.id = i.member_id
LEFT JOIN community_chats cc ON cc.platform = $1 AND cc.chat_id = $3
LEFT JOIN communities c ON c.id = cc.community_id
LEFT JOIN memberships ms ON ms.community_id = c.id AND ms.member_id = i.member_id";

/// The communities a member belongs to, most recently active first (for
/// commands sent in a private chat).
pub const MEMBER_COMMUNITIES: &str = "
SELECT c.id, c.name, c.time_zone, ms.is_admin
FROM memberships ms JOIN communities c ON c.id = ms.community_id
WHERE ms.member_id = $1
ORDER BY ms.last_active_at DESC
LIMIT 2";

pub const INSERT_MEMBER: &str =
    "INSERT INTO members (display_name, created_at) VALUES ($1, $2) RETURNING id";
pub const INSERT_IDENTITY: &str = "
INSERT INTO identities (platform, external_id, member_id, username) VALUES ($1, $2, $3, $4)
ON CONFLICT (platform, external_id) DO NOTHING";
pub const DELETE_MEMBER: &str = "DELETE FROM members WHERE id = $1";
pub const FIND_IDENTITY: &str =
    "SELECT member_id FROM identities WHERE platform = $1 AND external_id = $2";
pub const UPDATE_DISPLAY_NAME: &str = "UPDATE members SET display_name = $2 WHERE id = $1";
pub const UPDATE_USERNAME: &str =
    "UPDATE identities SET username = $3 WHERE platform = $1 AND external_id = $2";
pub const TOUCH_MEMBERSHIP: &str = "
INSERT INTO memberships (community_id, member_id, is_admin, joined_at, last_active_at)
VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (community_id, member_id) DO UPDATE SET
    last_active_at = excluded.last_active_at,
    is_admin = memberships.is_admin OR excluded.is_admin
RETURNING is_admin";

pub const INSERT_COMMUNITY: &str =
    "INSERT INTO communities (name, time_zone, created_at) VALUES ($1, $2, $3) RETURNING id";
pub const BIND_CHAT: &str =
    "INSERT INTO community_chats (platform, chat_id, community_id, bound_at) VALUES ($1, $2, $3, $4)";

pub const INSERT_SPACE: &str = "
INSERT INTO spaces (community_id, slug, time_zone, capacity, needs_approval, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, slug, time_zone, capacity, needs_approval";
pub const SPACES: &str = "
SELECT id, slug, time_zone, capacity, needs_approval FROM spaces WHERE community_id = $1 ORDER BY slug";
pub const DELETE_SPACE: &str = "DELETE FROM spaces WHERE community_id = $1 AND slug = $2";

/// Card columns: a member with one of their identities per row.
const CARD_COLUMNS: &str =
    "m.id AS member_id, m.display_name, i.platform, i.external_id AS user_id, i.username";

pub fn member_card() -> String {
    format!("SELECT {CARD_COLUMNS} FROM members m JOIN identities i ON i.member_id = m.id WHERE m.id = $1 ORDER BY i.platform")
}

pub const FIND_MEMBER_BY_USERNAME: &str = "
SELECT i.member_id FROM identities i
JOIN memberships ms ON ms.member_id = i.member_id AND ms.community_id = $1
WHERE i.platform = $2 AND lower(i.username) = lower($3)
ORDER BY ms.last_active_at DESC
LIMIT 1";
pub const FIND_MEMBER_BY_ID: &str = "
SELECT i.member_id FROM identities i
JOIN memberships ms ON ms.member_id = i.member_id AND ms.community_id = $1
WHERE i.platform = $2 AND i.external_id = $3";
pub const USERNAMES: &str = "
SELECT i.username FROM identities i
JOIN memberships ms ON ms.member_id = i.member_id AND ms.community_id = $1
WHERE i.platform = $2 AND i.username IS NOT NULL
ORDER BY i.username";

pub const ADD_HOST: &str =
    "INSERT INTO space_hosts (space_id, member_id) VALUES ($1, $2) ON CONFLICT (space_id, member_id) DO NOTHING";
pub const REMOVE_HOST: &str = "DELETE FROM space_hosts WHERE space_id = $1 AND member_id = $2";

pub fn hosts() -> String {
    format!(
        "SELECT h.space_id, {CARD_COLUMNS}
         FROM space_hosts h
         JOIN spaces s ON s.id = h.space_id
         JOIN members m ON m.id = h.member_id
         JOIN identities i ON i.member_id = m.id
         WHERE s.community_id = $1
         ORDER BY s.slug, m.display_name, m.id, i.platform"
    )
}

pub const PROFILE: &str = "SELECT offers, wants, about FROM members WHERE id = $1";
pub const SET_OFFERS: &str =
    "UPDATE members SET offers = $2 WHERE id = $1 RETURNING offers, wants, about";
pub const SET_WANTS: &str =
    "UPDATE members SET wants = $2 WHERE id = $1 RETURNING offers, wants, about";
pub const SET_ABOUT: &str =
    "UPDATE members SET about = $2 WHERE id = $1 RETURNING offers, wants, about";

/// Ends the member's running check-ins on other local dates (a member is at
/// one place at a time).
pub const END_OTHER_CHECKINS: &str = "
UPDATE checkins SET checked_out_at = $4
WHERE community_id = $1 AND member_id = $2 AND local_date <> $3
  AND checked_out_at IS NULL AND ends_at > $4";

/// Today's check-in; a second one that day replaces place and "until", keeps
/// the note unless a new one is given, and counts as an update.
pub const UPSERT_CHECKIN: &str = "
INSERT INTO checkins (community_id, member_id, space_id, local_date, checked_in_at, until_at, ends_at, note)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
ON CONFLICT (community_id, member_id, local_date) DO UPDATE SET
    space_id = excluded.space_id,
    until_at = excluded.until_at,
    ends_at = excluded.ends_at,
    note = CASE WHEN excluded.note = '' THEN checkins.note ELSE excluded.note END,
    checked_out_at = NULL,
    updates = checkins.updates + 1
RETURNING updates";

pub const CHECK_OUT: &str = "
UPDATE checkins SET checked_out_at = $3
WHERE community_id = $1 AND member_id = $2 AND checked_out_at IS NULL AND ends_at > $3";

pub const LAST_PLACE: &str = "
SELECT space_id FROM checkins WHERE community_id = $1 AND member_id = $2
ORDER BY local_date DESC, checked_in_at DESC
LIMIT 1";

pub fn present() -> String {
    format!(
        "SELECT {CARD_COLUMNS}, m.offers, m.wants, m.about,
                c.space_id, c.note, c.checked_in_at, c.until_at
         FROM checkins c
         JOIN members m ON m.id = c.member_id
         JOIN identities i ON i.member_id = m.id
         WHERE c.community_id = $1 AND c.checked_out_at IS NULL AND c.ends_at > $2
         ORDER BY c.checked_in_at, m.id, i.platform"
    )
}
