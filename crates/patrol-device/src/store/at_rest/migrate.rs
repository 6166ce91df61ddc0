//! Encrypting a plain store in place (one made before the store was encrypted at rest):
//!
//! 1. the key is made and kept ([`super::key::find_or_create`]);
//! 2. the plain file is checkpointed and exported by `sqlcipher_export` into
//!    `patrol.sqlite3.encrypting` (0600) with the schema version copied, then fsynced;
//! 3. the plain `-wal`/`-shm` (empty after the checkpoint) are removed and the new file is
//!    renamed over the old one, and the folder fsynced;
//! 4. the photo files are sealed one by one ([`super::sealed_files::seal_plain_photos`]), and
//!    the store notes it ([`PHOTOS_SEALED_SETTING`]).
//!
//! Until step 3 the old plain file is the store, whole; a leftover `.encrypting` file is
//! dropped and step 2 done again. After it the encrypted file is the store, and photos still
//! plain are sealed by the next open. Nothing is deleted that the new store does not hold.

use super::key::{find_or_create, StoreKey};
use super::open_connection;
use super::sealed_files::seal_plain_photos;
use crate::error::DeviceError;
use crate::store::private_files::{create_private_file, sync_directory};
use rusqlite::params;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Device setting: `"1"` once every photo file of the store is sealed.
pub const PHOTOS_SEALED_SETTING: &str = "photos_sealed";

/// The steps of encrypting a plain store, in order (for tests that stop after one, as a crash
/// would).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EncryptionStep {
    KeyKept,
    Exported,
    Renamed,
    /// One photo file sealed, the others not yet.
    OnePhotoSealed,
}

fn encrypting_path(path: &Path) -> PathBuf {
    path.with_extension("sqlite3.encrypting")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// Steps 2 and 3: the plain store at `path` becomes an encrypted one under `key`.
pub(crate) fn encrypt_store_file(path: &Path, key: &StoreKey) -> Result<(), DeviceError> {
    export_encrypted(path, key)?;
    replace_with_encrypted(path)
}

/// Step 2: the encrypted copy, complete and on disk, beside the plain store.
fn export_encrypted(path: &Path, key: &StoreKey) -> Result<(), DeviceError> {
    let encrypting = encrypting_path(path);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(with_suffix(&encrypting, suffix));
    }
    drop(create_private_file(&encrypting)?);
    let connection = open_connection(path)?;
    connection.busy_timeout(Duration::from_secs(10))?;
    let (busy, wal_frames, checkpointed): (i64, i64, i64) =
        connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    if busy != 0 || wal_frames != checkpointed {
        return Err(DeviceError::not_allowed(
            "本机数据库正被另一个程序(巡防日志或 patrol 命令)使用，无法加密；请关闭它后重试",
            "another program has the store open: it cannot be encrypted now",
        ));
    }
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let target = encrypting.to_string_lossy().into_owned();
    connection.execute(
        "ATTACH DATABASE ?1 AS encrypted KEY ?2",
        params![target, key.sqlcipher_literal().as_str()],
    )?;
    connection.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    connection.execute_batch(&format!(
        "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
    ))?;
    connection.close().map_err(|(_, error)| error)?;
    std::fs::File::open(&encrypting)
        .and_then(|file| file.sync_all())
        .map_err(|source| DeviceError::Io {
            path: encrypting.clone(),
            source,
        })
}

/// Step 3: the encrypted copy takes the store's name.
fn replace_with_encrypted(path: &Path) -> Result<(), DeviceError> {
    // Empty after the checkpoint; a plain WAL must never meet the encrypted file.
    for suffix in ["-wal", "-shm"] {
        let leftover = with_suffix(path, suffix);
        match std::fs::remove_file(&leftover) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(DeviceError::Io {
                    path: leftover,
                    source,
                })
            }
        }
    }
    std::fs::rename(encrypting_path(path), path).map_err(|source| DeviceError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if let Some(directory) = path.parent() {
        sync_directory(directory);
    }
    Ok(())
}

/// Runs the encryption of the plain store in `data_dir` up to `stop_after` and stops there,
/// as a crash right after that step would. For tests of the migration's crash safety.
#[doc(hidden)]
pub fn encrypt_plain_store_until(
    data_dir: &Path,
    stop_after: EncryptionStep,
) -> Result<(), DeviceError> {
    let path = data_dir.join(crate::STORE_FILE_NAME);
    let (key, _) = find_or_create(data_dir)?;
    if stop_after == EncryptionStep::KeyKept {
        return Ok(());
    }
    export_encrypted(&path, &key)?;
    if stop_after == EncryptionStep::Exported {
        return Ok(());
    }
    replace_with_encrypted(&path)?;
    if stop_after == EncryptionStep::Renamed {
        return Ok(());
    }
    seal_one_photo(data_dir, &key)
}

fn seal_one_photo(data_dir: &Path, key: &StoreKey) -> Result<(), DeviceError> {
    seal_plain_photos(data_dir, key, Some(1)).map(|_| ())
}
