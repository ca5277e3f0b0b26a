//! Operations on PostgreSQL (issue 18): the SQLite statements of `sqlite/ops.rs` in this
//! dialect (payloads are text, so JSON is read with `::jsonb`).

use chrono::{DateTime, Utc};

use super::{PgStore, ts};
use crate::store::*;

/// The host of `url`.
const HOST: &str = "COALESCE(substring(url from '^[A-Za-z0-9+.-]+://([^/?#]+)'), '')";

impl PgStore {
    pub(super) async fn articles_with_versions_(
        &self,
        after: i64,
        since: Option<DateTime<Utc>>,
        limit: usize,
    ) -> Result<Vec<i64>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT DISTINCT article_id FROM versions
                 WHERE article_id > $1 AND ($2::text IS NULL OR observed_at >= $2)
                 ORDER BY article_id LIMIT $3",
                &[&after, &since.map(ts), &(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(super) async fn rewrite_versions_(&self, rewrites: &[VersionRewrite]) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        for w in rewrites {
            let json = serde_json::to_string(&w.article)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                "UPDATE versions SET content_hash = $3, article_json = $4, flagged = $5,
                    significance = $6, diff_json = $7, claims = $8
                 WHERE article_id = $1 AND seq = $2",
                &[
                    &w.article_id,
                    &w.seq,
                    &w.article.content_hash(),
                    &json,
                    &w.flagged,
                    &w.significance,
                    &w.diff.as_ref().map(|d| d.to_string()),
                    &w.claims,
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn ops_cursor_(&self, name: &str) -> Result<Option<String>> {
        let c = self.client().await?;
        Ok(
            c.query_opt("SELECT value FROM ops_cursors WHERE name = $1", &[&name])
                .await?
                .map(|r| r.get(0)),
        )
    }

    pub(super) async fn set_ops_cursor_(&self, name: &str, value: Option<&str>) -> Result<()> {
        let c = self.client().await?;
        match value {
            Some(v) => {
                c.execute(
                    "INSERT INTO ops_cursors (name, value, updated_at) VALUES ($1, $2, $3)
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                    &[&name, &v, &ts(Utc::now())],
                )
                .await?
            }
            None => {
                c.execute("DELETE FROM ops_cursors WHERE name = $1", &[&name])
                    .await?
            }
        };
        Ok(())
    }

    pub(super) async fn check_links_(&self, routed: &dyn Fn(&str) -> bool) -> Result<LinkCheck> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT e.id, e.type FROM events e
                 WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id)
                   AND COALESCE((e.payload::jsonb ->> 'quiet')::boolean, false) = false
                 ORDER BY e.created_at, e.id",
                &[],
            )
            .await?;
        let events_without_outbox = rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
            .filter(|(_, t)| routed(t))
            .collect();
        let orphan_outbox_rows: i64 = c
            .query_one(
                "SELECT COUNT(*) FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = o.event_id)",
                &[],
            )
            .await?
            .get(0);
        let orphan_fact_changes: i64 = c
            .query_one(
                "SELECT COUNT(*) FROM fact_changes f WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = f.event_id)",
                &[],
            )
            .await?
            .get(0);
        Ok(LinkCheck {
            events_without_outbox,
            orphan_outbox_rows,
            orphan_fact_changes,
            engine: Vec::new(),
        })
    }

    pub(super) async fn drop_raw_before_(&self, before: DateTime<Utc>) -> Result<u64> {
        let c = self.client().await?;
        Ok(c.execute(
            "UPDATE versions SET raw_zstd = NULL WHERE observed_at < $1 AND raw_zstd IS NOT NULL",
            &[&ts(before)],
        )
        .await?)
    }

    pub(super) async fn vacuum_(&self) -> Result<()> {
        let c = self.client().await?;
        c.batch_execute("VACUUM ANALYZE").await?;
        Ok(())
    }

    pub(super) async fn stats_(&self, now: DateTime<Utc>) -> Result<StoreStats> {
        let c = self.client().await?;
        let pairs = |rows: Vec<tokio_postgres::Row>| -> Vec<(String, i64)> {
            rows.iter()
                .map(|r| (r.get::<_, Option<String>>(0).unwrap_or_default(), r.get(1)))
                .collect()
        };
        let fetches = c
            .query(
                &format!(
                    "SELECT outcome, {HOST} AS host, COUNT(*) FROM fetches GROUP BY outcome, host"
                ),
                &[],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let flagged = pairs(
            c.query(
                "SELECT flagged, COUNT(*) FROM versions WHERE flagged IS NOT NULL GROUP BY flagged",
                &[],
            )
            .await?,
        );
        let events = pairs(
            c.query("SELECT type, COUNT(*) FROM events GROUP BY type", &[])
                .await?,
        );
        let attempts = pairs(
            c.query(
                "SELECT CASE WHEN error IS NULL THEN 'delivered' ELSE 'failed' END AS result, COUNT(*)
                 FROM delivery_attempts GROUP BY result",
                &[],
            )
            .await?,
        );
        let overdue = ts(now - chrono::Duration::seconds(OVERDUE_SECS));
        let now = ts(now);
        let r = c
            .query_one(
                "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending'),
                        (SELECT MIN(created_at) FROM outbox WHERE state = 'pending'),
                        (SELECT COUNT(*) FROM articles),
                        (SELECT COUNT(*) FROM versions),
                        (SELECT COALESCE(SUM(length(raw_zstd)), 0)::bigint FROM versions),
                        (SELECT COUNT(*) FROM versions WHERE raw_zstd IS NULL AND raw_size IS NOT NULL),
                        pg_database_size(current_database()),
                        (SELECT COUNT(*) FROM articles WHERE leased_by IS NOT NULL AND next_check_at > $1),
                        (SELECT COUNT(*) FROM outbox WHERE leased_by IS NOT NULL AND state = 'pending' AND next_attempt_at > $1),
                        (SELECT COUNT(*) FROM sources WHERE leased_by IS NOT NULL AND next_check_at > $1),
                        (SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND next_attempt_at < $2)",
                &[&now, &overdue],
            )
            .await?;
        Ok(StoreStats {
            fetches,
            flagged,
            events,
            outbox_pending: r.get(0),
            outbox_oldest_pending: r.get(1),
            attempts,
            articles: r.get(2),
            versions: r.get(3),
            raw_bytes: r.get(4),
            raw_dropped: r.get(5),
            db_bytes: r.get(6),
            leases: (r.get(7), r.get(8), r.get(9)),
            outbox_overdue: r.get(10),
        })
    }
}
