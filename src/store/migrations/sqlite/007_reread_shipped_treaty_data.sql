-- The shipped treaty files are read again on the next open: their reading
-- changed (a list's status date comes from the source, a row with its own
-- source says only what that source states), so what was derived from them
-- before is dropped. Imports of other files are kept.
CREATE TEMP TABLE shipped_sources AS
  SELECT id FROM sources WHERE origin LIKE 'data/treaties/%' AND kind <> 'rules';
DELETE FROM treaty_snapshot_states
  WHERE snapshot_id IN (SELECT id FROM treaty_snapshots WHERE source_id IN (SELECT id FROM shipped_sources));
DELETE FROM treaty_snapshots WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_evidence WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_figures WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM treaty_stated_eif WHERE source_id IN (SELECT id FROM shipped_sources);
DELETE FROM sources WHERE id IN (SELECT id FROM shipped_sources);
DROP TABLE shipped_sources;
