-- Discovery (feeds, sitemaps) and the per-article decaying re-check schedule.

-- When the article is checked next (NULL = never again); leased by moving it forward.
ALTER TABLE articles ADD COLUMN next_check_at TEXT;
ALTER TABLE articles ADD COLUMN check_failures INTEGER NOT NULL DEFAULT 0;
-- Publication date the feed or sitemap gave: the age the schedule decays with.
ALTER TABLE articles ADD COLUMN published_hint TEXT;
-- Feed/sitemap metadata (title, dates, authors) as JSON, kept as a hint.
ALTER TABLE articles ADD COLUMN hint_json TEXT;
-- The sitemap's lastmod (or feed's updated) last seen: a newer one makes the article due.
ALTER TABLE articles ADD COLUMN listed_updated TEXT;
CREATE INDEX articles_due ON articles(next_check_at) WHERE next_check_at IS NOT NULL;

-- Conditional GET of the feed/sitemap itself, and discovery counters for `factdiff sources`.
ALTER TABLE sources ADD COLUMN etag TEXT;
ALTER TABLE sources ADD COLUMN last_modified TEXT;
ALTER TABLE sources ADD COLUMN articles_discovered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN last_discovered_at TEXT;

-- The latest fetch of an article (its last error in `factdiff articles`).
CREATE INDEX fetches_by_article ON fetches(article_id, id);
