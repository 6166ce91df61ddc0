//! `GET /api/v1/admin/entries` (filtered, keyset-paged, newest first) and
//! `GET /api/v1/admin/entries/{id}` (one entry, its history and photos).

use super::auth::AdminSession;
use super::input::{path_id, QueryFields};
use super::photos::{photo_answers, EntryPhoto};
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::dashboard::{
    DashboardEntryFilter, EntryCursor, EntryHistoryVersion, EntryPage, EntrySummary, ReviewFilter,
    DEFAULT_ENTRY_PAGE, MAX_ENTRY_PAGE,
};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use patrol_model::{EntryId, EntryKind, EntryStatus, PostId};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

const ENTRY_QUERY_FIELDS: &[&str] = &[
    "post", "kind", "from", "to", "status", "review", "q", "cursor", "limit", "deleted",
];

/// `?post=&kind=&from=&to=&status=&review=&q=&deleted=` as a filter.
fn entry_filter(query: &QueryFields) -> Result<DashboardEntryFilter, ApiError> {
    let (from_day, to_day) = query.day_range()?;
    Ok(DashboardEntryFilter {
        post_id: query.parsed::<PostId>("post", "a post id (UUID)", "联防所编号")?,
        kind: query.code::<EntryKind>("kind")?,
        from_day,
        to_day,
        status: query.code::<EntryStatus>("status")?,
        review: query.choice(
            "review",
            &["pending", "approved", "returned"],
            ReviewFilter::from_code,
        )?,
        text: query.text("q").map(|text| text.trim().to_string()),
        include_deleted: query.flag("deleted")?,
    })
}

#[utoipa::path(get, path = "/api/v1/admin/entries", tag = "admin",
    summary = "Entries, filtered, newest first (keyset on corrected occurred time, then id)",
    params(
        ("post" = Option<String>, Query, description = "a post id"),
        ("kind" = Option<String>, Query, description = "patrol, hazard, repair, incident, outreach, activity"),
        ("from" = Option<String>, Query, description = "first local day, YYYY-MM-DD"),
        ("to" = Option<String>, Query, description = "last local day, YYYY-MM-DD (inclusive)"),
        ("status" = Option<String>, Query, description = "open, fixed, running, ended"),
        ("review" = Option<String>, Query, description = "pending, approved, returned"),
        ("q" = Option<String>, Query, description = "text in the entry (any length)"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
        ("deleted" = Option<bool>, Query, description = "true to include deleted entries"),
    ),
    responses(
        (status = 200, body = EntryPage),
        (status = 400, body = ApiErrorSchema, description = "a bad query value; names the field"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn list_entries(
    State(state): State<AppState>,
    _session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = QueryFields::read(query, ENTRY_QUERY_FIELDS)?;
    let filter = entry_filter(&query)?;
    let cursor =
        query.parsed::<EntryCursor>("cursor", "a cursor this server gave", "有效的翻页位置")?;
    let limit = query
        .number_in("limit", 1..=i64::from(MAX_ENTRY_PAGE))?
        .and_then(|limit| u32::try_from(limit).ok())
        .unwrap_or(DEFAULT_ENTRY_PAGE);
    let page = state.storage.entry_page(filter, cursor, limit).await?;
    Ok(axum::Json(page).into_response())
}

// The storage's `EntryDetail`, each photo with its URLs and whether it is uploaded.
/// One entry with its history (oldest first, the current version last) and photos.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = EntryDetail)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EntryDetailAnswer {
    /// The entry's current document.
    #[cfg_attr(feature = "ts", ts(as = "patrol_model::Entry"))]
    pub entry: Value,
    pub post_name: String,
    pub device_label: Option<String>,
    pub summary: EntrySummary,
    pub history: Vec<EntryHistoryVersion>,
    pub photos: Vec<EntryPhoto>,
}

#[utoipa::path(get, path = "/api/v1/admin/entries/{id}", tag = "admin",
    summary = "One entry: its document, history (oldest first) and photos",
    params(("id" = String, Path, description = "the entry's id (UUID)")),
    responses(
        (status = 200, body = EntryDetailAnswer),
        (status = 400, body = ApiErrorSchema, description = "id is not a UUID"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 404, body = ApiErrorSchema, description = "no such entry"),
    ))]
pub async fn entry_detail(
    State(state): State<AppState>,
    _session: AdminSession,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let id: EntryId = path_id(path, "an entry id", "条目编号")?;
    let detail = state
        .storage
        .entry_detail(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let answer = EntryDetailAnswer {
        photos: photo_answers(&state, detail.summary.post_id, &detail.photos).await?,
        entry: detail.entry,
        post_name: detail.post_name,
        device_label: detail.device_label,
        summary: detail.summary,
        history: detail.history,
    };
    Ok(axum::Json(answer).into_response())
}
