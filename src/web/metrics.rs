//! Operations endpoints (issue 18): Prometheus `/metrics`, `/healthz` (the store answers and
//! the outbox is not stuck) and `/readyz` (the store answers at the schema this build needs).
//! Figures come from the store at scrape time, so they hold across restarts and add up over
//! every worker sharing a PostgreSQL store; the `metrics` crate renders them.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::Utc;
use metrics::{counter, gauge};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use super::AppState;
use crate::store::{OVERDUE_SECS, StoreStats};

/// `/metrics`: behind the web token when one is set.
pub fn guarded_routes() -> Router<Arc<AppState>> {
    Router::new().route("/metrics", get(metrics))
}

/// `/healthz` and `/readyz`: open, for probes.
pub fn open_routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide recorder: installed once, the first time it is needed.
fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .as_ref()
}

/// Counts a store operation the daemon could not complete (disk full, database locked,
/// server gone). The store cannot record its own write failures, so they live in this
/// process's recorder and show on the `/metrics` its `[web]` server renders.
pub fn store_error(op: &'static str) {
    // only where a recorder was installed (the daemon): a CLI run has no /metrics
    if HANDLE.get().is_some_and(Option::is_some) {
        counter!("factdiff_store_errors_total", "op" => op).increment(1);
    }
}

/// Installs the recorder before the daemon starts counting (idempotent).
pub fn install() {
    let _ = handle();
}

/// Resident set size of this process in bytes (Linux `/proc/self/statm`).
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Publishes `s` into the recorder (store totals as counters, levels as gauges).
fn record(s: &StoreStats) {
    for (outcome, host, n) in &s.fetches {
        counter!("factdiff_fetches_total", "outcome" => outcome.clone(), "host" => host.clone())
            .absolute(*n as u64);
    }
    for (reason, n) in &s.flagged {
        counter!("factdiff_extraction_flagged_total", "reason" => reason.clone())
            .absolute(*n as u64);
    }
    for (kind, n) in &s.events {
        counter!("factdiff_events_total", "type" => kind.clone()).absolute(*n as u64);
    }
    for (result, n) in &s.attempts {
        counter!("factdiff_delivery_attempts_total", "result" => result.clone())
            .absolute(*n as u64);
    }
    gauge!("factdiff_outbox_pending").set(s.outbox_pending as f64);
    gauge!("factdiff_outbox_overdue").set(s.outbox_overdue as f64);
    let oldest = s
        .outbox_oldest_pending
        .as_deref()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or(0.0, |t| {
            (Utc::now() - t.with_timezone(&Utc))
                .num_milliseconds()
                .max(0) as f64
                / 1000.0
        });
    gauge!("factdiff_outbox_oldest_pending_age_seconds").set(oldest);
    gauge!("factdiff_articles").set(s.articles as f64);
    gauge!("factdiff_versions").set(s.versions as f64);
    gauge!("factdiff_raw_bytes").set(s.raw_bytes as f64);
    gauge!("factdiff_raw_dropped_versions").set(s.raw_dropped as f64);
    gauge!("factdiff_store_bytes").set(s.db_bytes as f64);
    gauge!("factdiff_leases", "kind" => "article").set(s.leases.0 as f64);
    gauge!("factdiff_leases", "kind" => "delivery").set(s.leases.1 as f64);
    gauge!("factdiff_leases", "kind" => "source").set(s.leases.2 as f64);
    if let Some(rss) = rss_bytes() {
        gauge!("factdiff_process_resident_memory_bytes").set(rss as f64);
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> axum::response::Response {
    let Some(h) = handle() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "no metrics recorder\n").into_response();
    };
    match state.read(|s| Ok(s.stats(Utc::now())?)).await {
        Ok(stats) => {
            record(&stats);
            gauge!("factdiff_store_up").set(1.0);
        }
        Err(e) => {
            tracing::warn!("metrics: store unavailable: {e}");
            gauge!("factdiff_store_up").set(0.0);
        }
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        h.render(),
    )
        .into_response()
}

async fn healthz(State(state): State<Arc<AppState>>) -> (StatusCode, String) {
    match state.read(|s| Ok(s.stats(Utc::now())?)).await {
        Ok(s) if s.outbox_overdue > 0 => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "outbox stuck: {} deliveries due for over {}s and not sent\n",
                s.outbox_overdue, OVERDUE_SECS
            ),
        ),
        Ok(_) => (StatusCode::OK, "ok\n".into()),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "store unavailable\n".into(),
        ),
    }
}

async fn readyz(State(state): State<Arc<AppState>>) -> (StatusCode, String) {
    let known = crate::store::SqliteStore::latest_migration();
    match state.read(|s| Ok(s.schema_version()?)).await {
        Ok(v) if v >= known => (StatusCode::OK, "ready\n".into()),
        Ok(v) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("schema at version {v}, needs {known}\n"),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "store unavailable\n".into(),
        ),
    }
}
