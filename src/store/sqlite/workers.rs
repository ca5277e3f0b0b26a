//! The `workers` registry and source leases on SQLite: one file has one writer at a time, so
//! these are the PostgreSQL statements without the row locks; `factdiff workers` reads the
//! same columns on both backends.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};

use super::ts;
use crate::store::*;

pub(super) fn lease_source(
    c: &Connection,
    name: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool> {
    let n = c.execute(
        "UPDATE sources SET next_check_at = ?3, leased_by = ?4, leased_at = ?2
         WHERE name = ?1 AND (next_check_at IS NULL OR next_check_at <= ?2)",
        params![name, ts(now), ts(lease_until), worker_id()],
    )?;
    Ok(n == 1)
}

pub(super) fn beat(c: &Connection, stopping: bool) -> Result<()> {
    let now = ts(Utc::now());
    let id = worker_id();
    c.execute(
        "INSERT INTO workers (id, host, pid, started_at, heartbeat_at, stopped_at)
         VALUES (?1, ?2, ?3, ?4, ?4, CASE WHEN ?5 THEN ?4 END)
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = ?4,
            stopped_at = CASE WHEN ?5 THEN ?4 ELSE NULL END",
        params![id, hostname(), std::process::id() as i64, now, stopping],
    )?;
    if stopping {
        for sql in [
            "UPDATE articles SET next_check_at = ?2, leased_by = NULL, leased_at = NULL WHERE leased_by = ?1 AND next_check_at > ?2",
            "UPDATE outbox SET next_attempt_at = ?2, leased_by = NULL, leased_at = NULL WHERE leased_by = ?1 AND state = 'pending' AND next_attempt_at > ?2",
            "UPDATE sources SET next_check_at = ?2, leased_by = NULL, leased_at = NULL WHERE leased_by = ?1 AND next_check_at > ?2",
        ] {
            c.execute(sql, params![id, now])?;
        }
    }
    Ok(())
}

pub(super) fn workers(c: &Connection, now: DateTime<Utc>) -> Result<Vec<WorkerRow>> {
    let alive_after = ts(now - chrono::Duration::seconds(WORKER_ALIVE_SECS));
    let mut st = c.prepare(
        "SELECT w.id,
            (SELECT COUNT(*) FROM articles a WHERE a.leased_by = w.id AND a.next_check_at > ?1),
            (SELECT COUNT(*) FROM outbox o WHERE o.leased_by = w.id AND o.state = 'pending' AND o.next_attempt_at > ?1),
            (SELECT group_concat(name, char(31)) FROM (SELECT s.name FROM sources s
              WHERE s.leased_by = w.id AND s.next_check_at > ?1 ORDER BY s.name)),
            (SELECT MIN(t) FROM (
              SELECT MIN(a.leased_at) AS t FROM articles a WHERE a.leased_by = w.id AND a.next_check_at > ?1
              UNION ALL SELECT MIN(o.leased_at) FROM outbox o WHERE o.leased_by = w.id AND o.state = 'pending' AND o.next_attempt_at > ?1
              UNION ALL SELECT MIN(s.leased_at) FROM sources s WHERE s.leased_by = w.id AND s.next_check_at > ?1)),
            w.host, w.pid, w.started_at, w.heartbeat_at, w.stopped_at
         FROM workers w ORDER BY w.heartbeat_at DESC, w.id",
    )?;
    let rows = st.query_map([ts(now)], |r| {
        let heartbeat_at: String = r.get(8)?;
        let stopped_at: Option<String> = r.get(9)?;
        let sources: Option<String> = r.get(3)?;
        Ok(WorkerRow {
            alive: stopped_at.is_none() && heartbeat_at >= alive_after,
            id: r.get(0)?,
            articles: r.get(1)?,
            deliveries: r.get(2)?,
            sources: sources
                .map(|s| s.split('\u{1f}').map(String::from).collect())
                .unwrap_or_default(),
            oldest_lease_at: r.get(4)?,
            host: r.get(5)?,
            pid: r.get(6)?,
            started_at: r.get(7)?,
            heartbeat_at,
            stopped_at,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
