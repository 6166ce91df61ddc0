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

/// Opens a connection to the SQLite file at `path`, without a key yet: every connection of the
/// store is opened here.
///
/// SQLCipher registers `sqlcipher_export` (and finishes its set-up) only after SQLite has
/// marked itself initialised, so a connection opened on another thread during the very first
/// initialisation can lack the function (seen once in CI as "no such function:
/// sqlcipher_export"). So before the first connection, the process waits once until a fresh
/// connection has the function.
pub(crate) fn open_connection(path: &Path) -> rusqlite::Result<Connection> {
    static LIBRARY_READY: std::sync::Once = std::sync::Once::new();
    LIBRARY_READY.call_once(wait_for_sqlcipher_set_up);
    Connection::open(path)
}

/// Returns once a new connection has `sqlcipher_export`, i.e. SQLCipher's set-up (run by
/// whichever thread initialised SQLite first) has finished; gives up after 5 s, when the
/// migration of a plain store would report the missing function itself.
fn wait_for_sqlcipher_set_up() {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let ready = Connection::open_in_memory()
            .is_ok_and(|probe| probe.prepare("SELECT sqlcipher_export('main')").is_ok());
        if ready || std::time::Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Opens the SQLite file at `path` with `key` (no schema check, no migration). An existing
/// file that the key does not open is reported as damaged and kept.
pub fn open_with_key(path: &Path, key: &StoreKey) -> Result<Connection, DeviceError> {
    let connection = open_connection(path)?;
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
