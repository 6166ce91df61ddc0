//! Running the real `patrol` binary against a store in a temporary directory, and reading that
//! store back with SQLite to see exactly what was written.

#![allow(dead_code)]

pub mod county;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Patrol {
    pub data_dir: tempfile::TempDir,
}

impl Patrol {
    pub fn new() -> Patrol {
        Patrol {
            data_dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.data_dir.path()
    }

    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_patrol"));
        command.arg("--data-dir").arg(self.path());
        command
    }

    /// Runs `patrol ARGS` with `stdin` piped in.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The command may stop reading early (input too large, a bad argument): a broken pipe
        // on our side is then expected, and its exit status tells the rest.
        let written = child.stdin.take().unwrap().write_all(stdin.as_bytes());
        if let Err(error) = written {
            assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "{error}");
        }
        child.wait_with_output().unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let output = self.run(args, stdin);
        assert!(
            output.status.success(),
            "patrol {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// Everything the store holds, as text, to compare before and after a command.
    pub fn snapshot(&self) -> Vec<String> {
        let connection = patrol_device::store::at_rest::open_raw_store(self.path()).unwrap();
        let mut rows = Vec::new();
        for table in [
            "entries",
            "entry_versions",
            "outbox",
            "photos",
            "track_points",
            "patrol_tracks",
        ] {
            let mut statement = connection
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
                .unwrap();
            let columns = statement.column_count();
            let mut query = statement.query([]).unwrap();
            while let Some(row) = query.next().unwrap() {
                let values: Vec<String> = (0..columns)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                rows.push(format!("{table}: {}", values.join(" | ")));
            }
        }
        rows
    }

    /// Every file under the store's `photos/` (send versions, and originals under
    /// `photos/originals/`).
    pub fn photo_files(&self) -> Vec<PathBuf> {
        files_under(&self.path().join("photos"))
    }
}

/// Every file under `directory`, at any depth (none when it is missing).
pub fn files_under(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

pub const HAZARD: &str = r#"{"kind":"hazard","occurred_at":"2024-03-02T09:00:00+08:00","location":{"lat":23.6251,"lon":105.6312},"body":{"category":"fence","severity":"high","description":"铁网被洪水冲毁约30米"}}"#;
pub const PATROL: &str = r#"{"kind":"patrol","occurred_at":"2024-03-02T08:10:00+08:00","ended_at":"2024-03-02T11:40:00+08:00","body":{"joint":true,"members":["李国华","王明"],"partners":[{"unit":"army","count":3},{"unit":"police","count":1}],"markers":["123","124"],"findings":"界碑123附近发现新踩踏便道"}}"#;

pub fn repair_closing(hazard_id: &str) -> String {
    format!(
        r#"{{"kind":"repair","occurred_at":"2024-03-05T10:00:00+08:00","location":{{"lat":23.6251,"lon":105.6312}},"body":{{"category":"fence","quantity":30,"unit":"m","closes_hazard":"{hazard_id}","description":"修复铁网30米"}}}}"#
    )
}
