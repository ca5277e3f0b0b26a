//! The JSON API under `/api/v1/`. Lists are `{items, total, next_cursor, next}`, newest first,
//! with an opaque cursor (see [`crate::store::query`]); items describing what a webhook also
//! describes have the webhook's shape (a fact change is a `facts[]` item plus where it
//! happened; a conflict is the `claim.conflict` payload; events are the payloads themselves).
//! Errors are `{"error": {status, code, parameter?, message}}`.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use super::params::{Params, encode_cursor};
use super::{AppState, WebError, load};
use crate::store::{
    ArticleQuery, ArticleRow, DeliveryQuery, EventQuery, FactChangeRow, FactQuery, FindingQuery,
    FindingRow, PageReq, Paged,
};

type S = State<Arc<AppState>>;

/// A [`WebError`] rendered as a JSON error document.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.status().is_server_error() {
            tracing::error!("web API: {e}");
        }
        let mut body =
            json!({ "status": e.status().as_u16(), "code": e.code(), "message": e.to_string() });
        if let WebError::BadParam { param, .. } = &e {
            body["parameter"] = json!(param);
        }
        (e.status(), Json(json!({ "error": body }))).into_response()
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(index))
        .route("/openapi.json", get(openapi))
        .route("/articles", get(articles))
        .route("/articles/{id}", get(article))
        .route("/articles/{id}/versions", get(versions))
        .route("/articles/{id}/versions/{seq}", get(version))
        .route("/articles/{id}/versions/{seq}/raw", get(raw))
        .route("/articles/{id}/diff", get(diff))
        .route("/facts", get(facts))
        .route("/facts.csv", get(facts_csv))
        .route("/facts.jsonl", get(facts_jsonl))
        .route("/facts/{id}", get(fact))
        .route("/conflicts", get(conflicts))
        .route("/conflicts.csv", get(conflicts_csv))
        .route("/conflicts.jsonl", get(conflicts_jsonl))
        .route("/conflicts/{id}", get(conflict))
        .route("/events", get(events))
        .route("/events/{id}", get(event))
        .route("/stories", get(stories))
        .route("/stories/{id}", get(story))
        .route("/sources", get(sources))
        .route("/deliveries", get(deliveries))
        .fallback(api_not_found)
}

async fn api_not_found(uri: axum::http::Uri) -> ApiError {
    ApiError(WebError::NotFound(format!(
        "no API endpoint {} (see /api/v1/openapi.json)",
        uri.path()
    )))
}

/// A path segment that must be an integer id.
pub fn path_id(name: &str, v: &str) -> Result<i64, WebError> {
    v.parse::<i64>()
        .map_err(|_| WebError::bad(name, format!("{name} must be an integer id, not {v:?}")))
}

pub const KINDS: &[&str] = &[
    "quantity",
    "money",
    "percent",
    "duration",
    "date",
    "quote",
    "person",
    "place",
    "headline",
    "correction_note",
];
pub const LABELS: &[&str] = &[
    "update",
    "correction",
    "plan_changed",
    "quote_changed",
    "quote_removed",
    "retracted",
    "added",
    "headline_changed",
];
pub const OUTCOMES: &[&str] = &[
    "agree",
    "compatible",
    "refinement",
    "stale",
    "tension",
    "disputed",
    "conflict",
];
pub const EVENT_TYPES: &[&str] = &[
    crate::events::ARTICLE_NEW,
    crate::events::ARTICLE_CHANGED,
    crate::events::FACT_CHANGED,
    crate::events::ARTICLE_REMOVED,
    crate::events::SOURCE_FAILING,
    crate::events::SOURCE_RECOVERED,
    crate::events::CLAIM_CONFLICT,
    crate::events::CLAIM_RESOLVED,
];
pub const DELIVERY_STATES: &[&str] = &["pending", "delivered", "gave_up", "failing"];

pub const ARTICLE_PARAMS: &[&str] = &["outlet", "source", "q", "changed_since", "limit", "cursor"];
pub const FACT_PARAMS: &[&str] = &[
    "article", "outlet", "story", "kind", "label", "since", "until", "limit", "cursor",
];
/// The exports take the filters but not `limit`/`cursor`: they are not paged.
pub const FACT_EXPORT_PARAMS: &[&str] = &[
    "article", "outlet", "story", "kind", "label", "since", "until",
];
pub const CONFLICT_PARAMS: &[&str] = &[
    "story", "outlet", "status", "outcome", "since", "until", "limit", "cursor",
];
pub const CONFLICT_EXPORT_PARAMS: &[&str] =
    &["story", "outlet", "status", "outcome", "since", "until"];
pub const EVENT_PARAMS: &[&str] = &[
    "type", "article", "story", "since", "until", "limit", "cursor",
];
pub const DELIVERY_PARAMS: &[&str] = &["state", "target", "limit", "cursor"];

/// The shortest search text: every article matches a letter or two, so a shorter text
/// would scan the whole store for a list nobody reads (and has no trigram to look up).
pub const MIN_SEARCH_CHARS: usize = 3;

pub fn article_query(p: &Params) -> Result<ArticleQuery, WebError> {
    let text = p.str("q");
    if let Some(t) = &text
        && t.chars().count() < MIN_SEARCH_CHARS
    {
        return Err(WebError::bad(
            "q",
            format!("q must have at least {MIN_SEARCH_CHARS} characters, not {t:?}"),
        ));
    }
    Ok(ArticleQuery {
        outlet: p.str("outlet"),
        source: p.str("source"),
        text,
        changed_since: p.time("changed_since")?,
    })
}

pub fn fact_query(p: &Params) -> Result<FactQuery, WebError> {
    Ok(FactQuery {
        article: p.int("article")?,
        outlet: p.str("outlet"),
        story: p.int("story")?,
        kind: p.choice("kind", KINDS)?,
        label: p.choice("label", LABELS)?,
        since: p.time("since")?,
        until: p.time("until")?,
    })
}

pub fn finding_query(p: &Params) -> Result<FindingQuery, WebError> {
    Ok(FindingQuery {
        story: p.int("story")?,
        outlet: p.str("outlet"),
        open: p
            .choice("status", &["open", "resolved"])?
            .map(|s| s == "open"),
        outcome: p.choice("outcome", OUTCOMES)?,
        since: p.time("since")?,
        until: p.time("until")?,
    })
}

pub fn event_query(p: &Params) -> Result<EventQuery, WebError> {
    Ok(EventQuery {
        kind: p.choice("type", EVENT_TYPES)?,
        article: p.int("article")?,
        story: p.int("story")?,
        since: p.time("since")?,
        until: p.time("until")?,
    })
}

pub fn delivery_query(p: &Params) -> Result<DeliveryQuery, WebError> {
    Ok(DeliveryQuery {
        state: p.choice("state", DELIVERY_STATES)?,
        target: p.str("target"),
    })
}

/// The list document for one page.
fn list<T>(page: Paged<T>, p: &Params, path: &str, item: impl Fn(T) -> Value) -> Value {
    let cursor = page.next_before.map(|b| encode_cursor(page.upto, b));
    let next = cursor
        .as_ref()
        .map(|c| format!("/api/v1{path}?{}", p.with("cursor", Some(c))));
    json!({
        "items": page.items.into_iter().map(item).collect::<Vec<_>>(),
        "total": page.total,
        "next_cursor": cursor,
        "next": next,
    })
}

/// A fact change: the webhook's `facts[]` item plus where and when it happened.
pub fn fact_json(f: &FactChangeRow) -> Value {
    let mut v = fact_place(f);
    if let (Value::Object(o), Value::Object(item)) = (&mut v, &f.item) {
        for (k, x) in item {
            o.entry(k.clone()).or_insert_with(|| x.clone());
        }
    }
    v
}

/// [`fact_json`] of a row no longer needed: the item's values are moved, not copied (a list
/// page has 50 items of a dozen values each).
fn fact_json_owned(f: FactChangeRow) -> Value {
    let mut v = fact_place(&f);
    if let (Value::Object(o), Value::Object(item)) = (&mut v, f.item) {
        for (k, x) in item {
            o.entry(k).or_insert(x);
        }
    }
    v
}

/// Where and when a fact change happened, and its links.
fn fact_place(f: &FactChangeRow) -> Value {
    json!({
        "id": f.id,
        "event_id": f.event_id,
        "index": f.index,
        "created_at": f.created_at,
        "article": f.article,
        "from_version": f.from_version,
        "to_version": f.to_version,
        "from_observed_at": f.from_observed_at,
        "to_observed_at": f.to_observed_at,
        "links": {
            "html": format!("/facts/{}", f.id),
            "diff": diff_link(f),
        },
    })
}

pub fn diff_link(f: &FactChangeRow) -> String {
    match (f.from_version, f.to_version) {
        (Some(a), Some(b)) => format!("/articles/{}/diff/{a}/{b}", f.article.id),
        _ => format!("/articles/{}", f.article.id),
    }
}

/// A conflict: the `claim.conflict` payload's fields plus its state.
pub fn conflict_json(r: &FindingRow) -> Value {
    let f = &r.finding;
    let claims = f.finding.get("claims").cloned().unwrap_or(json!([]));
    let mut outlets: Vec<&str> = Vec::new();
    for c in claims.as_array().into_iter().flatten() {
        if let Some(o) = c["outlet"].as_str()
            && !outlets.contains(&o)
        {
            outlets.push(o);
        }
    }
    json!({
        "id": r.id,
        "status": if f.resolved_at.is_some() { "resolved" } else { "open" },
        "story": { "id": f.story_id, "headline": r.story_headline, "outlets": outlets },
        "event": f.event,
        "slot": f.slot,
        "outcome": f.outcome,
        "severity": f.severity,
        "explanation": f.explanation,
        "claims": claims,
        "opened_at": f.opened_at,
        "updated_at": f.updated_at,
        "resolved_at": f.resolved_at,
        "event_id": f.event_id,
        "links": { "html": format!("/conflicts/{}", r.id), "story": format!("/stories/{}", f.story_id) },
    })
}

async fn index() -> Json<Value> {
    let endpoints = [
        "articles",
        "facts",
        "facts.csv",
        "facts.jsonl",
        "conflicts",
        "conflicts.csv",
        "conflicts.jsonl",
        "events",
        "stories",
        "sources",
        "deliveries",
        "openapi.json",
    ];
    Json(json!({
        "name": "factdiff",
        "version": env!("CARGO_PKG_VERSION"),
        "endpoints": endpoints.iter().map(|e| format!("/api/v1/{e}")).collect::<Vec<_>>(),
    }))
}

async fn openapi() -> Json<Value> {
    Json(super::openapi::document())
}

async fn articles(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse_api(q.as_deref(), ARTICLE_PARAMS)?;
    let (query, page) = (article_query(&p)?, p.page()?);
    let rows = s
        .read(move |st| Ok(st.list_articles(&query, page)?))
        .await?;
    Ok(Json(list(rows, &p, "/articles", |a| json!(a))))
}

async fn article(State(s): S, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse_api(q.as_deref(), &[])?;
    let id = path_id("id", &id)?;
    let v = s
        .read(move |st| {
            let a = load::article(st, id)?;
            let versions: Vec<Value> = st.versions(id)?.iter().map(load::version_meta).collect();
            Ok(json!({ "article": a, "story": st.story_of(id)?, "versions": versions }))
        })
        .await?;
    Ok(Json(v))
}

async fn versions(State(s): S, Path(id): Path<String>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse_api(q.as_deref(), &[])?;
    let id = path_id("id", &id)?;
    let v = s
        .read(move |st| {
            load::article(st, id)?;
            let items: Vec<Value> = st.versions(id)?.iter().map(load::version_meta).collect();
            Ok(json!({ "items": items, "total": items.len(), "next_cursor": null, "next": null }))
        })
        .await?;
    Ok(Json(v))
}

async fn version(
    State(s): S,
    Path((id, seq)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    Params::parse_api(q.as_deref(), &[])?;
    let (id, seq) = (path_id("id", &id)?, path_id("seq", &seq)?);
    let v = s
        .read(move |st| {
            let a = load::article(st, id)?;
            let v = load::version(st, &a, seq)?;
            Ok(load::version_json(&a, &v))
        })
        .await?;
    Ok(Json(v))
}

/// The stored raw page, as plain text: never rendered as HTML by the browser.
pub async fn raw(
    State(s): S,
    Path((id, seq)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (id, seq) = (path_id("id", &id)?, path_id("seq", &seq)?);
    let bytes = s
        .read(move |st| {
            let a = load::article(st, id)?;
            load::version(st, &a, seq)?;
            st.raw(id, seq)?
                .ok_or_else(|| WebError::NotFound(format!("no raw page stored for {id}/{seq}")))
        })
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "sandbox; default-src 'none'; frame-ancestors 'none'",
            ),
        ],
        String::from_utf8_lossy(&bytes).into_owned(),
    )
        .into_response())
}

async fn diff(
    State(s): S,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let p = Params::parse_api(q.as_deref(), &["from", "to"])?;
    let id = path_id("id", &id)?;
    let (from, to) = (p.int("from")?, p.int("to")?);
    let cache = s.diffs.clone();
    let inm = super::pages::if_none_match(&headers);
    let (etag, v) = s
        .read(move |st| {
            let a = load::article(st, id)?;
            let (from, to) = diff_pair(&a, from, to)?;
            let (old, new) = (load::version(st, &a, from)?, load::version(st, &a, to)?);
            let etag = load::diff_etag(&a, &old, &new, "json");
            if load::etag_matches(inm.as_deref(), &etag) {
                return Ok((etag, None));
            }
            let d = load::DiffData::new(a, old, new, Some(&cache));
            Ok((etag, Some(d.json())))
        })
        .await?;
    Ok(match v {
        Some(v) => super::pages::with_etag(Json(v).into_response(), &etag),
        None => super::pages::not_modified(&etag),
    })
}

/// `from`/`to` with defaults (the last two versions), checked against the article: a
/// number below 1 is a bad parameter (400), a version the article does not have yet is
/// unknown (404, as `/versions/{seq}` answers).
pub fn diff_pair(
    a: &ArticleRow,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<(i64, i64), WebError> {
    let to = to.unwrap_or(a.version_count);
    let from = from.unwrap_or((to - 1).max(1));
    for (name, v) in [("to", to), ("from", from)] {
        if v < 1 {
            return Err(WebError::bad(
                name,
                format!("{name} must be a version number (1 or more), not {v}"),
            ));
        }
        if v > a.version_count {
            return Err(WebError::NotFound(format!(
                "article {} has no version {v} ({name}; it has 1..={})",
                a.id, a.version_count
            )));
        }
    }
    Ok((from, to))
}

async fn facts(State(s): S, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse_api(q.as_deref(), FACT_PARAMS)?;
    let (query, page) = (fact_query(&p)?, p.page()?);
    let body = s
        .read(move |st| {
            let rows = st.list_fact_changes_raw(&query, page)?;
            Ok(fact_list_body(rows, &p))
        })
        .await?;
    Ok(body)
}

/// The fact-changes list page: the JSON `list(rows, p, "/facts", fact_json_owned)` would
/// give, with each stored item spliced in rather than parsed into a value tree, merged and
/// written out again, which was most of this page's CPU (see [`super::rawjson`]). An item
/// that cannot be spliced takes the value-tree path.
fn fact_list_body(page: Paged<(FactChangeRow, String)>, p: &Params) -> Response {
    let body = fact_list_bytes(page, p);
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn fact_list_bytes(page: Paged<(FactChangeRow, String)>, p: &Params) -> Vec<u8> {
    let cursor = page.next_before.map(|b| encode_cursor(page.upto, b));
    let next = cursor
        .as_ref()
        .map(|c| format!("/api/v1/facts?{}", p.with("cursor", Some(c))));
    let size: usize = page.items.iter().map(|(_, raw)| raw.len() + 512).sum();
    let mut out = Vec::with_capacity(size + 256);
    out.extend_from_slice(b"{\"items\":[");
    for (i, (row, raw)) in page.items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match (fact_place(&row), super::rawjson::sorted_members(&raw)) {
            (Value::Object(fields), Some(members)) => {
                super::rawjson::write_merged(&mut out, &fields, &members)
            }
            _ => {
                let item = serde_json::from_str(&raw).unwrap_or(Value::String(raw.clone()));
                let v = fact_json_owned(FactChangeRow { item, ..row });
                serde_json::to_writer(&mut out, &v).expect("in memory");
            }
        }
    }
    out.extend_from_slice(b"],\"next\":");
    serde_json::to_writer(&mut out, &next).expect("in memory");
    out.extend_from_slice(b",\"next_cursor\":");
    serde_json::to_writer(&mut out, &cursor).expect("in memory");
    out.extend_from_slice(format!(",\"total\":{}}}", page.total).as_bytes());
    out
}

async fn fact(State(s): S, Path(id): Path<String>) -> ApiResult {
    let id = path_id("id", &id)?;
    let f = s
        .read(move |st| {
            st.fact_change(id)?
                .ok_or_else(|| WebError::NotFound(format!("no fact change {id}")))
        })
        .await?;
    Ok(Json(fact_json(&f)))
}

async fn conflicts(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse_api(q.as_deref(), CONFLICT_PARAMS)?;
    let (query, page) = (finding_query(&p)?, p.page()?);
    let rows = s
        .read(move |st| Ok(st.list_findings(&query, page)?))
        .await?;
    Ok(Json(list(rows, &p, "/conflicts", |f| conflict_json(&f))))
}

async fn conflict(State(s): S, Path(id): Path<String>) -> ApiResult {
    let id = path_id("id", &id)?;
    let f = s
        .read(move |st| {
            st.finding(id)?
                .ok_or_else(|| WebError::NotFound(format!("no conflict {id}")))
        })
        .await?;
    Ok(Json(conflict_json(&f)))
}

async fn events(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse_api(q.as_deref(), EVENT_PARAMS)?;
    let (query, page) = (event_query(&p)?, p.page()?);
    let rows = s.read(move |st| Ok(st.list_events(&query, page)?)).await?;
    Ok(Json(list(rows, &p, "/events", |e| e.payload)))
}

async fn event(State(s): S, Path(id): Path<String>) -> ApiResult {
    let e = s
        .read(move |st| {
            st.event(&id)?
                .ok_or_else(|| WebError::NotFound(format!("no event {id:?}")))
        })
        .await?;
    Ok(Json(e.payload))
}

async fn stories(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse_api(q.as_deref(), &["limit", "cursor"])?;
    let page = p.page()?;
    let rows = s.read(move |st| Ok(st.list_stories(page)?)).await?;
    Ok(Json(list(rows, &p, "/stories", |r| json!(r))))
}

async fn story(State(s): S, Path(id): Path<String>) -> ApiResult {
    let id = path_id("id", &id)?;
    let v = s.read(move |st| Ok(load::story(st, id)?.json())).await?;
    Ok(Json(v))
}

async fn sources(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse_api(q.as_deref(), &[])?;
    let rows = s.read(|st| Ok(st.sources()?)).await?;
    Ok(Json(
        json!({ "items": rows, "total": rows.len(), "next_cursor": null, "next": null }),
    ))
}

async fn deliveries(State(s): S, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse_api(q.as_deref(), DELIVERY_PARAMS)?;
    let (query, page) = (delivery_query(&p)?, p.page()?);
    let rows = s
        .read(move |st| Ok(st.list_deliveries(&query, page)?))
        .await?;
    Ok(Json(list(rows, &p, "/deliveries", |d| json!(d))))
}

// ---- exports -------------------------------------------------------------------------------

/// Exports stop here; narrow the filter for more.
const EXPORT_MAX: usize = 100_000;

/// Every row matching, page by page (one traversal, so rows arriving meanwhile are left out).
fn all<T>(mut page: impl FnMut(PageReq) -> Result<Paged<T>, WebError>) -> Result<Vec<T>, WebError> {
    let mut req = PageReq::first(1000);
    let mut out = Vec::new();
    loop {
        let p = page(req)?;
        out.extend(p.items);
        match p.next_before {
            Some(b) if out.len() < EXPORT_MAX => {
                req = PageReq {
                    limit: 1000,
                    before: Some(b),
                    upto: Some(p.upto),
                }
            }
            _ => return Ok(out),
        }
    }
}

/// One CSV field (RFC 4180). Text a spreadsheet would run as a formula gets a `'` first.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn csv_line(fields: &[String]) -> String {
    let mut l = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    l.push_str("\r\n");
    l
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

pub const FACT_CSV_COLUMNS: &[&str] = &[
    "id",
    "created_at",
    "article_id",
    "outlet",
    "url",
    "headline",
    "from_version",
    "to_version",
    "kind",
    "slot",
    "label",
    "before_text",
    "before_value",
    "after_text",
    "after_value",
    "sentence_before",
    "sentence_after",
];

fn fact_csv_row(f: &Value) -> Vec<String> {
    vec![
        text(&f["id"]),
        text(&f["created_at"]),
        text(&f["article"]["id"]),
        text(&f["article"]["outlet"]),
        text(&f["article"]["url"]),
        text(&f["article"]["headline"]),
        text(&f["from_version"]),
        text(&f["to_version"]),
        text(&f["kind"]),
        text(&f["slot"]),
        text(&f["label"]),
        text(&f["before"]["text"]),
        text(&f["before"]["value"]),
        text(&f["after"]["text"]),
        text(&f["after"]["value"]),
        text(&f["sentence_before"]),
        text(&f["sentence_after"]),
    ]
}

pub const CONFLICT_CSV_COLUMNS: &[&str] = &[
    "id",
    "status",
    "story_id",
    "story_headline",
    "event",
    "slot",
    "outcome",
    "severity",
    "explanation",
    "opened_at",
    "resolved_at",
    "outlet",
    "value",
    "text",
    "article_url",
];

/// One line per claim of each conflict, so each outlet's value has its own cell.
fn conflict_csv_rows(c: &Value) -> Vec<Vec<String>> {
    let head = vec![
        text(&c["id"]),
        text(&c["status"]),
        text(&c["story"]["id"]),
        text(&c["story"]["headline"]),
        text(&c["event"]),
        text(&c["slot"]),
        text(&c["outcome"]),
        text(&c["severity"]),
        text(&c["explanation"]),
        text(&c["opened_at"]),
        text(&c["resolved_at"]),
    ];
    c["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|cl| {
            let mut r = head.clone();
            r.extend([
                text(&cl["outlet"]),
                text(&cl["value"]),
                text(&cl["text"]),
                text(&cl["article_url"]),
            ]);
            r
        })
        .collect()
}

fn export(body: String, content_type: &'static str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn fact_rows(s: &AppState, q: Option<String>) -> Result<Vec<Value>, ApiError> {
    let p = Params::parse_api(q.as_deref(), FACT_EXPORT_PARAMS)?;
    let query = fact_query(&p)?;
    Ok(
        s.read(move |st| all(|page| Ok(st.list_fact_changes(&query, page)?)))
            .await?
            .iter()
            .map(fact_json)
            .collect(),
    )
}

async fn conflict_rows(s: &AppState, q: Option<String>) -> Result<Vec<Value>, ApiError> {
    let p = Params::parse_api(q.as_deref(), CONFLICT_EXPORT_PARAMS)?;
    let query = finding_query(&p)?;
    Ok(
        s.read(move |st| all(|page| Ok(st.list_findings(&query, page)?)))
            .await?
            .iter()
            .map(conflict_json)
            .collect(),
    )
}

fn jsonl(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

async fn facts_csv(State(s): S, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let rows = fact_rows(&s, q).await?;
    let mut body = csv_line(
        &FACT_CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
    );
    for r in &rows {
        body.push_str(&csv_line(&fact_csv_row(r)));
    }
    Ok(export(body, "text/csv; charset=utf-8", "fact-changes.csv"))
}

async fn facts_jsonl(State(s): S, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let rows = fact_rows(&s, q).await?;
    Ok(export(
        jsonl(&rows),
        "application/jsonl",
        "fact-changes.jsonl",
    ))
}

async fn conflicts_csv(State(s): S, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let rows = conflict_rows(&s, q).await?;
    let mut body = csv_line(
        &CONFLICT_CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
    );
    for r in &rows {
        for line in conflict_csv_rows(r) {
            body.push_str(&csv_line(&line));
        }
    }
    Ok(export(body, "text/csv; charset=utf-8", "conflicts.csv"))
}

async fn conflicts_jsonl(State(s): S, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let rows = conflict_rows(&s, q).await?;
    Ok(export(jsonl(&rows), "application/jsonl", "conflicts.jsonl"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list page's owned conversion gives the single fact's JSON: the place's fields win
    /// over an item key of the same name, and every other item value is kept.
    #[test]
    fn a_fact_moved_into_json_is_the_fact_copied() {
        let row = FactChangeRow {
            id: 7,
            event_id: "e1".into(),
            index: 0,
            created_at: "2026-05-01T08:00:00Z".into(),
            article: crate::events::ArticleRef {
                id: 3,
                url: "https://x.example/a".into(),
                outlet: Some("X".into()),
                headline: None,
            },
            from_version: Some(1),
            to_version: Some(2),
            from_observed_at: None,
            to_observed_at: Some("2026-05-01T09:00:00Z".into()),
            item: json!({"id": "not mine", "kind": "quantity", "before": {"text": "12"},
                "after": {"text": "14"}, "label": "update"}),
        };
        let owned = fact_json_owned(row.clone());
        assert_eq!(owned, fact_json(&row));
        assert_eq!(owned["id"], 7);
        assert_eq!(owned["before"]["text"], "12");
        assert_eq!(owned["links"]["diff"], "/articles/3/diff/1/2");
    }

    /// The spliced list page is the value-tree page, byte for byte, for stored items as
    /// serde_json writes them, and the same JSON for items that cannot be spliced (not an
    /// object, unparsable, escaped keys, keys out of order).
    #[test]
    fn the_spliced_fact_list_is_the_value_tree_list() {
        let row = |id: i64| FactChangeRow {
            id,
            event_id: format!("e{id}"),
            index: 0,
            created_at: "2026-05-01T08:00:00Z".into(),
            article: crate::events::ArticleRef {
                id: 3,
                url: "https://x.example/a?\"q\"".into(),
                outlet: Some("X <b>".into()),
                headline: Some("Storm \u{e9}\n".into()),
            },
            from_version: Some(1),
            to_version: (id % 2 == 0).then_some(2),
            from_observed_at: None,
            to_observed_at: Some("2026-05-01T09:00:00Z".into()),
            item: Value::Null,
        };
        let items = [
            json!({"id": "not mine", "kind": "quantity", "before": {"text": "12", "value": 12.0},
                "after": {"text": "more than 14", "value": {"min": 14.000001, "max": null}},
                "label": "update", "also": [{"kind": "date", "text": "Monday"}], "zz": "\u{1f600}"})
            .to_string(),
            "{}".to_string(),
            "[1,2]".to_string(),
            "not json".to_string(),
            r#"{"k\u0069nd":"quote","a":1}"#.to_string(),
            r#"{"label":"update","kind":"quantity","links":"mine"}"#.to_string(),
        ];
        let p = Params::parse_api(Some("limit=6&kind=quantity"), FACT_PARAMS).unwrap();
        fn page<T>(items: Vec<T>) -> Paged<T> {
            Paged {
                items,
                total: 60,
                upto: 99,
                next_before: Some(10),
            }
        }
        let raw: Vec<(FactChangeRow, String)> = items
            .iter()
            .enumerate()
            .map(|(i, t)| (row(i as i64 + 1), t.clone()))
            .collect();
        let parsed: Vec<FactChangeRow> = raw
            .iter()
            .map(|(r, t)| FactChangeRow {
                item: serde_json::from_str(t).unwrap_or(Value::String(t.clone())),
                ..r.clone()
            })
            .collect();
        let spliced = fact_list_bytes(page(raw.clone()), &p);
        let tree = serde_json::to_vec(&list(page(parsed), &p, "/facts", fact_json_owned)).unwrap();
        let (a, b): (Value, Value) = (
            serde_json::from_slice(&spliced).unwrap(),
            serde_json::from_slice(&tree).unwrap(),
        );
        assert_eq!(a, b);
        // the first two items as stored by serde_json: the same bytes
        let first_two = |v: &[u8]| {
            let v: Value = serde_json::from_slice(v).unwrap();
            serde_json::to_string(&v["items"].as_array().unwrap()[..2]).unwrap()
        };
        assert_eq!(first_two(&spliced), first_two(&tree));
        let only = |n: usize| {
            let rows = raw[..n].to_vec();
            let parsed = rows
                .iter()
                .map(|(r, t)| FactChangeRow {
                    item: serde_json::from_str(t).unwrap(),
                    ..r.clone()
                })
                .collect();
            (
                fact_list_bytes(page(rows), &p),
                serde_json::to_vec(&list(page(parsed), &p, "/facts", fact_json_owned)).unwrap(),
            )
        };
        let (s, t) = only(2);
        assert_eq!(String::from_utf8(s).unwrap(), String::from_utf8(t).unwrap());
        // an empty last page
        let empty = Paged {
            items: Vec::new(),
            total: 0,
            upto: 0,
            next_before: None,
        };
        assert_eq!(
            fact_list_bytes(empty, &p),
            serde_json::to_vec(&list(
                Paged::<FactChangeRow> {
                    items: Vec::new(),
                    total: 0,
                    upto: 0,
                    next_before: None
                },
                &p,
                "/facts",
                fact_json_owned
            ))
            .unwrap()
        );
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_field("-3"), "-3");
        assert_eq!(csv_line(&["a".into(), "b\nc".into()]), "a,\"b\nc\"\r\n");
    }
}
