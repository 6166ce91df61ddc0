//! `GET /api/v1/admin/map/status` and `GET /api/v1/admin/map/archive`: what the county
//! basemap holds, and the archive itself for the dashboard's map (same answer as a device's).

use super::auth::AdminSession;
use crate::http::basemap::archive_answer;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::map::{read_status, BasemapStatus};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Json;

#[utoipa::path(get, path = "/api/v1/admin/map/status", tag = "admin",
    summary = "What the county basemap holds: built, version, built_at, bytes, tiles, zooms, bounds, layers",
    responses(
        (status = 200, description = "the basemap's status; built: false when there is none", body = Object),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn basemap_status(
    State(state): State<AppState>,
    _session: AdminSession,
) -> Result<Json<BasemapStatus>, ApiError> {
    Ok(Json(
        read_status(&state.data_dir).map_err(|error| ApiError::internal(&error))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/admin/map/archive", tag = "admin",
    summary = "The county basemap (PMTiles v3, MVT tiles), whole or by Range; ETag is its version",
    responses(
        (status = 200, description = "the whole archive", content_type = "application/vnd.pmtiles"),
        (status = 206, description = "the range asked for", content_type = "application/vnd.pmtiles"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 404, body = ApiErrorSchema, description = "the county has not built a basemap"),
        (status = 416, description = "the range is outside the archive"),
    ))]
pub async fn basemap_archive(
    State(state): State<AppState>,
    _session: AdminSession,
    request: Request,
) -> Result<Response, ApiError> {
    archive_answer(&state, request).await
}
