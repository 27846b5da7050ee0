-- Reminders to seat holders (see bot/src/rules/reminders.rs): each is
-- written once per seat (the stamp is set in the transaction that queues
-- it), and a member may turn them off.
ALTER TABLE members ADD COLUMN seat_reminders BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE seat_requests ADD COLUMN reminded_eve_at TIMESTAMPTZ;
ALTER TABLE seat_requests ADD COLUMN reminded_late_at TIMESTAMPTZ;
-- "I'm coming": the holder said so (the seat is still claimed by checking in).
ALTER TABLE seat_requests ADD COLUMN coming_at TIMESTAMPTZ;
