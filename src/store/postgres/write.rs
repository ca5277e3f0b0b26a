//! Writes: observations, discovery, leases, stories and findings. Each is one transaction;
//! where SQLite relies on its single writer, a row lock serialises the workers here (the
//! article row for its versions, the source row for its health, `story_meta` for stories and
//! findings), and due work is leased with `FOR UPDATE SKIP LOCKED`.

use chrono::{DateTime, Utc};
use deadpool_postgres::Transaction;

use super::pipeline::{Batch, Frame};
use super::{Cached, PgStore, is_unique_violation, parse_ts, ts};
use crate::events::{Event, rfc3339};
use crate::store::*;

pub(super) async fn insert_event(
    tx: &Transaction<'_>,
    e: &Event,
    routes: &dyn Routes,
    at: DateTime<Utc>,
    out: &mut Committed,
) -> Result<()> {
    let payload = e.payload.to_string();
    tx.cexecute(
        "INSERT INTO events (id, type, created_at, article_id, version_seq, source_name, payload, story_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[&e.id, &e.kind, &rfc3339(e.created_at), &e.article_id, &e.version_seq, &e.source, &payload, &e.story_id],
    )
    .await?;
    if e.kind == crate::events::FACT_CHANGED {
        index_fact_changes(tx, &e.id).await?;
    }
    let now = ts(at);
    for t in routes.targets(e.kind) {
        tx.cexecute(
            "INSERT INTO outbox (event_id, target, next_attempt_at, created_at) VALUES ($1, $2, $3, $3)",
            &[&e.id, &t, &now],
        )
        .await?;
        out.outbox_rows += 1;
    }
    out.events.push(e.id.clone());
    Ok(())
}

/// Indexes a `fact.changed` event's items (same SQL as the V5 backfill).
/// Leases due articles round-robin across hosts (see [`Store::lease_due_articles`]). `probe`
/// reads any `limit + 1` due rows (unordered, so it stops there even when thousands share
/// one due time): when that is all there is, all are taken. Otherwise `hosts` walks the distinct hosts of scheduled articles through
/// `articles_due_by_host` (one index probe per host) and each host gives its earliest
/// `limit` due; `ranked` numbers them within their host and keeps the first `4 × limit` in
/// round-robin order (a small, known row count, so the lock step probes rows by id instead
/// of hashing the whole table). SKIP LOCKED: workers leasing at once get disjoint rows,
/// neither waits (a fourth one leasing at the very same moment may get fewer); a row another
/// worker leased since the snapshot is re-checked against `next_check_at` when locked, so it
/// is not taken twice.
/// Parameters: now, limit, lease until, worker, now. Returns rank, due, then the article.
const LEASE_DUE: &str = "WITH RECURSIVE
    probe AS (
        SELECT a.id, a.host, a.next_check_at AS due FROM articles a
        WHERE a.next_check_at IS NOT NULL AND a.next_check_at <= $1::text LIMIT $2::bigint + 1),
    busy AS (SELECT count(*) > $2::bigint AS more FROM probe),
    hosts(host) AS (
        (SELECT a.host FROM articles a WHERE (SELECT more FROM busy) AND a.next_check_at IS NOT NULL
         ORDER BY a.host LIMIT 1)
      UNION ALL
        SELECT (SELECT a.host FROM articles a WHERE a.next_check_at IS NOT NULL AND a.host > h.host
                ORDER BY a.host LIMIT 1)
        FROM hosts h WHERE h.host IS NOT NULL),
    due_hosts AS (
        SELECT h.host FROM hosts h WHERE EXISTS (
            SELECT 1 FROM articles a
            WHERE a.host = h.host AND a.next_check_at IS NOT NULL AND a.next_check_at <= $1::text)),
    per_host AS (
        SELECT least($2::bigint, ceil(2.0 * $2::bigint / greatest(count(*), 1)))::bigint AS k
        FROM due_hosts),
    cand AS (
        SELECT p.id, p.host, p.due FROM probe p WHERE NOT (SELECT more FROM busy)
      UNION ALL
        SELECT c.id, h.host, c.due FROM due_hosts h CROSS JOIN LATERAL (
            SELECT a.id, a.next_check_at AS due FROM articles a
            WHERE a.host = h.host AND a.next_check_at IS NOT NULL AND a.next_check_at <= $1::text
            ORDER BY a.next_check_at, a.id LIMIT (SELECT k FROM per_host)) c),
    ranked AS (
        SELECT id, due, rk FROM (
            SELECT id, due, row_number() OVER (PARTITION BY host ORDER BY due, id) AS rk FROM cand) x
        ORDER BY rk, due, id LIMIT 4 * $2::bigint),
    pick AS (
        SELECT a.id, r.rk, r.due FROM articles a JOIN ranked r ON r.id = a.id
        WHERE a.next_check_at IS NOT NULL AND a.next_check_at <= $1::text
        ORDER BY r.rk, r.due, r.id LIMIT $2::bigint
        FOR UPDATE OF a SKIP LOCKED)
 UPDATE articles a SET next_check_at = $3, leased_by = $4, leased_at = $5
 FROM pick WHERE a.id = pick.id
 RETURNING pick.rk, pick.due, a.id, a.url, a.outlet, (SELECT s.name FROM sources s WHERE s.id = a.source_id),
    a.first_seen_at, a.published_hint, a.check_failures, a.etag, a.last_modified, a.version_count";

const FACT_CHANGES_SQL: &str = "INSERT INTO fact_changes (event_id, idx, article_id, outlet, from_seq, to_seq, kind, slot, label, created_at, item_json)
         SELECT e.id, j.ord - 1, e.article_id, e.payload::json -> 'article' ->> 'outlet',
                (e.payload::json ->> 'from_version')::bigint, (e.payload::json ->> 'to_version')::bigint,
                COALESCE(j.value ->> 'kind', ''), COALESCE(j.value ->> 'slot', ''),
                COALESCE(j.value ->> 'label', ''), e.created_at, j.value::text
         FROM events e, json_array_elements(e.payload::json -> 'facts') WITH ORDINALITY AS j(value, ord)
         WHERE e.id = $1 AND json_typeof(e.payload::json -> 'facts') = 'array' ORDER BY j.ord";

/// Indexes a just-inserted `fact.changed` event's items (same SQL as the V5 backfill).
async fn index_fact_changes(tx: &Transaction<'_>, event_id: &str) -> Result<()> {
    tx.cexecute(FACT_CHANGES_SQL, &[&event_id]).await?;
    Ok(())
}

/// Ends a transaction a failed batch left open (a committed frame already rolled back).
async fn rollback(c: &deadpool_postgres::Object, frame: Frame) {
    if frame == Frame::Open {
        // A connection that cannot even roll back is broken; the pool drops it on its
        // next error.
        let _ = c.batch_execute("ROLLBACK").await;
    }
}

/// An event's rows (event, indexed facts, one outbox row per target), ready to batch.
struct EventRow<'e> {
    event: &'e Event,
    created: String,
    payload: String,
    targets: Vec<String>,
}

impl<'e> EventRow<'e> {
    fn new(event: &'e Event, routes: &dyn Routes) -> Self {
        EventRow {
            event,
            created: rfc3339(event.created_at),
            payload: event.payload.to_string(),
            targets: routes.targets(event.kind),
        }
    }

    fn push<'a>(&'a self, b: &mut Batch<'a>, now: &'a String) {
        let e = self.event;
        b.push(
            "INSERT INTO events (id, type, created_at, article_id, version_seq, source_name, payload, story_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            vec![&e.id, &e.kind, &self.created, &e.article_id, &e.version_seq, &e.source, &self.payload, &e.story_id],
        );
        if e.kind == crate::events::FACT_CHANGED {
            b.push(FACT_CHANGES_SQL, vec![&e.id]);
        }
        for t in &self.targets {
            b.push(
                "INSERT INTO outbox (event_id, target, next_attempt_at, created_at) VALUES ($1, $2, $3, $3)",
                vec![&e.id, t, now],
            );
        }
    }
}

/// A source's health after a check, and the `source.failing`/`source.recovered` event when
/// it flips (read-then-write under the source row's lock).
async fn source_health(
    c: &deadpool_postgres::Object,
    s: &SourceOutcome,
    routes: &dyn Routes,
    at: DateTime<Utc>,
    out: &mut Committed,
) -> Result<()> {
    let now = ts(at);
    let row = c
        .cquery_opt(
            "SELECT consecutive_failures, failing FROM sources WHERE name = $1 FOR UPDATE",
            &[&s.name],
        )
        .await?;
    let (failures, failing) = row
        .map(|r| (r.get::<_, i64>(0) as u32, r.get::<_, bool>(1)))
        .unwrap_or((0, false));
    let next = s.next_check_at.map(ts);
    let event = match &s.error {
        None => {
            c.cexecute(
                "UPDATE sources SET last_check_at = $2, last_success_at = $2, consecutive_failures = 0, failing = FALSE,
                    next_check_at = $3, leased_by = NULL, leased_at = NULL WHERE name = $1",
                &[&s.name, &now, &next],
            )
            .await?;
            failing.then(|| crate::events::source_health(at, false, &s.name, None, failures))
        }
        Some(err) => {
            let n = failures + 1;
            let now_failing = failing || n >= s.threshold;
            c.cexecute(
                "UPDATE sources SET last_check_at = $2, last_error = $3, last_error_at = $2, consecutive_failures = $4,
                    failing = $5, next_check_at = $6, leased_by = NULL, leased_at = NULL WHERE name = $1",
                &[&s.name, &now, err, &(n as i64), &now_failing, &next],
            )
            .await?;
            (now_failing && !failing)
                .then(|| crate::events::source_health(at, true, &s.name, Some(err), n))
        }
    };
    if let Some(e) = event {
        let row = EventRow::new(&e, routes);
        let mut b = Batch::new();
        row.push(&mut b, &now);
        // Already inside the commit's transaction: no BEGIN of its own.
        for (sql, p) in b.stmts() {
            c.cquery(sql, p).await?;
        }
        out.outbox_rows += row.targets.len();
        out.events.push(e.id.clone());
    }
    Ok(())
}

impl PgStore {
    pub(super) async fn sync_sources_(
        &self,
        sources: &[crate::config::SourceConfig],
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let now = ts(Utc::now());
        let st = tx
            .prepare_cached(
                "INSERT INTO sources (name, kind, location, outlet, created_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, location = excluded.location, outlet = excluded.outlet",
            )
            .await?;
        for s in sources {
            let location = s
                .url
                .clone()
                .or_else(|| s.path.as_ref().map(|p| p.display().to_string()));
            tx.execute(
                &st,
                &[&s.name, &s.kind.as_str(), &location, &s.outlet, &now],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn create_article_(
        &self,
        url: &str,
        outlet: Option<&str>,
        source: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<ArticleRow> {
        let c = self.client().await?;
        c.cexecute(
            "INSERT INTO articles (url, outlet, source_id, first_seen_at, host)
             VALUES ($1, $2, (SELECT id FROM sources WHERE name = $3), $4, $5) ON CONFLICT (url) DO NOTHING",
            &[&url, &outlet, &source, &ts(at), &crate::store::url_host(url)],
        )
        .await?;
        let id: i64 = c
            .cquery_one("SELECT id FROM articles WHERE url = $1", &[&url])
            .await?
            .get(0);
        super::read::article_by_id(&c, id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("article {url} vanished")))
    }

    pub(super) async fn commit_(
        &self,
        commit: Commit,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<Committed> {
        let c = self.client().await?;
        let mut out = Committed::default();
        let now = ts(at);

        // Every value the statements bind, owned here so the batch can borrow it.
        let schedule = commit
            .schedule
            .as_ref()
            .map(|s| (s.article_id, s.next.map(ts), s.failures as i64));
        let fetch = commit.fetch.as_ref().map(|(source, f)| {
            (
                source,
                commit.article.as_ref().map(|a| a.article_id),
                f,
                f.status.map(i64::from),
                f.duration_ms as i64,
            )
        });
        let version = match &commit.version {
            Some(v) => {
                let json = serde_json::to_string(&v.article)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let raw = match &v.raw {
                    Some(r) => Some(
                        zstd::encode_all(&r[..], 3)
                            .map_err(|e| StoreError::Corrupt(format!("compress: {e}")))?,
                    ),
                    None => None,
                };
                Some((
                    v,
                    json,
                    raw,
                    v.article.content_hash(),
                    v.raw.as_ref().map(|r| r.len() as i64),
                    v.diff.as_ref().map(|d| d.to_string()),
                ))
            }
            None => None,
        };
        let events: Vec<EventRow<'_>> = commit
            .events
            .iter()
            .map(|e| EventRow::new(e, routes))
            .collect();

        let mut b = Batch::new();
        if let Some((v, ..)) = &version {
            // The article row is the lock of its versions: a second writer of the same seq
            // waits here, then sees the first one's version and gets a Conflict.
            b.push(
                "SELECT 1 FROM articles WHERE id = $1 FOR UPDATE",
                vec![&v.article_id],
            );
        }
        if let Some((id, next, failures)) = &schedule {
            b.push(
                "UPDATE articles SET next_check_at = $2, check_failures = $3, leased_by = NULL, leased_at = NULL WHERE id = $1",
                vec![id, next, failures],
            );
        }
        if let Some((source, article_id, f, status, duration)) = &fetch {
            b.push(
                "INSERT INTO fetches (source_id, article_id, url, at, outcome, status, error, duration_ms)
                 VALUES ((SELECT id FROM sources WHERE name = $1), $2, $3, $4, $5, $6, $7, $8)",
                vec![*source, article_id, &f.url, &now, &f.outcome, status, &f.error, duration],
            );
        }
        if let Some(a) = &commit.article {
            b.push(
                "UPDATE articles SET last_checked_at = $2,
                    etag = COALESCE($3, etag), last_modified = COALESCE($4, last_modified),
                    removed_at = CASE WHEN $5::boolean THEN COALESCE(removed_at, $2) ELSE NULL END,
                    page_modified = COALESCE($6, page_modified)
                 WHERE id = $1",
                vec![
                    &a.article_id,
                    &now,
                    &a.etag,
                    &a.last_modified,
                    &a.removed,
                    &a.page_modified,
                ],
            );
            for alias in &a.aliases {
                b.push(
                    "INSERT INTO article_aliases (url, article_id) SELECT $1, $2
                     WHERE NOT EXISTS (SELECT 1 FROM articles WHERE url = $1) ON CONFLICT (url) DO NOTHING",
                    vec![alias, &a.article_id],
                );
            }
        }
        let mut checks = None;
        if let Some((v, json, raw, hash, raw_size, diff)) = &version {
            let current = b.push(
                "SELECT COALESCE(MAX(seq), 0) FROM versions WHERE article_id = $1",
                vec![&v.article_id],
            );
            let insert = b.push(
                "INSERT INTO versions (article_id, seq, observed_at, content_hash, article_json, raw_zstd, raw_size, flagged, significance, diff_json, claims, content_type)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                vec![
                    &v.article_id, &v.seq, &now, hash, json, raw, raw_size, &v.flagged,
                    &v.significance, diff, &v.claims, &v.content_type,
                ],
            );
            b.push(
                "UPDATE articles SET version_count = $2, headline = COALESCE($3, headline),
                    last_changed_at = CASE WHEN $2::bigint > 1 THEN $4 ELSE last_changed_at END WHERE id = $1",
                vec![&v.article_id, &v.seq, &v.article.headline, &now],
            );
            checks = Some((v, current, insert));
        }
        for e in &events {
            e.push(&mut b, &now);
        }
        // Only a version (its seq) and a source (its health) are checked before COMMIT; any
        // other commit goes in one round trip.
        let frame = if checks.is_none() && commit.source.is_none() {
            Frame::Committed
        } else {
            Frame::Open
        };
        let rows = match b.run(&c, frame).await {
            Ok(rows) => rows,
            Err(f) => {
                rollback(&c, frame).await;
                return Err(match checks {
                    Some((v, _, insert)) if f.index == insert && is_unique_violation(&f.error) => {
                        StoreError::Conflict {
                            article: v.article_id,
                            seq: v.seq,
                        }
                    }
                    _ => f.error.into(),
                });
            }
        };
        for e in &events {
            out.outbox_rows += e.targets.len();
            out.events.push(e.event.id.clone());
        }
        if frame == Frame::Committed {
            return Ok(out);
        }
        if let Some((v, current, _)) = checks {
            let current: i64 = rows[current][0].get(0);
            if current + 1 != v.seq {
                rollback(&c, frame).await;
                return Err(StoreError::Conflict {
                    article: v.article_id,
                    seq: v.seq,
                });
            }
        }
        if let Some(s) = &commit.source
            && let Err(e) = source_health(&c, s, routes, at, &mut out).await
        {
            rollback(&c, frame).await;
            return Err(e);
        }
        c.batch_execute("COMMIT").await?;
        Ok(out)
    }

    pub(super) async fn lease_deliveries_(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<Delivery>> {
        let c = self.client().await?;
        // Rows another worker is leasing right now are skipped, not waited for; the lease
        // moves the row's next attempt, so it is not due again until the lease expires.
        let rows = c
            .cquery(
                "WITH due AS (
                    SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1
                    ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
                 UPDATE outbox o SET next_attempt_at = $3, leased_by = $4, leased_at = $1
                 FROM due, events e WHERE o.id = due.id AND e.id = o.event_id
                 RETURNING o.id, o.event_id, o.target, o.attempts, o.created_at, e.payload",
                &[
                    &ts(now),
                    &(limit as i64),
                    &ts(lease_until),
                    &self.worker_id(),
                ],
            )
            .await?;
        let mut out: Vec<Delivery> = rows
            .iter()
            .map(|r| Delivery {
                outbox_id: r.get(0),
                event_id: r.get(1),
                target: r.get(2),
                attempts: r.get::<_, i64>(3) as u32,
                created_at: parse_ts(r.get(4)),
                payload: r.get(5),
            })
            .collect();
        out.sort_by_key(|d| d.outbox_id);
        Ok(out)
    }

    pub(super) async fn record_attempt_(
        &self,
        outbox_id: i64,
        at: DateTime<Utc>,
        result: &AttemptResult,
        duration_ms: u64,
    ) -> Result<()> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let (status, error) = match result {
            AttemptResult::Delivered { status } => (*status, None),
            AttemptResult::Retry { status, error, .. }
            | AttemptResult::GiveUp { status, error } => (*status, Some(error.clone())),
        };
        let at = ts(at);
        tx.cexecute(
            "INSERT INTO delivery_attempts (outbox_id, at, status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)",
            &[&outbox_id, &at, &status.map(i64::from), &error, &(duration_ms as i64)],
        )
        .await?;
        match result {
            AttemptResult::Delivered { .. } => {
                tx.cexecute(
                    "UPDATE outbox SET state = 'delivered', attempts = attempts + 1, delivered_at = $2, last_error = NULL,
                        leased_by = NULL, leased_at = NULL WHERE id = $1",
                    &[&outbox_id, &at],
                )
                .await?
            }
            AttemptResult::Retry { error, next_at, .. } => {
                tx.cexecute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3,
                        leased_by = NULL, leased_at = NULL WHERE id = $1",
                    &[&outbox_id, error, &ts(*next_at)],
                )
                .await?
            }
            AttemptResult::GiveUp { error, .. } => {
                tx.cexecute(
                    "UPDATE outbox SET state = 'gave_up', attempts = attempts + 1, last_error = $2,
                        leased_by = NULL, leased_at = NULL WHERE id = $1",
                    &[&outbox_id, error],
                )
                .await?
            }
        };
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn discover_(
        &self,
        source: &str,
        outlet: Option<&str>,
        items: &[crate::sources::discover::Discovered],
        at: DateTime<Utc>,
    ) -> Result<DiscoverStats> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let now = ts(at);
        let mut stats = DiscoverStats::default();
        let find = tx
            .prepare_cached(
                "SELECT id, listed_updated FROM articles WHERE url = $1
                 UNION ALL SELECT a.id, a.listed_updated FROM article_aliases l JOIN articles a ON a.id = l.article_id
                 WHERE l.url = $1 LIMIT 1",
            )
            .await?;
        // Another worker may list the same URL at the same moment: the insert that loses the
        // race does nothing, and only the winner counts it as new.
        let insert = tx
            .prepare_cached(
                "INSERT INTO articles (url, outlet, source_id, first_seen_at, next_check_at, published_hint, hint_json, listed_updated, host)
                 VALUES ($1, $2, (SELECT id FROM sources WHERE name = $3), $4, $4, $5, $6, $7, $8)
                 ON CONFLICT (url) DO NOTHING",
            )
            .await?;
        let touch = tx
            .prepare_cached(
                "UPDATE articles SET listed_updated = $2, hint_json = $3,
                    next_check_at = CASE WHEN next_check_at IS NULL OR next_check_at > $4 THEN $4 ELSE next_check_at END
                 WHERE id = $1",
            )
            .await?;
        for item in items {
            let hint = serde_json::to_string(item).unwrap_or_default();
            let updated = item.updated.map(ts);
            let known = tx
                .query_opt(&find, &[&item.url])
                .await?
                .map(|r| (r.get::<_, i64>(0), r.get::<_, Option<String>>(1)));
            match known {
                None => {
                    let n = tx
                        .execute(
                            &insert,
                            &[
                                &item.url,
                                &outlet,
                                &source,
                                &now,
                                &item.published.map(ts),
                                &hint,
                                &updated,
                                &crate::store::url_host(&item.url),
                            ],
                        )
                        .await?;
                    stats.new += n as usize;
                }
                Some((id, seen)) if updated.is_some() && updated > seen && seen.is_some() => {
                    tx.execute(&touch, &[&id, &updated, &hint, &now]).await?;
                    stats.updated += 1;
                }
                Some((id, None)) if updated.is_some() => {
                    tx.cexecute(
                        "UPDATE articles SET listed_updated = $2 WHERE id = $1",
                        &[&id, &updated],
                    )
                    .await?;
                }
                Some(_) => {}
            }
        }
        tx.cexecute(
            "UPDATE sources SET articles_discovered = articles_discovered + $2,
                last_discovered_at = CASE WHEN $2::bigint > 0 THEN $3 ELSE last_discovered_at END WHERE name = $1",
            &[&source, &(stats.new as i64), &now],
        )
        .await?;
        tx.commit().await?;
        Ok(stats)
    }

    pub(super) async fn lease_due_articles_(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<DueArticle>> {
        let c = self.client().await?;
        let now_s = ts(now);
        let until = ts(lease_until + chrono::Duration::milliseconds(1));
        let rows = c
            .cquery(
                LEASE_DUE,
                &[&now_s, &(limit as i64), &until, &self.worker_id(), &now_s],
            )
            .await?;
        let mut out: Vec<(i64, String, DueArticle)> = rows
            .iter()
            .map(|r| {
                let a = DueArticle {
                    id: r.get(2),
                    url: r.get(3),
                    outlet: r.get(4),
                    source: r.get(5),
                    first_seen_at: parse_ts(r.get(6)),
                    published_hint: r.get::<_, Option<&str>>(7).map(parse_ts),
                    check_failures: r.get::<_, i64>(8) as u32,
                    etag: r.get(9),
                    last_modified: r.get(10),
                    version_count: r.get(11),
                };
                (r.get(0), r.get(1), a)
            })
            .collect();
        // RETURNING has no order: round-robin order (rank, due, id).
        out.sort_by(|a, b| (a.0, &a.1, a.2.id).cmp(&(b.0, &b.1, b.2.id)));
        Ok(out.into_iter().map(|(_, _, a)| a).collect())
    }

    pub(super) async fn make_due_(
        &self,
        now: DateTime<Utc>,
        sources: Option<&[String]>,
    ) -> Result<u64> {
        let c = self.client().await?;
        let now = ts(now);
        let n = match sources {
            None => {
                c.cexecute(
                    "UPDATE articles SET next_check_at = $1
                     WHERE next_check_at > $1 AND leased_by IS NULL",
                    &[&now],
                )
                .await?
            }
            Some(names) => {
                c.cexecute(
                    "UPDATE articles SET next_check_at = $1
                     WHERE next_check_at > $1 AND leased_by IS NULL
                       AND source_id IN (SELECT id FROM sources WHERE name = ANY($2))",
                    &[&now, &names],
                )
                .await?
            }
        };
        Ok(n)
    }

    pub(super) async fn set_article_schedule_(
        &self,
        article_id: i64,
        next: Option<DateTime<Utc>>,
        failures: u32,
    ) -> Result<()> {
        let c = self.client().await?;
        c.cexecute(
            "UPDATE articles SET next_check_at = $2, check_failures = $3, leased_by = NULL, leased_at = NULL WHERE id = $1",
            &[&article_id, &next.map(ts), &(failures as i64)],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn absorb_article_(&self, dup: i64, into: i64) -> Result<bool> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let url: Option<String> = tx
            .cquery_opt("SELECT url FROM articles WHERE id = $1 FOR UPDATE", &[&dup])
            .await?
            .map(|r| r.get(0));
        let versions: i64 = tx
            .cquery_one(
                "SELECT COUNT(*) FROM versions WHERE article_id = $1",
                &[&dup],
            )
            .await?
            .get(0);
        if versions > 0 || dup == into {
            return Ok(false);
        }
        let Some(url) = url else { return Ok(false) };
        for sql in [
            "UPDATE article_aliases SET article_id = $2 WHERE article_id = $1",
            "UPDATE fetches SET article_id = $2 WHERE article_id = $1",
            "UPDATE events SET article_id = $2 WHERE article_id = $1",
        ] {
            tx.cexecute(sql, &[&dup, &into]).await?;
        }
        tx.cexecute("DELETE FROM articles WHERE id = $1", &[&dup])
            .await?;
        tx.cexecute(
            "INSERT INTO article_aliases (url, article_id) VALUES ($1, $2)
             ON CONFLICT (url) DO UPDATE SET article_id = excluded.article_id",
            &[&url, &into],
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub(super) async fn story_write_(&self, w: &StoryWrite, at: DateTime<Utc>) -> Result<i64> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // The one story_meta row serialises story writers across workers, as SQLite's
        // IMMEDIATE transaction does within one file.
        let rev: i64 = tx
            .cquery_one("SELECT rev FROM story_meta WHERE id = 1 FOR UPDATE", &[])
            .await?
            .get(0);
        if rev != w.base_rev {
            return Err(StoreError::StoriesMoved);
        }
        let rev = rev + 1;
        let now = ts(at);
        let upsert = tx
            .prepare_cached(
                "INSERT INTO story_members (article_id, story_id, seq, outlet, published, features_json, score, wire_copy_of, manual, joined_at, rev)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                 ON CONFLICT (article_id) DO UPDATE SET story_id = $2, seq = $3, outlet = $4, published = $5,
                    features_json = $6, score = $7, wire_copy_of = $8, manual = $9, rev = $11,
                    joined_at = CASE WHEN story_members.story_id = $2 THEN story_members.joined_at ELSE $10 END",
            )
            .await?;
        for m in &w.members {
            let features = serde_json::to_string(&m.features)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            tx.execute(
                &upsert,
                &[
                    &m.article_id,
                    &m.story_id,
                    &m.seq,
                    &m.outlet,
                    &ts(m.published.unwrap_or(at)),
                    &features,
                    &(m.score as f64),
                    &m.wire_copy_of,
                    &m.manual,
                    &now,
                    &rev,
                ],
            )
            .await?;
        }
        if let Some((must, cannot)) = &w.links {
            tx.cexecute("DELETE FROM story_links", &[]).await?;
            for (pairs, kind) in [(must, "must"), (cannot, "cannot")] {
                for &(a, b) in pairs {
                    tx.cexecute(
                        "INSERT INTO story_links (a, b, kind, created_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (a, b) DO UPDATE SET kind = $3",
                        &[&a.min(b), &a.max(b), &kind, &now],
                    )
                    .await?;
                }
            }
        }
        tx.cexecute(
            "UPDATE story_meta SET rev = $1, next_story = GREATEST(next_story, $2) WHERE id = 1",
            &[&rev, &(w.next_story as i64)],
        )
        .await?;
        tx.commit().await?;
        Ok(rev)
    }

    pub(super) async fn write_findings_(
        &self,
        w: &FindingsWrite,
        routes: &dyn Routes,
        at: DateTime<Utc>,
    ) -> Result<Committed> {
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Same lock as story writes: membership and open findings cannot move between the
        // check below and the commit, and two workers never report one finding twice.
        tx.cexecute("SELECT 1 FROM story_meta WHERE id = 1 FOR UPDATE", &[])
            .await?;
        let mut open: Vec<(String, String)> = tx
            .cquery(
                "SELECT ident, change_key FROM story_findings WHERE story_id = $1 AND resolved_at IS NULL",
                &[&w.story_id],
            )
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        open.sort();
        let mut expected = w.expected_open.clone();
        expected.sort();
        let m = tx
            .cquery_one(
                "SELECT COUNT(*), COALESCE(MAX(rev), 0)::bigint FROM story_members WHERE story_id = $1",
                &[&w.story_id],
            )
            .await?;
        let membership: (i64, i64) = (m.get(0), m.get(1));
        if open != expected || membership != w.membership {
            return Err(StoreError::StoriesMoved);
        }
        let now = ts(at);
        for (old, new) in &w.renames {
            tx.cexecute(
                "DELETE FROM story_findings WHERE story_id = $1 AND ident = $2 AND resolved_at IS NOT NULL",
                &[&w.story_id, new],
            )
            .await?;
            tx.cexecute(
                "UPDATE story_findings SET ident = $3 WHERE story_id = $1 AND ident = $2",
                &[&w.story_id, old, new],
            )
            .await?;
        }
        for f in &w.upsert {
            tx.cexecute(
                "INSERT INTO story_findings (story_id, ident, change_key, outcome, severity, slot, event, explanation,
                    finding_json, opened_at, updated_at, resolved_at, event_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, NULL, $11)
                 ON CONFLICT (story_id, ident) DO UPDATE SET change_key = $3, outcome = $4, severity = $5, slot = $6,
                    event = $7, explanation = $8, finding_json = $9, updated_at = $10,
                    opened_at = CASE WHEN story_findings.resolved_at IS NULL THEN story_findings.opened_at ELSE $10 END,
                    resolved_at = NULL, event_id = COALESCE($11, story_findings.event_id)",
                &[
                    &w.story_id, &f.ident, &f.change_key, &f.outcome, &(f.severity as f64), &f.slot,
                    &f.event, &f.explanation, &f.finding.to_string(), &now, &f.event_id,
                ],
            )
            .await?;
        }
        for ident in &w.resolve {
            tx.cexecute(
                "UPDATE story_findings SET resolved_at = $3, updated_at = $3 WHERE story_id = $1 AND ident = $2",
                &[&w.story_id, ident, &now],
            )
            .await?;
        }
        let mut out = Committed::default();
        for e in &w.events {
            insert_event(&tx, e, routes, at, &mut out).await?;
        }
        tx.commit().await?;
        Ok(out)
    }
}
