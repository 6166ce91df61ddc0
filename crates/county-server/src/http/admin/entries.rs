//! `GET /api/v1/admin/entries` (filtered, keyset-paged, newest first) and
//! `GET /api/v1/admin/entries/{id}` (one entry, its history and photos).

use super::auth::AdminSession;
use super::download::{attachment, write_off_thread};
use super::input::{path_id, QueryFields};
use super::photos::{photo_answers, EntryPhoto};
use crate::audit::{record_audit, AuditEvent, ExportSubject};
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::report::entry_list::{entry_list_file_name, write_entry_list};
use crate::report::ReportFormat;
use crate::storage::dashboard::{
    DashboardEntryFilter, EntryCursor, EntryHistoryVersion, EntryPage, EntrySummary, ReviewFilter,
    DEFAULT_ENTRY_PAGE, MAX_ENTRY_PAGE, MAX_EXPORT_ROWS,
};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use patrol_model::{EntryId, EntryKind, EntryStatus, HazardSeverity, PostId};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// The filters of the list (and of its export).
const FILTER_FIELDS: [&str; 11] = [
    "post",
    "kind",
    "from",
    "to",
    "status",
    "review",
    "q",
    "severity",
    "author",
    "returned_unfixed",
    "deleted",
];

/// The longest `author` the filter takes, in characters (a member's name is far shorter).
const MAX_AUTHOR_CHARS: usize = 100;

fn fields_with(more: &[&'static str]) -> Vec<&'static str> {
    FILTER_FIELDS.iter().chain(more).copied().collect()
}

/// `?post=&kind=&from=&to=&status=&review=&q=&severity=&author=&returned_unfixed=&deleted=`
/// as a filter.
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
        severity: query.code::<HazardSeverity>("severity")?,
        author: author(query)?,
        returned_unfixed: query.flag("returned_unfixed")?,
        include_deleted: query.flag("deleted")?,
    })
}

/// `author`: a member's name as recorded, trimmed; at most [`MAX_AUTHOR_CHARS`].
fn author(query: &QueryFields) -> Result<Option<String>, ApiError> {
    let Some(author) = query.text("author").map(str::trim) else {
        return Ok(None);
    };
    if author.chars().count() > MAX_AUTHOR_CHARS {
        return Err(ApiError::bad_field(
            "author",
            format!("a member's name has at most {MAX_AUTHOR_CHARS} characters"),
            format!("联防员姓名最多 {MAX_AUTHOR_CHARS} 个字"),
        ));
    }
    Ok(Some(author.to_string()))
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
        ("severity" = Option<String>, Query, description = "hazards of this severity: low, medium, high, critical"),
        ("author" = Option<String>, Query, description = "entries of this member (author exactly as recorded)"),
        ("returned_unfixed" = Option<bool>, Query, description = "true: only entries returned by the county and not changed by the post since"),
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
    let query = QueryFields::read(query, &fields_with(&["cursor", "limit"]))?;
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

#[utoipa::path(get, path = "/api/v1/admin/entries/export", tag = "admin",
    summary = "The filtered entries list as an XLSX or CSV (UTF-8 with BOM) attachment, newest first",
    params(
        ("format" = String, Query, description = "xlsx or csv"),
        ("post" = Option<String>, Query, description = "as the list"),
        ("kind" = Option<String>, Query, description = "as the list"),
        ("from" = Option<String>, Query, description = "as the list"),
        ("to" = Option<String>, Query, description = "as the list"),
        ("status" = Option<String>, Query, description = "as the list"),
        ("review" = Option<String>, Query, description = "as the list"),
        ("q" = Option<String>, Query, description = "as the list"),
        ("severity" = Option<String>, Query, description = "as the list"),
        ("author" = Option<String>, Query, description = "as the list"),
        ("returned_unfixed" = Option<bool>, Query, description = "as the list"),
        ("deleted" = Option<bool>, Query, description = "as the list"),
    ),
    responses(
        (status = 200, content_type = "text/csv",
         description = "the file, Content-Disposition: attachment; filename=patrol-log-entries-YYYYMMDD-HHMM.xlsx|csv"),
        (status = 400, body = ApiErrorSchema, description = "a bad query value (names it), format missing, or more than 100,000 entries match"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn export_entries(
    State(state): State<AppState>,
    session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = QueryFields::read(query, &fields_with(&["format"]))?;
    let filter = entry_filter(&query)?;
    let format = export_format(&query)?;
    let entries = entries_to_export(&state, filter).await?;
    let rows = entries.len() as u64;
    let file = write_off_thread(move |file| write_entry_list(&entries, format, file)).await?;
    let event = AuditEvent::Exported {
        subject: ExportSubject::Entries,
        format: format.code().into(),
        rows,
    };
    record_audit(state.storage.as_ref(), &session.actor(), event).await?;
    let file_name = entry_list_file_name(format, chrono::Utc::now());
    attachment(format.content_type(), &file_name, file)
}

/// `format`, required: `xlsx` or `csv`.
fn export_format(query: &QueryFields) -> Result<ReportFormat, ApiError> {
    query
        .choice("format", &["xlsx", "csv"], |code| match code {
            "xlsx" => Some(ReportFormat::Xlsx),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        })?
        .ok_or_else(|| {
            ApiError::bad_field(
                "format",
                "format is required: xlsx or csv",
                "缺少文件格式:xlsx 或 csv",
            )
        })
}

/// Every entry of `filter`, newest first, page by page; a 400 past [`MAX_EXPORT_ROWS`].
async fn entries_to_export(
    state: &AppState,
    filter: DashboardEntryFilter,
) -> Result<Vec<EntrySummary>, ApiError> {
    let mut entries = Vec::new();
    let mut cursor = None;
    loop {
        let page = state
            .storage
            .entry_page(filter.clone(), cursor, MAX_ENTRY_PAGE)
            .await?;
        cursor = page.entries.last().map(|last| last.cursor);
        entries.extend(page.entries);
        if entries.len() > MAX_EXPORT_ROWS {
            return Err(ApiError::bad_request(
                format!("more than {MAX_EXPORT_ROWS} entries match: narrow the filter"),
                format!("符合条件的条目超过 {MAX_EXPORT_ROWS} 条,请缩小筛选范围"),
            ));
        }
        if page.next_cursor.is_none() {
            return Ok(entries);
        }
    }
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
