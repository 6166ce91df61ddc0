//! The county dashboard at 1,000,000 entries: fills a database once with demo years of many
//! posts through the real sync API (`county_server::demo`, the generator of `county-server
//! demo`), then starts the real server, logs in as an admin and times the dashboard's pages
//! over HTTP: the overview, a filtered entries page (with and without text search) and the
//! year-end report. Not a test; run it in release:
//!
//! ```text
//! cargo run --release -p county-server --example dashboard_bench -- \
//!     --database /var/tmp/dashboard-1m.sqlite3 --entries 1000000
//! cargo run --release -p county-server --example dashboard_bench -- \
//!     --postgres-dir /var/tmp/dashboard-1m-pg --entries 1000000
//! ```
//! A database that already holds posts is measured as it is (filled by an earlier run).

mod measure;
/// The tests' PostgreSQL cluster, kept here between runs.
#[path = "../../tests/common/postgres.rs"]
mod postgres;

use anyhow::{bail, Context, Result};
use clap::Parser;
use county_server::demo::{fill_demo_county, DemoOptions, InProcessServer};
use county_server::open_storage;
use county_server::secrets::hash_password;
use county_server::storage::admin_sessions::AdminRole;
use measure::{AdminSession, PageTimings};
use std::path::PathBuf;

/// Entries one post records in a year of the demo (measured: 256.8 for 38 posts, 2022–2024).
const ENTRIES_PER_POST_YEAR: f64 = 255.0;
const ADMIN: &str = "bench-admin";
const PASSWORD: &str = "bench-password-1";

#[derive(Parser)]
struct Args {
    /// SQLite file or postgres:// URL to fill (once) and measure.
    #[arg(long, conflicts_with = "postgres_dir")]
    database: Option<String>,
    /// Run a PostgreSQL cluster of the bench's own, kept in this directory between runs.
    #[arg(long)]
    postgres_dir: Option<PathBuf>,
    #[arg(long, default_value_t = 1_000_000)]
    entries: u64,
    /// Demo years filled: first to last.
    #[arg(long, default_value_t = 2015)]
    first_year: i32,
    #[arg(long, default_value_t = 2024)]
    last_year: i32,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed requests of each page (after one warm-up).
    #[arg(long, default_value_t = 9)]
    runs: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let cluster = args
        .postgres_dir
        .as_deref()
        .map(postgres::PgCluster::start_kept);
    let url = match (&args.database, &cluster) {
        (Some(url), _) => url.clone(),
        (None, Some(cluster)) => cluster.database("dashboard_bench").await,
        (None, None) => bail!("give --database URL or --postgres-dir DIR"),
    };
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let storage = open_storage(&url)
        .await
        .with_context(|| format!("opening {url}"))?;
    let posts = storage.list_posts().await?.len();
    if posts == 0 {
        fill(&storage, &args).await?;
    } else {
        eprintln!("{url} already holds {posts} posts: measuring it as it is");
    }
    storage
        .save_admin(
            ADMIN,
            &hash_password(PASSWORD)?,
            AdminRole::Viewer,
            chrono::Utc::now().timestamp_millis(),
            &county_server::audit::Actor::cli(),
        )
        .await?;

    let server = InProcessServer::start(storage.clone()).await?;
    let measured = measure_pages(&server.base_url, &args, backend).await;
    server.stop().await?;
    // The pool's connections close before the cluster stops.
    drop(storage);
    drop(cluster);
    measured
}

async fn fill(storage: &county_server::SharedStorage, args: &Args) -> Result<()> {
    if args.last_year < args.first_year {
        bail!("--last-year is before --first-year");
    }
    let years: Vec<i32> = (args.first_year..=args.last_year).collect();
    let posts =
        (args.entries as f64 / (years.len() as f64 * ENTRIES_PER_POST_YEAR)).ceil() as usize;
    eprintln!(
        "filling with {} years of {posts} posts through the sync API (about {} entries)",
        years.len(),
        args.entries
    );
    let options = DemoOptions {
        years,
        posts,
        seed: args.seed,
        // Every device sends each year's log as one backlog (batches of 200 records), push
        // only: the end state is the same as weekly syncs, in far fewer transactions.
        sync_every_days: 365,
        pull: false,
        posts_per_group: 20,
        in_flight: 4,
    };
    let summary = fill_demo_county(storage.clone(), &options, &|line| eprintln!("{line}")).await?;
    eprintln!(
        "filled: {} posts, {} devices, {} entries, {} records in {} requests ({:.0} MB up) in {:.0} s: {:.0} entries/s",
        summary.posts,
        summary.devices,
        summary.entries,
        summary.records,
        summary.wire.requests,
        summary.wire.bytes_up as f64 / 1e6,
        summary.seconds,
        summary.entries as f64 / summary.seconds
    );
    Ok(())
}

async fn measure_pages(base_url: &str, args: &Args, backend: &str) -> Result<()> {
    let session = AdminSession::log_in(base_url, ADMIN, PASSWORD).await?;
    let (overview, _, _) = session.get("/api/v1/admin/overview").await?;
    let entries = overview["totals"]["entries"].as_u64().unwrap_or(0);
    let posts = overview["posts"].as_array().map_or(0, Vec::len);
    let devices = overview["devices"].as_array().map_or(0, Vec::len);
    println!("{backend}: {entries} entries, {posts} posts, {devices} devices");
    let post = overview["posts"][0]["id"]
        .as_str()
        .context("the overview lists no post")?
        .to_string();
    let year = args.last_year;
    let filtered = format!(
        "/api/v1/admin/entries?kind=hazard&post={post}&from={year}-01-01&to={year}-12-31&limit=50"
    );
    let pages = [
        ("overview", "/api/v1/admin/overview".to_string(), 300.0),
        (
            "entries, hazards of one post in a year",
            filtered.clone(),
            100.0,
        ),
        (
            "the same with q=塌方",
            format!("{filtered}&q=%E5%A1%8C%E6%96%B9"),
            100.0,
        ),
        (
            "the same with q=便道被雨水冲刷",
            format!("{filtered}&q=%E4%BE%BF%E9%81%93%E8%A2%AB%E9%9B%A8%E6%B0%B4%E5%86%B2%E5%88%B7"),
            100.0,
        ),
        (
            "entries, first page, no filter",
            "/api/v1/admin/entries?limit=50".to_string(),
            100.0,
        ),
        (
            "entries, q=塌方 over all posts and years",
            "/api/v1/admin/entries?q=%E5%A1%8C%E6%96%B9&limit=50".to_string(),
            100.0,
        ),
        (
            "year-end report",
            format!("/api/v1/admin/reports/annual?year={year}"),
            1000.0,
        ),
    ];
    let mut timings: Vec<PageTimings> = Vec::new();
    for (name, path, goal_ms) in pages {
        let timing = session.time_page(name, &path, goal_ms, args.runs).await?;
        eprintln!("{name}: median {:.1} ms", timing.median_ms());
        timings.push(timing);
    }
    println!(
        "| page | goal | median | range ({} runs) | answer |",
        args.runs
    );
    println!("|---|---|---|---|---|");
    for timing in &timings {
        println!(
            "| {} (`{}`) | ≤ {:.0} ms | {:.1} ms {} | {:.1}–{:.1} ms | {:.1} kB |",
            timing.name,
            timing.path,
            timing.goal_ms,
            timing.median_ms(),
            if timing.met() { "met" } else { "**missed**" },
            timing.runs_ms.first().copied().unwrap_or(f64::NAN),
            timing.runs_ms.last().copied().unwrap_or(f64::NAN),
            timing.bytes as f64 / 1000.0
        );
    }
    Ok(())
}
