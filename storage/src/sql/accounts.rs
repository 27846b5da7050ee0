//! One-time codes, more chats per community, one member across platforms,
//! and a member's data: export, erasure and the retention sweep.

use super::{Backend, Db, RowsAffected as _};
use crate::account_queries as q;
use crate::rows::{corrupt, ProfileRow};
use crate::{queries, store_error};
use chrono::{DateTime, Utc};
use seatmate_bot::codes::{CodeHash, Purpose};
use seatmate_bot::domain::{CommunityId, MemberId, Platform};
use seatmate_bot::rules::linking;
use seatmate_bot::store::{
    Accounts, BindOutcome, BoundChat, Cancellation, ChatKey, CodeOwner, Codes, FreedSeatNotices, LinkSummary,
    MemberData, Profile, Purged, RequestState, StoreError, StoreResult, UnbindOutcome,
};

#[async_trait::async_trait]
impl<B> Codes for Db<B>
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
                .map_err(store_error)?;
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
            .map_err(store_error)?;
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

impl<B> Db<B>
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
            .map_err(store_error)?
            .into_iter()
            .next();
        Ok(row.map(|(community, member)| CodeOwner {
            community: community.map(CommunityId),
            member: member.map(MemberId),
        }))
    }

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
            .map_err(store_error)?;
        sqlx::query::<B::DB>(queries::REFALL_OUTBOX)
            .bind(platform.as_str())
            .bind(chat_id)
            .execute(&mut *conn)
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// The id a lookup by platform and one key finds (a chat's community,
    /// a server's, an identity's member), if any.
    async fn id_on_platform(&self, sql: &str, platform: Platform, key: &str) -> StoreResult<Option<i64>> {
        sqlx::query_scalar::<B::DB, i64>(sql)
            .bind(platform.as_str())
            .bind(key)
            .fetch_optional(self.0.pool())
            .await
            .map_err(store_error)
    }

    /// Runs a statement whose parameters are ids, in order; how many rows it changed.
    pub(super) async fn exec(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        sql: &str,
        ids: &[i64],
    ) -> StoreResult<u32> {
        let mut query = sqlx::query::<B::DB>(sql);
        for id in ids {
            query = query.bind(*id);
        }
        let done = query.execute(conn).await.map_err(store_error)?;
        Ok(u32::try_from(done.rows_affected()).unwrap_or(u32::MAX))
    }
}

#[async_trait::async_trait]
impl<B> Accounts for Db<B>
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
    async fn bind_chat(&self, chat: &ChatKey, community: CommunityId, now: DateTime<Utc>) -> StoreResult<BindOutcome> {
        let mut tx = self.0.begin().await?;
        let bound = sqlx::query::<B::DB>(q::BIND_CHAT_IF_FREE)
            .bind(chat.platform.as_str())
            .bind(&chat.chat_id)
            .bind(community.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .map_err(store_error)?
            .rows_affected();
        let outcome = if bound == 1 {
            BindOutcome::Bound
        } else {
            let owner = sqlx::query_scalar::<B::DB, i64>(q::CHAT_COMMUNITY)
                .bind(chat.platform.as_str())
                .bind(&chat.chat_id)
                .fetch_one(tx.conn())
                .await
                .map_err(store_error)?;
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
            .map_err(store_error)?
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
            .map_err(store_error)?;
        if others == 0 {
            return Ok(UnbindOutcome::LastChat);
        }
        sqlx::query::<B::DB>(q::UNBIND_CHAT)
            .bind(platform.as_str())
            .bind(chat_id)
            .execute(tx.conn())
            .await
            .map_err(store_error)?;
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
            .map_err(store_error)?;
        Ok(())
    }

    async fn chats_without_server(&self, platform: Platform) -> StoreResult<Vec<String>> {
        sqlx::query_scalar::<B::DB, String>(q::CHATS_WITHOUT_SERVER)
            .bind(platform.as_str())
            .fetch_all(self.0.pool())
            .await
            .map_err(store_error)
    }

    async fn server_community(&self, platform: Platform, server: &str) -> StoreResult<Option<CommunityId>> {
        Ok(self
            .id_on_platform(q::SERVER_COMMUNITY, platform, server)
            .await?
            .map(CommunityId))
    }

    async fn identity_member(&self, platform: Platform, user_id: &str) -> StoreResult<Option<MemberId>> {
        Ok(self
            .id_on_platform(queries::FIND_IDENTITY, platform, user_id)
            .await?
            .map(MemberId))
    }

    async fn bound_chats(&self, community: CommunityId) -> StoreResult<Vec<BoundChat>> {
        let rows = sqlx::query_as::<B::DB, (String, String, DateTime<Utc>, bool, Option<String>)>(q::BOUND_CHATS)
            .bind(community.0)
            .fetch_all(self.0.pool())
            .await
            .map_err(store_error)?;
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
                .map_err(store_error)?,
        );
        let merged_profile = profile(
            sqlx::query_as::<B::DB, ProfileRow>(queries::PROFILE)
                .bind(m)
                .fetch_one(tx.conn())
                .await
                .map_err(store_error)?,
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
            .map_err(store_error)?;

        // One request per member per offer: the better place stays.
        let shared = sqlx::query_as::<B::DB, (i64, String, i64, i64, String, i64, i64, i64)>(q::SHARED_REQUESTS)
            .bind(k)
            .bind(m)
            .fetch_all(tx.conn())
            .await
            .map_err(store_error)?;
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
                let mut promoted = None;
                if let Some(next) = sqlx::query_scalar::<B::DB, i64>(queries::FIRST_WAITLISTED)
                    .bind(offer)
                    .fetch_optional(tx.conn())
                    .await
                    .map_err(store_error)?
                {
                    Self::set_state(tx.conn(), next, RequestState::Confirmed, now, None).await?;
                    let next = Self::load_request(tx.conn(), community, next)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    let contact = Self::load_contact(tx.conn(), next.member.0).await?;
                    promoted = Some((next, contact));
                }
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
            .map_err(store_error)?;
        let there = sqlx::query_scalar::<B::DB, i64>(q::HAS_IDENTITY_ON)
            .bind(member.0)
            .bind(platform.as_str())
            .fetch_one(tx.conn())
            .await
            .map_err(store_error)?;
        if identities <= there || there == 0 {
            return Ok(None);
        }
        let split = sqlx::query_scalar::<B::DB, i64>(q::COPY_MEMBER)
            .bind(member.0)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .map_err(store_error)?;
        for sql in [q::MOVE_IDENTITY_ON, q::MOVE_OUTBOX_ON] {
            sqlx::query::<B::DB>(sql)
                .bind(member.0)
                .bind(platform.as_str())
                .bind(split)
                .execute(tx.conn())
                .await
                .map_err(store_error)?;
        }
        Self::exec(tx.conn(), q::COPY_MEMBERSHIPS, &[member.0, split]).await?;
        sqlx::query::<B::DB>(q::FORGET_NOTIFY_ON)
            .bind(member.0)
            .bind(platform.as_str())
            .execute(tx.conn())
            .await
            .map_err(store_error)?;
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
            .map_err(store_error)?;
        Ok(())
    }

    async fn notify_platform(&self, member: MemberId) -> StoreResult<Option<Platform>> {
        let stored = sqlx::query_scalar::<B::DB, Option<String>>(q::NOTIFY)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .map_err(store_error)?
            .flatten();
        Ok(stored.and_then(|p| p.parse().ok()))
    }

    async fn export_member(&self, member: MemberId) -> StoreResult<MemberData> {
        super::export::export::<B>(self.0.pool(), member.0).await
    }

    async fn forget_member(&self, member: MemberId) -> StoreResult<()> {
        let m = member.0;
        let mut tx = self.0.begin().await?;
        let ids = sqlx::query_scalar::<B::DB, String>(q::MEMBER_IDENTITIES)
            .bind(m)
            .fetch_all(tx.conn())
            .await
            .map_err(store_error)?;
        for id in ids {
            let pattern = format!("%\"user_id\":\"{}\"%", like_escape(&id));
            sqlx::query::<B::DB>(q::DROP_NAMING)
                .bind(pattern)
                .execute(tx.conn())
                .await
                .map_err(store_error)?;
        }
        for sql in [
            q::COUNT_FORGOTTEN_PLACEMENTS,
            q::DROP_GROUPS,
            q::DROP_OUTBOX_TO,
            q::DROP_MEMBER_CODES,
            q::DROP_CHECKINS,
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

    async fn purge(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Purged> {
        let mut tx = self.0.begin().await?;
        let checkins = sqlx::query::<B::DB>(q::PURGE_CHECKINS)
            .bind(before.date_naive())
            .execute(tx.conn())
            .await
            .map_err(store_error)?
            .rows_affected();
        let older = |sql, at: DateTime<Utc>| sqlx::query::<B::DB>(sql).bind(at);
        let codes = older(q::PURGE_CODES, now)
            .execute(tx.conn())
            .await
            .map_err(store_error)?
            .rows_affected();
        let messages = older(q::PURGE_DELIVERED, before)
            .execute(tx.conn())
            .await
            .map_err(store_error)?
            .rows_affected();
        older(crate::queries::PURGE_SETTLED, before)
            .execute(tx.conn())
            .await
            .map_err(store_error)?;
        tx.commit().await?;
        Ok(Purged {
            checkins,
            codes,
            messages,
            inbound: 0,
        })
    }
}

/// `LIKE` reads `%`, `_` and the escape character itself as special.
fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
