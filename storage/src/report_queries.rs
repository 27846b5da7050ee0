//! The statements of `/report` (see `sql::reports`); written once for both
//! backends. `$2`, a space or NULL, matches every space when NULL
//! (`COALESCE` lets PostgreSQL type it from the column).

pub const SEATS_OFFERED: &str = "
SELECT CAST(COALESCE(SUM(seats), 0) AS BIGINT) FROM seat_offers
 WHERE community_id = $1 AND space_id = COALESCE($2, space_id)
   AND local_date >= $3 AND local_date <= $4 AND withdrawn_at IS NULL";

/// `$5` now: an offer that ended by then is over.
pub const REQUEST_TALLY: &str = "
SELECT o.local_date, r.state, r.claimed_at IS NOT NULL, o.ends_at <= $5, count(*)
  FROM seat_requests r JOIN seat_offers o ON o.id = r.offer_id
 WHERE o.community_id = $1 AND o.space_id = COALESCE($2, o.space_id)
   AND o.local_date >= $3 AND o.local_date <= $4
 GROUP BY 1, 2, 3, 4";

/// Who checked in (at the space, or anywhere in the community, remote
/// included), with their first check-in there as far as it is kept.
pub const COWORKERS: &str = "
SELECT MIN(c.local_date), m.offers, m.wants
  FROM checkins c JOIN members m ON m.id = c.member_id
 WHERE c.community_id = $1 AND COALESCE(c.space_id, 0) = COALESCE($2, c.space_id, 0) AND c.local_date <= $4
 GROUP BY c.member_id, m.offers, m.wants
HAVING MAX(c.local_date) >= $3";

pub const INTRODUCTIONS: &str = "
SELECT r.local_date, CAST(MAX(CASE WHEN g.met_at IS NULL THEN 0 ELSE 1 END) AS BIGINT)
  FROM pairing_rounds r JOIN pairing_groups g ON g.round_id = r.id
 WHERE r.community_id = $1 AND r.local_date >= $2 AND r.local_date <= $3
 GROUP BY r.id, r.local_date, g.group_no";

pub const QUESTIONS: &str = "
SELECT count(*), count(answered_at) FROM questions
 WHERE community_id = $1 AND local_date >= $2 AND local_date <= $3";

pub const DIGEST_DAY: &str = "SELECT digest_day FROM communities WHERE id = $1";
pub const DIGEST_DAYS: &str = "SELECT id, digest_day FROM communities WHERE digest_day IS NOT NULL ORDER BY id";
pub const SET_DIGEST_DAY: &str = "UPDATE communities SET digest_day = $2 WHERE id = $1";
/// A row when the digest of the date was not posted before.
pub const MARK_DIGEST: &str = "
INSERT INTO community_digests (community_id, local_date, posted_at) VALUES ($1, $2, $3)
ON CONFLICT (community_id, local_date) DO NOTHING
RETURNING community_id";
pub const DIGEST_POSTED: &str = "SELECT count(*) FROM community_digests WHERE community_id = $1 AND local_date = $2";
