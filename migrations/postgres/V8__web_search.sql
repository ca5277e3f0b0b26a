-- Counterpart of migrations/sqlite/V8__web_search.sql: article search ("text in headline or
-- URL", ILIKE '%…%') served by trigram GIN indexes instead of a scan of every article. The
-- query is unchanged (the index only finds candidates; PostgreSQL rechecks the ILIKE), so
-- results are the same with or without the indexes.
--
-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension (PostgreSQL 13+: the
-- database owner may create it). Where it is not available or not allowed, the migration
-- still succeeds and search scans, as before, with a notice saying why.
--
-- List totals stay COUNT(*) over an index here, unlike SQLite's trigger-kept counters:
-- PostgreSQL has concurrent writers (workers), and one counter row per list would
-- serialise every transaction that adds an article or a fact change.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        RAISE NOTICE 'pg_trgm is not installed: article search will scan (install postgresql-contrib)';
        RETURN;
    END IF;
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot create extension pg_trgm (%): article search will scan', SQLERRM;
        RETURN;
    END;
    CREATE INDEX articles_headline_trgm ON articles USING gin (headline gin_trgm_ops);
    CREATE INDEX articles_url_trgm ON articles USING gin (url gin_trgm_ops);
END
$$;

-- The dashboard's "delivery failures at a glance" (and /deliveries?state=failing): the few
-- failing rows of an outbox that holds one row per event and notifier.
CREATE INDEX outbox_failing ON outbox(id) WHERE state <> 'delivered' AND last_error IS NOT NULL;
