-- A document's own date (ISO, at the precision the document gives it; NULL when
-- unknown) with where that date comes from, and the URL it was published at
-- (the citable source; '' when unknown).
ALTER TABLE documents ADD COLUMN date TEXT;
ALTER TABLE documents ADD COLUMN date_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN source_url TEXT NOT NULL DEFAULT '';
