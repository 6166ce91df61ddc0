//! A revoked phone is not stranded: end to end with the real `patrol` and `county-server`
//! binaries. The phone records, the county revokes it (`county-server device revoke`), its
//! sync is refused with the Chinese message, the county gives it a fresh code, it enrols
//! again (same device id, new token) and delivers what it held, each entry exactly once.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `county-server`, built into the same target directory as this test's `patrol`
/// (`cargo build -p county-server`, as scripts/test.sh does for the whole workspace).
fn county_server_binary() -> PathBuf {
    let patrol = PathBuf::from(env!("CARGO_BIN_EXE_patrol"));
    let path = patrol.with_file_name("county-server");
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build -p county-server`)",
        path.display()
    );
    path
}

struct County {
    directory: tempfile::TempDir,
    child: Child,
    url: String,
}

impl County {
    fn start() -> County {
        let directory = tempfile::tempdir().unwrap();
        let mut child = Command::new(county_server_binary())
            .arg("--database")
            .arg(directory.path().join("county.sqlite3"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(directory.path().join("data"))
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
        let url = receiver
            .recv_timeout(Duration::from_secs(60))
            .expect("county-server says where it listens");
        County {
            directory,
            child,
            url,
        }
    }

    fn database(&self) -> &Path {
        self.directory.path()
    }

    /// An admin command against the same database; returns stdout.
    fn admin(&self, args: &[&str]) -> String {
        let output = Command::new(county_server_binary())
            .arg("--database")
            .arg(self.database().join("county.sqlite3"))
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

    /// Every entry's description in the county's export, sorted.
    fn exported_descriptions(&self) -> Vec<String> {
        let mut found: Vec<String> = self
            .admin(&["export", "--format", "jsonl"])
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let entry: serde_json::Value = serde_json::from_str(line).unwrap();
                entry["body"]["description"].as_str().unwrap().to_string()
            })
            .collect();
        found.sort();
        found
    }
}

impl Drop for County {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hazard(description: &str) -> String {
    HAZARD.replace("铁网被洪水冲毁约30米", description)
}

#[test]
fn a_revoked_phone_enrols_again_with_a_fresh_code_and_delivers_what_it_held_once() {
    let county = County::start();
    let post = county
        .admin(&["post", "add", "田蓬联防所"])
        .trim()
        .to_string();
    let phone = Patrol::new();
    let code = county.admin(&["enroll-code", &post]).trim().to_string();
    let enrolled = phone.ok(&["enroll", &county.url, &code], "");
    phone.ok(&["record", "--json", "-"], &hazard("第一条"));
    phone.ok(&["sync"], "");

    let devices = county.admin(&["device", "list"]);
    let device_id = devices
        .lines()
        .nth(1)
        .and_then(|line| line.split('\t').next())
        .unwrap()
        .to_string();
    assert!(enrolled.contains(&device_id), "{enrolled} / {devices}");
    county.admin(&["device", "revoke", &device_id]);

    // Recorded while (or after) the county revoked it: held on the phone.
    phone.ok(&["record", "--json", "-"], &hazard("第二条"));
    phone.ok(&["record", "--json", "-"], &hazard("第三条"));
    let refused = phone.run(&["sync"], "");
    assert_eq!(refused.status.code(), Some(7), "refused by the county");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("本设备已被停用"), "{stderr}");
    assert_eq!(county.exported_descriptions(), ["第一条"]);
    // The used code cannot bring it back.
    let reused = phone.run(&["enroll", &county.url, &code], "");
    assert_eq!(reused.status.code(), Some(7));

    let fresh = county.admin(&["enroll-code", &post]).trim().to_string();
    let again = phone.ok(&["enroll", &county.url, &fresh], "");
    assert!(again.contains(&device_id), "the same device id: {again}");
    let synced = phone.ok(&["sync"], "");
    assert!(synced.contains("确认 2 条"), "{synced}");
    phone.ok(&["sync"], "");
    assert_eq!(
        county.exported_descriptions(),
        ["第一条", "第三条", "第二条"],
        "each held entry once"
    );
    let status = phone.ok(&["status", "--json"], "");
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["pending_records"], 0, "{status}");
    let devices = county.admin(&["device", "list"]);
    assert_eq!(devices.lines().count(), 2, "still one device: {devices}");
    assert!(
        devices.contains("\tfalse\t"),
        "no longer revoked: {devices}"
    );
}
