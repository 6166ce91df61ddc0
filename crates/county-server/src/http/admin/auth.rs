//! Who is asking on the dashboard: the `pl_session` cookie → a live admin session
//! ([`AdminSession`], 401 without one), and for a change ([`AdminWriter`]) role `admin` (403
//! for a viewer) and the header `X-Patrol-Dashboard: 1` (400 without: a cross-site form cannot
//! set it). Also the cookie itself: HttpOnly, SameSite=Strict, Path=/, Max-Age, and Secure when
//! the browser came over HTTPS (this server's TLS, or a TLS proxy's `X-Forwarded-Proto`).

use crate::audit::Actor;
use crate::http::client_address::client_address_of;
use crate::http::error::ApiError;
use crate::http::AppState;
use crate::secrets::sha256_hex;
use crate::storage::admin_sessions::{AdminRole, ADMIN_SESSION_TTL_MS};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use cookie::{Cookie, SameSite};
use std::net::IpAddr;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "pl_session";
/// The header every change must carry.
pub const DASHBOARD_HEADER: &str = "x-patrol-dashboard";

/// A request with a live admin session.
#[derive(Debug, Clone)]
pub struct AdminSession {
    pub username: String,
    pub role: AdminRole,
    /// SHA-256 of the cookie's token (how the session is found and ended).
    pub token_sha256: String,
    /// Where the request came from (for the audit log).
    pub address: Option<IpAddr>,
}

impl AdminSession {
    /// The admin as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::admin(&self.username, self.address)
    }
}

/// A request allowed to change something: role `admin` and the dashboard header.
#[derive(Debug, Clone)]
pub struct AdminWriter(pub AdminSession);

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == SESSION_COOKIE)
        .map(|cookie| cookie.value().to_string())
        .filter(|token| !token.is_empty())
}

fn not_logged_in() -> ApiError {
    ApiError::unauthorized(
        "log in first: no session, or the session expired",
        "请先登录(未登录或登录已过期)",
    )
}

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_token(&parts.headers).ok_or_else(not_logged_in)?;
        let token_sha256 = sha256_hex(&token);
        let now_ms = chrono::Utc::now().timestamp_millis();
        let session = state
            .storage
            .find_live_admin_session(&token_sha256, now_ms)
            .await?
            .ok_or_else(not_logged_in)?;
        Ok(AdminSession {
            username: session.username,
            role: session.role,
            token_sha256,
            address: client_address_of(parts, state.edge.behind_proxy),
        })
    }
}

impl FromRequestParts<AppState> for AdminWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = AdminSession::from_request_parts(parts, state).await?;
        if session.role != AdminRole::Admin {
            return Err(ApiError::forbidden(
                "a viewer may only read; this needs role admin",
                "只读账号不能修改,需要管理员账号",
            ));
        }
        let marked = parts
            .headers
            .get(DASHBOARD_HEADER)
            .is_some_and(|value| value.as_bytes() == b"1");
        if !marked {
            return Err(ApiError::bad_field(
                "X-Patrol-Dashboard",
                "a change must carry the header X-Patrol-Dashboard: 1",
                "修改请求必须带请求头 X-Patrol-Dashboard: 1",
            ));
        }
        Ok(AdminWriter(session))
    }
}

/// `Set-Cookie` for a new (or refreshed) session.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie_header(
        Cookie::build((SESSION_COOKIE, token.to_string()))
            .max_age(cookie::time::Duration::milliseconds(ADMIN_SESSION_TTL_MS)),
        secure,
    )
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn cleared_session_cookie(secure: bool) -> HeaderValue {
    cookie_header(
        Cookie::build((SESSION_COOKIE, "")).max_age(cookie::time::Duration::ZERO),
        secure,
    )
}

fn cookie_header(builder: cookie::CookieBuilder<'static>, secure: bool) -> HeaderValue {
    let cookie = builder
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(secure)
        .build();
    // A token is base64url, so the cookie is always a valid header value.
    HeaderValue::from_str(&cookie.to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("pl_session=; Max-Age=0; Path=/"))
}

/// The token of the request's session cookie, for re-sending it with a fresh Max-Age.
pub fn request_session_token(headers: &HeaderMap) -> Option<String> {
    session_token(headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_tls() {
        let plain = session_cookie("abc_-9", false);
        let text = plain.to_str().unwrap();
        assert!(text.starts_with("pl_session=abc_-9"));
        for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
        assert!(!text.contains("Secure"));
        assert!(session_cookie("abc", true)
            .to_str()
            .unwrap()
            .contains("Secure"));
        assert!(cleared_session_cookie(false)
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; pl_session=tok123; lang=zh"),
        );
        assert_eq!(session_token(&headers).as_deref(), Some("tok123"));
        headers.insert(header::COOKIE, HeaderValue::from_static("pl_session="));
        assert_eq!(session_token(&headers), None);
    }
}
