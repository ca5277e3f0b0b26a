//! Atom feeds (RFC 4287) of fact changes and conflicts: global, per article, per outlet and
//! per story. Entry ids are `tag:` URIs built from stored ids (event ids, row ids), so they
//! are the same after a restart; older entries are paged per RFC 5005 (`rel="next"` carries
//! the cursor, `rel="first"` the newest page). A `?token=` given to read the feed is kept in
//! the feed's own links, since the reader needs it for the next page too.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::api::{ApiError, path_id};
use super::charts::esc;
use super::load::value_text;
use super::params::{Params, encode_cursor};
use super::{AppState, WebError};
use crate::store::{FactChangeRow, FactQuery, FindingQuery, FindingRow, Paged};

/// The `tag:` authority and date of every id (RFC 4151); never change it.
pub const TAG: &str = "tag:factdiff.invalid,2026:";
const PAGE: usize = 50;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/feeds/facts.atom", get(facts))
        .route("/feeds/conflicts.atom", get(conflicts))
        .route("/feeds/articles/{file}", get(article))
        .route("/feeds/outlets/{file}", get(outlet))
        .route("/feeds/stories/{file}", get(story))
}

/// `12.atom` → `12`.
fn stem<'a>(file: &'a str, what: &str) -> Result<&'a str, WebError> {
    file.strip_suffix(".atom")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| WebError::NotFound(format!("feeds of {what} end in .atom, not {file:?}")))
}

/// The server's own origin as the client reached it (feeds need absolute links).
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// Where the feed lives and what it is called.
pub struct FeedInfo {
    pub path: String,
    pub id: String,
    pub title: String,
    pub html: String,
}

/// One entry, ready to write.
pub struct Entry {
    pub id: String,
    pub title: String,
    pub updated: String,
    pub author: String,
    pub link: String,
    pub category: String,
    pub summary: String,
    pub content_html: String,
}

/// Atom timestamps must be RFC 3339; stored ones are, with or without milliseconds.
fn rfc3339(t: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

pub fn fact_entry(base: &str, f: &FactChangeRow) -> Entry {
    let i = &f.item;
    let side = |k: &str| i[k]["text"].as_str().map(String::from);
    let (before, after) = (side("before"), side("after"));
    let slot = i["slot"].as_str().unwrap_or("");
    let label = i["label"].as_str().unwrap_or("").replace('_', " ");
    let outlet = f.article.outlet.clone().unwrap_or_default();
    let headline = f
        .article
        .headline
        .clone()
        .unwrap_or_else(|| f.article.url.clone());
    let change = format!(
        "{} → {}",
        before.as_deref().unwrap_or("(none)"),
        after.as_deref().unwrap_or("(none)")
    );
    let link = format!("{base}{}", super::api::diff_link(f));
    let sentence = i["sentence_after"]
        .as_str()
        .or(i["sentence_before"].as_str())
        .unwrap_or("");
    let content = format!(
        "<p><strong>{}</strong> ({}): <del>{}</del> → <ins>{}</ins></p><p>{}</p><p>{} · <a href=\"{}\">{}</a> · <a href=\"{}\">diff v{} → v{}</a></p>",
        esc(slot),
        esc(&label),
        esc(before.as_deref().unwrap_or("(none)")),
        esc(after.as_deref().unwrap_or("(none)")),
        esc(sentence),
        esc(&outlet),
        esc(&f.article.url),
        esc(&headline),
        esc(&link),
        f.from_version.unwrap_or(0),
        f.to_version.unwrap_or(0),
    );
    Entry {
        id: format!("{TAG}fact/{}/{}", f.event_id, f.index),
        title: format!("{slot}: {change} [{label}] — {headline}"),
        updated: rfc3339(&f.created_at),
        author: if outlet.is_empty() {
            "factdiff".into()
        } else {
            outlet
        },
        link,
        category: i["label"].as_str().unwrap_or("").into(),
        summary: format!("{slot}: {change} ({label}). {sentence}"),
        content_html: content,
    }
}

pub fn conflict_entry(base: &str, r: &FindingRow) -> Entry {
    let f = &r.finding;
    let claims: Vec<(String, String)> = f.finding["claims"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["outlet"].as_str().unwrap_or("").to_string(),
                value_text(&c["value"]),
            )
        })
        .collect();
    let values = claims
        .iter()
        .map(|(o, v)| format!("{o}: {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let rows: String = claims
        .iter()
        .map(|(o, v)| format!("<li>{}: {}</li>", esc(o), esc(v)))
        .collect();
    let state = if f.resolved_at.is_some() {
        "resolved"
    } else {
        "open"
    };
    let link = format!("{base}/conflicts/{}", r.id);
    Entry {
        id: match &f.event_id {
            Some(e) => format!("{TAG}conflict/{}/{e}", r.id),
            None => format!("{TAG}conflict/{}", r.id),
        },
        title: format!(
            "{} ({state}) in story {}: {} / {} — {values}",
            f.outcome, f.story_id, f.event, f.slot
        ),
        updated: rfc3339(&f.updated_at),
        author: "factdiff".into(),
        category: f.outcome.clone(),
        summary: format!("{} {values}", f.explanation),
        content_html: format!(
            "<p>{}</p><ul>{rows}</ul><p><a href=\"{}\">conflict</a> · <a href=\"{base}/stories/{}\">story: {}</a></p>",
            esc(&f.explanation),
            esc(&link),
            f.story_id,
            esc(r.story_headline.as_deref().unwrap_or("")),
        ),
        link,
    }
}

/// The feed document. `query` is the request's query (its `cursor` is replaced in links).
pub fn write_feed(
    base: &str,
    info: &FeedInfo,
    entries: &[Entry],
    p: &Params,
    next: Option<String>,
) -> String {
    let link = |q: String| {
        let href = if q.is_empty() {
            format!("{base}{}", info.path)
        } else {
            format!("{base}{}?{q}", info.path)
        };
        esc(&href)
    };
    let updated = entries
        .iter()
        .map(|e| e.updated.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z");
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    out += &format!(
        "<id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n<author><name>factdiff</name></author>\n<generator>factdiff</generator>\n",
        esc(&info.id),
        esc(&info.title),
        updated
    );
    out += &format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        link(p.with("__none", None))
    );
    out += &format!(
        "<link rel=\"first\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        link(p.with("cursor", None))
    );
    if let Some(c) = next {
        out += &format!(
            "<link rel=\"next\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            link(p.with("cursor", Some(&c)))
        );
    }
    out += &format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        esc(&format!("{base}{}", info.html))
    );
    for e in entries {
        out += &format!(
            "<entry>\n<id>{}</id>\n<title type=\"text\">{}</title>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<category term=\"{}\"/>\n<summary type=\"text\">{}</summary>\n<content type=\"html\">{}</content>\n</entry>\n",
            esc(&e.id),
            esc(&e.title),
            e.updated,
            esc(&e.author),
            esc(&e.link),
            esc(&e.category),
            esc(&e.summary),
            esc(&e.content_html),
        );
    }
    out += "</feed>\n";
    out
}

fn atom(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `limit` is accepted (readers rarely set it) but defaults to [`PAGE`].
fn feed_page(p: &Params) -> Result<crate::store::PageReq, WebError> {
    let mut page = p.page()?;
    if p.str("limit").is_none() {
        page.limit = PAGE;
    }
    Ok(page)
}

fn next_cursor<T>(p: &Paged<T>) -> Option<String> {
    p.next_before.map(|b| encode_cursor(p.upto, b))
}

async fn fact_feed(
    s: &AppState,
    headers: &HeaderMap,
    q: Option<String>,
    query: FactQuery,
    info: FeedInfo,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["cursor", "token", "limit"])?;
    let page = feed_page(&p)?;
    let rows = s
        .read(move |st| Ok(st.list_fact_changes(&query, page)?))
        .await?;
    let base = origin(headers);
    let entries: Vec<Entry> = rows.items.iter().map(|f| fact_entry(&base, f)).collect();
    Ok(atom(write_feed(
        &base,
        &info,
        &entries,
        &p,
        next_cursor(&rows),
    )))
}

async fn conflict_feed(
    s: &AppState,
    headers: &HeaderMap,
    q: Option<String>,
    query: FindingQuery,
    info: FeedInfo,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["cursor", "token", "limit"])?;
    let page = feed_page(&p)?;
    let rows = s
        .read(move |st| Ok(st.list_findings(&query, page)?))
        .await?;
    let base = origin(headers);
    let entries: Vec<Entry> = rows
        .items
        .iter()
        .map(|f| conflict_entry(&base, f))
        .collect();
    Ok(atom(write_feed(
        &base,
        &info,
        &entries,
        &p,
        next_cursor(&rows),
    )))
}

type S = State<Arc<AppState>>;

async fn facts(
    State(s): S,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let info = FeedInfo {
        path: "/feeds/facts.atom".into(),
        id: format!("{TAG}feed/facts"),
        title: "factdiff: fact changes".into(),
        html: "/facts".into(),
    };
    fact_feed(&s, &headers, q, FactQuery::default(), info).await
}

async fn conflicts(
    State(s): S,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let info = FeedInfo {
        path: "/feeds/conflicts.atom".into(),
        id: format!("{TAG}feed/conflicts"),
        title: "factdiff: conflicts between outlets".into(),
        html: "/conflicts".into(),
    };
    conflict_feed(&s, &headers, q, FindingQuery::default(), info).await
}

async fn article(
    State(s): S,
    Path(file): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let id = path_id("id", stem(&file, "articles")?)?;
    let a = s.read(move |st| super::load::article(st, id)).await?;
    let info = FeedInfo {
        path: format!("/feeds/articles/{id}.atom"),
        id: format!("{TAG}feed/article/{id}"),
        title: format!("factdiff: {}", a.headline.as_deref().unwrap_or(&a.url)),
        html: format!("/articles/{id}"),
    };
    let query = FactQuery {
        article: Some(id),
        ..Default::default()
    };
    fact_feed(&s, &headers, q, query, info).await
}

async fn outlet(
    State(s): S,
    Path(file): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let name = stem(&file, "outlets")?.to_string();
    let enc: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let info = FeedInfo {
        path: format!("/feeds/outlets/{}.atom", enc.replace('+', "%20")),
        id: format!("{TAG}feed/outlet/{enc}"),
        title: format!("factdiff: fact changes at {name}"),
        html: format!("/facts?outlet={enc}"),
    };
    let query = FactQuery {
        outlet: Some(name),
        ..Default::default()
    };
    fact_feed(&s, &headers, q, query, info).await
}

async fn story(
    State(s): S,
    Path(file): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let id = path_id("id", stem(&file, "stories")?)?;
    let story = s
        .read(move |st| {
            st.story(id)?
                .ok_or_else(|| WebError::NotFound(format!("no story {id}")))
        })
        .await?;
    let info = FeedInfo {
        path: format!("/feeds/stories/{id}.atom"),
        id: format!("{TAG}feed/story/{id}"),
        title: format!(
            "factdiff: conflicts in {}",
            story.headline.as_deref().unwrap_or("a story")
        ),
        html: format!("/stories/{id}"),
    };
    let query = FindingQuery {
        story: Some(id),
        ..Default::default()
    };
    conflict_feed(&s, &headers, q, query, info).await
}
