//! Photo files under the data dir, content-addressed and uploaded in chunks that can resume:
//! `photos/ab/<sha256>.<variant>` once complete, `photos/partial/<sha256>.<variant>` while
//! arriving. Each chunk is fsynced before it is acknowledged.

use axum::body::Bytes;
use patrol_model::PhotoHash;
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use tokio::sync::Mutex;

/// The largest chunk of one `PATCH`.
pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;
/// The largest photo (the device refuses more than 25 MB).
pub const MAX_PHOTO_BYTES: u64 = 32 * 1024 * 1024;

/// Which file of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoVariant {
    Thumbnail,
    Original,
}

impl PhotoVariant {
    fn as_str(self) -> &'static str {
        match self {
            PhotoVariant::Thumbnail => "thumbnail",
            PhotoVariant::Original => "original",
        }
    }
}

impl FromStr for PhotoVariant {
    type Err = ();
    fn from_str(text: &str) -> Result<Self, ()> {
        match text {
            "thumbnail" => Ok(PhotoVariant::Thumbnail),
            "original" => Ok(PhotoVariant::Original),
            _ => Err(()),
        }
    }
}

/// How much of an upload the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadStatus {
    pub offset: u64,
    pub complete: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("wrong offset: the server has {server_offset} bytes")]
    WrongOffset { server_offset: u64 },
    #[error("the chunk's checksum does not match")]
    ChunkChecksum,
    #[error("the whole file's checksum does not match its name")]
    WholeChecksum,
    #[error("more than {0} bytes")]
    TooLarge(u64),
    #[error("{0}")]
    Invalid(String),
    #[error("photo file: {0}")]
    Io(#[from] std::io::Error),
}

/// The photo folder. One upload step at a time (uploads are small and rare).
pub struct PhotoStore {
    root: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl PhotoStore {
    pub async fn open(data_dir: &Path) -> Result<Self, std::io::Error> {
        let root = data_dir.join("photos");
        tokio::fs::create_dir_all(root.join("partial")).await?;
        Ok(Self {
            root,
            lock: Arc::new(Mutex::new(())),
        })
    }

    fn complete_path(&self, hash: &PhotoHash, variant: PhotoVariant) -> PathBuf {
        self.root
            .join(&hash.as_str()[..2])
            .join(format!("{hash}.{}", variant.as_str()))
    }

    fn partial_path(&self, hash: &PhotoHash, variant: PhotoVariant) -> PathBuf {
        self.root
            .join("partial")
            .join(format!("{hash}.{}", variant.as_str()))
    }

    pub async fn status(
        &self,
        hash: &PhotoHash,
        variant: PhotoVariant,
    ) -> Result<UploadStatus, PhotoError> {
        let _guard = self.lock.lock().await;
        let (complete, partial) = (
            self.complete_path(hash, variant),
            self.partial_path(hash, variant),
        );
        Ok(
            tokio::task::spawn_blocking(move || current_status(&complete, &partial))
                .await
                .map_err(std::io::Error::other)??,
        )
    }

    /// The bytes of a completely uploaded photo file; `None` while it is missing or partial.
    pub async fn read_complete(
        &self,
        hash: &PhotoHash,
        variant: PhotoVariant,
    ) -> Result<Option<Vec<u8>>, PhotoError> {
        match tokio::fs::read(self.complete_path(hash, variant)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Appends one chunk at `offset` of a `length`-byte file whose chunk hashes to `checksum`.
    pub async fn append(
        &self,
        hash: &PhotoHash,
        variant: PhotoVariant,
        offset: u64,
        length: u64,
        checksum: &str,
        chunk: Bytes,
    ) -> Result<UploadStatus, PhotoError> {
        if length > MAX_PHOTO_BYTES {
            return Err(PhotoError::TooLarge(MAX_PHOTO_BYTES));
        }
        if hex::encode(Sha256::digest(&chunk)) != checksum {
            return Err(PhotoError::ChunkChecksum);
        }
        let end = offset + chunk.len() as u64;
        if end > length {
            return Err(PhotoError::Invalid(format!(
                "the chunk ends at byte {end}, past Upload-Length {length}"
            )));
        }
        let _guard = self.lock.lock().await;
        let (complete, partial) = (
            self.complete_path(hash, variant),
            self.partial_path(hash, variant),
        );
        let name = hash.as_str().to_string();
        tokio::task::spawn_blocking(move || {
            let status = current_status(&complete, &partial)?;
            if status.complete || status.offset != offset {
                return Err(PhotoError::WrongOffset {
                    server_offset: status.offset,
                });
            }
            let mut file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&partial)?;
            file.write_all(&chunk)?;
            file.sync_data()?;
            if end < length {
                return Ok(UploadStatus {
                    offset: end,
                    complete: false,
                });
            }
            if variant == PhotoVariant::Original && file_sha256(&partial)? != name {
                fs::remove_file(&partial)?;
                return Err(PhotoError::WholeChecksum);
            }
            if let Some(folder) = complete.parent() {
                fs::create_dir_all(folder)?;
            }
            fs::rename(&partial, &complete)?;
            if let Some(folder) = complete.parent() {
                File::open(folder)?.sync_all()?;
            }
            Ok(UploadStatus {
                offset: end,
                complete: true,
            })
        })
        .await
        .map_err(std::io::Error::other)?
    }
}

fn current_status(complete: &Path, partial: &Path) -> Result<UploadStatus, std::io::Error> {
    if let Ok(meta) = fs::metadata(complete) {
        return Ok(UploadStatus {
            offset: meta.len(),
            complete: true,
        });
    }
    match fs::metadata(partial) {
        Ok(meta) => Ok(UploadStatus {
            offset: meta.len(),
            complete: false,
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(UploadStatus {
            offset: 0,
            complete: false,
        }),
        Err(error) => Err(error),
    }
}

fn file_sha256(path: &Path) -> Result<String, std::io::Error> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex::encode(hasher.finalize()))
}
