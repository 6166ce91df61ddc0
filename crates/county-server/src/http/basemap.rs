//! `GET /api/v1/map/archive`: the county basemap for a device (docs/maps.md), and the one
//! answer of the archive that the dashboard's route shares: the PMTiles file with range
//! requests (206), its version as `ETag`, never compressed again (its tiles are gzip already).

use super::auth::DeviceAuth;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::map::{archive_path, read_status};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// The archive's content type (what the PMTiles spec names).
pub const ARCHIVE_CONTENT_TYPE: &str = "application/vnd.pmtiles";

#[utoipa::path(get, path = "/api/v1/map/archive", tag = "device",
    summary = "The county basemap (PMTiles v3, MVT tiles), whole or by Range; ETag is its version",
    responses(
        (status = 200, description = "the whole archive", content_type = "application/vnd.pmtiles"),
        (status = 206, description = "the range asked for", content_type = "application/vnd.pmtiles"),
        (status = 401, body = ApiErrorSchema, description = "no device token, or it was revoked"),
        (status = 404, body = ApiErrorSchema, description = "the county has not built a basemap"),
        (status = 416, description = "the range is outside the archive"),
    ),
    security(("device_token" = [])))]
pub async fn device_archive(
    State(state): State<AppState>,
    _device: DeviceAuth,
    request: Request,
) -> Result<Response, ApiError> {
    archive_answer(&state, request).await
}

/// The archive as a file answer: Range, If-Modified-Since and HEAD as `ServeFile` does them.
pub async fn archive_answer(state: &AppState, request: Request) -> Result<Response, ApiError> {
    let status = read_status(&state.data_dir).map_err(|error| ApiError::internal(&error))?;
    let Some(version) = status.version.filter(|_| status.built) else {
        return Err(not_built());
    };
    let file = ServeFile::new_with_mime(
        archive_path(&state.data_dir),
        &ARCHIVE_CONTENT_TYPE.parse().expect("a valid mime type"),
    );
    let answer = file
        .oneshot(request)
        .await
        .map_err(|error| ApiError::internal(&error))?;
    if answer.status() == StatusCode::NOT_FOUND {
        return Err(not_built());
    }
    let mut answer = answer.map(Body::new).into_response();
    let headers = answer.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{version}\"")) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(answer)
}

fn not_built() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "basemap_not_built",
        "the county has not built a basemap yet (county-server map build)",
        "县里尚未生成底图(管理员可运行 county-server map build)",
    )
}
