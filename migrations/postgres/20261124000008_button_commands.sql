-- Commands on buttons too long for a platform's button payload (Telegram's
-- callback_data holds 64 bytes): the button carries this row's id instead.
CREATE TABLE button_commands (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    command    TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);
