//! SQLite backend: one file in WAL mode, migrations embedded in the binary.

use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::events::rfc3339;

mod embedded {
    refinery::embed_migrations!("migrations/sqlite");
}

pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// How rare each trigram of the article search index is (see [`search`]).
    trigrams: std::sync::Arc<search::Trigrams>,
}

fn ts(t: DateTime<Utc>) -> String {
    // Fixed-width with milliseconds so text order is time order.
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn parse_ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}

impl SqliteStore {
    /// Opens (creating if needed) the store file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                why: format!("cannot create directory {}: {e}", dir.display()),
            })?;
        }
        let mut conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        embedded::migrations::runner()
            .run(&mut conn)
            .map_err(|e| StoreError::Migration(e.to_string()))?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            trigrams: Default::default(),
        })
    }

    /// The highest migration this build carries: a store below it is incomplete.
    pub fn latest_migration() -> i64 {
        embedded::migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| m.version() as i64)
            .max()
            .unwrap_or(0)
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions
        // roll back on drop), so a poisoned lock is safe to reuse.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }
}

const ARTICLE_COLS: &str = "a.id, a.url, a.outlet, s.name, a.headline, a.first_seen_at, a.last_checked_at, \
    a.last_changed_at, a.removed_at, a.etag, a.last_modified, a.version_count, a.next_check_at, \
    (SELECT f.error FROM fetches f WHERE f.article_id = a.id ORDER BY f.id DESC LIMIT 1), \
    a.page_modified";

fn article_row(r: &Row) -> rusqlite::Result<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        url: r.get(1)?,
        outlet: r.get(2)?,
        source: r.get(3)?,
        headline: r.get(4)?,
        first_seen_at: r.get(5)?,
        last_checked_at: r.get(6)?,
        last_changed_at: r.get(7)?,
        removed_at: r.get(8)?,
        etag: r.get(9)?,
        last_modified: r.get(10)?,
        version_count: r.get(11)?,
        next_check_at: r.get(12)?,
        last_error: r.get(13)?,
        page_modified: r.get(14)?,
    })
}

const VERSION_COLS: &str = "article_id, seq, observed_at, content_hash, flagged, significance, article_json, diff_json, claims";

fn version_row(r: &Row) -> rusqlite::Result<VersionRow> {
    let json: String = r.get(6)?;
    let diff: Option<String> = r.get(7)?;
    let conv = |e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(6, rusqlite::types::Type::Text, Box::new(e))
    };
    Ok(VersionRow {
        article_id: r.get(0)?,
        seq: r.get(1)?,
        observed_at: r.get(2)?,
        content_hash: r.get(3)?,
        flagged: r.get(4)?,
        significance: r.get(5)?,
        article: serde_json::from_str(&json).map_err(conv)?,
        diff: diff
            .map(|d| serde_json::from_str(&d))
            .transpose()
            .map_err(conv)?,
        claims: r.get(8)?,
    })
}

/// [`Store::story_state`]'s members: each outlet's latest `?2` and the originals (in the
/// story) of the wire copies among them; with each, its outlet's member count and the whole
/// story's (count, largest rev), all from one statement (one snapshot).
const STORY_STATE_MEMBERS: &str = "WITH m AS (
        SELECT article_id, story_id, seq, outlet, published, score, wire_copy_of, manual, rev,
            row_number() OVER (PARTITION BY outlet ORDER BY published DESC NULLS LAST, article_id DESC) AS rk,
            count(*) OVER (PARTITION BY outlet) AS outlet_members,
            count(*) OVER () AS total, max(rev) OVER () AS max_rev
        FROM story_members WHERE story_id = ?1)
    SELECT article_id, story_id, seq, outlet, published, score, wire_copy_of, manual, rev,
        outlet_members, total, max_rev
    FROM m WHERE rk <= ?2 OR article_id IN (SELECT wire_copy_of FROM m WHERE rk <= ?2)";

const MEMBER_COLS: &str =
    "article_id, story_id, seq, outlet, published, features_json, score, wire_copy_of, manual, rev";

fn member_row(r: &Row) -> rusqlite::Result<StoryMember> {
    let published: Option<String> = r.get(4)?;
    let features: String = r.get(5)?;
    Ok(StoryMember {
        article_id: r.get(0)?,
        story_id: r.get(1)?,
        seq: r.get(2)?,
        outlet: r.get(3)?,
        published: published.as_deref().map(parse_ts),
        features: serde_json::from_str(&features).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(5, rusqlite::types::Type::Text, Box::new(e))
        })?,
        score: r.get::<_, f64>(6)? as f32,
        wire_copy_of: r.get(7)?,
        manual: r.get(8)?,
        rev: r.get(9)?,
    })
}

/// Stories aggregated from their members; the headline is the earliest member's.
const STORY_SELECT: &str = "SELECT m.story_id,
        (SELECT a.headline FROM story_members m2 JOIN articles a ON a.id = m2.article_id
          WHERE m2.story_id = m.story_id ORDER BY COALESCE(m2.published, m2.joined_at), m2.article_id LIMIT 1),
        (SELECT group_concat(o, char(31)) FROM (SELECT DISTINCT outlet AS o FROM story_members m3
          WHERE m3.story_id = m.story_id ORDER BY o)),
        COUNT(*),
        (SELECT COUNT(*) FROM story_findings f WHERE f.story_id = m.story_id AND f.resolved_at IS NULL),
        MIN(m.published), MAX(m.joined_at)
     FROM story_members m";

fn story_row(r: &Row) -> rusqlite::Result<StoryRow> {
    let outlets: Option<String> = r.get(2)?;
    Ok(StoryRow {
        id: r.get(0)?,
        headline: r.get(1)?,
        outlets: outlets
            .map(|o| o.split('\u{1f}').map(String::from).collect())
            .unwrap_or_default(),
        article_count: r.get(3)?,
        open_conflicts: r.get(4)?,
        first_published: r.get(5)?,
        last_joined_at: r.get(6)?,
    })
}

fn article_by_id(c: &Connection, id: i64) -> Result<Option<ArticleRow>> {
    Ok(c
        .query_row(
            &format!("SELECT {ARTICLE_COLS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?1"),
            [id],
            article_row,
        )
        .optional()?)
}

fn insert_event(
    tx: &rusqlite::Transaction,
    e: &Event,
    routes: &dyn Routes,
    at: DateTime<Utc>,
    out: &mut Committed,
) -> Result<()> {
    tx.execute(
        "INSERT INTO events (id, type, created_at, article_id, version_seq, source_name, payload, story_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![e.id, e.kind, rfc3339(e.created_at), e.article_id, e.version_seq, e.source, e.payload.to_string(), e.story_id],
    )?;
    if e.kind == crate::events::FACT_CHANGED {
        read::index_fact_changes(tx, &e.id)?;
    }
    for t in routes.targets(e.kind) {
        tx.execute(
            "INSERT INTO outbox (event_id, target, next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?3)",
            params![e.id, t, ts(at)],
        )?;
        out.outbox_rows += 1;
    }
    out.events.push(e.id.clone());
    Ok(())
}

/// Up to `limit` ids of articles due at `now`, round-robin across hosts (see
/// [`Store::lease_due_articles`]). When no more than `limit` are due, all are taken and one
/// indexed read of any `limit + 1` finds them. Otherwise the order matters: the hosts with
/// due articles are walked through the per-host index, and each gives its earliest
/// `2 × limit / hosts` (as the PostgreSQL statement does).
fn due_round_robin(c: &Connection, now: &str, limit: usize) -> Result<Vec<i64>> {
    let mut probe = c.prepare_cached(
        "SELECT id, host, next_check_at FROM articles
         WHERE next_check_at IS NOT NULL AND next_check_at <= ?1 LIMIT ?2",
    )?;
    let row = |r: &rusqlite::Row| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?));
    let mut due: Vec<(i64, String, String)> = probe
        .query_map(params![now, limit as i64 + 1], row)?
        .collect::<rusqlite::Result<_>>()?;
    if due.len() > limit {
        due.clear();
        let mut first = c.prepare_cached(
            "SELECT host FROM articles WHERE next_check_at IS NOT NULL ORDER BY host LIMIT 1",
        )?;
        let mut next = c.prepare_cached(
            "SELECT host FROM articles WHERE next_check_at IS NOT NULL AND host > ?1 ORDER BY host LIMIT 1",
        )?;
        let mut of_host = c.prepare_cached(
            "SELECT id, host, next_check_at FROM articles
             WHERE host = ?1 AND next_check_at IS NOT NULL AND next_check_at <= ?2
             ORDER BY next_check_at, id LIMIT ?3",
        )?;
        let mut hosts = Vec::new();
        let mut host: Option<String> = first.query_row([], |r| r.get(0)).optional()?;
        while let Some(h) = host {
            host = next.query_row([&h], |r| r.get(0)).optional()?;
            if of_host.exists(params![h, now, 1])? {
                hosts.push(h);
            }
        }
        let k = (2 * limit).div_ceil(hosts.len().max(1)).min(limit);
        for h in hosts {
            for r in of_host.query_map(params![h, now, k as i64], row)? {
                due.push(r?);
            }
        }
    }
    Ok(round_robin(due, limit))
}

/// `(id, host, due)` rows, each host's in due order, interleaved: every host's first, then
/// every host's second, …, each round in due order; at most `limit`.
fn round_robin(mut due: Vec<(i64, String, String)>, limit: usize) -> Vec<i64> {
    due.sort_by(|a, b| (&a.1, &a.2, a.0).cmp(&(&b.1, &b.2, b.0)));
    let mut ranked: Vec<(usize, &str, i64)> = Vec::with_capacity(due.len());
    let mut rank = 0;
    for (i, (id, host, at)) in due.iter().enumerate() {
        rank = if i > 0 && due[i - 1].1 == *host {
            rank + 1
        } else {
            0
        };
        ranked.push((rank, at, *id));
    }
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(limit)
        .map(|(_, _, id)| id)
        .collect()
}

/// Inserts the article at `url` unless it exists (see [`Store::create_article`]).
fn create_article_in(
    c: &Connection,
    url: &str,
    outlet: Option<&str>,
    source: Option<&str>,
    at: DateTime<Utc>,
) -> Result<ArticleRow> {
    c.execute(
        "INSERT INTO articles (url, outlet, source_id, first_seen_at, host)
         VALUES (?1, ?2, (SELECT id FROM sources WHERE name = ?3), ?4, ?5) ON CONFLICT(url) DO NOTHING",
        params![url, outlet, source, ts(at), super::url_host(url)],
    )?;
    let id: i64 = c.query_row("SELECT id FROM articles WHERE url = ?1", [url], |r| {
        r.get(0)
    })?;
    article_by_id(c, id)?.ok_or_else(|| StoreError::Corrupt(format!("article {url} vanished")))
}

/// One commit's writes inside `tx` (see [`Store::commit`]); [`SqliteStore::commit_many`] runs
/// the same writes for many commits in one transaction.
fn commit_in(
    tx: &rusqlite::Transaction,
    commit: &Commit,
    routes: &dyn Routes,
    at: DateTime<Utc>,
) -> Result<Committed> {
    let mut out = Committed::default();
    let now = ts(at);

    if let Some(s) = &commit.schedule {
        tx.execute(
                "UPDATE articles SET next_check_at = ?2, check_failures = ?3, leased_by = NULL, leased_at = NULL WHERE id = ?1",
                params![s.article_id, s.next.map(ts), s.failures],
            )?;
    }

    if let Some((source, f)) = &commit.fetch {
        let article_id = commit.article.as_ref().map(|a| a.article_id);
        tx.execute(
                "INSERT INTO fetches (source_id, article_id, url, at, outcome, status, error, duration_ms)
                 VALUES ((SELECT id FROM sources WHERE name = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![source, article_id, f.url, now, f.outcome, f.status, f.error, f.duration_ms as i64],
            )?;
    }

    if let Some(a) = &commit.article {
        tx.execute(
            "UPDATE articles SET last_checked_at = ?2,
                    etag = COALESCE(?3, etag), last_modified = COALESCE(?4, last_modified),
                    removed_at = CASE WHEN ?5 THEN COALESCE(removed_at, ?2) ELSE NULL END,
                    page_modified = COALESCE(?6, page_modified)
                 WHERE id = ?1",
            params![
                a.article_id,
                now,
                a.etag,
                a.last_modified,
                a.removed,
                a.page_modified
            ],
        )?;
        for alias in &a.aliases {
            tx.execute(
                    "INSERT INTO article_aliases (url, article_id) SELECT ?1, ?2
                     WHERE NOT EXISTS (SELECT 1 FROM articles WHERE url = ?1) ON CONFLICT(url) DO NOTHING",
                    params![alias, a.article_id],
                )?;
        }
    }

    if let Some(v) = &commit.version {
        let current: i64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM versions WHERE article_id = ?1",
            [v.article_id],
            |r| r.get(0),
        )?;
        if current + 1 != v.seq {
            return Err(StoreError::Conflict {
                article: v.article_id,
                seq: v.seq,
            });
        }
        let json =
            serde_json::to_string(&v.article).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let raw = match &v.raw {
            Some(r) => Some(
                zstd::encode_all(&r[..], 3)
                    .map_err(|e| StoreError::Corrupt(format!("compress: {e}")))?,
            ),
            None => None,
        };
        tx.execute(
                "INSERT INTO versions (article_id, seq, observed_at, content_hash, article_json, raw_zstd, raw_size, flagged, significance, diff_json, claims, content_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                params![
                    v.article_id, v.seq, now, v.article.content_hash(), json, raw,
                    v.raw.as_ref().map(|r| r.len() as i64), v.flagged, v.significance,
                    v.diff.as_ref().map(|d| d.to_string()), v.claims, v.content_type
                ],
            )?;
        tx.execute(
                "UPDATE articles SET version_count = ?2, headline = COALESCE(?3, headline),
                    last_changed_at = CASE WHEN ?2 > 1 THEN ?4 ELSE last_changed_at END WHERE id = ?1",
                params![v.article_id, v.seq, v.article.headline, now],
            )?;
    }

    for e in &commit.events {
        insert_event(tx, e, routes, at, &mut out)?;
    }

    if let Some(s) = &commit.source {
        let (failures, failing): (u32, bool) = tx
            .query_row(
                "SELECT consecutive_failures, failing FROM sources WHERE name = ?1",
                [&s.name],
                |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)),
            )
            .optional()?
            .unwrap_or((0, false));
        let next = s.next_check_at.map(ts);
        match &s.error {
            None => {
                tx.execute(
                        "UPDATE sources SET last_check_at = ?2, last_success_at = ?2, consecutive_failures = 0, failing = 0,
                            next_check_at = ?3, leased_by = NULL, leased_at = NULL WHERE name = ?1",
                        params![s.name, now, next],
                    )?;
                if failing {
                    let e = crate::events::source_health(at, false, &s.name, None, failures);
                    insert_event(tx, &e, routes, at, &mut out)?;
                }
            }
            Some(err) => {
                let n = failures + 1;
                let now_failing = failing || n >= s.threshold;
                tx.execute(
                        "UPDATE sources SET last_check_at = ?2, last_error = ?3, last_error_at = ?2, consecutive_failures = ?4,
                            failing = ?5, next_check_at = ?6, leased_by = NULL, leased_at = NULL WHERE name = ?1",
                        params![s.name, now, err, n, now_failing, next],
                    )?;
                if now_failing && !failing {
                    let e = crate::events::source_health(at, true, &s.name, Some(err), n);
                    insert_event(tx, &e, routes, at, &mut out)?;
                }
            }
        }
    }
    Ok(out)
}

impl Store for SqliteStore {
    fn sync_sources(&self, sources: &[crate::config::SourceConfig]) -> Result<()> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let now = ts(Utc::now());
        for s in sources {
            let location = s
                .url
                .clone()
                .or_else(|| s.path.as_ref().map(|p| p.display().to_string()));
            tx.execute(
                "INSERT INTO sources (name, kind, location, outlet, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, location = excluded.location, outlet = excluded.outlet",
                params![s.name, s.kind.as_str(), location, s.outlet, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn sources(&self) -> Result<Vec<SourceState>> {
        let c = self.conn();
        let mut st = c.prepare(
            "SELECT name, kind, location, outlet, last_check_at, last_success_at, last_error, last_error_at,
                    consecutive_failures, failing, next_check_at, articles_discovered, last_discovered_at,
                    etag, last_modified FROM sources ORDER BY name",
        )?;
        let rows = st.query_map([], |r| {
            Ok(SourceState {
                name: r.get(0)?,
                kind: r.get(1)?,
                location: r.get(2)?,
                outlet: r.get(3)?,
                last_check_at: r.get(4)?,
                last_success_at: r.get(5)?,
                last_error: r.get(6)?,
                last_error_at: r.get(7)?,
                consecutive_failures: r.get(8)?,
                failing: r.get::<_, i64>(9)? != 0,
                next_check_at: r.get(10)?,
                articles_discovered: r.get(11)?,
                last_discovered_at: r.get(12)?,
                etag: r.get(13)?,
                last_modified: r.get(14)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn article_by_url(&self, url: &str) -> Result<Option<ArticleRow>> {
        let c = self.conn();
        let id: Option<i64> = c
            .query_row(
                "SELECT id FROM articles WHERE url = ?1 UNION ALL SELECT article_id FROM article_aliases WHERE url = ?1 LIMIT 1",
                [url],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => article_by_id(&c, id),
            None => Ok(None),
        }
    }

    fn create_article(
        &self,
        url: &str,
        outlet: Option<&str>,
        source: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<ArticleRow> {
        create_article_in(&self.conn(), url, outlet, source, at)
    }

    fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        article_by_id(&self.conn(), id)
    }

    fn find_article(&self, key: &str) -> Result<Option<ArticleRow>> {
        if let Ok(id) = key.parse::<i64>() {
            return self.article(id);
        }
        self.article_by_url(key)
    }

    fn articles(&self, limit: usize) -> Result<Vec<ArticleRow>> {
        let c = self.conn();
        let mut st = c.prepare(&format!(
            "SELECT {ARTICLE_COLS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id
             ORDER BY COALESCE(a.last_changed_at, a.first_seen_at) DESC, a.id DESC LIMIT ?1"
        ))?;
        let rows = st.query_map([limit as i64], article_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn versions(&self, article_id: i64) -> Result<Vec<VersionRow>> {
        let c = self.conn();
        let mut st = c.prepare(&format!(
            "SELECT {VERSION_COLS} FROM versions WHERE article_id = ?1 ORDER BY seq"
        ))?;
        let rows = st.query_map([article_id], version_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn version(&self, article_id: i64, seq: i64) -> Result<Option<VersionRow>> {
        let c = self.conn();
        Ok(c.query_row(
            &format!("SELECT {VERSION_COLS} FROM versions WHERE article_id = ?1 AND seq = ?2"),
            params![article_id, seq],
            version_row,
        )
        .optional()?)
    }

    fn latest_version(&self, article_id: i64) -> Result<Option<VersionRow>> {
        let c = self.conn();
        Ok(c
            .query_row(
                &format!("SELECT {VERSION_COLS} FROM versions WHERE article_id = ?1 ORDER BY seq DESC LIMIT 1"),
                [article_id],
                version_row,
            )
            .optional()?)
    }

    fn raw_page(&self, article_id: i64, seq: i64) -> Result<Option<RawPage>> {
        let c = self.conn();
        let row: Option<(Option<Vec<u8>>, Option<String>)> = c
            .query_row(
                "SELECT raw_zstd, content_type FROM versions WHERE article_id = ?1 AND seq = ?2",
                params![article_id, seq],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            Some((Some(b), content_type)) => zstd::decode_all(&b[..])
                .map(|bytes| {
                    Some(RawPage {
                        bytes,
                        content_type,
                    })
                })
                .map_err(|e| StoreError::Corrupt(format!("raw page of {article_id}/{seq}: {e}"))),
            _ => Ok(None),
        }
    }

    fn commit(&self, commit: Commit, routes: &dyn Routes, at: DateTime<Utc>) -> Result<Committed> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let out = commit_in(&tx, &commit, routes, at)?;
        tx.commit()?;
        Ok(out)
    }

    fn events(&self, article_id: Option<i64>, limit: usize) -> Result<Vec<EventRow>> {
        let c = self.conn();
        let mut st = c.prepare(
            "SELECT id, type, created_at, article_id, version_seq, payload FROM events
             WHERE ?1 IS NULL OR article_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2",
        )?;
        let rows = st.query_map(params![article_id, limit as i64], |r| {
            let p: String = r.get(5)?;
            Ok(EventRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                created_at: r.get(2)?,
                article_id: r.get(3)?,
                version_seq: r.get(4)?,
                payload: serde_json::from_str(&p).unwrap_or(serde_json::Value::String(p)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn lease_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let rows: Vec<Delivery> = {
            let mut st = tx.prepare_cached(
                "SELECT o.id, o.event_id, o.target, o.attempts, o.created_at, e.payload FROM outbox o JOIN events e ON e.id = o.event_id
                 WHERE o.state = 'pending' AND o.next_attempt_at <= ?1 ORDER BY o.next_attempt_at, o.id LIMIT ?2",
            )?;
            st.query_map(params![ts(now), limit as i64], |r| {
                Ok(Delivery {
                    outbox_id: r.get(0)?,
                    event_id: r.get(1)?,
                    target: r.get(2)?,
                    attempts: r.get(3)?,
                    created_at: parse_ts(&r.get::<_, String>(4)?),
                    payload: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        {
            let mut lease = tx.prepare_cached(
                "UPDATE outbox SET next_attempt_at = ?2, leased_by = ?3, leased_at = ?4 WHERE id = ?1",
            )?;
            for d in &rows {
                lease.execute(params![d.outbox_id, ts(lease_until), worker_id(), ts(now)])?;
            }
        }
        tx.commit()?;
        Ok(rows)
    }

    fn record_attempt(
        &self,
        outbox_id: i64,
        at: DateTime<Utc>,
        result: &AttemptResult,
        duration_ms: u64,
    ) -> Result<()> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let (status, error) = match result {
            AttemptResult::Delivered { status } => (*status, None),
            AttemptResult::Retry { status, error, .. }
            | AttemptResult::GiveUp { status, error } => (*status, Some(error.clone())),
        };
        tx.execute(
            "INSERT INTO delivery_attempts (outbox_id, at, status, error, duration_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![outbox_id, ts(at), status, error, duration_ms as i64],
        )?;
        match result {
            AttemptResult::Delivered { .. } => tx.execute(
                "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = ?2, last_error = NULL,
                    leased_by = NULL, leased_at = NULL WHERE id = ?1",
                params![outbox_id, ts(at)],
            )?,
            AttemptResult::Retry { error, next_at, .. } => tx.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
                    leased_by = NULL, leased_at = NULL WHERE id = ?1",
                params![outbox_id, error, ts(*next_at)],
            )?,
            AttemptResult::GiveUp { error, .. } => tx.execute(
                "UPDATE outbox SET state = 'gave_up', attempts = attempts + 1, last_error = ?2,
                    leased_by = NULL, leased_at = NULL WHERE id = ?1",
                params![outbox_id, error],
            )?,
        };
        tx.commit()?;
        Ok(())
    }

    fn pending_deliveries(&self) -> Result<usize> {
        let c = self.conn();
        let n: i64 = c.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    fn next_delivery_at(&self) -> Result<Option<DateTime<Utc>>> {
        let c = self.conn();
        let t: Option<String> = c.query_row(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )?;
        Ok(t.map(|t| parse_ts(&t)))
    }

    fn deliveries(&self, limit: usize) -> Result<Vec<DeliveryRow>> {
        let c = self.conn();
        let mut st = c.prepare(
            "SELECT o.event_id, e.type, o.target, o.state, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at
             FROM outbox o JOIN events e ON e.id = o.event_id ORDER BY o.id DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit as i64], |r| {
            Ok(DeliveryRow {
                event_id: r.get(0)?,
                event_type: r.get(1)?,
                target: r.get(2)?,
                state: r.get(3)?,
                attempts: r.get(4)?,
                next_attempt_at: r.get(5)?,
                last_error: r.get(6)?,
                delivered_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn ping(&self) -> Result<()> {
        self.conn().query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    }

    fn discover(
        &self,
        source: &str,
        outlet: Option<&str>,
        items: &[crate::sources::discover::Discovered],
        at: DateTime<Utc>,
    ) -> Result<DiscoverStats> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let now = ts(at);
        let mut stats = DiscoverStats::default();
        {
            let mut find = tx.prepare_cached(
                "SELECT id, listed_updated FROM articles WHERE url = ?1
                 UNION ALL SELECT a.id, a.listed_updated FROM article_aliases l JOIN articles a ON a.id = l.article_id
                 WHERE l.url = ?1 LIMIT 1",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO articles (url, outlet, source_id, first_seen_at, next_check_at, published_hint, hint_json, listed_updated, host)
                 VALUES (?1, ?2, (SELECT id FROM sources WHERE name = ?3), ?4, ?4, ?5, ?6, ?7, ?8)",
            )?;
            let mut touch = tx.prepare_cached(
                "UPDATE articles SET listed_updated = ?2, hint_json = ?3,
                    next_check_at = CASE WHEN next_check_at IS NULL OR next_check_at > ?4 THEN ?4 ELSE next_check_at END
                 WHERE id = ?1",
            )?;
            for item in items {
                let hint = serde_json::to_string(item).unwrap_or_default();
                let updated = item.updated.map(ts);
                let known: Option<(i64, Option<String>)> = find
                    .query_row([&item.url], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                match known {
                    None => {
                        insert.execute(params![
                            item.url,
                            outlet,
                            source,
                            now,
                            item.published.map(ts),
                            hint,
                            updated,
                            super::url_host(&item.url)
                        ])?;
                        stats.new += 1;
                    }
                    // A newer listed update (sitemap lastmod) than we knew: check it now.
                    Some((id, seen)) if updated.is_some() && updated > seen && seen.is_some() => {
                        touch.execute(params![id, updated, hint, now])?;
                        stats.updated += 1;
                    }
                    Some((id, None)) if updated.is_some() => {
                        tx.execute(
                            "UPDATE articles SET listed_updated = ?2 WHERE id = ?1",
                            params![id, updated],
                        )?;
                    }
                    Some(_) => {}
                }
            }
        }
        tx.execute(
            "UPDATE sources SET articles_discovered = articles_discovered + ?2,
                last_discovered_at = CASE WHEN ?2 > 0 THEN ?3 ELSE last_discovered_at END WHERE name = ?1",
            params![source, stats.new as i64, now],
        )?;
        tx.commit()?;
        Ok(stats)
    }

    fn lease_due_articles(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueArticle>> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let ids = due_round_robin(&tx, &ts(now), limit)?;
        let mut rows = Vec::with_capacity(ids.len());
        {
            let mut get = tx.prepare_cached(
                "SELECT a.id, a.url, a.outlet, s.name, a.first_seen_at, a.published_hint, a.check_failures,
                        a.etag, a.last_modified, a.version_count
                 FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
            )?;
            let mut lease = tx.prepare_cached(
                "UPDATE articles SET next_check_at = ?2, leased_by = ?3, leased_at = ?4 WHERE id = ?1",
            )?;
            let until = ts(lease_until + chrono::Duration::milliseconds(1));
            for id in ids {
                rows.push(get.query_row([id], |r| {
                    Ok(DueArticle {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        outlet: r.get(2)?,
                        source: r.get(3)?,
                        first_seen_at: parse_ts(&r.get::<_, String>(4)?),
                        published_hint: r.get::<_, Option<String>>(5)?.map(|s| parse_ts(&s)),
                        check_failures: r.get(6)?,
                        etag: r.get(7)?,
                        last_modified: r.get(8)?,
                        version_count: r.get(9)?,
                    })
                })?);
                lease.execute(params![id, until, worker_id(), ts(now)])?;
            }
        }
        tx.commit()?;
        Ok(rows)
    }

    fn make_due(&self, now: DateTime<Utc>, sources: Option<&[String]>) -> Result<u64> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let now = ts(now);
        let n = match sources {
            None => tx.execute(
                "UPDATE articles SET next_check_at = ?1 WHERE next_check_at > ?1 AND leased_by IS NULL",
                [&now],
            )?,
            Some(names) => {
                let mut st = tx.prepare_cached(
                    "UPDATE articles SET next_check_at = ?1
                     WHERE next_check_at > ?1 AND leased_by IS NULL
                       AND source_id = (SELECT id FROM sources WHERE name = ?2)",
                )?;
                let mut n = 0;
                for name in names {
                    n += st.execute(params![now, name])?;
                }
                n
            }
        };
        tx.commit()?;
        Ok(n as u64)
    }
    fn set_article_schedule(
        &self,
        article_id: i64,
        next: Option<DateTime<Utc>>,
        failures: u32,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE articles SET next_check_at = ?2, check_failures = ?3, leased_by = NULL, leased_at = NULL WHERE id = ?1",
            params![article_id, next.map(ts), failures],
        )?;
        Ok(())
    }

    fn next_article_due(&self) -> Result<Option<DateTime<Utc>>> {
        let t: Option<String> = self.conn().query_row(
            "SELECT MIN(next_check_at) FROM articles WHERE next_check_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(t.map(|s| parse_ts(&s)))
    }

    fn absorb_article(&self, dup: i64, into: i64) -> Result<bool> {
        let mut c = self.conn();
        let tx = c.transaction()?;
        let versions: i64 = tx.query_row(
            "SELECT COUNT(*) FROM versions WHERE article_id = ?1",
            [dup],
            |r| r.get(0),
        )?;
        if versions > 0 || dup == into {
            return Ok(false);
        }
        let url: Option<String> = tx
            .query_row("SELECT url FROM articles WHERE id = ?1", [dup], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(url) = url else { return Ok(false) };
        tx.execute(
            "UPDATE article_aliases SET article_id = ?2 WHERE article_id = ?1",
            params![dup, into],
        )?;
        tx.execute(
            "UPDATE fetches SET article_id = ?2 WHERE article_id = ?1",
            params![dup, into],
        )?;
        tx.execute(
            "UPDATE events SET article_id = ?2 WHERE article_id = ?1",
            params![dup, into],
        )?;
        tx.execute("DELETE FROM articles WHERE id = ?1", [dup])?;
        tx.execute(
            "INSERT INTO article_aliases (url, article_id) VALUES (?1, ?2) ON CONFLICT(url) DO UPDATE SET article_id = excluded.article_id",
            params![url, into],
        )?;
        tx.commit()?;
        Ok(true)
    }

    fn set_source_validators(
        &self,
        name: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE sources SET etag = ?2, last_modified = ?3 WHERE name = ?1",
            params![name, etag, last_modified],
        )?;
        Ok(())
    }

    fn story_sync(
        &self,
        since: i64,
        range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Result<StorySync> {
        let c = self.conn();
        let (rev, next_story): (i64, i64) = c.query_row(
            "SELECT rev, next_story FROM story_meta WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut st = c.prepare(&format!(
            "SELECT {MEMBER_COLS} FROM story_members
             WHERE rev > ?1 ORDER BY rev, article_id"
        ))?;
        let mut by_time = c.prepare(&format!(
            "SELECT {MEMBER_COLS} FROM story_members
             WHERE published BETWEEN ?2 AND ?3 AND rev > ?1 ORDER BY rev, article_id"
        ))?;
        // Two statements, so each uses its index (rev, or published for a period load).
        let members = match range {
            None => st.query_map(params![since], member_row)?,
            Some((from, to)) => by_time.query_map(params![since, ts(from), ts(to)], member_row)?,
        }
        .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut must = Vec::new();
        let mut cannot = Vec::new();
        let mut st = c.prepare("SELECT a, b, kind FROM story_links ORDER BY a, b")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (a, b, kind) = row?;
            if kind == "must" {
                must.push((a, b));
            } else {
                cannot.push((a, b));
            }
        }
        Ok(StorySync {
            members,
            must,
            cannot,
            next_story: next_story.max(0) as u64,
            rev,
        })
    }

    fn story_write(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<i64> {
        let mut c = self.conn();
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let rev: i64 = tx.query_row("SELECT rev FROM story_meta WHERE id = 1", [], |r| r.get(0))?;
        if rev != w.base_rev {
            return Err(StoreError::StoriesMoved);
        }
        let rev = rev + 1;
        let now = ts(at);
        for m in &w.members {
            let features = serde_json::to_string(&m.features)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO story_members (article_id, story_id, seq, outlet, published, features_json, score, wire_copy_of, manual, joined_at, rev)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT(article_id) DO UPDATE SET story_id = ?2, seq = ?3, outlet = ?4, published = ?5,
                    features_json = ?6, score = ?7, wire_copy_of = ?8, manual = ?9, rev = ?11,
                    joined_at = CASE WHEN story_id = ?2 THEN joined_at ELSE ?10 END",
                params![
                    // Undated members are filed under when they joined (period loads use it).
                    m.article_id, m.story_id, m.seq, m.outlet, ts(m.published.unwrap_or(at)), features,
                    m.score as f64, m.wire_copy_of, m.manual, now, rev
                ],
            )?;
        }
        if let Some((must, cannot)) = &w.links {
            tx.execute("DELETE FROM story_links", [])?;
            for (pairs, kind) in [(must, "must"), (cannot, "cannot")] {
                for &(a, b) in pairs {
                    tx.execute(
                        "INSERT INTO story_links (a, b, kind, created_at) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT(a, b) DO UPDATE SET kind = ?3",
                        params![a.min(b), a.max(b), kind, now],
                    )?;
                }
            }
        }
        tx.execute(
            "UPDATE story_meta SET rev = ?1, next_story = MAX(next_story, ?2) WHERE id = 1",
            params![rev, w.next_story as i64],
        )?;
        tx.commit()?;
        Ok(rev)
    }

    fn unclustered_articles(&self, after: i64, limit: usize) -> Result<Vec<i64>> {
        let c = self.conn();
        let mut st = c.prepare(
            "SELECT a.id FROM articles a
             JOIN (SELECT article_id, MAX(seq) AS seq FROM versions WHERE flagged IS NULL GROUP BY article_id) v
               ON v.article_id = a.id
             LEFT JOIN story_members m ON m.article_id = a.id
             WHERE a.id > ?1 AND (m.seq IS NULL OR m.seq <> v.seq) ORDER BY a.id LIMIT ?2",
        )?;
        let rows = st.query_map(params![after, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Members without their features (comparing reads the versions), and only those a
    /// re-compare needs ([`StoryState`]); the membership counted in the same statement.
    fn story_state(&self, story_id: i64) -> Result<StoryState> {
        let mut state = StoryState::default();
        {
            let c = self.conn();
            let mut st = c.prepare_cached(STORY_STATE_MEMBERS)?;
            let mut truncated = std::collections::BTreeSet::new();
            let rows = st.query_map(params![story_id, STATE_PER_OUTLET as i64], |r| {
                let published: Option<String> = r.get(4)?;
                let m = StoryMember {
                    article_id: r.get(0)?,
                    story_id: r.get(1)?,
                    seq: r.get(2)?,
                    outlet: r.get(3)?,
                    published: published.as_deref().map(parse_ts),
                    features: Default::default(),
                    score: r.get::<_, f64>(5)? as f32,
                    wire_copy_of: r.get(6)?,
                    manual: r.get(7)?,
                    rev: r.get(8)?,
                };
                Ok((m, r.get::<_, i64>(9)?, (r.get(10)?, r.get(11)?)))
            })?;
            for row in rows {
                let (m, outlet_members, membership) = row?;
                if outlet_members > STATE_PER_OUTLET as i64 {
                    truncated.insert(m.outlet.clone());
                }
                state.membership = membership;
                state.members.push(m);
            }
            state.truncated = truncated.into_iter().collect();
        }
        state.story = self.story(story_id)?;
        state.open = self.story_findings(story_id, false)?;
        Ok(state)
    }

    fn story_members(&self, story_id: i64) -> Result<Vec<StoryMember>> {
        let c = self.conn();
        let mut st = c.prepare(&format!(
            "SELECT {MEMBER_COLS} FROM story_members WHERE story_id = ?1 ORDER BY joined_at, article_id"
        ))?;
        let rows = st.query_map([story_id], member_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn story_of(&self, article_id: i64) -> Result<Option<i64>> {
        let c = self.conn();
        Ok(c.query_row(
            "SELECT story_id FROM story_members WHERE article_id = ?1",
            [article_id],
            |r| r.get(0),
        )
        .optional()?)
    }

    fn stories(&self, limit: usize) -> Result<Vec<StoryRow>> {
        let c = self.conn();
        let mut st = c.prepare(&format!(
            "{STORY_SELECT} GROUP BY m.story_id ORDER BY MAX(m.joined_at) DESC, m.story_id DESC LIMIT ?1"
        ))?;
        let rows = st.query_map([limit as i64], story_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn story(&self, story_id: i64) -> Result<Option<StoryRow>> {
        let c = self.conn();
        Ok(c.query_row(
            &format!("{STORY_SELECT} WHERE m.story_id = ?1 GROUP BY m.story_id"),
            [story_id],
            story_row,
        )
        .optional()?)
    }

    fn story_findings(&self, story_id: i64, include_resolved: bool) -> Result<Vec<StoredFinding>> {
        let c = self.conn();
        let mut st = c.prepare(
            "SELECT story_id, ident, change_key, outcome, severity, slot, event, explanation, finding_json,
                    opened_at, updated_at, resolved_at, event_id
             FROM story_findings WHERE story_id = ?1 AND (?2 OR resolved_at IS NULL)
             ORDER BY resolved_at IS NOT NULL, severity DESC, id",
        )?;
        let rows = st.query_map(params![story_id, include_resolved], |r| {
            let f: String = r.get(8)?;
            Ok(StoredFinding {
                story_id: r.get(0)?,
                ident: r.get(1)?,
                change_key: r.get(2)?,
                outcome: r.get(3)?,
                severity: r.get::<_, f64>(4)? as f32,
                slot: r.get(5)?,
                event: r.get(6)?,
                explanation: r.get(7)?,
                finding: serde_json::from_str(&f).unwrap_or(serde_json::Value::String(f)),
                opened_at: r.get(9)?,
                updated_at: r.get(10)?,
                resolved_at: r.get(11)?,
                event_id: r.get(12)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn write_findings(
        &self,
        w: &FindingsWrite,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<Committed> {
        let mut c = self.conn();
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut open: Vec<(String, String)> = {
            let mut st = tx.prepare(
                "SELECT ident, change_key FROM story_findings WHERE story_id = ?1 AND resolved_at IS NULL",
            )?;
            st.query_map([w.story_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        open.sort();
        let mut expected = w.expected_open.clone();
        expected.sort();
        let membership: (i64, i64) = tx.query_row(
            "SELECT COUNT(*), COALESCE(MAX(rev), 0) FROM story_members WHERE story_id = ?1",
            [w.story_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if open != expected || membership != w.membership {
            return Err(StoreError::StoriesMoved);
        }
        let now = ts(at);
        for (old, new) in &w.renames {
            // A resolved row under the new ident would collide: the renamed one continues it.
            tx.execute(
                "DELETE FROM story_findings WHERE story_id = ?1 AND ident = ?2 AND resolved_at IS NOT NULL",
                params![w.story_id, new],
            )?;
            tx.execute(
                "UPDATE story_findings SET ident = ?3 WHERE story_id = ?1 AND ident = ?2",
                params![w.story_id, old, new],
            )?;
        }
        for f in &w.upsert {
            tx.execute(
                "INSERT INTO story_findings (story_id, ident, change_key, outcome, severity, slot, event, explanation,
                    finding_json, opened_at, updated_at, resolved_at, event_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, NULL, ?11)
                 ON CONFLICT(story_id, ident) DO UPDATE SET change_key = ?3, outcome = ?4, severity = ?5, slot = ?6,
                    event = ?7, explanation = ?8, finding_json = ?9, updated_at = ?10,
                    opened_at = CASE WHEN resolved_at IS NULL THEN opened_at ELSE ?10 END,
                    resolved_at = NULL, event_id = COALESCE(?11, event_id)",
                params![
                    w.story_id, f.ident, f.change_key, f.outcome, f.severity as f64, f.slot, f.event,
                    f.explanation, f.finding.to_string(), now, f.event_id
                ],
            )?;
        }
        for ident in &w.resolve {
            tx.execute(
                "UPDATE story_findings SET resolved_at = ?3, updated_at = ?3 WHERE story_id = ?1 AND ident = ?2",
                params![w.story_id, ident, now],
            )?;
        }
        let mut out = Committed::default();
        for e in &w.events {
            insert_event(&tx, e, routes, at, &mut out)?;
        }
        tx.commit()?;
        Ok(out)
    }

    fn list_articles(&self, q: &ArticleQuery, page: PageReq) -> Result<Paged<ArticleRow>> {
        let c = self.conn();
        let stats = match q.text.as_deref() {
            Some(t) if t.chars().count() >= 3 => {
                let path = c
                    .path()
                    .filter(|p| !p.is_empty())
                    .map(std::path::PathBuf::from);
                self.trigrams.current(path)
            }
            _ => None,
        };
        read::articles(&c, q, page, stats.as_deref())
    }

    fn list_fact_changes(&self, q: &FactQuery, page: PageReq) -> Result<Paged<FactChangeRow>> {
        read::fact_changes(&self.conn(), q, page)
    }

    fn list_fact_changes_raw(
        &self,
        q: &FactQuery,
        page: PageReq,
    ) -> Result<Paged<(FactChangeRow, String)>> {
        read::fact_changes_raw(&self.conn(), q, page)
    }

    fn fact_change(&self, id: i64) -> Result<Option<FactChangeRow>> {
        read::fact_change(&self.conn(), id)
    }

    fn list_findings(&self, q: &FindingQuery, page: PageReq) -> Result<Paged<FindingRow>> {
        read::findings(&self.conn(), q, page)
    }

    fn finding(&self, id: i64) -> Result<Option<FindingRow>> {
        read::finding(&self.conn(), id)
    }

    fn list_events(&self, q: &EventQuery, page: PageReq) -> Result<Paged<EventRow>> {
        read::events(&self.conn(), q, page)
    }

    fn event(&self, id: &str) -> Result<Option<EventRow>> {
        read::event(&self.conn(), id)
    }

    fn list_stories(&self, page: PageReq) -> Result<Paged<StoryRow>> {
        read::stories(&self.conn(), page)
    }

    fn list_deliveries(&self, q: &DeliveryQuery, page: PageReq) -> Result<Paged<DeliveryRow>> {
        read::deliveries(&self.conn(), q, page)
    }

    fn outlets(&self) -> Result<Vec<String>> {
        read::outlets(&self.conn())
    }

    fn lease_source(
        &self,
        name: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool> {
        workers::lease_source(&self.conn(), name, now, lease_until)
    }

    fn schema_version(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )?)
    }

    fn worker_beat(&self, stopping: bool) -> Result<()> {
        workers::beat(&self.conn(), stopping)
    }

    fn workers(&self, now: DateTime<Utc>) -> Result<Vec<WorkerRow>> {
        workers::workers(&self.conn(), now)
    }

    fn articles_with_versions(
        &self,
        after: i64,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<i64>> {
        ops::articles_with_versions(&self.conn(), after, since, limit)
    }

    fn rewrite_versions(&self, rewrites: &[VersionRewrite]) -> Result<()> {
        ops::rewrite_versions(&mut self.conn(), rewrites)
    }

    fn ops_cursor(&self, name: &str) -> Result<Option<String>> {
        ops::ops_cursor(&self.conn(), name)
    }

    fn set_ops_cursor(&self, name: &str, value: Option<&str>) -> Result<()> {
        ops::set_ops_cursor(&self.conn(), name, value)
    }

    fn check_links(&self, routed: &dyn Fn(&str) -> bool) -> Result<LinkCheck> {
        ops::check_links(&self.conn(), routed)
    }

    fn drop_raw_before(&self, before: DateTime<Utc>) -> Result<u64> {
        ops::drop_raw_before(&self.conn(), before)
    }

    fn vacuum(&self) -> Result<()> {
        ops::vacuum(&self.conn())
    }

    fn stats(&self, now: DateTime<Utc>) -> Result<StoreStats> {
        ops::stats(&self.conn(), now)
    }

    fn edits_by_day(&self, since: DateTime<Utc>) -> Result<Vec<EditCount>> {
        read::edits_by_day(&self.conn(), since)
    }
}

pub mod bulk;
mod ops;
mod read;
pub mod search;
mod workers;
