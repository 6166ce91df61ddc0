//! A PostgreSQL cluster of the tests' own: `initdb` into a directory (as the `postgres` user when
//! run as root), listening on a free loopback port with its unix socket in that directory,
//! stopped when dropped. A throwaway one (`start`, the tests) lives in a temp dir; a kept one
//! (`start_kept`, `examples/dashboard_bench`, which includes this file) is created once and
//! started again on every run. If it cannot start, the caller fails loudly: it never skips.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct PgCluster {
    /// The throwaway cluster's temp dir, removed when dropped; none for a kept cluster.
    _dir: Option<tempfile::TempDir>,
    data: PathBuf,
    bin: PathBuf,
    pub port: u16,
    as_postgres_user: bool,
    /// `pg_ctl stop` mode: `immediate` for a throwaway cluster, `fast` (clean) for a kept one.
    stop_mode: &'static str,
}

fn find_bin() -> PathBuf {
    let preferred = PathBuf::from("/usr/lib/postgresql/15/bin");
    if preferred.join("initdb").exists() {
        return preferred;
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
                .filter(|bin| bin.join("initdb").exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): \
             run scripts/install-deps.sh; the PostgreSQL tests do not skip"
        )
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free loopback port")
}

impl PgCluster {
    /// A new cluster in a temp dir, removed when dropped.
    pub fn start() -> PgCluster {
        let dir = tempfile::Builder::new()
            .prefix("county-pg-")
            .tempdir()
            .expect("a temp dir for the cluster");
        let directory = dir.path().to_path_buf();
        PgCluster::start_in(&directory, Some(dir), "immediate")
    }

    /// The cluster kept in `directory` between runs, created the first time.
    pub fn start_kept(directory: &Path) -> PgCluster {
        PgCluster::start_in(directory, None, "fast")
    }

    fn start_in(
        directory: &Path,
        dir: Option<tempfile::TempDir>,
        stop_mode: &'static str,
    ) -> PgCluster {
        let bin = find_bin();
        let as_postgres_user = is_root();
        let data = directory.join("data");
        let socket = directory.join("socket");
        std::fs::create_dir_all(&socket).expect("socket dir");
        if as_postgres_user {
            run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(directory),
                "chown the cluster dir to postgres",
            );
        }
        let port = free_port();
        let cluster = PgCluster {
            _dir: dir,
            data,
            bin,
            port,
            as_postgres_user,
            stop_mode,
        };
        let data = cluster.data.display().to_string();
        if !cluster.data.join("PG_VERSION").exists() {
            run(
                &mut cluster.command(
                    "initdb",
                    &[
                        "-D",
                        &data,
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--no-sync",
                    ],
                ),
                "initdb",
            );
        }
        // fsync off: a throwaway cluster never needs it, a kept one only speeds up its load.
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            socket.display()
        );
        run(
            &mut cluster.command(
                "pg_ctl",
                &[
                    "-D",
                    &data,
                    "-o",
                    &options,
                    "-l",
                    &cluster.data.join("server.log").display().to_string(),
                    "-w",
                    "-t",
                    "120",
                    "start",
                ],
            ),
            "pg_ctl start",
        );
        cluster
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres_user {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        };
        command.args(args);
        command
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// A new empty database; returns its URL.
    pub async fn create_database(&self, name: &str) -> String {
        self.create(name, false).await
    }

    /// The URL of `name`, created unless it exists (a kept cluster's database).
    pub async fn database(&self, name: &str) -> String {
        self.create(name, true).await
    }

    async fn create(&self, name: &str, unless_it_exists: bool) -> String {
        let (client, connection) =
            tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|error| panic!("connecting to the cluster: {error}"));
        let driver = tokio::spawn(connection);
        let exists = unless_it_exists
            && client
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
                .unwrap_or_else(|error| panic!("looking for database {name}: {error}"))
                .is_some();
        if !exists {
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap_or_else(|error| panic!("CREATE DATABASE {name}: {error}"));
        }
        drop(client);
        let _ = driver.await;
        self.url(name)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let _ = self
            .command("pg_ctl", &["-D", &data, "-m", self.stop_mode, "-w", "stop"])
            .output();
    }
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{what}: could not run: {error}"));
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
