//! The HTTP API: routes, state, and one small handler module per resource. Handlers are
//! adapters — parse, call one function, map the error. The device API sits at the top, the
//! county dashboard's under [`admin`]; every API route is described in the OpenAPI document
//! ([`openapi`]) as it is registered, and what no route takes is the dashboard's page
//! ([`dashboard_page`]) or a JSON 404.

pub mod admin;
mod auth;
pub mod basemap;
pub mod client_address;
pub mod dashboard_page;
mod device_wipe;
pub mod edge;
mod enroll;
pub mod error;
mod health;
pub mod json;
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
    pub edge: Arc<edge::EdgeSettings>,
    pub attempts: Arc<crate::attempts::AttemptGuard>,
    /// The server's data folder: the basemap archive is below it (`map::archive_path`).
    pub data_dir: Arc<std::path::PathBuf>,
}

impl AppState {
    /// The state of a server started with `settings`: its photo folder opened (older layouts
    /// moved in place) and the dashboard's settings.
    pub async fn open(settings: &crate::ServerSettings) -> Result<Self, crate::ServerError> {
        let photos = PhotoStore::open(&settings.data_dir).await?;
        photos.adopt_legacy_files(settings.storage.as_ref()).await?;
        let dashboard = admin::DashboardSettings {
            served_over_tls: settings.tls.is_some(),
            public_url: settings.public_url.clone(),
            map_tile_url: settings.map_tile_url.clone(),
            behind_proxy: settings.behind_proxy,
        };
        Ok(Self::new(
            settings.storage.clone(),
            photos,
            dashboard,
            settings.data_dir.clone(),
        ))
    }

    pub fn new(
        storage: SharedStorage,
        photos: PhotoStore,
        dashboard: admin::DashboardSettings,
        data_dir: std::path::PathBuf,
    ) -> Self {
        let edge = edge::EdgeSettings {
            map_tile_origin: dashboard.map_tile_url.as_deref().and_then(edge::url_origin),
            served_over_tls: dashboard.served_over_tls,
            behind_proxy: dashboard.behind_proxy,
        };
        Self {
            storage,
            photos: Arc::new(photos),
            dashboard: Arc::new(dashboard),
            edge: Arc::new(edge),
            attempts: Arc::default(),
            data_dir: Arc::new(data_dir),
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
    ("POST", "/api/v1/device/wiped"),
    ("GET", "/api/v1/map/archive"),
    ("POST", "/api/v1/admin/session"),
    ("GET", "/api/v1/admin/session"),
    ("DELETE", "/api/v1/admin/session"),
    ("GET", "/api/v1/admin/overview"),
    ("GET", "/api/v1/admin/entries"),
    ("GET", "/api/v1/admin/entries/export"),
    ("GET", "/api/v1/admin/entries/{id}"),
    ("POST", "/api/v1/admin/entries/{id}/review"),
    ("POST", "/api/v1/admin/reviews"),
    ("GET", "/api/v1/admin/posts/{id}/photos/{sha256}/{variant}"),
    ("GET", "/api/v1/admin/map"),
    ("GET", "/api/v1/admin/map/status"),
    ("GET", "/api/v1/admin/map/archive"),
    ("GET", "/api/v1/admin/statistics"),
    ("GET", "/api/v1/admin/reports/annual"),
    ("GET", "/api/v1/admin/config"),
    ("GET", "/api/v1/admin/posts"),
    ("POST", "/api/v1/admin/posts"),
    ("POST", "/api/v1/admin/posts/{id}/enrolment-codes"),
    ("POST", "/api/v1/admin/posts/{id}/pin-resets"),
    ("POST", "/api/v1/admin/devices/{id}/revoke"),
    ("POST", "/api/v1/admin/devices/{id}/wipe"),
    ("GET", "/api/v1/admin/audit"),
];

/// The API routes with their OpenAPI description, registered together; the JSON routes
/// with their decompressed-body limits (a photo chunk is taken as it is sent).
fn api_routes() -> OpenApiRouter<AppState> {
    let enrolment = OpenApiRouter::new().routes(routes!(enroll::enroll));
    let sync = OpenApiRouter::new().routes(routes!(sync::sync));
    let wipe_report = OpenApiRouter::new().routes(routes!(device_wipe::report_wipe));
    OpenApiRouter::with_openapi(openapi::ApiDocument::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(openapi_document))
        .merge(edge::json_body_layers(
            enrolment,
            edge::MAX_ENROLMENT_BODY_BYTES,
        ))
        .merge(edge::json_body_layers(sync, edge::MAX_BODY_BYTES))
        .merge(edge::json_body_layers(
            wipe_report,
            edge::MAX_ENROLMENT_BODY_BYTES,
        ))
        .routes(routes!(photos::upload_status, photos::upload_chunk))
        .routes(routes!(basemap::device_archive))
        .merge(edge::json_body_layers(
            admin::admin_routes(),
            edge::MAX_ADMIN_BODY_BYTES,
        ))
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

/// Every route of the county server, behind the edge's layers.
pub fn app(state: AppState) -> Router {
    let edge_settings = state.edge.clone();
    let (router, _document) = api_routes().split_for_parts();
    let router = router
        .fallback(dashboard_page::dashboard_fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    edge::with_edge_layers(router, &edge_settings)
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this method is not allowed here",
        "不支持该请求方法",
    )
}
