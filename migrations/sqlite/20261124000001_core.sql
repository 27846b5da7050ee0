-- Communities, members, spaces, hosts and check-ins.
-- Instants are stored as RFC 3339 UTC text written by the application (never
-- CURRENT_TIMESTAMP), so they compare correctly as text.

CREATE TABLE communities (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- A chat (Telegram group, Discord channel, the console) bound to a community.
CREATE TABLE community_chats (
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    bound_at     TEXT NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX community_chats_community ON community_chats(community_id);

-- A person, the same on every platform; the profile is theirs.
CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    offers       TEXT NOT NULL DEFAULT '',
    wants        TEXT NOT NULL DEFAULT '',
    about        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE TABLE identities (
    platform    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    member_id   INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    username    TEXT,
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX identities_member ON identities(member_id);
CREATE INDEX identities_username ON identities(platform, lower(username));

CREATE TABLE memberships (
    community_id   INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id      INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at      TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    PRIMARY KEY (community_id, member_id)
);
CREATE INDEX memberships_member ON memberships(member_id);

CREATE TABLE spaces (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    slug           TEXT NOT NULL,
    time_zone      TEXT NOT NULL,
    capacity       INTEGER,
    needs_approval BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL,
    UNIQUE (community_id, slug)
);

CREATE TABLE space_hosts (
    space_id  INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, member_id)
);

-- One check-in per member, community and local date; space_id NULL is remote.
CREATE TABLE checkins (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id      INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    space_id       INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
    local_date     TEXT NOT NULL,
    checked_in_at  TEXT NOT NULL,
    until_at       TEXT,
    ends_at        TEXT NOT NULL,
    checked_out_at TEXT,
    note           TEXT NOT NULL DEFAULT '',
    updates        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (community_id, member_id, local_date)
);
CREATE INDEX checkins_running ON checkins(community_id, ends_at);
CREATE INDEX checkins_member ON checkins(community_id, member_id, local_date);
