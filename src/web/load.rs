//! Data the API and the pages both need, read once: a diff of two versions, a story with its
//! alignment, a version's metadata. The view shapes built from them are pure.

use serde_json::{Value, json};

use super::WebError;
use crate::compare::FactChange;
use crate::compare::conflicts::Finding;
use crate::diff::VersionDiff;
use crate::store::{ArticleRow, Store, StoredFinding, StoryRow, VersionRow};

pub fn article(store: &dyn Store, id: i64) -> Result<ArticleRow, WebError> {
    store
        .article(id)?
        .ok_or_else(|| WebError::NotFound(format!("no article {id}")))
}

pub fn version(store: &dyn Store, a: &ArticleRow, seq: i64) -> Result<VersionRow, WebError> {
    store.version(a.id, seq)?.ok_or_else(|| {
        WebError::NotFound(format!(
            "article {} has no version {seq} (it has {})",
            a.id, a.version_count
        ))
    })
}

/// Two versions of one article compared: the text diff and the fact changes, as
/// `factdiff diff` computes them.
pub struct DiffData {
    pub article: ArticleRow,
    pub old: VersionRow,
    pub new: VersionRow,
    pub diff: VersionDiff,
    pub facts: Vec<FactChange>,
}

pub fn diff(store: &dyn Store, id: i64, from: i64, to: i64) -> Result<DiffData, WebError> {
    let a = article(store, id)?;
    let (old, new) = (version(store, &a, from)?, version(store, &a, to)?);
    let mut d = crate::diff::diff_articles(&old.article, &new.article);
    let facts = crate::compare::fact_changes(
        &crate::claims::extract_claims(&old.article, None),
        &crate::claims::extract_claims(&new.article, None),
    );
    if !facts.is_empty() {
        d.significance = crate::diff::Significance::Factual;
    }
    Ok(DiffData {
        article: a,
        old,
        new,
        diff: d,
        facts,
    })
}

impl DiffData {
    /// The same document as `factdiff diff --json`.
    pub fn json(&self) -> Value {
        json!({
            "article": self.article,
            "from_version": self.old.seq,
            "to_version": self.new.seq,
            "from_observed_at": self.old.observed_at,
            "to_observed_at": self.new.observed_at,
            "facts": self.facts,
            "diff": self.diff,
        })
    }
}

/// A version's metadata, as `factdiff history --json` lists it.
pub fn version_meta(v: &VersionRow) -> Value {
    json!({
        "version": v.seq,
        "observed_at": v.observed_at,
        "hash": v.content_hash,
        "headline": v.article.headline,
        "title": v.article.title,
        "significance": v.significance,
        "flagged": v.flagged,
        "words": v.article.word_count(),
        "stats": v.diff.as_ref().map(|d| d["stats"].clone()),
        "facts": v.diff.as_ref().map(|d| d["facts"].clone()),
    })
}

/// A version with its extracted text and fields.
pub fn version_json(a: &ArticleRow, v: &VersionRow) -> Value {
    let mut m = version_meta(v);
    let x = &v.article;
    m["article_id"] = json!(a.id);
    m["byline"] = json!(x.byline);
    m["published"] = json!(x.published.map(|d| d.to_rfc3339()));
    m["modified"] = json!(x.modified.map(|d| d.to_rfc3339()));
    m["canonical_url"] = json!(x.canonical_url);
    m["lang"] = json!(x.lang);
    m["site_name"] = json!(x.site_name);
    m["method"] = json!(x.method);
    m["confidence"] = json!(x.confidence);
    m["paragraphs"] = json!(x.paragraphs);
    m["text"] = json!(x.text());
    m
}

/// A story, its members and the alignment of their claims (recomputed: it is deterministic),
/// plus every finding reported (open or resolved).
pub struct StoryData {
    pub story: StoryRow,
    pub articles: Vec<StoryArticle>,
    pub findings: Vec<Finding>,
    pub reported: Vec<StoredFinding>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct StoryArticle {
    pub article_id: i64,
    pub outlet: String,
    pub url: Option<String>,
    pub headline: Option<String>,
    pub version: i64,
    pub published: Option<String>,
    pub last_changed_at: Option<String>,
    pub version_count: i64,
    pub score: f32,
    pub wire_copy_of: Option<i64>,
    pub manual: bool,
}

pub fn story(store: &dyn Store, id: i64) -> Result<StoryData, WebError> {
    let story = store
        .story(id)?
        .ok_or_else(|| WebError::NotFound(format!("no story {id}")))?;
    let mut articles = Vec::new();
    for m in store.story_members(id)? {
        let a = store.article(m.article_id)?;
        articles.push(StoryArticle {
            article_id: m.article_id,
            outlet: m.outlet.clone(),
            url: a.as_ref().map(|a| a.url.clone()),
            headline: a.as_ref().and_then(|a| a.headline.clone()),
            version: m.seq,
            published: m.published.map(crate::events::rfc3339),
            last_changed_at: a.as_ref().and_then(|a| a.last_changed_at.clone()),
            version_count: a.as_ref().map_or(0, |a| a.version_count),
            score: m.score,
            wire_copy_of: m.wire_copy_of,
            manual: m.manual,
        });
    }
    let docs = crate::stories::Stories::new().outlet_docs(store, id)?;
    let findings = crate::compare::conflicts::compare_story(&docs);
    let reported = store.story_findings(id, true)?;
    Ok(StoryData {
        story,
        articles,
        findings,
        reported,
    })
}

/// Findings grouped by event, in first-appearance order.
pub fn by_event(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut out: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match out.iter_mut().find(|(e, _)| *e == f.event) {
            Some((_, v)) => v.push(f),
            None => out.push((&f.event, vec![f])),
        }
    }
    out
}

impl StoryData {
    /// The same document as `factdiff story ID --json`.
    pub fn json(&self) -> Value {
        let events: Vec<Value> = by_event(&self.findings)
            .into_iter()
            .map(|(event, fs)| {
                json!({
                    "event": event,
                    "slots": fs.iter().map(|f| json!({
                        "slot": f.slot, "outcome": f.outcome, "severity": f.severity,
                        "explanation": f.explanation, "consensus": f.consensus,
                        "outlier": f.outlier, "claims": f.claims,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "story": self.story,
            "articles": self.articles,
            "events": events,
            "findings": self.reported,
        })
    }
}

/// A value as people read it: strings bare, money by its amount, ranges as `min–max`.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Object(o) if o.contains_key("amount") => {
            let amount = value_text(&o["amount"]);
            match o.get("currency").and_then(Value::as_str) {
                Some(c) => format!("{amount} {c}"),
                None => amount,
            }
        }
        Value::Object(o) if o.contains_key("min") && o.contains_key("max") => {
            format!("{}–{}", value_text(&o["min"]), value_text(&o["max"]))
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        v => v.to_string(),
    }
}
