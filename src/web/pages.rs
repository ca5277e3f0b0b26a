//! Review pages: server-rendered HTML, usable without JavaScript. Every page has a permanent
//! URL (`/articles/{id}`, `/articles/{id}/versions/{n}`, `/articles/{id}/diff/{a}/{b}`,
//! `/facts/{id}`, `/conflicts/{id}`, `/stories/{id}`); lists page with the API's cursors.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;

use super::api::{self, path_id};
use super::params::{Params, encode_cursor};
use super::views::*;
use super::{AppState, WebError, charts, diffview, load};
use crate::store::{DeliveryQuery, FactQuery, FindingQuery, PageReq, Paged};

type S = State<Arc<AppState>>;

/// A [`WebError`] rendered as an HTML page.
pub struct PageError(pub WebError);

impl From<WebError> for PageError {
    fn from(e: WebError) -> Self {
        PageError(e)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.status().is_server_error() {
            tracing::error!("web page: {e}");
        }
        let page = ErrorPage {
            title: match e.status() {
                StatusCode::NOT_FOUND => "Not found".into(),
                StatusCode::BAD_REQUEST => "Bad request".into(),
                s => s.to_string(),
            },
            message: e.to_string(),
        };
        (e.status(), Html(page.render().unwrap_or_default())).into_response()
    }
}

type PageResult = Result<Response, PageError>;

/// The request's `If-None-Match`, if any.
pub(crate) fn if_none_match(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A response that a client may keep and revalidate: it carries `etag`, and `no-cache`
/// asks the client to check it before reuse (the answer is then a bodiless 304).
pub(crate) fn with_etag(mut r: Response, etag: &str) -> Response {
    if let Ok(v) = header::HeaderValue::from_str(etag) {
        r.headers_mut().insert(header::ETAG, v);
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private, no-cache"),
        );
    }
    r
}

/// 304 Not Modified for a client that holds `etag`.
pub(crate) fn not_modified(etag: &str) -> Response {
    with_etag(StatusCode::NOT_MODIFIED.into_response(), etag)
}

fn html(t: impl Template) -> PageResult {
    t.render()
        .map(|s| Html(s).into_response())
        .map_err(|e| PageError(WebError::Internal(format!("template: {e}"))))
}

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(dashboard))
        .route("/facts", get(facts))
        .route("/facts/{id}", get(fact))
        .route("/conflicts", get(conflicts))
        .route("/conflicts/{id}", get(conflict))
        .route("/stories", get(stories))
        .route("/stories/{id}", get(story))
        .route("/articles", get(articles))
        .route("/articles/{id}", get(article))
        .route("/articles/{id}/versions/{seq}", get(version))
        .route("/articles/{id}/versions/{seq}/raw", get(api::raw))
        .route("/articles/{id}/diff", get(diff_form))
        .route("/articles/{id}/diff/{from}/{to}", get(diff))
        .route("/sources", get(sources))
        .route("/deliveries", get(deliveries))
}

/// Routes without the token: static files and the login form.
pub fn open_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/login", get(login).post(super::auth::login_submit))
}

pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return api::ApiError(WebError::NotFound(format!(
            "no API endpoint {}",
            uri.path()
        )))
        .into_response();
    }
    PageError(WebError::NotFound(format!("nothing at {}", uri.path()))).into_response()
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/web/app.css"),
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/web/app.js"),
    )
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    title: String,
}

async fn login() -> PageResult {
    html(LoginPage {
        title: "Sign in".into(),
    })
}

/// The "older →" link of a list page.
fn next_link<T>(page: &Paged<T>, p: &Params, path: &str) -> Option<String> {
    page.next_before.map(|b| {
        let c = encode_cursor(page.upto, b);
        format!("{path}?{}", p.with("cursor", Some(&c)))
    })
}

// ---- dashboard -------------------------------------------------------------------------------

/// Days shown in the dashboard's edits chart.
const CHART_DAYS: i64 = 30;

struct SourceLine {
    name: String,
    error: String,
}

struct DeliveryLine {
    target: String,
    event_type: String,
    state: String,
    attempts: u32,
    error: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    title: String,
    facts: Vec<FactCard>,
    conflicts: Vec<ConflictCard>,
    days: i64,
    chart: String,
    legend: Vec<(String, String)>,
    sources_ok: usize,
    sources_failing: usize,
    failing: Vec<SourceLine>,
    deliveries: Vec<DeliveryLine>,
}

/// The first instant the dashboard's chart counts: midnight (UTC) `CHART_DAYS - 1` days ago.
pub fn chart_since(now: chrono::DateTime<Utc>) -> chrono::DateTime<Utc> {
    (now - chrono::Duration::days(CHART_DAYS - 1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
}

async fn dashboard(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    Params::parse(q.as_deref(), &[])?;
    let since_t = chart_since(Utc::now());
    let since = since_t.date_naive();
    let edits = s.edits(since_t).await?;
    let (facts, conflicts, sources, deliveries) = s
        .read(move |st| {
            let open = FindingQuery {
                open: Some(true),
                ..Default::default()
            };
            let failing = DeliveryQuery {
                state: Some("failing".into()),
                ..Default::default()
            };
            Ok((
                st.list_fact_changes(&FactQuery::default(), PageReq::first(12))?,
                st.list_findings(&open, PageReq::first(6))?,
                st.sources()?,
                st.list_deliveries(&failing, PageReq::first(8))?,
            ))
        })
        .await?;
    let days: Vec<String> = (0..CHART_DAYS)
        .map(|i| {
            (since + chrono::Duration::days(i))
                .format("%Y-%m-%d")
                .to_string()
        })
        .collect();
    let (chart, legend) = charts::edits_chart(&edits, &days);
    let failing: Vec<SourceLine> = sources
        .iter()
        .filter(|s| s.failing)
        .map(|s| SourceLine {
            name: s.name.clone(),
            error: s.last_error.clone().unwrap_or_default(),
        })
        .collect();
    html(Dashboard {
        title: "Dashboard".into(),
        facts: facts.items.iter().map(fact_card).collect(),
        conflicts: conflicts.items.iter().map(conflict_card).collect(),
        days: CHART_DAYS,
        chart,
        legend,
        sources_ok: sources.len() - failing.len(),
        sources_failing: failing.len(),
        failing,
        deliveries: deliveries
            .items
            .into_iter()
            .map(|d| DeliveryLine {
                target: d.target,
                event_type: d.event_type,
                state: d.state,
                attempts: d.attempts,
                error: d.last_error.unwrap_or_default(),
            })
            .collect(),
    })
}

// ---- fact changes and conflicts --------------------------------------------------------------

#[derive(Template)]
#[template(path = "facts.html")]
struct FactsPage {
    title: String,
    cards: Vec<FactCard>,
    outlet_opts: Vec<Opt>,
    kind_opts: Vec<Opt>,
    label_opts: Vec<Opt>,
    since: String,
    until: String,
    query: String,
    total: i64,
    next: Option<String>,
}

async fn facts(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), api::FACT_PARAMS)?;
    let (query, page) = (api::fact_query(&p)?, p.page()?);
    let (rows, outlets) = s
        .read(move |st| Ok((st.list_fact_changes(&query, page)?, st.outlets()?)))
        .await?;
    let get = |n: &str| p.str(n).unwrap_or_default();
    html(FactsPage {
        title: "Fact changes".into(),
        cards: rows.items.iter().map(fact_card).collect(),
        outlet_opts: opts(&outlets, &get("outlet")),
        kind_opts: opts(api::KINDS, &get("kind")),
        label_opts: opts(api::LABELS, &get("label")),
        since: get("since"),
        until: get("until"),
        query: p.with("cursor", None),
        total: rows.total,
        next: next_link(&rows, &p, "/facts"),
    })
}

#[derive(Template)]
#[template(path = "fact.html")]
struct FactPage {
    title: String,
    c: FactCard,
    history: String,
    /// (version, observed, value) of the same fact in every version.
    points: Vec<(i64, String, String)>,
}

/// The number a claim value charts as (a range by its middle), if any.
fn as_number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::Object(o) if o.contains_key("amount") => as_number(&o["amount"]),
        serde_json::Value::Object(o) => match (as_number(&o["min"]), as_number(&o["max"])) {
            (Some(a), Some(b)) => Some((a + b) / 2.0),
            (a, b) => a.or(b),
        },
        _ => None,
    }
}

async fn fact(State(s): S, Path(id): Path<String>) -> PageResult {
    let id = path_id("id", &id)?;
    let (f, versions) = s
        .read(move |st| {
            let f = st
                .fact_change(id)?
                .ok_or_else(|| WebError::NotFound(format!("no fact change {id}")))?;
            let versions = st.versions(f.article.id)?;
            Ok((f, versions))
        })
        .await?;
    let (kind, slot) = (
        f.item["kind"].as_str().unwrap_or(""),
        f.item["slot"].as_str().unwrap_or(""),
    );
    // The same (kind, slot) in every version: the value's history.
    let mut points = Vec::new();
    for v in versions.iter().filter(|v| v.flagged.is_none()) {
        let doc = crate::claims::stored::doc_claims(&v.article, v.claims.as_deref());
        if let Some(c) = doc
            .claims
            .iter()
            .find(|c| c.kind.as_str() == kind && c.slot == slot)
        {
            points.push((v.seq, short_time(&v.observed_at), c.value.to_json()));
        }
    }
    let numeric: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| as_number(&p.2).map(|n| (i as f64, n)))
        .collect();
    let history = if numeric.is_empty() {
        String::new()
    } else {
        let labels: Vec<String> = points.iter().map(|p| format!("v{}", p.0)).collect();
        charts::line_chart(
            &format!("{slot} over versions"),
            &labels,
            &[charts::Series {
                name: slot.to_string(),
                points: numeric,
            }],
        )
    };
    html(FactPage {
        title: format!("Fact change #{id}"),
        c: fact_card(&f),
        history,
        points: points
            .into_iter()
            .map(|(s, t, v)| (s, t, load::value_text(&v)))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "conflicts.html")]
struct ConflictsPage {
    title: String,
    cards: Vec<ConflictCard>,
    status_opts: Vec<Opt>,
    outlet_opts: Vec<Opt>,
    query: String,
    total: i64,
    next: Option<String>,
}

async fn conflicts(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), api::CONFLICT_PARAMS)?;
    let (query, page) = (api::finding_query(&p)?, p.page()?);
    let (rows, outlets) = s
        .read(move |st| Ok((st.list_findings(&query, page)?, st.outlets()?)))
        .await?;
    let get = |n: &str| p.str(n).unwrap_or_default();
    html(ConflictsPage {
        title: "Conflicts".into(),
        cards: rows.items.iter().map(conflict_card).collect(),
        status_opts: opts(&["open", "resolved"], &get("status")),
        outlet_opts: opts(&outlets, &get("outlet")),
        query: p.with("cursor", None),
        total: rows.total,
        next: next_link(&rows, &p, "/conflicts"),
    })
}

#[derive(Template)]
#[template(path = "conflict.html")]
struct ConflictPage {
    title: String,
    c: ConflictCard,
}

async fn conflict(State(s): S, Path(id): Path<String>) -> PageResult {
    let id = path_id("id", &id)?;
    let (row, ids) = s
        .read(move |st| {
            let row = st
                .finding(id)?
                .ok_or_else(|| WebError::NotFound(format!("no conflict {id}")))?;
            let mut ids = Vec::new();
            for c in row.finding.finding["claims"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let url = c["article_url"].as_str().unwrap_or("");
                ids.push(st.article_by_url(url)?.map(|a| a.id));
            }
            Ok((row, ids))
        })
        .await?;
    let mut c = conflict_card(&row);
    for (line, id) in c.claims.iter_mut().zip(ids) {
        if let Some(id) = id {
            line.article_link = format!("/articles/{id}");
        }
    }
    html(ConflictPage {
        title: format!("Conflict #{id}"),
        c,
    })
}

// ---- stories ---------------------------------------------------------------------------------

struct StoryLine {
    id: i64,
    headline: String,
    articles: i64,
    open: i64,
    outlets: String,
}

#[derive(Template)]
#[template(path = "stories.html")]
struct StoriesPage {
    title: String,
    rows: Vec<StoryLine>,
    total: i64,
    next: Option<String>,
}

async fn stories(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), &["limit", "cursor"])?;
    let page = p.page()?;
    let rows = s.read(move |st| Ok(st.list_stories(page)?)).await?;
    html(StoriesPage {
        title: "Stories".into(),
        next: next_link(&rows, &p, "/stories"),
        total: rows.total,
        rows: rows
            .items
            .into_iter()
            .map(|r| StoryLine {
                id: r.id,
                headline: r.headline.unwrap_or_default(),
                articles: r.article_count,
                open: r.open_conflicts,
                outlets: r.outlets.join(", "),
            })
            .collect(),
    })
}

struct MemberLine {
    article_id: i64,
    outlet: String,
    headline: String,
    wire_copy_of: Option<i64>,
    published: String,
    version_count: i64,
    last_changed: String,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    title: String,
    id: i64,
    headline: String,
    article_count: i64,
    outlets: String,
    open: i64,
    articles: Vec<MemberLine>,
    tables: Vec<EventTable>,
    findings: Vec<ConflictCard>,
}

async fn story(State(s): S, Path(id): Path<String>) -> PageResult {
    let id = path_id("id", &id)?;
    let (d, reported) = s
        .read(move |st| {
            let q = FindingQuery {
                story: Some(id),
                ..Default::default()
            };
            Ok((
                load::story(st, id)?,
                st.list_findings(&q, PageReq::first(200))?,
            ))
        })
        .await?;
    let headline = d.story.headline.clone().unwrap_or_default();
    html(StoryPage {
        title: format!("Story {id}"),
        id,
        article_count: d.story.article_count,
        outlets: d.story.outlets.join(", "),
        open: d.story.open_conflicts,
        articles: d
            .articles
            .iter()
            .map(|a| MemberLine {
                article_id: a.article_id,
                outlet: a.outlet.clone(),
                headline: a.headline.clone().or(a.url.clone()).unwrap_or_default(),
                wire_copy_of: a.wire_copy_of,
                published: a.published.as_deref().map(short_time).unwrap_or_default(),
                version_count: a.version_count,
                last_changed: a
                    .last_changed_at
                    .as_deref()
                    .map(short_time)
                    .unwrap_or_default(),
            })
            .collect(),
        tables: event_tables(&d.findings),
        findings: reported.items.iter().map(conflict_card).collect(),
        headline,
    })
}

mod article;
use article::{article, articles, deliveries, diff, diff_form, sources, version};
