//! `POST /api/v1/enroll`: a one-time code for the device's own token.

use super::client_address::ClientAddress;
use super::error::ApiError;
use super::json::ApiJson;
use super::AppState;
use crate::error::EnrolError;
use crate::secrets::{enrolment_code_hash, new_device_token, sha256_hex};
use crate::storage::NewDevice;
use axum::extract::State;
use axum::Json;
use chrono::Utc;
use patrol_model::sync::{EnrolRequest, EnrolResponse};
use patrol_model::validation::check_text;
use patrol_model::ValidationReport;

/// Longest device label, in characters.
const MAX_LABEL_CHARS: usize = 100;

#[utoipa::path(post, path = "/api/v1/enroll", tag = "device",
    summary = "Trade a one-time enrolment code for the device's own token",
    request_body = super::openapi::EnrolRequestSchema,
    responses(
        (status = 200, body = super::openapi::EnrolResponseSchema),
        (status = 400, body = super::openapi::ApiErrorSchema, description = "a bad body"),
        (status = 403, body = super::openapi::ApiErrorSchema, description = "the code is unknown, used or expired"),
        (status = 429, body = super::openapi::ApiErrorSchema, description = "too many invalid codes from this address; Retry-After says when"),
        (status = 409, body = super::openapi::ApiErrorSchema, description = "the device is enrolled and not revoked, or was revoked in another post"),
    ))]
pub async fn enroll(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<Json<EnrolResponse>, ApiError> {
    state.attempts.may_enrol(address)?;
    check_label(&request.label)?;
    // A revoked device may enrol again with a fresh code of its post (storage::Enrolment).
    let token = new_device_token().map_err(|error| ApiError::internal(&error))?;
    let now = Utc::now();
    let enrolled = state
        .storage
        .enrol_device(NewDevice {
            code_sha256: enrolment_code_hash(&request.code),
            device_id: request.device_id,
            label: request.label.trim().to_string(),
            token_sha256: sha256_hex(&token),
            now_ms: now.timestamp_millis(),
        })
        .await;
    if matches!(enrolled, Err(EnrolError::CodeInvalid)) {
        state.attempts.enrolment_failed(address);
        tracing::warn!(%address, "enrolment with an invalid code");
    }
    let post = enrolled?;
    tracing::info!(device = %request.device_id, post = %post.id, "device enrolled");
    let answer = EnrolResponse {
        device_id: request.device_id,
        post_id: post.id,
        post_name: post.name,
        device_token: token,
        server_time: now,
    };
    Ok(Json(answer))
}

/// The label the county sees: not too long, no control characters (a `label` problem).
fn check_label(label: &str) -> Result<(), ApiError> {
    let mut report = ValidationReport::default();
    check_text(&mut report, "label", label, MAX_LABEL_CHARS);
    if report.is_empty() {
        Ok(())
    } else {
        Err(ApiError::invalid(report))
    }
}
