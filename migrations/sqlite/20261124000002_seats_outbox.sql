-- Seat offers and requests, and the outbox of messages to deliver.

ALTER TABLE spaces ADD COLUMN open_profile_required BOOLEAN NOT NULL DEFAULT FALSE;
-- Bumped by every offer written for the space: serialises offer creation, so
-- two overlapping offers cannot both pass the overlap check.
ALTER TABLE spaces ADD COLUMN lock_version INTEGER NOT NULL DEFAULT 0;
-- Which platform a member used last: where their private notices go.
ALTER TABLE identities ADD COLUMN last_seen_at TEXT;

CREATE TABLE seat_offers (
    id             INTEGER PRIMARY KEY,
    community_id   INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id       INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    host_member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    local_date     TEXT NOT NULL,
    window_start   TEXT,            -- 'HH:MM', NULL for the whole day
    window_end     TEXT,
    starts_at      TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    seats          INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 500),
    note           TEXT NOT NULL DEFAULT '',
    withdrawn_at   TEXT,
    -- How many of its requests are in each active state: kept by the triggers
    -- below in the same statement as the change, so reading them is one row.
    confirmed_count  INTEGER NOT NULL DEFAULT 0,
    waitlisted_count INTEGER NOT NULL DEFAULT 0,
    pending_count    INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);
CREATE INDEX seat_offers_open ON seat_offers(community_id, ends_at);
CREATE INDEX seat_offers_space ON seat_offers(space_id, local_date);

CREATE TABLE seat_requests (
    id           INTEGER PRIMARY KEY,
    offer_id     INTEGER NOT NULL REFERENCES seat_offers(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    state        TEXT NOT NULL
                 CHECK (state IN ('confirmed', 'waitlisted', 'pending', 'cancelled', 'declined', 'withdrawn')),
    queue_no     INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    decided_at   TEXT,
    reason       TEXT,
    UNIQUE (offer_id, member_id)
);
CREATE INDEX seat_requests_queue ON seat_requests(offer_id, state, queue_no);
CREATE INDEX seat_requests_order ON seat_requests(offer_id, queue_no);
CREATE INDEX seat_requests_member ON seat_requests(community_id, member_id);

CREATE TRIGGER seat_requests_count_insert AFTER INSERT ON seat_requests
BEGIN
    UPDATE seat_offers SET
        confirmed_count = confirmed_count + (NEW.state = 'confirmed'),
        waitlisted_count = waitlisted_count + (NEW.state = 'waitlisted'),
        pending_count = pending_count + (NEW.state = 'pending')
    WHERE id = NEW.offer_id;
END;

CREATE TRIGGER seat_requests_count_update AFTER UPDATE OF state ON seat_requests
WHEN OLD.state <> NEW.state
BEGIN
    UPDATE seat_offers SET
        confirmed_count = confirmed_count + (NEW.state = 'confirmed') - (OLD.state = 'confirmed'),
        waitlisted_count = waitlisted_count + (NEW.state = 'waitlisted') - (OLD.state = 'waitlisted'),
        pending_count = pending_count + (NEW.state = 'pending') - (OLD.state = 'pending')
    WHERE id = NEW.offer_id;
END;

CREATE TRIGGER seat_requests_count_delete AFTER DELETE ON seat_requests
BEGIN
    UPDATE seat_offers SET
        confirmed_count = confirmed_count - (OLD.state = 'confirmed'),
        waitlisted_count = waitlisted_count - (OLD.state = 'waitlisted'),
        pending_count = pending_count - (OLD.state = 'pending')
    WHERE id = OLD.offer_id;
END;

CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    community_id        INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    platform            TEXT NOT NULL,
    recipient_kind      TEXT NOT NULL CHECK (recipient_kind IN ('chat', 'member')),
    recipient_id        TEXT NOT NULL,
    -- For a private message: the member, their names, and a chat of the
    -- community on the same platform to mention them in if it is refused.
    member_id           INTEGER REFERENCES members(id) ON DELETE CASCADE,
    member_name         TEXT,
    member_username     TEXT,
    fallback_chat_id    TEXT,
    body                TEXT NOT NULL,          -- JSON: the rendered Reply
    state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT NOT NULL,
    lease_until         TEXT,
    created_at          TEXT NOT NULL,
    sent_at             TEXT,
    platform_message_id TEXT,
    last_error          TEXT
);
CREATE INDEX outbox_due ON outbox(platform, state, next_attempt_at);
