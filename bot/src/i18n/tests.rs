//! Every template in every locale: placeholders, plurals, dates.

use super::*;

#[test]
fn placeholders_become_spans_and_text_merges() {
    let got = spans(
        Locale::En,
        Msg::SpaceAdded,
        vec![
            ("space", Arg::code("cafe-noord")),
            ("zone", Arg::text("UTC")),
            ("details", Arg::text(", 12 seats")),
        ],
    );
    assert_eq!(
        got,
        vec![
            Span::Text("Added space ".into()),
            Span::Code("cafe-noord".into()),
            Span::Text(" (UTC, 12 seats).".into())
        ]
    );
}

/// Spans as the reader sees them, without styles.
fn plain(spans: Vec<Span>) -> String {
    crate::reply::plain_text(&spans, crate::domain::Platform::Console)
}

/// The placeholders of a template, without plural forms.
fn placeholders(template: &str) -> Vec<&str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(p, _)| p.split(':').next().unwrap_or(p)))
        .collect()
}

#[test]
fn every_template_agrees_with_counts_of_0_1_and_2() {
    const EN_SINGULARS: &[&str] = &[
        "seat", "person", "pair", "chat", "day", "week", "member", "request", "offer",
    ];
    const EN_PLURALS: &[&str] = &[
        "seats",
        "people",
        "pairs",
        "chats",
        "days",
        "weeks",
        "members",
        "requests",
        "rounds",
        "spaces",
        "groups",
        "introductions",
        "times",
    ];
    const NL_SINGULARS: &[&str] = &["plek", "persoon", "duo", "dag", "week", "lid", "aanvraag", "bericht"];
    const NL_PLURALS: &[&str] = &[
        "plekken",
        "personen",
        "mensen",
        "duo's",
        "dagen",
        "weken",
        "leden",
        "aanvragen",
        "berichten",
        "rondes",
    ];
    for (locale, singulars, plurals) in [
        (Locale::En, EN_SINGULARS, EN_PLURALS),
        (Locale::Nl, NL_SINGULARS, NL_PLURALS),
    ] {
        for &msg in Msg::ALL {
            for n in [0u64, 1, 2] {
                // Every placeholder a count, so any noun after any of them shows.
                let args = placeholders(msg.template(locale))
                    .into_iter()
                    .map(|name| (name, Arg::Count(n)))
                    .collect();
                let text = plain(spans(locale, msg, args));
                assert!(!text.contains("(s)") && !text.contains("(en)"), "{msg:?}: {text}");
                // A count directly followed by a noun: "1 seats", not "1: people".
                let words: Vec<&str> = text.split_whitespace().collect();
                for pair in words.windows(2) {
                    let (count, noun) = (
                        pair[0],
                        pair[1].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\''),
                    );
                    if count != n.to_string() {
                        continue;
                    }
                    if n == 1 {
                        assert!(!plurals.contains(&noun), "{msg:?} with 1: '{count} {noun}' in: {text}");
                    } else {
                        assert!(
                            !singulars.contains(&noun),
                            "{msg:?} with {n}: '{count} {noun}' in: {text}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn plural_forms_follow_the_count() {
    let render = |n: u64| {
        plain(spans(
            Locale::En,
            Msg::OfferWithdrawnDone,
            vec![
                ("offer", Arg::code("#1")),
                ("space", Arg::code("loft")),
                ("when", Arg::text("today")),
                ("n", Arg::count(n)),
            ],
        ))
    };
    assert!(render(1).ends_with("told 1 person."), "{}", render(1));
    assert!(render(3).ends_with("told 3 people."), "{}", render(3));
}

#[test]
fn every_message_has_every_locale_with_the_same_placeholders() {
    fn names(template: &str) -> Vec<&str> {
        let mut names = placeholders(template);
        names.sort();
        names.dedup();
        names
    }
    for &msg in Msg::ALL {
        let english = names(msg.template(Locale::En));
        for locale in Locale::ALL {
            let template = msg.template(locale);
            assert!(!template.trim().is_empty(), "{msg:?} has no {locale:?} text");
            assert_eq!(
                names(template),
                english,
                "{msg:?} in {locale:?} fills other placeholders"
            );
            assert_eq!(
                template.matches('{').count(),
                template.matches('}').count(),
                "{msg:?} {locale:?}"
            );
        }
        if !matches!(
            msg,
            Msg::HelpItem
                | Msg::SpaceLine
                | Msg::MeetLine
                | Msg::HereLine
                | Msg::HereNote
                | Msg::MatchLine
                | Msg::MySeatLine
                | Msg::HostRequestLine
                | Msg::RequesterOffers
                | Msg::ReasonSeparator
                | Msg::SpaceHosts
                | Msg::ApproveHint
                | Msg::ScopeDay
                | Msg::CardHost
        ) {
            assert_ne!(
                msg.template(Locale::Nl),
                msg.template(Locale::En),
                "{msg:?} is not translated"
            );
        }
    }
}

#[test]
fn dates_read_in_the_locale() {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    assert_eq!(Locale::En.date(date), "Wed 25 Nov");
    assert_eq!(Locale::Nl.date(date), "wo 25 nov");
    assert_eq!(Locale::parse("NL"), Ok(Locale::Nl));
}

/// A value is used once (`spans` takes it), so a placeholder that a
/// template shows twice must be a count, which may be shown again.
#[test]
fn only_counts_are_shown_twice_in_a_template() {
    for msg in Msg::ALL {
        for locale in Locale::ALL {
            let template = msg.template(locale);
            let names = placeholders(template);
            for name in &names {
                let twice = names.iter().filter(|n| *n == name).count() > 1;
                let a_count = template.contains(&format!("{{{name}:"));
                assert!(!twice || a_count, "{msg:?} ({locale:?}) shows {{{name}}} twice");
            }
        }
    }
}
