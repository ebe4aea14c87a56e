-- Subscribers to the quarterly update. A subscription is pending until the
-- address confirms through the link mailed to it; `token` is the random secret
-- that the confirmation and unsubscribe links carry.
CREATE TABLE subscribers (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE,
  token            TEXT NOT NULL UNIQUE,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
  created_at       TEXT NOT NULL,
  confirmed_at     TEXT,
  unsubscribed_at  TEXT
);
