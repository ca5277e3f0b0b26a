//! `WebhookReceiver`: a scriptable Standard Webhooks endpoint.
//!
//! The signature check here is written independently of the code under test on purpose.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::pages::{RawResponse, raw_response};

/// One POST (or other request) the receiver got, whatever it answered.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub method: String,
    pub path: String,
    pub id: Option<String>,
    /// `webhook-timestamp` as sent (unix seconds), if it parsed.
    pub timestamp: Option<i64>,
    pub signature: Option<String>,
    pub signature_valid: bool,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// The body as JSON, if it is JSON.
    pub json: Option<serde_json::Value>,
    /// Status the receiver answered (or will answer, if it is still delaying).
    pub answered: u16,
    pub at: Instant,
}

impl Delivery {
    pub fn succeeded(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

#[derive(Clone, Copy, Debug)]
enum Reply {
    Status(u16),
    RateLimited { retry_after_secs: u64 },
}

struct HookState {
    secret: String,
    deliveries: Vec<Delivery>,
    script: VecDeque<Reply>,
    default_status: u16,
    delay: Duration,
}

struct Running {
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

pub struct WebhookReceiver {
    addr: SocketAddr,
    state: Arc<Mutex<HookState>>,
    running: Mutex<Option<Running>>,
}

impl WebhookReceiver {
    /// Listening on 127.0.0.1 with a free port, answering 200.
    pub async fn start(secret: &str) -> Self {
        let receiver = Self::unstarted(secret);
        receiver.restart().await;
        receiver
    }

    /// A receiver whose port is chosen but which is down until [`restart`](Self::restart).
    pub fn unstarted(secret: &str) -> Self {
        let addr = super::faults::refused_addr();
        let state = HookState {
            secret: secret.to_string(),
            deliveries: Vec::new(),
            script: VecDeque::new(),
            default_status: 200,
            delay: Duration::ZERO,
        };
        Self {
            addr,
            state: Arc::new(Mutex::new(state)),
            running: Mutex::new(None),
        }
    }

    /// (Re)start on the same port. No-op if already running.
    pub async fn restart(&self) {
        if self.is_running() {
            return;
        }
        let listener = bind_retrying(self.addr).await;
        let app = Router::new()
            .fallback(handle)
            .with_state(self.state.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        *self.running.lock().unwrap() = Some(Running { shutdown: tx, task });
    }

    /// Go down: stop accepting (connections are refused) and close idle connections.
    /// Requests in flight are answered first (at most 2 s is waited for them).
    pub async fn stop(&self) {
        let running = self.running.lock().unwrap().take();
        if let Some(Running { shutdown, mut task }) = running {
            let _ = shutdown.send(());
            if tokio::time::timeout(Duration::from_secs(2), &mut task)
                .await
                .is_err()
            {
                task.abort();
                let _ = task.await;
            }
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.lock().unwrap().is_some()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// "http://127.0.0.1:PORT/hook" (any path is accepted).
    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    pub fn secret(&self) -> String {
        self.lock().secret.clone()
    }

    /// Answer the next `n` requests with `status` (e.g. 500), then go back to the default.
    pub fn fail_next(&self, n: usize, status: u16) {
        self.lock()
            .script
            .extend(std::iter::repeat_n(Reply::Status(status), n));
    }

    /// Answer the next `n` requests with 429 and `Retry-After: secs`.
    pub fn rate_limit_next(&self, n: usize, retry_after_secs: u64) {
        self.lock().script.extend(std::iter::repeat_n(
            Reply::RateLimited { retry_after_secs },
            n,
        ));
    }

    /// Status for requests not covered by a script (default 200).
    pub fn set_default_status(&self, status: u16) {
        self.lock().default_status = status;
    }

    /// Wait this long before answering each request.
    pub fn set_delay(&self, delay: Duration) {
        self.lock().delay = delay;
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.lock().deliveries.clone()
    }

    /// Deliveries answered with 2xx.
    /// The JSON `type` of every request received, in order.
    pub fn event_types(&self) -> Vec<String> {
        self.deliveries()
            .iter()
            .map(|d| {
                d.json
                    .as_ref()
                    .and_then(|j| j["type"].as_str())
                    .unwrap_or("?")
                    .to_string()
            })
            .collect()
    }

    pub fn successful(&self) -> Vec<Delivery> {
        self.deliveries()
            .into_iter()
            .filter(Delivery::succeeded)
            .collect()
    }

    /// Distinct `webhook-id`s answered with 2xx, in first-seen order (receivers dedupe on it).
    pub fn delivered_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        for d in self.successful() {
            if let Some(id) = d.id
                && !ids.contains(&id)
            {
                ids.push(id);
            }
        }
        ids
    }

    pub fn clear(&self) {
        self.lock().deliveries.clear();
    }

    /// Wait until at least `n` deliveries were recorded (or `timeout`); returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Delivery> {
        super::eventually(timeout, || self.lock().deliveries.len() >= n).await;
        self.deliveries()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HookState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        if let Some(running) = self.running.get_mut().ok().and_then(Option::take) {
            running.task.abort();
        }
    }
}

/// Binding right after a stop can briefly fail; retry for up to 2 s.
async fn bind_retrying(addr: SocketAddr) -> TcpListener {
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        match TcpListener::bind(addr).await {
            Ok(l) => return l,
            Err(e) if Instant::now() >= deadline => {
                panic!("cannot bind webhook receiver on {addr}: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

async fn handle(
    State(state): State<Arc<Mutex<HookState>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let get = |name: &str| {
        headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let (id, ts_raw, signature) = (
        get("webhook-id"),
        get("webhook-timestamp"),
        get("webhook-signature"),
    );
    let (reply, delay) = {
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        let reply = st
            .script
            .pop_front()
            .unwrap_or(Reply::Status(st.default_status));
        let signature_valid = match (&id, &ts_raw, &signature) {
            (Some(id), Some(ts), Some(sig)) => signature_matches(&st.secret, id, ts, &body, sig),
            _ => false,
        };
        let answered = match reply {
            Reply::Status(s) => s,
            Reply::RateLimited { .. } => 429,
        };
        st.deliveries.push(Delivery {
            method: method.to_string(),
            path: uri.path().to_string(),
            id: id.clone(),
            timestamp: ts_raw.as_deref().and_then(|t| t.trim().parse().ok()),
            signature: signature.clone(),
            signature_valid,
            content_type: get("content-type"),
            json: serde_json::from_slice(&body).ok(),
            body: body.to_vec(),
            answered,
            at: Instant::now(),
        });
        (reply, st.delay)
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    match reply {
        Reply::Status(status) => raw_response(&RawResponse::new(status)),
        Reply::RateLimited { retry_after_secs } => raw_response(
            &RawResponse::new(429).header("retry-after", &retry_after_secs.to_string()),
        ),
    }
}

/// `"v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>"`; key = secret bytes, or the
/// base64-decoded rest of a `whsec_` secret.
pub fn expected_signature(secret: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = match secret.strip_prefix("whsec_") {
        Some(b64) => STANDARD
            .decode(b64)
            .unwrap_or_else(|_| secret.as_bytes().to_vec()),
        None => secret.as_bytes().to_vec(),
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn signature_matches(secret: &str, id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let expected = expected_signature(secret, id, timestamp, body);
    header.split(' ').any(|s| s == expected)
}
