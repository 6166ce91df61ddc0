//! Every answer of the server — each API route of `API_ROUTES`, the dashboard's pages and
//! assets, errors from the edge's own layers — carries the security headers, and every API
//! answer but the public OpenAPI document says `Cache-Control: no-store` (they carry entries).

mod admin;
mod common;

use admin::{AdminServer, ADMIN};
use county_server::http::API_ROUTES;
use reqwest::{Method, StatusCode};

fn assert_security_headers(answer: &reqwest::Response, what: &str) {
    let header = |name: &str| {
        answer
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
    let policy = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(
            policy.contains(directive),
            "{what}: CSP {policy:?} lacks {directive}"
        );
    }
    assert!(!header("x-request-id").is_empty(), "{what}: a request id");
}

fn assert_not_stored(answer: &reqwest::Response, what: &str) {
    let cache = answer
        .headers()
        .get("cache-control")
        .map(|value| value.to_str().unwrap())
        .unwrap_or_default();
    assert_eq!(cache, "no-store", "{what}: API answers are not stored");
}

/// A concrete path for a route pattern.
fn concrete(path: &str, server: &AdminServer) -> String {
    path.replace("{sha256}", &"ab".repeat(32))
        .replace("{variant}", "thumbnail")
        .replace("{id}", &server.post.id.to_string())
}

#[tokio::test]
async fn every_api_route_answers_with_the_security_headers_and_no_store() {
    let server = AdminServer::start().await;
    let cookie = server.log_in(ADMIN).await;
    for (method, path) in API_ROUTES {
        let url = concrete(path, &server);
        for with_credentials in [false, true] {
            let mut request = server.request(
                Method::from_bytes(method.as_bytes()).unwrap(),
                &url,
                with_credentials.then_some(cookie.as_str()),
            );
            if with_credentials {
                request = request
                    .bearer_auth(&server.device_token)
                    .header("x-patrol-dashboard", "1");
            }
            let answer = request.send().await.unwrap();
            let what = format!(
                "{method} {url} (credentials: {with_credentials}) → {}",
                answer.status()
            );
            assert!(answer.status().as_u16() < 500, "{what}");
            assert_security_headers(&answer, &what);
            // The OpenAPI document carries no entries; it is revalidated (`no-cache`).
            if *path != "/api/openapi.json" {
                assert_not_stored(&answer, &what);
            }
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn dashboard_pages_and_edge_errors_carry_the_headers_too() {
    let server = AdminServer::start().await;
    for path in [
        "/",
        "/login",
        "/entries",
        "/no-such-page",
        "/api/v1/nothing",
    ] {
        let answer = server
            .request(Method::GET, path, None)
            .send()
            .await
            .unwrap();
        assert_security_headers(&answer, path);
    }
    // An unsupported encoding, refused by the decompression layer: JSON, with the headers.
    let answer = server
        .sync_post()
        .header("content-encoding", "br")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_security_headers(&answer, "415");
    assert_not_stored(&answer, "415");
    let error: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(error["error"], "unsupported_encoding", "{error}");
    assert!(error["message_zh"].as_str().is_some_and(|m| !m.is_empty()));
    server.stop().await;
}

#[tokio::test]
async fn a_tile_server_is_allowed_for_images_only() {
    let server = AdminServer::start_with(admin::ServeOptions {
        map_tile_url: Some("https://{s}.tiles.funing.example/{z}/{x}/{y}.png".into()),
        ..Default::default()
    })
    .await;
    let answer = server
        .request(Method::GET, "/map", None)
        .send()
        .await
        .unwrap();
    let policy = answer.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.contains("img-src 'self' data: blob: https://*.tiles.funing.example;"),
        "{policy}"
    );
    assert!(policy.contains("connect-src 'self';"), "{policy}");
    server.stop().await;
}
