//! The outbox: claims with leases, one head per recipient, held private messages.

use super::{Db, RowsAffected as _};
use crate::rows::{outbox_body, read_body, LivingRow, OutboxRow};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, OfferId};
use seatmate_bot::domain::{MemberId, Platform};
use seatmate_bot::store::{
    Body, DeliveryRecord, Envelope, LivingAnnouncement, Outbox, OutboxCounts, Outgoing, StoreResult, Target,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Outbox for Db<B> {
    async fn enqueue(&self, messages: &[Outgoing], now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        Self::insert_outbox(tx.conn(), messages, now).await?;
        tx.commit().await
    }

    async fn claim_outbox(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
        claim: &str,
    ) -> StoreResult<Vec<Envelope>> {
        // An autocommit write: queue behind this process's other writers.
        let _gate = self.0.write_gate().await;
        use Envelope;
        let rows = sqlx::query_as::<B::DB, OutboxRow>(&B::claim_sql())
            .bind(platform.as_str())
            .bind(now)
            .bind(lease_until)
            .bind(i64::from(limit))
            .bind(claim)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        let mut envelopes = rows
            .into_iter()
            .map(Envelope::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        envelopes.sort_by_key(|e| e.id);
        Ok(envelopes)
    }

    async fn record_delivery(
        &self,
        id: i64,
        claim: &str,
        record: &DeliveryRecord,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        use DeliveryRecord;
        let mut tx = self.0.begin().await?;
        let marked = match record {
            DeliveryRecord::Sent { message_id } => sqlx::query::<B::DB>(queries::MARK_SENT)
                .bind(id)
                .bind(now)
                .bind(message_id)
                .bind(claim),
            DeliveryRecord::Retry { at, error } => sqlx::query::<B::DB>(queries::MARK_RETRY)
                .bind(id)
                .bind(*at)
                .bind(error)
                .bind(claim),
            DeliveryRecord::Released { at } => sqlx::query::<B::DB>(queries::MARK_RELEASED)
                .bind(id)
                .bind(*at)
                .bind(claim),
            DeliveryRecord::Dead { error } => sqlx::query::<B::DB>(queries::MARK_DEAD)
                .bind(id)
                .bind(error)
                .bind(claim),
            DeliveryRecord::Held { error, .. } => sqlx::query::<B::DB>(queries::MARK_HELD)
                .bind(id)
                .bind(now)
                .bind(error)
                .bind(claim),
        };
        // Whether another message of the member is held already (its nudge
        // is out), read before this one is marked held.
        let others_held = match record {
            DeliveryRecord::Held { .. } => sqlx::query_scalar::<B::DB, i64>(queries::OTHERS_HELD)
                .bind(id)
                .fetch_one(tx.conn())
                .await
                .stored()?,
            _ => 0,
        };
        let ours = marked.execute(tx.conn()).await.stored()?.rows_affected() == 1;
        if !ours {
            return Ok(false);
        }
        if let (DeliveryRecord::Held { nudge: Some(nudge), .. }, 0) = (record, others_held) {
            Self::insert_outbox(tx.conn(), std::slice::from_ref(nudge), now).await?;
        }
        if let DeliveryRecord::Sent { .. } = record {
            // Settled while it was on its way: its buttons go at once.
            sqlx::query::<B::DB>(queries::CLEAR_IF_SETTLED)
                .bind(id)
                .bind(now)
                .execute(tx.conn())
                .await
                .stored()?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn take_back_claims(&self, claims: &str, now: DateTime<Utc>) -> StoreResult<u64> {
        let _gate = self.0.write_gate().await;
        Ok(sqlx::query::<B::DB>(queries::TAKE_BACK_CLAIMS)
            .bind(claims)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected())
    }

    async fn outbox_counts(&self, now: DateTime<Utc>) -> StoreResult<OutboxCounts> {
        let (due, claimed, held, dead) = sqlx::query_as::<B::DB, (i64, i64, i64, i64)>(queries::OUTBOX_COUNTS)
            .bind(now)
            .fetch_one(self.0.pool())
            .await
            .stored()?;
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        Ok(OutboxCounts {
            due: count(due),
            claimed: count(claimed),
            held: count(held),
            dead: count(dead),
        })
    }

    async fn release_held(&self, member: MemberId, platform: Platform, now: DateTime<Utc>) -> StoreResult<u32> {
        let mut tx = self.0.begin().await?;
        // What asks nothing goes as one digest, in the oldest one's place;
        // what asks something (it has buttons that a decision may settle)
        // goes on its own.
        let held = sqlx::query_as::<B::DB, (i64, String)>(&(queries::HELD_TO_GATHER.to_string() + B::ROW_LOCK))
            .bind(member.0)
            .bind(platform.as_str())
            .fetch_all(tx.conn())
            .await
            .stored()?;
        if let [(first, _), _, ..] = held.as_slice() {
            let digest = Body::Digest {
                digest: held
                    .iter()
                    .map(|(_, body)| crate::rows::read_body(body))
                    .collect::<StoreResult<_>>()?,
            };
            sqlx::query::<B::DB>(queries::HOLD_DIGEST)
                .bind(first)
                .bind(outbox_body(&digest)?)
                .execute(tx.conn())
                .await
                .stored()?;
            let inside: Vec<i64> = held[1..].iter().map(|(id, _)| *id).collect();
            Self::mark_gathered(tx.conn(), *first, &inside, now).await?;
        }
        let released = sqlx::query::<B::DB>(queries::RELEASE_HELD)
            .bind(member.0)
            .bind(platform.as_str())
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        tx.commit().await?;
        Ok(u32::try_from(released).unwrap_or(u32::MAX))
    }

    async fn take_held(&self, member: MemberId, now: DateTime<Utc>) -> StoreResult<Vec<Body>> {
        let _gate = self.0.write_gate().await;
        let mut rows = sqlx::query_as::<B::DB, (i64, String)>(queries::TAKE_HELD)
            .bind(member.0)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.sort_by_key(|(id, _)| *id);
        rows.into_iter()
            .map(|(_, body)| crate::rows::read_body(&body))
            .collect()
    }

    async fn living_announcements(
        &self,
        platform: Platform,
        now: DateTime<Utc>,
        since: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<LivingAnnouncement>> {
        let rows = sqlx::query_as::<B::DB, LivingRow>(queries::LIVING_ANNOUNCEMENTS)
            .bind(platform.as_str())
            .bind(now)
            .bind(since)
            .bind(i64::from(limit))
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.into_iter()
            .map(|row| {
                Ok(LivingAnnouncement {
                    id: row.id,
                    community: CommunityId(row.community_id),
                    chat_id: row.recipient_id,
                    message_id: row.platform_message_id,
                    body: read_body(&row.body)?,
                    shows: row.shows,
                    offer: OfferId(row.offer_id),
                })
            })
            .collect()
    }

    async fn edit_announcement(
        &self,
        found: &LivingAnnouncement,
        shows: &str,
        edit: &Outgoing,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let ours = sqlx::query::<B::DB>(queries::ANNOUNCEMENT_SHOWS)
            .bind(found.id)
            .bind(found.shows.clone().unwrap_or_default())
            .bind(shows)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected()
            == 1;
        if !ours {
            return Ok(false);
        }
        Self::insert_outbox(tx.conn(), std::slice::from_ref(edit), now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn sent_to_since(
        &self,
        platform: Platform,
        recipient: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, Body)>> {
        let rows = sqlx::query_as::<B::DB, (DateTime<Utc>, String)>(queries::SENT_TO_SINCE)
            .bind(platform.as_str())
            .bind(recipient)
            .bind(since)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.into_iter().map(|(at, body)| Ok((at, read_body(&body)?))).collect()
    }

    async fn waiting_behind(&self, id: i64) -> StoreResult<Vec<(i64, Body)>> {
        let rows = sqlx::query_as::<B::DB, (i64, String)>(queries::WAITING_BEHIND)
            .bind(id)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.into_iter().map(|(id, body)| Ok((id, read_body(&body)?))).collect()
    }

    async fn gather_into(
        &self,
        id: i64,
        claim: &str,
        digest: &Body,
        inside: &[i64],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let ours = sqlx::query::<B::DB>(queries::CLAIMED_DIGEST)
            .bind(id)
            .bind(outbox_body(digest)?)
            .bind(claim)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected()
            == 1;
        if !ours {
            return Ok(false);
        }
        Self::mark_gathered(tx.conn(), id, inside, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn button_key(&self, command: &str, now: DateTime<Utc>) -> StoreResult<i64> {
        let _gate = self.0.write_gate().await;
        let keys = sqlx::query_scalar::<B::DB, i64>(queries::BUTTON_KEY)
            .bind(command)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        super::only(keys)
    }

    async fn button_command(&self, key: i64) -> StoreResult<Option<String>> {
        sqlx::query_scalar::<B::DB, String>(queries::BUTTON_COMMAND)
            .bind(key)
            .fetch_optional(self.0.pool())
            .await
            .stored()
    }
}

/// Statements several methods share, on any connection (a pooled one or a
/// transaction's).
#[over_backend]
impl<B> Db<B> {
    /// Settles what messages' buttons act on, in the transaction that
    /// decides it: what is not sent yet about it never goes, and what was
    /// sent loses its buttons (an edit queued to each recipient).
    pub(crate) async fn settle(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        subjects: &[seatmate_bot::store::Subject],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for subject in subjects {
            let key = subject.key();
            for sql in [queries::SETTLE, queries::DROP_SETTLED, queries::CLEAR_SENT_BUTTONS] {
                sqlx::query::<B::DB>(sql)
                    .bind(&key)
                    .bind(now)
                    .execute(&mut *conn)
                    .await
                    .stored()?;
            }
        }
        Ok(())
    }

    /// Messages `inside` the digest `digest` count as sent with it.
    async fn mark_gathered(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        digest: i64,
        inside: &[i64],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let into = format!("digest:{digest}");
        for id in inside {
            sqlx::query::<B::DB>(queries::GATHERED_INTO)
                .bind(id)
                .bind(now)
                .bind(&into)
                .execute(&mut *conn)
                .await
                .stored()?;
        }
        Ok(())
    }

    pub(crate) async fn insert_outbox(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        messages: &[Outgoing],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        use Target;
        for message in messages {
            let body = outbox_body(&message.body)?;
            // Addressed now, inside the change's transaction: whoever
            // hosts the space at this moment hears of it.
            // Member `$6` of a keepers' message: who caused it (0: nobody).
            let mut but = None;
            let query = match &message.target {
                Target::Chat { platform, chat_id } => sqlx::query::<B::DB>(queries::INSERT_OUTBOX_CHAT)
                    .bind(message.community.0)
                    .bind(platform.as_str())
                    .bind(chat_id.clone()),
                Target::Member(member) => sqlx::query::<B::DB>(queries::INSERT_OUTBOX_MEMBER)
                    .bind(message.community.0)
                    .bind(member.0),
                Target::Keepers { space, but: causer } => {
                    but = Some(causer.map_or(0, |m| m.0));
                    sqlx::query::<B::DB>(queries::INSERT_OUTBOX_KEEPERS)
                        .bind(message.community.0)
                        .bind(space.0)
                }
                Target::Admins => sqlx::query::<B::DB>(queries::INSERT_OUTBOX_ADMINS)
                    .bind(message.community.0)
                    .bind(message.community.0),
            };
            let mut query = query.bind(body).bind(now).bind(message.subject.map(|s| s.key()));
            if let Some(but) = but {
                query = query.bind(but);
            }
            let written = query.execute(&mut *conn).await.stored()?;
            if written.rows_affected() == 0 {
                tracing::warn!(target = ?message.target, "nobody to send this message to");
            }
        }
        Ok(())
    }
}
