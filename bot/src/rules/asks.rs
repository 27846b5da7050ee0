//! Whom a question to the room asks (`/ask`, see `commands::ask`).
//!
//! Invariants:
//! - Only members who offer something the question names are asked, read
//!   as today's focus is (`crate::focus`): stems, multi-word tags, no stop
//!   words. Members who turned questions off are never candidates.
//! - At most [`MOST_ASKED`]: those checked in at the asker's space first,
//!   then those checked in elsewhere today, then the rest of the
//!   community; within each, who offers more of what it names, then the
//!   longest-standing member (the smallest id), so the choice is stable.
//! - A member asks at most [`QUESTIONS_PER_DAY`] a day in a community
//!   (the store counts under the asker's lock).

use std::cmp::Reverse;

use crate::domain::{SpaceId, Tag};
use crate::focus::Focus;
use crate::store::PoolEntry;

/// How many members one question asks at most.
pub const MOST_ASKED: usize = 5;

/// How many questions a member may ask a day in one community: enough to
/// get unstuck, few enough that helpers are not asked all day.
pub const QUESTIONS_PER_DAY: u32 = 3;

/// A member a question asks, and the tags of theirs it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Helper<'a> {
    pub entry: &'a PoolEntry,
    pub named: Vec<Tag>,
}

/// Whom `question` asks among `candidates` (see the module note); `here` is
/// the space the asker is checked in at today, if any.
pub fn helpers<'a>(question: &Focus, here: Option<SpaceId>, candidates: &'a [PoolEntry]) -> Vec<Helper<'a>> {
    let mut found: Vec<Helper<'a>> = candidates
        .iter()
        .filter_map(|entry| {
            let named = question.met_by(&entry.contact.profile.offers);
            (!named.is_empty()).then_some(Helper { entry, named })
        })
        .collect();
    found.sort_by_key(|h| {
        let beside = here.is_some() && h.entry.space == here;
        (
            Reverse(beside),
            Reverse(h.entry.space.is_some()),
            Reverse(h.named.len()),
            h.entry.contact.card.id,
        )
    });
    found.truncate(MOST_ASKED);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, offers: &str, space: Option<i64>) -> PoolEntry {
        PoolEntry::sample(id, offers, space, "")
    }

    fn asked(question: &str, here: Option<i64>, pool: &[PoolEntry]) -> Vec<i64> {
        helpers(&Focus::of(question), here.map(SpaceId), pool)
            .iter()
            .map(|h| h.entry.contact.card.id.0)
            .collect()
    }

    #[test]
    fn only_those_who_offer_what_the_question_names_are_asked() {
        let pool = [
            entry(1, "design", None),
            entry(2, "postgres", None),
            entry(3, "machine-learning", None),
        ];
        assert_eq!(asked("who knows postgres replication?", None, &pool), [2]);
        assert_eq!(asked("a machine learning question", None, &pool), [3]);
        assert_eq!(asked("learning machines", None, &pool), Vec::<i64>::new());
        assert!(
            asked("who can help me today?", None, &pool).is_empty(),
            "stop words name nothing"
        );
    }

    #[test]
    fn those_beside_the_asker_come_first_then_those_checked_in_then_who_names_more() {
        let pool = [
            entry(1, "postgres, rust", None),
            entry(2, "postgres", Some(8)),
            entry(3, "postgres", Some(7)),
            entry(4, "postgres", None),
        ];
        assert_eq!(asked("postgres and rust", Some(7), &pool), [3, 2, 1, 4]);
        assert_eq!(asked("postgres and rust", None, &pool), [2, 3, 1, 4]);
    }

    #[test]
    fn at_most_five_are_asked() {
        let pool: Vec<PoolEntry> = (1..=9).map(|i| entry(i, "postgres", None)).collect();
        assert_eq!(asked("postgres", None, &pool), [1, 2, 3, 4, 5]);
    }
}
