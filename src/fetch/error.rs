//! Why a fetch failed. Cloneable and serialisable as text (`Display`) so it can be stored.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("timed out after {}{}", fmt_duration(*after), if *connecting { " while connecting" } else { "" })]
    Timeout { after: Duration, connecting: bool },
    #[error("could not connect: {message}")]
    Connect { message: String },
    #[error("too many redirects (more than {limit})")]
    TooManyRedirects { limit: usize },
    #[error("redirect loop: {url} redirects back to a URL already visited")]
    RedirectLoop { url: String },
    #[error("body larger than {} limit (after decompression)", fmt_bytes(*limit))]
    BodyTooLarge { limit: u64 },
    #[error("server returned HTTP {status}{}", retry_after.map(|d| format!(" (retry after {})", fmt_duration(d))).unwrap_or_default())]
    HttpStatus {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("could not decode response body: {message}")]
    Decode { message: String },
    #[error("not a text document ({})", content_type.as_deref().map(|c| format!("content type {c}")).unwrap_or_else(|| "binary content".into()))]
    NotText { content_type: Option<String> },
    #[error("server returned an empty body")]
    Empty,
    #[error("refused {url}: {reason} (a discovered URL; see fetch.allow_hosts)")]
    Refused { url: String, reason: String },
    #[error("disallowed by robots.txt: {url}")]
    RobotsDisallowed { url: String },
    #[error("robots.txt could not be read ({reason}); the host is not crawled until it can")]
    RobotsUnavailable { reason: String },
    #[error("network error: {message}")]
    Io { message: String },
    #[error("{message}")]
    Other { message: String },
}

impl FetchError {
    /// The server's Retry-After (429 / 503), if it sent one.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Stable machine-readable name, for logs, metrics and the store.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_url",
            FetchError::Timeout { .. } => "timeout",
            FetchError::Connect { .. } => "connect",
            FetchError::TooManyRedirects { .. } => "too_many_redirects",
            FetchError::RedirectLoop { .. } => "redirect_loop",
            FetchError::BodyTooLarge { .. } => "body_too_large",
            FetchError::HttpStatus { .. } => "http_status",
            FetchError::Decode { .. } => "decode",
            FetchError::NotText { .. } => "not_text",
            FetchError::Empty => "empty",
            FetchError::Refused { .. } => "refused",
            FetchError::RobotsDisallowed { .. } => "robots_disallowed",
            FetchError::RobotsUnavailable { .. } => "robots_unavailable",
            FetchError::Io { .. } => "io",
            FetchError::Other { .. } => "other",
        }
    }

    /// Worth retrying later with backoff (network trouble, 5xx, 429); permanent otherwise.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Timeout { .. }
            | FetchError::Connect { .. }
            | FetchError::Io { .. }
            | FetchError::RobotsUnavailable { .. } => true,
            FetchError::HttpStatus { status, .. } => {
                *status == 429 || *status == 408 || *status >= 500
            }
            _ => false,
        }
    }
}

/// "20s", "1.5s", "500ms".
pub(crate) fn fmt_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// "10 MB", "1.5 MB", "64 KB", "100 bytes" (decimal units, as in the config).
pub(crate) fn fmt_bytes(n: u64) -> String {
    fn unit(n: u64, size: u64, name: &str) -> String {
        if n.is_multiple_of(size) {
            format!("{} {name}", n / size)
        } else {
            format!("{:.1} {name}", n as f64 / size as f64)
        }
    }
    match n {
        n if n >= 1_000_000_000 => unit(n, 1_000_000_000, "GB"),
        n if n >= 1_000_000 => unit(n, 1_000_000, "MB"),
        n if n >= 1_000 => unit(n, 1_000, "KB"),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_problem() {
        let e = FetchError::BodyTooLarge { limit: 10_000_000 };
        assert_eq!(
            e.to_string(),
            "body larger than 10 MB limit (after decompression)"
        );
        let e = FetchError::HttpStatus {
            status: 500,
            retry_after: None,
        };
        assert_eq!(e.to_string(), "server returned HTTP 500");
        let e = FetchError::HttpStatus {
            status: 429,
            retry_after: Some(Duration::from_secs(30)),
        };
        assert_eq!(e.to_string(), "server returned HTTP 429 (retry after 30s)");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(30)));
        let e = FetchError::Timeout {
            after: Duration::from_secs(20),
            connecting: false,
        };
        assert_eq!(e.to_string(), "timed out after 20s");
        let e = FetchError::Timeout {
            after: Duration::from_millis(1500),
            connecting: true,
        };
        assert_eq!(e.to_string(), "timed out after 1.5s while connecting");
        let e = FetchError::NotText {
            content_type: Some("image/png".into()),
        };
        assert_eq!(
            e.to_string(),
            "not a text document (content type image/png)"
        );
        assert_eq!(e.kind(), "not_text");
        assert_eq!(e.retry_after(), None);
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(fmt_bytes(1_500_000), "1.5 MB");
        assert_eq!(fmt_bytes(64_000), "64 KB");
        assert_eq!(fmt_bytes(999), "999 bytes");
    }

    #[test]
    fn transient_or_permanent() {
        assert!(
            FetchError::HttpStatus {
                status: 503,
                retry_after: None
            }
            .is_transient()
        );
        assert!(
            !FetchError::HttpStatus {
                status: 403,
                retry_after: None
            }
            .is_transient()
        );
        assert!(!FetchError::Empty.is_transient());
    }
}
