//! Dates and times as typed: times of day, dates, windows of hours, seat
//! counts and offer numbers, pairing days; and what merely looks like one.

use std::fmt;

use chrono::NaiveTime;

use super::ArgError;
use crate::i18n::{Msg, Text};

/// What a word that is not understood as a date or a time looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenLike {
    Date,
    Time,
}

/// Whether a word looks like a date or a time (`01/12/2026`, `5pm`, `17:00`,
/// `december`, `3rd`), so that it is never quietly taken as part of a note.
/// Bare numbers are not: "2 desks" is a note.
pub fn looks_like_when(word: &str) -> Option<WhenLike> {
    let w = word
        .trim_matches(|c: char| matches!(c, ',' | ';' | '!' | '?' | '(' | ')'))
        .trim_end_matches('.')
        .to_lowercase();
    let has_digit = w.bytes().any(|b| b.is_ascii_digit());
    if DateArg::parse(&w).is_some() || matches!(w.as_str(), "tonight" | "yesterday") {
        return Some(WhenLike::Date);
    }
    const MONTHS: &[&str] = &[
        "jan",
        "january",
        "feb",
        "february",
        "march",
        "apr",
        "april",
        "june",
        "jun",
        "jul",
        "july",
        "aug",
        "august",
        "sep",
        "sept",
        "september",
        "oct",
        "october",
        "nov",
        "november",
        "dec",
        "december",
    ];
    if MONTHS.contains(&w.as_str()) {
        return Some(WhenLike::Date);
    }
    if matches!(w.as_str(), "noon" | "midnight") {
        return Some(WhenLike::Time);
    }
    if !has_digit {
        return None;
    }
    let digits_then = |suffixes: &[&str]| {
        suffixes.iter().any(|suffix| {
            w.strip_suffix(suffix).is_some_and(|head| {
                !head.is_empty() && head.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
            })
        })
    };
    if w.contains(':') || digits_then(&["am", "pm", "h", "u", "uur"]) {
        return Some(WhenLike::Time);
    }
    if digits_then(&["st", "nd", "rd", "th"]) {
        return Some(WhenLike::Date);
    }
    if w.contains('-') && TimeWindow::parse(&w).is_some() {
        return Some(WhenLike::Time);
    }
    // A window of hours written some other way: `9am-5pm`, `9h-17h`.
    if let Some((from, to)) = w.split_once('-') {
        if [from, to]
            .iter()
            .any(|half| looks_like_when(half) == Some(WhenLike::Time))
        {
            return Some(WhenLike::Time);
        }
    }
    let separated_digits = w.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'/' | b'.' | b'-'));
    (separated_digits && w.contains(['/', '.', '-'])).then_some(WhenLike::Date)
}

/// The days' short names, Monday first, as each language writes them.
const ENGLISH_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DUTCH_DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];

/// A weekday by its name (lowercase): English in full or short (`fri`,
/// `thurs`), Dutch in full (`vrijdag`).
fn weekday_named(word: &str) -> Option<chrono::Weekday> {
    use chrono::Weekday::*;
    Some(match word {
        "mon" | "monday" | "maandag" => Mon,
        "tue" | "tues" | "tuesday" | "dinsdag" => Tue,
        "wed" | "wednesday" | "woensdag" => Wed,
        "thu" | "thur" | "thurs" | "thursday" | "donderdag" => Thu,
        "fri" | "friday" | "vrijdag" => Fri,
        "sat" | "saturday" | "zaterdag" => Sat,
        "sun" | "sunday" | "zondag" => Sun,
        _ => return None,
    })
}

/// A wall-clock time of day written `HH:MM` (24 hours), or just `HH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub NaiveTime);

impl ClockTime {
    pub fn parse(input: &str) -> Result<Self, ArgError> {
        let bad = || {
            ArgError::new(Msg::NotATime)
                .with("input", input)
                .hint_msg(Msg::TimeHint)
        };
        let (h, m) = match input.split_once(':') {
            Some((h, m)) => (h, m),
            None => (input, "00"),
        };
        let digits = |s: &str, max_len: usize| {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        let (Some(hour), Some(minute)) = (digits(h, 2), digits(m, 2)) else {
            return Err(bad());
        };
        if m.len() != 2 {
            return Err(bad());
        }
        NaiveTime::from_hms_opt(hour, minute, 0).map(ClockTime).ok_or_else(bad)
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

/// A day as typed: `today`, `tomorrow`, a weekday (its next occurrence, today
/// included) or `YYYY-MM-DD`. Which date it is depends on the space's zone, so
/// it is resolved by [`DateArg::resolve`] with the local today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateArg {
    /// Never valid for an offer, but understood, so the answer can say why.
    Yesterday,
    Today,
    Tomorrow,
    Weekday(chrono::Weekday),
    On(chrono::NaiveDate),
}

impl DateArg {
    /// Parses a date word; `None` when the word is not a date at all (so the
    /// caller can try it as something else).
    pub fn parse(input: &str) -> Option<Result<Self, ArgError>> {
        let word = input.trim().to_lowercase();
        match word.as_str() {
            "today" | "vandaag" => return Some(Ok(DateArg::Today)),
            "tomorrow" | "morgen" => return Some(Ok(DateArg::Tomorrow)),
            "yesterday" | "gisteren" => return Some(Ok(DateArg::Yesterday)),
            _ => {}
        }
        // Dutch short forms ("do", "za") are words of notes too: not here.
        if let Some(day) = weekday_named(&word) {
            return Some(Ok(DateArg::Weekday(day)));
        }
        // 10/12 or 10.12 is the 10th of December to some and the 12th of
        // October to others: refused, naming the form that is one day.
        let day_and_month = word.chars().all(|c| c.is_ascii_digit() || c == '/' || c == '.')
            && word.contains(['/', '.'])
            && word.split(['/', '.']).all(|part| !part.is_empty() && part.len() <= 4);
        if day_and_month {
            return Some(Err(ArgError::new(Msg::NotADate)
                .with("input", input)
                .hint_msg(Msg::DateOrderHint)));
        }
        let looks_like_date =
            word.len() >= 8 && word.chars().all(|c| c.is_ascii_digit() || c == '-') && word.contains('-');
        if !looks_like_date {
            return None;
        }
        Some(
            chrono::NaiveDate::parse_from_str(&word, "%Y-%m-%d")
                .map(DateArg::On)
                .map_err(|_| {
                    ArgError::new(Msg::NotADate)
                        .with("input", input)
                        .hint_msg(Msg::DateHint)
                }),
        )
    }

    /// The calendar date meant, given the local `today`.
    pub fn resolve(self, today: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::Datelike;
        match self {
            DateArg::Yesterday => today.pred_opt().unwrap_or(today),
            DateArg::Today => today,
            DateArg::Tomorrow => today.succ_opt().unwrap_or(today),
            DateArg::Weekday(day) => {
                let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
                today + chrono::Duration::days(i64::from(ahead))
            }
            DateArg::On(date) => date,
        }
    }
}

/// A time window within a day, `9-17` or `09:00-17:30`; it ends after it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    pub start: ClockTime,
    pub end: ClockTime,
}

impl TimeWindow {
    /// The windows hosts name (README: "Hosts' phrasings").
    const NAMED: [(&'static [&'static str], (u32, u32)); 3] = [
        (&["morning", "ochtend", "morgens", "ochtends"], (9, 12)),
        (&["afternoon", "middag", "middags"], (13, 17)),
        (&["evening", "avond", "avonds"], (18, 22)),
    ];

    /// Parses `A-B` (`9-17`, `09:00–17:30`, `9am-5pm`, `9.00-17.00`) or a
    /// named part of the day (`morning`, `ochtend`: see [`Self::NAMED`]);
    /// `None` when the word is neither (so it may be the start of a note).
    pub fn parse(input: &str) -> Option<Result<Self, ArgError>> {
        let word = input.to_lowercase();
        if let Some((_, (from, to))) = Self::NAMED.iter().find(|(names, _)| names.contains(&word.as_str())) {
            let at = |h: u32| ClockTime(NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default());
            return Some(Ok(TimeWindow {
                start: at(*from),
                end: at(*to),
            }));
        }
        let word = word.replace(['–', '—'], "-");
        let (a, b) = word.split_once('-')?;
        let (a, b) = (twelve_hour(a)?, twelve_hour(b)?);
        let timeish = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == ':');
        if !timeish(&a) || !timeish(&b) {
            return None;
        }
        Some((|| {
            let start = ClockTime::parse(&a).map_err(|e| e.hint_msg(Msg::WindowHint))?;
            let end = ClockTime::parse(&b).map_err(|e| e.hint_msg(Msg::WindowHint))?;
            if end <= start {
                return Err(ArgError::new(Msg::WindowBackwards)
                    .with("input", input)
                    .hint_msg(Msg::WindowBackwardsHint));
            }
            Ok(TimeWindow { start, end })
        })())
    }
}

/// One end of a window as 24-hour `H[:MM]`: `5pm` is `17`, `12am` is `0`,
/// `9.30` is `9:30`; `None` for what is no time at all.
fn twelve_hour(half: &str) -> Option<String> {
    let half = half.trim().replace('.', ":");
    let (digits, pm) = match (half.strip_suffix("am"), half.strip_suffix("pm")) {
        (Some(h), _) => (h.to_string(), Some(false)),
        (_, Some(h)) => (h.to_string(), Some(true)),
        _ => (half.clone(), None),
    };
    let Some(pm) = pm else {
        return Some(digits);
    };
    let (hour, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, Some(m)),
        None => (digits.as_str(), None),
    };
    let hour: u32 = hour.parse().ok().filter(|h| (1..=12).contains(h))?;
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, true) => h + 12,
        (h, false) => h,
    };
    Some(match minutes {
        Some(m) => format!("{hour}:{m}"),
        None => hour.to_string(),
    })
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", self.start, self.end)
    }
}

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
