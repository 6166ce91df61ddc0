//! `patrol track start|point|stop|status`: a patrol's GPS track, point by point.

use crate::input::{parse_entry_id, read_json_text};
use crate::output::print_json;
use clap::{Args, Subcommand};
use patrol_device::{DeviceError, DeviceStore};
use patrol_model::{
    parse_entry_body, EntryBody, EntryId, EntryKind, LocalTime, PatrolBody, TrackPoint,
};
use std::path::Path;

#[derive(Args)]
pub struct TrackArgs {
    #[command(subcommand)]
    action: TrackAction,
}

#[derive(Subcommand)]
enum TrackAction {
    /// Start a patrol now; prints its id
    Start {
        /// What is known at the start, as a patrol body: {"members": […], "partners": […]}
        #[arg(long, value_name = "FILE|-")]
        json: Option<String>,
    },
    /// Append a GPS point to the running patrol; prints the point count
    Point {
        /// The patrol (default: the one running)
        #[arg(long)]
        patrol: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        lat: f64,
        #[arg(long, allow_hyphen_values = true)]
        lon: f64,
        /// Horizontal accuracy in metres
        #[arg(long)]
        accuracy: Option<f64>,
        /// Altitude in metres
        #[arg(long, allow_hyphen_values = true)]
        altitude: Option<f64>,
        /// When the fix was taken (RFC 3339); default now
        #[arg(long)]
        at: Option<String>,
    },
    /// End the running patrol: packs its track and sets its distance
    Stop {
        #[arg(long)]
        patrol: Option<String>,
        /// The final patrol body (findings, markers, …), replacing the one given at the start
        #[arg(long, value_name = "FILE|-")]
        json: Option<String>,
    },
    /// Running patrols with their point count and distance
    Status {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(data_dir: &Path, args: TrackArgs) -> anyhow::Result<()> {
    let mut store = DeviceStore::open(data_dir)?;
    match args.action {
        TrackAction::Start { json } => {
            let body = json.as_deref().map(read_patrol_body).transpose()?;
            let entry = store.start_patrol(body, None)?;
            outln!("{}", entry.id)?;
        }
        TrackAction::Point {
            patrol,
            lat,
            lon,
            accuracy,
            altitude,
            at,
        } => {
            let patrol_id = running_patrol(&store, patrol.as_deref())?;
            let recorded_at_ms = match at {
                Some(text) => LocalTime::parse(&text)
                    .map_err(|_| {
                        DeviceError::invalid_field(
                            "--at",
                            format!("时间格式不对:“{text}”,应如 2024-03-02T08:10:00+08:00"),
                            format!("bad time {text:?}"),
                        )
                    })?
                    .utc_millis(),
                None => patrol_device::local_now().utc_millis(),
            };
            let point = TrackPoint {
                recorded_at_ms,
                lat,
                lon,
                accuracy_m: accuracy,
                altitude_m: altitude,
            };
            let count = store.append_track_point(patrol_id, point)?;
            outln!("{count}")?;
        }
        TrackAction::Stop { patrol, json } => {
            let patrol_id = running_patrol(&store, patrol.as_deref())?;
            let body = json.as_deref().map(read_patrol_body).transpose()?;
            let entry = store.end_patrol(patrol_id, body)?;
            let distance = match &entry.draft.body {
                EntryBody::Patrol(body) => body.distance_km.unwrap_or(0.0),
                _ => 0.0,
            };
            outln!("已结束巡逻 {} ,里程 {distance} 公里", entry.id)?;
        }
        TrackAction::Status { json } => {
            let mut summaries = Vec::new();
            for patrol in store.running_patrols()? {
                summaries.push(store.track_summary(patrol.id)?);
            }
            if json {
                return print_json(&summaries);
            }
            if summaries.is_empty() {
                outln!("没有进行中的巡逻 (no patrol running)")?;
            }
            for summary in summaries {
                outln!(
                    "巡逻中 {}:{} 个轨迹点,{:.2} 公里",
                    summary.patrol_id,
                    summary.point_count,
                    summary.distance_m / 1000.0
                )?;
            }
        }
    }
    Ok(())
}

fn read_patrol_body(source: &str) -> Result<PatrolBody, DeviceError> {
    match parse_entry_body(&read_json_text(source)?, EntryKind::Patrol)? {
        EntryBody::Patrol(body) => Ok(body),
        _ => Err(DeviceError::Damaged(
            "a patrol body parsed as another kind".into(),
        )),
    }
}

/// The patrol named on the command line, or the only one running.
fn running_patrol(store: &DeviceStore, given: Option<&str>) -> Result<EntryId, DeviceError> {
    if let Some(text) = given {
        return parse_entry_id(text, "--patrol");
    }
    let running = store.running_patrols()?;
    match running.as_slice() {
        [only] => Ok(only.id),
        [] => Err(DeviceError::not_allowed(
            "没有进行中的巡逻,请先 patrol track start",
            "no patrol is running; start one with `patrol track start`",
        )),
        _ => Err(DeviceError::invalid_field(
            "--patrol",
            format!("有 {} 个巡逻在进行中,请用 --patrol 指定", running.len()),
            "several patrols are running: name one with --patrol",
        )),
    }
}
