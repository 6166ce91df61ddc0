//! The real `county-server` binary for the CLI's end-to-end tests: a throwaway county on
//! loopback, and its admin commands.

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

pub struct County {
    pub directory: tempfile::TempDir,
    child: Child,
    pub url: String,
}

impl County {
    pub fn start() -> County {
        County::start_on("127.0.0.1:0", &[])
    }

    /// A county listening on `listen`, with more `serve` options.
    pub fn start_on(listen: &str, serve_options: &[&str]) -> County {
        let directory = tempfile::tempdir().unwrap();
        let mut child = Command::new(county_server_binary())
            .arg("--database")
            .arg(directory.path().join("county.sqlite3"))
            .args(["serve", "--listen", listen])
            .args(serve_options)
            .arg("--data-dir")
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

    /// Adds the post `name` and enrols a fresh phone in it; returns the post's id and the phone.
    pub fn post_with_phone(&self, name: &str) -> (String, super::Patrol) {
        let post = self.admin(&["post", "add", name]).trim().to_string();
        let phone = super::Patrol::new();
        let code = self.admin(&["enroll-code", &post]).trim().to_string();
        phone.ok(&["enroll", &self.url, &code], "");
        (post, phone)
    }

    pub fn database(&self) -> &Path {
        self.directory.path()
    }

    /// An admin command against the same database; returns stdout.
    pub fn admin(&self, args: &[&str]) -> String {
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
    pub fn exported_descriptions(&self) -> Vec<String> {
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
