-- Seat offers and requests, and the outbox of messages to deliver.

ALTER TABLE spaces ADD COLUMN open_profile_required BOOLEAN NOT NULL DEFAULT FALSE;
-- Bumped by every offer written for the space: serialises offer creation, so
-- two overlapping offers cannot both pass the overlap check.
ALTER TABLE spaces ADD COLUMN lock_version BIGINT NOT NULL DEFAULT 0;
-- Which platform a member used last: where their private notices go.
ALTER TABLE identities ADD COLUMN last_seen_at TIMESTAMPTZ;

CREATE TABLE seat_offers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id   BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id       BIGINT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    host_member_id BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    local_date     DATE NOT NULL,
    window_start   TEXT,            -- 'HH:MM', NULL for the whole day
    window_end     TEXT,
    starts_at      TIMESTAMPTZ NOT NULL,
    ends_at        TIMESTAMPTZ NOT NULL,
    seats          BIGINT NOT NULL CHECK (seats BETWEEN 1 AND 500),
    note           TEXT NOT NULL DEFAULT '',
    withdrawn_at   TIMESTAMPTZ,
    -- Bumped by every change to the offer's requests: the row lock that
    -- serialises them, and the queue order of requests.
    queue_seq      BIGINT NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX seat_offers_open ON seat_offers(community_id, ends_at);
CREATE INDEX seat_offers_space ON seat_offers(space_id, local_date);

CREATE TABLE seat_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id     BIGINT NOT NULL REFERENCES seat_offers(id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id    BIGINT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    state        TEXT NOT NULL
                 CHECK (state IN ('confirmed', 'waitlisted', 'pending', 'cancelled', 'declined', 'withdrawn')),
    queue_no     BIGINT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ,
    reason       TEXT,
    UNIQUE (offer_id, member_id)
);
CREATE INDEX seat_requests_queue ON seat_requests(offer_id, state, queue_no);
CREATE INDEX seat_requests_member ON seat_requests(community_id, member_id);

CREATE TABLE outbox (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id        BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    platform            TEXT NOT NULL,
    recipient_kind      TEXT NOT NULL CHECK (recipient_kind IN ('chat', 'member')),
    recipient_id        TEXT NOT NULL,
    fallback_chat_id    TEXT,
    body                TEXT NOT NULL,          -- JSON: the rendered Reply and its addressee
    state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_at     TIMESTAMPTZ NOT NULL,
    lease_until         TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    sent_at             TIMESTAMPTZ,
    platform_message_id TEXT,
    last_error          TEXT
);
CREATE INDEX outbox_due ON outbox(platform, state, next_attempt_at);
