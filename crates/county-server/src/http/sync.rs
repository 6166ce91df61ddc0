//! `POST /api/v1/sync`: push records, pull the post's changes, in one transaction.

use super::auth::DeviceAuth;
use super::error::ApiError;
use super::json::ApiJson;
use super::AppState;
use axum::extract::State;
use axum::Json;
use chrono::Utc;
use patrol_model::sync::{SyncRequest, SyncResponse, WireSyncRequest};

#[utoipa::path(post, path = "/api/v1/sync", tag = "device",
    summary = "Push records and pull the post's changes in one transaction (docs/sync-protocol.md); bodies zstd or gzip",
    security(("device_token" = [])),
    request_body(content = Object, description = "WireSyncRequest: protocol, device_time, records, pull"),
    responses(
        (status = 200, body = Object, description = "SyncResponse: acknowledged_through, rejected, missing, pulled entries, next_cursor"),
        (status = 400, body = super::openapi::ApiErrorSchema, description = "a bad request; nothing was stored"),
        (status = 401, body = super::openapi::ApiErrorSchema, description = "unknown or revoked device token"),
        (status = 403, body = super::openapi::ApiErrorSchema, description = "an entry of another post"),
        (status = 413, body = super::openapi::ApiErrorSchema, description = "too large"),
    ))]
pub async fn sync(
    State(state): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    ApiJson(wire): ApiJson<WireSyncRequest>,
) -> Result<Json<SyncResponse>, ApiError> {
    let request = SyncRequest::from_wire(wire, device.device_id)
        .map_err(|reason| ApiError::bad_request(reason, "同步请求格式不对"))?;
    let records = request.records.len();
    let answer = state.storage.sync(device, request, Utc::now()).await?;
    tracing::debug!(device = %device.device_id, records, acknowledged = answer.acknowledged_through, "sync");
    Ok(Json(answer))
}
