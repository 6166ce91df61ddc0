//! Photo files at rest, and the one way to read or write their bytes: send versions and
//! camera originals are sealed with XChaCha20-Poly1305 under a key derived from the store's,
//! each with its own random 24-byte nonce, and authenticated together with the file's place in
//! the data directory (`photos/ab/<sha256>`), so a file moved or swapped does not open. The
//! sync's upload, the app and any export read photo bytes only through
//! [`DeviceStore::send_version_bytes`] and [`DeviceStore::original_bytes`].
//!
//! A sealed file is `PLSEAL01` ‖ nonce (24 bytes) ‖ ciphertext with its 16-byte tag. No JPEG
//! or PNG begins so, which is how [`seal_plain_photos`] tells the files an older version left.

use super::key::StoreKey;
use crate::error::DeviceError;
use crate::store::private_files::write_private_file_durably;
use crate::store::DeviceStore;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use patrol_model::PhotoHash;
use std::path::{Path, PathBuf};

/// What every sealed file begins with.
pub const SEALED_MAGIC: &[u8; 8] = b"PLSEAL01";
const NONCE_BYTES: usize = 24;

/// Whether `bytes` are a sealed file (as opposed to a plain photo an older version wrote).
pub fn is_sealed(bytes: &[u8]) -> bool {
    bytes.starts_with(SEALED_MAGIC)
}

fn cipher(key: &StoreKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.photo_file_key().as_ref().into())
}

/// The name a file is authenticated with: its path under the data directory, `/`-separated.
fn place_of(data_dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(data_dir).unwrap_or(path);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Seals `plain` for the file at `place`.
pub fn seal(key: &StoreKey, place: &str, plain: &[u8]) -> Result<Vec<u8>, DeviceError> {
    let mut nonce = [0u8; NONCE_BYTES];
    getrandom::fill(&mut nonce)
        .map_err(|error| DeviceError::Damaged(format!("no random bytes for a nonce: {error}")))?;
    let sealed = cipher(key)
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: place.as_bytes(),
            },
        )
        .map_err(|_| DeviceError::Damaged(format!("photo {place} could not be sealed")))?;
    let mut file = Vec::with_capacity(SEALED_MAGIC.len() + NONCE_BYTES + sealed.len());
    file.extend_from_slice(SEALED_MAGIC);
    file.extend_from_slice(&nonce);
    file.extend_from_slice(&sealed);
    Ok(file)
}

/// Opens a sealed file read from `path` (`place` is its place in the data directory).
pub fn unseal(
    key: &StoreKey,
    place: &str,
    path: &Path,
    file: &[u8],
) -> Result<Vec<u8>, DeviceError> {
    let damaged = |reason_zh: &str, reason_en: &str| DeviceError::Photo {
        path: path.to_path_buf(),
        reason_zh: reason_zh.to_string(),
        reason_en: reason_en.to_string(),
    };
    let header = SEALED_MAGIC.len() + NONCE_BYTES;
    if !is_sealed(file) || file.len() < header {
        return Err(damaged(
            "照片文件不是本机加密保存的格式",
            "the photo file is not sealed by this store",
        ));
    }
    cipher(key)
        .decrypt(
            XNonce::from_slice(&file[SEALED_MAGIC.len()..header]),
            Payload {
                msg: &file[header..],
                aad: place.as_bytes(),
            },
        )
        .map_err(|_| {
            damaged(
                "照片文件已损坏或被替换，无法用本机密钥解开",
                "the photo file is damaged or swapped: it does not open with this store's key",
            )
        })
}

impl DeviceStore {
    /// Writes a photo file sealed (0600, temporary file, fsync, rename).
    pub(crate) fn write_photo_file(&self, path: &Path, plain: &[u8]) -> Result<(), DeviceError> {
        let sealed = seal(&self.key, &place_of(&self.data_dir, path), plain)?;
        write_private_file_durably(path, &sealed)
    }

    /// Reads and opens a photo file.
    pub(crate) fn read_photo_file(&self, path: &Path) -> Result<Vec<u8>, DeviceError> {
        let file = std::fs::read(path).map_err(|source| DeviceError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        unseal(&self.key, &place_of(&self.data_dir, path), path, &file)
    }

    /// The bytes of a photo's send version (what the sync uploads), opened.
    pub fn send_version_bytes(&self, sha256: &PhotoHash) -> Result<Vec<u8>, DeviceError> {
        self.read_photo_file(&self.photo_path(sha256))
    }

    /// The bytes of a photo's camera original, opened; `None` once it was pruned or when the
    /// store holds no such photo.
    pub fn original_bytes(&self, sha256: &PhotoHash) -> Result<Option<Vec<u8>>, DeviceError> {
        match self.photo(sha256)? {
            Some(photo) if photo.original.kept => {
                self.read_photo_file(&photo.original.path).map(Some)
            }
            _ => Ok(None),
        }
    }
}

/// Seals every photo file under `data_dir/photos` that an older version left plain, each
/// written whole (temporary file, fsync, rename) before the next, so a crash leaves every file
/// either plain or sealed and the next run goes on. Leftover temporary files are removed.
/// Returns how many files were sealed; stops after `limit` files when given (tests of a crash
/// in the middle).
pub(crate) fn seal_plain_photos(
    data_dir: &Path,
    key: &StoreKey,
    limit: Option<u64>,
) -> Result<u64, DeviceError> {
    let mut files = Vec::new();
    collect_files(&data_dir.join(crate::PHOTOS_DIR_NAME), &mut files)?;
    let mut sealed = 0;
    for path in files {
        if limit.is_some_and(|limit| sealed >= limit) {
            break;
        }
        if path
            .extension()
            .is_some_and(|extension| extension == "partial")
        {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| DeviceError::Io {
            path: path.clone(),
            source,
        })?;
        if is_sealed(&bytes) {
            continue;
        }
        let file = seal(key, &place_of(data_dir, &path), &bytes)?;
        write_private_file_durably(&path, &file)?;
        sealed += 1;
    }
    Ok(sealed)
}

fn collect_files(directory: &Path, files: &mut Vec<PathBuf>) -> Result<(), DeviceError> {
    let entries = match std::fs::read_dir(directory) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(DeviceError::Io {
                path: directory.to_path_buf(),
                source,
            })
        }
    };
    for entry in entries {
        let entry = entry.map_err(|source| DeviceError::Io {
            path: directory.to_path_buf(),
            source,
        })?;
        let file_type = entry.file_type().map_err(|source| DeviceError::Io {
            path: entry.path(),
            source,
        })?;
        if file_type.is_dir() {
            collect_files(&entry.path(), files)?;
        } else if file_type.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(())
}
