-- Stories across outlets: which story each article is in, the manual merge/split decisions,
-- and the conflicts already reported (so re-processing never re-emits one).

-- One row per article in a story: its latest clustered version and the features the
-- in-memory story index is rebuilt from. `rev` orders writes, so a process catches up with
-- what others wrote by reading the rows with a larger rev.
CREATE TABLE story_members (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    story_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    outlet TEXT NOT NULL,
    published TEXT NOT NULL,  -- the publication time, else when it joined
    features_json TEXT NOT NULL,
    score REAL NOT NULL,
    wire_copy_of INTEGER,
    manual INTEGER NOT NULL DEFAULT 0,
    joined_at TEXT NOT NULL,
    rev INTEGER NOT NULL
);
CREATE INDEX story_members_by_story ON story_members(story_id);
CREATE INDEX story_members_by_rev ON story_members(rev);
CREATE INDEX story_members_by_published ON story_members(published);

-- Manual decisions between articles: kind 'must' (merged) or 'cannot' (split); a < b.
CREATE TABLE story_links (
    a INTEGER NOT NULL,
    b INTEGER NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (a, b)
);

-- One row: the write counter and the next story id (ids are never reused).
CREATE TABLE story_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rev INTEGER NOT NULL,
    next_story INTEGER NOT NULL
);
INSERT INTO story_meta (id, rev, next_story) VALUES (1, 0, 1);

-- Reportable cross-outlet findings (tension, disputed, conflict) and whether they are open.
-- `ident` = the (event, slot) compared; `change_key` = the disagreeing values, so a new outlet
-- agreeing with the consensus does not re-emit, but a changed value does.
CREATE TABLE story_findings (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL,
    ident TEXT NOT NULL,
    change_key TEXT NOT NULL,
    outcome TEXT NOT NULL,
    severity REAL NOT NULL,
    slot TEXT NOT NULL,
    event TEXT NOT NULL,
    explanation TEXT NOT NULL,
    finding_json TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    resolved_at TEXT,
    event_id TEXT,
    UNIQUE (story_id, ident)
);
CREATE INDEX story_findings_open ON story_findings(story_id) WHERE resolved_at IS NULL;

-- Story events (claim.conflict, claim.resolved) are about a story, not an article.
ALTER TABLE events ADD COLUMN story_id INTEGER;
CREATE INDEX events_by_story ON events(story_id, created_at);
