-- Mail goes out through a durable outbox: a message is stored first and sent
-- by a background worker, with retries and back-off, so that a restart loses
-- nothing. `dedup_key` names what the message is for ("confirm:<subscriber
-- id>:<token>", "issue:2023Q3:<subscriber id>"): one message per key, ever.
-- `message_id` is the Message-ID header, the same on every attempt.
CREATE TABLE IF NOT EXISTS outbox (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,
  recipient        TEXT NOT NULL,
  message          TEXT NOT NULL,
  dedup_key        TEXT NOT NULL UNIQUE,
  created_at       TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  sent_at          TEXT,
  failed_at        TEXT,
  last_error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Confirming and unsubscribing use separate secrets: subscribers.token
-- confirms a pending subscription once, until `token_expires_at`;
-- `unsubscribe_token` only unsubscribes (NULL once used). Subscribers from
-- before keep their one token for unsubscribing.
CREATE TABLE IF NOT EXISTS subscriber_secrets (
  subscriber_id      INTEGER PRIMARY KEY REFERENCES subscribers(id) ON DELETE CASCADE,
  unsubscribe_token  TEXT UNIQUE,
  token_expires_at   TEXT
);
INSERT OR IGNORE INTO subscriber_secrets (subscriber_id, unsubscribe_token)
  SELECT id, token FROM subscribers;
