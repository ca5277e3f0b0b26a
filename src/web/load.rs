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

/// What comparing two version texts yields; a pure function of the two texts.
#[derive(Clone)]
pub struct Compared {
    pub diff: VersionDiff,
    pub facts: Vec<FactChange>,
}

/// Compares two versions as `factdiff diff` does (sentence alignment, word diff, claims).
pub fn compare(old: &crate::extract::Article, new: &crate::extract::Article) -> Compared {
    let crate::compare::VersionChange { diff, facts } = crate::compare::version_change(old, new);
    Compared { diff, facts }
}

/// [`compare`] of two stored versions, their claims read from the store when it holds this
/// build's (extracting them was most of a cold diff's CPU), else extracted.
pub fn compare_versions(old: &VersionRow, new: &VersionRow) -> Compared {
    use crate::claims::stored::doc_claims;
    let crate::compare::VersionChange { diff, facts } =
        crate::compare::version_change_with(&old.article, &new.article, || {
            (
                doc_claims(&old.article, old.claims.as_deref()),
                doc_claims(&new.article, new.claims.as_deref()),
            )
        });
    Compared { diff, facts }
}

/// The comparison stored with `new` when it was observed, if `new` follows `old` directly:
/// a version's diff is `version_change` against the last version extracted soundly before
/// it, which is `old` when neither is flagged (and `factdiff reprocess` rewrites it when it
/// re-extracts the text), so a fact card's diff shows what its event reported without
/// comparing again. `None` when absent or unreadable (compared then).
pub fn stored(old: &VersionRow, new: &VersionRow) -> Option<Compared> {
    if new.seq != old.seq + 1
        || new.article_id != old.article_id
        || old.flagged.is_some()
        || new.flagged.is_some()
    {
        return None;
    }
    let v = new.diff.as_ref()?;
    // every field is defaulted when deserialising: an object without them is not a diff
    if v.get("significance").is_none() || v.get("sentences").is_none() {
        return None;
    }
    let diff: VersionDiff = serde_json::from_value(v.clone()).ok()?;
    let facts: Vec<FactChange> = match v.get("facts") {
        Some(f) => serde_json::from_value(f.clone()).ok()?,
        None => Vec::new(),
    };
    Some(Compared { diff, facts })
}

/// Which comparison a cached diff is: the pair of versions and their content hashes. A
/// stored version's text does not change, except through `factdiff reprocess`, which gives
/// a re-extracted text a new hash, so the key then misses and the pair is compared again.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DiffKey {
    article: i64,
    from: i64,
    to: i64,
    from_hash: String,
    to_hash: String,
}

impl DiffKey {
    pub fn new(old: &VersionRow, new: &VersionRow) -> Self {
        DiffKey {
            article: old.article_id,
            from: old.seq,
            to: new.seq,
            from_hash: old.content_hash.clone(),
            to_hash: new.content_hash.clone(),
        }
    }
}

/// Comparisons already made, newest used kept (least recently used dropped first).
/// Comparing two long versions costs milliseconds of CPU (alignment, word diff, claims of
/// both texts) while their result never changes, and people open the same diffs from the
/// dashboard, a feed or a shared link; bounded so that walking every pair of a large store
/// cannot grow the server.
pub struct DiffCache {
    map: std::sync::Mutex<hashlink::LruCache<DiffKey, std::sync::Arc<Compared>>>,
}

/// How many comparisons [`DiffCache`] keeps (a long article's is tens of KiB).
pub const DIFF_CACHE_ENTRIES: usize = 1024;

impl DiffCache {
    pub fn new(capacity: usize) -> Self {
        DiffCache {
            map: std::sync::Mutex::new(hashlink::LruCache::new(capacity.max(1))),
        }
    }

    /// The comparison of `old` and `new`, computed once.
    pub fn get(&self, old: &VersionRow, new: &VersionRow) -> std::sync::Arc<Compared> {
        let key = DiffKey::new(old, new);
        if let Some(c) = self.map.lock().expect("diff cache lock").get(&key) {
            return c.clone();
        }
        // computed outside the lock: two requests for one new pair may both compute it
        let c = std::sync::Arc::new(stored(old, new).unwrap_or_else(|| compare_versions(old, new)));
        self.map
            .lock()
            .expect("diff cache lock")
            .insert(key, c.clone());
        c
    }

    pub fn len(&self) -> usize {
        self.map.lock().expect("diff cache lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Versions `from` and `to` of article `id` compared (through `cache` when given).
pub fn diff(
    store: &dyn Store,
    cache: Option<&DiffCache>,
    id: i64,
    from: i64,
    to: i64,
) -> Result<DiffData, WebError> {
    let a = article(store, id)?;
    let (old, new) = (version(store, &a, from)?, version(store, &a, to)?);
    Ok(DiffData::new(a, old, new, cache))
}

impl DiffData {
    /// Compares `old` and `new` of `article` (through `cache` when given).
    pub fn new(
        article: ArticleRow,
        old: VersionRow,
        new: VersionRow,
        cache: Option<&DiffCache>,
    ) -> Self {
        let Compared { diff, facts } = match cache {
            Some(c) => (*c.get(&old, &new)).clone(),
            None => stored(&old, &new).unwrap_or_else(|| compare_versions(&old, &new)),
        };
        DiffData {
            article,
            old,
            new,
            diff,
            facts,
        }
    }
}

/// An entity tag for a diff response, known before anything is compared: the two
/// versions' content hashes, what the response shows of the article row (it changes when
/// a new version arrives), `variant` (the response's format and options) and this
/// process's start (another build may render the same pair differently). A client that
/// holds it gets a 304 without the comparison being made again.
pub fn diff_etag(a: &ArticleRow, old: &VersionRow, new: &VersionRow, variant: &str) -> String {
    static STARTED: std::sync::OnceLock<u128> = std::sync::OnceLock::new();
    let started = STARTED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    });
    let state = serde_json::to_string(a).unwrap_or_default();
    let h = xxhash_rust::xxh3::xxh3_64(
        format!(
            "{started}\0{}\0{}\0{}\0{}\0{state}\0{variant}",
            old.seq, old.content_hash, new.seq, new.content_hash
        )
        .as_bytes(),
    );
    format!("\"d{h:016x}\"")
}

/// Whether an `If-None-Match` header value names `etag` (or is `*`).
pub fn etag_matches(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|v| {
        v.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*")
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

#[cfg(test)]
mod diff_cache_tests {
    use super::*;
    use crate::extract::Article;

    fn version(seq: i64, hash: &str, text: &str) -> VersionRow {
        VersionRow {
            article_id: 7,
            seq,
            observed_at: "2026-01-05T10:00:00.000Z".into(),
            content_hash: hash.into(),
            flagged: None,
            significance: None,
            article: Article {
                paragraphs: vec![text.into()],
                lang: Some("en".into()),
                method: "test".into(),
                confidence: 1.0,
                ..Article::default()
            },
            diff: None,
            claims: None,
        }
    }

    /// A pair is compared once; a version whose text was re-extracted (new hash) is
    /// compared again; the least recently used pair goes first when the cache is full.
    #[test]
    fn a_pair_is_compared_once_and_a_new_text_again() {
        let cache = DiffCache::new(2);
        let (a, b) = (
            version(1, "h1", "Officials said 40 people died."),
            version(2, "h2", "Officials said 52 people died."),
        );
        let first = cache.get(&a, &b);
        assert_eq!(first.facts.len(), 1);
        assert!(std::sync::Arc::ptr_eq(&first, &cache.get(&a, &b)));
        let b2 = version(2, "h2'", "Officials said 60 people died.");
        let other = cache.get(&a, &b2);
        assert!(!std::sync::Arc::ptr_eq(&first, &other));
        assert_eq!(other.facts[0].after.as_ref().unwrap().text, "60");
        // (a, b) was used before (a, b2): a third pair drops it
        let c = version(3, "h3", "Officials said 61 people died.");
        cache.get(&b, &c);
        assert_eq!(cache.len(), 2);
        assert!(!std::sync::Arc::ptr_eq(&first, &cache.get(&a, &b)));
    }

    /// A version that follows its base directly carries its comparison; it is used as
    /// stored (what the event reported), and only then: not across a gap, not after a
    /// flagged version (the stored diff is against an older one), not when unreadable.
    #[test]
    fn the_stored_comparison_of_consecutive_versions_is_used() {
        let a = version(1, "h1", "Officials said 40 people died.");
        let mut b = version(2, "h2", "Officials said 52 people died.");
        let fresh = compare(&a.article, &b.article);
        let mut json = serde_json::to_value(&fresh.diff).unwrap();
        json["facts"] = serde_json::to_value(&fresh.facts).unwrap();
        // a marker only the stored copy has: proves which one is shown
        json["fields"] = serde_json::json!([{"field": "headline", "before": "old", "after": "new", "cosmetic": false}]);
        b.diff = Some(json);
        let got = stored(&a, &b).expect("stored diff used");
        assert_eq!(got.facts, fresh.facts);
        assert_eq!(got.diff.sentences, fresh.diff.sentences);
        assert_eq!(got.diff.fields.len(), 1);
        let cache = DiffCache::new(4);
        assert_eq!(cache.get(&a, &b).diff.fields.len(), 1);
        let mut flagged = a.clone();
        flagged.flagged = Some("too short".into());
        assert!(stored(&flagged, &b).is_none());
        let mut gap = b.clone();
        gap.seq = 3;
        assert!(stored(&a, &gap).is_none());
        let mut bad = b.clone();
        bad.diff = Some(serde_json::json!({"facts": []}));
        assert!(stored(&a, &bad).is_none());
        assert_eq!(
            DiffCache::new(4).get(&a, &bad).facts,
            fresh.facts,
            "compared when the stored diff is unreadable"
        );
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(etag_matches(Some("\"x\", W/\"d1\""), "\"d1\""));
        assert!(etag_matches(Some("*"), "\"d1\""));
        assert!(!etag_matches(Some("\"d2\""), "\"d1\""));
        assert!(!etag_matches(None, "\"d1\""));
    }
}
