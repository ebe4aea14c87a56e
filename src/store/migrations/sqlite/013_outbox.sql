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

-- SQLite 3.40's integrity_check misreads a WITHOUT ROWID table whose NOT NULL
-- column stands between its key columns ("NULL value in search_facets.value"
-- on a sound table): the key columns come first now.
DROP TABLE IF EXISTS search_facets_new;
CREATE TABLE search_facets_new (
  record_id  INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  facet      TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  PRIMARY KEY (facet, key, record_id)
) WITHOUT ROWID;
INSERT INTO search_facets_new (record_id, facet, key, value)
  SELECT record_id, facet, key, value FROM search_facets;
DROP TABLE search_facets;
ALTER TABLE search_facets_new RENAME TO search_facets;
CREATE INDEX search_facets_by_record ON search_facets(record_id);
