//! `GET /api/v1/admin/audit`: the audit log (操作记录), newest first, keyset-paged, filtered by
//! action and by day. Admins only: a viewer is refused (403), since the log names every admin's
//! addresses and failed logins.

use super::auth::AdminSession;
use super::input::QueryFields;
use crate::audit::{china_midnight_ms, AuditAction};
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::admin_sessions::AdminRole;
use crate::storage::audit_log::{AuditQuery, AuditRecord, MAX_AUDIT_PAGE};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

const AUDIT_QUERY_FIELDS: &[&str] = &["action", "from", "to", "cursor", "limit"];
const DEFAULT_AUDIT_PAGE: u32 = 50;

/// A page of the audit log, newest first.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditPageAnswer {
    pub records: Vec<AuditRecord>,
    /// Pass as `cursor` for the next (older) page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin",
    summary = "The audit log, newest first (keyset on id); role admin only",
    params(
        ("action" = Option<String>, Query, description = "login, login_failed, review, revoke, export, report, enrolment_code, post_add, admin_save"),
        ("from" = Option<String>, Query, description = "first day, YYYY-MM-DD (UTC+8)"),
        ("to" = Option<String>, Query, description = "last day, YYYY-MM-DD (UTC+8, inclusive)"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
        ("limit" = Option<u32>, Query, description = "1–200, default 50"),
    ),
    responses(
        (status = 200, body = AuditPageAnswer),
        (status = 400, body = ApiErrorSchema, description = "a bad query value; names the field"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
        (status = 403, body = ApiErrorSchema, description = "a viewer"),
    ))]
pub async fn audit_log(
    State(state): State<AppState>,
    session: AdminSession,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    if session.role != AdminRole::Admin {
        return Err(ApiError::forbidden(
            "the audit log is for admins; a viewer may not read it",
            "操作记录仅管理员可查看",
        ));
    }
    let query = QueryFields::read(query, AUDIT_QUERY_FIELDS)?;
    let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.code()).collect();
    let action = query.choice("action", &names, AuditAction::from_code)?;
    let (from, to) = query.day_range()?;
    let before_id = query.number_in("cursor", 1..=i64::MAX).map_err(|_| {
        ApiError::bad_field(
            "cursor",
            "not a cursor this server gave",
            "不是有效的翻页位置",
        )
    })?;
    let limit = query
        .number_in("limit", 1..=i64::from(MAX_AUDIT_PAGE))?
        .and_then(|limit| u32::try_from(limit).ok())
        .unwrap_or(DEFAULT_AUDIT_PAGE);
    let audit_query = AuditQuery {
        action,
        since_ms: from.map(china_midnight_ms),
        until_ms: to.and_then(|day| day.succ_opt()).map(china_midnight_ms),
        before_id,
        limit,
    };
    let page = state.storage.audit_page(&audit_query).await?;
    let answer = AuditPageAnswer {
        records: page.records,
        next_cursor: page.next_before_id.map(|id| id.to_string()),
    };
    Ok(axum::Json(answer).into_response())
}
