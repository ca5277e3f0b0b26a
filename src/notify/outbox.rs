//! The outbox worker: takes due rows from the store, hands each to its notifier, and
//! records the attempt (delivered, retry at a backed-off time, or given up).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;

use super::webhook::{self, PostResult};
use super::{LOG_TARGET, webhook_target};
use crate::config::{Config, WebhookConfig};
use crate::store::{AttemptResult, Delivery, Store};

/// First retry delay; doubles per attempt up to [`MAX_BACKOFF`].
pub const BASE_BACKOFF: Duration = Duration::from_secs(1);
pub const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// Delay before the next attempt after `attempts` failures. `jitter` in [0, 1) spreads
/// retries ±25 % so that many failed deliveries do not hammer a receiver in lockstep.
/// A Retry-After from the receiver wins over the computed backoff.
pub fn backoff(attempts: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    if let Some(r) = retry_after {
        return r.clamp(Duration::from_secs(1), MAX_BACKOFF);
    }
    let exp = BASE_BACKOFF.saturating_mul(1u32 << attempts.saturating_sub(1).min(20));
    let d = exp.min(MAX_BACKOFF).as_secs_f64() * (0.75 + 0.5 * jitter.clamp(0.0, 1.0));
    Duration::from_secs_f64(d)
}

/// How long a worker holds a leased delivery: longer than a batch of attempts takes (webhook
/// timeouts included), short enough that a dead worker's deliveries go out soon after.
pub const DELIVERY_LEASE: Duration = Duration::from_secs(120);

/// The configured notifiers, by outbox target name.
#[derive(Clone)]
pub struct Notifiers {
    hooks: HashMap<String, WebhookConfig>,
    client: reqwest::Client,
}

impl Notifiers {
    pub fn new(cfg: &Config) -> Self {
        Notifiers {
            hooks: cfg
                .notify
                .webhooks
                .iter()
                .map(|w| (webhook_target(&w.name), w.clone()))
                .collect(),
            client: webhook::client(&cfg.fetch.user_agent),
        }
    }
}

/// Counts from one delivery round.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RoundStats {
    pub delivered: usize,
    pub retrying: usize,
    pub gave_up: usize,
}

/// Delivers every delivery due at `now` (in batches), concurrently up to 8 at a time.
pub async fn deliver_due(
    store: &Arc<dyn Store>,
    n: &Notifiers,
) -> Result<RoundStats, crate::store::StoreError> {
    let mut stats = RoundStats::default();
    loop {
        let now = Utc::now();
        let s = store.clone();
        let until = now + chrono::Duration::from_std(DELIVERY_LEASE).unwrap_or_default();
        let due = tokio::task::spawn_blocking(move || s.lease_deliveries(now, until, 64))
            .await
            .expect("store task panicked")?;
        if due.is_empty() {
            return Ok(stats);
        }
        let results: Vec<_> = futures_util::stream::iter(due.into_iter().map(|d| attempt(n, d)))
            .buffer_unordered(8)
            .collect()
            .await;
        for (d, result, ms) in results {
            match &result {
                AttemptResult::Delivered { .. } => stats.delivered += 1,
                AttemptResult::Retry { error, next_at, .. } => {
                    stats.retrying += 1;
                    tracing::warn!(event_id = %d.event_id, target = %d.target, attempt = d.attempts + 1, next_attempt = %next_at, "delivery failed: {error}");
                }
                AttemptResult::GiveUp { error, .. } => {
                    stats.gave_up += 1;
                    tracing::error!(event_id = %d.event_id, target = %d.target, attempts = d.attempts + 1, "delivery given up: {error}");
                }
            }
            let s = store.clone();
            tokio::task::spawn_blocking(move || {
                s.record_attempt(d.outbox_id, Utc::now(), &result, ms)
            })
            .await
            .expect("store task panicked")?;
        }
    }
}

async fn attempt(n: &Notifiers, d: Delivery) -> (Delivery, AttemptResult, u64) {
    let started = Instant::now();
    let result = if d.target == LOG_TARGET {
        log_event(&d);
        AttemptResult::Delivered { status: None }
    } else if let Some(hook) = n.hooks.get(&d.target) {
        let now = Utc::now();
        match webhook::post(&n.client, hook, &d.event_id, &d.payload, now.timestamp()).await {
            PostResult::Delivered { status } => AttemptResult::Delivered {
                status: Some(status),
            },
            PostResult::Failed {
                status,
                error,
                retry_after,
            } => failed(
                d.attempts + 1,
                d.created_at,
                hook.retry_for,
                status,
                error,
                retry_after,
            ),
        }
    } else {
        AttemptResult::GiveUp {
            status: None,
            error: format!("notifier {:?} is no longer configured", d.target),
        }
    };
    (d, result, started.elapsed().as_millis() as u64)
}

/// Retry or give up, given the retry window.
fn failed(
    attempts: u32,
    created: DateTime<Utc>,
    retry_for: Duration,
    status: Option<u16>,
    error: String,
    retry_after: Option<Duration>,
) -> AttemptResult {
    let now = Utc::now();
    let delay = backoff(attempts, retry_after, fastrand::f64());
    let next_at = now + chrono::Duration::from_std(delay).unwrap_or_default();
    let deadline = created + chrono::Duration::from_std(retry_for).unwrap_or_default();
    if next_at > deadline {
        AttemptResult::GiveUp {
            status,
            error: format!("{error}; giving up after {attempts} attempts"),
        }
    } else {
        AttemptResult::Retry {
            status,
            error,
            next_at,
        }
    }
}

fn log_event(d: &Delivery) {
    let payload: serde_json::Value = serde_json::from_str(&d.payload).unwrap_or_default();
    let kind = payload["type"].as_str().unwrap_or("?");
    let summary = crate::events::summary(&payload);
    match payload["story"]["id"].as_i64() {
        Some(story) => {
            tracing::info!(target: "factdiff::event", event_id = %d.event_id, event = kind, story, "{summary}")
        }
        None => {
            let article = payload["article"]["url"].as_str().unwrap_or("");
            tracing::info!(target: "factdiff::event", event_id = %d.event_id, event = kind, article, "{summary}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_honours_retry_after() {
        assert_eq!(backoff(1, None, 0.5), Duration::from_secs(1));
        assert_eq!(backoff(3, None, 0.5), Duration::from_secs(4));
        assert_eq!(backoff(40, None, 0.5), MAX_BACKOFF);
        let lo = backoff(5, None, 0.0);
        let hi = backoff(5, None, 0.999);
        assert!(lo < hi && lo >= Duration::from_secs(12) && hi <= Duration::from_secs(20));
        assert_eq!(
            backoff(1, Some(Duration::from_secs(7)), 0.9),
            Duration::from_secs(7)
        );
    }

    #[test]
    fn gives_up_after_window() {
        let old = Utc::now() - chrono::Duration::hours(25);
        assert!(matches!(
            failed(
                9,
                old,
                Duration::from_secs(86400),
                Some(500),
                "x".into(),
                None
            ),
            AttemptResult::GiveUp { .. }
        ));
        assert!(matches!(
            failed(
                1,
                Utc::now(),
                Duration::from_secs(86400),
                Some(500),
                "x".into(),
                None
            ),
            AttemptResult::Retry { .. }
        ));
    }
}
