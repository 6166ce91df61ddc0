//! Runs the demo against a database: refuses one that already has posts, starts the county
//! server in-process on a loopback port, creates the posts and their enrolment codes (as the
//! county admin does), enrols every device over HTTP, and sends the devices' outboxes in sync
//! rounds (every device that recorded something syncs once per round, a few at a time).

use super::county::demo_posts;
use super::generate::CountyYears;
use super::life::{china_time, DAY_MS};
use super::sender::{DemoClient, EnrolledDevice, WireTotals};
use super::DemoError;
use crate::audit::Actor;
use crate::secrets::{enrolment_code_hash, new_enrolment_code, ENROLMENT_CODE_TTL_MS};
use crate::{launch, ServerSettings, SharedStorage};
use chrono::{Datelike, NaiveDate, Utc};
use patrol_model::sync::SyncRecord;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

/// What to fill the database with.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// The years, each from 2000 to the current one (only up to today for the current one).
    pub years: Vec<i32>,
    pub posts: usize,
    pub seed: u64,
    /// A device syncs once every this many days of its log (7: back at the post once a week).
    pub sync_every_days: u32,
    /// Each sync also pulls the post's changes, as the app does.
    pub pull: bool,
    /// Posts generated and sent together (bounds memory for big fills).
    pub posts_per_group: usize,
    /// Sync requests in flight at once.
    pub in_flight: usize,
}

impl DemoOptions {
    /// One year of a county of `posts` posts, synced weekly with pulls.
    pub fn year(year: i32, posts: usize, seed: u64) -> DemoOptions {
        DemoOptions {
            years: vec![year],
            posts,
            seed,
            sync_every_days: 7,
            pull: true,
            posts_per_group: 24,
            in_flight: 4,
        }
    }
}

/// What the demo put in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemoSummary {
    pub posts: usize,
    pub devices: usize,
    pub entries: u64,
    pub records: u64,
    pub wire: WireTotals,
    pub seconds: f64,
}

/// Fills the empty database behind `storage`; `progress` hears about each group of posts.
pub async fn fill_demo_county(
    storage: SharedStorage,
    options: &DemoOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    check_options(options)?;
    let existing = storage.list_posts().await?.len();
    if existing > 0 {
        return Err(DemoError::NotEmpty { posts: existing });
    }
    let server = InProcessServer::start(storage.clone()).await?;
    let filled = fill_through(&storage, &server.base_url, options, progress).await;
    server.stop().await?;
    let mut summary = filled?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The county server serving `storage` in this process, over plain HTTP on a loopback port of
/// its own with a temporary data dir, until [`InProcessServer::stop`]: the demo's, and the
/// dashboard benchmark's.
pub struct InProcessServer {
    pub base_url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<(), crate::ServerError>>,
    _data_dir: tempfile::TempDir,
}

impl InProcessServer {
    /// Serving once this returns (the listener is bound before).
    pub async fn start(storage: SharedStorage) -> Result<InProcessServer, DemoError> {
        let data_dir = tempfile::Builder::new().prefix("county-demo-").tempdir()?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let settings = ServerSettings {
            storage,
            data_dir: data_dir.path().to_path_buf(),
            tls: None,
            public_url: None,
            map_tile_url: None,
            connections_per_address: None,
            behind_proxy: false,
        };
        let task = tokio::spawn(launch(listener, settings, async {
            let _ = stopped.await;
        }));
        Ok(InProcessServer {
            base_url,
            stop,
            task,
            _data_dir: data_dir,
        })
    }

    /// Stops serving, once the requests in flight are answered.
    pub async fn stop(self) -> Result<(), DemoError> {
        let _ = self.stop.send(());
        self.task.await??;
        Ok(())
    }
}

fn check_options(options: &DemoOptions) -> Result<(), DemoError> {
    let this_year = Utc::now().year();
    if options.years.is_empty() {
        return Err(DemoError::BadOptions("give at least one year".into()));
    }
    for year in &options.years {
        if !(2000..=this_year).contains(year) {
            return Err(DemoError::BadOptions(format!(
                "--year {year}: a demo year is from 2000 to {this_year} (entries are never \
                 recorded in the future)"
            )));
        }
    }
    if !(1..=5_000).contains(&options.posts) {
        return Err(DemoError::BadOptions(format!(
            "--posts {}: from 1 to 5000",
            options.posts
        )));
    }
    if options.sync_every_days == 0 || options.posts_per_group == 0 || options.in_flight == 0 {
        return Err(DemoError::BadOptions(
            "sync days, group size and requests in flight must be at least 1".into(),
        ));
    }
    Ok(())
}

/// A device being sent: its enrolment and what it has not sent yet.
struct SendingDevice {
    label: String,
    enrolled: Option<EnrolledDevice>,
    unsent: VecDeque<(i64, SyncRecord)>,
}

async fn fill_through(
    storage: &SharedStorage,
    base_url: &str,
    options: &DemoOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<DemoSummary, DemoError> {
    let client = DemoClient::new(base_url)?;
    let posts = Arc::new(demo_posts(options.posts, options.seed));
    let mut years = options.years.clone();
    years.sort_unstable();
    years.dedup();
    let county = Arc::new(CountyYears::new(&years, options.posts, options.seed));
    let mut summary = DemoSummary {
        posts: options.posts,
        ..DemoSummary::default()
    };
    let now_ms = Utc::now().timestamp_millis();
    let first_day = NaiveDate::from_ymd_opt(years[0], 1, 1).unwrap_or_default();
    let rounds_start_ms = china_time(first_day, 0, 0).timestamp_millis();
    for group_start in (0..options.posts).step_by(options.posts_per_group) {
        let group_end = (group_start + options.posts_per_group).min(options.posts);
        let group_started = Instant::now();
        let (generator_posts, generator_county) = (posts.clone(), county.clone());
        let logs = tokio::task::spawn_blocking(move || {
            (group_start..group_end)
                .flat_map(|index| {
                    generator_county.post_device_logs(&generator_posts[index], index, now_ms)
                })
                .collect::<Vec<_>>()
        })
        .await?;
        let mut devices = Vec::with_capacity(logs.len());
        for log in logs {
            let post = &posts[log.post];
            let stored = match storage.find_post(&post.name).await? {
                Some(stored) => stored,
                None => storage.create_post(&post.name, &Actor::cli()).await?,
            };
            let code = new_enrolment_code()?;
            storage
                .create_enrolment_code(
                    stored.id,
                    &enrolment_code_hash(&code),
                    Utc::now().timestamp_millis() + ENROLMENT_CODE_TTL_MS,
                    &Actor::cli(),
                )
                .await?;
            let enrolled = client.enrol(&log, &code).await?;
            summary.devices += 1;
            summary.entries += log.entries;
            summary.records += log.records.len() as u64;
            devices.push(SendingDevice {
                label: format!("{} {}", post.name, log.label),
                enrolled: Some(enrolled),
                unsent: log.records.into(),
            });
        }
        summary.wire += send_rounds(&client, &mut devices, rounds_start_ms, options).await?;
        progress(&format!(
            "posts {}–{} of {}: {} entries so far, {:.1} s for this group",
            group_start + 1,
            group_end,
            options.posts,
            summary.entries,
            group_started.elapsed().as_secs_f64()
        ));
    }
    Ok(summary)
}

/// Every `sync_every_days` days of the logs, each device that made changes since its last
/// sync sends them (and pulls), at most `in_flight` requests at a time.
async fn send_rounds(
    client: &DemoClient,
    devices: &mut [SendingDevice],
    start_ms: i64,
    options: &DemoOptions,
) -> Result<WireTotals, DemoError> {
    let permits = Arc::new(tokio::sync::Semaphore::new(options.in_flight));
    let step_ms = i64::from(options.sync_every_days) * DAY_MS;
    let mut round_end_ms = start_ms + step_ms;
    let mut totals = WireTotals::default();
    while devices.iter().any(|device| !device.unsent.is_empty()) {
        let mut tasks = tokio::task::JoinSet::new();
        for (index, device) in devices.iter_mut().enumerate() {
            let mut batch = Vec::new();
            while device
                .unsent
                .front()
                .is_some_and(|(made_ms, _)| *made_ms < round_end_ms)
            {
                if let Some((_, record)) = device.unsent.pop_front() {
                    batch.push(record);
                }
            }
            if batch.is_empty() {
                continue;
            }
            let Some(mut enrolled) = device.enrolled.take() else {
                continue;
            };
            let (client, permits, label, pull) = (
                client.clone(),
                permits.clone(),
                device.label.clone(),
                options.pull,
            );
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let sent = client.sync(&mut enrolled, &label, batch, pull).await;
                (index, enrolled, sent)
            });
        }
        while let Some(done) = tasks.join_next().await {
            let (index, enrolled, sent) = done?;
            totals += sent?;
            devices[index].enrolled = Some(enrolled);
        }
        round_end_ms += step_ms;
    }
    Ok(totals)
}
