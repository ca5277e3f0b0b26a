//! Review in the browser: server-rendered pages, a JSON API under `/api/v1/`, Atom feeds and
//! `/healthz`, all read-only over the [`Store`].
//!
//! - [`api`]: JSON lists (keyset cursors with a total), details, diffs, CSV / JSON-lines
//!   exports; [`openapi`] describes them.
//! - [`pages`]: HTML via askama templates (escaping on), [`diffview`] and [`charts`] build
//!   their view models as pure functions.
//! - [`feeds`]: Atom (RFC 4287) with RFC 5005 paging.
//! - [`auth`]: bearer token, read-only feed token, security headers.
//!
//! Store calls are synchronous, so handlers run them on the blocking pool; the server keeps
//! a few connections of its own (SQLite WAL lets them read while the daemon writes).

pub mod api;
pub mod auth;
pub mod charts;
pub mod diffview;
pub mod feeds;
pub mod load;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod params;
pub mod rawjson;
pub mod views;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use crate::store::{EditCount, Store, StoreError};

/// Requests are GETs (and a small login form): anything larger is refused.
const MAX_BODY: usize = 16 * 1024;

/// What every handler shares.
pub struct AppState {
    readers: Vec<Arc<dyn Store>>,
    next: AtomicUsize,
    /// Bearer token for the API and the pages (`web.token`).
    pub token: Option<String>,
    /// Read-only token accepted in feed URLs (`?token=`), since readers cannot send headers.
    pub feed_token: Option<String>,
    /// The dashboard chart's edits per day and outlet (see [`AppState::edits`]).
    edits: std::sync::Mutex<Option<EditsCache>>,
    edits_refreshing: AtomicBool,
    /// Comparisons of version pairs already made (see [`load::DiffCache`]).
    pub diffs: Arc<load::DiffCache>,
}

struct EditsCache {
    since: DateTime<Utc>,
    at: Instant,
    rows: Arc<Vec<EditCount>>,
}

/// How old the dashboard chart may be before it is recomputed (in the background).
const EDITS_TTL: Duration = Duration::from_secs(60);

impl AppState {
    /// `readers` are used round-robin; give at least one.
    pub fn new(
        readers: Vec<Arc<dyn Store>>,
        token: Option<String>,
        feed_token: Option<String>,
    ) -> Arc<Self> {
        assert!(!readers.is_empty(), "the web server needs a store");
        Arc::new(AppState {
            readers,
            next: AtomicUsize::new(0),
            token,
            feed_token,
            edits: std::sync::Mutex::new(None),
            edits_refreshing: AtomicBool::new(false),
            diffs: Arc::new(load::DiffCache::new(load::DIFF_CACHE_ENTRIES)),
        })
    }

    /// Edits per day and outlet since `since`, for the dashboard's chart. Counting a month of
    /// versions takes a few hundred ms on a large store, and the chart is per day, so it is
    /// cached: a request older than [`EDITS_TTL`] still gets the cached rows at once while one
    /// background task recomputes them. Only the first request of a day waits.
    pub async fn edits(
        self: &Arc<Self>,
        since: DateTime<Utc>,
    ) -> Result<Arc<Vec<EditCount>>, WebError> {
        let cached = {
            let c = self.edits.lock().expect("edits cache lock");
            c.as_ref()
                .filter(|c| c.since == since)
                .map(|c| (c.rows.clone(), c.at.elapsed() > EDITS_TTL))
        };
        match cached {
            Some((rows, stale)) => {
                if stale && !self.edits_refreshing.swap(true, Ordering::AcqRel) {
                    let me = self.clone();
                    tokio::spawn(async move {
                        if let Err(e) = me.compute_edits(since).await {
                            tracing::warn!("dashboard chart not refreshed: {e}");
                        }
                        me.edits_refreshing.store(false, Ordering::Release);
                    });
                }
                Ok(rows)
            }
            None => self.compute_edits(since).await,
        }
    }

    async fn compute_edits(&self, since: DateTime<Utc>) -> Result<Arc<Vec<EditCount>>, WebError> {
        let rows = Arc::new(self.read(move |s| Ok(s.edits_by_day(since)?)).await?);
        *self.edits.lock().expect("edits cache lock") = Some(EditsCache {
            since,
            at: Instant::now(),
            rows: rows.clone(),
        });
        Ok(rows)
    }

    fn store(&self) -> Arc<dyn Store> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        self.readers[i].clone()
    }

    /// Runs store work on the blocking pool.
    pub async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Store) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let store = self.store();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await
            .map_err(|e| WebError::Internal(format!("request task failed: {e}")))?
    }
}

/// Why a request failed; the API renders it as JSON, the pages as HTML.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A query or path parameter that cannot be used (400).
    #[error("{message}")]
    BadParam { param: String, message: String },
    /// An id that names nothing (404).
    #[error("{0}")]
    NotFound(String),
    #[error("missing or wrong token")]
    Unauthorized,
    #[error("store error: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl WebError {
    pub fn bad(param: &str, message: impl Into<String>) -> Self {
        WebError::BadParam {
            param: param.into(),
            message: message.into(),
        }
    }

    pub fn status(&self) -> axum::http::StatusCode {
        use axum::http::StatusCode as S;
        match self {
            WebError::BadParam { .. } => S::BAD_REQUEST,
            WebError::NotFound(_) => S::NOT_FOUND,
            WebError::Unauthorized => S::UNAUTHORIZED,
            WebError::Store(_) | WebError::Internal(_) => S::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            WebError::BadParam { .. } => "bad_parameter",
            WebError::NotFound(_) => "not_found",
            WebError::Unauthorized => "unauthorized",
            WebError::Store(_) | WebError::Internal(_) => "internal",
        }
    }
}

/// The whole application: API, feeds, pages, static files, `/healthz`.
pub fn router(state: Arc<AppState>) -> Router {
    let guarded = Router::new()
        .nest("/api/v1", api::routes())
        .merge(pages::routes())
        .merge(metrics::guarded_routes())
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    let feeds = feeds::routes().route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        auth::require_feed_token,
    ));
    Router::new()
        .merge(guarded)
        .merge(feeds)
        .merge(pages::open_routes())
        .merge(metrics::open_routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(auth::security_headers))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(state)
}

/// Binds `listen` and serves until `cancel`; logs (and returns) the bound address first, so
/// `127.0.0.1:0` can be used by tests.
pub async fn bind(listen: &str) -> anyhow::Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { cancel.cancelled().await })
        .await?;
    Ok(())
}

/// Opens `n` read connections to the configured store for the web server (PostgreSQL: one
/// store, whose pool already serves concurrent reads).
pub fn readers(cfg: &crate::config::Config, n: usize) -> anyhow::Result<Vec<Arc<dyn Store>>> {
    if cfg.storage.is_postgres() {
        return Ok(vec![crate::daemon::open_store(cfg)?]);
    }
    (0..n.max(1))
        .map(|_| crate::daemon::open_store(cfg))
        .collect()
}

/// Checks the DESIGN rule for an address given on the command line too: a non-loopback
/// listener needs a token.
pub fn check_listen(listen: &str, token: Option<&str>) -> Result<(), String> {
    match listen.parse::<SocketAddr>() {
        Ok(a) if !a.ip().is_loopback() && token.is_none() => Err(format!(
            "listening on non-loopback {a} requires web.token in the config"
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("invalid listen address {listen:?}: {e}")),
    }
}

/// Read connections for the web server: a few, so pages do not queue behind one another.
pub const READERS: usize = 4;

/// Starts the web server for `cfg` on `listen`; returns the bound address and the task.
pub async fn start(
    cfg: &crate::config::Config,
    listen: &str,
    cancel: CancellationToken,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let state = AppState::new(
        readers(cfg, READERS)?,
        cfg.web.token.clone(),
        cfg.web.feed_token.clone(),
    );
    // the dashboard chart, computed before the first visitor asks
    tokio::spawn({
        let s = state.clone();
        async move { s.edits(pages::chart_since(chrono::Utc::now())).await }
    });
    let app = router(state);
    let (listener, addr) = bind(listen).await?;
    tracing::info!(%addr, token = cfg.web.token.is_some(), "web UI and API listening");
    let task = tokio::spawn(async move {
        if let Err(e) = serve(listener, app, cancel).await {
            tracing::error!("web server stopped: {e}");
        }
    });
    Ok((addr, task))
}
