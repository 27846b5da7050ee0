//! Waiting on a fake server's state, for the fakes of every platform.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Polls `state` until `done` holds; after `within`, panics with what was
/// seen (`seen` describes it).
pub async fn wait_until<S>(
    state: &Mutex<S>,
    what: &str,
    within: Duration,
    done: impl Fn(&S) -> bool,
    seen: impl Fn(&S) -> String,
) {
    let until = Instant::now() + within;
    loop {
        if done(&state.lock().unwrap()) {
            return;
        }
        if Instant::now() > until {
            panic!("timed out waiting for {what}; {}", seen(&state.lock().unwrap()));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
