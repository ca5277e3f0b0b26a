-- Reads for the web UI at scale (issue 16's benchmark: 100,000 articles / 300,000 versions).

-- The dashboard's edits-per-day chart reads (observed_at, seq, article_id) of every version
-- of the last 30 days: from a covering index rather than from the wide version rows (text,
-- raw page and diff). It also serves every query versions_by_time served.
CREATE INDEX versions_edits ON versions(observed_at, seq, article_id);
DROP INDEX versions_by_time;

-- A list's total is COUNT(*) over `id <= upto`; on the bare table that walks every wide row
-- (a fact change's JSON, an article's URL and headline). An index of the ids alone is a
-- few pages per thousand rows.
CREATE INDEX articles_ids ON articles(id);
CREATE INDEX fact_changes_ids ON fact_changes(id);
