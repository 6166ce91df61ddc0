//! The HTTP API: routes, state, and one small handler module per resource. Handlers are
//! adapters — parse, call one function, map the error. The device API sits at the top, the
//! county dashboard's under [`admin`]; every API route is described in the OpenAPI document
//! ([`openapi`]) as it is registered, and what no route takes is the dashboard's page
//! ([`dashboard_page`]) or a JSON 404.

pub mod admin;
mod auth;
pub mod body;
pub mod dashboard_page;
mod enroll;
pub mod error;
mod health;
pub mod openapi;
mod photos;
mod sync;

use crate::photos::PhotoStore;
use crate::storage::SharedStorage;
use axum::Router;
use std::sync::{Arc, LazyLock};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::ApiError;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub storage: SharedStorage,
    pub photos: Arc<PhotoStore>,
    pub dashboard: Arc<admin::DashboardSettings>,
}

impl AppState {
    pub fn new(
        storage: SharedStorage,
        photos: PhotoStore,
        dashboard: admin::DashboardSettings,
    ) -> Self {
        Self {
            storage,
            photos: Arc::new(photos),
            dashboard: Arc::new(dashboard),
        }
    }
}

/// Every API route the server serves, `(method, path)`: the OpenAPI document must list
/// exactly these (tested), and each must be answered by its handler, not the fallback.
pub const API_ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/api/openapi.json"),
    ("POST", "/api/v1/enroll"),
    ("POST", "/api/v1/sync"),
    ("HEAD", "/api/v1/photos/{sha256}/{variant}"),
    ("PATCH", "/api/v1/photos/{sha256}/{variant}"),
    ("POST", "/api/v1/admin/session"),
    ("GET", "/api/v1/admin/session"),
    ("DELETE", "/api/v1/admin/session"),
    ("GET", "/api/v1/admin/overview"),
    ("GET", "/api/v1/admin/entries"),
    ("GET", "/api/v1/admin/entries/{id}"),
    ("POST", "/api/v1/admin/entries/{id}/review"),
    ("GET", "/api/v1/admin/posts/{id}/photos/{sha256}/{variant}"),
    ("GET", "/api/v1/admin/map"),
    ("GET", "/api/v1/admin/statistics"),
    ("GET", "/api/v1/admin/reports/annual"),
    ("GET", "/api/v1/admin/config"),
    ("GET", "/api/v1/admin/posts"),
    ("POST", "/api/v1/admin/posts"),
    ("POST", "/api/v1/admin/posts/{id}/enrolment-codes"),
    ("POST", "/api/v1/admin/devices/{id}/revoke"),
    ("GET", "/api/v1/admin/audit"),
];

/// The API routes with their OpenAPI description, registered together.
fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDocument::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(openapi_document))
        .routes(routes!(enroll::enroll))
        .routes(routes!(sync::sync))
        .routes(routes!(photos::upload_status, photos::upload_chunk))
        .merge(admin::admin_routes())
}

/// The OpenAPI document of [`api_routes`], made once.
pub fn openapi_json() -> &'static str {
    static DOCUMENT: LazyLock<String> =
        LazyLock::new(|| openapi::finish(api_routes().into_openapi()));
    &DOCUMENT
}

#[utoipa::path(get, path = "/api/openapi.json", tag = "device",
    summary = "This document: OpenAPI 3.1 of the device and dashboard APIs",
    responses((status = 200, description = "the OpenAPI document", body = Object)))]
async fn openapi_document() -> axum::response::Response {
    openapi::openapi_response(openapi_json())
}

/// Every route of the county server.
pub fn app(state: AppState) -> Router {
    let (router, _document) = api_routes().split_for_parts();
    router
        .fallback(dashboard_page::dashboard_fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this method is not allowed here",
        "不支持该请求方法",
    )
}
