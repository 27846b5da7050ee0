//! A community's spaces, hosts and chats.

use super::{Db, RowsAffected as _};
use crate::rows::{corrupt, fold_cards, HostRow, SpaceRow};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, Platform, SpaceId, SpaceSlug};
use seatmate_bot::reply::MemberCard;
use seatmate_bot::store::{ChatKey, NewSpace, Space, Spaces, StoreError, StoreResult};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Spaces for Db<B> {
    async fn add_space(&self, community: CommunityId, space: &NewSpace, now: DateTime<Utc>) -> StoreResult<Space> {
        // An autocommit write: queue behind this process's other writers.
        let _gate = self.0.write_gate().await;
        let row = sqlx::query_as::<B::DB, SpaceRow>(queries::INSERT_SPACE)
            .bind(community.0)
            .bind(space.slug.as_str())
            .bind(space.zone.name())
            .bind(space.capacity.map(i64::from))
            .bind(space.needs_approval)
            .bind(space.open_profile_required)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        super::only(row)?.try_into()
    }

    async fn spaces(&self, community: CommunityId) -> StoreResult<Vec<Space>> {
        sqlx::query_as::<B::DB, SpaceRow>(queries::SPACES)
            .bind(community.0)
            .fetch_all(self.0.pool())
            .await
            .stored()?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    async fn remove_space(&self, community: CommunityId, slug: &SpaceSlug) -> StoreResult<()> {
        // An autocommit write: queue behind this process's other writers.
        let _gate = self.0.write_gate().await;
        let removed = sqlx::query::<B::DB>(queries::DELETE_SPACE)
            .bind(community.0)
            .bind(slug.as_str())
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn set_host(&self, space: SpaceId, member: MemberId, host: bool) -> StoreResult<bool> {
        // An autocommit write: queue behind this process's other writers.
        let _gate = self.0.write_gate().await;
        let sql = if host { queries::ADD_HOST } else { queries::REMOVE_HOST };
        let changed = sqlx::query::<B::DB>(sql)
            .bind(space.0)
            .bind(member.0)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(changed == 1)
    }

    async fn hosts(&self, community: CommunityId) -> StoreResult<Vec<(SpaceId, MemberCard)>> {
        let rows = sqlx::query_as::<B::DB, HostRow>(&queries::hosts())
            .bind(community.0)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        fold_cards(rows.into_iter().map(|r| (SpaceId(r.space_id), r.card)).collect())
    }

    async fn is_host(&self, space: SpaceId, member: MemberId) -> StoreResult<bool> {
        let n = sqlx::query_scalar::<B::DB, i64>(queries::IS_HOST)
            .bind(space.0)
            .bind(member.0)
            .fetch_one(self.0.pool())
            .await
            .stored()?;
        Ok(n > 0)
    }

    async fn community_chats(&self, community: CommunityId) -> StoreResult<Vec<ChatKey>> {
        let rows = sqlx::query_as::<B::DB, (String, String)>(queries::COMMUNITY_CHATS)
            .bind(community.0)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.into_iter()
            .map(|(platform, chat_id)| {
                Ok(ChatKey {
                    platform: platform.parse().map_err(|e| corrupt("platform", e))?,
                    chat_id,
                    private: false,
                })
            })
            .collect()
    }

    async fn move_chat(&self, platform: Platform, from: &str, to: &str) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let moved = sqlx::query::<B::DB>(queries::MOVE_CHAT)
            .bind(platform.as_str())
            .bind(from)
            .bind(to)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        for sql in [queries::MOVE_OUTBOX_CHAT, queries::MOVE_OUTBOX_FALLBACK] {
            sqlx::query::<B::DB>(sql)
                .bind(platform.as_str())
                .bind(from)
                .bind(to)
                .execute(tx.conn())
                .await
                .stored()?;
        }
        Self::exec(tx.conn(), crate::account_queries::BUMP_CACHE_GENERATION, &[]).await?;
        tx.commit().await?;
        self.0.arrivals().clear();
        Ok(moved > 0)
    }

    async fn pause_chat(
        &self,
        platform: Platform,
        chat_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<CommunityId>> {
        let mut tx = self.0.begin().await?;
        let community = sqlx::query_scalar::<B::DB, i64>(queries::PAUSE_CHAT)
            .bind(platform.as_str())
            .bind(chat_id)
            .bind(now)
            .fetch_optional(tx.conn())
            .await
            .stored()?;
        Self::leave_chat(
            tx.conn(),
            platform,
            chat_id,
            now,
            "the bot can no longer post in the chat",
        )
        .await?;
        tx.commit().await?;
        Ok(community.map(CommunityId))
    }

    async fn resume_chat(&self, platform: Platform, chat_id: &str) -> StoreResult<bool> {
        let _gate = self.0.write_gate().await;
        let resumed = sqlx::query::<B::DB>(queries::RESUME_CHAT)
            .bind(platform.as_str())
            .bind(chat_id)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(resumed > 0)
    }
}
