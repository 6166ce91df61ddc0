//! "A month at a post over 2G": the month of `FieldLogPlan::MONTH` (300 entries, 100 patrols with
//! 2–4 h tracks, 50 camera photos) synced once over a clean loopback link (what the data costs:
//! the floor is those bytes at 8,000 B/s) and once over `LinkProfile::EDGE_2G_CUTTING` (64 kbit/s
//! each way, 300 ms round trip, a cut every 20 s for 2 s for the whole run). Reported: time
//! against the floor, bytes re-sent, sync runs, and whether every entry arrived exactly once.

use crate::scenarios::{kilobytes, seconds, Bench, Device, Row};
use anyhow::{ensure, Result};
use fault_proxy::{FaultProxy, LinkProfile};
use patrol_device::sync::{sync_device, SyncReport};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use sync_bench::field_log::{record_field_log, FieldLogPlan, RecordedLog};

/// Syncs runs allowed before the scenario gives up.
const MAX_SYNC_RUNS: usize = 50;

pub(crate) async fn month_over_2g(bench: &mut Bench<'_>, rows: &mut Vec<Row>) -> Result<()> {
    let plan = FieldLogPlan::MONTH;
    let (clean_device, clean_post, _) = recorded_device(bench, &plan, "clean").await?;
    let clean = FaultProxy::start(bench.server.address()?, 5).await;
    clean_device
        .store
        .lock()
        .unwrap()
        .set_setting("server_url", &clean.url())?;
    let (clean_wall, clean_runs, clean_report) = sync_until_done(bench, &clean_device).await?;
    let floor_bytes = clean.totals().bytes_up;
    let floor = Duration::from_secs_f64(floor_bytes as f64 / 8_000.0);
    rows.push(Row {
        scenario: "a month at a post, clean loopback link".into(),
        goal: "(the floor's bytes)".into(),
        wall: Some(clean_wall),
        report: Some(clean_report),
        note: format!(
            "{clean_runs} sync run(s); {} put on the link; floor at 8,000 B/s: {}",
            kilobytes(floor_bytes),
            seconds(floor)
        ),
        pass: None,
    });
    check_exactly_once(bench, &clean_post, &clean_device, None)?;

    let (device, post, log) = recorded_device(bench, &plan, "2G").await?;
    let link = FaultProxy::start(bench.server.address()?, 6).await;
    link.set_link(LinkProfile::EDGE_2G_CUTTING);
    device
        .store
        .lock()
        .unwrap()
        .set_setting("server_url", &link.url())?;
    let (wall, runs, report) = sync_until_done(bench, &device).await?;
    let totals = link.totals();
    let exactly_once = check_exactly_once(bench, &post, &device, Some(&log)).is_ok();
    let resent = totals.bytes_up.saturating_sub(floor_bytes) as f64 / floor_bytes as f64;
    let ratio = wall.as_secs_f64() / floor.as_secs_f64();
    rows.push(Row {
        scenario: "a month at a post over 2G, cut every 20 s".into(),
        goal: "finishes; ≤ 1.3× floor; re-sent ≤ 5 %; exactly once".into(),
        wall: Some(wall),
        report: Some(report.clone()),
        note: format!(
            "{ratio:.2}× the floor ({}); {} put on the link, {:.1} % re-sent; {runs} sync run(s), \
             {} retries; {} cuts cutting {} connections; exactly once: {exactly_once}",
            seconds(floor),
            kilobytes(totals.bytes_up),
            100.0 * resent,
            report.retries,
            totals.cuts,
            totals.connections_cut
        ),
        pass: Some(exactly_once && ratio <= 1.3 && resent <= 0.05),
    });
    Ok(())
}

/// A device of a new post with the month recorded on it.
async fn recorded_device(
    bench: &mut Bench<'_>,
    plan: &FieldLogPlan,
    what: &str,
) -> Result<(Device, String, RecordedLog)> {
    let post = bench.new_post(&format!("month-{what}"))?;
    let device = Device::new(&bench.base)?;
    device
        .enroll(&bench.server, &post, &bench.server.url)
        .await?;
    let camera = tempfile::tempdir_in(&bench.base)?;
    let started = Instant::now();
    let log = record_field_log(&mut device.store.lock().unwrap(), plan, camera.path())?;
    eprintln!(
        "{what}: recorded {} entries and {} photos in {}",
        log.entry_ids.len(),
        log.photos.len(),
        seconds(started.elapsed())
    );
    Ok((device, post, log))
}

/// Syncs until nothing is pending; the whole time, the runs and the last run's report.
async fn sync_until_done(
    bench: &Bench<'_>,
    device: &Device,
) -> Result<(Duration, usize, SyncReport)> {
    let started = Instant::now();
    let mut retries = 0;
    for run in 1..=MAX_SYNC_RUNS {
        let outcome = sync_device(&device.store, &bench.options, &|_| {}).await;
        let status = device.store.lock().unwrap().sync_status()?;
        match outcome {
            Ok(mut report) if status.pending_records == 0 && status.pending_photo_bytes == 0 => {
                report.retries += retries;
                return Ok((started.elapsed(), run, report));
            }
            Ok(report) => {
                retries += report.retries;
                eprintln!("sync run {run} ended with work left: {report:?}");
            }
            Err(error) => eprintln!(
                "sync run {run} failed after {}: {error}",
                seconds(started.elapsed())
            ),
        }
    }
    anyhow::bail!("{MAX_SYNC_RUNS} sync runs did not deliver the month")
}

/// The server holds exactly the device's entries of `post`, once each, and nothing is pending.
fn check_exactly_once(
    bench: &Bench<'_>,
    post: &str,
    device: &Device,
    log: Option<&RecordedLog>,
) -> Result<()> {
    let exported = bench.server.admin(&["export", "--format", "jsonl"])?;
    let ids: Vec<String> = exported
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(serde_json::from_str::<serde_json::Value>)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|entry| entry["post_id"].as_str() == Some(post))
        .filter_map(|entry| entry["id"].as_str().map(str::to_string))
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    ensure!(ids.len() == unique.len(), "an entry is on the server twice");
    if let Some(log) = log {
        ensure!(
            unique == log.entry_ids,
            "the server does not hold exactly the device's entries"
        );
    }
    let status = device.store.lock().unwrap().sync_status()?;
    ensure!(
        status.pending_records == 0 && status.pending_photo_bytes == 0,
        "work left"
    );
    ensure!(
        status.rejected.is_empty(),
        "rejected: {:?}",
        status.rejected
    );
    Ok(())
}
