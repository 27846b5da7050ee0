-- What the bot last registered with a platform (see the SQLite migration).
CREATE TABLE registrations (
    name          TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL
);
