//! The one HTTP client: [`Fetcher`].

use std::error::Error as StdError;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::FutureExt;
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, ETAG, HeaderMap, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, RETRY_AFTER,
};
use url::Url;

use super::charset::decode_body;
use super::content::{declared_textual, is_gzip, is_html, looks_binary};
use super::guard::{GuardPolicy, GuardedResolver, Refused};
use super::politeness::HostSlots;
use super::robots::{MAX_CRAWL_DELAY, RobotsCache, RobotsFetch, rule_path};
use super::{FetchError, Fetched, Outcome, Validators};

const ACCEPT_VALUE: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5";

#[derive(Debug, Clone)]
pub struct FetchSettings {
    pub user_agent: String,
    /// Whole request: connect, headers and body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Cap in bytes on the body *after* decompression.
    pub max_body: u64,
    pub max_redirects: usize,
    /// Minimum time from one request's response headers (or failure) to the start of the
    /// next request to the same host. 0 = off.
    pub per_host_delay: Duration,
    /// Requests in flight to one host at most.
    pub per_host_concurrency: usize,
    /// Requests in flight in all at most.
    pub concurrency: usize,
    /// Honour robots.txt (for the product token of `user_agent`).
    pub robots: bool,
    /// The SSRF guard applied by [`Fetcher::fetch_discovered`].
    pub guard: GuardPolicy,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            user_agent: concat!("factdiff/", env!("CARGO_PKG_VERSION")).to_string(),
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            max_body: 10_000_000,
            max_redirects: 10,
            per_host_delay: Duration::from_secs(2),
            per_host_concurrency: 1,
            concurrency: 16,
            robots: true,
            guard: GuardPolicy::default(),
        }
    }
}

/// Cheap to clone: all clones share one connection pool and one per-host schedule.
#[derive(Clone, Debug)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// For configured URLs (trusted).
    client: reqwest::Client,
    /// For URLs discovered in feeds and sitemaps: guarded resolver and redirect policy.
    guarded: reqwest::Client,
    settings: FetchSettings,
    hosts: HostSlots,
    robots: RobotsCache,
    global: tokio::sync::Semaphore,
    /// Politeness shared with other workers (PostgreSQL store), on top of this process's.
    shared: Option<Arc<dyn SharedTurns>>,
}

/// Per-host limits shared by several processes (e.g. workers on one database). Blocking
/// calls; the fetcher runs them on the blocking pool. An error answer (`None` /
/// [`SharedSlot::Unavailable`]) lets the request go on under the in-process limits alone.
pub trait SharedTurns: Send + Sync + std::fmt::Debug {
    /// Takes one of `limit` concurrent-request slots of `host`, for at most `hold`.
    fn take_slot(&self, host: &str, limit: usize, hold: std::time::Duration) -> SharedSlot;
    /// Gives the slot back; the host's next start moves to at least `spacing` from now.
    fn release_slot(&self, host: &str, slot: i64, spacing: std::time::Duration);
    /// Reserves the next start of a request to `host`, `spacing` after the previous one
    /// among all processes, and returns how long to wait for it.
    fn reserve(&self, host: &str, spacing: std::time::Duration) -> Option<std::time::Duration>;
    /// No request to `host` from any process for `pause` (a Retry-After).
    fn pause(&self, host: &str, pause: std::time::Duration);
}

/// The answer of [`SharedTurns::take_slot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SharedSlot {
    Taken(i64),
    /// All of the host's slots are in use by some process: ask again shortly.
    Busy,
    Unavailable,
}

/// A shared host slot, given back when dropped (response headers in, or the request failed).
struct SharedSlotGuard {
    shared: Arc<dyn SharedTurns>,
    host: String,
    slot: i64,
    spacing: std::time::Duration,
}

impl SharedSlotGuard {
    /// Gives the slot back and waits until it is.
    async fn release(mut self) {
        let (shared, host, slot) = (
            self.shared.clone(),
            std::mem::take(&mut self.host),
            self.slot,
        );
        let spacing = self.spacing;
        self.slot = -1; // released here, not again on drop
        let _ =
            tokio::task::spawn_blocking(move || shared.release_slot(&host, slot, spacing)).await;
    }
}

/// A request that failed before its headers: the slot goes back in the background.
impl Drop for SharedSlotGuard {
    fn drop(&mut self) {
        if self.slot < 0 {
            return;
        }
        let (shared, host, slot) = (
            self.shared.clone(),
            std::mem::take(&mut self.host),
            self.slot,
        );
        let spacing = self.spacing;
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn_blocking(move || shared.release_slot(&host, slot, spacing));
        } else {
            shared.release_slot(&host, slot, spacing);
        }
    }
}

/// How often a request waiting for a busy host's shared slot asks again.
const SHARED_SLOT_POLL: std::time::Duration = std::time::Duration::from_millis(15);

/// Which client, and so which trust, a fetch uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    Configured,
    Discovered,
}

/// Raised from the redirect policy; found again in the reqwest error's source chain.
#[derive(Debug)]
struct RedirectLoop(String);
impl std::fmt::Display for RedirectLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "redirect loop at {}", self.0)
    }
}
impl StdError for RedirectLoop {}

#[derive(Debug)]
struct RedirectLimit;
impl std::fmt::Display for RedirectLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("too many redirects")
    }
}
impl StdError for RedirectLimit {}

impl Fetcher {
    pub fn new(settings: FetchSettings) -> Result<Self, FetchError> {
        Self::with_shared_turns(settings, None)
    }

    /// A fetcher whose per-host delay also holds across the processes `shared` coordinates.
    pub fn with_shared_turns(
        settings: FetchSettings,
        shared: Option<Arc<dyn SharedTurns>>,
    ) -> Result<Self, FetchError> {
        let client = build_client(&settings, None)?;
        let guarded = build_client(&settings, Some(Arc::new(settings.guard.clone())))?;
        let hosts = HostSlots::new(settings.per_host_delay, settings.per_host_concurrency);
        let robots = RobotsCache::new(&settings.user_agent);
        let global = tokio::sync::Semaphore::new(settings.concurrency.max(1));
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                guarded,
                settings,
                hosts,
                robots,
                global,
                shared,
            }),
        })
    }

    /// Waits for one of the host's concurrency slots shared with other processes (none when
    /// the fetcher is not shared, or the coordination is unavailable).
    async fn shared_slot(&self, host: &str) -> Option<SharedSlotGuard> {
        let shared = self.inner.shared.clone()?;
        let limit = self.inner.settings.per_host_concurrency;
        let hold = self.inner.settings.timeout + std::time::Duration::from_secs(10);
        loop {
            let (s, h) = (shared.clone(), host.to_string());
            let got = tokio::task::spawn_blocking(move || s.take_slot(&h, limit, hold))
                .await
                .unwrap_or(SharedSlot::Unavailable);
            match got {
                SharedSlot::Taken(slot) => {
                    return Some(SharedSlotGuard {
                        shared,
                        host: host.to_string(),
                        slot,
                        spacing: self.inner.hosts.spacing(host),
                    });
                }
                SharedSlot::Unavailable => return None,
                SharedSlot::Busy => {
                    tokio::time::sleep(SHARED_SLOT_POLL.mul_f64(0.5 + fastrand::f64())).await
                }
            }
        }
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.inner.settings
    }

    /// GET a configured `url`, conditionally if `validators` has any. Never panics.
    pub async fn fetch(&self, url: &str, validators: &Validators) -> Outcome {
        self.fetch_as(url, validators, Trust::Configured).await
    }

    /// GET a URL found in a feed or sitemap: as [`Fetcher::fetch`], behind the SSRF guard.
    pub async fn fetch_discovered(&self, url: &str, validators: &Validators) -> Outcome {
        self.fetch_as(url, validators, Trust::Discovered).await
    }

    async fn fetch_as(&self, url: &str, validators: &Validators, trust: Trust) -> Outcome {
        let started = std::time::Instant::now();
        let result = AssertUnwindSafe(self.try_fetch(url, validators, trust))
            .catch_unwind()
            .await;
        let outcome = match result {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(error)) => Outcome::Failed(error),
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                Outcome::Failed(FetchError::Other {
                    message: format!("internal error while fetching: {what}"),
                })
            }
        };
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &outcome {
            Outcome::New(f) => tracing::debug!(
                url,
                status = f.status,
                bytes = f.raw.len(),
                elapsed_ms,
                "fetched"
            ),
            Outcome::NotModified => tracing::debug!(url, elapsed_ms, "not modified"),
            Outcome::Gone { status } => tracing::debug!(url, status, elapsed_ms, "gone"),
            Outcome::Failed(e @ FetchError::Refused { .. }) => {
                tracing::warn!(url, kind = e.kind(), error = %e, "discovered URL refused")
            }
            Outcome::Failed(e) => {
                tracing::debug!(url, kind = e.kind(), error = %e, elapsed_ms, "fetch failed")
            }
        }
        outcome
    }

    async fn try_fetch(
        &self,
        url: &str,
        validators: &Validators,
        trust: Trust,
    ) -> Result<Outcome, FetchError> {
        let settings = &self.inner.settings;
        let parsed = parse_url(url)?;
        if trust == Trust::Discovered {
            settings
                .guard
                .check_url(&parsed)
                .map_err(|r| refused(url, &r))?;
        }
        let host = parsed.host_str().unwrap_or_default().to_string();
        if settings.robots && parsed.path() != "/robots.txt" {
            self.check_robots(&parsed, trust).await?;
        }
        // Host permit, then the global one, then the host's delay: once a request's start
        // is timed nothing else can hold it back, so starts reach the server in order and
        // spaced as configured.
        let slot = self.inner.hosts.slot(&host).await;
        let shared_slot = self.shared_slot(&host).await;
        let _global = self
            .inner
            .global
            .acquire()
            .await
            .expect("global semaphore never closed");
        let turn = slot.start().await;
        if let Some(shared) = self.inner.shared.clone() {
            // This process's turn is taken; now the host's turn among all workers.
            // The larger of the configured delay and robots.txt's Crawl-delay (every worker
            // reads the same robots.txt), so a Crawl-delay also spaces requests across workers.
            let (h, spacing) = (host.clone(), self.inner.hosts.spacing(&host));
            let wait = tokio::task::spawn_blocking(move || shared.reserve(&h, spacing))
                .await
                .ok()
                .flatten();
            if let Some(w) = wait.filter(|w| !w.is_zero()) {
                tracing::trace!(host = %host, wait_ms = w.as_millis() as u64, "shared per-host delay");
                tokio::time::sleep(w).await;
            }
        }

        let client = match trust {
            Trust::Configured => &self.inner.client,
            Trust::Discovered => &self.inner.guarded,
        };
        let mut request = client.get(parsed);
        if let Some(etag) = &validators.etag {
            request = with_header(request, IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = with_header(request, IF_MODIFIED_SINCE, lm);
        }
        let mut response = request.send().await.map_err(|e| self.map_error(&e, url))?;
        // Headers are in: the shared slot goes back first (it moves the host's next start
        // for every worker), then this process's turn, so the next local request to the host
        // never finds the shared slot still taken by this one and has to poll for it.
        if let Some(s) = shared_slot {
            s.release().await;
        }
        drop(turn); // the host's next delay starts now

        let status = response.status().as_u16();
        match status {
            304 => return Ok(Outcome::NotModified),
            404 | 410 => return Ok(Outcome::Gone { status }),
            200..=299 => {}
            _ => {
                let retry_after = if status == 429 || status == 503 {
                    header_str(response.headers(), &RETRY_AFTER)
                        .and_then(|v| parse_retry_after(&v, SystemTime::now()))
                } else {
                    None
                };
                if let Some(d) = retry_after {
                    // The whole host is told to wait, not just this URL, and by every worker.
                    self.inner.hosts.pause(&host, d);
                    if let Some(shared) = self.inner.shared.clone() {
                        let h = host.clone();
                        let _ = tokio::task::spawn_blocking(move || shared.pause(&h, d)).await;
                    }
                }
                return Err(FetchError::HttpStatus {
                    status,
                    retry_after,
                });
            }
        }

        let headers = response.headers();
        let content_type = header_str(headers, &CONTENT_TYPE);
        let new_validators = Validators {
            etag: header_str(headers, &ETAG),
            last_modified: header_str(headers, &LAST_MODIFIED),
        };
        let gzip_type = content_type.as_deref().is_some_and(is_gzip);
        if !declared_textual(content_type.as_deref()) && !gzip_type {
            return Err(FetchError::NotText { content_type });
        }
        // Only known when the body is not compressed (reqwest drops it when decoding).
        if response
            .content_length()
            .is_some_and(|n| n > settings.max_body)
        {
            return Err(FetchError::BodyTooLarge {
                limit: settings.max_body,
            });
        }
        let final_url = response.url().to_string();

        let mut raw = Vec::with_capacity(
            response
                .content_length()
                .unwrap_or(0)
                .min(settings.max_body)
                .min(1 << 20) as usize,
        );
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.map_error(&e, url))?
        {
            if raw.len() as u64 + chunk.len() as u64 > settings.max_body {
                return Err(FetchError::BodyTooLarge {
                    limit: settings.max_body,
                });
            }
            raw.extend_from_slice(&chunk);
        }

        // A gzip file served as such (sitemap.xml.gz), not as a Content-Encoding.
        if gzip_type && !raw.starts_with(b"\x1f\x8b") {
            return Err(FetchError::NotText { content_type });
        }
        let (raw, content_type) = if raw.starts_with(b"\x1f\x8b") {
            (gunzip(&raw, settings.max_body)?, None)
        } else {
            (raw, content_type)
        };
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Err(FetchError::Empty);
        }
        if looks_binary(&raw, content_type.as_deref()) {
            return Err(FetchError::NotText { content_type });
        }
        let (body_text, charset) = decode_body(&raw, content_type.as_deref());
        let is_html = is_html(content_type.as_deref(), &body_text);
        Ok(Outcome::New(Fetched {
            final_url,
            status,
            content_type,
            body_text,
            raw,
            charset,
            validators: new_validators,
            is_html,
        }))
    }

    /// Refuses `url` when robots.txt disallows it for us; applies its Crawl-delay.
    async fn check_robots(&self, url: &Url, trust: Trust) -> Result<(), FetchError> {
        let origin = url.origin().ascii_serialization();
        let host = url.host_str().unwrap_or_default().to_string();
        let rules = self
            .inner
            .robots
            .rules(&origin, || self.load_robots(&origin, &host, trust))
            .await
            .map_err(|reason| FetchError::RobotsUnavailable { reason })?;
        if !rules.is_allowed(&rule_path(url)) {
            return Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
            });
        }
        Ok(())
    }

    async fn load_robots(&self, origin: &str, host: &str, trust: Trust) -> RobotsFetch {
        let url = format!("{origin}/robots.txt");
        let outcome = match Box::pin(self.try_fetch(&url, &Validators::default(), trust)).await {
            Ok(Outcome::Failed(e)) => Err(e),
            other => other,
        };
        let fetched = match outcome {
            Ok(Outcome::New(f)) => RobotsFetch::Body(f.raw),
            Ok(Outcome::Gone { .. }) => RobotsFetch::Missing,
            Ok(Outcome::NotModified) => RobotsFetch::Missing,
            Err(FetchError::HttpStatus { status, .. }) if (400..500).contains(&status) => {
                RobotsFetch::Missing
            }
            Err(FetchError::TooManyRedirects { .. } | FetchError::Empty) => RobotsFetch::Missing,
            Err(FetchError::NotText { .. }) => RobotsFetch::Missing,
            Ok(Outcome::Failed(e)) | Err(e) => {
                tracing::warn!(url, error = %e, "robots.txt unreachable: not crawling this host for now");
                RobotsFetch::Unreachable(e.to_string())
            }
        };
        if let RobotsFetch::Body(b) = &fetched {
            let token = super::robots::product_token(&self.inner.settings.user_agent);
            let r =
                robotxt::Robots::from_access(robotxt::AccessResult::Successful(b), token.as_str());
            if let Some(d) = r.crawl_delay() {
                if d > MAX_CRAWL_DELAY {
                    tracing::warn!(
                        host,
                        crawl_delay_s = d.as_secs(),
                        "capping robots.txt Crawl-delay"
                    );
                }
                self.inner.hosts.set_floor(host, d.min(MAX_CRAWL_DELAY));
            }
        }
        fetched
    }

    fn map_error(&self, e: &reqwest::Error, url: &str) -> FetchError {
        let s = &self.inner.settings;
        if let Some(r) = find_source::<Refused>(e) {
            return refused(url, r);
        }
        if e.is_redirect() {
            if let Some(l) = find_source::<RedirectLoop>(e) {
                return FetchError::RedirectLoop { url: l.0.clone() };
            }
            return FetchError::TooManyRedirects {
                limit: s.max_redirects,
            };
        }
        if e.is_timeout() {
            let connecting = e.is_connect();
            let after = if connecting {
                s.connect_timeout.min(s.timeout)
            } else {
                s.timeout
            };
            return FetchError::Timeout { after, connecting };
        }
        if e.is_connect() {
            return FetchError::Connect { message: chain(e) };
        }
        if e.is_decode() {
            return FetchError::Decode { message: chain(e) };
        }
        if e.is_builder() {
            return FetchError::InvalidUrl {
                url: e.url().map(|u| u.to_string()).unwrap_or_default(),
                reason: chain(e),
            };
        }
        FetchError::Io { message: chain(e) }
    }
}

fn refused(url: &str, r: &Refused) -> FetchError {
    FetchError::Refused {
        url: url.to_string(),
        reason: r.to_string(),
    }
}

/// The two clients differ only in trust: the guarded one resolves names through the guard
/// and checks every redirect hop.
fn build_client(
    settings: &FetchSettings,
    guard: Option<Arc<GuardPolicy>>,
) -> Result<reqwest::Client, FetchError> {
    let max = settings.max_redirects;
    let hop_guard = guard.clone();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        // `previous` starts with the original URL.
        if attempt.previous().iter().any(|u| u == attempt.url()) {
            let url = attempt.url().to_string();
            attempt.error(RedirectLoop(url))
        } else if attempt.previous().len() > max {
            attempt.error(RedirectLimit)
        } else if let Some(Err(r)) = hop_guard.as_ref().map(|g| g.check_url(attempt.url())) {
            tracing::warn!(to = %attempt.url(), "redirect refused: {r}");
            attempt.error(r)
        } else {
            attempt.follow()
        }
    });
    let mut headers = HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE));
    let mut builder = reqwest::Client::builder()
        .user_agent(settings.user_agent.clone())
        .default_headers(headers)
        .timeout(settings.timeout)
        .connect_timeout(settings.connect_timeout)
        .pool_max_idle_per_host(settings.per_host_concurrency.max(1))
        .redirect(policy);
    if let Some(policy) = guard {
        builder = builder.dns_resolver(Arc::new(GuardedResolver { policy }));
    }
    builder.build().map_err(|e| FetchError::Other {
        message: format!("could not build HTTP client: {}", chain(&e)),
    })
}

/// Decompresses a gzip body, refusing to grow beyond `limit` (a gzip bomb is just data).
fn gunzip(raw: &[u8], limit: u64) -> Result<Vec<u8>, FetchError> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut dec = flate2::read::GzDecoder::new(raw).take(limit + 1);
    dec.read_to_end(&mut out).map_err(|e| FetchError::Decode {
        message: format!("invalid gzip body: {e}"),
    })?;
    if out.len() as u64 > limit {
        return Err(FetchError::BodyTooLarge { limit });
    }
    Ok(out)
}

fn parse_url(url: &str) -> Result<Url, FetchError> {
    let invalid = |reason: String| FetchError::InvalidUrl {
        url: url.to_string(),
        reason,
    };
    let parsed = Url::parse(url.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "unsupported scheme {:?} (only http and https)",
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host".into()));
    }
    Ok(parsed)
}

fn with_header(
    request: reqwest::RequestBuilder,
    name: reqwest::header::HeaderName,
    value: &str,
) -> reqwest::RequestBuilder {
    match HeaderValue::from_str(value) {
        Ok(v) => request.header(name, v),
        Err(_) => {
            tracing::warn!(header = %name, value, "ignoring stored validator that is not a valid header value");
            request
        }
    }
}

fn header_str(headers: &HeaderMap, name: &reqwest::header::HeaderName) -> Option<String> {
    let v = headers.get(name)?;
    let s = String::from_utf8_lossy(v.as_bytes()).trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` (a past date → 0).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(Duration::from_secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn find_source<'a, T: StdError + 'static>(e: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<T>() {
            return Some(t);
        }
        cur = err.source();
    }
    None
}

/// The informative end of an error's cause chain, e.g. "tcp connect error: Connection refused
/// (os error 111)", without reqwest's "error sending request for url (…)" and hyper's wrappers.
fn chain(e: &(dyn StdError + 'static)) -> String {
    const WRAPPERS: [&str; 4] = [
        "error sending request",
        "client error (",
        "operation was canceled",
        "request or response body error",
    ];
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = cur {
        let msg = err.to_string();
        if !msg.is_empty() && !parts.contains(&msg) {
            parts.push(msg);
        }
        cur = err.source();
    }
    let informative: Vec<&String> = parts
        .iter()
        .filter(|p| !WRAPPERS.iter().any(|w| p.starts_with(w)))
        .collect();
    match informative.len() {
        0 => parts.join(": "),
        n => informative[n.saturating_sub(2)..]
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(": "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:29:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
    }

    #[test]
    fn urls_are_checked() {
        assert!(parse_url("https://example.org/a?b").is_ok());
        for bad in ["ftp://example.org/", "not a url", "file:///etc/passwd", ""] {
            let err = parse_url(bad).unwrap_err();
            assert_eq!(err.kind(), "invalid_url", "{bad}");
        }
    }
}
