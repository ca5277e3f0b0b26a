//! Atom feeds (RFC 4287).
use std::sync::Arc;

use axum::Router;

use super::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/feeds/facts.atom", axum::routing::get(|| async { "todo" }))
}
