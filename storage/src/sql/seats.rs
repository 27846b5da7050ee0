//! Seat offers and requests: every change reads the offer under its lock (`FOR
//! UPDATE` on PostgreSQL, the single writer on SQLite) and lets the core decide
//! there.

use super::{Db, RowsAffected as _};
use crate::rows::{contact, AdmissionRow, ContactRow, OfferRow, RequestRow};
use crate::{seat_queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, OfferId, RequestId};
use seatmate_bot::rules;
use seatmate_bot::store::{
    Admission, Admit, CancelOutcome, Cancellation, CreateOffer, DecideOutcome, Decision, MemberContact, NewOffer,
    Notices, Offer, Outgoing, Placed, RequestOutcome, RequestState, SeatRequest, Seats, StoreError, StoreResult,
    Subject, WithdrawOutcome, Withdrawal,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Seats for Db<B> {
    async fn create_offer(
        &self,
        offer: &NewOffer,
        announcements: &(dyn Fn(OfferId) -> Vec<Outgoing> + Send + Sync),
    ) -> StoreResult<CreateOffer> {
        use OfferId;
        let mut tx = self.0.begin().await?;
        Self::lock_space(tx.conn(), offer).await?;
        if let Some(existing) = Self::overlapping_offer(tx.conn(), offer).await? {
            return Ok(CreateOffer::Overlaps(existing));
        }
        let id = Self::insert_offer(tx.conn(), offer, None).await?;
        Self::insert_outbox(tx.conn(), &announcements(OfferId(id)), offer.now).await?;
        tx.commit().await?;
        Ok(CreateOffer::Created(OfferId(id)))
    }

    async fn offer(&self, community: CommunityId, offer: OfferId) -> StoreResult<Option<Offer>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        Self::load_offer(&mut conn, community.0, offer.0).await
    }

    async fn open_offers(&self, community: CommunityId, now: DateTime<Utc>) -> StoreResult<Vec<Offer>> {
        sqlx::query_as::<B::DB, OfferRow>(&seat_queries::open_offers())
            .bind(community.0)
            .bind(now)
            .fetch_all(self.0.pool())
            .await
            .stored()?
            .into_iter()
            .map(TryInto::try_into)
            .collect()
    }

    async fn request(&self, community: CommunityId, request: RequestId) -> StoreResult<Option<(SeatRequest, Offer)>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let Some(request) = Self::load_request(&mut conn, community.0, request.0).await? else {
            return Ok(None);
        };
        let offer = Self::load_offer(&mut conn, community.0, request.offer.0).await?;
        Ok(offer.map(|offer| (request, offer)))
    }

    async fn member_requests(
        &self,
        community: CommunityId,
        member: MemberId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(SeatRequest, Offer)>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let rows = sqlx::query_as::<B::DB, RequestRow>(&seat_queries::member_requests())
            .bind(community.0)
            .bind(member.0)
            .bind(now)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
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
        community: CommunityId,
        offer: OfferId,
    ) -> StoreResult<Vec<(SeatRequest, MemberContact)>> {
        use SeatRequest;
        let mut conn = self.0.pool().acquire().await.stored()?;
        let rows = sqlx::query_as::<B::DB, RequestRow>(&seat_queries::offer_requests())
            .bind(offer.0)
            .bind(community.0)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
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
        community: CommunityId,
        offer: OfferId,
        member: MemberId,
        now: DateTime<Utc>,
        admit: Admit<'_>,
        notices: Notices<'_, Placed>,
    ) -> StoreResult<Option<RequestOutcome>> {
        use RequestId;
        let mut tx = self.0.begin().await?;
        // Lock and read in one statement: this is the hot path.
        let Some(read) = sqlx::query_as::<B::DB, AdmissionRow>(&(seat_queries::admission() + B::ROW_LOCK))
            .bind(offer.0)
            .bind(community.0)
            .bind(member.0)
            .fetch_optional(tx.conn())
            .await
            .stored()?
        else {
            return Ok(None);
        };
        let (current, existing, profile) = read.split(member)?;
        let state = match admit(&current, existing.as_ref(), &profile) {
            Admission::Place(state) => state,
            Admission::Refuse(refusal) => {
                return Ok(Some(RequestOutcome::NotAdmitted {
                    offer: current,
                    request: existing,
                    refusal,
                }));
            }
        };
        let (id, number) = sqlx::query_as::<B::DB, (i64, i64)>(seat_queries::UPSERT_REQUEST)
            .bind(offer.0)
            .bind(community.0)
            .bind(member.0)
            .bind(state.as_str())
            .bind(now)
            .fetch_one(tx.conn())
            .await
            .stored()?;
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
            number: u32::try_from(number).unwrap_or_default(),
            member,
            state,
            position,
            requested_at: now,
            decided_at: None,
            claimed_at: None,
            reminded_eve_at: None,
            reminded_late_at: None,
            coming_at: None,
            reason: None,
        };
        let event = Placed {
            offer: after,
            request,
            profile,
        };
        Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
        tx.commit().await?;
        Ok(Some(RequestOutcome::Placed(event)))
    }

    async fn cancel_request(
        &self,
        community: CommunityId,
        request: RequestId,
        member: MemberId,
        now: DateTime<Utc>,
        notices: Notices<'_, Cancellation>,
    ) -> StoreResult<CancelOutcome> {
        let mut tx = self.0.begin().await?;
        let (current, mine) = Self::lock_request(tx.conn(), community.0, request.0).await?;
        if !rules::may_cancel(&current, &mine, member, now) {
            return Ok(CancelOutcome::Refused {
                offer: current,
                request: Some(mine),
            });
        }
        Self::set_state(tx.conn(), request.0, RequestState::Cancelled, now, None).await?;
        let mut promoted = None;
        if rules::cancelling_frees_a_seat(&mine) {
            promoted = Self::promote_first_waitlisted(tx.conn(), community.0, current.id.0, now).await?;
            if promoted.is_none() {
                Self::note_freed(tx.conn(), community.0, current.id.0, 1, now).await?;
            }
        }
        let after = Self::load_offer(tx.conn(), community.0, current.id.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        let cancelled = Self::load_request(tx.conn(), community.0, request.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::settle(tx.conn(), &[Subject::Request(cancelled.id)], now).await?;
        let event = Cancellation {
            offer: after,
            request: cancelled,
            promoted,
        };
        Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
        tx.commit().await?;
        Ok(CancelOutcome::Cancelled(event))
    }

    async fn decide_request(
        &self,
        community: CommunityId,
        request: RequestId,
        approve: bool,
        reason: Option<String>,
        now: DateTime<Utc>,
        notices: Notices<'_, Decision>,
    ) -> StoreResult<DecideOutcome> {
        let mut tx = self.0.begin().await?;
        let (current, pending) = Self::lock_request(tx.conn(), community.0, request.0).await?;
        if !rules::may_decide(&current, &pending, now) {
            return Ok(DecideOutcome::Refused {
                offer: current,
                request: Some(pending),
            });
        }
        let state = rules::decided_state(approve, &current);
        Self::set_state(tx.conn(), request.0, state, now, reason.as_deref()).await?;
        let decided = Self::load_request(tx.conn(), community.0, request.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        let after = Self::load_offer(tx.conn(), community.0, current.id.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        Self::settle(tx.conn(), &[Subject::Request(decided.id)], now).await?;
        let requester = Self::load_contact(tx.conn(), decided.member.0).await?;
        let event = Decision {
            offer: after,
            request: decided,
            requester,
        };
        Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
        tx.commit().await?;
        Ok(DecideOutcome::Decided(event))
    }

    async fn withdraw_offer(
        &self,
        community: CommunityId,
        offer: OfferId,
        now: DateTime<Utc>,
        notices: Notices<'_, Withdrawal>,
    ) -> StoreResult<WithdrawOutcome> {
        let mut tx = self.0.begin().await?;
        Self::lock_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = Self::load_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !rules::may_withdraw(&current, now) {
            return Ok(WithdrawOutcome::Refused { offer: current });
        }
        let active = sqlx::query_as::<B::DB, RequestRow>(&seat_queries::active_requests())
            .bind(offer.0)
            .fetch_all(tx.conn())
            .await
            .stored()?;
        let mut affected = Vec::with_capacity(active.len());
        for row in active {
            let request = SeatRequest::try_from(row)?;
            let contact = Self::load_contact(tx.conn(), request.member.0).await?;
            affected.push((request, contact));
        }
        sqlx::query::<B::DB>(seat_queries::WITHDRAW_OFFER)
            .bind(offer.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        sqlx::query::<B::DB>(seat_queries::WITHDRAW_REQUESTS)
            .bind(offer.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        let after = Self::load_offer(tx.conn(), community.0, offer.0)
            .await?
            .ok_or(StoreError::NotFound)?;
        let settled: Vec<Subject> = std::iter::once(Subject::Offer(offer))
            .chain(affected.iter().map(|(request, _)| Subject::Request(request.id)))
            .collect();
        Self::settle(tx.conn(), &settled, now).await?;
        let event = Withdrawal { offer: after, affected };
        Self::insert_outbox(tx.conn(), &notices(&event), now).await?;
        tx.commit().await?;
        Ok(WithdrawOutcome::Withdrawn(event))
    }
}

/// Statements several methods share, on any connection (a pooled one or a
/// transaction's).
#[over_backend]
impl<B> Db<B> {
    /// Locks the offer's space for writing offers; `NotFound` if the
    /// community has no such space.
    pub(crate) async fn lock_space(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        offer: &NewOffer,
    ) -> StoreResult<()> {
        let locked = sqlx::query::<B::DB>(seat_queries::LOCK_SPACE)
            .bind(offer.space.0)
            .bind(offer.community.0)
            .execute(&mut *conn)
            .await
            .stored()?
            .rows_affected();
        if locked == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// An open offer of the same space and day whose hours overlap.
    pub(crate) async fn overlapping_offer(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        offer: &NewOffer,
    ) -> StoreResult<Option<OfferId>> {
        let existing = sqlx::query_scalar::<B::DB, i64>(seat_queries::OVERLAPPING_OFFER)
            .bind(offer.space.0)
            .bind(offer.local_date)
            .bind(offer.starts_at)
            .bind(offer.ends_at)
            .fetch_optional(&mut *conn)
            .await
            .stored()?;
        Ok(existing.map(OfferId))
    }

    /// Writes an offer; a standing offer's day (`standing`) waits for its
    /// morning to be announced.
    pub(crate) async fn insert_offer(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        offer: &NewOffer,
        standing: Option<i64>,
    ) -> StoreResult<i64> {
        sqlx::query_scalar::<B::DB, i64>(seat_queries::INSERT_OFFER)
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
            .bind(offer.release_after.map(i64::from))
            .bind(standing)
            .bind(standing.is_some())
            .fetch_one(&mut *conn)
            .await
            .stored()
    }

    pub(crate) async fn load_contact(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        member: i64,
    ) -> StoreResult<MemberContact> {
        let rows = sqlx::query_as::<B::DB, ContactRow>(crate::queries::CONTACT)
            .bind(member)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        contact(rows)
    }

    /// One row of `sql` with two id parameters, converted to a core type.
    pub(crate) async fn fetch_optional<R, T>(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        sql: &str,
        a: i64,
        b: i64,
    ) -> StoreResult<Option<T>>
    where
        R: for<'r> sqlx::FromRow<'r, <B::DB as sqlx::Database>::Row> + Send + Unpin,
        T: TryFrom<R, Error = StoreError>,
    {
        sqlx::query_as::<B::DB, R>(sql)
            .bind(a)
            .bind(b)
            .fetch_optional(&mut *conn)
            .await
            .stored()?
            .map(T::try_from)
            .transpose()
    }

    pub(crate) async fn load_offer(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        offer: i64,
    ) -> StoreResult<Option<Offer>> {
        Self::fetch_optional::<crate::rows::OfferRow, _>(conn, &crate::seat_queries::offer(), offer, community).await
    }

    pub(crate) async fn load_request(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        request: i64,
    ) -> StoreResult<Option<SeatRequest>> {
        Self::fetch_optional::<crate::rows::RequestRow, _>(conn, &crate::seat_queries::request(), request, community)
            .await
    }

    /// The offer of a request, `NotFound` if the request is not the community's.
    pub(crate) async fn request_offer(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        request: i64,
    ) -> StoreResult<i64> {
        sqlx::query_scalar::<B::DB, i64>(seat_queries::REQUEST_OFFER)
            .bind(request)
            .bind(community)
            .fetch_optional(&mut *conn)
            .await
            .stored()?
            .ok_or(StoreError::NotFound)
    }

    /// Begins a change to a request: finds its offer, locks it, and reads
    /// both; `NotFound` if the community has no such request.
    pub(crate) async fn lock_request(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        request: i64,
    ) -> StoreResult<(Offer, SeatRequest)> {
        let offer = Self::request_offer(conn, community, request).await?;
        Self::lock_offer(conn, community, offer)
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = Self::load_offer(conn, community, offer)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mine = Self::load_request(conn, community, request)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((current, mine))
    }

    /// Locks the offer for a change to its requests; `None` if the
    /// community has no such offer.
    pub(crate) async fn lock_offer(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        offer: i64,
    ) -> StoreResult<Option<i64>> {
        sqlx::query_scalar::<B::DB, i64>(&(seat_queries::LOCK_OFFER.to_string() + B::ROW_LOCK))
            .bind(offer)
            .bind(community)
            .fetch_optional(&mut *conn)
            .await
            .stored()
    }

    /// Gives the first waitlisted request of the offer a seat; who moved
    /// up, if anyone waited. The offer is locked.
    pub(crate) async fn promote_first_waitlisted(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: i64,
        offer: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(SeatRequest, MemberContact)>> {
        let Some(next) = sqlx::query_scalar::<B::DB, i64>(seat_queries::FIRST_WAITLISTED)
            .bind(offer)
            .fetch_optional(&mut *conn)
            .await
            .stored()?
        else {
            return Ok(None);
        };
        Self::set_state(conn, next, RequestState::Confirmed, now, None).await?;
        let next = Self::load_request(conn, community, next)
            .await?
            .ok_or(StoreError::NotFound)?;
        let contact = Self::load_contact(conn, next.member.0).await?;
        Ok(Some((next, contact)))
    }

    pub(crate) async fn set_state(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        request: i64,
        state: RequestState,
        now: DateTime<Utc>,
        reason: Option<&str>,
    ) -> StoreResult<()> {
        sqlx::query::<B::DB>(seat_queries::SET_REQUEST_STATE)
            .bind(request)
            .bind(state.as_str())
            .bind(now)
            .bind(reason)
            .execute(&mut *conn)
            .await
            .stored()?;
        Ok(())
    }
}
