//! One-time codes: issued, read and redeemed once.

use super::Db;
use crate::account_queries as q;
use crate::Stored as _;
use chrono::{DateTime, Utc};
use seatmate_bot::codes::{CodeHash, Purpose};
use seatmate_bot::domain::{CommunityId, MemberId};
use seatmate_bot::store::{CodeOwner, Codes, StoreResult};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Codes for Db<B> {
    async fn issue_code(
        &self,
        purpose: Purpose,
        hash: &CodeHash,
        owner: CodeOwner,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        // A member has one link code (and one confirmation to forget them)
        // at a time: asking again replaces it.
        if let (Purpose::Link | Purpose::Forget, Some(member)) = (purpose, owner.member) {
            sqlx::query::<B::DB>(q::DROP_MEMBER_PURPOSE_CODES)
                .bind(member.0)
                .bind(purpose.as_str())
                .execute(tx.conn())
                .await
                .stored()?;
        }
        sqlx::query::<B::DB>(q::ISSUE_CODE)
            .bind(hash.as_str())
            .bind(purpose.as_str())
            .bind(owner.community.map(|c| c.0))
            .bind(owner.member.map(|m| m.0))
            .bind(now)
            .bind(expires_at)
            .execute(tx.conn())
            .await
            .stored()?;
        tx.commit().await
    }

    async fn code_owner(
        &self,
        purpose: Purpose,
        hash: &CodeHash,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<CodeOwner>> {
        self.code_row(q::CODE_OWNER, purpose, hash, now).await
    }

    async fn redeem_code(
        &self,
        purpose: Purpose,
        hash: &CodeHash,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<CodeOwner>> {
        let _gate = self.0.write_gate().await;
        self.code_row(q::REDEEM_CODE, purpose, hash, now).await
    }
}

#[over_backend]
impl<B> Db<B> {
    /// Who issued a code, as `sql` (a read, or the redeeming delete) finds it.
    async fn code_row(
        &self,
        sql: &str,
        purpose: Purpose,
        hash: &CodeHash,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<CodeOwner>> {
        // Read to the end: a redemption is a write (see `super::only`).
        let row = sqlx::query_as::<B::DB, (Option<i64>, Option<i64>)>(sql)
            .bind(hash.as_str())
            .bind(purpose.as_str())
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?
            .into_iter()
            .next();
        Ok(row.map(|(community, member)| CodeOwner {
            community: community.map(CommunityId),
            member: member.map(MemberId),
        }))
    }
}
