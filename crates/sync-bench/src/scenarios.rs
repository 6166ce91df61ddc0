//! The scenarios, each against one county-server process, and the table they print.

use crate::server::{own_cpu_time, CountyServer};
use crate::{Args, Scenario};
use anyhow::{ensure, Context, Result};
use fault_proxy::FaultProxy;
use patrol_device::sync::{enroll_device, sync_device, SyncOptions, SyncReport};
use patrol_device::DeviceStore;
use patrol_model::{parse_entry_draft, PhotoAttachment, PhotoRole};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use sync_bench::log::LogGenerator;
use sync_bench::photos::noisy_jpeg;

/// Entries recorded per transaction while filling a store.
const FILL_BATCH: usize = 2_000;
const BACKLOG: usize = 10_000;
const PHOTOS: usize = 20;
const PHOTO_BYTES: usize = 256 * 1024;
const ADDED_LATENCY: Duration = Duration::from_millis(100);

/// One line of the table.
pub(crate) struct Row {
    pub(crate) scenario: String,
    pub(crate) goal: String,
    pub(crate) wall: Option<Duration>,
    pub(crate) report: Option<SyncReport>,
    pub(crate) note: String,
    pub(crate) pass: Option<bool>,
}

impl Row {
    fn print(&self) {
        let (requests, up, down) = match &self.report {
            Some(report) => (
                report.requests.to_string(),
                kilobytes(report.bytes_up),
                kilobytes(report.bytes_down),
            ),
            None => ("".into(), "".into(), "".into()),
        };
        let result = match self.pass {
            Some(true) => "pass",
            Some(false) => "**FAIL**",
            None => "(reported)",
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            self.scenario,
            self.goal,
            self.wall.map(seconds).unwrap_or_default(),
            requests,
            up,
            down,
            self.note,
            result
        );
    }
}

pub(crate) fn seconds(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// Bytes as kB (1 kB = 1,000 bytes), the unit of the goals.
pub(crate) fn kilobytes(bytes: u64) -> String {
    if bytes < 10_000 {
        format!("{bytes} B")
    } else {
        format!("{:.1} kB", bytes as f64 / 1000.0)
    }
}

/// The first `count` parts of a note separated by `;`.
fn first_parts(note: &str, count: usize) -> String {
    note.split(';').take(count).collect::<Vec<_>>().join(";")
}

/// "server CPU …, bench CPU …" between two readings of (server, this process).
fn cpu_split(
    before: (Option<Duration>, Option<Duration>),
    after: (Option<Duration>, Option<Duration>),
) -> String {
    let used = |before: Option<Duration>, after: Option<Duration>| match (before, after) {
        (Some(before), Some(after)) => seconds(after.saturating_sub(before)),
        _ => "?".into(),
    };
    format!(
        "CPU: server {}, devices {}",
        used(before.0, after.0),
        used(before.1, after.1)
    )
}

/// A phone: its own data directory and store.
pub(crate) struct Device {
    _directory: tempfile::TempDir,
    pub(crate) store: Mutex<DeviceStore>,
}

impl Device {
    pub(crate) fn new(base: &Path) -> Result<Device> {
        let directory = tempfile::Builder::new()
            .prefix("device-")
            .tempdir_in(base)?;
        let mut store = DeviceStore::open(directory.path())?;
        store.set_setting(patrol_device::CURRENT_MEMBER_SETTING, "李国华")?;
        Ok(Device {
            _directory: directory,
            store: Mutex::new(store),
        })
    }

    /// Enrols with a fresh code of `post`, then talks to `url` (the server or a proxy).
    pub(crate) async fn enroll(&self, server: &CountyServer, post: &str, url: &str) -> Result<()> {
        let code = server.enrolment_code(post)?;
        enroll_device(&self.store, &server.url, &code, "压测手机").await?;
        self.store.lock().unwrap().set_setting("server_url", url)?;
        Ok(())
    }

    /// Records `count` generated entries; returns the mean JSON size of (draft, stored entry).
    fn fill(&self, log: &mut LogGenerator, count: usize) -> Result<(f64, f64)> {
        let (mut draft_bytes, mut entry_bytes) = (0usize, 0usize);
        let mut store = self.store.lock().unwrap();
        let mut left = count;
        while left > 0 {
            let batch = left.min(FILL_BATCH);
            let drafts = log.drafts(batch);
            draft_bytes += drafts
                .iter()
                .map(|draft| serde_json::to_vec(draft).map(|json| json.len()))
                .sum::<Result<usize, _>>()?;
            for entry in store.record_entries(drafts)? {
                entry_bytes += serde_json::to_vec(&entry)?.len();
            }
            left -= batch;
        }
        Ok((
            draft_bytes as f64 / count as f64,
            entry_bytes as f64 / count as f64,
        ))
    }

    /// Mean JSON size of the records waiting in the outbox, as the engine batches them; writes
    /// them to `dump` (JSON lines) when given.
    fn mean_record_bytes(&self, dump: Option<&Path>) -> Result<f64> {
        let records = self.store.lock().unwrap().pending_records(0, 20_000)?;
        ensure!(!records.is_empty(), "nothing pending");
        // As they cross the wire: compact records (docs/sync-protocol.md).
        let records = patrol_model::sync::SyncRequest {
            protocol: patrol_model::sync::PROTOCOL_VERSION,
            device_time: chrono::Utc::now(),
            records,
            pull: None,
        }
        .into_wire()
        .records;
        if let Some(path) = dump {
            let mut lines = Vec::new();
            for record in &records {
                serde_json::to_writer(&mut lines, record)?;
                lines.push(b'\n');
            }
            std::fs::write(path, lines).with_context(|| format!("writing {}", path.display()))?;
        }
        let total: usize = records
            .iter()
            .map(|record| serde_json::to_vec(record).map(|json| json.len()))
            .sum::<Result<usize, _>>()?;
        Ok(total as f64 / records.len() as f64)
    }

    async fn sync(&self, options: &SyncOptions) -> Result<(Duration, SyncReport)> {
        let started = Instant::now();
        let report = sync_device(&self.store, options, &|_| {}).await?;
        Ok((started.elapsed(), report))
    }
}

pub(crate) struct Bench<'a> {
    pub(crate) args: &'a Args,
    pub(crate) base: PathBuf,
    pub(crate) server: CountyServer,
    pub(crate) options: SyncOptions,
    posts: usize,
    /// Server CPU of each 10,000-entry push, for its ingest rate.
    server_cpu_per_push: Vec<Duration>,
}

impl Bench<'_> {
    pub(crate) fn new_post(&mut self, what: &str) -> Result<String> {
        self.posts += 1;
        self.server
            .add_post(&format!("{what}-{}联防所", self.posts))
    }

    /// A device of a fresh post (so it pulls nothing), talking to `url`.
    async fn device(&mut self, what: &str, url: Option<&str>) -> Result<Device> {
        let post = self.new_post(what)?;
        let device = Device::new(&self.base)?;
        let url = url.unwrap_or(&self.server.url).to_string();
        device.enroll(&self.server, &post, &url).await?;
        Ok(device)
    }

    /// Pushes a 10,000-entry backlog `repeat` times (fresh device each time); the median run.
    async fn push_backlog(
        &mut self,
        what: &str,
        url: Option<&str>,
    ) -> Result<(Duration, SyncReport, String, Device)> {
        let mut runs = Vec::new();
        let mut sizes = String::new();
        for run in 0..self.args.repeat.max(1) {
            let device = self.device(what, url).await?;
            let mut log = LogGenerator::new(1 + run as u64);
            let (draft, entry) = device.fill(&mut log, BACKLOG)?;
            let dump = self
                .args
                .dump_records
                .as_deref()
                .filter(|_| run == 0 && what == "push");
            let record = device.mean_record_bytes(dump)?;
            sizes = format!(
                "mean JSON: draft {draft:.0} B, entry {entry:.0} B, sync record {record:.0} B"
            );
            let cpu_before = (self.server.cpu_time(), own_cpu_time());
            let (wall, report) = device.sync(&self.options).await?;
            let cpu_after = (self.server.cpu_time(), own_cpu_time());
            if let (Some(before), Some(after)) = (cpu_before.0, cpu_after.0) {
                self.server_cpu_per_push.push(after.saturating_sub(before));
            }
            let cpu = cpu_split(cpu_before, cpu_after);
            ensure!(
                report.acknowledged == BACKLOG as u64 && report.rejected == 0,
                "{what}: {report:?}"
            );
            eprintln!(
                "  {what} run {}: {} ({} requests, {} up; {cpu})",
                run + 1,
                seconds(wall),
                report.requests,
                kilobytes(report.bytes_up)
            );
            runs.push((wall, report, device, cpu));
        }
        runs.sort_by_key(|(wall, ..)| *wall);
        let spread = format!(
            "median of {} runs ({}–{})",
            runs.len(),
            seconds(runs[0].0),
            seconds(runs[runs.len() - 1].0)
        );
        let (wall, report, device, cpu) = runs.swap_remove(runs.len() / 2);
        Ok((wall, report, format!("{spread}; {cpu}; {sizes}"), device))
    }

    async fn push(&mut self, rows: &mut Vec<Row>) -> Result<()> {
        eprintln!("push: {BACKLOG} entries over loopback");
        let (wall, report, note, _device) = self.push_backlog("push", None).await?;
        let rate = BACKLOG as f64 / wall.as_secs_f64();
        // The server's own rate: entries per second of its CPU (median over the runs).
        let mut server_cpu = std::mem::take(&mut self.server_cpu_per_push);
        server_cpu.sort();
        let server_rate = server_cpu
            .get(server_cpu.len() / 2)
            .filter(|cpu| !cpu.is_zero())
            .map(|cpu| BACKLOG as f64 / cpu.as_secs_f64());
        rows.push(Row {
            scenario: format!("{BACKLOG} entries pushed, loopback"),
            goal: "≤ 0.2 s, ≤ 450 kB up".into(),
            pass: Some(wall <= Duration::from_millis(200) && report.bytes_up <= 450_000),
            wall: Some(wall),
            report: Some(report),
            note,
        });
        rows.push(Row {
            scenario: "server ingest rate (SQLite), from that push".into(),
            goal: "≥ 20,000 entries/s".into(),
            wall: None,
            report: None,
            note: format!(
                "{} entries per second of server CPU (HTTP, zstd, JSON, checks, merge, SQLite \
                 with fsync; median of the runs); {rate:.0} entries/s end to end (device read + \
                 compress + server + device apply, on the same 2 cores)",
                server_rate.map_or("?".to_string(), |rate| format!("{rate:.0}"))
            ),
            pass: server_rate.map(|rate| rate >= 20_000.0),
        });
        Ok(())
    }

    async fn latency(&mut self, rows: &mut Vec<Row>) -> Result<()> {
        let upstream = self.server.address()?;
        eprintln!("latency: {BACKLOG} entries through the proxy, +100 ms per connection");
        let per_connection = FaultProxy::start(upstream, 7).await;
        per_connection.set_latency(ADDED_LATENCY);
        let url = per_connection.url();
        let (wall, report, note, _device) = self.push_backlog("latency", Some(&url)).await?;
        rows.push(Row {
            scenario: format!("{BACKLOG} entries, proxy `set_latency(100 ms)` (per connection)"),
            goal: "≤ 0.6 s".into(),
            pass: Some(wall <= Duration::from_millis(600)),
            wall: Some(wall),
            report: Some(report),
            note: format!(
                "{}; {} connections through the proxy",
                first_parts(&note, 2),
                per_connection
                    .connections
                    .load(std::sync::atomic::Ordering::Relaxed)
            ),
        });

        eprintln!("latency: {BACKLOG} entries through the proxy, +100 ms per request");
        let per_request = FaultProxy::start(upstream, 11).await;
        per_request.set_request_latency(ADDED_LATENCY);
        let url = per_request.url();
        let (wall, report, note, device) = self.push_backlog("rtt", Some(&url)).await?;
        rows.push(Row {
            scenario: format!("{BACKLOG} entries, proxy +100 ms before every request"),
            goal: "≤ 0.6 s".into(),
            pass: Some(wall <= Duration::from_millis(600)),
            wall: Some(wall),
            report: Some(report),
            note: first_parts(&note, 2),
        });

        eprintln!("latency: 100 new entries, then a sync with nothing to do");
        let mut log = LogGenerator::new(99);
        self.new_then_idle(
            &device,
            &mut log,
            "100 new entries after that (same proxy, +100 ms per request)",
            "sync with nothing to do (same proxy)",
            rows,
        )
        .await?;
        // The same two over loopback, for the time without the added latency.
        let loopback = self.device("idle", None).await?;
        self.new_then_idle(
            &loopback,
            &mut log,
            "100 new entries, loopback (first sync of a fresh device)",
            "sync with nothing to do, loopback",
            rows,
        )
        .await?;
        Ok(())
    }

    /// 100 new entries (one request), then a sync with nothing to do (one request, < 1 kB).
    async fn new_then_idle(
        &self,
        device: &Device,
        log: &mut LogGenerator,
        new_scenario: &str,
        idle_scenario: &str,
        rows: &mut Vec<Row>,
    ) -> Result<()> {
        device.fill(log, 100)?;
        let (wall, report) = device.sync(&self.options).await?;
        ensure!(report.acknowledged == 100, "100 new entries: {report:?}");
        rows.push(Row {
            scenario: new_scenario.into(),
            goal: "one request".into(),
            pass: Some(report.requests == 1),
            wall: Some(wall),
            report: Some(report),
            note: String::new(),
        });
        let (wall, report) = device.sync(&self.options).await?;
        rows.push(Row {
            scenario: idle_scenario.into(),
            goal: "one request, < 1 kB each way".into(),
            pass: Some(
                report.requests == 1 && report.bytes_up < 1_000 && report.bytes_down < 1_000,
            ),
            wall: Some(wall),
            report: Some(report),
            note: String::new(),
        });
        Ok(())
    }

    async fn photos(&mut self, rows: &mut Vec<Row>) -> Result<()> {
        eprintln!("photos: {PHOTOS} JPEGs of about {PHOTO_BYTES} bytes");
        let device = self.device("photos", None).await?;
        let files = tempfile::Builder::new()
            .prefix("photos-")
            .tempdir_in(&self.base)?;
        let mut photo_bytes = 0u64;
        for index in 0..PHOTOS {
            let jpeg = noisy_jpeg(index as u64 + 1, PHOTO_BYTES)?;
            let path = files.path().join(format!("IMG_{index:04}.jpg"));
            std::fs::write(&path, &jpeg)?;
            let mut store = device.store.lock().unwrap();
            let photo = store.import_photo(&path)?;
            photo_bytes += photo.byte_len;
            let draft = parse_entry_draft(
                &format!(
                    r#"{{"kind":"hazard","occurred_at":"2024-06-{:02}T10:00:00+08:00","location":{{"lat":23.6251,"lon":105.6312}},"body":{{"category":"fence","severity":"high","description":"{}号界碑附近铁网被洪水冲毁约30米,已拍照留存。"}}}}"#,
                    1 + index % 28,
                    120 + index
                ),
                None,
            )?;
            store.record_entry(
                draft,
                vec![PhotoAttachment {
                    sha256: photo.sha256,
                    role: PhotoRole::General,
                }],
            )?;
        }
        let cpu_before = (self.server.cpu_time(), own_cpu_time());
        let (wall, report) = device.sync(&self.options).await?;
        let cpu = cpu_split(cpu_before, (self.server.cpu_time(), own_cpu_time()));
        ensure!(report.photos_uploaded == 2 * PHOTOS as u64, "{report:?}");
        rows.push(Row {
            scenario: format!("{PHOTOS} photos (JPEG, mean {:.0} B) and their {PHOTOS} entries, loopback", photo_bytes as f64 / PHOTOS as f64),
            goal: "report time and bytes".into(),
            note: format!(
                "{:.1} MB/s of photo bytes; thumbnails first, then originals; HEAD + PATCH each; {cpu}",
                photo_bytes as f64 / 1e6 / wall.as_secs_f64()
            ),
            pass: None,
            wall: Some(wall),
            report: Some(report),
        });
        Ok(())
    }

    async fn concurrent(&mut self, rows: &mut Vec<Row>) -> Result<()> {
        let count = self.args.devices;
        let per_post = self.args.devices_per_post.max(1);
        eprintln!(
            "concurrent: enrolling {count} devices ({per_post} a post), {} entries each",
            self.args.entries_per_device
        );
        let setup = Instant::now();
        let mut devices = Vec::with_capacity(count);
        let mut post = String::new();
        let mut log = LogGenerator::new(500);
        for index in 0..count {
            if index % per_post == 0 {
                post = self.new_post("many")?;
            }
            let device = Device::new(&self.base)?;
            device.enroll(&self.server, &post, &self.server.url).await?;
            device.fill(&mut log, self.args.entries_per_device)?;
            devices.push(Arc::new(device));
        }
        eprintln!("  set up in {}", seconds(setup.elapsed()));
        // The engine builds a new HTTP client (rustls, root certificates) for every sync.
        let cpu_before = own_cpu_time();
        let clients = Instant::now();
        for _ in 0..20 {
            patrol_device::sync::SyncClient::new(&self.server.url)?;
        }
        let client_cost = format!(
            "SyncClient::new: {:.1} ms wall, {} CPU each",
            clients.elapsed().as_secs_f64() * 1000.0 / 20.0,
            match (cpu_before, own_cpu_time()) {
                (Some(before), Some(after)) => format!(
                    "{:.1} ms",
                    after.saturating_sub(before).as_secs_f64() * 1000.0 / 20.0
                ),
                _ => "?".into(),
            }
        );
        eprintln!("  {client_cost}");

        let cpu_before = (self.server.cpu_time(), own_cpu_time());
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for device in &devices {
            let device = device.clone();
            let options = self.options.clone();
            tasks.spawn(async move { device.sync(&options).await });
        }
        let mut latencies = Vec::with_capacity(count);
        let mut total = SyncReport::default();
        let mut failures = 0;
        while let Some(outcome) = tasks.join_next().await {
            match outcome.context("a sync task panicked")? {
                Ok((wall, report)) => {
                    latencies.push(wall);
                    total.requests += report.requests;
                    total.bytes_up += report.bytes_up;
                    total.bytes_down += report.bytes_down;
                    total.acknowledged += report.acknowledged;
                    total.pulled += report.pulled;
                }
                Err(error) => {
                    failures += 1;
                    eprintln!("  a device failed: {error:#}");
                }
            }
        }
        let wall = started.elapsed();
        let cpu = cpu_split(cpu_before, (self.server.cpu_time(), own_cpu_time()));
        latencies.sort();
        let percentile = |p: f64| {
            latencies
                .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .copied()
                .map(seconds)
                .unwrap_or_default()
        };
        let pushed = total.acknowledged;
        rows.push(Row {
            scenario: format!(
                "{count} devices syncing at once ({} entries each, {per_post} a post)",
                self.args.entries_per_device
            ),
            goal: "report entries/s, p50/p99".into(),
            note: format!(
                "{:.0} entries/s pushed; per-device sync p50 {}, p99 {}, max {}; {} entries pulled; {failures} failed; {cpu}; {client_cost}",
                pushed as f64 / wall.as_secs_f64(),
                percentile(0.50),
                percentile(0.99),
                latencies.last().copied().map(seconds).unwrap_or_default(),
                total.pulled
            ),
            pass: Some(failures == 0 && pushed == (count * self.args.entries_per_device) as u64),
            wall: Some(wall),
            report: Some(total),
        });
        Ok(())
    }
}

pub async fn run(args: &Args) -> Result<()> {
    let work = match &args.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            tempfile::Builder::new()
                .prefix("patrol-sync-bench-")
                .tempdir_in(dir)?
        }
        None => tempfile::Builder::new()
            .prefix("patrol-sync-bench-")
            .tempdir()?,
    };
    let server_dir = work.path().join("county");
    std::fs::create_dir_all(&server_dir)?;
    let server = CountyServer::start(&args.server_binary, &server_dir)?;
    eprintln!(
        "county-server {} (pid {}) at {}, work dir {}",
        args.server_binary.display(),
        server.pid(),
        server.url,
        work.path().display()
    );
    let mut bench = Bench {
        args,
        base: work.path().to_path_buf(),
        server,
        options: SyncOptions::default(),
        posts: 0,
        server_cpu_per_push: Vec::new(),
    };
    eprintln!("sync options: {:?}", bench.options);
    let mut rows = Vec::new();
    let all = args.scenario == Scenario::All;
    if all || args.scenario == Scenario::Push {
        bench.push(&mut rows).await?;
    }
    if all || args.scenario == Scenario::Latency {
        bench.latency(&mut rows).await?;
    }
    if all || args.scenario == Scenario::Photos {
        bench.photos(&mut rows).await?;
    }
    if all || args.scenario == Scenario::Concurrent {
        bench.concurrent(&mut rows).await?;
    }
    // Not part of `all`: it runs for about 40 minutes.
    if args.scenario == Scenario::Month2g {
        crate::month::month_over_2g(&mut bench, &mut rows).await?;
    }

    println!();
    println!("| scenario | goal | wall time | requests | bytes up | bytes down | notes | result |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in &rows {
        row.print();
    }
    println!();
    println!(
        "Bytes are the request and answer bodies as the engine's SyncReport counts them: \
         compressed (zstd) sync bodies and raw photo chunks, without HTTP headers. 1 kB = 1,000 B."
    );
    Ok(())
}
