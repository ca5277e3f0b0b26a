//! Access and hardening: the bearer token (`web.token`) guards the API and the pages, a
//! separate read-only feed token may ride in feed URLs (`?token=`, since feed readers cannot
//! send headers), and every response carries the security headers.
//!
//! Browsers cannot add an `Authorization` header to a link either, so `/login` trades the
//! token for an `HttpOnly`, `SameSite=Strict` cookie holding it.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

pub const COOKIE: &str = "factdiff_token";

/// No inline script or style anywhere: scripts and styles come from `/static/` only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Compares without an early exit, so timing does not reveal how much of a guess was right.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name)?.strip_prefix('='))
}

/// The request's token (header first, then the login cookie).
fn presented(headers: &HeaderMap) -> Option<&str> {
    bearer(headers).or_else(|| cookie(headers, COOKIE))
}

fn unauthorized(path: &str) -> Response {
    let mut r = if path.starts_with("/api/") || path.starts_with("/feeds/") {
        (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({ "error": {
                "status": 401, "code": "unauthorized",
                "message": "this server needs a token: send `Authorization: Bearer <web.token>`"
            }})),
        )
            .into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            axum::response::Html(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Token needed</title>\
                 <link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main>\
                 <h1>Token needed</h1><p>This factdiff server needs its token. \
                 <a href=\"/login\">Sign in with the token</a>.</p></main></body></html>",
            ),
        )
            .into_response()
    };
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"factdiff\""),
    );
    r
}

/// API and pages: the token when one is configured.
pub async fn require_token(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(token) = &state.token
        && !presented(req.headers()).is_some_and(|t| same_secret(t, token))
    {
        return unauthorized(req.uri().path());
    }
    next.run(req).await
}

/// The `token` query parameter of a feed URL.
fn query_token(req: &Request) -> Option<String> {
    url::form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// Feeds: open when no token is configured; else the main token (header or cookie), or the
/// feed token or main token in `?token=`.
pub async fn require_feed_token(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let tokens: Vec<&String> = [&state.token, &state.feed_token]
        .into_iter()
        .flatten()
        .collect();
    if !tokens.is_empty() {
        let by_header = presented(req.headers())
            .zip(state.token.as_ref())
            .is_some_and(|(t, main)| same_secret(t, main));
        let by_query = query_token(&req).is_some_and(|q| tokens.iter().any(|t| same_secret(&q, t)));
        if !by_header && !by_query {
            return unauthorized(req.uri().path());
        }
    }
    next.run(req).await
}

/// Security headers on every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler may set a stricter policy (the raw page is sandboxed).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// `POST /login` with `token=…` (a form): sets the cookie when the token is right.
pub async fn login_submit(State(state): State<Arc<AppState>>, body: String) -> Response {
    let given = url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    match &state.token {
        Some(t) if same_secret(given.trim(), t) => {
            // Tokens are configured by the operator; refuse anything that could break the header.
            let Ok(cookie) = HeaderValue::from_str(&format!(
                "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                given.trim()
            )) else {
                return (
                    StatusCode::BAD_REQUEST,
                    "token cannot be stored in a cookie",
                )
                    .into_response();
            };
            let mut r = (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response();
            r.headers_mut().insert(header::SET_COOKIE, cookie);
            r
        }
        Some(_) => unauthorized("/login"),
        None => (StatusCode::SEE_OTHER, [(header::LOCATION, "/")]).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_cookies() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd") && !same_secret("abc", "ab"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; factdiff_token=s3cret"),
        );
        assert_eq!(presented(&h), Some("s3cret"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer tok"),
        );
        assert_eq!(presented(&h), Some("tok"));
    }
}
