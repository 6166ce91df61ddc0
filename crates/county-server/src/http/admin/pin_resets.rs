//! `POST /api/v1/admin/posts/{id}/pin-resets`: the county resets a member's forgotten PIN; the
//! post's phones forget it at their next sync and the member sets a new one.

use super::auth::AdminWriter;
use super::input::{path_id, BodyFields};
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use patrol_model::validation::check_short_text;
use patrol_model::{PostId, ValidationReport};
use serde::Serialize;
use utoipa::ToSchema;

/// The reset as issued.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PinResetAnswer {
    pub id: String,
    pub member: String,
    /// RFC 3339, the server's clock.
    pub issued_at: String,
}

#[utoipa::path(post, path = "/api/v1/admin/posts/{id}/pin-resets", tag = "admin",
    summary = "Reset a member's forgotten PIN on the post's phones (role admin, header X-Patrol-Dashboard: 1)",
    params(("id" = String, Path, description = "the post's id (UUID)")),
    request_body(content = Object, description = "{\"member\": \"李国华\"}: the name as on the post's roster"),
    responses(
        (status = 201, body = PinResetAnswer, description = "issued: each phone of the post forgets the member's PIN at its next sync (within 30 days)"),
        (status = 400, body = ApiErrorSchema, description = "member blank, too long or with control characters; the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
        (status = 404, body = ApiErrorSchema, description = "no such post"),
    ))]
pub async fn reset_member_pin(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    path: Result<Path<String>, PathRejection>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<(StatusCode, Json<PinResetAnswer>), ApiError> {
    let post: PostId = path_id(path, "a post id", "联防所编号")?;
    let form = BodyFields::new(body, &["member"])?;
    let member = form.required_text("member")?.trim();
    let mut report = ValidationReport::default();
    check_short_text(&mut report, "member", member);
    if !report.is_empty() {
        return Err(ApiError::invalid(report));
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    let reset = state
        .storage
        .reset_member_pin(post, member, now_ms, &admin.actor())
        .await?
        .ok_or_else(ApiError::not_found)?;
    tracing::info!(%post, admin = %admin.username, "member PIN reset");
    let answer = PinResetAnswer {
        id: reset.id.to_string(),
        member: reset.member,
        issued_at: reset
            .issued_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    Ok((StatusCode::CREATED, Json(answer)))
}
