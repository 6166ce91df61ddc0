//! The county dashboard's API over a real server on a loopback port: logging in and out (the
//! cookie's attributes, one 401 for a wrong user or password, expired and ended sessions), a
//! viewer who may read but changes nothing, bad queries and bodies named by field.
//! `admin_api_changes.rs` follows each change to the devices.

mod admin;
mod common;

use admin::*;
use county_server::secrets::sha256_hex;
use county_server::storage::admin_sessions::{AdminRole, NewAdminSession};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn logging_in_sets_a_strict_http_only_cookie_and_logging_out_ends_it() {
    let server = AdminServer::start().await;
    let answer = server.log_in_answer(ADMIN.0, ADMIN.1).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let set_cookie = answer.headers()["set-cookie"].to_str().unwrap().to_string();
    let cookie = cookie::Cookie::parse(set_cookie.clone()).unwrap();
    assert_eq!(cookie.name(), "pl_session");
    assert_eq!(cookie.value().len(), 43, "32 random bytes, base64url");
    assert_eq!(cookie.http_only(), Some(true), "{set_cookie}");
    assert_eq!(cookie.same_site(), Some(cookie::SameSite::Strict));
    assert_eq!(cookie.path(), Some("/"));
    assert_eq!(
        cookie.max_age(),
        Some(cookie::time::Duration::seconds(43_200))
    );
    assert_eq!(cookie.secure(), None, "plain HTTP on loopback: not Secure");
    // Behind a proxy that terminates TLS, the browser came over HTTPS: Secure.
    let proxied = server
        .client
        .post(server.url("/api/v1/admin/session"))
        .header("x-forwarded-proto", "https")
        .json(&json!({"username": ADMIN.0, "password": ADMIN.1}))
        .send()
        .await
        .unwrap();
    let proxied_cookie = cookie::Cookie::parse(
        proxied.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string(),
    )
    .unwrap();
    assert_eq!(proxied_cookie.secure(), Some(true));
    let who: Value = answer.json().await.unwrap();
    assert_eq!(who, json!({"username": ADMIN.0, "role": "admin"}));
    let session = format!("pl_session={}", cookie.value());
    // The server keeps only the token's hash.
    let live = server
        .storage
        .find_live_admin_session(
            &sha256_hex(cookie.value()),
            chrono::Utc::now().timestamp_millis(),
        )
        .await
        .unwrap();
    assert!(live.is_some_and(|live| live.role == AdminRole::Admin));

    assert_eq!(
        server.get_json("/api/v1/admin/session", &session).await,
        json!({"username": ADMIN.0, "role": "admin"})
    );
    let wrong_password = expect_error(
        server.log_in_answer(ADMIN.0, "not the password").await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    let unknown_user = expect_error(
        server.log_in_answer("nobody", ADMIN.1).await,
        StatusCode::UNAUTHORIZED,
    )
    .await;
    assert_eq!(wrong_password, unknown_user, "one answer for both");
    expect_bad_field(
        server
            .client
            .post(server.url("/api/v1/admin/session"))
            .json(&json!({"username": ADMIN.0}))
            .send()
            .await
            .unwrap(),
        "password",
    )
    .await;

    for cookie in [None, Some("pl_session=not-a-session"), Some("other=1")] {
        let answer = server
            .request(Method::GET, "/api/v1/admin/overview", cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(
            expect_error(answer, StatusCode::UNAUTHORIZED).await.error,
            "unauthorized"
        );
    }

    let logged_out = server
        .request(Method::DELETE, "/api/v1/admin/session", Some(&session))
        .send()
        .await
        .unwrap();
    assert_eq!(logged_out.status(), StatusCode::NO_CONTENT);
    assert!(logged_out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = server
        .request(Method::GET, "/api/v1/admin/session", Some(&session))
        .send()
        .await
        .unwrap();
    expect_error(after, StatusCode::UNAUTHORIZED).await;

    // A session past its expiry is refused.
    let now = chrono::Utc::now().timestamp_millis();
    server
        .storage
        .create_admin_session(NewAdminSession {
            token_sha256: sha256_hex("expired-session-token"),
            username: ADMIN.0.into(),
            role: AdminRole::Admin,
            created_at_ms: now - 13 * 3600 * 1000,
            expires_at_ms: now - 3600 * 1000,
        })
        .await
        .unwrap();
    let expired = server
        .request(
            Method::GET,
            "/api/v1/admin/overview",
            Some("pl_session=expired-session-token"),
        )
        .send()
        .await
        .unwrap();
    expect_error(expired, StatusCode::UNAUTHORIZED).await;
    server.stop().await;
}

#[tokio::test]
async fn a_viewer_reads_everything_and_changes_nothing() {
    let server = AdminServer::start().await;
    server.device_sync_ok(1, Some("铁网被冲毁约30米"), "").await;
    let viewer = server.log_in(VIEWER).await;
    assert_eq!(
        server.get_json("/api/v1/admin/session", &viewer).await["role"],
        "viewer"
    );
    let overview = server.get_json("/api/v1/admin/overview", &viewer).await;
    assert_eq!(overview["totals"]["entries"], 1);
    assert_eq!(overview["totals"]["awaiting_review"], 1);
    let page = server.get_json("/api/v1/admin/entries", &viewer).await;
    let entry_id = page["entries"][0]["id"].as_str().unwrap().to_string();
    server
        .get_json(&format!("/api/v1/admin/entries/{entry_id}"), &viewer)
        .await;
    let posts = server.get_json("/api/v1/admin/posts", &viewer).await;
    assert_eq!(
        posts,
        json!([{"id": server.post.id, "name": "田蓬联防所", "devices": 1, "entries": 1}])
    );

    let review = json!({"decision": "returned", "comment": "照片不清楚"});
    let device = server.device.device_id;
    let changes = [
        (
            format!("/api/v1/admin/entries/{entry_id}/review"),
            Some(review.clone()),
        ),
        (
            "/api/v1/admin/posts".to_string(),
            Some(json!({"name": "木央联防所"})),
        ),
        (
            format!("/api/v1/admin/posts/{}/enrolment-codes", server.post.id),
            None,
        ),
        (format!("/api/v1/admin/devices/{device}/revoke"), None),
    ];
    for (path, body) in &changes {
        let answer = server.change(path, &viewer, body.clone()).await;
        assert_eq!(
            expect_error(answer, StatusCode::FORBIDDEN).await.error,
            "forbidden",
            "{path}"
        );
    }
    // An admin without the dashboard header (a cross-site form) is refused too.
    let admin = server.log_in(ADMIN).await;
    for (path, body) in &changes {
        let mut builder = server.request(Method::POST, path, Some(&admin));
        if let Some(body) = body {
            builder = builder.json(body);
        }
        expect_bad_field(builder.send().await.unwrap(), "X-Patrol-Dashboard").await;
    }

    // Nothing changed.
    let after = server.get_json("/api/v1/admin/overview", &viewer).await;
    assert_eq!(after["totals"], overview["totals"]);
    assert_eq!(after["devices"][0]["revoked"], false);
    assert_eq!(server.storage.list_posts().await.unwrap().len(), 1);
    let detail = server
        .get_json(&format!("/api/v1/admin/entries/{entry_id}"), &viewer)
        .await;
    assert_eq!(detail["summary"]["review_decision"], Value::Null);
    assert!(detail["entry"].get("review").is_none());
    assert_eq!(
        detail["history"].as_array().unwrap().len(),
        1,
        "no county version"
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_queries_and_bodies_are_400_naming_the_field_and_change_nothing() {
    let server = AdminServer::start().await;
    server.device_sync_ok(1, Some("铁网被冲毁约30米"), "").await;
    let admin = server.log_in(ADMIN).await;
    let queries = [
        ("/api/v1/admin/entries?from=2024-13-01", "from"),
        ("/api/v1/admin/entries?from=yesterday", "from"),
        ("/api/v1/admin/entries?from=2024-03-02&to=2024-03-01", "to"),
        ("/api/v1/admin/entries?kind=boat", "kind"),
        ("/api/v1/admin/entries?status=lost", "status"),
        ("/api/v1/admin/entries?review=maybe", "review"),
        ("/api/v1/admin/entries?post=12", "post"),
        ("/api/v1/admin/entries?limit=0", "limit"),
        ("/api/v1/admin/entries?limit=201", "limit"),
        ("/api/v1/admin/entries?limit=ten", "limit"),
        ("/api/v1/admin/entries?cursor=page2", "cursor"),
        ("/api/v1/admin/entries?deleted=yes", "deleted"),
        ("/api/v1/admin/entries?knd=hazard", "knd"),
        ("/api/v1/admin/entries?kind=hazard&kind=patrol", "kind"),
        ("/api/v1/admin/entries/not-an-id", "id"),
        ("/api/v1/admin/map?kind=boat", "kind"),
        ("/api/v1/admin/map?to=2024-01-01&from=2024-02-01", "to"),
        ("/api/v1/admin/statistics", "year"),
        ("/api/v1/admin/statistics?year=1999", "year"),
        ("/api/v1/admin/statistics?year=2024&post=x", "post"),
        ("/api/v1/admin/reports/annual?year=2101", "year"),
        ("/api/v1/admin/reports/annual?year=twenty", "year"),
        ("/api/v1/admin/reports/annual?year=2024&format=pdf", "format"),
        ("/api/v1/admin/posts/x/photos/abc/thumb", "id"),
        (
            "/api/v1/admin/posts/0190f1a2-0000-7000-8000-000000000000/photos/abc/thumb",
            "sha256",
        ),
        (
            "/api/v1/admin/posts/0190f1a2-0000-7000-8000-000000000000/photos/0000000000000000000000000000000000000000000000000000000000000000/big",
            "variant",
        ),
        ("/api/v1/admin/overview?silent=3", "silent"),
    ];
    for (path, field) in queries {
        let answer = server
            .request(Method::GET, path, Some(&admin))
            .send()
            .await
            .unwrap();
        expect_bad_field(answer, field).await;
    }
    // Empty values are no filter, as a form with an empty select sends them.
    let unfiltered = server
        .get_json(
            "/api/v1/admin/entries?post=&kind=&from=&to=&q=&limit=",
            &admin,
        )
        .await;
    assert_eq!(unfiltered["entries"].as_array().unwrap().len(), 1);

    let entry_id = unfiltered["entries"][0]["id"].as_str().unwrap().to_string();
    let review_path = format!("/api/v1/admin/entries/{entry_id}/review");
    let bodies = [
        (
            review_path.as_str(),
            json!({"decision": "maybe"}),
            "decision",
        ),
        (review_path.as_str(), json!({"comment": "好"}), "decision"),
        (
            review_path.as_str(),
            json!({"decision": "returned", "comment": "  "}),
            "comment",
        ),
        (
            review_path.as_str(),
            json!({"decision": "approved", "comment": "字".repeat(501)}),
            "comment",
        ),
        (
            review_path.as_str(),
            json!({"decision": "approved", "note": "x"}),
            "note",
        ),
        (review_path.as_str(), json!({"decision": 1}), "decision"),
        ("/api/v1/admin/posts", json!({"name": " "}), "name"),
        (
            "/api/v1/admin/posts",
            json!({"name": "联".repeat(41)}),
            "name",
        ),
    ];
    for (path, body, field) in bodies {
        expect_bad_field(server.change(path, &admin, Some(body)).await, field).await;
    }
    let duplicate = server
        .change(
            "/api/v1/admin/posts",
            &admin,
            Some(json!({"name": "田蓬联防所"})),
        )
        .await;
    assert_eq!(
        expect_error(duplicate, StatusCode::CONFLICT).await.error,
        "conflict"
    );
    let missing = server
        .change(
            "/api/v1/admin/entries/0190f0a5-0000-7000-8000-000000000001/review",
            &admin,
            Some(json!({"decision": "approved"})),
        )
        .await;
    expect_error(missing, StatusCode::NOT_FOUND).await;

    let detail = server
        .get_json(&format!("/api/v1/admin/entries/{entry_id}"), &admin)
        .await;
    assert_eq!(detail["summary"]["review_decision"], Value::Null);
    assert_eq!(detail["history"].as_array().unwrap().len(), 1);
    assert_eq!(server.storage.list_posts().await.unwrap().len(), 1);
    server.stop().await;
}
