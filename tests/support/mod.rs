//! What the system tests share: the real `county-server` binary started as a process on a
//! loopback port (and killed and restarted), its admin commands, devices with real SQLite
//! stores running the real sync engine, and the fault proxy.

#![allow(dead_code)]

pub mod fault_proxy;

use patrol_device::sync::{enroll_device, sync_device, SyncOptions, SyncReport};
use patrol_device::{DeviceError, DeviceStore, EntryListQuery};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A binary of the workspace, built by `cargo build --workspace` next to this test binary.
pub fn workspace_binary(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().unwrap();
    let profile_dir = test_binary.parent().unwrap().parent().unwrap();
    let path = profile_dir.join(name);
    assert!(
        path.exists(),
        "{} is missing: build the workspace first (`cargo build --workspace`, as scripts/test.sh does)",
        path.display()
    );
    path
}

/// A county server process with its SQLite database in a temporary directory.
pub struct CountyServer {
    pub directory: tempfile::TempDir,
    pub url: String,
    child: Option<Child>,
}

impl CountyServer {
    pub fn start() -> CountyServer {
        let directory = tempfile::tempdir().unwrap();
        let mut server = CountyServer {
            directory,
            url: String::new(),
            child: None,
        };
        server.launch();
        server
    }

    pub fn database(&self) -> PathBuf {
        self.directory.path().join("county.sqlite3")
    }

    pub fn address(&self) -> std::net::SocketAddr {
        self.url.trim_start_matches("http://").parse().unwrap()
    }

    /// Starts the process (again) on a free port and waits until it listens.
    pub fn launch(&mut self) {
        let mut child = Command::new(workspace_binary("county-server"))
            .arg("--database")
            .arg(self.database())
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(self.directory.path().join("data"))
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
        self.url = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("county-server did not say where it listens within 60 s");
        self.child = Some(child);
    }

    /// The process id of the running server.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the server runs").id()
    }

    /// The server's resident memory now and at its peak (VmRSS, VmHWM), in bytes.
    pub fn memory(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
                .map(|kib| kib * 1024)
                .unwrap_or_else(|| panic!("{name} missing in /proc status"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// SIGTERM, then waits up to `limit` for the process to end; whether it did.
    pub fn terminate(&mut self, limit: Duration) -> bool {
        let Some(mut child) = self.child.take() else {
            return true;
        };
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM failed");
        let ended = wait_until(limit, || child.try_wait().unwrap().is_some());
        if !ended {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        ended
    }

    /// SIGKILL: no shutdown, no flush, as a power cut would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// Runs an admin command against the same database; returns stdout.
    pub fn admin(&self, args: &[&str]) -> String {
        let output = Command::new(workspace_binary("county-server"))
            .arg("--database")
            .arg(self.database())
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "county-server {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    pub fn add_post(&self, name: &str) -> String {
        self.admin(&["post", "add", name]).trim().to_string()
    }

    pub fn enrolment_code(&self, post: &str) -> String {
        self.admin(&["enroll-code", post]).trim().to_string()
    }

    /// Every entry's current version, from `county-server export --format jsonl`.
    pub fn export(&self) -> Vec<Value> {
        self.admin(&["export", "--format", "jsonl"])
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

impl Drop for CountyServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A phone: its own data directory and store, and the real sync engine.
pub struct Device {
    pub directory: tempfile::TempDir,
    pub store: Mutex<DeviceStore>,
    pub name: String,
}

impl Device {
    pub fn new(name: &str) -> Device {
        let directory = tempfile::tempdir().unwrap();
        let store = Mutex::new(DeviceStore::open(directory.path()).unwrap());
        Device {
            directory,
            store,
            name: name.to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        self.directory.path()
    }

    pub async fn enroll(&self, server: &CountyServer, post: &str) {
        let code = server.enrolment_code(post);
        enroll_device(&self.store, &server.url, &code, &self.name)
            .await
            .unwrap();
    }

    /// Points the device at another address (a proxy, or a restarted server).
    pub fn use_server_url(&self, url: &str) {
        self.store
            .lock()
            .unwrap()
            .set_setting("server_url", url)
            .unwrap();
    }

    pub async fn sync(&self) -> Result<SyncReport, DeviceError> {
        self.sync_with(&SyncOptions::default()).await
    }

    pub async fn sync_with(&self, options: &SyncOptions) -> Result<SyncReport, DeviceError> {
        sync_device(&self.store, options, &|_| {}).await
    }

    pub fn record(&self, json: &str) -> String {
        let draft = patrol_model::parse_entry_draft(json, None).unwrap();
        let entry = self
            .store
            .lock()
            .unwrap()
            .record_entry(draft, vec![])
            .unwrap();
        entry.id.to_string()
    }

    /// Ids of every entry this device holds, deleted ones included.
    pub fn entry_ids(&self) -> BTreeSet<String> {
        let store = self.store.lock().unwrap();
        let mut ids = BTreeSet::new();
        let mut after = None;
        loop {
            let page = store
                .list_entries(&EntryListQuery {
                    include_deleted: true,
                    limit: Some(500),
                    after: after.clone(),
                    ..Default::default()
                })
                .unwrap();
            ids.extend(page.entries.into_iter().map(|entry| entry.id));
            match page.next_cursor {
                Some(cursor) => after = Some(cursor),
                None => return ids,
            }
        }
    }

    pub fn pending(&self) -> u64 {
        self.store.lock().unwrap().pending_outbox_count().unwrap()
    }
}

/// Asserts the server holds exactly `recorded` entries, none twice; returns its export.
pub fn assert_exactly_once(server: &CountyServer, recorded: &BTreeSet<String>) -> Vec<Value> {
    let exported = server.export();
    let ids: Vec<String> = exported
        .iter()
        .map(|entry| entry["id"].as_str().unwrap().to_string())
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "an entry is on the server twice");
    assert_eq!(
        &unique, recorded,
        "the server must hold exactly the device's entries"
    );
    exported
}

/// Waits for `condition`, polling, at most `limit`.
pub fn wait_until(limit: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

pub fn hazard_json(day: u32, text: &str) -> String {
    format!(
        r#"{{"kind":"hazard","occurred_at":"2024-03-{day:02}T09:00:00+08:00","location":{{"lat":23.6251,"lon":105.6312}},"body":{{"category":"fence","severity":"high","description":"{text}"}}}}"#
    )
}

pub fn patrol_json(day: u32, findings: &str) -> String {
    format!(
        r#"{{"kind":"patrol","occurred_at":"2024-04-{day:02}T08:10:00+08:00","ended_at":"2024-04-{day:02}T11:40:00+08:00","body":{{"joint":true,"members":["李国华","王明"],"partners":[{{"unit":"army","count":3}}],"markers":["123"],"findings":"{findings}"}}}}"#
    )
}
