//! The scheduler's seat jobs. The no-show release: every seat nobody
//! claimed by its deadline goes to the next in line (the rule is
//! `rules::release`); each offer is released in its own transaction under
//! its lock, so several processes (or a check-in at the same moment) never
//! release a seat twice or one claimed a moment before. Reminders (the
//! rule is `rules::reminders`): each is stamped on its seat in the
//! transaction that queues it, so it is written once.

use chrono::Duration;

use crate::commands::seats::promoted_notice;
use crate::notice::{Notice, OfferFacts, RequestFacts};
use crate::rules::{release, reminders};
use crate::service::Env;
use crate::store::{Offer, Outgoing, Release, SeatRequest, StoreResult, Subject, Target};

/// At most one freed-seats line per offer in this long: frees in between
/// are merged into the next.
pub const FREED_LINE_EVERY: Duration = Duration::minutes(30);

/// Announces seats freed on their offer's day with nobody waiting, in
/// every chat of the community: one line for all freed since the last
/// (how many are still free), at most one per offer per
/// [`FREED_LINE_EVERY`]. Freeings on another day than the offer's are
/// forgotten unannounced. How many lines.
pub(crate) async fn announce_freed_seats(env: &Env<'_>) -> StoreResult<usize> {
    let now = env.clock.now();
    let mut lines = 0;
    for freed in env.store.freed_seats().await? {
        let (community, offer) = (freed.community, &freed.offer);
        if offer.is_open(now) && freed.last_line.is_some_and(|at| now < at + FREED_LINE_EVERY) {
            continue;
        }
        let upto = freed.freed.iter().map(|(id, ..)| *id).max().unwrap_or_default();
        let on_the_day: u32 = freed
            .freed
            .iter()
            .filter(|(_, _, at)| crate::localtime::local_date(*at, offer.zone.0) == offer.local_date)
            .map(|(_, seats, _)| seats)
            .sum();
        let chats = env.store.community_chats(community).await?;
        let line = |current: &Offer| -> Vec<Outgoing> {
            let seats = on_the_day.min(current.seats_left());
            if seats == 0 || !current.is_open(now) {
                return Vec::new();
            }
            chats
                .iter()
                .map(|chat| {
                    let notice = Notice::FreedSeats {
                        offer: OfferFacts::of(current),
                        seats,
                    };
                    Outgoing::new(community, Target::chat(chat), notice)
                })
                .collect()
        };
        if env.store.announce_freed(community, offer.id, upto, now, &line).await? {
            lines += 1;
        }
    }
    Ok(lines)
}

/// How far ahead reminders look: an offer's hours begin at most 30 hours
/// after 18:00 the day before.
const REMINDER_HORIZON: Duration = Duration::hours(31);

/// Queues every reminder due now; how many.
pub(crate) async fn send_reminders(env: &Env<'_>) -> StoreResult<usize> {
    let now = env.clock.now();
    let mut sent = 0;
    for (community, offer, request) in env.store.seats_to_remind(now, now + REMINDER_HORIZON).await? {
        let Some(which) = reminders::due(&offer, &request, now) else {
            continue;
        };
        let notice = Notice::Reminder {
            offer: OfferFacts::of(&offer),
            request: RequestFacts::on(&request, &offer),
            which,
        };
        // About the request: giving the seat back, or its release, clears
        // the buttons (and drops the reminder if it has not gone yet).
        let outgoing =
            Outgoing::new(community, Target::Member(request.member), notice).about(Subject::Request(request.id));
        if env.store.remind(request.id, which, now, &outgoing).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

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
