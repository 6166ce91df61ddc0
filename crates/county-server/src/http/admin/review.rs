//! `POST /api/v1/admin/entries/{id}/review`: approve an entry, or return it to its post with a
//! comment. The entry's new version reaches every device of the post on its next pull.

use super::auth::AdminWriter;
use super::input::{path_id, BodyFields};
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::dashboard::{EntrySummary, NewReview};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use patrol_model::{DomainCode, EntryId, ReviewDecision};
use utoipa::ToSchema;

/// A county admin's decision.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the body, which is read field by field
pub struct ReviewRequest {
    /// approved or returned
    pub decision: String,
    /// Required (non-blank) to return; at most 500 characters.
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/entries/{id}/review", tag = "admin",
    summary = "Approve or return an entry (role admin, header X-Patrol-Dashboard: 1)",
    params(("id" = String, Path, description = "the entry's id (UUID)")),
    request_body = ReviewRequest,
    responses(
        (status = 200, body = EntrySummary, description = "the entry with its new review"),
        (status = 400, body = ApiErrorSchema, description = "a bad field (names it), or the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
        (status = 404, body = ApiErrorSchema, description = "no such entry"),
    ))]
pub async fn review_entry(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    path: Result<Path<String>, PathRejection>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let id: EntryId = path_id(path, "an entry id", "条目编号")?;
    let form = BodyFields::new(body, &["decision", "comment"])?;
    let decision_text = form.required_text("decision")?;
    let decision = ReviewDecision::from_code(decision_text.trim()).ok_or_else(|| {
        ApiError::bad_field(
            "decision",
            format!("{decision_text:?} is not approved or returned"),
            format!("“{decision_text}”应为 approved(通过)或 returned(退回)"),
        )
    })?;
    let comment = form.optional_text("comment")?.unwrap_or_default();
    let review = NewReview::new(decision, comment, &admin.username, chrono::Utc::now())
        .map_err(ApiError::invalid)?;
    let summary = state
        .storage
        .review_entry(id, review, &admin.actor())
        .await?
        .ok_or_else(ApiError::not_found)?;
    tracing::info!(entry = %id, admin = %admin.username, decision = decision.code(), "entry reviewed");
    Ok(axum::Json(summary).into_response())
}
