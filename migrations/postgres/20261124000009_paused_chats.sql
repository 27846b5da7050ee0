-- A chat the bot can no longer post in (removed from it, or it is gone)
-- keeps its community but gets no announcements until the bot is back in it
-- (added again, or `/setup` there).
ALTER TABLE community_chats ADD COLUMN paused_at TIMESTAMPTZ;
