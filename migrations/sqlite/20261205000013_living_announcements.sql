-- What a sent announcement shows now (`3/open`: seats left and the offer's
-- state); NULL for what it showed when first sent (every seat free). The
-- delivery loop edits the announcements whose offer no longer looks so.
ALTER TABLE outbox ADD COLUMN shows TEXT;
