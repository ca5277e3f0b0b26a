//! The web UI's and API's keyset-paged lists: the same queries as `sqlite/read.rs`, in
//! PostgreSQL's dialect (filters become `$n` parameters, LIKE is ILIKE on bytewise text).

use chrono::{DateTime, SecondsFormat, Utc};
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use super::read::{
    ARTICLE_COLS, STORY_SELECT, article_row, delivery_row, event_row, finding_at, json_or_text,
    story_row,
};
use super::{PgStore, ts};
use crate::events::ArticleRef;
use crate::store::*;

type Param = Box<dyn ToSql + Sync + Send>;

/// Events store `created_at` to the second.
fn secs(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A conjunction of conditions; each `?` in a clause becomes the next `$n`.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    params: Vec<Param>,
}

impl Filter {
    fn add(&mut self, clause: &str, values: Vec<Param>) {
        let mut out = String::new();
        let mut n = self.params.len();
        for ch in clause.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self.params.extend(values);
    }

    fn opt<T: ToSql + Sync + Send + Clone + 'static>(&mut self, clause: &str, v: &Option<T>) {
        if let Some(v) = v {
            self.add(clause, vec![Box::new(v.clone())]);
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "TRUE".into()
        } else {
            self.clauses.join(" AND ")
        }
    }

    fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params
            .iter()
            .map(|p| p.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

/// `%text%` for (I)LIKE with the wildcards in `text` taken literally.
fn like(text: &str) -> String {
    let mut s = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

struct List<'a> {
    max: &'a str,
    select: &'a str,
    from: &'a str,
    key: &'a str,
}

async fn paged<T>(
    c: &impl GenericClient,
    list: List<'_>,
    mut f: Filter,
    page: PageReq,
    map: impl Fn(&Row) -> Result<T>,
) -> Result<Paged<T>> {
    let upto = match page.upto {
        Some(u) => u,
        None => c
            .query_one(list.max, &[])
            .await?
            .get::<_, Option<i64>>(0)
            .unwrap_or(0),
    };
    f.add(&format!("{} <= ?", list.key), vec![Box::new(upto)]);
    let total: i64 = c
        .query_one(
            &format!("SELECT COUNT(*) {} WHERE {}", list.from, f.sql()),
            &f.refs(),
        )
        .await?
        .get(0);
    if let Some(b) = page.before {
        f.add(&format!("{} < ?", list.key), vec![Box::new(b)]);
    }
    let limit = page.limit.max(1);
    let rows = c
        .query(
            &format!(
                "SELECT {} {} WHERE {} ORDER BY {} DESC LIMIT {}",
                list.select,
                list.from,
                f.sql(),
                list.key,
                limit + 1
            ),
            &f.refs(),
        )
        .await?;
    let mut items = Vec::new();
    let mut keys = Vec::new();
    for r in &rows {
        keys.push(r.get::<_, i64>("_key"));
        items.push(map(r)?);
    }
    let next_before = if items.len() > limit {
        items.truncate(limit);
        keys.get(limit - 1).copied()
    } else {
        None
    };
    Ok(Paged {
        items,
        total,
        upto,
        next_before,
    })
}

const FACT_SELECT: &str =
    "f.id, f.event_id, f.idx, f.created_at, f.article_id, a.url, f.outlet, a.headline,
    f.from_seq, f.to_seq,
    (SELECT observed_at FROM versions v WHERE v.article_id = f.article_id AND v.seq = f.from_seq),
    (SELECT observed_at FROM versions v WHERE v.article_id = f.article_id AND v.seq = f.to_seq),
    f.item_json, f.id AS _key";
const FACT_FROM: &str = "FROM fact_changes f LEFT JOIN articles a ON a.id = f.article_id";

fn fact_row(r: &Row) -> Result<FactChangeRow> {
    Ok(FactChangeRow {
        id: r.get(0),
        event_id: r.get(1),
        index: r.get(2),
        created_at: r.get(3),
        article: ArticleRef {
            id: r.get::<_, Option<i64>>(4).unwrap_or(0),
            url: r.get::<_, Option<String>>(5).unwrap_or_default(),
            outlet: r.get(6),
            headline: r.get(7),
        },
        from_version: r.get(8),
        to_version: r.get(9),
        from_observed_at: r.get(10),
        to_observed_at: r.get(11),
        item: json_or_text(r.get(12)),
    })
}

fn finding_row(r: &Row) -> Result<FindingRow> {
    Ok(FindingRow {
        id: r.get(0),
        story_headline: r.get(14),
        finding: finding_at(r, 1),
    })
}

const FINDING_SELECT: &str = "f.id, f.story_id, f.ident, f.change_key, f.outcome, f.severity, f.slot, f.event,
    f.explanation, f.finding_json, f.opened_at, f.updated_at, f.resolved_at, f.event_id,
    (SELECT a.headline FROM story_members m2 JOIN articles a ON a.id = m2.article_id
      WHERE m2.story_id = f.story_id ORDER BY COALESCE(m2.published, m2.joined_at), m2.article_id LIMIT 1),
    f.id AS _key";

const EVENT_SELECT: &str =
    "e.id, e.type, e.created_at, e.article_id, e.version_seq, e.payload, e.seq AS _key";

impl PgStore {
    pub(super) async fn list_articles_(
        &self,
        q: &ArticleQuery,
        page: PageReq,
    ) -> Result<Paged<ArticleRow>> {
        let mut f = Filter::default();
        f.opt("a.outlet = ?", &q.outlet);
        f.opt("s.name = ?", &q.source);
        if let Some(t) = q.text.as_deref().filter(|t| !t.is_empty()) {
            let p = like(t);
            f.add(
                "(a.headline ILIKE ? ESCAPE '\\' OR a.url ILIKE ? ESCAPE '\\')",
                vec![Box::new(p.clone()), Box::new(p)],
            );
        }
        f.opt("a.last_changed_at >= ?", &q.changed_since.map(ts));
        let select = format!("{ARTICLE_COLS}, a.id AS _key");
        paged(
            &self.client().await?,
            List {
                max: "SELECT MAX(id) FROM articles",
                select: &select,
                from: "FROM articles a LEFT JOIN sources s ON s.id = a.source_id",
                key: "a.id",
            },
            f,
            page,
            |r| Ok(article_row(r)),
        )
        .await
    }

    pub(super) async fn list_fact_changes_(
        &self,
        q: &FactQuery,
        page: PageReq,
    ) -> Result<Paged<FactChangeRow>> {
        let mut f = Filter::default();
        f.opt("f.article_id = ?", &q.article);
        f.opt("f.outlet = ?", &q.outlet);
        f.opt(
            "f.article_id IN (SELECT article_id FROM story_members WHERE story_id = ?)",
            &q.story,
        );
        f.opt("f.kind = ?", &q.kind);
        f.opt("f.label = ?", &q.label);
        f.opt("f.created_at >= ?", &q.since.map(secs));
        f.opt("f.created_at < ?", &q.until.map(secs));
        paged(
            &self.client().await?,
            List {
                max: "SELECT MAX(id) FROM fact_changes",
                select: FACT_SELECT,
                from: FACT_FROM,
                key: "f.id",
            },
            f,
            page,
            fact_row,
        )
        .await
    }

    pub(super) async fn fact_change_(&self, id: i64) -> Result<Option<FactChangeRow>> {
        let c = self.client().await?;
        c.query_opt(
            &format!("SELECT {FACT_SELECT} {FACT_FROM} WHERE f.id = $1"),
            &[&id],
        )
        .await?
        .as_ref()
        .map(fact_row)
        .transpose()
    }

    pub(super) async fn list_findings_(
        &self,
        q: &FindingQuery,
        page: PageReq,
    ) -> Result<Paged<FindingRow>> {
        let mut f = Filter::default();
        f.opt("f.story_id = ?", &q.story);
        match q.open {
            Some(true) => f.add("f.resolved_at IS NULL", vec![]),
            Some(false) => f.add("f.resolved_at IS NOT NULL", vec![]),
            None => {}
        }
        f.opt("f.outcome = ?", &q.outcome);
        // Containment is false (not an error) when `claims` is not an array.
        f.opt(
            "(f.finding_json::jsonb -> 'claims') @> jsonb_build_array(jsonb_build_object('outlet', ?::text))",
            &q.outlet,
        );
        f.opt("f.opened_at >= ?", &q.since.map(ts));
        f.opt("f.opened_at < ?", &q.until.map(ts));
        paged(
            &self.client().await?,
            List {
                max: "SELECT MAX(id) FROM story_findings",
                select: FINDING_SELECT,
                from: "FROM story_findings f",
                key: "f.id",
            },
            f,
            page,
            finding_row,
        )
        .await
    }

    pub(super) async fn finding_(&self, id: i64) -> Result<Option<FindingRow>> {
        let c = self.client().await?;
        c.query_opt(
            &format!("SELECT {FINDING_SELECT} FROM story_findings f WHERE f.id = $1"),
            &[&id],
        )
        .await?
        .as_ref()
        .map(finding_row)
        .transpose()
    }

    pub(super) async fn list_events_(
        &self,
        q: &EventQuery,
        page: PageReq,
    ) -> Result<Paged<EventRow>> {
        let mut f = Filter::default();
        f.opt("e.type = ?", &q.kind);
        f.opt("e.article_id = ?", &q.article);
        f.opt("e.story_id = ?", &q.story);
        f.opt("e.created_at >= ?", &q.since.map(secs));
        f.opt("e.created_at < ?", &q.until.map(secs));
        paged(
            &self.client().await?,
            List {
                max: "SELECT MAX(seq) FROM events",
                select: EVENT_SELECT,
                from: "FROM events e",
                key: "e.seq",
            },
            f,
            page,
            |r| Ok(event_row(r)),
        )
        .await
    }

    pub(super) async fn event_(&self, id: &str) -> Result<Option<EventRow>> {
        let c = self.client().await?;
        Ok(c.query_opt(
            &format!("SELECT {EVENT_SELECT} FROM events e WHERE e.id = $1"),
            &[&id],
        )
        .await?
        .as_ref()
        .map(event_row))
    }

    pub(super) async fn list_stories_(&self, page: PageReq) -> Result<Paged<StoryRow>> {
        let c = self.client().await?;
        let upto = match page.upto {
            Some(u) => u,
            None => c
                .query_one("SELECT MAX(story_id) FROM story_members", &[])
                .await?
                .get::<_, Option<i64>>(0)
                .unwrap_or(0),
        };
        let total: i64 = c
            .query_one(
                "SELECT COUNT(DISTINCT story_id) FROM story_members WHERE story_id <= $1",
                &[&upto],
            )
            .await?
            .get(0);
        let limit = page.limit.max(1);
        let mut items: Vec<StoryRow> = c
            .query(
                &format!(
                    "{STORY_SELECT} WHERE m.story_id <= $1 AND m.story_id < $2
                     GROUP BY m.story_id ORDER BY m.story_id DESC LIMIT $3"
                ),
                &[&upto, &page.before.unwrap_or(i64::MAX), &(limit as i64 + 1)],
            )
            .await?
            .iter()
            .map(story_row)
            .collect();
        let next_before = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|s| s.id)
        } else {
            None
        };
        Ok(Paged {
            items,
            total,
            upto,
            next_before,
        })
    }

    pub(super) async fn list_deliveries_(
        &self,
        q: &DeliveryQuery,
        page: PageReq,
    ) -> Result<Paged<DeliveryRow>> {
        let mut f = Filter::default();
        match q.state.as_deref() {
            Some("failing") => f.add(
                "o.state <> 'delivered' AND o.last_error IS NOT NULL",
                vec![],
            ),
            Some(s) => f.add("o.state = ?", vec![Box::new(s.to_string())]),
            None => {}
        }
        f.opt("o.target = ?", &q.target);
        paged(
            &self.client().await?,
            List {
                max: "SELECT MAX(id) FROM outbox",
                select: "o.event_id, e.type, o.target, o.state, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at, o.id AS _key",
                from: "FROM outbox o JOIN events e ON e.id = o.event_id",
                key: "o.id",
            },
            f,
            page,
            |r| Ok(delivery_row(r)),
        )
        .await
    }

    pub(super) async fn outlets_(&self) -> Result<Vec<String>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet",
                &[],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    pub(super) async fn edits_by_day_(&self, since: DateTime<Utc>) -> Result<Vec<EditCount>> {
        let c = self.client().await?;
        let rows = c
            .query(
                "SELECT substr(v.observed_at, 1, 10), COALESCE(a.outlet, '-'), COUNT(*)
                 FROM versions v JOIN articles a ON a.id = v.article_id
                 WHERE v.seq > 1 AND v.observed_at >= $1 GROUP BY 1, 2 ORDER BY 1, 2",
                &[&ts(since)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| EditCount {
                day: r.get(0),
                outlet: r.get(1),
                edits: r.get(2),
            })
            .collect())
    }
}
