-- Commands on buttons too long for a platform's button payload (Telegram's
-- callback_data holds 64 bytes): the button carries this row's id instead.
CREATE TABLE button_commands (
    id         INTEGER PRIMARY KEY,
    command    TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
