-- Ask the room (`/ask`, see bot/src/commands/ask.rs): a member's question
-- goes privately to a few members who offer what it names; the first
-- "I can help" wins (a conditional update of `helper_member_id`), nobody is
-- asked twice for one question (the key of `question_asks`). A question
-- outlives its asker as a number (their id is cleared, their text blanked
-- on /forgetme and by the retention sweep), so counts stay true.
ALTER TABLE members ADD COLUMN asks BOOLEAN NOT NULL DEFAULT TRUE;
CREATE TABLE questions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id     INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    asker_member_id  INTEGER REFERENCES members(id) ON DELETE SET NULL,
    text             TEXT NOT NULL,
    local_date       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    helper_member_id INTEGER REFERENCES members(id) ON DELETE SET NULL,
    answered_at      TEXT,
    closed_at        TEXT
);
CREATE INDEX questions_asker ON questions(asker_member_id, community_id, local_date);
CREATE TABLE question_asks (
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    asked_at    TEXT NOT NULL,
    answer      TEXT CHECK (answer IN ('help', 'not_now')),
    answered_at TEXT,
    PRIMARY KEY (question_id, member_id)
);
CREATE INDEX question_asks_member ON question_asks(member_id);
