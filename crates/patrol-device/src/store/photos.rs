//! Photos: stored once under `photos/ab/abcdef…` by the SHA-256 of their bytes, with a small
//! JPEG thumbnail in the database (the sync sends thumbnails first).

use super::DeviceStore;
use crate::error::DeviceError;
use chrono::Utc;
use image::{GenericImageView, ImageFormat};
use patrol_model::PhotoHash;
use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Largest photo accepted (a phone camera JPEG is 2–8 MB).
pub const MAX_PHOTO_BYTES: u64 = 25 * 1024 * 1024;
/// Longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// A photo known to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPhoto {
    pub sha256: PhotoHash,
    pub byte_len: u64,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub path: PathBuf,
}

/// A photo read, checked and thumbnailed, not yet stored: checking every photo of an entry
/// before storing any means a bad one leaves nothing behind.
#[derive(Debug, Clone)]
pub struct PreparedPhoto {
    source: PathBuf,
    bytes: Vec<u8>,
    sha256: PhotoHash,
    media_type: &'static str,
    width: u32,
    height: u32,
    thumbnail: Vec<u8>,
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

    pub fn sha256(&self) -> &PhotoHash {
        &self.sha256
    }

    pub fn source(&self) -> &Path {
        &self.source
    }
}

/// The checks shared by files and bytes: a JPEG or PNG that decodes, and its thumbnail.
fn prepare(
    source: &Path,
    bytes: Vec<u8>,
    photo_error: &dyn Fn(&str, String) -> DeviceError,
) -> Result<PreparedPhoto, DeviceError> {
    let format = image::guess_format(&bytes)
        .ok()
        .filter(|format| matches!(format, ImageFormat::Jpeg | ImageFormat::Png))
        .ok_or_else(|| photo_error("不是 JPEG 或 PNG 照片", "not a JPEG or PNG image".into()))?;
    let picture = image::load_from_memory_with_format(&bytes, format)
        .map_err(|error| photo_error("照片已损坏，无法打开", error.to_string()))?;
    let (width, height) = picture.dimensions();
    let mut thumbnail = Vec::new();
    picture
        .thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE)
        .to_rgb8()
        .write_to(&mut std::io::Cursor::new(&mut thumbnail), ImageFormat::Jpeg)
        .map_err(|error| photo_error("无法生成缩略图", error.to_string()))?;
    let sha256 = PhotoHash::try_from(hex::encode(Sha256::digest(&bytes)))
        .map_err(|reason| DeviceError::Damaged(format!("photo digest: {reason}")))?;
    Ok(PreparedPhoto {
        source: source.to_path_buf(),
        bytes,
        sha256,
        media_type: match format {
            ImageFormat::Png => "image/png",
            _ => "image/jpeg",
        },
        width,
        height,
        thumbnail,
    })
}

impl DeviceStore {
    /// Copies a photo into the store (once, however often it is imported) with its thumbnail.
    pub fn import_photo(&mut self, source: &Path) -> Result<StoredPhoto, DeviceError> {
        let prepared = PreparedPhoto::read(source)?;
        self.store_photo(prepared)
    }

    /// Stores a photo already read and checked.
    pub fn store_photo(&mut self, photo: PreparedPhoto) -> Result<StoredPhoto, DeviceError> {
        let path = self.photo_path(&photo.sha256);
        if !path.exists() {
            write_file_durably(&path, &photo.bytes)?;
        }
        self.connection.execute(
            "INSERT INTO photos (sha256, byte_len, media_type, width, height, thumbnail,
                                 created_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (sha256) DO NOTHING",
            params![
                photo.sha256.as_str(),
                photo.bytes.len() as i64,
                photo.media_type,
                photo.width,
                photo.height,
                photo.thumbnail,
                Utc::now().timestamp_millis()
            ],
        )?;
        Ok(StoredPhoto {
            sha256: photo.sha256,
            byte_len: photo.bytes.len() as u64,
            media_type: photo.media_type.to_string(),
            width: photo.width,
            height: photo.height,
            path,
        })
    }

    /// Where a photo's bytes live.
    pub fn photo_path(&self, sha256: &PhotoHash) -> PathBuf {
        let hex = sha256.as_str();
        self.data_dir.join("photos").join(&hex[..2]).join(hex)
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

/// An entry may only reference photos the store holds.
pub(crate) fn check_photo_is_stored(
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

/// Writes to a temporary file, fsyncs, then renames: a crash leaves either no file or all of it.
fn write_file_durably(path: &Path, bytes: &[u8]) -> Result<(), DeviceError> {
    let io_error = |source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let directory = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(directory).map_err(io_error)?;
    let temporary = path.with_extension("partial");
    let mut file = std::fs::File::create(&temporary).map_err(io_error)?;
    file.write_all(bytes).map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    std::fs::rename(&temporary, path).map_err(io_error)?;
    if let Ok(directory_handle) = std::fs::File::open(directory) {
        let _ = directory_handle.sync_all();
    }
    Ok(())
}
