//! The event model: what factdiff tells the world (webhooks, logs) and what a UI reads back
//! from the store. Every event has a stable `id` (UUID v7, also the `webhook-id`), a `type`,
//! `created_at`, and the article or source it is about. Builders are pure.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

/// The article an event is about, as embedded in every article event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ArticleRef {
    pub id: i64,
    pub url: String,
    pub outlet: Option<String>,
    pub headline: Option<String>,
}

/// An event ready to be stored and delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub kind: &'static str,
    pub created_at: DateTime<Utc>,
    pub article_id: Option<i64>,
    pub version_seq: Option<i64>,
    pub source: Option<String>,
    /// The story a cross-outlet event is about.
    pub story_id: Option<i64>,
    /// The complete JSON document delivered to notifiers.
    pub payload: Value,
}

pub const ARTICLE_NEW: &str = "article.new";
pub const ARTICLE_CHANGED: &str = "article.changed";
pub const FACT_CHANGED: &str = "fact.changed";
pub const ARTICLE_REMOVED: &str = "article.removed";
pub const SOURCE_FAILING: &str = "source.failing";
pub const SOURCE_RECOVERED: &str = "source.recovered";
pub const CLAIM_CONFLICT: &str = "claim.conflict";
pub const CLAIM_RESOLVED: &str = "claim.resolved";

/// The story a cross-outlet event is about, as embedded in `claim.*` events.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StoryRef {
    pub id: i64,
    pub headline: Option<String>,
    pub outlets: Vec<String>,
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn base(kind: &'static str, at: DateTime<Utc>, fields: Value) -> (String, Value) {
    let id = new_id();
    let mut payload = json!({ "id": id, "type": kind, "created_at": rfc3339(at) });
    if let (Value::Object(p), Value::Object(f)) = (&mut payload, fields) {
        p.extend(f);
    }
    (id, payload)
}

fn article_event(
    kind: &'static str,
    at: DateTime<Utc>,
    a: &ArticleRef,
    seq: i64,
    fields: Value,
) -> Event {
    let mut fields = fields;
    fields["article"] = json!(a);
    let (id, payload) = base(kind, at, fields);
    Event {
        id,
        kind,
        created_at: at,
        article_id: Some(a.id),
        version_seq: Some(seq),
        source: None,
        story_id: None,
        payload,
    }
}

/// First version of an article.
pub fn article_new(at: DateTime<Utc>, a: &ArticleRef, version: i64, source: Option<&str>) -> Event {
    let mut e = article_event(
        ARTICLE_NEW,
        at,
        a,
        version,
        json!({ "version": version, "source": source }),
    );
    e.source = source.map(String::from);
    e
}

/// A new version whose changes are cosmetic or wording only. `diff` is the serialised
/// `VersionDiff`.
pub fn article_changed(
    at: DateTime<Utc>,
    a: &ArticleRef,
    from: i64,
    to: i64,
    significance: &str,
    diff: Value,
) -> Event {
    article_event(
        ARTICLE_CHANGED,
        at,
        a,
        to,
        json!({ "from_version": from, "to_version": to, "significance": significance, "diff": diff }),
    )
}

/// A new version in which at least one claim changed, appeared or disappeared. `facts` is
/// the list of `FactChange`s, `diff` the serialised `VersionDiff`.
pub fn fact_changed(
    at: DateTime<Utc>,
    a: &ArticleRef,
    from: i64,
    to: i64,
    diff: Value,
    facts: Value,
) -> Event {
    article_event(
        FACT_CHANGED,
        at,
        a,
        to,
        json!({ "from_version": from, "to_version": to, "significance": "factual", "diff": diff, "facts": facts }),
    )
}

/// A live article now answers 404/410.
pub fn article_removed(at: DateTime<Utc>, a: &ArticleRef, last_version: i64, status: u16) -> Event {
    article_event(
        ARTICLE_REMOVED,
        at,
        a,
        last_version,
        json!({ "last_version": last_version, "status": status }),
    )
}

/// A source failed `failures` times in a row, or works again.
pub fn source_health(
    at: DateTime<Utc>,
    failing: bool,
    source: &str,
    error: Option<&str>,
    failures: u32,
) -> Event {
    let kind = if failing {
        SOURCE_FAILING
    } else {
        SOURCE_RECOVERED
    };
    let (id, payload) = base(
        kind,
        at,
        json!({ "source": source, "error": error, "consecutive_failures": failures }),
    );
    Event {
        id,
        kind,
        created_at: at,
        article_id: None,
        version_seq: None,
        source: Some(source.into()),
        story_id: None,
        payload,
    }
}

fn story_event(kind: &'static str, at: DateTime<Utc>, story: &StoryRef, fields: Value) -> Event {
    let mut fields = fields;
    fields["story"] = json!(story);
    let (id, payload) = base(kind, at, fields);
    Event {
        id,
        kind,
        created_at: at,
        article_id: None,
        version_seq: None,
        source: None,
        story_id: Some(story.id),
        payload,
    }
}

/// Outlets in one story disagree on one (event, slot): a new finding, or one whose values
/// changed. `finding` is the serialised `compare::conflicts::Finding` (`slot`, `outcome`,
/// `severity`, `explanation`, `claims`); `event` names the event within the story.
pub fn claim_conflict(at: DateTime<Utc>, story: &StoryRef, event: &str, finding: Value) -> Event {
    let mut fields = finding;
    fields["event"] = json!(event);
    story_event(CLAIM_CONFLICT, at, story, fields)
}

/// A reported disagreement that is gone (see [`claim_resolved`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Resolution {
    /// The event within the story, and the slot.
    pub event: String,
    pub slot: String,
    /// Why: how it compares now, or that it is no longer compared.
    pub reason: String,
    /// The id of the `claim.conflict` it resolves.
    pub conflict_event: Option<String>,
    /// The finding as last reported.
    pub previous: Value,
    /// The same (event, slot) as it compares today; absent when no longer compared.
    pub now: Option<Value>,
}

/// A reported disagreement is gone (an outlet corrected itself, or an article left the story).
pub fn claim_resolved(at: DateTime<Utc>, story: &StoryRef, r: &Resolution) -> Event {
    story_event(CLAIM_RESOLVED, at, story, json!(r))
}

/// One-line human summary of an event, for the log notifier and the CLI.
pub fn summary(payload: &Value) -> String {
    let t = payload["type"].as_str().unwrap_or("?");
    let head = payload["article"]["headline"]
        .as_str()
        .or(payload["article"]["url"].as_str())
        .unwrap_or("");
    match t {
        ARTICLE_NEW => format!("new article v{}: {head}", payload["version"]),
        FACT_CHANGED => {
            // The facts in plain words first ("deaths: 3 → 5"); the log is read by people.
            let facts: Vec<String> = payload["facts"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|f| {
                            serde_json::from_value::<crate::compare::FactChange>(f.clone()).ok()
                        })
                        .map(|f| f.describe())
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "facts changed v{}→v{}: {}: {head}",
                payload["from_version"],
                payload["to_version"],
                facts.join("; ")
            )
        }
        ARTICLE_CHANGED => {
            let s = &payload["diff"]["stats"];
            format!(
                "changed v{}→v{} ({}; +{} -{} ~{} sentences): {head}",
                payload["from_version"],
                payload["to_version"],
                payload["significance"].as_str().unwrap_or("?"),
                s["added"],
                s["removed"],
                s["edited"]
            )
        }
        ARTICLE_REMOVED => format!("removed (HTTP {}): {head}", payload["status"]),
        SOURCE_FAILING => format!(
            "source {} failing after {} attempts: {}",
            payload["source"].as_str().unwrap_or("?"),
            payload["consecutive_failures"],
            payload["error"].as_str().unwrap_or("")
        ),
        SOURCE_RECOVERED => format!(
            "source {} recovered",
            payload["source"].as_str().unwrap_or("?")
        ),
        CLAIM_CONFLICT => format!(
            "{} in story {} ({}): {}",
            payload["outcome"].as_str().unwrap_or("?"),
            payload["story"]["id"],
            payload["slot"].as_str().unwrap_or("?"),
            payload["explanation"].as_str().unwrap_or("")
        ),
        CLAIM_RESOLVED => format!(
            "resolved in story {} ({}, {}): {}",
            payload["story"]["id"],
            payload["event"].as_str().unwrap_or("?"),
            payload["slot"].as_str().unwrap_or("?"),
            payload["reason"].as_str().unwrap_or("")
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_events_carry_contract_fields() {
        let at = DateTime::parse_from_rfc3339("2026-01-05T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let a = ArticleRef {
            id: 7,
            url: "https://x.example/a".into(),
            outlet: Some("X".into()),
            headline: Some("H".into()),
        };
        let e = article_changed(
            at,
            &a,
            1,
            2,
            "wording",
            json!({"stats": {"added": 1, "removed": 0, "edited": 2}}),
        );
        assert_eq!(e.payload["id"], e.id);
        assert_eq!(e.payload["type"], "article.changed");
        assert_eq!(e.payload["created_at"], "2026-01-05T10:00:00Z");
        assert_eq!(e.payload["article"]["id"], 7);
        assert_eq!(e.payload["from_version"], 1);
        assert_eq!(e.payload["to_version"], 2);
        assert!(summary(&e.payload).contains("v1→v2"));
        let n = article_new(at, &a, 1, Some("s"));
        assert_ne!(n.id, e.id);
        let f = source_health(at, true, "s", Some("HTTP 500"), 3);
        assert_eq!(f.payload["type"], "source.failing");
        assert!(summary(&f.payload).contains("HTTP 500"));
    }
}
