//! The long-running tasks and how they stop: the scheduler, signals, and
//! the supervisor that holds them.

use std::sync::Arc;

use seatmate_bot::delivery::Deliverer;
use seatmate_bot::Core;
use tokio::sync::watch;

/// How often the scheduler deletes check-ins past `privacy.checkin_days`
/// and expired codes.
pub const RETENTION_SWEEP: std::time::Duration = std::time::Duration::from_secs(3600);

/// How often the scheduler looks for due pairing rounds and unclaimed
/// seats past their deadline (a seat is released at most a tick late).
pub const SCHEDULER_TICK: std::time::Duration = std::time::Duration::from_secs(30);

/// Runs due pairing rounds now (the catch-up for rounds missed while the bot
/// was down) and then every [`SCHEDULER_TICK`], until `shutdown` turns true;
/// deletes old data at start and every [`RETENTION_SWEEP`]. A
/// round is at most once per community and day whatever the number of
/// processes doing this.
pub async fn run_scheduler(core: Arc<Core>, mut shutdown: watch::Receiver<bool>) {
    let mut last_sweep: Option<std::time::Instant> = None;
    while !*shutdown.borrow() {
        if last_sweep.is_none_or(|at| at.elapsed() >= RETENTION_SWEEP) {
            match core.scheduler().sweep_old_data().await {
                Ok(purged) => {
                    last_sweep = Some(std::time::Instant::now());
                    if purged.checkins + purged.codes + purged.messages + purged.inbound > 0 {
                        tracing::info!(
                            checkins = purged.checkins,
                            codes = purged.codes,
                            messages = purged.messages,
                            inbound = purged.inbound,
                            "old data deleted"
                        );
                    }
                }
                Err(error) => tracing::error!(%error, "the retention sweep failed; trying again at the next tick"),
            }
        }
        match core.scheduler().run_due_rounds().await {
            Ok(done) => {
                for (community, outcome) in done {
                    tracing::info!(community = %community.name, ?outcome, "scheduled pairing round");
                }
            }
            Err(error) => tracing::error!(%error, "scheduled pairing failed; trying again at the next tick"),
        }
        match core.scheduler().run_standing_offers().await {
            Ok(tick) if tick == Default::default() => {}
            Ok(tick) => tracing::info!(
                made = tick.made,
                announced = tick.announced,
                asked = tick.asked,
                "standing offers' days made and announced, standing requests asked"
            ),
            Err(error) => tracing::error!(%error, "standing offers failed; trying again at the next tick"),
        }
        match core.scheduler().release_no_shows().await {
            Ok(released) => {
                for release in released {
                    tracing::info!(
                        offer = release.offer.id.0,
                        released = release.released.len(),
                        promoted = release.promoted.len(),
                        "seats nobody claimed went to the next in line"
                    );
                }
            }
            Err(error) => tracing::error!(%error, "releasing unclaimed seats failed; trying again at the next tick"),
        }
        match core.scheduler().post_digests().await {
            Ok(0) => {}
            Ok(posted) => tracing::info!(posted, "weekly digests posted"),
            Err(error) => tracing::error!(%error, "weekly digests failed; trying again at the next tick"),
        }
        match core.scheduler().announce_freed_seats().await {
            Ok(0) => {}
            Ok(lines) => tracing::info!(lines, "freed seats announced"),
            Err(error) => tracing::error!(%error, "announcing freed seats failed; trying again at the next tick"),
        }
        match core.scheduler().send_reminders().await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "seat reminders queued"),
            Err(error) => tracing::error!(%error, "seat reminders failed; trying again at the next tick"),
        }
        tokio::select! {
            _ = tokio::time::sleep(SCHEDULER_TICK) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// A write past the process's file size limit (`ulimit -f`, a quota) is
/// an I/O error the store reports ("the database refuses writes") and
/// recovers from when space is back, rather than SIGXFSZ killing the
/// process: the signal is caught (and nothing more done with it).
pub fn survive_file_size_limits() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        const SIGXFSZ: i32 = 25;
        match signal(SignalKind::from_raw(SIGXFSZ)) {
            // Installed for the life of the process once registered.
            Ok(listener) => drop(listener),
            Err(error) => tracing::warn!(%error, "cannot catch SIGXFSZ"),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM (a service manager stopping the bot).
pub async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM; Ctrl-C still stops the bot");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The long-running parts of `seatmate run`, supervised together (the
/// scheduler, the delivery loop's tasks, the adapters): they all stop when
/// [`Supervisor::stop`] is called, and it waits for them to finish their work
/// in hand (a send in flight, a round being written).
pub struct Supervisor {
    shutdown: watch::Sender<bool>,
    tasks: tokio::task::JoinSet<()>,
}

impl Default for Supervisor {
    fn default() -> Self {
        Supervisor {
            shutdown: watch::channel(false).0,
            tasks: tokio::task::JoinSet::new(),
        }
    }
}

impl Supervisor {
    /// What a task watches to know when to stop.
    pub fn shutdown(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }

    pub fn spawn(&mut self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.tasks.spawn(task);
    }

    /// Starts the delivery loop: one task per platform with a courier.
    pub fn spawn_delivery(&mut self, deliverer: Arc<Deliverer>) {
        let mut tasks = deliverer.spawn(self.shutdown());
        self.spawn(async move { while tasks.join_next().await.is_some() {} });
    }

    /// Asks every task to stop, and waits (at most `grace`) for them.
    pub async fn stop(mut self, grace: std::time::Duration) {
        let _ = self.shutdown.send(true);
        let all = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(grace, all).await.is_err() {
            tracing::warn!("some tasks did not stop within {grace:?}; leaving them");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seatmate_bot::delivery::DeliveryOptions;
    use seatmate_bot::domain::Platform;
    use seatmate_bot::store::{Outgoing, Target};
    use seatmate_bot::{Clock, CoreSettings, SystemClock};
    use seatmate_bot::{Reply, Span};
    use seatmate_console::ConsoleCourier;

    #[tokio::test]
    async fn the_supervised_delivery_loop_delivers_and_stops_on_request() {
        let dir = tempfile::tempdir().unwrap();
        let store = seatmate_storage::test_support::fresh_sqlite(dir.path()).await;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let now = clock.now();
        let core = Core::new(store.clone(), clock.clone(), CoreSettings::default());
        core.handle_text(&seatmate_console::request("ann", "/setup Demo Space"))
            .await;
        let community = store.communities().await.unwrap().remove(0);
        let message = Outgoing {
            community: community.id,
            target: Target::Chat {
                platform: Platform::Console,
                chat_id: "console".into(),
            },
            body: Reply::to_chat().line(vec![Span::Text("hello".into())]).into(),
            subject: None,
        };
        store.enqueue(&[message], now).await.unwrap();

        let courier = Arc::new(ConsoleCourier::default());
        let options = DeliveryOptions {
            idle_poll: std::time::Duration::from_millis(10),
            ..DeliveryOptions::default()
        };
        let deliverer = Arc::new(Deliverer::new(store, clock, options).with_courier(courier.clone()));
        let mut supervisor = Supervisor::default();
        supervisor.spawn_delivery(deliverer);
        let mut delivered = Vec::new();
        for _ in 0..200 {
            delivered.extend(courier.take());
            if !delivered.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(delivered, ["seatmate (announcement): hello\n"]);
        let asked = std::time::Instant::now();
        supervisor.stop(std::time::Duration::from_secs(5)).await;
        assert!(asked.elapsed() < std::time::Duration::from_secs(1), "stopped at once");
    }
}
