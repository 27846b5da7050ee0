//! The command language as tables of good and bad lines.

use super::grammar::tokens;
use super::*;
use crate::commands::checkin::checkin_details;

pub(super) fn slug(s: &str) -> SpaceSlug {
    SpaceSlug::parse(s).unwrap()
}

pub(super) fn details(until: Option<&str>, note: &str) -> CheckinDetails {
    CheckinDetails {
        until: until.map(|t| ClockTime::parse(t).unwrap()),
        note: Note::parse(note).unwrap(),
    }
}

/// Each line is refused with the usage of `path` and a message containing `problem`.
pub(super) fn assert_bad_args(cases: &[(&str, &str, &str)]) {
    for (line, path, problem) in cases {
        match parse(line) {
            Err(ParseError::BadArgs { spec, error }) => {
                assert_eq!(spec.path, *path, "{line}");
                assert!(error.to_string().contains(problem), "{line}: {error}");
            }
            other => panic!("{line}: expected bad arguments, got {other:?}"),
        }
    }
}

#[test]
fn good_lines_parse() {
    let cases: Vec<(&str, Action)> = vec![
        ("/start", Action::Start),
        ("/start inbox", Action::Inbox),
        ("/inbox", Action::Inbox),
        ("/help", Action::Help { topic: None }),
        (
            "/help /Space  Add",
            Action::Help {
                topic: Some("space add".into()),
            },
        ),
        (
            "/help /CheckIn",
            Action::Help {
                topic: Some("checkin".into()),
            },
        ),
        (
            "/checkin@SeatmateBot",
            Action::Checkin(CheckinInput::Decided {
                place: None,
                details: details(None, ""),
            }),
        ),
        (
            "/setup Europe/Amsterdam Utrecht   Coworkers",
            Action::Setup {
                zone: Some(Zone::parse("Europe/Amsterdam").unwrap()),
                name: CommunityName::parse("Utrecht Coworkers").unwrap(),
            },
        ),
        (
            "/setup Utrecht Coworkers",
            Action::Setup {
                zone: None,
                name: CommunityName::parse("Utrecht Coworkers").unwrap(),
            },
        ),
        (
            "/space add Cafe-Noord capacity 12 America/New_York approval open",
            Action::SpaceAdd(SpaceAddArgs {
                slug: slug("cafe-noord"),
                zone: Some(Zone::parse("America/New_York").unwrap()),
                capacity: Some(12),
                needs_approval: true,
                open_profile_required: true,
            }),
        ),
        ("/space list", Action::SpaceList),
        ("/space remove library", Action::SpaceRemove { space: slug("library") }),
        (
            "/space set library release_after 90",
            Action::SpaceSet {
                space: slug("library"),
                setting: SpaceSetting::ReleaseAfter(Some(90)),
            },
        ),
        (
            "/space set library RELEASE_AFTER off",
            Action::SpaceSet {
                space: slug("library"),
                setting: SpaceSetting::ReleaseAfter(None),
            },
        ),
        (
            "/host add @alice cafe-noord",
            Action::HostAdd {
                member: MemberHandle::Username("alice".into()),
                space: slug("cafe-noord"),
            },
        ),
        (
            "/host remove <@123> cafe-noord",
            Action::HostRemove {
                member: MemberHandle::PlatformId("123".into()),
                space: slug("cafe-noord"),
            },
        ),
        ("/profile", Action::ProfileShow),
        (
            "/profile offers Rust, data  science",
            Action::ProfileOffers(TagsChange::Set(Tags::parse_list("rust,data-science").unwrap())),
        ),
        ("/profile wants none", Action::ProfileWants(TagsChange::Clear)),
        (
            "/profile about Making   maps",
            Action::ProfileAbout(Note::parse("Making maps").unwrap()),
        ),
        (
            "/checkin remote until 15:00 calls",
            Action::Checkin(CheckinInput::Decided {
                place: Some(Place::Remote),
                details: details(Some("15:00"), "calls"),
            }),
        ),
        (
            "/checkin until 9 early start",
            Action::Checkin(CheckinInput::Decided {
                place: None,
                details: details(Some("09:00"), "early start"),
            }),
        ),
        (
            "/checkin cafe-noord until 17:00 slides",
            Action::Checkin(CheckinInput::Ambiguous {
                word: "cafe-noord".into(),
                as_place: Ok(details(Some("17:00"), "slides")),
                // Read as a note, "17:00" would be a time inside it: refused.
                as_note: checkin_details(&tokens("cafe-noord until 17:00 slides").unwrap()),
            }),
        ),
        (
            "/checkin lunch with bea",
            Action::Checkin(CheckinInput::Ambiguous {
                word: "lunch".into(),
                as_place: Ok(details(None, "with bea")),
                as_note: Ok(details(None, "lunch with bea")),
            }),
        ),
        ("/checkout", Action::Checkout),
        ("/here", Action::Here { place: None }),
        (
            "/here remote",
            Action::Here {
                place: Some(Place::Remote),
            },
        ),
        (
            "/HERE cafe-noord",
            Action::Here {
                place: Some(Place::Space(slug("cafe-noord"))),
            },
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(parse(line), Ok(expected), "{line}");
    }
    let Ok(Action::Checkin(CheckinInput::Ambiguous { as_note, .. })) = parse("/checkin cafe-noord until 17:00 slides")
    else {
        panic!("ambiguous");
    };
    assert!(as_note.unwrap_err().problem.contains("'17:00' in the note"));
}

/// Each bad line, the usage it is answered with, and a piece of the message.
#[test]
fn bad_lines_say_what_is_wrong_and_show_usage() {
    let cases: &[(&str, &str, &str)] = &[
        ("/start now", "start", "takes no arguments"),
        (
            "/setup Europe/Amsterdm Utrecht",
            "setup",
            "Did you mean Europe/Amsterdam?",
        ),
        ("/setup Mars/Olympus Utrecht", "setup", "not a time zone"),
        ("/setup", "setup", "at least 2 characters"),
        ("/space", "space", "needs one of: add, list, remove, set"),
        ("/space set", "space set", "Which space?"),
        (
            "/space set cafe-noord",
            "space set",
            "Which setting? cafe-noord has: release_after",
        ),
        ("/space set cafe-noord capacity 3", "space set", "no setting 'capacity'"),
        (
            "/space set cafe-noord release_after",
            "space set",
            "minutes (10 to 240) or off, like /space set cafe-noord release_after 90",
        ),
        ("/space set cafe-noord release_after 5", "space set", "out of range"),
        (
            "/space set cafe-noord release_after soon",
            "space set",
            "'soon' is not a number",
        ),
        (
            "/space set cafe-noord release_after 30 now",
            "space set",
            "minutes (10 to 240) or off",
        ),
        ("/space ad cafe", "space", "Did you mean /space add?"),
        ("/space add", "space add", "Which space?"),
        ("/space add cafe_noord", "space add", "not a space name"),
        ("/space add cafe-noord capacity", "space add", "needs a number"),
        ("/space add cafe-noord capacity 0", "space add", "out of range"),
        (
            "/space add cafe-noord capacity lots",
            "space add",
            "'lots' is not a number",
        ),
        (
            "/space add cafe-noord Europe/Amsterdm",
            "space add",
            "Did you mean Europe/Amsterdam?",
        ),
        ("/space add cafe-noord sunny", "space add", "I don't understand 'sunny'"),
        ("/space remove", "space remove", "Which space?"),
        ("/space list all", "space list", "takes no arguments"),
        ("/host add alice", "host add", "Name a member and a space"),
        ("/host add @ cafe-noord", "host add", "not a member"),
        ("/host fire @alice cafe-noord", "host", "has no 'fire'"),
        ("/profile offers", "profile offers", "No tags given"),
        ("/profile offers rust!, go", "profile offers", "'!'"),
        ("/profile about", "profile about", "Write a line"),
        ("/profile skills rust", "profile", "has no 'skills'"),
        ("/checkin until 25:99", "checkin", "'25:99' is not a time of day"),
        ("/checkin remote until", "checkin", "needs a time"),
        ("/checkout now", "checkout", "takes no arguments"),
        ("/here a b", "here", "at most one space"),
        ("/here cafe_noord", "here", "not a space name"),
    ];
    assert_bad_args(cases);
}

#[test]
fn long_notes_are_refused_in_both_readings() {
    let line = format!("/checkin cafe-noord {}", "x".repeat(281));
    let Ok(Action::Checkin(CheckinInput::Ambiguous { as_place, .. })) = parse(&line) else {
        panic!("expected an ambiguous check-in");
    };
    assert!(as_place.unwrap_err().problem.contains("the most is 280"));
    let line = format!("/checkin remote {}", "x".repeat(281));
    assert!(matches!(parse(&line), Err(ParseError::BadArgs { .. })));
}

#[test]
fn unknown_commands_suggest_the_closest() {
    assert_eq!(
        parse("/chekin cafe"),
        Err(ParseError::Unknown {
            name: "chekin".into(),
            suggestion: Some("checkin")
        })
    );
    assert_eq!(
        parse("/xyzzy"),
        Err(ParseError::Unknown {
            name: "xyzzy".into(),
            suggestion: None
        })
    );
    assert_eq!(parse("hello there"), Err(ParseError::NotACommand));
    assert!(matches!(parse("/"), Err(ParseError::Unknown { .. })));
}

#[test]
fn no_input_panics() {
    let samples = [
        "/",
        "/ ",
        "/@",
        "/@@",
        "/checkin \u{0}",
        "/setup \u{202e}",
        "/space add ü",
        "/host add <@> x",
        "/here 🙂",
    ];
    for line in samples {
        let _ = parse(line);
    }
}

#[test]
fn control_characters_are_refused_before_anything_is_read() {
    for line in [
        "/profile about \u{1b}[31mred\u{1b}[0m",
        "/checkin remote bell\u{7}",
        "/offer cafe-noord 2 nul\u{0}byte",
        "/setup Evil \u{202e}txet",
        "/profile about \u{2066}isolate",
        "/chek\u{1b}in",
    ] {
        match parse(line) {
            Err(ParseError::BadText(error)) => assert!(error.problem.contains("control character"), "{line}"),
            other => panic!("{line}: {other:?}"),
        }
    }
    // Line breaks and tabs are whitespace, folded like spaces.
    assert_eq!(
        parse("/profile about two\r\nlines\tand a tab"),
        Ok(Action::ProfileAbout(Note::parse("two lines and a tab").unwrap()))
    );
    assert!(Note::parse("\u{1b}[0m").is_err() && CommunityName::parse("a\u{7}b").is_err());
}

#[test]
fn show_and_status_are_subcommands_as_declared() {
    assert_eq!(parse("/profile show"), Ok(Action::ProfileShow));
    assert_eq!(parse("/settings show"), Ok(Action::SettingsShow));
    assert_eq!(parse("/pairing status"), Ok(Action::Pairing(PairingChange::Status)));
    assert_bad_args(&[("/profile show me", "profile", "takes no arguments")]);
}
