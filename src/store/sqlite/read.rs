//! The web UI's and API's reads: filters become a WHERE clause with positional parameters,
//! pages are keyset pages on an integer id (see [`crate::store::query`]).

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params_from_iter};

use super::{ARTICLE_COLS, STORY_SELECT, article_row, story_row, ts};
use crate::events::ArticleRef;
use crate::store::*;

/// Events store `created_at` to the second (`2026-01-05T10:00:00Z`).
fn secs(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A conjunction of SQL conditions and their parameters, in order.
#[derive(Default)]
struct Filter {
    clauses: Vec<String>,
    params: Vec<Sql>,
}

impl Filter {
    fn add(&mut self, clause: impl Into<String>, values: impl IntoIterator<Item = Sql>) {
        self.clauses.push(clause.into());
        self.params.extend(values);
    }

    fn opt<T: Clone + Into<Sql>>(&mut self, clause: &str, v: &Option<T>) {
        if let Some(v) = v {
            self.add(clause, [v.clone().into()]);
        }
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            "1".into()
        } else {
            self.clauses.join(" AND ")
        }
    }
}

/// `%text%` for LIKE, with the wildcards in `text` taken literally (ESCAPE '\').
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

/// What a list reads: `select` must name the key column `_key`; `max` gives the newest key.
/// `count_from` is `from` without the joins that only add columns, when the filter does not
/// need them: the total then counts one narrow index instead of joining every row.
/// `counter` names the `list_totals` row (migration V8) that holds the number of rows the
/// filter matches, when there is one.
struct List<'a> {
    max: &'a str,
    select: &'a str,
    from: &'a str,
    count_from: Option<&'a str>,
    key: &'a str,
    counter: Option<Counter>,
}

/// A `list_totals` row: (list, dim, value); dim `""` is the whole list.
struct Counter(&'static str, &'static str, String);

/// The counter for a list filtered on at most one counted column: `dims` pairs each counted
/// column's name with its filter value; `other` says whether any other filter is set.
fn counter(
    list: &'static str,
    dims: &[(&'static str, Option<&str>)],
    other: bool,
) -> Option<Counter> {
    let set: Vec<_> = dims
        .iter()
        .filter_map(|(d, v)| v.map(|v| (*d, v)))
        .collect();
    match (other, set.as_slice()) {
        (false, []) => Some(Counter(list, "", String::new())),
        (false, [(d, v)]) => Some(Counter(list, d, v.to_string())),
        _ => None,
    }
}

/// Rows matching `f` (which does not yet bound the key) with `key <= upto`.
///
/// With a counter, the total is the counter (every matching row, kept exact by triggers in
/// the writing transaction) minus the matching rows newer than `upto`: a page of a recent
/// traversal counts the few rows that arrived since it began, not every row. One statement,
/// so both terms read the same snapshot. A traversal older than half the list counts
/// directly, which is then the smaller count.
fn total(c: &Connection, list: &List, f: &Filter, upto: i64) -> Result<i64> {
    let from = list.count_from.unwrap_or(list.from);
    let key = list.key;
    if let Some(Counter(name, dim, value)) = &list.counter {
        let newest: i64 = c
            .query_row(list.max, [], |r| r.get::<_, Option<i64>>(0))?
            .unwrap_or(0);
        if newest - upto <= upto {
            let mut params = vec![
                Sql::Text((*name).into()),
                Sql::Text((*dim).into()),
                Sql::Text(value.clone()),
            ];
            params.extend(f.params.iter().cloned());
            params.push(Sql::Integer(upto));
            return Ok(c.query_row(
                &format!(
                    "SELECT COALESCE((SELECT n FROM list_totals WHERE list = ? AND dim = ? AND value = ?), 0)
                          - (SELECT COUNT(*) {from} WHERE {} AND {key} > ?)",
                    f.sql()
                ),
                params_from_iter(params.iter()),
                |r| r.get(0),
            )?);
        }
    }
    let mut params = f.params.clone();
    params.push(Sql::Integer(upto));
    Ok(c.query_row(
        &format!("SELECT COUNT(*) {from} WHERE {} AND {key} <= ?", f.sql()),
        params_from_iter(params.iter()),
        |r| r.get(0),
    )?)
}

/// One keyset page of `list`.
fn paged<T>(
    c: &Connection,
    list: List,
    f: Filter,
    page: PageReq,
    mut map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Paged<T>> {
    let upto = match page.upto {
        Some(u) => u,
        None => c
            .query_row(list.max, [], |r| r.get::<_, Option<i64>>(0))?
            .unwrap_or(0),
    };
    let total = total(c, &list, &f, upto)?;
    let List {
        select, from, key, ..
    } = list;
    let mut f = f;
    f.add(format!("{key} <= ?"), [Sql::Integer(upto)]);
    if let Some(b) = page.before {
        f.add(format!("{key} < ?"), [Sql::Integer(b)]);
    }
    let limit = page.limit.max(1);
    let mut st = c.prepare(&format!(
        "SELECT {select} {from} WHERE {} ORDER BY {key} DESC LIMIT {}",
        f.sql(),
        limit + 1
    ))?;
    let mut items = Vec::new();
    let mut keys = Vec::new();
    let mut rows = st.query(params_from_iter(f.params.iter()))?;
    while let Some(r) = rows.next()? {
        keys.push(r.get::<_, i64>("_key")?);
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

pub(super) fn articles(
    c: &Connection,
    q: &ArticleQuery,
    page: PageReq,
    trigrams: Option<&super::search::TrigramStats>,
) -> Result<Paged<ArticleRow>> {
    let mut f = Filter::default();
    f.opt("a.outlet = ?", &q.outlet);
    f.opt("s.name = ?", &q.source);
    let text = q.text.as_deref().filter(|t| !t.is_empty());
    if let Some(t) = text {
        // The trigram index finds candidates (a superset: its match is a Unicode case-folded
        // substring, or the rows holding its rarest trigrams); LIKE stays the test. Under 3
        // characters there is no trigram to look up.
        if t.chars().count() >= 3 {
            f.add(
                "a.id IN (SELECT rowid FROM articles_search WHERE articles_search MATCH ?)",
                [Sql::Text(super::search::candidate_query(t, trigrams))],
            );
        }
        let p = like(t);
        f.add(
            "(a.headline LIKE ? ESCAPE '\\' OR a.url LIKE ? ESCAPE '\\')",
            [Sql::Text(p.clone()), Sql::Text(p)],
        );
    }
    f.opt("a.last_changed_at >= ?", &q.changed_since.map(ts));
    let other = q.source.is_some() || text.is_some() || q.changed_since.is_some();
    paged(
        c,
        List {
            max: "SELECT MAX(id) FROM articles",
            select: &format!("{ARTICLE_COLS}, a.id AS _key"),
            from: "FROM articles a LEFT JOIN sources s ON s.id = a.source_id",
            count_from: q.source.is_none().then_some("FROM articles a"),
            key: "a.id",
            counter: counter("articles", &[("outlet", q.outlet.as_deref())], other),
        },
        f,
        page,
        article_row,
    )
}

const FACT_SELECT: &str =
    "f.id, f.event_id, f.idx, f.created_at, f.article_id, a.url, f.outlet, a.headline,
    f.from_seq, f.to_seq,
    (SELECT observed_at FROM versions v WHERE v.article_id = f.article_id AND v.seq = f.from_seq),
    (SELECT observed_at FROM versions v WHERE v.article_id = f.article_id AND v.seq = f.to_seq),
    f.item_json, f.id AS _key";
const FACT_FROM: &str = "FROM fact_changes f LEFT JOIN articles a ON a.id = f.article_id";

fn fact_row(r: &Row) -> rusqlite::Result<FactChangeRow> {
    let (mut row, item) = fact_row_raw(r)?;
    row.item = serde_json::from_str(&item).unwrap_or(serde_json::Value::String(item));
    Ok(row)
}

/// A fact change with its item as stored (unparsed; `item` is `Null`).
fn fact_row_raw(r: &Row) -> rusqlite::Result<(FactChangeRow, String)> {
    let item: String = r.get(12)?;
    let row = FactChangeRow {
        id: r.get(0)?,
        event_id: r.get(1)?,
        index: r.get(2)?,
        created_at: r.get(3)?,
        article: ArticleRef {
            id: r.get::<_, Option<i64>>(4)?.unwrap_or(0),
            url: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
            outlet: r.get(6)?,
            headline: r.get(7)?,
        },
        from_version: r.get(8)?,
        to_version: r.get(9)?,
        from_observed_at: r.get(10)?,
        to_observed_at: r.get(11)?,
        item: serde_json::Value::Null,
    };
    Ok((row, item))
}

pub(super) fn fact_changes(
    c: &Connection,
    q: &FactQuery,
    page: PageReq,
) -> Result<Paged<FactChangeRow>> {
    fact_changes_with(c, q, page, fact_row)
}

/// [`fact_changes`] with each item as stored (see `Store::list_fact_changes_raw`).
pub(super) fn fact_changes_raw(
    c: &Connection,
    q: &FactQuery,
    page: PageReq,
) -> Result<Paged<(FactChangeRow, String)>> {
    fact_changes_with(c, q, page, fact_row_raw)
}

fn fact_changes_with<T>(
    c: &Connection,
    q: &FactQuery,
    page: PageReq,
    map: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Paged<T>> {
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
    let other = q.article.is_some() || q.story.is_some() || q.since.is_some() || q.until.is_some();
    paged(
        c,
        List {
            max: "SELECT MAX(id) FROM fact_changes",
            select: FACT_SELECT,
            from: FACT_FROM,
            count_from: Some("FROM fact_changes f"),
            key: "f.id",
            counter: counter(
                "fact_changes",
                &[
                    ("outlet", q.outlet.as_deref()),
                    ("kind", q.kind.as_deref()),
                    ("label", q.label.as_deref()),
                ],
                other,
            ),
        },
        f,
        page,
        map,
    )
}

pub(super) fn fact_change(c: &Connection, id: i64) -> Result<Option<FactChangeRow>> {
    Ok(c.query_row(
        &format!("SELECT {FACT_SELECT} {FACT_FROM} WHERE f.id = ?1"),
        [id],
        fact_row,
    )
    .optional()?)
}

/// Indexes the `facts[]` items of a just-inserted `fact.changed` event (same SQL as the
/// migration's backfill, so old and new rows are alike).
pub(super) fn index_fact_changes(tx: &Transaction, event_id: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO fact_changes (event_id, idx, article_id, outlet, from_seq, to_seq, kind, slot, label, created_at, item_json)
         SELECT e.id, j.key, e.article_id, json_extract(e.payload, '$.article.outlet'),
                json_extract(e.payload, '$.from_version'), json_extract(e.payload, '$.to_version'),
                COALESCE(json_extract(j.value, '$.kind'), ''), COALESCE(json_extract(j.value, '$.slot'), ''),
                COALESCE(json_extract(j.value, '$.label'), ''), e.created_at, j.value
         FROM events e, json_each(e.payload, '$.facts') j WHERE e.id = ?1 ORDER BY j.key",
        [event_id],
    )?;
    Ok(())
}

const FINDING_SELECT: &str = "f.id, f.story_id, f.ident, f.change_key, f.outcome, f.severity, f.slot, f.event,
    f.explanation, f.finding_json, f.opened_at, f.updated_at, f.resolved_at, f.event_id,
    (SELECT a.headline FROM story_members m2 JOIN articles a ON a.id = m2.article_id
      WHERE m2.story_id = f.story_id ORDER BY COALESCE(m2.published, m2.joined_at), m2.article_id LIMIT 1),
    f.id AS _key";

fn finding_row(r: &Row) -> rusqlite::Result<FindingRow> {
    let json: String = r.get(9)?;
    Ok(FindingRow {
        id: r.get(0)?,
        story_headline: r.get(14)?,
        finding: StoredFinding {
            story_id: r.get(1)?,
            ident: r.get(2)?,
            change_key: r.get(3)?,
            outcome: r.get(4)?,
            severity: r.get::<_, f64>(5)? as f32,
            slot: r.get(6)?,
            event: r.get(7)?,
            explanation: r.get(8)?,
            finding: serde_json::from_str(&json).unwrap_or(serde_json::Value::String(json)),
            opened_at: r.get(10)?,
            updated_at: r.get(11)?,
            resolved_at: r.get(12)?,
            event_id: r.get(13)?,
        },
    })
}

pub(super) fn findings(
    c: &Connection,
    q: &FindingQuery,
    page: PageReq,
) -> Result<Paged<FindingRow>> {
    let mut f = Filter::default();
    f.opt("f.story_id = ?", &q.story);
    match q.open {
        Some(true) => f.add("f.resolved_at IS NULL", []),
        Some(false) => f.add("f.resolved_at IS NOT NULL", []),
        None => {}
    }
    f.opt("f.outcome = ?", &q.outcome);
    f.opt(
        "EXISTS (SELECT 1 FROM json_each(f.finding_json, '$.claims') j WHERE json_extract(j.value, '$.outlet') = ?)",
        &q.outlet,
    );
    f.opt("f.opened_at >= ?", &q.since.map(ts));
    f.opt("f.opened_at < ?", &q.until.map(ts));
    paged(
        c,
        List {
            max: "SELECT MAX(id) FROM story_findings",
            select: FINDING_SELECT,
            from: "FROM story_findings f",
            count_from: None,
            key: "f.id",
            counter: None,
        },
        f,
        page,
        finding_row,
    )
}

pub(super) fn finding(c: &Connection, id: i64) -> Result<Option<FindingRow>> {
    Ok(c.query_row(
        &format!("SELECT {FINDING_SELECT} FROM story_findings f WHERE f.id = ?1"),
        [id],
        finding_row,
    )
    .optional()?)
}

fn event_row(r: &Row) -> rusqlite::Result<EventRow> {
    let p: String = r.get(5)?;
    Ok(EventRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        created_at: r.get(2)?,
        article_id: r.get(3)?,
        version_seq: r.get(4)?,
        payload: serde_json::from_str(&p).unwrap_or(serde_json::Value::String(p)),
    })
}

const EVENT_SELECT: &str =
    "e.id, e.type, e.created_at, e.article_id, e.version_seq, e.payload, e.rowid AS _key";

pub(super) fn events(c: &Connection, q: &EventQuery, page: PageReq) -> Result<Paged<EventRow>> {
    let mut f = Filter::default();
    f.opt("e.type = ?", &q.kind);
    f.opt("e.article_id = ?", &q.article);
    f.opt("e.story_id = ?", &q.story);
    f.opt("e.created_at >= ?", &q.since.map(secs));
    f.opt("e.created_at < ?", &q.until.map(secs));
    paged(
        c,
        List {
            max: "SELECT MAX(rowid) FROM events",
            select: EVENT_SELECT,
            from: "FROM events e",
            count_from: None,
            key: "e.rowid",
            counter: counter(
                "events",
                &[("type", q.kind.as_deref())],
                q.article.is_some() || q.story.is_some() || q.since.is_some() || q.until.is_some(),
            ),
        },
        f,
        page,
        event_row,
    )
}

pub(super) fn event(c: &Connection, id: &str) -> Result<Option<EventRow>> {
    Ok(c.query_row(
        &format!("SELECT {EVENT_SELECT} FROM events e WHERE e.id = ?1"),
        [id],
        event_row,
    )
    .optional()?)
}

pub(super) fn stories(c: &Connection, page: PageReq) -> Result<Paged<StoryRow>> {
    let upto = match page.upto {
        Some(u) => u,
        None => c
            .query_row("SELECT MAX(story_id) FROM story_members", [], |r| {
                r.get::<_, Option<i64>>(0)
            })?
            .unwrap_or(0),
    };
    let total: i64 = c.query_row(
        "SELECT COUNT(DISTINCT story_id) FROM story_members WHERE story_id <= ?1",
        [upto],
        |r| r.get(0),
    )?;
    let limit = page.limit.max(1);
    let mut st = c.prepare(&format!(
        "{STORY_SELECT} WHERE m.story_id <= ?1 AND m.story_id < ?2
         GROUP BY m.story_id ORDER BY m.story_id DESC LIMIT ?3"
    ))?;
    let mut items = st
        .query_map(
            rusqlite::params![upto, page.before.unwrap_or(i64::MAX), limit as i64 + 1],
            story_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
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

pub(super) fn deliveries(
    c: &Connection,
    q: &DeliveryQuery,
    page: PageReq,
) -> Result<Paged<DeliveryRow>> {
    let mut f = Filter::default();
    match q.state.as_deref() {
        Some("failing") => f.add("o.state <> 'delivered' AND o.last_error IS NOT NULL", []),
        Some(s) => f.add("o.state = ?", [Sql::Text(s.into())]),
        None => {}
    }
    f.opt("o.target = ?", &q.target);
    paged(
        c,
        List {
            max: "SELECT MAX(id) FROM outbox",
            select: "o.event_id, e.type, o.target, o.state, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at, o.id AS _key",
            from: "FROM outbox o JOIN events e ON e.id = o.event_id",
            count_from: Some("FROM outbox o"),
            key: "o.id",
            counter: None,
        },
        f,
        page,
        |r| {
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
        },
    )
}

pub(super) fn outlets(c: &Connection) -> Result<Vec<String>> {
    let mut st =
        c.prepare("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(super) fn edits_by_day(c: &Connection, since: DateTime<Utc>) -> Result<Vec<EditCount>> {
    let mut st = c.prepare(
        "SELECT substr(v.observed_at, 1, 10), COALESCE(a.outlet, '-'), COUNT(*)
         FROM versions v JOIN articles a ON a.id = v.article_id
         WHERE v.seq > 1 AND v.observed_at >= ?1 GROUP BY 1, 2 ORDER BY 1, 2",
    )?;
    let rows = st.query_map([ts(since)], |r| {
        Ok(EditCount {
            day: r.get(0)?,
            outlet: r.get(1)?,
            edits: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
