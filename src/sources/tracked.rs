//! Tracked articles: the URLs feeds and sitemaps listed, each fetched behind the SSRF guard
//! and re-checked on the decaying `[schedule] recheck`, with the schedule kept in the store.

use chrono::Utc;

use super::{Ctx, blocking};
use crate::fetch::{FetchError, Outcome, Validators};
use crate::observe::{Observation, ObserveError, Observed};
use crate::schedule::{CheckResult, next_check, policy::born};
use crate::store::DueArticle;

/// Fetches one leased article, records what was seen and sets its next check.
pub async fn check(ctx: &Ctx, a: DueArticle) -> Result<Observed, ObserveError> {
    let validators = if a.version_count > 0 {
        Validators {
            etag: a.etag.clone(),
            last_modified: a.last_modified.clone(),
        }
    } else {
        Validators::default()
    };
    let started = std::time::Instant::now();
    let outcome = ctx.fetcher.fetch_discovered(&a.url, &validators).await;
    let result = match &outcome {
        Outcome::Gone { .. } => CheckResult::Gone,
        // Never going to work: a refused address, an unusable URL.
        Outcome::Failed(FetchError::Refused { .. } | FetchError::InvalidUrl { .. }) => {
            CheckResult::Gone
        }
        Outcome::Failed(e) => CheckResult::Failed {
            failures: a.check_failures + 1,
            retry_after: e.retry_after(),
        },
        Outcome::New(_) | Outcome::NotModified => CheckResult::Ok,
    };
    let failures = match result {
        CheckResult::Failed { failures, .. } => failures,
        _ => 0,
    };
    let next = next_check(
        &ctx.config.schedule.recheck,
        born(a.first_seen_at, a.published_hint),
        Utc::now(),
        result,
        fastrand::f64(),
    );
    let now = Utc::now();
    let obs = Observation {
        schedule: Some(crate::store::ArticleSchedule {
            article_id: a.id,
            next,
            failures,
        }),
        source: a.source.clone(),
        outlet: a.outlet.clone(),
        url: a.url.clone(),
        use_canonical: true,
        at: now,
        seen: super::seen_from(outcome),
        duration_ms: started.elapsed().as_millis() as u64,
        failing_after: ctx.config.fetch.failing_after,
        next_check_at: None,
        source_health: false,
        site_rules: Default::default(),
    };
    let observed = ctx.observe(obs).await;
    // Normally already stored with the observation; this covers an observation that failed.
    let id = a.id;
    blocking(&ctx.store, move |s| {
        s.set_article_schedule(id, next, failures)
    })
    .await?;
    observed
}
