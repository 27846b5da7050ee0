//! The rules that decide, as pure functions: who gets a seat, who may act on
//! an offer, whom a check-in suggests, and when a word mistypes a space. The
//! handlers gather the facts and apply these; tests exercise them directly.

use chrono::{DateTime, Utc};

use crate::fit::Fit;
use crate::store::{Admission, Offer, Presence, Profile, Refusal, RequestState, SeatRequest, Space};
use crate::suggest::closest;

/// How many people a check-in reply suggests meeting.
pub const SUGGESTIONS: usize = 3;

/// Whether a request for `offer` gets a seat, a place on the waitlist, waits
/// for the host, or is refused; decided under the offer's lock from its
/// counts, the member's existing request and their profile.
pub fn admit(offer: &Offer, existing: Option<&SeatRequest>, profile: &Profile, now: DateTime<Utc>) -> Admission {
    if !offer.is_open(now) {
        Admission::Refuse(Refusal::OfferClosed)
    } else if existing.is_some_and(|r| r.state.is_active()) {
        Admission::Refuse(Refusal::AlreadyRequested)
    } else if offer.open_profile_required && profile.offers.is_empty() {
        Admission::Refuse(Refusal::ProfileRequired)
    } else if offer.needs_approval {
        Admission::Place(RequestState::Pending)
    } else if offer.confirmed < offer.seats {
        Admission::Place(RequestState::Confirmed)
    } else {
        Admission::Place(RequestState::Waitlisted)
    }
}

/// Power over an offer (its requests, approving, declining, withdrawing,
/// hearing of new requests) belongs to whoever hosts its space now, or an
/// admin; having posted it gives none.
pub fn may_act_on_offer(hosts_its_space: bool, is_admin: bool) -> bool {
    hosts_its_space || is_admin
}

/// Whom to suggest to a member checked in at `place`: the others there, best
/// fit first (ties to whoever arrived first), at most [`SUGGESTIONS`].
pub fn suggestions<'p>(
    me: &Profile,
    my_focus: &crate::focus::Focus,
    me_id: crate::domain::MemberId,
    place: Option<crate::domain::SpaceId>,
    present: &'p [Presence],
) -> Vec<(Fit, &'p Presence)> {
    let mut others: Vec<(Fit, &Presence)> = present
        .iter()
        .filter(|p| p.member.id != me_id && (p.space == place || p.space.is_none()))
        .map(|p| {
            let their_focus = crate::focus::Focus::of(p.note.as_str());
            (Fit::with_focus(me, my_focus, &p.profile, &their_focus), p)
        })
        // Someone working remotely is suggested to someone at a space only
        // for a focus: a call is worth it for today's question.
        .filter(|(fit, p)| p.space == place || fit.meets_a_focus())
        .collect();
    // Today's focus first (at the same place, then remote): whoever can
    // help with mine, or whose focus I can help with, comes before any
    // standing profile match.
    others.sort_by(|(fa, pa), (fb, pb)| {
        fb.meets_a_focus()
            .cmp(&fa.meets_a_focus())
            .then((pb.space == place).cmp(&(pa.space == place)))
            .then(fb.score().cmp(&fa.score()))
            .then(pa.checked_in_at.cmp(&pb.checked_in_at))
            .then(pa.member.display_name.cmp(&pb.member.display_name))
    });
    others.truncate(SUGGESTIONS);
    others
}

/// The space a first word of `/checkin` surely mistypes, rather than starting
/// a note: one that `/checkin` would suggest anyway, and a word that reads like
/// a slug (a hyphen or a digit), is long enough not to be an ordinary short word
/// (five letters or more), or starts the slug. So "cafe-nord" and "libary" are
/// refused with a suggestion, while "left early" (near "loft") and "lots of
/// calls" are notes.
pub fn near_miss<'s>(word: &str, spaces: &'s [Space]) -> Option<&'s str> {
    let lowered = word.to_lowercase();
    let suggestion = closest(&lowered, spaces.iter().map(|s| s.slug.as_str()))?;
    let slug_like = lowered.contains(|c: char| c == '-' || c.is_ascii_digit());
    let long = lowered.chars().count() >= 5;
    let prefix = lowered.chars().count() >= 3 && suggestion.starts_with(&lowered);
    (slug_like || long || prefix).then_some(suggestion)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{MemberId, Note, OfferId, RequestId, SpaceId, SpaceSlug, Tags, Zone};
    use crate::reply::MemberCard;

    pub(super) fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// A 9-17 offer of one seat at an Amsterdam space on `date`.
    pub(super) fn nine_to_five(date: &str) -> Offer {
        let zone = Zone::parse("Europe/Amsterdam").unwrap();
        let date: chrono::NaiveDate = date.parse().unwrap();
        let window = crate::domain::TimeWindow::parse("9-17").unwrap().unwrap();
        Offer {
            zone,
            local_date: date,
            window: Some(window),
            starts_at: crate::localtime::resolve(date, window.start.0, zone.0),
            ends_at: crate::localtime::resolve(date, window.end.0, zone.0),
            ..offer(1, 1)
        }
    }

    pub(super) fn offer(seats: u32, confirmed: u32) -> Offer {
        Offer {
            id: OfferId(1),
            space: SpaceId(1),
            space_slug: SpaceSlug::parse("loft").unwrap(),
            zone: Zone::UTC,
            host: MemberId(9),
            local_date: "2026-11-25".parse().unwrap(),
            window: None,
            starts_at: t("2026-11-25T00:00:00Z"),
            ends_at: t("2026-11-26T00:00:00Z"),
            seats,
            confirmed,
            waitlisted: 0,
            pending: 0,
            note: Note::default(),
            withdrawn: false,
            needs_approval: false,
            open_profile_required: false,
            release_after: Some(60),
        }
    }

    pub(super) fn request(state: RequestState) -> SeatRequest {
        SeatRequest {
            number: 1,
            id: RequestId(5),
            offer: OfferId(1),
            member: MemberId(2),
            state,
            position: None,
            requested_at: t("2026-11-24T09:00:00Z"),
            decided_at: None,
            claimed_at: None,
            reminded_eve_at: None,
            reminded_late_at: None,
            coming_at: None,
            reason: None,
        }
    }

    #[test]
    fn approving_gives_a_free_seat_or_the_waitlist_and_never_overbooks() {
        assert_eq!(decided_state(true, &offer(2, 1)), RequestState::Confirmed);
        assert_eq!(decided_state(true, &offer(2, 2)), RequestState::Waitlisted);
        assert_eq!(decided_state(false, &offer(2, 0)), RequestState::Declined);
    }

    #[test]
    fn only_a_pending_request_of_an_open_offer_can_be_decided() {
        let now = t("2026-11-25T10:00:00Z");
        assert!(may_decide(&offer(2, 0), &request(RequestState::Pending), now));
        assert!(!may_decide(&offer(2, 0), &request(RequestState::Confirmed), now));
        assert!(!may_decide(
            &offer(2, 0),
            &request(RequestState::Pending),
            t("2026-11-26T00:00:00Z")
        ));
    }

    #[test]
    fn a_member_cancels_only_their_own_active_request() {
        let now = t("2026-11-25T10:00:00Z");
        assert!(may_cancel(
            &offer(2, 1),
            &request(RequestState::Confirmed),
            MemberId(2),
            now
        ));
        assert!(!may_cancel(
            &offer(2, 1),
            &request(RequestState::Confirmed),
            MemberId(3),
            now
        ));
        assert!(!may_cancel(
            &offer(2, 1),
            &request(RequestState::Cancelled),
            MemberId(2),
            now
        ));
    }

    fn profile(offers: &str, wants: &str) -> Profile {
        let tags = |s: &str| {
            if s.is_empty() {
                Tags::default()
            } else {
                Tags::parse_list(s).unwrap()
            }
        };
        Profile {
            offers: tags(offers),
            wants: tags(wants),
            about: Note::default(),
        }
    }

    #[test]
    fn seats_go_to_the_first_askers_then_the_waitlist() {
        let now = t("2026-11-24T09:00:00Z");
        let nobody = Profile::default();
        assert_eq!(
            admit(&offer(2, 1), None, &nobody, now),
            Admission::Place(RequestState::Confirmed)
        );
        assert_eq!(
            admit(&offer(2, 2), None, &nobody, now),
            Admission::Place(RequestState::Waitlisted)
        );
        let approval = Offer {
            needs_approval: true,
            ..offer(2, 0)
        };
        assert_eq!(
            admit(&approval, None, &nobody, now),
            Admission::Place(RequestState::Pending)
        );
    }

    #[test]
    fn a_seat_is_refused_when_closed_asked_already_or_the_profile_is_closed() {
        let now = t("2026-11-24T09:00:00Z");
        let nobody = Profile::default();
        let over = t("2026-11-26T00:00:00Z");
        assert_eq!(
            admit(&offer(2, 0), None, &nobody, over),
            Admission::Refuse(Refusal::OfferClosed)
        );
        let withdrawn = Offer {
            withdrawn: true,
            ..offer(2, 0)
        };
        assert_eq!(
            admit(&withdrawn, None, &nobody, now),
            Admission::Refuse(Refusal::OfferClosed)
        );
        let mine = request(RequestState::Waitlisted);
        assert_eq!(
            admit(&offer(2, 0), Some(&mine), &nobody, now),
            Admission::Refuse(Refusal::AlreadyRequested)
        );
        let cancelled = request(RequestState::Cancelled);
        assert_eq!(
            admit(&offer(2, 0), Some(&cancelled), &nobody, now),
            Admission::Place(RequestState::Confirmed),
            "after a cancel one may ask again"
        );
        let open = Offer {
            open_profile_required: true,
            ..offer(2, 0)
        };
        assert_eq!(
            admit(&open, None, &nobody, now),
            Admission::Refuse(Refusal::ProfileRequired)
        );
        assert_eq!(
            admit(&open, None, &profile("rust", ""), now),
            Admission::Place(RequestState::Confirmed)
        );
    }

    #[test]
    fn only_hosting_the_space_now_or_being_admin_gives_power_over_an_offer() {
        assert!(may_act_on_offer(true, false));
        assert!(may_act_on_offer(false, true));
        assert!(!may_act_on_offer(false, false), "having posted the offer is no power");
    }

    fn present(id: i64, space: Option<i64>, at: &str, offers: &str, wants: &str) -> Presence {
        Presence {
            member: MemberCard {
                id: MemberId(id),
                display_name: format!("m{id}"),
                handles: Vec::new(),
            },
            profile: profile(offers, wants),
            space: space.map(SpaceId),
            note: Note::default(),
            checked_in_at: t(at),
            until: None,
        }
    }

    #[test]
    fn suggestions_rank_by_fit_then_arrival_at_the_same_place_only() {
        let me = profile("design", "rust");
        let everyone = vec![
            present(1, Some(1), "2026-11-24T08:00:00Z", "", ""),
            present(2, Some(1), "2026-11-24T08:30:00Z", "rust", ""),
            present(3, Some(1), "2026-11-24T08:10:00Z", "", ""),
            present(4, Some(2), "2026-11-24T07:00:00Z", "rust", "design"),
            present(5, None, "2026-11-24T07:00:00Z", "rust", ""),
            present(6, Some(1), "2026-11-24T09:00:00Z", "", "design"),
            present(7, Some(1), "2026-11-24T07:00:00Z", "", ""),
        ];
        let none = crate::focus::Focus::default();
        let picked: Vec<i64> = suggestions(&me, &none, MemberId(7), Some(SpaceId(1)), &everyone)
            .iter()
            .map(|(_, p)| p.member.id.0)
            .collect();
        assert_eq!(
            picked,
            [2, 6, 1],
            "fit first, then who came first; other places and me left out"
        );
    }

    #[test]
    fn todays_focus_comes_before_any_profile_match_both_ways() {
        let me = profile("funding", "rust, design");
        let mut everyone = vec![
            present(1, Some(1), "2026-11-24T08:00:00Z", "rust, design", ""),
            present(2, Some(1), "2026-11-24T08:30:00Z", "postgres", ""),
            present(3, Some(1), "2026-11-24T08:40:00Z", "", ""),
        ];
        everyone[2].note = Note::parse("pitching to investors, need some funding advice").unwrap();
        everyone.push(present(4, None, "2026-11-24T07:00:00Z", "postgres", ""));
        everyone.push(present(5, None, "2026-11-24T07:00:00Z", "rust, design", ""));
        let focus = crate::focus::Focus::of("migrating to postgres");
        let ranked = suggestions(&me, &focus, MemberId(9), Some(SpaceId(1)), &everyone);
        let picked: Vec<i64> = ranked.iter().map(|(_, p)| p.member.id.0).collect();
        assert_eq!(
            picked,
            [2, 3, 4],
            "focus matches here, then remote; a remote profile match is not suggested"
        );
        let without: Vec<i64> = suggestions(&me, &Default::default(), MemberId(9), Some(SpaceId(1)), &everyone)
            .iter()
            .map(|(_, p)| p.member.id.0)
            .collect();
        assert_eq!(
            without,
            [3, 1, 2],
            "without mine, their focus still comes first; nobody remote"
        );
        assert_eq!(ranked[0].0.help_my_focus[0].as_str(), "postgres");
        assert_eq!(ranked[1].0.help_their_focus[0].as_str(), "funding");
        assert!(ranked[1].0.i_help_them.is_empty(), "counted once, as the focus");
    }

    #[test]
    fn a_near_miss_reads_like_a_slug_and_ordinary_words_do_not() {
        let space = |slug: &str| Space {
            id: SpaceId(1),
            slug: SpaceSlug::parse(slug).unwrap(),
            zone: Zone::UTC,
            capacity: None,
            needs_approval: false,
            open_profile_required: false,
            release_after: None,
        };
        let spaces = [space("loft"), space("hub"), space("cafe-noord"), space("library")];
        assert_eq!(near_miss("cafe-nord", &spaces), Some("cafe-noord"));
        assert_eq!(near_miss("libary", &spaces), Some("library"));
        assert_eq!(near_miss("caf", &spaces), Some("cafe-noord"), "a prefix");
        assert_eq!(near_miss("left", &spaces), None);
        assert_eq!(near_miss("lots", &spaces), None);
        assert_eq!(near_miss("lunch", &spaces), None);
    }
}

pub mod asks;
pub mod linking;
pub mod release;
pub mod reminders;
mod requests;
pub use requests::{cancelling_frees_a_seat, decided_state, may_cancel, may_decide, may_withdraw};
