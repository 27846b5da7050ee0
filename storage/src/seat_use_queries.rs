//! The statements of seats that are used: claims and releases (see
//! `bot/src/rules/release.rs`); written once for both backends.

use crate::seat_queries::REQUEST_SELECT;

pub const SET_SPACE_RELEASE_AFTER: &str = "
UPDATE spaces SET release_after_minutes = $3, lock_version = lock_version + 1
 WHERE id = $1 AND community_id = $2";
/// Offers not begun keep their space's rule; those under way keep theirs.
pub const SET_OFFERS_RELEASE_AFTER: &str = "
UPDATE seat_offers SET release_after_minutes = $2
 WHERE space_id = $1 AND starts_at > $3 AND withdrawn_at IS NULL";

/// The member's seats (held or released) at a space on a date.
pub const SEATS_THERE: &str = "
SELECT r.id FROM seat_requests r JOIN seat_offers o ON o.id = r.offer_id
 WHERE r.community_id = $1 AND r.member_id = $2 AND o.space_id = $3 AND o.local_date = $4
   AND r.state IN ('confirmed', 'released')
 ORDER BY o.starts_at, o.id";

pub const CLAIM_SEAT: &str = "
UPDATE seat_requests SET claimed_at = $2 WHERE id = $1 AND state = 'confirmed' AND claimed_at IS NULL";

/// A confirmed seat nobody claimed, whose holder has not checked in at the
/// offer's space on its day (`o` is the offer).
const UNCLAIMED: &str = "
r.state = 'confirmed' AND r.claimed_at IS NULL
AND NOT EXISTS (SELECT 1 FROM checkins c
                 WHERE c.community_id = r.community_id AND c.member_id = r.member_id
                   AND c.space_id = o.space_id AND c.local_date = o.local_date)";

/// Confirmed seats owed a reminder (see `SeatUse::seats_to_remind`).
pub const SEATS_TO_REMIND: &str = "
SELECT r.community_id, r.offer_id, r.id
  FROM seat_requests r JOIN seat_offers o ON o.id = r.offer_id JOIN members m ON m.id = r.member_id
 WHERE r.state = 'confirmed' AND o.withdrawn_at IS NULL AND o.ends_at > $1 AND o.starts_at <= $2
   AND m.seat_reminders AND r.member_id <> o.host_member_id
   AND (r.reminded_eve_at IS NULL
        OR (r.reminded_late_at IS NULL AND r.claimed_at IS NULL AND o.release_after_minutes IS NOT NULL))
   AND NOT EXISTS (SELECT 1 FROM checkins c
                    WHERE c.community_id = r.community_id AND c.member_id = r.member_id
                      AND c.space_id = o.space_id AND c.local_date = o.local_date)
 ORDER BY o.starts_at, r.id";

pub const STAMP_EVE_REMINDER: &str = "
UPDATE seat_requests SET reminded_eve_at = $2 WHERE id = $1 AND state = 'confirmed' AND reminded_eve_at IS NULL";
pub const STAMP_LATE_REMINDER: &str = "
UPDATE seat_requests SET reminded_late_at = $2
 WHERE id = $1 AND state = 'confirmed' AND reminded_late_at IS NULL AND claimed_at IS NULL";
pub const MARK_COMING: &str = "UPDATE seat_requests SET coming_at = $2 WHERE id = $1 AND state = 'confirmed'";

pub const SEAT_REMINDERS: &str = "SELECT seat_reminders FROM members WHERE id = $1";
pub const SET_SEAT_REMINDERS: &str = "UPDATE members SET seat_reminders = $2 WHERE id = $1";

pub const INSERT_FREED: &str = "
INSERT INTO freed_seats (offer_id, community_id, seats, freed_at) VALUES ($1, $2, $3, $4)";
pub const FREED_SEATS: &str = "
SELECT f.id, f.community_id, f.offer_id, f.seats, f.freed_at, o.freed_announced_at
  FROM freed_seats f JOIN seat_offers o ON o.id = f.offer_id
 ORDER BY f.offer_id, f.id";
pub const FORGET_FREED: &str = "DELETE FROM freed_seats WHERE offer_id = $1 AND id <= $2";
pub const STAMP_FREED_LINE: &str = "UPDATE seat_offers SET freed_announced_at = $2 WHERE id = $1";

/// Offers begun and not over, with a rule, that have unclaimed seats.
pub fn offers_with_unclaimed_seats() -> String {
    format!(
        "SELECT DISTINCT o.community_id, o.id FROM seat_offers o JOIN seat_requests r ON r.offer_id = o.id
          WHERE o.release_after_minutes IS NOT NULL AND o.withdrawn_at IS NULL
            AND o.starts_at <= $1 AND o.ends_at > $1 AND {UNCLAIMED}"
    )
}

/// An offer's unclaimed seats, in queue order.
pub fn unclaimed_seats_of() -> String {
    format!(
        "{REQUEST_SELECT} JOIN seat_offers o ON o.id = r.offer_id
          WHERE r.offer_id = $1 AND {UNCLAIMED} ORDER BY r.queue_no"
    )
}
