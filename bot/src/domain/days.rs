//! The weekdays a community pairs on, and its pairing settings.

use std::fmt;

use super::ArgError;
use crate::i18n::Msg;

use super::when::{weekday_named, DUTCH_DAYS, ENGLISH_DAYS};
use super::ClockTime;

/// The weekdays a community pairs on: `mon-fri`, `mon,wed,fri`, `daily`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairingDays(u8);

impl PairingDays {
    pub const WEEKDAYS: PairingDays = PairingDays(0b0011111);
    pub const DAILY: PairingDays = PairingDays(0b1111111);

    /// A day by name, Dutch short forms (`ma`, `vr`) included: a list of
    /// days has no note to mistake them for.
    fn day(word: &str) -> Option<chrono::Weekday> {
        weekday_named(word).or_else(|| {
            let index = DUTCH_DAYS.iter().position(|d| *d == word)?;
            chrono::Weekday::try_from(u8::try_from(index).ok()?).ok()
        })
    }

    /// As the community's language writes it (and reads it back: `ma-vr`,
    /// `dagelijks`).
    pub fn written_in(self, locale: crate::Locale) -> String {
        match locale {
            crate::Locale::En => self.written_with(ENGLISH_DAYS, "daily"),
            crate::Locale::Nl => self.written_with(DUTCH_DAYS, "dagelijks"),
        }
    }

    /// The shortest form: every day, a range (`mon-fri`) or a list
    /// (`mon,wed,fri`), with these names.
    fn written_with(self, names: [&str; 7], daily: &str) -> String {
        if self == Self::DAILY {
            return daily.to_string();
        }
        let days: Vec<usize> = (0..7).filter(|d| self.0 & (1 << d) != 0).collect();
        let contiguous = days.windows(2).all(|w| w[1] == w[0] + 1);
        if days.len() >= 3 && contiguous {
            return format!("{}-{}", names[days[0]], names[days[days.len() - 1]]);
        }
        days.iter().map(|&d| names[d]).collect::<Vec<_>>().join(",")
    }

    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let text = input.trim().to_lowercase();
        let bad = |what: &str| ArgError::new(Msg::NotADay).with("input", what).hint_msg(Msg::DaysHint);
        if matches!(text.as_str(), "daily" | "every day" | "dagelijks" | "elke dag") {
            return Ok(Self::DAILY);
        }
        if text == "weekdays" || text == "werkdagen" {
            return Ok(Self::WEEKDAYS);
        }
        let mut bits = 0u8;
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part.split_once('-') {
                Some((from, to)) => {
                    let (from, to) = (
                        Self::day(from.trim()).ok_or_else(|| bad(from))?,
                        Self::day(to.trim()).ok_or_else(|| bad(to))?,
                    );
                    let mut d = from;
                    loop {
                        bits |= 1 << d.num_days_from_monday();
                        if d == to {
                            break;
                        }
                        d = d.succ();
                    }
                }
                None => bits |= 1 << Self::day(part).ok_or_else(|| bad(part))?.num_days_from_monday(),
            }
        }
        if bits == 0 {
            return Err(ArgError::new(Msg::NoDays).hint_msg(Msg::DaysHint));
        }
        Ok(PairingDays(bits))
    }

    /// The set of one day.
    pub fn of(day: chrono::Weekday) -> Self {
        PairingDays(1 << day.num_days_from_monday())
    }

    /// The day of a set of one.
    pub fn only(self) -> Option<chrono::Weekday> {
        (self.0.count_ones() == 1)
            .then(|| chrono::Weekday::try_from(self.0.trailing_zeros() as u8).ok())
            .flatten()
    }

    pub fn contains(self, day: chrono::Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }
}

impl fmt::Display for PairingDays {
    /// The shortest form: `daily`, a range (`mon-fri`) or a list (`mon,wed,fri`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written_in(crate::Locale::En))
    }
}

/// When and how a community pairs its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairingSettings {
    /// Local time of the daily round, in the community's zone.
    pub time: ClockTime,
    pub days: PairingDays,
    /// Pairs who met within this many weeks are not paired again while any
    /// other choice exists.
    pub history_weeks: u32,
    /// Rounds are due from this instant on (the community's creation): a
    /// community set up after today's pairing time has its first round at
    /// the next one, not an empty one at once.
    pub starts: chrono::DateTime<chrono::Utc>,
}

impl Default for PairingSettings {
    fn default() -> Self {
        PairingSettings {
            time: ClockTime(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()),
            days: PairingDays::WEEKDAYS,
            history_weeks: 8,
            starts: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        }
    }
}

#[cfg(test)]
mod pairing_value_tests {
    use super::*;

    #[test]
    fn pairing_days_parse_and_print_in_their_shortest_form() {
        for (input, shown) in [
            ("mon-fri", "mon-fri"),
            ("Mon,Wed,Fri", "mon,wed,fri"),
            ("daily", "daily"),
            ("sat,sun", "sat,sun"),
            ("fri-mon", "mon,fri,sat,sun"),
            ("tue-thu", "tue-thu"),
        ] {
            assert_eq!(PairingDays::parse(input).unwrap().to_string(), shown, "{input}");
        }
        assert!(PairingDays::parse("funday").unwrap_err().problem.contains("'funday'"));
        assert!(PairingDays::parse(",").is_err());
        assert!(
            PairingDays::WEEKDAYS.contains(chrono::Weekday::Fri)
                && !PairingDays::WEEKDAYS.contains(chrono::Weekday::Sat)
        );
    }
}
