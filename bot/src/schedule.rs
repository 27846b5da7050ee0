//! When a community's daily round runs: at its pairing time, in its zone, on
//! its pairing days. Computed from local dates, so it is right on days of 23 or
//! 25 hours: a time skipped by the clock change runs at the end of the gap, a
//! time that happens twice runs at its first occurrence, and either way the
//! round is once that day (the database's unique key sees to that).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

use crate::domain::{PairingSettings, Zone};
use crate::localtime;

/// The instant of the round on `date`.
pub fn round_at(settings: &PairingSettings, zone: Zone, date: NaiveDate) -> DateTime<Utc> {
    localtime::resolve_first(date, settings.time.0, zone.0)
}

/// The local date whose round should have run by `now`: today, if it is a
/// pairing day, its time has come, and the community was there at that
/// time. (A process that was down at that time catches up when it starts,
/// as long as the local day is not over.)
pub fn due_date(settings: &PairingSettings, zone: Zone, now: DateTime<Utc>) -> Option<NaiveDate> {
    let today = localtime::local_date(now, zone.0);
    let at = round_at(settings, zone, today);
    (settings.days.contains(today.weekday()) && now >= at && at >= settings.starts).then_some(today)
}

/// When the next round runs, never before `now`: today's if it is still to
/// come, or due and not run yet (then `now`: it runs at once); otherwise
/// the next pairing day's.
pub fn next_round(settings: &PairingSettings, zone: Zone, now: DateTime<Utc>, ran_today: bool) -> DateTime<Utc> {
    let today = localtime::local_date(now, zone.0);
    if !ran_today && due_date(settings, zone, now).is_some() {
        return now;
    }
    (0..8)
        .map(|ahead| today + Duration::days(ahead))
        .filter(|date| settings.days.contains(date.weekday()))
        .map(|date| round_at(settings, zone, date))
        .find(|&at| at > now && at >= settings.starts)
        .unwrap_or_else(|| round_at(settings, zone, today + Duration::days(7)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ClockTime, PairingDays};

    fn settings(time: &str, days: &str) -> PairingSettings {
        PairingSettings {
            time: ClockTime::parse(time).unwrap(),
            days: PairingDays::parse(days).unwrap(),
            history_weeks: 8,
            starts: DateTime::<Utc>::MIN_UTC,
        }
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn due_from_the_local_time_on_pairing_days_only() {
        let ams = Zone::parse("Europe/Amsterdam").unwrap();
        let s = settings("09:00", "mon-fri");
        // Tuesday 24 Nov: 09:00 in Amsterdam is 08:00 UTC.
        assert_eq!(due_date(&s, ams, utc("2026-11-24T07:59:59Z")), None);
        assert_eq!(
            due_date(&s, ams, utc("2026-11-24T08:00:00Z")).unwrap().to_string(),
            "2026-11-24"
        );
        assert_eq!(
            due_date(&s, ams, utc("2026-11-24T22:59:00Z")).unwrap().to_string(),
            "2026-11-24",
            "catch-up all day"
        );
        // Saturday: no round.
        assert_eq!(due_date(&s, ams, utc("2026-11-28T12:00:00Z")), None);
    }

    #[test]
    fn a_skipped_time_runs_after_the_gap_and_a_repeated_time_runs_first() {
        let ams = Zone::parse("Europe/Amsterdam").unwrap();
        let nyc = Zone::parse("America/New_York").unwrap();
        let skipped = settings("02:30", "daily");
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Amsterdam, 29 March 2026: 02:30 does not exist; 03:00 CEST is 01:00 UTC.
        assert_eq!(round_at(&skipped, ams, date("2026-03-29")), utc("2026-03-29T01:00:00Z"));
        // New York, 1 November 2026: 01:30 happens at 05:30 and 06:30 UTC.
        let repeated = settings("01:30", "daily");
        assert_eq!(
            round_at(&repeated, nyc, date("2026-11-01")),
            utc("2026-11-01T05:30:00Z")
        );
        assert_eq!(
            due_date(&repeated, nyc, utc("2026-11-01T06:45:00Z"))
                .unwrap()
                .to_string(),
            "2026-11-01"
        );
        // New York, 8 March 2026: 02:30 does not exist; 03:00 EDT is 07:00 UTC.
        assert_eq!(round_at(&skipped, nyc, date("2026-03-08")), utc("2026-03-08T07:00:00Z"));
    }

    #[test]
    fn the_next_round_skips_days_off_and_a_round_that_ran() {
        let ams = Zone::parse("Europe/Amsterdam").unwrap();
        let s = settings("09:00", "mon-fri");
        // Friday 27 Nov 10:00 local, today's round ran: next is Monday 30 Nov 08:00 UTC.
        assert_eq!(
            next_round(&s, ams, utc("2026-11-27T09:00:00Z"), true),
            utc("2026-11-30T08:00:00Z")
        );
        // Friday 07:00 local, not run: today at 09:00.
        assert_eq!(
            next_round(&s, ams, utc("2026-11-27T06:00:00Z"), false),
            utc("2026-11-27T08:00:00Z")
        );
        // Friday after 09:00 and not run yet: due now, never in the past.
        assert_eq!(
            next_round(&s, ams, utc("2026-11-27T09:00:00Z"), false),
            utc("2026-11-27T09:00:00Z")
        );
    }

    #[test]
    fn a_community_set_up_after_its_pairing_time_starts_at_the_next_one() {
        let ams = Zone::parse("Europe/Amsterdam").unwrap();
        let s = PairingSettings {
            starts: utc("2026-11-27T09:30:00Z"),
            ..settings("09:00", "mon-fri")
        };
        // Set up on Friday at 10:30 local: nothing due today, ...
        assert_eq!(due_date(&s, ams, utc("2026-11-27T09:31:00Z")), None);
        assert_eq!(due_date(&s, ams, utc("2026-11-27T20:00:00Z")), None);
        // ... the first round is Monday's.
        assert_eq!(
            next_round(&s, ams, utc("2026-11-27T09:31:00Z"), false),
            utc("2026-11-30T08:00:00Z")
        );
        assert_eq!(
            due_date(&s, ams, utc("2026-11-30T08:00:00Z")).unwrap().to_string(),
            "2026-11-30"
        );
        // Set up before the time: today's round is its first.
        let early = PairingSettings {
            starts: utc("2026-11-27T07:00:00Z"),
            ..s
        };
        assert_eq!(
            next_round(&early, ams, utc("2026-11-27T07:01:00Z"), false),
            utc("2026-11-27T08:00:00Z")
        );
    }
}
