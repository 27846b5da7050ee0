-- The community a member's private chats act for when they belong to
-- several (`/use <community>`): the membership chosen last.
ALTER TABLE memberships ADD COLUMN chosen_at TIMESTAMPTZ;
