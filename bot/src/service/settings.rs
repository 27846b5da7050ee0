//! `/settings`: the community's pairing schedule and language, shown to all,
//! changed by admins.

use super::{Ctx, Outcome, LOCALE};
use crate::command::SettingChange;
use crate::i18n::{Arg, Msg};
use crate::reply::Reply;
use crate::store::Community;
use crate::Core;

/// How the language is changed, as the platform takes it.
fn language_example(platform: crate::Platform) -> String {
    crate::catalogue::find_path("settings language")
        .map(|spec| super::wording::example_on(spec, platform))
        .unwrap_or_else(|| "/settings language nl".into())
}

impl Core {
    pub(super) async fn settings_show(&self, ctx: &Ctx<'_>) -> Outcome {
        let community = self.community(ctx)?;
        self.show_settings(ctx, community).await
    }

    /// The settings of `community` as it stands (after a change, as changed).
    async fn show_settings(&self, ctx: &Ctx<'_>, community: &Community) -> Outcome {
        let settings = self.store.pairing_settings(community.id).await?;
        let stats = self.store.pairing_stats(community.id).await?;
        let next = self.next_round_text(community, &settings, ctx.now).await?;
        let community_locale = community.locale.unwrap_or(self.default_locale());
        Ok(Reply::to_chat()
            .line(self.t(Msg::SettingsTitle, vec![("community", Arg::strong(&community.name))]))
            .item(self.t(
                Msg::SettingsPairing,
                vec![
                    ("time", Arg::code(settings.time)),
                    ("zone", Arg::text(community.zone)),
                    ("days", Arg::code(settings.days.written_in(self.locale()))),
                    ("weeks", Arg::count(settings.history_weeks)),
                ],
            ))
            .item(self.t(Msg::SettingsNext, vec![("when", Arg::text(next))]))
            .item(self.t(
                if community.locale_for_all {
                    Msg::SettingsLanguageForAll
                } else {
                    Msg::SettingsLanguage
                },
                vec![
                    ("language", Arg::code(community_locale.code())),
                    ("change", Arg::code(language_example(ctx.chat.platform))),
                ],
            ))
            .item(self.t(
                Msg::SettingsStats,
                vec![
                    ("rounds", Arg::count(stats.rounds)),
                    ("met", Arg::count(stats.met)),
                    ("placed", Arg::count(stats.placed)),
                ],
            )))
    }

    pub(super) async fn settings_set(&self, ctx: &Ctx<'_>, change: SettingChange) -> Outcome {
        let community = self.community(ctx)?;
        let mut settings = self.store.pairing_settings(community.id).await?;
        match change {
            SettingChange::PairingTime(time) => settings.time = time,
            SettingChange::PairingDays(days) => settings.days = days,
            SettingChange::HistoryWeeks(weeks) => settings.history_weeks = weeks,
            SettingChange::Language { locale, for_all } => {
                self.store.set_locale(community.id, locale, for_all).await?;
                let changed = Community {
                    locale: Some(locale),
                    locale_for_all: for_all,
                    ..community.clone()
                };
                // The answer is already in the new language.
                return LOCALE.scope(locale, self.settings_saved(ctx, &changed)).await;
            }
        }
        self.store.set_pairing_settings(community.id, &settings).await?;
        self.settings_saved(ctx, community).await
    }

    async fn settings_saved(&self, ctx: &Ctx<'_>, community: &Community) -> Outcome {
        let mut reply = Reply::to_chat().line(self.t(Msg::SettingsSaved, vec![]));
        reply.blocks.extend(self.show_settings(ctx, community).await?.blocks);
        Ok(reply)
    }
}
