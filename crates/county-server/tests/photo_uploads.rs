//! Photo uploads through the real server over HTTP, on SQLite and on PostgreSQL: a photo
//! belongs to the post that uploads it (no probing, no planting across posts), every variant
//! is checked when its last byte arrives, bad offsets are a 400 naming the header, a chunk
//! cut off keeps what arrived, and data dirs of the old shared layout are moved into their
//! posts when the server opens.

mod admin;
mod common;

use admin::{expect_error, test_picture, AdminServer, ServeOptions, ADMIN};
use common::postgres::PgCluster;
use image::ImageFormat;
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};
use std::future::Future;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Runs `case` on a fresh server on SQLite, then on a fresh one on PostgreSQL.
async fn on_both_backends<F, Fut>(database: &str, case: F)
where
    F: Fn(AdminServer) -> Fut,
    Fut: Future<Output = ()>,
{
    case(AdminServer::start().await).await;
    let cluster = PgCluster::start();
    let url = cluster.create_database(database).await;
    case(
        AdminServer::start_with(ServeOptions {
            database_url: Some(url),
            ..ServeOptions::default()
        })
        .await,
    )
    .await;
}

fn hex_sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// One enrolled device talking to the server's photo API.
struct Uploader<'a> {
    server: &'a AdminServer,
    token: String,
}

impl<'a> Uploader<'a> {
    /// The server's own device (its post is `server.post`).
    fn first(server: &'a AdminServer) -> Self {
        Uploader {
            server,
            token: server.device_token.clone(),
        }
    }

    /// A new device of `post`.
    async fn enrolled(server: &'a AdminServer, post: &county_server::storage::Post) -> Self {
        let (_, token) = common::enrol(&server.storage, post).await;
        Uploader { server, token }
    }

    fn url(&self, sha256: &str, variant: &str) -> String {
        self.server
            .url(&format!("/api/v1/photos/{sha256}/{variant}"))
    }

    /// A `PATCH` of `chunk` at `offset` of a `total`-byte variant declared to hash to `declared`.
    fn patch(
        &self,
        (sha256, variant): (&str, &str),
        offset: &str,
        total: &str,
        declared: &str,
        chunk: &[u8],
    ) -> reqwest::RequestBuilder {
        self.server
            .client
            .patch(self.url(sha256, variant))
            .bearer_auth(&self.token)
            .header("upload-offset", offset)
            .header("upload-length", total)
            .header("upload-sha256", declared)
            .header("chunk-sha256", hex_sha(chunk))
            .body(chunk.to_vec())
    }

    /// Sends `bytes[from..to]` of a variant whose SHA-256 is declared honestly.
    async fn send(
        &self,
        target: (&str, &str),
        bytes: &[u8],
        from: usize,
        to: usize,
    ) -> reqwest::Response {
        self.patch(
            target,
            &from.to_string(),
            &bytes.len().to_string(),
            &hex_sha(bytes),
            &bytes[from..to],
        )
        .send()
        .await
        .unwrap()
    }

    /// Sends a whole variant in one chunk; it must complete.
    async fn send_whole(&self, target: (&str, &str), bytes: &[u8]) {
        let answer = self.send(target, bytes, 0, bytes.len()).await;
        assert_eq!(
            answer.status(),
            StatusCode::NO_CONTENT,
            "{target:?} uploaded"
        );
        assert_eq!(answer.headers()["upload-complete"], "?1", "{target:?}");
    }

    /// `HEAD`: (Upload-Offset, Upload-Complete).
    async fn head(&self, sha256: &str, variant: &str) -> (String, String) {
        let answer = self
            .server
            .client
            .head(self.url(sha256, variant))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        let header = |name: &str| answer.headers()[name].to_str().unwrap().to_string();
        (header("upload-offset"), header("upload-complete"))
    }
}

fn absent() -> (String, String) {
    ("0".to_string(), "?0".to_string())
}

/// The post's device records a hazard that lists the photo `sha256`; returns the entry's id.
async fn entry_with_photo(server: &AdminServer, seq: u64, sha256: &str) -> String {
    let mut entry = common::hazard(
        patrol_model::EntryId::new_v7(),
        server.device.device_id,
        "high",
        "铁网被冲毁约30米",
    );
    entry["photos"] = serde_json::json!([{"sha256": sha256, "role": "before"}]);
    server.device_sends(seq, &entry).await;
    entry["id"].as_str().unwrap().to_string()
}

/// What the dashboard serves at `path` (status and bytes).
async fn dashboard_bytes(server: &AdminServer, cookie: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let answer = server
        .request(Method::GET, path, Some(cookie))
        .send()
        .await
        .unwrap();
    (answer.status(), answer.bytes().await.unwrap().to_vec())
}

/// The photo URLs of an entry's detail, as the dashboard finds them: (thumb, full, uploaded).
async fn detail_photo(
    server: &AdminServer,
    cookie: &str,
    entry_id: &str,
) -> (String, String, bool) {
    let detail = server
        .get_json(&format!("/api/v1/admin/entries/{entry_id}"), cookie)
        .await;
    let photo = &detail["photos"][0];
    (
        photo["thumbnail_url"].as_str().unwrap().to_string(),
        photo["full_url"].as_str().unwrap().to_string(),
        photo["uploaded"].as_bool().unwrap(),
    )
}

#[tokio::test]
async fn a_plant_by_another_post_is_isolated_and_the_owner_completes() {
    on_both_backends("plant", plant_case).await;
}

async fn plant_case(server: AdminServer) {
    let photo = test_picture(ImageFormat::Jpeg, 800, 600, 1);
    let thumbnail = test_picture(ImageFormat::Jpeg, 320, 240, 1);
    let sha256 = hex_sha(&photo);
    let entry_id = entry_with_photo(&server, 1, &sha256).await;
    let owner = Uploader::first(&server);
    let other_post = server
        .storage
        .create_post("那坡联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let stranger = Uploader::enrolled(&server, &other_post).await;

    // The probe of issue 10: 11 bytes as the owner's thumbnail, from another post.
    let planted = b"not a photo";
    let answer = stranger
        .send((&sha256, "thumbnail"), planted, 0, planted.len())
        .await;
    let refusal = expect_error(answer, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refusal.error, "photo_not_an_image", "{}", refusal.message);
    assert_eq!(stranger.head(&sha256, "thumbnail").await, absent());
    // Even a real thumbnail it sends lands in its own post only.
    let foreign_thumbnail = test_picture(ImageFormat::Jpeg, 300, 200, 99);
    stranger
        .send_whole((&sha256, "thumbnail"), &foreign_thumbnail)
        .await;
    assert_eq!(owner.head(&sha256, "thumbnail").await, absent());

    owner.send_whole((&sha256, "thumbnail"), &thumbnail).await;
    let half = photo.len() / 2;
    let first = owner.send((&sha256, "original"), &photo, 0, half).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(first.headers()["upload-offset"], half.to_string().as_str());
    owner
        .send((&sha256, "original"), &photo, half, photo.len())
        .await;
    assert_eq!(
        owner.head(&sha256, "original").await,
        (photo.len().to_string(), "?1".to_string())
    );

    // The owner's dashboard shows the owner's photo, both variants, with their type.
    let cookie = server.log_in(ADMIN).await;
    let (thumb_url, full_url, uploaded) = detail_photo(&server, &cookie, &entry_id).await;
    assert!(uploaded);
    assert!(
        thumb_url.contains(&server.post.id.to_string()),
        "found through the entry's post: {thumb_url}"
    );
    assert_eq!(
        dashboard_bytes(&server, &cookie, &thumb_url).await,
        (StatusCode::OK, thumbnail.clone())
    );
    assert_eq!(
        dashboard_bytes(&server, &cookie, &full_url).await,
        (StatusCode::OK, photo.clone())
    );
    let answer = server
        .request(Method::GET, &thumb_url, Some(&cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.headers()["content-type"], "image/jpeg");
    // The stranger's thumbnail is its post's, never the owner's entry's.
    let stranger_thumb = format!(
        "/api/v1/admin/posts/{}/photos/{sha256}/thumb",
        other_post.id
    );
    assert_eq!(
        dashboard_bytes(&server, &cookie, &stranger_thumb).await,
        (StatusCode::OK, foreign_thumbnail)
    );
    server.stop().await;
}

#[tokio::test]
async fn another_posts_head_tells_nothing() {
    on_both_backends("probe", probe_case).await;
}

async fn probe_case(server: AdminServer) {
    let photo = test_picture(ImageFormat::Png, 400, 300, 2);
    let thumbnail = test_picture(ImageFormat::Jpeg, 320, 240, 2);
    let sha256 = hex_sha(&photo);
    entry_with_photo(&server, 1, &sha256).await;
    let owner = Uploader::first(&server);
    owner.send_whole((&sha256, "thumbnail"), &thumbnail).await;
    owner.send_whole((&sha256, "original"), &photo).await;

    let other_post = server
        .storage
        .create_post("那坡联防所", &county_server::audit::Actor::cli())
        .await
        .unwrap();
    let stranger = Uploader::enrolled(&server, &other_post).await;
    let unknown = hex_sha(b"a photo nobody has");
    for variant in ["thumbnail", "original"] {
        assert_eq!(stranger.head(&sha256, variant).await, absent(), "{variant}");
        assert_eq!(
            stranger.head(&unknown, variant).await,
            absent(),
            "{variant}"
        );
    }
    // A PATCH at a wrong offset answers the stranger's own offset, not the owner's.
    let answer = stranger.send((&sha256, "original"), &photo, 100, 200).await;
    assert_eq!(answer.headers()["upload-offset"], "0");
    expect_error(answer, StatusCode::CONFLICT).await;
    // The owner's copy is untouched.
    assert_eq!(
        owner.head(&sha256, "original").await,
        (photo.len().to_string(), "?1".to_string())
    );
    server.stop().await;
}

#[tokio::test]
async fn a_thumbnail_that_does_not_check_out_is_a_422_and_nothing_is_kept() {
    on_both_backends("thumbnails", bad_thumbnail_case).await;
}

async fn bad_thumbnail_case(server: AdminServer) {
    let photo = test_picture(ImageFormat::Jpeg, 640, 480, 3);
    let thumbnail = test_picture(ImageFormat::Jpeg, 320, 240, 3);
    let sha256 = hex_sha(&photo);
    let entry_id = entry_with_photo(&server, 1, &sha256).await;
    let device = Uploader::first(&server);
    let target = (sha256.as_str(), "thumbnail");
    let total = thumbnail.len().to_string();

    // Declared with another hash, in two chunks: the first is kept, the last refuses all.
    let half = thumbnail.len() / 2;
    let wrong = hex_sha(b"another thumbnail");
    let first = device
        .patch(target, "0", &total, &wrong, &thumbnail[..half])
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    let last = device
        .patch(
            target,
            &half.to_string(),
            &total,
            &wrong,
            &thumbnail[half..],
        )
        .send()
        .await
        .unwrap();
    let refusal = expect_error(last, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refusal.error, "photo_checksum");
    assert!(
        refusal.message.contains("Upload-Sha256"),
        "{}",
        refusal.message
    );
    assert_eq!(device.head(&sha256, "thumbnail").await, absent());

    let png = test_picture(ImageFormat::Png, 320, 240, 3);
    let too_large = test_picture(ImageFormat::Jpeg, 400, 300, 3);
    for (bytes, code) in [
        (b"not a photo".to_vec(), "photo_not_an_image"),
        (png, "photo_not_an_image"),
        (too_large, "thumbnail_too_large"),
    ] {
        let answer = device.send(target, &bytes, 0, bytes.len()).await;
        let refusal = expect_error(answer, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(refusal.error, code, "{}", refusal.message);
        assert!(!refusal.message_zh.is_empty());
        assert_eq!(device.head(&sha256, "thumbnail").await, absent());
    }
    // Without Upload-Sha256: a 400 naming it.
    let answer = server
        .client
        .patch(device.url(&sha256, "thumbnail"))
        .bearer_auth(&device.token)
        .header("upload-offset", "0")
        .header("upload-length", &total)
        .body(thumbnail.clone())
        .send()
        .await
        .unwrap();
    let refusal = expect_error(answer, StatusCode::BAD_REQUEST).await;
    assert_eq!(refusal.problems[0].field, "Upload-Sha256");
    // An original declared with a hash other than its name: a 400 naming the header.
    let answer = device
        .patch(
            (&sha256, "original"),
            "0",
            &photo.len().to_string(),
            &wrong,
            &photo,
        )
        .send()
        .await
        .unwrap();
    let refusal = expect_error(answer, StatusCode::BAD_REQUEST).await;
    assert_eq!(refusal.problems[0].field, "Upload-Sha256");

    let cookie = server.log_in(ADMIN).await;
    let (thumb_url, _, _) = detail_photo(&server, &cookie, &entry_id).await;
    assert_eq!(
        dashboard_bytes(&server, &cookie, &thumb_url).await.0,
        StatusCode::NOT_FOUND,
        "nothing was kept"
    );
    // Nothing blocks the honest upload afterwards.
    device.send_whole(target, &thumbnail).await;
    assert_eq!(
        dashboard_bytes(&server, &cookie, &thumb_url).await,
        (StatusCode::OK, thumbnail)
    );
    server.stop().await;
}

#[tokio::test]
async fn offsets_and_lengths_that_do_not_fit_are_a_400_naming_the_header() {
    on_both_backends("offsets", offsets_case).await;
}

async fn offsets_case(server: AdminServer) {
    let photo = test_picture(ImageFormat::Jpeg, 200, 150, 4);
    let sha256 = hex_sha(&photo);
    let device = Uploader::first(&server);
    let target = (sha256.as_str(), "original");
    let total = photo.len().to_string();
    let chunk = &photo[..10];
    for (offset, length, header) in [
        ("18446744073709551615", total.as_str(), "Upload-Offset"),
        ("18446744073709551616", total.as_str(), "Upload-Offset"),
        ("-1", total.as_str(), "Upload-Offset"),
        ("0", "18446744073709551616", "Upload-Length"),
        ("0", "5", "Content-Length"),
        ("0", "0", "Upload-Length"),
    ] {
        let answer = device
            .patch(target, offset, length, &sha256, chunk)
            .send()
            .await
            .unwrap();
        let refusal = expect_error(answer, StatusCode::BAD_REQUEST).await;
        assert_eq!(
            refusal.problems[0].field, header,
            "offset {offset}, length {length}: {}",
            refusal.message
        );
    }
    let answer = device
        .patch(target, "0", "18446744073709551615", &sha256, chunk)
        .send()
        .await
        .unwrap();
    expect_error(answer, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(device.head(&sha256, "original").await, absent());
    device.send_whole(target, &photo).await;
    server.stop().await;
}

/// Sends the headers of a `PATCH` of `chunk` and only the first half of its bytes, then shuts
/// the socket, as a link cut mid-chunk does.
async fn send_half_a_chunk(
    server: &AdminServer,
    token: &str,
    (sha256, variant): (&str, &str),
    offset: usize,
    total: usize,
    declared: &str,
    chunk: &[u8],
) {
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "PATCH /api/v1/photos/{sha256}/{variant} HTTP/1.1\r\nHost: {address}\r\n\
         Authorization: Bearer {token}\r\nUpload-Offset: {offset}\r\nUpload-Length: {total}\r\n\
         Upload-Sha256: {declared}\r\nChunk-Sha256: {}\r\n\
         Content-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
        hex_sha(chunk),
        chunk.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(&chunk[..chunk.len() / 2]).await.unwrap();
    stream.flush().await.unwrap();
    stream.shutdown().await.unwrap();
    // Whatever the server answers (if anything) before it closes.
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
}

#[tokio::test]
async fn a_chunk_cut_after_half_its_bytes_keeps_them_and_the_upload_completes() {
    on_both_backends("cut", cut_case).await;
}

async fn cut_case(server: AdminServer) {
    let photo = test_picture(ImageFormat::Jpeg, 900, 700, 5);
    assert!(photo.len() > 200_000, "{} bytes", photo.len());
    let sha256 = hex_sha(&photo);
    let entry_id = entry_with_photo(&server, 1, &sha256).await;
    let device = Uploader::first(&server);
    let target = (sha256.as_str(), "original");
    let first_chunk = 64 * 1024;
    let second_chunk = 128 * 1024;
    device.send(target, &photo, 0, first_chunk).await;

    send_half_a_chunk(
        &server,
        &device.token,
        target,
        first_chunk,
        photo.len(),
        &sha256,
        &photo[first_chunk..first_chunk + second_chunk],
    )
    .await;
    let kept = (first_chunk + second_chunk / 2).to_string();
    let mut status = device.head(&sha256, "original").await;
    for _ in 0..100 {
        if status.0 == kept {
            break;
        }
        // The server notices the cut when the socket closes; give it a moment to fsync.
        tokio::time::sleep(Duration::from_millis(50)).await;
        status = device.head(&sha256, "original").await;
    }
    assert_eq!(status, (kept.clone(), "?0".to_string()), "offset + half");

    let resume_at: usize = kept.parse().unwrap();
    let last = device.send(target, &photo, resume_at, photo.len()).await;
    assert_eq!(last.status(), StatusCode::NO_CONTENT);
    assert_eq!(last.headers()["upload-complete"], "?1");
    let cookie = server.log_in(ADMIN).await;
    let (_, full_url, uploaded) = detail_photo(&server, &cookie, &entry_id).await;
    assert!(uploaded);
    let (status, bytes) = dashboard_bytes(&server, &cookie, &full_url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hex_sha(&bytes), sha256, "the right SHA-256");
    server.stop().await;
}

#[tokio::test]
async fn another_device_of_the_post_neither_blocks_nor_replaces_an_upload() {
    on_both_backends("devices", same_post_case).await;
}

async fn same_post_case(server: AdminServer) {
    let photo = test_picture(ImageFormat::Jpeg, 640, 480, 6);
    let thumbnail = test_picture(ImageFormat::Jpeg, 320, 240, 6);
    let sha256 = hex_sha(&photo);
    let entry_id = entry_with_photo(&server, 1, &sha256).await;
    let honest = Uploader::first(&server);
    let other = Uploader::enrolled(&server, &server.post).await;

    // The other device fills its own partial original with junk: the honest one's is its own.
    let junk = vec![0x55u8; 4000];
    let answer = other
        .patch(
            (&sha256, "original"),
            "0",
            &photo.len().to_string(),
            &sha256,
            &junk,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(honest.head(&sha256, "original").await, absent());
    honest.send_whole((&sha256, "original"), &photo).await;
    honest.send_whole((&sha256, "thumbnail"), &thumbnail).await;

    // Its own thumbnail of the photo differs: HEAD says complete, a PATCH says move on.
    assert_eq!(other.head(&sha256, "thumbnail").await.1, "?1");
    let its_thumbnail = test_picture(ImageFormat::Jpeg, 160, 120, 7);
    let answer = other
        .send(
            (&sha256, "thumbnail"),
            &its_thumbnail,
            0,
            its_thumbnail.len(),
        )
        .await;
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        answer.headers()["upload-offset"],
        its_thumbnail.len().to_string().as_str()
    );
    assert_eq!(answer.headers()["upload-complete"], "?1");
    assert_eq!(
        other.head(&sha256, "original").await,
        (photo.len().to_string(), "?1".to_string())
    );
    let cookie = server.log_in(ADMIN).await;
    let (thumb_url, _, _) = detail_photo(&server, &cookie, &entry_id).await;
    assert_eq!(
        dashboard_bytes(&server, &cookie, &thumb_url).await,
        (StatusCode::OK, thumbnail),
        "the first verified thumbnail stays"
    );
    server.stop().await;
}

#[tokio::test]
async fn photos_of_the_old_shared_layout_are_moved_into_their_post_on_open() {
    on_both_backends("legacy", legacy_case).await;
}

async fn legacy_case(mut server: AdminServer) {
    let photo = test_picture(ImageFormat::Png, 500, 400, 8);
    let thumbnail = test_picture(ImageFormat::Jpeg, 320, 256, 8);
    let sha256 = hex_sha(&photo);
    let entry_id = entry_with_photo(&server, 1, &sha256).await;
    let nobodys = test_picture(ImageFormat::Jpeg, 100, 100, 9);
    let nobodys_sha = hex_sha(&nobodys);
    let photos = server.dir.path().join("photos");
    let place = |sha: &str, variant: &str, bytes: &[u8]| {
        let folder = photos.join(&sha[..2]);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(format!("{sha}.{variant}")), bytes).unwrap();
    };
    place(&sha256, "original", &photo);
    place(&sha256, "thumbnail", &thumbnail);
    place(&nobodys_sha, "original", &nobodys);
    std::fs::create_dir_all(photos.join("partial")).unwrap();
    std::fs::write(
        photos.join("partial").join(format!("{sha256}.original")),
        b"half",
    )
    .unwrap();

    server.restart().await;
    let cookie = server.log_in(ADMIN).await;
    let (thumb_url, full_url, uploaded) = detail_photo(&server, &cookie, &entry_id).await;
    assert!(uploaded);
    assert_eq!(
        dashboard_bytes(&server, &cookie, &thumb_url).await,
        (StatusCode::OK, thumbnail)
    );
    assert_eq!(
        dashboard_bytes(&server, &cookie, &full_url).await,
        (StatusCode::OK, photo.clone())
    );
    let device = Uploader::first(&server);
    assert_eq!(
        device.head(&sha256, "original").await,
        (photo.len().to_string(), "?1".to_string())
    );
    assert!(
        !photos.join(&sha256[..2]).exists(),
        "the old folder is gone"
    );
    assert!(!photos.join("partial").exists());
    assert_eq!(
        std::fs::read(
            photos
                .join("unclaimed")
                .join(format!("{nobodys_sha}.original"))
        )
        .unwrap(),
        nobodys,
        "a file no entry lists is kept aside"
    );
    assert_eq!(device.head(&nobodys_sha, "original").await, absent());
    // Opening again finds nothing more to move.
    server.restart().await;
    let cookie = server.log_in(ADMIN).await;
    assert_eq!(
        dashboard_bytes(&server, &cookie, &full_url).await,
        (StatusCode::OK, photo)
    );
    server.stop().await;
}
