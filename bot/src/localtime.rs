//! Local days and times in a space's or community's IANA zone.
//!
//! "Today" is always a local date. Local times that do not exist (the hour skipped
//! when clocks go forward) resolve to the first instant after the gap; local times
//! that exist twice (when clocks go back) resolve to the later instant, so that an
//! "until" never ends a check-in earlier than the member meant.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The local calendar date at `now` in `zone`.
pub fn local_date(now: DateTime<Utc>, zone: Tz) -> NaiveDate {
    now.with_timezone(&zone).date_naive()
}

/// The local wall-clock time at `now` in `zone`.
pub fn local_time(now: DateTime<Utc>, zone: Tz) -> NaiveTime {
    now.with_timezone(&zone).time()
}

/// The UTC instant of a local date and time in `zone`, see the module note for
/// times that do not exist or exist twice.
pub fn resolve(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    let naive = NaiveDateTime::new(date, time);
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(_, later) => later.with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: walk forward minute by minute (gaps are at most a few hours).
            let mut probe = naive;
            for _ in 0..(24 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = zone.from_local_datetime(&probe).earliest() {
                    // The gap's end, at whole-minute precision of the original time.
                    return t.with_timezone(&Utc);
                }
            }
            // No zone has a day-long gap; fall back to reading the time as UTC.
            Utc.from_utc_datetime(&naive)
        }
    }
}

/// Like [`resolve`], but a local time that exists twice means its first
/// occurrence: what a schedule means by "at 02:30".
pub fn resolve_first(date: NaiveDate, time: NaiveTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&NaiveDateTime::new(date, time)) {
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        _ => resolve(date, time, zone),
    }
}

/// The first instant of a local date in `zone` (which is not always 00:00: some
/// zones skip midnight when clocks change).
pub fn start_of_day(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&date.and_time(NaiveTime::MIN)) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => resolve(date, NaiveTime::MIN, zone),
    }
}

/// The instant a local date ends: the start of the next one.
pub fn end_of_day(date: NaiveDate, zone: Tz) -> DateTime<Utc> {
    start_of_day(date.succ_opt().unwrap_or(date), zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::{New_York, Sao_Paulo};
    use chrono_tz::Europe::Amsterdam;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }
    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn time(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    #[test]
    fn local_date_follows_the_zone_not_utc() {
        // 23:30 UTC on 24 Nov is already 25 Nov in Amsterdam, still 24 Nov in New York.
        let now = utc("2026-11-24T23:30:00Z");
        assert_eq!(local_date(now, Amsterdam), date("2026-11-25"));
        assert_eq!(local_date(now, New_York), date("2026-11-24"));
    }

    #[test]
    fn skipped_hour_resolves_to_the_end_of_the_gap() {
        // Amsterdam jumps from 02:00 to 03:00 on 29 March 2026.
        assert_eq!(
            resolve(date("2026-03-29"), time("02:30"), Amsterdam),
            utc("2026-03-29T01:00:00Z")
        );
        // New York jumps from 02:00 to 03:00 on 8 March 2026.
        assert_eq!(
            resolve(date("2026-03-08"), time("02:30"), New_York),
            utc("2026-03-08T07:00:00Z")
        );
    }

    #[test]
    fn repeated_hour_resolves_to_the_later_instant() {
        // Amsterdam repeats 02:00–03:00 on 25 October 2026.
        assert_eq!(
            resolve(date("2026-10-25"), time("02:30"), Amsterdam),
            utc("2026-10-25T01:30:00Z")
        );
        // New York repeats 01:00–02:00 on 1 November 2026.
        assert_eq!(
            resolve(date("2026-11-01"), time("01:30"), New_York),
            utc("2026-11-01T06:30:00Z")
        );
    }

    #[test]
    fn days_are_23_or_25_hours_long_on_change_days() {
        let len = |d, z| end_of_day(date(d), z) - start_of_day(date(d), z);
        assert_eq!(len("2026-03-29", Amsterdam), Duration::hours(23));
        assert_eq!(len("2026-10-25", Amsterdam), Duration::hours(25));
        assert_eq!(len("2026-03-08", New_York), Duration::hours(23));
        assert_eq!(len("2026-11-01", New_York), Duration::hours(25));
        assert_eq!(len("2026-11-24", New_York), Duration::hours(24));
    }

    #[test]
    fn a_day_without_a_midnight_starts_at_one() {
        // São Paulo skipped midnight when it still had summer time (4 Nov 2018).
        assert_eq!(start_of_day(date("2018-11-04"), Sao_Paulo), utc("2018-11-04T03:00:00Z"));
    }
}
