-- The platforms' send limits, kept for every instance of a fleet (see
-- bot/src/limits.rs): per platform, scope ('all', 'chat:<id>') and window
-- length, the times of the last sends in Unix milliseconds, oldest first,
-- comma-separated. A send reads and writes its windows in one transaction.
CREATE TABLE send_windows (
    platform TEXT NOT NULL,
    scope    TEXT NOT NULL,
    span_ms  BIGINT NOT NULL,
    sent     TEXT NOT NULL,
    last_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (platform, scope, span_ms)
);
CREATE INDEX send_windows_idle ON send_windows(last_at);

-- One chat's updates in order across instances: an update waits while an
-- earlier one of its chat (by `seq`, Telegram's update_id) is taken and
-- not handled, wherever it was taken.
ALTER TABLE inbound ADD COLUMN chat TEXT;
ALTER TABLE inbound ADD COLUMN seq BIGINT;
CREATE INDEX inbound_chat_open ON inbound(platform, chat, seq) WHERE state IN ('waiting', 'handling');
