//! `/api/v1/admin/session`: log in (a `pl_session` cookie), who is logged in, log out.

use super::auth::{cleared_session_cookie, request_session_token, session_cookie, AdminSession};
use super::config::request_scheme;
use super::input::BodyFields;
use crate::http::client_address::ClientAddress;
use crate::http::error::ApiError;
use crate::http::json::ApiJson;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use crate::storage::admin_sessions::{log_in_admin, AdminRole};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// Who is logged in.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SessionAnswer {
    pub username: String,
    pub role: AdminRole,
}

/// The login form.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the body, which is read field by field
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[utoipa::path(post, path = "/api/v1/admin/session", tag = "admin",
    summary = "Log in: sets the pl_session cookie (HttpOnly, SameSite=Strict, 12 h sliding)",
    request_body = LoginRequest,
    responses(
        (status = 200, body = SessionAnswer,
         headers(("set-cookie" = String, description = "pl_session=…; HttpOnly; SameSite=Strict; Path=/; Max-Age=43200[; Secure]"))),
        (status = 400, body = ApiErrorSchema, description = "username or password missing"),
        (status = 401, body = ApiErrorSchema, description = "wrong user name or password (one message for both)"),
        (status = 429, body = ApiErrorSchema, description = "too many failed logins of this account or address; Retry-After says when"),
        (status = 503, body = ApiErrorSchema, description = "too many logins are being checked; Retry-After"),
    ))]
pub async fn log_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let form = BodyFields::new(body, &["username", "password"])?;
    let (username, password) = (
        form.required_text("username")?,
        form.required_text("password")?,
    );
    state.attempts.may_log_in(username, address)?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let Some(opened) = log_in_admin(
        state.storage.as_ref(),
        username,
        password,
        Some(address),
        now_ms,
    )
    .await?
    else {
        state.attempts.login_failed(username, address);
        tracing::warn!(%address, "failed admin login");
        return Err(ApiError::unauthorized(
            "wrong user name or password",
            "用户名或密码错误",
        ));
    };
    state.attempts.login_succeeded(username, address);
    tracing::info!(admin = %opened.session.username, "admin logged in");
    let answer = SessionAnswer {
        username: opened.session.username,
        role: opened.session.role,
    };
    let secure = request_scheme(&state, &headers) == "https";
    let cookie = session_cookie(&opened.token, secure);
    Ok(([(header::SET_COOKIE, cookie)], Json(answer)).into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/session", tag = "admin",
    summary = "Who is logged in; the cookie is sent again with a fresh Max-Age",
    responses(
        (status = 200, body = SessionAnswer),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn current(
    State(state): State<AppState>,
    session: AdminSession,
    headers: HeaderMap,
) -> Response {
    let answer = Json(SessionAnswer {
        username: session.username,
        role: session.role,
    });
    match request_session_token(&headers) {
        Some(token) => (
            [(
                header::SET_COOKIE,
                session_cookie(&token, request_scheme(&state, &headers) == "https"),
            )],
            answer,
        )
            .into_response(),
        None => answer.into_response(),
    }
}

#[utoipa::path(delete, path = "/api/v1/admin/session", tag = "admin",
    summary = "Log out: the session ends on the server and the cookie is cleared",
    responses(
        (status = 204, description = "logged out"),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn log_out(
    State(state): State<AppState>,
    session: AdminSession,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    state
        .storage
        .delete_admin_session(&session.token_sha256)
        .await?;
    tracing::info!(admin = %session.username, "admin logged out");
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            cleared_session_cookie(request_scheme(&state, &headers) == "https"),
        )],
    )
        .into_response())
}
