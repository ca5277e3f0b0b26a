//! Article pages (list, timeline, version, diff) and the operational lists (sources,
//! deliveries).

use super::*;
use crate::store::ArticleRow;

struct ArticleLine {
    id: i64,
    outlet: String,
    headline: String,
    url: String,
    versions: i64,
    changed: String,
}

#[derive(Template)]
#[template(path = "articles.html")]
struct ArticlesPage {
    title: String,
    q: String,
    source: String,
    changed_since: String,
    outlet_opts: Vec<Opt>,
    rows: Vec<ArticleLine>,
    total: i64,
    next: Option<String>,
}

pub(super) async fn articles(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), api::ARTICLE_PARAMS)?;
    let (query, page) = (api::article_query(&p)?, p.page()?);
    let (rows, outlets) = s
        .read(move |st| Ok((st.list_articles(&query, page)?, st.outlets()?)))
        .await?;
    let get = |n: &str| p.str(n).unwrap_or_default();
    html(ArticlesPage {
        title: "Articles".into(),
        q: get("q"),
        source: get("source"),
        changed_since: get("changed_since"),
        outlet_opts: opts(&outlets, &get("outlet")),
        next: next_link(&rows, &p, "/articles"),
        total: rows.total,
        rows: rows
            .items
            .into_iter()
            .map(|a| ArticleLine {
                id: a.id,
                outlet: a.outlet.clone().unwrap_or_default(),
                headline: a.headline.clone().unwrap_or_else(|| "(no headline)".into()),
                changed: short_time(a.last_changed_at.as_deref().unwrap_or(&a.first_seen_at)),
                versions: a.version_count,
                url: a.url,
            })
            .collect(),
    })
}

struct VersionLine {
    seq: i64,
    observed_at: String,
    significance: String,
    flagged: Option<String>,
    words: usize,
    stats: String,
    facts: Vec<String>,
    fields: Vec<String>,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    title: String,
    id: i64,
    headline: String,
    outlet: String,
    url: String,
    first_seen: String,
    story: Option<i64>,
    removed: bool,
    version_count: i64,
    versions: Vec<VersionLine>,
    cards: Vec<FactCard>,
}

fn stats_text(d: &serde_json::Value) -> String {
    let s = &d["stats"];
    format!(
        "+{} −{} ~{} ↕{}",
        s["added"].as_u64().unwrap_or(0),
        s["removed"].as_u64().unwrap_or(0),
        s["edited"].as_u64().unwrap_or(0),
        s["moved"].as_u64().unwrap_or(0)
    )
}

fn version_line(v: &crate::store::VersionRow) -> VersionLine {
    let facts = v
        .diff
        .as_ref()
        .and_then(|d| d["facts"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|f| serde_json::from_value::<crate::compare::FactChange>(f.clone()).ok())
        .map(|f| f.describe())
        .collect();
    let fields = v
        .diff
        .as_ref()
        .and_then(|d| d["fields"].as_array())
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{}: {} → {}",
                f["field"].as_str().unwrap_or(""),
                f["before"].as_str().unwrap_or("(none)"),
                f["after"].as_str().unwrap_or("(none)")
            )
        })
        .collect();
    VersionLine {
        seq: v.seq,
        observed_at: short_time(&v.observed_at),
        significance: v
            .significance
            .clone()
            .unwrap_or_else(|| if v.seq == 1 { "first" } else { "" }.into()),
        flagged: v.flagged.clone(),
        words: v.article.word_count(),
        stats: v.diff.as_ref().map(stats_text).unwrap_or_default(),
        facts,
        fields,
    }
}

pub(super) async fn article(
    State(s): S,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> PageResult {
    Params::parse(q.as_deref(), &[])?;
    let id = path_id("id", &id)?;
    let (a, versions, story, facts) = s
        .read(move |st| {
            let a = load::article(st, id)?;
            let q = FactQuery {
                article: Some(id),
                ..Default::default()
            };
            Ok((
                a,
                st.versions(id)?,
                st.story_of(id)?,
                st.list_fact_changes(&q, PageReq::first(100))?,
            ))
        })
        .await?;
    html(ArticlePage {
        title: a.headline.clone().unwrap_or_else(|| a.url.clone()),
        id,
        headline: a.headline.clone().unwrap_or_else(|| "(no headline)".into()),
        outlet: a.outlet.clone().unwrap_or_default(),
        first_seen: short_time(&a.first_seen_at),
        story,
        removed: a.removed_at.is_some(),
        version_count: a.version_count,
        versions: versions.iter().map(version_line).collect(),
        cards: facts.items.iter().map(fact_card).collect(),
        url: a.url,
    })
}

#[derive(Template)]
#[template(path = "version.html")]
struct VersionPage {
    title: String,
    id: i64,
    seq: i64,
    count: i64,
    headline: String,
    title_field: String,
    byline: String,
    published: String,
    observed_at: String,
    flagged: Option<String>,
    paragraphs: Vec<String>,
}

pub(super) async fn version(State(s): S, Path((id, seq)): Path<(String, String)>) -> PageResult {
    let (id, seq) = (path_id("id", &id)?, path_id("seq", &seq)?);
    let (a, v): (ArticleRow, _) = s
        .read(move |st| {
            let a = load::article(st, id)?;
            let v = load::version(st, &a, seq)?;
            Ok((a, v))
        })
        .await?;
    let x = &v.article;
    html(VersionPage {
        title: format!("v{seq} of {}", x.headline.as_deref().unwrap_or(&a.url)),
        id,
        seq,
        count: a.version_count,
        headline: x.headline.clone().unwrap_or_else(|| "(no headline)".into()),
        title_field: x
            .title
            .clone()
            .filter(|t| Some(t) != x.headline.as_ref())
            .unwrap_or_default(),
        byline: x.byline.join(", "),
        published: x.published.map(|d| d.to_rfc3339()).unwrap_or_default(),
        observed_at: short_time(&v.observed_at),
        flagged: v.flagged.clone(),
        paragraphs: x.paragraphs.clone(),
    })
}

/// `/articles/{id}/diff?from=&to=` (the timeline's form) → the permanent diff URL.
pub(super) async fn diff_form(
    State(s): S,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> PageResult {
    let p = Params::parse(q.as_deref(), &["from", "to"])?;
    let id = path_id("id", &id)?;
    let (from, to) = (p.int("from")?, p.int("to")?);
    let a = s.read(move |st| load::article(st, id)).await?;
    let (from, to) = api::diff_pair(&a, from, to)?;
    Ok(Redirect::to(&format!("/articles/{id}/diff/{from}/{to}")).into_response())
}

struct FactLine {
    label: String,
    slot: String,
    before: String,
    after: String,
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage {
    title: String,
    id: i64,
    headline: String,
    outlet: String,
    from: i64,
    to: i64,
    from_time: String,
    to_time: String,
    significance: String,
    stats: String,
    view: &'static str,
    all: bool,
    all_param: &'static str,
    facts: Vec<FactLine>,
    fields: Vec<(String, String, String)>,
    rows: Vec<diffview::Row>,
}

/// Unchanged sentences shown around each change unless the whole text is asked for.
const CONTEXT: usize = 1;

pub(super) async fn diff(
    State(s): S,
    Path((id, from, to)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
    headers: axum::http::HeaderMap,
) -> PageResult {
    let p = Params::parse(q.as_deref(), &["view", "all"])?;
    let view = match p.choice("view", &["side", "inline"])?.as_deref() {
        Some("inline") => "inline",
        _ => "side",
    };
    let all = p.choice("all", &["1", "0"])?.as_deref() == Some("1");
    let (id, from, to) = (
        path_id("id", &id)?,
        path_id("from", &from)?,
        path_id("to", &to)?,
    );
    let cache = s.diffs.clone();
    let inm = if_none_match(&headers);
    let (etag, d) = s
        .read(move |st| {
            let a = load::article(st, id)?;
            api::diff_pair(&a, Some(from), Some(to))?;
            let (old, new) = (load::version(st, &a, from)?, load::version(st, &a, to)?);
            let etag = load::diff_etag(&a, &old, &new, &format!("page {view} {all}"));
            if load::etag_matches(inm.as_deref(), &etag) {
                return Ok((etag, None));
            }
            Ok((etag, Some(load::DiffData::new(a, old, new, Some(&cache)))))
        })
        .await?;
    let Some(d) = d else {
        return Ok(not_modified(&etag));
    };
    let rows = diffview::rows(&d.old.article, &d.new.article, &d.diff, &d.facts);
    let rows = if all {
        rows
    } else {
        diffview::with_context(rows, CONTEXT)
    };
    let side = |s: &Option<crate::compare::FactSide>| {
        s.as_ref().map_or("—".to_string(), |x| x.text.clone())
    };
    let page = html(DiffPage {
        title: format!(
            "v{from} → v{to} of {}",
            d.article.headline.as_deref().unwrap_or(&d.article.url)
        ),
        id,
        headline: d.article.headline.clone().unwrap_or_default(),
        outlet: d.article.outlet.clone().unwrap_or_default(),
        from,
        to,
        from_time: short_time(&d.old.observed_at),
        to_time: short_time(&d.new.observed_at),
        significance: d.diff.significance.as_str().into(),
        stats: stats_text(&serde_json::to_value(&d.diff).unwrap_or_default()),
        view,
        all,
        all_param: if all { "&all=1" } else { "" },
        facts: d
            .facts
            .iter()
            .map(|f| FactLine {
                label: f.label.as_str().into(),
                slot: f.slot.clone(),
                before: side(&f.before),
                after: side(&f.after),
            })
            .collect(),
        fields: d
            .diff
            .fields
            .iter()
            .map(|f| {
                (
                    f.field.as_str().to_string(),
                    f.before.clone().unwrap_or_default(),
                    f.after.clone().unwrap_or_default(),
                )
            })
            .collect(),
        rows,
    })?;
    Ok(with_etag(page, &etag))
}

struct SourceRow {
    name: String,
    kind: String,
    status: String,
    failing: bool,
    last_success: String,
    next_check: String,
    discovered: i64,
    error: String,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    title: String,
    rows: Vec<SourceRow>,
}

pub(super) async fn sources(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    Params::parse(q.as_deref(), &[])?;
    let rows = s.read(|st| Ok(st.sources()?)).await?;
    html(SourcesPage {
        title: "Sources".into(),
        rows: rows
            .into_iter()
            .map(|s| SourceRow {
                status: if s.failing {
                    format!("failing ({})", s.consecutive_failures)
                } else if s.consecutive_failures > 0 {
                    format!("errors ({})", s.consecutive_failures)
                } else if s.last_check_at.is_none() {
                    "new".into()
                } else {
                    "ok".into()
                },
                failing: s.failing,
                last_success: s
                    .last_success_at
                    .as_deref()
                    .map(short_time)
                    .unwrap_or_default(),
                next_check: s
                    .next_check_at
                    .as_deref()
                    .map(short_time)
                    .unwrap_or_default(),
                discovered: s.articles_discovered,
                error: s.last_error.unwrap_or_default(),
                name: s.name,
                kind: s.kind,
            })
            .collect(),
    })
}

struct DeliveryRowView {
    event_id: String,
    event_type: String,
    target: String,
    state: String,
    attempts: u32,
    next_attempt: String,
    error: String,
}

#[derive(Template)]
#[template(path = "deliveries.html")]
struct DeliveriesPage {
    title: String,
    state_opts: Vec<Opt>,
    target: String,
    rows: Vec<DeliveryRowView>,
    total: i64,
    next: Option<String>,
}

pub(super) async fn deliveries(State(s): S, RawQuery(q): RawQuery) -> PageResult {
    let p = Params::parse(q.as_deref(), api::DELIVERY_PARAMS)?;
    let (query, page) = (api::delivery_query(&p)?, p.page()?);
    let rows = s
        .read(move |st| Ok(st.list_deliveries(&query, page)?))
        .await?;
    html(DeliveriesPage {
        title: "Deliveries".into(),
        state_opts: opts(api::DELIVERY_STATES, &p.str("state").unwrap_or_default()),
        target: p.str("target").unwrap_or_default(),
        next: next_link(&rows, &p, "/deliveries"),
        total: rows.total,
        rows: rows
            .items
            .into_iter()
            .map(|d| DeliveryRowView {
                event_id: d.event_id,
                event_type: d.event_type,
                target: d.target,
                state: d.state,
                attempts: d.attempts,
                next_attempt: short_time(&d.next_attempt_at),
                error: d.last_error.unwrap_or_default(),
            })
            .collect(),
    })
}
