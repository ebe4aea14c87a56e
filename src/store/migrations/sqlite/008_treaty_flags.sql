-- The marks sources put against States under a treaty (reservations,
-- declarations, authorities, territorial application, communications,
-- objections), each with its source. The shipped treaty files are read again
-- on the next open so that their flags are kept; imports of other files are
-- kept as they are.
CREATE TABLE IF NOT EXISTS treaty_flags (
  id          INTEGER PRIMARY KEY,
  treaty_ref  TEXT NOT NULL REFERENCES treaties(ref),
  state       TEXT NOT NULL,
  flag        TEXT NOT NULL,
  meaning     TEXT NOT NULL DEFAULT '',
  as_of       TEXT,
  caveat      TEXT NOT NULL DEFAULT '',
  source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  origin      TEXT NOT NULL DEFAULT '',
  line        INTEGER NOT NULL DEFAULT 0,
  quote       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS treaty_flags_by_treaty ON treaty_flags (treaty_ref, state);
CREATE TEMP TABLE shipped_sources AS
  SELECT id FROM sources WHERE origin LIKE 'data/treaties/%' AND kind <> 'rules';
DELETE FROM treaty_snapshot_states
  WHERE snapshot_id IN (SELECT id FROM treaty_snapshots WHERE source_id IN (SELECT id FROM shipped_sources));
DELETE FROM treaty_snapshots WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_evidence WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_figures WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_stated_eif WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_flags WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM sources WHERE id IN (SELECT id FROM shipped_sources);
DROP TABLE shipped_sources;
