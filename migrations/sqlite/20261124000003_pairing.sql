-- Daily "meet someone new": the community's schedule, members' choices, and
-- rounds with their groups.

ALTER TABLE communities ADD COLUMN pairing_time TEXT NOT NULL DEFAULT '09:00';
ALTER TABLE communities ADD COLUMN pairing_days TEXT NOT NULL DEFAULT 'mon-fri';
ALTER TABLE communities ADD COLUMN history_weeks INTEGER NOT NULL DEFAULT 8;

ALTER TABLE memberships ADD COLUMN pairing_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
-- Paused on local dates before this one.
ALTER TABLE memberships ADD COLUMN pairing_paused_until TEXT;
CREATE INDEX memberships_pairing ON memberships(community_id, pairing_opt_in);

-- At most one round per community and local date: the unique key, not a lock
-- in memory, keeps a double trigger or a second process from a second round.
CREATE TABLE pairing_rounds (
    id           INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    local_date   TEXT NOT NULL,
    seed         INTEGER NOT NULL,
    triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'pairnow')),
    created_at   TEXT NOT NULL,
    UNIQUE (community_id, local_date)
);

-- Who is in which group of a round; a member is in one group per round.
CREATE TABLE pairing_groups (
    round_id  INTEGER NOT NULL REFERENCES pairing_rounds(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    group_no  INTEGER NOT NULL,
    met_at    TEXT,
    PRIMARY KEY (round_id, member_id)
);
CREATE INDEX pairing_groups_group ON pairing_groups(round_id, group_no);
CREATE INDEX pairing_groups_member ON pairing_groups(member_id);
