-- Seats that are used (see bot/src/rules/release.rs).
--
-- A space releases a confirmed seat nobody claimed `release_after_minutes`
-- after the offer's hours begin (NULL: never). Each offer keeps the value it
-- was made with, changed with its space's only while it has not begun, so a
-- deadline a holder was shown keeps its meaning. Offers made before this
-- migration are never released: they were booked without the rule.
ALTER TABLE spaces ADD COLUMN release_after_minutes BIGINT DEFAULT 60;
ALTER TABLE seat_offers ADD COLUMN release_after_minutes BIGINT;

-- A seat is claimed by a check-in at its space on its day (or "I'm here").
ALTER TABLE seat_requests ADD COLUMN claimed_at TIMESTAMPTZ;
ALTER TABLE seat_requests DROP CONSTRAINT seat_requests_state_check;
ALTER TABLE seat_requests ADD CONSTRAINT seat_requests_state_check
    CHECK (state IN ('confirmed', 'waitlisted', 'pending', 'cancelled', 'declined', 'withdrawn', 'released'));

-- The offers the release looks at: begun, not over, with a rule.
CREATE INDEX seat_offers_releasing ON seat_offers(ends_at)
    WHERE release_after_minutes IS NOT NULL AND withdrawn_at IS NULL;
