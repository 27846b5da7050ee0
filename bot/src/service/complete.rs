//! Values for an argument as it is being typed (Discord's autocomplete):
//! the community's spaces, time zones, command names, languages, platforms.

use crate::catalogue::{self, ArgKind};
use crate::store::ChatKey;
use crate::{Caller, Core, Locale};

/// The most choices a platform shows (Discord: 25).
pub const MAX_CHOICES: usize = 25;

impl Core {
    /// Up to [`MAX_CHOICES`] values of `kind` for what was typed so far,
    /// ignoring case: those that start with it first, then those that
    /// contain it, each in their own order. Nothing for kinds with no list
    /// (a number, a date, free text) or when the store cannot be read.
    pub async fn complete(&self, chat: &ChatKey, caller: &Caller, kind: ArgKind, typed: &str) -> Vec<String> {
        let values: Vec<String> = match kind {
            ArgKind::Space | ArgKind::SpaceOrRemote | ArgKind::OfferOrSpace | ArgKind::DateOrSpace => {
                let mut spaces = self.space_slugs(chat, caller).await;
                if kind == ArgKind::SpaceOrRemote {
                    spaces.push("remote".into());
                }
                spaces
            }
            ArgKind::Zone => chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().to_string()).collect(),
            ArgKind::CommandName => catalogue::names().map(str::to_string).collect(),
            ArgKind::Language => Locale::ALL.iter().map(|l| l.code().to_string()).collect(),
            ArgKind::PlatformName => ["telegram", "discord", "auto"].map(String::from).to_vec(),
            _ => Vec::new(),
        };
        best_matches(values, typed)
    }

    async fn space_slugs(&self, chat: &ChatKey, caller: &Caller) -> Vec<String> {
        let arrival = match self.arrive(chat, caller).await {
            Ok(arrival) => arrival,
            Err(error) => {
                tracing::warn!(%error, "no spaces to suggest");
                return Vec::new();
            }
        };
        let Some(community) = arrival.community else {
            return Vec::new();
        };
        match self.store.spaces(community.id).await {
            Ok(spaces) => spaces.into_iter().map(|s| s.slug.as_str().to_string()).collect(),
            Err(error) => {
                tracing::warn!(%error, "no spaces to suggest");
                Vec::new()
            }
        }
    }
}

/// Those starting with `typed`, then those containing it; at most
/// [`MAX_CHOICES`].
fn best_matches(values: Vec<String>, typed: &str) -> Vec<String> {
    let typed = typed.trim().to_lowercase();
    let (mut starting, mut containing) = (Vec::new(), Vec::new());
    for value in values {
        let lower = value.to_lowercase();
        if lower.starts_with(&typed) {
            starting.push(value);
        } else if lower.contains(&typed) {
            containing.push(value);
        }
    }
    starting.extend(containing);
    starting.truncate(MAX_CHOICES);
    starting
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_come_first_and_there_are_never_more_than_25() {
        let values = ["loft", "cafe-noord", "noord-loft", "Library"]
            .map(String::from)
            .to_vec();
        assert_eq!(best_matches(values.clone(), "lo"), ["loft", "noord-loft"]);
        assert_eq!(best_matches(values.clone(), "L"), ["loft", "Library", "noord-loft"]);
        assert_eq!(best_matches(values, "").len(), 4);
        let zones: Vec<String> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name().to_string()).collect();
        assert_eq!(best_matches(zones.clone(), "europe/ams"), ["Europe/Amsterdam"]);
        assert_eq!(best_matches(zones, "").len(), MAX_CHOICES);
    }
}
