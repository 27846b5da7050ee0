-- Standing offers (`/offer … every …`, see bot/src/commands/seats/standing.rs):
-- a host publishes a space's availability once; the scheduler creates its
-- single offers 14 days ahead, each a normal offer announced on its own
-- morning. A standing offer's number comes from the offers' own sequence, so
-- no offer ever has it: `/withdraw 15` can only mean one thing.
CREATE TABLE standing_offers (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id       INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    host_member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    seats          INTEGER NOT NULL,
    days           TEXT NOT NULL,
    window_start   TEXT,
    window_end     TEXT,
    until_date     TEXT,
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    ended_at       TEXT
);
CREATE INDEX standing_offers_active ON standing_offers(community_id) WHERE ended_at IS NULL;

-- Each single offer of a standing one, once per day (a withdrawn day is not
-- made again); announced on its morning rather than when made.
ALTER TABLE seat_offers ADD COLUMN standing_id INTEGER REFERENCES standing_offers(id) ON DELETE SET NULL;
ALTER TABLE seat_offers ADD COLUMN announce_pending BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX seat_offers_standing_day ON seat_offers(standing_id, local_date) WHERE standing_id IS NOT NULL;
CREATE INDEX seat_offers_to_announce ON seat_offers(starts_at) WHERE announce_pending;

-- A day skipped because a one-off offer overlaps it: the host is told once.
CREATE TABLE standing_skips (
    standing_id INTEGER NOT NULL REFERENCES standing_offers(id) ON DELETE CASCADE,
    local_date  TEXT NOT NULL,
    PRIMARY KEY (standing_id, local_date)
);
