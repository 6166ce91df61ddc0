//! `POST /api/v1/admin/entries/{id}/review`: approve an entry, or return it to its post with a
//! comment. The entry's new version reaches every device of the post on its next pull.
//! `POST /api/v1/admin/reviews`: the same decision on many entries at once (the list's
//! selection), in one transaction, answering what became of each id.

use super::auth::AdminWriter;
use super::input::{path_id, BodyFields};
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::dashboard::{BulkReviewOutcome, EntrySummary, NewReview, MAX_BULK_REVIEW};
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
    let (decision, review) = decision_of(&form, &admin.username)?;
    let summary = state
        .storage
        .review_entry(id, review, &admin.actor())
        .await?
        .ok_or_else(ApiError::not_found)?;
    tracing::info!(entry = %id, admin = %admin.username, decision = decision.code(), "entry reviewed");
    Ok(axum::Json(summary).into_response())
}

/// The `decision` and `comment` of a review body, checked.
fn decision_of(form: &BodyFields, reviewer: &str) -> Result<(ReviewDecision, NewReview), ApiError> {
    let decision_text = form.required_text("decision")?;
    let decision = ReviewDecision::from_code(decision_text.trim()).ok_or_else(|| {
        ApiError::bad_field(
            "decision",
            format!("{decision_text:?} is not approved or returned"),
            format!("“{decision_text}”应为 approved(通过)或 returned(退回)"),
        )
    })?;
    let comment = form.optional_text("comment")?.unwrap_or_default();
    let review = NewReview::new(decision, comment, reviewer, chrono::Utc::now())
        .map_err(ApiError::invalid)?;
    Ok((decision, review))
}

/// One decision on many entries.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the body, which is read field by field
pub struct BulkReviewRequest {
    /// 1 to 500 entry ids (UUIDs); an id given twice counts once.
    #[schema(value_type = Vec<uuid::Uuid>)]
    pub entry_ids: Vec<String>,
    /// approved or returned
    pub decision: String,
    /// Required (non-blank) to return; at most 500 characters. The same for every entry.
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/admin/reviews", tag = "admin",
    summary = "One decision on up to 500 entries, in one transaction (role admin, header X-Patrol-Dashboard: 1)",
    request_body = BulkReviewRequest,
    responses(
        (status = 200, body = BulkReviewOutcome, description = "which ids were reviewed, already so (unchanged), or unknown"),
        (status = 400, body = ApiErrorSchema, description = "a bad field (names it: entry_ids, entry_ids[i], decision, comment), or the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
    ))]
pub async fn review_entries(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let form = BodyFields::new(body, &["entry_ids", "decision", "comment"])?;
    let ids: Vec<EntryId> = form.id_list("entry_ids", MAX_BULK_REVIEW)?;
    let (decision, review) = decision_of(&form, &admin.username)?;
    let outcome = state
        .storage
        .review_entries(ids, review, &admin.actor())
        .await?;
    tracing::info!(
        admin = %admin.username,
        decision = decision.code(),
        reviewed = outcome.reviewed.len(),
        unchanged = outcome.unchanged.len(),
        not_found = outcome.not_found.len(),
        "entries reviewed"
    );
    Ok(axum::Json(outcome).into_response())
}
