//! One leader in a fleet: what must run on one instance at a time (the
//! scheduler, Telegram polling, the Discord gateway) and the outbox's
//! delivery (so that one limiter keeps the platforms' limits for the fleet)
//! run on the instance holding the `leader` lease in the database.
//!
//! - **A lease, not an advisory lock.** The lease is a row with an expiry,
//!   renewed every [`RENEW`] through the ordinary pool, the same on SQLite
//!   (one instance: always the leader) and PostgreSQL. An advisory lock
//!   lives on one connection: it would need a connection of its own kept
//!   open, and a connection dropped by a proxy ends the lock without the
//!   holder knowing until it next asks. A lease says when it ends.
//! - **At most one leader.** Another instance takes the lease only once it
//!   expired ([`LEASE`] after the last renewal); a leader that could not
//!   renew steps down [`MARGIN`] before that, so two never overlap (with
//!   the instances' clocks within a second of each other, as NTP keeps
//!   them). Each takeover raises the lease's epoch, logged with it.
//! - **No flapping.** One failed renewal is not a step-down: only a lease
//!   about to run out is. A new leader starts its singletons once (the
//!   Discord gateway IDENTIFYs once per takeover).
//! - **Failover.** A leader that dies (`kill -9`) is replaced within
//!   [`LEASE`] + [`RENEW`] (12 s), or at once by its own next run (the
//!   same `bot.instance`: names are unique in a fleet, so an earlier run of
//!   ours is over); one that stops gives the lease up, and the next
//!   instance takes it at its next renewal.

use std::sync::Arc;
use std::time::Duration;

use seatmate_bot::worker::Worker;
use seatmate_bot::{Clock, Store};
use tokio::sync::watch;

/// How long a lease runs after its last renewal.
pub const LEASE: Duration = Duration::from_secs(10);
/// How often the lease is claimed (renewed by its holder).
pub const RENEW: Duration = Duration::from_secs(2);
/// How long before its lease ends a leader that could not renew steps down.
pub const MARGIN: Duration = Duration::from_secs(2);

/// The lease's timing: [`LEASE`], [`RENEW`] and [`MARGIN`] in production;
/// shorter in tests.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    pub lease: Duration,
    pub renew: Duration,
    pub margin: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            lease: LEASE,
            renew: RENEW,
            margin: MARGIN,
        }
    }
}
/// How long the singletons get to stop when leadership ends.
const STOP_WITHIN: Duration = Duration::from_secs(8);
const ROLE: &str = "leader";

/// What runs on the leader alone: started with a shutdown signal when this
/// instance becomes the leader, stopped through it when it stops being one.
pub type Singletons = Box<dyn Fn(watch::Receiver<bool>) -> tokio::task::JoinSet<()> + Send + Sync>;

/// Claims and renews the lease as `worker` (this run of this instance)
/// until `shutdown`, running `singletons` while this instance leads; gives
/// the lease up at the end.
pub async fn lead(
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    worker: Worker,
    timing: Timing,
    singletons: Singletons,
    mut shutdown: watch::Receiver<bool>,
) {
    metrics::gauge!("seatmate_leader").set(0.0);
    let mut running: Option<(watch::Sender<bool>, tokio::task::JoinSet<()>)> = None;
    let holder = worker.name();
    // An earlier run of this instance is over: its lease is ours.
    let instance = worker.instance_prefix();
    // Until when the lease held is known to run.
    let mut held_until: Option<chrono::DateTime<chrono::Utc>> = None;
    let lease = chrono::TimeDelta::from_std(timing.lease).unwrap_or_default();
    let margin = chrono::TimeDelta::from_std(timing.margin).unwrap_or_default();
    while !*shutdown.borrow() {
        let now = clock.now();
        match store.claim_lease(ROLE, &holder, &instance, now, now + lease).await {
            Ok(Some(epoch)) => {
                held_until = Some(now + lease);
                if running.is_none() {
                    tracing::info!(
                        epoch,
                        holder,
                        "this instance leads: the scheduler and the platforms' connections run here"
                    );
                    metrics::gauge!("seatmate_leader").set(1.0);
                    metrics::counter!("seatmate_leader_changes_total").increment(1);
                    let (stop, stopping) = watch::channel(false);
                    running = Some((stop, singletons(stopping)));
                }
            }
            Ok(None) => {
                held_until = None;
                if running.is_some() {
                    tracing::warn!(holder, "another instance holds the lease: stepping down");
                }
                step_down(&mut running).await;
            }
            Err(error) => {
                tracing::warn!(%error, "could not renew the leadership lease");
                if held_until.is_some_and(|until| clock.now() + margin >= until) {
                    tracing::warn!(
                        holder,
                        "the lease runs out unrenewed: stepping down before another takes it"
                    );
                    held_until = None;
                    step_down(&mut running).await;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(timing.renew) => {}
            _ = shutdown.changed() => {}
        }
    }
    let led = running.is_some();
    step_down(&mut running).await;
    if led {
        if let Err(error) = store.release_lease(ROLE, &holder, clock.now()).await {
            tracing::warn!(%error, "could not give the lease up; another instance takes it when it runs out");
        }
    }
}

/// Stops the singletons, if they run, and waits for them (a while).
async fn step_down(running: &mut Option<(watch::Sender<bool>, tokio::task::JoinSet<()>)>) {
    let Some((stop, mut tasks)) = running.take() else {
        return;
    };
    metrics::gauge!("seatmate_leader").set(0.0);
    let _ = stop.send(true);
    let stopped = tokio::time::timeout(STOP_WITHIN, async { while tasks.join_next().await.is_some() {} }).await;
    if stopped.is_err() {
        tracing::warn!("the leader's tasks did not stop in time; they are cut off");
        tasks.abort_all();
    }
}

#[cfg(test)]
mod tests;
