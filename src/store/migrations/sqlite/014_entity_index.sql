-- The search index over records (003) is read by nothing any more: pages, the
-- API, feeds and search read entities, indexed by 009's entity_text,
-- entity_entries and entity_facets. The records themselves stay: the
-- knowledge base is built from them.
DROP TRIGGER IF EXISTS search_text_follows_records;
DROP TABLE IF EXISTS search_facets;
DROP TABLE IF EXISTS search_entries;
DROP TABLE IF EXISTS search_text;

-- The entity index also holds the countries (kind 'country', entity_id the
-- ISO2 code, found by their names and their profile's latest text), which are
-- no rows of `entities`: an entry carries its own label, and its other names,
-- rather than a reference. The index is rebuilt: emptied here, and the
-- knowledge stamp removed so that the next read builds it again.
DROP TRIGGER IF EXISTS entity_text_follows_entries;
DELETE FROM entity_text;
DROP TABLE IF EXISTS entity_facets;
DROP TABLE IF EXISTS entity_entries;
CREATE TABLE entity_entries (
  id         INTEGER PRIMARY KEY,
  entity_id  TEXT NOT NULL,
  kind       TEXT NOT NULL,
  label      TEXT NOT NULL DEFAULT '',
  names      TEXT NOT NULL DEFAULT '',  -- a country's other names, searched with its profile
  sort_date  TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD of the first day; '' when undated
  date_lo    TEXT,                      -- NULL when undated
  date_hi    TEXT,
  UNIQUE (kind, entity_id)
);
CREATE INDEX entity_entries_by_date ON entity_entries (sort_date);
CREATE TABLE entity_facets (
  entry      INTEGER NOT NULL REFERENCES entity_entries(id) ON DELETE CASCADE,
  facet      TEXT NOT NULL,
  value      TEXT NOT NULL,
  label      TEXT NOT NULL,
  key        TEXT NOT NULL,
  label_key  TEXT NOT NULL,
  PRIMARY KEY (facet, key, entry)
) WITHOUT ROWID;
CREATE INDEX entity_facets_by_entry ON entity_facets (entry);
CREATE INDEX entity_facets_by_label ON entity_facets (facet, label_key);
CREATE TRIGGER entity_text_follows_entries AFTER DELETE ON entity_entries BEGIN
  DELETE FROM entity_text WHERE rowid = old.id;
END;
DELETE FROM knowledge_meta;
