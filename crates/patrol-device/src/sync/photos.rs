//! The photo step, after the records: every thumbnail first (the county sees something soon
//! even on a weak link), then the photos themselves, in chunks sized to the measured link. A
//! variant never begun starts at 0; one begun before resumes from the offset the server
//! reports. Between chunks it checks the outbox: a record the member made meanwhile goes first,
//! so a new entry never waits behind a photo.

use super::client::PhotoChunk;
use super::engine::{lock, SyncPhase};
use super::run::SyncRun;
use crate::error::DeviceError;
use crate::store::sync_state::PhotoUpload;

/// How the photo step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PhotosOutcome {
    Done,
    /// Records are waiting in the outbox: push them, then come back.
    RecordsWaiting,
}

/// The smallest chunk worth a request.
const MIN_CHUNK_BYTES: usize = 4 * 1024;

pub(super) async fn upload_photos(run: &mut SyncRun<'_>) -> Result<PhotosOutcome, DeviceError> {
    let uploads = lock(run.store).photos_to_upload()?;
    if uploads.is_empty() {
        run.photo_bytes_left = 0;
        return Ok(PhotosOutcome::Done);
    }
    run.progress.bytes_total = uploads.iter().map(|upload| upload.byte_len).sum();
    run.progress.bytes_done = 0;
    run.photo_bytes_finished = 0;
    run.photo_bytes_left = run.progress.bytes_total;
    run.set_phase(SyncPhase::Photos);
    for upload in uploads {
        let bytes = lock(run.store).photo_bytes(&upload)?;
        loop {
            match upload_variant(run, &upload, &bytes).await {
                Ok(VariantOutcome::Uploaded) => break,
                Ok(VariantOutcome::RecordsWaiting) => return Ok(PhotosOutcome::RecordsWaiting),
                Err(error) => run.failed(error).await?,
            }
        }
        lock(run.store).mark_photo_uploaded(&upload)?;
        run.photo_bytes_finished += upload.byte_len;
        run.report.photos_uploaded += 1;
    }
    Ok(PhotosOutcome::Done)
}

enum VariantOutcome {
    Uploaded,
    RecordsWaiting,
}

/// One photo variant from the offset the server has to its end, a chunk a request.
async fn upload_variant(
    run: &mut SyncRun<'_>,
    upload: &PhotoUpload,
    bytes: &[u8],
) -> Result<VariantOutcome, DeviceError> {
    let total = bytes.len() as u64;
    let sha256 = upload.sha256.as_str();
    let variant_sha256 = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
    let mut offset = server_offset(run, upload).await?;
    count_done(run, offset.min(total));
    // Each chunk may be refused and resent a few times, not forever.
    let mut refusals_left = 3 + total / MIN_CHUNK_BYTES as u64;
    while offset < total {
        if lock(run.store).pending_outbox_count()? > 0 {
            return Ok(VariantOutcome::RecordsWaiting);
        }
        let size = run.link.photo_chunk_bytes(
            run.options.photo_chunk_time,
            run.options.max_photo_chunk_bytes.max(MIN_CHUNK_BYTES),
        );
        let end = (offset as usize).saturating_add(size).min(bytes.len());
        let chunk = PhotoChunk {
            sha256,
            variant: upload.variant,
            offset,
            total,
            variant_sha256: &variant_sha256,
            chunk: &bytes[offset as usize..end],
        };
        let (next, transfer) = run.client.photo_chunk(run.token, chunk, &run.watch).await?;
        run.answered(transfer);
        if next <= offset {
            // Refused (409 with an offset we did not expect, or the server dropped a bad upload).
            if refusals_left == 0 {
                return Err(DeviceError::Protocol(format!(
                    "photo {sha256} ({}) does not upload: the server keeps refusing its chunks",
                    upload.variant
                )));
            }
            refusals_left -= 1;
        }
        offset = next.min(total);
        count_done(run, offset);
    }
    Ok(VariantOutcome::Uploaded)
}

/// Where the variant's upload goes on: 0 for a variant never begun (recorded as begun before
/// its first chunk, so a cut or a restart asks next time), else the server's offset (`HEAD`).
async fn server_offset(run: &mut SyncRun<'_>, upload: &PhotoUpload) -> Result<u64, DeviceError> {
    if !lock(run.store).photo_upload_begun(upload)? {
        lock(run.store).begin_photo_upload(upload)?;
        return Ok(0);
    }
    let (offset, round_trip) = run
        .client
        .photo_offset(
            run.token,
            upload.sha256.as_str(),
            upload.variant,
            &run.watch,
        )
        .await?;
    run.report.requests += 1;
    run.link.completed(0, round_trip);
    Ok(offset)
}

/// Records that the current variant has `offset` bytes on the server.
fn count_done(run: &mut SyncRun<'_>, offset: u64) {
    run.progress.bytes_done = run.photo_bytes_finished + offset;
    run.photo_bytes_left = run
        .progress
        .bytes_total
        .saturating_sub(run.progress.bytes_done);
    run.report_progress();
}
