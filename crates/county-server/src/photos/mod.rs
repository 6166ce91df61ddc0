//! Photo files under the data dir, kept per post: a photo belongs to the post whose device
//! uploads it, so no device can see or change another post's photos.
//!
//! ```text
//! photos/<post_id>/<ab>/<sha256>.<variant>                   complete and verified
//! photos/<post_id>/partial/<device_id>/<sha256>.<variant>    arriving, one file per device
//! photos/unclaimed/<sha256>.<variant>                        files of the old layout that no
//!                                                            entry claims or that fail the checks
//! ```
//!
//! A chunk is written to its partial file as it streams in ([`chunk`]) and fsynced before it is
//! acknowledged; a chunk cut off keeps what arrived. When the last byte of a variant arrives the
//! whole file is checked ([`verify`]) and linked into place, never over a complete file. The
//! old layout (`photos/ab/<sha256>.<variant>`, one copy for every post) is moved on open into
//! the posts whose entries list the photo ([`legacy`]).

mod chunk;
mod legacy;
mod verify;

pub use chunk::{ChunkRequest, ChunkStart, ChunkWriter};
pub use legacy::LegacyAdoption;

use crate::error::StorageError;
use crate::private_files;
use patrol_model::{DeviceId, PhotoHash, PostId};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex as SyncMutex};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// The largest chunk of one `PATCH`.
pub const MAX_CHUNK_BYTES: usize = 1024 * 1024;
/// The largest photo (the device refuses more than 25 MB).
pub const MAX_PHOTO_BYTES: u64 = 32 * 1024 * 1024;
/// The largest thumbnail (a 320 px JPEG is tens of kilobytes).
pub const MAX_THUMBNAIL_BYTES: u64 = 512 * 1024;
/// The longest edge of a thumbnail, in pixels (the device makes them 320 px).
pub const THUMBNAIL_SIDE: u32 = 320;
/// How long a `PATCH` waits for an earlier one of the same upload (a connection the device
/// already gave up on) to end.
const UPLOAD_LOCK_WAIT: Duration = Duration::from_secs(60);

/// Which file of a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhotoVariant {
    Thumbnail,
    Original,
}

impl PhotoVariant {
    pub fn as_str(self) -> &'static str {
        match self {
            PhotoVariant::Thumbnail => "thumbnail",
            PhotoVariant::Original => "original",
        }
    }

    /// The largest file of this variant.
    pub fn max_bytes(self) -> u64 {
        match self {
            PhotoVariant::Thumbnail => MAX_THUMBNAIL_BYTES,
            PhotoVariant::Original => MAX_PHOTO_BYTES,
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

/// One variant of one photo as one device of a post uploads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadTarget {
    pub post: PostId,
    pub device: DeviceId,
    pub hash: PhotoHash,
    pub variant: PhotoVariant,
}

/// How much of an upload the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadStatus {
    pub offset: u64,
    pub complete: bool,
}

/// Why a variant was refused when its last byte arrived (the partial file is dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// An original's SHA-256 differs from its name.
    NameMismatch,
    /// A thumbnail's SHA-256 differs from the `Upload-Sha256` the device declared.
    DeclaredMismatch,
    /// Not a JPEG (thumbnail) or a JPEG/PNG (original) that decodes.
    NotAnImage(String),
    /// A thumbnail longer than [`THUMBNAIL_SIDE`] on its long edge.
    ThumbnailTooLarge { width: u32, height: u32 },
}

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("wrong offset: the server has {server_offset} bytes")]
    WrongOffset { server_offset: u64 },
    #[error("the chunk's checksum does not match")]
    ChunkChecksum,
    #[error("header {header}: {reason}")]
    BadHeader {
        header: &'static str,
        reason: String,
    },
    #[error("more than {0} bytes")]
    TooLarge(u64),
    #[error("a chunk of more than {0} bytes")]
    ChunkTooLarge(usize),
    #[error("the variant was refused: {0:?}")]
    Refused(Refusal),
    #[error("the chunk ended early at offset {kept_through}; what arrived is kept")]
    Cut { kept_through: u64 },
    #[error("another upload of this photo by this device is still running")]
    Busy { server_offset: u64 },
    #[error("photo file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl PhotoError {
    fn header(header: &'static str, reason: impl Into<String>) -> Self {
        PhotoError::BadHeader {
            header,
            reason: reason.into(),
        }
    }
}

/// Creates the data dir and its photo folder (`0700`), and makes every photo already there
/// `0600` and every folder `0700`.
fn make_owner_only(data_dir: &Path, photos: &Path) -> Result<(), std::io::Error> {
    private_files::create_private_dir_all(photos)?;
    let changed =
        u64::from(private_files::restrict_dir(data_dir)?) + private_files::restrict_tree(photos)?;
    if changed > 0 {
        tracing::warn!(
            changed,
            folder = %data_dir.display(),
            "files or folders others could read: made them 0600 / 0700"
        );
    }
    Ok(())
}

/// The photo folder. Uploads of different photos or devices run side by side; two `PATCH`es of
/// one device's upload take turns.
pub struct PhotoStore {
    root: PathBuf,
    uploads: SyncMutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
}

impl PhotoStore {
    pub async fn open(data_dir: &Path) -> Result<Self, std::io::Error> {
        let root = data_dir.join("photos");
        let (data_dir, folder) = (data_dir.to_path_buf(), root.clone());
        tokio::task::spawn_blocking(move || make_owner_only(&data_dir, &folder))
            .await
            .map_err(std::io::Error::other)??;
        Ok(Self {
            root,
            uploads: SyncMutex::new(HashMap::new()),
        })
    }

    fn post_dir(&self, post: PostId) -> PathBuf {
        self.root.join(post.to_string())
    }

    fn complete_path(&self, post: PostId, hash: &PhotoHash, variant: PhotoVariant) -> PathBuf {
        self.post_dir(post)
            .join(&hash.as_str()[..2])
            .join(file_name(hash, variant))
    }

    fn partial_path(&self, target: &UploadTarget) -> PathBuf {
        self.post_dir(target.post)
            .join("partial")
            .join(target.device.to_string())
            .join(file_name(&target.hash, target.variant))
    }

    /// What a device's `HEAD` sees: complete when its post has the variant (whichever of the
    /// post's devices sent it), else how much of its own partial file there is. Another post's
    /// files are never looked at.
    pub async fn status(&self, target: &UploadTarget) -> Result<UploadStatus, PhotoError> {
        let complete = self.complete_path(target.post, &target.hash, target.variant);
        let partial = self.partial_path(target);
        Ok(
            tokio::task::spawn_blocking(move || current_status(&complete, &partial))
                .await
                .map_err(std::io::Error::other)??,
        )
    }

    /// Whether `post` has this variant of the photo, complete.
    pub async fn is_complete(
        &self,
        post: PostId,
        hash: &PhotoHash,
        variant: PhotoVariant,
    ) -> Result<bool, PhotoError> {
        Ok(tokio::fs::try_exists(self.complete_path(post, hash, variant)).await?)
    }

    /// The bytes of a variant `post` has complete; `None` while it is missing or partial.
    pub async fn read_complete(
        &self,
        post: PostId,
        hash: &PhotoHash,
        variant: PhotoVariant,
    ) -> Result<Option<Vec<u8>>, PhotoError> {
        match tokio::fs::read(self.complete_path(post, hash, variant)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Waits for the turn of one device's upload (a `PATCH` of it that is still streaming
    /// finishes first, or is given up on after a while).
    async fn upload_turn(&self, partial: &Path) -> Result<OwnedMutexGuard<()>, PhotoError> {
        let lock = {
            let mut uploads = self
                .uploads
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            uploads.retain(|_, lock| Arc::strong_count(lock) > 1);
            uploads.entry(partial.to_path_buf()).or_default().clone()
        };
        match tokio::time::timeout(UPLOAD_LOCK_WAIT, lock.lock_owned()).await {
            Ok(guard) => Ok(guard),
            Err(_) => Err(PhotoError::Busy {
                server_offset: file_len(partial)?.unwrap_or(0),
            }),
        }
    }
}

fn file_name(hash: &PhotoHash, variant: PhotoVariant) -> String {
    format!("{hash}.{}", variant.as_str())
}

/// The length of a file, `None` when there is none.
fn file_len(path: &Path) -> Result<Option<u64>, std::io::Error> {
    match fs::metadata(path) {
        Ok(meta) => Ok(Some(meta.len())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

fn current_status(complete: &Path, partial: &Path) -> Result<UploadStatus, std::io::Error> {
    if let Some(length) = file_len(complete)? {
        return Ok(UploadStatus {
            offset: length,
            complete: true,
        });
    }
    Ok(UploadStatus {
        offset: file_len(partial)?.unwrap_or(0),
        complete: false,
    })
}

/// Makes a file's new name durable: fsyncs the folder that holds it.
fn sync_folder_of(path: &Path) -> Result<(), std::io::Error> {
    match path.parent() {
        Some(folder) => fs::File::open(folder)?.sync_all(),
        None => Ok(()),
    }
}
