-- What the bot last registered with a platform, by name (`telegram_webhook`):
-- a fingerprint of the settings sent (a hash: the webhook's secret is never
-- stored). Telegram's getWebhookInfo does not return the secret, so an
-- instance compares this to know whether setWebhook is needed; instances
-- starting at once then agree without each setting the webhook again.
CREATE TABLE registrations (
    name          TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
