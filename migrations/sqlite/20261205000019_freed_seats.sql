-- Seats freed on an offer's day with nobody waiting (see
-- bot/src/service/seat_use.rs): written with the change that freed them,
-- announced in the community's chats by the scheduler, merged, at most one
-- line per offer per 30 minutes (`freed_announced_at`).
CREATE TABLE freed_seats (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id     INTEGER NOT NULL REFERENCES seat_offers(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    seats        INTEGER NOT NULL,
    freed_at     TEXT NOT NULL
);
CREATE INDEX freed_seats_offer ON freed_seats(offer_id);
ALTER TABLE seat_offers ADD COLUMN freed_announced_at TEXT;
