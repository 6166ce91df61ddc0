//! Photos from the camera or the gallery: checked and stored once (the camera file kept, and the
//! send version that syncs named by its SHA-256, patrol-device's store/photos.rs), and their
//! thumbnails as `data:` URLs for the UI (no file path leaves the shell).

use base64::Engine;
use patrol_device::{DeviceError, PreparedPhoto, MAX_PHOTO_BYTES};
use patrol_model::PhotoHash;
use serde::Serialize;
use tauri::State;

use crate::{lock_store, unlocked_member, AppError, SessionState, StoreState};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportedPhoto {
    pub sha256: PhotoHash,
    pub thumbnail_data_url: String,
}

/// Checks and stores a photo the UI read (base64 of the file's bytes); a bad one is an
/// `invalid` error on `photos`.
#[tauri::command]
pub async fn import_photo(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    bytes_base64: String,
    file_name: String,
) -> Result<ImportedPhoto, AppError> {
    unlocked_member(&session)?;
    let bytes = decode_photo(&bytes_base64, &file_name)?;
    // Decoding and thumbnailing take a while: done before the store is locked.
    let photo = PreparedPhoto::from_bytes(&file_name, bytes)?;
    let mut store = lock_store(&store)?;
    let stored = store.store_photo(photo)?;
    let thumbnail = store.photo_thumbnail(&stored.sha256)?.unwrap_or_default();
    Ok(ImportedPhoto {
        sha256: stored.sha256,
        thumbnail_data_url: jpeg_data_url(&thumbnail),
    })
}

/// The thumbnail of a stored photo as a `data:image/jpeg;base64,` URL, or `null`.
#[tauri::command]
pub async fn photo_thumbnail(
    store: State<'_, StoreState>,
    session: State<'_, SessionState>,
    sha256: String,
) -> Result<Option<String>, AppError> {
    unlocked_member(&session)?;
    let sha256 = PhotoHash::try_from(sha256).map_err(|reason| {
        DeviceError::invalid_field(
            "sha256",
            "照片编号无效",
            format!("bad photo hash: {reason}"),
        )
    })?;
    let thumbnail = lock_store(&store)?.photo_thumbnail(&sha256)?;
    Ok(thumbnail.map(|bytes| jpeg_data_url(&bytes)))
}

fn decode_photo(bytes_base64: &str, file_name: &str) -> Result<Vec<u8>, DeviceError> {
    let too_large = (MAX_PHOTO_BYTES as usize).div_ceil(3) * 4 + 4;
    if bytes_base64.len() > too_large {
        return Err(DeviceError::invalid_field(
            "photos",
            format!("照片“{file_name}”太大（最多 25 MB）"),
            format!("photo {file_name:?} is larger than {MAX_PHOTO_BYTES} bytes"),
        ));
    }
    base64::engine::general_purpose::STANDARD
        .decode(bytes_base64.trim())
        .map_err(|error| {
            DeviceError::invalid_field(
                "photos",
                format!("照片“{file_name}”的数据无法读取"),
                format!("photo {file_name:?} is not base64: {error}"),
            )
        })
}

fn jpeg_data_url(jpeg: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_that_does_not_decode_is_invalid_on_photos() {
        let error = decode_photo("不是base64!!", "a.jpg").unwrap_err();
        let value = serde_json::to_value(AppError::from(error)).unwrap();
        assert_eq!(value["kind"], "invalid");
        assert_eq!(value["problems"][0]["field"], "photos");
        assert!(value["message"].as_str().unwrap().contains("a.jpg"));
    }

    #[test]
    fn decoded_bytes_are_the_photo_and_thumbnails_are_data_urls() {
        let bytes = vec![0xFF, 0xD8, 0xFF, 0x00, 0x10];
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert_eq!(decode_photo(&text, "a.jpg").unwrap(), bytes);
        let url = jpeg_data_url(&bytes);
        let encoded = url.strip_prefix("data:image/jpeg;base64,").unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .unwrap(),
            bytes
        );
    }
}
