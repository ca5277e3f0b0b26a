//! `PageServer`: serves a mutable map path → (status, headers, body).

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::net::TcpListener;

use super::faults;

/// A response served exactly as given (no automatic validators or 304).
#[derive(Clone, Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }
    pub fn html(body: impl Into<Vec<u8>>) -> Self {
        Self::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(body)
    }
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query, e.g. "/a?b=1".
    pub path: String,
    /// Lower-case names.
    pub headers: Vec<(String, String)>,
    pub at: Instant,
}

impl RecordedRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug)]
struct Page {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    etag: String,
    last_modified: SystemTime,
    conditional: bool,
}

#[derive(Clone, Debug)]
enum Entry {
    Page(Page),
    Raw(RawResponse),
}

#[derive(Default)]
struct PageState {
    entries: HashMap<String, Entry>,
    requests: Vec<RecordedRequest>,
}

/// Cheap to clone; all clones share the same pages and request log.
#[derive(Clone)]
pub struct PageServer {
    addr: SocketAddr,
    state: Arc<Mutex<PageState>>,
}

impl PageServer {
    /// Start on 127.0.0.1 with a free port.
    pub async fn start() -> Self {
        Self::start_on(IpAddr::V4(Ipv4Addr::LOCALHOST)).await
    }

    /// Start on another loopback address, e.g. 127.0.0.2 (a "different host").
    pub async fn start_on(ip: IpAddr) -> Self {
        let listener = TcpListener::bind((ip, 0)).await.expect("bind page server");
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(PageState::default()));
        let app = Router::new().fallback(handle).with_state(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, state }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// "http://127.0.0.1:PORT" + path (path starts with '/').
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Serve `html` (UTF-8, 200) with automatic ETag / Last-Modified / 304.
    pub fn set_page(&self, path: &str, html: &str) {
        self.set_body(path, "text/html; charset=utf-8", html.as_bytes());
    }

    /// Like `set_page` with any content type and bytes. A changed body gets a new ETag and a
    /// Last-Modified at least one second later than the previous one.
    pub fn set_body(&self, path: &str, content_type: &str, body: &[u8]) {
        let mut st = self.lock();
        let previous = match st.entries.get(path) {
            Some(Entry::Page(p)) => Some(p.clone()),
            _ => None,
        };
        let etag = etag_of(body);
        let last_modified = match &previous {
            Some(p) if p.etag == etag => p.last_modified,
            Some(p) => {
                whole_seconds(SystemTime::now()).max(p.last_modified + Duration::from_secs(1))
            }
            None => whole_seconds(SystemTime::now()),
        };
        let page = Page {
            status: 200,
            content_type: content_type.to_string(),
            body: body.to_vec(),
            etag,
            last_modified,
            conditional: previous.as_ref().is_none_or(|p| p.conditional),
        };
        st.entries.insert(path.to_string(), Entry::Page(page));
    }

    /// Change the status of a path, keeping its body (an unknown path gets an empty body).
    pub fn set_status(&self, path: &str, status: u16) {
        let mut st = self.lock();
        match st.entries.get_mut(path) {
            Some(Entry::Page(p)) => p.status = status,
            Some(Entry::Raw(r)) => r.status = status,
            None => {
                let raw =
                    RawResponse::new(status).header("content-type", "text/html; charset=utf-8");
                st.entries.insert(path.to_string(), Entry::Raw(raw));
            }
        }
    }

    /// Serve exactly this response.
    pub fn set_raw(&self, path: &str, response: RawResponse) {
        self.lock()
            .entries
            .insert(path.to_string(), Entry::Raw(response));
    }

    /// Turn automatic ETag / Last-Modified / 304 off (or on) for a page.
    pub fn set_conditional(&self, path: &str, enabled: bool) {
        if let Some(Entry::Page(p)) = self.lock().entries.get_mut(path) {
            p.conditional = enabled;
        }
    }

    /// Forget a path (it answers 404 again, or its fault route if it has one).
    pub fn remove(&self, path: &str) {
        self.lock().entries.remove(path);
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// Requests whose path (without query) is `path`.
    pub fn requests_to(&self, path: &str) -> Vec<RecordedRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.path.split('?').next() == Some(path))
            .cloned()
            .collect()
    }

    pub fn request_count(&self, path: &str) -> usize {
        self.requests_to(path).len()
    }

    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PageState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn handle(State(state): State<Arc<Mutex<PageState>>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let recorded = RecordedRequest {
        method: req.method().to_string(),
        path: req
            .uri()
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_else(|| path.clone()),
        headers: req
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        at: Instant::now(),
    };
    let entry = {
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        st.requests.push(recorded.clone());
        st.entries.get(&path).cloned()
    };
    match entry {
        Some(Entry::Raw(raw)) => raw_response(&raw),
        Some(Entry::Page(page)) => page_response(&page, &recorded),
        None => match faults::route(&path).await {
            Some(response) => response,
            None => raw_response(
                &RawResponse::new(404)
                    .header("content-type", "text/plain")
                    .body("not found"),
            ),
        },
    }
}

fn page_response(page: &Page, req: &RecordedRequest) -> Response {
    let mut builder = Response::builder()
        .status(page.status)
        .header(header::CONTENT_TYPE, &page.content_type);
    if page.conditional && page.status == 200 {
        let last_modified = httpdate::fmt_http_date(page.last_modified);
        builder = builder
            .header(header::ETAG, &page.etag)
            .header(header::LAST_MODIFIED, &last_modified);
        let not_modified = match (req.header("if-none-match"), req.header("if-modified-since")) {
            (Some(inm), _) => inm
                .split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == "*" || t == page.etag),
            (None, Some(ims)) => {
                httpdate::parse_http_date(ims).is_ok_and(|since| page.last_modified <= since)
            }
            (None, None) => false,
        };
        if not_modified {
            return builder
                .status(StatusCode::NOT_MODIFIED)
                .body(Body::empty())
                .unwrap();
        }
    }
    builder.body(Body::from(page.body.clone())).unwrap()
}

pub(crate) fn raw_response(raw: &RawResponse) -> Response {
    let mut response = Response::new(Body::from(raw.body.clone()));
    *response.status_mut() = StatusCode::from_u16(raw.status).expect("valid status");
    for (k, v) in &raw.headers {
        let name = header::HeaderName::from_bytes(k.as_bytes()).expect("valid header name");
        response
            .headers_mut()
            .append(name, HeaderValue::from_str(v).expect("valid header value"));
    }
    response
}

fn etag_of(body: &[u8]) -> String {
    let mut h = DefaultHasher::new();
    body.hash(&mut h);
    format!("\"{:016x}\"", h.finish())
}

fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}
