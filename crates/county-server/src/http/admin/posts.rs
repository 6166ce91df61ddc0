//! `/api/v1/admin/posts`: list posts, add one, and make a post's one-time enrolment code
//! (with its `patrollog://enrol` URI and that URI's QR code as SVG).

use super::auth::{AdminSession, AdminWriter};
use super::config::server_url;
use super::input::{path_id, BodyFields};
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::secrets::{enrolment_code_hash, new_enrolment_code, ENROLMENT_CODE_TTL_MS};
use crate::storage::Post;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use patrol_model::PostId;
use serde::Serialize;
use utoipa::ToSchema;

/// The longest post name, in characters.
pub const MAX_POST_NAME_CHARS: usize = 40;

/// A post with how many devices and live entries it has.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PostListItem {
    pub id: uuid::Uuid,
    pub name: String,
    pub devices: u64,
    pub entries: u64,
}

/// A new post.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the body, which is read field by field
pub struct NewPostRequest {
    /// 1–40 characters, unique.
    pub name: String,
}

/// A one-time enrolment code for a post's new device.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EnrolmentCodeAnswer {
    /// What a member types, e.g. `K7QF-3MZP-8WXD`.
    pub code: String,
    /// RFC 3339, 24 h from now.
    pub expires_at: String,
    /// `patrollog://enrol?server=<url, percent-encoded>&code=<code>`
    pub enrol_uri: String,
    /// The enrol URI's QR code, an SVG document.
    pub qr_svg: String,
}

#[utoipa::path(get, path = "/api/v1/admin/posts", tag = "admin",
    summary = "Every post with its number of devices and live entries (viewers too)",
    responses(
        (status = 200, body = Vec<PostListItem>),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn list_posts(
    State(state): State<AppState>,
    _session: AdminSession,
) -> Result<Json<Vec<PostListItem>>, ApiError> {
    let now_ms = chrono::Utc::now().timestamp_millis();
    let overview = state
        .storage
        .overview(now_ms, super::overview::SILENT_DAYS)
        .await?;
    Ok(Json(
        overview
            .posts
            .into_iter()
            .map(|post| PostListItem {
                id: post.id.0,
                name: post.name,
                devices: post.devices,
                entries: post.entries,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/admin/posts", tag = "admin",
    summary = "Add a post (role admin, header X-Patrol-Dashboard: 1)",
    request_body = NewPostRequest,
    responses(
        (status = 201, body = Post),
        (status = 400, body = ApiErrorSchema, description = "name blank or longer than 40 characters, or the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
        (status = 409, body = ApiErrorSchema, description = "a post has this name"),
    ))]
pub async fn create_post(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<Post>), ApiError> {
    let form = BodyFields::new(body, &["name"])?;
    let name = form.required_text("name")?.trim();
    if name.chars().count() > MAX_POST_NAME_CHARS {
        return Err(ApiError::bad_field(
            "name",
            format!("at most {MAX_POST_NAME_CHARS} characters"),
            format!("名称最多 {MAX_POST_NAME_CHARS} 个字"),
        ));
    }
    let name_taken = || async {
        Ok::<_, ApiError>(
            state
                .storage
                .list_posts()
                .await?
                .iter()
                .any(|post| post.name == name),
        )
    };
    let conflict = || {
        ApiError::conflict(
            format!("a post named {name:?} exists"),
            format!("已有名为“{name}”的联防所"),
        )
    };
    if name_taken().await? {
        return Err(conflict());
    }
    let post = match state.storage.create_post(name, &admin.actor()).await {
        Ok(post) => post,
        // Another admin added the same name at the same moment (the name is unique).
        Err(_) if name_taken().await? => return Err(conflict()),
        Err(error) => return Err(error.into()),
    };
    tracing::info!(post = %post.id, admin = %admin.username, "post added");
    Ok((StatusCode::CREATED, Json(post)))
}

/// `patrollog://enrol?server=…&code=…`, the server URL percent-encoded.
fn enrol_uri(server: &str, code: &str) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("server", server)
        .append_pair("code", code)
        .finish();
    format!("patrollog://enrol?{query}")
}

fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|error| ApiError::internal(&error))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .build())
}

#[utoipa::path(post, path = "/api/v1/admin/posts/{id}/enrolment-codes", tag = "admin",
    summary = "A one-time enrolment code (24 h) for a new device of the post (role admin, header X-Patrol-Dashboard: 1)",
    params(("id" = String, Path, description = "the post's id (UUID)")),
    responses(
        (status = 201, body = EnrolmentCodeAnswer),
        (status = 400, body = ApiErrorSchema, description = "id is not a UUID, or the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
        (status = 404, body = ApiErrorSchema, description = "no such post"),
    ))]
pub async fn create_enrolment_code(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<(StatusCode, Json<EnrolmentCodeAnswer>), ApiError> {
    let id: PostId = path_id(path, "a post id", "联防所编号")?;
    let post = state
        .storage
        .find_post(&id.to_string())
        .await?
        .filter(|post| post.id == id)
        .ok_or_else(ApiError::not_found)?;
    let server = server_url(&state, &headers)?;
    let code = new_enrolment_code().map_err(|error| ApiError::internal(&error))?;
    let expires_at = chrono::Utc::now() + chrono::Duration::milliseconds(ENROLMENT_CODE_TTL_MS);
    state
        .storage
        .create_enrolment_code(
            post.id,
            &enrolment_code_hash(&code),
            expires_at.timestamp_millis(),
            &admin.actor(),
        )
        .await?;
    tracing::info!(post = %post.id, admin = %admin.username, "enrolment code made");
    let uri = enrol_uri(&server, &code);
    let answer = EnrolmentCodeAnswer {
        qr_svg: qr_svg(&uri)?,
        enrol_uri: uri,
        code,
        expires_at: expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    Ok((StatusCode::CREATED, Json(answer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enrol_uri_carries_the_server_and_code() {
        assert_eq!(
            enrol_uri("https://county.example:8443", "K7QF-3MZP-8WXD"),
            "patrollog://enrol?server=https%3A%2F%2Fcounty.example%3A8443&code=K7QF-3MZP-8WXD"
        );
        let svg = qr_svg("patrollog://enrol?server=x&code=y").unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg"), "{svg}");
    }
}
