-- Communities, members, spaces, hosts and check-ins.

CREATE TABLE communities (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- A chat (Telegram group, Discord channel, the console) bound to a community.
CREATE TABLE community_chats (
    platform     TEXT NOT NULL,
    chat_id      TEXT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    bound_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, chat_id)
);
CREATE INDEX community_chats_community ON community_chats(community_id);

-- A person, the same on every platform; the profile is theirs.
CREATE TABLE members (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    display_name TEXT NOT NULL,
    offers       TEXT NOT NULL DEFAULT '',
    wants        TEXT NOT NULL DEFAULT '',
    about        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL
);

CREATE TABLE identities (
    platform    TEXT NOT NULL,
    external_id TEXT NOT NULL,
    member_id   BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    username    TEXT,
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX identities_member ON identities(member_id);
CREATE INDEX identities_username ON identities(platform, lower(username));

CREATE TABLE memberships (
    community_id   BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id      BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    joined_at      TIMESTAMPTZ NOT NULL,
    last_active_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (community_id, member_id)
);
CREATE INDEX memberships_member ON memberships(member_id);

CREATE TABLE spaces (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    slug           TEXT NOT NULL,
    time_zone      TEXT NOT NULL,
    capacity       BIGINT,
    needs_approval BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (community_id, slug)
);

CREATE TABLE space_hosts (
    space_id  BIGINT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    PRIMARY KEY (space_id, member_id)
);

-- One check-in per member, community and local date; space_id NULL is remote.
CREATE TABLE checkins (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id      BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    space_id       BIGINT REFERENCES spaces(id) ON DELETE CASCADE,
    local_date     DATE NOT NULL,
    checked_in_at  TIMESTAMPTZ NOT NULL,
    until_at       TIMESTAMPTZ,
    ends_at        TIMESTAMPTZ NOT NULL,
    checked_out_at TIMESTAMPTZ,
    note           TEXT NOT NULL DEFAULT '',
    updates        BIGINT NOT NULL DEFAULT 0,
    UNIQUE (community_id, member_id, local_date)
);
CREATE INDEX checkins_running ON checkins(community_id, ends_at);
CREATE INDEX checkins_member ON checkins(community_id, member_id, local_date);
