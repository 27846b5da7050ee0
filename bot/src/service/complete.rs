//! Values for an argument as it is being typed (Discord's autocomplete):
//! the community's spaces, time zones, command names, languages, platforms,
//! and for offer numbers the offers that fit the command, by description.

use super::Env;
use crate::catalogue::{self, ArgKind};
use crate::i18n::{Arg, Msg};
use crate::store::{ChatKey, Offer, RequestState, StoreResult};
use crate::{Caller, Core, Locale};

/// One choice: what the member reads, and the value the option gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub value: String,
}

impl Choice {
    fn same(value: String) -> Choice {
        Choice {
            label: value.clone(),
            value,
        }
    }
}

/// The most choices a platform shows (Discord: 25).
pub const MAX_CHOICES: usize = 25;

impl Core {
    /// The choices for an option of the command at `path`: for an offer's
    /// number, the offers that fit the command (to request: open ones with
    /// seats, then the spaces; to cancel: the caller's; to withdraw: the ones
    /// the caller may withdraw; to approve or decline: those with requests
    /// waiting), each by its description and in the community's language;
    /// else [`complete`]'s values.
    pub async fn choices(
        &self,
        chat: &ChatKey,
        caller: &Caller,
        path: &str,
        kind: ArgKind,
        typed: &str,
    ) -> Vec<Choice> {
        super::metrics::inbound(chat.platform, "autocomplete");
        let offers = match (kind, path) {
            (ArgKind::OfferOrSpace | ArgKind::OfferNumber, _) => offer_choices(self, chat, caller, path).await,
            _ => Ok(Vec::new()),
        };
        let mut choices = offers.unwrap_or_else(|error| {
            tracing::warn!(%error, "no offers to suggest");
            Vec::new()
        });
        let typed_lower = typed.trim().trim_start_matches('#').to_lowercase();
        choices.retain(|c| c.value.starts_with(&typed_lower) || c.label.to_lowercase().contains(&typed_lower));
        if kind != ArgKind::OfferNumber && path != "cancel" {
            choices.extend(
                complete(self, chat, caller, kind, typed)
                    .await
                    .into_iter()
                    .map(Choice::same),
            );
        }
        choices.truncate(MAX_CHOICES);
        choices
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

/// Up to [`MAX_CHOICES`] values of `kind` for what was typed so far,
/// ignoring case: those that start with it first, then those that
/// contain it, each in their own order. Nothing for kinds with no list
/// (a number, a date, free text) or when the store cannot be read.
pub async fn complete(core: &Core, chat: &ChatKey, caller: &Caller, kind: ArgKind, typed: &str) -> Vec<String> {
    let values: Vec<String> = match kind {
        ArgKind::Space | ArgKind::SpaceOrRemote | ArgKind::OfferOrSpace | ArgKind::DateOrSpace => {
            let mut spaces = space_slugs(core, chat, caller).await;
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

async fn offer_choices(core: &Core, chat: &ChatKey, caller: &Caller, path: &str) -> StoreResult<Vec<Choice>> {
    let arrival = Env::of_bot(core).arrive(chat, caller).await?;
    let Some(community) = arrival.community else {
        return Ok(Vec::new());
    };
    let now = core.clock.now();
    let tr = Env::of_bot(core).for_community(&community).tr();
    let describe = |offer: &Offer, state: Option<RequestState>| {
        let facts = crate::notice::OfferFacts::of(offer);
        let when = crate::notice::when(tr, &facts);
        let msg = match state {
            Some(RequestState::Confirmed) => Msg::ChoiceYourSeat,
            Some(_) => Msg::ChoiceYourWait,
            None if path == "approve" || path == "decline" => Msg::ChoiceWaiting,
            None => Msg::ChoiceOffer,
        };
        let mut label = tr.text(
            msg,
            vec![
                ("space", Arg::text(offer.space_slug.as_str())),
                ("when", Arg::text(when)),
                ("left", Arg::count(offer.seats_left())),
                ("waiting", Arg::count(offer.pending)),
            ],
        );
        label = format!("#{} {label}", offer.id);
        if label.chars().count() > 100 {
            label = label.chars().take(99).collect::<String>() + "…";
        }
        Choice {
            label,
            value: offer.id.to_string(),
        }
    };
    if path == "cancel" {
        let mine = core.store.member_requests(community.id, arrival.member, now).await?;
        return Ok(mine
            .iter()
            .map(|(request, offer)| describe(offer, Some(request.state)))
            .collect());
    }
    let open = core.store.open_offers(community.id, now).await?;
    if path == "request" {
        // Full ones too: a request there joins the waitlist.
        return Ok(open.iter().map(|o| describe(o, None)).collect());
    }
    // Withdraw, approve, decline: what the caller keeps.
    let admin = arrival.is_admin || core.chat_admins.ask(chat, &caller.user_id, now).await.ok().flatten() == Some(true);
    let hosted: Vec<crate::domain::SpaceId> = core
        .store
        .hosts(community.id)
        .await?
        .into_iter()
        .filter(|(_, card)| card.id == arrival.member)
        .map(|(space, _)| space)
        .collect();
    let keeps = |o: &&Offer| admin || hosted.contains(&o.space) || o.host == arrival.member;
    let deciding = path == "approve" || path == "decline";
    Ok(open
        .iter()
        .filter(keeps)
        .filter(|o| !deciding || o.pending > 0)
        .map(|o| describe(o, None))
        .collect())
}

async fn space_slugs(core: &Core, chat: &ChatKey, caller: &Caller) -> Vec<String> {
    let arrival = match Env::of_bot(core).arrive(chat, caller).await {
        Ok(arrival) => arrival,
        Err(error) => {
            tracing::warn!(%error, "no spaces to suggest");
            return Vec::new();
        }
    };
    let Some(community) = arrival.community else {
        return Vec::new();
    };
    match core.store.spaces(community.id).await {
        Ok(spaces) => spaces.into_iter().map(|s| s.slug.as_str().to_string()).collect(),
        Err(error) => {
            tracing::warn!(%error, "no spaces to suggest");
            Vec::new()
        }
    }
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
