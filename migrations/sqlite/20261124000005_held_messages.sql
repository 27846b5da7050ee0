-- Private messages a platform refused (the member never opened a private chat
-- with the bot, or blocked it) are held, not dropped: `held_since` is set, the
-- community chat gets a content-free nudge, and the message goes out when the
-- member opens the private chat (or reads it with /inbox).
ALTER TABLE outbox ADD COLUMN held_since TEXT;

-- What the delivery loop claims: pending, not held, due. A message waits for
-- the one before it to the same recipient (messages to a chat go out in order).
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (platform, next_attempt_at) WHERE state = 'pending' AND held_since IS NULL;
CREATE INDEX outbox_queue ON outbox (platform, recipient_kind, recipient_id, id)
    WHERE state = 'pending' AND held_since IS NULL;
CREATE INDEX outbox_held ON outbox (member_id, platform) WHERE state = 'pending' AND held_since IS NOT NULL;
