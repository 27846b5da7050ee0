//! The seat commands as the text grammar reads them: offers, requests,
//! cancels and decisions, their dates and windows, and the Dutch forms.

use super::tests::{assert_bad_args, details, slug};
use super::*;

#[test]
fn seat_commands_parse() {
    let offer = |line: &str| match parse(line) {
        Ok(Action::Offer(args)) => args,
        other => panic!("{line}: {other:?}"),
    };
    let a = offer("/offer cafe-noord 4 tomorrow 9-17 quiet room");
    assert_eq!(a.space, slug("cafe-noord"));
    assert_eq!(a.seats.get(), 4);
    assert_eq!(a.date, Some(DateArg::Tomorrow));
    assert_eq!(a.window.unwrap().to_string(), "09:00–17:00");
    assert_eq!(a.note.as_str(), "quiet room");
    let b = offer("/offer cafe-noord 2");
    assert_eq!((b.date, b.window, b.note.is_empty()), (None, None, true));
    let c = offer("/offer cafe-noord 2 09:00-12:30 mornings only");
    assert_eq!((c.date, c.window.unwrap().end.to_string().as_str()), (None, "12:30"));
    let d = offer("/offer cafe-noord 2 2026-12-01 bring a mug");
    assert!(d.window.is_none() && d.note.as_str() == "bring a mug");

    assert_eq!(parse("/seats"), Ok(Action::Seats { filter: None }));
    assert_eq!(
        parse("/seats friday"),
        Ok(Action::Seats {
            filter: Some(SeatsFilter::Date(DateArg::Weekday(chrono::Weekday::Fri)))
        })
    );
    assert_eq!(
        parse("/seats bieb"),
        Ok(Action::Seats {
            filter: Some(SeatsFilter::Space(slug("bieb")))
        })
    );
    assert_eq!(parse("/request #12"), Ok(Action::Request(SeatTarget::Id(12))));
    assert_eq!(
        parse("/request cafe-noord tomorrow"),
        Ok(Action::Request(SeatTarget::Space {
            space: slug("cafe-noord"),
            date: Some(DateArg::Tomorrow)
        }))
    );
    assert_eq!(parse("/cancel 7"), Ok(Action::Cancel(SeatTarget::Id(7))));
    assert_eq!(
        parse("/cancel bieb"),
        Ok(Action::Cancel(SeatTarget::Space {
            space: slug("bieb"),
            date: None
        }))
    );
    assert_eq!(parse("/myseats"), Ok(Action::MySeats));
    assert_eq!(parse("/coming #12"), Ok(Action::Coming { offer: 12 }));
    assert_eq!(
        parse("/request cafe-noord every mon,wed"),
        Ok(Action::RequestEvery {
            space: slug("cafe-noord"),
            days: crate::domain::PairingDays::parse("mon,wed").unwrap(),
        })
    );
    assert_eq!(
        parse("/cancel cafe-noord elke"),
        Ok(Action::CancelEvery {
            space: slug("cafe-noord")
        })
    );
    assert_eq!(
        parse("/offer cafe-noord 4 every mon-fri 9-17 until 2027-01-31 quiet room"),
        Ok(Action::OfferEvery(StandingOfferArgs {
            space: slug("cafe-noord"),
            seats: SeatCount::new(4).unwrap(),
            days: crate::domain::PairingDays::WEEKDAYS,
            window: TimeWindow::parse("9-17").unwrap().ok(),
            until: DateArg::parse("2027-01-31").unwrap().ok(),
            note: Note::parse("quiet room").unwrap(),
        }))
    );
    assert!(matches!(
        parse("/offer cafe-noord 2 elke ma,wo"),
        Ok(Action::OfferEvery(StandingOfferArgs {
            until: None,
            window: None,
            ..
        }))
    ));
    assert_eq!(parse("/imhere 12"), Ok(Action::ImHere { offer: 12 }));
    assert_eq!(parse("/profile reminders OFF"), Ok(Action::ProfileReminders(false)));
    assert_eq!(parse("/profile reminders aan"), Ok(Action::ProfileReminders(true)));
    assert_eq!(parse("/offers"), Ok(Action::Offers));
    assert_eq!(parse("/withdraw 3"), Ok(Action::Withdraw { offer: 3 }));
    assert_eq!(
        parse("/approve 5 2"),
        Ok(Action::Approve {
            offer: 5,
            request: Some(2)
        })
    );
    assert_eq!(
        parse("/approve #5"),
        Ok(Action::Approve {
            offer: 5,
            request: None
        })
    );
    assert_eq!(
        parse("/decline 5 2 room is booked"),
        Ok(Action::Decline {
            offer: 5,
            request: Some(2),
            reason: Note::parse("room is booked").unwrap()
        })
    );
    assert_eq!(
        parse("/decline 5 room is booked"),
        Ok(Action::Decline {
            offer: 5,
            request: None,
            reason: Note::parse("room is booked").unwrap()
        })
    );
}

#[test]
fn bad_seat_commands_say_what_is_wrong() {
    let cases: &[(&str, &str, &str)] = &[
        ("/offer", "offer", "Name the space and how many seats"),
        ("/offer cafe-noord", "offer", "Name the space and how many seats"),
        ("/offer cafe-noord 0", "offer", "0 seats is not something I can offer"),
        ("/offer cafe-noord 501", "offer", "Offer from 1 to 500 seats"),
        ("/offer cafe-noord many", "offer", "'many' is not a number of seats"),
        ("/offer cafe-noord 4 2026-13-01", "offer", "'2026-13-01' is not a date"),
        ("/offer cafe-noord 4 tomorrow 17-9", "offer", "ends before it starts"),
        ("/offer cafe-noord 4 9-25", "offer", "'25' is not a time of day"),
        ("/seats a b", "seats", "one date or one space"),
        ("/request", "request", "Which offer?"),
        ("/request cafe-noord someday", "request", "'someday' is not a date"),
        ("/request a b c", "request", "Too many words"),
        ("/cancel", "cancel", "Which offer?"),
        ("/withdraw", "withdraw", "Which offer?"),
        ("/withdraw cafe", "withdraw", "'cafe' is not an offer number"),
        ("/approve x", "approve", "'x' is not an offer number"),
        ("/approve 5 x", "approve", "'x' is not a request number"),
        ("/approve 5 0", "approve", "'0' is not a request number"),
        ("/approve 5 2 3", "approve", "Too many words"),
        ("/decline", "decline", "Which request?"),
        ("/myseats all", "myseats", "takes no arguments"),
        ("/coming", "coming", "Which offer?"),
        ("/offer cafe-noord 4 every", "offer", "every needs the days"),
        ("/request cafe-noord every", "request", "names the space and the days"),
        ("/request cafe-noord every funday", "request", "'funday'"),
        ("/offer cafe-noord 4 every someday", "offer", "'someday'"),
        (
            "/offer cafe-noord 4 tomorrow every mon-fri",
            "offer",
            "A standing offer has days, not a date.",
        ),
        ("/offer cafe-noord 4 until 2027-01-31", "offer", "until goes with every"),
        ("/offer cafe-noord 4 every mon-fri until", "offer", "until needs a date"),
        ("/coming soon", "coming", "'soon' is not an offer number"),
        ("/imhere 3 4", "imhere", "one offer number"),
        (
            "/profile reminders",
            "profile reminders",
            "Say on or off, like /profile reminders off",
        ),
        ("/profile reminders maybe", "profile reminders", "Say on or off"),
    ];
    assert_bad_args(cases);
}

#[test]
fn offer_dates_and_windows_come_in_either_order_and_notes_never_swallow_them() {
    let offer = |line: &str| match parse(line) {
        Ok(Action::Offer(args)) => args,
        other => panic!("{line}: {other:?}"),
    };
    let a = offer("/offer cafe-noord 2 9-17 tomorrow");
    assert_eq!(
        (a.date, a.window.map(|w| w.to_string())),
        (Some(DateArg::Tomorrow), Some("09:00–17:00".into()))
    );
    assert!(a.note.is_empty());
    let b = offer("/offer cafe-noord 2 tomorrow \"back at 5pm, ring twice\"");
    assert_eq!(b.note.as_str(), "back at 5pm, ring twice");
    let c = offer("/offer cafe-noord 2 “quiet room” friday 10-12");
    assert_eq!(
        (c.note.as_str(), c.date),
        ("quiet room", Some(DateArg::Weekday(chrono::Weekday::Fri)))
    );
    let d = offer("/offer cafe-noord 2 2 desks by the window");
    assert_eq!(d.note.as_str(), "2 desks by the window");
    assert_bad_args(&[
        (
            "/offer cafe-noord 2 01/12/2026",
            "offer",
            "Write dates as year-month-day",
        ),
        ("/offer cafe-noord 2 1.12.", "offer", "I can't read '1.12.'"),
        (
            "/offer cafe-noord 2 quiet room tomorrow",
            "offer",
            "'tomorrow' in the note",
        ),
        (
            "/offer cafe-noord 2 tomorrow quiet until 5pm",
            "offer",
            "'5pm' in the note",
        ),
        (
            "/offer cafe-noord 2 tomorrow friday",
            "offer",
            "'friday' is a second date",
        ),
        ("/offer cafe-noord 2 9-12 13-17", "offer", "second window"),
        ("/offer cafe-noord 2 december 3rd", "offer", "I can't read 'december'"),
        ("/offer cafe-noord 2 \"quiet room", "offer", "closing quote is missing"),
        ("/offer cafe-noord 2 \"quiet\" room", "offer", "Give the note once"),
    ]);
    // The refusal shows the accepted forms and how to quote a note.
    let Err(ParseError::BadArgs { error, .. }) = parse("/offer cafe-noord 2 01/12/2026") else {
        panic!("refused");
    };
    assert!(error.hint.unwrap().contains("2026-12-01"));
    let Err(ParseError::BadArgs { error, .. }) = parse("/offer cafe-noord 2 december 3rd") else {
        panic!("refused");
    };
    assert!(error.example.unwrap().contains("\"open until 5pm\""));
}

#[test]
fn dates_and_times_are_refused_in_every_command_that_takes_them() {
    assert_bad_args(&[
        ("/checkin remote until 5pm", "checkin", "'5pm' is not a time of day"),
        ("/checkin remote working till 17:00", "checkin", "'17:00' in the note"),
        ("/seats 01/12/2026", "seats", "Write dates as year-month-day"),
        ("/request cafe-noord 1/12", "request", "Write dates as year-month-day"),
        (
            "/cancel cafe-noord nextweek",
            "cancel",
            "'nextweek' is not a date I understand",
        ),
    ]);
    assert_eq!(
        parse("/checkin remote \"call at 15:00\""),
        Ok(Action::Checkin(CheckinInput::Decided {
            place: Some(Place::Remote),
            details: details(None, "call at 15:00"),
        }))
    );
    assert_eq!(
        parse("/checkin \"left early today\""),
        Ok(Action::Checkin(CheckinInput::Decided {
            place: None,
            details: details(None, "left early today"),
        }))
    );
}

#[test]
fn request_numbers_are_found_with_offers_not_seats() {
    for line in ["/approve x", "/approve", "/decline"] {
        let text = match parse(line) {
            Err(ParseError::BadArgs { error, .. }) => error.to_string(),
            other => panic!("{line}: {other:?}"),
        };
        assert!(!text.contains("/seats"), "{line}: {text}");
    }
    let Err(ParseError::BadArgs { error, .. }) = parse("/approve x") else {
        panic!()
    };
    assert!(error.hint.unwrap().contains("/offers"));
}

#[test]
fn dutch_keywords_and_seats_first_offers_mean_what_the_english_forms_do() {
    for (typed, meant) in [
        ("/offer 3 seats at cafe-noord friday", "/offer cafe-noord 3 friday"),
        (
            "/offer 2 plekken bij cafe-noord morgen ochtend",
            "/offer cafe-noord 2 tomorrow 9-12",
        ),
        (
            "/offer cafe-noord 2 zaterdag 9am-5pm quiet",
            "/offer cafe-noord 2 saturday 9-17 quiet",
        ),
        (
            "/space add loft capaciteit 12 goedkeuring",
            "/space add loft capacity 12 approval",
        ),
        (
            "/checkin cafe-noord tot 17:00 focus",
            "/checkin cafe-noord until 17:00 focus",
        ),
    ] {
        assert_eq!(parse(typed), parse(meant), "{typed}");
        assert!(parse(meant).is_ok(), "{meant}");
    }
    // A number after the seats stays as typed (and is refused as such).
    assert!(parse("/offer 3 4 cafe-noord").is_err());
}
