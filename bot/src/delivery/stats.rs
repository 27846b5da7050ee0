//! What a delivery pass did.

use chrono::{DateTime, Utc};

use crate::store::DeliveryRecord;

/// Counts of one pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryStats {
    pub sent: usize,
    pub retried: usize,
    /// Given back unsent: a rate limit, or a shutdown.
    pub released: usize,
    pub held: usize,
    pub dead: usize,
    /// When the earliest claim given back for a rate limit is due again.
    pub next_release: Option<DateTime<Utc>>,
}

impl DeliveryStats {
    /// Sends tried (a released claim was not tried).
    pub fn attempts(&self) -> usize {
        self.sent + self.retried + self.held + self.dead
    }

    pub(super) fn count(&mut self, record: &DeliveryRecord) {
        match record {
            DeliveryRecord::Sent { .. } => self.sent += 1,
            DeliveryRecord::Released { at } => {
                self.released += 1;
                self.next_release = Some(self.next_release.map_or(*at, |next| next.min(*at)));
            }
            DeliveryRecord::Retry { .. } => self.retried += 1,
            DeliveryRecord::Held { .. } => self.held += 1,
            DeliveryRecord::Dead { .. } => self.dead += 1,
        }
    }

    pub(super) fn add(&mut self, other: DeliveryStats) {
        self.sent += other.sent;
        self.retried += other.retried;
        self.released += other.released;
        self.held += other.held;
        self.dead += other.dead;
        self.next_release = match (self.next_release, other.next_release) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}
