//! `GET /api/v1/admin/posts/{id}/photos/{sha256}/{variant}`: a photo a post's devices
//! uploaded, `thumb` or `full`, with its content type; and the photo list of an entry's
//! detail, which finds each photo through the entry's post (photos are kept per post, so what
//! one post's devices send never shows on another post's entries).

use super::auth::AdminSession;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::photos::PhotoVariant;
use crate::storage::dashboard::EntryPhotoReference;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use patrol_model::{PhotoHash, PhotoRole, PostId};
use serde::Serialize;
use utoipa::ToSchema;

/// A photo of an entry, as the entry's detail lists it.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryPhoto {
    pub sha256: String,
    /// before, after, other
    #[schema(value_type = String)]
    pub role: PhotoRole,
    pub thumbnail_url: String,
    pub full_url: String,
    /// Whether the full photo has reached the server.
    pub uploaded: bool,
}

fn variant_from_code(code: &str) -> Option<PhotoVariant> {
    match code {
        "thumb" => Some(PhotoVariant::Thumbnail),
        "full" => Some(PhotoVariant::Original),
        _ => None,
    }
}

/// The image type of a photo file, from its first bytes (the device stores JPEG and PNG).
fn image_content_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else {
        "application/octet-stream"
    }
}

#[utoipa::path(get, path = "/api/v1/admin/posts/{id}/photos/{sha256}/{variant}", tag = "admin",
    summary = "A photo's bytes as the post's devices sent it (thumb: the 320 px JPEG; full: the photo)",
    params(
        ("id" = String, Path, description = "the post's id (UUID): the post of the entry that lists the photo"),
        ("sha256" = String, Path, description = "the photo's SHA-256, 64 hex digits"),
        ("variant" = String, Path, description = "thumb or full"),
    ),
    responses(
        (status = 200, description = "the image", content_type = "image/jpeg"),
        (status = 400, body = ApiErrorSchema, description = "id, sha256 or variant is malformed"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 404, body = ApiErrorSchema, description = "not (fully) uploaded by that post"),
    ))]
pub async fn photo(
    State(state): State<AppState>,
    _session: AdminSession,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let Path((post, hash, variant)) = path.map_err(|_| ApiError::not_found())?;
    let post = post.parse::<PostId>().map_err(|_| {
        ApiError::bad_field(
            "id",
            format!("{post:?} is not a post id (UUID)"),
            "联防所编号格式不对",
        )
    })?;
    let hash = PhotoHash::try_from(hash).map_err(|error| {
        ApiError::bad_field("sha256", error, "照片编号必须是 64 位十六进制 SHA-256")
    })?;
    let variant = variant_from_code(&variant).ok_or_else(|| {
        ApiError::bad_field(
            "variant",
            format!("{variant:?} is not thumb or full"),
            "照片规格应为 thumb(缩略图)或 full(原图)",
        )
    })?;
    let bytes = state
        .photos
        .read_complete(post, &hash, variant)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let content_type = image_content_type(&bytes);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        bytes,
    )
        .into_response())
}

/// An entry's photos as the detail lists them: where to fetch each from the entry's post, and
/// whether that post has it.
pub async fn photo_answers(
    state: &crate::http::AppState,
    post: PostId,
    photos: &[EntryPhotoReference],
) -> Result<Vec<EntryPhoto>, ApiError> {
    let mut answers = Vec::with_capacity(photos.len());
    for photo in photos {
        let uploaded = match PhotoHash::try_from(photo.sha256.clone()) {
            Ok(hash) => {
                state
                    .photos
                    .is_complete(post, &hash, PhotoVariant::Original)
                    .await?
            }
            Err(_) => false,
        };
        let base = format!("/api/v1/admin/posts/{post}/photos/{}", photo.sha256);
        answers.push(EntryPhoto {
            sha256: photo.sha256.clone(),
            role: photo.role,
            thumbnail_url: format!("{base}/thumb"),
            full_url: format!("{base}/full"),
            uploaded,
        });
    }
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_comes_from_the_bytes() {
        assert_eq!(image_content_type(&[0xFF, 0xD8, 0xFF, 0xE0]), "image/jpeg");
        assert_eq!(image_content_type(b"\x89PNG\r\n\x1a\n...."), "image/png");
        assert_eq!(image_content_type(b"GIF89a"), "application/octet-stream");
        assert_eq!(variant_from_code("thumb"), Some(PhotoVariant::Thumbnail));
        assert_eq!(variant_from_code("original"), None);
    }
}
