-- One community on both platforms, one person across both, and their data
-- in their own hands.

-- One-time codes: an invitation to bind another chat to a community
-- (`/invite`, valid 48 hours) or a request to join two identities into one
-- member (`/link`, valid 10 minutes). Only the code's SHA-256 is kept, never
-- the code; redeeming deletes the row in the same statement, so a code works
-- once however many try it at the same moment.
CREATE TABLE one_time_codes (
    code_hash    TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('invite', 'link')),
    community_id BIGINT REFERENCES communities(id) ON DELETE CASCADE,
    member_id    BIGINT REFERENCES members(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX one_time_codes_expiry ON one_time_codes(expires_at);

-- Where a member's private messages go (`/profile notify telegram`); NULL:
-- the platform they spoke on last.
ALTER TABLE members ADD COLUMN notify_platform TEXT;

-- Placements (and meetings) of members who asked to be forgotten: the stats
-- keep counting them without saying whom.
ALTER TABLE pairing_rounds ADD COLUMN forgotten_placed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pairing_rounds ADD COLUMN forgotten_met BIGINT NOT NULL DEFAULT 0;

-- The retention sweep deletes check-ins by date.
CREATE INDEX checkins_date ON checkins(local_date);

-- Bumped by every change to what a process's arrival cache remembers (an
-- identity's member, a bound chat's community, a recorded admin): processes
-- read it every few seconds and forget their cache when it moved.
CREATE TABLE cache_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO cache_generation (id, generation) VALUES (1, 0);
