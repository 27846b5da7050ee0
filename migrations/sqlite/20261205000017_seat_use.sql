-- Seats that are used (see bot/src/rules/release.rs).
--
-- A space releases a confirmed seat nobody claimed `release_after_minutes`
-- after the offer's hours begin (NULL: never). Each offer keeps the value it
-- was made with, changed with its space's only while it has not begun, so a
-- deadline a holder was shown keeps its meaning. Offers made before this
-- migration are never released: they were booked without the rule.
ALTER TABLE spaces ADD COLUMN release_after_minutes INTEGER DEFAULT 60;
ALTER TABLE seat_offers ADD COLUMN release_after_minutes INTEGER;

-- A seat is claimed by a check-in at its space on its day (or "I'm here").
-- SQLite cannot change a CHECK: the table is made anew with 'released'.
CREATE TABLE seat_requests_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id     INTEGER NOT NULL REFERENCES seat_offers(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
    state        TEXT NOT NULL
                 CHECK (state IN ('confirmed', 'waitlisted', 'pending', 'cancelled', 'declined', 'withdrawn',
                                  'released')),
    queue_no     INTEGER NOT NULL,
    requested_at TEXT NOT NULL,
    decided_at   TEXT,
    reason       TEXT,
    number       INTEGER NOT NULL,
    claimed_at   TEXT,
    UNIQUE (offer_id, member_id),
    UNIQUE (offer_id, number)
);
INSERT INTO seat_requests_new (id, offer_id, community_id, member_id, state, queue_no, requested_at, decided_at,
                               reason, number)
SELECT id, offer_id, community_id, member_id, state, queue_no, requested_at, decided_at, reason, number
FROM seat_requests;
DROP TABLE seat_requests;
ALTER TABLE seat_requests_new RENAME TO seat_requests;
CREATE INDEX seat_requests_queue ON seat_requests(offer_id, state, queue_no);
CREATE INDEX seat_requests_order ON seat_requests(offer_id, queue_no);
CREATE INDEX seat_requests_member ON seat_requests(community_id, member_id);

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

CREATE INDEX seat_offers_releasing ON seat_offers(ends_at)
    WHERE release_after_minutes IS NOT NULL AND withdrawn_at IS NULL;
