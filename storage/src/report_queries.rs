//! The statements of `/report` (see `sql::reports`); written once for both
//! backends. `$2`, a space or NULL, matches every space when NULL
//! (`COALESCE` lets PostgreSQL type it from the column).

/// Members who used /forgetme count here as numbers: their offers, requests
/// and visits were copied into the `forgotten_*` tables, without them.
pub const SEATS_OFFERED: &str = "
SELECT CAST(COALESCE(SUM(seats), 0) AS BIGINT) FROM (
    SELECT seats FROM seat_offers
     WHERE community_id = $1 AND space_id = COALESCE($2, space_id)
       AND local_date >= $3 AND local_date <= $4 AND withdrawn_at IS NULL
    UNION ALL
    SELECT seats FROM forgotten_offers
     WHERE community_id = $1 AND space_id = COALESCE($2, space_id)
       AND local_date >= $3 AND local_date <= $4
) offered";

/// `$5` now: an offer that ended by then is over.
pub const REQUEST_TALLY: &str = "
SELECT local_date, state, claimed, over, CAST(count(*) AS BIGINT) FROM (
    SELECT o.local_date AS local_date, r.state AS state, r.claimed_at IS NOT NULL AS claimed,
           o.ends_at <= $5 AS over
      FROM seat_requests r JOIN seat_offers o ON o.id = r.offer_id
     WHERE o.community_id = $1 AND o.space_id = COALESCE($2, o.space_id)
       AND o.local_date >= $3 AND o.local_date <= $4
    UNION ALL
    SELECT local_date, state, claimed, ends_at <= $5 FROM forgotten_requests
     WHERE community_id = $1 AND space_id = COALESCE($2, space_id)
       AND local_date >= $3 AND local_date <= $4
) requests
 GROUP BY 1, 2, 3, 4";

/// Who checked in (at the space, or anywhere in the community, remote
/// included), with their first check-in there as far as it is kept; an
/// erased member by their number, without tags.
pub const COWORKERS: &str = "
SELECT MIN(c.local_date), m.offers, m.wants
  FROM checkins c JOIN members m ON m.id = c.member_id
 WHERE c.community_id = $1 AND COALESCE(c.space_id, 0) = COALESCE($2, c.space_id, 0) AND c.local_date <= $4
 GROUP BY c.member_id, m.offers, m.wants
HAVING MAX(c.local_date) >= $3
UNION ALL
SELECT MIN(f.local_date), '', ''
  FROM forgotten_visits f
 WHERE f.community_id = $1 AND COALESCE(f.space_id, 0) = COALESCE($2, f.space_id, 0) AND f.local_date <= $4
 GROUP BY f.person
HAVING MAX(f.local_date) >= $3";

/// Each introduction of the period, met when one of its members said so;
/// erased members' places count too.
pub const INTRODUCTIONS: &str = "
SELECT r.local_date, CAST(MAX(g.met) AS BIGINT)
  FROM pairing_rounds r JOIN (
      SELECT round_id, group_no, CASE WHEN met_at IS NULL THEN 0 ELSE 1 END AS met FROM pairing_groups
      UNION ALL
      SELECT round_id, group_no, CASE WHEN met THEN 1 ELSE 0 END FROM forgotten_placements
  ) g ON g.round_id = r.id
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
