//! The scheduler's no-show release: every seat nobody claimed by its
//! deadline goes to the next in line (the rule is `rules::release`). Each
//! offer is released in its own transaction under its lock, so several
//! processes (or a check-in at the same moment) never release a seat twice
//! or one claimed a moment before.

use crate::commands::seats::promoted_notice;
use crate::notice::{Notice, OfferFacts, RequestFacts};
use crate::rules::release;
use crate::service::Env;
use crate::store::{Offer, Outgoing, Release, SeatRequest, StoreResult, Target};

/// Releases every seat due now; returns what each offer released.
pub(crate) async fn release_no_shows(env: &Env<'_>) -> StoreResult<Vec<Release>> {
    let now = env.clock.now();
    let due = |offer: &Offer, request: &SeatRequest| release::is_due(offer, request, now);
    let mut done = Vec::new();
    for (community, offer, seats) in env.store.unclaimed_seats(now).await? {
        if !seats.iter().any(|request| due(&offer, request)) {
            continue;
        }
        let notices = |Release {
                           offer,
                           released,
                           promoted,
                       }: &Release|
         -> Vec<Outgoing> {
            let told = released.iter().map(|(request, _)| {
                let notice = Notice::Released {
                    offer: OfferFacts::of(offer),
                    request: RequestFacts::on(request, offer),
                };
                Outgoing::new(community, Target::Member(request.member), notice)
            });
            let moved_up = promoted
                .iter()
                .filter_map(|(request, _)| promoted_notice(community, offer, Some(request)));
            told.chain(moved_up).collect()
        };
        if let Some(release) = env
            .store
            .release_seats(community, offer.id, now, &due, &notices)
            .await?
        {
            done.push(release);
        }
    }
    Ok(done)
}
