//! `POST /api/v1/admin/devices/{id}/revoke`: refuse every further request of a device;
//! `POST /api/v1/admin/devices/{id}/wipe`: the same, and have the phone delete its store and
//! photos on its next contact (停用并清除).

use super::auth::AdminWriter;
use super::input::path_id;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::dashboard::DeviceOverview;
use crate::storage::Revocation;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use patrol_model::DeviceId;

#[utoipa::path(post, path = "/api/v1/admin/devices/{id}/revoke", tag = "admin",
    summary = "Revoke a device (role admin, header X-Patrol-Dashboard: 1); its next request is refused",
    params(("id" = String, Path, description = "the device's id (UUID)")),
    responses(
        (status = 200, body = DeviceOverview, description = "the device, revoked, as the overview lists it"),
        (status = 400, body = ApiErrorSchema, description = "id is not a UUID, or the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
        (status = 404, body = ApiErrorSchema, description = "no such device"),
    ))]
pub async fn revoke_device(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<DeviceOverview>, ApiError> {
    let id: DeviceId = path_id(path, "a device id", "设备编号")?;
    revoke(&state, &admin, id, Revocation::KeepData).await
}

#[utoipa::path(post, path = "/api/v1/admin/devices/{id}/wipe", tag = "admin",
    summary = "Revoke a device and order it to delete its store and photos on its next contact (role admin, header X-Patrol-Dashboard: 1)",
    params(("id" = String, Path, description = "the device's id (UUID)")),
    responses(
        (status = 200, body = DeviceOverview, description = "the device, revoked with a wipe ordered, as the overview lists it"),
        (status = 400, body = ApiErrorSchema, description = "id is not a UUID, or the header is missing"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
        (status = 404, body = ApiErrorSchema, description = "no such device"),
    ))]
pub async fn wipe_device(
    State(state): State<AppState>,
    AdminWriter(admin): AdminWriter,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<DeviceOverview>, ApiError> {
    let id: DeviceId = path_id(path, "a device id", "设备编号")?;
    revoke(&state, &admin, id, Revocation::WipeData).await
}

async fn revoke(
    state: &AppState,
    admin: &super::auth::AdminSession,
    id: DeviceId,
    revocation: Revocation,
) -> Result<Json<DeviceOverview>, ApiError> {
    let now_ms = chrono::Utc::now().timestamp_millis();
    if !state
        .storage
        .revoke_device(id, revocation, now_ms, &admin.actor())
        .await?
    {
        return Err(ApiError::not_found());
    }
    tracing::info!(device = %id, admin = %admin.username, ?revocation, "device revoked");
    let device = state
        .storage
        .overview(now_ms, super::overview::SILENT_DAYS)
        .await?
        .devices
        .into_iter()
        .find(|device| device.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(device))
}
