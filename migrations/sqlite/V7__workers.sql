-- Who holds which lease (issue 17; the same history as the PostgreSQL schema). With SQLite
-- there is one process, but `factdiff workers` reads the same columns on both backends.
CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    stopped_at TEXT
);
ALTER TABLE articles ADD COLUMN leased_by TEXT;
ALTER TABLE articles ADD COLUMN leased_at TEXT;
ALTER TABLE sources ADD COLUMN leased_by TEXT;
ALTER TABLE sources ADD COLUMN leased_at TEXT;
ALTER TABLE outbox ADD COLUMN leased_by TEXT;
ALTER TABLE outbox ADD COLUMN leased_at TEXT;
CREATE INDEX articles_leased ON articles(leased_by) WHERE leased_by IS NOT NULL;
CREATE INDEX outbox_leased ON outbox(leased_by) WHERE leased_by IS NOT NULL;
-- Unused by SQLite (one process has its politeness in memory); kept for the same history.
CREATE TABLE host_turns (
    host TEXT PRIMARY KEY,
    next_at TEXT NOT NULL
);
CREATE TABLE host_slots (
    host TEXT NOT NULL,
    slot INTEGER NOT NULL,
    holder TEXT,
    held_until TEXT,
    PRIMARY KEY (host, slot)
);
