//! The scheduler's hooks into the core: the rounds that are due, one round,
//! and the retention sweep.

use super::inbound::INBOUND_KEPT;
use super::rounds::{self, RoundOutcome};
use super::{Core, Env};
use crate::store::{Community, Purged, Release, RoundTrigger, StoreResult};

/// What one tick of standing offers and requests did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StandingTick {
    /// Single offers made ahead.
    pub made: usize,
    /// Days announced on their morning.
    pub announced: usize,
    /// Requests placed for standing requests.
    pub asked: usize,
}

/// The core as the scheduler sees it.
pub struct Scheduler<'a> {
    pub(super) core: &'a Core,
}

impl Scheduler<'_> {
    /// The scheduler's tick: every round that is due and has not run.
    pub async fn run_due_rounds(&self) -> StoreResult<Vec<(Community, RoundOutcome)>> {
        rounds::run_due_rounds(&Env::of_bot(self.core)).await
    }

    /// The scheduler's tick: releases every seat nobody claimed by its
    /// deadline to the next in line (see `rules::release`).
    pub async fn release_no_shows(&self) -> StoreResult<Vec<Release>> {
        super::seat_use::release_no_shows(&Env::of_bot(self.core)).await
    }

    /// The scheduler's tick: standing offers' days made 14 days ahead, each
    /// announced on its morning, and standing requests asking for the
    /// offers that appeared.
    pub async fn run_standing_offers(&self) -> StoreResult<StandingTick> {
        let env = Env::of_bot(self.core);
        Ok(StandingTick {
            made: crate::commands::seats::make_standing_days(&env).await?,
            announced: crate::commands::seats::announce_standing_days(&env).await?,
            asked: crate::commands::seats::ask_standing_requests(&env).await?,
        })
    }

    /// The scheduler's tick: one line in the chats for seats freed today
    /// with nobody waiting (merged, at most one per offer per 30 minutes).
    pub async fn announce_freed_seats(&self) -> StoreResult<usize> {
        super::seat_use::announce_freed_seats(&Env::of_bot(self.core)).await
    }

    /// The scheduler's tick: queues the seat reminders that are due (see
    /// `rules::reminders`); how many.
    pub async fn send_reminders(&self) -> StoreResult<usize> {
        super::seat_use::send_reminders(&Env::of_bot(self.core)).await
    }

    /// The scheduler's tick: the weekly digests that are due, each posted
    /// once in every chat of its community; how many.
    pub async fn post_digests(&self) -> StoreResult<usize> {
        crate::commands::report::post_due_digests(&Env::of_bot(self.core)).await
    }

    /// Runs `community`'s round for `date`, once however many processes
    /// try (see `commands::pairing::run_round`).
    pub async fn run_round(
        &self,
        community: &Community,
        date: chrono::NaiveDate,
        trigger: RoundTrigger,
    ) -> StoreResult<RoundOutcome> {
        let env = Env::of_bot(self.core).for_community(community);
        rounds::run_round(&env, community, date, trigger).await
    }

    /// The retention sweep: deletes check-ins (by their local date, read
    /// as a UTC date: a day's slack across zones) and delivered messages
    /// older than `privacy.checkin_days`, codes past their time, inbound
    /// ids past [`INBOUND_KEPT`], and send windows idle for longer than any
    /// platform limit's span (a minute).
    pub async fn sweep_old_data(&self) -> StoreResult<Purged> {
        let (store, now) = (self.core.store.as_ref(), self.core.clock.now());
        let before = now - chrono::TimeDelta::days(i64::from(self.core.settings.checkin_days));
        let mut purged = store.purge(before, now).await?;
        purged.inbound = store.purge_inbound(now - INBOUND_KEPT).await?;
        store.forget_idle_windows(now - chrono::TimeDelta::minutes(2)).await?;
        Ok(purged)
    }
}
