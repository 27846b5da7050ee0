//! Living announcements: a sent announcement is edited to read as its
//! offer stands (seats left, full, over, withdrawn), at most once per
//! [`DeliveryOptions::refresh_every`](super::DeliveryOptions) per platform,
//! so every change within that time is one edit.

use super::Deliverer;
use crate::domain::Platform;
use crate::notice::{Notice, OfferFacts};
use crate::store::{Body, Outgoing, StoreResult, Target};

/// How long after its offer ended an announcement is still edited (to
/// show that it is over).
const LIVING_FOR: chrono::Duration = chrono::Duration::days(2);

/// Announcements edited in one refresh at most.
const EDITS_PER_REFRESH: u32 = 100;

impl Deliverer {
    /// Whether `platform`'s announcements are due to be brought up to date
    /// (at most once per [`DeliveryOptions::refresh_every`]); if so, the
    /// time is taken.
    pub(super) fn refresh_due(&self, platform: Platform) -> bool {
        let mut refreshed = self.refreshed.lock().unwrap_or_else(|e| e.into_inner());
        let now = std::time::Instant::now();
        match refreshed.get(&platform) {
            Some(at) if now.duration_since(*at) < self.options.refresh_every => false,
            _ => {
                refreshed.insert(platform, now);
                true
            }
        }
    }

    /// Living announcements: each sent announcement whose offer changed
    /// since (seats taken or given back, over, withdrawn) gets one edit to
    /// read as the offer stands now, sent in order with the chat's other
    /// messages and within its limits. How many edits were written.
    pub async fn refresh_announcements(&self, platform: Platform) -> StoreResult<usize> {
        let now = self.clock.now();
        let found = self
            .store
            .living_announcements(platform, now, now - LIVING_FOR, EDITS_PER_REFRESH)
            .await?;
        let mut edited = 0;
        for living in found {
            let Some((host, note)) = living.body.announced() else {
                tracing::warn!(
                    id = living.id,
                    "a message about an offer is no announcement; not edited"
                );
                continue;
            };
            let Some(offer) = self.store.offer(living.community, living.offer).await? else {
                continue;
            };
            let facts = OfferFacts::at(&offer, now);
            let shows = facts.shows();
            let showing = living
                .shows
                .clone()
                .unwrap_or_else(|| OfferFacts::shows_at_first(offer.seats));
            if shows == showing {
                tracing::error!(
                    id = living.id,
                    shows,
                    "the store and the core disagree on what an announcement shows"
                );
                continue;
            }
            let edit = Notice::Announcement {
                offer: facts,
                host: host.clone(),
                note: note.clone(),
                answers: None,
            };
            let target = Target::Chat {
                platform,
                chat_id: living.chat_id.clone(),
            };
            let body = Body::Edit {
                edit_of: living.message_id.clone(),
                edit: Box::new(edit.into()),
            };
            let outgoing = Outgoing::new(living.community, target, body);
            if self.store.edit_announcement(&living, &shows, &outgoing, now).await? {
                edited += 1;
            }
        }
        Ok(edited)
    }
}
