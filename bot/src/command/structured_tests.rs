//! The catalogue and the grammar agree: every declared example parses to its
//! own entry, and every entry's structured form (a slash command's options)
//! gives the same action as its text.

use super::tests::{details, slug};
use super::*;

#[test]
fn every_catalogue_example_parses_to_its_own_command() {
    let path = |line: &str| {
        parse_command(line)
            .unwrap_or_else(|e| panic!("{line}: {e:?}"))
            .spec
            .path
    };
    for spec in catalogue::CATALOGUE {
        if spec.subcommands.is_empty() {
            assert_eq!(path(spec.example), spec.path, "{}", spec.example);
            continue;
        }
        assert!(
            spec.subcommands.iter().any(|s| s.path == path(spec.example)),
            "{}",
            spec.example
        );
        for sub in spec.subcommands {
            assert_eq!(path(sub.example), sub.path, "{}", sub.example);
            // A default subcommand's declared name is typed too: `/profile show`.
            if sub.path == spec.path {
                let typed = format!("/{} {}", spec.name, sub.name);
                assert_eq!(path(&typed), sub.path, "{typed}");
            }
        }
    }
}

/// Every command as a slash-command adapter sends it: typed options named as
/// the catalogue declares them. Each must give the same action as the text.
type StructuredCase = (&'static str, &'static [(&'static str, &'static str)], &'static str);
const STRUCTURED: &[StructuredCase] = &[
    ("start", &[], "/start"),
    ("start", &[("inbox", "true")], "/start inbox"),
    ("inbox", &[], "/inbox"),
    ("help", &[("command", "checkin")], "/help checkin"),
    (
        "setup",
        &[("zone", "Europe/Amsterdam"), ("name", "Utrecht Coworkers")],
        "/setup Europe/Amsterdam Utrecht Coworkers",
    ),
    (
        "setup",
        &[("name", "Portugal Digital Nomads")],
        "/setup Portugal Digital Nomads",
    ),
    ("setup", &[("join", "ABCD-2345")], "/setup join ABCD-2345"),
    ("use", &[("community", "Utrecht Coworkers")], "/use Utrecht Coworkers"),
    ("invite", &[], "/invite"),
    ("chats", &[], "/chats"),
    ("unbind", &[], "/unbind"),
    ("link", &[], "/link"),
    ("link", &[("code", "abcd2345")], "/link abcd2345"),
    ("unlink", &[], "/unlink"),
    ("profile notify", &[("platform", "discord")], "/profile notify discord"),
    ("mydata", &[], "/mydata"),
    ("forgetme", &[], "/forgetme"),
    ("forgetme", &[], "/forgetme"),
    (
        "space add",
        &[
            ("slug", "cafe-noord"),
            ("zone", "Europe/Amsterdam"),
            ("capacity", "12"),
            ("approval", "true"),
            ("open", "false"),
        ],
        "/space add cafe-noord Europe/Amsterdam capacity 12 approval",
    ),
    ("space list", &[], "/space list"),
    ("space remove", &[("space", "cafe-noord")], "/space remove cafe-noord"),
    (
        "space set",
        &[("space", "cafe-noord"), ("release_after", "90")],
        "/space set cafe-noord release_after 90",
    ),
    (
        "host add",
        &[("member", "@alice"), ("space", "cafe-noord")],
        "/host add @alice cafe-noord",
    ),
    (
        "host remove",
        &[("member", "<@42>"), ("space", "cafe-noord")],
        "/host remove <@42> cafe-noord",
    ),
    ("profile", &[], "/profile"),
    ("whois", &[("member", "<@42>")], "/whois <@42>"),
    (
        "profile offers",
        &[("tags", "rust, pitch decks")],
        "/profile offers rust, pitch decks",
    ),
    ("profile wants", &[("tags", "none")], "/profile wants none"),
    (
        "profile about",
        &[("text", "Building \"bikes\" at 5pm")],
        "/profile about Building \"bikes\" at 5pm",
    ),
    (
        "checkin",
        &[("space", "remote"), ("until", "17:00"), ("note", "call at 3pm")],
        "/checkin remote until 17:00 \"call at 3pm\"",
    ),
    ("checkin", &[("note", "deep work")], "/checkin \"deep work\""),
    ("checkout", &[], "/checkout"),
    ("here", &[("space", "cafe-noord")], "/here cafe-noord"),
    (
        "offer",
        &[
            ("space", "cafe-noord"),
            ("seats", "4"),
            ("date", "tomorrow"),
            ("window", "9-17"),
            ("note", "open until 5pm"),
        ],
        "/offer cafe-noord 4 tomorrow 9-17 \"open until 5pm\"",
    ),
    ("seats", &[("filter", "friday")], "/seats friday"),
    ("request", &[("offer", "12")], "/request 12"),
    (
        "request",
        &[("offer", "cafe-noord"), ("date", "tomorrow")],
        "/request cafe-noord tomorrow",
    ),
    ("cancel", &[("offer", "#7")], "/cancel 7"),
    ("myseats", &[], "/myseats"),
    ("offers", &[], "/offers"),
    ("withdraw", &[("offer", "3")], "/withdraw 3"),
    ("approve", &[("offer", "5"), ("request", "2")], "/approve 5 2"),
    ("approve", &[("offer", "5")], "/approve 5"),
    (
        "decline",
        &[("offer", "5"), ("request", "2"), ("reason", "the room is booked")],
        "/decline 5 2 the room is booked",
    ),
    ("pairing", &[], "/pairing"),
    ("pairing on", &[], "/pairing on"),
    ("pairing off", &[], "/pairing off"),
    ("pairing pause", &[("days", "14")], "/pairing pause 14"),
    ("match", &[], "/match"),
    ("met", &[], "/met"),
    ("settings", &[], "/settings"),
    (
        "settings pairing_time",
        &[("time", "09:30")],
        "/settings pairing_time 09:30",
    ),
    (
        "settings pairing_days",
        &[("days", "mon,wed,fri")],
        "/settings pairing_days mon,wed,fri",
    ),
    (
        "settings history_weeks",
        &[("weeks", "12")],
        "/settings history_weeks 12",
    ),
    ("settings language", &[("language", "nl")], "/settings language nl"),
    ("settings digest", &[("day", "fri")], "/settings digest fri"),
    ("pairnow", &[], "/pairnow"),
    ("coming", &[("offer", "12")], "/coming 12"),
    (
        "request",
        &[("offer", "cafe-noord"), ("every", "mon,wed")],
        "/request cafe-noord every mon,wed",
    ),
    (
        "cancel",
        &[("offer", "cafe-noord"), ("every", "True")],
        "/cancel cafe-noord every",
    ),
    (
        "offer",
        &[
            ("space", "cafe-noord"),
            ("seats", "4"),
            ("window", "9-17"),
            ("every", "mon-fri"),
            ("until", "2027-01-31"),
        ],
        "/offer cafe-noord 4 every mon-fri 9-17 until 2027-01-31",
    ),
    ("imhere", &[("offer", "12")], "/imhere 12"),
    ("profile reminders", &[("reminders", "off")], "/profile reminders off"),
    ("profile asks", &[("asks", "on")], "/profile asks on"),
    (
        "ask",
        &[("question", "who knows postgres replication?")],
        "/ask who knows postgres replication?",
    ),
    ("asks", &[], "/asks"),
    ("canhelp", &[("question", "3")], "/canhelp 3"),
    ("notnow", &[("question", "3")], "/notnow 3"),
    (
        "report",
        &[("period", "true"), ("space", "cafe-noord")],
        "/report month cafe-noord",
    ),
];

#[test]
fn structured_options_build_the_same_action_as_text_for_every_command() {
    for (path, options, line) in STRUCTURED {
        let built = build(path, options).unwrap_or_else(|e| panic!("{path} {options:?}: {e:?}"));
        assert_eq!(built.spec.path, *path);
        assert_eq!(Ok(built.action), parse(line), "{path} {options:?} vs {line}");
    }
    for leaf in catalogue::leaves() {
        assert!(
            STRUCTURED.iter().any(|(path, ..)| *path == leaf.path),
            "no structured case for /{}",
            leaf.path
        );
        for arg in leaf.args {
            let named = STRUCTURED
                .iter()
                .any(|(path, options, _)| *path == leaf.path && options.iter().any(|(n, _)| *n == arg.name));
            assert!(
                named || !arg.required,
                "/{}: required option {} never given",
                leaf.path,
                arg.name
            );
        }
    }
}

/// A note chosen as an option is the member's text as typed: its quotes stay
/// quotes, and a time in it is part of the note (typed, the same words
/// would be refused as a guess at the time).
#[test]
fn a_note_given_as_an_option_reaches_the_action_as_typed() {
    let note = r#"the "quiet" room, open until 17:00"#;
    let offer = build(
        "offer",
        &[
            ("space", "cafe-noord"),
            ("seats", "2"),
            ("date", "tomorrow"),
            ("note", note),
        ],
    )
    .unwrap();
    let Action::Offer(args) = offer.action else {
        panic!("{:?}", offer.action)
    };
    assert_eq!(args.note.as_str(), note);
    let checkin = build("checkin", &[("space", "remote"), ("note", "say \"hi\" at 3pm")]).unwrap();
    let Action::Checkin(CheckinInput::Decided { details, .. }) = checkin.action else {
        panic!("{:?}", checkin.action)
    };
    assert_eq!(details.note.as_str(), "say \"hi\" at 3pm");
}

/// Free text chosen as an option is never read for arguments: a reason that
/// starts with a number is not a request's number, a community named "join
/// us" is not a code to join with.
#[test]
fn free_text_given_as_an_option_is_never_read_as_arguments() {
    let decline = build("decline", &[("offer", "7"), ("reason", "2 people too many")]).unwrap();
    assert_eq!(
        decline.action,
        Action::Decline {
            offer: 7,
            request: None,
            reason: Note::parse("2 people too many").unwrap(),
        }
    );
    let setup = build("setup", &[("name", "join us"), ("zone", "Europe/Amsterdam")]).unwrap();
    assert_eq!(
        setup.action,
        Action::Setup {
            zone: Some(Zone::parse("Europe/Amsterdam").unwrap()),
            name: CommunityName::parse("join us").unwrap(),
        }
    );
    let about = build("profile about", &[("text", "say \"hi\"; 9-17 mostly")]).unwrap();
    assert_eq!(
        about.action,
        Action::ProfileAbout(Note::parse("say \"hi\"; 9-17 mostly").unwrap())
    );
}

#[test]
fn structured_input_is_validated_like_text() {
    // A place chosen as an option is the place, even one that is not a space
    // (the core then says there is no such space), never the start of a note.
    assert_eq!(
        build("checkin", &[("space", "atlantis"), ("note", "hello")])
            .unwrap()
            .action,
        Action::Checkin(CheckinInput::Decided {
            place: Some(Place::Space(slug("atlantis"))),
            details: details(None, "hello"),
        })
    );
    for (path, options, problem) in [
        ("offer", &[("space", "cafe-noord"), ("seats", "0")][..], "0 seats"),
        (
            "offer",
            &[("space", "cafe-noord"), ("seats", "2"), ("date", "01/12/2026")][..],
            "Write dates as year-month-day",
        ),
        (
            "space add",
            &[("slug", "cafe noord")][..],
            "'cafe noord' is not a valid slug: it must be one word",
        ),
        ("pairing pause", &[("days", "91")][..], "from 1 to 90"),
        ("checkin", &[("until", "25:99")][..], "not a time of day"),
        (
            "offer",
            &[("space", "cafe-noord"), ("seats", "2"), ("colour", "red")][..],
            "has no option 'colour'",
        ),
        ("profile about", &[("text", "bell\u{7}")][..], "control character"),
    ] {
        let error = match build(path, options) {
            Err(ParseError::BadArgs { error, .. } | ParseError::BadText(error)) => error.to_string(),
            other => panic!("{path} {options:?}: {other:?}"),
        };
        assert!(error.contains(problem), "{path} {options:?}: {error}");
    }
}
