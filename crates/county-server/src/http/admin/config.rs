//! `GET /api/v1/admin/config`: what the dashboard needs to know about this server (the map
//! tile URL of `serve --map-tile-url`, and the URL devices reach the server on), and how that
//! URL is found: `serve --public-url`, else the scheme and `Host` the admin reached us on.

use super::auth::AdminSession;
use crate::http::error::ApiError;
use crate::http::openapi::ApiErrorSchema;
use crate::http::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The dashboard's settings.
#[derive(Debug, Serialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DashboardConfig {
    /// A tile URL template (`…/{z}/{x}/{y}.png`); null: the map draws a plain grid.
    pub map_tile_url: Option<String>,
    /// The URL devices enrol with.
    pub server_url: String,
    /// The year of the latest live entry (in the members' local days); null with no entry.
    /// Statistics and the year-end report open on it: in January the year just ended.
    pub latest_entry_year: Option<i32>,
}

/// The scheme the browser used: `https` when this server speaks TLS or a proxy in front says
/// so (`X-Forwarded-Proto`), else `http`.
pub fn request_scheme(state: &AppState, headers: &HeaderMap) -> &'static str {
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    if state.dashboard.served_over_tls || forwarded_https {
        "https"
    } else {
        "http"
    }
}

/// The URL devices should use: `--public-url` if given, else the one this request came to.
pub fn server_url(state: &AppState, headers: &HeaderMap) -> Result<String, ApiError> {
    if let Some(url) = &state.dashboard.public_url {
        return Ok(url.clone());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .ok_or_else(|| {
            ApiError::bad_field(
                "Host",
                "the Host header is missing or not a host name; start the server with --public-url",
                "请求头 Host 缺失或格式不对;请用 --public-url 启动服务器",
            )
        })?;
    let scheme = request_scheme(state, headers);
    Ok(format!("{scheme}://{host}"))
}

#[utoipa::path(get, path = "/api/v1/admin/config", tag = "admin",
    summary = "The map tile URL (serve --map-tile-url), the server's URL for devices, the latest year with entries",
    responses(
        (status = 200, body = DashboardConfig),
        (status = 401, body = ApiErrorSchema, description = "no session, or it expired"),
    ))]
pub async fn config(
    State(state): State<AppState>,
    _session: AdminSession,
    headers: HeaderMap,
) -> Result<Json<DashboardConfig>, ApiError> {
    Ok(Json(DashboardConfig {
        map_tile_url: state.dashboard.map_tile_url.clone(),
        server_url: server_url(&state, &headers)?,
        latest_entry_year: state.storage.latest_entry_year().await?,
    }))
}
