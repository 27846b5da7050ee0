//! Questions to the room: asked once a member, the first helper wins.

use super::{Db, RowsAffected as _};
use crate::question_queries as q;
use crate::rows::{pool, PoolRow};
use crate::Stored as _;
use chrono::{DateTime, NaiveDate, Utc};
use seatmate_bot::domain::{CommunityId, MemberId};
use seatmate_bot::store::{
    Answer, Answered, Asked, Closing, NewQuestion, Outgoing, PoolEntry, Question, QuestionAnswer, Questions,
    StoreResult, Subject,
};
use seatmate_over_backend::over_backend;

type QuestionRow = (
    i64,
    i64,
    Option<i64>,
    String,
    DateTime<Utc>,
    Option<i64>,
    Option<DateTime<Utc>>,
);

#[over_backend]
impl<B> Db<B> {
    /// A question of the community and whom it asked, read on `conn`.
    async fn load_question(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        community: CommunityId,
        id: i64,
    ) -> StoreResult<Option<Question>> {
        let Some(row) = sqlx::query_as::<B::DB, QuestionRow>(&q::question())
            .bind(id)
            .bind(community.0)
            .fetch_optional(&mut *conn)
            .await
            .stored()?
        else {
            return Ok(None);
        };
        let mut question = question_of(row);
        question.asked = Self::asked(conn, id).await?;
        Ok(Some(question))
    }

    async fn asked(
        conn: &mut <B::DB as sqlx::Database>::Connection,
        id: i64,
    ) -> StoreResult<Vec<(MemberId, Option<Answer>)>> {
        let rows = sqlx::query_as::<B::DB, (i64, Option<String>)>(q::QUESTION_ASKS)
            .bind(id)
            .fetch_all(conn)
            .await
            .stored()?;
        Ok(rows
            .into_iter()
            .map(|(m, a)| (MemberId(m), a.as_deref().and_then(Answer::parse)))
            .collect())
    }
}

fn question_of((id, community, asker, text, created_at, helper, closed_at): QuestionRow) -> Question {
    Question {
        id,
        community: CommunityId(community),
        asker: asker.map(MemberId),
        text,
        created_at,
        helper: helper.map(MemberId),
        closed_at,
        asked: Vec::new(),
    }
}

#[over_backend]
#[async_trait::async_trait]
impl<B> Questions for Db<B> {
    async fn ask_question(
        &self,
        new: &NewQuestion,
        per_day: u32,
        messages: &(dyn Fn(i64) -> Vec<Outgoing> + Send + Sync),
    ) -> StoreResult<Asked> {
        let mut tx = self.0.begin().await?;
        Self::exec(tx.conn(), q::LOCK_ASKER, &[new.asker.0]).await?;
        let asked = sqlx::query_scalar::<B::DB, i64>(q::ASKED_ON)
            .bind(new.asker.0)
            .bind(new.community.0)
            .bind(new.local_date)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        if asked >= i64::from(per_day) {
            return Ok(Asked::TooMany);
        }
        let id = sqlx::query_scalar::<B::DB, i64>(q::INSERT_QUESTION)
            .bind(new.community.0)
            .bind(new.asker.0)
            .bind(new.text.as_str())
            .bind(new.local_date)
            .bind(new.now)
            .fetch_one(tx.conn())
            .await
            .stored()?;
        for member in &new.asked {
            sqlx::query::<B::DB>(q::INSERT_ASK)
                .bind(id)
                .bind(member.0)
                .bind(new.now)
                .execute(tx.conn())
                .await
                .stored()?;
        }
        Self::insert_outbox(tx.conn(), &messages(id), new.now).await?;
        tx.commit().await?;
        Ok(Asked::Asked(id))
    }

    async fn question(&self, community: CommunityId, id: i64) -> StoreResult<Option<Question>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        Self::load_question(&mut conn, community, id).await
    }

    async fn answer_question(
        &self,
        given: &QuestionAnswer,
        if_helped: &[Outgoing],
        if_all_passed: &[Outgoing],
    ) -> StoreResult<Answered> {
        let QuestionAnswer {
            community,
            question: id,
            member,
            answer,
            now,
        } = *given;
        let mut tx = self.0.begin().await?;
        if Self::exec(tx.conn(), q::LOCK_QUESTION, &[id, community.0]).await? == 0 {
            return Ok(Answered::NotAsked);
        }
        let Some(question) = Self::load_question(tx.conn(), community, id).await? else {
            return Ok(Answered::NotAsked);
        };
        let Some(before) = question.answer_of(member) else {
            return Ok(Answered::NotAsked);
        };
        if let Some(by) = question.helper {
            return Ok(Answered::HelpedBefore { by });
        }
        if question.closed_at.is_some() {
            return Ok(Answered::Closed);
        }
        let record = |tx_conn| {
            sqlx::query::<B::DB>(q::RECORD_ANSWER)
                .bind(id)
                .bind(member.0)
                .bind(answer.as_str())
                .bind(now)
                .execute(tx_conn)
        };
        match answer {
            Answer::Help => {
                let took = sqlx::query::<B::DB>(q::TAKE_HELP)
                    .bind(id)
                    .bind(community.0)
                    .bind(member.0)
                    .bind(now)
                    .execute(tx.conn())
                    .await
                    .stored()?
                    .rows_affected();
                if took == 0 {
                    // Unreachable under the lock; said as it stands all the same.
                    return Ok(Answered::Closed);
                }
                record(tx.conn()).await.stored()?;
                Self::settle(tx.conn(), &[Subject::Question(id)], now).await?;
                Self::insert_outbox(tx.conn(), if_helped, now).await?;
                tx.commit().await?;
                Ok(Answered::Helped)
            }
            Answer::NotNow => {
                if before == Some(Answer::NotNow) {
                    return Ok(Answered::Passed);
                }
                record(tx.conn()).await.stored()?;
                let undecided = sqlx::query_scalar::<B::DB, i64>(q::UNDECIDED)
                    .bind(id)
                    .fetch_one(tx.conn())
                    .await
                    .stored()?;
                if undecided == 0 {
                    Self::insert_outbox(tx.conn(), if_all_passed, now).await?;
                }
                tx.commit().await?;
                Ok(Answered::Passed)
            }
        }
    }

    async fn close_question(
        &self,
        community: CommunityId,
        asker: MemberId,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Closing> {
        let mut tx = self.0.begin().await?;
        Self::exec(tx.conn(), q::LOCK_QUESTION, &[id, community.0]).await?;
        let Some(question) = Self::load_question(tx.conn(), community, id).await? else {
            return Ok(Closing::NotFound);
        };
        if question.asker != Some(asker) {
            return Ok(Closing::NotFound);
        }
        if let Some(by) = question.helper {
            return Ok(Closing::Helped { by });
        }
        if question.closed_at.is_some() {
            return Ok(Closing::AlreadyClosed);
        }
        sqlx::query::<B::DB>(q::CLOSE_QUESTION)
            .bind(id)
            .bind(community.0)
            .bind(asker.0)
            .bind(now)
            .execute(tx.conn())
            .await
            .stored()?;
        Self::settle(tx.conn(), &[Subject::Question(id)], now).await?;
        tx.commit().await?;
        Ok(Closing::Closed)
    }

    async fn open_questions(&self, community: CommunityId, asker: MemberId) -> StoreResult<Vec<Question>> {
        let mut conn = self.0.pool().acquire().await.stored()?;
        let rows = sqlx::query_as::<B::DB, QuestionRow>(&q::open_questions())
            .bind(community.0)
            .bind(asker.0)
            .fetch_all(&mut *conn)
            .await
            .stored()?;
        let mut questions = Vec::with_capacity(rows.len());
        for row in rows {
            let mut question = question_of(row);
            question.asked = Self::asked(&mut conn, question.id).await?;
            questions.push(question);
        }
        Ok(questions)
    }

    async fn ask_candidates(
        &self,
        community: CommunityId,
        asker: MemberId,
        date: NaiveDate,
    ) -> StoreResult<Vec<PoolEntry>> {
        let rows = sqlx::query_as::<B::DB, PoolRow>(q::ASK_CANDIDATES)
            .bind(community.0)
            .bind(date)
            .bind(asker.0)
            .fetch_all(self.0.pool())
            .await
            .stored()?;
        pool(rows)
    }

    async fn takes_questions(&self, member: MemberId) -> StoreResult<bool> {
        let on = sqlx::query_scalar::<B::DB, bool>(q::TAKES_QUESTIONS)
            .bind(member.0)
            .fetch_optional(self.0.pool())
            .await
            .stored()?;
        Ok(on.unwrap_or(true))
    }

    async fn set_takes_questions(&self, member: MemberId, on: bool) -> StoreResult<()> {
        let _gate = self.0.write_gate().await;
        sqlx::query::<B::DB>(q::SET_TAKES_QUESTIONS)
            .bind(member.0)
            .bind(on)
            .execute(self.0.pool())
            .await
            .stored()?;
        Ok(())
    }
}
