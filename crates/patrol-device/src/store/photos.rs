//! Photos. Importing a camera file keeps it, untouched, under `photos/originals/ab/<sha256>` and
//! makes the version that syncs by default (the *send version*, `send_version.rs`: long edge at
//! most [`SEND_LONG_EDGE`] px, JPEG, EXIF orientation applied), stored once under
//! `photos/ab/<sha256>` by the SHA-256 of its bytes. That hash is the photo's [`PhotoHash`]:
//! entries reference it, the sync uploads that file (as the wire variant `original`) and its
//! 320 px thumbnail (kept in the database), and the county verifies it. The capture time and GPS
//! the camera wrote into EXIF (`camera_metadata.rs`) are kept with the photo's row, since the
//! send version carries no EXIF. Originals are pruned after a while (`originals.rs`). Every
//! file is sealed with the store's key (`at_rest/sealed_files.rs`, the one reader and writer of
//! photo bytes); [`StoredPhoto::path`] says where a file is, not what it holds.

mod camera_metadata;
mod originals;
mod send_version;

pub use camera_metadata::{CameraMetadata, CaptureTime};
pub use originals::{PrunedOriginals, ORIGINAL_KEEP_DAYS};
pub use send_version::{SEND_AS_IS_MAX_BYTES, SEND_JPEG_QUALITY, SEND_LONG_EDGE};

use super::DeviceStore;
use crate::error::DeviceError;
use chrono::Utc;
use patrol_model::validation::check_list_len;
use patrol_model::{Location, PhotoAttachment, PhotoHash, ValidationReport};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Largest photo accepted (a phone camera JPEG is 2–8 MB).
pub const MAX_PHOTO_BYTES: u64 = 25 * 1024 * 1024;
/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// The two kinds of file a photo can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoMediaType {
    Jpeg,
    Png,
}

impl PhotoMediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoMediaType::Jpeg => "image/jpeg",
            PhotoMediaType::Png => "image/png",
        }
    }

    fn parse(text: &str) -> Result<Self, DeviceError> {
        match text {
            "image/jpeg" => Ok(PhotoMediaType::Jpeg),
            "image/png" => Ok(PhotoMediaType::Png),
            other => Err(DeviceError::Damaged(format!("photo media type {other:?}"))),
        }
    }
}

/// A photo known to the store: its send version (what `sha256` names and the sync uploads),
/// where the camera's original is, and what the camera said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPhoto {
    pub sha256: PhotoHash,
    /// Bytes of the send version.
    pub byte_len: u64,
    pub media_type: PhotoMediaType,
    /// Size of the send version as it is shown (upright).
    pub width: u32,
    pub height: u32,
    /// The send version's file.
    pub path: PathBuf,
    pub original: PhotoOriginal,
    pub camera: CameraMetadata,
}

/// The camera's own file of a photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoOriginal {
    pub sha256: PhotoHash,
    pub byte_len: u64,
    pub media_type: PhotoMediaType,
    /// Size as shown (upright, after the EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// Where it is kept: the send version's own path when the camera file is what is sent.
    pub path: PathBuf,
    /// `false` once pruned (its file is gone; the send version stays).
    pub kept: bool,
}

/// One file of a photo, in memory: its bytes and what they are.
#[derive(Debug, Clone)]
struct PhotoFile {
    bytes: Vec<u8>,
    sha256: PhotoHash,
    media_type: PhotoMediaType,
    width: u32,
    height: u32,
}

impl PhotoFile {
    fn new(
        bytes: Vec<u8>,
        media_type: PhotoMediaType,
        (width, height): (u32, u32),
    ) -> Result<Self, DeviceError> {
        let sha256 = sha256_of(&bytes)?;
        Ok(PhotoFile {
            bytes,
            sha256,
            media_type,
            width,
            height,
        })
    }
}

/// A photo read, checked, sized for sending and thumbnailed, not yet stored: checking every
/// photo of an entry before storing any means a bad one leaves nothing behind.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    source: PathBuf,
    /// The camera file; `None` when it is itself the send version.
    original: Option<PhotoFile>,
    send: PhotoFile,
    thumbnail: Vec<u8>,
    camera: CameraMetadata,
}

impl PreparedPhoto {
    /// Reads and checks a photo file: at most 25 MB, a JPEG or PNG that decodes.
    pub fn read(source: &Path) -> Result<PreparedPhoto, DeviceError> {
        let photo_error = |zh: &str, en: String| DeviceError::Photo {
            path: source.to_path_buf(),
            reason_zh: zh.to_string(),
            reason_en: en,
        };
        let metadata = std::fs::metadata(source)
            .map_err(|error| photo_error("文件不存在或无法读取", error.to_string()))?;
        if metadata.len() > MAX_PHOTO_BYTES {
            return Err(photo_error(
                "照片太大(最多 25 MB)",
                format!("{} bytes, at most {MAX_PHOTO_BYTES}", metadata.len()),
            ));
        }
        let bytes = std::fs::read(source)
            .map_err(|error| photo_error("文件无法读取", error.to_string()))?;
        prepare(source, bytes, &photo_error)
    }

    /// Checks a photo the app received as bytes (from the camera or the gallery), by the same
    /// rules as [`PreparedPhoto::read`]; a bad photo is an `invalid` error on the field
    /// `photos`, naming the file.
    pub fn from_bytes(file_name: &str, bytes: Vec<u8>) -> Result<PreparedPhoto, DeviceError> {
        let photo_error = |zh: &str, en: String| {
            DeviceError::invalid_field(
                "photos",
                format!("照片“{file_name}”：{zh}"),
                format!("photo {file_name:?}: {en}"),
            )
        };
        if bytes.len() as u64 > MAX_PHOTO_BYTES {
            return Err(photo_error(
                "照片太大（最多 25 MB）",
                format!("{} bytes, at most {MAX_PHOTO_BYTES}", bytes.len()),
            ));
        }
        prepare(Path::new(file_name), bytes, &photo_error)
    }

    /// The hash of the send version: what entries reference.
    pub fn sha256(&self) -> &PhotoHash {
        &self.send.sha256
    }

    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The camera file, or the send version when that is the camera file itself.
    fn camera_file(&self) -> &PhotoFile {
        self.original.as_ref().unwrap_or(&self.send)
    }
}

/// The checks shared by files and bytes: a JPEG or PNG that decodes; then its send version,
/// thumbnail and camera metadata.
fn prepare(
    source: &Path,
    bytes: Vec<u8>,
    photo_error: &dyn Fn(&str, String) -> DeviceError,
) -> Result<PreparedPhoto, DeviceError> {
    let made = send_version::make(&bytes, photo_error)?;
    let camera = made
        .exif
        .as_deref()
        .map(camera_metadata::read)
        .unwrap_or_default();
    let upright_size = made.original_upright_size;
    let (original, send) = match made.send {
        send_version::SendVersion::AsIs => {
            (None, PhotoFile::new(bytes, made.format, upright_size)?)
        }
        send_version::SendVersion::Encoded { jpeg, size } => (
            Some(PhotoFile::new(bytes, made.format, upright_size)?),
            PhotoFile::new(jpeg, PhotoMediaType::Jpeg, size)?,
        ),
    };
    Ok(PreparedPhoto {
        source: source.to_path_buf(),
        original,
        send,
        thumbnail: made.thumbnail,
        camera,
    })
}

fn sha256_of(bytes: &[u8]) -> Result<PhotoHash, DeviceError> {
    PhotoHash::try_from(hex::encode(Sha256::digest(bytes)))
        .map_err(|reason| DeviceError::Damaged(format!("photo digest: {reason}")))
}

const PHOTO_COLUMNS: &str = "sha256, byte_len, media_type, width, height, original_sha256,
    original_byte_len, original_media_type, original_width, original_height,
    original_pruned_at_ms, captured_at, captured_lat, captured_lon, captured_altitude_m,
    captured_accuracy_m";

impl DeviceStore {
    /// Copies a photo into the store: its original and its send version, once however often
    /// the same camera file is imported.
    pub fn import_photo(&mut self, source: &Path) -> Result<StoredPhoto, DeviceError> {
        let prepared = PreparedPhoto::read(source)?;
        self.store_photo(prepared)
    }

    /// Stores a photo already read and checked. A camera file stored before returns the photo
    /// made from it then (its original is written again if it had been pruned); so does one
    /// whose send version is already stored (the same picture with other metadata).
    pub fn store_photo(&mut self, photo: PreparedPhoto) -> Result<StoredPhoto, DeviceError> {
        let camera_file = photo.camera_file();
        if let Some(known) = self.photo_by_original(&camera_file.sha256)? {
            if !known.original.kept {
                self.restore_original(&known, &camera_file.bytes)?;
                return self.require_photo(&known.sha256);
            }
            return Ok(known);
        }
        if let Some(known) = self.photo(&photo.send.sha256)? {
            return Ok(known);
        }
        if let Some(original) = &photo.original {
            let path = self.original_path(&original.sha256);
            if !path.exists() {
                self.write_photo_file(&path, &original.bytes)?;
            }
        }
        let path = self.photo_path(&photo.send.sha256);
        if !path.exists() {
            self.write_photo_file(&path, &photo.send.bytes)?;
        }
        self.insert_photo_row(&photo)?;
        self.require_photo(&photo.send.sha256)
    }

    fn insert_photo_row(&mut self, photo: &PreparedPhoto) -> Result<(), DeviceError> {
        let (send, original, camera) = (&photo.send, photo.camera_file(), &photo.camera);
        let position = camera.position.as_ref();
        self.connection.execute(
            "INSERT INTO photos (sha256, byte_len, media_type, width, height, thumbnail,
                 created_at_ms, original_sha256, original_byte_len, original_media_type,
                 original_width, original_height, captured_at, captured_lat, captured_lon,
                 captured_altitude_m, captured_accuracy_m)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            params![
                send.sha256.as_str(),
                send.bytes.len() as i64,
                send.media_type.as_str(),
                send.width,
                send.height,
                photo.thumbnail,
                Utc::now().timestamp_millis(),
                original.sha256.as_str(),
                original.bytes.len() as i64,
                original.media_type.as_str(),
                original.width,
                original.height,
                camera.captured_at.as_ref().map(CaptureTime::to_text),
                position.map(|p| p.lat),
                position.map(|p| p.lon),
                position.and_then(|p| p.altitude_m),
                position.and_then(|p| p.accuracy_m),
            ],
        )?;
        Ok(())
    }

    /// Writes a pruned original back (the member imported the same camera file again).
    fn restore_original(&mut self, known: &StoredPhoto, bytes: &[u8]) -> Result<(), DeviceError> {
        self.write_photo_file(&known.original.path, bytes)?;
        self.connection.execute(
            "UPDATE photos SET original_pruned_at_ms = NULL WHERE sha256 = ?1",
            [known.sha256.as_str()],
        )?;
        Ok(())
    }

    /// A stored photo by the hash of its send version.
    pub fn photo(&self, sha256: &PhotoHash) -> Result<Option<StoredPhoto>, DeviceError> {
        let row = self
            .connection
            .query_row(
                &format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE sha256 = ?1"),
                [sha256.as_str()],
                PhotoRow::read,
            )
            .optional()?;
        row.map(|row| self.stored_photo(row)).transpose()
    }

    fn require_photo(&self, sha256: &PhotoHash) -> Result<StoredPhoto, DeviceError> {
        self.photo(sha256)?
            .ok_or_else(|| DeviceError::Damaged(format!("photo {sha256} vanished while stored")))
    }

    fn photo_by_original(&self, original: &PhotoHash) -> Result<Option<StoredPhoto>, DeviceError> {
        let row = self
            .connection
            .query_row(
                &format!(
                    "SELECT {PHOTO_COLUMNS} FROM photos WHERE original_sha256 = ?1
                     ORDER BY created_at_ms LIMIT 1"
                ),
                [original.as_str()],
                PhotoRow::read,
            )
            .optional()?;
        row.map(|row| self.stored_photo(row)).transpose()
    }

    fn stored_photo(&self, row: PhotoRow) -> Result<StoredPhoto, DeviceError> {
        let sha256 = PhotoHash::try_from(row.sha256).map_err(DeviceError::Damaged)?;
        let original_sha256 = match row.original_sha256 {
            Some(text) => PhotoHash::try_from(text).map_err(DeviceError::Damaged)?,
            None => sha256.clone(),
        };
        let path = self.photo_path(&sha256);
        let original_path = if original_sha256 == sha256 {
            path.clone()
        } else {
            self.original_path(&original_sha256)
        };
        let media_type = PhotoMediaType::parse(&row.media_type)?;
        let original = PhotoOriginal {
            sha256: original_sha256,
            byte_len: row.original_byte_len.unwrap_or(row.byte_len) as u64,
            media_type: match row.original_media_type.as_deref() {
                Some(text) => PhotoMediaType::parse(text)?,
                None => media_type,
            },
            width: row.original_width.unwrap_or(row.width),
            height: row.original_height.unwrap_or(row.height),
            path: original_path,
            kept: row.original_pruned_at_ms.is_none(),
        };
        Ok(StoredPhoto {
            sha256,
            byte_len: row.byte_len as u64,
            media_type,
            width: row.width,
            height: row.height,
            path,
            original,
            camera: row.camera,
        })
    }

    /// Where a photo's send version lives.
    pub fn photo_path(&self, sha256: &PhotoHash) -> PathBuf {
        let hex = sha256.as_str();
        self.data_dir
            .join(crate::PHOTOS_DIR_NAME)
            .join(&hex[..2])
            .join(hex)
    }

    /// Where a camera original that differs from its send version is kept.
    fn original_path(&self, original: &PhotoHash) -> PathBuf {
        let hex = original.as_str();
        self.data_dir
            .join(crate::PHOTOS_DIR_NAME)
            .join("originals")
            .join(&hex[..2])
            .join(hex)
    }

    /// The JPEG thumbnail of a stored photo.
    pub fn photo_thumbnail(&self, sha256: &PhotoHash) -> Result<Option<Vec<u8>>, DeviceError> {
        Ok(self
            .connection
            .query_row(
                "SELECT thumbnail FROM photos WHERE sha256 = ?1",
                [sha256.as_str()],
                |row| row.get(0),
            )
            .optional()?)
    }
}

/// A `photos` row as read (columns of [`PHOTO_COLUMNS`]).
struct PhotoRow {
    sha256: String,
    byte_len: i64,
    media_type: String,
    width: u32,
    height: u32,
    original_sha256: Option<String>,
    original_byte_len: Option<i64>,
    original_media_type: Option<String>,
    original_width: Option<u32>,
    original_height: Option<u32>,
    original_pruned_at_ms: Option<i64>,
    camera: CameraMetadata,
}

impl PhotoRow {
    fn read(row: &Row<'_>) -> rusqlite::Result<PhotoRow> {
        let position = match (row.get::<_, Option<f64>>(12)?, row.get(13)?) {
            (Some(lat), Some(lon)) => Some(Location {
                lat,
                lon,
                altitude_m: row.get(14)?,
                accuracy_m: row.get(15)?,
            }),
            _ => None,
        };
        Ok(PhotoRow {
            sha256: row.get(0)?,
            byte_len: row.get(1)?,
            media_type: row.get(2)?,
            width: row.get(3)?,
            height: row.get(4)?,
            original_sha256: row.get(5)?,
            original_byte_len: row.get(6)?,
            original_media_type: row.get(7)?,
            original_width: row.get(8)?,
            original_height: row.get(9)?,
            original_pruned_at_ms: row.get(10)?,
            camera: CameraMetadata {
                captured_at: row
                    .get::<_, Option<String>>(11)?
                    .and_then(|text| CaptureTime::parse(&text)),
                position,
            },
        })
    }
}

/// The photos of an entry: each one stored here, none twice, at most [`MAX_LIST_ITEMS`].
pub(crate) fn check_photo_attachments(
    transaction: &Transaction<'_>,
    photos: &[PhotoAttachment],
) -> Result<(), DeviceError> {
    let mut report = ValidationReport::default();
    check_list_len(&mut report, "photos", photos.len());
    if !report.is_empty() {
        return Err(DeviceError::Invalid(report));
    }
    for (index, photo) in photos.iter().enumerate() {
        if photos[..index]
            .iter()
            .any(|earlier| earlier.sha256 == photo.sha256)
        {
            return Err(DeviceError::invalid_field(
                "photos",
                "同一张照片附了两次",
                format!("photo {} is attached twice", photo.sha256),
            ));
        }
        check_photo_is_stored(transaction, &photo.sha256)?;
    }
    Ok(())
}

/// An entry may only reference photos the store holds.
fn check_photo_is_stored(
    transaction: &Transaction<'_>,
    sha256: &PhotoHash,
) -> Result<(), DeviceError> {
    let known: bool = transaction.query_row(
        "SELECT EXISTS (SELECT 1 FROM photos WHERE sha256 = ?1)",
        [sha256.as_str()],
        |row| row.get(0),
    )?;
    if known {
        Ok(())
    } else {
        Err(DeviceError::invalid_field(
            "photos",
            format!("照片 {sha256} 不在本机"),
            format!("photo {sha256} is not stored on this device"),
        ))
    }
}
