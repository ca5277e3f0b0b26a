-- Each article's host (issue 17), as the fetcher keys its per-host limits (the URL's host,
-- no port): due articles are leased round-robin across hosts, so one page is not one host's
-- articles waiting on that host's politeness limit while the other hosts idle. New rows get
-- it from the URL parser at insert; older rows get it here (scheme://[user@]host[:port]/…).
ALTER TABLE articles ADD COLUMN host TEXT NOT NULL DEFAULT '';
UPDATE articles SET host = h.host FROM (
    SELECT id, lower(CASE WHEN hp LIKE '[%' THEN substr(hp, 1, instr(hp, ']'))
                          WHEN instr(hp, ':') > 0 THEN substr(hp, 1, instr(hp, ':') - 1)
                          ELSE hp END) AS host
    FROM (SELECT id, substr(r, instr(r, '@') + 1) AS hp
          FROM (SELECT id, CASE WHEN instr(r, '/') > 0 THEN substr(r, 1, instr(r, '/') - 1) ELSE r END AS r
                FROM (SELECT id, substr(url, instr(url, '://') + 3) AS r FROM articles WHERE instr(url, '://') > 0)))
) AS h WHERE h.id = articles.id;
-- The per-host walk of the lease: each host's earliest due articles, and the next host.
CREATE INDEX articles_due_by_host ON articles(host, next_check_at, id) WHERE next_check_at IS NOT NULL;
