//! A PostgreSQL cluster of the bench's own, kept between runs so the 1,000,000 entries are
//! loaded once: `initdb` into a directory the first time (as the `postgres` user when run as
//! root, like the tests' throwaway cluster), `pg_ctl start` on a free loopback port each run,
//! `pg_ctl stop` when dropped.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct BenchCluster {
    data: PathBuf,
    bin: PathBuf,
    as_postgres_user: bool,
    pub port: u16,
}

fn find_bin() -> Result<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (no /usr/lib/postgresql)")?
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found
        .pop()
        .context("no /usr/lib/postgresql/*/bin/initdb: run scripts/install-deps.sh")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl BenchCluster {
    /// Starts the cluster kept in `directory`, creating it the first time.
    pub fn start(directory: &Path) -> Result<BenchCluster> {
        let bin = find_bin()?;
        let as_postgres_user = is_root();
        std::fs::create_dir_all(directory.join("socket"))?;
        let data = directory.join("data");
        let cluster = BenchCluster {
            data,
            bin,
            as_postgres_user,
            port: free_port()?,
        };
        if as_postgres_user {
            run(
                Command::new("chown")
                    .args(["-R", "postgres:postgres"])
                    .arg(directory),
                "chown the cluster directory to postgres",
            )?;
        }
        if !cluster.data.join("PG_VERSION").exists() {
            let data = cluster.data.display().to_string();
            run(
                &mut cluster.command(
                    "initdb",
                    &["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
                ),
                "initdb",
            )?;
        }
        // fsync off only speeds up the one-time load; the measured reads do not write.
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            cluster.port,
            directory.join("socket").display()
        );
        let data = cluster.data.display().to_string();
        let log = directory.join("server.log").display().to_string();
        run(
            &mut cluster.command(
                "pg_ctl",
                &[
                    "-D", &data, "-o", &options, "-l", &log, "-w", "-t", "120", "start",
                ],
            ),
            "pg_ctl start",
        )?;
        Ok(cluster)
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

    /// The URL of `name`, created when it does not exist yet.
    pub async fn database(&self, name: &str) -> Result<String> {
        let (client, connection) =
            tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls).await?;
        let driver = tokio::spawn(connection);
        let exists = client
            .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .await?
            .is_some();
        if !exists {
            client
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .await?;
        }
        drop(client);
        let _ = driver.await;
        Ok(self.url(name))
    }
}

impl Drop for BenchCluster {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let _ = self
            .command("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"])
            .output();
    }
}

fn run(command: &mut Command, what: &str) -> Result<()> {
    let output = command
        .output()
        .with_context(|| format!("{what}: could not run"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}
