//! The `Store` port, written once and stamped out for each sqlx backend.

/// How stale `memberships.last_active_at` may get before a command refreshes
/// it: keeps the per-command path read-only for active members.
pub const ACTIVITY_GRANULARITY: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Implements `Store` for `$store` (which has a `pool` and an async `begin()`
/// for write transactions) over the sqlx database `$db`.
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        #[async_trait::async_trait]
        impl seatmate_bot::store::Store for $store {
            async fn enter(
                &self,
                chat: &seatmate_bot::store::ChatKey,
                identity: &seatmate_bot::store::Identity,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::Arrival> {
                use $crate::rows::*;
                use $crate::{queries, store_error};
                let platform = identity.platform.as_str();
                let row: ArrivalRow = sqlx::query_as::<$db, ArrivalRow>(queries::ARRIVAL)
                    .bind(platform)
                    .bind(&identity.user_id)
                    .bind(&chat.chat_id)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;

                let mut community =
                    match (&row.community_id, &row.community_name, &row.community_zone) {
                        (Some(id), Some(name), Some(zone)) => {
                            Some(to_community(*id, name.clone(), zone)?)
                        }
                        _ => None,
                    };
                let mut is_admin = row.is_admin.unwrap_or(false);
                let profile_stale = row.member_id.is_none()
                    || row.display_name.as_deref() != Some(identity.display_name.as_str())
                    || row.username != identity.username;
                let activity_stale = community.is_some()
                    && row
                        .last_active_at
                        .is_none_or(|t| now - t >= $crate::store_impl::ACTIVITY_GRANULARITY);

                let mut member = row.member_id;
                if profile_stale || activity_stale {
                    let mut tx = self.begin().await?;
                    let id = match sqlx::query_scalar::<$db, i64>(queries::FIND_IDENTITY)
                        .bind(platform)
                        .bind(&identity.user_id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(store_error)?
                    {
                        Some(id) => id,
                        None => {
                            let id = sqlx::query_scalar::<$db, i64>(queries::INSERT_MEMBER)
                                .bind(&identity.display_name)
                                .bind(now)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(store_error)?;
                            let inserted = sqlx::query::<$db>(queries::INSERT_IDENTITY)
                                .bind(platform)
                                .bind(&identity.user_id)
                                .bind(id)
                                .bind(&identity.username)
                                .execute(&mut *tx)
                                .await
                                .map_err(store_error)?
                                .rows_affected();
                            if inserted == 1 {
                                id
                            } else {
                                // Another process created this identity meanwhile.
                                sqlx::query::<$db>(queries::DELETE_MEMBER)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(store_error)?;
                                sqlx::query_scalar::<$db, i64>(queries::FIND_IDENTITY)
                                    .bind(platform)
                                    .bind(&identity.user_id)
                                    .fetch_one(&mut *tx)
                                    .await
                                    .map_err(store_error)?
                            }
                        }
                    };
                    if profile_stale {
                        sqlx::query::<$db>(queries::UPDATE_DISPLAY_NAME)
                            .bind(id)
                            .bind(&identity.display_name)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                        sqlx::query::<$db>(queries::UPDATE_USERNAME)
                            .bind(platform)
                            .bind(&identity.user_id)
                            .bind(&identity.username)
                            .execute(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    if let Some(c) = &community {
                        is_admin = sqlx::query_scalar::<$db, bool>(queries::TOUCH_MEMBERSHIP)
                            .bind(c.id.0)
                            .bind(id)
                            .bind(false)
                            .bind(now)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await.map_err(store_error)?;
                    member = Some(id);
                }
                let member = member.ok_or(seatmate_bot::store::StoreError::NotFound)?;

                if community.is_none() && chat.private {
                    let mine: Vec<CommunityRow> =
                        sqlx::query_as::<$db, CommunityRow>(queries::MEMBER_COMMUNITIES)
                            .bind(member)
                            .fetch_all(&self.pool)
                            .await
                            .map_err(store_error)?;
                    if let [only] = mine.as_slice() {
                        community =
                            Some(to_community(only.id, only.name.clone(), &only.time_zone)?);
                        is_admin = only.is_admin;
                    }
                }
                Ok(seatmate_bot::store::Arrival {
                    member: seatmate_bot::domain::MemberId(member),
                    community,
                    is_admin,
                })
            }

            async fn create_community(
                &self,
                chat: &seatmate_bot::store::ChatKey,
                name: &seatmate_bot::domain::CommunityName,
                zone: seatmate_bot::domain::Zone,
                creator: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::Community> {
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                let id = sqlx::query_scalar::<$db, i64>(queries::INSERT_COMMUNITY)
                    .bind(name.as_str())
                    .bind(zone.name())
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_error)?;
                sqlx::query::<$db>(queries::BIND_CHAT)
                    .bind(chat.platform.as_str())
                    .bind(&chat.chat_id)
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                sqlx::query_scalar::<$db, bool>(queries::TOUCH_MEMBERSHIP)
                    .bind(id)
                    .bind(creator.0)
                    .bind(true)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_error)?;
                tx.commit().await.map_err(store_error)?;
                Ok(seatmate_bot::store::Community {
                    id: seatmate_bot::domain::CommunityId(id),
                    name: name.as_str().to_string(),
                    zone,
                })
            }

            async fn add_space(
                &self,
                community: seatmate_bot::domain::CommunityId,
                space: &seatmate_bot::store::NewSpace,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::Space> {
                use $crate::rows::SpaceRow;
                use $crate::{queries, store_error};
                let row = sqlx::query_as::<$db, SpaceRow>(queries::INSERT_SPACE)
                    .bind(community.0)
                    .bind(space.slug.as_str())
                    .bind(space.zone.name())
                    .bind(space.capacity.map(i64::from))
                    .bind(space.needs_approval)
                    .bind(now)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.try_into()
            }

            async fn spaces(
                &self,
                community: seatmate_bot::domain::CommunityId,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::Space>> {
                use $crate::rows::SpaceRow;
                use $crate::{queries, store_error};
                sqlx::query_as::<$db, SpaceRow>(queries::SPACES)
                    .bind(community.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
            }

            async fn remove_space(
                &self,
                community: seatmate_bot::domain::CommunityId,
                slug: &seatmate_bot::domain::SpaceSlug,
            ) -> seatmate_bot::store::StoreResult<()> {
                use $crate::{queries, store_error};
                let removed = sqlx::query::<$db>(queries::DELETE_SPACE)
                    .bind(community.0)
                    .bind(slug.as_str())
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                if removed == 0 {
                    return Err(seatmate_bot::store::StoreError::NotFound);
                }
                Ok(())
            }

            async fn find_member(
                &self,
                community: seatmate_bot::domain::CommunityId,
                platform: seatmate_bot::domain::Platform,
                handle: &seatmate_bot::domain::MemberHandle,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::reply::MemberCard>> {
                use seatmate_bot::domain::MemberHandle;
                use $crate::rows::{fold_cards, CardRow};
                use $crate::{queries, store_error};
                let (sql, value) = match handle {
                    MemberHandle::Username(name) => (queries::FIND_MEMBER_BY_USERNAME, name),
                    MemberHandle::PlatformId(id) => (queries::FIND_MEMBER_BY_ID, id),
                };
                let Some(member) = sqlx::query_scalar::<$db, i64>(sql)
                    .bind(community.0)
                    .bind(platform.as_str())
                    .bind(value)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)?
                else {
                    return Ok(None);
                };
                let rows = sqlx::query_as::<$db, CardRow>(&queries::member_card())
                    .bind(member)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(fold_cards(rows.into_iter().map(|r| ((), r)).collect())?
                    .pop()
                    .map(|(_, card)| card))
            }

            async fn usernames(
                &self,
                community: seatmate_bot::domain::CommunityId,
                platform: seatmate_bot::domain::Platform,
            ) -> seatmate_bot::store::StoreResult<Vec<String>> {
                use $crate::{queries, store_error};
                sqlx::query_scalar::<$db, String>(queries::USERNAMES)
                    .bind(community.0)
                    .bind(platform.as_str())
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)
            }

            async fn set_host(
                &self,
                space: seatmate_bot::domain::SpaceId,
                member: seatmate_bot::domain::MemberId,
                host: bool,
            ) -> seatmate_bot::store::StoreResult<bool> {
                use $crate::{queries, store_error};
                let sql = if host {
                    queries::ADD_HOST
                } else {
                    queries::REMOVE_HOST
                };
                let changed = sqlx::query::<$db>(sql)
                    .bind(space.0)
                    .bind(member.0)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                Ok(changed == 1)
            }

            async fn hosts(
                &self,
                community: seatmate_bot::domain::CommunityId,
            ) -> seatmate_bot::store::StoreResult<
                Vec<(
                    seatmate_bot::domain::SpaceId,
                    seatmate_bot::reply::MemberCard,
                )>,
            > {
                use $crate::rows::{fold_cards, HostRow};
                use $crate::{queries, store_error};
                let rows = sqlx::query_as::<$db, HostRow>(&queries::hosts())
                    .bind(community.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                fold_cards(
                    rows.into_iter()
                        .map(|r| (seatmate_bot::domain::SpaceId(r.space_id), r.card))
                        .collect(),
                )
            }

            async fn profile(
                &self,
                member: seatmate_bot::domain::MemberId,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::Profile> {
                use $crate::rows::ProfileRow;
                use $crate::{queries, store_error};
                let row = sqlx::query_as::<$db, ProfileRow>(queries::PROFILE)
                    .bind(member.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(row.into())
            }

            async fn update_profile(
                &self,
                member: seatmate_bot::domain::MemberId,
                change: &seatmate_bot::store::ProfileChange,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::Profile> {
                use seatmate_bot::store::ProfileChange;
                use $crate::rows::ProfileRow;
                use $crate::{queries, store_error};
                let (sql, value) = match change {
                    ProfileChange::Offers(tags) => (queries::SET_OFFERS, tags.to_stored()),
                    ProfileChange::Wants(tags) => (queries::SET_WANTS, tags.to_stored()),
                    ProfileChange::About(note) => (queries::SET_ABOUT, note.as_str().to_string()),
                };
                let row = sqlx::query_as::<$db, ProfileRow>(sql)
                    .bind(member.0)
                    .bind(value)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(row.into())
            }

            async fn check_in(
                &self,
                checkin: &seatmate_bot::store::NewCheckin,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::CheckinOutcome> {
                use seatmate_bot::store::CheckinOutcome;
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                sqlx::query::<$db>(queries::END_OTHER_CHECKINS)
                    .bind(checkin.community.0)
                    .bind(checkin.member.0)
                    .bind(checkin.local_date)
                    .bind(checkin.now)
                    .execute(&mut *tx)
                    .await
                    .map_err(store_error)?;
                let updates = sqlx::query_scalar::<$db, i64>(queries::UPSERT_CHECKIN)
                    .bind(checkin.community.0)
                    .bind(checkin.member.0)
                    .bind(checkin.space.map(|s| s.0))
                    .bind(checkin.local_date)
                    .bind(checkin.now)
                    .bind(checkin.until)
                    .bind(checkin.ends_at)
                    .bind(checkin.note.as_str())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(store_error)?;
                tx.commit().await.map_err(store_error)?;
                Ok(if updates == 0 {
                    CheckinOutcome::New
                } else {
                    CheckinOutcome::Updated
                })
            }

            async fn check_out(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<bool> {
                use $crate::{queries, store_error};
                let ended = sqlx::query::<$db>(queries::CHECK_OUT)
                    .bind(community.0)
                    .bind(member.0)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                Ok(ended > 0)
            }

            async fn last_place(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
            ) -> seatmate_bot::store::StoreResult<Option<Option<seatmate_bot::domain::SpaceId>>>
            {
                use $crate::{queries, store_error};
                let place = sqlx::query_scalar::<$db, Option<i64>>(queries::LAST_PLACE)
                    .bind(community.0)
                    .bind(member.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(place.map(|space| space.map(seatmate_bot::domain::SpaceId)))
            }

            async fn present(
                &self,
                community: seatmate_bot::domain::CommunityId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::Presence>> {
                use $crate::rows::{presences, PresenceRow};
                use $crate::{queries, store_error};
                let rows = sqlx::query_as::<$db, PresenceRow>(&queries::present())
                    .bind(community.0)
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                presences(rows)
            }
        }
    };
}

pub(crate) use impl_store;
