-- Ingested documents and the records extracted from them.
CREATE TABLE documents (
  id            INTEGER PRIMARY KEY,
  source_id     INTEGER NOT NULL UNIQUE REFERENCES sources(id) ON DELETE CASCADE,
  path          TEXT NOT NULL,
  format        TEXT NOT NULL,
  shape         TEXT NOT NULL,
  period_start  TEXT,
  period_end    TEXT,
  truncated     INTEGER NOT NULL DEFAULT 0,
  report_json   TEXT NOT NULL
);

CREATE TABLE records (
  id           INTEGER PRIMARY KEY,
  document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('news_item', 'activity', 'project', 'treaty_action', 'treaty_figure', 'link')),
  line         INTEGER NOT NULL,
  fields_json  TEXT NOT NULL
);
CREATE INDEX records_by_kind ON records(kind);
