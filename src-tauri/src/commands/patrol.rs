//! The track recorder: start a patrol, append GPS points as the phone reports them (each
//! committed at once, so a killed app loses at most one), find the patrol still running after
//! a restart, and end it. Positions come from the phone's GPS through the UI; the shell never
//! makes one up.

use chrono::{DateTime, Utc};
use patrol_device::{DeviceError, TrackSummary};
use patrol_model::{Entry, LocalTime, TrackPoint};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tauri::{AppHandle, Runtime, State};

use super::input;
use crate::background_sync::sync_state_changed;
use crate::{lock_store, unlocked_member, AppError, SessionState, StoreState};

/// The patrol still running, with how far its track has got.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunningPatrol {
    pub entry: Entry,
    pub track: TrackSummary,
}

/// Starts a patrol now, written by the member unlocked, with what is known at the start
/// (members, partners) and where.
#[tauri::command]
pub async fn start_patrol<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    body: Option<Value>,
    location: Option<Value>,
) -> Result<Entry, AppError> {
    let member = unlocked_member(&session)?;
    let body = body.map(|body| input::patrol_body(&body)).transpose()?;
    let location = location
        .map(|location| input::location(&location, "location"))
        .transpose()?;
    let entry = lock_store(&store)?.start_patrol_by(Some(&member.name), body, location)?;
    sync_state_changed(&app);
    Ok(entry)
}

/// The newest patrol still running (after a restart the UI resumes it), or `null`. Like
/// `append_track_point`, it needs no member unlocked: the track goes on while the phone is
/// locked.
#[tauri::command]
pub async fn running_patrol(
    store: State<'_, StoreState>,
) -> Result<Option<RunningPatrol>, AppError> {
    let mut store = lock_store(&store)?;
    let Some(entry) = store.running_patrols()?.into_iter().next() else {
        return Ok(None);
    };
    let track = store.track_summary(entry.id)?;
    Ok(Some(RunningPatrol { entry, track }))
}

/// Appends one GPS fix to a running patrol; returns the track so far.
#[tauri::command]
pub async fn append_track_point(
    store: State<'_, StoreState>,
    patrol_id: String,
    point: Value,
) -> Result<TrackSummary, AppError> {
    let patrol_id = input::entry_id(&patrol_id, "patrolId")?;
    let point = track_point(point)?;
    let mut store = lock_store(&store)?;
    store.append_track_point(patrol_id, point)?;
    Ok(store.track_summary(patrol_id)?)
}

/// Ends a running patrol: packs its track, sets its distance, keeps the final body.
#[tauri::command]
pub async fn end_patrol<R: Runtime>(
    app: AppHandle<R>,
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    patrol_id: String,
    body: Option<Value>,
) -> Result<Entry, AppError> {
    unlocked_member(&session)?;
    let patrol_id = input::entry_id(&patrol_id, "patrolId")?;
    let body = body.map(|body| input::patrol_body(&body)).transpose()?;
    let entry = lock_store(&store)?.end_patrol(patrol_id, body)?;
    sync_state_changed(&app);
    Ok(entry)
}

/// A GPS fix as the UI sends it: `recorded_at` is RFC 3339 text or UTC milliseconds (the
/// Geolocation API's `timestamp`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrackPointInput {
    lat: f64,
    lon: f64,
    #[serde(default, alias = "accuracy")]
    accuracy_m: Option<f64>,
    #[serde(default, alias = "altitude")]
    altitude_m: Option<f64>,
    recorded_at: Value,
}

fn track_point(point: Value) -> Result<TrackPoint, DeviceError> {
    let point: TrackPointInput = serde_json::from_value(point).map_err(|error| {
        DeviceError::invalid_field(
            "point",
            "轨迹点应为 {lat, lon, recorded_at}（可带 accuracy_m、altitude_m）",
            format!("expected {{lat, lon, recorded_at, accuracy_m?, altitude_m?}}: {error}"),
        )
    })?;
    let recorded_at_ms = match &point.recorded_at {
        Value::String(text) => LocalTime::parse(text).ok().map(|time| time.utc_millis()),
        Value::Number(number) => number
            .as_i64()
            .filter(|millis| DateTime::<Utc>::from_timestamp_millis(*millis).is_some()),
        _ => None,
    }
    .ok_or_else(|| {
        DeviceError::invalid_field(
            "point.recorded_at",
            format!(
                "定位时间无效：{}，应如 2024-03-02T08:10:00+08:00",
                point.recorded_at
            ),
            "recorded_at must be RFC 3339 text or UTC milliseconds",
        )
    })?;
    Ok(TrackPoint {
        recorded_at_ms,
        lat: point.lat,
        lon: point.lon,
        accuracy_m: point.accuracy_m,
        altitude_m: point.altitude_m,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_fix_time_is_rfc_3339_or_milliseconds() {
        let text = track_point(json!({"lat": 23.6, "lon": 105.6, "accuracy_m": 8.0,
                                      "recorded_at": "2024-03-02T08:10:00+08:00"}))
        .unwrap();
        let millis = track_point(json!({"lat": 23.6, "lon": 105.6,
                                        "recorded_at": text.recorded_at_ms}))
        .unwrap();
        assert_eq!(text.recorded_at_ms, 1_709_338_200_000);
        assert_eq!(millis.recorded_at_ms, text.recorded_at_ms);
        assert_eq!(text.accuracy_m, Some(8.0));
    }

    #[test]
    fn a_bad_fix_names_its_field() {
        let fields = |value: Value| match track_point(value) {
            Err(DeviceError::Invalid(report)) => report
                .problems
                .into_iter()
                .map(|problem| problem.field)
                .collect::<Vec<_>>(),
            other => panic!("expected invalid, got {other:?}"),
        };
        assert_eq!(
            fields(json!({"lat": 23.6, "lon": 105.6, "recorded_at": "yesterday"})),
            ["point.recorded_at"]
        );
        assert_eq!(
            fields(json!({"lat": 23.6, "lon": 105.6, "recorded_at": 1.5})),
            ["point.recorded_at"]
        );
        assert_eq!(fields(json!({"lat": 23.6, "recorded_at": 0})), ["point"]);
        assert_eq!(
            fields(json!({"lat": 23.6, "lon": 1.0, "speed": 3, "recorded_at": 0})),
            ["point"]
        );
    }
}
