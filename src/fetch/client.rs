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
use super::content::{declared_textual, is_html, looks_binary};
use super::politeness::HostSlots;
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
    /// next request to the same host; requests to one host are sent one at a time. 0 = off.
    pub per_host_delay: Duration,
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
    client: reqwest::Client,
    settings: FetchSettings,
    hosts: HostSlots,
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
        let max = settings.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            // `previous` starts with the original URL.
            if attempt.previous().iter().any(|u| u == attempt.url()) {
                let url = attempt.url().to_string();
                attempt.error(RedirectLoop(url))
            } else if attempt.previous().len() > max {
                attempt.error(RedirectLimit)
            } else {
                attempt.follow()
            }
        });
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(ACCEPT_VALUE));
        let client = reqwest::Client::builder()
            .user_agent(settings.user_agent.clone())
            .default_headers(headers)
            .timeout(settings.timeout)
            .connect_timeout(settings.connect_timeout)
            .redirect(policy)
            .build()
            .map_err(|e| FetchError::Other {
                message: format!("could not build HTTP client: {}", chain(&e)),
            })?;
        let hosts = HostSlots::new(settings.per_host_delay);
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                settings,
                hosts,
            }),
        })
    }

    pub fn settings(&self) -> &FetchSettings {
        &self.inner.settings
    }

    /// GET `url`, conditionally if `validators` has any. Never panics.
    pub async fn fetch(&self, url: &str, validators: &Validators) -> Outcome {
        let started = std::time::Instant::now();
        let result = AssertUnwindSafe(self.try_fetch(url, validators))
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
            Outcome::Failed(e) => {
                tracing::debug!(url, kind = e.kind(), error = %e, elapsed_ms, "fetch failed")
            }
        }
        outcome
    }

    async fn try_fetch(&self, url: &str, validators: &Validators) -> Result<Outcome, FetchError> {
        let settings = &self.inner.settings;
        let parsed = parse_url(url)?;
        let turn = self
            .inner
            .hosts
            .wait_turn(parsed.host_str().unwrap_or_default())
            .await;

        let mut request = self.inner.client.get(parsed);
        if let Some(etag) = &validators.etag {
            request = with_header(request, IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = with_header(request, IF_MODIFIED_SINCE, lm);
        }
        let mut response = request.send().await.map_err(|e| self.map_error(&e))?;
        drop(turn); // headers are in: the host's next delay starts now

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
        if !declared_textual(content_type.as_deref()) {
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
        while let Some(chunk) = response.chunk().await.map_err(|e| self.map_error(&e))? {
            if raw.len() as u64 + chunk.len() as u64 > settings.max_body {
                return Err(FetchError::BodyTooLarge {
                    limit: settings.max_body,
                });
            }
            raw.extend_from_slice(&chunk);
        }

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

    fn map_error(&self, e: &reqwest::Error) -> FetchError {
        let s = &self.inner.settings;
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
