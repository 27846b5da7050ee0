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
        ("/space", "space", "needs one of: add, list, remove"),
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
fn pairing_and_settings_commands_parse() {
    let cases: Vec<(&str, Action)> = vec![
        ("/pairing", Action::Pairing(PairingChange::Status)),
        ("/pairing status", Action::Pairing(PairingChange::Status)),
        ("/pairing ON", Action::Pairing(PairingChange::On)),
        ("/pairing off", Action::Pairing(PairingChange::Off)),
        ("/pairing pause 14", Action::Pairing(PairingChange::Pause(14))),
        ("/match", Action::Match),
        ("/met", Action::Met),
        ("/pairnow", Action::PairNow),
        ("/settings", Action::SettingsShow),
        (
            "/settings pairing_time 9:30",
            Action::SettingsSet(SettingChange::PairingTime(ClockTime::parse("09:30").unwrap())),
        ),
        (
            "/settings pairing_days mon, wed, fri",
            Action::SettingsSet(SettingChange::PairingDays(PairingDays::parse("mon,wed,fri").unwrap())),
        ),
        (
            "/settings history_weeks 12",
            Action::SettingsSet(SettingChange::HistoryWeeks(12)),
        ),
        (
            "/settings language nl",
            Action::SettingsSet(SettingChange::Language {
                locale: crate::Locale::Nl,
                for_all: false,
            }),
        ),
        (
            "/settings language nl all",
            Action::SettingsSet(SettingChange::Language {
                locale: crate::Locale::Nl,
                for_all: true,
            }),
        ),
        (
            "/settings language en iedereen",
            Action::SettingsSet(SettingChange::Language {
                locale: crate::Locale::En,
                for_all: true,
            }),
        ),
    ];
    for (line, expected) in cases {
        assert_eq!(parse(line), Ok(expected), "{line}");
    }
    assert_bad_args(&[
        ("/pairing maybe", "pairing", "has no 'maybe'; it has on, off, pause"),
        ("/pairing pause", "pairing pause", "How many days?"),
        ("/pairing pause 0", "pairing pause", "out of range"),
        ("/pairing pause 91", "pairing pause", "from 1 to 90"),
        ("/pairing pause soon", "pairing pause", "'soon' is not a number"),
        ("/pairing on now", "pairing on", "takes no arguments"),
        ("/match me", "match", "takes no arguments"),
        ("/met him", "met", "takes no arguments"),
        ("/pairnow please", "pairnow", "takes no arguments"),
        ("/settings pairing_time", "settings pairing_time", "Give a value"),
        (
            "/settings language nl some",
            "settings language",
            "I don't understand 'some' here.",
        ),
        (
            "/settings language nl all now",
            "settings language",
            "I don't understand 'now' here.",
        ),
        (
            "/settings pairing_time 25:99",
            "settings pairing_time",
            "'25:99' is not a time of day",
        ),
        ("/settings pairing_days", "settings pairing_days", "Give a value"),
        (
            "/settings pairing_days funday",
            "settings pairing_days",
            "'funday' is not a day",
        ),
        ("/settings history_weeks 53", "settings history_weeks", "out of range"),
        ("/settings history_weeks", "settings history_weeks", "Give a value"),
        ("/settings colour blue", "settings", "has no 'colour'"),
    ]);
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
fn setup_takes_a_first_word_as_the_zone_only_when_it_is_unambiguous() {
    for name in [
        "Portugal",
        "Japan",
        "Israel",
        "Singapore",
        "Cuba",
        "Egypt",
        "Zulu",
        "GB",
        "Turkey",
    ] {
        let line = format!("/setup {name} Digital Nomads");
        assert_eq!(
            parse(&line),
            Ok(Action::Setup {
                zone: None,
                name: CommunityName::parse(&format!("{name} Digital Nomads")).unwrap()
            }),
            "{line}"
        );
    }
    assert_eq!(
        parse("/setup utc Remote Crew"),
        Ok(Action::Setup {
            zone: Some(Zone::UTC),
            name: CommunityName::parse("Remote Crew").unwrap()
        })
    );
    assert_bad_args(&[("/space add lab japan", "space add", "I don't understand 'japan'")]);
}

#[test]
fn show_and_status_are_subcommands_as_declared() {
    assert_eq!(parse("/profile show"), Ok(Action::ProfileShow));
    assert_eq!(parse("/settings show"), Ok(Action::SettingsShow));
    assert_eq!(parse("/pairing status"), Ok(Action::Pairing(PairingChange::Status)));
    assert_bad_args(&[("/profile show me", "profile", "takes no arguments")]);
}

#[test]
fn one_community_and_one_person_commands_parse() {
    use crate::domain::Platform;
    let cases = [
        (
            "/setup join abcd-2345",
            Action::SetupJoin {
                code: Some("abcd-2345".into()),
            },
        ),
        (
            "/SETUP JOIN K7FM3QXR",
            Action::SetupJoin {
                code: Some("K7FM3QXR".into()),
            },
        ),
        ("/invite", Action::Invite),
        ("/chats", Action::Chats),
        ("/unbind", Action::Unbind),
        ("/link", Action::Link(None)),
        ("/link ABCD-2345", Action::Link(Some("ABCD-2345".into()))),
        // The deep link a /link code comes with.
        ("/start link_ABCD2345", Action::Link(Some("ABCD2345".into()))),
        ("/unlink", Action::Unlink),
        (
            "/profile notify Telegram",
            Action::ProfileNotify(Some(Platform::Telegram)),
        ),
        (
            "/profile notify discord",
            Action::ProfileNotify(Some(Platform::Discord)),
        ),
        ("/profile notify auto", Action::ProfileNotify(None)),
        ("/mydata", Action::MyData),
        ("/forgetme", Action::ForgetMe { confirmation: None }),
        (
            "/forgetme confirm ABCD2345",
            Action::ForgetMe {
                confirmation: Some("ABCD2345".into()),
            },
        ),
    ];
    for (line, action) in cases {
        assert_eq!(parse(line), Ok(action), "{line}");
    }
    // Without a code: the community of the chat's server (the core says
    // "Which code?" where there is none).
    assert_eq!(parse("/setup join"), Ok(Action::SetupJoin { code: None }));
    assert_bad_args(&[
        ("/setup join ABCD 2345", "setup", "A code is one word"),
        ("/link ABCD 2345", "link", "one code"),
        ("/profile notify email", "profile notify", "telegram, discord or auto"),
        ("/profile notify", "profile notify", "telegram, discord or auto"),
        ("/forgetme now", "forgetme", "takes nothing"),
        ("/forgetme confirm", "forgetme", "takes nothing"),
        ("/mydata all", "mydata", "takes no arguments"),
    ]);
}
