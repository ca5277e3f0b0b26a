//! Reads for the CLI and the stories stage (the web UI's lists are in `lists.rs`).

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::{Cached, PgStore, parse_ts, ts};
use crate::store::*;

pub(super) const ARTICLE_COLS: &str = "a.id, a.url, a.outlet, s.name, a.headline, a.first_seen_at, a.last_checked_at, \
    a.last_changed_at, a.removed_at, a.etag, a.last_modified, a.version_count, a.next_check_at, \
    (SELECT f.error FROM fetches f WHERE f.article_id = a.id ORDER BY f.id DESC LIMIT 1), \
    a.page_modified";

pub(super) fn article_row(r: &Row) -> ArticleRow {
    ArticleRow {
        id: r.get(0),
        url: r.get(1),
        outlet: r.get(2),
        source: r.get(3),
        headline: r.get(4),
        first_seen_at: r.get(5),
        last_checked_at: r.get(6),
        last_changed_at: r.get(7),
        removed_at: r.get(8),
        etag: r.get(9),
        last_modified: r.get(10),
        version_count: r.get(11),
        next_check_at: r.get(12),
        last_error: r.get(13),
        page_modified: r.get(14),
    }
}

const VERSION_COLS: &str = "article_id, seq, observed_at, content_hash, flagged, significance, article_json, diff_json, claims";

fn corrupt(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn version_row(r: &Row) -> Result<VersionRow> {
    version_row_at(r, 0)
}

/// A version whose [`VERSION_COLS`] start at column `at`.
pub(super) fn version_row_at(r: &Row, at: usize) -> Result<VersionRow> {
    let diff: Option<&str> = r.get(at + 7);
    Ok(VersionRow {
        article_id: r.get(at),
        seq: r.get(at + 1),
        observed_at: r.get(at + 2),
        content_hash: r.get(at + 3),
        flagged: r.get(at + 4),
        significance: r.get(at + 5),
        article: serde_json::from_str(r.get(at + 6)).map_err(|e| corrupt("version", e))?,
        diff: diff
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| corrupt("version diff", e))?,
        claims: r.get(at + 8),
    })
}

pub(super) const MEMBER_COLS: &str =
    "article_id, story_id, seq, outlet, published, features_json, score, wire_copy_of, manual, rev";

pub(super) fn member_row(r: &Row) -> Result<StoryMember> {
    Ok(StoryMember {
        article_id: r.get(0),
        story_id: r.get(1),
        seq: r.get(2),
        outlet: r.get(3),
        published: r.get::<_, Option<&str>>(4).map(parse_ts),
        features: serde_json::from_str(r.get(5)).map_err(|e| corrupt("story member", e))?,
        score: r.get::<_, f64>(6) as f32,
        wire_copy_of: r.get(7),
        manual: r.get(8),
        rev: r.get(9),
    })
}

pub(super) const STORY_SELECT: &str = "SELECT m.story_id,
        (SELECT a.headline FROM story_members m2 JOIN articles a ON a.id = m2.article_id
          WHERE m2.story_id = m.story_id ORDER BY COALESCE(m2.published, m2.joined_at), m2.article_id LIMIT 1),
        (SELECT array_agg(DISTINCT m3.outlet ORDER BY m3.outlet) FROM story_members m3
          WHERE m3.story_id = m.story_id),
        COUNT(*),
        (SELECT COUNT(*) FROM story_findings f WHERE f.story_id = m.story_id AND f.resolved_at IS NULL),
        MIN(m.published), MAX(m.joined_at)
     FROM story_members m";

pub(super) fn story_row(r: &Row) -> StoryRow {
    StoryRow {
        id: r.get(0),
        headline: r.get(1),
        outlets: r.get::<_, Option<Vec<String>>>(2).unwrap_or_default(),
        article_count: r.get(3),
        open_conflicts: r.get(4),
        first_published: r.get(5),
        last_joined_at: r.get(6),
    }
}

pub(super) const FINDING_COLS: &str =
    "story_id, ident, change_key, outcome, severity, slot, event, explanation, finding_json,
    opened_at, updated_at, resolved_at, event_id";

/// A `story_findings` row whose columns start at `at` (in [`FINDING_COLS`] order).
pub(super) fn finding_at(r: &Row, at: usize) -> StoredFinding {
    let json: String = r.get(at + 8);
    StoredFinding {
        story_id: r.get(at),
        ident: r.get(at + 1),
        change_key: r.get(at + 2),
        outcome: r.get(at + 3),
        severity: r.get::<_, f64>(at + 4) as f32,
        slot: r.get(at + 5),
        event: r.get(at + 6),
        explanation: r.get(at + 7),
        finding: serde_json::from_str(&json).unwrap_or(serde_json::Value::String(json)),
        opened_at: r.get(at + 9),
        updated_at: r.get(at + 10),
        resolved_at: r.get(at + 11),
        event_id: r.get(at + 12),
    }
}

pub(super) fn json_or_text(p: String) -> serde_json::Value {
    serde_json::from_str(&p).unwrap_or(serde_json::Value::String(p))
}

pub(super) fn event_row(r: &Row) -> EventRow {
    EventRow {
        id: r.get(0),
        kind: r.get(1),
        created_at: r.get(2),
        article_id: r.get(3),
        version_seq: r.get(4),
        payload: json_or_text(r.get(5)),
    }
}

pub(super) fn delivery_row(r: &Row) -> DeliveryRow {
    DeliveryRow {
        event_id: r.get(0),
        event_type: r.get(1),
        target: r.get(2),
        state: r.get(3),
        attempts: r.get::<_, i64>(4) as u32,
        next_attempt_at: r.get(5),
        last_error: r.get(6),
        delivered_at: r.get(7),
    }
}

pub(super) async fn article_by_id(c: &impl GenericClient, id: i64) -> Result<Option<ArticleRow>> {
    Ok(c
        .cquery_opt(
            &format!("SELECT {ARTICLE_COLS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id WHERE a.id = $1"),
            &[&id],
        )
        .await?
        .as_ref()
        .map(article_row))
}

impl PgStore {
    pub(super) async fn sources_(&self) -> Result<Vec<SourceState>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                "SELECT name, kind, location, outlet, last_check_at, last_success_at, last_error, last_error_at,
                    consecutive_failures, failing, next_check_at, articles_discovered, last_discovered_at,
                    etag, last_modified FROM sources ORDER BY name",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| SourceState {
                name: r.get(0),
                kind: r.get(1),
                location: r.get(2),
                outlet: r.get(3),
                last_check_at: r.get(4),
                last_success_at: r.get(5),
                last_error: r.get(6),
                last_error_at: r.get(7),
                consecutive_failures: r.get::<_, i64>(8) as u32,
                failing: r.get(9),
                next_check_at: r.get(10),
                articles_discovered: r.get(11),
                last_discovered_at: r.get(12),
                etag: r.get(13),
                last_modified: r.get(14),
            })
            .collect())
    }

    pub(super) async fn article_by_url_(&self, url: &str) -> Result<Option<ArticleRow>> {
        let c = self.client().await?;
        let id = c
            .cquery_opt(
                "SELECT id FROM articles WHERE url = $1 UNION ALL SELECT article_id FROM article_aliases WHERE url = $1 LIMIT 1",
                &[&url],
            )
            .await?;
        match id {
            Some(r) => article_by_id(&c, r.get(0)).await,
            None => Ok(None),
        }
    }

    pub(super) async fn article_(&self, id: i64) -> Result<Option<ArticleRow>> {
        article_by_id(&self.client().await?, id).await
    }

    pub(super) async fn articles_(&self, limit: usize) -> Result<Vec<ArticleRow>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                &format!(
                    "SELECT {ARTICLE_COLS} FROM articles a LEFT JOIN sources s ON s.id = a.source_id
                     ORDER BY COALESCE(a.last_changed_at, a.first_seen_at) DESC, a.id DESC LIMIT $1"
                ),
                &[&(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(article_row).collect())
    }

    pub(super) async fn versions_(&self, article_id: i64) -> Result<Vec<VersionRow>> {
        let c = self.client().await?;
        c.cquery(
            &format!("SELECT {VERSION_COLS} FROM versions WHERE article_id = $1 ORDER BY seq"),
            &[&article_id],
        )
        .await?
        .iter()
        .map(version_row)
        .collect()
    }

    pub(super) async fn version_(
        &self,
        article_id: i64,
        seq: Option<i64>,
    ) -> Result<Option<VersionRow>> {
        let c = self.client().await?;
        let row = match seq {
            Some(seq) => {
                c.cquery_opt(
                    &format!("SELECT {VERSION_COLS} FROM versions WHERE article_id = $1 AND seq = $2"),
                    &[&article_id, &seq],
                )
                .await?
            }
            None => {
                c.cquery_opt(
                    &format!("SELECT {VERSION_COLS} FROM versions WHERE article_id = $1 ORDER BY seq DESC LIMIT 1"),
                    &[&article_id],
                )
                .await?
            }
        };
        row.as_ref().map(version_row).transpose()
    }

    pub(super) async fn raw_page_(&self, article_id: i64, seq: i64) -> Result<Option<RawPage>> {
        let c = self.client().await?;
        let row = c
            .cquery_opt(
                "SELECT raw_zstd, content_type FROM versions WHERE article_id = $1 AND seq = $2",
                &[&article_id, &seq],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let (blob, content_type): (Option<Vec<u8>>, Option<String>) = (row.get(0), row.get(1));
        match blob {
            Some(b) => zstd::decode_all(&b[..])
                .map(|bytes| {
                    Some(RawPage {
                        bytes,
                        content_type,
                    })
                })
                .map_err(|e| StoreError::Corrupt(format!("raw page of {article_id}/{seq}: {e}"))),
            None => Ok(None),
        }
    }

    pub(super) async fn events_(
        &self,
        article_id: Option<i64>,
        limit: usize,
    ) -> Result<Vec<EventRow>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                "SELECT id, type, created_at, article_id, version_seq, payload FROM events
                 WHERE $1::bigint IS NULL OR article_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                &[&article_id, &(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(event_row).collect())
    }

    /// One value of a one-row query.
    pub(super) async fn scalar<T>(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<T>
    where
        T: for<'a> tokio_postgres::types::FromSql<'a>,
    {
        Ok(self.client().await?.cquery_one(sql, params).await?.get(0))
    }

    pub(super) async fn deliveries_(&self, limit: usize) -> Result<Vec<DeliveryRow>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                "SELECT o.event_id, e.type, o.target, o.state, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at
                 FROM outbox o JOIN events e ON e.id = o.event_id ORDER BY o.id DESC LIMIT $1",
                &[&(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(delivery_row).collect())
    }

    pub(super) async fn story_sync_(
        &self,
        since: i64,
        range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    ) -> Result<StorySync> {
        let c = self.client().await?;
        // The revision first: a member written after this read has a larger rev and is
        // seen by the next sync, never missed.
        let meta = c
            .cquery_one("SELECT rev, next_story FROM story_meta WHERE id = 1", &[])
            .await?;
        let (rev, next_story): (i64, i64) = (meta.get(0), meta.get(1));
        let rows = match range {
            None => {
                c.cquery(
                    &format!("SELECT {MEMBER_COLS} FROM story_members WHERE rev > $1 ORDER BY rev, article_id"),
                    &[&since],
                )
                .await?
            }
            Some((from, to)) => {
                c.cquery(
                    &format!(
                        "SELECT {MEMBER_COLS} FROM story_members
                         WHERE published BETWEEN $2 AND $3 AND rev > $1 ORDER BY rev, article_id"
                    ),
                    &[&since, &ts(from), &ts(to)],
                )
                .await?
            }
        };
        let members = rows.iter().map(member_row).collect::<Result<Vec<_>>>()?;
        let mut must = Vec::new();
        let mut cannot = Vec::new();
        for r in c
            .cquery("SELECT a, b, kind FROM story_links ORDER BY a, b", &[])
            .await?
        {
            let pair = (r.get::<_, i64>(0), r.get::<_, i64>(1));
            if r.get::<_, &str>(2) == "must" {
                must.push(pair);
            } else {
                cannot.push(pair);
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

    pub(super) async fn unclustered_articles_(&self, after: i64, limit: usize) -> Result<Vec<i64>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                "SELECT a.id FROM articles a
                 JOIN (SELECT article_id, MAX(seq) AS seq FROM versions WHERE flagged IS NULL GROUP BY article_id) v
                   ON v.article_id = a.id
                 LEFT JOIN story_members m ON m.article_id = a.id
                 WHERE a.id > $1 AND (m.seq IS NULL OR m.seq <> v.seq) ORDER BY a.id LIMIT $2",
                &[&after, &(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(super) async fn story_members_(&self, story_id: i64) -> Result<Vec<StoryMember>> {
        let c = self.client().await?;
        c.cquery(
            &format!("SELECT {MEMBER_COLS} FROM story_members WHERE story_id = $1 ORDER BY joined_at, article_id"),
            &[&story_id],
        )
        .await?
        .iter()
        .map(member_row)
        .collect()
    }

    pub(super) async fn stories_(&self, limit: usize) -> Result<Vec<StoryRow>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                &format!(
                    "{STORY_SELECT} GROUP BY m.story_id ORDER BY MAX(m.joined_at) DESC, m.story_id DESC LIMIT $1"
                ),
                &[&(limit as i64)],
            )
            .await?;
        Ok(rows.iter().map(story_row).collect())
    }

    pub(super) async fn story_(&self, story_id: i64) -> Result<Option<StoryRow>> {
        let c = self.client().await?;
        Ok(c.cquery_opt(
            &format!("{STORY_SELECT} WHERE m.story_id = $1 GROUP BY m.story_id"),
            &[&story_id],
        )
        .await?
        .as_ref()
        .map(story_row))
    }

    pub(super) async fn story_findings_(
        &self,
        story_id: i64,
        include_resolved: bool,
    ) -> Result<Vec<StoredFinding>> {
        let c = self.client().await?;
        let rows = c
            .cquery(
                &format!(
                    "SELECT {FINDING_COLS} FROM story_findings WHERE story_id = $1 AND ($2::boolean OR resolved_at IS NULL)
                     ORDER BY resolved_at IS NOT NULL, severity DESC, id"
                ),
                &[&story_id, &include_resolved],
            )
            .await?;
        Ok(rows.iter().map(|r| finding_at(r, 0)).collect())
    }
}
