//! Types of the operations seam (issue 18): re-processing, integrity checks, retention and
//! the figures `/metrics` reports. Both backends implement the [`super::Store`] methods
//! that use them.

/// New derived data for a stored version, re-extracted from its raw page. The raw page,
/// `observed_at` and `seq` never change: history keeps what was seen, only its reading moves.
#[derive(Debug, Clone)]
pub struct VersionRewrite {
    pub article_id: i64,
    pub seq: i64,
    pub article: crate::extract::Article,
    pub flagged: Option<String>,
    pub significance: Option<String>,
    pub diff: Option<serde_json::Value>,
    /// The re-extracted text's claims (`claims::stored::encode`).
    pub claims: Option<Vec<u8>>,
}

/// Problems `factdiff verify` finds in the store's links (hashes are checked in Rust).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LinkCheck {
    /// Events of a type routed to some target that have no outbox row: (id, type).
    /// Events stored quietly (re-processing without `--notify`) are expected to have none.
    pub events_without_outbox: Vec<(String, String)>,
    /// Outbox rows whose event is missing.
    pub orphan_outbox_rows: i64,
    /// `fact_changes` rows whose event is missing.
    pub orphan_fact_changes: i64,
    /// The database engine's own checks (SQLite `integrity_check`, `foreign_key_check`).
    pub engine: Vec<String>,
}

/// Counts for `/metrics`, read in one pass.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct StoreStats {
    /// (outcome, host, count) over every fetch logged.
    pub fetches: Vec<(String, String, i64)>,
    /// (flag reason, count) of flagged versions.
    pub flagged: Vec<(String, i64)>,
    /// (event type, count).
    pub events: Vec<(String, i64)>,
    /// Pending outbox rows and the creation time (RFC 3339) of the oldest one.
    pub outbox_pending: i64,
    pub outbox_oldest_pending: Option<String>,
    /// Pending rows due for more than [`OVERDUE_SECS`]: nobody is sending them.
    pub outbox_overdue: i64,
    /// (result, count) over every delivery attempt: delivered | failed.
    pub attempts: Vec<(String, i64)>,
    pub articles: i64,
    pub versions: i64,
    /// Bytes of raw pages kept (compressed) and versions whose raw page was dropped.
    pub raw_bytes: i64,
    pub raw_dropped: i64,
    /// The database's size on disk in bytes.
    pub db_bytes: i64,
    /// Unexpired leases: articles, deliveries, sources.
    pub leases: (i64, i64, i64),
}

/// A delivery due this long ago and still not attempted means no worker is delivering.
pub const OVERDUE_SECS: i64 = 600;
