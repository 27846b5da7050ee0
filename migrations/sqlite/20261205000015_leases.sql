-- Leadership by lease (see the README's "Running several instances"): one
-- row per role ('leader'), held by one instance until `expires_at`, renewed
-- by its holder every few seconds. Taking it over from an expired holder
-- raises `epoch`, the fencing token a deposed leader's late work is told
-- apart by.
CREATE TABLE leases (
    role       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    epoch      INTEGER NOT NULL,
    expires_at TEXT NOT NULL
);
