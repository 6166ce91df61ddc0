//! Photo upload after the records: every thumbnail first (the county sees something soon even
//! on a weak link), then the originals; each resumable from the offset the server reports.

use super::client::SyncClient;
use super::engine::{lock, SyncOptions, SyncPhase, SyncProgress, SyncReport};
use crate::error::DeviceError;
use crate::store::DeviceStore;
use std::sync::Mutex;

pub(super) async fn upload_photos(
    store: &Mutex<DeviceStore>,
    client: &SyncClient,
    token: &str,
    options: &SyncOptions,
    progress_state: &mut SyncProgress,
    progress: &(dyn Fn(&SyncProgress) + Send + Sync),
    report: &mut SyncReport,
) -> Result<u64, DeviceError> {
    let uploads = lock(store).photos_to_upload()?;
    if uploads.is_empty() {
        return Ok(0);
    }
    progress_state.phase = SyncPhase::Photos;
    progress_state.bytes_total = uploads.iter().map(|upload| upload.byte_len).sum();
    progress_state.bytes_done = 0;
    progress(progress_state);
    let mut uploaded = 0;
    for upload in uploads {
        let bytes = lock(store).photo_bytes(&upload)?;
        let total = bytes.len() as u64;
        let variant_sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        let mut offset = client
            .photo_offset(token, upload.sha256.as_str(), upload.variant)
            .await?;
        report.requests += 1;
        // Each chunk may be refused and resent a few times, not forever.
        let mut patches_left = 3 * (total / options.photo_chunk_bytes.max(1) as u64 + 1);
        while offset < total {
            if patches_left == 0 {
                return Err(DeviceError::Protocol(format!(
                    "photo {} ({}) does not upload: the server keeps refusing its chunks",
                    upload.sha256, upload.variant
                )));
            }
            patches_left -= 1;
            let end = (offset as usize + options.photo_chunk_bytes.max(1)).min(bytes.len());
            let chunk = bytes[offset as usize..end].to_vec();
            report.bytes_up += chunk.len() as u64;
            let next = client
                .photo_chunk(
                    token,
                    upload.sha256.as_str(),
                    upload.variant,
                    &variant_sha256,
                    offset,
                    total,
                    chunk,
                )
                .await?;
            report.requests += 1;
            if next <= offset && next < total {
                // The server went back (it dropped a bad upload): start again from there.
                progress_state.bytes_done = progress_state.bytes_done.saturating_sub(offset - next);
            } else {
                progress_state.bytes_done += next - offset;
            }
            offset = next;
            progress(progress_state);
        }
        lock(store).mark_photo_uploaded(&upload)?;
        uploaded += 1;
    }
    Ok(uploaded)
}
