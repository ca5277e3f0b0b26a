//! `page` sources: one URL fetched on its interval, with conditional GET.

use chrono::Utc;

use super::Ctx;
use crate::config::SourceConfig;
use crate::fetch::Validators;
use crate::observe::{Observation, Observed};

/// Fetches the page once and records what was seen.
pub async fn check(
    ctx: &Ctx,
    src: &SourceConfig,
) -> Result<Observed, crate::observe::ObserveError> {
    let url = src.url.clone().unwrap_or_default();
    let store = ctx.store.clone();
    let u = url.clone();
    let known = tokio::task::spawn_blocking(move || store.article_by_url(&u))
        .await
        .expect("store task panicked")?;
    let validators = known
        .as_ref()
        .filter(|a| a.version_count > 0)
        .map(|a| Validators {
            etag: a.etag.clone(),
            last_modified: a.last_modified.clone(),
        })
        .unwrap_or_default();
    let started = std::time::Instant::now();
    let outcome = ctx.fetcher.fetch(&url, &validators).await;
    let seen = super::seen_from(outcome);
    let now = Utc::now();
    let obs = Observation {
        schedule: None,
        source_health: true,
        site_rules: Default::default(),
        source: Some(src.name.clone()),
        outlet: src.outlet.clone(),
        url,
        use_canonical: true,
        at: now,
        seen,
        duration_ms: started.elapsed().as_millis() as u64,
        failing_after: ctx.config.fetch.failing_after,
        next_check_at: Some(now + chrono::Duration::from_std(src.interval).unwrap_or_default()),
    };
    ctx.observe(obs).await
}
