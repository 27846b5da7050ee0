//! What may happen to a request already made: its member cancels it, the
//! host decides on it. Storage reads the offer and the request under the
//! offer's lock and applies these.

use chrono::{DateTime, Utc};

use crate::domain::MemberId;
use crate::store::{Offer, RequestState, SeatRequest};

/// A member may cancel their own active request while the offer is open.
pub fn may_cancel(offer: &Offer, request: &SeatRequest, member: MemberId, now: DateTime<Utc>) -> bool {
    request.member == member && request.state.is_active() && offer.is_open(now)
}

/// A host decides on a request that still waits for them, while the offer is
/// open; a second press on Approve finds it decided.
pub fn may_decide(offer: &Offer, request: &SeatRequest, now: DateTime<Utc>) -> bool {
    request.state == RequestState::Pending && offer.is_open(now)
}

/// What a decision makes of a pending request: approved, a seat if one is
/// free and otherwise the end of the waitlist (approval never overbooks);
/// declined, declined.
pub fn decided_state(approve: bool, offer: &Offer) -> RequestState {
    match (approve, offer.confirmed < offer.seats) {
        (true, true) => RequestState::Confirmed,
        (true, false) => RequestState::Waitlisted,
        (false, _) => RequestState::Declined,
    }
}

/// Cancelling a confirmed request frees its seat for the first on the
/// waitlist; cancelling a place in the queue or a pending request frees none.
pub fn cancelling_frees_a_seat(request: &SeatRequest) -> bool {
    request.state == RequestState::Confirmed
}

/// A host withdraws an offer that has not ended or been withdrawn.
pub fn may_withdraw(offer: &Offer, now: DateTime<Utc>) -> bool {
    offer.is_open(now)
}
