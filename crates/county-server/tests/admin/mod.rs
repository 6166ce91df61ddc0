//! The HTTP tests' server (the device API's in `http_api.rs`, the dashboard's in
//! `admin_api*.rs`): a real `county-server` (`launch` on a loopback port, SQLite in a temp dir)
//! with one post, one enrolled device that syncs over HTTP, an admin and a viewer; and a client
//! that keeps the `pl_session` cookie by hand, so the tests see every header.
#![allow(dead_code)]

use crate::common::{enrol, hazard, record, request};
use county_server::secrets::hash_password;
use county_server::storage::admin_sessions::AdminRole;
use county_server::storage::{AuthenticatedDevice, Post};
use county_server::{launch, ServerSettings, SharedStorage, TlsFiles};
use patrol_model::sync::{ApiErrorBody, SyncResponse};
use patrol_model::EntryId;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::LazyLock;

pub const ADMIN: (&str, &str) = ("县边防办", "边防办 2024 口令");
pub const VIEWER: (&str, &str) = ("查看员", "只看不改 2024");

/// The admin and the viewer with their password hashes, hashed once per test binary (argon2
/// is slow, and most servers of a test never log in as both).
static ACCOUNTS: LazyLock<[(&str, String, AdminRole); 2]> = LazyLock::new(|| {
    [(ADMIN, AdminRole::Admin), (VIEWER, AdminRole::Viewer)]
        .map(|((user, password), role)| (user, hash_password(password).unwrap(), role))
});

pub struct AdminServer {
    pub base: String,
    pub storage: SharedStorage,
    pub post: Post,
    pub device: AuthenticatedDevice,
    pub device_token: String,
    pub client: reqwest::Client,
    settings: ServerSettings,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    pub dir: tempfile::TempDir,
}

/// How the server is started besides its data: HTTPS, `--public-url`, `--map-tile-url`, and
/// the database (SQLite in the temp dir unless a PostgreSQL URL is given).
#[derive(Default)]
pub struct ServeOptions {
    pub tls: bool,
    pub public_url: Option<String>,
    pub map_tile_url: Option<String>,
    pub database_url: Option<String>,
}

impl AdminServer {
    pub async fn start() -> AdminServer {
        Self::start_with(ServeOptions::default()).await
    }

    pub async fn start_with(options: ServeOptions) -> AdminServer {
        let dir = tempfile::tempdir().unwrap();
        let database_url = options
            .database_url
            .unwrap_or_else(|| dir.path().join("county.sqlite3").display().to_string());
        let storage = county_server::open_storage(&database_url).await.unwrap();
        let post = storage
            .create_post("田蓬联防所", &county_server::audit::Actor::cli())
            .await
            .unwrap();
        let (device, device_token) = enrol(&storage, &post).await;
        let now = chrono::Utc::now().timestamp_millis();
        for (user, phc, role) in ACCOUNTS.iter() {
            storage
                .save_admin(user, phc, *role, now, &county_server::audit::Actor::cli())
                .await
                .unwrap();
        }
        let (tls, client) = if options.tls {
            let certified =
                rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
            let files = TlsFiles {
                certificate_chain: dir.path().join("county.crt"),
                private_key: dir.path().join("county.key"),
            };
            std::fs::write(&files.certificate_chain, certified.cert.pem()).unwrap();
            std::fs::write(&files.private_key, certified.signing_key.serialize_pem()).unwrap();
            let client = reqwest::Client::builder()
                .add_root_certificate(
                    reqwest::Certificate::from_pem(certified.cert.pem().as_bytes()).unwrap(),
                )
                .build()
                .unwrap();
            (Some(files), client)
        } else {
            (None, reqwest::Client::new())
        };
        let settings = ServerSettings {
            storage: storage.clone(),
            data_dir: dir.path().to_path_buf(),
            tls,
            public_url: options.public_url,
            map_tile_url: options.map_tile_url,
            connections_per_address: Some(county_server::serve::CONNECTIONS_PER_ADDRESS),
            behind_proxy: false,
        };
        let mut server = AdminServer {
            base: String::new(),
            storage,
            post,
            device,
            device_token,
            client,
            settings,
            stop: None,
            task: None,
            dir,
        };
        server.serve().await;
        server
    }

    /// Launches the server on a new loopback port.
    async fn serve(&mut self) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        self.base = match self.settings.tls {
            Some(_) => format!("https://localhost:{port}"),
            None => format!("http://127.0.0.1:{port}"),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let settings = self.settings.clone();
        self.task = Some(tokio::spawn(async move {
            launch(listener, settings, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        }));
        self.stop = Some(stop);
    }

    async fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.unwrap();
        }
    }

    pub async fn stop(mut self) {
        self.shut_down().await;
    }

    /// Stops the server and launches it again on the same database and data dir (a new port).
    pub async fn restart(&mut self) {
        self.shut_down().await;
        self.serve().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in; returns the answer (for its headers) and the cookie to send back.
    pub async fn log_in_answer(&self, user: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/admin/session"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// Logs in and returns the `Cookie` header value to send back.
    pub async fn log_in(&self, (user, password): (&str, &str)) -> String {
        let answer = self.log_in_answer(user, password).await;
        assert_eq!(answer.status(), StatusCode::OK, "{user} logs in");
        session_cookie_of(&answer).expect("a pl_session cookie")
    }

    /// A request with the session cookie (if any).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        cookie: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match cookie {
            Some(cookie) => builder.header("cookie", cookie),
            None => builder,
        }
    }

    pub async fn get_json(&self, path: &str, cookie: &str) -> Value {
        let answer = self
            .request(Method::GET, path, Some(cookie))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "GET {path}");
        answer.json().await.unwrap()
    }

    /// A change as the dashboard sends it: JSON body and `X-Patrol-Dashboard: 1`.
    pub async fn change(&self, path: &str, cookie: &str, body: Option<Value>) -> reqwest::Response {
        let builder = self
            .request(Method::POST, path, Some(cookie))
            .header("x-patrol-dashboard", "1");
        match body {
            Some(body) => builder.json(&body),
            None => builder,
        }
        .send()
        .await
        .unwrap()
    }

    /// `POST /api/v1/sync` with the device's token and a JSON content type; the body is the
    /// caller's.
    pub fn sync_post(&self) -> reqwest::RequestBuilder {
        self.client
            .post(self.url("/api/v1/sync"))
            .bearer_auth(&self.device_token)
            .header("content-type", "application/json")
    }

    /// The device sends `entry` as new (seq `seq`).
    pub async fn device_sends(&self, seq: u64, entry: &Value) -> SyncResponse {
        let records = vec![record(
            seq,
            self.device.device_id,
            1_000 + seq as i64,
            None,
            entry,
        )];
        let body = serde_json::to_vec(&request(records, None).into_wire()).unwrap();
        let answer = self.sync_post().body(body).send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
        answer.json().await.unwrap()
    }

    /// The device uploads one photo file in one chunk (`variant`: thumbnail or original).
    pub async fn device_uploads(&self, sha256: &str, variant: &str, bytes: &[u8]) {
        let checksum = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
        let answer = self
            .client
            .patch(self.url(&format!("/api/v1/photos/{sha256}/{variant}")))
            .bearer_auth(&self.device_token)
            .header("upload-offset", "0")
            .header("upload-length", bytes.len().to_string())
            .header("chunk-sha256", &checksum)
            .header("upload-sha256", &checksum)
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer.status(),
            StatusCode::NO_CONTENT,
            "{variant} uploaded"
        );
    }

    /// The device sends a new hazard (seq `seq`) and pulls from `cursor`.
    pub async fn device_sync(
        &self,
        seq: u64,
        description: Option<&str>,
        cursor: &str,
    ) -> reqwest::Response {
        let records = match description {
            Some(description) => {
                let entry = hazard(
                    EntryId::new_v7(),
                    self.device.device_id,
                    "high",
                    description,
                );
                vec![record(
                    seq,
                    self.device.device_id,
                    1_000 + seq as i64,
                    None,
                    &entry,
                )]
            }
            None => Vec::new(),
        };
        let body = serde_json::to_vec(&request(records, Some((cursor, 100))).into_wire()).unwrap();
        self.sync_post().body(body).send().await.unwrap()
    }

    pub async fn device_sync_ok(
        &self,
        seq: u64,
        description: Option<&str>,
        cursor: &str,
    ) -> SyncResponse {
        let answer = self.device_sync(seq, description, cursor).await;
        assert_eq!(answer.status(), StatusCode::OK);
        answer.json().await.unwrap()
    }
}

/// A noisy picture of `width`×`height` px encoded as `format` (JPEG or PNG), as a camera or
/// the device's thumbnailer would make it; `seed` makes different pictures.
pub fn test_picture(format: image::ImageFormat, width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = 0x9E37_79B9u32 ^ seed.wrapping_mul(0x85EB_CA6B);
    let picture = image::RgbImage::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    });
    let mut bytes = Vec::new();
    picture
        .write_to(&mut std::io::Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// `pl_session=…` from the answer's `Set-Cookie`, as a `Cookie` header value.
pub fn session_cookie_of(answer: &reqwest::Response) -> Option<String> {
    answer
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|text| cookie::Cookie::parse(text.to_string()).ok())
        .find(|cookie| cookie.name() == "pl_session" && !cookie.value().is_empty())
        .map(|cookie| format!("pl_session={}", cookie.value()))
}

/// The answer must be `status` with an `ApiErrorBody` in both languages.
pub async fn expect_error(answer: reqwest::Response, status: StatusCode) -> ApiErrorBody {
    let url = answer.url().to_string();
    assert_eq!(answer.status(), status, "{url}");
    let content_type = answer
        .headers()
        .get("content-type")
        .map(|value| value.to_str().unwrap().to_string())
        .unwrap_or_default();
    assert!(
        content_type.starts_with("application/json"),
        "{url}: error bodies are JSON, not {content_type:?}"
    );
    let body = answer.bytes().await.unwrap();
    let error: ApiErrorBody = serde_json::from_slice(&body).unwrap_or_else(|error| {
        panic!(
            "{url}: not an ApiErrorBody ({error}): {}",
            String::from_utf8_lossy(&body)
        )
    });
    assert!(!error.message.is_empty() && !error.message_zh.is_empty());
    error
}

/// A 400 that names `field` in its problems and its message.
pub async fn expect_bad_field(answer: reqwest::Response, field: &str) {
    let url = answer.url().to_string();
    let error = expect_error(answer, StatusCode::BAD_REQUEST).await;
    assert_eq!(error.error, "bad_request", "{url}");
    assert!(
        error.problems.iter().any(|problem| problem.field == field),
        "{url}: expected a problem on {field}, got {:?}",
        error.problems
    );
    assert!(error.message.contains(field), "{url}: {}", error.message);
}
