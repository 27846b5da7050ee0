//! The statements of standing offers (see `sql::standing`); written once
//! for both backends.

pub const INSERT_STANDING: &str = "
INSERT INTO standing_offers (id, community_id, space_id, host_member_id, seats, days, window_start, window_end,
                             until_date, note, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

const STANDING_SELECT: &str = "
SELECT so.id, so.community_id, so.space_id, s.slug AS space_slug, s.time_zone, so.host_member_id, so.seats,
       so.days, so.window_start, so.window_end, so.until_date, so.note
  FROM standing_offers so JOIN spaces s ON s.id = so.space_id
 WHERE so.ended_at IS NULL";

pub fn standing_of_community() -> String {
    format!("{STANDING_SELECT} AND so.community_id = $1 ORDER BY so.id")
}

pub fn all_standing() -> String {
    format!("{STANDING_SELECT} ORDER BY so.id")
}

pub const END_STANDING: &str = "
UPDATE standing_offers SET ended_at = $3 WHERE id = $1 AND community_id = $2 AND ended_at IS NULL";

pub const STANDING_DAY: &str = "SELECT id FROM seat_offers WHERE standing_id = $1 AND local_date = $2";

/// Returns a row when the day was not skipped before.
pub const SKIP_DAY: &str = "
INSERT INTO standing_skips (standing_id, local_date) VALUES ($1, $2)
ON CONFLICT (standing_id, local_date) DO NOTHING
RETURNING standing_id";

pub const STANDING_DAYS: &str = "
SELECT id FROM seat_offers
 WHERE community_id = $1 AND standing_id = $2 AND withdrawn_at IS NULL AND starts_at > $3
 ORDER BY starts_at";

pub const TO_ANNOUNCE: &str = "
SELECT community_id, id FROM seat_offers
 WHERE announce_pending AND withdrawn_at IS NULL AND ends_at > $1 AND starts_at <= $2
 ORDER BY starts_at, id";

pub const END_STANDING_REQUEST: &str = "
UPDATE standing_requests SET ended_at = $4
 WHERE community_id = $1 AND member_id = $2 AND space_id = $3 AND ended_at IS NULL";
pub const INSERT_STANDING_REQUEST: &str = "
INSERT INTO standing_requests (community_id, member_id, space_id, days, created_at) VALUES ($1, $2, $3, $4, $5)";
const STANDING_REQUEST_SELECT: &str = "
SELECT sr.community_id, sr.member_id, sr.space_id, s.slug, sr.days
  FROM standing_requests sr JOIN spaces s ON s.id = sr.space_id
 WHERE sr.ended_at IS NULL";
pub fn standing_requests_of_member() -> String {
    format!("{STANDING_REQUEST_SELECT} AND sr.member_id = $1 ORDER BY s.slug")
}
pub fn all_standing_requests() -> String {
    format!("{STANDING_REQUEST_SELECT} ORDER BY sr.id")
}
pub const OFFERS_TO_ASK: &str = "
SELECT o.id FROM seat_offers o
 WHERE o.community_id = $1 AND o.space_id = $2 AND o.withdrawn_at IS NULL AND o.starts_at > $4
   AND NOT EXISTS (SELECT 1 FROM seat_requests r WHERE r.offer_id = o.id AND r.member_id = $3)
 ORDER BY o.starts_at, o.id";

pub const MARK_ANNOUNCED: &str = "
UPDATE seat_offers SET announce_pending = FALSE WHERE id = $1 AND community_id = $2 AND announce_pending";
