//! When a seat holder is reminded of their seat.
//!
//! Invariants:
//! - At most one reminder of each kind per seat: the store stamps the seat
//!   in the transaction that queues the reminder, so however many
//!   instances tick, one is written.
//! - The *evening* reminder goes at [`EVENING`] in the space's zone on the
//!   day before the offer, to a holder confirmed before then, until the
//!   offer's hours begin (a seat booked at 21:00 for tomorrow needs no
//!   reminder of itself).
//! - The *late* reminder goes `release_after`/2 minutes before the seat's
//!   claim deadline (for a seat confirmed before the offer began: half
//!   `release_after` after the start), while it is unclaimed and its holder
//!   has not checked in, until the deadline; only where seats are released.
//! - Never to the offer's host, nor to a member who turned reminders off
//!   (the store leaves those out).

use chrono::{DateTime, Duration, NaiveTime, Utc};

use super::release::{claim_deadline, claim_start};
use crate::localtime;
use crate::store::{Offer, RequestState, SeatRequest};

/// The local time of the evening reminder.
pub const EVENING: NaiveTime = NaiveTime::from_hms_opt(18, 0, 0).unwrap();

/// Which reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    /// The evening before.
    Eve,
    /// Halfway to the claim deadline, still unclaimed.
    Late,
}

/// The evening before the offer's day, in its space's zone.
pub fn eve_at(offer: &Offer) -> DateTime<Utc> {
    let day_before = offer.local_date.pred_opt().unwrap_or(offer.local_date);
    localtime::resolve(day_before, EVENING, offer.zone.0)
}

/// When the late reminder goes, where seats are released.
pub fn late_at(offer: &Offer, request: &SeatRequest) -> Option<DateTime<Utc>> {
    let half = Duration::minutes(i64::from(offer.release_after? / 2));
    claim_deadline(offer, request).map(|deadline| deadline - half)
}

/// The reminder due for `request` at `now`, if any (see the module note).
pub fn due(offer: &Offer, request: &SeatRequest, now: DateTime<Utc>) -> Option<Reminder> {
    if request.state != RequestState::Confirmed || offer.withdrawn || offer.ends_at <= now {
        return None;
    }
    if request.reminded_late_at.is_none() {
        if let (Some(at), Some(deadline)) = (late_at(offer, request), claim_deadline(offer, request)) {
            if at <= now && now < deadline {
                return Some(Reminder::Late);
            }
        }
    }
    let eve = eve_at(offer);
    let confirmed = request.decided_at.unwrap_or(request.requested_at);
    (request.reminded_eve_at.is_none() && eve <= now && now < claim_start(offer) && confirmed < eve)
        .then_some(Reminder::Eve)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{nine_to_five, request, t};

    fn booked_at(at: &str) -> SeatRequest {
        SeatRequest {
            requested_at: t(at),
            ..request(RequestState::Confirmed)
        }
    }

    #[test]
    fn the_evening_reminder_is_at_six_local_the_day_before_across_a_dst_change() {
        // Clocks go back in the night to Sunday 25 Oct 2026: Saturday is
        // still summer time (UTC+2); Sunday evening is winter time (UTC+1).
        let monday = nine_to_five("2026-10-26");
        let sunday = nine_to_five("2026-10-25");
        assert_eq!(eve_at(&sunday), t("2026-10-24T16:00:00Z"));
        assert_eq!(eve_at(&monday), t("2026-10-25T17:00:00Z"));
        let seat = booked_at("2026-10-20T12:00:00Z");
        assert_eq!(due(&monday, &seat, t("2026-10-25T16:59:00Z")), None);
        assert_eq!(due(&monday, &seat, t("2026-10-25T17:00:00Z")), Some(Reminder::Eve));
        assert_eq!(
            due(&monday, &seat, t("2026-10-26T07:59:00Z")),
            Some(Reminder::Eve),
            "until it begins"
        );
        let reminded = SeatRequest {
            reminded_eve_at: Some(t("2026-10-25T17:00:00Z")),
            ..seat.clone()
        };
        assert_eq!(due(&monday, &reminded, t("2026-10-25T18:00:00Z")), None, "once");
        let booked_late = booked_at("2026-10-25T20:00:00Z");
        assert_eq!(
            due(&monday, &booked_late, t("2026-10-25T21:00:00Z")),
            None,
            "a seat booked after six is not reminded of itself"
        );
    }

    #[test]
    fn the_late_reminder_is_halfway_to_the_deadline_while_unclaimed() {
        let offer = nine_to_five("2026-11-25");
        let seat = SeatRequest {
            reminded_eve_at: Some(t("2026-11-24T17:00:00Z")),
            ..booked_at("2026-11-20T12:00:00Z")
        };
        assert_eq!(late_at(&offer, &seat), Some(t("2026-11-25T08:30:00Z")), "09:30 local");
        assert_eq!(due(&offer, &seat, t("2026-11-25T08:29:00Z")), None);
        assert_eq!(due(&offer, &seat, t("2026-11-25T08:30:00Z")), Some(Reminder::Late));
        assert_eq!(
            due(&offer, &seat, t("2026-11-25T09:00:00Z")),
            None,
            "the deadline is the release's"
        );
        let claimed = SeatRequest {
            claimed_at: Some(t("2026-11-25T08:10:00Z")),
            ..seat.clone()
        };
        assert_eq!(due(&offer, &claimed, t("2026-11-25T08:40:00Z")), None);
        let no_rule = Offer {
            release_after: None,
            ..offer.clone()
        };
        assert_eq!(
            due(&no_rule, &seat, t("2026-11-25T08:40:00Z")),
            None,
            "nothing to claim"
        );
        assert_eq!(
            due(&offer, &request(RequestState::Waitlisted), t("2026-11-25T08:40:00Z")),
            None
        );
    }
}
