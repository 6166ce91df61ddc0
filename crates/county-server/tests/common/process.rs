//! The real `county-server` binary as a county runs it: `serve` as a child process on a
//! loopback port over a data dir, its admin commands run against the same database, devices
//! that enrol and sync over HTTP, and an admin who logs in to the dashboard's API.

use crate::common::{record, request};
use patrol_model::sync::{EnrolResponse, SyncResponse};
use patrol_model::DeviceId;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

/// A `county-server serve` process over `dir/county-data`.
pub struct ServerProcess {
    pub dir: tempfile::TempDir,
    pub base: String,
    pub client: reqwest::Client,
    child: Option<Child>,
}

/// A device enrolled over HTTP.
pub struct HttpDevice {
    pub id: DeviceId,
    pub token: String,
    next_seq: u64,
}

impl ServerProcess {
    /// Starts `serve` with its database at `county-data/county.sqlite3` (or `database_url`).
    pub fn start(database_url: Option<&str>) -> ServerProcess {
        let dir = tempfile::tempdir().unwrap();
        let database = database_url.map(str::to_string).unwrap_or_else(|| {
            dir.path()
                .join("county-data/county.sqlite3")
                .display()
                .to_string()
        });
        std::fs::write(dir.path().join("database-url"), &database).unwrap();
        let mut server = ServerProcess {
            dir,
            base: String::new(),
            client: reqwest::Client::new(),
            child: None,
        };
        server.launch();
        server
    }

    /// Starts the process (again) on a free port and waits until it listens.
    pub fn launch(&mut self) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_county-server"))
            .arg("--database")
            .arg(self.database())
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(self.data_dir())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = sender.send(url.trim().to_string());
                }
            }
        });
        self.base = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("county-server says where it listens within 60 s");
        self.child = Some(child);
    }

    /// Waits until the server answers `/healthz`: it prints where it listens before it has
    /// opened its data dir, and answers only after.
    pub async fn ready(&self) {
        let answer = self.client.get(self.url("/healthz")).send().await.unwrap();
        assert_eq!(answer.status(), reqwest::StatusCode::OK);
    }

    /// Ends the process (SIGKILL).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The running process's id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the server runs").id()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("county-data")
    }

    fn database(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("database-url")).unwrap()
    }

    /// Runs `county-server --database … ARGS` with `stdin`; returns its output, whatever it is.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_county_server(&self.database(), args, stdin)
    }

    /// Runs an admin command that must succeed; returns its stdout.
    pub fn cli(&self, args: &[&str]) -> Vec<u8> {
        let output = self.run(args, "");
        assert!(
            output.status.success(),
            "county-server {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    pub fn cli_text(&self, args: &[&str]) -> String {
        String::from_utf8(self.cli(args))
            .unwrap()
            .trim()
            .to_string()
    }

    /// `admin add USER --role ROLE` with the password on stdin.
    pub fn add_admin(&self, user: &str, password: &str, role: &str) {
        let output = self.run(
            &["admin", "add", user, "--role", role],
            &format!("{password}\n"),
        );
        assert!(
            output.status.success(),
            "admin add: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Enrols a new device in `post` (id or name) with a code from `enroll-code`.
    pub async fn enrol(&self, post: &str) -> HttpDevice {
        let code = self.cli_text(&["enroll-code", post]);
        let id = DeviceId::new_v7();
        let answer = self
            .client
            .post(self.url("/api/v1/enroll"))
            .json(&serde_json::json!({"code": code, "device_id": id, "label": "测试手机"}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), reqwest::StatusCode::OK, "enrolment");
        let enrolled: EnrolResponse = answer.json().await.unwrap();
        HttpDevice {
            id,
            token: enrolled.device_token,
            next_seq: 1,
        }
    }

    /// `POST /api/v1/sync` of `entries` as new records; every one must be accepted.
    pub async fn sync(&self, device: &mut HttpDevice, entries: &[Value]) -> SyncResponse {
        let records = entries
            .iter()
            .map(|entry| {
                let seq = device.next_seq;
                device.next_seq += 1;
                record(seq, device.id, 1_000 + seq as i64, None, entry)
            })
            .collect();
        let response = self.post_sync(device, request(records, None)).await;
        assert!(response.rejected.is_empty(), "{:?}", response.rejected);
        response
    }

    /// Everything the device's post changed from the start (up to `limit`), as it pulls it.
    pub async fn pull_from_start(&self, device: &HttpDevice, limit: u32) -> SyncResponse {
        self.post_sync(device, request(vec![], Some(("", limit))))
            .await
    }

    /// `POST /api/v1/sync` of `sync_request` by `device`; it must answer 200.
    async fn post_sync(
        &self,
        device: &HttpDevice,
        sync_request: patrol_model::sync::SyncRequest,
    ) -> SyncResponse {
        let body = serde_json::to_vec(&sync_request.into_wire()).unwrap();
        let answer = self
            .client
            .post(self.url("/api/v1/sync"))
            .bearer_auth(&device.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), reqwest::StatusCode::OK, "sync");
        answer.json().await.unwrap()
    }

    /// Uploads a whole photo variant in one `PATCH`; it must complete.
    pub async fn upload_photo(
        &self,
        device: &HttpDevice,
        sha256: &str,
        variant: &str,
        bytes: &[u8],
    ) {
        let answer = self
            .client
            .patch(self.url(&format!("/api/v1/photos/{sha256}/{variant}")))
            .bearer_auth(&device.token)
            .header("upload-offset", "0")
            .header("upload-length", bytes.len().to_string())
            .header("upload-sha256", hex_sha256(bytes))
            .header("chunk-sha256", hex_sha256(bytes))
            .body(bytes.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(
            answer.status(),
            reqwest::StatusCode::NO_CONTENT,
            "{variant} uploaded"
        );
    }

    /// Logs in to the dashboard's API; the answer, and the cookie when it succeeded.
    pub async fn log_in(
        &self,
        user: &str,
        password: &str,
    ) -> (reqwest::StatusCode, Option<String>) {
        let answer = self
            .client
            .post(self.url("/api/v1/admin/session"))
            .json(&serde_json::json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap();
        let cookie = answer
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("pl_session="))
            .and_then(|value| value.split(';').next())
            .map(str::to_string);
        (answer.status(), cookie)
    }

    /// `GET path` with the session cookie: status and bytes.
    pub async fn get(&self, path: &str, cookie: &str) -> (reqwest::StatusCode, Vec<u8>) {
        let answer = self
            .client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (answer.status(), answer.bytes().await.unwrap().to_vec())
    }

    /// A change as the dashboard sends it (`X-Patrol-Dashboard: 1`, JSON body).
    pub async fn post(&self, path: &str, cookie: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("cookie", cookie)
            .header("x-patrol-dashboard", "1")
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `county-server --database DATABASE ARGS` with `stdin`.
pub fn run_county_server(database: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_county-server"))
        .arg("--database")
        .arg(database)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("county-server runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every file and folder under `root` (itself included).
pub fn walk(root: &Path) -> Vec<PathBuf> {
    let mut found = vec![root.to_path_buf()];
    let mut index = 0;
    while index < found.len() {
        if found[index].is_dir() {
            let mut children: Vec<PathBuf> = std::fs::read_dir(&found[index])
                .unwrap()
                .map(|child| child.unwrap().path())
                .collect();
            children.sort();
            found.extend(children);
        }
        index += 1;
    }
    found
}
