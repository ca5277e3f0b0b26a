//! Review pages.
use std::sync::Arc;

use axum::Router;
use axum::response::{IntoResponse, Response};

use super::AppState;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
}

pub fn open_routes() -> Router<Arc<AppState>> {
    Router::new()
}

pub async fn not_found() -> Response {
    (axum::http::StatusCode::NOT_FOUND, "not found").into_response()
}
