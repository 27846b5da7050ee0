//! The scheduler's hooks into the core: the rounds that are due, one round,
//! and the retention sweep.

use super::{Core, Env};
use crate::commands::RoundOutcome;
use crate::store::{Community, Purged, RoundTrigger, StoreResult};

/// The core as the scheduler sees it.
pub struct Scheduler<'a> {
    pub(super) core: &'a Core,
}

impl Scheduler<'_> {
    fn env(&self) -> Env<'_> {
        Env::of(self.core, self.core.settings.locale)
    }

    /// The scheduler's tick: every round that is due and has not run.
    pub async fn run_due_rounds(&self) -> StoreResult<Vec<(Community, RoundOutcome)>> {
        crate::commands::run_due_rounds(&self.env()).await
    }

    /// Runs `community`'s round for `date`, once however many processes
    /// try (see `commands::pairing::run_round`).
    pub async fn run_round(
        &self,
        community: &Community,
        date: chrono::NaiveDate,
        trigger: RoundTrigger,
    ) -> StoreResult<RoundOutcome> {
        let env = self.env();
        let locale = env.locale_of(Some(community));
        crate::commands::run_round(&env.in_locale(locale), community, date, trigger).await
    }

    /// The retention sweep (see `commands::account::sweep_old_data`).
    pub async fn sweep_old_data(&self) -> StoreResult<Purged> {
        crate::commands::sweep_old_data(&self.env()).await
    }
}
