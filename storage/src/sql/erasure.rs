//! A member's data in their own hands: export and erasure.

use super::Db;
use crate::account_queries as q;
use crate::{queries, Stored as _};
use seatmate_bot::domain::MemberId;
use seatmate_bot::store::{Erasure, MemberData, StoreResult};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Erasure for Db<B> {
    async fn export_member(&self, member: MemberId) -> StoreResult<MemberData> {
        self.export(member.0).await
    }

    async fn forget_member(&self, member: MemberId) -> StoreResult<()> {
        let m = member.0;
        let mut tx = self.0.begin().await?;
        let ids = sqlx::query_scalar::<B::DB, String>(q::MEMBER_IDENTITIES)
            .bind(m)
            .fetch_all(tx.conn())
            .await
            .stored()?;
        for id in ids {
            let pattern = format!("%\"user_id\":\"{}\"%", like_escape(&id));
            sqlx::query::<B::DB>(q::DROP_NAMING)
                .bind(pattern)
                .execute(tx.conn())
                .await
                .stored()?;
        }
        // Reports keep what they counted, as numbers (the README's "What a
        // place earns").
        let person = sqlx::query_scalar::<B::DB, i64>(q::NEW_FORGOTTEN_PERSON)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        Self::exec(tx.conn(), q::KEEP_VISITS, &[m, person]).await?;
        for sql in [
            q::KEEP_REQUESTS,
            q::KEEP_OFFERS,
            q::KEEP_PLACEMENTS,
            q::COUNT_FORGOTTEN_PLACEMENTS,
            q::DROP_GROUPS,
            q::DROP_OUTBOX_TO,
            q::DROP_MEMBER_CODES,
            q::DROP_CHECKINS,
            q::BLANK_QUESTIONS,
            q::DROP_REQUESTS,
            q::DROP_OFFERS,
            q::DROP_HOSTS,
            q::DROP_MEMBERSHIPS,
            q::DROP_IDENTITIES,
            queries::DELETE_MEMBER,
        ] {
            Self::exec(tx.conn(), sql, &[m]).await?;
        }
        Self::exec(tx.conn(), q::BUMP_CACHE_GENERATION, &[]).await?;
        tx.commit().await?;
        self.0.arrivals().clear();
        Ok(())
    }
}

/// `LIKE` reads `%`, `_` and the escape character itself as special.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
