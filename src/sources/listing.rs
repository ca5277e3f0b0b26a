//! Listings: `feed` and `sitemap` sources. Each check fetches the listing (conditionally),
//! parses it, and hands its article URLs to the store, which tracks the new ones and makes
//! those whose listed update time moved due at once. A sitemap index is followed to its
//! child sitemaps (behind the SSRF guard: they are discovered URLs), skipping children whose
//! `lastmod` has not moved since the last successful pass.

use chrono::{DateTime, Utc};

use super::discover::{DiscoverError, Discovered};
use super::sitemap::SitemapDoc;
use super::{Ctx, blocking};
use crate::config::{SourceConfig, SourceKind};
use crate::fetch::{Outcome, Validators};
use crate::store::{Commit, DiscoverStats, FetchLog, SourceOutcome, StoreError};

/// Child sitemaps followed per pass at most, and index nesting depth.
const MAX_CHILD_SITEMAPS: usize = 200;
const MAX_INDEX_DEPTH: usize = 3;

/// What one listing check did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ListingReport {
    pub listed: usize,
    pub discovered: DiscoverStats,
    pub not_modified: bool,
    pub error: Option<String>,
}

/// Fetches and processes one feed or sitemap source.
pub async fn check(ctx: &Ctx, src: &SourceConfig) -> Result<ListingReport, StoreError> {
    let url = src.url.clone().unwrap_or_default();
    let name = src.name.clone();
    let state = blocking(&ctx.store, move |s| {
        s.sources()
            .map(|all| all.into_iter().find(|x| x.name == name))
    })
    .await?;
    let validators = Validators {
        etag: state.as_ref().and_then(|s| s.etag.clone()),
        last_modified: state.as_ref().and_then(|s| s.last_modified.clone()),
    };
    let last_success = state
        .as_ref()
        .and_then(|s| s.last_success_at.as_deref())
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc));
    let started = std::time::Instant::now();
    let mut report = ListingReport::default();
    let mut retry_after = None;
    let mut keep_validators = true;
    let (outcome_name, status, result) = match ctx.fetcher.fetch(&url, &validators).await {
        Outcome::New(f) => {
            let items = match src.kind {
                SourceKind::Sitemap => sitemap_items(ctx, &f.raw, &f.final_url, last_success)
                    .await
                    .map(|(items, index)| {
                        // An unchanged index says nothing about its children: fetch it whole
                        // next time (it is small) instead of stopping at its 304.
                        if index {
                            keep_validators = false;
                        }
                        items
                    }),
                _ => super::feed::parse_feed(&f.raw, &f.final_url).map_err(|e| e.to_string()),
            };
            let st = f.status;
            match items {
                Ok(items) => {
                    report.listed = items.len();
                    let (etag, lm) = if keep_validators {
                        (
                            f.validators.etag.clone(),
                            f.validators.last_modified.clone(),
                        )
                    } else {
                        (None, None)
                    };
                    let (n, o, at) = (src.name.clone(), src.outlet.clone(), Utc::now());
                    report.discovered = blocking(&ctx.store, move |s| {
                        s.set_source_validators(&n, etag.as_deref(), lm.as_deref())?;
                        s.discover(&n, o.as_deref(), &items, at)
                    })
                    .await?;
                    ("listed", Some(st), Ok(()))
                }
                Err(e) => ("failed", Some(st), Err(e)),
            }
        }
        Outcome::NotModified => {
            report.not_modified = true;
            ("not_modified", Some(304), Ok(()))
        }
        Outcome::Gone { status } => (
            "failed",
            Some(status),
            Err(format!("the {} answers HTTP {status}", src.kind.as_str())),
        ),
        Outcome::Failed(e) => {
            retry_after = e.retry_after();
            ("failed", None, Err(e.to_string()))
        }
    };
    report.error = result.err();
    if let Some(e) = &report.error {
        tracing::warn!(source = %src.name, url, "{} failed: {e}", src.kind.as_str());
    } else if report.discovered.new + report.discovered.updated > 0 {
        tracing::info!(source = %src.name, new = report.discovered.new, updated = report.discovered.updated, "discovered");
        ctx.discovered.notify_one();
    }
    let now = Utc::now();
    let failures = match &report.error {
        Some(_) => state.as_ref().map_or(0, |s| s.consecutive_failures) + 1,
        None => 0,
    };
    let wait = listing_wait(src.interval, failures, retry_after, fastrand::f64());
    let commit = Commit {
        fetch: Some((
            Some(src.name.clone()),
            FetchLog {
                url,
                outcome: outcome_name,
                status,
                error: report.error.clone(),
                duration_ms: started.elapsed().as_millis() as u64,
            },
        )),
        source: Some(SourceOutcome {
            name: src.name.clone(),
            error: report.error.clone(),
            threshold: ctx.config.fetch.failing_after,
            next_check_at: Some(now + chrono::Duration::from_std(wait).unwrap_or_default()),
        }),
        ..Default::default()
    };
    let router = ctx.router.clone();
    blocking(&ctx.store, move |s| s.commit(commit, router.as_ref(), now)).await?;
    ctx.wake.notify_one();
    Ok(report)
}

/// The wait before a listing's next check: its interval with ±10 % jitter, doubled per
/// consecutive failure (at most 64×, at most 24 h) and never shorter than a Retry-After.
pub fn listing_wait(
    interval: std::time::Duration,
    failures: u32,
    retry_after: Option<std::time::Duration>,
    jitter: f64,
) -> std::time::Duration {
    let factor = 2u32.pow(failures.min(6));
    let base = interval
        .saturating_mul(factor)
        .min(std::time::Duration::from_secs(24 * 3600).max(interval));
    base.mul_f64(0.9 + 0.2 * jitter.clamp(0.0, 1.0))
        .max(retry_after.unwrap_or_default())
}

/// A sitemap's article URLs, and whether it was an index (followed breadth-first).
async fn sitemap_items(
    ctx: &Ctx,
    body: &[u8],
    url: &str,
    last_success: Option<DateTime<Utc>>,
) -> Result<(Vec<Discovered>, bool), String> {
    let mut items = Vec::new();
    let mut queue: Vec<(String, usize)> = Vec::new();
    let mut followed = 0usize;
    let mut handle = |doc: SitemapDoc, depth: usize, queue: &mut Vec<(String, usize)>| match doc {
        SitemapDoc::Urls(mut v) => items.append(&mut v),
        SitemapDoc::Index(children) => {
            for (child, lastmod) in children {
                // Unchanged since our last successful pass: nothing new in it.
                let stale = matches!((lastmod, last_success), (Some(m), Some(s)) if m < s);
                if !stale && depth < MAX_INDEX_DEPTH {
                    queue.push((child, depth + 1));
                }
            }
        }
    };
    let root =
        super::sitemap::parse_sitemap(body, url).map_err(|e: DiscoverError| e.to_string())?;
    let is_index = matches!(root, SitemapDoc::Index(_));
    handle(root, 0, &mut queue);
    let mut errors = Vec::new();
    while let Some((child, depth)) = (!queue.is_empty()).then(|| queue.remove(0)) {
        if followed >= MAX_CHILD_SITEMAPS {
            tracing::warn!(
                url,
                "sitemap index lists more than {MAX_CHILD_SITEMAPS} sitemaps; the rest wait for the next pass"
            );
            break;
        }
        followed += 1;
        match ctx
            .fetcher
            .fetch_discovered(&child, &Validators::default())
            .await
        {
            Outcome::New(f) => match super::sitemap::parse_sitemap(&f.raw, &f.final_url) {
                Ok(doc) => handle(doc, depth, &mut queue),
                Err(e) => errors.push(format!("{child}: {e}")),
            },
            Outcome::NotModified => {}
            Outcome::Gone { status } => errors.push(format!("{child}: HTTP {status}")),
            Outcome::Failed(e) => errors.push(format!("{child}: {e}")),
        }
    }
    // Children that failed are reported, but what the others listed is still tracked.
    for e in &errors {
        tracing::warn!(sitemap = url, "child sitemap failed: {e}");
    }
    if items.is_empty() && !errors.is_empty() {
        return Err(format!("every child sitemap failed; first: {}", errors[0]));
    }
    Ok((items, is_index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn listings_back_off_on_failure() {
        let m = Duration::from_secs(600);
        assert_eq!(listing_wait(m, 0, None, 0.5), m);
        assert_eq!(listing_wait(m, 1, None, 0.5), m * 2);
        assert_eq!(listing_wait(m, 3, None, 0.5), m * 8);
        assert_eq!(listing_wait(m, 40, None, 0.5), m * 64);
        let hour = Duration::from_secs(3600);
        assert_eq!(
            listing_wait(hour, 40, None, 0.5),
            Duration::from_secs(86_400)
        );
        assert_eq!(listing_wait(m, 0, Some(hour), 0.5), hour);
        assert!(listing_wait(m, 0, None, 0.0) >= m.mul_f64(0.9));
    }
}
