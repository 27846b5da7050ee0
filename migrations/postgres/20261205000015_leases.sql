-- Leadership by lease (see the SQLite migration).
CREATE TABLE leases (
    role       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    epoch      BIGINT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
