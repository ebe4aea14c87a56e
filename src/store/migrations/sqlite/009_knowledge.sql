-- The knowledge base: entities (projects, activities, news items,
-- organisations, contributions, resources), the sourced claims their fields
-- are derived from, and a full-text index over the entities. The store
-- replaces all of it at once (Store::PutKnowledge); a database from before
-- this migration gets its entities when the knowledge service first finds the
-- stamp missing.
CREATE TABLE IF NOT EXISTS entities (
  id     TEXT PRIMARY KEY,
  kind   TEXT NOT NULL CHECK (kind IN ('project', 'activity', 'news_item', 'organisation',
                                       'contribution', 'resource')),
  label  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS entities_by_kind ON entities (kind, id);

-- One statement about one field of one entity, with its source. document_id
-- and record_id are NULL when the claim has none.
CREATE TABLE IF NOT EXISTS claims (
  id              INTEGER PRIMARY KEY,
  entity_id       TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  field           TEXT NOT NULL,
  value           TEXT NOT NULL,
  document_id     INTEGER REFERENCES documents(id),
  record_id       INTEGER REFERENCES records(id),
  line            INTEGER NOT NULL DEFAULT 0,
  quote           TEXT NOT NULL DEFAULT '',
  stated_on       TEXT NOT NULL DEFAULT '',
  section         TEXT NOT NULL DEFAULT '',
  document_label  TEXT NOT NULL DEFAULT '',
  rule            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS claims_by_entity ON claims (entity_id);
-- "The activities of this project": claims whose value names another entity.
CREATE INDEX IF NOT EXISTS claims_by_field_value ON claims (field, value);

-- What the stored entities were built from (Store::KnowledgeStamp); no row
-- until they are first built.
CREATE TABLE IF NOT EXISTS knowledge_meta (
  id     INTEGER PRIMARY KEY CHECK (id = 1),
  stamp  TEXT NOT NULL
);

-- The search index over entities, like 003's over records: FTS5 text
-- (accent-insensitive; rowid = entity_entries.id), one entry per entity
-- with the days it may cover, and its facet values (kind, country, project,
-- year, mode): `value` as a filter takes it, `label` as people read it, `key`
-- and `label_key` as matched (lower case).
CREATE VIRTUAL TABLE IF NOT EXISTS entity_text USING fts5(
  title, body, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE IF NOT EXISTS entity_entries (
  id         INTEGER PRIMARY KEY,
  entity_id  TEXT NOT NULL UNIQUE REFERENCES entities(id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  sort_date  TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD of the first day; '' when undated
  date_lo    TEXT,                      -- NULL when undated
  date_hi    TEXT
);
CREATE INDEX IF NOT EXISTS entity_entries_by_date ON entity_entries (sort_date);

CREATE TABLE IF NOT EXISTS entity_facets (
  entry      INTEGER NOT NULL REFERENCES entity_entries(id) ON DELETE CASCADE,
  facet      TEXT NOT NULL,
  value      TEXT NOT NULL,
  label      TEXT NOT NULL,
  key        TEXT NOT NULL,
  label_key  TEXT NOT NULL,
  PRIMARY KEY (facet, key, entry)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entity_facets_by_entry ON entity_facets (entry);
CREATE INDEX IF NOT EXISTS entity_facets_by_label ON entity_facets (facet, label_key);

-- The names an entity goes by (label, name, acronym, aliases; lower case), so
-- that a facet whose values are entity ids (project) can be filtered by any
-- of them: "GLACY+" as well as "glacy-plus".
CREATE TABLE IF NOT EXISTS entity_names (
  entity_id  TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  PRIMARY KEY (key, entity_id)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS entity_text_follows_entries AFTER DELETE ON entity_entries BEGIN
  DELETE FROM entity_text WHERE rowid = old.id;
END;
