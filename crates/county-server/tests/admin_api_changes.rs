//! The county dashboard's changes reaching the devices, over a real server on a loopback port:
//! a review pulled on the next sync, an enrolment code that enrols (its URI naming the server
//! the admin used, or `--public-url`), a revoked device refused; the photos a device uploaded,
//! shown with their content type; the year-end report's downloads; and what `serve` is told: HTTPS makes the cookie `Secure`, `--map-tile-url`
//! reaches the dashboard's config.

mod admin;
mod common;

use admin::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn a_review_reaches_the_device_on_its_next_pull() {
    let server = AdminServer::start().await;
    let first = server.device_sync_ok(1, Some("铁网被冲毁约30米"), "").await;
    let cursor = first.next_cursor.clone().unwrap_or_default();
    let admin = server.log_in(ADMIN).await;
    let page = server
        .get_json(
            "/api/v1/admin/entries?review=pending&kind=hazard&q=铁网",
            &admin,
        )
        .await;
    let entry_id = page["entries"][0]["id"].as_str().unwrap().to_string();

    let answer = server
        .change(
            &format!("/api/v1/admin/entries/{entry_id}/review"),
            &admin,
            Some(json!({"decision": "returned", "comment": "请补拍修复前照片"})),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::OK);
    let summary: Value = answer.json().await.unwrap();
    assert_eq!(summary["id"], entry_id.as_str());
    assert_eq!(summary["review_decision"], "returned");
    let returned = server
        .get_json("/api/v1/admin/entries?review=returned", &admin)
        .await;
    assert_eq!(returned["entries"][0]["id"], entry_id.as_str());
    let pending = server
        .get_json("/api/v1/admin/entries?review=pending", &admin)
        .await;
    assert_eq!(pending["entries"], json!([]));

    let pulled = server.device_sync_ok(2, None, &cursor).await;
    let change = pulled
        .changes
        .iter()
        .find(|change| change.entry["id"] == entry_id.as_str())
        .expect("the reviewed entry is pulled");
    let review = &change.entry["review"];
    assert_eq!(review["decision"], "returned");
    assert_eq!(review["comment"], "请补拍修复前照片");
    assert_eq!(review["reviewer"], ADMIN.0);

    let detail = server
        .get_json(&format!("/api/v1/admin/entries/{entry_id}"), &admin)
        .await;
    let history = detail["history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "the device's version and the county's");
    assert_eq!(history[1]["by"], "county");
    assert_eq!(detail["entry"]["review"]["decision"], "returned");
    server.stop().await;
}

#[tokio::test]
async fn an_enrolment_code_from_the_dashboard_enrols_a_device_and_revoking_refuses_it() {
    let server = AdminServer::start().await;
    let admin = server.log_in(ADMIN).await;
    let created = server
        .change(
            "/api/v1/admin/posts",
            &admin,
            Some(json!({"name": " 木央联防所 "})),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let post: Value = created.json().await.unwrap();
    assert_eq!(post["name"], "木央联防所");
    let post_id = post["id"].as_str().unwrap().to_string();

    let answer = server
        .change(
            &format!("/api/v1/admin/posts/{post_id}/enrolment-codes"),
            &admin,
            None,
        )
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let code: Value = answer.json().await.unwrap();
    let text = code["code"].as_str().unwrap();
    let port = server.base.rsplit(':').next().unwrap();
    assert_eq!(
        code["enrol_uri"],
        format!("patrollog://enrol?server=http%3A%2F%2F127.0.0.1%3A{port}&code={text}")
    );
    let expires =
        chrono::DateTime::parse_from_rfc3339(code["expires_at"].as_str().unwrap()).unwrap();
    let hours = (expires.timestamp() - chrono::Utc::now().timestamp()) / 3600;
    assert!((23..=24).contains(&hours), "valid 24 h, got {hours}");
    let svg = code["qr_svg"].as_str().unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(
        svg.contains("<path") || svg.contains("<rect"),
        "the SVG draws modules"
    );

    let device_id = patrol_model::DeviceId::new_v7();
    let enrol = |code: &str| {
        server
            .client
            .post(server.url("/api/v1/enroll"))
            .json(&json!({"code": code, "device_id": device_id, "label": "木央的手机"}))
            .send()
    };
    let enrolled = enrol(text).await.unwrap();
    assert_eq!(enrolled.status(), StatusCode::OK);
    let enrolled: Value = enrolled.json().await.unwrap();
    assert_eq!(enrolled["post_id"], post_id.as_str());
    expect_error(enrol(text).await.unwrap(), StatusCode::FORBIDDEN).await;
    let overview = server.get_json("/api/v1/admin/overview", &admin).await;
    assert!(
        overview["devices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|device| device["id"] == device_id.to_string()
                && device["post_name"] == "木央联防所")
    );

    // Revoking the first post's device: its next sync is refused.
    server.device_sync_ok(1, Some("界碑旁塌方"), "").await;
    let revoked = server
        .change(
            &format!("/api/v1/admin/devices/{}/revoke", server.device.device_id),
            &admin,
            None,
        )
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let revoked: Value = revoked.json().await.unwrap();
    assert_eq!(revoked["revoked"], true);
    assert_eq!(revoked["id"], server.device.device_id.to_string());
    let refused = server.device_sync(2, Some("又一处塌方"), "").await;
    expect_error(refused, StatusCode::UNAUTHORIZED).await;
    let missing = server
        .change(
            "/api/v1/admin/devices/0190f0a5-0000-7000-8000-000000000001/revoke",
            &admin,
            None,
        )
        .await;
    expect_error(missing, StatusCode::NOT_FOUND).await;
    server.stop().await;
}

/// The wipe report of `server`'s device, with `body`.
async fn report_wipe(server: &AdminServer, body: Value) -> reqwest::Response {
    server
        .client
        .post(server.url("/api/v1/device/wiped"))
        .bearer_auth(&server.device_token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn overview_device(overview: &Value, id: &str) -> Value {
    overview["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|device| device["id"] == id)
        .cloned()
        .unwrap()
}

#[tokio::test]
async fn a_device_ordered_wiped_is_told_so_and_its_report_of_what_was_unsent_is_kept_once() {
    let server = AdminServer::start().await;
    server.device_sync_ok(1, Some("界碑旁塌方"), "").await;
    let admin = server.log_in(ADMIN).await;
    let id = server.device.device_id.to_string();
    let report = json!({"unsent_entries": 3, "unsent_photos": 2, "unsent_photo_bytes": 512_000});

    // No wipe ordered: an enrolled device cannot mark itself wiped.
    let early = report_wipe(&server, report.clone()).await;
    assert_eq!(
        expect_error(early, StatusCode::CONFLICT).await.error,
        "no_wipe_ordered"
    );

    let ordered = server
        .change(&format!("/api/v1/admin/devices/{id}/wipe"), &admin, None)
        .await;
    assert_eq!(ordered.status(), StatusCode::OK);
    let ordered: Value = ordered.json().await.unwrap();
    assert_eq!(ordered["revoked"], true);
    assert_eq!(ordered["standing"], "wipe_ordered");
    assert!(
        ordered["wipe"]["ordered_at_ms"].as_i64().unwrap() > 0,
        "{ordered}"
    );
    assert_eq!(ordered["wipe"]["wiped_at_ms"], Value::Null);

    // Its next sync is refused with the order, in words for the member.
    let refused = server.device_sync(2, Some("又一处塌方"), "").await;
    let refused = expect_error(refused, StatusCode::UNAUTHORIZED).await;
    assert_eq!(refused.error, patrol_model::sync::WIPE_ORDERED_ERROR);
    assert!(
        refused.message_zh.contains("清除"),
        "{}",
        refused.message_zh
    );
    // It may not slip out of the wipe by enrolling again with a fresh code.
    let code = server
        .change(
            &format!("/api/v1/admin/posts/{}/enrolment-codes", server.post.id),
            &admin,
            None,
        )
        .await;
    let code: Value = code.json().await.unwrap();
    let again = server
        .client
        .post(server.url("/api/v1/enroll"))
        .json(&json!({"code": code["code"], "device_id": id, "label": "丢失的手机"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(again, StatusCode::CONFLICT).await.error,
        "device_to_be_wiped"
    );

    // A hostile report is refused naming the field, and changes nothing.
    let unknown = report_wipe(&server, json!({"unsent_entries": 1, "unsent_photos": 0, "unsent_photo_bytes": 0, "wiped_everything": true})).await;
    let unknown = expect_error(unknown, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        unknown.message.contains("wiped_everything"),
        "{}",
        unknown.message
    );
    let huge = report_wipe(
        &server,
        json!({"unsent_entries": 1u64 << 40, "unsent_photos": 0, "unsent_photo_bytes": 0}),
    )
    .await;
    expect_bad_field(huge, "unsent_entries").await;
    let negative = report_wipe(
        &server,
        json!({"unsent_entries": -1, "unsent_photos": 0, "unsent_photo_bytes": 0}),
    )
    .await;
    let negative = expect_error(negative, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        negative.message.contains("unsent_entries"),
        "{}",
        negative.message
    );
    let overview = server.get_json("/api/v1/admin/overview", &admin).await;
    assert_eq!(overview_device(&overview, &id)["standing"], "wipe_ordered");

    let kept = report_wipe(&server, report.clone()).await;
    assert_eq!(kept.status(), StatusCode::OK);
    // Sent again (its answer was lost), or with other numbers: the first report stays.
    let again = report_wipe(
        &server,
        json!({"unsent_entries": 0, "unsent_photos": 0, "unsent_photo_bytes": 0}),
    )
    .await;
    assert_eq!(again.status(), StatusCode::OK);
    let overview = server.get_json("/api/v1/admin/overview", &admin).await;
    let device = overview_device(&overview, &id);
    assert_eq!(device["standing"], "wiped", "{device}");
    assert_eq!(device["wipe"]["unsent"], report, "{device}");
    assert!(
        device["wipe"]["wiped_at_ms"].as_i64().unwrap()
            >= device["wipe"]["ordered_at_ms"].as_i64().unwrap()
    );
    // Wiped, the token is an ordinary revoked one.
    let refused = server.device_sync(3, Some("第三处"), "").await;
    assert_eq!(
        expect_error(refused, StatusCode::UNAUTHORIZED).await.error,
        "unauthorized"
    );

    let audit = server
        .get_json("/api/v1/admin/audit?action=revoke", &admin)
        .await;
    assert_eq!(audit["records"][0]["detail"]["wipe"], true, "{audit}");
    server.stop().await;
}

#[tokio::test]
async fn a_pin_reset_reaches_the_posts_devices_with_their_next_sync() {
    let server = AdminServer::start().await;
    let admin = server.log_in(ADMIN).await;
    let path = format!("/api/v1/admin/posts/{}/pin-resets", server.post.id);
    for (body, field) in [
        (json!({"member": "  "}), "member"),
        (json!({"member": "王\u{7}明"}), "member"),
        (json!({"member": "长".repeat(200)}), "member"),
        (json!({"member": "王明", "pin": "0000"}), "pin"),
    ] {
        let refused = server.change(&path, &admin, Some(body)).await;
        expect_bad_field(refused, field).await;
    }
    let unknown = server
        .change(
            "/api/v1/admin/posts/0190f0a5-0000-7000-8000-000000000001/pin-resets",
            &admin,
            Some(json!({"member": "王明"})),
        )
        .await;
    expect_error(unknown, StatusCode::NOT_FOUND).await;
    let viewer = server.log_in(VIEWER).await;
    let forbidden = server
        .change(&path, &viewer, Some(json!({"member": "王明"})))
        .await;
    expect_error(forbidden, StatusCode::FORBIDDEN).await;
    assert!(server
        .device_sync_ok(1, Some("界碑旁塌方"), "")
        .await
        .pin_resets
        .is_empty());

    let issued = server
        .change(&path, &admin, Some(json!({"member": " 王明 "})))
        .await;
    assert_eq!(issued.status(), StatusCode::CREATED);
    let issued: Value = issued.json().await.unwrap();
    assert_eq!(issued["member"], "王明");
    let answer = server.device_sync_ok(2, Some("又一处塌方"), "").await;
    assert_eq!(answer.pin_resets.len(), 1);
    assert_eq!(answer.pin_resets[0].member, "王明");
    assert_eq!(
        answer.pin_resets[0].id.to_string(),
        issued["id"].as_str().unwrap()
    );
    let audit = server
        .get_json("/api/v1/admin/audit?action=pin_reset", &admin)
        .await;
    assert_eq!(audit["records"][0]["detail"]["member"], "王明", "{audit}");
    assert_eq!(
        audit["records"][0]["target"],
        server.post.id.to_string().as_str()
    );
    server.stop().await;
}

#[tokio::test]
async fn the_annual_report_downloads_as_xlsx_and_csv() {
    let server = AdminServer::start().await;
    server.device_sync_ok(1, Some("铁网被冲毁约30米"), "").await;
    let viewer = server.log_in(VIEWER).await;
    let report = server
        .get_json("/api/v1/admin/reports/annual?year=2024", &viewer)
        .await;
    assert_eq!(report["year"], 2024);
    assert_eq!(report["hazards"]["found"], 1);
    assert_eq!(report["hazards"]["open"], 1);

    let xlsx = server
        .request(
            Method::GET,
            "/api/v1/admin/reports/annual?year=2024&format=xlsx",
            Some(&viewer),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        xlsx.headers()["content-disposition"],
        "attachment; filename=\"patrol-log-annual-2024.xlsx\""
    );
    let bytes = xlsx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "an XLSX is a zip file");

    let csv = server
        .request(
            Method::GET,
            "/api/v1/admin/reports/annual?year=2024&format=csv",
            Some(&viewer),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert_eq!(
        csv.headers()["content-disposition"],
        "attachment; filename=\"patrol-log-annual-2024.csv\""
    );
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_eq!(text.lines().next(), Some("类别,项目,数量,单位"));
    server.stop().await;
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_serve_options_reach_the_dashboard() {
    let server = AdminServer::start_with(ServeOptions {
        tls: true,
        public_url: Some("https://patrol.funing.example".into()),
        map_tile_url: Some("https://tiles.funing.example/{z}/{x}/{y}.png".into()),
        ..ServeOptions::default()
    })
    .await;
    let answer = server.log_in_answer(ADMIN.0, ADMIN.1).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let set_cookie = answer.headers()["set-cookie"].to_str().unwrap().to_string();
    let cookie = cookie::Cookie::parse(set_cookie.clone()).unwrap();
    assert_eq!(cookie.secure(), Some(true), "{set_cookie}");
    assert_eq!(cookie.same_site(), Some(cookie::SameSite::Strict));
    let session = session_cookie_of(&answer).unwrap();

    let config = server.get_json("/api/v1/admin/config", &session).await;
    assert_eq!(
        config,
        json!({"map_tile_url": "https://tiles.funing.example/{z}/{x}/{y}.png",
               "server_url": "https://patrol.funing.example", "latest_entry_year": null})
    );
    let code: Value = server
        .change(
            &format!("/api/v1/admin/posts/{}/enrolment-codes", server.post.id),
            &session,
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        code["enrol_uri"]
            .as_str()
            .unwrap()
            .starts_with("patrollog://enrol?server=https%3A%2F%2Fpatrol.funing.example&code="),
        "{}",
        code["enrol_uri"]
    );
    server.stop().await;
}

#[tokio::test]
async fn the_photos_a_device_uploaded_are_shown_with_their_type() {
    let server = AdminServer::start().await;
    let original = admin::test_picture(image::ImageFormat::Png, 640, 480, 1);
    let thumbnail = admin::test_picture(image::ImageFormat::Jpeg, 320, 240, 1);
    let sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&original));
    let mut entry = common::hazard(
        patrol_model::EntryId::new_v7(),
        server.device.device_id,
        "high",
        "铁网被冲毁约30米",
    );
    entry["photos"] = json!([{"sha256": sha256, "role": "before"}]);
    server.device_sends(1, &entry).await;
    let admin = server.log_in(ADMIN).await;
    let entry_path = format!("/api/v1/admin/entries/{}", entry["id"].as_str().unwrap());
    let post = server.post.id;
    let photo_path =
        |variant: &str| format!("/api/v1/admin/posts/{post}/photos/{sha256}/{variant}");

    let before = server.get_json(&entry_path, &admin).await;
    assert_eq!(
        before["photos"],
        json!([{"sha256": sha256, "role": "before", "uploaded": false,
                "thumbnail_url": photo_path("thumb"), "full_url": photo_path("full")}])
    );
    for variant in ["thumb", "full"] {
        let missing = server
            .request(Method::GET, &photo_path(variant), Some(&admin))
            .send()
            .await
            .unwrap();
        expect_error(missing, StatusCode::NOT_FOUND).await;
    }

    server
        .device_uploads(&sha256, "thumbnail", &thumbnail)
        .await;
    server.device_uploads(&sha256, "original", &original).await;
    for (variant, bytes, content_type) in [
        ("thumb", &thumbnail, "image/jpeg"),
        ("full", &original, "image/png"),
    ] {
        let answer = server
            .request(Method::GET, &photo_path(variant), Some(&admin))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{variant}");
        assert_eq!(answer.headers()["content-type"], content_type, "{variant}");
        assert_eq!(&answer.bytes().await.unwrap()[..], &bytes[..], "{variant}");
    }
    let after = server.get_json(&entry_path, &admin).await;
    assert_eq!(after["photos"][0]["uploaded"], true);
    let stranger = server
        .request(Method::GET, &photo_path("full"), None)
        .send()
        .await
        .unwrap();
    expect_error(stranger, StatusCode::UNAUTHORIZED).await;
    server.stop().await;
}
