//! More chats per community: binding, releasing, and what the platform
//! says of a chat.

use super::{Db, RowsAffected as _};
use crate::account_queries as q;
use crate::rows::corrupt;
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, Platform};
use seatmate_bot::store::{BindOutcome, BoundChat, ChatKey, Chats, StoreResult, UnbindOutcome};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Chats for Db<B> {
    async fn bind_chat(&self, chat: &ChatKey, community: CommunityId, now: DateTime<Utc>) -> StoreResult<BindOutcome> {
        let mut tx = self.0.begin().await?;
        let bound = sqlx::query::<B::DB>(q::BIND_CHAT_IF_FREE)
            .bind(chat.platform.as_str())
            .bind(&chat.chat_id)
            .bind(community.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        let outcome = if bound == 1 {
            BindOutcome::Bound
        } else {
            let owner = sqlx::query_scalar::<B::DB, i64>(q::CHAT_COMMUNITY)
                .bind(chat.platform.as_str())
                .bind(&chat.chat_id)
                .fetch_one(tx.conn())
                .await
                .stored()?;
            BindOutcome::AlreadyBound(CommunityId(owner))
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn unbind_chat(&self, platform: Platform, chat_id: &str, now: DateTime<Utc>) -> StoreResult<UnbindOutcome> {
        let mut tx = self.0.begin().await?;
        let Some(community) = sqlx::query_scalar::<B::DB, i64>(q::CHAT_COMMUNITY)
            .bind(platform.as_str())
            .bind(chat_id)
            .fetch_optional(tx.conn())
            .await
            .stored()?
        else {
            return Ok(UnbindOutcome::NotBound);
        };
        // Two chats released at once must not leave the community with none.
        Self::exec(tx.conn(), q::LOCK_COMMUNITY, &[community]).await?;
        let others = sqlx::query_scalar::<B::DB, i64>(q::OTHER_LIVE_CHATS)
            .bind(community)
            .bind(platform.as_str())
            .bind(chat_id)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        if others == 0 {
            return Ok(UnbindOutcome::LastChat);
        }
        sqlx::query::<B::DB>(q::UNBIND_CHAT)
            .bind(platform.as_str())
            .bind(chat_id)
            .execute(tx.conn())
            .await
            .stored()?;
        Self::leave_chat(
            tx.conn(),
            platform,
            chat_id,
            now,
            "the chat was released from its community",
        )
        .await?;
        Self::exec(tx.conn(), q::BUMP_CACHE_GENERATION, &[]).await?;
        tx.commit().await?;
        self.0.arrivals().clear();
        Ok(UnbindOutcome::Unbound)
    }

    async fn chat_community(&self, platform: Platform, chat_id: &str) -> StoreResult<Option<CommunityId>> {
        Ok(self
            .id_on_platform(q::CHAT_COMMUNITY, platform, chat_id)
            .await?
            .map(CommunityId))
    }

    async fn note_chat(&self, chat: &ChatKey, server: Option<&str>, title: Option<&str>) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(q::NOTE_CHAT)
            .bind(chat.platform.as_str())
            .bind(&chat.chat_id)
            .bind(server)
            .bind(title)
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }

    async fn chats_without_server(&self, platform: Platform) -> StoreResult<Vec<String>> {
        sqlx::query_scalar::<B::DB, String>(q::CHATS_WITHOUT_SERVER)
            .bind(platform.as_str())
            .fetch_all(self.0.pool())
            .await
            .stored()
    }

    async fn server_community(&self, platform: Platform, server: &str) -> StoreResult<Option<CommunityId>> {
        Ok(self
            .id_on_platform(q::SERVER_COMMUNITY, platform, server)
            .await?
            .map(CommunityId))
    }

    async fn bound_chats(&self, community: CommunityId) -> StoreResult<Vec<BoundChat>> {
        let rows = sqlx::query_as::<B::DB, (String, String, DateTime<Utc>, bool, Option<String>)>(q::BOUND_CHATS)
            .bind(community.0)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.into_iter()
            .map(|(platform, chat_id, bound_at, paused, title)| {
                Ok(BoundChat {
                    chat: ChatKey {
                        platform: platform.parse().map_err(|e| corrupt("platform", e))?,
                        chat_id,
                        private: false,
                    },
                    bound_at,
                    paused,
                    title,
                })
            })
            .collect()
    }
}

#[over_backend]
impl<B> Db<B> {
    /// Nothing more goes to a chat the community no longer reaches (paused
    /// or released): what is still to go there is given up with `why`, and
    /// private messages that would fall back to it fall back to another
    /// chat of the community on that platform, if any.
    pub(super) async fn leave_chat(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        platform: Platform,
        chat_id: &str,
        now: DateTime<Utc>,
        why: &str,
    ) -> StoreResult<()> {
        sqlx::query::<B::DB>(queries::DROP_OUTBOX_TO_CHAT)
            .bind(platform.as_str())
            .bind(chat_id)
            .bind(now)
            .bind(why)
            .execute(&mut *conn)
            .await
            .stored()?;
        sqlx::query::<B::DB>(queries::REFALL_OUTBOX)
            .bind(platform.as_str())
            .bind(chat_id)
            .execute(&mut *conn)
            .await
            .stored()?;
        Ok(())
    }

    /// The id a lookup by platform and one key finds (a chat's community,
    /// a server's, an identity's member), if any.
    pub(super) async fn id_on_platform(&self, sql: &str, platform: Platform, key: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar::<B::DB, i64>(sql)
            .bind(platform.as_str())
            .bind(key)
            .fetch_optional(self.0.pool())
            .await
            .stored()
    }
}
