-- Community names are unique, ignoring case (a private chat that asks
-- which community shows names that tell them apart). Names that already
-- clash keep the oldest as it is; the others get their number added.
UPDATE communities SET name = name || ' (' || id || ')'
 WHERE id NOT IN (SELECT MIN(id) FROM communities GROUP BY lower(name));
CREATE UNIQUE INDEX communities_name_unique ON communities (lower(name));

-- The server a chat belongs to, where the platform has servers (a Discord
-- guild): another channel of a server whose community exists is offered to
-- join it instead of starting a second community.
ALTER TABLE community_chats ADD COLUMN server_id TEXT;
CREATE INDEX community_chats_server ON community_chats (platform, server_id);

-- A chat's title as its platform last showed it (a Telegram group's name),
-- for /chats.
ALTER TABLE community_chats ADD COLUMN title TEXT;
