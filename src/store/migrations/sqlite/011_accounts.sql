-- Accounts: users and their roles, one-time links (set a password, reset it),
-- sessions and the failed logins the back-off counts. Secrets are stored only
-- as hashes (token_hash, id_hash); passwords only as argon2id strings.
CREATE TABLE IF NOT EXISTS users (
  id             INTEGER PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE,
  role           TEXT NOT NULL CHECK (role IN ('reader', 'practitioner', 'editor', 'reviewer', 'administrator')),
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  totp_secret    TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_tokens (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id),
  token_hash  TEXT NOT NULL UNIQUE,
  purpose     TEXT NOT NULL CHECK (purpose IN ('set-password', 'reset')),
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  id            INTEGER PRIMARY KEY,
  id_hash       TEXT NOT NULL UNIQUE,
  user_id       INTEGER NOT NULL REFERENCES users (id),
  created_at    TEXT NOT NULL,
  last_seen_at  TEXT NOT NULL,
  csrf_token    TEXT NOT NULL,
  ended_at      TEXT
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);
CREATE TABLE IF NOT EXISTS login_failures (
  key              TEXT PRIMARY KEY,
  failures         INTEGER NOT NULL,
  last_failure_at  TEXT NOT NULL
);
