-- The language a community's replies, help and notices are written in
-- (`/settings language nl`); NULL follows the bot's `bot.locale` setting.
ALTER TABLE communities ADD COLUMN locale TEXT;
