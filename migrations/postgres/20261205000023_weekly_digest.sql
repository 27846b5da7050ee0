-- The weekly digest (`/settings digest <day|off>`, see
-- bot/src/commands/report.rs): the weekday it is posted on (0 Monday …
-- 6 Sunday; NULL: off), and each digest posted, once a community and date
-- however many instances tick (the key).
ALTER TABLE communities ADD COLUMN digest_day BIGINT CHECK (digest_day BETWEEN 0 AND 6);
CREATE TABLE community_digests (
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    local_date   DATE NOT NULL,
    posted_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, local_date)
);
