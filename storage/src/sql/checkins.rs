//! Check-ins and who is present.

use super::{Backend, Db, RowsAffected as _};
use crate::rows::{presences, PresenceRow};
use crate::{queries, store_error};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, SpaceId};
use seatmate_bot::store::{CheckinOutcome, Checkins, NewCheckin, Presence, StoreResult};

#[async_trait::async_trait]
impl<B> Checkins for Db<B>
where
    B: Backend,
    for<'c> &'c mut <B::DB as sqlx::Database>::Connection: sqlx::Executor<'c, Database = B::DB>,
    for<'q> <B::DB as sqlx::Database>::Arguments<'q>: sqlx::IntoArguments<'q, B::DB>,
    for<'r> &'r str: sqlx::ColumnIndex<<B::DB as sqlx::Database>::Row>,
    usize: sqlx::ColumnIndex<<B::DB as sqlx::Database>::Row>,
    i64: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    bool: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    String: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    for<'q> &'q str: sqlx::Encode<'q, B::DB> + sqlx::Type<B::DB>,
    DateTime<Utc>: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    chrono::NaiveDate: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    Option<i64>: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    Option<bool>: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    Option<String>: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, B::DB> + sqlx::Type<B::DB>,
    Option<DateTime<Utc>>: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    Option<chrono::NaiveDate>: for<'q> sqlx::Encode<'q, B::DB> + for<'r> sqlx::Decode<'r, B::DB> + sqlx::Type<B::DB>,
    <B::DB as sqlx::Database>::QueryResult: super::RowsAffected,
{
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
            .map_err(store_error)?;
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
            .map_err(store_error)?;
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
            .map_err(store_error)?
            .rows_affected();
        Ok(ended > 0)
    }

    async fn last_place(&self, community: CommunityId, member: MemberId) -> StoreResult<Option<Option<SpaceId>>> {
        let place = sqlx::query_scalar::<B::DB, Option<i64>>(queries::LAST_PLACE)
            .bind(community.0)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .map_err(store_error)?;
        Ok(place.map(|space| space.map(SpaceId)))
    }

    async fn present(&self, community: CommunityId, now: DateTime<Utc>) -> StoreResult<Vec<Presence>> {
        let rows = sqlx::query_as::<B::DB, PresenceRow>(&queries::present())
            .bind(community.0)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .map_err(store_error)?;
        presences(rows)
    }
}
