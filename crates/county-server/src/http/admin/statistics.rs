//! `GET /api/v1/admin/statistics?year=Y[&post=]`: rows per post, local month, kind and category.

use super::auth::AdminSession;
use super::input::QueryFields;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::report::REPORT_YEARS;
use crate::storage::dashboard::Statistics;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use patrol_model::PostId;

#[utoipa::path(get, path = "/api/v1/admin/statistics", tag = "admin",
    summary = "One row per post, local month, kind and category with at least one live entry",
    params(
        ("year" = i32, Query, description = "2000–2100"),
        ("post" = Option<String>, Query, description = "a post id"),
    ),
    responses(
        (status = 200, body = Statistics),
        (status = 400, body = ApiErrorSchema, description = "a bad query value; names the field"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn statistics(
    State(state): State<AppState>,
    _session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = QueryFields::read(query, &["year", "post"])?;
    let year = query.year(REPORT_YEARS)?;
    let post = query.parsed::<PostId>("post", "a post id (UUID)", "联防所编号")?;
    let statistics = state.storage.statistics(year, post).await?;
    Ok(axum::Json(statistics).into_response())
}
