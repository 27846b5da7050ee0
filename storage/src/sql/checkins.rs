//! Check-ins and who is present.

use super::{Db, RowsAffected as _};
use crate::rows::{presences, PresenceRow};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, SpaceId};
use seatmate_bot::store::{CheckinOutcome, Checkins, NewCheckin, Presence, StoreResult};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Checkins for Db<B> {
    async fn check_in(&self, checkin: &NewCheckin) -> StoreResult<CheckinOutcome> {
        use CheckinOutcome;
        let mut tx = self.0.begin().await?;
        sqlx::query::<B::DB>(queries::END_OTHER_CHECKINS)
            .bind(checkin.community.0)
            .bind(checkin.member.0)
            .bind(checkin.local_date)
            .bind(checkin.now)
            .execute(tx.conn())
            .await
            .stored()?;
        let updates = sqlx::query_scalar::<B::DB, i64>(queries::UPSERT_CHECKIN)
            .bind(checkin.community.0)
            .bind(checkin.member.0)
            .bind(checkin.space.map(|s| s.0))
            .bind(checkin.local_date)
            .bind(checkin.now)
            .bind(checkin.until)
            .bind(checkin.ends_at)
            .bind(checkin.note.as_str())
            .fetch_one(tx.conn())
            .await
            .stored()?;
        tx.commit().await?;
        Ok(if updates == 0 {
            CheckinOutcome::New
        } else {
            CheckinOutcome::Updated
        })
    }

    async fn check_out(&self, community: CommunityId, member: MemberId, now: DateTime<Utc>) -> StoreResult<bool> {
        // An autocommit write: queue behind this process's other writers.
        let _gate = self.0.write_gate().await;
        let ended = sqlx::query::<B::DB>(queries::CHECK_OUT)
            .bind(community.0)
            .bind(member.0)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(ended > 0)
    }

    async fn last_place(&self, community: CommunityId, member: MemberId) -> StoreResult<Option<Option<SpaceId>>> {
        let place = sqlx::query_scalar::<B::DB, Option<i64>>(queries::LAST_PLACE)
            .bind(community.0)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?;
        Ok(place.map(|space| space.map(SpaceId)))
    }

    async fn present(&self, community: CommunityId, now: DateTime<Utc>) -> StoreResult<Vec<Presence>> {
        let rows = sqlx::query_as::<B::DB, PresenceRow>(&queries::present())
            .bind(community.0)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        presences(rows)
    }
}
