//! Questions to the room (`/ask`, see `commands::ask`): who was asked, and
//! who helped first.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use super::*;
use crate::domain::{CommunityId, MemberId};

#[async_trait]
pub trait Questions: Send + Sync {
    /// Writes the question, a row for each member it asks, and the messages
    /// `messages` makes of its number, unless its asker asked `per_day`
    /// questions in the community on its local date already: `TooMany`,
    /// nothing written. Under the asker's lock, so the limit holds however
    /// many processes take their questions.
    async fn ask_question(
        &self,
        new: &NewQuestion,
        per_day: u32,
        messages: &(dyn Fn(i64) -> Vec<Outgoing> + Send + Sync),
    ) -> StoreResult<Asked>;

    /// The question of the community with that number, with whom it asked.
    async fn question(&self, community: CommunityId, id: i64) -> StoreResult<Option<Question>>;

    /// Records `member`'s answer to a question they were asked. The first
    /// `Help` on an open question wins: `if_helped` is written with it and
    /// the question's buttons are settled. A `NotNow` that leaves nobody
    /// undecided, with nobody helping, writes `if_all_passed`.
    async fn answer_question(
        &self,
        answer: &QuestionAnswer,
        if_helped: &[Outgoing],
        if_all_passed: &[Outgoing],
    ) -> StoreResult<Answered>;

    /// The asker closes their question: nobody can answer it any more (the
    /// buttons sent about it are settled). Says how it stood.
    async fn close_question(
        &self,
        community: CommunityId,
        asker: MemberId,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Closing>;

    /// The member's questions in the community that are neither answered
    /// nor closed, oldest first.
    async fn open_questions(&self, community: CommunityId, asker: MemberId) -> StoreResult<Vec<Question>>;

    /// Who a question may ask: the community's members other than `asker`
    /// who offer something and take questions, with their check-in of
    /// `date` (space and focus) if they have one running.
    async fn ask_candidates(
        &self,
        community: CommunityId,
        asker: MemberId,
        date: NaiveDate,
    ) -> StoreResult<Vec<PoolEntry>>;

    /// Whether the member takes questions (they do unless they said not).
    async fn takes_questions(&self, member: MemberId) -> StoreResult<bool>;

    async fn set_takes_questions(&self, member: MemberId, on: bool) -> StoreResult<()>;
}

/// A question to write; the core chose whom it asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub community: CommunityId,
    pub asker: MemberId,
    pub text: crate::domain::Note,
    /// The community's date at `now`: the daily limit counts by it.
    pub local_date: NaiveDate,
    pub now: DateTime<Utc>,
    pub asked: Vec<MemberId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// Written, with its number.
    Asked(i64),
    /// The asker reached the daily limit.
    TooMany,
}

/// A member's answer to question `question` of `community`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionAnswer {
    pub community: CommunityId,
    pub question: i64,
    pub member: MemberId,
    pub answer: Answer,
    pub now: DateTime<Utc>,
}

/// What someone asked said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Help,
    NotNow,
}

impl Answer {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Help => "help",
            Answer::NotNow => "not_now",
        }
    }

    pub fn parse(s: &str) -> Option<Answer> {
        match s {
            "help" => Some(Answer::Help),
            "not_now" => Some(Answer::NotNow),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub community: CommunityId,
    /// `None` once the asker is forgotten.
    pub asker: Option<MemberId>,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub helper: Option<MemberId>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Everyone it asked, with their answer so far.
    pub asked: Vec<(MemberId, Option<Answer>)>,
}

impl Question {
    /// Whether someone may still say they can help.
    pub fn is_open(&self) -> bool {
        self.helper.is_none() && self.closed_at.is_none()
    }

    /// The answer of `member`, if they were asked: `Some(None)` while undecided.
    pub fn answer_of(&self, member: MemberId) -> Option<Option<Answer>> {
        self.asked.iter().find(|(m, _)| *m == member).map(|(_, a)| *a)
    }
}

/// How an answer was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// This "I can help" was the first: the two are introduced.
    Helped,
    /// Someone else (or the member, earlier) helped first.
    HelpedBefore { by: MemberId },
    /// "Not now" is noted (nobody is told who said it).
    Passed,
    /// The asker closed it.
    Closed,
    /// The member was not asked this question (or it is not the community's).
    NotAsked,
}

/// How closing a question went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closing {
    Closed,
    /// Closed before.
    AlreadyClosed,
    /// Someone helped already: it is done.
    Helped {
        by: MemberId,
    },
    /// The caller has no question with that number in the community.
    NotFound,
}
