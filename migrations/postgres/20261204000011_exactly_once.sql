-- Exactly once, and never the wrong seat (see the SQLite migration of the
-- same name). PostgreSQL's identities never hand out an id twice already.

-- Requests get a number of their own on their offer: hosts approve
-- "request 2 on offer #7"; members cancel by the offer's number.
ALTER TABLE seat_offers ADD COLUMN requests_made BIGINT NOT NULL DEFAULT 0;
ALTER TABLE seat_requests ADD COLUMN number BIGINT;
UPDATE seat_requests r SET number = n.number
FROM (SELECT id, row_number() OVER (PARTITION BY offer_id ORDER BY id) AS number FROM seat_requests) n
WHERE n.id = r.id;
ALTER TABLE seat_requests ALTER COLUMN number SET NOT NULL;
ALTER TABLE seat_requests ADD CONSTRAINT seat_requests_offer_number UNIQUE (offer_id, number);
UPDATE seat_offers o SET requests_made = (SELECT count(*) FROM seat_requests r WHERE r.offer_id = o.id);
-- A new request also counts its number as given out, in the statement that
-- inserts it (the hot path gains no round trip).
CREATE OR REPLACE FUNCTION seat_requests_count() RETURNS trigger LANGUAGE plpgsql AS $$
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
            pending_count = pending_count + (NEW.state = 'pending')::int,
            requests_made = GREATEST(requests_made, NEW.number)
        WHERE id = NEW.offer_id;
    END IF;
    RETURN NULL;
END;
$$;

-- What a message asks about, settled when it is decided; the claim's token.
ALTER TABLE outbox ADD COLUMN subject TEXT;
ALTER TABLE outbox ADD COLUMN claim_token TEXT;
ALTER TABLE outbox DROP CONSTRAINT outbox_state_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_state_check CHECK (state IN ('pending', 'sent', 'dead', 'settled'));
CREATE INDEX outbox_subject ON outbox (subject) WHERE subject IS NOT NULL;
CREATE INDEX outbox_claims ON outbox (claim_token) WHERE claim_token IS NOT NULL;

-- Confirming /forgetme is a one-time code of its own.
ALTER TABLE one_time_codes DROP CONSTRAINT one_time_codes_purpose_check;
ALTER TABLE one_time_codes ADD CONSTRAINT one_time_codes_purpose_check
    CHECK (purpose IN ('invite', 'link', 'forget'));

-- Every inbound update or interaction id taken, kept 72 hours, with what it
-- carried until it is handled (see the SQLite migration).
CREATE TABLE inbound (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform    TEXT NOT NULL,
    inbound_id  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'handling', 'done', 'abandoned')),
    payload     TEXT,
    claimed_by  TEXT,
    received_at TIMESTAMPTZ NOT NULL,
    handled_at  TIMESTAMPTZ,
    UNIQUE (platform, inbound_id)
);
CREATE INDEX inbound_age ON inbound(received_at);
CREATE INDEX inbound_open ON inbound(platform, state) WHERE state IN ('waiting', 'handling');

-- Subjects settled (an offer withdrawn, a request decided): a message about
-- one that is sent after it was settled loses its buttons at once.
CREATE TABLE settled_subjects (
    subject    TEXT PRIMARY KEY,
    settled_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX settled_subjects_age ON settled_subjects(settled_at);
