//! The store at rest: a lost phone gives nothing away. The SQLite file (and its `-wal`) is a
//! SQLCipher database, and every photo file (send versions, camera originals) is sealed with
//! XChaCha20-Poly1305 ([`sealed_files`]); thumbnails live inside the database. Both use one
//! 32-byte random key per store ([`StoreKey`]), kept by the platform keystore where there is
//! one (on Linux the Secret Service, when a session bus offers it), else in a 0600 key file
//! beside the store ([`KeyStorage::LocalFile`], which the app's Settings warns about).
//!
//! A plain store made by an older version is encrypted in place on open ([`migrate`]): exported
//! into a new encrypted file, fsynced, renamed over the old one; then its photos are sealed one
//! by one. A crash at any step leaves a store that opens (the old plain one, or the new one with
//! some photos still to seal) and the next open finishes the work.
//!
//! A key that is missing or does not open the file is a [`DeviceError::StoreDamaged`]: the file
//! is kept as it is, never replaced.

pub mod key;
pub mod migrate;
pub mod sealed_files;

pub use key::{KeyStorage, StoreKey};

use crate::error::DeviceError;
use rusqlite::Connection;
use std::path::Path;

/// Opens the SQLite file at `path` with `key` (no schema check, no migration). An existing
/// file that the key does not open is reported as damaged and kept.
pub fn open_with_key(path: &Path, key: &StoreKey) -> Result<Connection, DeviceError> {
    let connection = Connection::open(path)?;
    apply_key(&connection, key)?;
    Ok(connection)
}

/// Gives `connection` its key: SQLCipher's raw-key form, so no key derivation runs on open.
pub(crate) fn apply_key(connection: &Connection, key: &StoreKey) -> Result<(), DeviceError> {
    let pragma = zeroize::Zeroizing::new(format!(
        "PRAGMA key = \"{}\";",
        key.sqlcipher_literal().as_str()
    ));
    connection.execute_batch(&pragma)?;
    Ok(())
}

/// The store's own connection with its key, for inspection and tests: what `patrol` sees, with
/// no migration applied. A store whose key cannot be found is [`DeviceError::StoreDamaged`].
pub fn open_raw_store(data_dir: &Path) -> Result<Connection, DeviceError> {
    let path = data_dir.join(crate::STORE_FILE_NAME);
    let (key, _) = key::find(data_dir)?.ok_or_else(|| DeviceError::StoreDamaged {
        path: path.clone(),
        reason_zh: "找不到本机数据库的密钥".to_string(),
        reason_en: "no key of this store was found".to_string(),
    })?;
    open_with_key(&path, &key)
}
