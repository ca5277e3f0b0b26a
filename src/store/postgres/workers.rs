//! Work sharing between workers: listing/page leases, the shared per-host politeness turn,
//! and the `workers` registry that `factdiff workers` reads.

use chrono::{DateTime, Utc};

use super::{Cached, PgStore, ts};
use crate::store::*;

/// Unexpired leases per holder: (holder, articles, deliveries, sources, oldest lease).
const HOLDINGS: &str = "
    SELECT w.id,
        (SELECT COUNT(*) FROM articles a WHERE a.leased_by = w.id AND a.next_check_at > $1),
        (SELECT COUNT(*) FROM outbox o WHERE o.leased_by = w.id AND o.state = 'pending' AND o.next_attempt_at > $1),
        ARRAY(SELECT s.name FROM sources s WHERE s.leased_by = w.id AND s.next_check_at > $1 ORDER BY s.name),
        LEAST(
            (SELECT MIN(a.leased_at) FROM articles a WHERE a.leased_by = w.id AND a.next_check_at > $1),
            (SELECT MIN(o.leased_at) FROM outbox o WHERE o.leased_by = w.id AND o.state = 'pending' AND o.next_attempt_at > $1),
            (SELECT MIN(s.leased_at) FROM sources s WHERE s.leased_by = w.id AND s.next_check_at > $1)),
        w.host, w.pid, w.started_at, w.heartbeat_at, w.stopped_at
    FROM workers w ORDER BY w.heartbeat_at DESC, w.id";

impl PgStore {
    pub(super) async fn lease_source_(
        &self,
        name: &str,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool> {
        let c = self.client().await?;
        // One statement: the row lock makes the due test and the move atomic, so of two
        // workers testing the same source at once exactly one gets it.
        let n = c
            .cexecute(
                "UPDATE sources SET next_check_at = $3, leased_by = $4, leased_at = $2
                 WHERE name = $1 AND (next_check_at IS NULL OR next_check_at <= $2)",
                &[&name, &ts(now), &ts(lease_until), &self.worker_id()],
            )
            .await?;
        Ok(n == 1)
    }

    pub(super) async fn reserve_host_turn_(
        &self,
        host: &str,
        spacing: std::time::Duration,
    ) -> Result<std::time::Duration> {
        let c = self.client().await?;
        // The server's clock for both ends, so skew between workers' clocks cannot shorten
        // the spacing. The start reserved is the host's next free start (or now), and the
        // next free start moves `spacing` past it.
        let wait_ms: f64 = c
            .cquery_one(
                "INSERT INTO host_turns AS h (host, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
                 ON CONFLICT (host) DO UPDATE
                    SET next_at = GREATEST(h.next_at, clock_timestamp()) + $2 * interval '1 millisecond'
                 RETURNING GREATEST(0, EXTRACT(EPOCH FROM (h.next_at - $2 * interval '1 millisecond' - clock_timestamp())) * 1000)::float8",
                &[&host.to_ascii_lowercase(), &(spacing.as_millis() as f64)],
            )
            .await?
            .get(0);
        Ok(std::time::Duration::from_secs_f64(
            wait_ms.max(0.0) / 1000.0,
        ))
    }

    pub(super) async fn take_host_slot_(
        &self,
        host: &str,
        limit: usize,
        hold: std::time::Duration,
    ) -> Result<HostSlot> {
        let c = self.client().await?;
        let host = host.to_ascii_lowercase();
        let (limit, hold_ms) = (limit.max(1) as i64, hold.as_millis() as f64);
        // A free (or expired) slot, skipping those another worker is taking right now.
        let take = "WITH free AS (
                SELECT slot FROM host_slots WHERE host = $1 AND slot < $2::bigint
                  AND (holder IS NULL OR held_until < clock_timestamp())
                ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
             UPDATE host_slots h SET holder = $3, held_until = clock_timestamp() + $4 * interval '1 millisecond'
             FROM free WHERE h.host = $1 AND h.slot = free.slot RETURNING h.slot";
        let who = self.worker_id();
        for _ in 0..2 {
            if let Some(r) = c.cquery_opt(take, &[&host, &limit, &who, &hold_ms]).await? {
                return Ok(HostSlot::Taken(r.get(0)));
            }
            // First request to this host (or the limit grew): create its slots, then retry.
            let made = c
                .cexecute(
                    "INSERT INTO host_slots (host, slot) SELECT $1, g FROM generate_series(0::bigint, $2::bigint - 1) g
                     ON CONFLICT DO NOTHING",
                    &[&host, &limit],
                )
                .await?;
            if made == 0 {
                break;
            }
        }
        Ok(HostSlot::Busy)
    }

    pub(super) async fn release_host_slot_(
        &self,
        host: &str,
        slot: i64,
        spacing: std::time::Duration,
    ) -> Result<()> {
        let c = self.client().await?;
        let host = host.to_ascii_lowercase();
        // One statement (one round trip, atomic): the next start moves, and the slot is free.
        c.cexecute(
            "WITH turn AS (
                INSERT INTO host_turns AS h (host, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
                ON CONFLICT (host) DO UPDATE
                   SET next_at = GREATEST(h.next_at, clock_timestamp() + $2 * interval '1 millisecond'))
             UPDATE host_slots SET holder = NULL, held_until = NULL WHERE host = $1 AND slot = $3 AND holder = $4",
            &[&host, &(spacing.as_millis() as f64), &slot, &self.worker_id()],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn pause_host_(&self, host: &str, pause: std::time::Duration) -> Result<()> {
        // The host's next start, which every worker reserves from (server clock).
        self.client()
            .await?
            .cexecute(
                "INSERT INTO host_turns AS h (host, next_at) VALUES ($1, clock_timestamp() + $2 * interval '1 millisecond')
                 ON CONFLICT (host) DO UPDATE
                    SET next_at = GREATEST(h.next_at, clock_timestamp() + $2 * interval '1 millisecond')",
                &[&host.to_ascii_lowercase(), &(pause.as_millis() as f64)],
            )
            .await?;
        Ok(())
    }

    pub(super) async fn worker_beat_(&self, stopping: bool) -> Result<()> {
        let c = self.client().await?;
        let now = ts(Utc::now());
        let id = self.worker_id();
        let pid = std::process::id() as i64;
        c.cexecute(
            "INSERT INTO workers (id, host, pid, started_at, heartbeat_at, stopped_at)
             VALUES ($1, $2, $3, $4, $4, CASE WHEN $5::boolean THEN $4 END)
             ON CONFLICT (id) DO UPDATE SET heartbeat_at = $4,
                stopped_at = CASE WHEN $5::boolean THEN $4 ELSE NULL END",
            &[&id, &hostname(), &pid, &now, &stopping],
        )
        .await?;
        if stopping {
            // Give back what this worker still holds, so others need not wait for expiry.
            for sql in [
                "UPDATE articles SET next_check_at = $2, leased_by = NULL, leased_at = NULL WHERE leased_by = $1 AND next_check_at > $2",
                "UPDATE outbox SET next_attempt_at = $2, leased_by = NULL, leased_at = NULL WHERE leased_by = $1 AND state = 'pending' AND next_attempt_at > $2",
                "UPDATE sources SET next_check_at = $2, leased_by = NULL, leased_at = NULL WHERE leased_by = $1 AND next_check_at > $2",
            ] {
                c.cexecute(sql, &[&id, &now]).await?;
            }
        }
        Ok(())
    }

    pub(super) async fn workers_(&self, now: DateTime<Utc>) -> Result<Vec<WorkerRow>> {
        let c = self.client().await?;
        let alive_after = ts(now - chrono::Duration::seconds(WORKER_ALIVE_SECS));
        let rows = c.cquery(HOLDINGS, &[&ts(now)]).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let heartbeat_at: String = r.get(8);
                let stopped_at: Option<String> = r.get(9);
                WorkerRow {
                    alive: stopped_at.is_none() && heartbeat_at >= alive_after,
                    id: r.get(0),
                    articles: r.get(1),
                    deliveries: r.get(2),
                    sources: r.get(3),
                    oldest_lease_at: r.get(4),
                    host: r.get(5),
                    pid: r.get(6),
                    started_at: r.get(7),
                    heartbeat_at,
                    stopped_at,
                }
            })
            .collect())
    }
}
