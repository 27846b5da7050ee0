//! The `Store` port, written once and stamped out for each sqlx backend.

/// How stale `memberships.last_active_at` may get before a command refreshes
/// it: keeps the per-command path read-only for active members.
pub const ACTIVITY_GRANULARITY: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Implements `Store` for `$store` (which has a `pool` and an async `begin()`
/// for write transactions) over the sqlx database `$db`.
macro_rules! impl_store {
    ($store:ty, $db:ty, $conn:ty, $claim_sql:path, $row_lock:expr) => {
        $crate::store_impl::impl_helpers!($store, $db, $conn, $row_lock);

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
                if let Some(arrival) = self.arrivals.get(chat, identity, now) {
                    return Ok(arrival);
                }
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
                        .is_none_or(|t| now - t >= $crate::store_impl::ACTIVITY_GRANULARITY);
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
                        .fetch_optional(tx.conn())
                        .await
                        .map_err(store_error)?
                    {
                        Some(id) => id,
                        None => {
                            let id = sqlx::query_scalar::<$db, i64>(queries::INSERT_MEMBER)
                                .bind(&identity.display_name)
                                .bind(now)
                                .fetch_one(tx.conn())
                                .await
                                .map_err(store_error)?;
                            let inserted = sqlx::query::<$db>(queries::INSERT_IDENTITY)
                                .bind(platform)
                                .bind(&identity.user_id)
                                .bind(id)
                                .bind(&identity.username)
                                .bind(now)
                                .execute(tx.conn())
                                .await
                                .map_err(store_error)?
                                .rows_affected();
                            if inserted == 1 {
                                id
                            } else {
                                // Another process created this identity meanwhile.
                                sqlx::query::<$db>(queries::DELETE_MEMBER)
                                    .bind(id)
                                    .execute(tx.conn())
                                    .await
                                    .map_err(store_error)?;
                                sqlx::query_scalar::<$db, i64>(queries::FIND_IDENTITY)
                                    .bind(platform)
                                    .bind(&identity.user_id)
                                    .fetch_one(tx.conn())
                                    .await
                                    .map_err(store_error)?
                            }
                        }
                    };
                    if profile_stale {
                        sqlx::query::<$db>(queries::UPDATE_DISPLAY_NAME)
                            .bind(id)
                            .bind(&identity.display_name)
                            .execute(tx.conn())
                            .await
                            .map_err(store_error)?;
                        sqlx::query::<$db>(queries::UPDATE_IDENTITY)
                            .bind(platform)
                            .bind(&identity.user_id)
                            .bind(&identity.username)
                            .bind(now)
                            .execute(tx.conn())
                            .await
                            .map_err(store_error)?;
                    }
                    if let Some(c) = &community {
                        is_admin = sqlx::query_scalar::<$db, bool>(queries::TOUCH_MEMBERSHIP)
                            .bind(c.id.0)
                            .bind(id)
                            .bind(false)
                            .bind(now)
                            .fetch_one(tx.conn())
                            .await
                            .map_err(store_error)?;
                    }
                    tx.commit().await?;
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
                            Some(to_community(only.id, only.name.clone(), &only.time_zone, only.locale.as_deref())?);
                        is_admin = only.is_admin;
                    }
                }
                let arrival = seatmate_bot::store::Arrival {
                    member: seatmate_bot::domain::MemberId(member),
                    community,
                    is_admin,
                };
                // When the stamps were last written: now, or when they were found fresh.
                let stamped_at = if profile_stale || activity_stale {
                    now
                } else {
                    row.last_active_at.into_iter().chain(row.identity_seen_at).min().unwrap_or(now)
                };
                self.arrivals.put(chat, identity, &arrival, stamped_at);
                Ok(arrival)
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
                    .fetch_one(tx.conn())
                    .await
                    .map_err(store_error)?;
                sqlx::query::<$db>(queries::BIND_CHAT)
                    .bind(chat.platform.as_str())
                    .bind(&chat.chat_id)
                    .bind(id)
                    .bind(now)
                    .execute(tx.conn())
                    .await
                    .map_err(store_error)?;
                sqlx::query_scalar::<$db, bool>(queries::TOUCH_MEMBERSHIP)
                    .bind(id)
                    .bind(creator.0)
                    .bind(true)
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await
                    .map_err(store_error)?;
                tx.commit().await?;
                Ok(seatmate_bot::store::Community {
                    id: seatmate_bot::domain::CommunityId(id),
                    name: name.as_str().to_string(),
                    zone,
                    locale: None,
                })
            }

            async fn add_space(
                &self,
                community: seatmate_bot::domain::CommunityId,
                space: &seatmate_bot::store::NewSpace,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::Space> {
                // An autocommit write: queue behind this process's other writers.
                let _gate = self.write_gate().await;
                use $crate::rows::SpaceRow;
                use $crate::{queries, store_error};
                let row = sqlx::query_as::<$db, SpaceRow>(queries::INSERT_SPACE)
                    .bind(community.0)
                    .bind(space.slug.as_str())
                    .bind(space.zone.name())
                    .bind(space.capacity.map(i64::from))
                    .bind(space.needs_approval)
                    .bind(space.open_profile_required)
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
                // An autocommit write: queue behind this process's other writers.
                let _gate = self.write_gate().await;
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

            async fn find_members(
                &self,
                community: seatmate_bot::domain::CommunityId,
                platform: seatmate_bot::domain::Platform,
                handle: &seatmate_bot::domain::MemberHandle,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::reply::MemberCard>> {
                use seatmate_bot::domain::MemberHandle;
                use $crate::rows::{fold_cards, CardRow};
                use $crate::{queries, store_error};
                let (sql, value) = match handle {
                    MemberHandle::Username(name) => (queries::FIND_MEMBER_BY_USERNAME, name),
                    MemberHandle::PlatformId(id) => (queries::FIND_MEMBER_BY_ID, id),
                };
                let members = sqlx::query_scalar::<$db, i64>(sql)
                    .bind(community.0)
                    .bind(platform.as_str())
                    .bind(value)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                let mut cards = Vec::with_capacity(members.len());
                for member in members {
                    let rows = sqlx::query_as::<$db, CardRow>(&queries::member_card())
                        .bind(member)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(store_error)?;
                    cards.extend(fold_cards(rows.into_iter().map(|r| ((), r)).collect())?.into_iter().map(|(_, card)| card));
                }
                Ok(cards)
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
                // An autocommit write: queue behind this process's other writers.
                let _gate = self.write_gate().await;
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
                // An autocommit write: queue behind this process's other writers.
                let _gate = self.write_gate().await;
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
                    .execute(tx.conn())
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

            async fn check_out(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<bool> {
                // An autocommit write: queue behind this process's other writers.
                let _gate = self.write_gate().await;
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

            async fn community_chats(
                &self,
                community: seatmate_bot::domain::CommunityId,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::ChatKey>> {
                use $crate::{queries, rows::corrupt, store_error};
                let rows = sqlx::query_as::<$db, (String, String)>(queries::COMMUNITY_CHATS)
                    .bind(community.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter()
                    .map(|(platform, chat_id)| {
                        Ok(seatmate_bot::store::ChatKey {
                            platform: platform.parse().map_err(|e| corrupt("platform", e))?,
                            chat_id,
                            private: false,
                        })
                    })
                    .collect()
            }

            async fn contact(
                &self,
                member: seatmate_bot::domain::MemberId,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::MemberContact> {
                let mut conn = self.pool.acquire().await.map_err($crate::store_error)?;
                Self::load_contact(&mut conn, member.0).await
            }

            async fn is_host(
                &self,
                space: seatmate_bot::domain::SpaceId,
                member: seatmate_bot::domain::MemberId,
            ) -> seatmate_bot::store::StoreResult<bool> {
                use $crate::{queries, store_error};
                let n = sqlx::query_scalar::<$db, i64>(queries::IS_HOST)
                    .bind(space.0)
                    .bind(member.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(n > 0)
            }

            async fn create_offer(
                &self,
                offer: &seatmate_bot::store::NewOffer,
                announcements: &(dyn Fn(seatmate_bot::domain::OfferId) -> Vec<seatmate_bot::store::Outgoing> + Send + Sync),
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::CreateOffer> {
                use seatmate_bot::domain::OfferId;
                use seatmate_bot::store::{CreateOffer, StoreError};
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                let locked = sqlx::query::<$db>(queries::LOCK_SPACE)
                    .bind(offer.space.0)
                    .bind(offer.community.0)
                    .execute(tx.conn())
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                if locked == 0 {
                    return Err(StoreError::NotFound);
                }
                if let Some(existing) = sqlx::query_scalar::<$db, i64>(queries::OVERLAPPING_OFFER)
                    .bind(offer.space.0)
                    .bind(offer.local_date)
                    .bind(offer.starts_at)
                    .bind(offer.ends_at)
                    .fetch_optional(tx.conn())
                    .await
                    .map_err(store_error)?
                {
                    return Ok(CreateOffer::Overlaps(OfferId(existing)));
                }
                let id = sqlx::query_scalar::<$db, i64>(queries::INSERT_OFFER)
                    .bind(offer.community.0)
                    .bind(offer.space.0)
                    .bind(offer.host.0)
                    .bind(offer.local_date)
                    .bind(offer.window.map(|w| w.start.to_string()))
                    .bind(offer.window.map(|w| w.end.to_string()))
                    .bind(offer.starts_at)
                    .bind(offer.ends_at)
                    .bind(i64::from(offer.seats.get()))
                    .bind(offer.note.as_str())
                    .bind(offer.now)
                    .fetch_one(tx.conn())
                    .await
                    .map_err(store_error)?;
                Self::insert_outbox(tx.conn(), &announcements(OfferId(id)), offer.now).await?;
                tx.commit().await?;
                Ok(CreateOffer::Created(OfferId(id)))
            }

            async fn offer(
                &self,
                community: seatmate_bot::domain::CommunityId,
                offer: seatmate_bot::domain::OfferId,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::store::Offer>> {
                let mut conn = self.pool.acquire().await.map_err($crate::store_error)?;
                Self::load_offer(&mut conn, community.0, offer.0).await
            }

            async fn open_offers(
                &self,
                community: seatmate_bot::domain::CommunityId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::Offer>> {
                use $crate::rows::OfferRow;
                use $crate::{queries, store_error};
                sqlx::query_as::<$db, OfferRow>(&queries::open_offers())
                    .bind(community.0)
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?
                    .into_iter()
                    .map(TryInto::try_into)
                    .collect()
            }

            async fn request(
                &self,
                community: seatmate_bot::domain::CommunityId,
                request: seatmate_bot::domain::RequestId,
            ) -> seatmate_bot::store::StoreResult<Option<(seatmate_bot::store::SeatRequest, seatmate_bot::store::Offer)>> {
                let mut conn = self.pool.acquire().await.map_err($crate::store_error)?;
                let Some(request) = Self::load_request(&mut conn, community.0, request.0).await? else {
                    return Ok(None);
                };
                let offer = Self::load_offer(&mut conn, community.0, request.offer.0).await?;
                Ok(offer.map(|offer| (request, offer)))
            }

            async fn member_requests(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<Vec<(seatmate_bot::store::SeatRequest, seatmate_bot::store::Offer)>> {
                use seatmate_bot::store::{SeatRequest, StoreError};
                use $crate::rows::RequestRow;
                use $crate::{queries, store_error};
                let mut conn = self.pool.acquire().await.map_err(store_error)?;
                let rows = sqlx::query_as::<$db, RequestRow>(&queries::member_requests())
                    .bind(community.0)
                    .bind(member.0)
                    .bind(now)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(store_error)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let request = SeatRequest::try_from(row)?;
                    let offer = Self::load_offer(&mut conn, community.0, request.offer.0)
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    out.push((request, offer));
                }
                Ok(out)
            }

            async fn offer_requests(
                &self,
                community: seatmate_bot::domain::CommunityId,
                offer: seatmate_bot::domain::OfferId,
            ) -> seatmate_bot::store::StoreResult<Vec<(seatmate_bot::store::SeatRequest, seatmate_bot::store::MemberContact)>> {
                use seatmate_bot::store::SeatRequest;
                use $crate::rows::RequestRow;
                use $crate::{queries, store_error};
                let mut conn = self.pool.acquire().await.map_err(store_error)?;
                let rows = sqlx::query_as::<$db, RequestRow>(&queries::offer_requests())
                    .bind(offer.0)
                    .bind(community.0)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(store_error)?;
                let mut out = Vec::with_capacity(rows.len());
                for row in rows {
                    let request = SeatRequest::try_from(row)?;
                    let contact = Self::load_contact(&mut conn, request.member.0).await?;
                    out.push((request, contact));
                }
                Ok(out)
            }

            async fn request_seat(
                &self,
                community: seatmate_bot::domain::CommunityId,
                offer: seatmate_bot::domain::OfferId,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
                admit: seatmate_bot::store::Admit<'_>,
                notices: seatmate_bot::store::Notices<'_>,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::store::SeatEvent>> {
                use seatmate_bot::domain::RequestId;
                use seatmate_bot::store::{Admission, RequestState, SeatEvent, SeatRequest};
                use $crate::rows::AdmissionRow;
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                // Lock and read in one statement: this is the hot path.
                let Some(read) = sqlx::query_as::<$db, AdmissionRow>(&(queries::admission() + $row_lock))
                    .bind(offer.0)
                    .bind(community.0)
                    .bind(member.0)
                    .fetch_optional(tx.conn())
                    .await
                    .map_err(store_error)?
                else {
                    return Ok(None);
                };
                let (current, existing, profile) = read.split(member)?;
                let state = match admit(&current, existing.as_ref(), &profile) {
                    Admission::Place(state) => state,
                    Admission::Refuse(refusal) => {
                        return Ok(Some(SeatEvent::NotAdmitted { offer: current, request: existing, refusal }));
                    }
                };
                let id = sqlx::query_scalar::<$db, i64>(queries::UPSERT_REQUEST)
                    .bind(offer.0)
                    .bind(community.0)
                    .bind(member.0)
                    .bind(state.as_str())
                    .bind(now)
                    .fetch_one(tx.conn())
                    .await
                    .map_err(store_error)?;
                let mut after = current;
                // The newest request is last in the queue.
                let position = match state {
                    RequestState::Confirmed => {
                        after.confirmed += 1;
                        None
                    }
                    RequestState::Waitlisted => {
                        after.waitlisted += 1;
                        Some(after.waitlisted)
                    }
                    _ => {
                        after.pending += 1;
                        None
                    }
                };
                let request = SeatRequest {
                    id: RequestId(id),
                    offer,
                    member,
                    state,
                    position,
                    requested_at: now,
                    reason: None,
                };
                let event = SeatEvent::Requested { offer: after, request, profile };
                Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
                tx.commit().await?;
                Ok(Some(event))
            }

            async fn cancel_request(
                &self,
                community: seatmate_bot::domain::CommunityId,
                request: seatmate_bot::domain::RequestId,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
                notices: seatmate_bot::store::Notices<'_>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::SeatEvent> {
                use seatmate_bot::store::{RequestState, SeatEvent, StoreError};
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                let offer_id = Self::request_offer(tx.conn(), community.0, request.0).await?;
                Self::lock_offer(tx.conn(), community.0, offer_id).await?.ok_or(StoreError::NotFound)?;
                let current = Self::load_offer(tx.conn(), community.0, offer_id).await?.ok_or(StoreError::NotFound)?;
                let mine = Self::load_request(tx.conn(), community.0, request.0).await?.ok_or(StoreError::NotFound)?;
                if mine.member != member || !mine.state.is_active() || !current.is_open(now) {
                    return Ok(SeatEvent::Refused { offer: current, request: Some(mine) });
                }
                Self::set_state(tx.conn(), request.0, RequestState::Cancelled, now, None).await?;
                let mut promoted = None;
                if mine.state == RequestState::Confirmed {
                    if let Some(next) = sqlx::query_scalar::<$db, i64>(queries::FIRST_WAITLISTED)
                        .bind(offer_id)
                        .fetch_optional(tx.conn())
                        .await
                        .map_err(store_error)?
                    {
                        Self::set_state(tx.conn(), next, RequestState::Confirmed, now, None).await?;
                        let next = Self::load_request(tx.conn(), community.0, next).await?.ok_or(StoreError::NotFound)?;
                        let contact = Self::load_contact(tx.conn(), next.member.0).await?;
                        promoted = Some((next, contact));
                    }
                }
                let after = Self::load_offer(tx.conn(), community.0, offer_id).await?.ok_or(StoreError::NotFound)?;
                let cancelled = Self::load_request(tx.conn(), community.0, request.0).await?.ok_or(StoreError::NotFound)?;
                let event = SeatEvent::Cancelled { offer: after, request: cancelled, promoted };
                Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
                tx.commit().await?;
                Ok(event)
            }

            async fn decide_request(
                &self,
                community: seatmate_bot::domain::CommunityId,
                request: seatmate_bot::domain::RequestId,
                approve: bool,
                reason: Option<String>,
                now: chrono::DateTime<chrono::Utc>,
                notices: seatmate_bot::store::Notices<'_>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::SeatEvent> {
                use seatmate_bot::store::{RequestState, SeatEvent, StoreError};
                let mut tx = self.begin().await?;
                let offer_id = Self::request_offer(tx.conn(), community.0, request.0).await?;
                Self::lock_offer(tx.conn(), community.0, offer_id).await?.ok_or(StoreError::NotFound)?;
                let current = Self::load_offer(tx.conn(), community.0, offer_id).await?.ok_or(StoreError::NotFound)?;
                let pending = Self::load_request(tx.conn(), community.0, request.0).await?.ok_or(StoreError::NotFound)?;
                if pending.state != RequestState::Pending || !current.is_open(now) {
                    return Ok(SeatEvent::Refused { offer: current, request: Some(pending) });
                }
                let state = match (approve, current.confirmed < current.seats) {
                    (true, true) => RequestState::Confirmed,
                    (true, false) => RequestState::Waitlisted,
                    (false, _) => RequestState::Declined,
                };
                Self::set_state(tx.conn(), request.0, state, now, reason.as_deref()).await?;
                let decided = Self::load_request(tx.conn(), community.0, request.0).await?.ok_or(StoreError::NotFound)?;
                let after = Self::load_offer(tx.conn(), community.0, offer_id).await?.ok_or(StoreError::NotFound)?;
                let requester = Self::load_contact(tx.conn(), decided.member.0).await?;
                let event = SeatEvent::Decided { offer: after, request: decided, requester };
                Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
                tx.commit().await?;
                Ok(event)
            }

            async fn withdraw_offer(
                &self,
                community: seatmate_bot::domain::CommunityId,
                offer: seatmate_bot::domain::OfferId,
                now: chrono::DateTime<chrono::Utc>,
                notices: seatmate_bot::store::Notices<'_>,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::SeatEvent> {
                use seatmate_bot::store::{SeatEvent, SeatRequest, StoreError};
                use $crate::rows::RequestRow;
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                Self::lock_offer(tx.conn(), community.0, offer.0).await?.ok_or(StoreError::NotFound)?;
                let current = Self::load_offer(tx.conn(), community.0, offer.0).await?.ok_or(StoreError::NotFound)?;
                if !current.is_open(now) {
                    return Ok(SeatEvent::Refused { offer: current, request: None });
                }
                let active = sqlx::query_as::<$db, RequestRow>(&queries::active_requests())
                    .bind(offer.0)
                    .fetch_all(tx.conn())
                    .await
                    .map_err(store_error)?;
                let mut affected = Vec::with_capacity(active.len());
                for row in active {
                    let request = SeatRequest::try_from(row)?;
                    let contact = Self::load_contact(tx.conn(), request.member.0).await?;
                    affected.push((request, contact));
                }
                sqlx::query::<$db>(queries::WITHDRAW_OFFER)
                    .bind(offer.0)
                    .bind(now)
                    .execute(tx.conn())
                    .await
                    .map_err(store_error)?;
                sqlx::query::<$db>(queries::WITHDRAW_REQUESTS)
                    .bind(offer.0)
                    .bind(now)
                    .execute(tx.conn())
                    .await
                    .map_err(store_error)?;
                let after = Self::load_offer(tx.conn(), community.0, offer.0).await?.ok_or(StoreError::NotFound)?;
                let event = SeatEvent::Withdrawn { offer: after, affected };
                Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
                tx.commit().await?;
                Ok(event)
            }

            async fn enqueue(
                &self,
                messages: &[seatmate_bot::store::Outgoing],
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<()> {
                let mut tx = self.begin().await?;
                Self::insert_outbox(tx.conn(), messages, now).await?;
                tx.commit().await
            }

            async fn claim_outbox(
                &self,
                platform: seatmate_bot::domain::Platform,
                now: chrono::DateTime<chrono::Utc>,
                lease_until: chrono::DateTime<chrono::Utc>,
                limit: u32,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::Envelope>> {
                // An autocommit write: queue behind this process's other writers.
                let _gate = self.write_gate().await;
                use seatmate_bot::store::Envelope;
                use $crate::rows::OutboxRow;
                use $crate::store_error;
                let rows = sqlx::query_as::<$db, OutboxRow>(&$claim_sql())
                    .bind(platform.as_str())
                    .bind(now)
                    .bind(lease_until)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                let mut envelopes = rows.into_iter().map(Envelope::try_from).collect::<Result<Vec<_>, _>>()?;
                envelopes.sort_by_key(|e| e.id);
                Ok(envelopes)
            }

            async fn record_delivery(
                &self,
                id: i64,
                record: &seatmate_bot::store::DeliveryRecord,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<()> {
                use seatmate_bot::store::DeliveryRecord;
                use $crate::{queries, store_error};
                let mut tx = self.begin().await?;
                match record {
                    DeliveryRecord::Sent { message_id } => {
                        sqlx::query::<$db>(queries::MARK_SENT).bind(id).bind(now).bind(message_id)
                            .execute(tx.conn()).await.map_err(store_error)?;
                    }
                    DeliveryRecord::Retry { at, error } => {
                        sqlx::query::<$db>(queries::MARK_RETRY).bind(id).bind(*at).bind(error)
                            .execute(tx.conn()).await.map_err(store_error)?;
                    }
                    DeliveryRecord::Released { at } => {
                        sqlx::query::<$db>(queries::MARK_RELEASED).bind(id).bind(*at)
                            .execute(tx.conn()).await.map_err(store_error)?;
                    }
                    DeliveryRecord::Dead { error } => {
                        sqlx::query::<$db>(queries::MARK_DEAD).bind(id).bind(error)
                            .execute(tx.conn()).await.map_err(store_error)?;
                    }
                    DeliveryRecord::Held { error, nudge } => {
                        let others: i64 = sqlx::query_scalar::<$db, i64>(queries::OTHERS_HELD).bind(id)
                            .fetch_one(tx.conn()).await.map_err(store_error)?;
                        sqlx::query::<$db>(queries::MARK_HELD).bind(id).bind(now).bind(error)
                            .execute(tx.conn()).await.map_err(store_error)?;
                        if let (0, Some(nudge)) = (others, nudge) {
                            Self::insert_outbox(tx.conn(), std::slice::from_ref(nudge), now).await?;
                        }
                    }
                }
                tx.commit().await
            }

            async fn release_held(
                &self,
                member: seatmate_bot::domain::MemberId,
                platform: seatmate_bot::domain::Platform,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<u32> {
                let _gate = self.write_gate().await;
                use $crate::{queries, store_error};
                let released = sqlx::query::<$db>(queries::RELEASE_HELD)
                    .bind(member.0)
                    .bind(platform.as_str())
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                Ok(u32::try_from(released).unwrap_or(u32::MAX))
            }

            async fn take_held(
                &self,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::Body>> {
                let _gate = self.write_gate().await;
                use $crate::{queries, store_error};
                let mut rows = sqlx::query_as::<$db, (i64, String)>(queries::TAKE_HELD)
                    .bind(member.0)
                    .bind(now)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.sort_by_key(|(id, _)| *id);
                rows.into_iter().map(|(_, body)| $crate::rows::read_body(&body)).collect()
            }

            async fn communities(&self) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::Community>> {
                use $crate::rows::to_community;
                use $crate::{queries, store_error};
                let rows = sqlx::query_as::<$db, (i64, String, String, Option<String>)>(queries::COMMUNITIES)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                rows.into_iter()
                    .map(|(id, name, zone, locale)| to_community(id, name, &zone, locale.as_deref()))
                    .collect()
            }

            async fn community(
                &self,
                community: seatmate_bot::domain::CommunityId,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::store::Community>> {
                use $crate::rows::to_community;
                use $crate::{queries, store_error};
                let row = sqlx::query_as::<$db, (i64, String, String, Option<String>)>(queries::COMMUNITY)
                    .bind(community.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)?;
                row.map(|(id, name, zone, locale)| to_community(id, name, &zone, locale.as_deref()))
                    .transpose()
            }

            async fn set_locale(
                &self,
                community: seatmate_bot::domain::CommunityId,
                locale: seatmate_bot::Locale,
            ) -> seatmate_bot::store::StoreResult<()> {
                let _gate = self.write_gate().await;
                use $crate::{queries, store_error};
                sqlx::query::<$db>(queries::SET_LOCALE)
                    .bind(community.0)
                    .bind(locale.code())
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                // Arrivals carry the community: this process sees the change at once.
                self.arrivals.clear();
                Ok(())
            }

            async fn pairing_settings(
                &self,
                community: seatmate_bot::domain::CommunityId,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::domain::PairingSettings> {
                use $crate::rows::SettingsRow;
                use $crate::{queries, store_error};
                sqlx::query_as::<$db, SettingsRow>(queries::PAIRING_SETTINGS)
                    .bind(community.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?
                    .try_into()
            }

            async fn set_pairing_settings(
                &self,
                community: seatmate_bot::domain::CommunityId,
                settings: &seatmate_bot::domain::PairingSettings,
            ) -> seatmate_bot::store::StoreResult<()> {
                use $crate::{queries, store_error};
                let _gate = self.write_gate().await;
                sqlx::query::<$db>(queries::SET_PAIRING_SETTINGS)
                    .bind(community.0)
                    .bind(settings.time.to_string())
                    .bind(settings.days.to_string())
                    .bind(i64::from(settings.history_weeks))
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(())
            }

            async fn pairing_prefs(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::PairingPrefs> {
                use $crate::{queries, store_error};
                let row = sqlx::query_as::<$db, (bool, Option<chrono::NaiveDate>)>(queries::PAIRING_PREFS)
                    .bind(community.0)
                    .bind(member.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(row
                    .map(|(opted_in, paused_until)| seatmate_bot::store::PairingPrefs { opted_in, paused_until })
                    .unwrap_or_default())
            }

            async fn set_pairing_prefs(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
                prefs: &seatmate_bot::store::PairingPrefs,
            ) -> seatmate_bot::store::StoreResult<()> {
                use $crate::{queries, store_error};
                let _gate = self.write_gate().await;
                let updated = sqlx::query::<$db>(queries::SET_PAIRING_PREFS)
                    .bind(community.0)
                    .bind(member.0)
                    .bind(prefs.opted_in)
                    .bind(prefs.paused_until)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                if updated == 0 {
                    return Err(seatmate_bot::store::StoreError::NotFound);
                }
                Ok(())
            }

            async fn pairing_pool(
                &self,
                community: seatmate_bot::domain::CommunityId,
                date: chrono::NaiveDate,
                active_since: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::PoolEntry>> {
                use $crate::rows::{pool, PoolRow};
                use $crate::{queries, store_error};
                let rows = sqlx::query_as::<$db, PoolRow>(queries::PAIRING_POOL)
                    .bind(community.0)
                    .bind(date)
                    .bind(active_since)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                pool(rows)
            }

            async fn pair_history(
                &self,
                community: seatmate_bot::domain::CommunityId,
                since: chrono::NaiveDate,
            ) -> seatmate_bot::store::StoreResult<Vec<seatmate_bot::store::PastPair>> {
                use seatmate_bot::domain::MemberId;
                use $crate::{queries, store_error};
                let rows = sqlx::query_as::<$db, (i64, i64, chrono::NaiveDate)>(queries::PAIR_HISTORY)
                    .bind(community.0)
                    .bind(since)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(rows
                    .into_iter()
                    .map(|(a, b, date)| seatmate_bot::store::PastPair { a: MemberId(a), b: MemberId(b), date })
                    .collect())
            }

            async fn create_round(
                &self,
                round: &seatmate_bot::store::NewRound,
                messages: &[seatmate_bot::store::Outgoing],
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::CreateRound> {
                use seatmate_bot::store::CreateRound;
                use $crate::{queries, store_error};
                /// Group members written per statement (3 parameters each).
                const CHUNK: usize = 300;
                let mut tx = self.begin().await?;
                let Some(id) = sqlx::query_scalar::<$db, i64>(queries::INSERT_ROUND)
                    .bind(round.community.0)
                    .bind(round.local_date)
                    .bind(round.seed as i64)
                    .bind(round.trigger.as_str())
                    .bind(round.now)
                    .fetch_optional(tx.conn())
                    .await
                    .map_err(store_error)?
                else {
                    return Ok(CreateRound::AlreadyRan);
                };
                let placements: Vec<(i64, i64)> = round
                    .groups
                    .iter()
                    .enumerate()
                    .flat_map(|(g, members)| members.iter().map(move |m| (m.0, g as i64)))
                    .collect();
                for chunk in placements.chunks(CHUNK) {
                    let sql = queries::insert_group_members(chunk.len());
                    let mut query = sqlx::query::<$db>(&sql);
                    for &(member, group) in chunk {
                        query = query.bind(id).bind(member).bind(group);
                    }
                    query.execute(tx.conn()).await.map_err(store_error)?;
                }
                Self::insert_outbox(tx.conn(), messages, round.now).await?;
                tx.commit().await?;
                Ok(CreateRound::Created(id))
            }

            async fn round(
                &self,
                community: seatmate_bot::domain::CommunityId,
                date: chrono::NaiveDate,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::store::Round>> {
                use $crate::rows::{groups, RoundRow};
                use $crate::{queries, store_error};
                let Some(row) = sqlx::query_as::<$db, RoundRow>(queries::ROUND)
                    .bind(community.0)
                    .bind(date)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_error)?
                else {
                    return Ok(None);
                };
                let placements = sqlx::query_as::<$db, (i64, i64)>(queries::ROUND_GROUPS)
                    .bind(row.id)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
                Ok(Some(seatmate_bot::store::Round {
                    id: row.id,
                    local_date: row.local_date,
                    seed: row.seed as u64,
                    groups: groups(placements),
                }))
            }

            async fn latest_group(
                &self,
                community: seatmate_bot::domain::CommunityId,
                member: seatmate_bot::domain::MemberId,
                date: chrono::NaiveDate,
            ) -> seatmate_bot::store::StoreResult<Option<(seatmate_bot::store::Round, Vec<seatmate_bot::domain::MemberId>)>> {
                use seatmate_bot::domain::MemberId;
                use $crate::{queries, store_error};
                let Some((id, local_date, seed, group)) =
                    sqlx::query_as::<$db, (i64, chrono::NaiveDate, i64, i64)>(queries::LATEST_GROUP)
                        .bind(community.0)
                        .bind(member.0)
                        .bind(date)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(store_error)?
                else {
                    return Ok(None);
                };
                let members = sqlx::query_scalar::<$db, i64>(queries::GROUP_MEMBERS)
                    .bind(id)
                    .bind(group)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?
                    .into_iter()
                    .map(MemberId)
                    .collect::<Vec<_>>();
                let round = seatmate_bot::store::Round { id, local_date, seed: seed as u64, groups: vec![members.clone()] };
                Ok(Some((round, members)))
            }

            async fn mark_met(
                &self,
                round: i64,
                member: seatmate_bot::domain::MemberId,
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<bool> {
                use $crate::{queries, store_error};
                let _gate = self.write_gate().await;
                let marked = sqlx::query::<$db>(queries::MARK_MET)
                    .bind(round)
                    .bind(member.0)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(store_error)?
                    .rows_affected();
                Ok(marked == 1)
            }

            async fn pairing_stats(
                &self,
                community: seatmate_bot::domain::CommunityId,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::PairingStats> {
                use $crate::{queries, store_error};
                let (rounds, placed, met) = sqlx::query_as::<$db, (i64, i64, i64)>(queries::PAIRING_STATS)
                    .bind(community.0)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(store_error)?;
                let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
                Ok(seatmate_bot::store::PairingStats { rounds: n(rounds), placed: n(placed), met: n(met) })
            }
        }
    };
}

/// Statements used by several methods, on any connection of `$db` (a pooled
/// one or a transaction's).
macro_rules! impl_helpers {
    ($store:ty, $db:ty, $conn:ty, $row_lock:expr) => {
        impl $store {
            async fn load_contact(
                conn: &mut $conn,
                member: i64,
            ) -> seatmate_bot::store::StoreResult<seatmate_bot::store::MemberContact> {
                use $crate::rows::{contact, ContactRow};
                use $crate::{queries, store_error};
                let rows = sqlx::query_as::<$db, ContactRow>(queries::CONTACT)
                    .bind(member)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(store_error)?;
                contact(rows)
            }

            /// One row of `sql` with two id parameters, converted to a core type.
            async fn fetch_optional<R, T>(
                conn: &mut $conn,
                sql: &str,
                a: i64,
                b: i64,
            ) -> seatmate_bot::store::StoreResult<Option<T>>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
                T: TryFrom<R, Error = seatmate_bot::store::StoreError>,
            {
                sqlx::query_as::<$db, R>(sql)
                    .bind(a)
                    .bind(b)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err($crate::store_error)?
                    .map(T::try_from)
                    .transpose()
            }

            async fn load_offer(
                conn: &mut $conn,
                community: i64,
                offer: i64,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::store::Offer>> {
                Self::fetch_optional::<$crate::rows::OfferRow, _>(conn, &$crate::queries::offer(), offer, community)
                    .await
            }

            async fn load_request(
                conn: &mut $conn,
                community: i64,
                request: i64,
            ) -> seatmate_bot::store::StoreResult<Option<seatmate_bot::store::SeatRequest>> {
                Self::fetch_optional::<$crate::rows::RequestRow, _>(
                    conn,
                    &$crate::queries::request(),
                    request,
                    community,
                )
                .await
            }

            /// The offer of a request, `NotFound` if the request is not the community's.
            async fn request_offer(
                conn: &mut $conn,
                community: i64,
                request: i64,
            ) -> seatmate_bot::store::StoreResult<i64> {
                use $crate::{queries, store_error};
                sqlx::query_scalar::<$db, i64>(queries::REQUEST_OFFER)
                    .bind(request)
                    .bind(community)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(store_error)?
                    .ok_or(seatmate_bot::store::StoreError::NotFound)
            }

            /// Locks the offer for a change to its requests; `None` if the
            /// community has no such offer.
            async fn lock_offer(
                conn: &mut $conn,
                community: i64,
                offer: i64,
            ) -> seatmate_bot::store::StoreResult<Option<i64>> {
                use $crate::{queries, store_error};
                sqlx::query_scalar::<$db, i64>(&(queries::LOCK_OFFER.to_string() + $row_lock))
                    .bind(offer)
                    .bind(community)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(store_error)
            }

            async fn set_state(
                conn: &mut $conn,
                request: i64,
                state: seatmate_bot::store::RequestState,
                now: chrono::DateTime<chrono::Utc>,
                reason: Option<&str>,
            ) -> seatmate_bot::store::StoreResult<()> {
                use $crate::{queries, store_error};
                sqlx::query::<$db>(queries::SET_REQUEST_STATE)
                    .bind(request)
                    .bind(state.as_str())
                    .bind(now)
                    .bind(reason)
                    .execute(&mut *conn)
                    .await
                    .map_err(store_error)?;
                Ok(())
            }

            async fn insert_outbox(
                conn: &mut $conn,
                messages: &[seatmate_bot::store::Outgoing],
                now: chrono::DateTime<chrono::Utc>,
            ) -> seatmate_bot::store::StoreResult<()> {
                use seatmate_bot::store::Target;
                use $crate::rows::outbox_body;
                use $crate::{queries, store_error};
                for message in messages {
                    let body = outbox_body(&message.body)?;
                    // Addressed now, inside the change's transaction: whoever
                    // hosts the space at this moment hears of it.
                    let query = match &message.target {
                        Target::Chat { platform, chat_id } => sqlx::query::<$db>(queries::INSERT_OUTBOX_CHAT)
                            .bind(message.community.0)
                            .bind(platform.as_str())
                            .bind(chat_id.clone()),
                        Target::Member(member) => sqlx::query::<$db>(queries::INSERT_OUTBOX_MEMBER)
                            .bind(message.community.0)
                            .bind(member.0),
                        Target::Keepers(space) => sqlx::query::<$db>(queries::INSERT_OUTBOX_KEEPERS)
                            .bind(message.community.0)
                            .bind(space.0),
                    };
                    let written = query.bind(body).bind(now).execute(&mut *conn).await.map_err(store_error)?;
                    if written.rows_affected() == 0 {
                        tracing::warn!(target = ?message.target, "nobody to send this message to");
                    }
                }
                Ok(())
            }
        }
    };
}

pub(crate) use impl_helpers;
pub(crate) use impl_store;
