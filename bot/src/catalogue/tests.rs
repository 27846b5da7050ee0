//! The catalogue's own rules: names, examples, limits, menus.

use super::ArgKind::{Integer, OfferNumber};
use super::*;

#[test]
fn every_argument_description_fits_a_platform_option() {
    // Discord: option descriptions of at most 100 characters.
    for leaf in leaves() {
        for arg in leaf.args {
            for locale in crate::Locale::ALL {
                let text = leaf.arg_description_in(arg, locale);
                assert!(text.chars().count() <= 100, "/{} {}: {text}", leaf.path, arg.name);
            }
        }
    }
}

#[test]
fn every_number_says_its_bounds() {
    for leaf in leaves() {
        for arg in leaf.args {
            assert_eq!(
                matches!(arg.kind, Integer | OfferNumber),
                arg.range.is_some(),
                "/{} {}",
                leaf.path,
                arg.name
            );
        }
    }
}

#[test]
fn admin_commands_are_only_in_the_admins_menu() {
    let en = menus(crate::Locale::En);
    let names = |entries: &[MenuEntry]| entries.iter().map(|e| e.name).collect::<Vec<_>>();
    assert!(names(&en.members).contains(&"checkin"));
    assert!(!names(&en.members).contains(&"setup"));
    assert!(names(&en.admins).contains(&"setup"));
    assert_eq!(en.admins.len(), CATALOGUE.len());
    assert!(menus(crate::Locale::Nl).members.iter().any(|e| e.description != e.name));
}

#[test]
fn every_usage_and_example_starts_with_its_path() {
    for spec in CATALOGUE.iter().chain(CATALOGUE.iter().flat_map(|c| c.subcommands)) {
        let slash = format!("/{}", spec.path);
        assert!(spec.usage.starts_with(&slash), "{}", spec.usage);
        assert!(spec.example.starts_with(&slash), "{}", spec.example);
    }
}

#[test]
fn every_entry_and_argument_reads_in_every_language() {
    for spec in CATALOGUE.iter().chain(CATALOGUE.iter().flat_map(|c| c.subcommands)) {
        assert!(!spec.summary_nl.is_empty(), "/{} has no Dutch summary", spec.path);
        for locale in crate::Locale::ALL {
            let summary = spec.summary_in(locale);
            // Telegram: 1-256 characters; Discord: 1-100.
            assert!(
                !summary.is_empty() && summary.chars().count() <= 100,
                "/{}: {summary}",
                spec.path
            );
        }
        for arg in spec.args {
            assert!(
                !arg.description.is_empty() && !arg.description_nl.is_empty(),
                "/{} {}: no description in English and Dutch",
                spec.path,
                arg.name
            );
            for locale in crate::Locale::ALL {
                let description = spec.arg_description_in(arg, locale);
                assert!(
                    description.chars().count() <= 120,
                    "/{} {}: {description}",
                    spec.path,
                    arg.name
                );
            }
        }
    }
}

#[test]
fn names_are_unique_lowercase_and_fit_platform_limits() {
    let mut seen = std::collections::HashSet::new();
    for spec in CATALOGUE {
        assert!(seen.insert(spec.name), "{} twice", spec.name);
        // Telegram: 1-32 of a-z, 0-9, _; Discord: summaries of at most 100 characters.
        assert!(spec.name.len() <= 32 && spec.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        assert!(
            !spec.summary.is_empty() && spec.summary.len() <= 100,
            "{}",
            spec.summary
        );
    }
}

#[test]
fn dutch_usages_have_dutch_placeholders_and_dutch_examples_mean_the_same() {
    use crate::Locale::Nl;
    for leaf in leaves() {
        let usage = leaf.usage_in(Nl);
        for english in [
            "<space>",
            "<date>",
            "<note…>",
            "<HH:MM>",
            "until ",
            "capacity",
            "<offer number>",
        ] {
            assert!(!usage.contains(english), "/{}: {usage}", leaf.path);
        }
        let (en, nl) = (leaf.example, leaf.example_in(Nl));
        let (parsed_en, parsed_nl) = (crate::command::parse(en), crate::command::parse(&nl));
        let (Ok(action_en), Ok(action_nl)) = (&parsed_en, &parsed_nl) else {
            panic!("/{}: '{nl}' → {parsed_nl:?}, '{en}' → {parsed_en:?}", leaf.path);
        };
        // A note or an about line is translated text: the same kind of
        // action; anything else means exactly the same.
        let free_text = ["proposal", "upstairs", "workshop", "bike-sharing", "replication"]
            .iter()
            .any(|w| en.contains(w));
        if free_text {
            assert_eq!(
                std::mem::discriminant(action_en),
                std::mem::discriminant(action_nl),
                "/{}",
                leaf.path
            );
        } else {
            assert_eq!(action_nl, action_en, "/{}: '{nl}' means what '{en}' does", leaf.path);
        }
    }
}

/// A module's entry, grammar and handler agree: each entry's example, typed
/// and as a slash command's options, is read by that entry and parses to an
/// action its module's handler takes; every entry that runs has both.
#[test]
fn every_entry_is_read_by_its_grammar_and_run_by_its_handler() {
    for leaf in leaves() {
        let handler = leaf.handler.unwrap_or_else(|| panic!("/{} has no handler", leaf.path));
        assert!(leaf.grammar.is_some(), "/{} has no grammar", leaf.path);
        let parsed = crate::command::parse_command(leaf.example)
            .unwrap_or_else(|e| panic!("/{}: its example {:?} does not parse: {e:?}", leaf.path, leaf.example));
        assert_eq!(parsed.spec.path, leaf.path, "{} is read by another entry", leaf.example);
        assert!(
            (handler.accepts)(&parsed.action),
            "/{}: its module's handler does not take {:?}",
            leaf.path,
            parsed.action
        );
    }
    // What an entry reads beyond its example: `/start`'s deep links.
    for line in [
        "/start inbox",
        "/start link_ABCD-2345",
        "/setup join ABCD-2345",
        "/decline 3 2 no room",
    ] {
        let parsed = crate::command::parse_command(line).unwrap();
        let handler = parsed.spec.handler.unwrap();
        assert!(
            (handler.accepts)(&parsed.action),
            "{line}: {:?} is not taken",
            parsed.action
        );
    }
    for group in CATALOGUE.iter().filter(|c| !c.subcommands.is_empty()) {
        assert!(
            group.handler.is_none() && group.grammar.is_none(),
            "/{}: a group runs through its subcommands",
            group.path
        );
    }
}
