//! Seats that are used: the release rule per space and offer, claims, and
//! releases, each change to a seat under its offer's lock (as every seat
//! change is, see `seats`), so a check-in and a release of the same seat
//! never both win: whichever takes the lock second sees the other's work.

use super::{Db, RowsAffected as _};
use crate::rows::RequestRow;
use crate::seat_use_queries as q;
use crate::Stored as _;
use chrono::{DateTime, NaiveDate, Utc};
use seatmate_bot::domain::RequestId;
use seatmate_bot::domain::{CommunityId, MemberId, OfferId, SpaceId};
use seatmate_bot::rules::reminders::Reminder;
use seatmate_bot::store::{
    Claims, Due, FreedSeats, Notices, Offer, Outgoing, Release, RequestState, SeatRequest, SeatUse, StoreError,
    StoreResult, Subject,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> SeatUse for Db<B> {
    async fn set_release_after(
        &self,
        community: CommunityId,
        space: SpaceId,
        minutes: Option<u32>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let minutes = minutes.map(i64::from);
        let mut tx = self.0.begin().await?;
        let changed = sqlx::query::<B::DB>(q::SET_SPACE_RELEASE_AFTER)
            .bind(space.0)
            .bind(community.0)
            .bind(minutes)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query::<B::DB>(q::SET_OFFERS_RELEASE_AFTER)
            .bind(space.0)
            .bind(minutes)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        tx.commit().await?;
        Ok(())
    }

    async fn claim_seats(
        &self,
        community: CommunityId,
        member: MemberId,
        space: SpaceId,
        date: NaiveDate,
        now: DateTime<Utc>,
        claims: Claims<'_>,
    ) -> StoreResult<Vec<(SeatRequest, Offer)>> {
        let seats = || {
            sqlx::query_scalar::<B::DB, i64>(q::SEATS_THERE)
                .bind(community.0)
                .bind(member.0)
                .bind(space.0)
                .bind(date)
        };
        // Most check-ins hold no seat: those take no write transaction.
        if seats().fetch_all(self.0.pool()).await.stored()?.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.0.begin().await?;
        let ids = seats().fetch_all(tx.conn()).await.stored()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let (offer, mut request) = Self::lock_request(tx.conn(), community.0, id).await?;
            if request.state == RequestState::Confirmed && request.claimed_at.is_none() && claims(&offer) {
                sqlx::query::<B::DB>(q::CLAIM_SEAT)
                    .bind(id)
                    .bind(now)
                    .execute(tx.conn())
                    .await
                    .stored()?;
                request.claimed_at = Some(now);
            }
            out.push((request, offer));
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn unclaimed_seats(&self, now: DateTime<Utc>) -> StoreResult<Vec<(CommunityId, Offer, Vec<SeatRequest>)>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let offers = sqlx::query_as::<B::DB, (i64, i64)>(&q::offers_with_unclaimed_seats())
            .bind(now)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        let mut out = Vec::with_capacity(offers.len());
        for (community, offer) in offers {
            let Some(loaded) = Self::load_offer(&mut conn, community, offer).await? else {
                continue;
            };
            let seats = Self::unclaimed_of(&mut conn, offer).await?;
            out.push((CommunityId(community), loaded, seats));
        }
        Ok(out)
    }

    async fn release_seats(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        due: Due<'_>,
        notices: Notices<'_, Release>,
    ) -> StoreResult<Option<Release>> {
        let mut tx = self.0.begin().await?;
        if Self::lock_offer(tx.conn(), community.0, offer.0).await?.is_none() {
            return Ok(None);
        }
        let current = Self::load_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        let due: Vec<SeatRequest> = Self::unclaimed_of(tx.conn(), offer.0)
            .await?
            .into_iter()
            .filter(|request| due(&current, request))
            .collect();
        if due.is_empty() {
            return Ok(None);
        }
        let mut released = Vec::with_capacity(due.len());
        for request in due {
            Self::set_state(tx.conn(), request.id.0, RequestState::Released, now, None).await?;
            let request = Self::load_request(tx.conn(), community.0, request.id.0)
                .await?
                .ok_or(StoreError::NotFound)?;
            let contact = Self::load_contact(tx.conn(), request.member.0).await?;
            released.push((request, contact));
        }
        let mut promoted = Vec::new();
        let mut after = Self::load_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        while after.seats_left() > 0 {
            let Some(moved_up) = Self::promote_first_waitlisted(tx.conn(), community.0, offer.0, now).await? else {
                break;
            };
            promoted.push(moved_up);
            after = Self::load_offer(tx.conn(), community.0, offer.0)
                .await?
                .ok_or(StoreError::NotFound)?;
        }
        let freed = released.len().saturating_sub(promoted.len());
        if freed > 0 {
            Self::note_freed(tx.conn(), community.0, offer.0, freed, now).await?;
        }
        let settled: Vec<Subject> = released.iter().map(|(r, _)| Subject::Request(r.id)).collect();
        Self::settle(tx.conn(), &settled, now).await?;
        let event = Release {
            offer: after,
            released,
            promoted,
        };
        Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
        tx.commit().await?;
        Ok(Some(event))
    }

    async fn seats_to_remind(
        &self,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<(CommunityId, Offer, SeatRequest)>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let found = sqlx::query_as::<B::DB, (i64, i64, i64)>(q::SEATS_TO_REMIND)
            .bind(now)
            .bind(until)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        let mut out: Vec<(CommunityId, Offer, SeatRequest)> = Vec::with_capacity(found.len());
        for (community, offer, request) in found {
            let offer = match out.last() {
                Some((_, last, _)) if last.id.0 == offer => last.clone(),
                _ => match Self::load_offer(&mut conn, community, offer).await? {
                    Some(offer) => offer,
                    None => continue,
                },
            };
            if let Some(request) = Self::load_request(&mut conn, community, request).await? {
                out.push((CommunityId(community), offer, request));
            }
        }
        Ok(out)
    }

    async fn remind(
        &self,
        request: RequestId,
        kind: Reminder,
        now: DateTime<Utc>,
        notice: &Outgoing,
    ) -> StoreResult<bool> {
        let stamp = match kind {
            Reminder::Eve => q::STAMP_EVE_REMINDER,
            Reminder::Late => q::STAMP_LATE_REMINDER,
        };
        let mut tx = self.0.begin().await?;
        let stamped = sqlx::query::<B::DB>(stamp)
            .bind(request.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?
            .rows_affected();
        if stamped == 0 {
            return Ok(false);
        }
        Self::insert_outbox(tx.conn(), std::slice::from_ref(notice), now).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn mark_coming(&self, request: RequestId, now: DateTime<Utc>) -> StoreResult<bool> {
        let _gate = self.0.write_gate().await;
        let marked = sqlx::query::<B::DB>(q::MARK_COMING)
            .bind(request.0)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(marked > 0)
    }

    async fn freed_seats(&self) -> StoreResult<Vec<FreedSeats>> {
        type Row = (i64, i64, i64, i64, DateTime<Utc>, Option<DateTime<Utc>>);
        let mut conn = self.0.pool().acquire().await.stored()?;
        let rows = sqlx::query_as::<B::DB, Row>(q::FREED_SEATS)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        let mut out: Vec<FreedSeats> = Vec::new();
        for (id, community, offer, seats, at, last_line) in rows {
            let seats = u32::try_from(seats).unwrap_or_default();
            if let Some(same) = out.last_mut().filter(|f| f.offer.id.0 == offer) {
                same.freed.push((id, seats, at));
                continue;
            }
            if let Some(loaded) = Self::load_offer(&mut conn, community, offer).await? {
                out.push(FreedSeats {
                    community: CommunityId(community),
                    offer: loaded,
                    last_line,
                    freed: vec![(id, seats, at)],
                });
            }
        }
        Ok(out)
    }

    async fn announce_freed(
        &self,
        community: CommunityId,
        offer: OfferId,
        upto: i64,
        now: DateTime<Utc>,
        line: Notices<'_, Offer>,
    ) -> StoreResult<bool> {
        let mut tx = self.0.begin().await?;
        if Self::lock_offer(tx.conn(), community.0, offer.0).await?.is_none() {
            return Ok(false);
        }
        let current = Self::load_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        sqlx::query::<B::DB>(q::FORGET_FREED)
            .bind(offer.0)
            .bind(upto)
            .execute(tx.conn())
            .await
            .stored()?;
        let messages = line(&current);
        if !messages.is_empty() {
            sqlx::query::<B::DB>(q::STAMP_FREED_LINE)
                .bind(offer.0)
                .bind(now)
                .execute(tx.conn())
                .await
                .stored()?;
            Self::insert_outbox(tx.conn(), &messages, now).await?;
        }
        tx.commit().await?;
        Ok(!messages.is_empty())
    }

    async fn seat_reminders(&self, member: MemberId) -> StoreResult<bool> {
        sqlx::query_scalar::<B::DB, bool>(q::SEAT_REMINDERS)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?
            .ok_or(StoreError::NotFound)
    }

    async fn set_seat_reminders(&self, member: MemberId, on: bool) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(q::SET_SEAT_REMINDERS)
            .bind(member.0)
            .bind(on)
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }
}

#[over_backend]
impl<B> Db<B> {
    /// Notes `seats` freed on the offer with nobody waiting, in the
    /// transaction that freed them (see `SeatUse::freed_seats`).
    pub(crate) async fn note_freed(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        offer: i64,
        seats: usize,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query::<B::DB>(q::INSERT_FREED)
            .bind(offer)
            .bind(community)
            .bind(i64::try_from(seats).unwrap_or(i64::MAX))
            .bind(now)
            .execute(&mut *conn)
            .await
            .stored()?;
        Ok(())
    }

    async fn unclaimed_of(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        offer: i64,
    ) -> StoreResult<Vec<SeatRequest>> {
        sqlx::query_as::<B::DB, RequestRow>(&q::unclaimed_seats_of())
            .bind(offer)
            .fetch_all(&mut *conn)
            .await
            .stored()?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }
}
