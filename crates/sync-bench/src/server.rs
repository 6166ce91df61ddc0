//! The real `county-server` process: started on a loopback port with its SQLite database in a
//! temporary directory, and its admin commands (`post add`, `enroll-code`).

use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct CountyServer {
    binary: PathBuf,
    directory: PathBuf,
    pub url: String,
    child: Child,
}

impl CountyServer {
    /// Starts `binary serve` on `127.0.0.1:0` and waits until it says where it listens.
    pub fn start(binary: &Path, directory: &Path) -> Result<CountyServer> {
        let database = directory.join("county.sqlite3");
        let mut child = Command::new(binary)
            .arg("--database")
            .arg(&database)
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(directory.join("data"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        let stdout = child.stdout.take().context("county-server stdout")?;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("listening on ") {
                    let _ = sender.send(url.trim().to_string());
                }
            }
        });
        let url = match receiver.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                bail!("county-server did not say where it listens within 60 s");
            }
        };
        Ok(CountyServer {
            binary: binary.to_path_buf(),
            directory: directory.to_path_buf(),
            url,
            child,
        })
    }

    pub fn address(&self) -> Result<SocketAddr> {
        Ok(self.url.trim_start_matches("http://").parse()?)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU time (user + system) the server process has used so far, on Linux.
    pub fn cpu_time(&self) -> Option<Duration> {
        cpu_time_of(&format!("/proc/{}/stat", self.pid()))
    }

    /// Runs an admin command against the same database; returns its stdout, trimmed.
    pub fn admin(&self, args: &[&str]) -> Result<String> {
        let output = Command::new(&self.binary)
            .arg("--database")
            .arg(self.directory.join("county.sqlite3"))
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .with_context(|| format!("county-server {args:?}"))?;
        if !output.status.success() {
            bail!(
                "county-server {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8(output.stdout)?.trim().to_string())
    }

    /// Adds a post; returns its id.
    pub fn add_post(&self, name: &str) -> Result<String> {
        self.admin(&["post", "add", name])
    }

    pub fn enrolment_code(&self, post: &str) -> Result<String> {
        self.admin(&["enroll-code", post])
    }
}

impl Drop for CountyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// CPU time (user + system) this process has used so far, on Linux.
pub fn own_cpu_time() -> Option<Duration> {
    cpu_time_of("/proc/self/stat")
}

/// utime + stime of `/proc/PID/stat`, in clock ticks of 10 ms (`CLK_TCK` is 100 on Linux).
fn cpu_time_of(stat_path: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain.
    let after_name = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
