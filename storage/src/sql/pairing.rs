//! Daily introductions: settings, preferences, pools, rounds.

use super::{Db, RowsAffected as _};
use crate::rows::{groups, pool, PoolRow, RoundRow, SettingsRow};
use crate::{queries, Stored as _};
use chrono::{DateTime, Utc};
use seatmate_bot::domain::{CommunityId, MemberId, PairingSettings};
use seatmate_bot::store::{
    CreateRound, NewRound, Outgoing, Pairing, PairingPrefs, PairingStats, PastPair, PoolEntry, Round, StoreError,
    StoreResult,
};
use seatmate_over_backend::over_backend;

#[over_backend]
#[async_trait::async_trait]
impl<B> Pairing for Db<B> {
    async fn pairing_settings(&self, community: CommunityId) -> StoreResult<PairingSettings> {
        sqlx::query_as::<B::DB, SettingsRow>(queries::PAIRING_SETTINGS)
            .bind(community.0)
            .fetch_one(self.0.pool())
            .await
            .stored()?
            .try_into()
    }

    async fn set_pairing_settings(&self, community: CommunityId, settings: &PairingSettings) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(queries::SET_PAIRING_SETTINGS)
            .bind(community.0)
            .bind(settings.time.to_string())
            .bind(settings.days.to_string())
            .bind(i64::from(settings.history_weeks))
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }

    async fn pairing_prefs(&self, community: CommunityId, member: MemberId) -> StoreResult<PairingPrefs> {
        let row = sqlx::query_as::<B::DB, (bool, Option<chrono::NaiveDate>)>(queries::PAIRING_PREFS)
            .bind(community.0)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?;
        Ok(row
            .map(|(opted_in, paused_until)| PairingPrefs { opted_in, paused_until })
            .unwrap_or_default())
    }

    async fn set_pairing_prefs(
        &self,
        community: CommunityId,
        member: MemberId,
        prefs: &PairingPrefs,
    ) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        let updated = sqlx::query::<B::DB>(queries::SET_PAIRING_PREFS)
            .bind(community.0)
            .bind(member.0)
            .bind(prefs.opted_in)
            .bind(prefs.paused_until)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn pairing_pool(
        &self,
        community: CommunityId,
        date: chrono::NaiveDate,
        active_since: DateTime<Utc>,
    ) -> StoreResult<Vec<PoolEntry>> {
        let rows = sqlx::query_as::<B::DB, PoolRow>(queries::PAIRING_POOL)
            .bind(community.0)
            .bind(date)
            .bind(active_since)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        pool(rows)
    }

    async fn pair_history(&self, community: CommunityId, since: chrono::NaiveDate) -> StoreResult<Vec<PastPair>> {
        use MemberId;
        let rows = sqlx::query_as::<B::DB, (i64, i64, chrono::NaiveDate)>(queries::PAIR_HISTORY)
            .bind(community.0)
            .bind(since)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        Ok(rows
            .into_iter()
            .map(|(a, b, date)| PastPair {
                a: MemberId(a),
                b: MemberId(b),
                date,
            })
            .collect())
    }

    async fn create_round(&self, round: &NewRound, messages: &[Outgoing]) -> StoreResult<CreateRound> {
        use CreateRound;
        /// Group members written per statement (3 parameters each).
        const CHUNK: usize = 300;
        let mut tx = self.0.begin().await?;
        let Some(id) = sqlx::query_scalar::<B::DB, i64>(queries::INSERT_ROUND)
            .bind(round.community.0)
            .bind(round.local_date)
            .bind(round.seed as i64)
            .bind(round.trigger.as_str())
            .bind(round.now)
            .fetch_optional(tx.conn())
            .await
            .stored()?
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
            let mut query = sqlx::query::<B::DB>(&sql);
            for &(member, group) in chunk {
                query = query.bind(id).bind(member).bind(group);
            }
            query.execute(tx.conn()).await.stored()?;
        }
        Self::insert_outbox(tx.conn(), messages, round.now).await?;
        tx.commit().await?;
        Ok(CreateRound::Created(id))
    }

    async fn round(&self, community: CommunityId, date: chrono::NaiveDate) -> StoreResult<Option<Round>> {
        let Some(row) = sqlx::query_as::<B::DB, RoundRow>(queries::ROUND)
            .bind(community.0)
            .bind(date)
            .fetch_optional(self.0.pool())
            .await
            .stored()?
        else {
            return Ok(None);
        };
        let placements = sqlx::query_as::<B::DB, (i64, i64)>(queries::ROUND_GROUPS)
            .bind(row.id)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        Ok(Some(Round {
            id: row.id,
            local_date: row.local_date,
            seed: row.seed as u64,
            groups: groups(placements),
        }))
    }

    async fn latest_group(
        &self,
        community: CommunityId,
        member: MemberId,
        date: chrono::NaiveDate,
    ) -> StoreResult<Option<(Round, Vec<MemberId>)>> {
        use MemberId;
        let Some((id, local_date, seed, group)) =
            sqlx::query_as::<B::DB, (i64, chrono::NaiveDate, i64, i64)>(queries::LATEST_GROUP)
                .bind(community.0)
                .bind(member.0)
                .bind(date)
                .fetch_optional(self.0.pool())
                .await
                .stored()?
        else {
            return Ok(None);
        };
        let members = sqlx::query_scalar::<B::DB, i64>(queries::GROUP_MEMBERS)
            .bind(id)
            .bind(group)
            .fetch_all(self.0.pool())
            .await
            .stored()?
            .into_iter()
            .map(MemberId)
            .collect::<Vec<_>>();
        let round = Round {
            id,
            local_date,
            seed: seed as u64,
            groups: vec![members.clone()],
        };
        Ok(Some((round, members)))
    }

    async fn mark_met(&self, round: i64, member: MemberId, now: DateTime<Utc>) -> StoreResult<bool> {
        let _gate = self.0.write_gate().await;
        let marked = sqlx::query::<B::DB>(queries::MARK_MET)
            .bind(round)
            .bind(member.0)
            .bind(now)
            .execute(self.0.pool())
            .await
            .stored()?
            .rows_affected();
        Ok(marked == 1)
    }

    async fn pairing_stats(&self, community: CommunityId) -> StoreResult<PairingStats> {
        let (rounds, placed, met) = sqlx::query_as::<B::DB, (i64, i64, i64)>(queries::PAIRING_STATS)
            .bind(community.0)
            .fetch_one(self.0.pool())
            .await
            .stored()?;
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        Ok(PairingStats {
            rounds: n(rounds),
            placed: n(placed),
            met: n(met),
        })
    }
}
