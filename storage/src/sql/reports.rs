//! `/report`'s rows, read as kept.

use super::Db;
use crate::report_queries as q;
use crate::Stored as _;
use chrono::{DateTime, NaiveDate, Utc};
use seatmate_bot::domain::{CommunityId, Tags};
use seatmate_bot::store::{
    Coworker, IntroductionTally, Outgoing, ReportRows, ReportScope, Reports, RequestState, RequestTally, StoreError,
    StoreResult,
};
use seatmate_over_backend::over_backend;

/// A digest day as kept: 0 Monday … 6 Sunday.
fn weekday(day: i64) -> Option<chrono::Weekday> {
    chrono::Weekday::try_from(u8::try_from(day).ok()?).ok()
}

#[over_backend]
#[async_trait::async_trait]
impl<B> Reports for Db<B> {
    async fn report_rows(&self, scope: &ReportScope) -> StoreResult<ReportRows> {
        let pool = self.0.pool();
        let (community, space) = (scope.community.0, scope.space.map(|s| s.0));
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        // A statement over the community (`$1`), the space or all (`$2`)
        // and the dates (`$3`, `$4`).
        macro_rules! scoped {
            ($row:ty, $sql:expr) => {
                sqlx::query_as::<B::DB, $row>($sql)
                    .bind(community)
                    .bind(space)
                    .bind(scope.from)
                    .bind(scope.to)
            };
        }
        let (seats_offered,) = scoped!((i64,), q::SEATS_OFFERED).fetch_one(pool).await.stored()?;
        let requests = scoped!((NaiveDate, String, bool, bool, i64), q::REQUEST_TALLY)
            .bind(scope.now)
            .fetch_all(pool)
            .await
            .stored()?
            .into_iter()
            .map(|(date, state, claimed, offer_over, n)| {
                let state = RequestState::parse(&state)
                    .ok_or_else(|| StoreError::Other(format!("a request in state {state:?}").into()))?;
                Ok(RequestTally {
                    date,
                    state,
                    claimed,
                    offer_over,
                    count: count(n),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let coworkers = scoped!((NaiveDate, String, String), q::COWORKERS)
            .fetch_all(pool)
            .await
            .stored()?
            .into_iter()
            .map(|(first_ever, offers, wants)| Coworker {
                first_ever,
                offers: Tags::from_stored(&offers),
                wants: Tags::from_stored(&wants),
            })
            .collect();
        let introductions = sqlx::query_as::<B::DB, (NaiveDate, i64)>(q::INTRODUCTIONS)
            .bind(community)
            .bind(scope.from)
            .bind(scope.to)
            .fetch_all(pool)
            .await
            .stored()?
            .into_iter()
            .map(|(date, met)| IntroductionTally { date, met: met > 0 })
            .collect();
        let (asked, answered) = sqlx::query_as::<B::DB, (i64, i64)>(q::QUESTIONS)
            .bind(community)
            .bind(scope.from)
            .bind(scope.to)
            .fetch_one(pool)
            .await
            .stored()?;
        Ok(ReportRows {
            seats_offered: count(seats_offered),
            requests,
            coworkers,
            introductions,
            questions_asked: count(asked),
            questions_answered: count(answered),
        })
    }

    async fn digest_day(&self, community: CommunityId) -> StoreResult<Option<chrono::Weekday>> {
        let day = sqlx::query_scalar::<B::DB, Option<i64>>(q::DIGEST_DAY)
            .bind(community.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?
            .flatten();
        Ok(day.and_then(weekday))
    }

    async fn digest_days(&self) -> StoreResult<Vec<(CommunityId, chrono::Weekday)>> {
        let rows = sqlx::query_as::<B::DB, (i64, i64)>(q::DIGEST_DAYS)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, day)| Some((CommunityId(id), weekday(day)?)))
            .collect())
    }

    async fn set_digest_day(&self, community: CommunityId, day: Option<chrono::Weekday>) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(q::SET_DIGEST_DAY)
            .bind(community.0)
            .bind(day.map(|d| i64::from(d.num_days_from_monday())))
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }

    async fn digest_posted(&self, community: CommunityId, date: NaiveDate) -> StoreResult<bool> {
        let n = sqlx::query_scalar::<B::DB, i64>(q::DIGEST_POSTED)
            .bind(community.0)
            .bind(date)
            .fetch_one(self.0.pool())
            .await
            .stored()?;
        Ok(n > 0)
    }

    async fn post_digest(
        &self,
        community: CommunityId,
        date: NaiveDate,
        messages: &[Outgoing],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let first = sqlx::query_scalar::<B::DB, i64>(q::MARK_DIGEST)
            .bind(community.0)
            .bind(date)
            .bind(now)
            .fetch_optional(tx.conn())
            .await
            .stored()?
            .is_some();
        if first {
            Self::insert_outbox(tx.conn(), messages, now).await?;
            tx.commit().await?;
        }
        Ok(first)
    }
}
