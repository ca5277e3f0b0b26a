//! robots.txt: fetched once per origin, cached, honoured for our product token.
//!
//! RFC 9309 outcomes: a 2xx file is obeyed; a 4xx means "no rules"; a 5xx or network error
//! means "crawl nothing" until it can be read again (cached briefly so a down server is not
//! hammered for its robots.txt). `Crawl-delay` raises the host's per-host delay.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use robotxt::{AccessResult, Robots};
use tokio::time::Instant;

/// How long a readable robots.txt is trusted.
const TTL_OK: Duration = Duration::from_secs(24 * 3600);
/// A missing robots.txt (4xx): checked again after this.
const TTL_MISSING: Duration = Duration::from_secs(6 * 3600);
/// An unreachable robots.txt (5xx, network): everything disallowed, retried after this.
const TTL_UNREACHABLE: Duration = Duration::from_secs(10 * 60);
/// Crawl-delays above this are capped (and logged): a typo must not stall a source for days.
pub(crate) const MAX_CRAWL_DELAY: Duration = Duration::from_secs(120);

/// What fetching robots.txt produced, as the client saw it.
pub(crate) enum RobotsFetch {
    Body(Vec<u8>),
    /// 4xx (or too many redirects).
    Missing,
    /// 5xx or network failure, with the reason.
    Unreachable(String),
}

#[derive(Debug, Clone)]
struct Entry {
    /// The rules, or why robots.txt could not be read (then nothing may be crawled).
    robots: Result<Arc<Robots>, String>,
    expires: Instant,
}

/// The per-origin cache; one async lock per origin so concurrent fetches wait for one read.
#[derive(Debug)]
pub(crate) struct RobotsCache {
    token: String,
    origins: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Option<Entry>>>>>,
}

/// The product token robots.txt groups are matched against: "factdiff" for
/// "factdiff/0.1 (+https://…)".
pub(crate) fn product_token(user_agent: &str) -> String {
    let t: String = user_agent
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if t.is_empty() { "*".into() } else { t }
}

impl RobotsCache {
    pub(crate) fn new(user_agent: &str) -> Self {
        Self {
            token: product_token(user_agent),
            origins: Mutex::new(HashMap::new()),
        }
    }

    /// The rules for `origin` ("https://host:port"), fetching them with `load` when the
    /// cache has none or they expired; `Err(reason)` while robots.txt is unreachable.
    pub(crate) async fn rules<F, Fut>(&self, origin: &str, load: F) -> Result<Arc<Robots>, String>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = RobotsFetch>,
    {
        let slot = {
            let mut m = self
                .origins
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            m.entry(origin.to_string()).or_default().clone()
        };
        let mut guard = slot.lock().await;
        if let Some(e) = guard.as_ref()
            && e.expires > Instant::now()
        {
            return e.robots.clone();
        }
        let (robots, ttl) = match load().await {
            RobotsFetch::Body(b) => (
                Ok(Arc::new(Robots::from_access(
                    AccessResult::Successful(&b),
                    self.token.as_str(),
                ))),
                TTL_OK,
            ),
            RobotsFetch::Missing => (Ok(Arc::new(Robots::allow_all())), TTL_MISSING),
            RobotsFetch::Unreachable(why) => (Err(why), TTL_UNREACHABLE),
        };
        *guard = Some(Entry {
            robots: robots.clone(),
            expires: Instant::now() + ttl,
        });
        robots
    }
}

/// The path (with query) robots rules are matched against.
pub(crate) fn rule_path(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_tokens() {
        assert_eq!(product_token("factdiff/0.1 (+https://x)"), "factdiff");
        assert_eq!(product_token("My-Bot_2"), "My-Bot_2");
        assert_eq!(product_token(""), "*");
    }

    #[tokio::test]
    async fn rules_are_cached_per_origin_and_follow_rfc_outcomes() {
        let cache = RobotsCache::new("factdiff/0.1");
        let txt = b"User-agent: factdiff\nDisallow: /private\nCrawl-delay: 3\n\nUser-agent: *\nDisallow: /\n";
        let r = cache
            .rules("http://a", || async { RobotsFetch::Body(txt.to_vec()) })
            .await;
        let r = r.unwrap();
        assert!(r.is_allowed("/news/1"));
        assert!(!r.is_allowed("/private/x"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(3)));
        // Cached: the loader is not called again.
        let r2 = cache
            .rules("http://a", || async { panic!("must be cached") })
            .await
            .unwrap();
        assert!(!r2.is_allowed("/private"));
        let missing = cache
            .rules("http://b", || async { RobotsFetch::Missing })
            .await
            .unwrap();
        assert!(missing.is_allowed("/anything"));
        let down = cache
            .rules("http://c", || async {
                RobotsFetch::Unreachable("HTTP 503".into())
            })
            .await;
        assert_eq!(down.unwrap_err(), "HTTP 503");
    }
}
