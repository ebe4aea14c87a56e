-- Country profiles: Markdown text kept as revisions, never overwritten. The
-- latest revision of a country (highest id) is the one the site shows.
CREATE TABLE profile_revisions (
  id          INTEGER PRIMARY KEY,
  iso2        TEXT NOT NULL,
  markdown    TEXT NOT NULL,
  author      TEXT NOT NULL,
  note        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX profile_revisions_iso2 ON profile_revisions (iso2, id);
