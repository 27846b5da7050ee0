//! When a confirmed seat nobody claimed goes to the next in line.
//!
//! Invariants:
//! - A seat is claimed by its holder checking in at its space on its day
//!   (before the offer ends), or pressing "I'm here"; a claimed seat is
//!   never released.
//! - An unclaimed seat is released at its *claim deadline*: the offer's
//!   `release_after` minutes after the later of the offer's start and the
//!   moment the seat was confirmed (someone promoted at 10:30 gets their
//!   own `release_after`, not a deadline already past). An all-day offer
//!   starts, for this, at [`ALL_DAY_CLAIM_START`].
//! - Every comparison is of instants: the start is the space's local time
//!   resolved in its zone (see `localtime`), so a DST change moves nothing
//!   a member was told.
//! - The minutes are the offer's own, copied from its space when made and
//!   changed with the space's only while the offer has not begun.

use chrono::{DateTime, Duration, NaiveTime, Utc};

use crate::localtime;
use crate::store::{Offer, RequestState, SeatRequest};

/// A space's `release_after` when none was set. Robin recommends at least
/// an hour for desks (OfficeRnD's 10 minutes suits meeting rooms): a
/// coworker held up by a train keeps their seat, a no-show frees it by
/// mid-morning.
pub const DEFAULT_RELEASE_AFTER: u32 = 60;

/// The minutes a host may set: 10 (a meeting room) to 240 (half a day).
pub const RELEASE_AFTER: (u32, u32) = (10, 240);

/// Where an all-day offer's hours begin, for its claim deadline.
pub const ALL_DAY_CLAIM_START: NaiveTime = NaiveTime::from_hms_opt(9, 0, 0).unwrap();

/// When the offer's hours begin, for claiming: its window's start, or
/// [`ALL_DAY_CLAIM_START`] on its day for an all-day offer.
pub fn claim_start(offer: &Offer) -> DateTime<Utc> {
    match offer.window {
        Some(_) => offer.starts_at,
        None => localtime::resolve(offer.local_date, ALL_DAY_CLAIM_START, offer.zone.0),
    }
}

/// The instant `request`'s seat is released if not claimed by then; `None`
/// when it never is (no rule, not a confirmed seat, claimed already).
pub fn claim_deadline(offer: &Offer, request: &SeatRequest) -> Option<DateTime<Utc>> {
    let minutes = offer.release_after?;
    if request.state != RequestState::Confirmed || request.claimed_at.is_some() {
        return None;
    }
    let confirmed = request.decided_at.unwrap_or(request.requested_at);
    Some(claim_start(offer).max(confirmed) + Duration::minutes(i64::from(minutes)))
}

/// Whether `request`'s seat is released at `now`: unclaimed past its
/// deadline while its offer still runs.
pub fn is_due(offer: &Offer, request: &SeatRequest, now: DateTime<Utc>) -> bool {
    !offer.withdrawn && offer.ends_at > now && claim_deadline(offer, request).is_some_and(|at| at <= now)
}

/// Whether a check-in at the offer's space at `now` claims its seat: on the
/// offer's day, before it ends (arriving early is the opposite of not
/// showing up).
pub fn check_in_claims(offer: &Offer, today: chrono::NaiveDate, now: DateTime<Utc>) -> bool {
    !offer.withdrawn && offer.local_date == today && offer.ends_at > now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::tests::{nine_to_five, request, t};

    fn local(at: DateTime<Utc>) -> String {
        localtime::local_time(at, chrono_tz::Europe::Amsterdam)
            .format("%H:%M")
            .to_string()
    }

    #[test]
    fn the_deadline_is_ten_local_on_both_sides_of_a_dst_change() {
        let seat = request(RequestState::Confirmed);
        // Clocks go back on 25 Oct 2026 (CEST to CET) and forward on 29 Mar 2026.
        for date in ["2026-10-24", "2026-10-25", "2026-10-26", "2026-03-28", "2026-03-29"] {
            let mut offer = nine_to_five(date);
            offer.local_date = date.parse().unwrap();
            let mut seat = seat.clone();
            seat.requested_at = offer.starts_at - Duration::days(1);
            let deadline = claim_deadline(&offer, &seat).unwrap();
            assert_eq!(local(deadline), "10:00", "{date}");
            assert_eq!(localtime::local_date(deadline, offer.zone.0), offer.local_date);
        }
        let mut seat = seat.clone();
        seat.requested_at = t("2026-10-20T12:00:00Z");
        assert_eq!(
            claim_deadline(&nine_to_five("2026-10-24"), &seat),
            Some(t("2026-10-24T08:00:00Z")),
            "summer time: UTC+2"
        );
        assert_eq!(
            claim_deadline(&nine_to_five("2026-10-26"), &seat),
            Some(t("2026-10-26T09:00:00Z")),
            "winter time: UTC+1"
        );
    }

    #[test]
    fn an_all_day_offer_counts_from_nine_and_a_late_confirmation_from_itself() {
        let mut all_day = nine_to_five("2026-11-25");
        all_day.window = None;
        all_day.starts_at = localtime::start_of_day(all_day.local_date, all_day.zone.0);
        let mut seat = request(RequestState::Confirmed);
        seat.requested_at = t("2026-11-24T12:00:00Z");
        assert_eq!(claim_deadline(&all_day, &seat), Some(t("2026-11-25T09:00:00Z")));
        seat.decided_at = Some(t("2026-11-25T10:30:00Z"));
        assert_eq!(
            claim_deadline(&all_day, &seat),
            Some(t("2026-11-25T11:30:00Z")),
            "moved up at 11:30 local: until 12:30"
        );
    }

    #[test]
    fn only_an_unclaimed_confirmed_seat_of_a_running_offer_with_a_rule_is_due() {
        let offer = nine_to_five("2026-11-25");
        let mut seat = request(RequestState::Confirmed);
        let (before, at, after_end) = (
            t("2026-11-25T08:59:59Z"),
            t("2026-11-25T09:00:00Z"),
            t("2026-11-25T16:00:00Z"),
        );
        assert!(!is_due(&offer, &seat, before));
        assert!(is_due(&offer, &seat, at));
        assert!(!is_due(&offer, &seat, after_end), "an offer over releases nothing");
        seat.claimed_at = Some(before);
        assert!(!is_due(&offer, &seat, at), "claimed");
        seat.claimed_at = None;
        for state in [RequestState::Waitlisted, RequestState::Pending, RequestState::Released] {
            assert!(!is_due(&offer, &request(state), at), "{state:?}");
        }
        let off = Offer {
            release_after: None,
            ..offer.clone()
        };
        assert!(!is_due(&off, &seat, after_end - Duration::minutes(1)), "no rule");
        let withdrawn = Offer {
            withdrawn: true,
            ..offer.clone()
        };
        assert!(!is_due(&withdrawn, &seat, at));
    }

    #[test]
    fn a_check_in_claims_on_the_offers_day_until_it_ends() {
        let offer = nine_to_five("2026-11-25");
        let day = offer.local_date;
        assert!(check_in_claims(&offer, day, t("2026-11-25T06:30:00Z")), "early");
        assert!(check_in_claims(&offer, day, t("2026-11-25T15:59:00Z")));
        assert!(!check_in_claims(&offer, day, t("2026-11-25T16:00:00Z")), "over");
        assert!(!check_in_claims(
            &offer,
            day.succ_opt().unwrap(),
            t("2026-11-25T09:00:00Z")
        ));
    }
}
