//! `/settings`: the community's pairing schedule and language, shown to all,
//! changed by admins.

use crate::catalogue::{Access, ArgKind, ArgSpec, CommandSpec};
use crate::command::grammar::parse_count;
use crate::command::{Action, SettingChange, Source};
use crate::commands::pairing::next_round_text;
use crate::domain::{bounds, ArgError, ClockTime, PairingDays};
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::{Cx, Outcome};
use crate::store::Community;

pub(crate) const SETTINGS: CommandSpec = CommandSpec {
    name: "settings",
    path: "settings",
    summary: "The community's pairing schedule",
    summary_nl: "De instellingen van de community",
    usage: "/settings [pairing_time|pairing_days|history_weeks|language|digest <value>]",
    example: "/settings pairing_time 09:30",
    access: Access::Member,
    subcommands: &[
        CommandSpec {
            name: "show",
            path: "settings",
            summary: "Show the community's settings",
            summary_nl: "De instellingen van de community",
            usage: "/settings",
            example: "/settings",
            access: Access::Member,
            grammar: Some(read_settings_show),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "pairing_time",
            path: "settings pairing_time",
            summary: "When the daily round runs, in the community's time zone",
            summary_nl: "Wanneer de dagelijkse ronde is, in de tijdzone van de community",
            usage: "/settings pairing_time <HH:MM>",
            example: "/settings pairing_time 09:30",
            access: Access::Admin,
            args: &[ArgSpec {
                name: "time",
                kind: ArgKind::Time,
                required: true,
                description: "local time of day",
                description_nl: "lokale tijd",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_settings_pairing_time),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "pairing_days",
            path: "settings pairing_days",
            summary: "On which days rounds run",
            summary_nl: "Op welke dagen er rondes zijn",
            usage: "/settings pairing_days <mon-fri|mon,wed,fri|daily>",
            example: "/settings pairing_days mon,wed,fri",
            access: Access::Admin,
            args: &[ArgSpec {
                name: "days",
                kind: ArgKind::Days,
                required: true,
                description: "a range, a list, or daily",
                description_nl: "een reeks, een lijst, of daily",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_settings_pairing_days),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "history_weeks",
            path: "settings history_weeks",
            summary: "How long pairs are not repeated",
            summary_nl: "Hoe lang duo's niet herhaald worden",
            usage: "/settings history_weeks <n>",
            example: "/settings history_weeks 12",
            access: Access::Admin,
            args: &[ArgSpec {
                name: "weeks",
                kind: ArgKind::Integer,
                required: true,
                description: "1 to 52",
                description_nl: "1 tot 52",
                range: Some(bounds::HISTORY_WEEKS),
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_settings_history_weeks),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "language",
            path: "settings language",
            summary: "The language of replies and help: en or nl",
            summary_nl: "De taal van antwoorden en hulp: en of nl",
            usage: "/settings language <en|nl> [all]",
            example: "/settings language nl",
            access: Access::Admin,
            args: &[
                ArgSpec {
                    name: "language",
                    kind: ArgKind::Language,
                    required: true,
                    description: "en (English) or nl (Nederlands)",
                    description_nl: "en (English) of nl (Nederlands)",
                    ..ArgSpec::OPTIONAL
                },
                ArgSpec {
                    name: "all",
                    kind: ArgKind::Flag,
                    keyword: Some("all"),
                    description: "replies for one member in this language too, whatever their app's",
                    description_nl: "ook antwoorden voor één lid in deze taal, wat hun app ook zegt",
                    ..ArgSpec::OPTIONAL
                },
            ],
            grammar: Some(read_settings_language),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
        CommandSpec {
            name: "digest",
            path: "settings digest",
            summary: "A weekly digest in every chat (counts and tags, no names): its day, or off",
            summary_nl: "Een wekelijks overzicht in elke chat (aantallen en tags, geen namen): de dag, of off",
            usage: "/settings digest <mon|tue|wed|thu|fri|sat|sun|off>",
            example: "/settings digest mon",
            access: Access::Admin,
            args: &[ArgSpec {
                name: "day",
                kind: ArgKind::Text,
                required: true,
                description: "a day of the week, or off",
                description_nl: "een dag van de week, of off",
                ..ArgSpec::OPTIONAL
            }],
            grammar: Some(read_settings_digest),
            handler: Some(HANDLER),
            ..CommandSpec::LEAF
        },
    ],
    ..CommandSpec::GROUP
};

fn read_settings_show(_: &str, _: Source) -> Result<Action, ArgError> {
    Ok(Action::SettingsShow)
}

fn setting_value(args: &str) -> Result<&str, ArgError> {
    match args.trim() {
        "" => Err(ArgError::new(Msg::SettingValue)),
        value => Ok(value),
    }
}

fn read_settings_pairing_time(args: &str, _: Source) -> Result<Action, ArgError> {
    ClockTime::parse(setting_value(args)?).map(|t| Action::SettingsSet(SettingChange::PairingTime(t)))
}

fn read_settings_pairing_days(args: &str, _: Source) -> Result<Action, ArgError> {
    PairingDays::parse(setting_value(args)?).map(|d| Action::SettingsSet(SettingChange::PairingDays(d)))
}

/// `<en|nl> [all]`: `all` (Dutch `iedereen`) keeps replies to one member
/// in the community's language too.
fn read_settings_language(args: &str, _: Source) -> Result<Action, ArgError> {
    let mut words = setting_value(args)?.split_whitespace();
    let locale = crate::Locale::parse(words.next().unwrap_or_default())?;
    let for_all = match words.next() {
        None => false,
        Some(word) if matches!(word.to_lowercase().as_str(), "all" | "iedereen") => true,
        Some(word) => return Err(ArgError::new(Msg::NotUnderstood).with("word", word)),
    };
    if let Some(word) = words.next() {
        return Err(ArgError::new(Msg::NotUnderstood).with("word", word));
    }
    Ok(Action::SettingsSet(SettingChange::Language { locale, for_all }))
}

/// One weekday (`mon`, `ma`), or `off` (`uit`).
fn read_settings_digest(args: &str, source: Source) -> Result<Action, ArgError> {
    let value = setting_value(source.free("day").unwrap_or(args))?;
    if matches!(value.to_lowercase().as_str(), "off" | "uit") {
        return Ok(Action::SettingsSet(SettingChange::Digest(None)));
    }
    let which = || ArgError::new(Msg::DigestWhich).with("example", "/settings digest mon");
    let day = PairingDays::parse(value)
        .map_err(|_| which())?
        .only()
        .ok_or_else(which)?;
    Ok(Action::SettingsSet(SettingChange::Digest(Some(day))))
}

fn read_settings_history_weeks(args: &str, _: Source) -> Result<Action, ArgError> {
    parse_count(setting_value(args)?, bounds::HISTORY_WEEKS, Msg::WhatHistoryWeeks)
        .map(|n| Action::SettingsSet(SettingChange::HistoryWeeks(n)))
}

handlers!(|cx| {
    Action::SettingsShow => settings_show(cx),
    Action::SettingsSet(change) => settings_set(cx, change),
});

/// How the language is changed, as the platform takes it.
fn language_example(platform: crate::Platform, locale: crate::Locale) -> String {
    crate::catalogue::find_path("settings language")
        .map(|spec| crate::service::wording::example_on(spec, platform, locale))
        .unwrap_or_else(|| "/settings language nl".into())
}

pub(crate) async fn settings_show(cx: &Cx<'_>) -> Outcome {
    let community = cx.community()?;
    show_settings(cx, community).await
}

/// The settings of `community` as it stands (after a change, as changed).
pub(crate) async fn show_settings(cx: &Cx<'_>, community: &Community) -> Outcome {
    let settings = cx.store.pairing_settings(community.id).await?;
    let stats = cx.store.pairing_stats(community.id).await?;
    let next = next_round_text(cx, community, &settings, cx.now).await?;
    let community_locale = community.locale.unwrap_or(cx.settings.locale);
    Ok(Reply::to_chat()
        .line(cx.t(Msg::SettingsTitle, vec![("community", Arg::strong(&community.name))]))
        .item(cx.t(
            Msg::SettingsPairing,
            vec![
                ("time", Arg::code(settings.time)),
                ("zone", Arg::text(community.zone)),
                ("days", Arg::code(settings.days.written_in(cx.locale))),
                ("weeks", Arg::count(settings.history_weeks)),
            ],
        ))
        .item(cx.t(Msg::SettingsNext, vec![("when", Arg::text(next))]))
        .item(cx.t(
            if community.locale_for_all {
                Msg::SettingsLanguageForAll
            } else {
                Msg::SettingsLanguage
            },
            vec![
                ("language", Arg::code(community_locale.code())),
                ("change", Arg::code(language_example(cx.chat.platform, cx.locale))),
            ],
        ))
        .item(match cx.store.digest_day(community.id).await? {
            Some(day) => cx.t(
                Msg::SettingsDigest,
                vec![
                    ("day", Arg::code(PairingDays::of(day).written_in(cx.locale))),
                    ("change", Arg::code("/settings digest off")),
                ],
            ),
            None => cx.t(
                Msg::SettingsDigestOff,
                vec![("change", Arg::code("/settings digest mon"))],
            ),
        })
        .item(cx.t(
            Msg::SettingsStats,
            vec![
                ("rounds", Arg::count(stats.rounds)),
                ("met", Arg::count(stats.met)),
                ("placed", Arg::count(stats.placed)),
            ],
        )))
}

pub(crate) async fn settings_set(cx: &Cx<'_>, change: SettingChange) -> Outcome {
    let community = cx.community()?;
    let mut settings = cx.store.pairing_settings(community.id).await?;
    match change {
        SettingChange::PairingTime(time) => settings.time = time,
        SettingChange::PairingDays(days) => settings.days = days,
        SettingChange::HistoryWeeks(weeks) => settings.history_weeks = weeks,
        SettingChange::Digest(day) => {
            cx.store.set_digest_day(community.id, day).await?;
            return settings_saved(cx, community).await;
        }
        SettingChange::Language { locale, for_all } => {
            cx.store.set_locale(community.id, locale, for_all).await?;
            let changed = Community {
                locale: Some(locale),
                locale_for_all: for_all,
                ..community.clone()
            };
            // The answer is already in the new language.
            return settings_saved(&cx.in_locale(locale), &changed).await;
        }
    }
    cx.store.set_pairing_settings(community.id, &settings).await?;
    settings_saved(cx, community).await
}

pub(crate) async fn settings_saved(cx: &Cx<'_>, community: &Community) -> Outcome {
    let mut reply = Reply::to_chat().line(cx.t(Msg::SettingsSaved, vec![]));
    reply.blocks.extend(show_settings(cx, community).await?.blocks);
    Ok(reply)
}
