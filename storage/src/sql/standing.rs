//! Standing offers and their single offers, one per day.

use super::{Db, RowsAffected as _};
use crate::rows::StandingRow;
use crate::standing_queries as q;
use crate::Stored as _;
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, OfferId, PairingDays, SpaceId, SpaceSlug};
use seatmate_bot::store::{
    CreateDay, NewOffer, NewStandingOffer, Notices, Offer, Outgoing, StandingOffer, StandingOffers, StandingRequest,
    StoreError, StoreResult,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> StandingOffers for Db<B> {
    async fn create_standing_offer(&self, new: &NewStandingOffer) -> StoreResult<i64> {
        let mut tx = self.0.begin().await?;
        let (last, before) = B::NEXT_OFFER_NUMBER.split_last().ok_or(StoreError::NotFound)?;
        for statement in before {
            sqlx::query::<B::DB>(statement).execute(tx.conn()).await.stored()?;
        }
        let id = sqlx::query_scalar::<B::DB, i64>(last)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        sqlx::query::<B::DB>(q::INSERT_STANDING)
            .bind(id)
            .bind(new.community.0)
            .bind(new.space.0)
            .bind(new.host.0)
            .bind(i64::from(new.seats.get()))
            .bind(new.days.to_string())
            .bind(new.window.map(|w| w.start.to_string()))
            .bind(new.window.map(|w| w.end.to_string()))
            .bind(new.until)
            .bind(new.note.as_str())
            .bind(new.now)
            .execute(tx.conn())
            .await
            .stored()?;
        tx.commit().await?;
        Ok(id)
    }

    async fn standing_offers(&self, community: Option<CommunityId>) -> StoreResult<Vec<StandingOffer>> {
        let rows = match community {
            Some(community) => {
                sqlx::query_as::<B::DB, StandingRow>(&q::standing_of_community())
                    .bind(community.0)
                    .fetch_all(self.0.pool())
                    .await
            }
            None => {
                sqlx::query_as::<B::DB, StandingRow>(&q::all_standing())
                    .fetch_all(self.0.pool())
                    .await
            }
        }
        .stored()?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn end_standing_offer(&self, community: CommunityId, standing: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let _gate = self.0.write_gate().await;
        let ended = sqlx::query::<B::DB>(q::END_STANDING)
            .bind(standing)
            .bind(community.0)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(ended > 0)
    }

    async fn create_standing_day(
        &self,
        standing: i64,
        offer: &NewOffer,
        on_skip: &(dyn Fn(OfferId) -> Vec<Outgoing> + Send + Sync),
    ) -> StoreResult<CreateDay> {
        // Most ticks find the day made: that takes no write transaction.
        let made = |conn| {
            sqlx::query_scalar::<B::DB, i64>(q::STANDING_DAY)
                .bind(standing)
                .bind(offer.local_date)
                .fetch_optional(conn)
        };
        if made(self.0.pool()).await.stored()?.is_some() {
            return Ok(CreateDay::Exists);
        }
        let mut tx = self.0.begin().await?;
        Self::lock_space(tx.conn(), offer).await?;
        if sqlx::query_scalar::<B::DB, i64>(q::STANDING_DAY)
            .bind(standing)
            .bind(offer.local_date)
            .fetch_optional(tx.conn())
            .await
            .stored()?
            .is_some()
        {
            return Ok(CreateDay::Exists);
        }
        if let Some(existing) = Self::overlapping_offer(tx.conn(), offer).await? {
            let first_time = sqlx::query_scalar::<B::DB, i64>(q::SKIP_DAY)
                .bind(standing)
                .bind(offer.local_date)
                .fetch_optional(tx.conn())
                .await
                .stored()?
                .is_some();
            if first_time {
                Self::insert_outbox(tx.conn(), &on_skip(existing), offer.now).await?;
            }
            tx.commit().await?;
            return Ok(CreateDay::Overlaps { existing, first_time });
        }
        let id = Self::insert_offer(tx.conn(), offer, Some(standing)).await?;
        tx.commit().await?;
        Ok(CreateDay::Created(OfferId(id)))
    }

    async fn days_to_come(
        &self,
        community: CommunityId,
        standing: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<OfferId>> {
        let ids = sqlx::query_scalar::<B::DB, i64>(q::STANDING_DAYS)
            .bind(community.0)
            .bind(standing)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        Ok(ids.into_iter().map(OfferId).collect())
    }

    async fn offers_to_announce(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<(CommunityId, Offer)>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let found = sqlx::query_as::<B::DB, (i64, i64)>(q::TO_ANNOUNCE)
            .bind(now)
            .bind(until)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        let mut out = Vec::with_capacity(found.len());
        for (community, offer) in found {
            if let Some(offer) = Self::load_offer(&mut conn, community, offer).await? {
                out.push((CommunityId(community), offer));
            }
        }
        Ok(out)
    }

    async fn announce_offer(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        announcements: Notices<'_, Offer>,
    ) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        let marked = sqlx::query::<B::DB>(q::MARK_ANNOUNCED)
            .bind(offer.0)
            .bind(community.0)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        if marked == 0 {
            return Ok(false);
        }
        let current = Self::load_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::insert_outbox(tx.conn(), &announcements(&current), now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn set_standing_request(
        &self,
        community: CommunityId,
        member: MemberId,
        space: SpaceId,
        days: PairingDays,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.0.begin().await?;
        sqlx::query::<B::DB>(q::END_STANDING_REQUEST)
            .bind(community.0)
            .bind(member.0)
            .bind(space.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        sqlx::query::<B::DB>(q::INSERT_STANDING_REQUEST)
            .bind(community.0)
            .bind(member.0)
            .bind(space.0)
            .bind(days.to_string())
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_standing_request(
        &self,
        community: CommunityId,
        member: MemberId,
        space: SpaceId,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _gate = self.0.write_gate().await;
        let ended = sqlx::query::<B::DB>(q::END_STANDING_REQUEST)
            .bind(community.0)
            .bind(member.0)
            .bind(space.0)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(ended > 0)
    }

    async fn standing_requests(&self, member: Option<MemberId>) -> StoreResult<Vec<StandingRequest>> {
        let rows = match member {
            Some(member) => {
                sqlx::query_as::<B::DB, (i64, i64, i64, String, String)>(&q::standing_requests_of_member())
                    .bind(member.0)
                    .fetch_all(self.0.pool())
                    .await
            }
            None => {
                sqlx::query_as::<B::DB, (i64, i64, i64, String, String)>(&q::all_standing_requests())
                    .fetch_all(self.0.pool())
                    .await
            }
        }
        .stored()?;
        rows.into_iter()
            .map(|(community, member, space, slug, days)| {
                Ok(StandingRequest {
                    community: CommunityId(community),
                    member: MemberId(member),
                    space: SpaceId(space),
                    space_slug: SpaceSlug::parse(&slug).map_err(|e| crate::rows::corrupt("space slug", e))?,
                    days: PairingDays::parse(&days).map_err(|e| crate::rows::corrupt("days", e))?,
                })
            })
            .collect()
    }

    async fn offers_to_ask(&self, request: &StandingRequest, now: DateTime<Utc>) -> StoreResult<Vec<Offer>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let ids = sqlx::query_scalar::<B::DB, i64>(q::OFFERS_TO_ASK)
            .bind(request.community.0)
            .bind(request.space.0)
            .bind(request.member.0)
            .bind(now)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        let mut offers = Vec::with_capacity(ids.len());
        for id in ids {
            offers.extend(Self::load_offer(&mut conn, request.community.0, id).await?);
        }
        Ok(offers)
    }
}
