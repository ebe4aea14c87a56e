-- The audit: every change, from the site, the CLI or an ingest, appended and
-- never changed. The application has no UPDATE or DELETE for it, and the
-- triggers refuse both, whoever asks. Written to be re-runnable (IF NOT
-- EXISTS), as 009 is, so that a database rewound to an older version migrates.
CREATE TABLE IF NOT EXISTS audit (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  origin     TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  field      TEXT NOT NULL,
  before     TEXT,
  after      TEXT
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id);
CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id);
CREATE INDEX IF NOT EXISTS audit_entity ON audit (entity, id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit is append-only');
END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit is append-only');
END;
