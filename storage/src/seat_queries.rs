//! The statements of seat offers and requests (see `sql::seats`); written
//! once for both backends.

/// Locks the space for writing offers (a row lock on PostgreSQL; SQLite's
/// write transaction already serialises).
pub const LOCK_SPACE: &str = "UPDATE spaces SET lock_version = lock_version + 1 WHERE id = $1 AND community_id = $2";

pub const OVERLAPPING_OFFER: &str = "
SELECT id FROM seat_offers
WHERE space_id = $1 AND local_date = $2 AND withdrawn_at IS NULL AND starts_at < $4 AND ends_at > $3
ORDER BY id LIMIT 1";

pub const INSERT_OFFER: &str = "
INSERT INTO seat_offers (community_id, space_id, host_member_id, local_date, window_start, window_end,
                         starts_at, ends_at, seats, note, created_at, release_after_minutes, standing_id,
                         announce_pending)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
RETURNING id";

/// Checks the offer is the community's, locking it for a change to its
/// requests where the backend needs a row lock (see `Backend::row_lock`).
pub const LOCK_OFFER: &str = "SELECT o.id FROM seat_offers o WHERE o.id = $1 AND o.community_id = $2";

const OFFER_COLUMNS: &str = "
SELECT o.id, o.space_id, s.slug AS space_slug, s.time_zone, o.host_member_id, o.local_date,
       o.window_start, o.window_end, o.starts_at, o.ends_at, o.seats, o.note, o.withdrawn_at,
       s.needs_approval, s.open_profile_required, o.release_after_minutes AS release_after,
       o.confirmed_count AS confirmed, o.waitlisted_count AS waitlisted, o.pending_count AS pending";
const OFFER_FROM: &str = "FROM seat_offers o JOIN spaces s ON s.id = o.space_id";

/// What a seat decision needs, in one read under the offer's lock: the offer
/// with its counts, the member's request for it (if any) and their profile.
pub fn admission() -> String {
    format!(
        "{OFFER_COLUMNS},
                mine.id AS mine_id, mine.number AS mine_number, mine.state AS mine_state, mine.requested_at AS mine_requested_at,
                mine.reason AS mine_reason, mine.decided_at AS mine_decided_at, mine.claimed_at AS mine_claimed_at,
                mine.reminded_eve_at AS mine_reminded_eve_at, mine.reminded_late_at AS mine_reminded_late_at,
                mine.coming_at AS mine_coming_at,
                CASE WHEN mine.state = 'waitlisted' THEN
                    (SELECT count(*) FROM seat_requests w
                     WHERE w.offer_id = o.id AND w.state = 'waitlisted' AND w.queue_no <= mine.queue_no)
                END AS mine_position,
                m.offers, m.wants, m.about
         {OFFER_FROM}
         JOIN members m ON m.id = $3
         LEFT JOIN seat_requests mine ON mine.offer_id = o.id AND mine.member_id = $3
         WHERE o.id = $1 AND o.community_id = $2"
    )
}

pub fn offer() -> String {
    format!("{OFFER_COLUMNS} {OFFER_FROM} WHERE o.id = $1 AND o.community_id = $2")
}

pub fn open_offers() -> String {
    format!(
        "{OFFER_COLUMNS} {OFFER_FROM} WHERE o.community_id = $1 AND o.withdrawn_at IS NULL AND o.ends_at > $2
         ORDER BY o.starts_at, s.slug, o.id"
    )
}

/// A request; `position` is its place on the waitlist (1 is next).
pub(crate) const REQUEST_SELECT: &str = "
SELECT r.id, r.offer_id, r.member_id, r.number, r.state, r.requested_at, r.decided_at, r.claimed_at, r.reason,
       r.reminded_eve_at, r.reminded_late_at, r.coming_at,
       CASE WHEN r.state = 'waitlisted' THEN
           (SELECT count(*) FROM seat_requests w
            WHERE w.offer_id = r.offer_id AND w.state = 'waitlisted' AND w.queue_no <= r.queue_no)
       END AS position
FROM seat_requests r";

pub fn request() -> String {
    format!("{REQUEST_SELECT} WHERE r.id = $1 AND r.community_id = $2")
}

pub fn offer_requests() -> String {
    format!("{REQUEST_SELECT} WHERE r.offer_id = $1 AND r.community_id = $2 ORDER BY r.queue_no")
}

pub fn member_requests() -> String {
    format!(
        "{REQUEST_SELECT} JOIN seat_offers o ON o.id = r.offer_id
         WHERE r.community_id = $1 AND r.member_id = $2 AND o.ends_at > $3
         ORDER BY o.starts_at, r.id"
    )
}

/// Places a request (or re-places one that was cancelled or declined) at the
/// end of the offer's queue; the offer is locked, so the queue number is unique.
/// A new request takes the offer's next request number (the insert trigger
/// counts it as given out); one asked again keeps its own.
pub const UPSERT_REQUEST: &str = "
INSERT INTO seat_requests (offer_id, community_id, member_id, state, queue_no, requested_at, number)
VALUES ($1, $2, $3, $4, (SELECT coalesce(max(queue_no), 0) + 1 FROM seat_requests WHERE offer_id = $1), $5,
        (SELECT requests_made + 1 FROM seat_offers WHERE id = $1))
ON CONFLICT (offer_id, member_id) DO UPDATE SET
    state = excluded.state, queue_no = excluded.queue_no, requested_at = excluded.requested_at,
    decided_at = NULL, reason = NULL, claimed_at = NULL, reminded_eve_at = NULL, reminded_late_at = NULL,
    coming_at = NULL
RETURNING id, number";

pub const SET_REQUEST_STATE: &str = "UPDATE seat_requests SET state = $2, decided_at = $3, reason = $4 WHERE id = $1";

pub const FIRST_WAITLISTED: &str = "
SELECT id FROM seat_requests WHERE offer_id = $1 AND state = 'waitlisted' ORDER BY queue_no LIMIT 1";

pub const REQUEST_OFFER: &str = "SELECT offer_id FROM seat_requests WHERE id = $1 AND community_id = $2";

pub const WITHDRAW_OFFER: &str = "UPDATE seat_offers SET withdrawn_at = $2 WHERE id = $1";

pub fn active_requests() -> String {
    format!("{REQUEST_SELECT} WHERE r.offer_id = $1 AND r.state IN ('confirmed', 'waitlisted', 'pending') ORDER BY r.queue_no")
}

pub const WITHDRAW_REQUESTS: &str = "
UPDATE seat_requests SET state = 'withdrawn', decided_at = $2
WHERE offer_id = $1 AND state IN ('confirmed', 'waitlisted', 'pending')";
