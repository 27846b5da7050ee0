//! Members, their identities and profiles, and communities.

use super::{Db, RowsAffected as _};
use crate::rows::{fold_cards, to_community, CardRow, ProfileRow, *};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, CommunityName, MemberHandle, MemberId, Platform, Zone};
use seatmate_bot::reply::MemberCard;
use seatmate_bot::store::{
    Arrival, ChatKey, Community, Identities, Identity, MemberContact, Profile, ProfileChange, StoreError, StoreResult,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Identities for Db<B> {
    async fn enter(&self, chat: &ChatKey, identity: &Identity, now: DateTime<Utc>) -> StoreResult<Arrival> {
        if self.0.arrivals().due() {
            let generation = sqlx::query_scalar::<B::DB, i64>(crate::account_queries::CACHE_GENERATION)
                .fetch_one(self.0.pool())
                .await
                .stored()?;
            self.0.arrivals().observe(generation);
        }
        let generation = self.0.arrivals().generation();
        if let Some(arrival) = self.0.arrivals().get(chat, identity, now) {
            return Ok(arrival);
        }
        let platform = identity.platform.as_str();
        let row: ArrivalRow = sqlx::query_as::<B::DB, ArrivalRow>(queries::ARRIVAL)
            .bind(platform)
            .bind(&identity.user_id)
            .bind(&chat.chat_id)
            .fetch_one(self.0.pool())
            .await
            .stored()?;

        let mut community = match (&row.community_id, &row.community_name, &row.community_zone) {
            (Some(id), Some(name), Some(zone)) => {
                Some(to_community(*id, name.clone(), zone, row.community_locale.as_deref())?)
            }
            _ => None,
        };
        let mut is_admin = row.is_admin.unwrap_or(false);
        let profile_stale = row.member_id.is_none()
            || row.display_name.as_deref() != Some(identity.display_name.as_str())
            || row.username != identity.username
            || row
                .identity_seen_at
                .is_none_or(|t| now - t >= crate::ACTIVITY_GRANULARITY);
        let activity_stale = community.is_some()
            && row
                .last_active_at
                .is_none_or(|t| now - t >= crate::ACTIVITY_GRANULARITY);

        let mut member = row.member_id;
        if profile_stale || activity_stale {
            let mut tx = self.0.begin().await?;
            let id = match sqlx::query_scalar::<B::DB, i64>(queries::FIND_IDENTITY)
                .bind(platform)
                .bind(&identity.user_id)
                .fetch_optional(tx.conn())
                .await
                .stored()?
            {
                Some(id) => id,
                None => {
                    let id = sqlx::query_scalar::<B::DB, i64>(queries::INSERT_MEMBER)
                        .bind(&identity.display_name)
                        .bind(now)
                        .fetch_one(tx.conn())
                        .await
                        .stored()?;
                    let inserted = sqlx::query::<B::DB>(queries::INSERT_IDENTITY)
                        .bind(platform)
                        .bind(&identity.user_id)
                        .bind(id)
                        .bind(&identity.username)
                        .bind(now)
                        .execute(tx.conn())
                        .await
                        .stored()?
                        .rows_affected();
                    if inserted == 1 {
                        id
                    } else {
                        // Another process created this identity meanwhile.
                        sqlx::query::<B::DB>(queries::DELETE_MEMBER)
                            .bind(id)
                            .execute(tx.conn())
                            .await
                            .stored()?;
                        sqlx::query_scalar::<B::DB, i64>(queries::FIND_IDENTITY)
                            .bind(platform)
                            .bind(&identity.user_id)
                            .fetch_one(tx.conn())
                            .await
                            .stored()?
                    }
                }
            };
            if profile_stale {
                sqlx::query::<B::DB>(queries::UPDATE_DISPLAY_NAME)
                    .bind(id)
                    .bind(&identity.display_name)
                    .execute(tx.conn())
                    .await
                    .stored()?;
                sqlx::query::<B::DB>(queries::UPDATE_IDENTITY)
                    .bind(platform)
                    .bind(&identity.user_id)
                    .bind(&identity.username)
                    .bind(now)
                    .execute(tx.conn())
                    .await
                    .stored()?;
            }
            if let Some(c) = &community {
                is_admin = sqlx::query_scalar::<B::DB, bool>(queries::TOUCH_MEMBERSHIP)
                    .bind(c.id.0)
                    .bind(id)
                    .bind(false)
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await
                    .stored()?;
            }
            tx.commit().await?;
            member = Some(id);
        }
        let member = member.ok_or(StoreError::NotFound)?;

        if community.is_none() && chat.private {
            let mine: Vec<CommunityRow> = sqlx::query_as::<B::DB, CommunityRow>(queries::MEMBER_COMMUNITIES)
                .bind(member)
                .fetch_all(self.0.pool())
                .await
                .stored()?;
            // Their only community, or the one they chose with `/use`.
            if let [only] | [only @ CommunityRow { chosen: true, .. }, ..] = mine.as_slice() {
                community = Some(to_community(
                    only.id,
                    only.name.clone(),
                    &only.time_zone,
                    only.locale.as_deref(),
                )?);
                is_admin = only.is_admin;
            }
        }
        let arrival = Arrival {
            member: MemberId(member),
            community,
            is_admin,
        };
        // When the stamps were last written: now, or when they were found fresh.
        let stamped_at = if profile_stale || activity_stale {
            now
        } else {
            row.last_active_at
                .into_iter()
                .chain(row.identity_seen_at)
                .min()
                .unwrap_or(now)
        };
        self.0.arrivals().put(chat, identity, &arrival, stamped_at, generation);
        Ok(arrival)
    }

    async fn create_community(
        &self,
        chat: &ChatKey,
        name: &CommunityName,
        zone: Zone,
        creator: MemberId,
        now: DateTime<Utc>,
    ) -> StoreResult<Community> {
        let mut tx = self.0.begin().await?;
        let id = sqlx::query_scalar::<B::DB, i64>(queries::INSERT_COMMUNITY)
            .bind(name.as_str())
            .bind(zone.name())
            .bind(now)
            .fetch_one(tx.conn())
            .await
            // The name's index is the only unique key a new row can meet.
            .stored()
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::NameTaken,
                other => other,
            })?;
        sqlx::query::<B::DB>(queries::BIND_CHAT)
            .bind(chat.platform.as_str())
            .bind(&chat.chat_id)
            .bind(id)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        sqlx::query_scalar::<B::DB, bool>(queries::TOUCH_MEMBERSHIP)
            .bind(id)
            .bind(creator.0)
            .bind(true)
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        tx.commit().await?;
        Ok(Community {
            id: CommunityId(id),
            name: name.as_str().to_string(),
            zone,
            locale: None,
            locale_for_all: false,
        })
    }

    async fn communities(&self) -> StoreResult<Vec<Community>> {
        let rows = sqlx::query_as::<B::DB, (i64, String, String, Option<String>)>(queries::COMMUNITIES)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.into_iter()
            .map(|(id, name, zone, locale)| to_community(id, name, &zone, locale.as_deref()))
            .collect()
    }

    async fn community(&self, community: CommunityId) -> StoreResult<Option<Community>> {
        let row = sqlx::query_as::<B::DB, (i64, String, String, Option<String>)>(queries::COMMUNITY)
            .bind(community.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?;
        row.map(|(id, name, zone, locale)| to_community(id, name, &zone, locale.as_deref()))
            .transpose()
    }

    async fn set_locale(&self, community: CommunityId, locale: seatmate_bot::Locale, for_all: bool) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        sqlx::query::<B::DB>(queries::SET_LOCALE)
            .bind(community.0)
            .bind(crate::rows::locale_column(locale, for_all))
            .execute(tx.conn())
            .await
            .stored()?;
        // Arrivals carry the community: every process sees the change.
        Self::exec(tx.conn(), crate::account_queries::BUMP_CACHE_GENERATION, &[]).await?;
        tx.commit().await?;
        self.0.arrivals().clear();
        Ok(())
    }

    async fn find_members(
        &self,
        community: CommunityId,
        platform: Platform,
        handle: &MemberHandle,
    ) -> StoreResult<Vec<MemberCard>> {
        use MemberHandle;
        let (sql, value) = match handle {
            MemberHandle::Username(name) => (queries::FIND_MEMBER_BY_USERNAME, name),
            MemberHandle::PlatformId(id) => (queries::FIND_MEMBER_BY_ID, id),
        };
        let members = sqlx::query_scalar::<B::DB, i64>(sql)
            .bind(community.0)
            .bind(platform.as_str())
            .bind(value)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        let mut cards = Vec::with_capacity(members.len());
        for member in members {
            let rows = sqlx::query_as::<B::DB, CardRow>(&queries::member_card())
                .bind(member)
                .fetch_all(self.0.pool())
                .await
                .stored()?;
            cards.extend(
                fold_cards(rows.into_iter().map(|r| ((), r)).collect())?
                    .into_iter()
                    .map(|(_, card)| card),
            );
        }
        Ok(cards)
    }

    async fn profile(&self, member: MemberId) -> StoreResult<Profile> {
        let row = sqlx::query_as::<B::DB, ProfileRow>(queries::PROFILE)
            .bind(member.0)
            .fetch_one(self.0.pool())
            .await
            .stored()?;
        Ok(row.into())
    }

    async fn update_profile(&self, member: MemberId, change: &ProfileChange) -> StoreResult<Profile> {
        // An autocommit write: queue behind this process's other writers.
        let _gate = self.0.write_gate().await;
        use ProfileChange;
        let (sql, value) = match change {
            ProfileChange::Offers(tags) => (queries::SET_OFFERS, tags.to_stored()),
            ProfileChange::Wants(tags) => (queries::SET_WANTS, tags.to_stored()),
            ProfileChange::About(note) => (queries::SET_ABOUT, note.as_str().to_string()),
        };
        let row = sqlx::query_as::<B::DB, ProfileRow>(sql)
            .bind(member.0)
            .bind(value)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        super::only(row).map(Into::into)
    }

    async fn contact(&self, member: MemberId) -> StoreResult<MemberContact> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        Self::load_contact(&mut conn, member.0).await
    }

    async fn member_communities(&self, member: MemberId) -> StoreResult<Vec<Community>> {
        let rows = sqlx::query_as::<B::DB, CommunityRow>(queries::MEMBER_COMMUNITIES)
            .bind(member.0)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        rows.iter()
            .map(|r| to_community(r.id, r.name.clone(), &r.time_zone, r.locale.as_deref()))
            .collect()
    }

    async fn choose_community(
        &self,
        member: MemberId,
        community: CommunityId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _gate = self.0.write_gate().await;
        let changed = sqlx::query::<B::DB>(queries::CHOOSE_COMMUNITY)
            .bind(member.0)
            .bind(community.0)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(changed == 1)
    }
}
