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
    -- How many of its requests are in each active state: kept by the triggers
    -- below in the same statement as the change, so reading them is one row.
    confirmed_count  BIGINT NOT NULL DEFAULT 0,
    waitlisted_count BIGINT NOT NULL DEFAULT 0,
    pending_count    BIGINT NOT NULL DEFAULT 0,
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
CREATE INDEX seat_requests_order ON seat_requests(offer_id, queue_no);
CREATE INDEX seat_requests_member ON seat_requests(community_id, member_id);

-- Keeps seat_offers' per-state counts in the statement that changes a request.
CREATE FUNCTION seat_requests_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE seat_offers SET
            confirmed_count = confirmed_count - (OLD.state = 'confirmed')::int,
            waitlisted_count = waitlisted_count - (OLD.state = 'waitlisted')::int,
            pending_count = pending_count - (OLD.state = 'pending')::int
        WHERE id = OLD.offer_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE seat_offers SET
            confirmed_count = confirmed_count + (NEW.state = 'confirmed')::int,
            waitlisted_count = waitlisted_count + (NEW.state = 'waitlisted')::int,
            pending_count = pending_count + (NEW.state = 'pending')::int
        WHERE id = NEW.offer_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER seat_requests_count
AFTER INSERT OR DELETE OR UPDATE OF state ON seat_requests
FOR EACH ROW EXECUTE FUNCTION seat_requests_count();

CREATE TABLE outbox (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    community_id        BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    platform            TEXT NOT NULL,
    recipient_kind      TEXT NOT NULL CHECK (recipient_kind IN ('chat', 'member')),
    recipient_id        TEXT NOT NULL,
    -- For a private message: the member, their names, and a chat of the
    -- community on the same platform to mention them in if it is refused.
    member_id           BIGINT REFERENCES members(id) ON DELETE CASCADE,
    member_name         TEXT,
    member_username     TEXT,
    fallback_chat_id    TEXT,
    body                TEXT NOT NULL,          -- JSON: the rendered Reply
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
