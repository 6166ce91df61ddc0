//! The HTTP API: routes, state, and one small handler module per resource. Handlers are
//! adapters — parse, call one function, map the error.

mod auth;
pub mod body;
mod enroll;
pub mod error;
mod health;
mod photos;
mod sync;

use crate::photos::PhotoStore;
use crate::storage::SharedStorage;
use axum::routing::{get, head, post};
use axum::Router;
use std::sync::Arc;

pub use error::ApiError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub storage: SharedStorage,
    pub photos: Arc<PhotoStore>,
}

impl AppState {
    pub fn new(storage: SharedStorage, photos: PhotoStore) -> Self {
        Self {
            storage,
            photos: Arc::new(photos),
        }
    }
}

/// Every route of the county server.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/v1/enroll", post(enroll::enroll))
        .route("/api/v1/sync", post(sync::sync))
        .route(
            "/api/v1/photos/{sha256}/{variant}",
            head(photos::upload_status).patch(photos::upload_chunk),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this method is not allowed here",
        "不支持该请求方法",
    )
}
