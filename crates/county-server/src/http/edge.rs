//! The HTTP edge every request and answer passes through, built from tower-http's layers: a
//! tracing span per request, security headers, answers compressed by `Accept-Encoding`, every
//! error answer as our JSON `ApiError`, a deadline per request, a bound on the raw body and on
//! how long it may stall, and request bodies decompressed (zstd, gzip) on the JSON routes.
//! Handlers see none of this.

use super::error::ApiError;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::{DefaultOnFailure, TraceLayer};

/// The largest request body on the wire, and (for sync) once decompressed.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// The largest decompressed body of an enrolment (a code, an id and a label).
pub const MAX_ENROLMENT_BODY_BYTES: usize = 16 * 1024;
/// The largest decompressed body of a dashboard request (a login, a review, a post).
pub const MAX_ADMIN_BODY_BYTES: usize = 256 * 1024;
/// A request (its body included) must be answered within this; a 2G device sizes each
/// request to a few seconds of its link, so this only ends requests that are stuck.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(10 * 60);
/// A request body that moves no byte for this long ends the request.
pub const BODY_STALL_TIMEOUT: Duration = Duration::from_secs(60);

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// What the security headers depend on.
#[derive(Debug, Clone, Default)]
pub struct EdgeSettings {
    /// The dashboard loads map tiles from this origin (`serve --map-tile-url`).
    pub map_tile_origin: Option<String>,
    /// HTTPS is served: browsers are told to keep to it (HSTS).
    pub served_over_tls: bool,
    /// A proxy in front terminates TLS; the client is its `X-Forwarded-For`.
    pub behind_proxy: bool,
}

/// The origin (`https://tiles.example:8443`) of a tile URL template, for the CSP; a `{s}.`
/// subdomain placeholder becomes `*.`. `None` for anything else than http(s) and a host.
pub fn url_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = match host.strip_prefix("{s}.") {
        Some(rest) => format!("*.{rest}"),
        None => host.to_string(),
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "-.:[]*".contains(c);
    (matches!(scheme, "http" | "https") && !host.is_empty() && host.chars().all(allowed))
        .then(|| format!("{scheme}://{host}"))
}

/// `router` with the edge's layers around every route and the fallback.
pub fn with_edge_layers(router: Router, settings: &EdgeSettings) -> Router {
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID.clone(), MakeRequestUuid))
        // A 5xx is not logged again here at ERROR: an internal error is logged once, with its
        // cause, by `ApiError`, and a 503 "busy" is load shed on purpose (a login flood would
        // otherwise write a line per refused guess).
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
        )
        .layer(PropagateRequestIdLayer::new(REQUEST_ID.clone()))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            header_value(&content_security_policy(settings)),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            settings
                .served_over_tls
                .then(|| HeaderValue::from_static("max-age=31536000")),
        ))
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(
                NotForContentType::const_new(super::basemap::ARCHIVE_CONTENT_TYPE),
            )),
        )
        .layer(axum::middleware::map_response(errors_as_json));
    let body_bounds = ServiceBuilder::new()
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(RequestBodyTimeoutLayer::new(BODY_STALL_TIMEOUT));
    let deadline = TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_DEADLINE);
    // Each `layer` call answers `Response<Body>` again, which the timeout needs.
    router.layer(body_bounds).layer(deadline).layer(layers)
}

/// The JSON routes' request bodies: decompressed (zstd, gzip; anything else a 415), and at
/// most `decompressed_limit` bytes once decompressed (a 413).
pub fn json_body_layers<S: Clone + Send + Sync + 'static>(
    router: utoipa_axum::router::OpenApiRouter<S>,
    decompressed_limit: usize,
) -> utoipa_axum::router::OpenApiRouter<S> {
    router
        .layer(DefaultBodyLimit::max(decompressed_limit))
        .layer(RequestDecompressionLayer::new())
}

fn request_span(request: &Request<Body>) -> tracing::Span {
    let id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id)
}

/// The dashboard's Content-Security-Policy: its own scripts only, Vant's inline styles, images
/// from itself (photos, `data:` and `blob:` for the map's canvas) and the tile server, no
/// framing by anyone.
pub fn content_security_policy(settings: &EdgeSettings) -> String {
    let tiles = settings
        .map_tile_origin
        .as_deref()
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{tiles}; font-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// An error answer that is not JSON yet (a layer's 408, 413 or 415, axum's own rejections)
/// becomes our `ApiError`, so every 4xx and 5xx a client sees is JSON.
async fn errors_as_json(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let mut error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(format!(
            "the body is larger than allowed here ({MAX_BODY_BYTES} bytes at most on the wire)"
        )),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            status,
            "unsupported_encoding",
            "this Content-Encoding is not supported: use zstd, gzip or identity",
            "不支持的压缩格式",
        ),
        StatusCode::REQUEST_TIMEOUT => ApiError::new(
            status,
            "request_timeout",
            "the request took too long or its body stopped arriving",
            "请求超时,请重试",
        ),
        _ => ApiError::new(
            status,
            "http_error",
            status.canonical_reason().unwrap_or("error").to_string(),
            "请求失败",
        ),
    };
    error.status = status;
    let mut answer = error.into_response();
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|text| text.starts_with("application/json"))
}

/// A header value from text made here (a tile origin checked at start-up).
fn header_value(text: &str) -> HeaderValue {
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_template_gives_its_origin() {
        let origin = |url| url_origin(url);
        assert_eq!(
            origin("https://tiles.example:8443/{z}/{x}/{y}.png").as_deref(),
            Some("https://tiles.example:8443")
        );
        assert_eq!(
            origin("https://{s}.tile.example/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example")
        );
        assert_eq!(origin("javascript:alert(1)"), None);
        assert_eq!(origin("https://x'; script-src *"), None);
    }
}
