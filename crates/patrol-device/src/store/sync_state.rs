//! What the sync needs from the store: the enrolment, the records still to send (with their
//! clocks and changed fields), applying the server's answer (acknowledgements, rejections,
//! the post's changes), the photos still to upload, and the status a member sees.

use super::outbox::CLOCK_OFFSET_SETTING;
use super::pulled::apply_pulled_changes;
use super::{DeviceStore, POST_ID_SETTING};
use crate::error::DeviceError;
use chrono::{DateTime, Utc};
use patrol_model::sync::{changed_fields, EnrolResponse, SyncRecord, SyncResponse};
use patrol_model::{EntryId, PhotoHash, ValidationProblem};
use rusqlite::params;
use serde::Serialize;
use serde_json::Value;

pub const SERVER_URL_SETTING: &str = "server_url";
pub const DEVICE_TOKEN_SETTING: &str = "device_token";
pub const POST_NAME_SETTING: &str = "post_name";
pub const PULL_CURSOR_SETTING: &str = "pull_cursor";
pub const LAST_SYNC_SETTING: &str = "last_sync_at";
pub const LAST_ERROR_SETTING: &str = "last_sync_error";
pub const CLOCK_FLAGGED_SETTING: &str = "clock_flagged";

/// Where this device syncs to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Enrolment {
    pub server_url: String,
    #[serde(skip)]
    pub device_token: String,
    pub post_id: String,
    pub post_name: String,
}

/// A record the county refused, as the member sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RejectedRecord {
    pub seq: u64,
    pub entry_id: EntryId,
    pub title: String,
    pub problems: Vec<ValidationProblem>,
}

/// What `patrol status` and the app's sync screen show.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    pub device_id: String,
    pub enrolment: Option<Enrolment>,
    pub pending_records: u64,
    pub pending_photo_bytes: u64,
    pub rejected: Vec<RejectedRecord>,
    /// Entries the county returned for a member to fix (the chip's badge).
    pub returned_entries: u64,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub clock_offset_ms: Option<i64>,
    pub clock_flagged: bool,
    /// The county had this phone wiped (停用并清除): when, and what it still held unsent.
    pub wiped: Option<super::wipe::WipeSummary>,
}

/// What applying one answer did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AppliedSync {
    pub acknowledged: u64,
    pub rejected: u64,
    pub pulled: u64,
    /// Pulled entries not applied because this device still has unsent changes of them.
    pub deferred: u64,
    /// Members whose PIN the county reset, forgotten on this phone now.
    pub pins_reset: u64,
}

/// One photo variant the server does not have yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoUpload {
    pub sha256: PhotoHash,
    /// `thumbnail` or `original`.
    pub variant: &'static str,
    pub byte_len: u64,
}

impl DeviceStore {
    pub fn enrolment(&self) -> Result<Option<Enrolment>, DeviceError> {
        let (Some(server_url), Some(device_token), Some(post_id)) = (
            self.setting(SERVER_URL_SETTING)?,
            self.setting(DEVICE_TOKEN_SETTING)?,
            self.setting(POST_ID_SETTING)?,
        ) else {
            return Ok(None);
        };
        Ok(Some(Enrolment {
            server_url,
            device_token,
            post_id,
            post_name: self.setting(POST_NAME_SETTING)?.unwrap_or_default(),
        }))
    }

    /// Keeps what enrolment gave, and puts the post on entries recorded before it.
    pub fn save_enrolment(
        &mut self,
        server_url: &str,
        response: &EnrolResponse,
    ) -> Result<(), DeviceError> {
        let transaction = self.begin_write()?;
        for (key, value) in [
            (SERVER_URL_SETTING, server_url.to_string()),
            (DEVICE_TOKEN_SETTING, response.device_token.clone()),
            (POST_ID_SETTING, response.post_id.to_string()),
            (POST_NAME_SETTING, response.post_name.clone()),
        ] {
            super::write_setting(&transaction, key, &value)?;
        }
        transaction.execute(
            "DELETE FROM device_settings WHERE key IN (?1, ?2)",
            params![PULL_CURSOR_SETTING, LAST_ERROR_SETTING],
        )?;
        // The post is bookkeeping the server sets too: no new version, no outbox record.
        transaction.execute(
            "UPDATE entries SET document = json_set(document, '$.post_id', ?1)
             WHERE json_extract(document, '$.post_id') IS NULL",
            [response.post_id.to_string()],
        )?;
        transaction.commit()?;
        super::wipe::forget_reported_wipe(&self.data_dir)
    }

    /// Unacknowledged records after `after_seq`, oldest first, ready to send.
    pub fn pending_records(
        &self,
        after_seq: u64,
        limit: usize,
    ) -> Result<Vec<SyncRecord>, DeviceError> {
        let mut statement = self.connection.prepare_cached(
            "SELECT o.seq, o.record_id, o.entry_id, o.change, o.hlc, v.document,
                    (SELECT p.document FROM entry_versions p
                     WHERE p.entry_id = o.entry_id AND p.revision < o.revision
                     ORDER BY p.revision DESC LIMIT 1)
             FROM outbox o
             JOIN entry_versions v ON v.entry_id = o.entry_id AND v.revision = o.revision
             WHERE o.acknowledged_at_ms IS NULL AND o.seq > ?1
             ORDER BY o.seq LIMIT ?2",
        )?;
        let rows = statement.query_map(params![after_seq as i64, limit as i64], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, Option<String>>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, Option<String>>(6)?,
            ))
        })?;
        let damaged = |what: &str| DeviceError::Damaged(format!("outbox: {what}"));
        let mut records = Vec::new();
        for row in rows {
            let (seq, record_id, entry_id, change, hlc, document, previous) = row?;
            let entry: Value =
                serde_json::from_str(&document).map_err(|_| damaged("version document"))?;
            let previous: Option<Value> = previous
                .map(|text| serde_json::from_str(&text))
                .transpose()
                .map_err(|_| damaged("previous version document"))?;
            records.push(SyncRecord {
                seq: seq as u64,
                record_id: record_id.parse().map_err(|_| damaged("record id"))?,
                entry_id: entry_id.parse().map_err(|_| damaged("entry id"))?,
                change,
                hlc: hlc
                    .ok_or_else(|| damaged("record without clock"))?
                    .parse()
                    .map_err(|_| damaged("clock"))?,
                // A new entry's record changes every field: the wire leaves the list out.
                changed_fields: previous
                    .as_ref()
                    .map(|previous| changed_fields(Some(previous), &entry)),
                entry,
            });
        }
        Ok(records)
    }

    /// Applies one answer of the server in one transaction.
    pub fn apply_sync_response(
        &mut self,
        response: &SyncResponse,
    ) -> Result<AppliedSync, DeviceError> {
        let now = Utc::now().timestamp_millis();
        let transaction = self.begin_write()?;
        let mut applied = AppliedSync {
            acknowledged: transaction.execute(
                "UPDATE outbox SET acknowledged_at_ms = ?1
                 WHERE seq <= ?2 AND acknowledged_at_ms IS NULL",
                params![now, response.acknowledged_through as i64],
            )? as u64,
            ..AppliedSync::default()
        };
        for rejection in &response.rejected {
            let problems = serde_json::to_string(&rejection.problems)
                .map_err(|error| DeviceError::Damaged(error.to_string()))?;
            applied.rejected += transaction.execute(
                "UPDATE outbox SET rejected_at_ms = ?1, rejection = ?2,
                        acknowledged_at_ms = COALESCE(acknowledged_at_ms, ?1)
                 WHERE seq = ?3 AND record_id = ?4",
                params![
                    now,
                    problems,
                    rejection.seq as i64,
                    rejection.record_id.to_string()
                ],
            )? as u64;
        }
        let pulled = apply_pulled_changes(&transaction, &response.changes)?;
        applied.pins_reset =
            super::members::apply_county_pin_resets(&transaction, &response.pin_resets, now)?;
        applied.pulled = pulled.pulled;
        applied.deferred = pulled.deferred;
        let mut settings = vec![
            (CLOCK_OFFSET_SETTING, response.clock_offset_ms.to_string()),
            (CLOCK_FLAGGED_SETTING, response.clock_flagged.to_string()),
        ];
        if let Some(cursor) = &response.next_cursor {
            settings.push((PULL_CURSOR_SETTING, cursor.clone()));
        }
        for (key, value) in settings {
            super::write_setting(&transaction, key, &value)?;
        }
        transaction.commit()?;
        Ok(applied)
    }

    /// Marks the end of a sync: its time when it succeeded, its error when it did not.
    pub fn finish_sync(&mut self, error: Option<&str>) -> Result<(), DeviceError> {
        match error {
            None => {
                self.set_setting(LAST_SYNC_SETTING, &Utc::now().to_rfc3339())?;
                self.connection.execute(
                    "DELETE FROM device_settings WHERE key = ?1",
                    [LAST_ERROR_SETTING],
                )?;
            }
            Some(message) => self.set_setting(LAST_ERROR_SETTING, message)?,
        }
        Ok(())
    }

    pub fn pull_cursor(&self) -> Result<Option<String>, DeviceError> {
        self.setting(PULL_CURSOR_SETTING)
    }

    /// Photo variants still to upload: every thumbnail first, then the send versions (the wire
    /// variant `original`; the camera originals stay on the device, store/photos.rs).
    pub fn photos_to_upload(&self) -> Result<Vec<PhotoUpload>, DeviceError> {
        let mut statement = self.connection.prepare(
            "SELECT sha256, 'thumbnail', LENGTH(thumbnail) FROM photos WHERE thumbnail_uploaded = 0
             UNION ALL
             SELECT sha256, 'original', byte_len FROM photos WHERE original_uploaded = 0
             ORDER BY 2 DESC, 1",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut uploads = Vec::new();
        for row in rows {
            let (sha256, variant, byte_len) = row?;
            uploads.push(PhotoUpload {
                sha256: PhotoHash::try_from(sha256).map_err(DeviceError::Damaged)?,
                variant: if variant == "thumbnail" {
                    "thumbnail"
                } else {
                    "original"
                },
                byte_len: byte_len as u64,
            });
        }
        Ok(uploads)
    }

    /// The bytes of one photo variant: the thumbnail, or the send version's file.
    pub fn photo_bytes(&self, upload: &PhotoUpload) -> Result<Vec<u8>, DeviceError> {
        if upload.variant == "thumbnail" {
            return self
                .photo_thumbnail(&upload.sha256)?
                .ok_or_else(|| DeviceError::Damaged(format!("no thumbnail of {}", upload.sha256)));
        }
        self.send_version_bytes(&upload.sha256)
    }

    /// True when a chunk of this variant may have reached the server (its upload began in an
    /// earlier request, or in a store older than this record): the server is asked how far it
    /// got before the next chunk. A variant never begun starts at offset 0 without asking.
    pub fn photo_upload_begun(&self, upload: &PhotoUpload) -> Result<bool, DeviceError> {
        Ok(self.connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM photo_uploads_begun WHERE sha256 = ?1 AND variant = ?2)",
            params![upload.sha256.as_str(), upload.variant],
            |row| row.get(0),
        )?)
    }

    /// Written before the first chunk of a variant is sent.
    pub fn begin_photo_upload(&mut self, upload: &PhotoUpload) -> Result<(), DeviceError> {
        self.connection.execute(
            "INSERT OR IGNORE INTO photo_uploads_begun (sha256, variant) VALUES (?1, ?2)",
            params![upload.sha256.as_str(), upload.variant],
        )?;
        Ok(())
    }

    pub fn mark_photo_uploaded(&mut self, upload: &PhotoUpload) -> Result<(), DeviceError> {
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "DELETE FROM photo_uploads_begun WHERE sha256 = ?1 AND variant = ?2",
            params![upload.sha256.as_str(), upload.variant],
        )?;
        if upload.variant == "thumbnail" {
            transaction.execute(
                "UPDATE photos SET thumbnail_uploaded = 1 WHERE sha256 = ?1",
                [upload.sha256.as_str()],
            )?;
        } else {
            // The wire variant `original` carries the send version; its upload starts the
            // time the phone keeps the camera original (store/photos/originals.rs).
            transaction.execute(
                "UPDATE photos SET original_uploaded = 1,
                     send_uploaded_at_ms = COALESCE(send_uploaded_at_ms, ?2) WHERE sha256 = ?1",
                params![upload.sha256.as_str(), Utc::now().timestamp_millis()],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    pub fn sync_status(&self) -> Result<SyncStatus, DeviceError> {
        let pending_records = self.pending_outbox_count()?;
        let pending_photo_bytes: i64 = self.connection.query_row(
            "SELECT COALESCE(SUM(CASE WHEN thumbnail_uploaded = 0 THEN LENGTH(thumbnail) ELSE 0 END
                               + CASE WHEN original_uploaded = 0 THEN byte_len ELSE 0 END), 0)
             FROM photos",
            [],
            |row| row.get(0),
        )?;
        // A rejection stays until a later change of the same entry replaces it.
        let mut statement = self.connection.prepare(
            "SELECT o.seq, o.entry_id, o.rejection, e.document FROM outbox o
             JOIN entries e ON e.id = o.entry_id
             WHERE o.rejected_at_ms IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM outbox later
                               WHERE later.entry_id = o.entry_id AND later.seq > o.seq)
             ORDER BY o.seq",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, Option<String>>(2)?,
                row.get::<_, String>(3)?,
            ))
        })?;
        let mut rejected = Vec::new();
        for row in rows {
            let (seq, entry_id, rejection, document) = row?;
            let entry = super::rows::entry_from_document(&document)?;
            rejected.push(RejectedRecord {
                seq: seq as u64,
                entry_id: entry_id
                    .parse()
                    .map_err(|_| DeviceError::Damaged(format!("entry id {entry_id:?}")))?,
                title: entry.draft.body.title_zh(),
                problems: rejection
                    .and_then(|text| serde_json::from_str(&text).ok())
                    .unwrap_or_default(),
            });
        }
        Ok(SyncStatus {
            device_id: self.device_id.to_string(),
            enrolment: self.enrolment()?,
            pending_records,
            pending_photo_bytes: pending_photo_bytes as u64,
            rejected,
            returned_entries: self.returned_entry_count()?,
            last_sync_at: self
                .setting(LAST_SYNC_SETTING)?
                .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
                .map(|time| time.with_timezone(&Utc)),
            last_error: self.setting(LAST_ERROR_SETTING)?,
            clock_offset_ms: self
                .setting(CLOCK_OFFSET_SETTING)?
                .and_then(|text| text.parse().ok()),
            clock_flagged: self.setting(CLOCK_FLAGGED_SETTING)?.as_deref() == Some("true"),
            wiped: self.wipe_summary()?,
        })
    }
}
