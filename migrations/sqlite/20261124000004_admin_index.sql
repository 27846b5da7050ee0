-- The recorded admins of a community, read whenever a seat notice goes to the
-- keepers of a space without hosts: a partial index keeps that one lookup
-- small however many members the community has.
CREATE INDEX memberships_admins ON memberships (community_id, member_id) WHERE is_admin;
