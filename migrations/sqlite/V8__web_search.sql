-- Web UI / API reads that stay fast as the store grows (issue 16's latency target).

-- Article search ("text in headline or URL", a case-insensitive substring): a trigram index
-- over both columns. The query keeps its LIKE as the exact test and uses the index only to
-- find candidate rows (a trigram phrase match is a superset of LIKE's matches), so results
-- are the same as the scan's. External content: the text stays in `articles` only.
CREATE VIRTUAL TABLE articles_search USING fts5(
    headline, url, content = 'articles', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO articles_search (articles_search) VALUES ('rebuild');

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, headline, url) VALUES (new.id, new.headline, new.url);
END;
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_search (articles_search, rowid, headline, url)
    VALUES ('delete', old.id, old.headline, old.url);
END;
CREATE TRIGGER articles_search_update AFTER UPDATE OF headline, url ON articles
WHEN old.headline IS NOT new.headline OR old.url IS NOT new.url BEGIN
    INSERT INTO articles_search (articles_search, rowid, headline, url)
    VALUES ('delete', old.id, old.headline, old.url);
    INSERT INTO articles_search (rowid, headline, url) VALUES (new.id, new.headline, new.url);
END;

-- A list's total without counting every row: rows per (list, filter column, value), kept by
-- triggers in the writing transaction, so it is exact. `dim` '' is the whole list. A page
-- of a traversal that began at `upto` subtracts the (few) matching rows newer than `upto`.
-- SQLite has one writer at a time, so these rows add no contention.
CREATE TABLE list_totals (
    list TEXT NOT NULL,
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (list, dim, value)
) WITHOUT ROWID;

INSERT INTO list_totals (list, dim, value, n)
SELECT 'articles', '', '', COUNT(*) FROM articles;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'articles', 'outlet', outlet, COUNT(*) FROM articles WHERE outlet IS NOT NULL GROUP BY outlet;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'fact_changes', '', '', COUNT(*) FROM fact_changes;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'fact_changes', 'outlet', outlet, COUNT(*) FROM fact_changes WHERE outlet IS NOT NULL GROUP BY outlet;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'fact_changes', 'kind', kind, COUNT(*) FROM fact_changes GROUP BY kind;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'fact_changes', 'label', label, COUNT(*) FROM fact_changes GROUP BY label;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'events', '', '', COUNT(*) FROM events;
INSERT INTO list_totals (list, dim, value, n)
SELECT 'events', 'type', type, COUNT(*) FROM events GROUP BY type;

CREATE TRIGGER articles_total_insert AFTER INSERT ON articles BEGIN
    INSERT INTO list_totals VALUES ('articles', '', '', 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals SELECT 'articles', 'outlet', new.outlet, 1 WHERE new.outlet IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER articles_total_delete AFTER DELETE ON articles BEGIN
    UPDATE list_totals SET n = n - 1 WHERE list = 'articles' AND dim = '' AND value = '';
    UPDATE list_totals SET n = n - 1
    WHERE list = 'articles' AND dim = 'outlet' AND value = old.outlet;
END;
CREATE TRIGGER articles_total_update AFTER UPDATE OF outlet ON articles
WHEN old.outlet IS NOT new.outlet BEGIN
    UPDATE list_totals SET n = n - 1
    WHERE list = 'articles' AND dim = 'outlet' AND value = old.outlet;
    INSERT INTO list_totals SELECT 'articles', 'outlet', new.outlet, 1 WHERE new.outlet IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER fact_changes_total_insert AFTER INSERT ON fact_changes BEGIN
    INSERT INTO list_totals VALUES ('fact_changes', '', '', 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals SELECT 'fact_changes', 'outlet', new.outlet, 1 WHERE new.outlet IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals VALUES ('fact_changes', 'kind', new.kind, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals VALUES ('fact_changes', 'label', new.label, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER fact_changes_total_delete AFTER DELETE ON fact_changes BEGIN
    UPDATE list_totals SET n = n - 1 WHERE list = 'fact_changes'
    AND ((dim = '' AND value = '') OR (dim = 'outlet' AND value = old.outlet)
         OR (dim = 'kind' AND value = old.kind) OR (dim = 'label' AND value = old.label));
END;
CREATE TRIGGER fact_changes_total_update AFTER UPDATE OF outlet, kind, label ON fact_changes BEGIN
    UPDATE list_totals SET n = n - 1 WHERE list = 'fact_changes'
    AND ((dim = 'outlet' AND value = old.outlet)
         OR (dim = 'kind' AND value = old.kind) OR (dim = 'label' AND value = old.label));
    INSERT INTO list_totals SELECT 'fact_changes', 'outlet', new.outlet, 1 WHERE new.outlet IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals VALUES ('fact_changes', 'kind', new.kind, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals VALUES ('fact_changes', 'label', new.label, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER events_total_insert AFTER INSERT ON events BEGIN
    INSERT INTO list_totals VALUES ('events', '', '', 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO list_totals VALUES ('events', 'type', new.type, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER events_total_delete AFTER DELETE ON events BEGIN
    UPDATE list_totals SET n = n - 1 WHERE list = 'events'
    AND ((dim = '' AND value = '') OR (dim = 'type' AND value = old.type));
END;

-- The dashboard's "delivery failures at a glance" (and /deliveries?state=failing): the few
-- failing rows of an outbox that holds one row per event and notifier.
CREATE INDEX outbox_failing ON outbox(id) WHERE state <> 'delivered' AND last_error IS NOT NULL;
