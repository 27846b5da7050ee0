//! Host digests: updates to a host that follow one within
//! [`DeliveryOptions::host_digest`](super::DeliveryOptions) go together.

use chrono::{DateTime, Utc};

use super::Deliverer;
use crate::store::{Body, Envelope, Recipient, StoreResult};

impl Deliverer {
    /// Host digests: a host update to a member who had one within
    /// [`DeliveryOptions::host_digest`] waits until that time has passed
    /// (when to try again); otherwise the host updates waiting behind it
    /// for the same member go with it, as one message (`envelope` becomes
    /// that digest). Only the head of a member's queue is ever claimed, so
    /// nothing gathered here can be sent by another worker meanwhile.
    pub(super) async fn gather_host_updates(&self, envelope: &mut Envelope) -> StoreResult<Option<DateTime<Utc>>> {
        let (Recipient::Member(user), true) = (&envelope.recipient, envelope.body.is_host_update()) else {
            return Ok(None);
        };
        let Ok(window) = chrono::Duration::from_std(self.options.host_digest) else {
            return Ok(None);
        };
        if window.is_zero() {
            return Ok(None);
        }
        let now = self.clock.now();
        let last = self
            .store
            .sent_to_since(envelope.platform, user, now - window)
            .await?
            .into_iter()
            .filter(|(_, body)| body.is_host_update())
            .map(|(at, _)| at)
            .max();
        if let Some(last) = last {
            return Ok(Some(last + window));
        }
        let behind: Vec<(i64, Body)> = self
            .store
            .waiting_behind(envelope.id)
            .await?
            .into_iter()
            .take_while(|(_, body)| body.is_host_update())
            .collect();
        if behind.is_empty() {
            return Ok(None);
        }
        let mut bodies = vec![envelope.body.clone()];
        bodies.extend(behind.iter().map(|(_, body)| body.clone()));
        let digest = Body::HostDigest { host_digest: bodies };
        let inside: Vec<i64> = behind.iter().map(|(id, _)| *id).collect();
        if self
            .store
            .gather_into(envelope.id, &envelope.claim, &digest, &inside, now)
            .await?
        {
            envelope.body = digest;
        }
        Ok(None)
    }
}
