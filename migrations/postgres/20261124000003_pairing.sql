-- Daily "meet someone new": the community's schedule, members' choices, and
-- rounds with their groups.

ALTER TABLE communities ADD COLUMN pairing_time TEXT NOT NULL DEFAULT '09:00';
ALTER TABLE communities ADD COLUMN pairing_days TEXT NOT NULL DEFAULT 'mon-fri';
ALTER TABLE communities ADD COLUMN history_weeks BIGINT NOT NULL DEFAULT 8;

ALTER TABLE memberships ADD COLUMN pairing_opt_in BOOLEAN NOT NULL DEFAULT FALSE;
-- Paused on local dates before this one.
ALTER TABLE memberships ADD COLUMN pairing_paused_until DATE;
CREATE INDEX memberships_pairing ON memberships(community_id, pairing_opt_in);

-- At most one round per community and local date: the unique key, not a lock
-- in memory, keeps a double trigger or a second process from a second round.
CREATE TABLE pairing_rounds (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    local_date   DATE NOT NULL,
    seed         BIGINT NOT NULL,
    triggered_by TEXT NOT NULL CHECK (triggered_by IN ('schedule', 'pairnow')),
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, local_date)
);

-- Who is in which group of a round; a member is in one group per round.
CREATE TABLE pairing_groups (
    round_id  BIGINT NOT NULL REFERENCES pairing_rounds(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    group_no  BIGINT NOT NULL,
    met_at    TIMESTAMPTZ,
    PRIMARY KEY (round_id, member_id)
);
CREATE INDEX pairing_groups_group ON pairing_groups(round_id, group_no);
CREATE INDEX pairing_groups_member ON pairing_groups(member_id);
