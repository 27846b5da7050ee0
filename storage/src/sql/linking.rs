//! One member across platforms: linking two members into one, unlinking an
//! identity, and where private messages go.

use super::Db;
use crate::account_queries as q;
use crate::rows::{corrupt, ProfileRow};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, Platform};
use seatmate_bot::rules::linking;
use seatmate_bot::store::{
    Cancellation, FreedSeatNotices, LinkSummary, Linking, Profile, RequestState, StoreError, StoreResult,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Linking for Db<B> {
    async fn identity_member(&self, platform: Platform, user_id: &str) -> StoreResult<Option<MemberId>> {
        Ok(self
            .id_on_platform(queries::FIND_IDENTITY, platform, user_id)
            .await?
            .map(MemberId))
    }

    async fn link_members(
        &self,
        kept: MemberId,
        merged: MemberId,
        now: DateTime<Utc>,
        freed: FreedSeatNotices<'_>,
    ) -> StoreResult<LinkSummary> {
        if kept == merged {
            return Ok(LinkSummary::default());
        }
        let (k, m) = (kept.0, merged.0);
        let mut tx = self.0.begin().await?;
        let mut summary = LinkSummary::default();

        let profile = |row: ProfileRow| -> Profile { row.into() };
        let kept_profile = profile(
            sqlx::query_as::<B::DB, ProfileRow>(queries::PROFILE)
                .bind(k)
                .fetch_one(tx.conn())
                .await
                .stored()?,
        );
        let merged_profile = profile(
            sqlx::query_as::<B::DB, ProfileRow>(queries::PROFILE)
                .bind(m)
                .fetch_one(tx.conn())
                .await
                .stored()?,
        );
        let joined = linking::merge_profiles(&kept_profile, &merged_profile);
        sqlx::query::<B::DB>(q::WRITE_PROFILE)
            .bind(k)
            .bind(joined.offers.to_stored())
            .bind(joined.wants.to_stored())
            .bind(joined.about.as_str())
            .bind(m)
            .execute(tx.conn())
            .await
            .stored()?;

        // One request per member per offer: the better place stays.
        let shared = sqlx::query_as::<B::DB, (i64, String, i64, i64, String, i64, i64, i64)>(q::SHARED_REQUESTS)
            .bind(k)
            .bind(m)
            .fetch_all(tx.conn())
            .await
            .stored()?;
        for (kept_id, kept_state, kept_queue, merged_id, merged_state, merged_queue, offer, community) in shared {
            let standing = |state: &str, queue_no| -> StoreResult<linking::Standing> {
                Ok(linking::Standing {
                    state: RequestState::parse(state).ok_or_else(|| corrupt("request state", state))?,
                    queue_no,
                })
            };
            let (kept_standing, merged_standing) = (
                standing(&kept_state, kept_queue)?,
                standing(&merged_state, merged_queue)?,
            );
            Self::lock_offer(tx.conn(), community, offer).await?;
            let loser = if linking::merged_request_is_better(kept_standing, merged_standing) {
                kept_id
            } else {
                merged_id
            };
            let mut given_back = Self::load_request(tx.conn(), community, loser)
                .await?
                .ok_or(StoreError::NotFound)?;
            Self::exec(tx.conn(), q::DELETE_REQUEST, &[loser]).await?;
            summary.requests_merged += 1;
            let offer_now = Self::load_offer(tx.conn(), community, offer)
                .await?
                .ok_or(StoreError::NotFound)?;
            if linking::frees_a_seat(kept_standing, merged_standing) && offer_now.is_open(now) {
                let promoted = Self::promote_first_waitlisted(tx.conn(), community, offer, now).await?;
                given_back.state = RequestState::Cancelled;
                let event = Cancellation {
                    offer: Self::load_offer(tx.conn(), community, offer)
                        .await?
                        .ok_or(StoreError::NotFound)?,
                    request: given_back,
                    promoted,
                };
                Self::insert_outbox(tx.conn(), &freed(CommunityId(community), &event), now).await?;
            }
        }
        Self::exec(tx.conn(), q::MOVE_REQUESTS, &[k, m]).await?;

        for sql in [
            q::DROP_EARLIER_MERGED_CHECKINS,
            q::DROP_EARLIER_KEPT_CHECKINS,
            q::MOVE_CHECKINS,
            q::MOVE_IDENTITIES,
            q::MOVE_MEMBERSHIPS,
            q::MERGE_MEMBERSHIPS,
            q::COPY_HOSTS,
            q::MOVE_OFFERS,
            q::MOVE_STANDING_OFFERS,
            q::DROP_SHARED_STANDING_REQUESTS,
            q::MOVE_STANDING_REQUESTS,
            q::MERGE_SEAT_REMINDERS,
            q::MOVE_QUESTIONS_ASKED,
            q::MOVE_QUESTIONS_HELPED,
            q::DROP_SHARED_QUESTION_ASKS,
            q::MOVE_QUESTION_ASKS,
            q::MERGE_TAKES_QUESTIONS,
            q::DROP_SHARED_ROUNDS,
            q::MOVE_GROUPS,
            q::MOVE_OUTBOX,
        ] {
            Self::exec(tx.conn(), sql, &[k, m]).await?;
        }
        for sql in [
            q::DROP_MEMBERSHIPS,
            q::DROP_HOSTS,
            q::DROP_MEMBER_CODES,
            queries::DELETE_MEMBER,
        ] {
            Self::exec(tx.conn(), sql, &[m]).await?;
        }
        Self::exec(tx.conn(), q::BUMP_CACHE_GENERATION, &[]).await?;
        tx.commit().await?;
        self.0.arrivals().clear();
        Ok(summary)
    }

    async fn unlink_identity(
        &self,
        member: MemberId,
        platform: Platform,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<MemberId>> {
        let mut tx = self.0.begin().await?;
        let identities = sqlx::query_scalar::<B::DB, i64>(q::IDENTITY_COUNT)
            .bind(member.0)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        let there = sqlx::query_scalar::<B::DB, i64>(q::HAS_IDENTITY_ON)
            .bind(member.0)
            .bind(platform.as_str())
            .fetch_one(tx.conn())
            .await
            .stored()?;
        if identities <= there || there == 0 {
            return Ok(None);
        }
        let split = sqlx::query_scalar::<B::DB, i64>(q::COPY_MEMBER)
            .bind(member.0)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        for sql in [q::MOVE_IDENTITY_ON, q::MOVE_OUTBOX_ON] {
            sqlx::query::<B::DB>(sql)
                .bind(member.0)
                .bind(platform.as_str())
                .bind(split)
                .execute(tx.conn())
                .await
                .stored()?;
        }
        Self::exec(tx.conn(), q::COPY_MEMBERSHIPS, &[member.0, split]).await?;
        sqlx::query::<B::DB>(q::FORGET_NOTIFY_ON)
            .bind(member.0)
            .bind(platform.as_str())
            .execute(tx.conn())
            .await
            .stored()?;
        Self::exec(tx.conn(), q::BUMP_CACHE_GENERATION, &[]).await?;
        tx.commit().await?;
        self.0.arrivals().clear();
        Ok(Some(MemberId(split)))
    }

    async fn set_notify_platform(&self, member: MemberId, platform: Option<Platform>) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(q::SET_NOTIFY)
            .bind(member.0)
            .bind(platform.map(|p| p.as_str()))
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }

    async fn notify_platform(&self, member: MemberId) -> StoreResult<Option<Platform>> {
        let stored = sqlx::query_scalar::<B::DB, Option<String>>(q::NOTIFY)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?
            .flatten();
        Ok(stored.and_then(|p| p.parse().ok()))
    }
}
