-- Mirror of migrations/sqlite/V4__page_modified.sql.
ALTER TABLE articles ADD COLUMN page_modified TEXT COLLATE "C";
