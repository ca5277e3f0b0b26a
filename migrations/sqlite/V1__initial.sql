-- Sources as configured; health is updated on every pass.
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    location TEXT,
    outlet TEXT,
    created_at TEXT NOT NULL,
    last_check_at TEXT,
    last_success_at TEXT,
    last_error TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing INTEGER NOT NULL DEFAULT 0,
    next_check_at TEXT
);

-- One row per article, keyed by canonical URL.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    outlet TEXT,
    source_id INTEGER REFERENCES sources(id),
    headline TEXT,
    first_seen_at TEXT NOT NULL,
    last_checked_at TEXT,
    last_changed_at TEXT,
    removed_at TEXT,
    etag TEXT,
    last_modified TEXT,
    version_count INTEGER NOT NULL DEFAULT 0
);

-- Other URLs (fetch URL, redirects, file paths) under which an article is known.
CREATE TABLE article_aliases (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id)
);

-- Append-only versions; a new row only when the normalised content hash changes.
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    observed_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    article_json TEXT NOT NULL,
    raw_zstd BLOB,
    raw_size INTEGER,
    flagged TEXT,
    significance TEXT,
    diff_json TEXT,
    UNIQUE (article_id, seq)
);
CREATE INDEX versions_by_hash ON versions(article_id, content_hash);

-- Every fetch outcome, success or not.
CREATE TABLE fetches (
    id INTEGER PRIMARY KEY,
    source_id INTEGER REFERENCES sources(id),
    article_id INTEGER REFERENCES articles(id),
    url TEXT NOT NULL,
    at TEXT NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER
);
CREATE INDEX fetches_by_source ON fetches(source_id, at);

CREATE TABLE events (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    created_at TEXT NOT NULL,
    article_id INTEGER REFERENCES articles(id),
    version_seq INTEGER,
    source_name TEXT,
    payload TEXT NOT NULL
);
CREATE INDEX events_by_article ON events(article_id, created_at);
CREATE INDEX events_by_time ON events(created_at);

-- One row per (event, notifier); written in the same transaction as the event.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    target TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',   -- pending | delivered | gave_up
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_error TEXT,
    delivered_at TEXT,
    UNIQUE (event_id, target)
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY,
    outbox_id INTEGER NOT NULL REFERENCES outbox(id),
    at TEXT NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER
);
CREATE INDEX attempts_by_outbox ON delivery_attempts(outbox_id);
