-- Mirror of migrations/sqlite/V11__lease_hosts.sql: each article's host (the URL's host, no
-- port, as the fetcher keys its per-host limits), so due articles are leased round-robin
-- across hosts. New rows get it from the URL parser at insert; older rows get it here.
ALTER TABLE articles ADD COLUMN host TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE articles SET host = lower(substring(url from '^[^:/?#]+://(?:[^/?#@]*@)?(\[[^]/]*\]|[^/?#:]*)'))
WHERE url ~ '^[^:/?#]+://';
-- The per-host walk of the lease: each host's earliest due articles, and the next host.
CREATE INDEX articles_due_by_host ON articles(host, next_check_at, id) WHERE next_check_at IS NOT NULL;
