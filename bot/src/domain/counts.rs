//! Counts and numbers as typed: seats on an offer, offer numbers, and the
//! bounds every count a command takes is held to.

use super::ArgError;
use crate::i18n::{Msg, Text};

/// How many seats an offer has: 1 to 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SeatCount(u32);

/// The bounds of the counts commands take, written once for the grammar
/// and for the platforms' typed options (Discord's INTEGER min and max).
pub mod bounds {
    /// Seats in one offer.
    pub const SEATS: (u32, u32) = (1, super::SeatCount::MAX);
    /// A space's capacity.
    pub const CAPACITY: (u32, u32) = (1, 10_000);
    /// Days of a pairing pause.
    pub const PAUSE_DAYS: (u32, u32) = (1, 90);
    /// Weeks in which a pair is not repeated.
    pub const HISTORY_WEEKS: (u32, u32) = (1, 52);
    /// An offer's or a request's number.
    pub const NUMBER: (u32, u32) = (1, u32::MAX);
}

impl SeatCount {
    pub const MAX: u32 = 500;

    pub fn new(n: i64) -> Result<Self, ArgError> {
        if (1..=i64::from(Self::MAX)).contains(&n) {
            Ok(SeatCount(n as u32))
        } else {
            Err(ArgError::new(Msg::SeatsOutOfRange)
                .with("n", n)
                .hint(Text::new(Msg::SeatsRangeHint).with("max", Self::MAX)))
        }
    }

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        match input.trim().parse::<i64>() {
            Ok(n) => Self::new(n),
            Err(_) => Err(ArgError::new(Msg::NotSeats)
                .with("input", input)
                .hint(Text::new(Msg::NotSeatsHint).with("max", Self::MAX))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// An offer or request id as typed: `12` or `#12`.
pub fn parse_id(input: &str) -> Option<i64> {
    let digits = input.trim().trim_start_matches('#');
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
mod seat_value_tests {
    use super::*;
    use crate::domain::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_resolve_against_the_local_today() {
        let tuesday = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let on = |w: &str| DateArg::parse(w).unwrap().unwrap().resolve(tuesday).to_string();
        assert_eq!(on("today"), "2026-11-24");
        assert_eq!(on("Tomorrow"), "2026-11-25");
        assert_eq!(on("tuesday"), "2026-11-24", "a weekday includes today");
        assert_eq!(on("mon"), "2026-11-30");
        assert_eq!(on("2026-12-01"), "2026-12-01");
        assert!(DateArg::parse("2026-02-30").unwrap().is_err());
        assert!(DateArg::parse("quiet").is_none());
    }

    #[test]
    fn windows_must_end_after_they_start() {
        let w = TimeWindow::parse("9-17").unwrap().unwrap();
        assert_eq!(w.to_string(), "09:00–17:00");
        assert_eq!(
            TimeWindow::parse("09:00-17:30").unwrap().unwrap().end.to_string(),
            "17:30"
        );
        assert!(TimeWindow::parse("17-9")
            .unwrap()
            .unwrap_err()
            .problem
            .contains("ends before it starts"));
        assert!(TimeWindow::parse("9-25").unwrap().is_err());
        assert!(TimeWindow::parse("cafe-noord").is_none());
    }

    #[test]
    fn dutch_days_and_the_phrasings_hosts_use() {
        let tuesday = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let on = |w: &str| DateArg::parse(w).unwrap().unwrap().resolve(tuesday).to_string();
        assert_eq!(on("vandaag"), "2026-11-24");
        assert_eq!(on("morgen"), "2026-11-25");
        assert_eq!(on("Vrijdag"), "2026-11-27");
        assert!(DateArg::parse("do").is_none(), "short Dutch days are note words");
        // 10/12 is two different days: refused, naming the ISO form.
        let refused = DateArg::parse("10/12").unwrap().unwrap_err();
        assert!(refused.hint.is_some());
        assert!(DateArg::parse("10.12.2026").unwrap().is_err());
        let window = |w: &str| TimeWindow::parse(w).unwrap().unwrap().to_string();
        assert_eq!(window("9am-5pm"), "09:00–17:00");
        assert_eq!(window("9:00–17:00"), "09:00–17:00", "an en dash");
        assert_eq!(window("9.30-12.45"), "09:30–12:45");
        assert_eq!(window("12am-12pm"), "00:00–12:00");
        assert_eq!(window("morning"), "09:00–12:00");
        assert_eq!(window("Middag"), "13:00–17:00");
        assert_eq!(window("avond"), "18:00–22:00");
        assert!(TimeWindow::parse("13pm-14pm").is_none(), "no such hour: a note word");
        assert_eq!(PairingDays::parse("ma-vr").unwrap(), PairingDays::WEEKDAYS);
        assert_eq!(PairingDays::parse("dagelijks").unwrap(), PairingDays::DAILY);
        assert_eq!(PairingDays::WEEKDAYS.written_in(crate::Locale::Nl), "ma-vr");
        assert_eq!(
            PairingDays::parse("mon,wed,fri").unwrap().written_in(crate::Locale::Nl),
            "ma,wo,vr"
        );
    }

    #[test]
    fn seat_counts_are_1_to_500() {
        assert!(SeatCount::parse("0").is_err());
        assert!(SeatCount::parse("501").is_err());
        assert!(SeatCount::parse("-3").is_err());
        assert_eq!(SeatCount::parse("500").unwrap().get(), 500);
        assert!(SeatCount::parse("four").unwrap_err().problem.contains("'four'"));
        assert_eq!(parse_id("#12"), Some(12));
        assert_eq!(parse_id("cafe"), None);
    }
}
