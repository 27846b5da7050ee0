//! What a place earns (`/report`, the weekly digest): the rows the store
//! kept, folded into figures.
//!
//! Invariants (the README's "What a place earns" says why):
//! - Confirmed: a seat held at some point (confirmed now, released, or
//!   claimed by a check-in); used: claimed by a check-in; no-shows: seats
//!   released, plus seats still held unclaimed on offers that are over.
//! - Coworkers are the members who checked in within the period (at the
//!   space, for a space's report); first-timers had no check-in there
//!   before it, as far as check-ins are kept. A member erased by /forgetme
//!   still counts, by a number and without tags, as in every other figure.
//! - Knowledge present: the tags most offered by those coworkers; gaps: the
//!   tags they want that none of them offers. Tags, never names.

use std::collections::BTreeMap;

pub mod chart;

use chrono::NaiveDate;

use crate::store::{ReportRows, RequestState};

/// How many tags the knowledge and the gaps list at most.
pub const TOP_TAGS: usize = 5;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeatFigures {
    pub offered: u64,
    pub requested: u64,
    pub confirmed: u64,
    pub used: u64,
    pub released: u64,
    pub no_shows: u64,
}

/// One day of the period, as the chart draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub seats_used: u64,
    /// Introductions that day confirmed met.
    pub met: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub seats: SeatFigures,
    pub coworkers: u64,
    pub first_timers: u64,
    pub introductions: u64,
    pub met: u64,
    pub questions_asked: u64,
    pub questions_answered: u64,
    /// The tags most offered by those who came, with how many offer each.
    pub knowledge: Vec<(String, u64)>,
    /// Tags wanted by those who came and offered by none of them, with how
    /// many want each.
    pub gaps: Vec<(String, u64)>,
    /// Every date of the period, oldest first.
    pub days: Vec<Day>,
}

/// The figures of `rows` over `from..=to`.
pub fn figures(rows: &ReportRows, from: NaiveDate, to: NaiveDate) -> Figures {
    let mut seats = SeatFigures {
        offered: rows.seats_offered,
        ..SeatFigures::default()
    };
    let mut days: BTreeMap<NaiveDate, Day> = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|date| {
            (
                date,
                Day {
                    date,
                    seats_used: 0,
                    met: 0,
                },
            )
        })
        .collect();
    for t in &rows.requests {
        seats.requested += t.count;
        let held = matches!(t.state, RequestState::Confirmed | RequestState::Released) || t.claimed;
        if held {
            seats.confirmed += t.count;
        }
        if t.claimed {
            seats.used += t.count;
            if let Some(day) = days.get_mut(&t.date) {
                day.seats_used += t.count;
            }
        }
        if t.state == RequestState::Released {
            seats.released += t.count;
            seats.no_shows += t.count;
        } else if t.state == RequestState::Confirmed && !t.claimed && t.offer_over {
            seats.no_shows += t.count;
        }
    }
    let mut met = 0;
    for i in rows.introductions.iter().filter(|i| i.met) {
        met += 1;
        if let Some(day) = days.get_mut(&i.date) {
            day.met += 1;
        }
    }
    let mut offered: BTreeMap<&str, u64> = BTreeMap::new();
    let mut wanted: BTreeMap<&str, u64> = BTreeMap::new();
    for c in &rows.coworkers {
        for tag in c.offers.iter() {
            *offered.entry(tag.as_str()).or_default() += 1;
        }
        for tag in c.wants.iter() {
            *wanted.entry(tag.as_str()).or_default() += 1;
        }
    }
    let gaps: Vec<(&str, u64)> = wanted
        .into_iter()
        .filter(|(tag, _)| !offered.contains_key(tag))
        .collect();
    Figures {
        seats,
        coworkers: rows.coworkers.len() as u64,
        first_timers: rows.coworkers.iter().filter(|c| c.first_ever >= from).count() as u64,
        introductions: rows.introductions.len() as u64,
        met,
        questions_asked: rows.questions_asked,
        questions_answered: rows.questions_answered,
        knowledge: top(offered.into_iter().collect()),
        gaps: top(gaps),
        days: days.into_values().collect(),
    }
}

/// The most frequent first, then by name; at most [`TOP_TAGS`].
fn top(mut tags: Vec<(&str, u64)>) -> Vec<(String, u64)> {
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    tags.into_iter()
        .take(TOP_TAGS)
        .map(|(t, n)| (t.to_string(), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Tags;
    use crate::store::{Coworker, IntroductionTally, RequestTally};

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn tally(d: u32, state: RequestState, claimed: bool, offer_over: bool, count: u64) -> RequestTally {
        RequestTally {
            date: date(d),
            state,
            claimed,
            offer_over,
            count,
        }
    }

    fn coworker(first: u32, offers: &str, wants: &str) -> Coworker {
        Coworker {
            first_ever: date(first),
            offers: Tags::parse_list(offers).unwrap_or_default(),
            wants: Tags::parse_list(wants).unwrap_or_default(),
        }
    }

    #[test]
    fn seats_people_meetings_and_tags_are_counted_as_the_readme_says() {
        use RequestState::*;
        let rows = ReportRows {
            seats_offered: 10,
            requests: vec![
                tally(16, Confirmed, true, true, 3),
                tally(16, Confirmed, false, true, 1),
                tally(17, Confirmed, false, false, 2),
                tally(17, Released, false, true, 1),
                tally(17, Cancelled, true, true, 1),
                tally(18, Waitlisted, false, false, 2),
                tally(18, Cancelled, false, false, 1),
            ],
            coworkers: vec![
                coworker(1, "postgres, design", "funding"),
                coworker(16, "postgres", "illustration, funding"),
                coworker(20, "rust", "design"),
            ],
            introductions: vec![
                IntroductionTally {
                    date: date(16),
                    met: true,
                },
                IntroductionTally {
                    date: date(16),
                    met: false,
                },
                IntroductionTally {
                    date: date(18),
                    met: true,
                },
            ],
            questions_asked: 4,
            questions_answered: 3,
        };
        let f = figures(&rows, date(16), date(22));
        assert_eq!(
            f.seats,
            SeatFigures {
                offered: 10,
                requested: 11,
                confirmed: 8,
                used: 4,
                released: 1,
                no_shows: 2,
            }
        );
        assert_eq!((f.coworkers, f.first_timers), (3, 2));
        assert_eq!((f.introductions, f.met), (3, 2));
        assert_eq!(
            f.knowledge,
            [("postgres".into(), 2), ("design".into(), 1), ("rust".into(), 1)]
        );
        assert_eq!(f.gaps, [("funding".into(), 2), ("illustration".into(), 1)]);
        assert_eq!(f.days.len(), 7);
        assert_eq!(
            f.days[..3].iter().map(|d| (d.seats_used, d.met)).collect::<Vec<_>>(),
            [(3, 1), (1, 0), (0, 1)]
        );
    }
}
