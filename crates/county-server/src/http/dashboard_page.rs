//! The county dashboard's page: the single-page app `npm run build` writes to
//! `ui/dist-dashboard`, served at `/` with its hashed assets under `/assets/` (cached for good)
//! and its routes (`/login`, `/entries/…`, `/reports/annual`, …) answering `index.html` (never
//! cached, so a new build is picked up). Release builds embed the folder (rust-embed); debug
//! builds read it from disk at run time. When it was not built, a short page says how to build
//! it. Unknown `/api/…` paths stay JSON 404s.

use super::error::ApiError;
use axum::http::{header, HeaderValue, Method, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

/// The built dashboard (absent until `npm run build` ran in `ui/`).
#[derive(RustEmbed)]
#[folder = "../../ui/dist-dashboard/"]
#[allow_missing = true]
pub struct DashboardFiles;

/// The dashboard's own routes (its router's paths); each answers `index.html`.
pub const DASHBOARD_PAGES: &[&str] = &[
    "/",
    "/login",
    "/entries",
    "/entries/{id}",
    "/map",
    "/statistics",
    "/reports/annual",
    "/posts",
    "/audit",
];

const NOT_BUILT_PAGE: &str = "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>巡防日志 县级管理</title></head><body>\
<h1>县级管理页面尚未构建</h1><p>请在 <code>ui/</code> 目录运行 <code>npm run build</code>,\
然后重新编译并启动 county-server。</p>\
<p lang=\"en\">The county dashboard has not been built: run <code>npm run build</code> in \
<code>ui/</code>, then rebuild and restart county-server.</p></body></html>\n";

/// Answers a request no API route took: a dashboard file, the page itself, or a JSON 404.
pub async fn dashboard_fallback(method: Method, uri: Uri) -> Response {
    serve_dashboard::<DashboardFiles>(&method, uri.path())
}

/// What `path` answers with the files of `F` (generic so tests can use a fixture folder).
pub fn serve_dashboard<F: RustEmbed>(method: &Method, path: &str) -> Response {
    if path.starts_with("/api/") || path == "/api" {
        return ApiError::not_found().into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return ApiError::not_found().into_response();
    }
    let file_path = path.trim_start_matches('/');
    if let Some(asset) = file_path.strip_prefix("assets/") {
        return match F::get(&format!("assets/{asset}")) {
            Some(file) => file_response(file, "public, max-age=31536000, immutable"),
            None => ApiError::not_found().into_response(),
        };
    }
    if is_dashboard_page(path) {
        return match F::get("index.html") {
            Some(file) => file_response(file, "no-cache"),
            None => page_response(
                NOT_BUILT_PAGE.as_bytes().to_vec(),
                "text/html; charset=utf-8",
            ),
        };
    }
    // favicon.ico and the other files Vite copies to the top of the build.
    match F::get(file_path).filter(|_| file_path != "index.html") {
        Some(file) => file_response(file, "no-cache"),
        None => ApiError::not_found().into_response(),
    }
}

/// Whether `path` is one of [`DASHBOARD_PAGES`] (`{id}` standing for one path segment).
fn is_dashboard_page(path: &str) -> bool {
    let path = match path.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed,
        _ => path,
    };
    DASHBOARD_PAGES.iter().any(|page| {
        let (mut pattern, mut actual) = (page.split('/'), path.split('/'));
        loop {
            match (pattern.next(), actual.next()) {
                (None, None) => return true,
                (Some("{id}"), Some(segment)) if !segment.is_empty() => {}
                (Some(expected), Some(segment)) if expected == segment => {}
                _ => return false,
            }
        }
    })
}

fn file_response(file: rust_embed::EmbeddedFile, cache: &'static str) -> Response {
    let mime = match file.metadata.mimetype() {
        text if text.starts_with("text/") && !text.contains("charset") => {
            format!("{text}; charset=utf-8")
        }
        other => other.to_string(),
    };
    let mut response = page_response(file.data.into_owned(), &mime);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

fn page_response(bytes: Vec<u8>, content_type: &str) -> Response {
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[derive(RustEmbed)]
    #[folder = "tests/fixtures/dashboard-page/"]
    struct Fixture;

    fn get(path: &str) -> Response {
        serve_dashboard::<Fixture>(&Method::GET, path)
    }

    fn header_of(response: &Response, name: header::HeaderName) -> String {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    #[test]
    fn every_page_route_answers_the_index_never_cached() {
        for path in DASHBOARD_PAGES
            .iter()
            .map(|page| page.replace("{id}", "0190f0a5-0000-7000-8000-000000000001"))
        {
            let response = get(&path);
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert!(header_of(&response, header::CONTENT_TYPE).starts_with("text/html"));
            assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-cache");
        }
    }

    #[test]
    fn hashed_assets_are_immutable_with_their_type() {
        let script = get("/assets/index-3f2a9c1d.js");
        assert_eq!(script.status(), StatusCode::OK);
        assert!(header_of(&script, header::CONTENT_TYPE).contains("javascript"));
        assert_eq!(
            header_of(&script, header::CACHE_CONTROL),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            get("/assets/missing-0000.js").status(),
            StatusCode::NOT_FOUND
        );
        assert_eq!(get("/missing.png").status(), StatusCode::NOT_FOUND);
        assert_eq!(get("/nowhere").status(), StatusCode::NOT_FOUND);
        assert_eq!(get("/entries/1/more").status(), StatusCode::NOT_FOUND);
        assert_eq!(get("/entries/").status(), StatusCode::OK);
    }

    #[test]
    fn unknown_api_paths_stay_json_404() {
        let response = get("/api/v1/admin/nothing");
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(
            header_of(&response, header::CONTENT_TYPE),
            "application/json"
        );
        let post = serve_dashboard::<Fixture>(&Method::POST, "/entries");
        assert_eq!(post.status(), StatusCode::NOT_FOUND);
    }
}
