//! Dates and times as typed: times of day, dates, windows of hours; and
//! what merely looks like one.

use std::fmt;

use chrono::NaiveTime;

use super::ArgError;
use crate::i18n::Msg;

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
pub(super) const ENGLISH_DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
pub(super) const DUTCH_DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];

/// A weekday by its name (lowercase): English in full or short (`fri`,
/// `thurs`), Dutch in full (`vrijdag`).
pub(super) fn weekday_named(word: &str) -> Option<chrono::Weekday> {
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
