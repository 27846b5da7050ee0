//! The statements of questions to the room (see `sql::questions`); written
//! once for both backends.

/// Holds the asker's row for the rest of the transaction: their questions
/// of a day are counted and written one process at a time.
pub const LOCK_ASKER: &str = "UPDATE members SET asks = asks WHERE id = $1";
pub const ASKED_ON: &str = "
SELECT count(*) FROM questions WHERE asker_member_id = $1 AND community_id = $2 AND local_date = $3";
pub const INSERT_QUESTION: &str = "
INSERT INTO questions (community_id, asker_member_id, text, local_date, created_at)
VALUES ($1, $2, $3, $4, $5) RETURNING id";
pub const INSERT_ASK: &str = "
INSERT INTO question_asks (question_id, member_id, asked_at) VALUES ($1, $2, $3)
ON CONFLICT (question_id, member_id) DO NOTHING";

const QUESTION_SELECT: &str = "
SELECT id, community_id, asker_member_id, text, created_at, helper_member_id, closed_at FROM questions";

pub fn question() -> String {
    format!("{QUESTION_SELECT} WHERE id = $1 AND community_id = $2")
}

pub fn open_questions() -> String {
    format!(
        "{QUESTION_SELECT} WHERE community_id = $1 AND asker_member_id = $2
   AND helper_member_id IS NULL AND closed_at IS NULL ORDER BY id"
    )
}

pub const QUESTION_ASKS: &str = "
SELECT member_id, answer FROM question_asks WHERE question_id = $1 ORDER BY asked_at, member_id";

/// Holds the question's row: its answers are taken one at a time.
pub const LOCK_QUESTION: &str = "UPDATE questions SET text = text WHERE id = $1 AND community_id = $2";
/// The first "I can help" on an open question: one row, or none when
/// someone was first.
pub const TAKE_HELP: &str = "
UPDATE questions SET helper_member_id = $3, answered_at = $4
 WHERE id = $1 AND community_id = $2 AND helper_member_id IS NULL AND closed_at IS NULL";
pub const RECORD_ANSWER: &str = "
UPDATE question_asks SET answer = $3, answered_at = $4 WHERE question_id = $1 AND member_id = $2";
pub const UNDECIDED: &str = "SELECT count(*) FROM question_asks WHERE question_id = $1 AND answer IS NULL";
pub const CLOSE_QUESTION: &str = "
UPDATE questions SET closed_at = $4
 WHERE id = $1 AND community_id = $2 AND asker_member_id = $3 AND closed_at IS NULL AND helper_member_id IS NULL";

/// Members of the community other than `$3` who take questions and offer
/// something; `$2` the date of the check-ins read.
pub const ASK_CANDIDATES: &str = concat!(
    crate::queries::pool_select!(),
    "WHERE ms.community_id = $1 AND m.asks AND m.offers <> '' AND m.id <> $3
ORDER BY m.id, i.platform"
);

pub const TAKES_QUESTIONS: &str = "SELECT asks FROM members WHERE id = $1";
pub const SET_TAKES_QUESTIONS: &str = "UPDATE members SET asks = $2 WHERE id = $1";
