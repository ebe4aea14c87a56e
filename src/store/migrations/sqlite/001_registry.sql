-- Sources, treaties and the evidence the treaty registry holds.
CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,          -- rules, chart, notification, facts, document
  origin      TEXT NOT NULL,          -- path or URL as given
  sha256      TEXT NOT NULL UNIQUE,   -- content hash: the same bytes are stored once
  title       TEXT NOT NULL DEFAULT '',
  as_of       TEXT,
  complete    INTEGER NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL
);

CREATE TABLE treaties (
  ref        TEXT PRIMARY KEY,
  number     INTEGER NOT NULL,
  title      TEXT NOT NULL,
  rule_json  TEXT NOT NULL,
  source_id  INTEGER NOT NULL REFERENCES sources(id)
);

CREATE TABLE treaty_evidence (
  id          INTEGER PRIMARY KEY,
  treaty_ref  TEXT NOT NULL REFERENCES treaties(ref),
  state       TEXT NOT NULL,
  action      TEXT NOT NULL,
  date_lo     TEXT,
  date_hi     TEXT,
  negative    INTEGER NOT NULL DEFAULT 0,
  precision   TEXT NOT NULL DEFAULT 'day',
  kind_known  INTEGER NOT NULL DEFAULT 1,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  origin      TEXT NOT NULL DEFAULT '',
  line        INTEGER NOT NULL DEFAULT 0,
  quote       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX treaty_evidence_by_treaty ON treaty_evidence(treaty_ref, state);

CREATE TABLE treaty_snapshots (
  id          INTEGER PRIMARY KEY,
  treaty_ref  TEXT NOT NULL REFERENCES treaties(ref),
  as_of       TEXT NOT NULL,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  origin      TEXT NOT NULL DEFAULT '',
  line        INTEGER NOT NULL DEFAULT 0,
  quote       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE treaty_snapshot_states (
  snapshot_id INTEGER NOT NULL REFERENCES treaty_snapshots(id) ON DELETE CASCADE,
  state       TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('contracting', 'signatory')),
  PRIMARY KEY (snapshot_id, state, role)
);

CREATE TABLE treaty_figures (
  id          INTEGER PRIMARY KEY,
  treaty_ref  TEXT NOT NULL REFERENCES treaties(ref),
  measure     TEXT NOT NULL,
  count       INTEGER NOT NULL,
  as_of       TEXT,
  precision   TEXT NOT NULL DEFAULT 'day',
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  origin      TEXT NOT NULL DEFAULT '',
  line        INTEGER NOT NULL DEFAULT 0,
  quote       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE treaty_stated_eif (
  id          INTEGER PRIMARY KEY,
  treaty_ref  TEXT NOT NULL REFERENCES treaties(ref),
  state       TEXT NOT NULL,
  date        TEXT NOT NULL,
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  origin      TEXT NOT NULL DEFAULT '',
  line        INTEGER NOT NULL DEFAULT 0,
  quote       TEXT NOT NULL DEFAULT ''
);
