//! The HTTP API through `launch` on port 0 with a real client: enrolment, sync with each
//! encoding, every kind of bad body (4xx JSON, nothing stored), auth, and resumable photos.

mod admin;
mod common;

use admin::{expect_error, AdminServer};
use common::*;
use county_server::storage::EntryFilter;
use patrol_model::sync::{EnrolResponse, SyncResponse};
use patrol_model::{DeviceId, EntryId};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};
use std::io::Write;

impl AdminServer {
    async fn nothing_stored(&self) {
        let entries = self
            .storage
            .list_entries(EntryFilter::default())
            .await
            .unwrap();
        assert!(entries.is_empty(), "nothing may be stored: {entries:?}");
        let devices = self.storage.list_devices().await.unwrap();
        assert!(devices
            .iter()
            .all(|d| d.acknowledged_through == 0 && d.last_contact_ms.is_none()));
    }
}

fn one_record_request(device: DeviceId) -> Vec<u8> {
    let entry = hazard(EntryId::new_v7(), device, "high", "铁网被洪水冲毁约30米");
    serde_json::to_vec(
        &request(
            vec![record(1, device, 1_000, None, &entry)],
            Some(("", 100)),
        )
        .into_wire(),
    )
    .unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn healthz_and_enrolment_over_http() {
    let server = AdminServer::start().await;
    let health = server
        .client
        .get(format!("{}/healthz", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    let body: serde_json::Value = serde_json::from_slice(&health.bytes().await.unwrap()).unwrap();
    assert_eq!(body, serde_json::json!({"status": "ok", "protocol": 1}));

    let code = make_code(&server.storage, &server.post, chrono::Duration::hours(24)).await;
    let enrol_body = |device: DeviceId| {
        serde_json::json!({"code": code, "device_id": device, "label": "李国华的手机"}).to_string()
    };
    let device = DeviceId::new_v7();
    let answer = server
        .client
        .post(format!("{}/api/v1/enroll", server.base))
        .header("content-type", "application/json")
        .body(enrol_body(device))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let enrolled: EnrolResponse = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(
        (enrolled.device_id, enrolled.post_id),
        (device, server.post.id)
    );
    assert!(enrolled.device_token.starts_with("pl1_") && enrolled.device_token.len() == 47);
    let again = server
        .client
        .post(format!("{}/api/v1/enroll", server.base))
        .body(enrol_body(DeviceId::new_v7()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(again, StatusCode::FORBIDDEN).await.error,
        "enrolment_code_invalid"
    );

    let missing = server
        .client
        .get(format!("{}/nowhere", server.base))
        .send()
        .await
        .unwrap();
    expect_error(missing, StatusCode::NOT_FOUND).await;
    server.stop().await;
}

#[tokio::test]
async fn an_enrolment_label_with_control_characters_is_refused_naming_it() {
    let server = AdminServer::start().await;
    let code = make_code(&server.storage, &server.post, chrono::Duration::hours(24)).await;
    let enrol = |label: &str| {
        server
            .client
            .post(format!("{}/api/v1/enroll", server.base))
            .json(
                &serde_json::json!({"code": code, "device_id": DeviceId::new_v7(), "label": label}),
            )
            .send()
    };
    for label in ["李国华\u{0}的手机", "手机\u{1b}[2J", &"长".repeat(101)] {
        let error = expect_error(enrol(label).await.unwrap(), StatusCode::BAD_REQUEST).await;
        assert_eq!(error.problems.len(), 1, "{error:?}");
        assert_eq!(error.problems[0].field, "label");
        assert!(!error.problems[0].message_zh.is_empty());
    }
    let devices = server.storage.list_devices().await.unwrap();
    assert_eq!(
        devices.len(),
        1,
        "only the server's own test device: {devices:?}"
    );
    // The code was not used up by the refused attempts.
    assert_eq!(
        enrol("李国华的手机").await.unwrap().status(),
        StatusCode::OK
    );
    server.stop().await;
}

#[tokio::test]
async fn sync_accepts_zstd_gzip_and_identity_and_answers_compressed() {
    let server = AdminServer::start().await;
    let plain = one_record_request(server.device.device_id);
    let zstd_body = zstd::bulk::compress(&plain, 3).unwrap();
    let answer = server
        .sync_post()
        .header("content-encoding", "zstd")
        .header("accept-encoding", "zstd, gzip")
        .body(zstd_body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.headers()["content-encoding"], "zstd");
    let decoded = zstd::stream::decode_all(&answer.bytes().await.unwrap()[..]).unwrap();
    let parsed: SyncResponse = serde_json::from_slice(&decoded).unwrap();
    assert_eq!(parsed.acknowledged_through, 1);

    let answer = server
        .sync_post()
        .header("content-encoding", "gzip")
        .header("accept-encoding", "gzip")
        .body(gzip(&plain))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["content-encoding"], "gzip");
    let answer = server.sync_post().body(plain).send().await.unwrap();
    assert!(answer.headers().get("content-encoding").is_none());
    let parsed: SyncResponse = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(parsed.acknowledged_through, 1);
    assert_eq!(
        server
            .storage
            .list_entries(EntryFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_bodies_are_4xx_json_and_change_nothing() {
    let server = AdminServer::start().await;
    let good = one_record_request(server.device.device_id);
    let limit = 16 * 1024 * 1024;

    let malformed = server
        .sync_post()
        .body("{\"protocol\": 1, ")
        .send()
        .await
        .unwrap();
    expect_error(malformed, StatusCode::BAD_REQUEST).await;
    let wrong_types = server
        .sync_post()
        .body(r#"{"protocol": "one", "device_time": 5, "records": {}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_error(wrong_types, StatusCode::UNPROCESSABLE_ENTITY)
            .await
            .error,
        "invalid_body"
    );
    let bad_record = server
        .sync_post()
        .body(r#"{"protocol":1,"device_time":"2026-11-29T04:31:02.500Z","records":[{"seq":"x"}]}"#)
        .send()
        .await
        .unwrap();
    expect_error(bad_record, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Compact records: the first one must carry its seq, and every one an id.
    for (body, field) in [
        (
            r#"{"protocol":1,"device_time":"2026-11-29T04:31:02.500Z","records":[{"change":"create","hlc":[1,0],"entry":{"id":"0192b6e5-1100-7000-8000-00000000a001"}}]}"#,
            "records[0].seq",
        ),
        (
            r#"{"protocol":1,"device_time":"2026-11-29T04:31:02.500Z","records":[{"seq":1,"change":"create","hlc":[1,0],"entry":{"kind":"hazard"}}]}"#,
            "records[0].record_id",
        ),
    ] {
        let answer = server.sync_post().body(body).send().await.unwrap();
        let error = expect_error(answer, StatusCode::BAD_REQUEST).await;
        assert!(error.message.contains(field), "{}", error.message);
    }
    let wrong_protocol = server
        .sync_post()
        .body(r#"{"protocol":2,"device_time":"2026-11-29T04:31:02.500Z"}"#)
        .send()
        .await
        .unwrap();
    expect_error(wrong_protocol, StatusCode::BAD_REQUEST).await;
    let oversized = server
        .sync_post()
        .body(vec![b' '; limit + 1])
        .send()
        .await
        .unwrap();
    expect_error(oversized, StatusCode::PAYLOAD_TOO_LARGE).await;
    let bomb = zstd::bulk::compress(&vec![b' '; limit + 10], 19).unwrap();
    assert!(bomb.len() < 100_000);
    let bomb = server
        .sync_post()
        .header("content-encoding", "zstd")
        .body(bomb)
        .send()
        .await
        .unwrap();
    expect_error(bomb, StatusCode::PAYLOAD_TOO_LARGE).await;
    let gzip_bomb = gzip(&vec![b' '; limit + 10]);
    let gzip_bomb = server
        .sync_post()
        .header("content-encoding", "gzip")
        .body(gzip_bomb)
        .send()
        .await
        .unwrap();
    expect_error(gzip_bomb, StatusCode::PAYLOAD_TOO_LARGE).await;
    let not_zstd = server
        .sync_post()
        .header("content-encoding", "zstd")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    expect_error(not_zstd, StatusCode::BAD_REQUEST).await;
    let not_gzip = server
        .sync_post()
        .header("content-encoding", "gzip")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    expect_error(not_gzip, StatusCode::BAD_REQUEST).await;
    let truncated = zstd::bulk::compress(&good, 3).unwrap();
    let truncated = server
        .sync_post()
        .header("content-encoding", "zstd")
        .body(truncated[..truncated.len() / 2].to_vec())
        .send()
        .await
        .unwrap();
    expect_error(truncated, StatusCode::BAD_REQUEST).await;
    let brotli = server
        .sync_post()
        .header("content-encoding", "br")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    expect_error(brotli, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let not_json = server
        .client
        .post(format!("{}/api/v1/sync", server.base))
        .bearer_auth(&server.device_token)
        .header("content-type", "text/plain")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    expect_error(not_json, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let no_token = server
        .client
        .post(format!("{}/api/v1/sync", server.base))
        .body(good.clone())
        .send()
        .await
        .unwrap();
    expect_error(no_token, StatusCode::UNAUTHORIZED).await;
    let wrong_token = server
        .client
        .post(format!("{}/api/v1/sync", server.base))
        .bearer_auth("pl1_nope")
        .body(good.clone())
        .send()
        .await
        .unwrap();
    expect_error(wrong_token, StatusCode::UNAUTHORIZED).await;
    let bad_enrol = server
        .client
        .post(format!("{}/api/v1/enroll", server.base))
        .body(r#"{"code": 5}"#)
        .send()
        .await
        .unwrap();
    expect_error(bad_enrol, StatusCode::UNPROCESSABLE_ENTITY).await;
    server.nothing_stored().await;

    server
        .storage
        .revoke_device(
            server.device.device_id,
            county_server::storage::Revocation::KeepData,
            1,
            &county_server::audit::Actor::cli(),
        )
        .await
        .unwrap();
    let revoked = server.sync_post().body(good).send().await.unwrap();
    let error = expect_error(revoked, StatusCode::UNAUTHORIZED).await;
    assert_eq!(error.error, "unauthorized");
    server.nothing_stored().await;
    server.stop().await;
}

#[tokio::test]
async fn cross_post_write_is_403_over_http() {
    let server = AdminServer::start().await;
    let other_post = server
        .storage
        .create_post("董干联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let (other, _) = enrol(&server.storage, &other_post).await;
    let theirs = hazard(EntryId::new_v7(), other.device_id, "high", "别处的");
    server
        .storage
        .sync(
            other,
            request(vec![record(1, other.device_id, 1, None, &theirs)], None),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let mut forged = theirs.clone();
    forged["body"]["severity"] = "low".into();
    let body = serde_json::to_vec(
        &request(
            vec![record(
                1,
                server.device.device_id,
                2,
                Some(&theirs),
                &forged,
            )],
            Some(("", 100)),
        )
        .into_wire(),
    )
    .unwrap();
    let answer = server.sync_post().body(body).send().await.unwrap();
    assert_eq!(
        expect_error(answer, StatusCode::FORBIDDEN).await.error,
        "forbidden"
    );
    let stored = server
        .storage
        .list_entries(EntryFilter::default())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].document["body"]["severity"], "high");
    server.stop().await;
}

fn hex_sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[tokio::test]
async fn photo_upload_resumes_after_a_cut_and_checks_every_checksum() {
    let server = AdminServer::start().await;
    let photo = admin::test_picture(image::ImageFormat::Png, 1024, 720, 7);
    assert!(photo.len() > 2 * 1024 * 1024, "three chunks");
    let name = hex_sha(&photo);
    let url = format!("{}/api/v1/photos/{name}/original", server.base);
    let total = photo.len().to_string();
    let patch = |offset: usize, chunk: &[u8], checksum: Option<String>| {
        server
            .client
            .patch(&url)
            .bearer_auth(&server.device_token)
            .header("upload-offset", offset.to_string())
            .header("upload-length", &total)
            .header("upload-sha256", &name)
            .header("chunk-sha256", checksum.unwrap_or_else(|| hex_sha(chunk)))
            .body(chunk.to_vec())
    };
    let head = || server.client.head(&url).bearer_auth(&server.device_token);
    let mib = 1024 * 1024;

    let first = head().send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(
        (
            first.headers()["upload-offset"].to_str().unwrap(),
            first.headers()["upload-complete"].to_str().unwrap()
        ),
        ("0", "?0")
    );
    let sent = patch(0, &photo[..mib], None).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::NO_CONTENT);
    assert_eq!(sent.headers()["upload-offset"], mib.to_string().as_str());
    // The link is cut here; the device asks where to resume.
    let resumed = head().send().await.unwrap();
    assert_eq!(resumed.headers()["upload-offset"], mib.to_string().as_str());
    let wrong_offset = patch(0, &photo[..mib], None).send().await.unwrap();
    assert_eq!(
        wrong_offset.headers()["upload-offset"],
        mib.to_string().as_str()
    );
    expect_error(wrong_offset, StatusCode::CONFLICT).await;
    let bad_chunk = patch(mib, &photo[mib..2 * mib], Some("00".repeat(32)))
        .send()
        .await
        .unwrap();
    expect_error(bad_chunk, StatusCode::BAD_REQUEST).await;
    assert_eq!(
        head().send().await.unwrap().headers()["upload-offset"],
        mib.to_string().as_str()
    );
    let too_big = patch(mib, &vec![0u8; mib + 1], None).send().await.unwrap();
    expect_error(too_big, StatusCode::PAYLOAD_TOO_LARGE).await;
    let second = patch(mib, &photo[mib..2 * mib], None).send().await.unwrap();
    assert_eq!(second.status(), StatusCode::NO_CONTENT);
    let last = patch(2 * mib, &photo[2 * mib..], None)
        .send()
        .await
        .unwrap();
    assert_eq!(last.status(), StatusCode::NO_CONTENT);
    let done = head().send().await.unwrap();
    assert_eq!(done.headers()["upload-complete"], "?1");
    assert_eq!(done.headers()["upload-offset"], total.as_str());

    // An original whose bytes do not hash to its name is refused whole and starts over.
    let liar = format!("{}/api/v1/photos/{}/original", server.base, "ab".repeat(32));
    let refused = server
        .client
        .patch(&liar)
        .bearer_auth(&server.device_token)
        .header("upload-offset", "0")
        .header("upload-length", "5")
        .header("upload-sha256", "ab".repeat(32))
        .header("chunk-sha256", hex_sha(b"hello"))
        .body("hello")
        .send()
        .await
        .unwrap();
    expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY).await;
    let after = server
        .client
        .head(&liar)
        .bearer_auth(&server.device_token)
        .send()
        .await
        .unwrap();
    assert_eq!(after.headers()["upload-offset"], "0");
    let bad_name = server
        .client
        .head(format!("{}/api/v1/photos/xyz/original", server.base))
        .bearer_auth(&server.device_token)
        .send()
        .await
        .unwrap();
    assert_eq!(bad_name.status(), StatusCode::BAD_REQUEST);
    let no_token = server.client.head(&url).send().await.unwrap();
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    server.stop().await;
}
