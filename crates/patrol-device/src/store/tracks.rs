//! The track recorder: a patrol starts, GPS points are appended one by one (each its own
//! committed row, so a killed app loses at most the point being written), and when the patrol
//! ends the points are packed, its distance is computed from them, and the raw rows go.

use super::entries::{load_entry, write_entry_version, EntryChange};
use super::{local_now, DeviceStore};
use crate::error::DeviceError;
use chrono::Utc;
use patrol_model::entry::validate_location;
use patrol_model::{
    track_distance_m, track_point_qualities, Entry, EntryBody, EntryDraft, EntryId, EntryStatus,
    Location, PackedTrack, PatrolBody, TrackPoint, TrackPointQuality, ValidationReport,
};
use rusqlite::params;
use serde::Serialize;

/// Most points one patrol may hold (one every 5 s for 3 days).
pub const MAX_TRACK_POINTS: u32 = 60_000;

/// How far a patrol's track has got.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TrackSummary {
    pub patrol_id: EntryId,
    pub point_count: u32,
    /// Points kept on the track but left out of the distance (poor fixes and GPS jumps).
    pub uncounted_point_count: u32,
    pub distance_m: f64,
    pub running: bool,
}

impl DeviceStore {
    /// Starts a patrol now. `body` carries what is known at the start (members, partners).
    pub fn start_patrol(
        &mut self,
        body: Option<PatrolBody>,
        location: Option<Location>,
    ) -> Result<Entry, DeviceError> {
        self.start_patrol_by(None, body, location)
    }

    /// Starts a patrol written by `author` (the member unlocked in the app); `None` is the
    /// store's current member, as for [`DeviceStore::record_entry`].
    pub fn start_patrol_by(
        &mut self,
        author: Option<&str>,
        body: Option<PatrolBody>,
        location: Option<Location>,
    ) -> Result<Entry, DeviceError> {
        let body = body.unwrap_or(PatrolBody {
            joint: false,
            members: Vec::new(),
            partners: Vec::new(),
            markers: Vec::new(),
            findings: String::new(),
            distance_km: None,
            track: None,
        });
        let draft = EntryDraft {
            occurred_at: local_now(),
            ended_at: None,
            location,
            author: author.map(str::to_string),
            patrol_id: None,
            body: EntryBody::Patrol(body),
        };
        self.insert_new_entry(draft, Vec::new(), Some(EntryStatus::Running))
    }

    /// Patrols started and not yet ended, newest first.
    pub fn running_patrols(&self) -> Result<Vec<Entry>, DeviceError> {
        let mut statement = self.connection.prepare(
            "SELECT document FROM entries
             WHERE kind = 'patrol' AND status = 'running' AND deleted = 0
             ORDER BY occurred_at_ms DESC",
        )?;
        let documents: Vec<String> = statement
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        documents
            .iter()
            .map(|document| super::rows::entry_from_document(document))
            .collect()
    }

    /// Appends one GPS point to a running patrol; returns how many points it now has.
    pub fn append_track_point(
        &mut self,
        patrol_id: EntryId,
        point: TrackPoint,
    ) -> Result<u32, DeviceError> {
        let mut report = ValidationReport::default();
        validate_location(
            &mut report,
            "point",
            &Location {
                lat: point.lat,
                lon: point.lon,
                accuracy_m: point.accuracy_m,
                altitude_m: point.altitude_m,
            },
        );
        if !report.is_empty() {
            return Err(DeviceError::Invalid(report));
        }
        let transaction = self.begin_write()?;
        require_running(&transaction, patrol_id)?;
        let count: u32 = transaction.query_row(
            "SELECT COUNT(*) FROM track_points WHERE patrol_id = ?1",
            [patrol_id.to_string()],
            |row| row.get(0),
        )?;
        if count >= MAX_TRACK_POINTS {
            return Err(DeviceError::not_allowed(
                format!("本次巡逻轨迹点已达上限 {MAX_TRACK_POINTS} 个,请结束巡逻"),
                format!("the patrol already has {MAX_TRACK_POINTS} points"),
            ));
        }
        transaction.execute(
            "INSERT INTO track_points (patrol_id, seq, recorded_at_ms, lat, lon, accuracy_m,
                                       altitude_m)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                patrol_id.to_string(),
                count + 1,
                point.recorded_at_ms,
                point.lat,
                point.lon,
                point.accuracy_m,
                point.altitude_m
            ],
        )?;
        transaction.commit()?;
        Ok(count + 1)
    }

    /// Ends a running patrol now: packs its track, sets its distance from the points (when
    /// there are at least two), and applies what the member filled in at the end.
    pub fn end_patrol(
        &mut self,
        patrol_id: EntryId,
        final_body: Option<PatrolBody>,
    ) -> Result<Entry, DeviceError> {
        let transaction = self.begin_write()?;
        let current = require_running(&transaction, patrol_id)?;
        let points = raw_points(&transaction, patrol_id)?;
        let distance_m = track_distance_m(&points);
        let mut body = match (final_body, &current.draft.body) {
            (Some(body), _) => body,
            (None, EntryBody::Patrol(body)) => body.clone(),
            (None, _) => {
                return Err(DeviceError::Damaged(
                    "a patrol without a patrol body".into(),
                ))
            }
        };
        if points.len() >= 2 {
            body.distance_km = Some((distance_m / 10.0).round() / 100.0);
        }
        let packed = PackedTrack::pack(&points);
        body.track = (!points.is_empty()).then(|| packed.to_base64());
        let now = local_now();
        // A phone clock set back during the patrol must not make it end before it began.
        let ended_at = if now.utc_millis() < current.draft.occurred_at.utc_millis() {
            current.draft.occurred_at
        } else {
            now
        };
        let draft = EntryDraft {
            ended_at: Some(ended_at),
            body: EntryBody::Patrol(body),
            ..current.draft.clone()
        };
        let mut report = ValidationReport::default();
        draft.validate(&mut report);
        if !report.is_empty() {
            return Err(DeviceError::Invalid(report));
        }
        transaction.execute(
            "INSERT INTO patrol_tracks (patrol_id, point_count, distance_m, packed)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                patrol_id.to_string(),
                points.len() as i64,
                distance_m,
                packed.0
            ],
        )?;
        transaction.execute(
            "DELETE FROM track_points WHERE patrol_id = ?1",
            [patrol_id.to_string()],
        )?;
        let entry = Entry {
            draft,
            status: Some(EntryStatus::Ended),
            revision: current.revision + 1,
            updated_at: Utc::now(),
            ..current
        };
        write_entry_version(&transaction, &entry, EntryChange::Edit)?;
        transaction.commit()?;
        Ok(entry)
    }

    /// A patrol's points, whether it is still running or packed.
    pub fn track_points(&mut self, patrol_id: EntryId) -> Result<Vec<TrackPoint>, DeviceError> {
        let transaction = self.begin_write()?;
        let packed: Option<Vec<u8>> =
            rusqlite::OptionalExtension::optional(transaction.query_row(
                "SELECT packed FROM patrol_tracks WHERE patrol_id = ?1",
                [patrol_id.to_string()],
                |row| row.get(0),
            ))?;
        let points = match packed {
            Some(bytes) => PackedTrack(bytes).unpack()?,
            None => raw_points(&transaction, patrol_id)?,
        };
        transaction.commit()?;
        Ok(points)
    }

    /// Point count and distance so far, for the running-patrol screen.
    pub fn track_summary(&mut self, patrol_id: EntryId) -> Result<TrackSummary, DeviceError> {
        let entry = self.entry(patrol_id)?;
        let points = self.track_points(patrol_id)?;
        let uncounted = track_point_qualities(&points)
            .into_iter()
            .filter(|quality| *quality != TrackPointQuality::Good)
            .count();
        Ok(TrackSummary {
            patrol_id,
            point_count: points.len() as u32,
            uncounted_point_count: uncounted as u32,
            distance_m: track_distance_m(&points),
            running: entry.status == Some(EntryStatus::Running),
        })
    }
}

fn require_running(
    transaction: &rusqlite::Transaction<'_>,
    patrol_id: EntryId,
) -> Result<Entry, DeviceError> {
    let entry = load_entry(transaction, patrol_id)?.ok_or(DeviceError::EntryNotFound(patrol_id))?;
    if entry.deleted || entry.status != Some(EntryStatus::Running) {
        return Err(DeviceError::not_allowed(
            format!("巡逻 {patrol_id} 不在进行中"),
            format!("patrol {patrol_id} is not running"),
        ));
    }
    Ok(entry)
}

fn raw_points(
    transaction: &rusqlite::Transaction<'_>,
    patrol_id: EntryId,
) -> Result<Vec<TrackPoint>, DeviceError> {
    let mut statement = transaction.prepare(
        "SELECT recorded_at_ms, lat, lon, accuracy_m, altitude_m FROM track_points
         WHERE patrol_id = ?1 ORDER BY seq",
    )?;
    let points = statement
        .query_map([patrol_id.to_string()], |row| {
            Ok(TrackPoint {
                recorded_at_ms: row.get(0)?,
                lat: row.get(1)?,
                lon: row.get(2)?,
                accuracy_m: row.get(3)?,
                altitude_m: row.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(points)
}
