//! `sync-bench` owns `patrol-sync-bench`, the benchmark command of sync v1: it starts the real
//! `county-server` binary (release build) with a temporary SQLite database, enrols devices through
//! the real API (codes from the server's admin CLI), fills real device stores, runs the real sync
//! engine (`patrol_device::sync::sync_device`) directly or through the fault proxy, and prints
//! for each scenario the wall time, requests, bytes up and down and whether the goal was met.
//!
//! It is a command, not a test: nothing here asserts a time. Run it as
//! `cargo build --release -p county-server -p sync-bench && target/release/patrol-sync-bench`.
//! The figures and how they were taken are in `docs/benchmarks.md`. It owns no sync logic:
//! the device side is `patrol-device`'s, the server side `county-server`'s.

mod month;
mod scenarios;
mod server;

use anyhow::{bail, Result};
use clap::{Parser, ValueEnum};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "patrol-sync-bench",
    about = "Benchmark of sync v1 against the real county-server (SQLite)"
)]
pub struct Args {
    /// The county-server binary to start (build it with `cargo build --release -p county-server`).
    #[arg(long, default_value = "target/release/county-server")]
    pub server_binary: PathBuf,
    /// Which scenario to run.
    #[arg(long, value_enum, default_value_t = Scenario::All)]
    pub scenario: Scenario,
    /// Runs of the 10,000-entry pushes (each a fresh device and post); the median is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// Devices syncing at once in the `concurrent` scenario.
    #[arg(long, default_value_t = 500)]
    pub devices: usize,
    /// Entries each of those devices pushes.
    #[arg(long, default_value_t = 20)]
    pub entries_per_device: usize,
    /// Devices per post in the `concurrent` scenario (they pull each other's entries).
    #[arg(long, default_value_t = 10)]
    pub devices_per_post: usize,
    /// Worker threads of the runtime the devices sync on (default: one per core).
    #[arg(long)]
    pub workers: Option<usize>,
    /// Write the records of the first 10,000-entry push (JSON lines, one sync record a line, as
    /// the engine sends them) to this file, to study their size and compression.
    #[arg(long)]
    pub dump_records: Option<PathBuf>,
    /// Where the server database and device stores go (default: the system temp dir).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Every scenario, in order.
    All,
    /// 10,000 entries pushed from one device over loopback (and the server's ingest rate).
    Push,
    /// The same through the proxy with 100 ms added, then 100 new entries, then an idle sync.
    Latency,
    /// 20 photos of 256 KiB.
    Photos,
    /// Many devices syncing at once.
    Concurrent,
    /// "A month at a post over 2G": 300 entries (100 patrols with tracks) and 50 camera photos
    /// over 64 kbit/s, 300 ms, cut every 20 s for 2 s for the whole run (about 40 minutes;
    /// not part of `all`).
    Month2g,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if !args.server_binary.exists() {
        bail!(
            "{} is missing: build it with `cargo build --release -p county-server -p sync-bench` \
             (or pass --server-binary)",
            args.server_binary.display()
        );
    }
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    runtime.enable_all();
    if let Some(workers) = args.workers {
        runtime.worker_threads(workers);
    }
    runtime.build()?.block_on(scenarios::run(&args))
}
