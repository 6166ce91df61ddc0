//! One `PATCH` of an upload: its headers checked against each other, then its bytes appended to
//! the device's partial file as they arrive. A chunk that arrives whole is fsynced before it is
//! acknowledged; one cut off keeps (and fsyncs) what arrived, so a cut loses only what was in
//! flight. The variant's last byte triggers the whole-file checks and the move into place.

use super::verify::check_variant;
use super::{
    current_status, sync_folder_of, PhotoError, PhotoStore, PhotoVariant, UploadStatus,
    UploadTarget, MAX_CHUNK_BYTES,
};
use crate::private_files;
use patrol_model::PhotoHash;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use tokio::fs::File;
use tokio::io::AsyncWriteExt;
use tokio::sync::OwnedMutexGuard;

/// What one `PATCH` says about its chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChunkRequest {
    /// `Upload-Offset`: where the chunk starts.
    pub offset: u64,
    /// `Upload-Length`: the whole variant's size.
    pub length: u64,
    /// `Upload-Sha256`: the whole variant's SHA-256 (an original's is its name).
    pub declared: PhotoHash,
    /// `Chunk-Sha256`, checked when the chunk arrives whole.
    pub chunk_sha256: Option<String>,
    /// `Content-Length`, when the request has one.
    pub content_length: Option<u64>,
}

impl ChunkRequest {
    /// The headers against each other and the variant's limits; each problem names its header.
    fn check(&self, target: &UploadTarget) -> Result<(), PhotoError> {
        if self.length == 0 {
            return Err(PhotoError::header(
                "Upload-Length",
                "a photo file has at least one byte",
            ));
        }
        if self.length > target.variant.max_bytes() {
            return Err(PhotoError::TooLarge(target.variant.max_bytes()));
        }
        if self.offset > self.length {
            return Err(PhotoError::header(
                "Upload-Offset",
                format!("{} is past Upload-Length {}", self.offset, self.length),
            ));
        }
        if let Some(content_length) = self.content_length {
            if content_length > MAX_CHUNK_BYTES as u64 {
                return Err(PhotoError::ChunkTooLarge(MAX_CHUNK_BYTES));
            }
            let end = self.offset.checked_add(content_length).ok_or_else(|| {
                PhotoError::header("Upload-Offset", "Upload-Offset + Content-Length overflows")
            })?;
            if end > self.length {
                return Err(PhotoError::header(
                    "Content-Length",
                    format!(
                        "the chunk would end at byte {end}, past Upload-Length {}",
                        self.length
                    ),
                ));
            }
        }
        if target.variant == PhotoVariant::Original && self.declared != target.hash {
            return Err(PhotoError::header(
                "Upload-Sha256",
                "an original's Upload-Sha256 is its name, the SHA-256 in the path",
            ));
        }
        Ok(())
    }
}

/// How a `PATCH` begins.
pub enum ChunkStart {
    /// The post has this variant already: nothing more to send (`offset` is the device's
    /// `Upload-Length`, so it moves on).
    AlreadyComplete(UploadStatus),
    /// Send the bytes here.
    Write(Box<ChunkWriter>),
}

/// A chunk being written to its partial file. Holds the upload's turn until it is dropped.
pub struct ChunkWriter {
    file: File,
    partial: PathBuf,
    complete: PathBuf,
    variant: PhotoVariant,
    name: PhotoHash,
    request: ChunkRequest,
    written: u64,
    hasher: Sha256,
    _turn: OwnedMutexGuard<()>,
}

impl PhotoStore {
    /// Checks a `PATCH`'s headers and its offset against what the device has sent so far.
    pub async fn begin_chunk(
        &self,
        target: &UploadTarget,
        request: ChunkRequest,
    ) -> Result<ChunkStart, PhotoError> {
        request.check(target)?;
        let complete = self.complete_path(target.post, &target.hash, target.variant);
        let partial = self.partial_path(target);
        let turn = self.upload_turn(&partial).await?;
        let status = {
            let (complete, partial) = (complete.clone(), partial.clone());
            tokio::task::spawn_blocking(move || current_status(&complete, &partial))
                .await
                .map_err(std::io::Error::other)??
        };
        if status.complete {
            return Ok(ChunkStart::AlreadyComplete(UploadStatus {
                offset: request.length,
                complete: true,
            }));
        }
        if status.offset != request.offset {
            return Err(PhotoError::WrongOffset {
                server_offset: status.offset,
            });
        }
        if let Some(folder) = partial.parent() {
            let folder = folder.to_path_buf();
            tokio::task::spawn_blocking(move || private_files::create_private_dir_all(&folder))
                .await
                .map_err(std::io::Error::other)??;
        }
        let file = private_files::private_tokio_open_options()
            .create(true)
            .append(true)
            .open(&partial)
            .await?;
        Ok(ChunkStart::Write(Box::new(ChunkWriter {
            file,
            partial,
            complete,
            variant: target.variant,
            name: target.hash.clone(),
            request,
            written: 0,
            hasher: Sha256::new(),
            _turn: turn,
        })))
    }
}

impl ChunkWriter {
    fn end(&self) -> u64 {
        self.request.offset + self.written
    }

    /// Appends bytes as they arrive; more than a chunk may hold, or past `Upload-Length`, drops
    /// the whole chunk.
    pub async fn write(&mut self, bytes: &[u8]) -> Result<(), PhotoError> {
        let written = self.written + bytes.len() as u64;
        if written > MAX_CHUNK_BYTES as u64 {
            self.drop_chunk().await?;
            return Err(PhotoError::ChunkTooLarge(MAX_CHUNK_BYTES));
        }
        if self.request.offset + written > self.request.length {
            self.drop_chunk().await?;
            return Err(PhotoError::header(
                "Upload-Length",
                format!("the chunk goes past byte {}", self.request.length),
            ));
        }
        self.file.write_all(bytes).await?;
        self.hasher.update(bytes);
        self.written = written;
        Ok(())
    }

    /// The body ended: a whole chunk is checked, fsynced and acknowledged; a short one (fewer
    /// bytes than its `Content-Length`) is kept as a cut.
    pub async fn finish(mut self) -> Result<UploadStatus, PhotoError> {
        if self
            .request
            .content_length
            .is_some_and(|length| self.written < length)
        {
            return self.keep_cut().await;
        }
        if let Some(expected) = &self.request.chunk_sha256 {
            if hex::encode(self.hasher.clone().finalize()) != *expected {
                self.drop_chunk().await?;
                return Err(PhotoError::ChunkChecksum);
            }
        }
        self.file.sync_data().await?;
        self.settle().await
    }

    /// The body broke off (the client went away, or sent nothing for too long): what arrived
    /// is kept and fsynced, so the next `HEAD` reports it. Answers [`PhotoError::Cut`] unless
    /// the cut came after the variant's last byte.
    pub async fn keep_cut(self) -> Result<UploadStatus, PhotoError> {
        self.file.sync_data().await?;
        let status = self.settle().await?;
        if status.complete {
            return Ok(status);
        }
        Err(PhotoError::Cut {
            kept_through: status.offset,
        })
    }

    /// Takes the chunk's bytes out of the partial file again.
    async fn drop_chunk(&mut self) -> Result<(), PhotoError> {
        self.file.set_len(self.request.offset).await?;
        self.file.sync_data().await?;
        self.written = 0;
        Ok(())
    }

    /// After the bytes are durable: the status, or, at the last byte, the checks and the move.
    async fn settle(self) -> Result<UploadStatus, PhotoError> {
        let end = self.end();
        let ChunkWriter {
            file,
            partial,
            complete,
            variant,
            name,
            request,
            _turn,
            ..
        } = self;
        drop(file);
        tokio::task::spawn_blocking(move || {
            if request.offset == 0 {
                sync_folder_of(&partial)?;
            }
            if end < request.length {
                return Ok(UploadStatus {
                    offset: end,
                    complete: false,
                });
            }
            complete_upload(&partial, &complete, variant, &name, &request.declared)?;
            Ok(UploadStatus {
                offset: request.length,
                complete: true,
            })
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

/// The whole variant is here: checked, then linked into place (never over a complete file, so
/// the first verified copy of a post stays), and the partial file removed. A refused variant's
/// partial file is removed too, so the device starts over.
fn complete_upload(
    partial: &Path,
    complete: &Path,
    variant: PhotoVariant,
    name: &PhotoHash,
    declared: &PhotoHash,
) -> Result<(), PhotoError> {
    if let Err(refusal) = check_variant(partial, variant, name, declared)? {
        fs::remove_file(partial)?;
        sync_folder_of(partial)?;
        return Err(PhotoError::Refused(refusal));
    }
    if let Some(folder) = complete.parent() {
        private_files::create_private_dir_all(folder)?;
    }
    match fs::hard_link(partial, complete) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error.into()),
    }
    sync_folder_of(complete)?;
    fs::remove_file(partial)?;
    sync_folder_of(partial)?;
    if let Some(folder) = partial.parent() {
        // The device's partial folder goes once it holds nothing.
        let _ = fs::remove_dir(folder);
    }
    Ok(())
}
