//! How two members become one when a person links their identities
//! (`/link`): the merge rules, decided here and applied by the store.
//!
//! - **Profile:** offers and wants are the union of both (the kept member's
//!   tags first when the union passes the limit); the line about them is the
//!   kept member's, or the other's when the kept one has none.
//! - **Seat requests:** one per member per offer still holds. Where both
//!   asked for the same offer, the better place is kept: a seat, then
//!   waiting for a host, then the earlier waitlist place; a tie keeps the
//!   kept member's. If both held a seat, the second seat is given back and
//!   goes to the first on the waitlist, who is told.
//! - **Check-ins:** where both checked in on the same day in the same
//!   community, the later check-in is kept.
//! - **Memberships:** admin if either was; joined at the earlier date;
//!   in the daily pairing if either was; the kept member's pause.
//! - **Pairing history:** both histories count (neither is introduced again
//!   to anyone either met); a round both were in keeps the kept member's place.

use crate::domain::Tags;
use crate::store::{Profile, RequestState};

/// The profile of the joined member.
pub fn merge_profiles(kept: &Profile, merged: &Profile) -> Profile {
    Profile {
        offers: union(&kept.offers, &merged.offers),
        wants: union(&kept.wants, &merged.wants),
        about: if kept.about.as_str().is_empty() {
            merged.about.clone()
        } else {
            kept.about.clone()
        },
    }
}

fn union(kept: &Tags, merged: &Tags) -> Tags {
    let mut tags: Vec<_> = kept.iter().cloned().collect();
    for tag in merged.iter() {
        if tags.len() >= Tags::MAX {
            break;
        }
        if !kept.contains(tag) {
            tags.push(tag.clone());
        }
    }
    Tags::from_tags(tags)
}

/// A request's standing on its offer, for choosing the better of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub state: RequestState,
    /// Its place in the offer's queue (lower asked earlier).
    pub queue_no: i64,
}

impl Standing {
    fn rank(self) -> u8 {
        match self.state {
            RequestState::Confirmed => 0,
            RequestState::Pending => 1,
            RequestState::Waitlisted => 2,
            RequestState::Cancelled | RequestState::Declined | RequestState::Withdrawn | RequestState::Released => 3,
        }
    }
}

/// Whether the merged member's request is better than the kept member's
/// (and so is the one kept); on a tie the kept member's stays.
pub fn merged_request_is_better(kept: Standing, merged: Standing) -> bool {
    let (k, m) = (kept.rank(), merged.rank());
    m < k || (m == k && merged.state == RequestState::Waitlisted && merged.queue_no < kept.queue_no)
}

/// Whether merging frees a seat: both held one.
pub fn frees_a_seat(kept: Standing, merged: Standing) -> bool {
    kept.state == RequestState::Confirmed && merged.state == RequestState::Confirmed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Note;

    fn tags(s: &str) -> Tags {
        Tags::parse_list(s).unwrap()
    }

    fn standing(state: RequestState, queue_no: i64) -> Standing {
        Standing { state, queue_no }
    }

    #[test]
    fn profiles_join_their_tags_and_keep_one_line() {
        let kept = Profile {
            offers: tags("rust"),
            wants: tags("design"),
            about: Note::default(),
        };
        let merged = Profile {
            offers: tags("sql, rust"),
            wants: tags("marketing"),
            about: Note::parse("Builds bots").unwrap(),
        };
        let joined = merge_profiles(&kept, &merged);
        assert_eq!(joined.offers, tags("rust, sql"));
        assert_eq!(joined.wants, tags("design, marketing"));
        assert_eq!(joined.about.as_str(), "Builds bots", "the kept one had none");
        let kept_about = Profile {
            about: Note::parse("Mine").unwrap(),
            ..kept
        };
        assert_eq!(merge_profiles(&kept_about, &merged).about.as_str(), "Mine");
    }

    #[test]
    fn the_union_of_tags_stays_within_the_limit_keeping_the_kept_members_first() {
        let many = |prefix: &str| {
            Tags::from_tags(
                (0..Tags::MAX)
                    .map(|i| crate::domain::Tag::parse(&format!("{prefix}{i:02}")).unwrap())
                    .collect(),
            )
        };
        assert_eq!(union(&many("a"), &many("b")), many("a"));
    }

    #[test]
    fn the_better_place_is_kept() {
        use RequestState::*;
        assert!(merged_request_is_better(
            standing(Waitlisted, 5),
            standing(Confirmed, 9)
        ));
        assert!(merged_request_is_better(
            standing(Waitlisted, 5),
            standing(Waitlisted, 3)
        ));
        assert!(!merged_request_is_better(
            standing(Waitlisted, 3),
            standing(Waitlisted, 5)
        ));
        assert!(merged_request_is_better(standing(Waitlisted, 1), standing(Pending, 4)));
        assert!(merged_request_is_better(
            standing(Cancelled, 1),
            standing(Waitlisted, 4)
        ));
        assert!(
            !merged_request_is_better(standing(Confirmed, 2), standing(Confirmed, 1)),
            "a tie keeps the kept one's"
        );
        assert!(!merged_request_is_better(standing(Cancelled, 2), standing(Declined, 1)));
        assert!(frees_a_seat(standing(Confirmed, 2), standing(Confirmed, 1)));
        assert!(!frees_a_seat(standing(Confirmed, 2), standing(Waitlisted, 1)));
    }
}
