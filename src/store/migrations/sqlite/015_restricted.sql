-- Restricted records: what practitioners and the roles above them may see,
-- and readers never.
--
-- `restrictions` is a log: each row restricts (restricted = 1) or releases
-- (0) one document (subject 'document', ref its id) or one entity (subject
-- 'entity', ref its id, e.g. a resource); the latest row of a subject and
-- ref is its state. Appended only, so its last id says when anything changed
-- (the knowledge stamp and the page cache depend on it).
CREATE TABLE IF NOT EXISTS restrictions (
  id          INTEGER PRIMARY KEY,
  subject     TEXT NOT NULL CHECK (subject IN ('document', 'entity')),
  ref         TEXT NOT NULL,
  restricted  INTEGER NOT NULL CHECK (restricted IN (0, 1)),
  actor       TEXT NOT NULL,
  at          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS restrictions_by_ref ON restrictions (subject, ref, id);

-- The entities as built carry their restriction (kb::ApplyRestrictions), and
-- so does the index: a query for readers leaves restricted entries out in
-- the query itself, counts and facets included. Tables of their own (a row
-- per restricted entity, claim and index entry) rather than columns, so that
-- the migration runs again on a database rewound to an older version.
CREATE TABLE IF NOT EXISTS entity_restrictions (
  entity_id  TEXT PRIMARY KEY REFERENCES entities(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS claim_restrictions (
  claim_id  INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS entry_restrictions (
  entry  INTEGER PRIMARY KEY REFERENCES entity_entries(id) ON DELETE CASCADE
);
-- Built again on the next read, with the restrictions applied.
DELETE FROM knowledge_meta;

-- Each country's 24/7 point of contact for cybercrime cooperation (Budapest
-- Convention, Article 35), as revisions: the latest of a country is current,
-- none is overwritten. Practitioners and above only. `source` is where the
-- details come from (a URL or a citation); `author` who recorded them.
CREATE TABLE IF NOT EXISTS country_contacts (
  id             INTEGER PRIMARY KEY,
  iso2           TEXT NOT NULL,
  authority      TEXT NOT NULL,
  unit           TEXT NOT NULL DEFAULT '',
  phone          TEXT NOT NULL DEFAULT '',
  email          TEXT NOT NULL DEFAULT '',
  hours          TEXT NOT NULL DEFAULT '',
  languages      TEXT NOT NULL DEFAULT '',
  last_verified  TEXT NOT NULL,
  source         TEXT NOT NULL,
  author         TEXT NOT NULL,
  created_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS country_contacts_by_country ON country_contacts (iso2, id);
