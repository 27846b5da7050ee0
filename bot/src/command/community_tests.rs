//! The community's own commands as tables of good and bad lines: set-up,
//! settings, pairing, accounts.

use super::tests::assert_bad_args;
use super::*;

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
