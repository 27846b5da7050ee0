//! What the core counts, through the `metrics` facade (the binary installs
//! a Prometheus recorder when it serves HTTP; without one these cost next to
//! nothing). Every label is bounded: a platform, a kind, a command's path,
//! an outcome; never an id, a name or free text.

use std::time::Instant;

use crate::domain::Platform;

/// An update or interaction arrived: `kind` is command, button,
/// autocomplete, event, ignored, duplicate or rejected.
pub(crate) fn inbound(platform: Platform, kind: &'static str) {
    metrics::counter!("seatmate_inbound_total", "platform" => platform.as_str(), "kind" => kind).increment(1);
}

/// A command ran: `outcome` is ok, refused or internal_error.
pub(crate) fn command(path: &'static str, outcome: &'static str) {
    metrics::counter!("seatmate_commands_total", "command" => path, "outcome" => outcome).increment(1);
}

/// An answer is ready, `started` after its update reached the process (or,
/// where the adapter does not say, the core).
pub(crate) fn answered(platform: Platform, started: Instant) {
    metrics::histogram!("seatmate_answer_seconds", "platform" => platform.as_str())
        .record(started.elapsed().as_secs_f64());
}
