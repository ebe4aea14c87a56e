-- The search index over news items, activities and projects, kept in step with
-- `records` by the store in the transaction that writes them.
-- Text: FTS5, accent-insensitive ("Turkiye" finds "Türkiye"); rowid = records.id.
CREATE VIRTUAL TABLE search_text USING fts5(
  title, body, tokenize = 'unicode61 remove_diacritics 2');

-- One row per indexed record: its kind and the days it may cover.
CREATE TABLE search_entries (
  record_id  INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  sort_date  TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD of the first day; '' when undated
  date_lo    TEXT,                      -- NULL when undated
  date_hi    TEXT
);
CREATE INDEX search_entries_by_date ON search_entries(sort_date);

-- Facet values (kind, country, project, year, mode): `value` as shown,
-- `key` as matched (lower case).
CREATE TABLE search_facets (
  record_id  INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
  facet      TEXT NOT NULL,
  value      TEXT NOT NULL,
  key        TEXT NOT NULL,
  PRIMARY KEY (facet, key, record_id)
) WITHOUT ROWID;
CREATE INDEX search_facets_by_record ON search_facets(record_id);

-- The text index is a virtual table: foreign keys do not reach it.
CREATE TRIGGER search_text_follows_records AFTER DELETE ON records BEGIN
  DELETE FROM search_text WHERE rowid = old.id;
END;
