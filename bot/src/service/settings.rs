//! `/settings`: the community's pairing schedule and language, shown to all,
//! changed by admins.

use super::{Cx, Outcome};
use crate::command::SettingChange;
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::service::prelude::*;
use crate::store::Community;

/// How the language is changed, as the platform takes it.
fn language_example(platform: crate::Platform, locale: crate::Locale) -> String {
    crate::catalogue::find_path("settings language")
        .map(|spec| super::wording::example_on(spec, platform, locale))
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
