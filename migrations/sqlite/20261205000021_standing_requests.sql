-- Standing requests (`/request <space> every <days>`, see
-- bot/src/commands/seats/standing_requests.rs): a member asks once for a
-- seat on every offer of a space on those days; each offer gets a normal
-- request, with its own place in line, when it appears (a day the member
-- cancelled is not asked again: it has a request already).
CREATE TABLE standing_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    space_id     INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    days         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    ended_at     TEXT
);
CREATE UNIQUE INDEX standing_requests_active ON standing_requests(member_id, space_id) WHERE ended_at IS NULL;
