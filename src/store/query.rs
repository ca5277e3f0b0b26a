//! Filtered, keyset-paged reads for the web UI and the JSON API.
//!
//! Every list is newest first and paged by an integer id: a page asks for rows with
//! `id < before`, and every page of one traversal also keeps `id <= upto` (the newest id when
//! the traversal began). Rows that arrive meanwhile get larger ids, so they neither shift the
//! pages nor change the total; a new traversal sees them.

use chrono::{DateTime, Utc};

/// Which page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageReq {
    pub limit: usize,
    /// Rows with a smaller id only (the previous page's last id).
    pub before: Option<i64>,
    /// The newest id of the traversal; `None` = now (a first page).
    pub upto: Option<i64>,
}

impl PageReq {
    pub fn first(limit: usize) -> Self {
        PageReq {
            limit,
            before: None,
            upto: None,
        }
    }
}

/// One page of a list and where the next one starts.
#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Rows matching the filter up to `upto` (all pages together).
    pub total: i64,
    /// The traversal's newest id, to carry to the next page.
    pub upto: i64,
    /// `before` of the next page; `None` on the last page.
    pub next_before: Option<i64>,
}

impl<T> Paged<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            upto: self.upto,
            next_before: self.next_before,
        }
    }
}

/// Articles by outlet, source, text in headline or URL, changed since.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    pub outlet: Option<String>,
    pub source: Option<String>,
    /// Case-insensitive substring of the headline or the URL.
    pub text: Option<String>,
    pub changed_since: Option<DateTime<Utc>>,
}

/// Fact changes by article, outlet, story, kind, label and time.
#[derive(Debug, Clone, Default)]
pub struct FactQuery {
    pub article: Option<i64>,
    pub outlet: Option<String>,
    /// Fact changes of the articles now in this story.
    pub story: Option<i64>,
    pub kind: Option<String>,
    /// As serialised in payloads: `update`, `correction`, `plan_changed`, …
    pub label: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Cross-outlet findings by story, outlet, state and time opened.
#[derive(Debug, Clone, Default)]
pub struct FindingQuery {
    pub story: Option<i64>,
    /// Findings in which this outlet has a claim.
    pub outlet: Option<String>,
    /// `Some(true)` open only, `Some(false)` resolved only.
    pub open: Option<bool>,
    pub outcome: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Events by type, article, story and time.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub kind: Option<String>,
    pub article: Option<i64>,
    pub story: Option<i64>,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// Deliveries by state (`pending`, `delivered`, `gave_up`; `failing` = not delivered and
/// with an error) and target.
#[derive(Debug, Clone, Default)]
pub struct DeliveryQuery {
    pub state: Option<String>,
    pub target: Option<String>,
}

/// One `facts[]` item of a stored `fact.changed` event, with where it happened.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FactChangeRow {
    pub id: i64,
    pub event_id: String,
    /// Its index in the event's `facts`.
    pub index: i64,
    pub created_at: String,
    pub article: crate::events::ArticleRef,
    pub from_version: Option<i64>,
    pub to_version: Option<i64>,
    /// When the two versions were observed.
    pub from_observed_at: Option<String>,
    pub to_observed_at: Option<String>,
    /// The item as in the webhook payload (`kind`, `slot`, `before`, `after`, `label`, …).
    pub item: serde_json::Value,
}

/// A stored finding with its row id and its story's headline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FindingRow {
    pub id: i64,
    pub story_headline: Option<String>,
    pub finding: super::StoredFinding,
}

/// Versions after the first (edits) per day and outlet, for the edits chart.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EditCount {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    pub outlet: String,
    pub edits: i64,
}
