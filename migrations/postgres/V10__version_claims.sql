-- Each version's claims (issue 16): `claims::stored` bytes, written with the version and by
-- `factdiff reprocess`, so a diff of two stored versions does not extract them again. NULL
-- for rows written before this migration: they are extracted when needed (and written by
-- the next `reprocess`); the migration itself stays instant on a large store.
ALTER TABLE versions ADD COLUMN claims BYTEA;
