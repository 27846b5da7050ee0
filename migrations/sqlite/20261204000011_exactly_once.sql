-- Exactly once, and never the wrong seat.
--
-- 1. A number a member or a button has seen never comes to mean something
--    else. SQLite gives a new row the largest rowid plus one, so after the
--    newest offers were deleted their numbers came back. The tables whose
--    ids members see or buttons carry (offers, requests, button keys) and the
--    outbox (whose ids fence claims) are rebuilt with AUTOINCREMENT, which
--    never hands out an id twice. This runs with foreign keys off (the store
--    migrates on a connection of its own for that), so that dropping the old
--    tables cascades nothing.
-- 2. Requests get a number of their own on their offer (`number`, from the
--    offer's `requests_made`): hosts approve "request 2 on offer #7";
--    members cancel by the offer's number. A request's id is never shown.
-- 3. Outbox rows say what they ask about (`subject`, e.g. 'request:12'):
--    when it is settled, what was not sent yet is marked 'settled', and what
--    was sent loses its buttons. A claim carries a token (`claim_token`) that
--    marking it must name.
-- 4. Confirming /forgetme is a one-time code of its own ('forget').
-- 5. Every inbound update or interaction id is recorded once (`inbound`).

CREATE TABLE seat_offers_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id   INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space_id       INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    host_member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    local_date     TEXT NOT NULL,
    window_start   TEXT,
    window_end     TEXT,
    starts_at      TEXT NOT NULL,
    ends_at        TEXT NOT NULL,
    seats          INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 500),
    note           TEXT NOT NULL DEFAULT '',
    withdrawn_at   TEXT,
    confirmed_count  INTEGER NOT NULL DEFAULT 0,
    waitlisted_count INTEGER NOT NULL DEFAULT 0,
    pending_count    INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    -- Request numbers given out on this offer so far.
    requests_made  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO seat_offers_new (id, community_id, space_id, host_member_id, local_date, window_start, window_end,
                             starts_at, ends_at, seats, note, withdrawn_at, confirmed_count, waitlisted_count,
                             pending_count, created_at, requests_made)
SELECT o.id, o.community_id, o.space_id, o.host_member_id, o.local_date, o.window_start, o.window_end,
       o.starts_at, o.ends_at, o.seats, o.note, o.withdrawn_at, o.confirmed_count, o.waitlisted_count,
       o.pending_count, o.created_at,
       (SELECT count(*) FROM seat_requests r WHERE r.offer_id = o.id)
FROM seat_offers o;

CREATE TABLE seat_requests_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id     INTEGER NOT NULL REFERENCES seat_offers(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    state        TEXT NOT NULL
                 CHECK (state IN ('confirmed', 'waitlisted', 'pending', 'cancelled', 'declined', 'withdrawn')),
    queue_no     INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    decided_at   TEXT,
    reason       TEXT,
    -- Its number on the offer: given once, kept when the member asks again.
    number       INTEGER NOT NULL,
    UNIQUE (offer_id, member_id),
    UNIQUE (offer_id, number)
);
INSERT INTO seat_requests_new (id, offer_id, community_id, member_id, state, queue_no, requested_at, decided_at,
                               reason, number)
SELECT r.id, r.offer_id, r.community_id, r.member_id, r.state, r.queue_no, r.requested_at, r.decided_at, r.reason,
       (SELECT count(*) FROM seat_requests e WHERE e.offer_id = r.offer_id AND e.id <= r.id)
FROM seat_requests r;

CREATE TABLE outbox_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    community_id        INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    platform            TEXT NOT NULL,
    recipient_kind      TEXT NOT NULL CHECK (recipient_kind IN ('chat', 'member')),
    recipient_id        TEXT NOT NULL,
    member_id           INTEGER REFERENCES members(id) ON DELETE CASCADE,
    member_name         TEXT,
    member_username     TEXT,
    fallback_chat_id    TEXT,
    body                TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'dead', 'settled')),
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT NOT NULL,
    lease_until         TEXT,
    created_at          TEXT NOT NULL,
    sent_at             TEXT,
    platform_message_id TEXT,
    last_error          TEXT,
    held_since          TEXT,
    -- What the message asks about ('request:12', 'offer:7'); NULL: nothing
    -- that can be settled.
    subject             TEXT,
    -- The claim's token: marking the row must name it, so a worker whose
    -- lease ran out cannot mark another's claim.
    claim_token         TEXT
);
INSERT INTO outbox_new (id, community_id, platform, recipient_kind, recipient_id, member_id, member_name,
                        member_username, fallback_chat_id, body, state, attempts, next_attempt_at, lease_until,
                        created_at, sent_at, platform_message_id, last_error, held_since)
SELECT id, community_id, platform, recipient_kind, recipient_id, member_id, member_name,
       member_username, fallback_chat_id, body, state, attempts, next_attempt_at, lease_until,
       created_at, sent_at, platform_message_id, last_error, held_since
FROM outbox;

CREATE TABLE button_commands_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    command    TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
INSERT INTO button_commands_new (id, command, created_at) SELECT id, command, created_at FROM button_commands;

CREATE TABLE one_time_codes_new (
    code_hash    TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('invite', 'link', 'forget')),
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER REFERENCES members(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
INSERT INTO one_time_codes_new SELECT code_hash, purpose, community_id, member_id, created_at, expires_at
FROM one_time_codes;

DROP TABLE seat_requests;
DROP TABLE seat_offers;
DROP TABLE outbox;
DROP TABLE button_commands;
DROP TABLE one_time_codes;
ALTER TABLE seat_offers_new RENAME TO seat_offers;
ALTER TABLE seat_requests_new RENAME TO seat_requests;
ALTER TABLE outbox_new RENAME TO outbox;
ALTER TABLE button_commands_new RENAME TO button_commands;
ALTER TABLE one_time_codes_new RENAME TO one_time_codes;

CREATE INDEX seat_offers_open ON seat_offers(community_id, ends_at);
CREATE INDEX seat_offers_space ON seat_offers(space_id, local_date);
CREATE INDEX seat_requests_queue ON seat_requests(offer_id, state, queue_no);
CREATE INDEX seat_requests_order ON seat_requests(offer_id, queue_no);
CREATE INDEX seat_requests_member ON seat_requests(community_id, member_id);
CREATE INDEX outbox_due ON outbox (platform, next_attempt_at) WHERE state = 'pending' AND held_since IS NULL;
CREATE INDEX outbox_queue ON outbox (platform, recipient_kind, recipient_id, id)
    WHERE state = 'pending' AND held_since IS NULL;
CREATE INDEX outbox_held ON outbox (member_id, platform) WHERE state = 'pending' AND held_since IS NOT NULL;
CREATE INDEX outbox_subject ON outbox (subject) WHERE subject IS NOT NULL;
CREATE INDEX outbox_claims ON outbox (claim_token) WHERE claim_token IS NOT NULL;
CREATE INDEX one_time_codes_expiry ON one_time_codes(expires_at);

-- A new request also counts its number as given out (in the same
-- statement: the hot path gains no round trip).
CREATE TRIGGER seat_requests_count_insert AFTER INSERT ON seat_requests
BEGIN
    UPDATE seat_offers SET
        confirmed_count = confirmed_count + (NEW.state = 'confirmed'),
        waitlisted_count = waitlisted_count + (NEW.state = 'waitlisted'),
        pending_count = pending_count + (NEW.state = 'pending'),
        requests_made = max(requests_made, NEW.number)
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

-- Every inbound update (Telegram update_id) or interaction (Discord's id)
-- this bot has taken, kept 72 hours: one seen again has no second effect.
-- An update is kept with what it carried (`payload`) from the moment it is
-- taken until it is handled, so one taken but not handled before a stop is
-- handled after the restart; the payload is then forgotten. `state`:
-- waiting (taken, not started), handling (by `claimed_by`), done, abandoned
-- (its process died while handling it: not run again, since its effect may
-- have happened).
CREATE TABLE inbound (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    platform    TEXT NOT NULL,
    inbound_id  TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'handling', 'done', 'abandoned')),
    payload     TEXT,
    claimed_by  TEXT,
    received_at TEXT NOT NULL,
    handled_at  TEXT,
    UNIQUE (platform, inbound_id)
);
CREATE INDEX inbound_age ON inbound(received_at);
CREATE INDEX inbound_open ON inbound(platform, state) WHERE state IN ('waiting', 'handling');

-- Subjects settled (an offer withdrawn, a request decided): a message about
-- one that is sent after it was settled loses its buttons at once.
CREATE TABLE settled_subjects (
    subject    TEXT PRIMARY KEY,
    settled_at TEXT NOT NULL
);
CREATE INDEX settled_subjects_age ON settled_subjects(settled_at);
