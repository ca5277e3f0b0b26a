-- Reads for the web UI / API (issue 16): lists filtered and paged by an integer id (keyset),
-- so a page never re-parses event payloads and stays put while new rows arrive.

-- One row per `facts[]` item of a `fact.changed` event, written in the same transaction as
-- the event; `item_json` is the item exactly as the webhook payload carries it.
CREATE TABLE fact_changes (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    idx INTEGER NOT NULL,
    article_id INTEGER,
    outlet TEXT,
    from_seq INTEGER,
    to_seq INTEGER,
    kind TEXT NOT NULL,
    slot TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at TEXT NOT NULL,
    item_json TEXT NOT NULL,
    UNIQUE (event_id, idx)
);
CREATE INDEX fact_changes_by_article ON fact_changes(article_id, id);
CREATE INDEX fact_changes_by_outlet ON fact_changes(outlet, id);
CREATE INDEX fact_changes_by_time ON fact_changes(created_at);

-- Fact changes of the events stored before this migration, in event order.
INSERT INTO fact_changes (event_id, idx, article_id, outlet, from_seq, to_seq, kind, slot, label, created_at, item_json)
SELECT e.id, j.key, e.article_id, json_extract(e.payload, '$.article.outlet'),
       json_extract(e.payload, '$.from_version'), json_extract(e.payload, '$.to_version'),
       COALESCE(json_extract(j.value, '$.kind'), ''), COALESCE(json_extract(j.value, '$.slot'), ''),
       COALESCE(json_extract(j.value, '$.label'), ''), e.created_at, j.value
FROM events e, json_each(e.payload, '$.facts') j
WHERE e.type = 'fact.changed'
ORDER BY e.rowid, j.key;

CREATE INDEX events_by_type ON events(type);
CREATE INDEX versions_by_time ON versions(observed_at);
CREATE INDEX articles_by_outlet ON articles(outlet);
