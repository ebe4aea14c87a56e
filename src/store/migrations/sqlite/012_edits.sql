-- Editing on the site: a change set (one editor's draft, with a note) and
-- its field values, reviewed before publication. A reviewer is never the
-- author (the service checks it, and the CHECK below refuses it whoever
-- asks); a change set that publishes directly has no reviewer. Published
-- values become claims of the knowledge base, and the claims table keeps, per
-- edit claim, its author and change set (claim_edits). Re-runnable (IF NOT
-- EXISTS), as 009 and 010 are.
CREATE TABLE IF NOT EXISTS edits (
  id           INTEGER PRIMARY KEY,
  author       TEXT NOT NULL CHECK (author <> ''),
  created_at   TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'rejected')),
  reviewer     TEXT,
  reviewed_at  TEXT,
  CHECK (reviewer IS NULL OR reviewer <> author)
);
CREATE INDEX IF NOT EXISTS edits_by_status ON edits (status, id);

-- One value of a change set: the entity (kind and id, or 'new' for the one
-- entity of that kind the change set creates), the field, the value, and the
-- value it replaces as the site showed it when the draft was made (NULL: none).
CREATE TABLE IF NOT EXISTS edit_values (
  id         INTEGER PRIMARY KEY,
  edit_id    INTEGER NOT NULL REFERENCES edits(id),
  kind       TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  field      TEXT NOT NULL,
  value      TEXT NOT NULL,
  before     TEXT
);
CREATE INDEX IF NOT EXISTS edit_values_by_edit ON edit_values (edit_id, id);

CREATE TABLE IF NOT EXISTS claim_edits (
  claim_id  INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
  author    TEXT NOT NULL,
  edit_id   INTEGER NOT NULL REFERENCES edits(id)
);
