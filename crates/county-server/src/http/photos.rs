//! `HEAD` / `PATCH /api/v1/photos/{sha256}/{variant}`: resumable upload of a photo of the
//! device's own post. The `PATCH` body is written as it streams in; a body cut off keeps what
//! arrived (see [`crate::photos`]).

use super::auth::DeviceAuth;
use super::error::ApiError;
use super::AppState;
use crate::photos::{
    ChunkRequest, ChunkStart, PhotoError, PhotoStore, PhotoVariant, UploadStatus, UploadTarget,
};
use crate::storage::AuthenticatedDevice;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use patrol_model::PhotoHash;
use std::sync::Arc;
use std::time::Duration;

/// A body that sends nothing for this long is taken as cut (what arrived is kept).
const BODY_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

fn photo_target(
    device: &AuthenticatedDevice,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<UploadTarget, ApiError> {
    let Path((hash, variant)) = path.map_err(|_| ApiError::not_found())?;
    let hash = PhotoHash::try_from(hash)
        .map_err(|error| ApiError::bad_request(error, "照片编号必须是 64 位十六进制 SHA-256"))?;
    let variant = variant
        .parse::<PhotoVariant>()
        .map_err(|()| ApiError::not_found())?;
    Ok(UploadTarget {
        post: device.post_id,
        device: device.device_id,
        hash,
        variant,
    })
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
    summary = "How much of a photo of the device's post the server has: Upload-Offset, Upload-Complete",
    security(("device_token" = [])),
    params(
        ("sha256" = String, Path, description = "the photo's SHA-256, 64 hex digits"),
        ("variant" = String, Path, description = "thumbnail or original"),
    ),
    responses(
        (status = 200, description = "Upload-Offset and Upload-Complete (?1 / ?0) headers; another post's photos answer as absent"),
        (status = 401, description = "unknown or revoked device token"),
    ))]
pub async fn upload_status(
    State(state): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let target = photo_target(&device, path)?;
    let upload = state.photos.status(&target).await?;
    Ok(status_response(StatusCode::OK, upload))
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
}

fn number_header(headers: &HeaderMap, name: &'static str) -> Result<Option<u64>, ApiError> {
    match header_text(headers, name) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            ApiError::bad_field(
                name,
                format!("{text:?} is not a whole number of bytes (0 to 2^64-1)"),
                "必须是字节数(非负整数)",
            )
        }),
    }
}

fn required_number(headers: &HeaderMap, name: &'static str) -> Result<u64, ApiError> {
    number_header(headers, name)?
        .ok_or_else(|| ApiError::bad_field(name, "this header is required", "缺少该请求头(字节数)"))
}

fn sha256_header(headers: &HeaderMap, name: &'static str) -> Result<Option<PhotoHash>, ApiError> {
    match header_text(headers, name) {
        None => Ok(None),
        Some(text) => PhotoHash::try_from(text.to_string())
            .map(Some)
            .map_err(|_| {
                ApiError::bad_field(
                    name,
                    format!("{text:?} is not a SHA-256 (64 hex digits)"),
                    "必须是 64 位十六进制 SHA-256",
                )
            }),
    }
}

/// A `PATCH`'s headers (looked up by their names as the protocol spells them; header names
/// are case-insensitive), each problem a 400 naming its header.
fn chunk_request(headers: &HeaderMap) -> Result<ChunkRequest, ApiError> {
    if let Some(encoding) = header_text(headers, "Content-Encoding") {
        if !encoding.eq_ignore_ascii_case("identity") {
            return Err(ApiError::bad_field(
                "Content-Encoding",
                format!("{encoding:?}: photo chunks are sent as they are"),
                "照片分块不能压缩",
            ));
        }
    }
    let declared = sha256_header(headers, "Upload-Sha256")?.ok_or_else(|| {
        ApiError::bad_field(
            "Upload-Sha256",
            "this header is required: the SHA-256 of the whole variant",
            "缺少该请求头(整个文件的 SHA-256)",
        )
    })?;
    Ok(ChunkRequest {
        offset: required_number(headers, "Upload-Offset")?,
        length: required_number(headers, "Upload-Length")?,
        declared,
        chunk_sha256: sha256_header(headers, "Chunk-Sha256")?.map(String::from),
        content_length: number_header(headers, "Content-Length")?,
    })
}

#[utoipa::path(patch, path = "/api/v1/photos/{sha256}/{variant}", tag = "device",
    summary = "Append the next chunk (≤ 1 MiB) at Upload-Offset, with Upload-Length, Upload-Sha256 and optionally Chunk-Sha256",
    security(("device_token" = [])),
    params(
        ("sha256" = String, Path, description = "the photo's SHA-256, 64 hex digits"),
        ("variant" = String, Path, description = "thumbnail or original"),
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 204, description = "stored; Upload-Offset and Upload-Complete say how far"),
        (status = 400, body = super::openapi::ApiErrorSchema, description = "a missing or bad header (named), or a chunk checksum mismatch"),
        (status = 401, body = super::openapi::ApiErrorSchema),
        (status = 409, body = super::openapi::ApiErrorSchema, description = "wrong offset; Upload-Offset says where to go on"),
        (status = 413, body = super::openapi::ApiErrorSchema),
        (status = 422, body = super::openapi::ApiErrorSchema, description = "the whole variant failed its checks (named); the upload starts over"),
    ))]
pub async fn upload_chunk(
    State(state): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Body,
) -> Result<Response, ApiError> {
    let target = photo_target(&device, path)?;
    let request = chunk_request(&headers)?;
    // Its own task: if the connection drops and this handler is dropped with it, what arrived
    // is still fsynced.
    let receiving = tokio::spawn(receive_chunk(state.photos.clone(), target, request, body));
    let upload = receiving
        .await
        .map_err(|error| ApiError::internal(&error))??;
    Ok(status_response(StatusCode::NO_CONTENT, upload))
}

/// Writes the body to the upload as it streams in.
async fn receive_chunk(
    photos: Arc<PhotoStore>,
    target: UploadTarget,
    request: ChunkRequest,
    mut body: Body,
) -> Result<UploadStatus, PhotoError> {
    let mut writer = match photos.begin_chunk(&target, request).await? {
        ChunkStart::AlreadyComplete(status) => return Ok(status),
        ChunkStart::Write(writer) => writer,
    };
    loop {
        match tokio::time::timeout(BODY_IDLE_TIMEOUT, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    writer.write(&data).await?;
                }
            }
            Ok(None) => return writer.finish().await,
            Ok(Some(Err(_))) | Err(_) => return writer.keep_cut().await,
        }
    }
}
