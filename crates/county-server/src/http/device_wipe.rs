//! `POST /api/v1/device/wiped`: a device the county ordered to wipe its data says it has, and
//! what it still held unsent then. Its old token is accepted for this alone.

use super::auth::DeviceToWipe;
use super::error::ApiError;
use super::json::ApiJson;
use super::AppState;
use axum::extract::State;
use axum::Json;
use patrol_model::sync::{WipeReport, MAX_WIPE_REPORT_COUNT};

#[utoipa::path(post, path = "/api/v1/device/wiped", tag = "device",
    summary = "A device ordered to wipe its data reports it has, with what it held unsent",
    security(("device_token" = [])),
    request_body(content = Object, description = "WipeReport: unsent_entries, unsent_photos, unsent_photo_bytes"),
    responses(
        (status = 200, body = Object, description = "kept: `{}` (a report sent again is answered the same, and the first one stays)"),
        (status = 400, body = super::openapi::ApiErrorSchema, description = "a count is missing, not a whole number, or implausibly large"),
        (status = 401, body = super::openapi::ApiErrorSchema, description = "unknown device token"),
        (status = 409, body = super::openapi::ApiErrorSchema, description = "no wipe was ordered for this device"),
    ))]
pub async fn report_wipe(
    State(state): State<AppState>,
    DeviceToWipe(device): DeviceToWipe,
    ApiJson(report): ApiJson<WipeReport>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if let Some(field) = report.implausible_field() {
        return Err(ApiError::bad_field(
            field,
            format!("more than {MAX_WIPE_REPORT_COUNT} is implausible"),
            format!("数值超过 {MAX_WIPE_REPORT_COUNT},不合理"),
        ));
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    state
        .storage
        .record_device_wipe(device.device_id, report, now_ms)
        .await?;
    tracing::info!(device = %device.device_id, ?report, "device wiped on the county's order");
    Ok(Json(serde_json::json!({})))
}
