//! Operations on SQLite (issue 18): re-processing writes, link checks, raw-page retention,
//! `VACUUM` and the counts `/metrics` reports.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::ts;
use crate::store::*;

pub(super) fn articles_with_versions(
    c: &Connection,
    after: i64,
    since: Option<DateTime<Utc>>,
    limit: usize,
) -> Result<Vec<i64>> {
    let mut st = c.prepare_cached(
        "SELECT DISTINCT article_id FROM versions
         WHERE article_id > ?1 AND (?2 IS NULL OR observed_at >= ?2)
         ORDER BY article_id LIMIT ?3",
    )?;
    let ids = st
        .query_map(params![after, since.map(ts), limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

pub(super) fn rewrite_versions(c: &mut Connection, rewrites: &[VersionRewrite]) -> Result<()> {
    let tx = c.transaction()?;
    for w in rewrites {
        let json =
            serde_json::to_string(&w.article).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.execute(
            "UPDATE versions SET content_hash = ?3, article_json = ?4, flagged = ?5,
                significance = ?6, diff_json = ?7, claims = ?8
             WHERE article_id = ?1 AND seq = ?2",
            params![
                w.article_id,
                w.seq,
                w.article.content_hash(),
                json,
                w.flagged,
                w.significance,
                w.diff.as_ref().map(|d| d.to_string()),
                w.claims
            ],
        )?;
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn ops_cursor(c: &Connection, name: &str) -> Result<Option<String>> {
    Ok(c.query_row(
        "SELECT value FROM ops_cursors WHERE name = ?1",
        [name],
        |r| r.get(0),
    )
    .optional()?)
}

pub(super) fn set_ops_cursor(c: &Connection, name: &str, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => c.execute(
            "INSERT INTO ops_cursors (name, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            params![name, v, ts(Utc::now())],
        )?,
        None => c.execute("DELETE FROM ops_cursors WHERE name = ?1", [name])?,
    };
    Ok(())
}

pub(super) fn check_links(c: &Connection, routed: &dyn Fn(&str) -> bool) -> Result<LinkCheck> {
    let mut st = c.prepare(
        "SELECT e.id, e.type FROM events e
         WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id)
           AND COALESCE(json_extract(e.payload, '$.quiet'), 0) = 0
         ORDER BY e.created_at, e.id",
    )?;
    let events_without_outbox = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .filter(|r| r.as_ref().map_or(true, |(_, t)| routed(t)))
        .collect::<rusqlite::Result<_>>()?;
    let orphan_outbox_rows = c.query_row(
        "SELECT COUNT(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = o.event_id)",
        [],
        |r| r.get(0),
    )?;
    let orphan_fact_changes = c.query_row(
        "SELECT COUNT(*) FROM fact_changes f WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = f.event_id)",
        [],
        |r| r.get(0),
    )?;
    let mut engine: Vec<String> = c
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|m| m != "ok")
        .map(|m| format!("integrity_check: {m}"))
        .collect();
    let mut st = c.prepare("PRAGMA foreign_key_check")?;
    let fk = st.query_map([], |r| {
        Ok(format!(
            "foreign_key_check: {} row {} refers to a missing {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            r.get::<_, String>(2)?
        ))
    })?;
    engine.extend(fk.collect::<rusqlite::Result<Vec<_>>>()?);
    Ok(LinkCheck {
        events_without_outbox,
        orphan_outbox_rows,
        orphan_fact_changes,
        engine,
    })
}

pub(super) fn drop_raw_before(c: &Connection, before: DateTime<Utc>) -> Result<u64> {
    let n = c.execute(
        "UPDATE versions SET raw_zstd = NULL WHERE observed_at < ?1 AND raw_zstd IS NOT NULL",
        [ts(before)],
    )?;
    Ok(n as u64)
}

pub(super) fn vacuum(c: &Connection) -> Result<()> {
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA optimize;")?;
    Ok(())
}

/// The host of `url`, in SQL (SQLite has no URL functions).
const HOST: &str = "CASE WHEN instr(substr(url, instr(url, '://') + 3), '/') > 0
    THEN substr(substr(url, instr(url, '://') + 3), 1, instr(substr(url, instr(url, '://') + 3), '/') - 1)
    ELSE substr(url, instr(url, '://') + 3) END";

fn pairs(c: &Connection, sql: &str) -> Result<Vec<(String, i64)>> {
    let mut st = c.prepare(sql)?;
    let rows = st
        .query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                r.get(1)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(super) fn stats(c: &Connection, now: DateTime<Utc>) -> Result<StoreStats> {
    let mut st = c.prepare(&format!(
        "SELECT outcome, {HOST} AS host, COUNT(*) FROM fetches GROUP BY outcome, host"
    ))?;
    let fetches = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let one = |sql: &str| -> Result<i64> { Ok(c.query_row(sql, [], |r| r.get(0))?) };
    let overdue = ts(now - chrono::Duration::seconds(OVERDUE_SECS));
    let now = ts(now);
    let leases = c.query_row(
        "SELECT (SELECT COUNT(*) FROM articles WHERE leased_by IS NOT NULL AND next_check_at > ?1),
                (SELECT COUNT(*) FROM outbox WHERE leased_by IS NOT NULL AND state = 'pending' AND next_attempt_at > ?1),
                (SELECT COUNT(*) FROM sources WHERE leased_by IS NOT NULL AND next_check_at > ?1)",
        [&now],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(StoreStats {
        fetches,
        flagged: pairs(
            c,
            "SELECT flagged, COUNT(*) FROM versions WHERE flagged IS NOT NULL GROUP BY flagged",
        )?,
        events: pairs(c, "SELECT type, COUNT(*) FROM events GROUP BY type")?,
        outbox_pending: one("SELECT COUNT(*) FROM outbox WHERE state = 'pending'")?,
        outbox_oldest_pending: c.query_row(
            "SELECT MIN(created_at) FROM outbox WHERE state = 'pending'",
            [],
            |r| r.get(0),
        )?,
        outbox_overdue: c.query_row(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND next_attempt_at < ?1",
            [&overdue],
            |r| r.get(0),
        )?,
        attempts: pairs(
            c,
            "SELECT CASE WHEN error IS NULL THEN 'delivered' ELSE 'failed' END AS result, COUNT(*)
             FROM delivery_attempts GROUP BY result",
        )?,
        articles: one("SELECT COUNT(*) FROM articles")?,
        versions: one("SELECT COUNT(*) FROM versions")?,
        raw_bytes: one("SELECT COALESCE(SUM(length(raw_zstd)), 0) FROM versions")?,
        raw_dropped: one(
            "SELECT COUNT(*) FROM versions WHERE raw_zstd IS NULL AND raw_size IS NOT NULL",
        )?,
        db_bytes: one(
            "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
        )?,
        leases,
    })
}
