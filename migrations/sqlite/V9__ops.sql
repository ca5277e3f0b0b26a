-- Operations (issue 18): where a long `factdiff reprocess` run got to, so an interrupted
-- run resumes; one row per run kind, deleted when the run completes.
CREATE TABLE ops_cursors (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
