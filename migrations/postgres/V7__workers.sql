-- Several workers on one database (issue 17): who is alive, and who holds which lease.
-- A lease is the row's due time moved forward (`next_check_at`, `next_attempt_at`) plus who
-- moved it and when; a worker that dies simply lets the due time come round again.
CREATE TABLE workers (
    id TEXT COLLATE "C" PRIMARY KEY,          -- host:pid:started_ms
    host TEXT COLLATE "C" NOT NULL,
    pid BIGINT NOT NULL,
    started_at TEXT COLLATE "C" NOT NULL,
    heartbeat_at TEXT COLLATE "C" NOT NULL,
    stopped_at TEXT COLLATE "C"
);
ALTER TABLE articles ADD COLUMN leased_by TEXT COLLATE "C";
ALTER TABLE articles ADD COLUMN leased_at TEXT COLLATE "C";
ALTER TABLE sources ADD COLUMN leased_by TEXT COLLATE "C";
ALTER TABLE sources ADD COLUMN leased_at TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN leased_by TEXT COLLATE "C";
ALTER TABLE outbox ADD COLUMN leased_at TEXT COLLATE "C";
CREATE INDEX articles_leased ON articles(leased_by) WHERE leased_by IS NOT NULL;
CREATE INDEX outbox_leased ON outbox(leased_by) WHERE leased_by IS NOT NULL;

-- Per-host politeness shared by every worker: the next time a request to the host may start.
-- A worker reserves the host's next start in one UPDATE, so starts are `delay` apart across
-- all workers, not per process.
CREATE TABLE host_turns (
    host TEXT COLLATE "C" PRIMARY KEY,
    next_at TIMESTAMPTZ NOT NULL
);

-- Per-host concurrency shared by every worker: `fetch.per_host_concurrency` slots per host,
-- each held by one worker's request (until its headers arrive) or until `held_until` passes
-- (a worker that died mid-request frees its slot then).
CREATE TABLE host_slots (
    host TEXT COLLATE "C" NOT NULL,
    slot BIGINT NOT NULL,
    holder TEXT COLLATE "C",
    held_until TIMESTAMPTZ,
    PRIMARY KEY (host, slot)
);
