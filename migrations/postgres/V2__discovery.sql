-- Mirror of migrations/sqlite/V2__discovery.sql.
ALTER TABLE articles ADD COLUMN next_check_at TEXT COLLATE "C";
ALTER TABLE articles ADD COLUMN check_failures BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN published_hint TEXT COLLATE "C";
ALTER TABLE articles ADD COLUMN hint_json TEXT COLLATE "C";
ALTER TABLE articles ADD COLUMN listed_updated TEXT COLLATE "C";
CREATE INDEX articles_due ON articles(next_check_at) WHERE next_check_at IS NOT NULL;

ALTER TABLE sources ADD COLUMN etag TEXT COLLATE "C";
ALTER TABLE sources ADD COLUMN last_modified TEXT COLLATE "C";
ALTER TABLE sources ADD COLUMN articles_discovered BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_discovered_at TEXT COLLATE "C";

CREATE INDEX fetches_by_article ON fetches(article_id, id);
