//! `GET /api/v1/admin/reports/annual?year=Y[&format=json|xlsx|csv]`: the year-end report, as
//! JSON or as a download (`patrol-log-annual-Y.xlsx|csv`), the same figures
//! `county-server report` prints.

use super::auth::AdminSession;
use super::download::{attachment, write_off_thread};
use super::input::QueryFields;
use crate::audit::{record_audit, AuditEvent};
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::report::{write_annual_report, AnnualReport, ReportFormat, REPORT_YEARS};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

#[utoipa::path(get, path = "/api/v1/admin/reports/annual", tag = "admin",
    summary = "The year-end report: JSON, or an XLSX / CSV (UTF-8 with BOM) attachment",
    params(
        ("year" = i32, Query, description = "2000–2100"),
        ("format" = Option<String>, Query, description = "json (default), xlsx or csv"),
    ),
    responses(
        (status = 200, body = AnnualReport,
         description = "JSON; with format=xlsx or csv the file, Content-Disposition: attachment; filename=patrol-log-annual-Y.xlsx|csv"),
        (status = 400, body = ApiErrorSchema, description = "year missing or outside 2000–2100, format unknown"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn annual_report(
    State(state): State<AppState>,
    session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let query = QueryFields::read(query, &["year", "format"])?;
    let year = query.year(REPORT_YEARS)?;
    let format = query
        .choice("format", &["json", "xlsx", "csv"], ReportFormat::from_code)?
        .unwrap_or(ReportFormat::Json);
    let report = state.storage.annual_report(year).await?;
    if format == ReportFormat::Json {
        return Ok(axum::Json(report).into_response());
    }
    let file = write_off_thread(move |file| write_annual_report(&report, format, file)).await?;
    let event = AuditEvent::ReportWritten {
        year,
        format: format.code().into(),
    };
    record_audit(state.storage.as_ref(), &session.actor(), event).await?;
    attachment(format.content_type(), &format.file_name(year), file)
}
