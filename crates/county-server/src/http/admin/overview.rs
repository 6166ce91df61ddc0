//! `GET /api/v1/admin/overview`: totals, posts (silent ones flagged) and devices at a glance.

use super::auth::AdminSession;
use super::input::QueryFields;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::dashboard::Overview;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

/// A post is silent when none of its devices made contact for this many days (or ever).
pub const SILENT_DAYS: u32 = 7;

#[utoipa::path(get, path = "/api/v1/admin/overview", tag = "admin",
    summary = "Totals, posts and devices (sync health) at a glance",
    responses(
        (status = 200, body = Overview),
        (status = 400, body = ApiErrorSchema, description = "an unknown query field"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn overview(
    State(state): State<AppState>,
    _session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    QueryFields::read(query, &[])?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let overview = state.storage.overview(now_ms, SILENT_DAYS).await?;
    Ok(axum::Json(overview).into_response())
}
