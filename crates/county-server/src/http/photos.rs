//! `HEAD` / `PATCH /api/v1/photos/{sha256}/{variant}`: resumable, content-addressed upload.

use super::auth::authenticate;
use super::body::read_limited;
use super::error::ApiError;
use super::AppState;
use crate::photos::{PhotoVariant, UploadStatus, MAX_CHUNK_BYTES};
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use patrol_model::PhotoHash;

fn photo_target(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(PhotoHash, PhotoVariant), ApiError> {
    let Path((hash, variant)) = path.map_err(|_| ApiError::not_found())?;
    let hash = PhotoHash::try_from(hash)
        .map_err(|error| ApiError::bad_request(error, "照片编号必须是 64 位十六进制 SHA-256"))?;
    let variant = variant
        .parse::<PhotoVariant>()
        .map_err(|()| ApiError::not_found())?;
    Ok((hash, variant))
}

fn status_response(status: StatusCode, upload: UploadStatus) -> Response {
    let mut response = status.into_response();
    let headers = response.headers_mut();
    headers.insert("upload-offset", HeaderValue::from(upload.offset));
    headers.insert(
        "upload-complete",
        HeaderValue::from_static(if upload.complete { "?1" } else { "?0" }),
    );
    response
}

#[utoipa::path(head, path = "/api/v1/photos/{sha256}/{variant}", tag = "device",
    summary = "How much of a photo the server has: Upload-Offset, Upload-Complete",
    security(("device_token" = [])),
    params(
        ("sha256" = String, Path, description = "the photo's SHA-256, 64 hex digits"),
        ("variant" = String, Path, description = "thumbnail or original"),
    ),
    responses(
        (status = 200, description = "Upload-Offset and Upload-Complete (?1 / ?0) headers"),
        (status = 401, description = "unknown or revoked device token"),
    ))]
pub async fn upload_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    authenticate(&state, &headers).await?;
    let (hash, variant) = photo_target(path)?;
    let upload = state.photos.status(&hash, variant).await?;
    Ok(status_response(StatusCode::OK, upload))
}

fn number_header(headers: &HeaderMap, name: &str) -> Result<u64, ApiError> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse().ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                format!("header {name} is required: a whole number of bytes"),
                format!("缺少请求头 {name}"),
            )
        })
}

#[utoipa::path(patch, path = "/api/v1/photos/{sha256}/{variant}", tag = "device",
    summary = "Append the next chunk (≤ 1 MiB) at Upload-Offset, with Upload-Length and Chunk-Sha256",
    security(("device_token" = [])),
    params(
        ("sha256" = String, Path, description = "the photo's SHA-256, 64 hex digits"),
        ("variant" = String, Path, description = "thumbnail or original"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 204, description = "stored; Upload-Offset and Upload-Complete say how far"),
        (status = 400, body = super::openapi::ApiErrorSchema, description = "a missing header or a chunk checksum mismatch"),
        (status = 401, body = super::openapi::ApiErrorSchema),
        (status = 409, body = super::openapi::ApiErrorSchema, description = "wrong offset; Upload-Offset says where to go on"),
        (status = 413, body = super::openapi::ApiErrorSchema),
        (status = 422, body = super::openapi::ApiErrorSchema, description = "the whole file's checksum differs from its name"),
    ))]
pub async fn upload_chunk(
    State(state): State<AppState>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    authenticate(&state, &headers).await?;
    let (hash, variant) = photo_target(path)?;
    let offset = number_header(&headers, "upload-offset")?;
    let length = number_header(&headers, "upload-length")?;
    let checksum = headers
        .get("chunk-sha256")
        .and_then(|value| value.to_str().ok())
        .map(|text| text.trim().to_ascii_lowercase())
        .ok_or_else(|| {
            ApiError::bad_request("header Chunk-Sha256 is required", "缺少请求头 Chunk-Sha256")
        })?;
    let chunk = read_limited(&headers, body, MAX_CHUNK_BYTES).await?;
    let upload = state
        .photos
        .append(&hash, variant, offset, length, &checksum, chunk)
        .await?;
    Ok(status_response(StatusCode::NO_CONTENT, upload))
}
